/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coverage check: a clean map has no problems; a child reaching outside its parent,
 * overlapping siblings, a gap, an invalid (bow-tie) geometry, a grid without a dedicated
 * worker and a grid outside 300–500 households are each reported with their kind, codes,
 * location and area.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gridgov/geo.h"

/* WKB of a polygon from a flat list of lon/lat pairs (closed by the caller). */
static unsigned char *poly(size_t *len, size_t n, const double *xy)
{
	GEOSContextHandle_t h = geo_ctx();
	GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)n, 0, 0);
	GEOSGeometry *g = GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
	unsigned char *w = geo_to_wkb(h, g, len);
	GEOSGeom_destroy_r(h, g);
	return w;
}

static unsigned char *box(size_t *len, double x0, double y0, double x1, double y1)
{
	double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
	return poly(len, 5, xy);
}

static const struct geo_check_opts opts = {10, 300, 500, 4};

struct map {
	struct geo_check_node n[5];
	unsigned char *w[5];
};

/* community 110101001001 = [0,0.02]×[0,0.01]; grids 001 west half, 002 east half */
static void clean(struct map *m)
{
	memset(m, 0, sizeof(*m));
	const char *codes[] = {"110101001001", "110101001001001", "110101001001002"};
	double b[3][4] = {{0, 0, 0.02, 0.01}, {0, 0, 0.01, 0.01}, {0.01, 0, 0.02, 0.01}};
	for (int i = 0; i < 3; i++) {
		m->n[i].code = codes[i];
		m->n[i].parent = i ? "110101001001" : "110101001";
		m->n[i].name = codes[i];
		m->n[i].level = i ? 4 : 3;
		m->w[i] = box(&m->n[i].wkb_len, b[i][0], b[i][1], b[i][2], b[i][3]);
		m->n[i].wkb = m->w[i];
		m->n[i].households = 400;
		m->n[i].has_dedicated = 1;
	}
}

static void release(struct map *m)
{
	for (int i = 0; i < 5; i++)
		free(m->w[i]);
}

static void reset(struct map *m, int i, unsigned char *w)
{
	free(m->w[i]);
	m->w[i] = w;
	m->n[i].wkb = w;
}

static json_t *problem(json_t *rep, const char *kind, const char *code)
{
	size_t i;
	json_t *p;
	json_array_foreach(json_object_get(rep, "problems"), i, p)
	{
		if (!strcmp(json_string_value(json_object_get(p, "kind")), kind) &&
		    !strcmp(json_string_value(json_object_get(p, "code")), code))
			return p;
	}
	return NULL;
}

static void test_clean_map(void **state)
{
	(void)state;
	struct map m;
	clean(&m);
	json_t *rep = geo_check(geo_ctx(), m.n, 3, &opts);
	assert_int_equal(json_integer_value(json_object_get(rep, "errors")), 0);
	assert_int_equal(json_array_size(json_object_get(rep, "problems")), 0);
	json_decref(rep);
	release(&m);
}

static void test_overlap_gap_outside(void **state)
{
	(void)state;
	struct map m;
	clean(&m);
	/* grid 002 moves west by a fifth of its width and reaches past the community's north */
	size_t len;
	reset(&m, 2, box(&len, 0.008, 0, 0.018, 0.012));
	m.n[2].wkb_len = len;
	json_t *rep = geo_check(geo_ctx(), m.n, 3, &opts);
	json_t *ov = problem(rep, "overlap", "110101001001001");
	assert_non_null(ov);
	assert_string_equal(json_string_value(json_object_get(ov, "other")), "110101001001002");
	/* 0.002° × 0.01° at the equator: about 247,000 m² */
	double a = json_real_value(json_object_get(ov, "area_m2"));
	assert_true(a > 240000 && a < 255000);
	double lon = json_real_value(json_object_get(ov, "lon"));
	assert_true(lon > 0.008 && lon < 0.01);
	json_t *gap = problem(rep, "gap", "110101001001");
	assert_non_null(gap);
	lon = json_real_value(json_object_get(gap, "lon"));
	assert_true(lon > 0.018 && lon < 0.02);
	json_t *out = problem(rep, "outside_parent", "110101001001002");
	assert_non_null(out);
	assert_string_equal(json_string_value(json_object_get(out, "other")), "110101001001");
	assert_int_equal(json_integer_value(json_object_get(rep, "errors")), 3);
	json_decref(rep);
	release(&m);
}

static void test_invalid_worker_households(void **state)
{
	(void)state;
	struct map m;
	clean(&m);
	/* grid 001 as a bow-tie */
	double bow[] = {0, 0, 0.01, 0.01, 0.01, 0, 0, 0.01, 0, 0};
	size_t len;
	reset(&m, 1, poly(&len, 5, bow));
	m.n[1].wkb_len = len;
	m.n[2].has_dedicated = 0;
	m.n[2].households = 520;
	json_t *rep = geo_check(geo_ctx(), m.n, 3, &opts);
	json_t *inv = problem(rep, "invalid", "110101001001001");
	assert_non_null(inv);
	assert_non_null(strstr(json_string_value(json_object_get(inv, "message")),
			       "Self-intersection"));
	assert_non_null(problem(rep, "no_dedicated_worker", "110101001001002"));
	json_t *hh = problem(rep, "households", "110101001001002");
	assert_non_null(hh);
	assert_non_null(strstr(json_string_value(json_object_get(hh, "message")), "520"));
	/* the invalid grid is left out of the coverage, so its half is a gap */
	assert_non_null(problem(rep, "gap", "110101001001"));
	assert_null(problem(rep, "households", "110101001001001"));
	json_decref(rep);
	release(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_clean_map),
		cmocka_unit_test(test_overlap_gap_outside),
		cmocka_unit_test(test_invalid_worker_households),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
