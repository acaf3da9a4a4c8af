/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The domain's pure step (svc_case_step) alone, as a bulk demo generator would drive it:
 * N in-memory case histories from report to evaluation (file, dispatch, accept, handle,
 * verify, close, evaluate; every fifth reworked once), each action with its calendar
 * deadlines and the sweep's next due time, no store. Prints histories/s and actions/s
 * and the ratio to the 15,000 cases/s the demo generator needs, which leaves it the rest
 * of each case's time for writing.
 * Usage: svc_step_bench [N]   (default 200,000)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/clock.h"
#include "gridgov/svc.h"

#define TARGET 15000.0

int main(int argc, char **argv)
{
	long n = argc > 1 ? atol(argv[1]) : 200000;
	struct cal cal;
	struct sla_policy policy;
	cal_init(&cal);
	sla_policy_default(&policy);
	policy.grace = cal_day_secs(&cal);
	struct principal op = {.role = ROLE_OPERATOR}, hw = {.role = ROLE_DEPARTMENT},
			 worker = {.role = ROLE_GRID_WORKER};
	snprintf(hw.dept, sizeof(hw.dept), "HW");
	struct store_category cat = {.limit_general_h = 4,
				     .limit_engineering_h = 8,
				     .limit_special_h = 16,
				     .verify_min = 60};
	struct svc s = {.cal = &cal, .policy = &policy};
	struct err err = ERR_INIT;
	int64_t t0;
	clock_parse("2026-03-02T09:00:00+08:00", &t0);
	const struct {
		enum case_action a;
		const struct principal *who;
		const char *note;
	} plan[] = {
	    {CASE_A_FILE, &op, NULL},	      {CASE_A_DISPATCH, &op, NULL},
	    {CASE_A_ACCEPT, &hw, NULL},	      {CASE_A_HANDLE, &hw, NULL},
	    {CASE_A_REWORK, &worker, "redo"}, {CASE_A_ACCEPT, &hw, NULL},
	    {CASE_A_HANDLE, &hw, NULL},	      {CASE_A_VERIFY, &worker, NULL},
	    {CASE_A_CLOSE, &op, NULL},	      {CASE_A_EVALUATE, &op, NULL},
	};
	long actions = 0;
	int64_t due_sum = 0;
	uint64_t start = clock_mono_ns();
	for (long i = 0; i < n; i++) {
		struct store_case c = {.state = CASE_REPORTED, .level = GRID_GRID};
		snprintf(c.grid, sizeof(c.grid), "510105002002001");
		snprintf(c.proposed_dept, sizeof(c.proposed_dept), "HW");
		s.now = t0 + (i % 86400) * 7;
		c.created_at = c.stage_started = s.now;
		c.deadline = cal_add(&cal, s.now, cat.verify_min * 60);
		for (size_t k = 0; k < sizeof(plan) / sizeof(plan[0]); k++) {
			if (k >= 4 && k <= 6 && i % 5)
				continue; /* four in five pass verification first time */
			struct case_ctx x = {.role = plan[k].who->role,
					     .in_scope = 1,
					     .own_dept = plan[k].who == &hw,
					     .level = c.level};
			struct svc_action_in in = {.action = plan[k].a,
						   .note = plan[k].note,
						   .rating = CASE_RATING_SATISFIED};
			s.who = plan[k].who;
			s.now += 1800;
			if (svc_case_step(&s, &c, &cat, &x, &in, &err)) {
				fprintf(stderr, "step %s failed: %s\n", case_action_name(plan[k].a),
					err.msg);
				return 1;
			}
			due_sum += svc_case_due_at(&s, &c);
			actions++;
		}
		if (c.state != CASE_EVALUATED) {
			fprintf(stderr, "history %ld ended in %s\n", i, case_state_name(c.state));
			return 1;
		}
	}
	double secs = (double)(clock_mono_ns() - start) / 1e9;
	printf("svc_case_step: %ld histories, %ld actions in %.3f s: %.0f histories/s, %.0f "
	       "actions/s (due checksum %lld)\n",
	       n, actions, secs, n / secs, actions / secs, (long long)(due_sum % 1000));
	printf("ratio to the demo generator's %.0f cases/s: %.1f\n", TARGET, n / secs / TARGET);
	return 0;
}
