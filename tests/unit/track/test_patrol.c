/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrols and time in grid: a synthetic route crossing three grids at constant speed
 * with a known time in each (exact without noise; within 1 % with positional noise, time
 * jitter and a standing phone's jitter cleaned by the filters; a one-hour gap counted as
 * unknown and splitting the patrol), stop detection at its edges, and each of Traccar's
 * filters.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "gridgov/geo.h"
#include "gridgov/track.h"

#define LAT	30.605
#define T0	1765000000000LL
#define STEP_MS 10000

/* Grids A, B, C: squares 0.01° wide side by side from lon 104.00, lat 30.60 to 30.61. */
static GEOSGeometry *square(GEOSContextHandle_t h, double x0)
{
	GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 5, 2);
	double xs[] = {x0, x0 + 0.01, x0 + 0.01, x0, x0},
	       ys[] = {30.60, 30.60, 30.61, 30.61, 30.60};
	for (int i = 0; i < 5; i++)
		GEOSCoordSeq_setXY_r(h, cs, (unsigned)i, xs[i], ys[i]);
	return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
}

static uint64_t rng = 88172645463325252ULL;
static double uniform(void) /* -1 … 1, xorshift: deterministic */
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / (double)(1ULL << 52) - 1.0;
}

/* metres to degrees at LAT */
static double m_lat(double m)
{
	return m / 111195.0;
}
static double m_lon(double m)
{
	return m / (111195.0 * cos(LAT * M_PI / 180));
}

struct route {
	struct track_point p[4000];
	size_t n;
	double truth[3]; /* seconds inside A, B, C */
};

/* Walk from lon x0 to x1 at v m/s starting at t (ms), a fix every STEP_MS; appends. */
static int64_t walk(struct route *r, double x0, double x1, double v, int64_t t, double noise_m,
		    double jitter_ms)
{
	double len = (x1 - x0) / m_lon(1); /* metres */
	double dur = len / v;
	for (double s = 0; s <= dur * 1000 + 1e-6; s += STEP_MS) {
		struct track_point *q = &r->p[r->n++];
		double x = x0 + (x1 - x0) * (s / (dur * 1000));
		q->t_ms = t + (int64_t)s + (int64_t)(jitter_ms * uniform());
		q->lon = x + m_lon(noise_m * uniform());
		q->lat = LAT + m_lat(noise_m * uniform());
	}
	for (int g = 0; g < 3; g++) {
		double a = 104.00 + 0.01 * g, b = a + 0.01;
		double lo = fmax(a, x0), hi = fmin(b, x1);
		if (hi > lo)
			r->truth[g] += (hi - lo) / (x1 - x0) * dur;
	}
	return t + (int64_t)(dur * 1000);
}

/* Stand at lon x for secs with jitter_m of noise, a fix every STEP_MS; the time is C's. */
static int64_t stand(struct route *r, double x, int64_t t, int secs, double jitter_m, int grid)
{
	for (int s = STEP_MS; s <= secs * 1000; s += STEP_MS) {
		struct track_point *q = &r->p[r->n++];
		q->t_ms = t + s;
		q->lon = x + m_lon(jitter_m * uniform());
		q->lat = LAT + m_lat(jitter_m * uniform());
	}
	r->truth[grid] += secs;
	return t + secs * 1000LL;
}

/* Run the fixes through the cleaning as the listener does: the accepted ones, in place. */
static void clean(const struct track_config *c, struct route *r, size_t *rejected)
{
	struct track_fix last, f;
	int has = 0;
	size_t k = 0;
	*rejected = 0;
	for (size_t i = 0; i < r->n; i++) {
		track_fix_init(&f);
		f.t_ms = r->p[i].t_ms;
		f.lat = r->p[i].lat;
		f.lon = r->p[i].lon;
		f.has_pos = 1;
		f.accuracy = 8;
		if (track_filter(c, has ? &last : NULL, &f, r->p[r->n - 1].t_ms)) {
			(*rejected)++;
			continue;
		}
		last = f;
		has = 1;
		r->p[k++] = r->p[i];
	}
	r->n = k;
}

/* Time inside each grid summed over the patrols; the number of patrols in *np. */
static void measure(const struct route *r, double out[3], size_t *np, struct track_patrol **pt,
		    struct arena *a)
{
	struct track_config c;
	track_config_defaults(&c);
	GEOSContextHandle_t h = geo_ctx();
	for (int g = 0; g < 3; g++) {
		GEOSGeometry *sq = square(h, 104.00 + 0.01 * g);
		const GEOSPreparedGeometry *prep = g == 1 ? NULL : GEOSPrepare_r(h, sq);
		struct err err = ERR_INIT;
		assert_int_equal(track_patrols(a, &c, r->p, r->n, h, sq, prep, pt, np, &err),
				 GG_OK);
		out[g] = 0;
		for (size_t i = 0; i < *np; i++)
			out[g] += (*pt)[i].inside_s;
		if (prep)
			GEOSPreparedGeom_destroy_r(h, prep);
		GEOSGeom_destroy_r(h, sq);
	}
}

static void within(double got, double truth, double rel)
{
	if (fabs(got - truth) > rel * truth)
		fail_msg("%.2f s inside, truth %.2f s (%.3f %%)", got, truth,
			 100 * fabs(got - truth) / truth);
}

static void three_grids_exact(void **state)
{
	(void)state;
	static struct route r;
	memset(&r, 0, sizeof(r));
	walk(&r, 103.995, 104.035, 1.25, T0, 0, 0);
	double got[3];
	size_t np;
	struct track_patrol *pt;
	struct arena *a = arena_new();
	measure(&r, got, &np, &pt, a);
	assert_int_equal(np, 1);
	for (int g = 0; g < 3; g++)
		within(got[g], r.truth[g], 1e-3);
	/* the walk is 0.04° of longitude at 1.25 m/s */
	assert_true(fabs(pt[0].distance_m - 0.04 / m_lon(1)) < 5);
	assert_true(fabs(pt[0].duration_s - 0.04 / m_lon(1) / 1.25) < 10);
	assert_int_equal(pt[0].nstops, 0);
	arena_free(a);
}

static void three_grids_noise_jitter_gap(void **state)
{
	(void)state;
	static struct route r;
	memset(&r, 0, sizeof(r));
	/* A and half of B with 5 m of noise and a second of clock jitter … */
	int64_t t = walk(&r, 103.995, 104.015, 1.25, T0, 5, 1000);
	/* … the phone is silent for 70 minutes (unknown: no grid gets that time) … */
	t += 70 * 60 * 1000;
	/* … then the rest of B, a 10-minute stand in C with 8 m of jitter, and out */
	t = walk(&r, 104.015, 104.025, 1.25, t, 5, 1000);
	t = stand(&r, 104.025, t, 600, 8, 2);
	walk(&r, 104.025, 104.035, 1.25, t, 5, 1000);

	struct track_config c;
	track_config_defaults(&c);
	size_t before = r.n, rejected;
	clean(&c, &r, &rejected);
	/* the standing phone's 60 fixes collapse to one every filter.skipLimit */
	assert_true(rejected >= 50);
	assert_int_equal(before - rejected, r.n);

	double got[3];
	size_t np;
	struct track_patrol *pt;
	struct arena *a = arena_new();
	measure(&r, got, &np, &pt, a);
	assert_int_equal(np, 2); /* split at the gap */
	for (int g = 0; g < 3; g++)
		within(got[g], r.truth[g], 0.01);
	/* the stand is a stop in the second patrol: its 10 minutes and the walk in and out
	 * of the 50 m around it (at most 80 s at 1.25 m/s) */
	assert_int_equal(pt[0].nstops, 0);
	assert_int_equal(pt[1].nstops, 1);
	double stop_s = (double)(pt[1].stops[0].to_ms - pt[1].stops[0].from_ms) / 1000;
	if (stop_s < 600 || stop_s > 690)
		fail_msg("stop of %.1f s", stop_s);
	arena_free(a);
}

static void stops_at_their_edges(void **state)
{
	(void)state;
	struct track_config c;
	track_config_defaults(&c);
	struct arena *a = arena_new();
	struct track_patrol *pt;
	size_t np;
	struct err err = ERR_INIT;
	/* 300 s within 40 m: a stop; 299 s: none; 300 s but 60 m away: none */
	struct track_point p[] = {
	    {T0, LAT, 104.0},
	    {T0 + 150000, LAT + m_lat(40), 104.0},
	    {T0 + 300000, LAT + m_lat(20), 104.0},
	    {T0 + 400000, LAT + m_lat(500), 104.0},
	};
	assert_int_equal(track_patrols(a, &c, p, 4, NULL, NULL, NULL, &pt, &np, &err), GG_OK);
	assert_int_equal(np, 1);
	assert_int_equal(pt[0].nstops, 1);
	assert_int_equal(pt[0].stops[0].to_ms - pt[0].stops[0].from_ms, 300000);
	p[2].t_ms = T0 + 299000;
	assert_int_equal(track_patrols(a, &c, p, 4, NULL, NULL, NULL, &pt, &np, &err), GG_OK);
	assert_int_equal(pt[0].nstops, 0);
	p[2].t_ms = T0 + 300000;
	p[1].lat = LAT + m_lat(60);
	p[2].lat = LAT + m_lat(60);
	assert_int_equal(track_patrols(a, &c, p, 4, NULL, NULL, NULL, &pt, &np, &err), GG_OK);
	assert_int_equal(pt[0].nstops, 0);
	/* a gap of exactly an hour does not split; a second more does */
	struct track_point q[] = {{T0, LAT, 104.0}, {T0 + 3600000, LAT, 104.001}};
	assert_int_equal(track_patrols(a, &c, q, 2, NULL, NULL, NULL, &pt, &np, &err), GG_OK);
	assert_int_equal(np, 1);
	q[1].t_ms++;
	assert_int_equal(track_patrols(a, &c, q, 2, NULL, NULL, NULL, &pt, &np, &err), GG_OK);
	assert_int_equal(np, 2);
	arena_free(a);
}

static void filters_by_traccar_name(void **state)
{
	(void)state;
	struct track_config c;
	track_config_defaults(&c);
	int64_t now = T0;
	struct track_fix last, f;
	track_fix_init(&last);
	last.t_ms = now - 60000;
	last.lat = LAT;
	last.lon = 104.0;
	last.has_pos = 1;
#define FIX(dt, dlat_m, dlon_m)                                                                    \
	(track_fix_init(&f), f.has_pos = 1, f.t_ms = last.t_ms + (dt),                             \
	 f.lat = LAT + m_lat(dlat_m), f.lon = 104.0 + m_lon(dlon_m))
	FIX(30000, 100, 0);
	assert_null(track_filter(&c, &last, &f, now));
	f.has_pos = 0;
	assert_string_equal(track_filter(&c, &last, &f, now), "invalid");
	FIX(30000, 100, 0);
	f.valid = 0;
	assert_string_equal(track_filter(&c, &last, &f, now), "invalid");
	FIX(30000, 0, 0);
	f.lat = 91;
	assert_string_equal(track_filter(&c, &last, &f, now), "invalid");
	f.lat = 0;
	f.lon = 0;
	assert_string_equal(track_filter(&c, NULL, &f, now), "zero");
	FIX(0, 100, 0);
	f.t_ms = now + 86401000;
	assert_string_equal(track_filter(&c, NULL, &f, now), "future");
	f.t_ms = now + 86400000;
	assert_null(track_filter(&c, NULL, &f, now));
	f.t_ms = now - 7 * 86400000LL - 1;
	assert_string_equal(track_filter(&c, NULL, &f, now), "past");
	FIX(30000, 100, 0);
	f.accuracy = 100.5;
	assert_string_equal(track_filter(&c, &last, &f, now), "accuracy");
	f.accuracy = 100;
	assert_null(track_filter(&c, &last, &f, now));
	FIX(0, 100, 0);
	assert_string_equal(track_filter(&c, &last, &f, now), "duplicate");
	FIX(30000, 14, 0);
	assert_string_equal(track_filter(&c, &last, &f, now), "distance");
	FIX(300001, 14, 0); /* filter.skipLimit: kept after 300 s */
	assert_null(track_filter(&c, &last, &f, now));
	FIX(10000, 0, 400); /* 40 m/s = 77.8 kn > 60 */
	assert_string_equal(track_filter(&c, &last, &f, now), "maxSpeed");
	FIX(10000, 0, 300); /* 30 m/s = 58.3 kn */
	assert_null(track_filter(&c, &last, &f, now));
	FIX(-10000, 0, 3000); /* older than the last: only the filters without it */
	assert_null(track_filter(&c, &last, &f, now));
	/* settings by name; switched off, a filter lets the fix through */
	struct err err = ERR_INIT;
	assert_int_equal(track_config_set(&c, "filter.maxSpeed", "0", &err), GG_OK);
	FIX(10000, 0, 400);
	assert_null(track_filter(&c, &last, &f, now));
	assert_int_equal(track_config_set(&c, "filter.bogus", "1", &err), GG_EINVAL);
	assert_int_equal(track_config_set(&c, "filter.zero", "maybe", &err), GG_EINVAL);
	assert_int_equal(track_config_set(&c, "filter.accuracy", "-1", &err), GG_EINVAL);
	assert_int_equal(track_config_set(&c, "track.retentionDays", "90", &err), GG_OK);
	assert_int_equal(c.retention_days, 90);
#undef FIX
}

static void scope_of_positions(void **state)
{
	(void)state;
	struct principal worker = {
	    .user_id = 7, .role = ROLE_GRID_WORKER, .scope = "510105002002001"};
	struct principal other = {
	    .user_id = 8, .role = ROLE_GRID_WORKER, .scope = "510105002002001"};
	struct principal comm = {.user_id = 9, .role = ROLE_COMMUNITY, .scope = "510105002002"};
	struct principal comm2 = {.user_id = 10, .role = ROLE_COMMUNITY, .scope = "510105002003"};
	struct principal dept = {.user_id = 11, .role = ROLE_DEPARTMENT, .scope = "510105"};
	assert_true(track_may_see(&worker, 7, worker.scope));
	assert_false(track_may_see(&other, 7, worker.scope));
	assert_true(track_may_see(&comm, 7, worker.scope));
	assert_false(track_may_see(&comm2, 7, worker.scope));
	assert_false(track_may_see(&dept, 7, worker.scope));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(three_grids_exact),    cmocka_unit_test(three_grids_noise_jitter_gap),
	    cmocka_unit_test(stops_at_their_edges), cmocka_unit_test(filters_by_traccar_name),
	    cmocka_unit_test(scope_of_positions),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
