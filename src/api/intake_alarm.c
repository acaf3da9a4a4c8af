/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sensor and camera alarms: POST /api/v1/intake/alarms from a registered device (its id
 * and key in the body). The device's registered place locates the case and its
 * registered category files it; an alarm of the same device within ALARM_WINDOW of the
 * previous one joins that case while it is still open, instead of opening another.
 */
#include <sodium.h>
#include <stdio.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/sec.h"
#include "gridgov/store_intake.h"

#define ALARM_WINDOW (30 * 60) /* seconds */

static const char *const types[] = {"manhole", "smoke", "water_level", "camera"};
static const char *const types_zh[] = {"智慧窨井", "烟感", "水位", "视频AI事件"};

int api_intake_alarm(struct api_req *r)
{
	const char *dev_id, *key, *type, *time_s;
	double value = 0;
	int rc;
	if ((rc = api_body_str(r, "device_id", 1, &dev_id)) ||
	    (rc = api_body_str(r, "device_key", 1, &key)) ||
	    (rc = api_body_str(r, "type", 1, &type)) ||
	    (rc = api_body_str(r, "time", 0, &time_s)) ||
	    (rc = api_body_num(r, "value", 0, &value)))
		return rc;
	struct store_device d;
	char hash[SEC_TOKEN_HASH_LEN];
	sec_token_hash(key, hash);
	rc = store_device_get(r->db, dev_id, &d, &r->err);
	if (rc == GG_ENOTFOUND ||
	    (rc == GG_OK && (strlen(d.key_hash) != strlen(hash) ||
			     sodium_memcmp(d.key_hash, hash, strlen(hash))))) {
		err_clear(&r->err);
		return api_fail(r, GG_EUNAUTH, "unknown device or wrong device key");
	}
	if (rc)
		return rc;
	int t = -1;
	for (int i = 0; i < 4; i++)
		if (!strcmp(type, types[i]))
			t = i;
	if (t < 0)
		return err_field(&r->err, GG_EFIELD, "type",
				 "type is manhole, smoke, water_level or camera");
	int64_t at = clock_now();
	if (time_s && clock_parse(time_s, &at))
		return err_field(&r->err, GG_EFIELD, "time", "time is not an RFC 3339 time");
	int has_value = json_object_get(r->json, "value") != NULL;

	int64_t case_id;
	if ((rc = store_alarm_open_case(r->db, dev_id, at - ALARM_WINDOW, &case_id, &r->err)))
		return rc;
	int joined = case_id != 0;
	if (!joined) {
		char desc[256];
		if (has_value)
			snprintf(desc, sizeof(desc), "%s报警 %s (%s) value %g", types_zh[t], d.id,
				 type, value);
		else
			snprintf(desc, sizeof(desc), "%s报警 %s (%s)", types_zh[t], d.id, type);
		struct api_case_in in = {.category = d.category,
					 .description = desc,
					 .channel = "sensor",
					 .reporter = "sensor",
					 .has_point = 1,
					 .lon = d.lon,
					 .lat = d.lat,
					 .any_grid = 1};
		struct store_case *c;
		if ((rc = api__case_new(r, &in, &c)))
			return rc;
		case_id = c->id;
	}
	if ((rc = store_alarm_add(r->db, dev_id, type, at, has_value, value, case_id, &r->err)))
		return rc;
	api_reply(r, joined ? 200 : 201,
		  json_pack("{s:I,s:b}", "case_id", (json_int_t)case_id, "joined", joined));
	return GG_OK;
}
