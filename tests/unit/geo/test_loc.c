/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The locator: holes, multipolygons, points on vertices and on edges shared by siblings
 * (lowest code wins), repeated points in the input, points outside, the swap slot, and
 * the repairs of geo_from_geojson (a self-intersecting ring is made valid; a collapsed
 * one is refused).
 */
#include <pthread.h>
#include <setjmp.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gridgov/geo.h"
#include "gridgov/loc.h"

struct src {
	const char *code, *name, *geojson;
};

/*
 * District 110101 is the square [0,10]²; street 110101001 its west half, 110101002 its
 * east half (they share the edge x = 5). Street 001 has a hole [1,2]² that belongs to
 * nobody below the district; community 110101002001 is a MultiPolygon of two squares in
 * the east half, with repeated points in its input.
 */
static const struct src map[] = {
	{"110101", "district", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[10,0],[10,10],[0,10],[0,0]]]}"},
	{"110101001", "west", "{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[5,0],[5,10],[0,10],[0,0]],"
			     "[[1,1],[2,1],[2,2],[1,2],[1,1]]]}"},
	{"110101002", "east", "{\"type\":\"Polygon\",\"coordinates\":[[[5,0],[10,0],[10,10],[5,10]]]}"},
	{"110101002001", "two squares",
	 "{\"type\":\"MultiPolygon\",\"coordinates\":[[[[6,1],[6,1],[7,1],[7,2],[7,2],[6,2],[6,1]]],"
	 "[[[8,8],[9,8],[9,9],[8,9],[8,8]]]]}"},
};

static struct loc_index *build_map(void)
{
	GEOSContextHandle_t h = geo_ctx();
	struct loc_item items[4];
	unsigned char *wkb[4];
	for (size_t i = 0; i < 4; i++) {
		json_t *j = json_loads(map[i].geojson, 0, NULL);
		assert_non_null(j);
		GEOSGeometry *g;
		struct geo_fix fix;
		struct err err = ERR_INIT;
		assert_int_equal(geo_from_geojson(h, j, &g, &fix, &err), GG_OK);
		json_decref(j);
		items[i].code = map[i].code;
		items[i].name = map[i].name;
		items[i].level = grid_level_of_code(map[i].code);
		wkb[i] = geo_to_wkb(h, g, &items[i].wkb_len);
		items[i].wkb = wkb[i];
		GEOSGeom_destroy_r(h, g);
	}
	struct loc_index *idx;
	struct err err = ERR_INIT;
	assert_int_equal(loc_index_build(items, 4, &idx, &err), GG_OK);
	for (size_t i = 0; i < 4; i++)
		free(wkb[i]);
	assert_int_equal(loc_index_size(idx), 4);
	return idx;
}

static const char *at(const struct loc_index *idx, double x, double y)
{
	struct loc_hit hit;
	return loc_index_find(idx, x, y, &hit) ? hit.code : "outside";
}

static void test_hole_and_multipolygon(void **state)
{
	(void)state;
	struct loc_index *idx = build_map();
	assert_string_equal(at(idx, 3, 3), "110101001");
	assert_string_equal(at(idx, 1.5, 1.5), "110101");	   /* in the hole: only the district */
	assert_string_equal(at(idx, 6.5, 1.5), "110101002001"); /* first part */
	assert_string_equal(at(idx, 8.5, 8.5), "110101002001"); /* second part */
	assert_string_equal(at(idx, 7.5, 5), "110101002");	   /* between the parts */
	loc_index_free(idx);
}

static void test_edges_and_vertices(void **state)
{
	(void)state;
	struct loc_index *idx = build_map();
	/* the shared edge x = 5 and its vertices: both streets cover it, lowest code wins */
	assert_string_equal(at(idx, 5, 5), "110101001");
	assert_string_equal(at(idx, 5, 0), "110101001");
	assert_string_equal(at(idx, 5, 10), "110101001");
	/* the district's own corner and edge */
	assert_string_equal(at(idx, 10, 10), "110101002");
	assert_string_equal(at(idx, 10, 5), "110101002");
	/* the hole's boundary belongs to the street (covers) */
	assert_string_equal(at(idx, 1, 1.5), "110101001");
	/* a vertex of the community that was repeated in the input */
	assert_string_equal(at(idx, 7, 2), "110101002001");
	assert_string_equal(at(idx, 6, 1), "110101002001");
	loc_index_free(idx);
}

static void test_outside(void **state)
{
	(void)state;
	struct loc_index *idx = build_map();
	assert_string_equal(at(idx, -0.001, 5), "outside");
	assert_string_equal(at(idx, 10.0001, 10), "outside");
	assert_string_equal(at(idx, 120, 30), "outside");
	struct loc_hit hit;
	assert_int_equal(loc_index_node(idx, "110101002", &hit), 1);
	assert_string_equal(hit.name, "east");
	assert_int_equal(loc_index_node(idx, "110101003", &hit), 0);
	loc_index_free(idx);
}

static void test_slot_swap(void **state)
{
	(void)state;
	struct loc_slot *s = loc_slot_new();
	unsigned t;
	assert_null(loc_slot_enter(s, &t));
	loc_slot_leave(s, t);
	loc_slot_swap(s, build_map());
	const struct loc_index *a = loc_slot_enter(s, &t);
	assert_non_null(a);
	assert_string_equal(at(a, 3, 3), "110101001");
	loc_slot_leave(s, t);
	loc_slot_swap(s, build_map()); /* frees the first once no reader holds it */
	const struct loc_index *b = loc_slot_enter(s, &t);
	assert_string_equal(at(b, 6.5, 1.5), "110101002001");
	loc_slot_leave(s, t);
	loc_slot_free(s);
}

struct reader {
	struct loc_slot *slot;
	atomic_int *stop;
	long reads, wrong;
};

static void *read_loop(void *arg)
{
	struct reader *r = arg;
	while (!atomic_load(r->stop)) {
		unsigned t;
		const struct loc_index *idx = loc_slot_enter(r->slot, &t);
		if (idx && strcmp(at(idx, 3, 3), "110101001"))
			r->wrong++;
		if (idx)
			r->reads++;
		loc_slot_leave(r->slot, t);
	}
	return NULL;
}

/* Readers keep locating while the index is swapped under them: every answer is right
 * and nothing is used after it is freed (the sanitizer build checks that). */
static void test_swap_under_readers(void **state)
{
	(void)state;
	struct loc_slot *s = loc_slot_new();
	loc_slot_swap(s, build_map());
	atomic_int stop;
	atomic_init(&stop, 0);
	struct reader r[3];
	pthread_t th[3];
	for (int i = 0; i < 3; i++) {
		r[i] = (struct reader){s, &stop, 0, 0};
		assert_int_equal(pthread_create(&th[i], NULL, read_loop, &r[i]), 0);
	}
	for (int i = 0; i < 20; i++)
		loc_slot_swap(s, build_map());
	atomic_store(&stop, 1);
	for (int i = 0; i < 3; i++) {
		pthread_join(th[i], NULL);
		assert_int_equal(r[i].wrong, 0);
	}
	loc_slot_free(s);
}

static int read_geojson(const char *text, GEOSGeometry **g, struct geo_fix *fix,
			struct err *err)
{
	json_t *j = json_loads(text, 0, NULL);
	assert_non_null(j);
	int rc = geo_from_geojson(geo_ctx(), j, g, fix, err);
	json_decref(j);
	return rc;
}

static void test_repair(void **state)
{
	(void)state;
	GEOSGeometry *g;
	struct geo_fix fix;
	struct err err = ERR_INIT;
	/* a bow-tie: self-intersecting, unclosed */
	assert_int_equal(read_geojson("{\"type\":\"Polygon\",\"coordinates\":"
				      "[[[0,0],[0.01,0.01],[0.01,0],[0,0.01]]]}",
				      &g, &fix, &err),
			 GG_OK);
	assert_int_equal(fix.closed_rings, 1);
	assert_int_equal(fix.made_valid, 1);
	assert_non_null(strstr(fix.reason, "Self-intersection"));
	assert_int_equal(GEOSisValid_r(geo_ctx(), g), 1);
	assert_int_equal(GEOSGeomTypeId_r(geo_ctx(), g), GEOS_MULTIPOLYGON);
	char what[256];
	geo_fix_describe(&fix, what, sizeof(what));
	assert_non_null(strstr(what, "closed 1 ring"));
	assert_non_null(strstr(what, "made valid"));
	GEOSGeom_destroy_r(geo_ctx(), g);

	/* collapsed: three distinct points on a line, repeated */
	err_clear(&err);
	assert_int_equal(read_geojson("{\"type\":\"Polygon\",\"coordinates\":"
				      "[[[0,0],[0,0],[1,1],[2,2],[0,0]]]}",
				      &g, &fix, &err),
			 GG_EFIELD);
	assert_non_null(strstr(err_msg(&err), "cannot be repaired"));
	/* only two distinct points */
	err_clear(&err);
	assert_int_equal(read_geojson("{\"type\":\"Polygon\",\"coordinates\":[[[0,0],[1,1],[0,0]]]}",
				      &g, &fix, &err),
			 GG_EFIELD);
	assert_non_null(strstr(err_msg(&err), "collapses"));
	/* not a polygon */
	err_clear(&err);
	assert_int_equal(read_geojson("{\"type\":\"Point\",\"coordinates\":[0,0]}", &g, &fix, &err),
			 GG_EFIELD);
}

static void test_split_partitions(void **state)
{
	(void)state;
	GEOSContextHandle_t h = geo_ctx();
	GEOSGeometry *g, *p[5];
	struct geo_fix fix;
	struct err err = ERR_INIT;
	assert_int_equal(read_geojson("{\"type\":\"Polygon\",\"coordinates\":[[[104,30],[104.02,30],"
				      "[104.02,30.01],[104.01,30.005],[104,30.01],[104,30]]]}",
				      &g, &fix, &err),
			 GG_OK);
	double w[5] = {1, 2, 1, 3, 1}, total, sum = 0;
	GEOSArea_r(h, g, &total);
	assert_int_equal(geo_split(h, g, w, 5, p, &err), GG_OK);
	for (int i = 0; i < 5; i++) {
		double a;
		GEOSArea_r(h, p[i], &a);
		assert_true(a > total * w[i] / 8 * 0.999 && a < total * w[i] / 8 * 1.001);
		sum += a;
		for (int j = 0; j < i; j++) {
			GEOSGeometry *x = GEOSIntersection_r(h, p[i], p[j]);
			double ov;
			GEOSArea_r(h, x, &ov);
			assert_true(ov < total * 1e-9);
			GEOSGeom_destroy_r(h, x);
		}
	}
	assert_true(sum > total * (1 - 1e-9) && sum < total * (1 + 1e-9));
	for (int i = 0; i < 5; i++)
		GEOSGeom_destroy_r(h, p[i]);
	GEOSGeom_destroy_r(h, g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_hole_and_multipolygon),
		cmocka_unit_test(test_edges_and_vertices),
		cmocka_unit_test(test_outside),
		cmocka_unit_test(test_slot_swap),
		cmocka_unit_test(test_swap_under_readers),
		cmocka_unit_test(test_repair),
		cmocka_unit_test(test_split_partitions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
