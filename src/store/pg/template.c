/* SPDX-License-Identifier: Apache-2.0 */
/* Response templates 常用语 in PostgreSQL (migration 042): a small table an admin keeps. */
#include <stdint.h>
#include <string.h>

#include "store/pg/pg_int.h"

/* (a row reader for pg__rows: elem is a struct store_template) */
static void read_template(const PGresult *res, int row, void *elem)
{
	struct store_template *t = elem;
	t->id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, t->kind, sizeof(t->kind));
	pg__col_copy(res, row, 2, t->category, sizeof(t->category));
	pg__col_copy(res, row, 3, t->title, sizeof(t->title));
	pg__col_copy(res, row, 4, t->body, sizeof(t->body));
	t->sort = (int)pg__int(res, row, 5);
}

int pg__template_list(struct store *s, const char *kind, const char *category, struct arena *a,
		      struct store_template **out, size_t *n, struct err *err)
{
	/* a template's category applies to itself and every code it is a prefix of */
	static const char sql[] =
	    "SELECT id, kind, category, title, body, sort FROM response_template"
	    " WHERE ($1::text IS NULL OR kind = $1)"
	    " AND ($2::text IS NULL OR left($2, length(category)) = category)"
	    " ORDER BY kind, length(category) DESC, sort, id LIMIT " STORE_TEMPLATE_MAX_S;
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text_nullable(&p, kind);
	pg__arg_text_nullable(&p, category);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_template, (void **)out, n, err);
}

int pg__template_put(struct store *s, struct store_template *t, struct err *err)
{
	static const char sql_new[] = "INSERT INTO response_template(kind, category, title, body,"
				      " sort) VALUES($1, $2, $3, $4, $5) RETURNING id";
	static const char sql_set[] = "UPDATE response_template SET kind = $1, category = $2,"
				      " title = $3, body = $4, sort = $5 WHERE id = $6";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, t->kind);
	pg__arg_text(&p, t->category);
	pg__arg_text(&p, t->title);
	pg__arg_text(&p, t->body);
	pg__arg_int(&p, t->sort);
	if (!t->id)
		return pg__id(pg_of(s), sql_new, &p, &t->id, err);
	pg__arg_int(&p, t->id);
	int64_t changed = 0;
	int r = pg__run_changes(pg_of(s), sql_set, &p, &changed, err);
	if (r)
		return r;
	if (!changed)
		return err_set(err, GG_ENOTFOUND, "no template %lld", (long long)t->id);
	return GG_OK;
}

int pg__template_delete(struct store *s, int64_t id, struct err *err)
{
	static const char sql[] = "DELETE FROM response_template WHERE id = $1";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_int(&p, id);
	int64_t changed = 0;
	int r = pg__run_changes(pg_of(s), sql, &p, &changed, err);
	if (r)
		return r;
	if (!changed)
		return err_set(err, GG_ENOTFOUND, "no template %lld", (long long)id);
	return GG_OK;
}
