/* SPDX-License-Identifier: Apache-2.0 */
/* The grid tree and the departments in SQLite. */
#include <string.h>

#include "store/sqlite/sq_int.h"

#define GRID_COLS "code, name, level, coalesce(parent_code,''), households, population"

/* (a row reader for sq__rows: row is a struct grid_node) */
static void read_grid(sqlite3_stmt *st, void *row)
{
	struct grid_node *g = row;
	sq__col_copy(st, 0, g->code, sizeof(g->code));
	sq__col_copy(st, 1, g->name, sizeof(g->name));
	g->level = (enum grid_level)sqlite3_column_int(st, 2);
	sq__col_copy(st, 3, g->parent, sizeof(g->parent));
	g->households = sqlite3_column_int64(st, 4);
	g->population = sqlite3_column_int64(st, 5);
}

int sq__grid_put(struct store *s, const struct grid_node *g, struct err *err)
{
	static const char sql[] =
		"INSERT INTO grid(code, name, level, parent_code) VALUES(?,?,?,?)"
		" ON CONFLICT(code) DO UPDATE SET name=excluded.name,"
		" parent_code=excluded.parent_code, level=excluded.level";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, g->code);
	sq__bind_text(st, 2, g->name);
	sqlite3_bind_int(st, 3, (int)g->level);
	sq__bind_text_or_null(st, 4, g->parent);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc == SQLITE_DONE)
		return GG_OK;
	r = sq__fail(q, rc, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_EFIELD, "parent %s of %s is not in the tree", g->parent,
			       g->code);
	return r;
}

int sq__grid_get(struct store *s, const char *code, struct grid_node *g, struct err *err)
{
	static const char sql[] = "SELECT " GRID_COLS " FROM grid WHERE code=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, code);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no grid %s", code) : r;
	read_grid(st, g);
	sq__done(st);
	return GG_OK;
}

int sq__grid_children(struct store *s, const char *code, struct arena *a,
		      struct grid_node **out, size_t *n, struct err *err)
{
	static const char sql_kids[] = "SELECT " GRID_COLS " FROM grid WHERE parent_code=?"
				       " ORDER BY code";
	static const char sql_roots[] = "SELECT " GRID_COLS " FROM grid WHERE parent_code IS NULL"
					" ORDER BY code";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, *code ? sql_kids : sql_roots, &st, err);
	if (r)
		return r;
	if (*code)
		sq__bind_text(st, 1, code);
	return sq__rows(q, st, a, sizeof(**out), read_grid, (void **)out, n, err);
}

int sq__grid_count(struct store *s, const char *under, enum grid_level level, int64_t *n,
		   struct err *err)
{
	/* Codes are prefixes of their descendants', so a range scan finds the subtree. */
	static const char sql[] = "SELECT count(*) FROM grid WHERE level=?"
				  " AND code >= ?2 AND code < ?2 || ':'";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int(st, 1, (int)level);
	sq__bind_text(st, 2, under);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sq__done(st);
	return rc == SQLITE_ROW ? GG_OK : sq__fail(q, rc, err);
}

int sq__dept_list(struct store *s, struct arena *a, struct store_dept **out, size_t *n,
		  struct err *err)
{
	static const char sql[] = "SELECT code, name, name_en FROM department ORDER BY code";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	size_t len = 0, cap = 0;
	struct store_dept *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_dept *d = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		sq__col_copy(st, 0, d->code, sizeof(d->code));
		sq__col_copy(st, 1, d->name, sizeof(d->name));
		sq__col_copy(st, 2, d->name_en, sizeof(d->name_en));
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}

int sq__dept_get(struct store *s, const char *code, struct store_dept *d, struct err *err)
{
	static const char sql[] = "SELECT code, name, name_en FROM department WHERE code=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sq__col_copy(st, 0, d->code, sizeof(d->code));
		sq__col_copy(st, 1, d->name, sizeof(d->name));
		sq__col_copy(st, 2, d->name_en, sizeof(d->name_en));
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no department %s", code);
	return sq__fail(q, rc, err);
}
