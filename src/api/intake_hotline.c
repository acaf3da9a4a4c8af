/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12345 hotline work orders 工单. POST /api/v1/intake/hotline turns one order into a
 * case of channel "hotline", once per order number: the same order sent again answers
 * the case it already became. The caller's name and phone are kept only sealed with the
 * personal-data key. Every status change of such a case is queued, in the transaction
 * that makes it, in the hotline outbox that hotline_hook.c delivers.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/pii.h"
#include "gridgov/store_intake.h"

/* Orders whose hint is not a catalog code land in the catch-all for the center to refile. */
#define DEFAULT_CATEGORY "E0199"

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char s[32];
	clock_format_utc(t, s, sizeof(s));
	return json_string(s);
}

static void kick(struct api_server *srv, void *arg)
{
	(void)arg;
	api__hotline_kick(srv);
}

int api__hotline_event(struct api_req *r, const struct store_case *c, const char *action,
		       const char *note)
{
	struct store_hotline h;
	int rc = store_hotline_of_case(r->db, c->id, &h, &r->err);
	if (rc == GG_ENOTFOUND) {
		err_clear(&r->err);
		return GG_OK; /* a hotline-channel case not made from an order: nobody to tell */
	}
	if (rc)
		return rc;
	int64_t now = clock_now();
	json_t *j = json_pack("{s:s,s:I,s:s,s:s,s:s,s:o,s:s}", "order_no", h.order_no, "case_id",
			      (json_int_t)c->id, "action", action, "state",
			      case_state_name(c->state), "state_name", case_state_name_zh(c->state),
			      "at", time_json(now), "note", note ? note : "");
	if (c->rating[0])
		json_object_set_new(j, "rating", json_string(c->rating));
	char *body = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	rc = store_outbox_add(r->db, c->id, body, now, &r->err);
	free(body);
	if (rc == GG_OK)
		api_on_commit(r, kick, NULL);
	return rc;
}

static int parse_time(struct api_req *r, const char *key, int64_t *out)
{
	const char *s;
	int rc = api_body_str(r, key, 0, &s);
	*out = 0;
	if (rc || !s)
		return rc;
	if (clock_parse(s, out))
		return err_field(&r->err, GG_EFIELD, key, "%s is not an RFC 3339 time", key);
	return GG_OK;
}

int api_intake_hotline(struct api_req *r)
{
	const char *order_no, *content, *name, *phone, *hint;
	struct api_case_in in = {.channel = "hotline"};
	struct store_hotline h = {0};
	int rc;
	if ((rc = api_body_str(r, "order_no", 1, &order_no)) ||
	    (rc = api_body_str(r, "content", 1, &content)) ||
	    (rc = api_body_str(r, "caller_name", 0, &name)) ||
	    (rc = api_body_str(r, "caller_phone", 0, &phone)) ||
	    (rc = api_body_str(r, "category_hint", 0, &hint)) ||
	    (rc = api_body_str(r, "address", 0, &in.address)) ||
	    (rc = api_body_str(r, "grid", 0, &in.grid)) ||
	    (rc = api_body_num(r, "lon", 0, &in.lon)) ||
	    (rc = api_body_num(r, "lat", 0, &in.lat)) ||
	    (rc = parse_time(r, "received_at", &h.received_at)) ||
	    (rc = parse_time(r, "deadline", &h.deadline)))
		return rc;
	if (strlen(order_no) >= sizeof(h.order_no))
		return err_field(&r->err, GG_EFIELD, "order_no", "order_no is too long");
	in.has_point = json_object_get(r->json, "lon") && json_object_get(r->json, "lat");
	if (!in.has_point && !in.address && !in.grid)
		return err_field(&r->err, GG_EMISSING, "address", "give an address or lon/lat");

	/* Idempotent on the order number: the order already taken answers its case. */
	rc = store_hotline_get(r->db, order_no, &h, &r->err);
	if (rc == GG_OK) {
		struct store_case c;
		if ((rc = store_case_get(r->db, h.case_id, &c, &r->err)))
			return rc;
		api_reply(r, 200,
			  json_pack("{s:s,s:I,s:b,s:s}", "order_no", order_no, "case_id",
				    (json_int_t)h.case_id, "duplicate", 1, "state",
				    case_state_name(c.state)));
		return GG_OK;
	}
	if (rc != GG_ENOTFOUND)
		return rc;
	err_clear(&r->err);

	struct store_category cat;
	in.category = hint && store_category_get(r->db, hint, &cat, &r->err) == GG_OK
			  ? hint
			  : DEFAULT_CATEGORY;
	err_clear(&r->err);
	in.description = content;
	in.reporter = "12345";
	/* An address the map cannot place goes to the caller's whole area, for the center
	 * to locate by hand. */
	if (!in.grid && r->who.scope[0])
		in.grid = r->who.scope;
	struct store_case *c;
	if ((rc = api__case_new(r, &in, &c)))
		return rc;

	char *sealed = NULL;
	if (name || phone) {
		const struct pii_key *k = api__people_key(r);
		if (k) {
			json_t *who = json_pack("{s:s,s:s}", "name", name ? name : "", "phone",
						phone ? phone : "");
			char *plain = json_dumps(who, JSON_COMPACT);
			json_decref(who);
			sealed = pii_seal(k, plain);
			sodium_memzero(plain, strlen(plain));
			free(plain);
		} else {
			err_clear(&r->err); /* without the key the caller is not kept */
		}
	}
	snprintf(h.order_no, sizeof(h.order_no), "%s", order_no);
	h.case_id = c->id;
	h.created_at = clock_now();
	rc = store_hotline_put(r->db, &h, sealed ? sealed : "", &r->err);
	free(sealed);
	if (rc)
		return rc;
	if ((rc = api__hotline_event(r, c, "report", NULL)))
		return rc;
	json_t *j =
	    json_pack("{s:s,s:I,s:b,s:s,s:s}", "order_no", order_no, "case_id", (json_int_t)c->id,
		      "duplicate", 0, "state", case_state_name(c->state), "grid", c->grid);
	json_object_set_new(j, "deadline", time_json(h.deadline));
	api_reply(r, 201, j);
	return GG_OK;
}
