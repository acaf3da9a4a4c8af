/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gridgov/grid.h"

static void levels_follow_code_length(void **state)
{
	assert_int_equal(grid_level_of_code("510105"), GRID_DISTRICT);
	assert_int_equal(grid_level_of_code("510105001"), GRID_STREET);
	assert_int_equal(grid_level_of_code("510105001001"), GRID_COMMUNITY);
	assert_int_equal(grid_level_of_code("510105001001001"), GRID_GRID);
	assert_int_equal(grid_level_of_code("510105001001001001"), GRID_MICRO);
	assert_int_equal(grid_level_of_code("51010500100100100101"), GRID_LEVEL_NONE);
	assert_int_equal(grid_level_of_code("5101"), GRID_LEVEL_NONE);
	assert_int_equal(grid_level_of_code("51010x"), GRID_LEVEL_NONE);
	assert_int_equal(grid_level_of_code(""), GRID_LEVEL_NONE);
}

static void level_names_round_trip(void **state)
{
	for (int l = GRID_DISTRICT; l <= GRID_LEVEL_MAX; l++)
		assert_int_equal(grid_level_parse(grid_level_name((enum grid_level)l)), l);
	assert_int_equal(grid_level_parse("province"), GRID_LEVEL_NONE);
	assert_string_equal(grid_level_name_zh(GRID_MICRO), "微网格");
}

static void parent_is_the_code_prefix(void **state)
{
	char p[GRID_CODE_MAX];
	assert_int_equal(grid_code_parent("510105001001", p), 0);
	assert_string_equal(p, "510105001");
	assert_int_equal(grid_code_parent("510105", p), 0);
	assert_string_equal(p, "");
	assert_int_equal(grid_code_parent("bad", p), -1);
}

static void within_and_ancestor_are_prefix_tests(void **state)
{
	assert_true(grid_code_within("510105001001", "510105001"));
	assert_true(grid_code_within("510105001", "510105001"));
	assert_true(grid_code_within("510105001", ""));
	assert_false(grid_code_within("510105002001", "510105001"));
	assert_false(grid_code_within("510105", "510105001"));
	assert_true(grid_code_is_ancestor("510105", "510105001"));
	assert_false(grid_code_is_ancestor("510105001", "510105001"));
	assert_false(grid_code_is_ancestor("", "510105"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(levels_follow_code_length),
		cmocka_unit_test(level_names_round_trip),
		cmocka_unit_test(parent_is_the_code_prefix),
		cmocka_unit_test(within_and_ancestor_are_prefix_tests),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
