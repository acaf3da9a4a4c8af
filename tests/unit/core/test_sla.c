/* SPDX-License-Identifier: Apache-2.0 */
/* The time-limit light and supervision 督办 rounds escalating as the clock moves. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "gridgov/clock.h"
#include "gridgov/grid.h"
#include "gridgov/sla.h"

static int64_t at(const char *s)
{
	int64_t t;
	assert_int_equal(clock_parse(s, &t), 0);
	return t;
}

static void lights(void **state)
{
	(void)state;
	assert_int_equal(sla_light(0, 100), SLA_GREEN);
	assert_int_equal(sla_light(79, 100), SLA_GREEN);
	assert_int_equal(sla_light(80, 100), SLA_YELLOW);
	assert_int_equal(sla_light(100, 100), SLA_YELLOW);
	assert_int_equal(sla_light(101, 100), SLA_RED);
	assert_string_equal(sla_light_name(SLA_YELLOW), "yellow");
	assert_int_equal(sla_light_parse("red"), SLA_RED);
	assert_int_equal(sla_light_parse("blue"), -1);

	struct cal c;
	cal_init(&c);
	/* 4 working hours from Tuesday 09:00: due 14:00 */
	int64_t start = at("2026-03-10T09:00:00+08:00");
	int64_t due = cal_add_hours(&c, start, 4);
	assert_int_equal(due, at("2026-03-10T14:00:00+08:00"));
	assert_int_equal(sla_light_at(&c, start, due, at("2026-03-10T11:00:00+08:00")), SLA_GREEN);
	/* 12:00–13:00 is lunch: at 12:30 3 of 4 hours are used (75 %) */
	assert_int_equal(sla_light_at(&c, start, due, at("2026-03-10T12:30:00+08:00")), SLA_GREEN);
	assert_int_equal(sla_light_at(&c, start, due, at("2026-03-10T13:12:00+08:00")), SLA_YELLOW);
	assert_int_equal(sla_light_at(&c, start, due, due), SLA_YELLOW);
	assert_int_equal(sla_light_at(&c, start, due, due + 1), SLA_RED);
}

static void supervision_escalates_three_times(void **state)
{
	(void)state;
	struct cal c;
	struct sla_policy p;
	cal_init(&c);
	sla_policy_default(&p);			       /* one working day (8 h) between rounds */
	int64_t due = at("2026-03-12T16:00:00+08:00"); /* a Thursday */
	assert_int_equal(sla_due_round(&c, &p, due, due - 60), 0);
	assert_int_equal(sla_due_round(&c, &p, due, due), 0);
	assert_int_equal(sla_due_round(&c, &p, due, due + 1), 1);
	/* Friday 15:59: 2 h on Thursday + 5.98 h on Friday = still under a working day */
	assert_int_equal(sla_due_round(&c, &p, due, at("2026-03-13T15:59:00+08:00")), 1);
	assert_int_equal(sla_due_round(&c, &p, due, at("2026-03-13T16:00:00+08:00")), 2);
	/* the weekend does not count: Monday 15:59 is still round 2 */
	assert_int_equal(sla_due_round(&c, &p, due, at("2026-03-16T15:59:00+08:00")), 2);
	assert_int_equal(sla_due_round(&c, &p, due, at("2026-03-16T16:00:00+08:00")), 3);
	/* never more than three */
	assert_int_equal(sla_due_round(&c, &p, due, at("2026-04-30T16:00:00+08:00")), 3);

	/* each round one level up from the grid; deductions grow */
	assert_int_equal(sla_round_level(GRID_GRID, 1), GRID_COMMUNITY);
	assert_int_equal(sla_round_level(GRID_GRID, 2), GRID_STREET);
	assert_int_equal(sla_round_level(GRID_GRID, 3), GRID_DISTRICT);
	assert_int_equal(sla_round_level(GRID_STREET, 3), GRID_DISTRICT);
	assert_int_equal(sla_round_points(&p, 1), 1);
	assert_int_equal(sla_round_points(&p, 3), 3);
	assert_int_equal(sla_round_points(&p, 4), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(lights),
	    cmocka_unit_test(supervision_escalates_three_times),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
