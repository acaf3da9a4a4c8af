/* SPDX-License-Identifier: Apache-2.0 */
/* The administration area in SQLite (store_admin.h): users by id, departments, the audit
 * log, API keys and devices as the admin screens list and change them. */
#include <string.h>

#include "store/sqlite/sq_int.h"

int sq__user_get(struct store *s, int64_t id, struct store_user *u, struct err *err)
{
	static const char sql[] = "SELECT name FROM app_user WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no user %lld", (long long)id)
					 : r;
	char name[ROLE_NAME_MAX];
	sq__col_copy(st, 0, name, sizeof(name));
	sq__done(st);
	return sq__user_by_name(s, name, u, err);
}

int sq__user_update(struct store *s, const struct store_user *u, struct err *err)
{
	static const char sql[] = "UPDATE app_user SET role=?, scope=?, dept=?, pwhash=?,"
				  " active=?, must_change=? WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, role_name(u->who.role));
	sq__bind_text(st, 2, u->who.scope);
	sq__bind_text_or_null(st, 3, u->who.dept);
	sq__bind_text(st, 4, u->pwhash);
	sqlite3_bind_int(st, 5, u->active);
	sqlite3_bind_int(st, 6, u->must_change);
	sqlite3_bind_int64(st, 7, u->id);
	int rc = sqlite3_step(st);
	sq__done(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return err_field(err, GG_EFIELD, "dept", "unknown department '%s'", u->who.dept);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ENOTFOUND, "no user %lld", (long long)u->id);
	return GG_OK;
}

int sq__session_drop_user(struct store *s, int64_t user_id, struct err *err)
{
	static const char sql[] = "DELETE FROM session WHERE user_id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, user_id);
	return sq__step_done(q, st, err);
}

int sq__dept_put(struct store *s, const struct store_dept *d, struct err *err)
{
	static const char sql[] = "INSERT INTO department(code, name, name_en) VALUES(?,?,?)"
				  " ON CONFLICT(code) DO UPDATE SET name=excluded.name,"
				  " name_en=excluded.name_en";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, d->code);
	sq__bind_text(st, 2, d->name);
	sq__bind_text(st, 3, d->name_en);
	return sq__step_done(q, st, err);
}

int sq__audit_add(struct store *s, const struct store_audit *e, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO admin_audit(at, scope, actor, action, target, detail)"
	    " VALUES(?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, e->at);
	sq__bind_text(st, 2, e->scope);
	sq__bind_text(st, 3, e->actor);
	sq__bind_text(st, 4, e->action);
	sq__bind_text(st, 5, e->target);
	sq__bind_text(st, 6, e->detail);
	return sq__step_done(q, st, err);
}

static void read_audit(sqlite3_stmt *st, void *row)
{
	struct store_audit *e = row;
	e->id = sqlite3_column_int64(st, 0);
	e->at = sqlite3_column_int64(st, 1);
	sq__col_copy(st, 2, e->actor, sizeof(e->actor));
	sq__col_copy(st, 3, e->action, sizeof(e->action));
	sq__col_copy(st, 4, e->target, sizeof(e->target));
	sq__col_copy(st, 5, e->detail, sizeof(e->detail));
	sq__col_copy(st, 6, e->scope, sizeof(e->scope));
}

/* ?1 is the scope prefix ("" matches every entry: '' <= scope < ';') */
#define AUDIT_UNDER "WHERE " SQ_UNDER("scope")

int sq__audit_list(struct store *s, const char *under, int64_t offset, int limit, struct arena *a,
		   struct store_audit **out, size_t *n, int64_t *total, struct err *err)
{
	static const char count[] = "SELECT count(*) FROM admin_audit " AUDIT_UNDER;
	static const char sql[] =
	    "SELECT id, at, actor, action, target, detail, scope"
	    " FROM admin_audit " AUDIT_UNDER " ORDER BY id DESC LIMIT ?2 OFFSET ?3";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, count, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	if ((r = sq__step_row(q, st, err)))
		return r;
	*total = sqlite3_column_int64(st, 0);
	sq__done(st);
	if ((r = sq__prep(q, sql, &st, err)))
		return r;
	sq__bind_text(st, 1, under);
	sqlite3_bind_int(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	return sq__rows(q, st, a, sizeof(**out), read_audit, (void **)out, n, err);
}

static void read_key(sqlite3_stmt *st, void *row)
{
	struct store_apikey_row *k = row;
	k->id = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, k->name, sizeof(k->name));
	sq__col_copy(st, 2, k->scope, sizeof(k->scope));
	k->created_at = sqlite3_column_int64(st, 3);
	k->revoked = sqlite3_column_int(st, 4);
}

int sq__apikey_list(struct store *s, struct arena *a, struct store_apikey_row **out, size_t *n,
		    struct err *err)
{
	static const char sql[] =
	    "SELECT id, name, scope, created_at, revoked FROM api_key ORDER BY id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	return sq__rows(q, st, a, sizeof(**out), read_key, (void **)out, n, err);
}

int sq__apikey_revoke(struct store *s, int64_t id, struct err *err)
{
	static const char sql[] = "UPDATE api_key SET revoked=1 WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ENOTFOUND, "no API key %lld", (long long)id);
	return GG_OK;
}

static void read_device(sqlite3_stmt *st, void *row)
{
	struct store_device_row *d = row;
	sq__col_copy(st, 0, d->d.id, sizeof(d->d.id));
	sq__col_copy(st, 1, d->d.type, sizeof(d->d.type));
	sq__col_copy(st, 2, d->d.category, sizeof(d->d.category));
	d->has_point = sqlite3_column_type(st, 3) != SQLITE_NULL && strcmp(d->d.type, "tracker");
	d->d.lon = sqlite3_column_double(st, 3);
	d->d.lat = sqlite3_column_double(st, 4);
	d->d.created_at = sqlite3_column_int64(st, 5);
	sq__col_copy(st, 6, d->user, sizeof(d->user));
}

int sq__device_list(struct store *s, struct arena *a, struct store_device_row **out, size_t *n,
		    struct err *err)
{
	static const char sql[] = "SELECT id, type, category, lon, lat, created_at, user"
				  " FROM device ORDER BY id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	return sq__rows(q, st, a, sizeof(**out), read_device, (void **)out, n, err);
}

int sq__device_set_user(struct store *s, const char *id, const char *user, struct err *err)
{
	static const char sql[] = "UPDATE device SET user=? WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text_or_null(st, 1, user);
	sq__bind_text(st, 2, id);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ENOTFOUND, "no device %s", id);
	return GG_OK;
}
