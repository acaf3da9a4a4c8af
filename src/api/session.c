/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sign in and out. A login checks the argon2id hash outside the writer (it is slow on
 * purpose), counts failures per name and address and per name (login_guard.c) and locks
 * after too many; a success issues a random bearer token of which only the hash is
 * stored.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/sec.h"

struct login {
	const char *name;
	char token_hash[SEC_TOKEN_HASH_LEN];
	int64_t now, expires;
};

/* A right password: clear the stored failure state and keep the session's hash. */
static int record_login(struct api_req *r, void *arg)
{
	struct login *l = arg;
	struct store_user u;
	int rc = store_user_by_name(r->db, l->name, &u, &r->err);
	if (rc)
		return rc;
	if ((rc = store_user_set_login_state(r->db, u.id, 0, 0, &r->err)))
		return rc;
	return store_session_insert(r->db, l->token_hash, u.id, l->now, l->expires, &r->err);
}

static int locked(struct api_req *r, int64_t until, int64_t now)
{
	r->retry_after = arena_printf(r->arena, "%lld", (long long)(until - now));
	return api_fail(r, GG_ELOCKED,
			"account locked after %d failed logins; try again in %lld minutes",
			r->srv->cfg.lock_after, (long long)((until - now + 59) / 60));
}

/* The lock-out keys of a name: alone (every address) and with the caller's address. */
struct guard_keys {
	const char *name, *pair;
};

static int guard_refused(struct api_req *r, int rc, int64_t until, int64_t now)
{
	if (rc == GG_ELOCKED)
		return locked(r, until, now);
	r->retry_after = "1";
	return api_fail(r, GG_ERATE, "too many logins for this name at once: try again");
}

/*
 * Sign in. Whether or not the name exists, the attempt goes through the same lock-out
 * counters (so answers do not tell names apart) and costs one password check. The
 * counters are reserved before the check, so parallel guesses cannot outrun the lock.
 */
int api_session_create(struct api_req *r)
{
	const char *name, *password;
	int rc;
	if ((rc = api_body_str(r, "name", 1, &name)) ||
	    (rc = api_body_str(r, "password", 1, &password)))
		return rc;
	const struct api_config *cfg = &r->srv->cfg;
	if ((rc = api__rate(r, "login", r->client_ip, cfg->login_rate, cfg->login_rate)))
		return rc;
	struct guard_keys k = {
	    .name = arena_printf(r->arena, "n|%s", name),
	    .pair = arena_printf(r->arena, "p|%s|%s", name, r->client_ip ? r->client_ip : "")};
	struct login l = {.name = name, .now = clock_now()};
	int all = cfg->lock_after_all > 0 ? cfg->lock_after_all : cfg->lock_after;
	int64_t until = 0;
	struct api_login_guard *g = r->srv->login_guard;
	if ((rc = api__guard_reserve(g, k.pair, cfg->lock_after, l.now, &until)))
		return guard_refused(r, rc, until, l.now);
	if ((rc = api__guard_reserve(g, k.name, all, l.now, &until))) {
		api__guard_release(g, k.pair, l.now);
		return guard_refused(r, rc, until, l.now);
	}

	struct store_user u;
	struct err e = ERR_INIT;
	rc = store_user_by_name(r->db, name, &u, &e);
	int ok = 0;
	if (rc == GG_OK && u.active)
		ok = sec_password_verify(u.pwhash, password);
	else
		sec_password_dummy_verify(password);
	if (rc == GG_OK && u.locked_until > l.now)
		ok = 0; /* a lock kept in the database (older servers) still holds */
	int64_t now = clock_now(), u1 = 0, u2 = 0;
	int r1 = api__guard_finish(g, k.pair, ok, cfg->lock_after, cfg->lock_secs, now, &u1);
	int r2 = api__guard_finish(g, k.name, ok, all, cfg->lock_secs, now, &u2);
	if (rc && rc != GG_ENOTFOUND)
		return err_set(&r->err, rc, "%s", e.msg);
	if (r1 || r2)
		return locked(r, u1 > u2 ? u1 : u2, now);
	if (!ok)
		return api_fail(r, GG_EUNAUTH, "wrong name or password");

	char token[SEC_TOKEN_LEN];
	sec_token_new(token);
	sec_token_hash(token, l.token_hash);
	l.expires = l.now + cfg->token_ttl;
	if ((rc = api_write(r, record_login, &l)))
		return rc;
	api__wrote_token(r->srv, l.token_hash);
	char exp[32];
	clock_format_utc(l.expires, exp, sizeof(exp));
	api_reply(r, 201,
		  json_pack("{s:s,s:s,s:s,s:{s:s,s:s,s:s,s:s},s:b}", "token", token, "token_type",
			    "Bearer", "expires_at", exp, "user", "name", u.who.name, "role",
			    role_name(u.who.role), "scope", u.who.scope, "dept", u.who.dept,
			    "must_change_password", u.must_change));
	return GG_OK;
}

int api_session_delete(struct api_req *r)
{
	int rc = store_session_delete(r->db, r->token_hash, &r->err);
	if (rc)
		return rc;
	api_reply(r, 200, json_pack("{s:b}", "signed_out", 1));
	return GG_OK;
}

int api_session_me(struct api_req *r)
{
	json_t *me = json_pack("{s:s,s:s,s:s,s:s,s:s}", "name", r->who.name, "role",
			       role_name(r->who.role), "role_name", role_name_zh(r->who.role),
			       "scope", r->who.scope, "dept", r->who.dept);
	struct grid_node g;
	struct err e = ERR_INIT;
	if (r->who.scope[0] && store_grid_get(r->db, r->who.scope, &g, &e) == GG_OK)
		json_object_set_new(me, "scope_name", json_string(g.name));
	json_t *perms = json_array();
	for (int p = PERM_LOGIN; p < PERM_COUNT; p++)
		if (role_allows(r->who.role, (enum perm)p))
			json_array_append_new(perms, json_string(perm_name((enum perm)p)));
	json_object_set_new(me, "permissions", perms);
	if (r->kiosk)
		json_object_set_new(me, "kiosk", json_true());
	api_reply(r, 200, me);
	return GG_OK;
}

int api_test_clock(struct api_req *r)
{
	long long adv = 0;
	const char *at = NULL;
	int rc;
	if ((rc = api_body_int(r, "advance", 0, &adv)) || (rc = api_body_str(r, "set", 0, &at)))
		return rc;
	if (at) {
		int64_t t;
		if (clock_parse(at, &t))
			return err_field(&r->err, GG_EFIELD, "set", "'set' must be an RFC 3339 time");
		clock_set(t);
	} else if (adv < 0 || clock_advance(adv)) {
		return err_field(&r->err, GG_EFIELD, "advance", "'advance' must be >= 0 seconds");
	}
	api__sched_kick(); /* deadlines may have passed: supervise at once, not a tick later */
	char now[32];
	clock_format_utc(clock_now(), now, sizeof(now));
	api_reply(r, 200, json_pack("{s:s,s:I}", "now", now, "epoch", (json_int_t)clock_now()));
	return GG_OK;
}
