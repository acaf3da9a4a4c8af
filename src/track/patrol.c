/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrols from a worker's cleaned track: cut at silences longer than the gap (the time
 * of a silence is unknown, never inside a grid), then for each its distance, duration,
 * stops and the time inside the grid. A segment between consecutive fixes is walked at
 * constant speed, so the time it spends inside is its duration times the share of its
 * length the polygon clips (in lon/lat, where a straight segment's share of length is its
 * share of the parameter, hence of time).
 */
#include <math.h>
#include <string.h>

#include "gridgov/track.h"

/* The share of segment a→b inside grid (0…1). */
static double inside_share(GEOSContextHandle_t h, const GEOSGeometry *grid,
			   const GEOSPreparedGeometry *prep, const struct track_point *a,
			   const struct track_point *b)
{
	double share = 0;
	if (a->lat == b->lat && a->lon == b->lon) {
		GEOSGeometry *pt = GEOSGeom_createPointFromXY_r(h, a->lon, a->lat);
		share = (prep ? GEOSPreparedIntersects_r(h, prep, pt)
			      : GEOSIntersects_r(h, grid, pt)) == 1;
		GEOSGeom_destroy_r(h, pt);
		return share;
	}
	GEOSCoordSequence *cs = GEOSCoordSeq_create_r(h, 2, 2);
	GEOSCoordSeq_setXY_r(h, cs, 0, a->lon, a->lat);
	GEOSCoordSeq_setXY_r(h, cs, 1, b->lon, b->lat);
	GEOSGeometry *line = GEOSGeom_createLineString_r(h, cs);
	if (prep && GEOSPreparedContains_r(h, prep, line) == 1) {
		share = 1;
	} else if (prep && GEOSPreparedIntersects_r(h, prep, line) != 1) {
		share = 0;
	} else {
		GEOSGeometry *in = GEOSIntersection_r(h, grid, line);
		double li = 0, l = 0;
		if (in && GEOSLength_r(h, in, &li) == 1 && GEOSLength_r(h, line, &l) == 1 && l > 0)
			share = li / l;
		if (in)
			GEOSGeom_destroy_r(h, in);
	}
	GEOSGeom_destroy_r(h, line);
	return share < 0 ? 0 : share > 1 ? 1 : share;
}

static void find_stops(struct arena *a, const struct track_config *c, const struct track_point *p,
		       size_t from, size_t to, struct track_patrol *pt)
{
	size_t cap = 0;
	pt->stops = NULL;
	pt->nstops = 0;
	size_t i = from;
	while (i < to) {
		/* within the radius of the points' running centre: a standing phone's fixes
		 * scatter around where it stands, not around the first of them */
		double clat = p[i].lat, clon = p[i].lon;
		size_t j = i + 1;
		while (j < to &&
		       track_distance_m(clat, clon, p[j].lat, p[j].lon) <= c->stop_radius_m) {
			clat += (p[j].lat - clat) / (double)(j - i + 1);
			clon += (p[j].lon - clon) / (double)(j - i + 1);
			j++;
		}
		if (j - 1 > i && p[j - 1].t_ms - p[i].t_ms >= c->stop_min_s * 1000) {
			struct track_stop *s =
			    arena_push(a, (void **)&pt->stops, &pt->nstops, &cap, sizeof(*s));
			s->from_ms = p[i].t_ms;
			s->to_ms = p[j - 1].t_ms;
			s->lat = clat;
			s->lon = clon;
			i = j;
		} else {
			i++;
		}
	}
}

int track_patrols(struct arena *a, const struct track_config *c, const struct track_point *p,
		  size_t n, GEOSContextHandle_t h, const GEOSGeometry *grid,
		  const GEOSPreparedGeometry *prep, struct track_patrol **out, size_t *nout,
		  struct err *err)
{
	size_t cap = 0;
	*out = NULL;
	*nout = 0;
	(void)err;
	size_t i = 0;
	while (i < n) {
		size_t j = i + 1;
		while (j < n && p[j].t_ms - p[j - 1].t_ms <= c->gap_s * 1000)
			j++;
		struct track_patrol *pt = arena_push(a, (void **)out, nout, &cap, sizeof(*pt));
		memset(pt, 0, sizeof(*pt));
		pt->first = i;
		pt->npoints = j - i;
		pt->from_ms = p[i].t_ms;
		pt->to_ms = p[j - 1].t_ms;
		pt->duration_s = (double)(pt->to_ms - pt->from_ms) / 1000.0;
		for (size_t k = i; k + 1 < j; k++) {
			pt->distance_m +=
			    track_distance_m(p[k].lat, p[k].lon, p[k + 1].lat, p[k + 1].lon);
			if (grid)
				pt->inside_s += (double)(p[k + 1].t_ms - p[k].t_ms) / 1000.0 *
						inside_share(h, grid, prep, &p[k], &p[k + 1]);
		}
		find_stops(a, c, p, i, j, pt);
		i = j;
	}
	return GG_OK;
}
