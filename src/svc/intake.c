/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cases from the intake channels: 12345 hotline orders 工单 (once per order number, the
 * caller kept only sealed, every status change queued in the hotline outbox in the same
 * transaction), sensor and camera alarms (a device's alarms within 30 minutes join its
 * open case), and citizen reports 随手拍 (photos, tracking code, sealed phone).
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gridgov/buf.h"
#include "gridgov/clock.h"
#include "gridgov/loc.h"
#include "gridgov/pii.h"
#include "gridgov/sec.h"
#include "gridgov/store_geo.h"
#include "gridgov/store_intake.h"
#include "svc/svc_int.h"

/* Orders and reports whose hint is not a catalog code land in the catch-all. */
#define DEFAULT_CATEGORY "E0199"
#define ALARM_WINDOW	 (30 * 60) /* seconds */

static void json_str(struct buf *b, const char *key, const char *v, int comma)
{
	buf_addf(b, "%s\"%s\":\"", comma ? "," : "", key);
	buf_add_json_escaped(b, v);
	buf_addch(b, '"');
}

int svc_hotline_event(struct svc *s, const struct store_case *c, const char *action,
		      const char *note, struct err *err)
{
	struct store_hotline h;
	int rc = store_hotline_of_case(s->db, c->id, &h, err);
	if (rc == GG_ENOTFOUND) {
		err_clear(err);
		return GG_OK; /* a hotline-channel case not made from an order: nobody to tell */
	}
	if (rc)
		return rc;
	/* the webhook's body: compact JSON, keys sorted */
	char at[32];
	svc__time(s->now, at);
	struct buf b = BUF_INIT;
	buf_addch(&b, '{');
	json_str(&b, "action", action, 0);
	json_str(&b, "at", at, 1);
	buf_addf(&b, ",\"case_id\":%lld", (long long)c->id);
	json_str(&b, "note", note ? note : "", 1);
	json_str(&b, "order_no", h.order_no, 1);
	if (c->rating[0])
		json_str(&b, "rating", c->rating, 1);
	json_str(&b, "state", case_state_name(c->state), 1);
	json_str(&b, "state_name", case_state_name_zh(c->state), 1);
	buf_addch(&b, '}');
	rc = store_outbox_add(s->db, c->id, b.p, s->now, err);
	buf_release(&b);
	if (rc == GG_OK)
		s->outbox++;
	return rc;
}

/*
 * The keyed hash of a phone as the case list looks it up: digits with an optional leading
 * +, spaces and dashes dropped (api__parse_phone's form); "" for what is not a phone.
 */
static void phone_hash(const struct pii_key *k, const char *phone, char out[PII_HASH_HEX])
{
	char norm[32];
	size_t n = 0;
	out[0] = 0;
	for (const char *p = phone; *p; p++) {
		if (*p == ' ' || *p == '-')
			continue;
		if (!((*p >= '0' && *p <= '9') || (*p == '+' && n == 0)) || n + 1 >= sizeof(norm))
			return;
		norm[n++] = *p;
	}
	norm[n] = 0;
	if (n >= 5)
		pii_hash(k, norm, out);
	sodium_memzero(norm, sizeof(norm));
}

int svc_hotline_order(struct svc *s, const struct svc_hotline_in *in, struct svc_hotline_out *out,
		      struct err *err)
{
	struct store_hotline h = {.received_at = in->received_at, .deadline = in->deadline};
	int rc;
	memset(out, 0, sizeof(*out));
	if (strlen(in->order_no) >= sizeof(h.order_no))
		return err_field(err, GG_EFIELD, "order_no", "order_no is too long");
	if (!in->has_point && !in->address && !in->grid)
		return err_field(err, GG_EMISSING, "address", "give an address or lon/lat");

	/* Idempotent on the order number: the order already taken answers its case. */
	rc = store_hotline_get(s->db, in->order_no, &h, err);
	if (rc == GG_OK) {
		struct store_case c;
		if ((rc = store_case_get(s->db, h.case_id, &c, err)))
			return rc;
		out->case_id = h.case_id;
		out->duplicate = 1;
		out->state = c.state;
		snprintf(out->grid, sizeof(out->grid), "%s", c.grid);
		out->deadline = h.deadline;
		return GG_OK;
	}
	if (rc != GG_ENOTFOUND)
		return rc;
	err_clear(err);

	struct store_category cat;
	struct svc_case_in c_in = {
	    .channel = "hotline",
	    .description = in->content,
	    .reporter = "12345",
	    .address = in->address,
	    .grid = in->grid,
	    .has_point = in->has_point,
	    .lon = in->lon,
	    .lat = in->lat,
	};
	c_in.category =
	    in->category_hint && store_category_get(s->db, in->category_hint, &cat, err) == GG_OK
		? in->category_hint
		: DEFAULT_CATEGORY;
	err_clear(err);
	/* An address the map cannot place goes to the actor's whole area, for the center
	 * to locate by hand. */
	if (!c_in.grid && s->who->scope[0])
		c_in.grid = s->who->scope;
	struct store_case *c;
	if ((rc = svc_case_new(s, &c_in, &c, err)))
		return rc;

	char *sealed = NULL;
	if ((in->caller_name || in->caller_phone) && in->pii) {
		struct buf b = BUF_INIT;
		buf_addch(&b, '{');
		json_str(&b, "name", in->caller_name ? in->caller_name : "", 0);
		json_str(&b, "phone", in->caller_phone ? in->caller_phone : "", 1);
		buf_addch(&b, '}');
		sealed = pii_seal(in->pii, b.p);
		sodium_memzero(b.p, b.len);
		buf_release(&b);
	}
	if (in->caller_phone && in->pii)
		phone_hash(in->pii, in->caller_phone, h.phone_hash);
	snprintf(h.order_no, sizeof(h.order_no), "%s", in->order_no);
	h.case_id = c->id;
	h.created_at = s->now;
	rc = store_hotline_put(s->db, &h, sealed ? sealed : "", err);
	free(sealed);
	if (rc || (rc = svc_hotline_event(s, c, "report", NULL, err)))
		return rc;
	out->case_id = c->id;
	out->state = c->state;
	snprintf(out->grid, sizeof(out->grid), "%s", c->grid);
	out->deadline = h.deadline;
	return GG_OK;
}

static const char *const types[] = {"manhole", "smoke", "water_level", "camera"};
static const char *const types_zh[] = {"智慧窨井", "烟感", "水位", "视频AI事件"};

int svc_alarm(struct svc *s, const struct svc_alarm_in *in, int64_t *case_id, int *joined,
	      struct err *err)
{
	struct store_device d;
	char hash[SEC_TOKEN_HASH_LEN];
	sec_token_hash(in->device_key, hash);
	int rc = store_device_get(s->db, in->device_id, &d, err);
	if (rc == GG_ENOTFOUND ||
	    (rc == GG_OK && (strlen(d.key_hash) != strlen(hash) ||
			     sodium_memcmp(d.key_hash, hash, strlen(hash))))) {
		err_clear(err);
		return err_set(err, GG_EUNAUTH, "unknown device or wrong device key");
	}
	if (rc)
		return rc;
	int t = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(in->type, types[i]))
			t = i;
	if (t < 0)
		return err_field(err, GG_EFIELD, "type",
				 "type is manhole, smoke, water_level or camera");
	int64_t at = s->now;
	if (in->time && clock_parse(in->time, &at))
		return err_field(err, GG_EFIELD, "time", "time is not an RFC 3339 time");

	if ((rc = store_alarm_open_case(s->db, in->device_id, at - ALARM_WINDOW, case_id, err)))
		return rc;
	*joined = *case_id != 0;
	if (!*joined) {
		char desc[256];
		if (in->has_value)
			snprintf(desc, sizeof(desc), "%s报警 %s (%s) value %g", types_zh[t], d.id,
				 in->type, in->value);
		else
			snprintf(desc, sizeof(desc), "%s报警 %s (%s)", types_zh[t], d.id, in->type);
		struct svc_case_in c_in = {.category = d.category,
					   .description = desc,
					   .channel = "sensor",
					   .reporter = "sensor",
					   .has_point = 1,
					   .lon = d.lon,
					   .lat = d.lat,
					   .any_grid = 1};
		struct store_case *c;
		if ((rc = svc_case_new(s, &c_in, &c, err)))
			return rc;
		*case_id = c->id;
	}
	return store_alarm_add(s->db, in->device_id, in->type, at, in->has_value, in->value,
			       *case_id, err);
}

int svc_citizen_may_choose(const char *kind)
{
	return !strcmp(kind, "部件") || !strcmp(kind, "事件");
}

int svc_citizen_report(struct svc *s, const struct svc_case_in *in,
		       const struct store_media *photos, size_t nphotos, const char *code,
		       const char *phone_sealed, const char *phone_hash, struct store_case **out,
		       struct err *err)
{
	int rc;
	/* A citizen reports what is seen in the street, city components and events 部件/事件;
	 * social-governance matters (disputes, persons under attention) go through the grid
	 * worker, the hotline or 110. */
	struct store_category cat;
	rc = store_category_get(s->db, in->category, &cat, err);
	if (rc == GG_ENOTFOUND)
		return err_field(err, GG_EFIELD, "category", "unknown category '%s'", in->category);
	if (rc)
		return rc;
	if (!svc_citizen_may_choose(cat.kind))
		return err_field(err, GG_EFIELD, "category",
				 "a citizen reports a city component or event (部件/事件), not %s",
				 cat.kind);
	for (size_t i = 0; i < nphotos; i++)
		if ((rc = store_media_put(s->db, &photos[i], err)))
			return rc;
	if ((rc = svc_case_new(s, in, out, err)))
		return rc;
	for (size_t i = 0; i < nphotos; i++)
		if ((rc = store_case_media_add(s->db, (*out)->id, photos[i].sha256, err)))
			return rc;
	struct store_report rep = {.case_id = (*out)->id, .created_at = s->now};
	snprintf(rep.code, sizeof(rep.code), "%s", code);
	snprintf(rep.phone_hash, sizeof(rep.phone_hash), "%s", phone_hash ? phone_hash : "");
	return store_report_put(s->db, &rep, phone_sealed ? phone_sealed : "", err);
}

/*
 * A URL a client may follow from our answer: http or https, printable ASCII without the
 * characters RFC 3986 leaves out of a URI (so it validates as the schema's "uri", and an
 * answer never hands a client javascript: or data: links).
 */
static int web_url(const char *u)
{
	size_t skip = !strncasecmp(u, "http://", 7) ? 7 : !strncasecmp(u, "https://", 8) ? 8 : 0;
	if (!skip || !u[skip] || u[skip] == '/')
		return 0;
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if (*p <= 0x20 || *p >= 0x7f || strchr("<>\"{}|\\^`", *p))
			return 0;
	return 1;
}

static int copy_field(char *dst, size_t n, const char *src, const char *name, struct err *err)
{
	if (!src)
		src = "";
	if (strlen(src) >= n)
		return err_field(err, GG_EFIELD, name, "%s is longer than %zu bytes", name, n - 1);
	memcpy(dst, src, strlen(src) + 1);
	return GG_OK;
}

int svc_open311_request(struct svc *s, const struct svc_open311_in *in, struct store_case **out,
			struct err *err)
{
	struct store_open311 o = {0};
	int rc;
	if ((rc = copy_field(o.media_url, sizeof(o.media_url), in->media_url, "media_url", err)) ||
	    (rc = copy_field(o.address_id, sizeof(o.address_id), in->address_id, "address_id",
			     err)) ||
	    (rc = copy_field(o.zipcode, sizeof(o.zipcode), in->zipcode, "zipcode", err)))
		return rc;
	if (o.media_url[0] && !web_url(o.media_url))
		return err_field(err, GG_EFIELD, "media_url",
				 "media_url must be an http or https URL");
	if ((rc = svc_case_new(s, &in->c, out, err)))
		return rc;
	if (!o.media_url[0] && !o.address_id[0] && !o.zipcode[0])
		return GG_OK;
	o.case_id = (*out)->id;
	return store_open311_put(s->db, &o, err);
}

int svc_locator_build(struct store *db, struct loc_index **out, int64_t *version, struct err *err)
{
	struct arena *a = arena_new();
	struct store_geom *g;
	size_t n;
	int rc = store_begin(db, STORE_READ, err);
	if (rc == GG_OK) {
		rc = store_map_version(db, version, err);
		if (rc == GG_OK)
			rc = store_geom_list(db, "", GRID_LEVEL_NONE, a, &g, &n, err);
		store_rollback(db);
	}
	if (rc == GG_OK) {
		struct loc_item *items = arena_zalloc(a, (n ? n : 1) * sizeof(*items));
		for (size_t i = 0; i < n; i++)
			items[i] = (struct loc_item){g[i].node.code, g[i].node.name,
						     g[i].node.level, g[i].wkb, g[i].wkb_len};
		rc = loc_index_build(items, n, out, err);
	}
	arena_free(a);
	return rc;
}
