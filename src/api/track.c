/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrol tracks over HTTP (issue 15): a worker's patrols in a window with their distance,
 * duration, stops and time inside the worker's own grid; the last position of each worker
 * in the caller's scope; a worker's positions with the rejected fixes and their reasons.
 * A worker sees their own, staff the workers whose grid lies in their scope
 * (track_may_see); everything else is 403.
 */
#include <math.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/geo.h"
#include "gridgov/store_geo.h"
#include "gridgov/store_track.h"

#define WINDOW_MAX_DAYS 31

static void iso(int64_t ms, char *out, size_t n)
{
	clock_format_utc(ms / 1000, out, (unsigned)n);
}

/* The worker named by ?user= (default: the caller), if the caller may see them. */
static int worker(struct api_req *r, struct store_user *u)
{
	const char *name = api_query(r, "user");
	int rc = store_user_by_name(r->db, name ? name : r->who.name, u, &r->err);
	if (rc == GG_ENOTFOUND)
		return api_fail(r, GG_ENOTFOUND, "no user %s", name ? name : r->who.name);
	if (rc)
		return rc;
	if (!track_may_see(&r->who, u->id, u->who.scope))
		return api_fail(r, GG_EFORBIDDEN, "user %s is outside your scope", u->who.name);
	return GG_OK;
}

/* ?from= and ?to= (RFC 3339 or CST dates; default today), at most 31 days apart. */
static int window(struct api_req *r, int64_t *from, int64_t *to)
{
	const char *f = api_query(r, "from"), *t = api_query(r, "to");
	int64_t today = clock_day_start(clock_local_day(clock_now()));
	*from = today;
	*to = today + 86400;
	if (f && clock_parse_bound(f, 0, from))
		return err_field(&r->err, GG_EFIELD, "from", "from: not a date or RFC 3339 time");
	if (t && clock_parse_bound(t, 1, to))
		return err_field(&r->err, GG_EFIELD, "to", "to: not a date or RFC 3339 time");
	if (f && !t)
		*to = *from + 86400;
	if (*to <= *from || *to - *from > WINDOW_MAX_DAYS * 86400LL)
		return err_field(&r->err, GG_EFIELD, "to", "the window is 1 s to %d days",
				 WINDOW_MAX_DAYS);
	return GG_OK;
}

/* The worker's own grid polygon, or NULL (no scope or no geometry). */
static GEOSGeometry *own_grid(struct api_req *r, const char *scope)
{
	if (!scope[0])
		return NULL;
	struct store_geom *g;
	size_t n;
	if (store_geom_list(r->db, scope, GRID_LEVEL_NONE, r->arena, &g, &n, &r->err)) {
		err_clear(&r->err);
		return NULL;
	}
	for (size_t i = 0; i < n; i++)
		if (!strcmp(g[i].node.code, scope))
			return geo_from_wkb(geo_ctx(), g[i].wkb, g[i].wkb_len);
	return NULL;
}

int api_patrol_list(struct api_req *r)
{
	struct store_user u;
	int64_t from, to;
	int rc = worker(r, &u);
	if (rc || (rc = window(r, &from, &to)))
		return rc;
	struct track_point *p;
	size_t n;
	if ((rc = store_position_range(r->db, u.id, from * 1000, to * 1000, r->arena, &p, &n,
				       &r->err)))
		return rc;
	GEOSContextHandle_t h = geo_ctx();
	GEOSGeometry *grid = own_grid(r, u.who.scope);
	const GEOSPreparedGeometry *prep = grid ? GEOSPrepare_r(h, grid) : NULL;
	struct track_patrol *pt;
	size_t np;
	rc = track_patrols(r->arena, &r->srv->cfg.track, p, n, h, grid, prep, &pt, &np, &r->err);
	if (prep)
		GEOSPreparedGeom_destroy_r(h, prep);
	if (grid)
		GEOSGeom_destroy_r(h, grid);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < np; i++) {
		char a[32], b[32];
		iso(pt[i].from_ms, a, sizeof(a));
		iso(pt[i].to_ms, b, sizeof(b));
		json_t *stops = json_array();
		for (size_t k = 0; k < pt[i].nstops; k++) {
			char s1[32], s2[32];
			iso(pt[i].stops[k].from_ms, s1, sizeof(s1));
			iso(pt[i].stops[k].to_ms, s2, sizeof(s2));
			json_array_append_new(
			    stops,
			    json_pack("{s:s,s:s,s:f,s:f,s:f}", "from", s1, "to", s2, "duration_s",
				      (double)(pt[i].stops[k].to_ms - pt[i].stops[k].from_ms) /
					  1000.0,
				      "lon", pt[i].stops[k].lon, "lat", pt[i].stops[k].lat));
		}
		json_t *it = json_pack("{s:s,s:s,s:s,s:I,s:f,s:f,s:o}", "user", u.who.name, "from",
				       a, "to", b, "points", (json_int_t)pt[i].npoints,
				       "distance_m", round(pt[i].distance_m * 10) / 10,
				       "duration_s", pt[i].duration_s, "stops", stops);
		json_object_set_new(it, "grid", json_string(u.who.scope));
		json_object_set_new(it, "inside_own_grid_s",
				    grid ? json_real(round(pt[i].inside_s * 10) / 10)
					 : json_null());
		json_array_append_new(items, it);
	}
	api_reply_list(r, items, (long long)np);
	return GG_OK;
}

int api_position_list(struct api_req *r)
{
	struct store_user u;
	int64_t from, to;
	int rc = worker(r, &u);
	if (rc || (rc = window(r, &from, &to)))
		return rc;
	struct track_point *p;
	size_t n, nr;
	int64_t *rt;
	char(*reason)[TRACK_REASON_MAX];
	if ((rc = store_position_range(r->db, u.id, from * 1000, to * 1000, r->arena, &p, &n,
				       &r->err)) ||
	    (rc = store_position_rejected(r->db, u.id, from * 1000, to * 1000, r->arena, &rt,
					  &reason, &nr, &r->err)))
		return rc;
	json_t *items = json_array(), *rej = json_array();
	for (size_t i = 0; i < n; i++) {
		char t[32];
		iso(p[i].t_ms, t, sizeof(t));
		json_array_append_new(items, json_pack("{s:s,s:I,s:f,s:f}", "at", t, "t_ms",
						       (json_int_t)p[i].t_ms, "lon", p[i].lon,
						       "lat", p[i].lat));
	}
	for (size_t i = 0; i < nr; i++) {
		char t[32];
		iso(rt[i], t, sizeof(t));
		json_array_append_new(rej, json_pack("{s:s,s:I,s:s}", "at", t, "t_ms",
						     (json_int_t)rt[i], "reason", reason[i]));
	}
	json_t *res =
	    json_pack("{s:o,s:I,s:o}", "items", items, "total", (json_int_t)n, "rejected", rej);
	api_reply(r, 200, res);
	return GG_OK;
}

int api_position_live(struct api_req *r)
{
	/* a worker (or department staff) sees their own; others every worker in scope */
	int own = r->who.role == ROLE_GRID_WORKER || r->who.role == ROLE_DEPARTMENT;
	struct store_live *l;
	size_t n;
	int rc = store_position_live(r->db, own ? "" : r->who.scope, own ? r->who.user_id : 0,
				     r->arena, &l, &n, &r->err);
	if (rc)
		return rc;
	int64_t now = clock_now_ms();
	json_t *items = json_array();
	long long online = 0;
	for (size_t i = 0; i < n; i++) {
		if (!track_may_see(&r->who, l[i].user_id, l[i].scope))
			continue;
		char t[32];
		iso(l[i].t_ms, t, sizeof(t));
		int64_t age = (now - l[i].t_ms) / 1000;
		int on = age <= r->srv->cfg.track.online_s;
		online += on;
		json_t *it = json_pack("{s:s,s:s,s:s,s:f,s:f,s:I,s:b}", "user", l[i].name, "grid",
				       l[i].scope, "at", t, "lon", l[i].lon, "lat", l[i].lat,
				       "age_s", (json_int_t)age, "online", on);
		json_object_set_new(it, "battery",
				    isnan(l[i].battery) ? json_null() : json_real(l[i].battery));
		json_array_append_new(items, it);
	}
	json_t *res = json_pack("{s:o,s:I,s:I}", "items", items, "total",
				(json_int_t)json_array_size(items), "online", (json_int_t)online);
	api_reply(r, 200, res);
	return GG_OK;
}
