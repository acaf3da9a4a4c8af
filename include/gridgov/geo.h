/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Geometry of the grid map, on the GEOS C API (reentrant _r functions, one
 * GEOSContextHandle per thread): reading GeoJSON with the repairs real-world data needs,
 * WKB in and out, areas in square metres, and cutting a polygon into pieces of given
 * area shares (the demo map). Never touches SQL or HTTP.
 */
#ifndef GRIDGOV_GEO_H
#define GRIDGOV_GEO_H

#include <geos_c.h>
#include <jansson.h>
#include <stddef.h>

#include "gridgov/err.h"

/** The calling thread's GEOS context, created on first use and finished at thread exit. */
GEOSContextHandle_t geo_ctx(void);

/** What reading and repairing a geometry changed (all zero: nothing). */
struct geo_fix {
	int closed_rings;     /* rings whose last point was not the first */
	int repeated_points;  /* consecutive duplicate points dropped */
	int dropped_rings;    /* rings with fewer than 3 distinct points dropped */
	int made_valid;	      /* GEOSMakeValid was needed */
	char reason[160];     /* GEOS's reason the input was invalid */
	double area_before;   /* m², of the input as read (made_valid only) */
	double area_after;    /* m², after repair */
};

/**
 * Read a GeoJSON Polygon or MultiPolygon object into a valid Polygon/MultiPolygon: close
 * unclosed rings, drop repeated points and degenerate rings, repair with GEOSMakeValid
 * (keeping only its polygonal part). Refuses (GG_EFIELD) other types, bad coordinates and
 * anything that is empty or has no area after repair. *out is freed with GEOSGeom_destroy_r.
 */
int geo_from_geojson(GEOSContextHandle_t h, const json_t *geometry, GEOSGeometry **out,
		     struct geo_fix *fix, struct err *err) GG_WUR;
/** One line describing a fix ("closed 1 ring, made valid (Self-intersection…) …"); "" if none. */
void geo_fix_describe(const struct geo_fix *fix, char *out, size_t n);

/**
 * Make g valid and polygonal (takes ownership of g, returns the result in *out). Refuses
 * with GG_EFIELD when nothing with area remains.
 */
int geo_repair(GEOSContextHandle_t h, GEOSGeometry *g, GEOSGeometry **out,
	       struct geo_fix *fix, struct err *err) GG_WUR;
/** Only the polygonal part of g as a Polygon or MultiPolygon (takes ownership); NULL if none. */
GEOSGeometry *geo_polygonal(GEOSContextHandle_t h, GEOSGeometry *g);

/** GeoJSON geometry object of g (new reference). */
json_t *geo_to_geojson(GEOSContextHandle_t h, const GEOSGeometry *g);
/** ISO WKB of g, allocated with malloc: free() it. */
unsigned char *geo_to_wkb(GEOSContextHandle_t h, const GEOSGeometry *g, size_t *len);
/** Read WKB; NULL if it is not valid WKB. */
GEOSGeometry *geo_from_wkb(GEOSContextHandle_t h, const unsigned char *wkb, size_t len);

/** Area in m² of a lon/lat geometry: degrees² scaled on a local equirectangular projection at the centroid's latitude. */
double geo_area_m2(GEOSContextHandle_t h, const GEOSGeometry *g);
/** Convert an area in degrees² at latitude lat to m². */
double geo_deg2_to_m2(double deg2, double lat);

struct geo_summary {
	double area_m2, cx, cy, minx, miny, maxx, maxy;
};
/** Area, centroid and bounding box of g. */
void geo_summarize(GEOSContextHandle_t h, const GEOSGeometry *g, struct geo_summary *s);

/**
 * Cut g into k pieces whose areas are proportional to w[0..k-1] (all > 0) by straight
 * cuts, recursively halving the weights and cutting across the longer side of the
 * bounding box. Every piece is g intersected with a half-plane box, so the pieces cover
 * g with no gaps and no overlaps (up to floating-point noise). pieces[i] are freed with
 * GEOSGeom_destroy_r; a piece may be a MultiPolygon when a cut crosses a concave part.
 */
int geo_split(GEOSContextHandle_t h, const GEOSGeometry *g, const double *w, size_t k,
	      GEOSGeometry **pieces, struct err *err) GG_WUR;

#endif

/* ---- coverage check 网格划分校验 (check.c) ------------------------------------------ */

/** One node of the tree as the coverage check sees it. */
struct geo_check_node {
	const char *code, *parent, *name;
	int level;		  /* enum grid_level */
	const unsigned char *wkb; /* NULL: the node has no geometry */
	size_t wkb_len;
	long long households;
	int has_dedicated; /* a 专职网格员 is assigned (basic grids) */
};

struct geo_check_opts {
	double tolerance_m2;	  /* areas at or below this are noise (default 10 m²) */
	long long households_min; /* basic grids: 300 */
	long long households_max; /* 500 */
	int grid_level;		  /* the level of basic grids: 4 */
};

/**
 * Check the map: invalid geometries, children outside their parent, overlapping siblings,
 * gaps where children do not cover their parent, basic grids without a dedicated worker
 * and basic grids outside the household range. Returns a new JSON object
 * {"errors": N, "checked": {...}, "problems": [{kind, code, other?, message, lon, lat,
 * area_m2}]}, problems in the order of the nodes' codes.
 */
json_t *geo_check(GEOSContextHandle_t h, const struct geo_check_node *nodes, size_t n,
		  const struct geo_check_opts *opts);
