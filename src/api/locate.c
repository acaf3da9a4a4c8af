/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid-map locator in the server: an index (loc.h) built at start-up from the stored
 * geometries and rebuilt by a watcher thread whenever the map version changes (every
 * geometry insert, update or delete bumps it), then swapped in atomically — readers
 * never block. api_locate is the seam other handlers call; GET /api/v1/grids/locate
 * answers with the node and its ancestors.
 *
 * A point outside every polygon is answered 404 {"error":{"code":"not_found",
 * "message":"outside the district: …"}}.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "gridgov/log.h"
#include "gridgov/loc.h"
#include "gridgov/store_geo.h"

#define LOC_POLL_MS 1000

static int build(struct store *s, struct loc_index **out, int64_t *version, struct err *err)
{
	return svc_locator_build(s, out, version, err);
}

static void *watch(void *arg)
{
	struct api_server *srv = arg;
	pthread_mutex_lock(&srv->loc_lock);
	while (!srv->loc_stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += (long)LOC_POLL_MS * 1000000L;
		ts.tv_sec += ts.tv_nsec / 1000000000L;
		ts.tv_nsec %= 1000000000L;
		pthread_cond_timedwait(&srv->loc_cv, &srv->loc_lock, &ts);
		if (srv->loc_stop)
			break;
		pthread_mutex_unlock(&srv->loc_lock);
		struct err err = ERR_INIT;
		int64_t v = 0;
		int rc = store_begin(srv->loc_db, STORE_READ, &err);
		if (rc == GG_OK) {
			rc = store_map_version(srv->loc_db, &v, &err);
			store_rollback(srv->loc_db);
		}
		if (rc == GG_OK && v != srv->loc_version) {
			struct loc_index *idx;
			if (build(srv->loc_db, &idx, &v, &err) == GG_OK) {
				loc_slot_swap(srv->loc, idx);
				srv->loc_version = v;
				log_info("locator: map version %lld: %zu nodes indexed",
					 (long long)v, loc_index_size(idx));
			}
		}
		pthread_mutex_lock(&srv->loc_lock);
	}
	pthread_mutex_unlock(&srv->loc_lock);
	return NULL;
}

int api__locator_start(struct api_server *srv, struct err *err)
{
	srv->loc = loc_slot_new();
	pthread_mutex_init(&srv->loc_lock, NULL);
	pthread_cond_init(&srv->loc_cv, NULL);
	int rc = store_open(srv->cfg.dsn, &srv->loc_db, err);
	struct loc_index *idx = NULL;
	if (rc == GG_OK)
		rc = build(srv->loc_db, &idx, &srv->loc_version, err);
	if (rc)
		return rc;
	loc_slot_swap(srv->loc, idx);
	if (pthread_create(&srv->loc_thread, NULL, watch, srv) != 0)
		return err_set(err, GG_EINTERNAL, "cannot start the locator thread");
	srv->loc_running = 1;
	return GG_OK;
}

void api__locator_stop(struct api_server *srv)
{
	if (srv->loc_running) {
		pthread_mutex_lock(&srv->loc_lock);
		srv->loc_stop = 1;
		pthread_cond_signal(&srv->loc_cv);
		pthread_mutex_unlock(&srv->loc_lock);
		pthread_join(srv->loc_thread, NULL);
		srv->loc_running = 0;
	}
	store_close(srv->loc_db);
	srv->loc_db = NULL;
	loc_slot_free(srv->loc);
	srv->loc = NULL;
}

int api_locate(struct api_server *srv, double lon, double lat, char *code, struct err *err)
{
	code[0] = 0;
	if (!srv->loc)
		return err_set(err, GG_ENOTFOUND, "no grid map is loaded");
	unsigned ticket;
	const struct loc_index *idx = loc_slot_enter(srv->loc, &ticket);
	struct loc_hit hit;
	int found = idx && loc_index_find(idx, lon, lat, &hit);
	if (found)
		snprintf(code, GRID_CODE_MAX, "%s", hit.code);
	loc_slot_leave(srv->loc, ticket);
	if (!found)
		return err_set(err, GG_ENOTFOUND,
			       "outside the district: no grid covers %.7f, %.7f", lon, lat);
	return GG_OK;
}

static int query_deg(struct api_req *r, const char *key, double lo, double hi, double *out)
{
	const char *v = api_query(r, key);
	char *end;
	if (!v || !*v)
		return err_field(&r->err, GG_EMISSING, key, "query parameter %s is required", key);
	*out = strtod(v, &end);
	if (*end || !(*out >= lo && *out <= hi))
		return err_field(&r->err, GG_EFIELD, key, "%s must be a number in [%g, %g]", key,
				 lo, hi);
	return GG_OK;
}

int api_grid_locate(struct api_req *r)
{
	double lon, lat;
	int rc = query_deg(r, "lon", -180, 180, &lon);
	if (rc == GG_OK)
		rc = query_deg(r, "lat", -90, 90, &lat);
	if (rc)
		return rc;
	char code[GRID_CODE_MAX];
	rc = api_locate(r->srv, lon, lat, code, &r->err);
	if (rc)
		return rc;
	/* Outside the caller's area the answer would name grids they may not see. */
	if (!principal_covers(&r->who, code))
		return api_fail(r, GG_ENOTFOUND, "the point lies outside your area");
	json_t *chain = json_array();
	json_t *node = NULL;
	char c[GRID_CODE_MAX];
	snprintf(c, sizeof(c), "%s", code);
	while (c[0]) {
		struct grid_node g;
		if (store_grid_get(r->db, c, &g, &r->err))
			return r->err.code;
		/* the district's own name for the level (configuration), e.g. 楼栋 in Xifeng */
		char district[7], lname[64];
		snprintf(district, sizeof(district), "%.6s", code);
		if (store_level_name(r->db, district, g.level, lname, sizeof(lname), &r->err))
			return r->err.code;
		json_t *j = json_pack("{s:s,s:s,s:s,s:s}", "code", g.code, "name", g.name, "level",
				      grid_level_name(g.level), "level_name",
				      lname[0] ? lname : grid_level_name_zh(g.level));
		if (!node)
			node = json_deep_copy(j);
		json_array_insert_new(chain, 0, j);
		snprintf(c, sizeof(c), "%s", g.parent);
	}
	json_object_set_new(node, "found", json_true());
	json_object_set_new(node, "lon", json_real(lon));
	json_object_set_new(node, "lat", json_real(lat));
	json_object_set_new(node, "chain", chain);
	api_reply(r, 200, node);
	return GG_OK;
}
