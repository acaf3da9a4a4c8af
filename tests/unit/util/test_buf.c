/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/buf.h"

static void empty_buffer_is_an_empty_string(void **state)
{
	struct buf b = BUF_INIT;
	assert_non_null(b.p);
	assert_string_equal(b.p, "");
	assert_int_equal(b.len, 0);
	buf_release(&b);
}

static void adds_and_formats_grow_the_buffer(void **state)
{
	struct buf b = BUF_INIT;
	for (int i = 0; i < 1000; i++)
		buf_addf(&b, "%d,", i);
	assert_int_equal(strncmp(b.p, "0,1,2,", 6), 0);
	assert_int_equal(b.len, strlen(b.p));
	assert_string_equal(b.p + b.len - 4, "999,");
	buf_release(&b);
}

static void cap_refuses_and_remembers_overflow(void **state)
{
	struct buf b = BUF_INIT_MAX(8);
	buf_adds(&b, "12345");
	assert_false(buf_overflowed(&b));
	buf_adds(&b, "6789");
	assert_true(buf_overflowed(&b));
	assert_string_equal(b.p, "12345");
	buf_release(&b);
}

static void json_escaping_covers_quotes_and_controls(void **state)
{
	struct buf b = BUF_INIT;
	buf_add_json_escaped(&b, "a\"b\\c\n\x01网格");
	assert_string_equal(b.p, "a\\\"b\\\\c\\n\\u0001网格");
	buf_release(&b);
}

static void detach_hands_over_ownership(void **state)
{
	struct buf b = BUF_INIT;
	buf_adds(&b, "hello");
	size_t len;
	char *p = buf_detach(&b, &len);
	assert_string_equal(p, "hello");
	assert_int_equal(len, 5);
	assert_int_equal(b.len, 0);
	assert_string_equal(b.p, "");
	free(p);
	p = buf_detach(&b, NULL);
	assert_string_equal(p, "");
	free(p);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(empty_buffer_is_an_empty_string),
		cmocka_unit_test(adds_and_formats_grow_the_buffer),
		cmocka_unit_test(cap_refuses_and_remembers_overflow),
		cmocka_unit_test(json_escaping_covers_quotes_and_controls),
		cmocka_unit_test(detach_hands_over_ownership),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
