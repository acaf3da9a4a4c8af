/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The coverage check 网格划分校验: children must lie inside their parent, siblings must
 * not overlap and together must cover the parent, every geometry must be valid, and
 * every basic grid needs a dedicated worker and 300–500 households. Each problem carries
 * a location (a point on the offending area) and its area in m².
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/geo.h"
#include "gridgov/xalloc.h"

struct node {
	const struct geo_check_node *in;
	GEOSGeometry *g; /* NULL: no geometry or invalid */
	double minx, miny, maxx, maxy;
};

static void add(json_t *problems, const char *kind, const char *code, const char *other,
		double lon, double lat, double area, const char *fmt, ...) GG_PRINTF(8, 9);
static void add(json_t *problems, const char *kind, const char *code, const char *other,
		double lon, double lat, double area, const char *fmt, ...)
{
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	json_t *p = json_pack("{s:s,s:s,s:s}", "kind", kind, "code", code, "message", msg);
	if (other)
		json_object_set_new(p, "other", json_string(other));
	if (area >= 0) {
		json_object_set_new(p, "lon", json_real(lon));
		json_object_set_new(p, "lat", json_real(lat));
		json_object_set_new(p, "area_m2", json_real(area));
	}
	json_array_append_new(problems, p);
}

/* Where a problem area is: a point on its surface. */
static void where(GEOSContextHandle_t h, const GEOSGeometry *g, double *lon, double *lat)
{
	*lon = *lat = 0;
	GEOSGeometry *p = GEOSPointOnSurface_r(h, g);
	if (p) {
		GEOSGeomGetX_r(h, p, lon);
		GEOSGeomGetY_r(h, p, lat);
		GEOSGeom_destroy_r(h, p);
	}
}

/* If a op b leaves more than the tolerance, report it; returns 1 when reported. */
static int residue(GEOSContextHandle_t h, GEOSGeometry *r, double tol, double *area,
		   double *lon, double *lat)
{
	if (!r)
		return 0;
	*area = geo_area_m2(h, r);
	int big = *area > tol;
	if (big)
		where(h, r, lon, lat);
	GEOSGeom_destroy_r(h, r);
	return big;
}

static int overlaps_box(const struct node *a, const struct node *b)
{
	return a->minx <= b->maxx && b->minx <= a->maxx && a->miny <= b->maxy &&
	       b->miny <= a->maxy;
}

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct node *)a)->in->code, ((const struct node *)b)->in->code);
}

json_t *geo_check(GEOSContextHandle_t h, const struct geo_check_node *nodes, size_t n,
		  const struct geo_check_opts *opts)
{
	json_t *problems = json_array();
	double tol = opts->tolerance_m2;
	struct node *v = xcalloc(n ? n : 1, sizeof(*v));
	long long with_geom = 0, grids = 0;
	for (size_t i = 0; i < n; i++)
		v[i].in = &nodes[i];
	qsort(v, n, sizeof(*v), by_code);
	for (size_t i = 0; i < n; i++) {
		const struct geo_check_node *in = v[i].in;
		if (in->level == opts->grid_level) {
			grids++;
			if (!in->has_dedicated)
				add(problems, "no_dedicated_worker", in->code, NULL, 0, 0, -1,
				    "grid %s %s has no dedicated grid worker (专职网格员)", in->code,
				    in->name);
			if (in->households < opts->households_min ||
			    in->households > opts->households_max)
				add(problems, "households", in->code, NULL, 0, 0, -1,
				    "grid %s %s has %lld households, outside %lld–%lld", in->code,
				    in->name, in->households, opts->households_min,
				    opts->households_max);
		}
		if (!in->wkb)
			continue;
		with_geom++;
		GEOSGeometry *g = geo_from_wkb(h, in->wkb, in->wkb_len);
		if (!g) {
			add(problems, "invalid", in->code, NULL, 0, 0, -1,
			    "%s: the stored geometry cannot be read", in->code);
			continue;
		}
		if (GEOSisValid_r(h, g) != 1) {
			char *why = GEOSisValidReason_r(h, g);
			double lon, lat;
			where(h, g, &lon, &lat);
			add(problems, "invalid", in->code, NULL, lon, lat, geo_area_m2(h, g),
			    "%s: invalid geometry (%s)", in->code, why ? why : "?");
			if (why)
				GEOSFree_r(h, why);
			GEOSGeom_destroy_r(h, g);
			continue;
		}
		if (geo_area_m2(h, g) <= tol) {
			add(problems, "invalid", in->code, NULL, 0, 0, -1,
			    "%s: the geometry has no area", in->code);
			GEOSGeom_destroy_r(h, g);
			continue;
		}
		v[i].g = g;
		GEOSGeom_getXMin_r(h, g, &v[i].minx);
		GEOSGeom_getYMin_r(h, g, &v[i].miny);
		GEOSGeom_getXMax_r(h, g, &v[i].maxx);
		GEOSGeom_getYMax_r(h, g, &v[i].maxy);
	}

	/* Children of a parent are contiguous when sorted by parent; index them that way. */
	size_t *kids = xcalloc(n ? n : 1, sizeof(*kids));
	for (size_t p = 0; p < n; p++) {
		if (!v[p].g)
			continue;
		size_t k = 0;
		/* descendants follow their ancestor in code order */
		for (size_t i = p + 1; i < n && !strncmp(v[i].in->code, v[p].in->code,
							  strlen(v[p].in->code));
		     i++)
			if (v[i].g && !strcmp(v[i].in->parent, v[p].in->code))
				kids[k++] = i;
		if (k == 0)
			continue;
		const char *pc = v[p].in->code;
		double area, lon, lat;
		GEOSGeometry **parts = xcalloc(k, sizeof(*parts));
		for (size_t a = 0; a < k; a++) {
			struct node *c = &v[kids[a]];
			parts[a] = GEOSGeom_clone_r(h, c->g);
			if (residue(h, GEOSDifference_r(h, c->g, v[p].g), tol, &area, &lon, &lat))
				add(problems, "outside_parent", c->in->code, pc, lon, lat, area,
				    "%s reaches %.0f m² outside its parent %s", c->in->code, area,
				    pc);
			for (size_t b = a + 1; b < k; b++) {
				struct node *d = &v[kids[b]];
				if (!overlaps_box(c, d))
					continue;
				if (residue(h, GEOSIntersection_r(h, c->g, d->g), tol, &area, &lon,
					    &lat))
					add(problems, "overlap", c->in->code, d->in->code, lon, lat,
					    area, "%s and %s overlap by %.0f m²", c->in->code,
					    d->in->code, area);
			}
		}
		GEOSGeometry *coll =
			GEOSGeom_createCollection_r(h, GEOS_GEOMETRYCOLLECTION, parts, (unsigned)k);
		free(parts);
		GEOSGeometry *u = coll ? GEOSUnaryUnion_r(h, coll) : NULL;
		if (coll)
			GEOSGeom_destroy_r(h, coll);
		if (u) {
			if (residue(h, GEOSDifference_r(h, v[p].g, u), tol, &area, &lon, &lat))
				add(problems, "gap", pc, NULL, lon, lat, area,
				    "%.0f m² of %s is covered by none of its %zu children", area, pc,
				    k);
			GEOSGeom_destroy_r(h, u);
		}
	}
	free(kids);
	for (size_t i = 0; i < n; i++)
		if (v[i].g)
			GEOSGeom_destroy_r(h, v[i].g);
	free(v);
	size_t errors = json_array_size(problems);
	return json_pack("{s:I,s:{s:I,s:I,s:I},s:f,s:o}", "errors", (json_int_t)errors, "checked",
			 "nodes", (json_int_t)n, "with_geometry", (json_int_t)with_geom, "grids",
			 (json_int_t)grids, "tolerance_m2", tol, "problems", problems);
}
