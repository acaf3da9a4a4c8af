/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Citizen photo reports 随手拍, no login: a multipart report (up to three photos checked
 * by content and stripped of EXIF, a description, a place from the form or else from the
 * first photo's EXIF GPS, an optional phone kept sealed) becomes a case of channel
 * "citizen" and answers an unguessable tracking code. With the code anyone may follow
 * the public timeline — states and times only, never names or phone numbers — and rate
 * the result once the case is closed, through the case loop's own evaluate action.
 * Reports are rate-limited per client address.
 */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/pii.h"
#include "gridgov/rate.h"
#include "gridgov/store_intake.h"

#define MAX_PHOTOS 3
/* Reports without a category land in the catalog's catch-all for the center to refile. */
#define DEFAULT_CATEGORY "E0199"
#define CODE_LEN	 API_CODE_LEN

/* Crockford-style base32 without 0/1/I/O, so codes read back over the phone. */
static const char alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

void api__tracking_code(char out[CODE_LEN + 1])
{
	unsigned char raw[CODE_LEN];
	randombytes_buf(raw, sizeof(raw));
	for (int i = 0; i < CODE_LEN; i++)
		out[i] = alphabet[raw[i] & 31];
	out[CODE_LEN] = 0;
}

/* 1 when the client may report now; otherwise a 429 with Retry-After is recorded. */
static int rate_ok(struct api_req *r)
{
	double per_min = r->srv->cfg.report_rate;
	if (per_min <= 0 || !r->srv->report_limiter)
		return 1;
	char key[96];
	snprintf(key, sizeof(key), "report|%s", r->client_ip ? r->client_ip : "");
	int64_t retry_ms = 0;
	/* The clock is the server's (the test clock in tests), so tests need not wait. */
	if (rate_take(r->srv->report_limiter, key, clock_now_ms(), per_min, per_min, &retry_ms))
		return 1;
	long long secs = (retry_ms + 999) / 1000;
	if (secs < 1)
		secs = 1;
	r->retry_after = arena_printf(r->arena, "%lld", secs);
	err_set(&r->err, GG_ERATE, "too many reports from your address: try again in %lld s", secs);
	return 0;
}

static int parse_coord(struct api_req *r, const char *name, double lo, double hi, double *out)
{
	const char *s = api_form(r, name);
	char *end;
	*out = s ? strtod(s, &end) : 0;
	if (s && (*end || end == s || !isfinite(*out) || *out < lo || *out > hi))
		return err_field(&r->err, GG_EFIELD, name, "%s must be a number in [%g, %g]", name,
				 lo, hi);
	return GG_OK;
}

/* A phone number: digits with an optional leading +, spaces and dashes ignored. */
int api__parse_phone(struct api_req *r, const char *field, const char *in, char *out, size_t n)
{
	size_t k = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (!((*p >= '0' && *p <= '9') || (*p == '+' && k == 0)) || k + 1 >= n)
			return err_field(&r->err, GG_EFIELD, field, "not a phone number");
		out[k++] = *p;
	}
	out[k] = 0;
	if (k < 5)
		return err_field(&r->err, GG_EFIELD, field, "not a phone number");
	return GG_OK;
}

struct report {
	struct api_media photos[MAX_PHOTOS];
	int nphotos;
	struct svc_case_in in;
	const char *phone_sealed;
	char phone_hash[PII_HASH_HEX];
	char code[CODE_LEN + 1];
	struct store_case *c;
	struct api_idem idem;
};

static int record(struct api_req *r, void *arg)
{
	struct report *rp = arg;
	int rc = api__idem_find(r, &rp->idem);
	if (rc)
		return rc;
	if (rp->idem.replay) { /* sent before: the same case and tracking code */
		rp->c = arena_zalloc(r->arena, sizeof(*rp->c));
		snprintf(rp->code, sizeof(rp->code), "%.*s", CODE_LEN, rp->idem.rec.code);
		return store_case_get(r->db, rp->idem.rec.case_id, rp->c, &r->err);
	}
	struct store_media recs[MAX_PHOTOS];
	for (int i = 0; i < rp->nphotos; i++)
		recs[i] = rp->photos[i].rec;
	struct svc s;
	api__svc(r, &s);
	rc = svc_citizen_report(&s, &rp->in, recs, (size_t)rp->nphotos, rp->code, rp->phone_sealed,
				rp->phone_hash, &rp->c, &r->err);
	if (rc == GG_OK)
		rc = api__idem_keep(r, &rp->idem, rp->c->id, rp->code);
	api__svc_done(r, &s, rc ? NULL : rp->c);
	return rc;
}

int api_public_report_create(struct api_req *r)
{
	if (!rate_ok(r))
		return GG_ERATE;
	if (!r->parts)
		return api_fail(r, GG_EMEDIA, "send the report as multipart/form-data");
	struct report *rp = arena_zalloc(r->arena, sizeof(*rp));
	const char *desc = api_form(r, "description");
	if (!desc)
		return err_field(&r->err, GG_EMISSING, "description", "say what the problem is");
	double lon, lat;
	int rc;
	if ((rc = parse_coord(r, "lon", -180, 180, &lon)) ||
	    (rc = parse_coord(r, "lat", -90, 90, &lat)))
		return rc;
	int form_point = api_form(r, "lon") && api_form(r, "lat");
	if (!form_point && (api_form(r, "lon") || api_form(r, "lat")))
		return err_field(&r->err, GG_EMISSING, api_form(r, "lon") ? "lat" : "lon",
				 "give both lon and lat, or neither");
	const char *phone = api_form(r, "phone");
	char phone_norm[24];
	if (phone && (rc = api__parse_phone(r, "phone", phone, phone_norm, sizeof(phone_norm))))
		return rc;

	for (const struct api_part *p = r->parts; p; p = p->next) {
		if (!p->filename)
			continue;
		if (rp->nphotos == MAX_PHOTOS)
			return err_field(&r->err, GG_EFIELD, p->name, "at most %d photos",
					 MAX_PHOTOS);
		if ((rc = api__media_ingest(r, p, &rp->photos[rp->nphotos])))
			return rc;
		rp->nphotos++;
	}
	const char *source = "form";
	if (!form_point && rp->nphotos > 0 && rp->photos[0].has_gps) {
		lon = rp->photos[0].lon;
		lat = rp->photos[0].lat;
		source = "photo";
	} else if (!form_point) {
		return err_field(&r->err, GG_EMISSING, "lon",
				 "give lon and lat, or a first photo with its GPS position");
	}

	if (phone) {
		/* Kept only sealed with the personal-data key; without the key, not kept. */
		const struct pii_key *k = api__people_key(r);
		if (k) {
			char *s = pii_seal(k, phone_norm);
			rp->phone_sealed = arena_strdup(r->arena, s);
			free(s);
			pii_hash(k, phone_norm, rp->phone_hash);
		} else {
			err_clear(&r->err);
		}
	}
	sodium_memzero(phone_norm, sizeof(phone_norm));

	const char *cat = api_form(r, "category");
	rp->in = (struct svc_case_in){
	    .category = cat ? cat : DEFAULT_CATEGORY,
	    .description = desc,
	    .channel = "citizen",
	    .address = api_form(r, "address"),
	    .reporter = "citizen",
	    .has_point = 1,
	    .lon = lon,
	    .lat = lat,
	    .any_grid = 1,
	};
	api__tracking_code(rp->code);
	if ((rc = api__idem_begin(r, "report", &rp->idem)) || (rc = api_write(r, record, rp)))
		return rc;
	api_reply(r, 201,
		  json_pack("{s:s,s:s,s:s,s:s,s:f,s:f,s:i}", "code", rp->code, "url",
			    arena_printf(r->arena, "/api/v1/public/reports/%s", rp->code), "state",
			    case_state_name(rp->c->state), "location_source", source, "lon", lon,
			    "lat", lat, "photos", rp->nphotos));
	return GG_OK;
}

static int load(struct api_req *r, struct store_case *c)
{
	struct store_report rep;
	int rc = store_report_get(r->db, r->params[0], &rep, &r->err);
	if (rc)
		return rc;
	return store_case_get(r->db, rep.case_id, c, &r->err);
}

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char s[32];
	clock_format_utc(t, s, sizeof(s));
	return json_string(s);
}

static int reply_of(const struct store_case_entry *e);

static json_t *public_json(struct api_req *r, const struct store_case *c)
{
	struct store_category cat;
	int has_cat = store_category_get(r->db, c->category, &cat, &r->err) == GG_OK;
	err_clear(&r->err);
	json_t *j = json_pack("{s:s,s:s,s:s,s:s*,s:s*,s:o,s:o,s:b}", "code", r->params[0], "state",
			      case_state_name(c->state), "state_name", case_state_name_zh(c->state),
			      "category", has_cat ? cat.name : NULL, "category_en",
			      has_cat && cat.name_en[0] ? cat.name_en : NULL, "created_at",
			      time_json(c->created_at), "updated_at", time_json(c->updated_at),
			      "can_rate", c->state == CASE_CLOSED);
	if (c->rating[0])
		json_object_set_new(j, "rating", json_string(c->rating));
	/* States and times only: actors, notes and attachments may name people — but for
	 * the after photos 处置后照片 of the latest 处置; the department's reply 答复 is its own
	 * field of that action (store_reply_get), never the internal note. */
	struct store_case_entry *e;
	size_t n;
	json_t *t = json_array();
	json_t *after = json_array();
	if (store_case_log_list(r->db, c->id, r->arena, &e, &n, &r->err) == GG_OK) {
		for (size_t i = 0; i < n; i++) {
			const char *sha;
			json_t *v;
			size_t k;
			if (reply_of(&e[i])) {
				json_array_clear(after);
				json_t *att = json_loads(e[i].attachments, 0, NULL);
				json_array_foreach(att, k, v)
				{
					/* 自处置's first photo is the before one */
					if (!(sha = json_string_value(v)) ||
					    (k == 0 && !strcmp(e[i].action, "self_close")))
						continue;
					json_array_append_new(
					    after,
					    json_sprintf("/api/v1/public/reports/%s/photos/%s",
							 r->params[0], sha));
				}
				json_decref(att);
			}
			int s = case_state_parse(e[i].to_state);
			int a = case_action_parse(e[i].action);
			json_array_append_new(
			    t,
			    json_pack("{s:s,s:s,s:s,s:s,s:o}", "action", e[i].action, "action_name",
				      a >= 0 ? case_action_name_zh((enum case_action)a) : "上报",
				      "state", e[i].to_state, "state_name",
				      s >= 0 ? case_state_name_zh((enum case_state)s) : "", "at",
				      time_json(e[i].at)));
		}
	}
	json_object_set_new(j, "timeline", t);
	json_object_set_new(j, "after_photos", after);
	char *reply;
	int64_t at;
	if (store_reply_get(r->db, c->id, r->arena, &reply, &at, &r->err) == GG_OK)
		json_object_set_new(j, "reply",
				    json_pack("{s:s,s:o}", "text", reply, "at", time_json(at)));
	err_clear(&r->err);
	return j;
}

/* An entry whose note answers the reporter: the department's 处置 or a worker's 自处置. */
static int reply_of(const struct store_case_entry *e)
{
	return !strcmp(e->action, "handle") || !strcmp(e->action, "self_close");
}

/*
 * GET /api/v1/public/reports/{code}/photos/{sha}: an after photo of the report, for whoever
 * holds its code — only the photos the lookup lists (of the latest reply), never others.
 */
int api_public_report_photo(struct api_req *r)
{
	struct store_case *c = arena_alloc(r->arena, sizeof(*c));
	int rc = load(r, c);
	if (rc)
		return rc;
	json_t *j = public_json(r, c);
	const char *want = arena_printf(r->arena, "/api/v1/public/reports/%s/photos/%s",
					r->params[0], r->params[1]);
	int listed = 0;
	size_t i;
	json_t *v;
	json_array_foreach(json_object_get(j, "after_photos"), i, v) listed |=
	    !strcmp(json_string_value(v), want);
	json_decref(j);
	err_clear(&r->err);
	if (!listed)
		return api_fail(r, GG_ENOTFOUND, "no such photo of this report");
	struct store_media m;
	if ((rc = store_media_get(r->db, r->params[1], &m, &r->err)))
		return rc;
	return api__media_send(r, &m, api_query(r, "thumbnail") ? ".thumb" : "");
}

int api_public_report_get(struct api_req *r)
{
	struct store_case *c = arena_alloc(r->arena, sizeof(*c));
	int rc = load(r, c);
	if (rc)
		return rc;
	if (r->err.code)
		return r->err.code;
	api_reply(r, 200, public_json(r, c));
	return GG_OK;
}

struct rating {
	const char *code;
	enum case_rating rating;
	struct store_case c;
	int not_rateable;
};

/*
 * The reporter has no account: rate through the case loop's evaluate action as the
 * citizen, with the rights of the center that takes 12345 and 随手拍 ratings.
 */
static int rate_step(struct api_req *r, void *arg)
{
	struct rating *k = arg;
	struct store_report rep;
	int rc = store_report_get(r->db, k->code, &rep, &r->err);
	if (rc || (rc = store_case_get(r->db, rep.case_id, &k->c, &r->err)))
		return rc;
	if (k->c.state != CASE_CLOSED)
		return err_set(&r->err, GG_ECONFLICT,
			       k->c.rating[0] ? "this report is already rated"
					      : "the case is not closed yet");
	struct principal citizen = {.role = ROLE_OPERATOR};
	snprintf(citizen.name, sizeof(citizen.name), "citizen");
	struct svc s;
	api__svc(r, &s);
	s.who = &citizen;
	struct svc_action_in in = {.action = CASE_A_EVALUATE, .rating = k->rating, .has_rating = 1};
	struct svc_act_out out;
	rc = svc_case_act(&s, k->c.id, &in, &k->c, &out, &r->err);
	api__svc_done(r, &s, rc ? NULL : &k->c);
	return rc;
}

int api_public_report_rate(struct api_req *r)
{
	struct rating *k = arena_zalloc(r->arena, sizeof(*k));
	const char *rating;
	int rc;
	if ((rc = api_body_str(r, "rating", 1, &rating)))
		return rc;
	k->rating = case_rating_parse(rating);
	if (k->rating == CASE_RATING_NONE)
		return err_field(&r->err, GG_EFIELD, "rating",
				 "rating is satisfied, basically or unsatisfied");
	k->code = r->params[0];
	if ((rc = api_write(r, rate_step, k)) || (rc = api_read(r)))
		return rc;
	api_reply(r, 200, public_json(r, &k->c));
	return GG_OK;
}
