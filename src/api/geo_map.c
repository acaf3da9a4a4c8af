/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid map over HTTP: the GeoJSON export for maps, the coverage check report and
 * the staff of a grid. Everything is bounded by the caller's scope — but for the public
 * map of community outlines (names and boundaries only, as the signs in the street show
 * them), on which a citizen places a report.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/geo.h"
#include "gridgov/store_geo.h"

/* The subtree a request may read: ?under= if inside the scope, else the scope itself. */
static int under_of(struct api_req *r, const char **under)
{
	const char *u = api_query(r, "under");
	if (!u || !*u) {
		*under = r->who.scope;
		return GG_OK;
	}
	if (grid_level_of_code(u) == GRID_LEVEL_NONE)
		return err_field(&r->err, GG_EFIELD, "under", "'%s' is not a grid code", u);
	if (!principal_covers(&r->who, u))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", u);
	*under = u;
	return GG_OK;
}

int api_grid_geojson(struct api_req *r)
{
	const char *under = NULL, *lv = api_query(r, "level");
	int rc = under_of(r, &under);
	if (rc)
		return rc;
	enum grid_level level = GRID_LEVEL_NONE;
	if (lv && *lv && (level = grid_level_parse(lv)) == GRID_LEVEL_NONE)
		return err_field(&r->err, GG_EFIELD, "level", "unknown level '%s'", lv);
	struct store_geom *g;
	size_t n;
	rc = store_geom_list(r->db, under, level, r->arena, &g, &n, &r->err);
	if (rc)
		return rc;
	GEOSContextHandle_t h = geo_ctx();
	json_t *features = json_array();
	for (size_t i = 0; i < n; i++) {
		GEOSGeometry *geom = geo_from_wkb(h, g[i].wkb, g[i].wkb_len);
		if (!geom)
			continue;
		json_t *props = json_pack(
			"{s:s,s:s,s:s,s:s?,s:I,s:I,s:f}", "code", g[i].node.code, "name",
			g[i].node.name, "level", grid_level_name(g[i].node.level), "parent_code",
			g[i].node.parent[0] ? g[i].node.parent : NULL, "households",
			(json_int_t)g[i].node.households, "population",
			(json_int_t)g[i].node.population, "area_m2", g[i].area_m2);
		json_array_append_new(features,
				      json_pack("{s:s,s:o,s:o}", "type", "Feature", "properties",
						props, "geometry", geo_to_geojson(h, geom)));
		GEOSGeom_destroy_r(h, geom);
	}
	api_reply(r, 200,
		  json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features));
	return GG_OK;
}

/* GET /api/v1/public/map.geojson: the communities' outlines with code and name only. */
int api_public_map(struct api_req *r)
{
	struct store_geom *g;
	size_t n;
	int rc = store_geom_list(r->db, "", GRID_COMMUNITY, r->arena, &g, &n, &r->err);
	if (rc)
		return rc;
	GEOSContextHandle_t h = geo_ctx();
	json_t *features = json_array();
	for (size_t i = 0; i < n; i++) {
		GEOSGeometry *geom = geo_from_wkb(h, g[i].wkb, g[i].wkb_len);
		if (!geom)
			continue;
		json_array_append_new(features, json_pack("{s:s,s:{s:s,s:s},s:o}", "type",
							  "Feature", "properties", "code",
							  g[i].node.code, "name", g[i].node.name,
							  "geometry", geo_to_geojson(h, geom)));
		GEOSGeom_destroy_r(h, geom);
	}
	api_reply(r, 200,
		  json_pack("{s:s,s:o}", "type", "FeatureCollection", "features", features));
	return GG_OK;
}

int api_check_grids(struct api_req *r)
{
	const char *under = NULL;
	int rc = under_of(r, &under);
	if (rc)
		return rc;
	json_t *rep;
	rc = store_check_grids(r->db, under, 10, &rep, &r->err);
	if (rc)
		return rc;
	json_object_set_new(rep, "under", json_string(under));
	api_reply(r, 200, rep);
	return GG_OK;
}

static json_t *staff_json(const struct store_staff *f)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)f->id, "grid", f->grid,
			      "role", store_staff_role_name(f->role), "name", f->name);
	if (f->dept[0])
		json_object_set_new(j, "dept", json_string(f->dept));
	if (f->user_id)
		json_object_set_new(j, "user_id", json_integer(f->user_id));
	return j;
}

int api_grid_staff_list(struct api_req *r)
{
	const char *code = r->params[0];
	struct grid_node g;
	int rc = store_grid_get(r->db, code, &g, &r->err);
	if (rc)
		return rc;
	if (!principal_covers(&r->who, code))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", code);
	struct store_staff *f;
	size_t n;
	rc = store_staff_list(r->db, code, r->arena, &f, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, staff_json(&f[i]));
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}

int api_grid_staff_add(struct api_req *r)
{
	const char *code = r->params[0], *role, *name, *dept = NULL;
	long long user_id = 0;
	struct grid_node g;
	int rc = store_grid_get(r->db, code, &g, &r->err);
	if (rc)
		return rc;
	if (!principal_covers(&r->who, code))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", code);
	if ((rc = api_body_str(r, "role", 1, &role)) || (rc = api_body_str(r, "name", 1, &name)) ||
	    (rc = api_body_str(r, "dept", 0, &dept)) ||
	    (rc = api_body_int(r, "user_id", 0, &user_id)))
		return rc;
	int sr = store_staff_role_parse(role);
	if (sr < 0)
		return err_field(&r->err, GG_EFIELD, "role",
				 "role must be leader, dedicated, part_time, micro_leader or"
				 " building_head");
	if (sr == STAFF_PART_TIME && (!dept || !*dept))
		return err_field(&r->err, GG_EMISSING, "dept",
				 "a part-time worker (兼职网格员) comes from a department");
	if ((sr == STAFF_DEDICATED || sr == STAFF_PART_TIME) && g.level != GRID_GRID)
		return err_field(&r->err, GG_EFIELD, "role", "%s staff belong to a basic grid",
				 role);
	if (sr == STAFF_MICRO_LEADER && g.level != GRID_MICRO)
		return err_field(&r->err, GG_EFIELD, "role", "a micro-grid leader belongs to a"
				 " micro-grid");
	if (!*name || strlen(name) >= sizeof(((struct store_staff *)0)->name))
		return err_field(&r->err, GG_EFIELD, "name", "name must be 1–63 bytes");
	struct store_staff f = {.role = (enum store_staff_role)sr, .user_id = user_id,
				.created_at = clock_now()};
	snprintf(f.grid, sizeof(f.grid), "%s", code);
	snprintf(f.name, sizeof(f.name), "%s", name);
	if (dept)
		snprintf(f.dept, sizeof(f.dept), "%s", dept);
	rc = store_staff_add(r->db, &f, &f.id, &r->err);
	if (rc)
		return rc;
	api_reply(r, 201, staff_json(&f));
	return GG_OK;
}
