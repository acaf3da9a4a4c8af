/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Wall screens in the store (store_kiosk.h), on both backends: a code is traded for a
 * token once and only before it expires, the token finds its screen until it is revoked,
 * a revoked screen's code no longer works, and the list shows every screen newest first.
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
#include "gridgov/store_kiosk.h"

struct fx {
	char path[FX_PATH_MAX];
	struct store *s;
	int64_t admin;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("kiosk", f->path, &f->s))
		return -1;
	struct store_user u = {
	    .who = {.name = "admin", .role = ROLE_ADMIN}, .pwhash = "x", .active = 1};
	if (store_user_insert(f->s, &u, &f->admin, NULL))
		return -1;
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

static int64_t issue(struct fx *f, const char *name, const char *code_hash, int64_t at)
{
	struct store_kiosk k = {.created_by = f->admin, .created_at = at, .code_expires = at + 100};
	snprintf(k.name, sizeof(k.name), "%s", name);
	snprintf(k.scope, sizeof(k.scope), "510105");
	struct err err = ERR_INIT;
	assert_int_equal(store_kiosk_insert(f->s, &k, code_hash, &err), GG_OK);
	assert_true(k.id > 0);
	return k.id;
}

static void a_code_is_traded_once_before_it_expires(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	int64_t id = issue(f, "大屏1", "c1", 1000);
	struct store_kiosk k;
	/* too late */
	assert_int_equal(store_kiosk_claim(f->s, "c1", "t1", 1100, &k, &err), GG_ENOTFOUND);
	assert_int_equal(store_kiosk_claim(f->s, "c1", "t1", 1050, &k, &err), GG_OK);
	assert_int_equal(k.id, id);
	assert_string_equal(k.name, "大屏1");
	assert_string_equal(k.scope, "510105");
	assert_int_equal(k.claimed_at, 1050);
	/* once only */
	assert_int_equal(store_kiosk_claim(f->s, "c1", "t2", 1051, &k, &err), GG_ENOTFOUND);
	memset(&k, 0, sizeof(k));
	assert_int_equal(store_kiosk_by_token(f->s, "t1", &k, &err), GG_OK);
	assert_int_equal(k.id, id);
	assert_int_equal(store_kiosk_by_token(f->s, "t2", &k, &err), GG_ENOTFOUND);
}

static void a_revoked_screen_is_gone(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	int64_t a = issue(f, "a", "ca", 10), b = issue(f, "b", "cb", 20);
	struct store_kiosk k;
	assert_int_equal(store_kiosk_claim(f->s, "ca", "ta", 11, &k, &err), GG_OK);
	assert_int_equal(store_kiosk_revoke(f->s, a, 30, &err), GG_OK);
	assert_int_equal(store_kiosk_by_token(f->s, "ta", &k, &err), GG_ENOTFOUND);
	assert_int_equal(store_kiosk_revoke(f->s, a, 31, &err), GG_ENOTFOUND);
	assert_int_equal(store_kiosk_revoke(f->s, b, 32, &err), GG_OK);
	assert_int_equal(store_kiosk_claim(f->s, "cb", "tb", 33, &k, &err), GG_ENOTFOUND);
	struct arena *ar = arena_new();
	struct store_kiosk *v;
	size_t n;
	assert_int_equal(store_kiosk_list(f->s, ar, &v, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].id, b);
	assert_int_equal(v[1].id, a);
	assert_int_equal(v[1].claimed_at, 11);
	assert_int_equal(v[1].revoked_at, 30);
	assert_int_equal(v[0].claimed_at, 0);
	arena_free(ar);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(a_code_is_traded_once_before_it_expires, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(a_revoked_screen_is_gone, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
