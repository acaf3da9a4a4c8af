/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/checks/people: the quality checks of people-and-housing data under a grid —
 * the store's checks plus buildings whose point lies outside their grid, found with the
 * grid-map locator (api_locate). A point the locator cannot place (no map loaded, or
 * outside every district) is counted as unlocated, not as a fault.
 */
#include <string.h>

#include "api/api_int.h"
#include "gridgov/people.h"
#include "gridgov/store_people.h"

static void count(json_t *obj, const char *key)
{
	json_object_set_new(obj, key,
			    json_integer(json_integer_value(json_object_get(obj, key)) + 1));
}

static void add(json_t *counts, json_t *by_grid, json_t *items, json_t *it, const char *kind,
		const char *grid)
{
	count(counts, kind);
	json_t *g = json_object_get(by_grid, grid);
	if (!g) {
		g = json_object();
		json_object_set_new(by_grid, grid, g);
	}
	count(g, kind);
	json_array_append_new(items, it);
}

int api_people_checks(struct api_req *r)
{
	const char *under;
	int rc = api__people_under(r, &under);
	if (rc)
		return rc;
	struct store_people_fault *f;
	size_t n;
	if ((rc = store_people_faults(r->db, under, PEOPLE_GRID_HH_MIN, PEOPLE_GRID_HH_MAX,
				      r->arena, &f, &n, &r->err)))
		return rc;
	json_t *counts = json_object(), *by_grid = json_object(), *items = json_array();
	for (int k = 0; k < PF_COUNT; k++)
		json_object_set_new(counts, store_people_fault_name((enum people_fault)k),
				    json_integer(0));
	for (size_t i = 0; i < n; i++) {
		const char *kind = store_people_fault_name(f[i].kind);
		json_t *it =
		    json_pack("{s:s,s:s,s:s}", "kind", kind, "grid", f[i].grid, "what", f[i].what);
		if (f[i].id)
			json_object_set_new(it, "id", json_integer(f[i].id));
		if (f[i].kind == PF_GRID_HOUSEHOLDS)
			json_object_set_new(it, "households", json_integer(f[i].value));
		if (f[i].kind == PF_DUPLICATE_ID)
			json_object_set_new(it, "holders", json_integer(f[i].value));
		add(counts, by_grid, items, it, kind, f[i].grid);
	}

	struct store_building *b;
	size_t nb;
	if ((rc = store_building_list(r->db, under, r->arena, &b, &nb, &r->err))) {
		json_decref(counts), json_decref(by_grid), json_decref(items);
		return rc;
	}
	long long unlocated = 0;
	for (size_t i = 0; i < nb; i++) {
		if (!b[i].has_point)
			continue;
		char at[GRID_CODE_MAX];
		struct err e = ERR_INIT;
		if (api_locate(r->srv, b[i].lon, b[i].lat, at, &e) != GG_OK) {
			unlocated++;
			continue;
		}
		/*
		 * The locator gives the deepest mapped node: inside the building's grid is
		 * right; an ancestor of it (the map stops higher up) proves nothing.
		 */
		if (grid_code_within(at, b[i].grid) || grid_code_is_ancestor(at, b[i].grid))
			continue;
		json_t *it =
		    json_pack("{s:s,s:s,s:I,s:s,s:s}", "kind",
			      store_people_fault_name(PF_BUILDING_OUTSIDE_GRID), "grid", b[i].grid,
			      "id", (json_int_t)b[i].id, "what", b[i].ref, "located", at);
		add(counts, by_grid, items, it, store_people_fault_name(PF_BUILDING_OUTSIDE_GRID),
		    b[i].grid);
	}
	json_t *res = json_pack("{s:s,s:I,s:o,s:o,s:o,s:I,s:[]}", "under", under, "total",
				(json_int_t)json_array_size(items), "counts", counts, "by_grid",
				by_grid, "items", items, "unlocated_buildings",
				(json_int_t)unlocated, "not_checked");
	api_reply(r, 200, res);
	return GG_OK;
}
