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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(password_hash_verifies_only_the_password),
		cmocka_unit_test(tokens_are_random_and_hashed),
	};
	return cmocka_run_group_tests(tests, setup, NULL);
}
