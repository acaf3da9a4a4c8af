/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assessment 考核 over a real store, on both backends: the counts behind each kind of
 * ranking on a fixture of three cases with their trail and 督办 rounds (hand-counted),
 * scheme versions (a new version never changes a past period), closing a period (a
 * frozen snapshot chained by hash, unchanged by later corrections) and appeals decided
 * once.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "gridgov/assess_run.h"
#include "gridgov/clock.h"
#include "gridgov/store_assess.h"

#define T0   1796745600	       /* 2026-12-09T00:00:00+08:00 */
#define JAN2 (T0 + 24 * 86400) /* 2027-01-02 */

struct fx {
	char path[64];
	struct store *s;
	int64_t worker, op;
	int64_t case_id[3];
};

static const char *const nodes[] = {"510105", "510105001", "510105002", "510105001001",
				    "510105001001001"};

static int64_t user(struct store *s, const char *name, enum role role, const char *scope)
{
	struct store_user u = {.active = 1};
	u.who.role = role;
	snprintf(u.who.name, sizeof(u.who.name), "%s", name);
	snprintf(u.who.scope, sizeof(u.who.scope), "%s", scope);
	snprintf(u.pwhash, sizeof(u.pwhash), "x");
	int64_t id = 0;
	assert_int_equal(store_user_insert(s, &u, &id, NULL), GG_OK);
	return id;
}

static void base_case(struct store_case *c, const char *grid, const char *chan, int64_t reporter)
{
	memset(c, 0, sizeof(*c));
	snprintf(c->grid, sizeof(c->grid), "%s", grid);
	c->level = grid_level_of_code(grid);
	if (strlen(grid) >= 12)
		snprintf(c->community, sizeof(c->community), "%.12s", grid);
	snprintf(c->street, sizeof(c->street), "%.9s", grid);
	snprintf(c->category, sizeof(c->category), "E0102");
	snprintf(c->description, sizeof(c->description), "test");
	snprintf(c->channel, sizeof(c->channel), "%s", chan);
	c->reporter_id = reporter;
	c->created_at = c->updated_at = c->stage_started = T0 + 3600;
}

static void log_entry(struct store *s, int64_t case_id, const char *action, int64_t actor,
		      int64_t at)
{
	struct store_case_entry e = {.case_id = case_id, .actor_id = actor, .at = at};
	snprintf(e.action, sizeof(e.action), "%s", action);
	snprintf(e.actor, sizeof(e.actor), "u%lld", (long long)actor);
	snprintf(e.role, sizeof(e.role), "x");
	snprintf(e.from_state, sizeof(e.from_state), "a");
	snprintf(e.to_state, sizeof(e.to_state), "b");
	e.note = (char *)"";
	e.attachments = (char *)"[]";
	assert_int_equal(store_case_log_append(s, &e, NULL), GG_OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("assess", f->path, &f->s))
		return -1;
	struct store *s = f->s;
	struct err err = ERR_INIT;
	if (store_begin(s, STORE_WRITE, &err))
		return -1;
	for (size_t i = 0; i < sizeof(nodes) / sizeof(nodes[0]); i++) {
		struct grid_node g = {.level = grid_level_of_code(nodes[i])};
		snprintf(g.code, sizeof(g.code), "%s", nodes[i]);
		snprintf(g.name, sizeof(g.name), "node %zu", i);
		if (grid_code_parent(nodes[i], g.parent) || store_grid_put(s, &g, NULL))
			return -1;
	}
	struct store_category cat = fx_category;
	if (store_category_put(s, &cat, NULL))
		return -1;
	f->worker = user(s, "w1", ROLE_GRID_WORKER, "510105001001001");
	f->op = user(s, "op", ROLE_OPERATOR, "510105");
	int64_t h = T0 + 7200;
	struct store_case c;
	/* c1: the worker's report in their grid, filed on time, handled on time, closed,
	 * rated satisfied */
	base_case(&c, "510105001001001", "worker", f->worker);
	c.state = CASE_EVALUATED;
	snprintf(c.department, sizeof(c.department), "HW");
	c.filed_at = T0 + 3700;
	c.filed_on_time = 1;
	c.dispatches = 1;
	c.handled_at = h;
	c.handled_on_time = 1;
	c.closed_at = h + 3600;
	c.closed_on_time = 1;
	snprintf(c.rating, sizeof(c.rating), "satisfied");
	assert_int_equal(store_case_insert(s, &c, &err), GG_OK);
	f->case_id[0] = c.id;
	/* c2: a hotline case in the worker's grid (漏报), filed late, returned once, handled
	 * late, reworked */
	base_case(&c, "510105001001001", "hotline", 0);
	c.state = CASE_HANDLED;
	snprintf(c.department, sizeof(c.department), "HW");
	c.filed_at = T0 + 3700;
	c.dispatches = 2;
	c.returns = 1;
	c.handled_at = h;
	c.reworks = 1;
	assert_int_equal(store_case_insert(s, &c, &err), GG_OK);
	f->case_id[1] = c.id;
	/* c3: the worker's report on another street, rejected */
	base_case(&c, "510105002", "worker", f->worker);
	c.state = CASE_REJECTED;
	assert_int_equal(store_case_insert(s, &c, &err), GG_OK);
	f->case_id[2] = c.id;
	/* the trail: 立案 and 派遣 by the operator, 核查 by the worker (one within 60 min of
	 * the handling, one after 2 h) */
	for (int i = 0; i < 2; i++) {
		log_entry(s, f->case_id[i], "file", f->op, T0 + 3700);
		log_entry(s, f->case_id[i], "dispatch", f->op, T0 + 3800);
	}
	log_entry(s, f->case_id[0], "verify", f->worker, h + 1800);
	log_entry(s, f->case_id[1], "verify", f->worker, h + 7200);
	/* 督办: 2 points against HW, 1 against the grid */
	struct store_supervision v = {
	    .case_id = f->case_id[1], .round = 1, .level = 3, .points = 2, .opened_at = h + 100};
	snprintf(v.stage, sizeof(v.stage), "处置");
	snprintf(v.supervisor, sizeof(v.supervisor), "510105001001");
	snprintf(v.target_kind, sizeof(v.target_kind), "department");
	snprintf(v.target, sizeof(v.target), "HW");
	assert_int_equal(store_supervision_insert(s, &v, &err), GG_OK);
	v.points = 1;
	snprintf(v.target_kind, sizeof(v.target_kind), "grid");
	snprintf(v.target, sizeof(v.target), "510105001001001");
	assert_int_equal(store_supervision_insert(s, &v, &err), GG_OK);
	if (store_commit(s, &err))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fx_db_remove(f->path, f->s);
	free(f);
	return 0;
}

static const struct assess_subject *find(const struct assess_result *r, const char *id)
{
	for (size_t i = 0; i < r->n; i++)
		if (!strcmp(r->v[i].id, id))
			return &r->v[i];
	fail_msg("no subject %s", id);
	return NULL;
}

static void run(struct fx *f, enum assess_kind k, const char *under, struct arena *a,
		struct assess_result *r)
{
	struct err err = ERR_INIT;
	struct assess_query q = {
	    .kind = k, .period = ASSESS_MONTH, .at_day = clock_local_day(T0), .under = under};
	assert_int_equal(store_begin(f->s, STORE_READ, &err), GG_OK);
	int rc = assess_run(f->s, &q, a, r, &err);
	store_rollback(f->s);
	if (rc)
		fail_msg("assess_run: %s", err.msg);
}

static void counts_of_every_kind(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct assess_result r;

	run(f, ASSESS_DEPARTMENT, "", a, &r);
	const struct assess_subject *hw = find(&r, "HW");
	assert_int_equal(hw->c[AC_HANDLED], 2);
	assert_int_equal(hw->c[AC_HANDLED_ON_TIME], 1);
	assert_int_equal(hw->c[AC_REWORKED], 1);
	assert_int_equal(hw->c[AC_DISPATCHED], 2);
	assert_int_equal(hw->c[AC_RATED], 1);
	assert_int_equal(hw->c[AC_POINTS], 2);
	/* 40×0.5 + 20×0.5 + 15×1 + 25×1 = 70, − 2 points; 2 dispatched < 10: not ranked */
	assert_float_equal(hw->score, 68, 1e-9);
	assert_true(hw->small);
	assert_int_equal(hw->rank, 0);
	assert_int_equal(r.scheme.version, 0);

	run(f, ASSESS_REGION, "510105", a, &r);
	assert_int_equal(r.n, 2);
	const struct assess_subject *s1 = find(&r, "510105001"), *s2 = find(&r, "510105002");
	assert_int_equal(s1->c[AC_REPORTED], 2);
	assert_int_equal(s1->c[AC_FILED], 2);
	assert_int_equal(s1->c[AC_CLOSED], 1);
	assert_int_equal(s1->c[AC_WORKER_REPORTED], 1);
	assert_int_equal(s1->c[AC_POINTS], 1);
	assert_int_equal(s2->c[AC_REPORTED], 1);
	assert_int_equal(s2->c[AC_FILED], 0);
	assert_int_equal(s2->c[AC_WORKER_REPORTED], 1);

	run(f, ASSESS_WORKER, "", a, &r);
	assert_int_equal(r.n, 1);
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)f->worker);
	const struct assess_subject *w = find(&r, id);
	assert_int_equal(w->c[AC_OWN_REPORTED], 2);
	assert_int_equal(w->c[AC_OWN_EFFECTIVE], 1);
	assert_int_equal(w->c[AC_VERIFIED], 2);
	assert_int_equal(w->c[AC_VERIFIED_ON_TIME], 1);
	assert_int_equal(w->c[AC_GRID_REPORTED], 2);
	assert_int_equal(w->c[AC_GRID_MISSED], 1);
	/* (40×0.5 + 20×0.5 + 20×0.5 + 10×0) / 90 of weight = 44.44 (no corrections at all) */
	assert_float_equal(w->score, 44.44, 1e-9);

	run(f, ASSESS_OPERATOR, "510105001", a, &r);
	snprintf(id, sizeof(id), "%lld", (long long)f->op);
	const struct assess_subject *o = find(&r, id);
	assert_int_equal(o->c[AC_FILED_BY], 2);
	assert_int_equal(o->c[AC_FILED_BY_ON_TIME], 1);
	assert_int_equal(o->c[AC_DISPATCHED_BY], 2);
	assert_int_equal(o->c[AC_DISPATCHED_BY_ACCURATE], 1);

	/* scope: nothing of street 510105002's cases is counted under 510105001 */
	run(f, ASSESS_WORKER, "510105001", a, &r);
	snprintf(id, sizeof(id), "%lld", (long long)f->worker);
	assert_int_equal(find(&r, id)->c[AC_OWN_REPORTED], 1);
	arena_free(a);
}

static void versions_never_change_a_past_period(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct err err = ERR_INIT;
	struct assess_scheme s, got;
	int64_t dec9 = clock_local_day(T0), jan1 = dec9 + 23;
	assert_int_equal(store_begin(f->s, STORE_WRITE, &err), GG_OK);
	assess_scheme_default(ASSESS_DEPARTMENT, &s);
	s.ind[0].weight = 50;
	s.ind[3].weight = 15;
	s.valid_from = dec9 - 1; /* a past day: refused */
	assert_int_equal(assess_scheme_save(f->s, &s, dec9, "admin", T0, &err), GG_EFIELD);
	s.valid_from = jan1;
	s.ind[3].weight = 14; /* 99 %: refused */
	assert_int_equal(assess_scheme_save(f->s, &s, dec9, "admin", T0, &err), GG_EFIELD);
	s.ind[3].weight = 15;
	assert_int_equal(assess_scheme_save(f->s, &s, dec9, "admin", T0, &err), GG_OK);
	assert_int_equal(s.version, 1);
	assert_int_equal(store_commit(f->s, &err), GG_OK);

	assert_int_equal(store_begin(f->s, STORE_READ, &err), GG_OK);
	assert_int_equal(assess_scheme_at(f->s, ASSESS_DEPARTMENT, dec9, a, &got, &err), GG_OK);
	assert_int_equal(got.version, 0); /* December keeps the default */
	assert_float_equal(got.ind[0].weight, 40, 1e-9);
	assert_int_equal(assess_scheme_at(f->s, ASSESS_DEPARTMENT, jan1 + 5, a, &got, &err), GG_OK);
	assert_int_equal(got.version, 1);
	assert_float_equal(got.ind[0].weight, 50, 1e-9);
	store_rollback(f->s);

	struct assess_result r;
	run(f, ASSESS_DEPARTMENT, "", a, &r);
	assert_int_equal(r.scheme.version, 0);
	assert_float_equal(find(&r, "HW")->score, 68, 1e-9);
	arena_free(a);
}

static void close_freezes_and_appeals_are_decided_once(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct err err = ERR_INIT;
	struct assess_query q = {.kind = ASSESS_DEPARTMENT,
				 .period = ASSESS_MONTH,
				 .at_day = clock_local_day(T0),
				 .under = ""};
	struct store_assess_snapshot v, w, got;
	assert_int_equal(store_begin(f->s, STORE_WRITE, &err), GG_OK);
	/* December has not ended on 9 December */
	assert_int_equal(assess_close(f->s, &q, "leader", T0, a, &v, &err), GG_ESTATE);
	assert_int_equal(assess_close(f->s, &q, "leader", JAN2, a, &v, &err), GG_OK);
	char zeros[65];
	memset(zeros, '0', 64);
	zeros[64] = 0;
	assert_string_equal(v.prev_hash, zeros);
	assert_int_equal(assess_close(f->s, &q, "leader", JAN2, a, &w, &err), GG_ECONFLICT);
	q.kind = ASSESS_REGION;
	q.under = "510105";
	if (assess_close(f->s, &q, "leader", JAN2, a, &w, &err))
		fail_msg("close: %s", err.msg);
	assert_string_equal(w.prev_hash, v.hash); /* chained */
	char buf[65], *cat = arena_alloc(a, 64 + strlen(w.body));
	memcpy(cat, w.prev_hash, 64);
	memcpy(cat + 64, w.body, strlen(w.body));
	assess_digest(cat, 64 + strlen(w.body), buf);
	assert_string_equal(buf, w.hash);

	/* a later correction to a case changes the live figures, not the snapshot */
	struct store_case c;
	assert_int_equal(store_case_get(f->s, f->case_id[1], &c, &err), GG_OK);
	struct store_case old = c;
	c.handled_on_time = 1;
	assert_int_equal(store_case_update_from(f->s, &old, &c, &err), GG_OK);
	assert_int_equal(store_assess_snapshot_get(f->s, "department", "month", "",
						   clock_local_day(T0) - 8, a, &got, &err),
			 GG_OK);
	assert_string_equal(got.hash, v.hash);
	assert_string_equal(got.body, v.body);
	assert_int_equal(got.scheme_version, 0);

	struct store_assess_appeal ap = {.snapshot_id = v.id, .by_user = 9, .at = JAN2};
	snprintf(ap.subject, sizeof(ap.subject), "HW");
	snprintf(ap.reason, sizeof(ap.reason), "the rework was the weather's");
	snprintf(ap.by_name, sizeof(ap.by_name), "hw");
	assert_int_equal(store_assess_appeal_put(f->s, &ap, &err), GG_OK);
	assert_int_equal(
	    store_assess_appeal_decide(f->s, ap.id, "upheld", "leader", "agreed", JAN2 + 60, &err),
	    GG_OK);
	assert_int_equal(
	    store_assess_appeal_decide(f->s, ap.id, "rejected", "leader", "", JAN2, &err),
	    GG_ESTATE);
	struct store_assess_appeal *list;
	size_t n;
	assert_int_equal(store_assess_appeals(f->s, v.id, a, &list, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(list[0].state, "upheld");
	assert_string_equal(list[0].decided_by, "leader");
	assert_int_equal(store_commit(f->s, &err), GG_OK);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(counts_of_every_kind, setup, teardown),
	    cmocka_unit_test_setup_teardown(versions_never_change_a_past_period, setup, teardown),
	    cmocka_unit_test_setup_teardown(close_freezes_and_appeals_are_decided_once, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
