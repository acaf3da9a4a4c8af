/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The administration area of the store, on both backends: users read by id and updated
 * (role, scope, department, lock, must-change), sessions dropped per user, departments
 * added and renamed, the audit log newest first with its total, API keys listed and
 * revoked, devices listed with a tracker's user and no place.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "gridgov/arena.h"
#include "gridgov/store_admin.h"

struct fx {
	char path[FX_PATH_MAX];
	struct store *s;
	struct arena *a;
	struct err err;
	int64_t uid;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("admin", f->path, &f->s))
		return -1;
	struct grid_node g = {.code = "510105", .name = "青羊区", .level = GRID_DISTRICT};
	struct store_category c = fx_category;
	struct store_user u = {.active = 1, .must_change = 1};
	snprintf(u.who.name, sizeof(u.who.name), "w1");
	u.who.role = ROLE_GRID_WORKER;
	snprintf(u.who.scope, sizeof(u.who.scope), "510105");
	snprintf(u.pwhash, sizeof(u.pwhash), "x");
	if (store_grid_put(f->s, &g, NULL) || store_category_put(f->s, &c, NULL) ||
	    store_user_insert(f->s, &u, &f->uid, NULL))
		return -1;
	f->a = arena_new();
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	arena_free(f->a);
	fx_db_remove(f->path, f->s);
	free(f);
	return 0;
}

static void users_by_id_and_their_sessions(void **state)
{
	struct fx *f = *state;
	struct store_user u;
	assert_int_equal(store_user_get(f->s, f->uid, &u, &f->err), GG_OK);
	assert_string_equal(u.who.name, "w1");
	assert_int_equal(u.must_change, 1);
	assert_int_equal(store_user_get(f->s, 999, &u, &f->err), GG_ENOTFOUND);

	assert_int_equal(store_user_get(f->s, f->uid, &u, &f->err), GG_OK);
	u.who.role = ROLE_DEPARTMENT;
	snprintf(u.who.dept, sizeof(u.who.dept), "HW");
	u.must_change = 0;
	u.active = 0;
	assert_int_equal(store_user_update(f->s, &u, &f->err), GG_OK);
	struct store_user v;
	assert_int_equal(store_user_get(f->s, f->uid, &v, &f->err), GG_OK);
	assert_int_equal(v.who.role, ROLE_DEPARTMENT);
	assert_string_equal(v.who.dept, "HW");
	assert_int_equal(v.active, 0);
	assert_int_equal(v.must_change, 0);
	snprintf(u.who.dept, sizeof(u.who.dept), "NOPE");
	assert_int_equal(store_user_update(f->s, &u, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "dept");
	u.id = 999;
	snprintf(u.who.dept, sizeof(u.who.dept), "HW");
	assert_int_equal(store_user_update(f->s, &u, &f->err), GG_ENOTFOUND);

	assert_int_equal(store_session_insert(f->s, "h1", f->uid, 1, 100, &f->err), GG_OK);
	assert_int_equal(store_session_insert(f->s, "h2", f->uid, 1, 100, &f->err), GG_OK);
	assert_int_equal(store_session_drop_user(f->s, f->uid, &f->err), GG_OK);
	assert_int_equal(store_session_user(f->s, "h1", 2, &v, &f->err), GG_ENOTFOUND);
	assert_int_equal(store_session_user(f->s, "h2", 2, &v, &f->err), GG_ENOTFOUND);
}

static void departments_and_the_audit_log(void **state)
{
	struct fx *f = *state;
	struct store_dept d = {.code = "WGB", .name = "网格中心", .name_en = "Grid Center"};
	assert_int_equal(store_dept_put(f->s, &d, &f->err), GG_OK);
	snprintf(d.name, sizeof(d.name), "网格化服务管理中心");
	assert_int_equal(store_dept_put(f->s, &d, &f->err), GG_OK);
	struct store_dept got;
	assert_int_equal(store_dept_get(f->s, "WGB", &got, &f->err), GG_OK);
	assert_string_equal(got.name, "网格化服务管理中心");

	for (int i = 0; i < 5; i++) {
		struct store_audit e = {.at = 1000 + i};
		snprintf(e.actor, sizeof(e.actor), "admin");
		snprintf(e.action, sizeof(e.action), "user.lock");
		snprintf(e.target, sizeof(e.target), "u%d", i);
		snprintf(e.scope, sizeof(e.scope), "%s", i % 2 ? "510105002" : "510105018001");
		assert_int_equal(store_audit_add(f->s, &e, &f->err), GG_OK);
	}
	struct store_audit *e;
	size_t n;
	int64_t total;
	assert_int_equal(store_audit_list(f->s, "", 1, 2, f->a, &e, &n, &total, &f->err), GG_OK);
	assert_int_equal(total, 5);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].target, "u3");
	assert_string_equal(e[1].target, "u2");
	assert_int_equal(e[0].at, 1003);
	assert_string_equal(e[0].scope, "510105002");
	/* under a street: its entries only */
	assert_int_equal(store_audit_list(f->s, "510105002", 0, 10, f->a, &e, &n, &total, &f->err),
			 GG_OK);
	assert_int_equal(total, 2);
	assert_int_equal(n, 2);
	assert_string_equal(e[0].target, "u3");
	assert_string_equal(e[1].target, "u1");
	assert_int_equal(store_audit_list(f->s, "510105018", 0, 10, f->a, &e, &n, &total, &f->err),
			 GG_OK);
	assert_int_equal(total, 3);
}

static void keys_and_devices(void **state)
{
	struct fx *f = *state;
	int64_t id;
	assert_int_equal(store_apikey_add(f->s, "gw", "hash1", "510105", 5, &id, &f->err), GG_OK);
	struct store_apikey_row *k;
	size_t n;
	assert_int_equal(store_apikey_list(f->s, f->a, &k, &n, &f->err), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(k[0].name, "gw");
	assert_int_equal(k[0].revoked, 0);
	assert_int_equal(store_apikey_revoke(f->s, id, &f->err), GG_OK);
	struct store_apikey key;
	assert_int_equal(store_apikey_by_hash(f->s, "hash1", &key, &f->err), GG_ENOTFOUND);
	assert_int_equal(store_apikey_revoke(f->s, 999, &f->err), GG_ENOTFOUND);

	struct store_device cam = {.id = "cam-1",
				   .type = "camera",
				   .category = "E0102",
				   .key_hash = "k1",
				   .lon = 104.05,
				   .lat = 30.66,
				   .created_at = 7};
	struct store_device gps = {
	    .id = "gps-1", .type = "tracker", .key_hash = "k2", .created_at = 8};
	assert_int_equal(store_device_add(f->s, &cam, &f->err), GG_OK);
	assert_int_equal(store_device_add(f->s, &gps, &f->err), GG_OK);
	assert_int_equal(store_device_set_user(f->s, "gps-1", "w1", &f->err), GG_OK);
	assert_int_equal(store_device_set_user(f->s, "nope", "w1", &f->err), GG_ENOTFOUND);
	struct store_device_row *d;
	assert_int_equal(store_device_list(f->s, f->a, &d, &n, &f->err), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(d[0].d.id, "cam-1");
	assert_true(d[0].has_point);
	assert_true(d[0].d.lon > 104.04 && d[0].d.lon < 104.06);
	assert_string_equal(d[0].user, "");
	assert_string_equal(d[1].d.id, "gps-1");
	assert_false(d[1].has_point);
	assert_string_equal(d[1].d.category, "");
	assert_string_equal(d[1].user, "w1");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(users_by_id_and_their_sessions, setup, teardown),
	    cmocka_unit_test_setup_teardown(departments_and_the_audit_log, setup, teardown),
	    cmocka_unit_test_setup_teardown(keys_and_devices, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
