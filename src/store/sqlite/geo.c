/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid map in SQLite: geometries (WKB blobs with area, centroid and bounding box),
 * household counts, the map version bumped by triggers, level names and staff per grid.
 */
#include <string.h>

#include "store/sqlite/sq_int.h"

int sq__geom_put(struct store *s, const struct store_geom *g, struct err *err)
{
	static const char sql[] =
		"INSERT INTO grid_geom(code, wkb, area_m2, cx, cy, minx, miny, maxx, maxy)"
		" VALUES(?,?,?,?,?,?,?,?,?) ON CONFLICT(code) DO UPDATE SET wkb=excluded.wkb,"
		" area_m2=excluded.area_m2, cx=excluded.cx, cy=excluded.cy,"
		" minx=excluded.minx, miny=excluded.miny, maxx=excluded.maxx, maxy=excluded.maxy";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, g->node.code);
	sqlite3_bind_blob(st, 2, g->wkb, (int)g->wkb_len, SQLITE_STATIC);
	double v[] = {g->area_m2, g->cx, g->cy, g->minx, g->miny, g->maxx, g->maxy};
	for (int i = 0; i < 7; i++)
		sqlite3_bind_double(st, 3 + i, v[i]);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc == SQLITE_DONE)
		return GG_OK;
	r = sq__fail(q, rc, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_ENOTFOUND, "no grid %s for this geometry", g->node.code);
	return r;
}

int sq__geom_list(struct store *s, const char *under, enum grid_level level, struct arena *a,
		  struct store_geom **out, size_t *n, struct err *err)
{
	/* Codes are prefixes of their descendants', so a range scan finds the subtree. */
	static const char sql[] =
		"SELECT g.code, g.name, g.level, coalesce(g.parent_code,''), g.households,"
		" g.population, m.wkb, m.area_m2, m.cx, m.cy, m.minx, m.miny, m.maxx, m.maxy"
		" FROM grid g JOIN grid_geom m ON m.code = g.code"
		" WHERE g.code >= ?1 AND g.code < ?1 || ':' AND (?2 = 0 OR g.level = ?2)"
		" ORDER BY g.code";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	sqlite3_bind_int(st, 2, (int)level);
	size_t len = 0, cap = 0;
	struct store_geom *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_geom *g = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		memset(g, 0, sizeof(*g));
		sq__col_copy(st, 0, g->node.code, sizeof(g->node.code));
		sq__col_copy(st, 1, g->node.name, sizeof(g->node.name));
		g->node.level = (enum grid_level)sqlite3_column_int(st, 2);
		sq__col_copy(st, 3, g->node.parent, sizeof(g->node.parent));
		g->node.households = sqlite3_column_int64(st, 4);
		g->node.population = sqlite3_column_int64(st, 5);
		g->wkb_len = (size_t)sqlite3_column_bytes(st, 6);
		unsigned char *b = arena_alloc(a, g->wkb_len ? g->wkb_len : 1);
		memcpy(b, sqlite3_column_blob(st, 6), g->wkb_len);
		g->wkb = b;
		g->area_m2 = sqlite3_column_double(st, 7);
		g->cx = sqlite3_column_double(st, 8);
		g->cy = sqlite3_column_double(st, 9);
		g->minx = sqlite3_column_double(st, 10);
		g->miny = sqlite3_column_double(st, 11);
		g->maxx = sqlite3_column_double(st, 12);
		g->maxy = sqlite3_column_double(st, 13);
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}

int sq__grid_set_counts(struct store *s, const char *code, int64_t households,
			int64_t population, struct err *err)
{
	static const char sql[] = "UPDATE grid SET households=?, population=? WHERE code=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, households);
	sqlite3_bind_int64(st, 2, population);
	sq__bind_text(st, 3, code);
	int rc = sqlite3_step(st);
	int changed = sqlite3_changes(q->db);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	return changed ? GG_OK : err_set(err, GG_ENOTFOUND, "no grid %s", code);
}

int sq__grid_rollup_counts(struct store *s, struct err *err)
{
	/* Bottom-up, one level at a time, so each level sums already-updated children. */
	static const char sql[] =
		"UPDATE grid SET"
		" households = (SELECT coalesce(sum(c.households),0) FROM grid c"
		"               WHERE c.parent_code = grid.code),"
		" population = (SELECT coalesce(sum(c.population),0) FROM grid c"
		"               WHERE c.parent_code = grid.code)"
		" WHERE level = ? AND EXISTS (SELECT 1 FROM grid c WHERE c.parent_code = grid.code)";
	struct sq *q = sq_of(s);
	for (int level = GRID_COMMUNITY; level >= GRID_DISTRICT; level--) {
		sqlite3_stmt *st;
		int r = sq__prep(q, sql, &st, err);
		if (r)
			return r;
		sqlite3_bind_int(st, 1, level);
		int rc = sqlite3_step(st);
		sq__done(st);
		if (rc != SQLITE_DONE)
			return sq__fail(q, rc, err);
	}
	return GG_OK;
}

int sq__map_version(struct store *s, int64_t *version, struct err *err)
{
	static const char sql[] = "SELECT version FROM grid_map_meta WHERE id=1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	int rc = sqlite3_step(st);
	*version = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq__done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__level_name(struct store *s, const char *district, enum grid_level level, char *out,
		   size_t n, struct err *err)
{
	/* The district's own name first, else the default row (district ''). */
	static const char sql[] = "SELECT name FROM grid_level_name WHERE level=?2"
				  " AND district IN (?1, '') ORDER BY district DESC LIMIT 1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, district);
	sqlite3_bind_int(st, 2, (int)level);
	int rc = sqlite3_step(st);
	out[0] = 0;
	if (rc == SQLITE_ROW)
		sq__col_copy(st, 0, out, n);
	sq__done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__staff_add(struct store *s, const struct store_staff *sf, int64_t *id, struct err *err)
{
	static const char sql[] = "INSERT INTO grid_staff(grid_code, role, name, dept, user_id,"
				  " created_at) VALUES(?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, sf->grid);
	sq__bind_text(st, 2, store_staff_role_name(sf->role));
	sq__bind_text(st, 3, sf->name);
	sq__bind_text_or_null(st, 4, sf->dept);
	if (sf->user_id)
		sqlite3_bind_int64(st, 5, sf->user_id);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int64(st, 6, sf->created_at);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc == SQLITE_DONE) {
		if (id)
			*id = sqlite3_last_insert_rowid(q->db);
		return GG_OK;
	}
	r = sq__fail(q, rc, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_EFIELD, "unknown grid, department or user for staff of %s",
			       sf->grid);
	return r;
}

int sq__staff_list(struct store *s, const char *grid, struct arena *a,
		   struct store_staff **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT id, grid_code, role, name, coalesce(dept,''),"
				  " coalesce(user_id,0), created_at FROM grid_staff"
				  " WHERE grid_code=? ORDER BY role, id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, grid);
	size_t len = 0, cap = 0;
	struct store_staff *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_staff *f = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		memset(f, 0, sizeof(*f));
		f->id = sqlite3_column_int64(st, 0);
		sq__col_copy(st, 1, f->grid, sizeof(f->grid));
		f->role = (enum store_staff_role)store_staff_role_parse(
			(const char *)sqlite3_column_text(st, 2));
		sq__col_copy(st, 3, f->name, sizeof(f->name));
		sq__col_copy(st, 4, f->dept, sizeof(f->dept));
		f->user_id = sqlite3_column_int64(st, 5);
		f->created_at = sqlite3_column_int64(st, 6);
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}

int sq__grids_without_dedicated(struct store *s, const char *under, struct arena *a,
				struct grid_node **out, size_t *n, struct err *err)
{
	static const char sql[] =
		"SELECT code, name, level, coalesce(parent_code,''), households, population"
		" FROM grid g WHERE level = 4 AND code >= ?1 AND code < ?1 || ':'"
		" AND NOT EXISTS (SELECT 1 FROM grid_staff f WHERE f.grid_code = g.code"
		"                 AND f.role = 'dedicated') ORDER BY code";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	size_t len = 0, cap = 0;
	struct grid_node *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct grid_node *g = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		sq__col_copy(st, 0, g->code, sizeof(g->code));
		sq__col_copy(st, 1, g->name, sizeof(g->name));
		g->level = (enum grid_level)sqlite3_column_int(st, 2);
		sq__col_copy(st, 3, g->parent, sizeof(g->parent));
		g->households = sqlite3_column_int64(st, 4);
		g->population = sqlite3_column_int64(st, 5);
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}
