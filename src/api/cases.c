/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cases over HTTP: report one (located and routed to its grid, community and street,
 * with the category proposing a department), list them within the caller's scope, and
 * show one with its light, the actions the caller may take and its timeline.
 */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <sodium.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"
#include "gridgov/pii.h"
#include "gridgov/store_intake.h"

#define PAGE_SIZE     20
#define MAX_PAGE_SIZE 100
/* rows of the driving index one page of the case list may examine */
#define SCAN_MAX 5000
/* the list's total is counted while the filter's index holds at most this many rows */
#define COUNT_MAX 10000
/* the deepest offset `?page=` may ask for; deeper pages go by `after` */
#define MAX_OFFSET 10000
#define DUP_METRES 50.0
#define DUP_SECS   (24 * 3600)

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char s[32];
	clock_format_utc(t, s, sizeof(s));
	return json_string(s);
}

int api_case_visible(struct api_req *r, const struct store_case *c)
{
	struct svc s;
	api__svc(r, &s);
	return svc_case_visible(&s, c, &r->err);
}

json_t *api_case_allowed_json(struct api_req *r, const struct store_case *c)
{
	struct svc s;
	api__svc(r, &s);
	enum case_action out[CASE_ACTION_COUNT];
	size_t n = svc_case_allowed(&s, c, out, CASE_ACTION_COUNT, &r->err);
	err_clear(&r->err);
	json_t *a = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(a, json_string(case_action_name(out[i])));
	return a;
}

static const char *light_of(const struct store_case *c)
{
	if (!c->deadline)
		return NULL;
	return sla_light_name(
	    sla_light_at(api_case_cal(), c->stage_started, c->deadline, clock_now()));
}

/*
 * Who reported, as the caller may see it: a department works the case and calls no one
 * back, so it sees the reporter's first character and "**" (王**), as the people area
 * masks names; everyone else who may see the case sees the name.
 */
static json_t *reporter_json(struct api_req *r, const char *name)
{
	if (r->who.role != ROLE_DEPARTMENT || !*name)
		return json_string(name);
	size_t n = 1; /* the first UTF-8 code point */
	while (name[n] && ((unsigned char)name[n] & 0xC0) == 0x80)
		n++;
	return json_sprintf("%.*s**", (int)n, name);
}

json_t *api_case_json(struct api_req *r, const struct store_case *c)
{
	json_t *j = json_pack(
	    "{s:I,s:s,s:s,s:s,s:s,s:s,s:s*,s:s*,s:s,s:s,s:s,s:s*,s:s*,s:s*}", "id",
	    (json_int_t)c->id, "category", c->category, "description", c->description, "address",
	    c->address, "channel", c->channel, "grid", c->grid, "community",
	    c->community[0] ? c->community : NULL, "street", c->street[0] ? c->street : NULL,
	    "level", grid_level_name((enum grid_level)c->level), "state", case_state_name(c->state),
	    "state_name", case_state_name_zh(c->state), "department",
	    c->department[0] ? c->department : NULL, "proposed_department",
	    c->proposed_dept[0] ? c->proposed_dept : NULL, "light", light_of(c));
	if (c->has_point) {
		json_object_set_new(j, "lon", json_real(c->lon));
		json_object_set_new(j, "lat", json_real(c->lat));
	}
	/* a list of cases reads each grid once a moment at most (store_cache.c) */
	struct grid_node g;
	if (store_grid_get(r->db, c->grid, &g, &r->err) == GG_OK)
		json_object_set_new(j, "grid_name", json_string(g.name));
	err_clear(&r->err);
	json_object_set_new(j, "deadline", time_json(c->deadline));
	json_object_set_new(j, "overdue", json_boolean(c->deadline && clock_now() > c->deadline));
	json_object_set_new(j, "created_at", time_json(c->created_at));
	json_object_set_new(j, "updated_at", time_json(c->updated_at));
	json_object_set_new(j, "reporter", reporter_json(r, c->reporter));
	json_object_set_new(j, "supervision", json_integer(c->supervision));
	json_object_set_new(j, "extension_pending", json_boolean(c->ext_pending));
	json_object_set_new(j, "reopened", json_integer(c->reopened));
	if (c->rating[0])
		json_object_set_new(j, "rating", json_string(c->rating));
	if (c->merged_into)
		json_object_set_new(j, "merged_into", json_integer(c->merged_into));
	json_object_set_new(j, "allowed_actions", api_case_allowed_json(r, c));
	return j;
}

static int timeline(struct api_req *r, const struct store_case *c, json_t *j)
{
	struct store_case_entry *e;
	size_t n;
	int rc = store_case_log_list(r->db, c->id, r->arena, &e, &n, &r->err);
	if (rc)
		return rc;
	json_t *t = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *att = json_loads(e[i].attachments, 0, NULL);
		json_array_append_new(
		    t, json_pack("{s:I,s:s,s:s,s:s,s:o,s:s,s:s,s:s,s:o,s:s}", "seq",
				 (json_int_t)e[i].seq, "action", e[i].action, "actor", e[i].actor,
				 "role", e[i].role, "at", time_json(e[i].at), "from",
				 e[i].from_state, "to", e[i].to_state, "note", e[i].note,
				 "attachments", att ? att : json_array(), "hash", e[i].hash));
	}
	json_object_set_new(j, "timeline", t);

	struct store_case *m;
	struct svc s;
	api__svc(r, &s);
	if ((rc = svc_case_merged(&s, c, &m, &n, &r->err)))
		return rc;
	json_t *rep = json_array(), *ids = json_array();
	json_array_append_new(rep, reporter_json(r, c->reporter));
	for (size_t i = 0; i < n; i++) {
		json_array_append_new(rep, reporter_json(r, m[i].reporter));
		json_array_append_new(ids, json_integer(m[i].id));
	}
	json_object_set_new(j, "reporters", rep);
	json_object_set_new(j, "merged_cases", ids);

	struct store_whistle_dept *w;
	if ((rc = store_whistle_depts(r->db, c->id, r->arena, &w, &n, &r->err)))
		return rc;
	json_t *ws = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    ws,
		    json_pack("{s:I,s:s,s:s,s:o,s:s,s:o,s:b,s:s*}", "whistle",
			      (json_int_t)w[i].whistle_id, "type", w[i].type, "blower", w[i].blower,
			      "deadline", time_json(w[i].deadline), "department", w[i].department,
			      "reported_at", time_json(w[i].reported_at), "supervised",
			      w[i].supervised, "rating", w[i].rating[0] ? w[i].rating : NULL));
	json_object_set_new(j, "whistles", ws);

	struct store_supervision *v;
	if ((rc = store_supervision_list(r->db, c->id, r->arena, &v, &n, &r->err)))
		return rc;
	json_t *vs = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(
		    vs, json_pack("{s:s,s:i,s:s,s:s,s:s,s:s,s:i,s:o}", "stage", v[i].stage, "round",
				  v[i].round, "level", grid_level_name((enum grid_level)v[i].level),
				  "supervisor", v[i].supervisor, "target_kind", v[i].target_kind,
				  "target", v[i].target, "points", v[i].points, "opened_at",
				  time_json(v[i].opened_at)));
	json_object_set_new(j, "supervision_rounds", vs);

	char(*shas)[65];
	if ((rc = store_case_media_list(r->db, c->id, r->arena, &shas, &n, &r->err)))
		return rc;
	json_t *ph = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *p = json_pack("{s:s}", "sha256", shas[i]);
		json_object_set_new(p, "url", json_sprintf("/api/v1/media/%s", shas[i]));
		json_object_set_new(p, "thumbnail_url",
				    json_sprintf("/api/v1/media/%s/thumbnail", shas[i]));
		json_array_append_new(ph, p);
	}
	json_object_set_new(j, "photos", ph);
	return GG_OK;
}

int api_case_load(struct api_req *r, struct store_case *c)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end || id <= 0)
		return api_fail(r, GG_ENOTFOUND, "no case %s", r->params[0]);
	struct svc s;
	api__svc(r, &s);
	return svc_case_get(&s, id, c, &r->err);
}

int api_case_get(struct api_req *r)
{
	struct store_case *c = arena_alloc(r->arena, sizeof(*c));
	int rc = api_case_load(r, c);
	if (rc)
		return rc;
	json_t *j = api_case_json(r, c);
	if ((rc = timeline(r, c, j))) {
		json_decref(j);
		return rc;
	}
	api_reply(r, 200, j);
	return GG_OK;
}

/* A whole number 1..max in the query parameter name, else 422 naming it. */
static int query_count(struct api_req *r, const char *name, long long max, long long *out)
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

struct light_want {
	enum sla_light light;
	int64_t now;
};

/* (store_case_filter.keep) whether a stage shows the wanted light */
static int light_keep(int64_t start, int64_t deadline, void *arg)
{
	const struct light_want *w = arg;
	return sla_light_at(api_case_cal(), start, deadline, w->now) == w->light;
}

/* A query parameter of free text: NULL when absent or blank, else at most max bytes. */
static int query_words(struct api_req *r, const char *name, size_t max, const char **out)
{
	const char *v = api_query(r, name);
	*out = NULL;
	if (!v)
		return GG_OK;
	while (*v == ' ')
		v++;
	if (!*v)
		return GG_OK;
	if (strlen(v) > max)
		return err_field(&r->err, GG_EFIELD, name, "%s is at most %zu bytes", name, max);
	*out = v;
	return GG_OK;
}

/* A CST day YYYY-MM-DD (or an RFC 3339 time) of the creation range. */
static int query_day(struct api_req *r, const char *name, int is_end, int64_t *out)
{
	const char *v = api_query(r, name);
	if (!v || !*v)
		return GG_OK;
	if (clock_parse_bound(v, is_end, out) || *out <= 0)
		return err_field(&r->err, GG_EFIELD, name, "%s is a date YYYY-MM-DD", name);
	return GG_OK;
}

int api__case_filter(struct api_req *r, struct store_case_filter *f)
{
	*f = (struct store_case_filter){
	    .scope = r->who.scope,
	    .department = r->who.role == ROLE_DEPARTMENT ? r->who.dept : api_query(r, "department"),
	    .state = api_query(r, "state"),
	    .category = api_query(r, "category"),
	    .grid = api_query(r, "grid"),
	    .channel = api_query(r, "channel"),
	};
	if (f->state && *f->state && case_state_parse(f->state) < 0)
		return err_field(&r->err, GG_EFIELD, "state", "unknown state '%s'", f->state);
	if (f->grid && strlen(f->grid) >= GRID_CODE_MAX)
		return err_field(&r->err, GG_EFIELD, "grid", "no grid %s", f->grid);
	const char *light = api_query(r, "light");
	int want = light && *light ? sla_light_parse(light) : -1;
	if (light && *light && want < 0)
		return err_field(&r->err, GG_EFIELD, "light", "light is green, yellow or red");
	const char *open = api_query(r, "open");
	if (open && strcmp(open, "1") && strcmp(open, "true") && strcmp(open, "0") &&
	    strcmp(open, "false"))
		return err_field(&r->err, GG_EFIELD, "open", "open is true or false");
	f->open_only = open && (!strcmp(open, "1") || !strcmp(open, "true"));
	long long number = 0;
	int rc;
	if ((rc = query_count(r, "number", INT64_MAX, &number)) ||
	    (rc = query_words(r, "keyword", 100, &f->keyword)) ||
	    (rc = query_words(r, "address", 100, &f->address)) ||
	    (rc = query_day(r, "from", 0, &f->created_from)) ||
	    (rc = query_day(r, "to", 1, &f->created_to)))
		return rc;
	f->id = number;
	if (f->created_from && f->created_to && f->created_to <= f->created_from)
		return err_field(&r->err, GG_EFIELD, "to", "to is a day on or after from");
	const char *phone = api_query(r, "phone");
	if (phone && *phone) {
		/* a department works cases and calls no one back: it sees no phone, nor finds by
		 * one */
		if (r->who.role == ROLE_DEPARTMENT)
			return err_field(&r->err, GG_EFORBIDDEN, "phone",
					 "a department does not search cases by phone");
		char norm[24];
		if ((rc = api__parse_phone(r, "phone", phone, norm, sizeof(norm))))
			return rc;
		const struct pii_key *key = api__people_key(r);
		if (!key) {
			sodium_memzero(norm, sizeof(norm));
			return r->err.code; /* 503: the key file cannot be read */
		}
		char *hash = arena_alloc(r->arena, PII_HASH_HEX);
		pii_hash(key, norm, hash);
		sodium_memzero(norm, sizeof(norm));
		f->phone_hash = hash;
	}
	/*
	 * The light: red is "deadline passed", an index range; yellow and green depend on
	 * how much of the stage's working time is used, so they are read from the stages
	 * not yet due (the live cases, an index of them) and tested here.
	 */
	struct light_want *lw = arena_alloc(r->arena, sizeof(*lw));
	*lw = (struct light_want){.light = (enum sla_light)want, .now = clock_now()};
	if (want == SLA_RED) {
		f->due_from = 1;
		f->due_to = lw->now - 1;
	} else if (want >= 0) {
		f->due_from = lw->now;
		f->due_to = INT64_MAX;
		f->keep = light_keep;
		f->keep_arg = lw;
	}
	return GG_OK;
}

int api_case_list(struct api_req *r)
{
	struct store_case_filter f;
	int rc;
	if ((rc = api__case_filter(r, &f)))
		return rc;
	long long per = PAGE_SIZE, page = 0, after = 0;
	if ((rc = query_count(r, "per_page", MAX_PAGE_SIZE, &per)) ||
	    (rc = query_count(r, "page", LLONG_MAX, &page)) ||
	    (rc = query_count(r, "after", INT64_MAX, &after)))
		return rc;
	if (page && after)
		return err_field(&r->err, GG_EFIELD, "page", "give after or page, not both");
	/* page= is kept for old clients, but an offset costs what it skips */
	if (page > 1 && page - 1 > MAX_OFFSET / per)
		return err_field(&r->err, GG_EFIELD, "page",
				 "page %lld is deeper than %d cases: follow `next` with"
				 " ?after=ID instead",
				 page, MAX_OFFSET);
	f.limit = per;
	f.after = after;
	f.offset = page > 1 ? (page - 1) * per : 0;
	f.scan_max = SCAN_MAX + f.offset;
	f.count_max = COUNT_MAX;
	struct store_case *c;
	size_t n;
	struct store_case_page pg;
	if ((rc = store_case_page(r->db, &f, r->arena, &c, &n, &pg, &r->err)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, api_case_json(r, &c[i]));
	json_t *j = json_pack("{s:o,s:o,s:b,s:o}", "items", items, "total",
			      pg.total >= 0 ? json_integer(pg.total) : json_null(), "total_exact",
			      pg.total >= 0, "next", pg.next ? json_integer(pg.next) : json_null());
	api_reply(r, 200, j);
	return GG_OK;
}

/* Metres between two WGS 84 points (haversine; plenty for 50 m). */
static double metres(double lon1, double lat1, double lon2, double lat2)
{
	const double rad = M_PI / 180.0;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 6371008.8 * 2 * atan2(sqrt(a), sqrt(1 - a));
}

static json_t *duplicates(struct api_req *r, const struct store_case *c)
{
	json_t *d = json_array();
	struct store_case *v;
	size_t n;
	if (!c->has_point || store_case_recent(r->db, c->category, c->created_at - DUP_SECS,
					       r->arena, &v, &n, &r->err)) {
		err_clear(&r->err);
		return d;
	}
	for (size_t i = 0; i < n; i++)
		if (v[i].id != c->id && metres(c->lon, c->lat, v[i].lon, v[i].lat) <= DUP_METRES)
			json_array_append_new(d, json_integer(v[i].id));
	return d;
}

/* A query parameter that is a number in [lo, hi], else 422 naming it. */
static int query_coord(struct api_req *r, const char *name, double lo, double hi, double *out)
{
	const char *v = api_query(r, name);
	char *end;
	if (!v)
		return err_field(&r->err, GG_EMISSING, name, "give %s", name);
	errno = 0;
	*out = strtod(v, &end);
	if (!*v || *end || errno || !isfinite(*out) || *out < lo || *out > hi)
		return err_field(&r->err, GG_EFIELD, name, "%s is a number from %g to %g", name, lo,
				 hi);
	return GG_OK;
}

/*
 * GET /api/v1/cases/duplicates?category=&lon=&lat=: the open cases a new report at this
 * point would likely repeat (the same category within 50 m, reported in the last day),
 * those the caller may see, nearest first — what the answer to POST /api/v1/cases lists
 * as `duplicates`, asked before saving.
 */
int api_case_duplicates(struct api_req *r)
{
	const char *cat = api_query(r, "category");
	double lon, lat;
	int rc;
	if (!cat || !*cat)
		return err_field(&r->err, GG_EMISSING, "category", "give category");
	if ((rc = query_coord(r, "lon", -180, 180, &lon)) ||
	    (rc = query_coord(r, "lat", -90, 90, &lat)))
		return rc;
	struct store_case *v;
	size_t n;
	if ((rc = store_case_recent(r->db, cat, clock_now() - DUP_SECS, r->arena, &v, &n, &r->err)))
		return rc;
	double *d = arena_alloc(r->arena, (n ? n : 1) * sizeof(*d));
	size_t *ix = arena_alloc(r->arena, (n ? n : 1) * sizeof(*ix)), k = 0;
	for (size_t i = 0; i < n; i++) {
		if (!v[i].has_point)
			continue;
		d[i] = metres(lon, lat, v[i].lon, v[i].lat);
		if (d[i] > DUP_METRES)
			continue;
		int seen = api_case_visible(r, &v[i]);
		if (r->err.code)
			return r->err.code;
		if (seen)
			ix[k++] = i;
	}
	for (size_t i = 1; i < k; i++) /* nearest first: a handful, insertion sort */
		for (size_t j = i; j > 0 && d[ix[j]] < d[ix[j - 1]]; j--) {
			size_t t = ix[j];
			ix[j] = ix[j - 1];
			ix[j - 1] = t;
		}
	json_t *items = json_array();
	for (size_t i = 0; i < k; i++) {
		json_t *c = api_case_json(r, &v[ix[i]]);
		json_object_set_new(c, "distance_m", json_integer((json_int_t)lround(d[ix[i]])));
		json_array_append_new(items, c);
	}
	api_reply_list(r, items, (long long)k);
	return GG_OK;
}

/*
 * The photo ids of a body's array field for svc (NULL entries for non-strings); a value
 * that is not an array passes a count past SVC_MAX_ATTACH, which svc refuses with the
 * field's message.
 */
void api__attachments(struct api_req *r, const char *field, const char *const **list, size_t *n)
{
	json_t *a = r->json ? json_object_get(r->json, field) : NULL;
	*list = NULL;
	*n = 0;
	if (!a)
		return;
	if (!json_is_array(a)) {
		*n = SVC_MAX_ATTACH + 1;
		return;
	}
	*n = json_array_size(a);
	const char **v = arena_alloc(r->arena, (*n ? *n : 1) * sizeof(*v));
	for (size_t i = 0; i < *n; i++)
		v[i] = json_string_value(json_array_get(a, i));
	*list = v;
}

struct create {
	struct svc_case_in in;
	struct store_case *c;
	/* a caller's phone for the call-back: kept sealed with a tracking code, as a
	 * citizen's report is ("" = none given) */
	const char *phone_sealed;
	char phone_hash[PII_HASH_HEX];
	char code[API_CODE_LEN + 1];
	struct api_idem idem;
};

static int create_step(struct api_req *r, void *arg)
{
	struct create *k = arg;
	int rc = api__idem_find(r, &k->idem);
	if (rc)
		return rc;
	if (k->idem.replay) {
		/* sent before: answer the case that write made */
		k->c = arena_zalloc(r->arena, sizeof(*k->c));
		if ((rc = store_case_get(r->db, k->idem.rec.case_id, k->c, &r->err)))
			return rc;
		if (k->phone_sealed)
			snprintf(k->code, sizeof(k->code), "%.*s", API_CODE_LEN, k->idem.rec.code);
		return GG_OK;
	}
	struct svc s;
	api__svc(r, &s);
	rc = svc_case_new(&s, &k->in, &k->c, &r->err);
	if (rc == GG_OK && k->phone_sealed) {
		struct store_report rep = {.case_id = k->c->id, .created_at = k->c->created_at};
		snprintf(rep.code, sizeof(rep.code), "%s", k->code);
		snprintf(rep.phone_hash, sizeof(rep.phone_hash), "%s", k->phone_hash);
		rc = store_report_put(r->db, &rep, k->phone_sealed, &r->err);
	}
	if (rc == GG_OK)
		rc = api__idem_keep(r, &k->idem, k->c->id, k->phone_sealed ? k->code : "");
	api__svc_done(r, &s, rc ? NULL : k->c);
	return rc;
}

/* After the commit, on the request's own connection: the writer only writes. */
static int create_answer(struct api_req *r, void *arg, int rc)
{
	struct create *k = arg;
	if (rc || (rc = api_read(r)))
		return rc;
	json_t *j = api_case_json(r, k->c);
	json_object_set_new(j, "duplicates", duplicates(r, k->c));
	if (k->phone_sealed)
		json_object_set_new(j, "tracking_code", json_string(k->code));
	api_reply(r, 201, j);
	return GG_OK;
}

int api_case_create(struct api_req *r)
{
	struct create *k = arena_zalloc(r->arena, sizeof(*k));
	struct svc_case_in *in = &k->in;
	int rc;
	if ((rc = api_body_str(r, "category", 1, &in->category)) ||
	    (rc = api_body_str(r, "description", 1, &in->description)) ||
	    (rc = api_body_str(r, "channel", 1, &in->channel)) ||
	    (rc = api_body_str(r, "address", 0, &in->address)) ||
	    (rc = api_body_str(r, "grid", 0, &in->grid)) ||
	    (rc = api_body_num(r, "lon", 0, &in->lon)) ||
	    (rc = api_body_num(r, "lat", 0, &in->lat)))
		return rc;
	/* 坐席录入: the center types in a caller's report, shown under the caller's name */
	if ((rc = api_body_str(r, "caller", 0, &in->reporter)))
		return rc;
	if (in->reporter && r->who.role != ROLE_OPERATOR && r->who.role != ROLE_ADMIN)
		return err_field(&r->err, GG_EFORBIDDEN, "caller",
				 "only the center enters a case for a caller");
	if (in->reporter && (!*in->reporter || strlen(in->reporter) > 60))
		return err_field(&r->err, GG_EFIELD, "caller", "caller is 1 to 60 bytes");
	const char *phone;
	if ((rc = api_body_str(r, "caller_phone", 0, &phone)))
		return rc;
	if (phone && r->who.role != ROLE_OPERATOR && r->who.role != ROLE_ADMIN)
		return err_field(&r->err, GG_EFORBIDDEN, "caller_phone",
				 "only the center enters a case for a caller");
	if (phone) {
		char norm[24];
		if ((rc = api__parse_phone(r, "caller_phone", phone, norm, sizeof(norm))))
			return rc;
		/* kept only sealed with the personal-data key; without the key, not kept */
		const struct pii_key *key = api__people_key(r);
		if (key) {
			char *sealed = pii_seal(key, norm);
			k->phone_sealed = arena_strdup(r->arena, sealed);
			free(sealed);
			pii_hash(key, norm, k->phone_hash);
			api__tracking_code(k->code);
		} else {
			err_clear(&r->err);
		}
		sodium_memzero(norm, sizeof(norm));
	}
	in->has_point = json_object_get(r->json, "lon") && json_object_get(r->json, "lat");
	api__attachments(r, "photos", &in->photos, &in->nphotos);
	if ((rc = api__idem_begin(r, "case", &k->idem)))
		return rc;
	return api_write_then(r, create_step, k, create_answer);
}
