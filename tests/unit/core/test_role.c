/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gridgov/role.h"

static void role_names_round_trip(void **state)
{
	for (int r = 0; r < ROLE_COUNT; r++)
		assert_int_equal(role_parse(role_name((enum role)r)), r);
	assert_int_equal(role_parse("root"), -1);
	assert_string_equal(role_name(ROLE_OPERATOR), "operator");
}

static void only_admin_manages_users_and_the_map(void **state)
{
	for (int r = 0; r < ROLE_COUNT; r++) {
		assert_true(role_allows((enum role)r, PERM_GRID_READ));
		assert_int_equal(role_allows((enum role)r, PERM_USER_ADMIN), r == ROLE_ADMIN);
		assert_int_equal(role_allows((enum role)r, PERM_GRID_WRITE), r == ROLE_ADMIN);
	}
	assert_false(role_allows(ROLE_COUNT, PERM_LOGIN));
	assert_false(role_allows(ROLE_ADMIN, PERM_COUNT));
}

static void scope_covers_the_subtree_and_sees_the_path(void **state)
{
	struct principal p = {.role = ROLE_COMMUNITY};
	strcpy(p.scope, "510105001001");
	assert_true(principal_covers(&p, "510105001001"));
	assert_true(principal_covers(&p, "510105001001003"));
	assert_false(principal_covers(&p, "510105001002"));
	assert_false(principal_covers(&p, "510105001"));
	assert_true(principal_sees(&p, "510105001"));
	assert_true(principal_sees(&p, "510105"));
	assert_false(principal_sees(&p, "510105002"));
	struct principal admin = {.role = ROLE_ADMIN};
	assert_true(principal_covers(&admin, "320105"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(role_names_round_trip),
		cmocka_unit_test(only_admin_manages_users_and_the_map),
		cmocka_unit_test(scope_covers_the_subtree_and_sees_the_path),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
