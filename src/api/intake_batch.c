/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Batch intake without HTTP (gridgov import hotline): each row runs through the very
 * handler of POST /api/v1/intake/hotline — same checks, locating, idempotency and outbox
 * — as an administrator of the given scope, inside its own savepoint of one transaction,
 * so a bad row leaves nothing behind and never stops the good ones.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/xalloc.h"

struct api_intake {
	struct api_server srv;
	struct store *db;
	char dsn[1024];
	char scope[GRID_CODE_MAX];
	int in_tx, loc_started;
};

int api_intake_open(const char *dsn, const char *scope, struct api_intake **out, struct err *err)
{
	struct api_intake *x = xcalloc(1, sizeof(*x));
	snprintf(x->dsn, sizeof(x->dsn), "%s", dsn);
	snprintf(x->scope, sizeof(x->scope), "%s", scope ? scope : "");
	api_config_defaults(&x->srv.cfg);
	x->srv.cfg.dsn = x->dsn;
	int rc = store_open(dsn, &x->db, err);
	if (rc == GG_OK && (rc = api__locator_start(&x->srv, err)) == GG_OK)
		x->loc_started = 1;
	if (rc == GG_OK && (rc = store_begin(x->db, STORE_WRITE, err)) == GG_OK)
		x->in_tx = 1;
	if (rc) {
		api_intake_close(x, 0, NULL);
		return rc;
	}
	*out = x;
	return GG_OK;
}

/* A CSV value as JSON: numbers for the coordinates, strings otherwise. */
static json_t *value(const char *key, const char *v)
{
	if (!strcmp(key, "lon") || !strcmp(key, "lat")) {
		char *end;
		double d = strtod(v, &end);
		if (!*end && end != v && isfinite(d))
			return json_real(d);
	}
	return json_string(v);
}

int api_intake_hotline_row(struct api_intake *x, const char *const *keys, const char *const *vals,
			   size_t n, int64_t *case_id, int *duplicate, struct err *err)
{
	struct api_req r = {0};
	r.srv = &x->srv;
	r.arena = arena_new();
	r.method = "POST";
	r.path = "/api/v1/intake/hotline";
	r.db = x->db;
	r.authed = 1;
	r.status = 200;
	r.who.role = ROLE_ADMIN;
	snprintf(r.who.name, sizeof(r.who.name), "import");
	snprintf(r.who.scope, sizeof(r.who.scope), "%s", x->scope);
	r.json = json_object();
	for (size_t i = 0; i < n; i++)
		if (vals[i] && *vals[i])
			json_object_set_new(r.json, keys[i], value(keys[i], vals[i]));
	int rc = store_savepoint(x->db, &r.err);
	if (rc == GG_OK) {
		rc = api_intake_hotline(&r);
		if (rc == GG_OK && r.err.code == GG_OK)
			rc = store_savepoint_release(x->db, &r.err);
		else
			store_savepoint_rollback(x->db);
	}
	if (rc == GG_OK && r.err.code)
		rc = r.err.code;
	if (rc == GG_OK) {
		*case_id = json_integer_value(json_object_get(r.res, "case_id"));
		*duplicate = json_is_true(json_object_get(r.res, "duplicate"));
	} else if (err) {
		*err = r.err;
		if (!err->code)
			err_set(err, rc, NULL);
	}
	json_decref(r.json);
	json_decref(r.res);
	json_decref(r.err_extra);
	arena_free(r.arena);
	return rc;
}

int api_intake_close(struct api_intake *x, int commit, struct err *err)
{
	int rc = GG_OK;
	if (x->in_tx) {
		if (commit)
			rc = store_commit(x->db, err);
		else
			store_rollback(x->db);
	}
	if (x->loc_started)
		api__locator_stop(&x->srv);
	store_close(x->db);
	free(x);
	return rc;
}
