/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cutting a polygon into pieces of given area shares by straight cuts (the demo map).
 * Each step halves the list of weights, finds by bisection the position of a cut across
 * the longer side of the bounding box that gives the first half its share of the area,
 * and intersects the polygon with the two half-plane boxes on either side of the cut.
 * Both sides are cut from the same polygon at the same coordinate, so together they are
 * exactly the polygon: no gaps, no overlaps.
 */
#include <stdlib.h>

#include "gridgov/geo.h"

static GEOSGeometry *box(GEOSContextHandle_t h, double x0, double y0, double x1, double y1)
{
	double xy[] = {x0, y0, x1, y0, x1, y1, x0, y1, x0, y0};
	GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, 5, 0, 0);
	return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
}

static double clipped_area(GEOSContextHandle_t h, const GEOSGeometry *g, double x0, double y0,
			   double x1, double y1)
{
	GEOSGeometry *c = GEOSClipByRect_r(h, g, x0, y0, x1, y1);
	double a = 0;
	if (c) {
		GEOSArea_r(h, c, &a);
		GEOSGeom_destroy_r(h, c);
	}
	return a;
}

static GEOSGeometry *cut(GEOSContextHandle_t h, const GEOSGeometry *g, double x0, double y0,
			 double x1, double y1)
{
	GEOSGeometry *b = box(h, x0, y0, x1, y1);
	GEOSGeometry *r = GEOSIntersection_r(h, g, b);
	GEOSGeom_destroy_r(h, b);
	return geo_polygonal(h, r);
}

static int split(GEOSContextHandle_t h, const GEOSGeometry *g, const double *w, size_t k,
		 GEOSGeometry **pieces, struct err *err)
{
	if (k == 1) {
		pieces[0] = GEOSGeom_clone_r(h, g);
		return GG_OK;
	}
	size_t m = k / 2;
	double wl = 0, wt = 0;
	for (size_t i = 0; i < k; i++) {
		wt += w[i];
		if (i < m)
			wl += w[i];
	}
	double minx, miny, maxx, maxy, total = 0;
	GEOSGeom_getXMin_r(h, g, &minx);
	GEOSGeom_getYMin_r(h, g, &miny);
	GEOSGeom_getXMax_r(h, g, &maxx);
	GEOSGeom_getYMax_r(h, g, &maxy);
	GEOSArea_r(h, g, &total);
	int vertical = maxx - minx >= maxy - miny; /* cut across the longer side */
	double lo = vertical ? minx : miny, hi = vertical ? maxx : maxy;
	double target = total * wl / wt, c = (lo + hi) / 2;
	const double pad = 1.0;
	for (int it = 0; it < 40; it++) {
		c = (lo + hi) / 2;
		double a = vertical ? clipped_area(h, g, minx - pad, miny - pad, c, maxy + pad)
				    : clipped_area(h, g, minx - pad, miny - pad, maxx + pad, c);
		if (a < target)
			lo = c;
		else
			hi = c;
		if (hi - lo < 1e-9)
			break;
	}
	/* The first half lies west (vertical cut) or south; callers number pieces afterwards. */
	GEOSGeometry *a = vertical ? cut(h, g, minx - pad, miny - pad, c, maxy + pad)
				   : cut(h, g, minx - pad, miny - pad, maxx + pad, c);
	GEOSGeometry *b = vertical ? cut(h, g, c, miny - pad, maxx + pad, maxy + pad)
				   : cut(h, g, minx - pad, c, maxx + pad, maxy + pad);
	if (!a || !b) {
		if (a)
			GEOSGeom_destroy_r(h, a);
		if (b)
			GEOSGeom_destroy_r(h, b);
		return err_set(err, GG_EINTERNAL, "a cut left an empty piece (weights too uneven)");
	}
	int rc = split(h, a, w, m, pieces, err);
	if (rc == GG_OK)
		rc = split(h, b, w + m, k - m, pieces + m, err);
	GEOSGeom_destroy_r(h, a);
	GEOSGeom_destroy_r(h, b);
	return rc;
}

int geo_split(GEOSContextHandle_t h, const GEOSGeometry *g, const double *w, size_t k,
	      GEOSGeometry **pieces, struct err *err)
{
	for (size_t i = 0; i < k; i++)
		pieces[i] = NULL;
	if (k == 0)
		return GG_OK;
	int rc = split(h, g, w, k, pieces, err);
	if (rc)
		for (size_t i = 0; i < k; i++)
			if (pieces[i]) {
				GEOSGeom_destroy_r(h, pieces[i]);
				pieces[i] = NULL;
			}
	return rc;
}
