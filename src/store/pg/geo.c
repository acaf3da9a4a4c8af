/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid map in PostgreSQL (as src/store/sqlite/geo.c): geometries as WKB in bytea with
 * area, centroid and bounding box (GEOS does the geometry in C, no PostGIS), household
 * counts, the map version bumped by a trigger, level names and staff per grid.
 */
#include <string.h>

#include "store/pg/pg_int.h"

int pg__geom_put(struct store *s, const struct store_geom *g, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO grid_geom(code, wkb, area_m2, cx, cy, minx, miny, maxx, maxy)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT(code) DO UPDATE SET"
	    " wkb = excluded.wkb, area_m2 = excluded.area_m2, cx = excluded.cx, cy = excluded.cy,"
	    " minx = excluded.minx, miny = excluded.miny, maxx = excluded.maxx,"
	    " maxy = excluded.maxy";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, g->node.code);
	pg__arg_bytes(&a, g->wkb, g->wkb_len);
	double v[] = {g->area_m2, g->cx, g->cy, g->minx, g->miny, g->maxx, g->maxy};
	for (int i = 0; i < 7; i++)
		pg__arg_double(&a, v[i]);
	int r = pg__run(pg_of(s), sql, &a, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_ENOTFOUND, "no grid %s for this geometry", g->node.code);
	return r;
}

/* One row into g, its WKB copied into the arena. */
static void read_geom(const PGresult *res, int row, struct store_geom *g, struct arena *a)
{
	memset(g, 0, sizeof(*g));
	pg__col_copy(res, row, 0, g->node.code, sizeof(g->node.code));
	pg__col_copy(res, row, 1, g->node.name, sizeof(g->node.name));
	g->node.level = (enum grid_level)pg__int(res, row, 2);
	pg__col_copy(res, row, 3, g->node.parent, sizeof(g->node.parent));
	g->node.households = pg__int(res, row, 4);
	g->node.population = pg__int(res, row, 5);
	g->wkb = pg__bytes(res, row, 6, a, &g->wkb_len);
	g->area_m2 = pg__double(res, row, 7);
	g->cx = pg__double(res, row, 8);
	g->cy = pg__double(res, row, 9);
	g->minx = pg__double(res, row, 10);
	g->miny = pg__double(res, row, 11);
	g->maxx = pg__double(res, row, 12);
	g->maxy = pg__double(res, row, 13);
}

int pg__geom_list(struct store *s, const char *under, enum grid_level level, struct arena *a,
		  struct store_geom **out, size_t *n, struct err *err)
{
	/* Codes are prefixes of their descendants', so a range scan finds the subtree. */
	static const char sql[] =
	    "SELECT g.code, g.name, g.level, coalesce(g.parent_code,''), g.households,"
	    " g.population, m.wkb, m.area_m2, m.cx, m.cy, m.minx, m.miny, m.maxx, m.maxy"
	    " FROM grid g JOIN grid_geom m ON m.code = g.code"
	    " WHERE g.code >= $1 AND g.code < $1 || ':' AND ($2 = 0 OR g.level = $2)"
	    " ORDER BY g.code";
	struct pg *c = pg_of(s);
	struct pg_args p = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&p, under);
	pg__arg_int(&p, (int)level);
	*out = NULL;
	*n = 0;
	int r = pg__query(c, sql, &p, &res, err);
	if (r)
		return r;
	size_t len = 0, cap = 0;
	struct store_geom *v = NULL;
	for (int i = 0, rows = PQntuples(res); i < rows; i++)
		read_geom(res, i, arena_push(a, (void **)&v, &len, &cap, sizeof(*v)), a);
	PQclear(res);
	*out = v;
	*n = len;
	return GG_OK;
}

int pg__grid_set_counts(struct store *s, const char *code, int64_t households, int64_t population,
			struct err *err)
{
	static const char sql[] =
	    "UPDATE grid SET households = $1, population = $2 WHERE code = $3";
	struct pg_args a = PG_ARGS_INIT;
	int64_t changed;
	pg__arg_int(&a, households);
	pg__arg_int(&a, population);
	pg__arg_text(&a, code);
	int r = pg__run_changes(pg_of(s), sql, &a, &changed, err);
	if (r)
		return r;
	return changed ? GG_OK : err_set(err, GG_ENOTFOUND, "no grid %s", code);
}

int pg__grid_rollup_counts(struct store *s, struct err *err)
{
	/* Bottom-up, one level at a time, so each level sums already-updated children. */
	static const char sql[] =
	    "UPDATE grid SET"
	    " households = (SELECT coalesce(sum(c.households),0) FROM grid c"
	    "               WHERE c.parent_code = grid.code),"
	    " population = (SELECT coalesce(sum(c.population),0) FROM grid c"
	    "               WHERE c.parent_code = grid.code)"
	    " WHERE level = $1 AND EXISTS (SELECT 1 FROM grid c WHERE c.parent_code = grid.code)";
	struct pg *c = pg_of(s);
	for (int level = GRID_COMMUNITY; level >= GRID_DISTRICT; level--) {
		struct pg_args a = PG_ARGS_INIT;
		pg__arg_int(&a, level);
		int r = pg__run(c, sql, &a, err);
		if (r)
			return r;
	}
	return GG_OK;
}

int pg__map_version(struct store *s, int64_t *version, struct err *err)
{
	static const char sql[] = "SELECT version FROM grid_map_meta WHERE id = 1";
	PGresult *res;
	int r = pg__row(pg_of(s), sql, NULL, &res, err);
	*version = r == GG_OK ? pg__int(res, 0, 0) : 0;
	PQclear(res);
	return r == GG_ENOTFOUND ? GG_OK : r;
}

int pg__level_name(struct store *s, const char *district, enum grid_level level, char *out,
		   size_t n, struct err *err)
{
	/* The district's own name first, else the default row (district ''). */
	static const char sql[] = "SELECT name FROM grid_level_name WHERE level = $2"
				  " AND district IN ($1, '') ORDER BY district DESC LIMIT 1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, district);
	pg__arg_int(&a, (int)level);
	out[0] = 0;
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r == GG_OK)
		pg__col_copy(res, 0, 0, out, n);
	PQclear(res);
	return r == GG_ENOTFOUND ? GG_OK : r;
}

int pg__staff_add(struct store *s, const struct store_staff *sf, int64_t *id, struct err *err)
{
	static const char sql[] = "INSERT INTO grid_staff(grid_code, role, name, dept, user_id,"
				  " created_at) VALUES($1, $2, $3, $4, $5, $6) RETURNING id";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, sf->grid);
	pg__arg_text(&a, store_staff_role_name(sf->role));
	pg__arg_text(&a, sf->name);
	pg__arg_text_or_null(&a, sf->dept);
	pg__arg_id_or_null(&a, sf->user_id);
	pg__arg_int(&a, sf->created_at);
	int r = pg__id(pg_of(s), sql, &a, id, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_EFIELD, "unknown grid, department or user for staff of %s",
			       sf->grid);
	return r;
}

/* (a row reader for pg__rows: elem is a struct store_staff) */
static void read_staff(const PGresult *res, int row, void *elem)
{
	struct store_staff *f = elem;
	memset(f, 0, sizeof(*f));
	f->id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, f->grid, sizeof(f->grid));
	f->role = (enum store_staff_role)store_staff_role_parse(PQgetvalue(res, row, 2));
	pg__col_copy(res, row, 3, f->name, sizeof(f->name));
	pg__col_copy(res, row, 4, f->dept, sizeof(f->dept));
	f->user_id = pg__int(res, row, 5);
	f->created_at = pg__int(res, row, 6);
}

int pg__staff_list(struct store *s, const char *grid, struct arena *a, struct store_staff **out,
		   size_t *n, struct err *err)
{
	static const char sql[] = "SELECT id, grid_code, role, name, coalesce(dept,''),"
				  " coalesce(user_id,0), created_at FROM grid_staff"
				  " WHERE grid_code = $1 ORDER BY role, id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, grid);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_staff, (void **)out, n, err);
}

/* (a row reader for pg__rows: elem is a struct grid_node) */
static void read_node(const PGresult *res, int row, void *elem)
{
	struct grid_node *g = elem;
	pg__col_copy(res, row, 0, g->code, sizeof(g->code));
	pg__col_copy(res, row, 1, g->name, sizeof(g->name));
	g->level = (enum grid_level)pg__int(res, row, 2);
	pg__col_copy(res, row, 3, g->parent, sizeof(g->parent));
	g->households = pg__int(res, row, 4);
	g->population = pg__int(res, row, 5);
}

int pg__grids_without_dedicated(struct store *s, const char *under, struct arena *a,
				struct grid_node **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT code, name, level, coalesce(parent_code,''), households, population"
	    " FROM grid g WHERE level = 4 AND code >= $1 AND code < $1 || ':'"
	    " AND NOT EXISTS (SELECT 1 FROM grid_staff f WHERE f.grid_code = g.code"
	    "                 AND f.role = 'dedicated') ORDER BY code";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, under);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_node, (void **)out, n, err);
}
