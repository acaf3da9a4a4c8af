/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Request bodies without a connection (src/api/body.c): the JSON body's parse and the
 * field its text check names, and the collection of form fields as libmicrohttpd hands
 * them over.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/body.h"

static int parse(const char *body, struct err *e)
{
	json_t *j = NULL;
	int rc = api__json_parse(body, strlen(body), &j, e);
	if (rc == GG_OK) {
		struct buf field = BUF_INIT;
		enum utf8_fault f = api__json_fault(j, &field);
		if (f)
			rc = api__text_fault(e, field.p, f);
		buf_release(&field);
	}
	json_decref(j);
	return rc;
}

static void bad_text_is_named_by_its_path(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	assert_int_equal(parse("{\"items\":[{\"name\":\"ok\"},{\"name\":\"\\u0007\"}]}", &e),
			 GG_EFIELD);
	assert_string_equal(e.field, "items[1].name");
	err_clear(&e);
	assert_int_equal(parse("{\"note\":\"\xff\xfe\"}", &e), GG_EFIELD);
	assert_string_equal(e.field, "note");
	assert_non_null(strstr(e.msg, "not valid UTF-8"));
	err_clear(&e);
	assert_int_equal(parse("[1]", &e), GG_EJSON);
	err_clear(&e);
	assert_int_equal(parse("{\"a\":1,\"a\":2}", &e), GG_EJSON);
	err_clear(&e);
	assert_int_equal(parse("{\"a\":\"b\"}", &e), GG_OK);
}

/* Found by fuzz_json: a key of bad bytes only was named '' (its bytes were dropped). */
static void a_key_of_bad_bytes_is_still_named(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	assert_int_equal(parse("{\"\x9c\x9c\":\"x\"}", &e), GG_EFIELD);
	assert_string_equal(e.field, "\xef\xbf\xbd\xef\xbf\xbd");
	err_clear(&e);
	assert_int_equal(parse("{\"a\\u0007\":\"x\"}", &e), GG_EFIELD);
	assert_string_equal(e.field, "a\xef\xbf\xbd");
}

/* A long name is cut between characters, so the field stays valid UTF-8. */
static void a_long_name_is_cut_between_characters(void **state)
{
	(void)state;
	char body[512] = "{\"a";
	for (int i = 0; i < 40; i++)
		strcat(body, "\xe4\xba\x95"); /* 井: 3 bytes */
	strcat(body, "\":\"\\u0007\"}");
	struct err e = ERR_INIT;
	assert_int_equal(parse(body, &e), GG_EFIELD);
	assert_int_equal(strlen(e.field), 61); /* "a" and 20 characters of 3 bytes */
	assert_int_equal(utf8_check_str(e.field), UTF8_OK);
}

static void form_pieces_make_parts(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct api_part *head = NULL, *last = NULL;
	int n = 0;
	size_t bytes = 0;
	/* a value in two pieces, and a short value announced twice at offset 0 */
	assert_int_equal(
	    api__part_add(a, &head, &last, &n, &bytes, "description", NULL, NULL, "井盖", 0, 6),
	    GG_OK);
	assert_int_equal(
	    api__part_add(a, &head, &last, &n, &bytes, "description", NULL, NULL, "缺失", 6, 6),
	    GG_OK);
	assert_int_equal(api__part_add(a, &head, &last, &n, &bytes, "lat", NULL, NULL, "", 0, 0),
			 GG_OK);
	assert_int_equal(
	    api__part_add(a, &head, &last, &n, &bytes, "lat", NULL, NULL, "30.6", 0, 4), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(head->data.p, "井盖缺失");
	assert_string_equal(head->next->data.p, "30.6");
	const char *name = NULL;
	assert_int_equal(api__parts_fault(head, &name), UTF8_OK);
	/* past API_MAX_PARTS fields: refused */
	for (int i = n; i < API_MAX_PARTS; i++)
		assert_int_equal(
		    api__part_add(a, &head, &last, &n, &bytes, "f", NULL, NULL, "x", 0, 1), GG_OK);
	assert_int_equal(api__part_add(a, &head, &last, &n, &bytes, "g", NULL, NULL, "x", 0, 1),
			 GG_EINVAL);
	assert_int_equal(api__part_add(a, &head, &last, &n, &bytes, "f", NULL, NULL, "\x01", 1, 1),
			 GG_OK);
	assert_int_equal(api__parts_fault(head, &name), UTF8_CONTROL);
	assert_string_equal(name, "f");
	api__parts_release(head);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(bad_text_is_named_by_its_path),
	    cmocka_unit_test(a_key_of_bad_bytes_is_still_named),
	    cmocka_unit_test(a_long_name_is_cut_between_characters),
	    cmocka_unit_test(form_pieces_make_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
