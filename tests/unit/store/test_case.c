/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case area of the SQLite backend: categories, cases, and the trail's hash chain
 * (each entry chained to the one before, numbered in order, never updated).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "fixture.h"
#include "gridgov/store_case.h"

struct fx {
	char path[64];
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("case", f->path, &f->s))
		return -1;
	struct grid_node g = {.code = "510105", .name = "青羊区", .level = GRID_DISTRICT};
	struct store_category c = fx_category;
	if (store_grid_put(f->s, &g, NULL) || store_category_put(f->s, &c, NULL))
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

static void categories_check_departments_and_limits(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	struct store_category c;
	assert_int_equal(store_category_get(f->s, "E0102", &c, &err), GG_OK);
	assert_string_equal(c.department, "HW");
	assert_int_equal(c.limit_engineering_h, 8);
	strcpy(c.department, "NOPE");
	assert_int_equal(store_category_put(f->s, &c, &err), GG_EFIELD);
	strcpy(c.department, "SZ");
	c.limit_general_h = 9; /* above engineering */
	assert_int_equal(store_category_put(f->s, &c, &err), GG_EFIELD);
	assert_int_equal(store_category_get(f->s, "X", &c, &err), GG_ENOTFOUND);
}

/* The entry's hash is the one of its fields and the hash before it, and no other. */
static void check_hash(const struct store_case_entry *v)
{
	char want[CASE_HASH_HEX];
	store_case_entry_hash(v, want);
	assert_string_equal(v->hash, want);
	struct store_case_entry changed = *v;
	changed.note = "a changed note";
	store_case_entry_hash(&changed, want);
	assert_string_not_equal(v->hash, want);
}

static int64_t new_case(struct fx *f)
{
	struct err err = ERR_INIT;
	struct store_case c = {.category = "E0102",
			       .description = "d",
			       .channel = "app",
			       .grid = "510105",
			       .level = GRID_DISTRICT,
			       .state = CASE_REPORTED,
			       .created_at = 100,
			       .updated_at = 100,
			       .stage_started = 100};
	assert_int_equal(store_case_insert(f->s, &c, &err), GG_OK);
	return c.id;
}

static void trail_is_a_hash_chain(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	int64_t id = new_case(f);
	assert_true(id > 0);
	const char *acts[] = {"report", "file", "dispatch"};
	for (int i = 0; i < 3; i++) {
		struct store_case_entry e = {.case_id = id, .at = 100 + i, .note = "n"};
		strcpy(e.action, acts[i]);
		strcpy(e.actor, "op");
		strcpy(e.role, "operator");
		strcpy(e.to_state, "filed");
		assert_int_equal(store_case_log_append(f->s, &e, &err), GG_OK);
		assert_int_equal(e.seq, i + 1);
	}
	struct arena *a = arena_new();
	struct store_case_entry *v;
	size_t n;
	assert_int_equal(store_case_log_list(f->s, id, a, &v, &n, &err), GG_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].prev_hash, case_genesis_hash);
	for (size_t i = 0; i < n; i++) {
		if (i)
			assert_string_equal(v[i].prev_hash, v[i - 1].hash);
		check_hash(&v[i]);
	}
	arena_free(a);

	/* the trail refuses updates and deletes */
	if (fx_pg()) {
		assert_int_not_equal(fx_pg_sql(f->path, "UPDATE case_log SET note='x'"), 0);
		assert_int_not_equal(fx_pg_sql(f->path, "DELETE FROM case_log"), 0);
		assert_int_not_equal(fx_pg_sql(f->path, "TRUNCATE case_log CASCADE"), 0);
		assert_int_equal(fx_pg_sql(f->path, "SELECT 1 FROM case_log"), 0);
		return;
	}
	sqlite3 *db;
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	sqlite3_busy_timeout(db, 2000);
	assert_int_not_equal(sqlite3_exec(db, "UPDATE case_log SET note='x'", NULL, NULL, NULL),
			     SQLITE_OK);
	assert_int_not_equal(sqlite3_exec(db, "DELETE FROM case_log", NULL, NULL, NULL), SQLITE_OK);
	sqlite3_close(db);
}

static struct store_case_entry entry(int64_t id, const char *note)
{
	struct store_case_entry e = {.case_id = id, .at = 200, .note = (char *)note};
	strcpy(e.action, "note");
	strcpy(e.actor, "op");
	strcpy(e.role, "operator");
	strcpy(e.to_state, "reported");
	return e;
}

/* Appends in one transaction chain to the entry just written, also when another case's
 * entry came in between and after a savepoint rolled an entry back. */
static void trail_chains_within_a_transaction(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	assert_int_equal(store_begin(f->s, STORE_WRITE, &err), GG_OK);
	int64_t a = new_case(f), b = new_case(f);
	const char *seq[] = {"a1", "a2", "b1", "a3"};
	for (int i = 0; i < 4; i++) {
		struct store_case_entry e = entry(seq[i][0] == 'a' ? a : b, seq[i]);
		assert_int_equal(store_case_log_append(f->s, &e, &err), GG_OK);
		assert_int_equal(e.seq, seq[i][1] - '0');
	}
	assert_int_equal(store_savepoint(f->s, &err), GG_OK);
	struct store_case_entry gone = entry(a, "rolled back");
	assert_int_equal(store_case_log_append(f->s, &gone, &err), GG_OK);
	assert_int_equal(gone.seq, 4);
	store_savepoint_rollback(f->s);
	struct store_case_entry e = entry(a, "a4");
	assert_int_equal(store_case_log_append(f->s, &e, &err), GG_OK);
	assert_int_equal(e.seq, 4);
	assert_int_equal(store_commit(f->s, &err), GG_OK);
	/* and the next transaction reads the tail back */
	e = entry(a, "a5");
	assert_int_equal(store_case_log_append(f->s, &e, &err), GG_OK);
	assert_int_equal(e.seq, 5);

	struct arena *ar = arena_new();
	struct store_case_entry *v;
	size_t n;
	assert_int_equal(store_case_log_list(f->s, a, ar, &v, &n, &err), GG_OK);
	assert_int_equal(n, 5);
	for (size_t i = 0; i < n; i++) {
		char note[24];
		snprintf(note, sizeof(note), "a%zu", i + 1);
		assert_string_equal(v[i].note, note);
		assert_string_equal(v[i].prev_hash, i ? v[i - 1].hash : case_genesis_hash);
		check_hash(&v[i]);
	}
	arena_free(ar);
}

/* A bulk writer alone on the database writes each page once; not while another
 * connection has it open; and back to the write-ahead log after. */
static void bulk_journal_only_alone(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	if (fx_pg())
		skip(); /* SQLite's journal modes */
	sqlite3 *other;
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	assert_int_equal(sqlite3_exec(other, "SELECT count(*) FROM gcase", NULL, NULL, NULL),
			 SQLITE_OK);
	int done = -1;
	assert_int_equal(store_bulk_journal(f->s, 1, &done, &err), GG_OK);
	assert_int_equal(done, 0);
	sqlite3_close(other);
	assert_int_equal(store_bulk_journal(f->s, 1, &done, &err), GG_OK);
	assert_int_equal(done, 1);
	assert_int_equal(store_begin(f->s, STORE_WRITE, &err), GG_OK);
	assert_true(new_case(f) > 0);
	assert_int_equal(store_commit(f->s, &err), GG_OK);
	assert_int_equal(store_bulk_journal(f->s, 0, &done, &err), GG_OK);
	assert_int_equal(done, 1);
	assert_int_equal(sqlite3_open(f->path, &other), SQLITE_OK);
	sqlite3_stmt *st;
	assert_int_equal(sqlite3_prepare_v2(other, "PRAGMA journal_mode", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "wal");
	sqlite3_finalize(st);
	sqlite3_close(other);
}

static void cases_list_by_scope_and_state(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	for (int i = 0; i < 3; i++) {
		struct store_case c = {.category = "E0102",
				       .description = "d",
				       .channel = "app",
				       .grid = "510105",
				       .level = GRID_DISTRICT,
				       .state = i ? CASE_FILED : CASE_REPORTED,
				       .created_at = 1,
				       .updated_at = 1,
				       .stage_started = 1,
				       .deadline = 50 + i};
		assert_int_equal(store_case_insert(f->s, &c, &err), GG_OK);
	}
	struct arena *a = arena_new();
	struct store_case *v;
	size_t n;
	int64_t total;
	struct store_case_filter q = {.scope = "510105", .state = "filed", .limit = 1};
	assert_int_equal(store_case_list(f->s, &q, a, &v, &n, &total, &err), GG_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 1);
	assert_int_equal(v[0].state, CASE_FILED);
	q = (struct store_case_filter){.scope = "510106"};
	assert_int_equal(store_case_list(f->s, &q, a, &v, &n, &total, &err), GG_OK);
	assert_int_equal(total, 0);
	assert_int_equal(store_case_overdue(f->s, 52, a, &v, &n, &err), GG_OK);
	assert_int_equal(n, 2); /* deadlines 50 and 51 */
	arena_free(a);
}

/* (a keep test for the list: only stages started at an even second) */
static int even_start(int64_t stage_started, int64_t deadline, void *arg)
{
	(void)deadline;
	(*(int *)arg)++;
	return stage_started % 2 == 0;
}

/* A filter on the deadline with a last test in C (the light): the page and its total
 * both count only the stages that test keeps, whichever index drives the query. */
static void a_test_in_c_narrows_the_page_and_its_total(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	for (int i = 0; i < 5; i++) {
		struct store_case c = {.category = "E0102",
				       .description = "d",
				       .channel = "app",
				       .grid = "510105",
				       .level = GRID_DISTRICT,
				       .state = CASE_REPORTED,
				       .created_at = 1,
				       .updated_at = 1,
				       .stage_started = 10 + i,
				       .deadline = 100 + i};
		assert_int_equal(store_case_insert(f->s, &c, &err), GG_OK);
	}
	struct arena *a = arena_new();
	struct store_case *v;
	size_t n;
	int calls = 0;
	struct store_case_page pg;
	struct store_case_filter q = {.scope = "",
				      .due_from = 101,
				      .due_to = 200,
				      .keep = even_start,
				      .keep_arg = &calls,
				      .limit = 10,
				      .count_max = INT64_MAX};
	assert_int_equal(store_case_page(f->s, &q, a, &v, &n, &pg, &err), GG_OK);
	assert_int_equal(pg.total, 2); /* stages 12 and 14 (deadlines 102, 104) */
	assert_int_equal(n, 2);
	assert_int_equal(v[0].stage_started, 14);
	assert_int_equal(v[1].stage_started, 12);
	assert_true(calls >= 4);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(categories_check_departments_and_limits, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(trail_is_a_hash_chain, setup, teardown),
	    cmocka_unit_test_setup_teardown(trail_chains_within_a_transaction, setup, teardown),
	    cmocka_unit_test_setup_teardown(bulk_journal_only_alone, setup, teardown),
	    cmocka_unit_test_setup_teardown(cases_list_by_scope_and_state, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_test_in_c_narrows_the_page_and_its_total, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
