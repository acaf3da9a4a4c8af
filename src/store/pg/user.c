/* SPDX-License-Identifier: Apache-2.0 */
/* Users and login sessions in PostgreSQL (as src/store/sqlite/user.c). */
#include <string.h>

#include "store/pg/pg_int.h"

#define USER_COLS                                                                                  \
	"u.id, u.name, u.role, u.scope, coalesce(u.dept,''), u.pwhash, u.failed_logins,"           \
	" u.locked_until, u.active, u.must_change"

/* (a row reader for pg__rows: elem is a struct store_user) */
static void read_user(const PGresult *res, int row, void *elem)
{
	struct store_user *u = elem;
	memset(u, 0, sizeof(*u));
	u->id = pg__int(res, row, 0);
	u->who.user_id = u->id;
	pg__col_copy(res, row, 1, u->who.name, sizeof(u->who.name));
	int r = pg__is_null(res, row, 2) ? -1 : role_parse(PQgetvalue(res, row, 2));
	u->who.role = r < 0 ? ROLE_GRID_WORKER : (enum role)r;
	pg__col_copy(res, row, 3, u->who.scope, sizeof(u->who.scope));
	pg__col_copy(res, row, 4, u->who.dept, sizeof(u->who.dept));
	pg__col_copy(res, row, 5, u->pwhash, sizeof(u->pwhash));
	u->failed_logins = (int)pg__int(res, row, 6);
	u->locked_until = pg__int(res, row, 7);
	u->active = (int)pg__int(res, row, 8);
	u->must_change = (int)pg__int(res, row, 9);
}

int pg__user_insert(struct store *s, const struct store_user *u, int64_t *id, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO app_user(name, role, scope, dept, pwhash, active, must_change, created_at)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, extract(epoch from now())::bigint) RETURNING id";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, u->who.name);
	pg__arg_text(&a, role_name(u->who.role));
	pg__arg_text(&a, u->who.scope);
	pg__arg_text_or_null(&a, u->who.dept);
	pg__arg_text(&a, u->pwhash);
	pg__arg_int(&a, u->active);
	pg__arg_int(&a, u->must_change);
	int r = pg__id(c, sql, &a, id, err);
	if (r == GG_ECONFLICT && !strcmp(c->constraint, "app_user_name_key"))
		return err_set(err, GG_ECONFLICT, "user '%s' already exists", u->who.name);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_EFIELD, "unknown department '%s'", u->who.dept);
	return r;
}

int pg__user_by_name(struct store *s, const char *name, struct store_user *u, struct err *err)
{
	static const char sql[] = "SELECT " USER_COLS " FROM app_user u WHERE u.name = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, name);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no user '%s'", name) : r;
	read_user(res, 0, u);
	PQclear(res);
	return GG_OK;
}

int pg__user_set_login_state(struct store *s, int64_t id, int failed, int64_t locked_until,
			     struct err *err)
{
	static const char sql[] = "UPDATE app_user SET failed_logins = $1, locked_until = $2"
				  " WHERE id = $3";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, failed);
	pg__arg_int(&a, locked_until);
	pg__arg_int(&a, id);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__user_list(struct store *s, struct arena *a, struct store_user **out, size_t *n,
		  struct err *err)
{
	static const char sql[] = "SELECT " USER_COLS " FROM app_user u ORDER BY u.id";
	return pg__rows(pg_of(s), sql, NULL, a, sizeof(**out), read_user, (void **)out, n, err);
}

int pg__session_insert(struct store *s, const char *h, int64_t uid, int64_t created,
		       int64_t expires, struct err *err)
{
	static const char purge[] = "DELETE FROM session WHERE expires_at < $1";
	static const char sql[] = "INSERT INTO session(token_hash, user_id, created_at, expires_at)"
				  " VALUES($1, $2, $3, $4)";
	struct pg *c = pg_of(s);
	struct pg_args p = PG_ARGS_INIT, a = PG_ARGS_INIT;
	pg__arg_int(&p, created);
	int r = pg__run(c, purge, &p, err);
	if (r)
		return r;
	pg__arg_text(&a, h);
	pg__arg_int(&a, uid);
	pg__arg_int(&a, created);
	pg__arg_int(&a, expires);
	return pg__run(c, sql, &a, err);
}

int pg__session_user(struct store *s, const char *h, int64_t now, struct store_user *u,
		     struct err *err)
{
	static const char sql[] = "SELECT " USER_COLS " FROM session x"
				  " JOIN app_user u ON u.id = x.user_id"
				  " WHERE x.token_hash = $1 AND x.expires_at > $2 AND u.active = 1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, h);
	pg__arg_int(&a, now);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no such session") : r;
	read_user(res, 0, u);
	PQclear(res);
	return GG_OK;
}

int pg__session_delete(struct store *s, const char *h, struct err *err)
{
	static const char sql[] = "DELETE FROM session WHERE token_hash = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, h);
	return pg__run(pg_of(s), sql, &a, err);
}
