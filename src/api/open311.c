/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open311 GeoReport v2 at /open311/v2/ — the part built so far: discovery, the service
 * list (the category catalog's items) and service definitions, each as .json or .xml,
 * with the specification's error format (a list of {code, description}). Service
 * requests (POST/GET requests, requests/{id}, tokens/{token}) are not built yet.
 */
#include <string.h>

#include "api/api_int.h"

#define CHANGESET "2026-01-01T00:00:00Z"

static int want_xml(const struct api_req *r)
{
	size_t n = strlen(r->path);
	return n > 4 && !strcmp(r->path + n - 4, ".xml");
}

/* Element names of list items, by the name of their list. */
static const char *item_name(const char *list)
{
	static const char *const map[][2] = {
	    {"services", "service"},	    {"endpoints", "endpoint"}, {"formats", "format"},
	    {"attributes", "attribute"},    {"values", "value"},       {"errors", "error"},
	    {"service_requests", "request"}};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], list))
			return map[i][1];
	return "item";
}

static void xml_text(struct buf *b, const char *s)
{
	for (; *s; s++) {
		switch (*s) {
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		default:
			buf_add(b, s, 1);
		}
	}
}

static void xml_value(struct buf *b, const char *name, json_t *v)
{
	if (json_is_null(v)) {
		buf_addf(b, "<%s/>", name);
		return;
	}
	buf_addf(b, "<%s>", name);
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x) xml_value(b, k, x);
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x) xml_value(b, item_name(name), x);
	} else if (json_is_string(v)) {
		xml_text(b, json_string_value(v));
	} else if (json_is_boolean(v)) {
		buf_adds(b, json_is_true(v) ? "true" : "false");
	} else if (json_is_integer(v)) {
		buf_addf(b, "%lld", (long long)json_integer_value(v));
	} else if (json_is_real(v)) {
		buf_addf(b, "%.7f", json_real_value(v));
	}
	buf_addf(b, "</%s>", name);
}

/* Answer v (stolen) as JSON, or as XML under root. */
static int answer(struct api_req *r, int status, const char *root, json_t *v)
{
	r->status = status;
	if (!want_xml(r)) {
		api_reply(r, status, v);
		return GG_OK;
	}
	struct buf b = BUF_INIT;
	buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
	xml_value(&b, root, v);
	json_decref(v);
	r->raw = arena_strdup(r->arena, b.p);
	r->raw_len = b.len;
	r->raw_type = "text/xml; charset=utf-8";
	buf_release(&b);
	return GG_OK;
}

/* The specification's error answer: [{"code": status, "description": why}]. */
static int fail311(struct api_req *r, int status, const char *why)
{
	return answer(r, status, "errors",
		      json_pack("[{s:i,s:s}]", "code", status, "description", why));
}

int api_open311_discovery(struct api_req *r)
{
	json_t *ep =
	    json_pack("{s:s,s:s,s:s,s:s,s:[s,s]}", "specification",
		      "http://wiki.open311.org/GeoReport_v2", "url", "/open311/v2", "changeset",
		      CHANGESET, "type", "production", "formats", "application/json", "text/xml");
	return answer(r, 200, "discovery",
		      json_pack("{s:s,s:s,s:s,s:[o]}", "changeset", CHANGESET, "contact",
				"the district's grid management center", "key_service",
				"gridgov apikey add (ask the center)", "endpoints", ep));
}

static json_t *service_json(const struct store_category *c)
{
	return json_pack("{s:s,s:s,s:s,s:b,s:s,s:s,s:s}", "service_code", c->code, "service_name",
			 c->name, "description", c->name_en[0] ? c->name_en : c->name, "metadata",
			 0, "type", "realtime", "keywords", c->minor_name, "group", c->major_name);
}

int api_open311_services(struct api_req *r)
{
	struct store_category *c;
	size_t n;
	int rc = store_category_list(r->db, r->arena, &c, &n, &r->err);
	if (rc)
		return rc;
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, service_json(&c[i]));
	return answer(r, 200, "services", a);
}

int api_open311_service(struct api_req *r)
{
	struct store_category c;
	int rc = store_category_get(r->db, r->params[0], &c, &r->err);
	if (rc == GG_ENOTFOUND) {
		err_clear(&r->err);
		return fail311(r, 404, "no such service_code");
	}
	if (rc)
		return rc;
	/* The catalog has no extra questions per item yet: no attributes. */
	return answer(r, 200, "service_definition",
		      json_pack("{s:s,s:[]}", "service_code", c.code, "attributes"));
}
