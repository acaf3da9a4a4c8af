/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The domain layer's tests share this world: a migrated temporary database with a
 * district › street › community › grid, one category handled by sanitation (HW), the
 * people who act on cases, and a struct svc to act as any of them at a chosen time.
 */
#ifndef GRIDGOV_TEST_FX_SVC_H
#define GRIDGOV_TEST_FX_SVC_H

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "gridgov/clock.h"
#include "gridgov/store_case.h"
#include "gridgov/svc.h"

#define DISTRICT  "510105"
#define STREET	  "510105001"
#define COMMUNITY "510105001001"
#define GRID	  "510105001001001"
#define OTHER	  "510105002" /* another street */

struct fx {
	char path[FX_PATH_MAX];
	struct store *db;
	struct arena *a;
	struct cal cal;
	struct sla_policy policy;
	struct principal operator, worker, street, leader, hw, sz, other;
	int64_t now;
	struct err err;
};

static inline void fx_who(struct principal *p, int64_t id, enum role role, const char *name,
			  const char *scope, const char *dept)
{
	memset(p, 0, sizeof(*p));
	p->user_id = id;
	p->role = role;
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->scope, sizeof(p->scope), "%s", scope);
	snprintf(p->dept, sizeof(p->dept), "%s", dept);
}

static inline int fx_setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("svc", f->path, &f->db))
		return -1;
	const struct grid_node g[] = {
	    {.code = DISTRICT, .name = "青羊区", .level = GRID_DISTRICT},
	    {.code = STREET, .name = "少城街道", .parent = DISTRICT, .level = GRID_STREET},
	    {.code = OTHER, .name = "草市街道", .parent = DISTRICT, .level = GRID_STREET},
	    {.code = COMMUNITY, .name = "东胜街社区", .parent = STREET, .level = GRID_COMMUNITY},
	    {.code = GRID, .name = "第一网格", .parent = COMMUNITY, .level = GRID_GRID},
	};
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (store_grid_put(f->db, &g[i], NULL))
			return -1;
	struct store_category c = fx_category;
	if (store_category_put(f->db, &c, NULL))
		return -1;
	strcpy(c.code, "E0103");
	strcpy(c.minor_code, "E0103");
	if (store_category_put(f->db, &c, NULL))
		return -1;
	cal_init(&f->cal);
	sla_policy_default(&f->policy);
	f->policy.grace = cal_day_secs(&f->cal);
	fx_who(&f->operator, 1, ROLE_OPERATOR, "坐席", "", "");
	fx_who(&f->worker, 2, ROLE_GRID_WORKER, "网格员", GRID, "");
	fx_who(&f->street, 3, ROLE_STREET, "街道", STREET, "");
	fx_who(&f->leader, 4, ROLE_LEADER, "领导", "", "");
	fx_who(&f->hw, 5, ROLE_DEPARTMENT, "环卫", "", "HW");
	fx_who(&f->sz, 6, ROLE_DEPARTMENT, "市政", "", "SZ");
	fx_who(&f->other, 7, ROLE_STREET, "草市", OTHER, "");
	/* as users, so photos they upload have an owner */
	struct principal *all[] = {
	    &f->operator, & f->worker, &f->street, &f->leader, &f->hw, &f->sz, &f->other};
	for (size_t i = 0; i < sizeof(all) / sizeof(all[0]); i++) {
		struct store_user u = {.who = *all[i], .active = 1};
		snprintf(u.pwhash, sizeof(u.pwhash), "x");
		snprintf(u.who.name, sizeof(u.who.name), "user%zu", i);
		if (store_user_insert(f->db, &u, &all[i]->user_id, NULL))
			return -1;
	}
	/* a Monday, 10:00 China time: inside working hours */
	if (clock_parse("2026-03-02T10:00:00+08:00", &f->now))
		return -1;
	f->a = arena_new();
	*state = f;
	return 0;
}

static inline int fx_teardown(void **state)
{
	struct fx *f = *state;
	arena_free(f->a);
	fx_db_remove(f->path, f->db);
	free(f);
	return 0;
}

/* A struct svc acting as who at the fixture's time. */
static inline struct svc fx_svc(struct fx *f, const struct principal *who)
{
	err_clear(&f->err);
	return (struct svc){.db = f->db,
			    .who = who,
			    .now = f->now,
			    .a = f->a,
			    .cal = &f->cal,
			    .policy = &f->policy};
}

/* A new case in GRID reported by the grid worker; its id. */
static inline int64_t fx_case(struct fx *f, const char *category)
{
	struct svc s = fx_svc(f, &f->worker);
	struct svc_case_in in = {.category = category ? category : "E0102",
				 .description = "垃圾堆",
				 .channel = "app",
				 .grid = GRID};
	struct store_case *c;
	assert_int_equal(svc_case_new(&s, &in, &c, &f->err), GG_OK);
	return c->id;
}

/* Run one action as who; the case as written (or loaded) into *c when c is not NULL. */
static inline int fx_act(struct fx *f, const struct principal *who, int64_t id,
			 const struct svc_action_in *in, struct store_case *c)
{
	struct svc s = fx_svc(f, who);
	struct store_case tmp;
	struct svc_act_out out;
	int rc = store_savepoint(f->db, &f->err);
	assert_int_equal(rc, GG_OK);
	rc = svc_case_act(&s, id, in, c ? c : &tmp, &out, &f->err);
	if (rc == GG_OK)
		assert_int_equal(store_savepoint_release(f->db, &f->err), GG_OK);
	else
		store_savepoint_rollback(f->db);
	return rc;
}

static inline struct svc_action_in fx_in(enum case_action a, const char *note)
{
	return (struct svc_action_in){.action = a, .note = note};
}

static inline struct store_case fx_get(struct fx *f, int64_t id)
{
	struct store_case c;
	assert_int_equal(store_case_get(f->db, id, &c, &f->err), GG_OK);
	return c;
}

#endif
