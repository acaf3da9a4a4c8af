/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid map and media records through the store interface, the same on every backend
 * (suite store on SQLite, store-pg on PostgreSQL): WKB bytes and doubles round-trip, the
 * map version counts geometry writes, counts roll up, level names fall back to the
 * defaults, staff and the grids that lack a dedicated worker, photos and their owners.
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
#include "gridgov/store.h"
#include "gridgov/store_case.h"
#include "gridgov/store_geo.h"

struct fx {
	char path[FX_PATH_MAX];
	struct store *s;
};

static struct grid_node node(const char *code, const char *name)
{
	struct grid_node g = {0};
	snprintf(g.code, sizeof(g.code), "%s", code);
	snprintf(g.name, sizeof(g.name), "%s", name);
	g.level = grid_level_of_code(code);
	grid_code_parent(code, g.parent);
	return g;
}

/* 320105 › street 001 › community 001 › grids 001 and 002 */
static const char *const codes[] = {"320105", "320105001", "320105001001", "320105001001001",
				    "320105001001002"};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("geo", f->path, &f->s))
		return -1;
	for (size_t i = 0; i < 5; i++) {
		struct grid_node g = node(codes[i], "某地");
		struct err e = ERR_INIT;
		if (store_grid_put(f->s, &g, &e)) {
			fprintf(stderr, "setup: %s: %s\n", codes[i], err_msg(&e));
			return -1;
		}
	}
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

static void geometries_round_trip_and_bump_the_version(void **state)
{
	struct fx *f = *state;
	/* bytes a text protocol would mangle: NUL, backslash, high bytes */
	static const unsigned char wkb[] = {0x01, 0x03, 0x00, 0x00, 0x00,
					    0x5c, 0x78, 0xff, 0x80, 0x00};
	int64_t v0, v1;
	assert_int_equal(store_map_version(f->s, &v0, NULL), GG_OK);
	struct store_geom g = {.node = node(codes[3], ""),
			       .wkb = wkb,
			       .wkb_len = sizeof(wkb),
			       .area_m2 = 12345.678901234567,
			       .cx = 118.72905,
			       .cy = 32.004431,
			       .minx = 118.7,
			       .miny = 32.0,
			       .maxx = 118.8,
			       .maxy = 32.1};
	assert_int_equal(store_geom_put(f->s, &g, NULL), GG_OK);
	g.cx = 118.72906;
	assert_int_equal(store_geom_put(f->s, &g, NULL), GG_OK); /* replaces */
	assert_int_equal(store_map_version(f->s, &v1, NULL), GG_OK);
	assert_int_equal(v1, v0 + 2);

	struct arena *a = arena_new();
	struct store_geom *out;
	size_t n;
	assert_int_equal(store_geom_list(f->s, "320105", GRID_GRID, a, &out, &n, NULL), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].node.code, codes[3]);
	assert_int_equal(out[0].node.level, GRID_GRID);
	assert_int_equal(out[0].wkb_len, sizeof(wkb));
	assert_memory_equal(out[0].wkb, wkb, sizeof(wkb));
	assert_true(out[0].area_m2 == 12345.678901234567);
	assert_true(out[0].cx == 118.72906);
	assert_true(out[0].maxy == 32.1);
	assert_int_equal(store_geom_list(f->s, "320106", 0, a, &out, &n, NULL), GG_OK);
	assert_int_equal(n, 0);
	arena_free(a);

	struct store_geom orphan = g;
	snprintf(orphan.node.code, sizeof(orphan.node.code), "%s", "320105009");
	struct err e = ERR_INIT;
	assert_int_equal(store_geom_put(f->s, &orphan, &e), GG_ENOTFOUND);
}

static void counts_roll_up_the_tree(void **state)
{
	struct fx *f = *state;
	assert_int_equal(store_grid_set_counts(f->s, codes[3], 100, 250, NULL), GG_OK);
	assert_int_equal(store_grid_set_counts(f->s, codes[4], 20, 41, NULL), GG_OK);
	struct err e = ERR_INIT;
	assert_int_equal(store_grid_set_counts(f->s, "320105009", 1, 1, &e), GG_ENOTFOUND);
	assert_int_equal(store_grid_rollup_counts(f->s, NULL), GG_OK);
	struct grid_node g;
	assert_int_equal(store_grid_get(f->s, "320105", &g, NULL), GG_OK);
	assert_int_equal(g.households, 120);
	assert_int_equal(g.population, 291);
}

static void level_names_fall_back_to_the_defaults(void **state)
{
	struct fx *f = *state;
	char name[32];
	assert_int_equal(store_level_name(f->s, "621002", GRID_STREET, name, sizeof(name), NULL),
			 GG_OK);
	assert_string_equal(name, "街道/镇");
	assert_int_equal(store_level_name(f->s, "320105", GRID_STREET, name, sizeof(name), NULL),
			 GG_OK);
	assert_string_equal(name, "街道");
}

static void staff_and_grids_without_a_dedicated_worker(void **state)
{
	struct fx *f = *state;
	struct store_staff st = {.role = STAFF_DEDICATED, .created_at = 1700000000};
	snprintf(st.grid, sizeof(st.grid), "%s", codes[3]);
	snprintf(st.name, sizeof(st.name), "%s", "张三");
	int64_t id1, id2;
	assert_int_equal(store_staff_add(f->s, &st, &id1, NULL), GG_OK);
	st.role = STAFF_PART_TIME;
	snprintf(st.dept, sizeof(st.dept), "%s", "HW");
	assert_int_equal(store_staff_add(f->s, &st, &id2, NULL), GG_OK);
	assert_true(id2 > id1);
	struct err e = ERR_INIT;
	snprintf(st.dept, sizeof(st.dept), "%s", "NOPE");
	assert_int_equal(store_staff_add(f->s, &st, NULL, &e), GG_EFIELD);

	struct arena *a = arena_new();
	struct store_staff *out;
	size_t n;
	assert_int_equal(store_staff_list(f->s, codes[3], a, &out, &n, NULL), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].role, STAFF_DEDICATED); /* ordered by role name */
	assert_string_equal(out[0].name, "张三");
	assert_string_equal(out[1].dept, "HW");
	assert_int_equal(out[1].created_at, 1700000000);
	struct grid_node *g;
	assert_int_equal(store_grids_without_dedicated(f->s, "320105", a, &g, &n, NULL), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(g[0].code, codes[4]);
	arena_free(a);
}

static void media_records_and_owners(void **state)
{
	struct fx *f = *state;
	struct store_user u = {.active = 1};
	strcpy(u.who.name, "w1");
	u.who.role = ROLE_GRID_WORKER;
	strcpy(u.pwhash, "$argon2id$fake");
	int64_t uid, uid2;
	assert_int_equal(store_user_insert(f->s, &u, &uid, NULL), GG_OK);
	strcpy(u.who.name, "w2");
	assert_int_equal(store_user_insert(f->s, &u, &uid2, NULL), GG_OK);
	struct store_media m = {.kind = "jpeg",
				.bytes = 1234,
				.width = 640,
				.height = 480,
				.uploader = uid,
				.created_at = 1700000001};
	memset(m.sha256, 'a', 64);
	assert_int_equal(store_media_put(f->s, &m, NULL), GG_OK);
	m.uploader = uid2; /* the same bytes from someone else: a second owner */
	assert_int_equal(store_media_put(f->s, &m, NULL), GG_OK);
	struct store_media got;
	assert_int_equal(store_media_get(f->s, m.sha256, &got, NULL), GG_OK);
	assert_int_equal(got.uploader, uid); /* the first upload's record stays */
	assert_int_equal(got.width, 640);
	int owned;
	assert_int_equal(store_media_owned(f->s, m.sha256, uid2, &owned, NULL), GG_OK);
	assert_true(owned);
	assert_int_equal(store_media_owned(f->s, m.sha256, uid2 + 1, &owned, NULL), GG_OK);
	assert_false(owned);
	struct err e = ERR_INIT;
	assert_int_equal(store_media_get(f->s, "b", &got, &e), GG_ENOTFOUND);
}

/*
 * Grids are served from a cache (store_cache.c) for a moment after a read: a rename is
 * still seen at once by the same process, inside the renaming transaction and after it,
 * and a rolled-back rename never shows. The same for a category's time limit.
 */
static void reads_see_every_write_at_once(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	struct grid_node g;
	assert_int_equal(store_grid_get(f->s, codes[3], &g, &e), GG_OK);
	assert_string_equal(g.name, "某地");
	assert_int_equal(store_grid_get(f->s, codes[3], &g, &e), GG_OK); /* cached */

	struct grid_node renamed = node(codes[3], "新名字");
	assert_int_equal(store_begin(f->s, STORE_WRITE, &e), GG_OK);
	assert_int_equal(store_grid_put(f->s, &renamed, &e), GG_OK);
	assert_int_equal(store_grid_get(f->s, codes[3], &g, &e), GG_OK);
	assert_string_equal(g.name, "新名字");
	store_rollback(f->s);
	assert_int_equal(store_grid_get(f->s, codes[3], &g, &e), GG_OK);
	assert_string_equal(g.name, "某地");

	assert_int_equal(store_begin(f->s, STORE_WRITE, &e), GG_OK);
	assert_int_equal(store_grid_put(f->s, &renamed, &e), GG_OK);
	assert_int_equal(store_commit(f->s, &e), GG_OK);
	assert_int_equal(store_grid_get(f->s, codes[3], &g, &e), GG_OK);
	assert_string_equal(g.name, "新名字");

	assert_int_equal(store_grid_set_counts(f->s, codes[3], 420, 1100, &e), GG_OK);
	assert_int_equal(store_grid_get(f->s, codes[3], &g, &e), GG_OK);
	assert_int_equal(g.households, 420);

	struct store_category c = fx_category;
	assert_int_equal(store_category_put(f->s, &c, &e), GG_OK);
	assert_int_equal(store_category_get(f->s, c.code, &c, &e), GG_OK);
	assert_int_equal(c.limit_general_h, fx_category.limit_general_h);
	c.limit_general_h = fx_category.limit_general_h + 1;
	assert_int_equal(store_category_put(f->s, &c, &e), GG_OK);
	assert_int_equal(store_category_get(f->s, c.code, &c, &e), GG_OK);
	assert_int_equal(c.limit_general_h, fx_category.limit_general_h + 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(geometries_round_trip_and_bump_the_version, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(counts_roll_up_the_tree, setup, teardown),
	    cmocka_unit_test_setup_teardown(level_names_fall_back_to_the_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(staff_and_grids_without_a_dedicated_worker, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(media_records_and_owners, setup, teardown),
	    cmocka_unit_test_setup_teardown(reads_see_every_write_at_once, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
