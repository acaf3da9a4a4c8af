/* SPDX-License-Identifier: Apache-2.0 */
/* Vocabularies of people data: tags, house uses, relations, yes/no fields. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gridgov/people.h"

static void tags_are_normalised_and_checked(void **state)
{
	char out[128];
	struct err err = ERR_INIT;
	assert_int_equal(people_tags_normalise("独居老人;低保", out, sizeof(out), &err), GG_OK);
	assert_string_equal(out, "独居老人,低保");
	assert_int_equal(people_tags_normalise(" 党员、租户|党员 ", out, sizeof(out), &err), GG_OK);
	assert_string_equal(out, "党员,租户");
	assert_int_equal(people_tags_normalise("", out, sizeof(out), &err), GG_OK);
	assert_string_equal(out, "");
	assert_int_equal(people_tags_normalise("低保,富豪", out, sizeof(out), &err), GG_EFIELD);
	assert_string_equal(err.field, "tags");
	assert_non_null(strstr(err.msg, "富豪"));
	/* 残疾人 is a tag, 残疾 alone is not: no prefix matching */
	assert_int_equal(people_tags_normalise("残疾", out, sizeof(out), NULL), GG_EFIELD);
}

static void uses_relations_and_booleans(void **state)
{
	assert_true(people_use_valid("出租"));
	assert_false(people_use_valid("rent"));
	assert_true(people_relation_valid("户主"));
	assert_false(people_relation_valid("邻居"));
	assert_int_equal(people_parse_bool("是", 0), 1);
	assert_int_equal(people_parse_bool("否", 1), 0);
	assert_int_equal(people_parse_bool("", 1), 1);
	assert_int_equal(people_parse_bool("maybe", 1), -1);
	assert_true(people_correction_kind_valid("new_tenant"));
	assert_false(people_correction_kind_valid("promoted"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(tags_are_normalised_and_checked),
	    cmocka_unit_test(uses_relations_and_booleans),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
