/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The domain layer's case loop on a real temporary database: creating a case (routed,
 * deadline running, queued for the sweep), and every action once allowed — its effects
 * on the case, the trail and the queue — and once refused, with the status and the field
 * the API answers.
 */
#include "fx_svc.h"

#define HOUR 3600

static void create_routes_and_starts_the_filing_deadline(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct store_case c = fx_get(f, id);
	assert_int_equal(c.state, CASE_REPORTED);
	assert_string_equal(c.street, STREET);
	assert_string_equal(c.community, COMMUNITY);
	assert_string_equal(c.proposed_dept, "HW");
	assert_string_equal(c.reporter, "网格员");
	assert_int_equal(c.deadline, f->now + HOUR); /* verify_min 60 inside working hours */
	struct store_case_entry *e;
	size_t n;
	assert_int_equal(store_case_log_list(f->db, id, f->a, &e, &n, &f->err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(e[0].action, "create");
	assert_string_equal(e[0].role, "grid_worker");
	int64_t *ids;
	assert_int_equal(store_case_due(f->db, c.deadline + 1, 10, f->a, &ids, &n, &f->err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_case_due(f->db, c.deadline, 10, f->a, &ids, &n, &f->err), GG_OK);
	assert_int_equal(n, 0);
}

static void create_refuses_bad_fields(void **state)
{
	struct fx *f = *state;
	struct svc s = fx_svc(f, &f->worker);
	struct store_case *c;
	struct svc_case_in in = {
	    .category = "NOPE", .description = "x", .channel = "app", .grid = GRID};
	assert_int_equal(svc_case_new(&s, &in, &c, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "category");
	in.category = "E0102";
	in.grid = NULL;
	/* no point, no grid: the center must say where… */
	struct svc so = fx_svc(f, &f->operator);
	assert_int_equal(svc_case_new(&so, &in, &c, &f->err), GG_EMISSING);
	assert_string_equal(f->err.field, "grid");
	err_clear(&f->err);
	/* …while a grid worker without a fix reports in their own grid */
	assert_int_equal(svc_case_new(&s, &in, &c, &f->err), GG_OK);
	assert_string_equal(c->grid, f->worker.scope);
	in.grid = OTHER; /* outside the worker's grid */
	assert_int_equal(svc_case_new(&s, &in, &c, &f->err), GG_EFORBIDDEN);
	const char *photos[] = {"abc"};
	in.grid = GRID;
	in.photos = photos;
	in.nphotos = 1;
	assert_int_equal(svc_case_new(&s, &in, &c, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "photos");
	assert_non_null(strstr(f->err.msg, "photos[0] is not a photo id"));
	in.nphotos = SVC_MAX_ATTACH + 1;
	in.photos = NULL;
	assert_int_equal(svc_case_new(&s, &in, &c, &f->err), GG_EFIELD);
	assert_non_null(strstr(f->err.msg, "at most 9"));
}

static void file_by_the_center_not_by_a_worker(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = fx_in(CASE_A_FILE, NULL);
	assert_int_equal(fx_act(f, &f->worker, id, &in, NULL), GG_EFORBIDDEN);
	assert_string_equal(f->err.msg, "file: the action is not allowed to your role");
	struct store_case c;
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_FILED);
	assert_true(c.filed_on_time);
	assert_int_equal(c.deadline, f->now + HOUR); /* dispatch within a working hour */
	assert_int_equal(fx_get(f, id).state, CASE_FILED);
	/* filing again: the state no longer allows it */
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_ESTATE);
}

static void file_and_dispatch_correct_the_category(void **state)
{
	struct fx *f = *state;
	/* a catalogue item of another department (市政 SZ) to correct to */
	struct store_category sz = fx_category;
	strcpy(sz.code, "C0101");
	strcpy(sz.minor_code, "C0101");
	strcpy(sz.name, "上水井盖");
	strcpy(sz.department, "SZ");
	assert_int_equal(store_category_put(f->db, &sz, NULL), GG_OK);
	int64_t id = fx_case(f, NULL);
	struct store_case c = fx_get(f, id);
	assert_string_equal(c.proposed_dept, "HW");
	/* an unknown category, or one given to another action, is refused naming it */
	struct svc_action_in in = fx_in(CASE_A_FILE, NULL);
	in.category = "NOPE";
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "category");
	in = fx_in(CASE_A_REJECT, "不属于受理范围");
	in.category = "C0101";
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "category");
	assert_string_equal(fx_get(f, id).category, "E0102");
	/* 立案 with the right category: the case and its proposal follow it */
	in = fx_in(CASE_A_FILE, NULL);
	in.category = "C0101";
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_FILED);
	assert_string_equal(c.category, "C0101");
	assert_string_equal(c.proposed_dept, "SZ");
	c = fx_get(f, id);
	assert_string_equal(c.category, "C0101");
	assert_string_equal(c.proposed_dept, "SZ");
	struct store_case_entry *e;
	size_t n;
	assert_int_equal(store_case_log_list(f->db, id, f->a, &e, &n, &f->err), GG_OK);
	assert_int_equal(n, 3); /* create, recategorize, file */
	assert_string_equal(e[1].action, "recategorize");
	assert_string_equal(e[1].from_state, "reported");
	assert_string_equal(e[1].to_state, "reported");
	assert_non_null(strstr(e[1].note, "E0102"));
	assert_non_null(strstr(e[1].note, "C0101 上水井盖"));
	assert_true(strstr(e[1].note, "E0102") < strstr(e[1].note, "C0101"));
	assert_string_equal(e[2].action, "file");
	/* 派遣 corrects it back; without a department it goes to the new proposal (HW) */
	in = fx_in(CASE_A_DISPATCH, NULL);
	in.category = "E0103";
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_DISPATCHED);
	assert_string_equal(c.category, "E0103");
	assert_string_equal(c.department, "HW");
	assert_int_equal(store_case_log_list(f->db, id, f->a, &e, &n, &f->err), GG_OK);
	assert_int_equal(n, 5);
	assert_string_equal(e[3].action, "recategorize");
	assert_non_null(strstr(e[3].note, "C0101 上水井盖 → E0103"));
	/* the same category again is no correction: no entry */
	int64_t id2 = fx_case(f, NULL);
	in = fx_in(CASE_A_FILE, NULL);
	in.category = "E0102";
	assert_int_equal(fx_act(f, &f->operator, id2, &in, NULL), GG_OK);
	assert_int_equal(store_case_log_list(f->db, id2, f->a, &e, &n, &f->err), GG_OK);
	assert_int_equal(n, 2);
}

static void reject_needs_a_reason(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = fx_in(CASE_A_REJECT, NULL);
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "note");
	in.note = "不属于受理范围";
	struct store_case c;
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_REJECTED);
	assert_int_equal(c.deadline, 0);
	int64_t *ids;
	size_t n;
	assert_int_equal(store_case_due(f->db, INT64_MAX, 100, f->a, &ids, &n, &f->err), GG_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(ids[i] != id); /* off the sweep's queue */
}

static void merge_into_an_open_case_of_the_same_category(void **state)
{
	struct fx *f = *state;
	int64_t a = fx_case(f, NULL), b = fx_case(f, NULL), other = fx_case(f, "E0103");
	struct svc_action_in in = fx_in(CASE_A_MERGE, NULL);
	assert_int_equal(fx_act(f, &f->operator, a, &in, NULL), GG_EMISSING);
	assert_string_equal(f->err.field, "into");
	in.into = other;
	assert_int_equal(fx_act(f, &f->operator, a, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "into");
	in.into = b;
	struct store_case c;
	assert_int_equal(fx_act(f, &f->operator, a, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_MERGED);
	assert_int_equal(c.merged_into, b);
	struct store_case_entry *e;
	size_t n;
	assert_int_equal(store_case_log_list(f->db, b, f->a, &e, &n, &f->err), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(e[1].action, "merge_in");
	/* the merged case's reporter now sees the survivor */
	struct svc s = fx_svc(f, &f->worker);
	struct store_case sb = fx_get(f, b);
	assert_true(svc_case_visible(&s, &sb, &f->err));
}

/* A case filed and dispatched to HW; its id. */
static int64_t dispatched(struct fx *f)
{
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = fx_in(CASE_A_FILE, NULL);
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_OK);
	in = fx_in(CASE_A_DISPATCH, NULL);
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_OK);
	return id;
}

static int64_t accepted(struct fx *f)
{
	int64_t id = dispatched(f);
	struct svc_action_in in = fx_in(CASE_A_ACCEPT, NULL);
	assert_int_equal(fx_act(f, &f->hw, id, &in, NULL), GG_OK);
	return id;
}

static int64_t handled(struct fx *f)
{
	int64_t id = accepted(f);
	struct svc_action_in in = fx_in(CASE_A_HANDLE, NULL);
	assert_int_equal(fx_act(f, &f->hw, id, &in, NULL), GG_OK);
	return id;
}

static int64_t closed(struct fx *f)
{
	int64_t id = handled(f);
	struct svc_action_in in = fx_in(CASE_A_VERIFY, NULL);
	assert_int_equal(fx_act(f, &f->worker, id, &in, NULL), GG_OK);
	in = fx_in(CASE_A_CLOSE, NULL);
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_OK);
	return id;
}

static void dispatch_to_a_known_department(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = fx_in(CASE_A_FILE, NULL);
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_OK);
	in = fx_in(CASE_A_DISPATCH, NULL);
	in.department = "NOPE";
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "department");
	in.department = "SZ";
	in.class = "urgent";
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "class");
	in.class = "engineering";
	struct store_case c;
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_DISPATCHED);
	assert_string_equal(c.department, "SZ");
	assert_int_equal(c.dispatches, 1);
	assert_int_equal(c.deadline, cal_add(&f->cal, f->now, 8 * HOUR));
}

static void accept_by_the_department_holding_it(void **state)
{
	struct fx *f = *state;
	int64_t id = dispatched(f);
	struct svc_action_in in = fx_in(CASE_A_ACCEPT, NULL);
	assert_int_equal(fx_act(f, &f->sz, id, &in, NULL), GG_EFORBIDDEN);
	struct store_case c;
	assert_int_equal(fx_act(f, &f->hw, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_ACCEPTED);
}

static void return_to_the_center_with_a_reason(void **state)
{
	struct fx *f = *state;
	int64_t id = dispatched(f);
	struct svc_action_in in = fx_in(CASE_A_RETURN, NULL);
	assert_int_equal(fx_act(f, &f->hw, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "note");
	in.note = "不属本单位职责";
	struct store_case c;
	assert_int_equal(fx_act(f, &f->hw, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_FILED);
	assert_string_equal(c.department, "");
	assert_int_equal(c.returns, 1);
}

static void handle_then_verify(void **state)
{
	struct fx *f = *state;
	int64_t id = accepted(f);
	struct svc_action_in in = fx_in(CASE_A_VERIFY, NULL);
	assert_int_equal(fx_act(f, &f->worker, id, &in, NULL), GG_ESTATE);
	in = fx_in(CASE_A_HANDLE, NULL);
	assert_int_equal(fx_act(f, &f->sz, id, &in, NULL), GG_EFORBIDDEN);
	struct store_case c;
	assert_int_equal(fx_act(f, &f->hw, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_HANDLED);
	assert_true(c.handled_on_time);
	in = fx_in(CASE_A_VERIFY, NULL);
	assert_int_equal(fx_act(f, &f->hw, id, &in, NULL), GG_EFORBIDDEN);
	assert_int_equal(fx_act(f, &f->worker, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_VERIFIED);
}

static void rework_goes_back_to_the_department(void **state)
{
	struct fx *f = *state;
	int64_t id = handled(f);
	struct svc_action_in in = fx_in(CASE_A_REWORK, NULL);
	assert_int_equal(fx_act(f, &f->worker, id, &in, NULL), GG_EFIELD);
	in.note = "没扫干净";
	struct store_case c;
	assert_int_equal(fx_act(f, &f->worker, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_DISPATCHED);
	assert_int_equal(c.reworks, 1);
}

static void close_by_the_center(void **state)
{
	struct fx *f = *state;
	int64_t id = handled(f);
	struct svc_action_in in = fx_in(CASE_A_VERIFY, NULL);
	assert_int_equal(fx_act(f, &f->worker, id, &in, NULL), GG_OK);
	in = fx_in(CASE_A_CLOSE, NULL);
	assert_int_equal(fx_act(f, &f->hw, id, &in, NULL), GG_EFORBIDDEN);
	struct store_case c;
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_CLOSED);
	assert_true(c.closed_on_time);
	assert_int_equal(c.deadline, 0);
}

static void evaluate_unsatisfied_reopens_once(void **state)
{
	struct fx *f = *state;
	int64_t id = closed(f);
	struct svc_action_in in = fx_in(CASE_A_EVALUATE, NULL);
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_EFIELD);
	in.rating = CASE_RATING_UNSATISFIED;
	in.has_rating = 1;
	struct store_case c;
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_DISPATCHED);
	assert_int_equal(c.reopened, 1);
	assert_string_equal(c.rating, "unsatisfied");
	assert_true(c.deadline > f->now);
	id = closed(f);
	in.rating = CASE_RATING_SATISFIED;
	assert_int_equal(fx_act(f, &f->operator, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_EVALUATED);
}

static void escalate_moves_the_level_up(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = fx_in(CASE_A_ESCALATE, "网格处理不了");
	assert_int_equal(fx_act(f, &f->operator, id, &in, NULL), GG_EFORBIDDEN);
	struct store_case c;
	assert_int_equal(fx_act(f, &f->worker, id, &in, &c), GG_OK);
	assert_int_equal(c.level, GRID_COMMUNITY);
	assert_int_equal(c.state, CASE_REPORTED);
}

static void extend_and_approve(void **state)
{
	struct fx *f = *state;
	int64_t id = accepted(f);
	struct svc_action_in in = fx_in(CASE_A_APPROVE_EXTENSION, NULL);
	assert_int_equal(fx_act(f, &f->leader, id, &in, NULL), GG_ESTATE); /* none waits */
	in = fx_in(CASE_A_EXTEND, "材料未到");
	assert_int_equal(fx_act(f, &f->hw, id, &in, NULL), GG_EMISSING);
	assert_string_equal(f->err.field, "hours");
	in.hours = 800;
	assert_int_equal(fx_act(f, &f->hw, id, &in, NULL), GG_EFIELD);
	in.hours = 8;
	struct store_case c;
	assert_int_equal(fx_act(f, &f->hw, id, &in, &c), GG_OK);
	assert_true(c.ext_pending);
	int64_t before = c.deadline;
	in = fx_in(CASE_A_APPROVE_EXTENSION, NULL);
	assert_int_equal(fx_act(f, &f->leader, id, &in, &c), GG_OK);
	assert_false(c.ext_pending);
	assert_true(c.extended);
	assert_int_equal(c.deadline, cal_add(&f->cal, before, 8 * HOUR));
}

static void suspend_needs_a_reason(void **state)
{
	struct fx *f = *state;
	int64_t id = dispatched(f);
	struct svc_action_in in = fx_in(CASE_A_SUSPEND, NULL);
	assert_int_equal(fx_act(f, &f->leader, id, &in, NULL), GG_EFIELD);
	in.note = "等待拆迁";
	struct store_case c;
	assert_int_equal(fx_act(f, &f->leader, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_SUSPENDED);
	assert_int_equal(c.deadline, 0);
}

static void self_close_needs_before_and_after_photos(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	const char *shas[2] = {"1111111111111111111111111111111111111111111111111111111111111111",
			       "2222222222222222222222222222222222222222222222222222222222222222"};
	for (int i = 0; i < 2; i++) {
		struct store_media m = {.kind = "jpeg", .bytes = 10, .uploader = f->worker.user_id};
		snprintf(m.sha256, sizeof(m.sha256), "%s", shas[i]);
		assert_int_equal(store_media_put(f->db, &m, &f->err), GG_OK);
	}
	struct svc_action_in in = fx_in(CASE_A_SELF_CLOSE, NULL);
	in.attachments = shas;
	in.nattachments = 1;
	assert_int_equal(fx_act(f, &f->worker, id, &in, NULL), GG_EFIELD);
	in.nattachments = 2;
	assert_int_equal(fx_act(f, &f->sz, id, &in, NULL), GG_EFORBIDDEN);
	struct store_case c;
	assert_int_equal(fx_act(f, &f->worker, id, &in, &c), GG_OK);
	assert_int_equal(c.state, CASE_CLOSED);
	struct store_case_entry *e;
	size_t n;
	assert_int_equal(store_case_log_list(f->db, id, f->a, &e, &n, &f->err), GG_OK);
	assert_non_null(strstr(e[n - 1].attachments, shas[1]));
}

static void whistle_report_and_rate(void **state)
{
	struct fx *f = *state;
	int64_t id = dispatched(f);
	const char *depts[] = {"SZ", "CGZF"};
	struct svc_action_in in = fx_in(CASE_A_WHISTLE, NULL);
	in.type = "party";
	in.deadline = f->now + 2 * HOUR;
	in.departments = depts;
	in.ndepartments = 2;
	assert_int_equal(fx_act(f, &f->other, id, &in, NULL), GG_EFORBIDDEN); /* not its street */
	assert_int_equal(fx_act(f, &f->street, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "type");
	in.type = "assembly";
	in.deadline = -1;
	assert_int_equal(fx_act(f, &f->street, id, &in, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "deadline");
	in.deadline = f->now + 2 * HOUR;
	assert_int_equal(fx_act(f, &f->street, id, &in, NULL), GG_OK);

	struct svc_action_in rep = fx_in(CASE_A_REPORT, NULL);
	assert_int_equal(fx_act(f, &f->hw, id, &rep, NULL), GG_EFORBIDDEN); /* not summoned */
	assert_int_equal(fx_act(f, &f->sz, id, &rep, NULL), GG_OK);
	struct svc s = fx_svc(f, &f->sz);
	struct store_case c = fx_get(f, id);
	assert_true(svc_case_visible(&s, &c, &f->err)); /* summoned: it sees the case */

	struct svc_action_in rate = fx_in(CASE_A_RATE_DEPARTMENT, NULL);
	rate.department = "SZ";
	rate.has_rating = 1;
	rate.rating = CASE_RATING_NONE;
	assert_int_equal(fx_act(f, &f->street, id, &rate, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "rating");
	rate.rating = CASE_RATING_SATISFIED;
	rate.department = "CGZF"; /* has not reported */
	assert_int_equal(fx_act(f, &f->street, id, &rate, NULL), GG_EFIELD);
	assert_string_equal(f->err.field, "department");
	rate.department = "SZ";
	assert_int_equal(fx_act(f, &f->street, id, &rate, NULL), GG_OK);
	struct store_whistle_dept *w;
	size_t n;
	assert_int_equal(store_whistle_depts(f->db, id, f->a, &w, &n, &f->err), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(w[1].department, "SZ");
	assert_string_equal(w[1].rating, "satisfied");
	assert_int_equal(w[1].reported_at, f->now);
}

static void unknown_actions_and_hidden_cases_are_refused(void **state)
{
	struct fx *f = *state;
	int64_t id = fx_case(f, NULL);
	struct svc_action_in in = {.action = CASE_ACTION_COUNT, .name = "dance"};
	struct svc s = fx_svc(f, &f->operator);
	struct store_case c;
	struct svc_act_out out;
	assert_int_equal(svc_case_act(&s, id, &in, &c, &out, &f->err), GG_EFIELD);
	assert_true(out.refused);
	assert_string_equal(f->err.msg, "dance: unknown action");
	in = fx_in(CASE_A_FILE, NULL);
	assert_int_equal(fx_act(f, &f->other, id, &in, NULL), GG_EFORBIDDEN);
	char want[64];
	snprintf(want, sizeof(want), "case %lld is outside your scope", (long long)id);
	assert_string_equal(f->err.msg, want);
	assert_int_equal(fx_act(f, &f->operator, 999999, &in, NULL), GG_ENOTFOUND);
}

static void the_pure_step_needs_no_store(void **state)
{
	struct fx *f = *state;
	struct svc s = {.who = &f->operator, .now = f->now, .cal = &f->cal, .policy = &f->policy};
	struct store_category cat = {.limit_general_h = 4, .verify_min = 60};
	struct store_case c = {.state = CASE_REPORTED, .deadline = f->now + HOUR};
	snprintf(c.grid, sizeof(c.grid), "%s", GRID);
	snprintf(c.proposed_dept, sizeof(c.proposed_dept), "HW");
	struct case_ctx x = {.role = ROLE_OPERATOR, .in_scope = 1};
	struct svc_action_in in = fx_in(CASE_A_FILE, NULL);
	assert_int_equal(svc_case_step(&s, &c, &cat, &x, &in, &f->err), GG_OK);
	assert_int_equal(c.state, CASE_FILED);
	in = fx_in(CASE_A_DISPATCH, NULL);
	assert_int_equal(svc_case_step(&s, &c, &cat, &x, &in, &f->err), GG_OK);
	assert_string_equal(c.department, "HW");
	assert_int_equal(c.deadline, cal_add(&f->cal, f->now, 4 * HOUR));
	assert_int_equal(svc_case_due_at(&s, &c), c.deadline + 1);
	in = fx_in(CASE_A_CLOSE, NULL);
	assert_int_equal(svc_case_step(&s, &c, &cat, &x, &in, &f->err), GG_ESTATE);
	assert_int_equal(c.state, CASE_DISPATCHED); /* refused: unchanged */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(create_routes_and_starts_the_filing_deadline, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(create_refuses_bad_fields, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(file_by_the_center_not_by_a_worker, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(file_and_dispatch_correct_the_category, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(reject_needs_a_reason, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(merge_into_an_open_case_of_the_same_category, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(dispatch_to_a_known_department, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(accept_by_the_department_holding_it, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(return_to_the_center_with_a_reason, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(handle_then_verify, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(rework_goes_back_to_the_department, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(close_by_the_center, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(evaluate_unsatisfied_reopens_once, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(escalate_moves_the_level_up, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(extend_and_approve, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(suspend_needs_a_reason, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(self_close_needs_before_and_after_photos, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(whistle_report_and_rate, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(unknown_actions_and_hidden_cases_are_refused, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(the_pure_step_needs_no_store, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
