/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The intake channels in the domain layer: a 12345 order becomes a case once (the same
 * order again answers its case), queues its status changes for the hotline and keeps the
 * caller only sealed; alarms need the device's key and join the device's open case; a
 * citizen report stores its photos, case and tracking code together.
 */
#include "fx_svc.h"
#include "gridgov/pii.h"
#include "gridgov/sec.h"
#include "gridgov/store_intake.h"

static void a_hotline_order_becomes_one_case(void **state)
{
	struct fx *f = *state;
	struct svc s = fx_svc(f, &f->operator);
	struct pii_key key;
	unsigned char master[32] = {1};
	pii_key_from_master(&key, master);
	struct svc_hotline_in in = {.order_no = "GD20260302001",
				    .content = "楼道堆放杂物",
				    .caller_name = "张三",
				    .caller_phone = "13800000000",
				    .category_hint = "E0103",
				    .grid = GRID,
				    .pii = &key};
	struct svc_hotline_out out;
	assert_int_equal(svc_hotline_order(&s, &in, &out, &f->err), GG_OK);
	assert_false(out.duplicate);
	assert_string_equal(out.grid, GRID);
	struct store_case c = fx_get(f, out.case_id);
	assert_string_equal(c.channel, "hotline");
	assert_string_equal(c.category, "E0103");
	assert_string_equal(c.reporter, "12345");
	int64_t pending;
	assert_int_equal(store_outbox_pending(f->db, &pending, &f->err), GG_OK);
	assert_int_equal(pending, 1);
	assert_int_equal(s.outbox, 1);

	/* the same order again: its case, nothing new */
	int64_t first = out.case_id;
	assert_int_equal(svc_hotline_order(&s, &in, &out, &f->err), GG_OK);
	assert_true(out.duplicate);
	assert_int_equal(out.case_id, first);
	assert_int_equal(store_outbox_pending(f->db, &pending, &f->err), GG_OK);
	assert_int_equal(pending, 1);

	/* an action on the case reports back to the hotline */
	struct svc_action_in act = fx_in(CASE_A_FILE, NULL);
	assert_int_equal(fx_act(f, &f->operator, first, &act, NULL), GG_OK);
	assert_int_equal(store_outbox_pending(f->db, &pending, &f->err), GG_OK);
	assert_int_equal(pending, 2);
	struct store_outbox *o;
	size_t n;
	assert_int_equal(store_outbox_due(f->db, INT64_MAX, 10, f->a, &o, &n, &f->err), GG_OK);
	assert_int_equal(n, 2);
	assert_non_null(strstr(o[1].body, "\"action\":\"file\""));
	assert_non_null(strstr(o[1].body, "\"order_no\":\"GD20260302001\""));
	assert_non_null(strstr(o[1].body, "\"state_name\":\"立案\""));
}

static void a_hotline_order_needs_a_place(void **state)
{
	struct fx *f = *state;
	struct svc s = fx_svc(f, &f->operator);
	struct svc_hotline_in in = {.order_no = "GD2", .content = "噪音"};
	struct svc_hotline_out out;
	assert_int_equal(svc_hotline_order(&s, &in, &out, &f->err), GG_EMISSING);
	assert_string_equal(f->err.field, "address");
	char longno[80];
	memset(longno, '9', sizeof(longno) - 1);
	longno[sizeof(longno) - 1] = 0;
	in.order_no = longno;
	in.grid = GRID;
	assert_int_equal(svc_hotline_order(&s, &in, &out, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "order_no");
	/* an address the map cannot place goes to the actor's scope; unknown hints to E0199 */
	in.order_no = "GD3";
	in.grid = NULL;
	in.address = "某处";
	in.category_hint = "E0102";
	struct principal street = f->street;
	s.who = &street;
	assert_int_equal(svc_hotline_order(&s, &in, &out, &f->err), GG_OK);
	assert_string_equal(out.grid, STREET);
}

static void alarms_need_the_key_and_join_the_open_case(void **state)
{
	struct fx *f = *state;
	struct store_device d = {
	    .id = "MH-1", .type = "manhole", .category = "E0102", .lon = 104.05, .lat = 30.66};
	sec_token_hash("secret-key", d.key_hash);
	assert_int_equal(store_device_add(f->db, &d, &f->err), GG_OK);
	struct svc s = fx_svc(f, &f->operator);
	s.system = 1;
	struct svc_alarm_in in = {.device_id = "MH-1", .device_key = "wrong", .type = "manhole"};
	int64_t id;
	int joined;
	assert_int_equal(svc_alarm(&s, &in, &id, &joined, &f->err), GG_EUNAUTH);
	in.device_key = "secret-key";
	in.type = "fire";
	assert_int_equal(svc_alarm(&s, &in, &id, &joined, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "type");
	in.type = "manhole";
	in.time = "yesterday";
	assert_int_equal(svc_alarm(&s, &in, &id, &joined, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "time");
	in.time = NULL;
	/* without a map the device's point is in no grid: the case cannot be routed */
	assert_int_equal(svc_alarm(&s, &in, &id, &joined, &f->err), GG_EMISSING);
	assert_string_equal(f->err.field, "grid");
}

static int locate_grid(void *arg, double lon, double lat, char *code, struct err *err)
{
	(void)arg, (void)lon, (void)lat, (void)err;
	snprintf(code, GRID_CODE_MAX, "%s", GRID);
	return GG_OK;
}

static void an_alarm_within_half_an_hour_joins(void **state)
{
	struct fx *f = *state;
	struct store_device d = {
	    .id = "SM-1", .type = "smoke", .category = "E0102", .lon = 104.05, .lat = 30.66};
	sec_token_hash("k", d.key_hash);
	assert_int_equal(store_device_add(f->db, &d, &f->err), GG_OK);
	struct svc s = fx_svc(f, &f->operator);
	s.system = 1;
	s.locate = locate_grid;
	struct svc_alarm_in in = {
	    .device_id = "SM-1", .device_key = "k", .type = "smoke", .has_value = 1, .value = 3.5};
	int64_t id, id2;
	int joined;
	assert_int_equal(svc_alarm(&s, &in, &id, &joined, &f->err), GG_OK);
	assert_false(joined);
	struct store_case c = fx_get(f, id);
	assert_string_equal(c.grid, GRID);
	assert_string_equal(c.channel, "sensor");
	assert_string_equal(c.description, "烟感报警 SM-1 (smoke) value 3.5");
	s.now += 10 * 60;
	assert_int_equal(svc_alarm(&s, &in, &id2, &joined, &f->err), GG_OK);
	assert_true(joined);
	assert_int_equal(id2, id);
	s.now += 60 * 60;
	assert_int_equal(svc_alarm(&s, &in, &id2, &joined, &f->err), GG_OK);
	assert_false(joined);
	assert_true(id2 != id);
}

static void a_citizen_report_keeps_photos_case_and_code(void **state)
{
	struct fx *f = *state;
	struct principal citizen = {.role = ROLE_OPERATOR};
	struct svc s = fx_svc(f, &citizen);
	s.system = 1;
	struct store_media m = {.kind = "jpeg", .bytes = 10};
	memset(m.sha256, 'a', 64);
	struct svc_case_in in = {.category = "E0102",
				 .description = "井盖缺失",
				 .channel = "citizen",
				 .reporter = "citizen",
				 .grid = GRID,
				 .any_grid = 1};
	struct store_case *c;
	assert_int_equal(svc_citizen_report(&s, &in, &m, 1, "ABCDEFGH23", "", "", &c, &f->err), GG_OK);
	struct store_report rep;
	assert_int_equal(store_report_get(f->db, "ABCDEFGH23", &rep, &f->err), GG_OK);
	assert_int_equal(rep.case_id, c->id);
	char(*shas)[65];
	size_t n;
	assert_int_equal(store_case_media_list(f->db, c->id, f->a, &shas, &n, &f->err), GG_OK);
	assert_int_equal(n, 1);
	struct store_case_entry *e;
	assert_int_equal(store_case_log_list(f->db, c->id, f->a, &e, &n, &f->err), GG_OK);
	assert_string_equal(e[0].role, "system");
	assert_string_equal(e[0].actor, "system");
}

static void an_open311_request_keeps_what_a_case_has_no_column_for(void **state)
{
	struct fx *f = *state;
	struct svc s = fx_svc(f, &f->operator);
	struct svc_open311_in in = {.c = {.category = "E0102",
					  .description = "井盖缺失",
					  .channel = "open311",
					  .reporter = "open311",
					  .grid = GRID},
				    .media_url = "https://example.org/a.jpg",
				    .address_id = "545483"};
	struct store_case *c;
	assert_int_equal(svc_open311_request(&s, &in, &c, &f->err), GG_OK);
	struct store_open311 o;
	assert_int_equal(store_open311_get(f->db, c->id, &o, &f->err), GG_OK);
	assert_string_equal(o.media_url, "https://example.org/a.jpg");
	assert_string_equal(o.address_id, "545483");
	assert_string_equal(o.zipcode, "");
	/* nothing extra sent: nothing kept */
	in.media_url = in.address_id = NULL;
	assert_int_equal(svc_open311_request(&s, &in, &c, &f->err), GG_OK);
	assert_int_equal(store_open311_get(f->db, c->id, &o, &f->err), GG_ENOTFOUND);
	err_clear(&f->err);
	/* a media_url that is no web URL is refused before the case is made */
	int64_t last = c->id;
	const char *bad[] = {"javascript:alert(1)", "HTTP://",	   "http:///x",
			     "http://a b",	    "http://a\"b", "ftp://example.org/a.jpg",
			     "example.org/a.jpg"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		in.media_url = bad[i];
		assert_int_equal(svc_open311_request(&s, &in, &c, &f->err), GG_EFIELD);
		assert_string_equal(f->err.field, "media_url");
		err_clear(&f->err);
	}
	in.media_url = NULL;
	in.zipcode = "0123456789012345678901234567890123";
	assert_int_equal(svc_open311_request(&s, &in, &c, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "zipcode");
	err_clear(&f->err);
	in.zipcode = "610031";
	assert_int_equal(svc_open311_request(&s, &in, &c, &f->err), GG_OK);
	assert_int_equal(c->id, last + 1); /* no case was written by the refusals */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(a_hotline_order_becomes_one_case, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(a_hotline_order_needs_a_place, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(alarms_need_the_key_and_join_the_open_case, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(an_alarm_within_half_an_hour_joins, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(a_citizen_report_keeps_photos_case_and_code, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(an_open311_request_keeps_what_a_case_has_no_column_for,
					    fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
