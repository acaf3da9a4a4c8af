/* SPDX-License-Identifier: Apache-2.0 */
/* Forwarding of the grid-map store calls (store_geo.h) to the backend. */
#include <string.h>

#include "gridgov/geo.h"
#include "store/store_int.h"

#define FWD STORE_FWD

FWD(geom_put, (struct store * s, const struct store_geom *g, struct err *err), (s, g, err))
FWD(geom_list,
    (struct store * s, const char *u, enum grid_level l, struct arena *a,
     struct store_geom **o, size_t *n, struct err *err),
    (s, u, l, a, o, n, err))
STORE_FWD_CHANGES(STORE_EPOCH_CATALOG, grid_set_counts,
		  (struct store * s, const char *c, int64_t h, int64_t p, struct err *err),
		  (s, c, h, p, err))
STORE_FWD_CHANGES(STORE_EPOCH_CATALOG, grid_rollup_counts, (struct store * s, struct err *err),
		  (s, err))
FWD(map_version, (struct store * s, int64_t *v, struct err *err), (s, v, err))
FWD(level_name,
    (struct store * s, const char *d, enum grid_level l, char *o, size_t n, struct err *err),
    (s, d, l, o, n, err))
FWD(staff_add, (struct store * s, const struct store_staff *f, int64_t *id, struct err *err),
    (s, f, id, err))
FWD(staff_list,
    (struct store * s, const char *g, struct arena *a, struct store_staff **o, size_t *n,
     struct err *err),
    (s, g, a, o, n, err))
FWD(grids_without_dedicated,
    (struct store * s, const char *u, struct arena *a, struct grid_node **o, size_t *n,
     struct err *err),
    (s, u, a, o, n, err))

static const char *const staff_roles[STAFF_ROLE_COUNT] = {
	[STAFF_LEADER] = "leader",
	[STAFF_DEDICATED] = "dedicated",
	[STAFF_PART_TIME] = "part_time",
	[STAFF_MICRO_LEADER] = "micro_leader",
	[STAFF_BUILDING_HEAD] = "building_head",
};

const char *store_staff_role_name(enum store_staff_role r)
{
	return r >= 0 && r < STAFF_ROLE_COUNT ? staff_roles[r] : "unknown";
}

int store_staff_role_parse(const char *name)
{
	for (int i = 0; name && i < STAFF_ROLE_COUNT; i++)
		if (!strcmp(staff_roles[i], name))
			return i;
	return -1;
}

int store_check_grids(struct store *s, const char *under, double tolerance_m2,
		      json_t **report, struct err *err)
{
	struct arena *a = arena_new();
	struct store_geom *g;
	struct grid_node *lacking;
	size_t n, nl;
	int rc = store_geom_list(s, under, GRID_LEVEL_NONE, a, &g, &n, err);
	if (rc == GG_OK)
		rc = store_grids_without_dedicated(s, under, a, &lacking, &nl, err);
	if (rc) {
		arena_free(a);
		return rc;
	}
	struct geo_check_node *nodes = arena_zalloc(a, (n ? n : 1) * sizeof(*nodes));
	size_t j = 0;
	for (size_t i = 0; i < n; i++) {
		nodes[i].code = g[i].node.code;
		nodes[i].parent = g[i].node.parent;
		nodes[i].name = g[i].node.name;
		nodes[i].level = (int)g[i].node.level;
		nodes[i].wkb = g[i].wkb;
		nodes[i].wkb_len = g[i].wkb_len;
		nodes[i].households = g[i].node.households;
		/* both lists are ordered by code: one merge pass finds the grids lacking one */
		while (j < nl && strcmp(lacking[j].code, g[i].node.code) < 0)
			j++;
		nodes[i].has_dedicated = !(j < nl && !strcmp(lacking[j].code, g[i].node.code));
	}
	struct geo_check_opts o = {.tolerance_m2 = tolerance_m2,
				   .households_min = 300,
				   .households_max = 500,
				   .grid_level = GRID_GRID};
	*report = geo_check(geo_ctx(), nodes, n, &o);
	arena_free(a);
	return GG_OK;
}
