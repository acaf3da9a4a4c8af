/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdlib.h>
#include <time.h>

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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(parse_accepts_dates_times_and_zones),
		cmocka_unit_test(parse_refuses_impossible_dates),
		cmocka_unit_test(format_is_rfc3339_utc),
		cmocka_unit_test(advance_only_in_test_mode),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
