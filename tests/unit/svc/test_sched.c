/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deadline sweep on a real temporary database: a backlog of late cases handled in
 * bounded batches (each within its limit, all supervised, then nothing left to do and
 * the next due time in the future), the second round a working day later, late whistle
 * reports, and cases that leave the queue when they stop running late.
 */
#include "fx_svc.h"

#define HOUR	3600
#define BACKLOG 2000
#define BATCH	500

/* Supervision rounds opened, on all cases. */
static int64_t count(struct fx *f)
{
	struct store_supervision *v;
	size_t n;
	assert_int_equal(store_supervision_list(f->db, 0, f->a, &v, &n, &f->err), GG_OK);
	return (int64_t)n;
}

static void a_backlog_is_swept_in_bounded_batches_then_idles(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_begin(f->db, STORE_WRITE, &f->err), GG_OK);
	int64_t first = 0;
	for (int i = 0; i < BACKLOG; i++) {
		int64_t id = fx_case(f, NULL);
		if (!first)
			first = id;
	}
	assert_int_equal(store_commit(f->db, &f->err), GG_OK);
	int64_t deadline = fx_get(f, first).deadline;

	f->now += 2 * HOUR; /* every filing deadline has passed */
	size_t total = 0, done;
	int more = 1, passes = 0;
	while (more) {
		struct svc s = fx_svc(f, &f->operator);
		s.system = 1;
		assert_int_equal(store_begin(f->db, STORE_WRITE, &f->err), GG_OK);
		assert_int_equal(svc_sched_sweep(&s, BATCH, &done, &more, &f->err), GG_OK);
		assert_int_equal(store_commit(f->db, &f->err), GG_OK);
		assert_true(done <= BATCH);
		total += done;
		passes++;
		assert_true(passes <= BACKLOG / BATCH + 1);
	}
	assert_int_equal(total, BACKLOG);
	assert_int_equal(passes, BACKLOG / BATCH + 1); /* the last one finds nothing left */
	assert_int_equal(count(f), BACKLOG);
	struct store_case c = fx_get(f, first);
	assert_int_equal(c.supervision, 1);
	struct store_case_entry *e;
	size_t n;
	assert_int_equal(store_case_log_list(f->db, first, f->a, &e, &n, &f->err), GG_OK);
	assert_string_equal(e[n - 1].action, "supervise");
	assert_string_equal(e[n - 1].role, "system");
	assert_non_null(strstr(e[n - 1].note, "第1次督办（立案超时）"));

	/* idle: nothing due now, the next round is a working day after the deadline */
	struct svc s = fx_svc(f, &f->operator);
	int64_t next;
	assert_int_equal(svc_sched_next(&s, &next, &f->err), GG_OK);
	assert_int_equal(next, cal_add(&f->cal, deadline, f->policy.grace));
	assert_true(next > f->now);
	assert_int_equal(svc_sched_sweep(&s, BATCH, &done, &more, &f->err), GG_OK);
	assert_int_equal(done, 0);
	assert_int_equal(more, 0);

	/* a working day later: the second round, one level further up */
	f->now = next;
	s = fx_svc(f, &f->operator);
	size_t second = 0;
	do {
		assert_int_equal(svc_sched_sweep(&s, BATCH, &done, &more, &f->err), GG_OK);
		second += done;
	} while (more);
	assert_int_equal(second, BACKLOG);
	assert_int_equal(fx_get(f, first).supervision, 2);
	struct store_supervision *v;
	assert_int_equal(store_supervision_list(f->db, first, f->a, &v, &n, &f->err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].level, GRID_COMMUNITY);
	assert_int_equal(v[1].level, GRID_STREET);
	assert_string_equal(v[1].supervisor, STREET);
	assert_int_equal(v[1].points, f->policy.points[1]);
}

static void a_case_done_in_time_leaves_the_queue(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = fx_in(CASE_A_REJECT, "重复上报");
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_OK);
	f->now += 3 * 24 * HOUR;
	struct svc s = fx_svc(f, &f->operator);
	size_t done;
	int more;
	assert_int_equal(svc_sched_sweep(&s, BATCH, &done, &more, &f->err), GG_OK);
	assert_int_equal(done, 0);
	int64_t next;
	assert_int_equal(svc_sched_next(&s, &next, &f->err), GG_OK);
	assert_int_equal(next, 0);
	assert_int_equal(count(f), 0);
}

static void a_department_late_to_report_is_supervised_once(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = fx_in(CASE_A_FILE, NULL);
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_OK);
	const char *depts[] = {"SZ"};
	in = fx_in(CASE_A_WHISTLE, NULL);
	in.type = "emergency";
	in.deadline = f->now + HOUR / 2;
	in.departments = depts;
	in.ndepartments = 1;
	assert_int_equal(fx_act(f, &f->street, id, &in, NULL), GG_OK);
	/* the filing stage ran late too (its deadline is an hour away), the whistle first */
	struct svc s = fx_svc(f, &f->operator);
	int64_t next;
	assert_int_equal(svc_sched_next(&s, &next, &f->err), GG_OK);
	assert_int_equal(next, in.deadline + 1);
	f->now = in.deadline + 1;
	s = fx_svc(f, &f->operator);
	size_t done;
	int more;
	assert_int_equal(svc_sched_sweep(&s, BATCH, &done, &more, &f->err), GG_OK);
	assert_int_equal(done, 1);
	struct store_supervision *v;
	size_t n;
	assert_int_equal(store_supervision_list(f->db, id, f->a, &v, &n, &f->err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].stage, "report");
	assert_string_equal(v[0].target, "SZ");
	assert_int_equal(svc_sched_sweep(&s, BATCH, &done, &more, &f->err), GG_OK);
	assert_int_equal(done, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(a_backlog_is_swept_in_bounded_batches_then_idles,
					    fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(a_case_done_in_time_leaves_the_queue, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(a_department_late_to_report_is_supervised_once,
					    fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
