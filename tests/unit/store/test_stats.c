/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Case summaries kept by the store (store_stats.h): random case histories written
 * through store_case_insert/update inside transactions and savepoints (some rolled
 * back) leave summaries equal to a rebuild from the cases and to a direct recount; a
 * rolled-back savepoint leaves no delta behind; CST days split at local midnight.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "fixture.h"
#include "gridgov/clock.h"
#include "gridgov/buf.h"
#include "gridgov/store_stats.h"

struct fx {
	char path[64];
	struct store *s;
	sqlite3 *db; /* a second connection, to look at the tables */
};

static const char *const nodes[] = {
    "510105",
    "510105001",
    "510105002",
    "510105001001",
    "510105001002",
    "510105002001",
    "510105001001001",
    "510105001001002",
    "510105001002001",
    "510105002001001",
    "510105001001001001",
    "510105001001001002",
    "510105002001001001",
};
#define NNODES (sizeof(nodes) / sizeof(nodes[0]))
static const char *const depts[] = {"", "HW", "SZ", "CGZF"};
static const char *const chans[] = {"patrol", "hotline", "app"};
static const char *const ratings[] = {"", "satisfied", "basically", "unsatisfied"};

#define T0 1796745600 /* 2026-12-09T00:00:00+08:00 */

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("stats", f->path, &f->s))
		return -1;
	for (size_t i = 0; i < NNODES; i++) {
		struct grid_node g = {.level = grid_level_of_code(nodes[i])};
		snprintf(g.code, sizeof(g.code), "%s", nodes[i]);
		snprintf(g.name, sizeof(g.name), "node %zu", i);
		if (grid_code_parent(nodes[i], g.parent) || store_grid_put(f->s, &g, NULL))
			return -1;
	}
	struct store_category c = fx_category;
	if (store_category_put(f->s, &c, NULL) ||
	    sqlite3_open_v2(f->path, &f->db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	sqlite3_close(f->db);
	fx_db_remove(f->path, f->s);
	free(f);
	return 0;
}

/* Every non-zero summary row, as text in key order. */
static char *dump(struct fx *f)
{
	static const char *const q[] = {
	    "SELECT * FROM case_sum WHERE reported OR filed OR filed_on_time OR dispatched OR"
	    " accurate OR handled OR handled_on_time OR closed OR closed_on_time OR reworked OR"
	    " extended OR rated OR satisfied OR closed_day OR closed_day_on_time ORDER BY "
	    "1,2,3,4,5,6",
	    "SELECT * FROM case_live WHERE open OR overdue OR cases ORDER BY 1,2,3,4,5",
	    "SELECT * FROM case_heat WHERE n0 OR n1 OR n2 OR n3 OR n4 OR n5 OR n6 ORDER BY "
	    "1,2,3,4,5",
	};
	struct buf b = BUF_INIT;
	for (size_t i = 0; i < 3; i++) {
		sqlite3_stmt *st;
		assert_int_equal(sqlite3_prepare_v2(f->db, q[i], -1, &st, NULL), SQLITE_OK);
		while (sqlite3_step(st) == SQLITE_ROW) {
			for (int c = 0; c < sqlite3_column_count(st); c++)
				buf_addf(&b, "%s|", (const char *)sqlite3_column_text(st, c));
			buf_add(&b, "\n", 1);
		}
		sqlite3_finalize(st);
		buf_add(&b, "--\n", 3);
	}
	return buf_detach(&b, NULL);
}

static unsigned long rnd_state = 12345;
static unsigned rnd(unsigned n)
{
	rnd_state = rnd_state * 6364136223846793005ul + 1442695040888963407ul;
	return (unsigned)((rnd_state >> 33) % n);
}

static void random_case(struct store_case *c)
{
	memset(c, 0, sizeof(*c));
	const char *g = nodes[rnd(NNODES)];
	snprintf(c->grid, sizeof(c->grid), "%s", g);
	c->level = grid_level_of_code(g);
	if (strlen(g) >= 12)
		snprintf(c->community, sizeof(c->community), "%.12s", g);
	if (strlen(g) >= 9)
		snprintf(c->street, sizeof(c->street), "%.9s", g);
	snprintf(c->category, sizeof(c->category), "E0102");
	snprintf(c->description, sizeof(c->description), "test");
	snprintf(c->channel, sizeof(c->channel), "%s", chans[rnd(3)]);
	c->state = CASE_REPORTED;
	/* around local midnights: the hours either side of 00:00 CST over four days */
	c->created_at = T0 + (int64_t)rnd(4) * 86400 + (int64_t)rnd(7200) - 3600;
	c->updated_at = c->stage_started = c->created_at;
	c->deadline = c->created_at + 3600;
	c->has_point = rnd(4) != 0;
	c->lon = 104.05 + rnd(40) * 0.00025 + 0.0001;
	c->lat = 30.66 + rnd(40) * 0.00025 + 0.0001;
}

/* Any change the case loop could make, and some it would not: the store must not care. */
static void random_change(struct store_case *c, int64_t other)
{
	static const enum case_state st[] = {CASE_REPORTED,  CASE_FILED,      CASE_REJECTED,
					     CASE_MERGED,    CASE_DISPATCHED, CASE_ACCEPTED,
					     CASE_HANDLED,   CASE_VERIFIED,   CASE_CLOSED,
					     CASE_EVALUATED, CASE_SUSPENDED};
	int64_t t = c->created_at + rnd(3 * 86400);
	switch (rnd(12)) {
	case 0:
		c->state = st[rnd(sizeof(st) / sizeof(st[0]))];
		break;
	case 1:
		snprintf(c->department, sizeof(c->department), "%s", depts[rnd(4)]);
		c->dispatches++;
		break;
	case 2:
		c->returns += rnd(2);
		c->department[0] = 0;
		break;
	case 3:
		c->filed_at = rnd(3) ? t : 0;
		c->filed_on_time = rnd(2);
		break;
	case 4:
		c->handled_at = rnd(3) ? t : 0;
		c->handled_on_time = rnd(2);
		c->reworks += rnd(2);
		break;
	case 5:
		c->closed_at = rnd(3) ? t : 0;
		c->closed_on_time = rnd(2);
		if (c->closed_at)
			c->state = CASE_CLOSED;
		break;
	case 6:
		snprintf(c->rating, sizeof(c->rating), "%s", ratings[rnd(4)]);
		break;
	case 7:
		c->extended = rnd(2);
		break;
	case 8:
		c->deadline = rnd(3) ? t : 0;
		c->supervision = (int)rnd(3);
		break;
	case 9:
		c->level = c->level > 1 ? c->level - 1 : c->level; /* escalated */
		break;
	case 10:
		c->merged_into = rnd(2) ? other : 0;
		c->state = c->merged_into ? CASE_MERGED : CASE_FILED;
		break;
	default:
		c->supervision++;
		break;
	}
	c->updated_at = t;
}

/* A recount of the summaries' totals straight from the cases. */
static void recount_check(struct fx *f)
{
	struct arena *a = arena_new();
	struct store_case *c;
	size_t n;
	int64_t total;
	struct store_case_filter all = {.scope = ""};
	assert_int_equal(store_case_list(f->s, &all, a, &c, &n, &total, NULL), GG_OK);
	for (size_t k = 0; k < NNODES; k++) {
		const char *scope = nodes[k];
		int lvl = (int)strlen(scope) / 3 - 1;
		if (lvl > 4)
			continue;
		for (size_t d = 0; d < 4; d++) {
			int64_t want[SUM_NCOLS] = {0}, open = 0, overdue = 0, heat = 0;
			for (size_t i = 0; i < n; i++) {
				if (strncmp(c[i].grid, scope, strlen(scope)) ||
				    (d && strcmp(c[i].department, depts[d])))
					continue;
				want[SUM_REPORTED]++;
				want[SUM_CLOSED] += c[i].closed_at > 0;
				want[SUM_SATISFIED] += !strcmp(c[i].rating, "satisfied") ||
						       !strcmp(c[i].rating, "basically");
				want[SUM_CLOSED_DAY] += c[i].closed_at > 0;
				open += store_case_is_open(&c[i]);
				overdue += store_case_is_overdue(&c[i]);
				heat += !c[i].merged_into;
			}
			struct store_stats_q q = {.scope = scope,
						  .lvl = lvl,
						  .kind = d ? 1 : 0,
						  .dept = d ? depts[d] : NULL,
						  .day_from = -100000,
						  .day_to = 100000};
			struct store_stats_row *w;
			size_t m;
			int64_t got[SUM_NCOLS] = {0}, gopen = 0, goverdue = 0, gheat = 0;
			assert_int_equal(store_stats_sum(f->s, &q, a, &w, &m, NULL), GG_OK);
			for (size_t i = 0; i < m; i++)
				for (int j = 0; j < SUM_NCOLS; j++)
					got[j] += w[i].v[j];
			assert_int_equal(store_stats_live(f->s, &q, a, &w, &m, NULL), GG_OK);
			for (size_t i = 0; i < m; i++) {
				gopen += w[i].open;
				goverdue += w[i].overdue;
			}
			struct store_heat_cell *h;
			assert_int_equal(
			    store_stats_heat(f->s, scope, q.dept, -100000, 100000, a, &h, &m, NULL),
			    GG_OK);
			for (size_t i = 0; i < m; i++)
				gheat += h[i].n;
			assert_int_equal(got[SUM_REPORTED], want[SUM_REPORTED]);
			assert_int_equal(got[SUM_CLOSED], want[SUM_CLOSED]);
			assert_int_equal(got[SUM_SATISFIED], want[SUM_SATISFIED]);
			assert_int_equal(got[SUM_CLOSED_DAY], want[SUM_CLOSED_DAY]);
			assert_int_equal(gopen, open);
			assert_int_equal(goverdue, overdue);
			assert_int_equal(gheat, heat);
		}
	}
	arena_free(a);
}

static void random_histories_equal_a_rebuild_and_a_recount(void **state)
{
	struct fx *f = *state;
	int64_t ids[400];
	size_t nids = 0;
	for (int batch = 0; batch < 12; batch++) {
		assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
		for (int req = 0; req < 20; req++) {
			assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
			int keep = rnd(5) != 0;
			int64_t made[4];
			size_t nmade = 0;
			for (int k = 0; k < 1 + (int)rnd(3); k++) {
				struct store_case c;
				if (nids && rnd(3)) {
					int64_t id = ids[rnd((unsigned)nids)];
					assert_int_equal(store_case_get(f->s, id, &c, NULL), GG_OK);
					random_change(&c, ids[rnd((unsigned)nids)]);
					assert_int_equal(store_case_update(f->s, &c, NULL), GG_OK);
				} else {
					random_case(&c);
					assert_int_equal(store_case_insert(f->s, &c, NULL), GG_OK);
					made[nmade++] = c.id;
				}
			}
			if (keep) {
				assert_int_equal(store_savepoint_release(f->s, NULL), GG_OK);
				for (size_t i = 0; i < nmade && nids < 400; i++)
					ids[nids++] = made[i];
			} else {
				store_savepoint_rollback(f->s);
			}
		}
		assert_int_equal(store_commit(f->s, NULL), GG_OK);
		recount_check(f);
	}
	assert_true(nids > 50);
	char *live = dump(f);
	int64_t n = 0;
	assert_int_equal(store_stats_rebuild(f->s, &n, NULL), GG_OK);
	assert_int_equal((int64_t)nids, n);
	char *rebuilt = dump(f);
	assert_string_equal(live, rebuilt);
	recount_check(f); /* the reads walk the rebuilt node list too */
	free(live);
	free(rebuilt);
}

static void a_rolled_back_savepoint_leaves_no_delta(void **state)
{
	struct fx *f = *state;
	struct store_case c;
	random_case(&c);
	assert_int_equal(store_case_insert(f->s, &c, NULL), GG_OK); /* its own transaction */
	char *before = dump(f);
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	struct store_case d;
	random_case(&d);
	assert_int_equal(store_case_insert(f->s, &d, NULL), GG_OK);
	c.closed_at = c.created_at + 60;
	c.state = CASE_CLOSED;
	assert_int_equal(store_case_update(f->s, &c, NULL), GG_OK);
	store_savepoint_rollback(f->s);
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
	char *after = dump(f);
	assert_string_equal(before, after);
	/* and a whole transaction rolled back */
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_case_insert(f->s, &d, NULL), GG_OK);
	store_rollback(f->s);
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
	free(after);
	after = dump(f);
	assert_string_equal(before, after);
	free(before);
	free(after);
}

/* Sum of reported over the day rows of a level under scope. */
static int64_t reported(struct store *s, const char *scope, int lvl)
{
	struct arena *a = arena_new();
	struct store_stats_q q = {
	    .scope = scope, .lvl = lvl, .day_from = -100000, .day_to = 100000};
	struct store_stats_row *w;
	size_t m;
	assert_int_equal(store_stats_sum(s, &q, a, &w, &m, NULL), GG_OK);
	int64_t n = 0;
	for (size_t i = 0; i < m; i++)
		n += w[i].v[SUM_REPORTED];
	arena_free(a);
	return n;
}

static void a_node_whose_cases_are_all_closed_is_still_read_after_a_rebuild(void **state)
{
	struct fx *f = *state;
	struct store_case c;
	random_case(&c);
	snprintf(c.grid, sizeof(c.grid), "510105002001001");
	c.level = GRID_GRID;
	c.state = CASE_CLOSED;
	c.closed_at = c.created_at + 600;
	c.deadline = 0;
	assert_int_equal(store_case_insert(f->s, &c, NULL), GG_OK);
	assert_int_equal(reported(f->s, "510105002", 4), 1);
	int64_t n;
	assert_int_equal(store_stats_rebuild(f->s, &n, NULL), GG_OK);
	assert_int_equal(reported(f->s, "510105002", 4), 1);
	assert_int_equal(reported(f->s, "", 3), 1);
}

/* The heat map's rows are weeks (Monday to Sunday): every window of days over two weeks
 * and their edges counts exactly the cases reported on its days, cell by cell. */
static void heat_windows_add_the_days_inside_them(void **state)
{
	struct fx *f = *state;
	int64_t d0 = clock_local_day(T0) - 3; /* Sunday 2026-12-06 … Thursday 12-17 */
	assert_int_equal(STORE_HEAT_DOW(d0), 6);
	assert_int_equal(STORE_HEAT_WEEK(d0 + 1), d0 + 1);
	int per[12][2] = {{0}};
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	for (int i = 0; i < 60; i++) {
		struct store_case c;
		random_case(&c);
		int day = (int)rnd(12), cell = (int)rnd(2);
		c.created_at = (d0 + day) * 86400 - clock_utc_offset() + 3600 * (int64_t)rnd(24);
		c.has_point = 1;
		c.lon = 104.05 + cell * 0.01 + 0.0001;
		c.lat = 30.66 + 0.0001;
		c.merged_into = 0;
		assert_int_equal(store_case_insert(f->s, &c, NULL), GG_OK);
		per[day][cell]++;
	}
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
	struct arena *a = arena_new();
	for (int from = 0; from < 12; from++)
		for (int to = from; to <= 12; to++) {
			struct store_heat_cell *h;
			size_t m;
			assert_int_equal(store_stats_heat(f->s, "510105", NULL, d0 + from, d0 + to,
							  a, &h, &m, NULL),
					 GG_OK);
			int64_t want[2] = {0}, got[2] = {0};
			for (int d = from; d < to; d++)
				for (int k = 0; k < 2; k++)
					want[k] += per[d][k];
			for (size_t i = 0; i < m; i++) {
				assert_true(h[i].n > 0);
				got[h[i].x == (int64_t)floor((104.05 + 0.0001) / STORE_HEAT_CELL)
					? 0
					: 1] += h[i].n;
			}
			assert_int_equal(got[0], want[0]);
			assert_int_equal(got[1], want[1]);
		}
	arena_free(a);
}

static void days_are_cst_days(void **state)
{
	(void)state;
	assert_int_equal(clock_utc_offset(), 8 * 3600);
	int64_t d = clock_local_day(T0);		   /* 2026-12-09 00:00 CST */
	assert_int_equal(clock_local_day(T0 - 60), d - 1); /* 12-08 23:59 CST */
	assert_int_equal(clock_local_day(T0 + 60), d);	   /* 12-09 00:01 CST */
	assert_int_equal(clock_local_day(T0 + 86399), d);  /* 12-09 23:59:59 */
	assert_int_equal(clock_local_day(T0 + 1), d);	   /* 2026-12-08 16:00:01 UTC */
	assert_int_equal(d, (T0 + 8 * 3600) / 86400);
	assert_int_equal(clock_local_day(-8 * 3600 - 1), -1);
}

static void nodes_of_a_case_follow_the_grid_key(void **state)
{
	(void)state;
	struct store_case c = {.grid = "510105001001001001", .level = GRID_MICRO};
	char n[STORE_SUM_LEVELS][GRID_CODE_MAX];
	store_case_nodes(&c, n);
	assert_string_equal(n[0], "510105");
	assert_string_equal(n[1], "510105001");
	assert_string_equal(n[2], "510105001001");
	assert_string_equal(n[3], "510105001001001");
	c.level = GRID_COMMUNITY; /* escalated: it still counts for the grid it lies in */
	store_case_nodes(&c, n);
	assert_string_equal(n[3], "510105001001001");
	struct store_case s = {.grid = "510105002", .level = GRID_STREET};
	store_case_nodes(&s, n);
	assert_string_equal(n[1], "510105002");
	assert_string_equal(n[2], "510105002");
	assert_string_equal(n[3], "510105002");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(random_histories_equal_a_rebuild_and_a_recount, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(a_rolled_back_savepoint_leaves_no_delta, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(
		a_node_whose_cases_are_all_closed_is_still_read_after_a_rebuild, setup, teardown),
	    cmocka_unit_test_setup_teardown(heat_windows_add_the_days_inside_them, setup, teardown),
	    cmocka_unit_test(days_are_cst_days),
	    cmocka_unit_test(nodes_of_a_case_follow_the_grid_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
