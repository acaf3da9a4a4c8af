/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The administration operations (svc_admin.h): users, departments, the categories' time
 * limits, API keys and devices. The rule that runs through them: an admin reaches only
 * what lies inside its own scope, so a street's admin never makes a district-wide user or
 * key. Every write is logged in the audit log, never with a secret in it.
 */
#include <stdio.h>
#include <stdarg.h>
#include <string.h>

#include "gridgov/sec.h"
#include "gridgov/store_admin.h"
#include "gridgov/store_track.h"
#include "gridgov/svc_admin.h"

#define TEMP_PASSWORD_LEN 12 /* characters of base64url: 72 random bits */
#define PASSWORD_MIN	  8

static int audit(const struct svc *s, struct err *err, const char *scope, const char *action,
		 const char *target, const char *fmt, ...) __attribute__((format(printf, 6, 7)));

static int audit(const struct svc *s, struct err *err, const char *scope, const char *action,
		 const char *target, const char *fmt, ...)
{
	struct store_audit e = {.at = s->now};
	snprintf(e.actor, sizeof(e.actor), "%s", s->who->name);
	snprintf(e.scope, sizeof(e.scope), "%s", scope);
	snprintf(e.action, sizeof(e.action), "%s", action);
	snprintf(e.target, sizeof(e.target), "%s", target);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(e.detail, sizeof(e.detail), fmt, ap);
	va_end(ap);
	return store_audit_add(s->db, &e, err);
}

static int admin_only(const struct svc *s, struct err *err)
{
	if (s->who->role != ROLE_ADMIN)
		return err_set(err, GG_EFORBIDDEN, "only an admin manages users and settings");
	return GG_OK;
}

/* A scope the admin may hand out: inside its own ("" only for a whole-tree admin). */
static int scope_allowed(const struct svc *s, const char *scope, const char *field, struct err *err)
{
	if (!principal_covers(s->who, scope))
		return err_field(err, GG_EFORBIDDEN, field,
				 "scope '%s' is outside your own scope '%s'",
				 *scope ? scope : "(whole tree)", s->who->scope);
	return GG_OK;
}

static int scope_exists(const struct svc *s, const char *scope, const char *field, struct err *err)
{
	if (!*scope)
		return GG_OK;
	struct grid_node g;
	struct err e = ERR_INIT;
	if (grid_level_of_code(scope) == GRID_LEVEL_NONE)
		return err_field(err, GG_EFIELD, field, "'%s' is not a grid code", scope);
	int rc = store_grid_get(s->db, scope, &g, &e);
	if (rc == GG_ENOTFOUND)
		return err_field(err, GG_EFIELD, field, "no grid '%s'", scope);
	return rc ? err_set(err, rc, "%s", e.msg) : GG_OK;
}

/* The role, scope and department of u agree with each other and with the store. */
static int user_check(const struct svc *s, const struct store_user *u, struct err *err)
{
	int rc;
	if ((rc = scope_allowed(s, u->who.scope, "scope", err)) ||
	    (rc = scope_exists(s, u->who.scope, "scope", err)))
		return rc;
	if (u->who.role != ROLE_ADMIN && u->who.role != ROLE_DEPARTMENT && !u->who.scope[0])
		return err_field(err, GG_EMISSING, "scope", "role %s needs a scope",
				 role_name(u->who.role));
	if (u->who.role == ROLE_DEPARTMENT && !u->who.dept[0])
		return err_field(err, GG_EMISSING, "dept", "role department needs a department");
	if (u->who.dept[0]) {
		struct store_dept d;
		struct err e = ERR_INIT;
		rc = store_dept_get(s->db, u->who.dept, &d, &e);
		if (rc == GG_ENOTFOUND)
			return err_field(err, GG_EFIELD, "dept", "unknown department '%s'",
					 u->who.dept);
		if (rc)
			return err_set(err, rc, "%s", e.msg);
	}
	return GG_OK;
}

static int copy_field(char *dst, size_t n, const char *v, const char *field, struct err *err)
{
	if (strlen(v) >= n)
		return err_field(err, GG_EFIELD, field, "'%s' is too long (at most %zu bytes)",
				 field, n - 1);
	snprintf(dst, n, "%s", v);
	return GG_OK;
}

static int apply(struct store_user *u, const struct svc_user_in *in, struct err *err)
{
	int rc;
	if (in->role) {
		int r = role_parse(in->role);
		if (r < 0)
			return err_field(err, GG_EFIELD, "role", "unknown role '%s'", in->role);
		u->who.role = (enum role)r;
	}
	if ((in->scope &&
	     (rc = copy_field(u->who.scope, sizeof(u->who.scope), in->scope, "scope", err))) ||
	    (in->dept &&
	     (rc = copy_field(u->who.dept, sizeof(u->who.dept), in->dept, "dept", err))))
		return rc;
	return GG_OK;
}

static void temp_password(char temp[SVC_SECRET_MAX])
{
	char tok[SEC_TOKEN_LEN];
	sec_token_new(tok);
	snprintf(temp, SVC_SECRET_MAX, "%.*s", TEMP_PASSWORD_LEN, tok);
	memset(tok, 0, sizeof(tok));
}

int svc_password_prepare(const char *password, char temp[SVC_SECRET_MAX], char *pwhash,
			 struct err *err)
{
	temp[0] = 0;
	if (password && strlen(password) < PASSWORD_MIN)
		return err_field(err, GG_EFIELD, "password",
				 "a password has at least %d characters", PASSWORD_MIN);
	if (!password) {
		temp_password(temp);
		password = temp;
	}
	int rc = sec_password_hash(password, pwhash, err);
	if (rc)
		memset(temp, 0, SVC_SECRET_MAX);
	return rc;
}

int svc_user_add(const struct svc *s, const struct svc_user_in *in, int64_t *id, struct err *err)
{
	int rc;
	if ((rc = admin_only(s, err)))
		return rc;
	if (!in->name || !*in->name)
		return err_field(err, GG_EMISSING, "name", "field 'name' is required");
	if (!in->role)
		return err_field(err, GG_EMISSING, "role", "field 'role' is required");
	for (const char *p = in->name; *p; p++)
		if ((unsigned char)*p <= ' ' || *p == ':')
			return err_field(err, GG_EFIELD, "name",
					 "a user name has no spaces or colons");
	if (!in->pwhash || !*in->pwhash)
		return err_field(err, GG_EMISSING, "password", "a password is required");
	struct store_user u = {.active = 1, .must_change = !!in->must_change};
	if ((rc = copy_field(u.who.name, sizeof(u.who.name), in->name, "name", err)) ||
	    (rc = copy_field(u.pwhash, sizeof(u.pwhash), in->pwhash, "password", err)) ||
	    (rc = apply(&u, in, err)) || (rc = user_check(s, &u, err)))
		return rc;
	if ((rc = store_user_insert(s->db, &u, id, err)))
		return rc == GG_ECONFLICT ? err_field(err, GG_ECONFLICT, "name",
						      "user '%s' already exists", u.who.name)
					  : rc;
	return audit(s, err, u.who.scope, "user.add", u.who.name, "role=%s scope=%s dept=%s%s",
		     role_name(u.who.role), u.who.scope, u.who.dept,
		     u.must_change ? " temporary-password" : "");
}

/* The user with this id, if the admin manages it (404 otherwise: not even its name). */
static int managed(const struct svc *s, int64_t id, struct store_user *u, struct err *err)
{
	int rc = admin_only(s, err);
	if (rc || (rc = store_user_get(s->db, id, u, err)))
		return rc;
	if (!principal_covers(s->who, u->who.scope))
		return err_set(err, GG_ENOTFOUND, "no user %lld", (long long)id);
	return GG_OK;
}

int svc_user_edit(const struct svc *s, int64_t id, const struct svc_user_in *in, struct err *err)
{
	struct store_user u;
	int rc;
	if ((rc = managed(s, id, &u, err)) || (rc = apply(&u, in, err)) ||
	    (rc = user_check(s, &u, err)))
		return rc;
	if (u.id == s->who->user_id && u.who.role != ROLE_ADMIN)
		return err_field(err, GG_EFORBIDDEN, "role",
				 "you cannot take away your own admin role");
	if ((rc = store_user_update(s->db, &u, err)))
		return rc;
	return audit(s, err, u.who.scope, "user.edit", u.who.name, "role=%s scope=%s dept=%s",
		     role_name(u.who.role), u.who.scope, u.who.dept);
}

int svc_user_lock(const struct svc *s, int64_t id, int on, struct err *err)
{
	struct store_user u;
	int rc = managed(s, id, &u, err);
	if (rc)
		return rc;
	if (on && u.id == s->who->user_id)
		return err_set(err, GG_EFORBIDDEN, "you cannot lock yourself out");
	u.active = !on;
	if ((rc = store_user_update(s->db, &u, err)))
		return rc;
	if (on && (rc = store_session_drop_user(s->db, u.id, err)))
		return rc;
	return audit(s, err, u.who.scope, on ? "user.lock" : "user.unlock", u.who.name, "%s",
		     on ? "sessions ended" : "");
}

int svc_user_reset(const struct svc *s, int64_t id, const char *pwhash, struct err *err)
{
	struct store_user u;
	int rc = managed(s, id, &u, err);
	if (rc)
		return rc;
	u.must_change = 1;
	if ((rc = copy_field(u.pwhash, sizeof(u.pwhash), pwhash, "password", err)) ||
	    (rc = store_user_update(s->db, &u, err)) ||
	    (rc = store_session_drop_user(s->db, u.id, err)))
		return rc;
	return audit(s, err, u.who.scope, "user.reset", u.who.name,
		     "temporary password, sessions ended");
}

static int contains(const char *hay, const char *needle)
{
	return strstr(hay, needle) != NULL;
}

int svc_user_list(const struct svc *s, const char *q, int64_t offset, int limit,
		  struct store_user **out, size_t *n, int64_t *total, struct err *err)
{
	struct store_user *all;
	size_t m;
	int rc = admin_only(s, err);
	if (rc || (rc = store_user_list(s->db, s->a, &all, &m, err)))
		return rc;
	*out = all; /* kept in place: the page is a prefix of the same array */
	*n = 0;
	*total = 0;
	for (size_t i = 0; i < m; i++) {
		const struct principal *w = &all[i].who;
		if (!principal_covers(s->who, w->scope))
			continue;
		if (q && *q && !contains(w->name, q) && !contains(w->scope, q) &&
		    !contains(w->dept, q))
			continue;
		if (*total >= offset && (int64_t)*n < limit)
			all[(*n)++] = all[i];
		(*total)++;
	}
	for (size_t i = 0; i < m; i++) /* no hashes beyond this point */
		memset(all[i].pwhash, 0, sizeof(all[i].pwhash));
	return GG_OK;
}

int svc_password_check(const struct svc *s, const char *old_pw, const char *new_pw, char *pwhash,
		       struct err *err)
{
	struct store_user u;
	int rc = store_user_get(s->db, s->who->user_id, &u, err);
	if (rc)
		return rc;
	if (!sec_password_verify(u.pwhash, old_pw))
		return err_field(err, GG_EFIELD, "old_password", "the current password is wrong");
	if (strlen(new_pw) < PASSWORD_MIN)
		return err_field(err, GG_EFIELD, "new_password",
				 "a password has at least %d characters", PASSWORD_MIN);
	if (!strcmp(old_pw, new_pw))
		return err_field(err, GG_EFIELD, "new_password",
				 "the new password must differ from the current one");
	return sec_password_hash(new_pw, pwhash, err);
}

int svc_password_set(const struct svc *s, const char *pwhash, struct err *err)
{
	struct store_user u;
	int rc = store_user_get(s->db, s->who->user_id, &u, err);
	if (rc || (rc = copy_field(u.pwhash, sizeof(u.pwhash), pwhash, "password", err)))
		return rc;
	u.must_change = 0;
	if ((rc = store_user_update(s->db, &u, err)))
		return rc;
	return audit(s, err, u.who.scope, "user.password", u.who.name, "changed by the user");
}

int svc_dept_put(const struct svc *s, const struct store_dept *d, int create, struct err *err)
{
	int rc = admin_only(s, err);
	if (rc)
		return rc;
	if (!d->code[0])
		return err_field(err, GG_EMISSING, "code", "field 'code' is required");
	for (const char *p = d->code; *p; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') || *p == '_'))
			return err_field(err, GG_EFIELD, "code",
					 "a department code is capital letters, digits and _");
	if (!d->name[0])
		return err_field(err, GG_EMISSING, "name", "field 'name' is required");
	struct store_dept old;
	struct err e = ERR_INIT;
	rc = store_dept_get(s->db, d->code, &old, &e);
	if (rc && rc != GG_ENOTFOUND)
		return err_set(err, rc, "%s", e.msg);
	if (create && rc == GG_OK)
		return err_field(err, GG_ECONFLICT, "code", "department %s exists already",
				 d->code);
	if (!create && rc == GG_ENOTFOUND)
		return err_set(err, GG_ENOTFOUND, "no department %s", d->code);
	if ((rc = store_dept_put(s->db, d, err)))
		return rc;
	return audit(s, err, "", create ? "dept.add" : "dept.edit", d->code, "name=%s", d->name);
}

int svc_category_update(const struct svc *s, const struct store_category *c, struct err *err)
{
	int rc = admin_only(s, err);
	if (rc)
		return rc;
	const struct {
		const char *field;
		int v;
	} lims[] = {{"limit_general_h", c->limit_general_h},
		    {"limit_engineering_h", c->limit_engineering_h},
		    {"limit_special_h", c->limit_special_h},
		    {"verify_min", c->verify_min}};
	for (size_t i = 0; i < sizeof(lims) / sizeof(lims[0]); i++)
		if (lims[i].v <= 0 || lims[i].v > 100000)
			return err_field(err, GG_EFIELD, lims[i].field,
					 "field '%s' must be 1..100000", lims[i].field);
	if (c->limit_general_h > c->limit_engineering_h ||
	    c->limit_engineering_h > c->limit_special_h)
		return err_field(err, GG_EFIELD, "limit_general_h",
				 "limits must be ordered general <= engineering <= special");
	if (strcmp(c->urgency, "normal") && strcmp(c->urgency, "urgent") &&
	    strcmp(c->urgency, "emergency"))
		return err_field(err, GG_EFIELD, "urgency",
				 "urgency is normal, urgent or emergency");
	if (c->department[0]) {
		struct store_dept d;
		struct err e = ERR_INIT;
		rc = store_dept_get(s->db, c->department, &d, &e);
		if (rc == GG_ENOTFOUND)
			return err_field(err, GG_EFIELD, "department", "unknown department '%s'",
					 c->department);
		if (rc)
			return err_set(err, rc, "%s", e.msg);
	}
	if ((rc = store_category_put(s->db, c, err)))
		return rc;
	return audit(s, err, "", "category.edit", c->code,
		     "limits_h=%d/%d/%d verify_min=%d urgency=%s department=%s", c->limit_general_h,
		     c->limit_engineering_h, c->limit_special_h, c->verify_min, c->urgency,
		     c->department);
}

int svc_apikey_issue(const struct svc *s, const char *name, const char *scope, int64_t *id,
		     char key[SVC_SECRET_MAX], struct err *err)
{
	int rc;
	key[0] = 0;
	if ((rc = admin_only(s, err)))
		return rc;
	if (!name || !*name)
		return err_field(err, GG_EMISSING, "name", "field 'name' is required");
	if (strlen(name) >= sizeof(((struct store_apikey *)0)->name))
		return err_field(err, GG_EFIELD, "name", "the name is too long");
	if (!scope)
		scope = "";
	if (strlen(scope) >= sizeof(((struct store_apikey *)0)->scope))
		return err_field(err, GG_EFIELD, "scope", "'%s' is not a grid code", scope);
	if ((rc = scope_allowed(s, scope, "scope", err)) ||
	    (rc = scope_exists(s, scope, "scope", err)))
		return rc;
	char hash[SEC_TOKEN_HASH_LEN];
	sec_token_new(key);
	sec_token_hash(key, hash);
	if ((rc = store_apikey_add(s->db, name, hash, scope, s->now, id, err))) {
		memset(key, 0, SVC_SECRET_MAX);
		return rc == GG_ECONFLICT ? err_field(err, GG_ECONFLICT, "name",
						      "an API key named %s exists", name)
					  : rc;
	}
	return audit(s, err, scope, "apikey.issue", name, "scope=%s", scope);
}

int svc_apikey_list(const struct svc *s, struct store_apikey_row **out, size_t *n, struct err *err)
{
	struct store_apikey_row *k;
	size_t m;
	int rc = admin_only(s, err);
	if (rc || (rc = store_apikey_list(s->db, s->a, &k, &m, err)))
		return rc;
	*out = k;
	*n = 0;
	for (size_t i = 0; i < m; i++)
		if (principal_covers(s->who, k[i].scope))
			k[(*n)++] = k[i];
	return GG_OK;
}

int svc_apikey_revoke(const struct svc *s, int64_t id, struct err *err)
{
	int rc = admin_only(s, err);
	if (rc)
		return rc;
	struct store_apikey_row *k;
	size_t n;
	if ((rc = store_apikey_list(s->db, s->a, &k, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (k[i].id != id)
			continue;
		if (!principal_covers(s->who, k[i].scope))
			break;
		if ((rc = store_apikey_revoke(s->db, id, err)))
			return rc;
		return audit(s, err, k[i].scope, "apikey.revoke", k[i].name, "scope=%s",
			     k[i].scope);
	}
	return err_set(err, GG_ENOTFOUND, "no API key %lld", (long long)id);
}

/* Whether a point lies in the admin's scope (always for a whole-tree admin). */
static int point_in_scope(const struct svc *s, double lon, double lat, int *in, struct err *err)
{
	*in = 1;
	if (!s->who->scope[0])
		return GG_OK;
	*in = 0;
	if (!s->locate)
		return GG_OK;
	char code[GRID_CODE_MAX];
	struct err e = ERR_INIT;
	int rc = s->locate(s->locate_arg, lon, lat, code, &e);
	if (rc == GG_ENOTFOUND)
		return GG_OK;
	if (rc)
		return err_set(err, rc, "%s", e.msg);
	*in = principal_covers(s->who, code);
	return GG_OK;
}

int svc_device_add(const struct svc *s, const struct store_device *in, const char *user,
		   char key[SVC_SECRET_MAX], struct err *err)
{
	int rc;
	key[0] = 0;
	if ((rc = admin_only(s, err)))
		return rc;
	struct store_device d = *in;
	d.created_at = s->now;
	if (!d.id[0])
		return err_field(err, GG_EMISSING, "id", "field 'id' is required");
	static const char *const types[] = {"manhole", "smoke", "water_level", "camera", "tracker"};
	size_t t = 0;
	while (t < sizeof(types) / sizeof(types[0]) && strcmp(types[t], d.type))
		t++;
	if (t == sizeof(types) / sizeof(types[0]))
		return err_field(err, GG_EFIELD, "type",
				 "type is manhole, smoke, water_level, camera or tracker");
	int tracker = !strcmp(d.type, "tracker");
	char owner[GRID_CODE_MAX] = ""; /* a tracker's user's scope, for the audit log */
	int64_t tracker_user = 0;
	if (tracker) {
		if (!user || !*user)
			return err_field(err, GG_EMISSING, "user", "a tracker is linked to a user");
		struct store_user u;
		struct err e = ERR_INIT;
		rc = store_user_by_name(s->db, user, &u, &e);
		if (rc == GG_ENOTFOUND || (rc == GG_OK && !principal_covers(s->who, u.who.scope)))
			return err_field(err, GG_EFIELD, "user", "no user '%s'", user);
		if (rc)
			return err_set(err, rc, "%s", e.msg);
		snprintf(owner, sizeof(owner), "%s", u.who.scope);
		tracker_user = u.id;
		d.category[0] = 0;
		d.lon = d.lat = 0;
	} else {
		if (!d.category[0])
			return err_field(err, GG_EMISSING, "category",
					 "field 'category' is required");
		if (d.lon < -180 || d.lon > 180 || d.lat < -90 || d.lat > 90 ||
		    (d.lon == 0 && d.lat == 0))
			return err_field(err, GG_EFIELD, "lon", "lon and lat are WGS 84 degrees");
		int in_scope;
		if ((rc = point_in_scope(s, d.lon, d.lat, &in_scope, err)))
			return rc;
		if (!in_scope)
			return err_field(err, GG_EFORBIDDEN, "lon",
					 "the point is outside your scope '%s'", s->who->scope);
		struct store_category c;
		struct err e = ERR_INIT;
		rc = store_category_get(s->db, d.category, &c, &e);
		if (rc == GG_ENOTFOUND)
			return err_field(err, GG_EFIELD, "category", "unknown category '%s'",
					 d.category);
		if (rc)
			return err_set(err, rc, "%s", e.msg);
	}
	struct store_device old;
	struct err e = ERR_INIT;
	rc = store_device_get(s->db, d.id, &old, &e);
	if (rc == GG_OK)
		return err_field(err, GG_ECONFLICT, "id", "a device %s exists already", d.id);
	if (rc != GG_ENOTFOUND)
		return err_set(err, rc, "%s", e.msg);
	sec_token_new(key);
	sec_token_hash(key, d.key_hash);
	/* a tracker is also what the OsmAnd listener knows (store_track.h), as the CLI's
	 * `device add --type tracker` registers it */
	if ((rc = store_device_add(s->db, &d, err)) ||
	    (tracker && (rc = store_device_set_user(s->db, d.id, user, err))) ||
	    (tracker && (rc = store_tracker_add(s->db, d.id, tracker_user, s->now, err)))) {
		memset(key, 0, SVC_SECRET_MAX);
		return rc == GG_ECONFLICT
			   ? err_field(err, GG_ECONFLICT, "id", "a device %s exists already", d.id)
			   : rc;
	}
	return audit(s, err, tracker ? owner : s->who->scope, "device.add", d.id, "type=%s%s%s",
		     d.type, tracker ? " user=" : "", tracker ? user : "");
}

int svc_device_list(const struct svc *s, struct store_device_row **out, size_t *n, struct err *err)
{
	struct store_device_row *d;
	size_t m;
	int rc = admin_only(s, err);
	if (rc || (rc = store_device_list(s->db, s->a, &d, &m, err)))
		return rc;
	*out = d;
	*n = 0;
	for (size_t i = 0; i < m; i++) {
		int in = 0;
		if (d[i].user[0]) {
			struct store_user u;
			struct err e = ERR_INIT;
			rc = store_user_by_name(s->db, d[i].user, &u, &e);
			if (rc && rc != GG_ENOTFOUND)
				return err_set(err, rc, "%s", e.msg);
			in = rc == GG_OK && principal_covers(s->who, u.who.scope);
		} else if (d[i].has_point &&
			   (rc = point_in_scope(s, d[i].d.lon, d[i].d.lat, &in, err))) {
			return rc;
		}
		if (in || !s->who->scope[0])
			d[(*n)++] = d[i];
	}
	return GG_OK;
}

int svc_audit_list(const struct svc *s, int64_t offset, int limit, struct store_audit **out,
		   size_t *n, int64_t *total, struct err *err)
{
	int rc = admin_only(s, err);
	if (rc)
		return rc;
	return store_audit_list(s->db, s->who->scope, offset, limit, s->a, out, n, total, err);
}
