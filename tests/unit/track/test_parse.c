/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding the OsmAnd protocol: every request of Traccar's OsmAndProtocolDecoderTest
 * (query strings and Traccar Client's JSON objects), arrays of fixes, and the malformed
 * inputs the listener must refuse (bad numbers, non-finite values, bad escapes, invalid
 * UTF-8, missing ids, too many fixes).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <string.h>

#include "gridgov/clock.h"
#include "gridgov/track.h"

#define NOW 1765000000000LL

static int form(const char *s, struct track_fix *f)
{
	struct arena *a = arena_new();
	struct err err = ERR_INIT;
	int r = track_parse_form(a, s, strlen(s), NOW, f, &err);
	if (!r && f->attrs)
		f->attrs = "kept"; /* the arena goes: say only that there were some */
	arena_free(a);
	return r;
}

static void query_shapes_of_traccar_test(void **state)
{
	(void)state;
	/* OsmAndProtocolDecoderTest.testDecodeQuery, as the query string Traccar reads */
	static const char *const ok[] = {
	    "id=123456&timestamp=1377177267&cell=257,02,16,2224&cell=257,02,16,2223,-90&wifi=00-"
	    "14-22-01-23-45,-80&wifi=00-1C-B3-09-85-15,-70",
	    "id=902064&lat=42.06288&lon=-88.23412&timestamp=2016-01-27T18%3A55%3A47Z&hdop=6.0&"
	    "altitude=224.0&speed=0.0",
	    "id=902064&lat=42.06288&lon=-88.23412&timestamp=1442068686579&hdop=6.0&altitude=224.0&"
	    "speed=0.0",
	    "lat=49.60688&lon=6.15788&timestamp=2014-06-04+09%3A10%3A11&altitude=384.7&speed=0.0&"
	    "id=353861053849681",
	    "id=123456&timestamp=1377177267&lat=60.0&lon=30.0&speed=0.0&bearing=0.0&altitude=0&"
	    "hdop=0.0",
	    "id=123456&timestamp=1377177267&lat=60.0&lon=30.0",
	    "lat=60.0&lon=30.0&speed=0.0&heading=0.0&vacc=0&hacc=0&altitude=0&deviceid=123456",
	    "id=861001000719969&lat=41.666667&lon=-0.883333&altitude=350.059479&speed=0.000000&"
	    "batt=87",
	    "id=123456&timestamp=1377177267&location=60.0,30.0",
	    "id=123456789012345&timestamp=1504763810&lat=40.7232948571&lon=-74.0061408571&"
	    "bearing=7.19889788244&speed=40&ignition=true&rpm=933&fuel=24",
	};
	struct track_fix f;
	for (size_t i = 0; i < sizeof(ok) / sizeof(ok[0]); i++)
		assert_int_equal(form(ok[i], &f), GG_OK);
	/* Traccar refuses a fix without its device */
	assert_int_equal(form("timestamp=1377177267&lat=60.0&lon=30.0", &f), GG_EINVAL);

	assert_int_equal(form("id=123456&timestamp=1377177267&location=60.0,30.0", &f), GG_OK);
	assert_string_equal(f.device, "123456");
	assert_int_equal(f.t_ms, 1377177267000LL);
	assert_true(f.has_pos && f.lat == 60.0 && f.lon == 30.0);

	/* milliseconds, ISO 8601 and the server zone's "YYYY-MM-DD HH:MM:SS" (CST here) */
	assert_int_equal(form("id=1&timestamp=1442068686579&lat=1&lon=1", &f), GG_OK);
	assert_int_equal(f.t_ms, 1442068686579LL);
	assert_int_equal(form("id=1&timestamp=2016-01-27T18%3A55%3A47Z&lat=1&lon=1", &f), GG_OK);
	assert_int_equal(f.t_ms, 1453920947000LL);
	assert_int_equal(form("id=1&timestamp=2014-06-04+09%3A10%3A11&lat=1&lon=1", &f), GG_OK);
	assert_int_equal(f.t_ms, (1401873011LL - 8 * 3600) * 1000);
	/* an offset whose '+' a query decoder turned into a space */
	assert_int_equal(form("id=1&timestamp=2026-03-02T08%3A00%3A00%2008%3A00&lat=1&lon=1", &f),
			 GG_OK);
	assert_int_equal(f.t_ms, 1772409600000LL);
	assert_int_equal(form("id=1&timestamp=2026-03-02T08%3A00%3A00%2B08%3A00&lat=1&lon=1", &f),
			 GG_OK);
	assert_int_equal(f.t_ms, 1772409600000LL);
	/* no timestamp: now */
	assert_int_equal(form("id=1&lat=1&lon=1&speed=40&batt=87&charge=true", &f), GG_OK);
	assert_int_equal(f.t_ms, NOW);
	assert_true(f.speed_kn == 40 && f.battery == 87 && f.charge == 1);
	/* other keys are kept */
	assert_int_equal(form("id=1&lat=1&lon=1&ignition=true&rpm=933", &f), GG_OK);
	assert_non_null(f.attrs);
	/* the cell-only fix has no position: the cleaning rejects it as invalid, not 400 */
	assert_int_equal(form("id=123456&timestamp=1377177267&cell=257,02,16,2224", &f), GG_OK);
	assert_false(f.has_pos);
}

static void malformed_queries_refused(void **state)
{
	(void)state;
	struct track_fix f;
	static const char *const bad[] = {
	    "id=1&lat=abc&lon=1",
	    "id=1&lat=1e999&lon=1",
	    "id=1&lat=nan&lon=1",
	    "id=1&lat=1&lon=inf",
	    "id=1&timestamp=yesterday",
	    "id=1&timestamp=99999999999999999999",
	    "id=1&location=60.0",
	    "id=1&lat=%zz&lon=1",
	    "id=1&lat=%ff%fe&lon=1",
	    "id=%00&lat=1&lon=1",
	    "id=&lat=1&lon=1",
	    "id=0123456789012345678901234567890123456789012345678901234567890123456789&lat=1",
	    "id=1&timestamp=2016-13-27T18:55:47Z",
	    "id=1&timestamp=2016-01-27T18:55:47+25:00",
	};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		int r = form(bad[i], &f);
		if (r != GG_EINVAL)
			fail_msg("accepted '%s' (%d)", bad[i], r);
	}
}

static int json(const char *s, struct track_fix **out, size_t *n, struct arena *a)
{
	struct err err = ERR_INIT;
	return track_parse_json(a, s, strlen(s), NOW, 10, out, n, &err);
}

static void json_shapes_of_traccar_test(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct track_fix *f;
	size_t n;
	/* OsmAndProtocolDecoderTest.testDecodeJson */
	static const char *const ok[] = {
	    "{\"location\":{\"timestamp\":\"2025-06-15T13:45:12.862Z\",\"coords\":{\"latitude\":37."
	    "4219983,\"longitude\":-122.084,\"accuracy\":5,\"speed\":0,\"heading\":-1,\"altitude\":"
	    "5},"
	    "\"is_moving\":false,\"odometer\":0,\"event\":\"motionchange\",\"battery\":{\"level\":"
	    "1,"
	    "\"is_charging\":false},\"activity\":{\"type\":\"still\"},\"extras\":{},\"_\":\"&id="
	    "48241179&lat=37.4219983&lon=-122.084&timestamp=2025-06-15T13:45:12.862Z&\"},"
	    "\"device_id\":\"48241179\"}",
	    "{\"location\":{\"timestamp\":\"2025-06-15T13:45:12.862Z\",\"coords\":{\"latitude\":37."
	    "4219983,\"longitude\":-122.084,\"accuracy\":5,\"speed\":0,\"heading\":-1,\"altitude\":"
	    "5},"
	    "\"is_moving\":false,\"odometer\":0,\"event\":\"motionchange\",\"battery\":{\"level\":"
	    "1,"
	    "\"is_charging\":false},\"activity\":{\"type\":\"still\"},\"extras\":{\"device_string_"
	    "test\":\"long_device_id\",\"device_bool_test\":true,\"device_bool_false_test\":false,"
	    "\"device_integer_test\":1,\"device_integer_twelve_test\":12,\"device_double_test\":1."
	    "345,\"device_very_long_double_test\":1763636.3442},\"_\":\"&id=48241179&lat=37."
	    "4219983&"
	    "lon=-122.084&timestamp=2025-06-15T13:45:12.862Z&\"},\"device_id\":\"48241179\"}",
	    "{\"location\":{\"extras\":{},\"mock\":true,\"coords\":{\"speed_accuracy\":-1,"
	    "\"speed\":-1,"
	    "\"longitude\":-122.406417,\"ellipsoidal_altitude\":0,\"floor\":null,\"heading_"
	    "accuracy\":"
	    "-1,\"latitude\":37.785834000000001,\"accuracy\":5,\"altitude_accuracy\":-1,"
	    "\"altitude\":"
	    "0,\"heading\":-1},\"is_moving\":false,\"age\":188,\"odometer\":0,\"uuid\":\"2FB04C65-"
	    "99CF-"
	    "42AB-8DD3-EBCB4B108BF8\",\"event\":\"motionchange\",\"battery\":{\"level\":-1,\"is_"
	    "charging\":false},\"activity\":{\"type\":\"unknown\",\"confidence\":100},"
	    "\"timestamp\":"
	    "\"2025-05-09T04:11:30.579Z\"},\"device_id\":\"658765\"}",
	    "{\"location\":{\"event\":\"motionchange\",\"is_moving\":false,\"uuid\":\"0e9a2473-"
	    "a9a7-"
	    "4c00-997b-fb97d2154e75\",\"timestamp\":\"2021-07-21T08:06:34.444Z\",\"odometer\":0,"
	    "\"coords\":{\"latitude\":-6.1148096,\"longitude\":106.6837015,\"accuracy\":3.8,"
	    "\"speed\":"
	    "18.67,\"speed_accuracy\":0.26,\"heading\":63,\"heading_accuracy\":0.28,\"altitude\":"
	    "35.7,"
	    "\"altitude_accuracy\":3.8},\"activity\":{\"type\":\"still\",\"confidence\":100},"
	    "\"battery\":{\"is_charging\":false,\"level\":0.79},\"extras\":{}},\"device_id\":"
	    "\"8737767034\"}",
	};
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(json(ok[i], &f, &n, a), GG_OK);
		assert_int_equal(n, 1);
		assert_true(f->has_pos);
	}
	assert_string_equal(f->device, "8737767034");
	assert_int_equal(f->t_ms, 1626854794444LL);
	assert_true(fabs(f->speed_kn - 18.67 * 3600 / 1852) < 1e-9); /* m/s to knots */
	assert_true(f->course == 63 && f->accuracy == 3.8);
	assert_true(fabs(f->battery - 79) < 1e-9);
	assert_int_equal(json(ok[1], &f, &n, a), GG_OK);
	assert_non_null(strstr(f->attrs, "\"device_integer_twelve_test\":12"));
	/* heading -1 and speed -1 are unknown, battery -1 too */
	assert_int_equal(json(ok[2], &f, &n, a), GG_OK);
	assert_true(isnan(f->speed_kn) && isnan(f->course) && isnan(f->battery));

	/* a batch: flat fixes and client objects mixed */
	assert_int_equal(json("[{\"id\":\"7\",\"lat\":30.1,\"lon\":104.1,\"timestamp\":1765000000},"
			      "{\"deviceid\":\"7\",\"lat\":\"30.2\",\"lon\":104.2,"
			      "\"timestamp\":\"2025-12-06T05:46:41Z\",\"batt\":50}]",
			      &f, &n, a),
			 GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(f[0].t_ms, 1765000000000LL);
	assert_true(f[1].lat == 30.2 && f[1].battery == 50);
	arena_free(a);
}

static void malformed_json_refused(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct track_fix *f;
	size_t n;
	assert_int_equal(json("{", &f, &n, a), GG_EJSON);
	assert_int_equal(json("{\"id\":\"1\",\"lat\":1e999}", &f, &n, a), GG_EJSON);
	assert_int_equal(json("{\"id\":\"1\",\"lat\":\"\xff\"}", &f, &n, a), GG_EJSON);
	assert_int_equal(json("[]", &f, &n, a), GG_EINVAL);
	assert_int_equal(json("[1,2]", &f, &n, a), GG_EINVAL);
	assert_int_equal(json("{\"lat\":1,\"lon\":2}", &f, &n, a), GG_EINVAL);
	assert_int_equal(json("{\"id\":{\"x\":1}}", &f, &n, a), GG_EINVAL);
	assert_int_equal(json("{\"device_id\":7,\"location\":{}}", &f, &n, a), GG_EINVAL);
	assert_int_equal(json("{\"device_id\":\"7\",\"location\":{\"coords\":{\"latitude\":\"x\","
			      "\"longitude\":1}}}",
			      &f, &n, a),
			 GG_EINVAL);
	assert_int_equal(json("{\"device_id\":\"7\",\"location\":{\"timestamp\":5}}", &f, &n, a),
			 GG_EINVAL);
	/* more fixes than allowed */
	char big[400] = "[";
	for (int i = 0; i < 11; i++)
		strcat(big, i ? ",{\"id\":\"1\"}" : "{\"id\":\"1\"}");
	strcat(big, "]");
	assert_int_equal(json(big, &f, &n, a), GG_ETOOBIG);
	arena_free(a);
}

int main(void)
{
	clock_set_zone("Asia/Shanghai");
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(query_shapes_of_traccar_test),
	    cmocka_unit_test(malformed_queries_refused),
	    cmocka_unit_test(json_shapes_of_traccar_test),
	    cmocka_unit_test(malformed_json_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
