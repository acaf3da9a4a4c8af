/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid tree, the departments and the category catalog in PostgreSQL (as
 * src/store/sqlite/org.c and the catalog part of src/store/sqlite/case.c).
 */
#include <string.h>

#include "store/pg/pg_int.h"

#define GRID_COLS "code, name, level, coalesce(parent_code,''), households, population"

/* (a row reader for pg__rows: elem is a struct grid_node) */
static void read_grid(const PGresult *res, int row, void *elem)
{
	struct grid_node *g = elem;
	pg__col_copy(res, row, 0, g->code, sizeof(g->code));
	pg__col_copy(res, row, 1, g->name, sizeof(g->name));
	g->level = (enum grid_level)pg__int(res, row, 2);
	pg__col_copy(res, row, 3, g->parent, sizeof(g->parent));
	g->households = pg__int(res, row, 4);
	g->population = pg__int(res, row, 5);
}

int pg__grid_put(struct store *s, const struct grid_node *g, struct err *err)
{
	static const char sql[] = "INSERT INTO grid(code, name, level, parent_code)"
				  " VALUES($1, $2, $3, $4)"
				  " ON CONFLICT(code) DO UPDATE SET name = excluded.name,"
				  " parent_code = excluded.parent_code, level = excluded.level";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, g->code);
	pg__arg_text(&a, g->name);
	pg__arg_int(&a, (int)g->level);
	pg__arg_text_or_null(&a, g->parent);
	int r = pg__run(pg_of(s), sql, &a, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_EFIELD, "parent %s of %s is not in the tree", g->parent,
			       g->code);
	return r;
}

int pg__grid_get(struct store *s, const char *code, struct grid_node *g, struct err *err)
{
	static const char sql[] = "SELECT " GRID_COLS " FROM grid WHERE code = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, code);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no grid %s", code) : r;
	read_grid(res, 0, g);
	PQclear(res);
	return GG_OK;
}

int pg__grid_children(struct store *s, const char *code, struct arena *a, struct grid_node **out,
		      size_t *n, struct err *err)
{
	static const char sql_kids[] = "SELECT " GRID_COLS " FROM grid WHERE parent_code = $1"
				       " ORDER BY code";
	static const char sql_roots[] = "SELECT " GRID_COLS " FROM grid WHERE parent_code IS NULL"
					" ORDER BY code";
	struct pg_args p = PG_ARGS_INIT;
	if (*code)
		pg__arg_text(&p, code);
	return pg__rows(pg_of(s), *code ? sql_kids : sql_roots, &p, a, sizeof(**out), read_grid,
			(void **)out, n, err);
}

int pg__grid_count(struct store *s, const char *under, enum grid_level level, int64_t *n,
		   struct err *err)
{
	/* Codes are prefixes of their descendants', so a range scan finds the subtree. */
	static const char sql[] = "SELECT count(*) FROM grid WHERE level = $1"
				  " AND code >= $2 AND code < $2 || ':'";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, (int)level);
	pg__arg_text(&a, under);
	return pg__id(pg_of(s), sql, &a, n, err);
}

/* (a row reader for pg__rows: elem is a struct store_dept) */
static void read_dept(const PGresult *res, int row, void *elem)
{
	struct store_dept *d = elem;
	pg__col_copy(res, row, 0, d->code, sizeof(d->code));
	pg__col_copy(res, row, 1, d->name, sizeof(d->name));
	pg__col_copy(res, row, 2, d->name_en, sizeof(d->name_en));
}

int pg__dept_list(struct store *s, struct arena *a, struct store_dept **out, size_t *n,
		  struct err *err)
{
	static const char sql[] = "SELECT code, name, name_en FROM department ORDER BY code";
	return pg__rows(pg_of(s), sql, NULL, a, sizeof(**out), read_dept, (void **)out, n, err);
}

int pg__dept_get(struct store *s, const char *code, struct store_dept *d, struct err *err)
{
	static const char sql[] = "SELECT code, name, name_en FROM department WHERE code = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, code);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no department %s", code) : r;
	read_dept(res, 0, d);
	PQclear(res);
	return GG_OK;
}

#define CAT_COLS                                                                                   \
	"code, kind, major_code, major_name, major_name_en, minor_code, minor_name,"               \
	" minor_name_en, name, name_en, coalesce(department,''), limit_general_h,"                 \
	" limit_engineering_h, limit_special_h, verify_min, urgency"

/* (a row reader for pg__rows: elem is a struct store_category) */
static void read_category(const PGresult *res, int row, void *elem)
{
	struct store_category *c = elem;
	pg__col_copy(res, row, 0, c->code, sizeof(c->code));
	pg__col_copy(res, row, 1, c->kind, sizeof(c->kind));
	pg__col_copy(res, row, 2, c->major_code, sizeof(c->major_code));
	pg__col_copy(res, row, 3, c->major_name, sizeof(c->major_name));
	pg__col_copy(res, row, 4, c->major_name_en, sizeof(c->major_name_en));
	pg__col_copy(res, row, 5, c->minor_code, sizeof(c->minor_code));
	pg__col_copy(res, row, 6, c->minor_name, sizeof(c->minor_name));
	pg__col_copy(res, row, 7, c->minor_name_en, sizeof(c->minor_name_en));
	pg__col_copy(res, row, 8, c->name, sizeof(c->name));
	pg__col_copy(res, row, 9, c->name_en, sizeof(c->name_en));
	pg__col_copy(res, row, 10, c->department, sizeof(c->department));
	c->limit_general_h = (int)pg__int(res, row, 11);
	c->limit_engineering_h = (int)pg__int(res, row, 12);
	c->limit_special_h = (int)pg__int(res, row, 13);
	c->verify_min = (int)pg__int(res, row, 14);
	pg__col_copy(res, row, 15, c->urgency, sizeof(c->urgency));
}

/* SQLite's INSERT OR REPLACE: every column of an existing code is replaced. */
int pg__category_put(struct store *s, const struct store_category *c, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO category(code, kind, major_code, major_name, major_name_en,"
	    " minor_code, minor_name, minor_name_en, name, name_en, department,"
	    " limit_general_h, limit_engineering_h, limit_special_h, verify_min, urgency)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)"
	    " ON CONFLICT(code) DO UPDATE SET kind = excluded.kind,"
	    " major_code = excluded.major_code, major_name = excluded.major_name,"
	    " major_name_en = excluded.major_name_en, minor_code = excluded.minor_code,"
	    " minor_name = excluded.minor_name, minor_name_en = excluded.minor_name_en,"
	    " name = excluded.name, name_en = excluded.name_en, department = excluded.department,"
	    " limit_general_h = excluded.limit_general_h,"
	    " limit_engineering_h = excluded.limit_engineering_h,"
	    " limit_special_h = excluded.limit_special_h, verify_min = excluded.verify_min,"
	    " urgency = excluded.urgency";
	struct pg_args a = PG_ARGS_INIT;
	const char *txt[] = {c->code,	       c->kind,	      c->major_code, c->major_name,
			     c->major_name_en, c->minor_code, c->minor_name, c->minor_name_en,
			     c->name,	       c->name_en};
	for (int i = 0; i < 10; i++)
		pg__arg_text(&a, txt[i]);
	pg__arg_text_or_null(&a, c->department);
	pg__arg_int(&a, c->limit_general_h);
	pg__arg_int(&a, c->limit_engineering_h);
	pg__arg_int(&a, c->limit_special_h);
	pg__arg_int(&a, c->verify_min);
	pg__arg_text(&a, c->urgency[0] ? c->urgency : "normal");
	int r = pg__run(pg_of(s), sql, &a, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_EFIELD,
			       "category %s: unknown department '%s' or limits not positive and"
			       " ordered general <= engineering <= special",
			       c->code, c->department);
	return r;
}

int pg__category_get(struct store *s, const char *code, struct store_category *c, struct err *err)
{
	static const char sql[] = "SELECT " CAT_COLS " FROM category WHERE code = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, code);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no category %s", code) : r;
	read_category(res, 0, c);
	PQclear(res);
	return GG_OK;
}

int pg__category_list(struct store *s, struct arena *a, struct store_category **out, size_t *n,
		      struct err *err)
{
	static const char sql[] = "SELECT " CAT_COLS " FROM category ORDER BY code";
	return pg__rows(pg_of(s), sql, NULL, a, sizeof(**out), read_category, (void **)out, n, err);
}
