/* SPDX-License-Identifier: Apache-2.0 */
/* Password hashing and tokens on top of libsodium. */
#include <sodium.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/sec.h"

static int fast;

int sec_init(void)
{
	const char *f = getenv("GRIDGOV_FAST_HASH");
	if (f && *f == '1')
		fast = 1;
	return sodium_init() < 0 ? -1 : 0;
}

void sec_set_fast(int on)
{
	fast = on;
}

static unsigned long long ops(void)
{
	return fast ? crypto_pwhash_OPSLIMIT_MIN : crypto_pwhash_OPSLIMIT_INTERACTIVE;
}

static size_t mem(void)
{
	return fast ? crypto_pwhash_MEMLIMIT_MIN : crypto_pwhash_MEMLIMIT_INTERACTIVE;
}

int sec_password_hash(const char *password, char *out, struct err *err)
{
	_Static_assert(crypto_pwhash_STRBYTES <= SEC_PWHASH_LEN, "hash buffer too small");
	if (crypto_pwhash_str_alg(out, password, strlen(password), ops(), mem(),
				  crypto_pwhash_ALG_ARGON2ID13) != 0)
		return err_set(err, GG_EINTERNAL, "password hashing ran out of memory");
	return GG_OK;
}

int sec_password_verify(const char *hash, const char *password)
{
	return crypto_pwhash_str_verify(hash, password, strlen(password)) == 0;
}

void sec_password_dummy_verify(const char *password)
{
	static char dummy[crypto_pwhash_STRBYTES];
	static int ready;
	if (!ready) {
		if (crypto_pwhash_str_alg(dummy, "x", 1, ops(), mem(),
					  crypto_pwhash_ALG_ARGON2ID13) != 0)
			return;
		ready = 1;
	}
	if (crypto_pwhash_str_verify(dummy, password, strlen(password)) == 0)
		ready = 1; /* the result does not matter, only the time spent */
}

void sec_token_new(char *out)
{
	unsigned char raw[32];
	randombytes_buf(raw, sizeof(raw));
	sodium_bin2base64(out, SEC_TOKEN_LEN, raw, sizeof(raw),
			  sodium_base64_VARIANT_URLSAFE_NO_PADDING);
	sodium_memzero(raw, sizeof(raw));
}

void sec_token_hash(const char *token, char *out)
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)token, strlen(token), NULL, 0);
	sodium_bin2hex(out, SEC_TOKEN_HASH_LEN, h, sizeof(h));
}

int sec_key_check(const char *key, struct err *err)
{
	size_t n = strlen(key), distinct = 0;
	unsigned char seen[128] = {0};
	for (size_t i = 0; i < n; i++) {
		unsigned char ch = (unsigned char)key[i];
		if (ch < 0x21 || ch > 0x7e)
			return err_set(err, GG_EINVAL,
				       "the key has a character that is not printable ASCII "
				       "(byte %zu)",
				       i + 1);
		distinct += !seen[ch];
		seen[ch] = 1;
	}
	if (n < SEC_KEY_MIN || n > SEC_KEY_MAX)
		return err_set(err, GG_EINVAL, "the key has %zu characters; %d to %d are needed", n,
			       SEC_KEY_MIN, SEC_KEY_MAX);
	if (distinct < SEC_KEY_DISTINCT)
		return err_set(err, GG_EINVAL,
			       "the key has only %zu different characters; at least %d are needed",
			       distinct, SEC_KEY_DISTINCT);
	return GG_OK;
}
