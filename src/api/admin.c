/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The administration routes (issue 14, item 11) under /api/v1/admin/: users, departments,
 * API keys, devices and the audit log; the categories' limits stay on
 * PUT /api/v1/categories/{code}. The handlers read the body and call svc_admin.h, which
 * holds the rules (an admin reaches only its own scope) and writes the audit log; a
 * secret (temporary password, key) is in the answer once and nowhere else. The routes
 * that hash a password run on a worker: the hash is made there, then only the write
 * goes to the writer (as a login does).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/svc_admin.h"

#define USERS_PAGE     50
#define USERS_PAGE_MAX 200

static int query_num(struct api_req *r, const char *name, long long max, long long *out)
{
	const char *v = api_query(r, name);
	if (!v)
		return GG_OK;
	char *end;
	errno = 0;
	long long x = strtoll(v, &end, 10);
	if (!*v || *end || errno || x < 1 || x > max)
		return err_field(&r->err, GG_EFIELD, name, "%s is a whole number from 1 to %lld",
				 name, max);
	*out = x;
	return GG_OK;
}

static int path_id(struct api_req *r, int64_t *id)
{
	char *end;
	errno = 0;
	long long x = strtoll(r->params[0], &end, 10);
	if (!*r->params[0] || *end || errno || x < 1)
		return err_set(&r->err, GG_ENOTFOUND, "no such id %s", r->params[0]);
	*id = x;
	return GG_OK;
}

static char *iso(struct api_req *r, int64_t t)
{
	char *s = arena_alloc(r->arena, 32);
	clock_format_utc(t, s, 32);
	return s;
}

static json_t *user_json(const struct store_user *u)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b}", "id", (json_int_t)u->id, "name",
			 u->who.name, "role", role_name(u->who.role), "role_name",
			 role_name_zh(u->who.role), "scope", u->who.scope, "dept", u->who.dept,
			 "locked", !u->active, "must_change_password", u->must_change);
}

int api_admin_users(struct api_req *r)
{
	long long per = USERS_PAGE, page = 1;
	int rc;
	if ((rc = query_num(r, "per_page", USERS_PAGE_MAX, &per)) ||
	    (rc = query_num(r, "page", 1000000, &page)))
		return rc;
	struct svc s;
	api__svc(r, &s);
	struct store_user *u;
	size_t n;
	int64_t total;
	if ((rc = svc_user_list(&s, api_query(r, "q"), (page - 1) * per, (int)per, &u, &n, &total,
				&r->err)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, user_json(&u[i]));
	api_reply_list(r, items, (long long)total);
	return GG_OK;
}

static int user_in(struct api_req *r, struct svc_user_in *in)
{
	int rc;
	if ((rc = api_body_str(r, "role", 0, &in->role)) ||
	    (rc = api_body_str(r, "scope", 0, &in->scope)) ||
	    (rc = api_body_str(r, "dept", 0, &in->dept)))
		return rc;
	return GG_OK;
}

/* (api_write steps: the slow hash is made before, on the worker) */
struct user_write {
	struct svc_user_in in;
	int64_t id;
	const char *pwhash;
};

static int user_add_step(struct api_req *r, void *arg)
{
	struct user_write *w = arg;
	struct svc s;
	api__svc(r, &s);
	return svc_user_add(&s, &w->in, &w->id, &r->err);
}

int api_admin_user_add(struct api_req *r)
{
	struct user_write w = {0};
	const char *password = NULL;
	int rc;
	if ((rc = api_body_str(r, "name", 1, &w.in.name)) ||
	    (rc = api_body_str(r, "role", 1, &w.in.role)) || (rc = user_in(r, &w.in)) ||
	    (rc = api_body_str(r, "password", 0, &password)))
		return rc;
	if (!w.in.scope)
		w.in.scope = "";
	if (!w.in.dept)
		w.in.dept = "";
	char temp[SVC_SECRET_MAX], hash[STORE_PWHASH_MAX];
	if ((rc = svc_password_prepare(password, temp, hash, &r->err)))
		return rc;
	w.in.pwhash = hash;
	w.in.must_change = !password;
	if ((rc = api_write(r, user_add_step, &w))) {
		memset(temp, 0, sizeof(temp));
		return rc;
	}
	json_t *res = json_pack("{s:I,s:s}", "id", (json_int_t)w.id, "name", w.in.name);
	if (temp[0])
		json_object_set_new(res, "temporary_password", json_string(temp));
	memset(temp, 0, sizeof(temp));
	api_reply(r, 201, res);
	return GG_OK;
}

static int reply_user(struct api_req *r, int64_t id)
{
	struct store_user u;
	int rc = store_user_get(r->db, id, &u, &r->err);
	if (rc)
		return rc;
	api_reply(r, 200, user_json(&u));
	return GG_OK;
}

int api_admin_user_edit(struct api_req *r)
{
	struct svc_user_in in = {0};
	int64_t id = 0;
	int rc;
	if ((rc = path_id(r, &id)) || (rc = user_in(r, &in)))
		return rc;
	struct svc s;
	api__svc(r, &s);
	if ((rc = svc_user_edit(&s, id, &in, &r->err)))
		return rc;
	return reply_user(r, id);
}

static int lock(struct api_req *r, int on)
{
	int64_t id = 0;
	int rc = path_id(r, &id);
	if (rc)
		return rc;
	struct svc s;
	api__svc(r, &s);
	if ((rc = svc_user_lock(&s, id, on, &r->err)))
		return rc;
	return reply_user(r, id);
}

int api_admin_user_lock(struct api_req *r)
{
	return lock(r, 1);
}

int api_admin_user_unlock(struct api_req *r)
{
	return lock(r, 0);
}

static int user_reset_step(struct api_req *r, void *arg)
{
	struct user_write *w = arg;
	struct svc s;
	api__svc(r, &s);
	return svc_user_reset(&s, w->id, w->pwhash, &r->err);
}

int api_admin_user_reset(struct api_req *r)
{
	struct user_write w = {0};
	int rc = path_id(r, &w.id);
	if (rc)
		return rc;
	char temp[SVC_SECRET_MAX], hash[STORE_PWHASH_MAX];
	if ((rc = svc_password_prepare(NULL, temp, hash, &r->err)))
		return rc;
	w.pwhash = hash;
	if ((rc = api_write(r, user_reset_step, &w))) {
		memset(temp, 0, sizeof(temp));
		return rc;
	}
	api_reply(r, 200,
		  json_pack("{s:I,s:s}", "id", (json_int_t)w.id, "temporary_password", temp));
	memset(temp, 0, sizeof(temp));
	return GG_OK;
}

static int password_step(struct api_req *r, void *arg)
{
	struct svc s;
	api__svc(r, &s);
	return svc_password_set(&s, arg, &r->err);
}

int api_session_password(struct api_req *r)
{
	const char *old_pw, *new_pw;
	int rc;
	if ((rc = api_body_str(r, "old_password", 1, &old_pw)) ||
	    (rc = api_body_str(r, "new_password", 1, &new_pw)))
		return rc;
	struct svc s;
	api__svc(r, &s);
	char hash[STORE_PWHASH_MAX];
	if ((rc = svc_password_check(&s, old_pw, new_pw, hash, &r->err)) ||
	    (rc = api_write(r, password_step, hash)))
		return rc;
	api_reply(r, 200, json_pack("{s:b}", "changed", 1));
	return GG_OK;
}

static int dept_put(struct api_req *r, int create)
{
	const char *code = create ? NULL : r->params[0], *name, *name_en;
	int rc;
	if ((create && (rc = api_body_str(r, "code", 1, &code))) ||
	    (rc = api_body_str(r, "name", 1, &name)) ||
	    (rc = api_body_str(r, "name_en", 0, &name_en)))
		return rc;
	struct store_dept d = {0};
	if (strlen(code) >= sizeof(d.code))
		return err_field(&r->err, GG_EFIELD, "code",
				 "a department code is at most %zu bytes", sizeof(d.code) - 1);
	if (strlen(name) >= sizeof(d.name) || (name_en && strlen(name_en) >= sizeof(d.name_en)))
		return err_field(&r->err, GG_EFIELD, "name", "the name is at most %zu bytes",
				 sizeof(d.name) - 1);
	snprintf(d.code, sizeof(d.code), "%s", code);
	snprintf(d.name, sizeof(d.name), "%s", name);
	snprintf(d.name_en, sizeof(d.name_en), "%s", name_en ? name_en : "");
	struct svc s;
	api__svc(r, &s);
	if ((rc = svc_dept_put(&s, &d, create, &r->err)))
		return rc;
	api_reply(r, create ? 201 : 200,
		  json_pack("{s:s,s:s,s:s}", "code", d.code, "name", d.name, "name_en", d.name_en));
	return GG_OK;
}

int api_admin_dept_add(struct api_req *r)
{
	return dept_put(r, 1);
}

int api_admin_dept_edit(struct api_req *r)
{
	return dept_put(r, 0);
}

int api_admin_apikeys(struct api_req *r)
{
	struct store_apikey_row *k;
	size_t n;
	struct svc s;
	api__svc(r, &s);
	int rc = svc_apikey_list(&s, &k, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    items, json_pack("{s:I,s:s,s:s,s:s,s:b}", "id", (json_int_t)k[i].id, "name",
				     k[i].name, "scope", k[i].scope, "created_at",
				     iso(r, k[i].created_at), "revoked", k[i].revoked));
	api_reply_list(r, items, (long long)json_array_size(items));
	return GG_OK;
}

int api_admin_apikey_add(struct api_req *r)
{
	const char *name, *scope;
	int rc;
	if ((rc = api_body_str(r, "name", 1, &name)) || (rc = api_body_str(r, "scope", 0, &scope)))
		return rc;
	struct svc s;
	api__svc(r, &s);
	int64_t id = 0;
	char key[SVC_SECRET_MAX];
	if ((rc = svc_apikey_issue(&s, name, scope, &id, key, &r->err)))
		return rc;
	api_reply(r, 201,
		  json_pack("{s:I,s:s,s:s,s:s}", "id", (json_int_t)id, "name", name, "scope",
			    scope ? scope : "", "key", key));
	memset(key, 0, sizeof(key));
	return GG_OK;
}

int api_admin_apikey_revoke(struct api_req *r)
{
	int64_t id = 0;
	int rc = path_id(r, &id);
	if (rc)
		return rc;
	struct svc s;
	api__svc(r, &s);
	if ((rc = svc_apikey_revoke(&s, id, &r->err)))
		return rc;
	api_reply(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "revoked", 1));
	return GG_OK;
}

int api_admin_devices(struct api_req *r)
{
	struct store_device_row *d;
	size_t n;
	struct svc s;
	api__svc(r, &s);
	int rc = svc_device_list(&s, &d, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *o = json_pack(
		    "{s:s,s:s,s:s*,s:s*,s:s}", "id", d[i].d.id, "type", d[i].d.type, "category",
		    d[i].d.category[0] ? d[i].d.category : NULL, "user",
		    d[i].user[0] ? d[i].user : NULL, "created_at", iso(r, d[i].d.created_at));
		if (d[i].has_point) {
			json_object_set_new(o, "lon", json_real(d[i].d.lon));
			json_object_set_new(o, "lat", json_real(d[i].d.lat));
		}
		json_array_append_new(items, o);
	}
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}

int api_admin_device_add(struct api_req *r)
{
	const char *id, *type, *cat = NULL, *user = NULL;
	double lon = 0, lat = 0;
	int rc;
	if ((rc = api_body_str(r, "id", 1, &id)) || (rc = api_body_str(r, "type", 1, &type)) ||
	    (rc = api_body_str(r, "category", 0, &cat)) ||
	    (rc = api_body_str(r, "user", 0, &user)) || (rc = api_body_num(r, "lon", 0, &lon)) ||
	    (rc = api_body_num(r, "lat", 0, &lat)))
		return rc;
	struct store_device d = {.lon = lon, .lat = lat};
	if (strlen(id) >= sizeof(d.id))
		return err_field(&r->err, GG_EFIELD, "id", "a device id is at most %zu bytes",
				 sizeof(d.id) - 1);
	if (strlen(type) >= sizeof(d.type) || (cat && strlen(cat) >= sizeof(d.category)))
		return err_field(&r->err, GG_EFIELD,
				 strlen(type) >= sizeof(d.type) ? "type" : "category",
				 "the value is too long");
	snprintf(d.id, sizeof(d.id), "%s", id);
	snprintf(d.type, sizeof(d.type), "%s", type);
	snprintf(d.category, sizeof(d.category), "%s", cat ? cat : "");
	struct svc s;
	api__svc(r, &s);
	char key[SVC_SECRET_MAX];
	if ((rc = svc_device_add(&s, &d, user, key, &r->err)))
		return rc;
	api_reply(r, 201, json_pack("{s:s,s:s,s:s}", "id", d.id, "type", d.type, "key", key));
	memset(key, 0, sizeof(key));
	return GG_OK;
}

int api_admin_audit(struct api_req *r)
{
	long long per = USERS_PAGE, page = 1;
	int rc;
	if ((rc = query_num(r, "per_page", USERS_PAGE_MAX, &per)) ||
	    (rc = query_num(r, "page", 1000000, &page)))
		return rc;
	struct store_audit *e;
	size_t n;
	int64_t total;
	struct svc s;
	api__svc(r, &s);
	if ((rc = svc_audit_list(&s, (page - 1) * per, (int)per, &e, &n, &total, &r->err)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    items, json_pack("{s:I,s:s,s:s,s:s,s:s,s:s}", "id", (json_int_t)e[i].id, "at",
				     iso(r, e[i].at), "actor", e[i].actor, "action", e[i].action,
				     "target", e[i].target, "detail", e[i].detail));
	api_reply_list(r, items, (long long)total);
	return GG_OK;
}
