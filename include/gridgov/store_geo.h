/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of the grid map: a geometry per grid-tree node (WKB with its area, centroid and
 * bounding box), household and population counts, staff per grid and the map version the
 * locator watches. Part of the store interface (store.h); records returned in arrays are
 * allocated from the caller's arena, WKB blobs included.
 */
#ifndef GRIDGOV_STORE_GEO_H
#define GRIDGOV_STORE_GEO_H

#include <jansson.h>

#include "gridgov/store.h"

/** A node of the tree with its geometry. */
struct store_geom {
	struct grid_node node;
	const unsigned char *wkb; /* ISO WKB of a Polygon/MultiPolygon, lon/lat */
	size_t wkb_len;
	double area_m2, cx, cy, minx, miny, maxx, maxy;
};

/** Insert or replace the geometry of an existing node (node.code); the rest of node is ignored. */
int store_geom_put(struct store *s, const struct store_geom *g, struct err *err) GG_WUR;
/**
 * Nodes with geometry under a code ("" = all; the code itself included), of one level
 * (GRID_LEVEL_NONE = every level), ordered by code.
 */
int store_geom_list(struct store *s, const char *under, enum grid_level level,
		    struct arena *a, struct store_geom **out, size_t *n, struct err *err) GG_WUR;
/** Set the households and population of a node. */
int store_grid_set_counts(struct store *s, const char *code, int64_t households,
			  int64_t population, struct err *err) GG_WUR;
/** Recompute the counts of every node above the grid level as the sums of its children. */
int store_grid_rollup_counts(struct store *s, struct err *err) GG_WUR;
/** A number that changes whenever any geometry is inserted, replaced or deleted. */
int store_map_version(struct store *s, int64_t *version, struct err *err) GG_WUR;
/** The name of a level in a district, or the default name; "" if none is configured. */
int store_level_name(struct store *s, const char *district, enum grid_level level,
		     char *out, size_t n, struct err *err) GG_WUR;

/* ---- staff per grid ----------------------------------------------------------- */

enum store_staff_role {
	STAFF_LEADER,	     /* 网格长 (the community secretary) */
	STAFF_DEDICATED,     /* 专职网格员, one per basic grid */
	STAFF_PART_TIME,     /* 兼职网格员, from a department */
	STAFF_MICRO_LEADER,  /* 微网格长 */
	STAFF_BUILDING_HEAD, /* 楼栋长 */
	STAFF_ROLE_COUNT
};

struct store_staff {
	int64_t id;
	char grid[GRID_CODE_MAX];
	enum store_staff_role role;
	char name[64];
	char dept[ROLE_DEPT_MAX]; /* "" unless part_time */
	int64_t user_id;	  /* 0 = not a user of the platform */
	int64_t created_at;
};

/** "leader", "dedicated", "part_time", "micro_leader", "building_head". */
const char *store_staff_role_name(enum store_staff_role r);
/** Parse a staff role name; -1 if unknown. */
int store_staff_role_parse(const char *name);

int store_staff_add(struct store *s, const struct store_staff *st, int64_t *id,
		    struct err *err) GG_WUR;
/** Staff of one grid, ordered by role then id. */
int store_staff_list(struct store *s, const char *grid, struct arena *a,
		     struct store_staff **out, size_t *n, struct err *err) GG_WUR;
/** Basic grids (level 4) under a code that have no dedicated worker, ordered by code. */
int store_grids_without_dedicated(struct store *s, const char *under, struct arena *a,
				  struct grid_node **out, size_t *n, struct err *err) GG_WUR;

/* ---- the coverage check over the stored map ---------------------------------------- */

/**
 * Run geo_check (geo.h) on the nodes with geometry under a code ("" = all), with the
 * dedicated-worker flag of every basic grid. *report is a new JSON object (see geo_check).
 */
int store_check_grids(struct store *s, const char *under, double tolerance_m2,
		      json_t **report, struct err *err) GG_WUR;

#endif
