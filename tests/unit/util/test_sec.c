/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gridgov/sec.h"

static int setup(void **state)
{
	sec_set_fast(1);
	return sec_init();
}

static void password_hash_verifies_only_the_password(void **state)
{
	char h[SEC_PWHASH_LEN];
	assert_int_equal(sec_password_hash("correct horse", h, NULL), GG_OK);
	assert_true(strncmp(h, "$argon2id$", 10) == 0);
	assert_true(sec_password_verify(h, "correct horse"));
	assert_false(sec_password_verify(h, "correct hors"));
	assert_false(sec_password_verify(h, ""));
	char h2[SEC_PWHASH_LEN];
	assert_int_equal(sec_password_hash("correct horse", h2, NULL), GG_OK);
	assert_string_not_equal(h, h2); /* salted */
}

static void tokens_are_random_and_hashed(void **state)
{
	char a[SEC_TOKEN_LEN], b[SEC_TOKEN_LEN], ha[SEC_TOKEN_HASH_LEN], hb[SEC_TOKEN_HASH_LEN];
	sec_token_new(a);
	sec_token_new(b);
	assert_int_equal(strlen(a), 43);
	assert_string_not_equal(a, b);
	sec_token_hash(a, ha);
	sec_token_hash(b, hb);
	assert_int_equal(strlen(ha), 64);
	assert_string_not_equal(ha, hb);
	assert_null(strstr(ha, a));
	char again[SEC_TOKEN_HASH_LEN];
	sec_token_hash(a, again);
	assert_string_equal(ha, again);
}

static void imported_keys_meet_the_floor(void **state)
{
	(void)state;
	struct err e = ERR_INIT;
	/* the spec's placeholder, short keys, repeated characters, spaces and non-ASCII */
	assert_int_equal(sec_key_check("xyz", &e), GG_EINVAL);
	assert_non_null(strstr(e.msg, "3 characters"));
	err_clear(&e);
	assert_int_equal(sec_key_check("0123456789abcdef0123456", &e), GG_EINVAL); /* 23 */
	err_clear(&e);
	assert_int_equal(sec_key_check("abababababababababababababababab", &e), GG_EINVAL);
	assert_non_null(strstr(e.msg, "only 2 different"));
	err_clear(&e);
	assert_int_equal(sec_key_check("0123456789abcdef 123456789abc", &e), GG_EINVAL);
	err_clear(&e);
	const char *accented = "0123456789abcdef\xc3\xa9"
			       "123456789abc";
	assert_int_equal(sec_key_check(accented, &e), GG_EINVAL);
	err_clear(&e);
	char longkey[SEC_KEY_MAX + 2];
	for (size_t i = 0; i < sizeof(longkey) - 1; i++)
		longkey[i] = "0123456789abcdef"[i % 16];
	longkey[sizeof(longkey) - 1] = 0;
	assert_int_equal(sec_key_check(longkey, &e), GG_EINVAL);
	err_clear(&e);
	/* 24 hex digits (96 bits), a UUID, and our own tokens pass */
	assert_int_equal(sec_key_check("9f3c2a7e41b0d86c5e2f19a4", &e), GG_OK);
	assert_int_equal(sec_key_check("3f2504e0-4f89-41d3-9a0c-0305e82c3301", &e), GG_OK);
	char tok[SEC_TOKEN_LEN];
	sec_token_new(tok);
	assert_int_equal(sec_key_check(tok, &e), GG_OK);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_hash_verifies_only_the_password),
		cmocka_unit_test(tokens_are_random_and_hashed),
		cmocka_unit_test(imported_keys_meet_the_floor),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
