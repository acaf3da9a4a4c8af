/* SPDX-License-Identifier: Apache-2.0 */
/* utf8_check refuses what JSON, XML and the database cannot carry; utf8_scrub repairs it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gridgov/utf8.h"

static enum utf8_fault check(const char *s, size_t *at)
{
	return utf8_check(s, strlen(s), at);
}

static void accepts_text_in_any_script(void **state)
{
	(void)state;
	assert_int_equal(check("青羊区 Road 12\tno.\r\n😀", NULL), UTF8_OK);
	assert_int_equal(check("", NULL), UTF8_OK);
	assert_int_equal(check("\xF4\x8F\xBF\xBF", NULL), UTF8_OK); /* U+10FFFF */
}

static void refuses_bytes_that_are_not_utf8(void **state)
{
	(void)state;
	size_t at = 99;
	assert_int_equal(check("ok\xff\xfe", &at), UTF8_INVALID);
	assert_int_equal(at, 2);
	assert_int_equal(check("\xC0\xAF", NULL), UTF8_INVALID);	 /* overlong '/' */
	assert_int_equal(check("\xE0\x80\xAF", NULL), UTF8_INVALID);	 /* overlong */
	assert_int_equal(check("\xED\xA0\x80", NULL), UTF8_INVALID);	 /* surrogate */
	assert_int_equal(check("\xF4\x90\x80\x80", NULL), UTF8_INVALID); /* > U+10FFFF */
	assert_int_equal(check("\xE9\x9D", NULL), UTF8_INVALID);	 /* truncated */
	assert_int_equal(check("\x80", NULL), UTF8_INVALID);
}

static void refuses_control_characters_but_tab_and_newlines(void **state)
{
	(void)state;
	size_t at = 99;
	assert_int_equal(check("bell\x07", &at), UTF8_CONTROL);
	assert_int_equal(at, 4);
	assert_int_equal(check("\x1b[31m", NULL), UTF8_CONTROL);
	assert_int_equal(check("del\x7f", NULL), UTF8_CONTROL);
	assert_int_equal(check("\xC2\x85", NULL), UTF8_CONTROL); /* NEL, a C1 control */
	assert_int_equal(utf8_check("a\0b", 3, &at), UTF8_CONTROL);
	assert_int_equal(at, 1);
}

static void scrub_replaces_bad_bytes_and_drops_controls(void **state)
{
	(void)state;
	struct buf b = BUF_INIT;
	const char *in = "a\xff\x07青\x1b"
			 "b";
	utf8_scrub(&b, in, strlen(in));
	assert_string_equal(b.p, "a\xEF\xBF\xBD青b");
	assert_int_equal(utf8_check(b.p, b.len, NULL), UTF8_OK);
	buf_release(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(accepts_text_in_any_script),
	    cmocka_unit_test(refuses_bytes_that_are_not_utf8),
	    cmocka_unit_test(refuses_control_characters_but_tab_and_newlines),
	    cmocka_unit_test(scrub_replaces_bad_bytes_and_drops_controls),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
