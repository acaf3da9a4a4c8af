/* SPDX-License-Identifier: Apache-2.0 */
/* The PII key file (mode 0600), sealing and opening, and keyed lookup hashes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gridgov/pii.h"
#include "gridgov/sec.h"

static char dir[64];

static int setup(void **state)
{
	snprintf(dir, sizeof(dir), "/tmp/gg-pii-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	return sec_init();
}

static int teardown(void **state)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/db.key", dir);
	unlink(p);
	rmdir(dir);
	return 0;
}

static void key_path_sits_beside_the_database(void **state)
{
	char p[PII_KEY_PATH_MAX];
	pii_key_path("sqlite:/var/gg.db", p);
	assert_string_equal(p, "/var/gg.db.key");
	pii_key_path("var/gg.db", p);
	assert_string_equal(p, "var/gg.db.key");
}

static void key_file_is_created_0600_even_with_a_wide_umask(void **state)
{
	char p[128];
	snprintf(p, sizeof(p), "%s/db.key", dir);
	mode_t old = umask(0);
	int created = 0;
	assert_int_equal(pii_key_create(p, &created, NULL), GG_OK);
	umask(old);
	assert_int_equal(created, 1);
	struct stat st;
	assert_int_equal(stat(p, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);

	/* a second init keeps the key: data sealed before stays readable */
	struct pii_key k1, k2;
	assert_int_equal(pii_key_load(p, &k1, NULL), GG_OK);
	assert_int_equal(pii_key_create(p, &created, NULL), GG_OK);
	assert_int_equal(created, 0);
	assert_int_equal(pii_key_load(p, &k2, NULL), GG_OK);
	assert_memory_equal(&k1, &k2, sizeof(k1));

	/* a key file others can read is refused */
	chmod(p, 0644);
	struct err err = ERR_INIT;
	assert_int_equal(pii_key_load(p, &k2, &err), GG_EINVAL);
	assert_non_null(strstr(err.msg, "chmod 600"));
	chmod(p, 0600);
}

static void missing_key_file_is_not_found(void **state)
{
	struct pii_key k;
	char p[128];
	snprintf(p, sizeof(p), "%s/none.key", dir);
	assert_int_equal(pii_key_load(p, &k, NULL), GG_ENOTFOUND);
}

static void seal_open_round_trip_and_tamper(void **state)
{
	unsigned char m1[32] = {1}, m2[32] = {2};
	struct pii_key k, other;
	pii_key_from_master(&k, m1);
	pii_key_from_master(&other, m2);
	char *a = pii_seal(&k, "510105199003071233");
	char *b = pii_seal(&k, "510105199003071233");
	assert_string_not_equal(a, b); /* fresh nonce each time */
	assert_null(strstr(a, "510105"));
	char out[32];
	assert_int_equal(pii_open(&k, a, out, sizeof(out), NULL), GG_OK);
	assert_string_equal(out, "510105199003071233");
	assert_int_equal(pii_open(&other, a, out, sizeof(out), NULL), GG_EINVAL);
	assert_int_equal(pii_open(&k, a, out, 10, NULL), GG_EINVAL); /* does not fit */
	a[strlen(a) - 2] = a[strlen(a) - 2] == 'A' ? 'B' : 'A';
	assert_int_equal(pii_open(&k, a, out, sizeof(out), NULL), GG_EINVAL);
	free(a);
	free(b);
}

static void seal_to_fills_a_buffer_or_refuses(void **state)
{
	unsigned char m1[32] = {1};
	struct pii_key k;
	pii_key_from_master(&k, m1);
	char a[160], b[160], out[32];
	assert_int_equal(pii_seal_to(&k, "13812345678", a, sizeof(a)), GG_OK);
	assert_int_equal(pii_seal_to(&k, "13812345678", b, sizeof(b)), GG_OK);
	assert_string_not_equal(a, b); /* fresh nonce each time */
	assert_null(strstr(a, "1381234"));
	assert_int_equal(pii_open(&k, a, out, sizeof(out), NULL), GG_OK);
	assert_string_equal(out, "13812345678");
	/* nonce 24 + tag 16 + 11 bytes = 51 bytes: 68 base64 characters and a NUL */
	assert_int_equal(strlen(a), 68);
	memset(b, '#', sizeof(b));
	assert_int_equal(pii_seal_to(&k, "13812345678", b, 68), GG_EINVAL);
	assert_int_equal(b[0], '#'); /* untouched */
	assert_int_equal(pii_seal_to(&k, "13812345678", b, 69), GG_OK);
	char big[PII_PLAIN_MAX + 2];
	memset(big, '1', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	assert_int_equal(pii_seal_to(&k, big, a, sizeof(a)), GG_EINVAL);
}

static void keyed_hash_is_stable_and_key_dependent(void **state)
{
	unsigned char m1[32] = {1}, m2[32] = {2};
	struct pii_key k, other;
	pii_key_from_master(&k, m1);
	pii_key_from_master(&other, m2);
	char h1[PII_HASH_HEX], h2[PII_HASH_HEX], h3[PII_HASH_HEX];
	pii_hash(&k, "510105199003071233", h1);
	pii_hash(&k, "510105199003071233", h2);
	pii_hash(&other, "510105199003071233", h3);
	assert_string_equal(h1, h2);
	assert_string_not_equal(h1, h3);
	assert_int_equal(strlen(h1), 64);
	pii_hash(&k, "510105199003071234", h2);
	assert_string_not_equal(h1, h2);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(key_path_sits_beside_the_database),
	    cmocka_unit_test(key_file_is_created_0600_even_with_a_wide_umask),
	    cmocka_unit_test(missing_key_file_is_not_found),
	    cmocka_unit_test(seal_open_round_trip_and_tamper),
	    cmocka_unit_test(seal_to_fills_a_buffer_or_refuses),
	    cmocka_unit_test(keyed_hash_is_stable_and_key_dependent),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}
