/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Reads of cases cost what they return: every statement the case list and the case
 * detail run is looked at with EXPLAIN QUERY PLAN, and none may scan a table (only
 * SEARCH by an index), nor may a list page sort (its order comes from the index). The
 * statements are taken from the connection itself after the calls (sqlite3_next_stmt),
 * so a new query on these paths without an index fails here. Also the paging contract
 * of store_case_page: `after`, `next`, the scan bound and the count bound.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fixture.h"
#include "gridgov/store_case.h"
#include "gridgov/store_intake.h"
#include "store/sqlite/sq_int.h"

#define GRID   "510105002002001"
#define MICRO  "510105002002001001"
#define NCASES 30

struct fx {
	char path[64];
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("case_plan", f->path, &f->s))
		return -1;
	struct grid_node g[] = {
	    {.code = "510105", .name = "青羊区", .level = GRID_DISTRICT},
	    {.code = "510105002", .name = "草市街", .level = GRID_STREET, .parent = "510105"},
	    {.code = "510105002002",
	     .name = "社区",
	     .level = GRID_COMMUNITY,
	     .parent = "510105002"},
	    {.code = GRID, .name = "网格", .level = GRID_GRID, .parent = "510105002002"},
	    {.code = MICRO, .name = "微网格", .level = GRID_MICRO, .parent = GRID},
	    {.code = "510106", .name = "金牛区", .level = GRID_DISTRICT},
	};
	struct store_category c = fx_category;
	for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++)
		if (store_grid_put(f->s, &g[i], NULL))
			return -1;
	if (store_category_put(f->s, &c, NULL))
		return -1;
	/* cases 1..30: even ones filed with deadline 100 + id, odd ones closed */
	for (int i = 1; i <= NCASES; i++) {
		struct store_case k = {.category = "E0102",
				       .description = "d",
				       .grid = MICRO,
				       .community = "510105002002",
				       .street = "510105002",
				       .level = GRID_MICRO,
				       .state = i % 2 ? CASE_CLOSED : CASE_FILED,
				       .department = "HW",
				       .created_at = i,
				       .updated_at = i,
				       .stage_started = i,
				       .deadline = i % 2 ? 0 : 100 + i};
		snprintf(k.channel, sizeof(k.channel), "%s", i % 3 ? "app" : "hotline");
		if (store_case_insert(f->s, &k, NULL))
			return -1;
	}
	/* one case in another district, so that a district's scope is a condition */
	struct store_case k = {.category = "E0102",
			       .description = "d",
			       .channel = "app",
			       .grid = "510106",
			       .level = GRID_DISTRICT,
			       .state = CASE_CLOSED,
			       .department = "SZ"};
	if (store_case_insert(f->s, &k, NULL))
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

/* The plan of sql, one line per step, into out. */
static void plan_of(sqlite3 *db, const char *sql, char *out, size_t size)
{
	char q[8192];
	snprintf(q, sizeof(q), "EXPLAIN QUERY PLAN %s", sql);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(db, q, -1, &st, NULL), SQLITE_OK);
	size_t len = 0;
	out[0] = 0;
	while (sqlite3_step(st) == SQLITE_ROW && len < size)
		len += (size_t)snprintf(out + len, size - len, "%s\n",
					(const char *)sqlite3_column_text(st, 3));
	sqlite3_finalize(st);
}

/*
 * Every SELECT prepared on the connection: no SCAN of a table, and no sort in a list
 * page (except a subtree's micro-grids or open cases, a few rows), and a tally
 * (a total counted from an index alone) must not read the cases; returns how many distinct
 * list statements (with INDEXED BY or NOT INDEXED) were seen.
 */
static int check_plans(struct store *s)
{
	sqlite3 *db = sq_of(s)->db;
	const char *seen[64];
	int lists = 0;
	for (sqlite3_stmt *st = sqlite3_next_stmt(db, NULL); st; st = sqlite3_next_stmt(db, st)) {
		const char *sql = sqlite3_sql(st);
		if (strncmp(sql, "SELECT", 6))
			continue;
		char plan[4096];
		plan_of(db, sql, plan, sizeof(plan));
		if (strstr(plan, "SCAN "))
			fail_msg("a scan on a request path:\n%s\nin: %s", plan, sql);
		if (!strstr(sql, "INDEXED BY") && !strstr(sql, "NOT INDEXED"))
			continue;
		if (strstr(sql, "ORDER BY id DESC") && !strstr(sql, "INDEXED BY gcase_by_grid ") &&
		    !strstr(sql, "INDEXED BY gcase_open_by_grid ") && strstr(plan, "TEMP B-TREE"))
			fail_msg("a list page that sorts:\n%s\nin: %s", plan, sql);
		/* a tally counts from the index alone */
		if (!strncmp(sql, "SELECT 1, ", 10) && !strstr(plan, "COVERING INDEX") &&
		    !strstr(plan, "INTEGER PRIMARY KEY"))
			fail_msg("a tally that reads cases:\n%s\nin: %s", plan, sql);
		int dup = 0;
		for (int i = 0; i < lists && !dup; i++)
			dup = !strcmp(seen[i], sql);
		if (!dup && lists < 64)
			seen[lists++] = sql;
	}
	return lists;
}

static void page(struct store *s, struct store_case_filter f)
{
	struct arena *a = arena_new();
	struct store_case *v;
	size_t n;
	struct store_case_page pg;
	struct err err = ERR_INIT;
	f.limit = f.limit ? f.limit : 5;
	f.count_max = 100;
	assert_int_equal(store_case_page(s, &f, a, &v, &n, &pg, &err), GG_OK);
	arena_free(a);
}

static int keep_even(int64_t start, int64_t deadline, void *arg)
{
	(void)deadline;
	(void)arg;
	return start % 4 == 0;
}

static void list_and_detail_use_indexes(void **state)
{
	struct fx *f = *state;
	/*
	 * One filter per driving index of the list (src/store/sqlite/case.c), alone (its
	 * index answers the total) and with one more condition (the total reads cases).
	 */
	const struct store_case_filter shapes[] = {
	    {.scope = ""},
	    {.merged_into = 4},
	    {.scope = MICRO},
	    {.scope = GRID},
	    {.category = "E0102"},
	    {.scope = "510105002002"},
	    {.due_from = 1, .due_to = 110},
	    {.due_from = 110, .due_to = INT64_MAX, .keep = keep_even},
	    {.open_only = 1},
	    {.open_only = 1, .scope = GRID},
	    {.department = "HW"},
	    {.scope = "510105002"},
	    {.state = "closed"},
	    {.channel = "hotline", .after = 20},
	    {.id = 4},
	    {.phone_hash = "0123abcd"},
	    /* words and a creation range narrow a driver, never drive: the primary key */
	    {.keyword = "d", .address = "x", .created_from = 3, .created_to = 9},
	};
	for (size_t i = 0; i < sizeof(shapes) / sizeof(shapes[0]); i++) {
		struct store_case_filter more = shapes[i];
		page(f->s, shapes[i]);
		if (more.scope && more.scope[0])
			more.channel = "app";
		else
			more.scope = "510105";
		page(f->s, more);
	}

	/* the case detail's reads */
	struct arena *a = arena_new();
	struct err err = ERR_INIT;
	struct store_case c, *m;
	struct store_case_entry *e;
	struct store_whistle_dept *w;
	struct store_supervision *sv;
	char(*shas)[65];
	size_t n;
	int64_t total;
	assert_int_equal(store_case_get(f->s, 4, &c, &err), GG_OK);
	assert_int_equal(store_case_log_list(f->s, 4, a, &e, &n, &err), GG_OK);
	assert_int_equal(store_whistle_depts(f->s, 4, a, &w, &n, &err), GG_OK);
	assert_int_equal(store_supervision_list(f->s, 4, a, &sv, &n, &err), GG_OK);
	assert_int_equal(store_case_media_list(f->s, 4, a, &shas, &n, &err), GG_OK);
	struct store_case_filter merged = {.merged_into = 4};
	assert_int_equal(store_case_list(f->s, &merged, a, &m, &n, &total, &err), GG_OK);
	arena_free(a);

	/*
	 * 15 drivers, a page and a count each; 12 tallies (the subtree's is shared); the
	 * page of light= alone by the live index; the two seeks of a creation range
	 */
	assert_int_equal(check_plans(f->s), 45);
}

static void after_and_next_page_by_key(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct err err = ERR_INIT;
	struct store_case *v;
	size_t n;
	struct store_case_page pg;
	struct store_case_filter q = {.scope = "510105", .limit = 4, .count_max = 1000};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].id, 30);
	assert_int_equal(v[3].id, 27);
	assert_int_equal(pg.next, 27);
	assert_int_equal(pg.total, NCASES);
	q.after = pg.next;
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(v[0].id, 26);
	assert_int_equal(pg.total, NCASES); /* the total does not depend on after */
	/* the last page: exactly full, and no next */
	q.after = 5;
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 4);
	assert_int_equal(pg.next, 0);
	/* filed cases (even ids) with deadlines 100 + id below 120: ids 2..18 */
	q = (struct store_case_filter){
	    .scope = "510105", .due_from = 1, .due_to = 119, .limit = 100, .count_max = 1000};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 9);
	assert_int_equal(v[0].id, 18);
	assert_int_equal(pg.total, 9);
	/* the test in C: stages started on a multiple of 4 */
	q.keep = keep_even;
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 4); /* 16, 12, 8, 4 */
	assert_int_equal(v[3].id, 4);
	assert_int_equal(pg.total, 4);
	/* created in [3, 9): cases 3..8, walked from 8 down and not below 3 */
	q = (struct store_case_filter){
	    .scope = "510105", .created_from = 3, .created_to = 9, .limit = 4, .count_max = 1000};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 4);
	assert_int_equal(v[0].id, 8);
	assert_int_equal(pg.total, 6);
	q.after = pg.next;
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[1].id, 3);
	assert_int_equal(pg.next, 0);
	/* the case number, and words that are not in the description */
	q = (struct store_case_filter){.id = 4, .limit = 4, .count_max = 1000};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].id, 4);
	assert_int_equal(pg.total, 1);
	q = (struct store_case_filter){.keyword = "zz", .limit = 4, .count_max = 1000};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(pg.total, 0);
	/* scope and grid filter disjoint: nothing */
	q = (struct store_case_filter){.scope = "510105002", .grid = "510105003", .count_max = 9};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(pg.total, 0);
	arena_free(a);
}

static void scan_and_count_are_bounded(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct err err = ERR_INIT;
	struct store_case *v;
	size_t n;
	struct store_case_page pg;
	/* hotline cases are ids 3, 6, ..., 30, but the driver here is the department's index */
	struct store_case_filter q = {.scope = "510105",
				      .department = "HW",
				      .channel = "hotline",
				      .limit = 5,
				      .scan_max = 7,
				      .count_max = 10};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	/* 7 rows looked at (30..24): 30, 27, 24 match; go on below 24 */
	assert_int_equal(n, 3);
	assert_int_equal(v[2].id, 24);
	assert_int_equal(pg.next, 24);
	/* the count reads cases, so it examines 10 / 8 rows of the 30 HW ones: not counted */
	assert_int_equal(pg.total, -1);
	q.after = pg.next;
	q.count_max = 30 * 8;
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(v[0].id, 21);
	assert_int_equal(pg.total, 10);
	/* one condition that its index answers alone: counted up to count_max rows */
	q = (struct store_case_filter){.department = "HW", .limit = 1, .count_max = 30};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(pg.total, 30);
	q.count_max = 29;
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(pg.total, -1);
	/* a scope holding every case is no condition: the primary key counts them */
	q = (struct store_case_filter){.scope = "5101", .limit = 1, .count_max = NCASES + 1};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(pg.total, NCASES + 1);
	q.scope = "510105"; /* all but one: each case is read, so not counted at this bound */
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(pg.total, -1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(list_and_detail_use_indexes, setup, teardown),
	    cmocka_unit_test_setup_teardown(after_and_next_page_by_key, setup, teardown),
	    cmocka_unit_test_setup_teardown(scan_and_count_are_bounded, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
