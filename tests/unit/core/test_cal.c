/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The working-day calendar with the real 2026 holiday arrangement (data/calendar/2026.csv,
 * repeated here so the test does not read files): deadlines across weekends, holidays
 * and swapped working days 调休, and working time between two moments.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gridgov/cal.h"
#include "gridgov/clock.h"

static void cal_2026(struct cal *c)
{
	static const char *holidays[][2] = {
	    {"2026-01-01", "2026-01-03"}, {"2026-02-15", "2026-02-23"},
	    {"2026-04-04", "2026-04-06"}, {"2026-05-01", "2026-05-05"},
	    {"2026-06-19", "2026-06-21"}, {"2026-09-25", "2026-09-27"},
	    {"2026-10-01", "2026-10-07"},
	};
	static const char *workdays[] = {"2026-01-04", "2026-02-14", "2026-02-28",
					 "2026-05-09", "2026-09-20", "2026-10-10"};
	cal_init(c);
	for (size_t i = 0; i < sizeof(holidays) / sizeof(holidays[0]); i++) {
		int64_t from, to;
		assert_int_equal(clock_parse(holidays[i][0], &from), 0);
		assert_int_equal(clock_parse(holidays[i][1], &to), 0);
		for (int64_t t = from; t <= to; t += 86400) {
			char d[32];
			clock_format_utc(t, d, sizeof(d));
			d[10] = 0;
			assert_int_equal(cal_set_day(c, d, CAL_HOLIDAY), 0);
		}
	}
	for (size_t i = 0; i < sizeof(workdays) / sizeof(workdays[0]); i++)
		assert_int_equal(cal_set_day(c, workdays[i], CAL_WORKDAY), 0);
}

static int64_t at(const char *s)
{
	int64_t t;
	assert_int_equal(clock_parse(s, &t), 0);
	return t;
}

static void expect(int64_t got, const char *want)
{
	assert_int_equal(got, at(want));
}

/* Filed Friday 2026-04-03 17:00, two working days: 清明 4–6 April is off, so Wednesday. */
static void friday_before_qingming(void **state)
{
	(void)state;
	struct cal c;
	cal_2026(&c);
	expect(cal_add_days(&c, at("2026-04-03T17:00:00+08:00"), 2), "2026-04-08T17:00:00+08:00");
	/* without the holiday it would have been Tuesday */
	struct cal plain;
	cal_init(&plain);
	expect(cal_add_days(&plain, at("2026-04-03T17:00:00+08:00"), 2),
	       "2026-04-07T17:00:00+08:00");
}

/* Friday 2026-09-18 17:00: Sunday 20 September is a 调休 working day, so Monday. */
static void friday_before_swapped_sunday(void **state)
{
	(void)state;
	struct cal c;
	cal_2026(&c);
	expect(cal_add_days(&c, at("2026-09-18T17:00:00+08:00"), 2), "2026-09-21T17:00:00+08:00");
}

/* Wednesday 2026-09-30 17:00 before 国庆: 1–7 October off, Thursday 8 and Friday 9 work. */
static void national_day(void **state)
{
	(void)state;
	struct cal c;
	cal_2026(&c);
	expect(cal_add_days(&c, at("2026-09-30T17:00:00+08:00"), 2), "2026-10-09T17:00:00+08:00");
	/* Friday 9 October 17:00: Saturday 10 October is a working day */
	expect(cal_add_days(&c, at("2026-10-09T17:00:00+08:00"), 2), "2026-10-12T17:00:00+08:00");
	assert_false(cal_is_workday(&c, at("2026-10-05T00:00:00Z") / 86400));
	assert_true(cal_is_workday(&c, at("2026-10-10T00:00:00Z") / 86400));
}

static void hours_and_lunch(void **state)
{
	(void)state;
	struct cal c;
	cal_init(&c); /* 09:00–12:00, 13:00–18:00 */
	assert_int_equal(cal_day_secs(&c), 8 * 3600);
	/* 11:00 + 2 working hours skips the lunch break */
	expect(cal_add_hours(&c, at("2026-03-10T11:00:00+08:00"), 2), "2026-03-10T14:00:00+08:00");
	/* a report at night counts from 09:00 next morning */
	expect(cal_add_hours(&c, at("2026-03-10T22:00:00+08:00"), 4), "2026-03-11T14:00:00+08:00");
	/* Friday 17:00 + 4 h: one hour on Friday, the rest on Monday morning */
	expect(cal_add_hours(&c, at("2026-03-13T17:00:00+08:00"), 4), "2026-03-16T12:00:00+08:00");
	assert_int_equal(
	    cal_between(&c, at("2026-03-13T17:00:00+08:00"), at("2026-03-16T12:00:00+08:00")),
	    4 * 3600);
	assert_int_equal(
	    cal_between(&c, at("2026-03-16T12:00:00+08:00"), at("2026-03-16T13:00:00+08:00")), 0);

	assert_int_equal(cal_set_hours(&c, "08:30-12:00,14:00-17:30"), 0);
	assert_int_equal(cal_day_secs(&c), 7 * 3600);
	assert_int_equal(cal_set_hours(&c, "12:00-08:00"), -1);
	assert_int_equal(cal_set_hours(&c, "09:00-12:00,11:00-13:00"), -1);
	assert_int_equal(cal_set_hours(&c, "nine to five"), -1);
	assert_int_equal(cal_day_secs(&c), 7 * 3600); /* unchanged by bad specs */
	assert_int_equal(cal_set_day(&c, "2026-13-01", CAL_HOLIDAY), -1);
	assert_int_equal(cal_kind_parse("workday"), CAL_WORKDAY);
	assert_int_equal(cal_kind_parse("party"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(friday_before_qingming),
	    cmocka_unit_test(friday_before_swapped_sunday),
	    cmocka_unit_test(national_day),
	    cmocka_unit_test(hours_and_lunch),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
