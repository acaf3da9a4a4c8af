/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The category catalog over HTTP: anyone lists it (every intake form needs it, the
 * citizen's too; Open311 publishes it as services.json anyway),
 * an admin edits an item's department, time limits and urgency (svc_category_update: the
 * deadlines set from then on use the new limits; the audit log keeps the change).
 */
#include <string.h>

#include "api/api_int.h"
#include "gridgov/svc_admin.h"

static json_t *category_json(const struct store_category *c)
{
	/* citizen: whether the citizen page 随手拍 may file it (svc_citizen_may_choose) */
	return json_pack(
	    "{s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s*,s:{s:i,s:i,s:i},s:i,s:s,s:b}", "code",
	    c->code, "kind", c->kind, "major_code", c->major_code, "major_name", c->major_name,
	    "major_name_en", c->major_name_en, "minor_code", c->minor_code, "minor_name",
	    c->minor_name, "minor_name_en", c->minor_name_en, "name", c->name, "name_en",
	    c->name_en, "department", c->department[0] ? c->department : NULL, "limits_h",
	    "general", c->limit_general_h, "engineering", c->limit_engineering_h, "special",
	    c->limit_special_h, "verify_min", c->verify_min, "urgency", c->urgency, "citizen",
	    svc_citizen_may_choose(c->kind));
}

int api_category_list(struct api_req *r)
{
	struct store_category *c;
	size_t n;
	int rc = store_category_list(r->db, r->arena, &c, &n, &r->err);
	if (rc)
		return rc;
	const char *kind = api_query(r, "kind"), *major = api_query(r, "major");
	const char *citizen = api_query(r, "citizen"); /* "true": what a citizen may choose */
	int only_citizen = citizen && !strcmp(citizen, "true");
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if ((!kind || !strcmp(kind, c[i].kind)) &&
		    (!major || !strcmp(major, c[i].major_code)) &&
		    (!only_citizen || svc_citizen_may_choose(c[i].kind)))
			json_array_append_new(items, category_json(&c[i]));
	api_reply_list(r, items, (long long)json_array_size(items));
	return GG_OK;
}

static int int_field(struct api_req *r, const char *key, int *out)
{
	long long v = *out;
	int rc = api_body_int(r, key, 0, &v);
	if (rc)
		return rc;
	if (v <= 0 || v > 100000)
		return err_field(&r->err, GG_EFIELD, key, "field '%s' must be 1..100000", key);
	*out = (int)v;
	return GG_OK;
}

int api_category_put(struct api_req *r)
{
	struct store_category c;
	int rc = store_category_get(r->db, r->params[0], &c, &r->err);
	if (rc)
		return rc;
	const char *dept, *urgency, *name, *name_en;
	if ((rc = api_body_str(r, "department", 0, &dept)) ||
	    (rc = api_body_str(r, "urgency", 0, &urgency)) ||
	    (rc = api_body_str(r, "name", 0, &name)) ||
	    (rc = api_body_str(r, "name_en", 0, &name_en)) ||
	    (rc = int_field(r, "limit_general_h", &c.limit_general_h)) ||
	    (rc = int_field(r, "limit_engineering_h", &c.limit_engineering_h)) ||
	    (rc = int_field(r, "limit_special_h", &c.limit_special_h)) ||
	    (rc = int_field(r, "verify_min", &c.verify_min)))
		return rc;
	if (dept)
		snprintf(c.department, sizeof(c.department), "%s", dept);
	if (urgency)
		snprintf(c.urgency, sizeof(c.urgency), "%s", urgency);
	if (name)
		snprintf(c.name, sizeof(c.name), "%s", name);
	if (name_en)
		snprintf(c.name_en, sizeof(c.name_en), "%s", name_en);
	/* the rules (limits ordered, a known department) and the audit entry are svc's */
	struct svc s;
	api__svc(r, &s);
	if ((rc = svc_category_update(&s, &c, &r->err)))
		return rc;
	api_reply(r, 200, category_json(&c));
	return GG_OK;
}
