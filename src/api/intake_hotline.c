/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12345 hotline work orders 工单. POST /api/v1/intake/hotline turns one order into a
 * case of channel "hotline", once per order number: the same order sent again answers
 * the case it already became. The caller's name and phone are kept only sealed with the
 * personal-data key. Every status change of such a case is queued, in the transaction
 * that makes it, in the hotline outbox that hotline_hook.c delivers (svc_hotline_order,
 * svc_hotline_event).
 */
#include "api/api_int.h"
#include "gridgov/clock.h"

static json_t *time_json(int64_t t)
{
	if (!t)
		return json_null();
	char s[32];
	clock_format_utc(t, s, sizeof(s));
	return json_string(s);
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

struct order {
	struct svc_hotline_in in;
	struct svc_hotline_out out;
};

static int order_step(struct api_req *r, void *arg)
{
	struct order *o = arg;
	struct svc s;
	api__svc(r, &s);
	int rc = svc_hotline_order(&s, &o->in, &o->out, &r->err);
	api__svc_done(r, &s, NULL);
	return rc;
}

static int order_answer(struct api_req *r, void *arg, int rc)
{
	struct order *o = arg;
	const struct svc_hotline_in *in = &o->in;
	if (rc)
		return rc;
	const struct svc_hotline_out *out = &o->out;
	if (out->duplicate) {
		api_reply(r, 200,
			  json_pack("{s:s,s:I,s:b,s:s}", "order_no", in->order_no, "case_id",
				    (json_int_t)out->case_id, "duplicate", 1, "state",
				    case_state_name(out->state)));
		return GG_OK;
	}
	json_t *j = json_pack("{s:s,s:I,s:b,s:s,s:s}", "order_no", in->order_no, "case_id",
			      (json_int_t)out->case_id, "duplicate", 0, "state",
			      case_state_name(out->state), "grid", out->grid);
	json_object_set_new(j, "deadline", time_json(out->deadline));
	api_reply(r, 201, j);
	return GG_OK;
}

int api_intake_hotline(struct api_req *r)
{
	struct order *o = arena_zalloc(r->arena, sizeof(*o));
	struct svc_hotline_in *in = &o->in;
	int rc;
	if ((rc = api_body_str(r, "order_no", 1, &in->order_no)) ||
	    (rc = api_body_str(r, "content", 1, &in->content)) ||
	    (rc = api_body_str(r, "caller_name", 0, &in->caller_name)) ||
	    (rc = api_body_str(r, "caller_phone", 0, &in->caller_phone)) ||
	    (rc = api_body_str(r, "category_hint", 0, &in->category_hint)) ||
	    (rc = api_body_str(r, "address", 0, &in->address)) ||
	    (rc = api_body_str(r, "grid", 0, &in->grid)) ||
	    (rc = api_body_num(r, "lon", 0, &in->lon)) ||
	    (rc = api_body_num(r, "lat", 0, &in->lat)) ||
	    (rc = parse_time(r, "received_at", &in->received_at)) ||
	    (rc = parse_time(r, "deadline", &in->deadline)))
		return rc;
	in->has_point = json_object_get(r->json, "lon") && json_object_get(r->json, "lat");
	if (in->caller_name || in->caller_phone) {
		in->pii = api__people_key(r);
		err_clear(&r->err); /* without the key the caller is not kept */
	}
	return api_write_then(r, order_step, o, order_answer);
}
