/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GEOS glue for the grid map: the per-thread context, GeoJSON in (with the repairs real
 * data needs) and out, WKB, areas in square metres and summaries.
 */
#include <math.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/geo.h"
#include "gridgov/xalloc.h"

/* Below this a polygon is a collapsed line, whatever floating point says. */
#define GEO_MIN_AREA_M2 0.01

static pthread_key_t ctx_key;
static pthread_once_t ctx_once = PTHREAD_ONCE_INIT;

static void ctx_finish(void *h)
{
	GEOS_finish_r((GEOSContextHandle_t)h);
}

static void ctx_key_make(void)
{
	pthread_key_create(&ctx_key, ctx_finish);
}

/* GEOS reports problems through these; the callers check return values instead. */
static void geos_quiet(const char *fmt, ...)
{
	(void)fmt;
}

GEOSContextHandle_t geo_ctx(void)
{
	pthread_once(&ctx_once, ctx_key_make);
	GEOSContextHandle_t h = pthread_getspecific(ctx_key);
	if (!h) {
		h = GEOS_init_r();
		GEOSContext_setNoticeHandler_r(h, geos_quiet);
		GEOSContext_setErrorHandler_r(h, geos_quiet);
		pthread_setspecific(ctx_key, h);
	}
	return h;
}

double geo_deg2_to_m2(double deg2, double lat)
{
	const double r = 6371008.8, k = M_PI / 180.0;
	return deg2 * (r * k) * (r * k) * cos(lat * k);
}

double geo_area_m2(GEOSContextHandle_t h, const GEOSGeometry *g)
{
	double a = 0, y = 0;
	GEOSArea_r(h, g, &a);
	if (a > 0) {
		double miny, maxy;
		GEOSGeom_getYMin_r(h, g, &miny);
		GEOSGeom_getYMax_r(h, g, &maxy);
		y = (miny + maxy) / 2;
	}
	return geo_deg2_to_m2(a, y);
}

void geo_summarize(GEOSContextHandle_t h, const GEOSGeometry *g, struct geo_summary *s)
{
	memset(s, 0, sizeof(*s));
	if (GEOSisEmpty_r(h, g))
		return;
	GEOSGeom_getXMin_r(h, g, &s->minx);
	GEOSGeom_getYMin_r(h, g, &s->miny);
	GEOSGeom_getXMax_r(h, g, &s->maxx);
	GEOSGeom_getYMax_r(h, g, &s->maxy);
	s->area_m2 = geo_area_m2(h, g);
	GEOSGeometry *c = GEOSGetCentroid_r(h, g);
	if (c) {
		GEOSGeomGetX_r(h, c, &s->cx);
		GEOSGeomGetY_r(h, c, &s->cy);
		GEOSGeom_destroy_r(h, c);
	}
}

/* ---- GeoJSON in -------------------------------------------------------------------- */

static int bad(struct err *err, const char *fmt, ...) GG_PRINTF(2, 3);
static int bad(struct err *err, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_field(err, GG_EFIELD, "geometry", "%s", msg);
}

/* A ring from [[lon,lat],…]: repeated points dropped, closed if needed. NULL with
 * *dropped set when fewer than 3 distinct points remain. */
static GEOSGeometry *read_ring(GEOSContextHandle_t h, const json_t *pts, struct geo_fix *fix,
			       int *dropped, struct err *err)
{
	*dropped = 0;
	if (!json_is_array(pts)) {
		bad(err, "a ring must be an array of positions");
		return NULL;
	}
	size_t n = json_array_size(pts), m = 0;
	double *xy = xmalloc((n + 1) * 2 * sizeof(double));
	for (size_t i = 0; i < n; i++) {
		const json_t *p = json_array_get(pts, i);
		const json_t *x = json_array_get(p, 0), *y = json_array_get(p, 1);
		if (!json_is_number(x) || !json_is_number(y)) {
			free(xy);
			bad(err, "position %zu of a ring is not [lon, lat]", i);
			return NULL;
		}
		double lon = json_number_value(x), lat = json_number_value(y);
		if (!isfinite(lon) || !isfinite(lat) || lon < -180 || lon > 180 || lat < -90 ||
		    lat > 90) {
			free(xy);
			bad(err, "position [%g, %g] is not a WGS 84 lon/lat", lon, lat);
			return NULL;
		}
		if (m > 0 && xy[2 * m - 2] == lon && xy[2 * m - 1] == lat) {
			fix->repeated_points++;
			continue;
		}
		xy[2 * m] = lon;
		xy[2 * m + 1] = lat;
		m++;
	}
	if (m > 0 && (xy[0] != xy[2 * m - 2] || xy[1] != xy[2 * m - 1])) {
		fix->closed_rings++;
		xy[2 * m] = xy[0];
		xy[2 * m + 1] = xy[1];
		m++;
	}
	if (m < 4) {
		free(xy);
		fix->dropped_rings++;
		*dropped = 1;
		return NULL;
	}
	GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, (unsigned)m, 0, 0);
	free(xy);
	GEOSGeometry *r = cs ? GEOSGeom_createLinearRing_r(h, cs) : NULL;
	if (!r)
		bad(err, "a ring could not be built");
	return r;
}

/* A polygon from [ring, ring…]; NULL with *dropped when its shell collapsed. */
static GEOSGeometry *read_polygon(GEOSContextHandle_t h, const json_t *rings,
				  struct geo_fix *fix, int *dropped, struct err *err)
{
	*dropped = 0;
	if (!json_is_array(rings) || json_array_size(rings) == 0) {
		bad(err, "a polygon must be a non-empty array of rings");
		return NULL;
	}
	size_t n = json_array_size(rings), nholes = 0;
	GEOSGeometry *shell = NULL, **holes = xcalloc(n, sizeof(*holes));
	for (size_t i = 0; i < n; i++) {
		int gone;
		GEOSGeometry *r = read_ring(h, json_array_get(rings, i), fix, &gone, err);
		if (!r && !gone) {
			for (size_t j = 0; j < nholes; j++)
				GEOSGeom_destroy_r(h, holes[j]);
			if (shell)
				GEOSGeom_destroy_r(h, shell);
			free(holes);
			return NULL;
		}
		if (i == 0) {
			if (!r) {
				free(holes);
				*dropped = 1;
				return NULL;
			}
			shell = r;
		} else if (r) {
			holes[nholes++] = r;
		}
	}
	GEOSGeometry *p = GEOSGeom_createPolygon_r(h, shell, holes, (unsigned)nholes);
	free(holes);
	if (!p)
		bad(err, "a polygon could not be built");
	return p;
}

GEOSGeometry *geo_polygonal(GEOSContextHandle_t h, GEOSGeometry *g)
{
	if (!g)
		return NULL;
	int t = GEOSGeomTypeId_r(h, g);
	if (t == GEOS_POLYGON || t == GEOS_MULTIPOLYGON) {
		if (GEOSisEmpty_r(h, g)) {
			GEOSGeom_destroy_r(h, g);
			return NULL;
		}
		return g;
	}
	if (t != GEOS_GEOMETRYCOLLECTION) {
		GEOSGeom_destroy_r(h, g);
		return NULL;
	}
	int n = GEOSGetNumGeometries_r(h, g);
	GEOSGeometry **polys = xcalloc((size_t)n + 1, sizeof(*polys));
	unsigned np = 0;
	for (int i = 0; i < n; i++) {
		const GEOSGeometry *c = GEOSGetGeometryN_r(h, g, i);
		int ct = GEOSGeomTypeId_r(h, c);
		if (ct == GEOS_POLYGON && !GEOSisEmpty_r(h, c)) {
			polys[np++] = GEOSGeom_clone_r(h, c);
		} else if (ct == GEOS_MULTIPOLYGON) {
			for (int j = 0; j < GEOSGetNumGeometries_r(h, c); j++) {
				polys = xrealloc(polys, (np + (size_t)n + 2) * sizeof(*polys));
				polys[np++] = GEOSGeom_clone_r(h, GEOSGetGeometryN_r(h, c, j));
			}
		}
	}
	GEOSGeom_destroy_r(h, g);
	GEOSGeometry *r = NULL;
	if (np == 1)
		r = polys[0];
	else if (np > 1)
		r = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, np);
	free(polys);
	return r;
}

int geo_repair(GEOSContextHandle_t h, GEOSGeometry *g, GEOSGeometry **out,
	       struct geo_fix *fix, struct err *err)
{
	*out = NULL;
	char v = GEOSisValid_r(h, g);
	if (v == 1) {
		GEOSGeometry *p = geo_polygonal(h, g);
		if (!p || geo_area_m2(h, p) < GEO_MIN_AREA_M2) {
			if (p)
				GEOSGeom_destroy_r(h, p);
			return bad(err, "the geometry collapses: it has no area (under %g m²)",
				   GEO_MIN_AREA_M2);
		}
		*out = p;
		return GG_OK;
	}
	char *why = GEOSisValidReason_r(h, g);
	snprintf(fix->reason, sizeof(fix->reason), "%s", why ? why : "invalid");
	if (why)
		GEOSFree_r(h, why);
	fix->made_valid = 1;
	fix->area_before = geo_area_m2(h, g);
	GEOSGeometry *m = geo_polygonal(h, GEOSMakeValid_r(h, g));
	GEOSGeom_destroy_r(h, g);
	if (!m || GEOSisValid_r(h, m) != 1 || geo_area_m2(h, m) < GEO_MIN_AREA_M2) {
		if (m)
			GEOSGeom_destroy_r(h, m);
		return bad(err, "invalid geometry (%s) cannot be repaired: nothing with area remains",
			   fix->reason);
	}
	fix->area_after = geo_area_m2(h, m);
	*out = m;
	return GG_OK;
}

int geo_from_geojson(GEOSContextHandle_t h, const json_t *geometry, GEOSGeometry **out,
		     struct geo_fix *fix, struct err *err)
{
	memset(fix, 0, sizeof(*fix));
	*out = NULL;
	const char *type = json_string_value(json_object_get(geometry, "type"));
	const json_t *coords = json_object_get(geometry, "coordinates");
	if (!type)
		return bad(err, "a feature needs a geometry with a type");
	if (!json_is_array(coords))
		return bad(err, "a %s needs coordinates", type);
	GEOSGeometry *g = NULL;
	int dropped;
	if (!strcmp(type, "Polygon")) {
		g = read_polygon(h, coords, fix, &dropped, err);
		if (!g)
			return dropped ? bad(err, "the polygon collapses: its outer ring has fewer"
						  " than 3 distinct points")
				       : err->code;
	} else if (!strcmp(type, "MultiPolygon")) {
		size_t n = json_array_size(coords), np = 0;
		GEOSGeometry **polys = xcalloc(n + 1, sizeof(*polys));
		for (size_t i = 0; i < n; i++) {
			GEOSGeometry *p = read_polygon(h, json_array_get(coords, i), fix, &dropped,
						       err);
			if (!p && !dropped) {
				for (size_t j = 0; j < np; j++)
					GEOSGeom_destroy_r(h, polys[j]);
				free(polys);
				return err->code;
			}
			if (p)
				polys[np++] = p;
		}
		if (np == 0) {
			free(polys);
			return bad(err, "the multipolygon collapses: no polygon has 3 distinct points");
		}
		g = GEOSGeom_createCollection_r(h, GEOS_MULTIPOLYGON, polys, (unsigned)np);
		free(polys);
	} else {
		return bad(err, "geometry type %s is not a Polygon or MultiPolygon", type);
	}
	if (!g)
		return bad(err, "the geometry could not be built");
	return geo_repair(h, g, out, fix, err);
}

void geo_fix_describe(const struct geo_fix *f, char *out, size_t n)
{
	size_t len = 0;
	out[0] = 0;
#define ADD(...)                                                                              \
	do {                                                                                  \
		if (len < n)                                                                  \
			len += (size_t)snprintf(out + len, n - len, __VA_ARGS__);             \
	} while (0)
	if (f->closed_rings)
		ADD("%sclosed %d ring%s", len ? ", " : "", f->closed_rings,
		    f->closed_rings > 1 ? "s" : "");
	if (f->repeated_points)
		ADD("%sdropped %d repeated point%s", len ? ", " : "", f->repeated_points,
		    f->repeated_points > 1 ? "s" : "");
	if (f->dropped_rings)
		ADD("%sdropped %d degenerate ring%s", len ? ", " : "", f->dropped_rings,
		    f->dropped_rings > 1 ? "s" : "");
	if (f->made_valid)
		ADD("%smade valid (%s), area %.0f m² -> %.0f m²", len ? ", " : "", f->reason,
		    f->area_before, f->area_after);
#undef ADD
}

/* ---- out ----------------------------------------------------------------------------- */

static json_t *ring_json(GEOSContextHandle_t h, const GEOSGeometry *ring)
{
	const GEOSCoordSequence *cs = GEOSGeom_getCoordSeq_r(h, ring);
	unsigned n = 0;
	GEOSCoordSeq_getSize_r(h, cs, &n);
	json_t *a = json_array();
	for (unsigned i = 0; i < n; i++) {
		double x, y;
		GEOSCoordSeq_getXY_r(h, cs, i, &x, &y);
		json_array_append_new(a, json_pack("[f,f]", x, y));
	}
	return a;
}

static json_t *polygon_json(GEOSContextHandle_t h, const GEOSGeometry *p)
{
	json_t *rings = json_array();
	json_array_append_new(rings, ring_json(h, GEOSGetExteriorRing_r(h, p)));
	int n = GEOSGetNumInteriorRings_r(h, p);
	for (int i = 0; i < n; i++)
		json_array_append_new(rings, ring_json(h, GEOSGetInteriorRingN_r(h, p, i)));
	return rings;
}

json_t *geo_to_geojson(GEOSContextHandle_t h, const GEOSGeometry *g)
{
	if (GEOSGeomTypeId_r(h, g) == GEOS_POLYGON)
		return json_pack("{s:s,s:o}", "type", "Polygon", "coordinates",
				 polygon_json(h, g));
	json_t *polys = json_array();
	int n = GEOSGetNumGeometries_r(h, g);
	for (int i = 0; i < n; i++)
		json_array_append_new(polys, polygon_json(h, GEOSGetGeometryN_r(h, g, i)));
	return json_pack("{s:s,s:o}", "type", "MultiPolygon", "coordinates", polys);
}

unsigned char *geo_to_wkb(GEOSContextHandle_t h, const GEOSGeometry *g, size_t *len)
{
	GEOSWKBWriter *w = GEOSWKBWriter_create_r(h);
	unsigned char *b = GEOSWKBWriter_write_r(h, w, g, len);
	GEOSWKBWriter_destroy_r(h, w);
	unsigned char *copy = xmalloc(*len ? *len : 1);
	memcpy(copy, b, *len);
	GEOSFree_r(h, b);
	return copy;
}

GEOSGeometry *geo_from_wkb(GEOSContextHandle_t h, const unsigned char *wkb, size_t len)
{
	GEOSWKBReader *r = GEOSWKBReader_create_r(h);
	GEOSGeometry *g = GEOSWKBReader_read_r(h, r, wkb, len);
	GEOSWKBReader_destroy_r(h, r);
	return g;
}
