/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The dispatcher: matches the route table, parses the JSON body, authenticates the
 * bearer token, checks the route's permission, runs the handler inside its transaction
 * (a read transaction on the request's pooled connection, or a savepoint in the writer's
 * group commit; API_WRITE_STEP handlers submit their write step themselves and render
 * after the commit in a read transaction of their own) and renders the answer or the
 * error as JSON.
 */
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"
#include "gridgov/rate.h"
#include "gridgov/sec.h"
#include "gridgov/store_intake.h"
#include "gridgov/utf8.h"
#include "gridgov/xalloc.h"

/* Match one path segment against one pattern segment, capturing a {param}. */
static int match_segment(struct api_req *r, const char *pat, size_t plen, const char *seg,
			 size_t slen)
{
	if (plen > 1 && pat[0] == '{') {
		const char *close = memchr(pat, '}', plen);
		if (!close)
			return 0;
		size_t suffix = plen - (size_t)(close + 1 - pat);
		if (slen <= suffix || memcmp(seg + slen - suffix, close + 1, suffix) != 0)
			return 0;
		if (r->nparams == API_MAX_PARAMS)
			return 0;
		r->params[r->nparams++] = arena_strndup(r->arena, seg, slen - suffix);
		return 1;
	}
	return plen == slen && memcmp(pat, seg, plen) == 0;
}

static int match_path(struct api_req *r, const char *pattern, const char *path)
{
	r->nparams = 0;
	const char *p = pattern, *s = path;
	for (;;) {
		if (*p == 0 || *s == 0)
			return *p == 0 && *s == 0;
		if (*p != '/' || *s != '/')
			return 0;
		p++, s++;
		size_t pl = strcspn(p, "/"), sl = strcspn(s, "/");
		if (!match_segment(r, p, pl, s, sl))
			return 0;
		p += pl, s += sl;
	}
}

static int route_visible(const struct api_route *rt)
{
	return !(rt->flags & API_TEST_ONLY) || clock_test_mode();
}

const struct api_route *api__route_for(struct api_req *r)
{
	for (size_t i = 0; i < api__nroutes; i++) {
		const struct api_route *rt = &api__routes[i];
		if (route_visible(rt) && !strcmp(rt->method, r->method) &&
		    match_path(r, rt->pattern, r->path))
			return rt;
	}
	return NULL;
}

/* Find the route; on a path match with the wrong method, fail 405 with Allow. */
static int find_route(struct api_req *r)
{
	struct buf allow = BUF_INIT;
	for (size_t i = 0; i < api__nroutes; i++) {
		const struct api_route *rt = &api__routes[i];
		if (!route_visible(rt) || !match_path(r, rt->pattern, r->path))
			continue;
		if (!strcmp(rt->method, r->method)) {
			r->route = rt;
			buf_release(&allow);
			return GG_OK;
		}
		buf_addf(&allow, "%s%s", allow.len ? ", " : "", rt->method);
	}
	r->nparams = 0;
	if (allow.len) {
		r->allow = arena_strdup(r->arena, allow.p);
		buf_release(&allow);
		return err_set(&r->err, GG_EMETHOD, "%s is not allowed on %s", r->method, r->path);
	}
	return GG_ENOTFOUND;
}

/* Text is valid UTF-8 without control characters at every door: path, query, body. */
static int check_text(struct api_req *r)
{
	int rc;
	if ((rc = api__query_check(r)))
		return rc;
	struct buf field = BUF_INIT;
	enum utf8_fault f = r->json ? api__json_fault(r->json, &field) : UTF8_OK;
	rc = f ? api__text_fault(&r->err, field.p, f) : GG_OK;
	buf_release(&field);
	if (rc)
		return rc;
	const char *name = NULL;
	if ((f = api__parts_fault(r->parts, &name)))
		return api__text_fault(&r->err, name, f);
	return GG_OK;
}

static int parse_body(struct api_req *r)
{
	if (r->parts && !(r->route->flags & (API_UPLOAD | API_FORM)))
		return err_set(&r->err, GG_EMEDIA, "this route takes JSON, not a form upload");
	if (r->body_len == 0 || (r->route->flags & API_RAW_BODY) || r->parts)
		return GG_OK;
	/* Lenient on the declared type (clients forget it), strict on the content. */
	if (r->content_type && !strncmp(r->content_type, "multipart/", 10))
		return err_set(&r->err, GG_EMEDIA, "send the body as application/json");
	return api__json_parse(r->body, r->body_len, &r->json, &r->err);
}

/*
 * An API key, on routes that take one: it acts as an operator within the key's scope,
 * under a negative id so it is never mistaken for a user.
 */
static int authenticate_key(struct api_req *r)
{
	const char *key = r->api_key;
	if (!key)
		key = api_query(r, "api_key");
	if (!key)
		key = api_form(r, "api_key");
	if (!key && r->json && json_is_string(json_object_get(r->json, "api_key")))
		key = json_string_value(json_object_get(r->json, "api_key"));
	if (!key || !*key)
		return GG_EUNAUTH;
	char hash[SEC_TOKEN_HASH_LEN];
	sec_token_hash(key, hash);
	struct store_apikey k;
	struct err e = ERR_INIT;
	int rc = store_apikey_by_hash(r->db, hash, &k, &e);
	if (rc == GG_ENOTFOUND) {
		r->bad_key = 1;
		return GG_EUNAUTH;
	}
	if (rc)
		return err_set(&r->err, rc, "%s", e.msg);
	memset(&r->who, 0, sizeof(r->who));
	r->who.user_id = -k.id;
	r->who.role = ROLE_OPERATOR;
	snprintf(r->who.name, sizeof(r->who.name), "key:%s", k.name);
	snprintf(r->who.scope, sizeof(r->who.scope), "%s", k.scope);
	r->authed = 1;
	return GG_OK;
}

static int authenticate(struct api_req *r)
{
	if (!r->token_hash[0])
		return r->route->flags & API_KEY_OK ? authenticate_key(r) : GG_EUNAUTH;
	struct store_user u;
	struct err e = ERR_INIT;
	uint64_t epoch = store_epoch(STORE_EPOCH_AUTH);
	int rc = store_session_user(r->db, r->token_hash, clock_now(), &u, &e);
	if (rc == GG_ENOTFOUND) /* not a login: a wall screen's token, or nothing */
		return api__kiosk_auth(r) == GG_ENOTFOUND ? GG_EUNAUTH : r->err.code;
	if (rc)
		return err_set(&r->err, rc, "%s", e.msg);
	r->who = u.who;
	r->authed = 1;
	/* a password an admin reset is changed before anything else is done with it (such
	 * a session is never remembered: each request reads it again) */
	if (!u.must_change)
		api__authcache_put(r->srv->auth, r->token_hash, epoch, &u.who);
	if (u.must_change && strcmp(r->route->pattern, "/api/v1/session") &&
	    strcmp(r->route->pattern, "/api/v1/session/password"))
		return err_field(&r->err, GG_EFORBIDDEN, "password_change",
				 "change the temporary password first"
				 " (POST /api/v1/session/password)");
	return GG_OK;
}

int api__rate(struct api_req *r, const char *door, const char *key, double per_minute, double burst)
{
	if (per_minute <= 0 || !r->srv->report_limiter)
		return GG_OK;
	char k[256];
	snprintf(k, sizeof(k), "%s|%s", door, key ? key : "");
	int64_t retry_ms = 0;
	/* The server's clock (the test clock in tests), so tests need not wait. */
	if (rate_take(r->srv->report_limiter, k, clock_now_ms(), per_minute, burst, &retry_ms))
		return GG_OK;
	long long secs = (retry_ms + 999) / 1000;
	if (secs < 1)
		secs = 1;
	r->retry_after = arena_printf(r->arena, "%lld", secs);
	return err_set(&r->err, GG_ERATE, "too many requests: try again in %lld s", secs);
}

/* ---- read replicas (--read-db) ------------------------------------------------------ */

/*
 * Read-only routes run on the standby's pool. Read-your-writes: a caller that wrote
 * (any request but a GET without write flags, or a GET whose handler wrote) has its
 * reads served by the primary for cfg.read_primary_ms after it, keyed by its token (or,
 * without one, its address) in a small table of hash slots. docs/postgres.md says why
 * this and not waiting for the standby's replay LSN.
 */
static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static _Atomic int64_t *recent_slot(struct api_server *srv, const char *kind, const char *key)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = kind; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return &srv->recent[h % API_RECENT_SLOTS];
}

static void recent_mark(struct api_server *srv, const char *kind, const char *key, int64_t until)
{
	_Atomic int64_t *slot = recent_slot(srv, kind, key);
	int64_t old = atomic_load(slot);
	while (old < until && !atomic_compare_exchange_weak(slot, &old, until))
		;
}

/* the caller: its token, or its address when it sent none */
static int caller(const struct api_req *r, const char **kind, const char **key)
{
	*kind = r->token_hash[0] ? "t" : "a";
	*key = r->token_hash[0] ? r->token_hash : r->client_ip;
	return *key != NULL;
}

void api__wrote(struct api_req *r)
{
	const char *kind, *key;
	if (r->srv->rpool_size && caller(r, &kind, &key))
		recent_mark(r->srv, kind, key, mono_ms() + r->srv->cfg.read_primary_ms);
}

void api__wrote_token(struct api_server *srv, const char *token_hash)
{
	if (srv->rpool_size)
		recent_mark(srv, "t", token_hash, mono_ms() + srv->cfg.read_primary_ms);
}

static int writes(const struct api_req *r)
{
	return strcmp(r->method, "GET") || (r->route->flags & (API_WRITE | API_WRITE_STEP));
}

static int use_replica(struct api_req *r)
{
	struct api_server *srv = r->srv;
	const char *kind, *key;
	if (!srv->rpool_size || writes(r))
		return 0;
	int64_t now = mono_ms();
	if (atomic_load(&srv->replica_down_until) > now)
		return 0;
	return !caller(r, &kind, &key) || atomic_load(recent_slot(srv, kind, key)) <= now;
}

void api__read_on_primary(struct api_req *r)
{
	if (!r->on_replica)
		return;
	api__pool_put(r->srv, r->db);
	r->db = api__pool_get(r->srv);
	r->on_replica = 0;
}

/* The caller, on its own short read transaction. */
static int auth_tx(struct api_req *r)
{
	int rc = store_begin(r->db, STORE_READ, &r->err);
	if (rc)
		return rc;
	rc = authenticate(r);
	store_rollback(r->db);
	return rc;
}

/*
 * The standby refused the request's first transaction (down, or being restarted): the
 * request and every read for the next 5 s go to the primary instead, which has all the
 * data; the standby's connections reconnect by themselves once it is back. A transaction
 * reaches the server with its first statement (BEGIN is deferred), so the refusal shows
 * in the authentication's read, not at store_begin.
 */
static int auth_first(struct api_req *r)
{
	/* a token read a moment ago (authcache.c); not on a standby, whose first
	 * transaction is where its absence shows (below) */
	if (r->token_hash[0] && !r->on_replica &&
	    api__authcache_get(r->srv->auth, r->token_hash, &r->who)) {
		r->authed = 1;
		return GG_OK;
	}
	int rc = auth_tx(r);
	if (rc != GG_EUNAVAIL || !r->on_replica)
		return rc;
	log_warn("the standby is unavailable (%s): reads go to the primary for 5 s",
		 err_msg(&r->err));
	atomic_store(&r->srv->replica_down_until, mono_ms() + 5000);
	atomic_fetch_add(&r->srv->standby_fallbacks, 1);
	r->err = (struct err)ERR_INIT;
	memset(&r->who, 0, sizeof(r->who));
	api__read_on_primary(r);
	return auth_tx(r);
}

static int run_write(struct api_req *r, void *arg)
{
	(void)arg;
	return r->route->handler(r);
}

static int run(struct api_req *r)
{
	int rc;
	if ((rc = parse_body(r)) || (rc = check_text(r)))
		return rc;
	if ((r->route->flags & API_RATED) &&
	    (rc = api__rate(r, r->route->pattern, r->client_ip, r->srv->cfg.public_rate,
			    r->srv->cfg.public_rate)))
		return rc;
	rc = auth_first(r);
	if (rc == GG_EUNAUTH && r->route->perm != PERM_PUBLIC)
		return err_set(&r->err, GG_EUNAUTH,
			       r->token_hash[0] ? "the token is invalid or has expired"
			       : r->bad_key	? "the API key is invalid or revoked"
					    : "sign in first: send Authorization: Bearer TOKEN");
	if (rc && rc != GG_EUNAUTH)
		return rc;
	if (r->route->perm != PERM_PUBLIC && !role_allows(r->who.role, r->route->perm))
		return err_set(&r->err, GG_EFORBIDDEN, "role %s may not %s", role_name(r->who.role),
			       perm_name(r->route->perm));
	if (r->kiosk && writes(r))
		return err_set(&r->err, GG_EFORBIDDEN, "a wall-screen session may only read");

	if (r->route->flags & API_WRITE)
		return api_write_then(r, run_write, NULL, NULL);
	if (r->route->flags & API_WRITE_STEP) {
		/* the handler writes through api_write(_then) and renders in its own read
		 * (api_read); once it returned API_PENDING, r is the writer's */
		rc = r->route->handler(r);
		if (rc == API_PENDING)
			return rc;
		if (r->reading)
			store_rollback(r->db);
		r->reading = 0;
		return rc;
	}
	if ((rc = store_begin(r->db, STORE_READ, &r->err)))
		return rc;
	rc = r->route->handler(r);
	store_rollback(r->db); /* reads only: nothing to keep */
	return rc;
}

static void finish(struct api_req *r, int rc)
{
	if (rc != GG_OK && r->err.code == GG_OK)
		err_set(&r->err, rc, NULL);
	if (rc != GG_OK && r->res) {
		json_decref(r->res);
		r->res = NULL;
	}
}

int api__dispatch(struct api_req *r)
{
	r->status = 200;
	const struct api_config *cfg = &r->srv->cfg;
	if (cfg->ntrusted_proxies)
		r->client_ip = api__forwarded_client(r->arena, r->client_ip,
						     api_header_all(r, "X-Forwarded-For"),
						     cfg->trusted_proxies, cfg->ntrusted_proxies);
	enum utf8_fault f = utf8_check_str(r->path);
	int rc = f ? err_set(&r->err, GG_EINVAL, "the path %s", utf8_fault_text(f)) : find_route(r);
	if (rc == GG_ENOTFOUND && !strcmp(r->method, "GET") && strncmp(r->path, "/api/", 5) &&
	    strncmp(r->path, "/open311/", 9) && r->srv->cfg.web_dir[0]) {
		rc = api_static(r);
	} else if (rc == GG_ENOTFOUND) {
		err_set(&r->err, GG_ENOTFOUND, "no route %s %s", r->method, r->path);
	} else if (rc == GG_OK && r->srv->cfg.province && writes(r) &&
		   strcmp(r->route->pattern, "/api/v1/session") &&
		   !(r->route->flags & API_TEST_ONLY)) {
		/* the province's data are the cities' summaries: nothing here may change them */
		err_set(&r->err, GG_EFORBIDDEN,
			"this server is a province view and read-only: %s %s belongs on a city's"
			" server",
			r->method, r->path);
		rc = r->err.code;
	} else if (rc == GG_OK) {
		int w = writes(r);
		if (w)
			api__wrote(r);
		r->on_replica = use_replica(r);
		if (r->on_replica)
			atomic_fetch_add(&r->srv->standby_reads, 1);
		r->db = r->on_replica ? api__rpool_get(r->srv) : api__pool_get(r->srv);
		rc = run(r);
		if (rc == API_PENDING)
			return rc; /* api_write_then gave the connection back */
		api__pool_put(r->srv, r->db);
		r->db = NULL;
		r->on_replica = 0;
		if (w) /* the window starts again once the write is committed */
			api__wrote(r);
	}
	finish(r, rc);
	return GG_OK;
}

void api__dispatch_resume(struct api_req *r)
{
	int rc = r->write_rc;
	r->async = 0;
	api__wrote(r);
	if (r->then) {
		r->db = api__pool_get(r->srv);
		rc = r->then(r, r->then_arg, rc);
		if (r->reading)
			store_rollback(r->db);
		r->reading = 0;
		api__pool_put(r->srv, r->db);
		r->db = NULL;
	}
	finish(r, rc);
}

const char *api__log_path(const struct api_req *r)
{
	/* a tracking code in the path is as good as a password to the report it names */
	return r->route && (r->route->flags & API_SECRET_PATH) ? r->route->pattern : r->path;
}

/*
 * The status of a failed request; a server fault is logged. A 503 (the database busy, or
 * lost and being reconnected) tells the client when to try again, as a 429 does.
 */
static void fault_status(struct api_req *r)
{
	r->status = err_http_status(r->err.code);
	if (r->status >= 500)
		log_error("%s %s failed: %s", r->method, api__log_path(r), err_msg(&r->err));
	if (r->status == 503 && !r->retry_after)
		r->retry_after = r->err.code == GG_EBUSY ? "1" : "2";
}

char *api__render(struct api_req *r, size_t *len, const char **type)
{
	char *s = NULL;
	if (r->err.code == GG_OK && !r->raw) {
		/*
		 * A body that cannot be rendered (no answer, or text jansson refuses) is a
		 * server fault: say so, never send 200 with an empty object. Reals with 15
		 * significant digits: a coordinate or a rate as it was meant (103.89825, not
		 * 103.89825000000001), a third fewer bytes on the heat map.
		 */
		s = r->res ? json_dumps(r->res, JSON_COMPACT | JSON_REAL_PRECISION(15)) : NULL;
		if (!s)
			err_set(&r->err, GG_EINTERNAL,
				r->res
				    ? "the answer could not be rendered as JSON (text not UTF-8?)"
				    : "no answer to render (a stored text not UTF-8?)");
	}
	if (r->err.code != GG_OK)
		fault_status(r);
	if (r->err.code != GG_OK && !strncmp(r->path, "/open311/", 9))
		return api__open311_error(r, len, type);
	if (r->err.code != GG_OK) {
		json_t *e = json_object();
		json_object_set_new(e, "code", json_string(err_code_name(r->err.code)));
		json_object_set_new(e, "message", api_text_json(err_msg(&r->err)));
		if (r->err.field[0])
			json_object_set_new(e, "field", api_text_json(r->err.field));
		if (r->err_extra)
			json_object_update(e, r->err_extra);
		json_t *root = json_pack("{s:o}", "error", e);
		s = json_dumps(root, JSON_COMPACT);
		json_decref(root);
		*len = strlen(s);
		*type = "application/json; charset=utf-8";
		return s;
	}
	if (r->raw) {
		s = xmalloc(r->raw_len + 1);
		memcpy(s, r->raw, r->raw_len);
		s[r->raw_len] = 0;
		*len = r->raw_len;
		*type = r->raw_type ? r->raw_type : "application/octet-stream";
		return s;
	}
	*len = strlen(s);
	*type = "application/json; charset=utf-8";
	return s;
}

int api_test_routes(struct api_req *r)
{
	json_t *items = json_array();
	for (size_t i = 0; i < api__nroutes; i++) {
		const struct api_route *rt = &api__routes[i];
		json_t *roles = json_array();
		for (int k = 0; k < ROLE_COUNT; k++)
			if (rt->perm != PERM_PUBLIC && role_allows((enum role)k, rt->perm))
				json_array_append_new(roles, json_string(role_name((enum role)k)));
		json_array_append_new(
		    items, json_pack("{s:s,s:s,s:s,s:b,s:b,s:b,s:b,s:o}", "method", rt->method,
				     "pattern", rt->pattern, "perm",
				     rt->perm == PERM_PUBLIC ? "public" : perm_name(rt->perm),
				     "write", !!(rt->flags & API_WRITE), "upload",
				     !!(rt->flags & API_UPLOAD), "form", !!(rt->flags & API_FORM),
				     "test_only", !!(rt->flags & API_TEST_ONLY), "roles", roles));
	}
	api_reply_list(r, items, (long long)api__nroutes);
	return GG_OK;
}
