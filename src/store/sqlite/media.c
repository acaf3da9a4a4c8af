/* SPDX-License-Identifier: Apache-2.0 */
/* Media records in SQLite. */
#include "store/sqlite/sq_int.h"

int sq__media_put(struct store *s, const struct store_media *m, struct err *err)
{
	static const char sql[] =
		"INSERT INTO media(sha256, kind, bytes, width, height, uploader, created_at)"
		" VALUES(?,?,?,?,?,?,?) ON CONFLICT(sha256) DO NOTHING";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, m->sha256);
	sq__bind_text(st, 2, m->kind);
	sqlite3_bind_int64(st, 3, m->bytes);
	sqlite3_bind_int(st, 4, m->width);
	sqlite3_bind_int(st, 5, m->height);
	if (m->uploader)
		sqlite3_bind_int64(st, 6, m->uploader);
	else
		sqlite3_bind_null(st, 6);
	sqlite3_bind_int64(st, 7, m->created_at);
	if ((r = sq__step_done(q, st, err)) || !m->uploader)
		return r;
	static const char own[] = "INSERT INTO media_owner(sha256, user_id) VALUES(?,?)"
				  " ON CONFLICT DO NOTHING";
	if ((r = sq__prep(q, own, &st, err)))
		return r;
	sq__bind_text(st, 1, m->sha256);
	sqlite3_bind_int64(st, 2, m->uploader);
	return sq__step_done(q, st, err);
}

int sq__media_owned(struct store *s, const char *sha, int64_t user, int *owned, struct err *err)
{
	static const char sql[] = "SELECT 1 FROM media_owner WHERE sha256=? AND user_id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, sha);
	sqlite3_bind_int64(st, 2, user);
	if ((r = sq__step_row(q, st, err)) == GG_OK)
		sq__done(st);
	*owned = r == GG_OK;
	return r == GG_ENOTFOUND ? GG_OK : r;
}

int sq__media_get(struct store *s, const char *sha, struct store_media *m, struct err *err)
{
	static const char sql[] = "SELECT sha256, kind, bytes, width, height,"
				  " coalesce(uploader, 0), created_at FROM media WHERE sha256=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, sha);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sq__col_copy(st, 0, m->sha256, sizeof(m->sha256));
		sq__col_copy(st, 1, m->kind, sizeof(m->kind));
		m->bytes = sqlite3_column_int64(st, 2);
		m->width = sqlite3_column_int(st, 3);
		m->height = sqlite3_column_int(st, 4);
		m->uploader = sqlite3_column_int64(st, 5);
		m->created_at = sqlite3_column_int64(st, 6);
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no media %s", sha);
	return sq__fail(q, rc, err);
}
