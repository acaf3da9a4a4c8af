/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The people store's write paths the import leans on: house and household upserts
 * without RETURNING, the rules kept by the schema after migration 041 (checks, foreign
 * keys), and the bulk mode that drops the secondary indexes and rebuilds them.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "gridgov/arena.h"
#include "gridgov/store.h"
#include "gridgov/store_people.h"

#define G1 "510105002002001"

struct fx {
	char path[FX_PATH_MAX];
	struct store *s;
};

static void put_grid(struct store *s, const char *code)
{
	struct grid_node g = {0};
	snprintf(g.code, sizeof(g.code), "%s", code);
	snprintf(g.name, sizeof(g.name), "g%s", code);
	g.level = grid_level_of_code(code);
	if (grid_code_parent(code, g.parent) != 0)
		g.parent[0] = 0;
	assert_int_equal(store_grid_put(s, &g, NULL), GG_OK);
}

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("people", f->path, &f->s))
		return -1;
	const char *chain[] = {"510105", "510105002", "510105002002", G1};
	for (size_t i = 0; i < 4; i++)
		put_grid(f->s, chain[i]);
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

static struct store_house house(const char *number, double area, const char *use)
{
	struct store_house h = {0};
	snprintf(h.grid, sizeof(h.grid), "%s", G1);
	snprintf(h.bref, sizeof(h.bref), "B1");
	snprintf(h.unit, sizeof(h.unit), "1");
	snprintf(h.number, sizeof(h.number), "%s", number);
	h.area = area;
	snprintf(h.use, sizeof(h.use), "%s", use);
	return h;
}

static struct store_resident resident(const char *hash, const char *status)
{
	struct store_resident p = {0};
	snprintf(p.grid, sizeof(p.grid), "%s", G1);
	snprintf(p.name, sizeof(p.name), "居民");
	snprintf(p.id_sealed, sizeof(p.id_sealed), "sealed");
	snprintf(p.id_hash, sizeof(p.id_hash), "%s", hash);
	snprintf(p.id_mask, sizeof(p.id_mask), "5101**********1234");
	snprintf(p.status, sizeof(p.status), "%s", status);
	p.id_valid = 1;
	return p;
}

/* Indexes on the four people tables, read straight from the file's schema. */
static int people_indexes(const char *path)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int n = -1;
	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db,
					    "SELECT count(*) FROM sqlite_schema WHERE type='index'"
					    " AND tbl_name IN ('building','house','household',"
					    "'resident')",
					    -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return n;
}

static void house_put_inserts_then_updates_in_place(void **state)
{
	struct fx *f = *state;
	struct store_house h = house("101", 80, "自住"), g;
	int64_t a = 0, b = 0, c = 0;
	assert_int_equal(store_house_put(f->s, &h, &a, NULL), GG_OK);
	h = house("102", 60, "出租");
	assert_int_equal(store_house_put(f->s, &h, &c, NULL), GG_OK);
	assert_true(a > 0 && c > 0 && a != c);
	h = house("101", 0, "出租"); /* unknown area keeps the old one */
	assert_int_equal(store_house_put(f->s, &h, &b, NULL), GG_OK);
	assert_int_equal(a, b);
	assert_int_equal(store_house_get(f->s, a, &g, NULL), GG_OK);
	assert_string_equal(g.use, "出租");
	assert_true(g.area > 79.9 && g.area < 80.1);
	h = house("101", 95, "经营");
	assert_int_equal(store_house_put(f->s, &h, &b, NULL), GG_OK);
	assert_int_equal(store_house_get(f->s, a, &g, NULL), GG_OK);
	assert_true(g.area > 94.9 && g.area < 95.1);
	assert_string_equal(g.use, "经营");
}

static void building_put_inserts_then_updates_by_ref(void **state)
{
	struct fx *f = *state;
	struct store_building b = {0};
	snprintf(b.ref, sizeof(b.ref), "B1");
	snprintf(b.address, sizeof(b.address), "草市街1号");
	snprintf(b.grid, sizeof(b.grid), "%s", G1);
	b.floors = 6;
	int64_t a = 0, c = 0;
	assert_int_equal(store_building_put(f->s, &b, &a, NULL), GG_OK);
	snprintf(b.address, sizeof(b.address), "草市街1号附1");
	b.has_point = 1;
	b.lon = 104.07;
	b.lat = 30.67;
	assert_int_equal(store_building_put(f->s, &b, &c, NULL), GG_OK);
	assert_true(a > 0);
	assert_int_equal(a, c);
	struct arena *ar = arena_new();
	struct store_building *out;
	size_t n;
	assert_int_equal(store_building_list(f->s, "510105", ar, &out, &n, NULL), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].address, "草市街1号附1");
	assert_int_equal(out[0].has_point, 1);
	assert_int_equal(out[0].floors, 6);
	arena_free(ar);
}

static void household_put_finds_a_known_ref(void **state)
{
	struct fx *f = *state;
	struct store_household hh = {0};
	snprintf(hh.ref, sizeof(hh.ref), "HH1");
	snprintf(hh.grid, sizeof(hh.grid), "%s", G1);
	int64_t a = 0, b = 0, c = 0;
	assert_int_equal(store_household_put(f->s, &hh, &a, NULL), GG_OK);
	snprintf(hh.ref, sizeof(hh.ref), "HH2");
	assert_int_equal(store_household_put(f->s, &hh, &c, NULL), GG_OK);
	snprintf(hh.ref, sizeof(hh.ref), "HH1");
	assert_int_equal(store_household_put(f->s, &hh, &b, NULL), GG_OK);
	assert_true(a > 0 && c > 0 && a != c);
	assert_int_equal(a, b);
}

static void schema_rules_hold_after_migration(void **state)
{
	struct fx *f = *state;
	struct store_house h = house("101", 80, "宿舍");
	int64_t id;
	struct err e = ERR_INIT;
	assert_int_not_equal(store_house_put(f->s, &h, &id, &e), GG_OK); /* CHECK on use */
	struct store_resident p = resident("aa", "gone");
	assert_int_not_equal(store_resident_insert(f->s, &p, &id, NULL), GG_OK); /* status */
	p = resident("aa", "moved_out");
	assert_int_equal(store_resident_insert(f->s, &p, &id, NULL), GG_OK);
	p = resident("bb", "active");
	p.household_id = 999; /* foreign keys are on again once migrations ran */
	assert_int_not_equal(store_resident_insert(f->s, &p, &id, NULL), GG_OK);
	p = resident("bb", "active");
	snprintf(p.grid, sizeof(p.grid), "510105002002099");
	assert_int_not_equal(store_resident_insert(f->s, &p, &id, NULL), GG_OK);
}

static int count_hash(void *arg, const char *hash)
{
	int *n = arg;
	if (!strcmp(hash, "aa") || !strcmp(hash, "bb"))
		(*n)++;
	return 0;
}

static void bulk_drops_indexes_for_a_large_load_and_rebuilds_them(void **state)
{
	struct fx *f = *state;
	if (fx_pg())
		skip(); /* PostgreSQL keeps its indexes through a bulk load (src/store/pg/people.c) */
	int before = people_indexes(f->path), dropped = -1;
	assert_true(before >= 10);
	struct store_resident p = resident("aa", "active");
	int64_t id, n = 0;
	assert_int_equal(store_resident_insert(f->s, &p, &id, NULL), GG_OK);

	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_people_bulk(f->s, 1, &dropped, NULL), GG_OK);
	assert_int_equal(dropped, 0); /* not more than the one held */
	assert_int_equal(store_people_bulk_end(f->s, 1, NULL), GG_OK);
	assert_int_equal(store_people_bulk(f->s, 1000, &dropped, NULL), GG_OK);
	assert_int_equal(dropped, 1);
	p = resident("bb", "active");
	assert_int_equal(store_resident_insert(f->s, &p, &id, NULL), GG_OK);
	/* without its index the lookup by hash still answers, by a scan */
	assert_int_equal(store_resident_count_hash(f->s, "aa", &n, NULL), GG_OK);
	assert_int_equal(n, 1);
	int seen = 0;
	assert_int_equal(store_resident_hashes(f->s, count_hash, &seen, NULL), GG_OK);
	assert_int_equal(seen, 2);
	assert_int_equal(store_people_bulk_end(f->s, 1, NULL), GG_OK);
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
	assert_int_equal(people_indexes(f->path), before);

	/* rolled back: the indexes come back with the rollback, and are only forgotten */
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_people_bulk(f->s, 1000, &dropped, NULL), GG_OK);
	assert_int_equal(dropped, 1);
	store_rollback(f->s);
	assert_int_equal(store_people_bulk_end(f->s, 0, NULL), GG_OK);
	assert_int_equal(people_indexes(f->path), before);
	assert_int_equal(store_resident_count_hash(f->s, "bb", &n, NULL), GG_OK);
	assert_int_equal(n, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(house_put_inserts_then_updates_in_place, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(building_put_inserts_then_updates_by_ref, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(household_put_finds_a_known_ref, setup, teardown),
	    cmocka_unit_test_setup_teardown(schema_rules_hold_after_migration, setup, teardown),
	    cmocka_unit_test_setup_teardown(bulk_drops_indexes_for_a_large_load_and_rebuilds_them,
					    setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
