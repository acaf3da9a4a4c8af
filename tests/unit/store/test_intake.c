/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The intake area of the SQLite backend: citizen reports by tracking code, photos
 * attached to cases and owned by each uploader, hotline orders unique by number, the
 * outbox handing out due messages oldest first and never past one still waiting, API
 * keys by hash, idempotency keys unique per sender, and the latest reply to a reporter.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"
#include "gridgov/store_case.h"
#include "gridgov/store_intake.h"

struct fx {
	char path[64];
	struct store *s;
	int64_t case_id;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("intake", f->path, &f->s))
		return -1;
	struct grid_node g = {.code = "510105", .name = "青羊区", .level = GRID_DISTRICT};
	struct store_category c = {.code = "E0199",
				   .kind = "事件",
				   .major_code = "E01",
				   .major_name = "市容环境",
				   .minor_code = "E0199",
				   .minor_name = "其他",
				   .name = "其他",
				   .department = "CGZF",
				   .limit_general_h = 8,
				   .limit_engineering_h = 24,
				   .limit_special_h = 72,
				   .verify_min = 60,
				   .urgency = "normal"};
	struct store_case k = {.category = "E0199",
			       .description = "x",
			       .channel = "citizen",
			       .grid = "510105",
			       .level = GRID_DISTRICT,
			       .state = CASE_REPORTED,
			       .created_at = 100,
			       .updated_at = 100,
			       .stage_started = 100};
	if (store_grid_put(f->s, &g, NULL) || store_category_put(f->s, &c, NULL) ||
	    store_case_insert(f->s, &k, NULL))
		return -1;
	f->case_id = k.id;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fx_db_remove(f->path, f->s);
	free(f);
	return 0;
}

static void reports_and_case_photos(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	struct store_report rep = {.code = "ABCDEFGH23", .case_id = f->case_id, .created_at = 5};
	assert_int_equal(store_report_put(f->s, &rep, "sealed", &err), GG_OK);
	struct store_report got;
	assert_int_equal(store_report_get(f->s, "ABCDEFGH23", &got, &err), GG_OK);
	assert_int_equal(got.case_id, f->case_id);
	assert_int_equal(store_report_get(f->s, "abcdefgh23", &got, &err), GG_ENOTFOUND);

	struct store_media m = {.sha256 = "aa", .kind = "jpeg", .bytes = 3, .created_at = 1};
	assert_int_equal(store_media_put(f->s, &m, &err), GG_OK);
	assert_int_equal(store_case_media_add(f->s, f->case_id, "aa", &err), GG_OK);
	assert_int_equal(store_case_media_add(f->s, f->case_id, "aa", &err), GG_OK); /* once */
	assert_int_not_equal(store_case_media_add(f->s, f->case_id, "unknown", &err), GG_OK);
	struct arena *a = arena_new();
	int64_t *ids;
	size_t n;
	assert_int_equal(store_media_cases(f->s, "aa", a, &ids, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(ids[0], f->case_id);
	char(*shas)[65];
	assert_int_equal(store_case_media_list(f->s, f->case_id, a, &shas, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(shas[0], "aa");
	assert_int_equal(store_media_cases(f->s, "bb", a, &ids, &n, &err), GG_OK);
	assert_int_equal(n, 0);
	arena_free(a);
}

/* The same bytes uploaded by two people belong to both; a third may not use them. */
static void photos_belong_to_every_uploader(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	int64_t uid[3];
	for (int i = 0; i < 3; i++) {
		struct store_user u = {.who = {.role = ROLE_GRID_WORKER}, .pwhash = "x", .active = 1};
		snprintf(u.who.name, sizeof(u.who.name), "user%d", i);
		assert_int_equal(store_user_insert(f->s, &u, &uid[i], &err), GG_OK);
	}
	struct store_media m = {.sha256 = "cc", .kind = "jpeg", .bytes = 3, .created_at = 1};
	m.uploader = uid[0];
	assert_int_equal(store_media_put(f->s, &m, &err), GG_OK);
	m.uploader = uid[1];
	assert_int_equal(store_media_put(f->s, &m, &err), GG_OK);
	struct store_media got;
	assert_int_equal(store_media_get(f->s, "cc", &got, &err), GG_OK);
	assert_int_equal(got.uploader, uid[0]); /* the first upload keeps the record */
	int owned = -1;
	for (int i = 0; i < 3; i++) {
		assert_int_equal(store_media_owned(f->s, "cc", uid[i], &owned, &err), GG_OK);
		assert_int_equal(owned, i < 2);
	}
	assert_int_equal(store_media_owned(f->s, "dd", uid[0], &owned, &err), GG_OK);
	assert_int_equal(owned, 0);
}

static void hotline_orders_are_unique(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	struct store_hotline h = {.order_no = "GD1", .case_id = f->case_id, .created_at = 9};
	assert_int_equal(store_hotline_put(f->s, &h, "", &err), GG_OK);
	assert_int_not_equal(store_hotline_put(f->s, &h, "", &err), GG_OK);
	struct store_hotline got;
	assert_int_equal(store_hotline_get(f->s, "GD1", &got, &err), GG_OK);
	assert_int_equal(got.case_id, f->case_id);
	assert_int_equal(store_hotline_of_case(f->s, f->case_id, &got, &err), GG_OK);
	assert_string_equal(got.order_no, "GD1");
	assert_int_equal(store_hotline_of_case(f->s, f->case_id + 1, &got, &err), GG_ENOTFOUND);
}

static void outbox_keeps_order_and_backoff(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	for (int i = 0; i < 3; i++) {
		char body[16];
		snprintf(body, sizeof(body), "{\"n\":%d}", i);
		assert_int_equal(store_outbox_add(f->s, f->case_id, body, 10, &err), GG_OK);
	}
	struct arena *a = arena_new();
	struct store_outbox *v;
	size_t n;
	int64_t pending;
	assert_int_equal(store_outbox_due(f->s, 1000, 10, a, &v, &n, &err), GG_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].body, "{\"n\":0}");
	/* the first fails and waits until 5000 ms: nothing behind it goes out before */
	assert_int_equal(store_outbox_failed(f->s, v[0].id, 1, 5000, "down", &err), GG_OK);
	assert_int_equal(store_outbox_due(f->s, 4999, 10, a, &v, &n, &err), GG_OK);
	assert_int_equal(n, 0);
	assert_int_equal(store_outbox_due(f->s, 5000, 2, a, &v, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].attempts, 1);
	assert_int_equal(store_outbox_delivered(f->s, v[0].id, 20, &err), GG_OK);
	assert_int_equal(store_outbox_pending(f->s, &pending, &err), GG_OK);
	assert_int_equal(pending, 2);
	assert_int_equal(store_outbox_due(f->s, 0, 10, a, &v, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].body, "{\"n\":1}");
	arena_free(a);
}

static void api_keys_by_hash(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	int64_t id;
	assert_int_equal(store_apikey_add(f->s, "gw", "h1", "510105", 1, &id, &err), GG_OK);
	assert_true(id > 0);
	assert_int_equal(store_apikey_add(f->s, "gw", "h2", "", 1, &id, &err), GG_ECONFLICT);
	struct store_apikey k;
	assert_int_equal(store_apikey_by_hash(f->s, "h1", &k, &err), GG_OK);
	assert_string_equal(k.name, "gw");
	assert_string_equal(k.scope, "510105");
	assert_int_equal(store_apikey_by_hash(f->s, "h2", &k, &err), GG_ENOTFOUND);
}

/* Idempotency keys (migration 049): one write per (owner, key), read back whole. */
static void idempotency_keys_are_unique_per_owner(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	struct store_idem k = {.owner = "u:7", .key = "gg-key-1", .route = "case",
			       .case_id = f->case_id, .code = "", .created_at = 9};
	memset(k.digest, 'a', 64);
	assert_int_equal(store_idem_put(f->s, &k, &err), GG_OK);
	struct store_idem got;
	assert_int_equal(store_idem_get(f->s, "u:7", "gg-key-1", &got, &err), GG_OK);
	assert_string_equal(got.route, "case");
	assert_string_equal(got.digest, k.digest);
	assert_int_equal(got.case_id, f->case_id);
	assert_int_equal(got.created_at, 9);
	err_clear(&err);
	assert_int_equal(store_idem_get(f->s, "u:8", "gg-key-1", &got, &err), GG_ENOTFOUND);
	err_clear(&err);
	assert_int_equal(store_idem_put(f->s, &k, &err), GG_ECONFLICT);
	err_clear(&err);
	snprintf(k.owner, sizeof(k.owner), "public");
	snprintf(k.code, sizeof(k.code), "ABCDEFGH23");
	assert_int_equal(store_idem_put(f->s, &k, &err), GG_OK);
	assert_int_equal(store_idem_get(f->s, "public", "gg-key-1", &got, &err), GG_OK);
	assert_string_equal(got.code, "ABCDEFGH23");
}

/* The reply to the reporter: one per case, the latest kept. */
static void replies_keep_the_latest(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	struct arena *a = arena_new();
	char *text;
	int64_t at;
	assert_int_equal(store_reply_get(f->s, f->case_id, a, &text, &at, &err), GG_ENOTFOUND);
	err_clear(&err);
	assert_int_equal(store_reply_put(f->s, f->case_id, "已处理", 10, &err), GG_OK);
	assert_int_equal(store_reply_put(f->s, f->case_id, "井盖已补装", 20, &err), GG_OK);
	assert_int_equal(store_reply_get(f->s, f->case_id, a, &text, &at, &err), GG_OK);
	assert_string_equal(text, "井盖已补装");
	assert_int_equal(at, 20);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(reports_and_case_photos, setup, teardown),
		cmocka_unit_test_setup_teardown(photos_belong_to_every_uploader, setup, teardown),
		cmocka_unit_test_setup_teardown(hotline_orders_are_unique, setup, teardown),
		cmocka_unit_test_setup_teardown(outbox_keeps_order_and_backoff, setup, teardown),
		cmocka_unit_test_setup_teardown(api_keys_by_hash, setup, teardown),
		cmocka_unit_test_setup_teardown(idempotency_keys_are_unique_per_owner, setup, teardown),
		cmocka_unit_test_setup_teardown(replies_keep_the_latest, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
