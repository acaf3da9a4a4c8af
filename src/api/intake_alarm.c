/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sensor and camera alarms: POST /api/v1/intake/alarms from a registered device (its id
 * and key in the body). The device's registered place locates the case and its
 * registered category files it; an alarm of the same device within 30 minutes of the
 * previous one joins that case while it is still open (svc_alarm), instead of opening
 * another.
 */
#include "api/api_int.h"

struct alarm {
	struct svc_alarm_in in;
	int64_t case_id;
	int joined;
};

static int alarm_step(struct api_req *r, void *arg)
{
	struct alarm *k = arg;
	struct svc s;
	api__svc(r, &s);
	return svc_alarm(&s, &k->in, &k->case_id, &k->joined, &r->err);
}

static int alarm_answer(struct api_req *r, void *arg, int rc)
{
	struct alarm *k = arg;
	if (rc)
		return rc;
	api_reply(r, k->joined ? 200 : 201,
		  json_pack("{s:I,s:b}", "case_id", (json_int_t)k->case_id, "joined", k->joined));
	return GG_OK;
}

int api_intake_alarm(struct api_req *r)
{
	struct alarm *k = arena_zalloc(r->arena, sizeof(*k));
	struct svc_alarm_in *in = &k->in;
	int rc;
	if ((rc = api_body_str(r, "device_id", 1, &in->device_id)) ||
	    (rc = api_body_str(r, "device_key", 1, &in->device_key)) ||
	    (rc = api_body_str(r, "type", 1, &in->type)) ||
	    (rc = api_body_str(r, "time", 0, &in->time)) ||
	    (rc = api_body_num(r, "value", 0, &in->value)))
		return rc;
	in->has_value = json_object_get(r->json, "value") != NULL;
	return api_write_then(r, alarm_step, k, alarm_answer);
}
