/* SPDX-License-Identifier: Apache-2.0 */
/* The administration area in PostgreSQL (as src/store/sqlite/admin.c). */
#include <string.h>

#include "store/pg/pg_int.h"

int pg__user_get(struct store *s, int64_t id, struct store_user *u, struct err *err)
{
	static const char sql[] = "SELECT name FROM app_user WHERE id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&a, id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no user %lld", (long long)id)
					 : r;
	char name[ROLE_NAME_MAX];
	pg__col_copy(res, 0, 0, name, sizeof(name));
	PQclear(res);
	return pg__user_by_name(s, name, u, err);
}

int pg__user_update(struct store *s, const struct store_user *u, struct err *err)
{
	static const char sql[] = "UPDATE app_user SET role = $1, scope = $2, dept = $3,"
				  " pwhash = $4, active = $5, must_change = $6 WHERE id = $7";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, role_name(u->who.role));
	pg__arg_text(&a, u->who.scope);
	pg__arg_text_or_null(&a, u->who.dept);
	pg__arg_text(&a, u->pwhash);
	pg__arg_int(&a, u->active);
	pg__arg_int(&a, u->must_change);
	pg__arg_int(&a, u->id);
	int64_t changed = 0;
	int r = pg__run_changes(pg_of(s), sql, &a, &changed, err);
	if (r == GG_ECONFLICT)
		return err_field(err, GG_EFIELD, "dept", "unknown department '%s'", u->who.dept);
	if (r)
		return r;
	if (!changed)
		return err_set(err, GG_ENOTFOUND, "no user %lld", (long long)u->id);
	return GG_OK;
}

int pg__session_drop_user(struct store *s, int64_t user_id, struct err *err)
{
	static const char sql[] = "DELETE FROM session WHERE user_id = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, user_id);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__dept_put(struct store *s, const struct store_dept *d, struct err *err)
{
	static const char sql[] = "INSERT INTO department(code, name, name_en) VALUES($1, $2, $3)"
				  " ON CONFLICT (code) DO UPDATE SET name = excluded.name,"
				  " name_en = excluded.name_en";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, d->code);
	pg__arg_text(&a, d->name);
	pg__arg_text(&a, d->name_en);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__audit_add(struct store *s, const struct store_audit *e, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO admin_audit(at, scope, actor, action, target, detail)"
	    " VALUES($1, $2, $3, $4, $5, $6)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, e->at);
	pg__arg_text(&a, e->scope);
	pg__arg_text(&a, e->actor);
	pg__arg_text(&a, e->action);
	pg__arg_text(&a, e->target);
	pg__arg_text(&a, e->detail);
	return pg__run(pg_of(s), sql, &a, err);
}

static void read_audit(const PGresult *res, int row, void *elem)
{
	struct store_audit *e = elem;
	e->id = pg__int(res, row, 0);
	e->at = pg__int(res, row, 1);
	pg__col_copy(res, row, 2, e->actor, sizeof(e->actor));
	pg__col_copy(res, row, 3, e->action, sizeof(e->action));
	pg__col_copy(res, row, 4, e->target, sizeof(e->target));
	pg__col_copy(res, row, 5, e->detail, sizeof(e->detail));
	pg__col_copy(res, row, 6, e->scope, sizeof(e->scope));
}

/* $1 is the scope prefix ("" matches every entry: '' <= scope < ';') */
#define AUDIT_UNDER "WHERE scope >= $1 AND scope < $1 || ';'"

int pg__audit_list(struct store *s, const char *under, int64_t offset, int limit, struct arena *ar,
		   struct store_audit **out, size_t *n, int64_t *total, struct err *err)
{
	static const char count[] = "SELECT count(*) FROM admin_audit " AUDIT_UNDER;
	static const char sql[] =
	    "SELECT id, at, actor, action, target, detail, scope"
	    " FROM admin_audit " AUDIT_UNDER " ORDER BY id DESC LIMIT $2 OFFSET $3";
	struct pg_args c = PG_ARGS_INIT;
	pg__arg_text(&c, under);
	int r = pg__id(pg_of(s), count, &c, total, err);
	if (r)
		return r;
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, under);
	pg__arg_int(&a, limit);
	pg__arg_int(&a, offset);
	return pg__rows(pg_of(s), sql, &a, ar, sizeof(**out), read_audit, (void **)out, n, err);
}

static void read_key(const PGresult *res, int row, void *elem)
{
	struct store_apikey_row *k = elem;
	k->id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, k->name, sizeof(k->name));
	pg__col_copy(res, row, 2, k->scope, sizeof(k->scope));
	k->created_at = pg__int(res, row, 3);
	k->revoked = (int)pg__int(res, row, 4);
}

int pg__apikey_list(struct store *s, struct arena *ar, struct store_apikey_row **out, size_t *n,
		    struct err *err)
{
	static const char sql[] =
	    "SELECT id, name, scope, created_at, revoked FROM api_key ORDER BY id";
	return pg__rows(pg_of(s), sql, NULL, ar, sizeof(**out), read_key, (void **)out, n, err);
}

int pg__apikey_revoke(struct store *s, int64_t id, struct err *err)
{
	static const char sql[] = "UPDATE api_key SET revoked = 1 WHERE id = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, id);
	int64_t changed = 0;
	int r = pg__run_changes(pg_of(s), sql, &a, &changed, err);
	if (r)
		return r;
	return changed ? GG_OK : err_set(err, GG_ENOTFOUND, "no API key %lld", (long long)id);
}

static void read_device(const PGresult *res, int row, void *elem)
{
	struct store_device_row *d = elem;
	pg__col_copy(res, row, 0, d->d.id, sizeof(d->d.id));
	pg__col_copy(res, row, 1, d->d.type, sizeof(d->d.type));
	pg__col_copy(res, row, 2, d->d.category, sizeof(d->d.category));
	d->has_point = !pg__is_null(res, row, 3) && strcmp(d->d.type, "tracker");
	d->d.lon = pg__is_null(res, row, 3) ? 0 : pg__double(res, row, 3);
	d->d.lat = pg__is_null(res, row, 4) ? 0 : pg__double(res, row, 4);
	d->d.created_at = pg__int(res, row, 5);
	pg__col_copy(res, row, 6, d->user, sizeof(d->user));
}

int pg__device_list(struct store *s, struct arena *ar, struct store_device_row **out, size_t *n,
		    struct err *err)
{
	static const char sql[] = "SELECT id, type, category, lon, lat, created_at, \"user\""
				  " FROM device ORDER BY id";
	return pg__rows(pg_of(s), sql, NULL, ar, sizeof(**out), read_device, (void **)out, n, err);
}

int pg__device_set_user(struct store *s, const char *id, const char *user, struct err *err)
{
	static const char sql[] = "UPDATE device SET \"user\" = $1 WHERE id = $2";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text_or_null(&a, user);
	pg__arg_text(&a, id);
	int64_t changed = 0;
	int r = pg__run_changes(pg_of(s), sql, &a, &changed, err);
	if (r)
		return r;
	return changed ? GG_OK : err_set(err, GG_ENOTFOUND, "no device %s", id);
}
