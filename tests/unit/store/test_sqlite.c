/* SPDX-License-Identifier: Apache-2.0 */
/* The SQLite backend through the store interface, on a temporary database. */
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
#include "gridgov/store.h"

struct fx {
	char path[64];
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("store", f->path, &f->s))
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

static void migrating_twice_changes_nothing(void **state)
{
	struct fx *f = *state;
	int from, to;
	assert_int_equal(store_migrate(f->s, &from, &to, NULL), GG_OK);
	assert_int_equal(from, to);
	assert_true(to >= 1);
}

static struct grid_node node(const char *code, const char *name)
{
	struct grid_node g = {0};
	snprintf(g.code, sizeof(g.code), "%s", code);
	snprintf(g.name, sizeof(g.name), "%s", name);
	g.level = grid_level_of_code(code);
	grid_code_parent(code, g.parent);
	return g;
}

static void grid_tree_round_trips(void **state)
{
	struct fx *f = *state;
	struct grid_node d = node("510105", "青羊区"), s1 = node("510105001", "少城街道"),
			 s2 = node("510105002", "新华西路街道"),
			 c1 = node("510105001001", "宽巷子社区");
	assert_int_equal(store_grid_put(f->s, &d, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &s2, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &s1, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &c1, NULL), GG_OK);
	struct grid_node g;
	assert_int_equal(store_grid_get(f->s, "510105001", &g, NULL), GG_OK);
	assert_string_equal(g.name, "少城街道");
	assert_string_equal(g.parent, "510105");
	assert_int_equal(g.level, GRID_STREET);
	struct err e = ERR_INIT;
	assert_int_equal(store_grid_get(f->s, "510105009", &g, &e), GG_ENOTFOUND);

	struct arena *a = arena_new();
	struct grid_node *kids;
	size_t n;
	assert_int_equal(store_grid_children(f->s, "510105", a, &kids, &n, NULL), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(kids[0].code, "510105001"); /* ordered by code */
	assert_int_equal(store_grid_children(f->s, "", a, &kids, &n, NULL), GG_OK);
	assert_int_equal(n, 1);
	assert_string_equal(kids[0].code, "510105");
	int64_t count;
	assert_int_equal(store_grid_count(f->s, "510105", GRID_STREET, &count, NULL), GG_OK);
	assert_int_equal(count, 2);
	assert_int_equal(store_grid_count(f->s, "510105002", GRID_COMMUNITY, &count, NULL), GG_OK);
	assert_int_equal(count, 0);
	arena_free(a);

	struct grid_node orphan = node("510106001", "孤儿街道");
	assert_int_equal(store_grid_put(f->s, &orphan, &e), GG_EFIELD);
}

static void users_are_unique_and_sessions_expire(void **state)
{
	struct fx *f = *state;
	struct store_user u = {.active = 1};
	strcpy(u.who.name, "op1");
	u.who.role = ROLE_OPERATOR;
	strcpy(u.pwhash, "$argon2id$fake");
	int64_t id;
	assert_int_equal(store_user_insert(f->s, &u, &id, NULL), GG_OK);
	struct err e = ERR_INIT;
	assert_int_equal(store_user_insert(f->s, &u, NULL, &e), GG_ECONFLICT);
	strcpy(u.who.name, "dept1");
	strcpy(u.who.dept, "NOPE");
	assert_int_equal(store_user_insert(f->s, &u, NULL, &e), GG_EFIELD);

	assert_int_equal(store_session_insert(f->s, "abc", id, 1000, 2000, NULL), GG_OK);
	struct store_user got;
	assert_int_equal(store_session_user(f->s, "abc", 1500, &got, NULL), GG_OK);
	assert_string_equal(got.who.name, "op1");
	assert_int_equal(got.who.role, ROLE_OPERATOR);
	assert_int_equal(store_session_user(f->s, "abc", 2000, &got, &e), GG_ENOTFOUND);
	assert_int_equal(store_session_delete(f->s, "abc", NULL), GG_OK);
	assert_int_equal(store_session_user(f->s, "abc", 1500, &got, &e), GG_ENOTFOUND);

	assert_int_equal(store_user_set_login_state(f->s, id, 3, 4242, NULL), GG_OK);
	assert_int_equal(store_user_by_name(f->s, "op1", &got, NULL), GG_OK);
	assert_int_equal(got.failed_logins, 3);
	assert_int_equal(got.locked_until, 4242);
}

static void savepoint_rollback_keeps_the_rest_of_the_transaction(void **state)
{
	struct fx *f = *state;
	struct grid_node d = node("320105", "建邺区"), s = node("320105001", "莫愁湖街道");
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &d, NULL), GG_OK);
	assert_int_equal(store_savepoint_release(f->s, NULL), GG_OK);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &s, NULL), GG_OK);
	store_savepoint_rollback(f->s);
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
	struct grid_node g;
	struct err e = ERR_INIT;
	assert_int_equal(store_grid_get(f->s, "320105", &g, NULL), GG_OK);
	assert_int_equal(store_grid_get(f->s, "320105001", &g, &e), GG_ENOTFOUND);
}

static void departments_are_seeded(void **state)
{
	struct fx *f = *state;
	struct arena *a = arena_new();
	struct store_dept *d;
	size_t n;
	assert_int_equal(store_dept_list(f->s, a, &d, &n, NULL), GG_OK);
	assert_true(n >= 20);
	struct store_dept one;
	assert_int_equal(store_dept_get(f->s, "CGZF", &one, NULL), GG_OK);
	assert_string_equal(one.name, "城市管理和综合执法局");
	arena_free(a);
}

static void unknown_dsn_scheme_is_refused(void **state)
{
	struct store *s;
	struct err e = ERR_INIT;
	assert_int_equal(store_open("mysql://x", &s, &e), GG_EINVAL);
	assert_null(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(migrating_twice_changes_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(grid_tree_round_trips, setup, teardown),
		cmocka_unit_test_setup_teardown(users_are_unique_and_sessions_expire, setup,
						teardown),
		cmocka_unit_test_setup_teardown(savepoint_rollback_keeps_the_rest_of_the_transaction,
						setup, teardown),
		cmocka_unit_test_setup_teardown(departments_are_seeded, setup, teardown),
		cmocka_unit_test(unknown_dsn_scheme_is_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
