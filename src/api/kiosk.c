/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wall screens 大屏 (kiosk sessions). An administrator issues a screen by name (POST
 * /api/v1/kiosk) and gets a one-time code, valid for a day, to open on that screen as
 * /wall?kiosk=CODE; the screen trades it once for a bearer token (POST
 * /api/v1/kiosk/session). The token acts as a leader over the screen's scope, may only
 * read, never expires (a wall is not signed out after 8 hours), and stops working the
 * moment the administrator revokes the screen (DELETE /api/v1/kiosk/{id}).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/sec.h"
#include "gridgov/store_kiosk.h"

#define CODE_TTL (24 * 3600)
/* a screen acts under a user id no user or API key (-id) has */
#define KIOSK_USER_BASE ((int64_t)1 << 40)

static json_t *kiosk_json(const struct store_kiosk *k)
{
	char at[32];
	clock_format_utc(k->created_at, at, sizeof(at));
	json_t *j = json_pack("{s:I,s:o,s:s,s:s,s:b,s:b}", "id", (json_int_t)k->id, "name",
			      api_text_json(k->name), "scope", k->scope, "created_at", at,
			      "claimed", k->claimed_at != 0, "revoked", k->revoked_at != 0);
	if (k->claimed_at) {
		clock_format_utc(k->claimed_at, at, sizeof(at));
		json_object_set_new(j, "claimed_at", json_string(at));
	}
	if (k->revoked_at) {
		clock_format_utc(k->revoked_at, at, sizeof(at));
		json_object_set_new(j, "revoked_at", json_string(at));
	}
	return j;
}

int api_kiosk_create(struct api_req *r)
{
	const char *name, *scope = NULL;
	int rc;
	if ((rc = api_body_str(r, "name", 1, &name)) || (rc = api_body_str(r, "scope", 0, &scope)))
		return rc;
	size_t len = strlen(name);
	/* it names the screen's principal too ("kiosk:" + name in ROLE_NAME_MAX) */
	if (!len || len > 57)
		return err_field(&r->err, GG_EFIELD, "name", "name is 1 to 57 bytes");
	if (!scope)
		scope = r->who.scope;
	if (*scope) {
		struct grid_node g;
		if (strlen(scope) >= GRID_CODE_MAX || store_grid_get(r->db, scope, &g, &r->err))
			return err_field(&r->err, GG_EFIELD, "scope", "no grid %s", scope);
	}
	if (!principal_covers(&r->who, scope))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", scope);
	struct store_kiosk k = {.created_by = r->who.user_id, .created_at = clock_now()};
	snprintf(k.name, sizeof(k.name), "%s", name);
	snprintf(k.scope, sizeof(k.scope), "%s", scope);
	k.code_expires = k.created_at + CODE_TTL;
	char code[SEC_TOKEN_LEN], hash[SEC_TOKEN_HASH_LEN];
	sec_token_new(code);
	sec_token_hash(code, hash);
	if ((rc = store_kiosk_insert(r->db, &k, hash, &r->err)))
		return rc;
	json_t *j = kiosk_json(&k);
	char exp[32];
	clock_format_utc(k.code_expires, exp, sizeof(exp));
	json_object_set_new(j, "code", json_string(code));
	json_object_set_new(j, "code_expires_at", json_string(exp));
	json_object_set_new(j, "url", json_string(arena_printf(r->arena, "/wall?kiosk=%s", code)));
	api_reply(r, 201, j);
	return GG_OK;
}

int api_kiosk_list(struct api_req *r)
{
	struct store_kiosk *k;
	size_t n;
	int rc = store_kiosk_list(r->db, r->arena, &k, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (principal_covers(&r->who, k[i].scope))
			json_array_append_new(items, kiosk_json(&k[i]));
	api_reply_list(r, items, (long long)json_array_size(items));
	return GG_OK;
}

int api_kiosk_revoke(struct api_req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end || id <= 0)
		return api_fail(r, GG_ENOTFOUND, "no wall screen %s", r->params[0]);
	int rc = store_kiosk_revoke(r->db, id, clock_now(), &r->err);
	if (rc)
		return rc;
	api_reply(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
	return GG_OK;
}

static void as_screen(struct principal *who, const struct store_kiosk *k)
{
	memset(who, 0, sizeof(*who));
	who->user_id = -(KIOSK_USER_BASE + k->id);
	who->role = ROLE_LEADER;
	snprintf(who->name, sizeof(who->name), "kiosk:%.57s", k->name);
	snprintf(who->scope, sizeof(who->scope), "%s", k->scope);
}

int api_kiosk_session(struct api_req *r)
{
	const char *code;
	int rc;
	if ((rc = api_body_str(r, "code", 1, &code)))
		return rc;
	char code_hash[SEC_TOKEN_HASH_LEN], token[SEC_TOKEN_LEN], token_hash[SEC_TOKEN_HASH_LEN];
	sec_token_hash(code, code_hash);
	sec_token_new(token);
	sec_token_hash(token, token_hash);
	struct store_kiosk k;
	rc = store_kiosk_claim(r->db, code_hash, token_hash, clock_now(), &k, &r->err);
	if (rc == GG_ENOTFOUND)
		return api_fail(
		    r, GG_EUNAUTH,
		    "this wall-screen code is unknown, used already, expired or revoked");
	if (rc)
		return rc;
	api__wrote_token(r->srv, token_hash);
	struct principal who;
	as_screen(&who, &k);
	api_reply(r, 201,
		  json_pack("{s:s,s:s,s:n,s:I,s:{s:s,s:s,s:s,s:s,s:s,s:b}}", "token", token,
			    "token_type", "Bearer", "expires_at", "kiosk", (json_int_t)k.id, "user",
			    "name", who.name, "role", role_name(who.role), "role_name",
			    role_name_zh(who.role), "scope", who.scope, "dept", "", "kiosk", 1));
	return GG_OK;
}

int api__kiosk_auth(struct api_req *r)
{
	struct store_kiosk k;
	struct err e = ERR_INIT;
	int rc = store_kiosk_by_token(r->db, r->token_hash, &k, &e);
	if (rc == GG_ENOTFOUND)
		return GG_ENOTFOUND;
	if (rc)
		return err_set(&r->err, rc, "%s", e.msg);
	as_screen(&r->who, &k);
	r->kiosk = 1;
	r->authed = 1;
	return GG_OK;
}
