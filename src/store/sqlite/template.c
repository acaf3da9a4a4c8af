/* SPDX-License-Identifier: Apache-2.0 */
/* Response templates 常用语 in SQLite (migration 042): a small table an admin keeps. */
#include <stdint.h>
#include <string.h>

#include "store/sqlite/sq_int.h"

/* (a row reader for sq__rows: row is a struct store_template) */
static void read_template(sqlite3_stmt *st, void *row)
{
	struct store_template *t = row;
	t->id = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, t->kind, sizeof(t->kind));
	sq__col_copy(st, 2, t->category, sizeof(t->category));
	sq__col_copy(st, 3, t->title, sizeof(t->title));
	sq__col_copy(st, 4, t->body, sizeof(t->body));
	t->sort = sqlite3_column_int(st, 5);
}

int sq__template_list(struct store *s, const char *kind, const char *category, struct arena *a,
		      struct store_template **out, size_t *n, struct err *err)
{
	/* a template's category applies to itself and every code it is a prefix of */
	static const char sql[] =
	    "SELECT id, kind, category, title, body, sort FROM response_template"
	    " WHERE (?1 IS NULL OR kind = ?1)"
	    " AND (?2 IS NULL OR substr(?2, 1, length(category)) = category)"
	    " ORDER BY kind, length(category) DESC, sort, id LIMIT " STORE_TEMPLATE_MAX_S;
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	if (kind)
		sq__bind_text(st, 1, kind);
	if (category)
		sq__bind_text(st, 2, category);
	return sq__rows(q, st, a, sizeof(**out), read_template, (void **)out, n, err);
}

int sq__template_put(struct store *s, struct store_template *t, struct err *err)
{
	static const char sql_new[] = "INSERT INTO response_template(kind, category, title, body,"
				      " sort) VALUES(?1, ?2, ?3, ?4, ?5) RETURNING id";
	static const char sql_set[] = "UPDATE response_template SET kind = ?1, category = ?2,"
				      " title = ?3, body = ?4, sort = ?5 WHERE id = ?6";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, t->id ? sql_set : sql_new, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, t->kind);
	sq__bind_text(st, 2, t->category);
	sq__bind_text(st, 3, t->title);
	sq__bind_text(st, 4, t->body);
	sqlite3_bind_int(st, 5, t->sort);
	if (!t->id)
		return sq__step_id(q, st, &t->id, err);
	sqlite3_bind_int64(st, 6, t->id);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ENOTFOUND, "no template %lld", (long long)t->id);
	return GG_OK;
}

int sq__template_delete(struct store *s, int64_t id, struct err *err)
{
	static const char sql[] = "DELETE FROM response_template WHERE id = ?1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ENOTFOUND, "no template %lld", (long long)id);
	return GG_OK;
}
