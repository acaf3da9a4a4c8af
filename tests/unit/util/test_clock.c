/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "gridgov/clock.h"

static void parse_accepts_dates_times_and_zones(void **state)
{
	int64_t t;
	assert_int_equal(clock_parse("1970-01-01", &t), 0);
	assert_int_equal(t, 0);
	assert_int_equal(clock_parse("2026-11-23T09:30:00Z", &t), 0);
	assert_int_equal(t, 1795426200);
	assert_int_equal(clock_parse("2026-11-23T17:30:00+08:00", &t), 0);
	assert_int_equal(t, 1795426200);
	assert_int_equal(clock_parse("2024-02-29", &t), 0);
}

static void parse_refuses_impossible_dates(void **state)
{
	int64_t t;
	assert_int_equal(clock_parse("2025-02-29", &t), -1);
	assert_int_equal(clock_parse("2026-13-01", &t), -1);
	assert_int_equal(clock_parse("2026-04-31", &t), -1);
	assert_int_equal(clock_parse("2026-11-23T25:00:00Z", &t), -1);
	assert_int_equal(clock_parse("yesterday", &t), -1);
	assert_int_equal(clock_parse("2026-11-23Tjunk", &t), -1);
}

static void format_is_rfc3339_utc(void **state)
{
	char s[32];
	clock_format_utc(1795426200, s, sizeof(s));
	assert_string_equal(s, "2026-11-23T09:30:00Z");
}

static void advance_only_in_test_mode(void **state)
{
	clock_enable_test_mode(0);
	assert_int_equal(clock_advance(60), -1);
	clock_enable_test_mode(1);
	int64_t before = clock_now();
	assert_int_equal(clock_advance(86400), 0);
	assert_true(clock_now() - before >= 86400);
	assert_int_equal(clock_set(1795426200), 0);
	assert_true(clock_now() - 1795426200 <= 1);
	clock_enable_test_mode(0);
	/* leaving test mode returns to real time */
	assert_true(llabs((long long)(clock_now() - (int64_t)time(NULL))) <= 1);
}

/* 2026-12-07T16:30:00Z is 2026-12-08 00:30 in China: the CST day, not the UTC one. */
static void local_day_is_the_zones_day(void **state)
{
	(void)state;
	assert_int_equal(clock_set_zone("Asia/Shanghai"), 0);
	assert_int_equal(clock_utc_offset(), 8 * 3600);
	int64_t t, d0, d1;
	assert_int_equal(clock_parse("2026-12-07T16:30:00Z", &t), 0);
	char s[32];
	clock_format_local_date(t, s, sizeof(s));
	assert_string_equal(s, "2026-12-08");
	clock_format_local(t, s, sizeof(s));
	assert_string_equal(s, "2026-12-08T00:30:00+08:00");
	assert_int_equal(clock_parse("2026-12-07T15:59:59Z", &t), 0); /* 23:59:59 CST */
	d0 = clock_local_day(t);
	d1 = clock_local_day(t + 1);
	assert_int_equal(d1, d0 + 1);
	assert_int_equal(clock_day_start(d1), t + 1);
}

static void bounds_are_local_days(void **state)
{
	(void)state;
	assert_int_equal(clock_set_zone("Asia/Shanghai"), 0);
	int64_t from, to, midnight;
	assert_int_equal(clock_parse_bound("2026-12-08", 0, &from), 0);
	assert_int_equal(clock_parse_bound("2026-12-08", 1, &to), 0);
	assert_int_equal(clock_parse("2026-12-08T00:00:00+08:00", &midnight), 0);
	assert_int_equal(from, midnight);
	assert_int_equal(to, midnight + 86400);
	/* a full time is taken as given */
	assert_int_equal(clock_parse_bound("2026-12-08T01:30:00+08:00", 1, &to), 0);
	assert_int_equal(to, midnight + 5400);
	/* another fixed zone, west of UTC */
	assert_int_equal(clock_set_zone("-05:00"), 0);
	assert_int_equal(clock_parse_bound("2026-12-08", 0, &from), 0);
	assert_int_equal(clock_parse("2026-12-08T00:00:00-05:00", &midnight), 0);
	assert_int_equal(from, midnight);
	assert_int_equal(clock_day_start(clock_local_day(midnight)), midnight);
	assert_int_equal(clock_set_zone("Asia/Shanghai"), 0);
}

/* Zones come from the system's tzdata; one that changes its offset in the year is refused. */
static void iana_zones_resolve_to_one_offset(void **state)
{
	(void)state;
	if (access("/usr/share/zoneinfo/Asia/Tokyo", R_OK) != 0)
		skip(); /* a machine without tzdata: Asia/Shanghai is built in */
	assert_int_equal(clock_set_zone("Asia/Tokyo"), 0);
	assert_int_equal(clock_utc_offset(), 9 * 3600);
	assert_string_equal(clock_zone_name(), "Asia/Tokyo");
	assert_int_equal(clock_set_zone("Europe/Berlin"), -1); /* daylight saving */
	assert_int_equal(clock_utc_offset(), 9 * 3600);	       /* unchanged */
	assert_int_equal(clock_set_zone("Asia/Shanghai"), 0);
	assert_int_equal(clock_utc_offset(), 8 * 3600);
}

static void unknown_zones_are_refused(void **state)
{
	(void)state;
	assert_int_equal(clock_set_zone("Mars/Olympus"), -1);
	assert_int_equal(clock_set_zone("+25:00"), -1);
	assert_int_equal(clock_set_zone("../../etc/passwd"), -1);
	assert_string_equal(clock_zone_name(), "Asia/Shanghai");
	assert_int_equal(clock_utc_offset(), 8 * 3600);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(parse_accepts_dates_times_and_zones),
	    cmocka_unit_test(parse_refuses_impossible_dates),
	    cmocka_unit_test(format_is_rfc3339_utc),
	    cmocka_unit_test(advance_only_in_test_mode),
	    cmocka_unit_test(local_day_is_the_zones_day),
	    cmocka_unit_test(bounds_are_local_days),
	    cmocka_unit_test(unknown_zones_are_refused),
	    cmocka_unit_test(iana_zones_resolve_to_one_offset),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
