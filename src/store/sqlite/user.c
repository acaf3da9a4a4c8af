/* SPDX-License-Identifier: Apache-2.0 */
/* Users and login sessions in SQLite. */
#include <string.h>

#include "store/sqlite/sq_int.h"

#define USER_COLS "u.id, u.name, u.role, u.scope, coalesce(u.dept,''), u.pwhash, " \
		  "u.failed_logins, u.locked_until, u.active, u.must_change"

/* (a row reader for sq__rows: row is a struct store_user) */
static void read_user(sqlite3_stmt *st, void *row)
{
	struct store_user *u = row;
	memset(u, 0, sizeof(*u));
	u->id = sqlite3_column_int64(st, 0);
	u->who.user_id = u->id;
	sq__col_copy(st, 1, u->who.name, sizeof(u->who.name));
	const char *role = (const char *)sqlite3_column_text(st, 2);
	int r = role ? role_parse(role) : -1;
	u->who.role = r < 0 ? ROLE_GRID_WORKER : (enum role)r;
	sq__col_copy(st, 3, u->who.scope, sizeof(u->who.scope));
	sq__col_copy(st, 4, u->who.dept, sizeof(u->who.dept));
	sq__col_copy(st, 5, u->pwhash, sizeof(u->pwhash));
	u->failed_logins = sqlite3_column_int(st, 6);
	u->locked_until = sqlite3_column_int64(st, 7);
	u->active = sqlite3_column_int(st, 8);
	u->must_change = sqlite3_column_int(st, 9);
}

int sq__user_insert(struct store *s, const struct store_user *u, int64_t *id, struct err *err)
{
	static const char sql[] =
		"INSERT INTO app_user(name, role, scope, dept, pwhash, active, must_change, created_at)"
		" VALUES(?,?,?,?,?,?,?,strftime('%s','now'))";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, u->who.name);
	sq__bind_text(st, 2, role_name(u->who.role));
	sq__bind_text(st, 3, u->who.scope);
	sq__bind_text_or_null(st, 4, u->who.dept);
	sq__bind_text(st, 5, u->pwhash);
	sqlite3_bind_int(st, 6, u->active);
	sqlite3_bind_int(st, 7, u->must_change);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc != SQLITE_DONE) {
		r = sq__fail(q, rc, err);
		if (r == GG_ECONFLICT && strstr(err ? err->msg : "", "app_user.name"))
			return err_set(err, GG_ECONFLICT, "user '%s' already exists", u->who.name);
		if (r == GG_ECONFLICT)
			return err_set(err, GG_EFIELD, "unknown department '%s'", u->who.dept);
		return r;
	}
	if (id)
		*id = sqlite3_last_insert_rowid(q->db);
	return GG_OK;
}

int sq__user_by_name(struct store *s, const char *name, struct store_user *u, struct err *err)
{
	static const char sql[] = "SELECT " USER_COLS " FROM app_user u WHERE u.name=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, name);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no user '%s'", name) : r;
	read_user(st, u);
	sq__done(st);
	return GG_OK;
}

int sq__user_set_login_state(struct store *s, int64_t id, int failed, int64_t locked_until,
			     struct err *err)
{
	static const char sql[] =
		"UPDATE app_user SET failed_logins=?, locked_until=? WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int(st, 1, failed);
	sqlite3_bind_int64(st, 2, locked_until);
	sqlite3_bind_int64(st, 3, id);
	return sq__step_done(q, st, err);
}

int sq__user_list(struct store *s, struct arena *a, struct store_user **out, size_t *n,
		  struct err *err)
{
	static const char sql[] = "SELECT " USER_COLS " FROM app_user u ORDER BY u.id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	return sq__rows(q, st, a, sizeof(**out), read_user, (void **)out, n, err);
}

int sq__session_insert(struct store *s, const char *h, int64_t uid, int64_t created,
		       int64_t expires, struct err *err)
{
	static const char sql[] =
		"INSERT INTO session(token_hash, user_id, created_at, expires_at) VALUES(?,?,?,?)";
	static const char purge[] = "DELETE FROM session WHERE expires_at < ?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, purge, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, created);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	if ((r = sq__prep(q, sql, &st, err)))
		return r;
	sq__bind_text(st, 1, h);
	sqlite3_bind_int64(st, 2, uid);
	sqlite3_bind_int64(st, 3, created);
	sqlite3_bind_int64(st, 4, expires);
	rc = sqlite3_step(st);
	sq__done(st);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__session_user(struct store *s, const char *h, int64_t now, struct store_user *u,
		     struct err *err)
{
	static const char sql[] = "SELECT " USER_COLS " FROM session x"
				  " JOIN app_user u ON u.id = x.user_id"
				  " WHERE x.token_hash=? AND x.expires_at > ? AND u.active=1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, h);
	sqlite3_bind_int64(st, 2, now);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no such session") : r;
	read_user(st, u);
	sq__done(st);
	return GG_OK;
}

int sq__session_delete(struct store *s, const char *h, struct err *err)
{
	static const char sql[] = "DELETE FROM session WHERE token_hash=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, h);
	return sq__step_done(q, st, err);
}
