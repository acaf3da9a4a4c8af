/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "gridgov/csv.h"

static FILE *text(const char *s)
{
	return fmemopen((void *)s, strlen(s), "r");
}

static void reads_header_and_rows_skipping_bom(void **state)
{
	FILE *f = text("\xEF\xBB\xBF" "code,name\r\n510105,青羊区\r\n");
	struct csv c;
	csv_init(&c, f);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(csv_find(&c, "code"), 0);
	assert_int_equal(csv_find(&c, "name"), 1);
	assert_int_equal(csv_find(&c, "nope"), -1);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 2);
	assert_string_equal(csv_get(&c, 0), "510105");
	assert_string_equal(csv_get(&c, 1), "青羊区");
	assert_string_equal(csv_get(&c, 7), "");
	assert_int_equal(csv_next(&c), 0);
	csv_release(&c);
	fclose(f);
}

static void quoted_fields_hold_commas_quotes_and_newlines(void **state)
{
	FILE *f = text("a,\"b,\"\"c\"\"\nd\",e\nnext,1\n");
	struct csv c;
	csv_init(&c, f);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(csv_get(&c, 1), "b,\"c\"\nd");
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.line, 3); /* the record spanning two lines counted both */
	assert_string_equal(csv_get(&c, 0), "next");
	csv_release(&c);
	fclose(f);
}

static void unterminated_quote_is_malformed(void **state)
{
	FILE *f = text("a,\"never closed\n");
	struct csv c;
	csv_init(&c, f);
	assert_int_equal(csv_next(&c), -1);
	csv_release(&c);
	fclose(f);
}

static void empty_fields_and_last_line_without_newline(void **state)
{
	FILE *f = text("x,,z");
	struct csv c;
	csv_init(&c, f);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.nfields, 3);
	assert_string_equal(csv_get(&c, 1), "");
	assert_string_equal(csv_get(&c, 2), "z");
	assert_int_equal(csv_next(&c), 0);
	csv_release(&c);
	fclose(f);
}

static void a_field_that_is_not_text_makes_its_record_malformed_alone(void **state)
{
	FILE *f = text("name,note\nok,fine\nbad,\xff\xfe\nbell,\"ring\x07\"\nafter,ok\n");
	struct csv c;
	csv_init(&c, f);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(csv_next(&c), 1);
	assert_int_equal(c.bad_col, -1);
	assert_int_equal(csv_next(&c), -1);
	assert_int_equal(c.line, 3);
	assert_int_equal(c.bad_col, 1);
	assert_int_equal(c.bad_fault, UTF8_INVALID);
	assert_int_equal(csv_next(&c), -1);
	assert_int_equal(c.line, 4);
	assert_int_equal(c.bad_fault, UTF8_CONTROL);
	assert_int_equal(csv_next(&c), 1);
	assert_string_equal(csv_get(&c, 0), "after");
	csv_release(&c);
	fclose(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reads_header_and_rows_skipping_bom),
	    cmocka_unit_test(a_field_that_is_not_text_makes_its_record_malformed_alone),
	    cmocka_unit_test(quoted_fields_hold_commas_quotes_and_newlines),
	    cmocka_unit_test(unterminated_quote_is_malformed),
	    cmocka_unit_test(empty_fields_and_last_line_without_newline),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
