/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Open311 GeoReport v2 at /open311/v2/: discovery, the service list (the category
 * catalog's items), service definitions, and service requests (cases of channel
 * "open311": POST with an API key, GET with the spec's filters, one by id, and tokens,
 * answered at once since requests become cases synchronously), each as .json or .xml,
 * with the specification's error format (a list of {code, description}).
 */
#include <math.h>
#include <stdio.h>
#include <strings.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/store_intake.h"
#include "gridgov/utf8.h"

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

/*
 * Character data: XML 1.0 cannot carry most control characters even as references, so
 * they are dropped (and any byte that is not UTF-8 becomes U+FFFD) before escaping.
 */
static void xml_text(struct buf *b, const char *text)
{
	struct buf clean = BUF_INIT;
	utf8_scrub(&clean, text, strlen(text));
	for (const char *s = clean.p; *s; s++) {
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
	buf_release(&clean);
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

/*
 * JSON leaves out what XML shows as an empty element: the GeoReport v2 schema has no
 * null (a field it types as a string or a number must be one), and every field gridgov
 * may lack a value for is optional there.
 */
static void drop_nulls(json_t *v)
{
	size_t i;
	json_t *x;
	if (json_is_array(v)) {
		json_array_foreach(v, i, x) drop_nulls(x);
	} else if (json_is_object(v)) {
		const char *k;
		void *tmp;
		json_object_foreach_safe(v, tmp, k, x)
		{
			if (json_is_null(x))
				json_object_del(v, k);
			else
				drop_nulls(x);
		}
	}
}

/* Answer v (stolen) as JSON, or as XML under root. */
static int answer(struct api_req *r, int status, const char *root, json_t *v)
{
	r->status = status;
	if (!want_xml(r)) {
		drop_nulls(v);
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

/*
 * Whether the request names a jurisdiction this endpoint does not serve. The spec's
 * jurisdiction_id is needed only where one endpoint serves several; gridgov serves one,
 * named by `serve --jurisdiction`. Without that option any value is ignored, as the spec
 * allows; with it, another value is the spec's 404. An empty value counts as none.
 */
static int foreign_jurisdiction(struct api_req *r)
{
	const char *want = r->srv->cfg.jurisdiction;
	const char *j = api_query(r, "jurisdiction_id");
	if (!j || !*j)
		j = api_form(r, "jurisdiction_id");
	return want && *want && j && *j && strcmp(j, want);
}

#define NO_JURISDICTION "jurisdiction_id provided was not found"

/*
 * The endpoint's absolute URL, as the client reached us (Host, and the scheme a proxy
 * in front says it used): clients follow it, and a relative one sends them to port 80.
 */
static const char *endpoint_url(struct api_req *r)
{
	const char *host = api_header(r, "Host");
	const char *proto = api_header(r, "X-Forwarded-Proto");
	int https = proto && !strcasecmp(proto, "https");
	if (!host || !*host || strpbrk(host, "/\\ \"<>"))
		host = arena_printf(r->arena, "%s:%d", r->srv->cfg.host, r->srv->port);
	return arena_printf(r->arena, "%s://%s/open311/v2", https ? "https" : "http", host);
}

int api_open311_discovery(struct api_req *r)
{
	json_t *ep =
	    json_pack("{s:s,s:s,s:s,s:s,s:[s,s]}", "specification",
		      "http://wiki.open311.org/GeoReport_v2", "url", endpoint_url(r), "changeset",
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
	if (foreign_jurisdiction(r))
		return fail311(r, 404, NO_JURISDICTION);
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
	if (foreign_jurisdiction(r))
		return fail311(r, 404, NO_JURISDICTION);
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

/* ---- service requests -------------------------------------------------------------- */

static int closed(enum case_state s)
{
	return s == CASE_CLOSED || s == CASE_EVALUATED || s == CASE_REJECTED || s == CASE_MERGED;
}

static json_t *time_json(int64_t t)
{
	char s[32];
	clock_format_utc(t, s, sizeof(s));
	return json_string(s);
}

static json_t *request_json(struct api_req *r, const struct store_case *c)
{
	struct store_category cat;
	int has = store_category_get(r->db, c->category, &cat, &r->err) == GG_OK;
	err_clear(&r->err);
	json_t *j =
	    json_pack("{s:s,s:s,s:s,s:s,s:s,s:o,s:s}", "service_request_id",
		      arena_printf(r->arena, "%lld", (long long)c->id), "status",
		      closed(c->state) ? "closed" : "open", "status_notes",
		      case_state_name_zh(c->state), "service_name", has ? cat.name : "",
		      "service_code", c->category, "description", api_text_json(c->description),
		      "agency_responsible", c->department[0] ? c->department : "");
	json_object_set_new(j, "requested_datetime", time_json(c->created_at));
	json_object_set_new(j, "updated_datetime", time_json(c->updated_at));
	json_object_set_new(j, "address", api_text_json(c->address));
	json_object_set_new(j, "lat", c->has_point ? json_real(c->lat) : json_null());
	json_object_set_new(j, "long", c->has_point ? json_real(c->lon) : json_null());
	/* what the request sent beyond a case's columns; none: empty in XML, left out of JSON */
	struct store_open311 o = {0};
	if (store_open311_get(r->db, c->id, &o, &r->err))
		err_clear(&r->err);
	json_object_set_new(j, "address_id",
			    o.address_id[0] ? json_string(o.address_id) : json_null());
	json_object_set_new(j, "zipcode", o.zipcode[0] ? json_string(o.zipcode) : json_null());
	json_object_set_new(j, "media_url",
			    o.media_url[0] ? json_string(o.media_url) : json_null());
	/* GeoReport fields gridgov has no value for */
	json_object_set_new(j, "service_notice", json_null());
	json_object_set_new(j, "expected_datetime", json_null());
	return j;
}

static int parse_num(const char *s, double *out)
{
	char *end;
	*out = s ? strtod(s, &end) : 0;
	return s && *end == 0 && end != s && isfinite(*out) ? 0 : -1;
}

/* The one district of the platform (for an address a key without scope sends), or NULL. */
static const char *sole_root(struct api_req *r)
{
	struct grid_node *g;
	size_t n;
	struct err e = ERR_INIT;
	if (store_grid_children(r->db, "", r->arena, &g, &n, &e) || n != 1)
		return NULL;
	return g[0].code;
}

struct o311 {
	struct svc_open311_in in;
	int64_t id;
};

static int request_step(struct api_req *r, void *arg)
{
	struct o311 *k = arg;
	struct svc s;
	struct store_case *c;
	api__svc(r, &s);
	int rc = svc_open311_request(&s, &k->in, &c, &r->err);
	api__svc_done(r, &s, rc ? NULL : c);
	if (rc == GG_OK)
		k->id = c->id;
	return rc;
}

int api_open311_request_create(struct api_req *r)
{
	if (!r->authed || r->who.user_id >= 0)
		return fail311(r, 403, "api_key is missing or invalid");
	if (foreign_jurisdiction(r))
		return fail311(r, 404, NO_JURISDICTION);
	const char *code = api_form(r, "service_code");
	if (!code)
		return fail311(r, 400, "service_code is required");
	struct store_category cat;
	int rc = api_read(r);
	if (rc)
		return rc;
	if (store_category_get(r->db, code, &cat, &r->err)) {
		err_clear(&r->err);
		return fail311(r, 404, "no such service_code");
	}
	struct o311 *k = arena_zalloc(r->arena, sizeof(*k));
	struct svc_case_in *in = &k->in.c;
	*in = (struct svc_case_in){.category = code, .channel = "open311", .reporter = "open311"};
	k->in.media_url = api_form(r, "media_url");
	k->in.address_id = api_form(r, "address_id");
	k->in.zipcode = api_form(r, "zipcode");
	const char *lat = api_form(r, "lat"), *lon = api_form(r, "long");
	in->address = api_form(r, "address_string");
	in->description = api_form(r, "description");
	if (!in->description)
		in->description = arena_strdup(r->arena, cat.name);
	if (lat || lon) {
		if (parse_num(lat, &in->lat) || parse_num(lon, &in->lon))
			return fail311(r, 400, "lat and long must both be numbers");
		in->has_point = 1;
	} else if (!in->address && !k->in.address_id) {
		return fail311(
		    r, 400, "a location is required: lat and long, address_string or address_id");
	}
	if (!in->has_point)
		in->grid = r->who.scope[0] ? r->who.scope : sole_root(r); /* the key's area */
	if ((rc = api_write(r, request_step, k))) {
		int status = err_http_status(rc);
		char why[300];
		snprintf(why, sizeof(why), "%s", err_msg(&r->err));
		err_clear(&r->err);
		if (status >= 500)
			return err_set(&r->err, rc, "%s", why);
		return fail311(r, status == 422 ? 400 : status, why);
	}
	const char *id = arena_printf(r->arena, "%lld", (long long)k->id);
	/* account_id is the client's own id of its user: echoed, not kept */
	const char *account = api_form(r, "account_id");
	return answer(r, 201, "service_requests",
		      json_pack("[{s:s,s:s,s:n,s:s?}]", "service_request_id", id, "token", id,
				"service_notice", "account_id", account));
}

static int load(struct api_req *r, const char *id_s, struct store_case *c)
{
	char *end;
	long long id = strtoll(id_s, &end, 10);
	if (*end || id <= 0 || store_case_get(r->db, id, c, &r->err) ||
	    strcmp(c->channel, "open311")) {
		err_clear(&r->err);
		return fail311(r, 404, "no such service request");
	}
	return GG_OK;
}

int api_open311_request_get(struct api_req *r)
{
	struct store_case c;
	if (foreign_jurisdiction(r))
		return fail311(r, 404, NO_JURISDICTION);
	if (load(r, r->params[0], &c) || r->status == 404)
		return GG_OK;
	return answer(r, 200, "service_requests", json_pack("[o]", request_json(r, &c)));
}

int api_open311_token(struct api_req *r)
{
	struct store_case c;
	if (foreign_jurisdiction(r))
		return fail311(r, 404, NO_JURISDICTION);
	if (load(r, r->params[0], &c) || r->status == 404)
		return GG_OK;
	return answer(
	    r, 200, "service_requests",
	    json_pack("[{s:s,s:s}]", "service_request_id", r->params[0], "token", r->params[0]));
}

/* Whether s is one of the comma-separated values of list. */
static int in_list(const char *list, const char *s)
{
	size_t n = strlen(s);
	for (const char *p = list; *p;) {
		size_t k = strcspn(p, ",");
		if (k == n && !strncmp(p, s, k))
			return 1;
		p += k + (p[k] == ',');
	}
	return 0;
}

#define LIST_MAX 1000  /* the specification's default cap on one answer */
#define IDS_MAX	 100   /* service_request_id values looked up in one request */
#define SCAN_MAX 20000 /* cases looked at for one list, newest first */

/* The Open311 requests named in the comma list ids, in its order (unknown ids left out). */
static int by_ids(struct api_req *r, const char *ids, json_t *a)
{
	int k = 0;
	for (const char *p = ids; *p && k < IDS_MAX; k++) {
		size_t n = strcspn(p, ",");
		char buf[24];
		snprintf(buf, sizeof(buf), "%.*s", (int)(n < sizeof(buf) ? n : 0), p);
		p += n + (p[n] == ',');
		char *end;
		long long id = strtoll(buf, &end, 10);
		struct store_case c;
		if (!buf[0] || *end || id <= 0)
			continue;
		int rc = store_case_get(r->db, id, &c, &r->err);
		if (rc == GG_ENOTFOUND) {
			err_clear(&r->err);
			continue;
		}
		if (rc)
			return rc;
		if (!strcmp(c.channel, "open311"))
			json_array_append_new(a, request_json(r, &c));
	}
	return GG_OK;
}

/*
 * The Open311 requests reported in [from, to), newest first, at most LIST_MAX: read page
 * by page down the channel's index (ids grow with the time of report) and stopped at the
 * window's start or after SCAN_MAX cases, so a request costs what it returns.
 */
static int by_window(struct api_req *r, const char *status, const char *codes, int64_t from,
		     int64_t to, json_t *a)
{
	struct store_case_filter f = {
	    .channel = "open311", .scope = "", .limit = 100, .scan_max = 2000};
	if (codes && !strchr(codes, ','))
		f.category = codes;
	int64_t seen = 0;
	for (;;) {
		struct store_case *c;
		size_t n;
		struct store_case_page pg;
		int rc = store_case_page(r->db, &f, r->arena, &c, &n, &pg, &r->err);
		if (rc)
			return rc;
		for (size_t i = 0; i < n; i++) {
			if (c[i].created_at < from || json_array_size(a) >= LIST_MAX)
				return GG_OK;
			if (c[i].created_at >= to)
				continue;
			if (status && !in_list(status, closed(c[i].state) ? "closed" : "open"))
				continue;
			if (codes && !in_list(codes, c[i].category))
				continue;
			json_array_append_new(a, request_json(r, &c[i]));
		}
		seen += f.scan_max;
		if (!pg.next || seen >= SCAN_MAX)
			return GG_OK;
		f.after = pg.next;
	}
}

int api_open311_requests(struct api_req *r)
{
	if (foreign_jurisdiction(r))
		return fail311(r, 404, NO_JURISDICTION);
	int64_t now = clock_now(), from = now - 90 * 86400, to = now + 1;
	const char *ids = api_query(r, "service_request_id");
	const char *status = api_query(r, "status"), *codes = api_query(r, "service_code");
	/* service_request_id overrides every other filter */
	if (ids)
		status = codes = NULL;
	const char *s = ids ? NULL : api_query(r, "start_date");
	const char *e = ids ? NULL : api_query(r, "end_date");
	if ((s && clock_parse(s, &from)) || (e && clock_parse(e, &to)))
		return fail311(r, 400, "start_date and end_date are W3C date-times");
	if (s && !e)
		to = from + 90 * 86400;
	if (e && !s)
		from = to - 90 * 86400;
	if (status)
		for (const char *p = status; *p;) {
			size_t k = strcspn(p, ",");
			if (!((k == 4 && !strncmp(p, "open", 4)) ||
			      (k == 6 && !strncmp(p, "closed", 6))))
				return fail311(r, 400,
					       "status is open, closed or both (open,closed)");
			p += k + (p[k] == ',');
		}
	json_t *a = json_array();
	int rc = ids ? by_ids(r, ids, a) : by_window(r, status, codes, from, to, a);
	if (rc) {
		json_decref(a);
		return rc;
	}
	return answer(r, 200, "service_requests", a);
}

/*
 * A failure the dispatcher recorded on an Open311 path (bad key, bad text, rate limit,
 * unknown route or method), in the specification's error format and the path's format.
 */
char *api__open311_error(struct api_req *r, size_t *len, const char **type)
{
	int status = err_http_status(r->err.code);
	json_t *v = json_pack("[{s:i,s:o}]", "code", status, "description",
			      api_text_json(err_msg(&r->err)));
	char *out;
	if (want_xml(r)) {
		struct buf b = BUF_INIT;
		buf_adds(&b, "<?xml version=\"1.0\" encoding=\"utf-8\"?>");
		xml_value(&b, "errors", v);
		out = buf_detach(&b, len);
		*type = "text/xml; charset=utf-8";
	} else {
		out = json_dumps(v, JSON_COMPACT);
		*len = strlen(out);
		*type = "application/json; charset=utf-8";
	}
	json_decref(v);
	return out;
}
