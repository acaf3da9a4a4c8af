/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hash chain of a case's trail: each entry's hash covers the previous hash and all
 * its own fields, so editing, removing or reordering any entry breaks every hash after
 * it. SHA-256 from libsodium.
 */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include <sodium.h>

#include "gridgov/case.h"

const char case_genesis_hash[CASE_HASH_HEX] =
    "0000000000000000000000000000000000000000000000000000000000000000";

static void add(crypto_hash_sha256_state *st, const char *s)
{
	char len[24];
	if (!s)
		s = "";
	int n = snprintf(len, sizeof(len), "%zu:", strlen(s));
	crypto_hash_sha256_update(st, (const unsigned char *)len, (unsigned long long)n);
	crypto_hash_sha256_update(st, (const unsigned char *)s, strlen(s));
}

static void add_int(crypto_hash_sha256_state *st, int64_t v)
{
	char s[24];
	snprintf(s, sizeof(s), "%" PRId64, v);
	add(st, s);
}

void case_entry_hash(const struct case_entry *e, const char *prev, char out[CASE_HASH_HEX])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_init(&st);
	add(&st, prev);
	add_int(&st, e->case_id);
	add_int(&st, e->seq);
	add(&st, e->action);
	add_int(&st, e->actor_id);
	add(&st, e->actor);
	add(&st, e->role);
	add_int(&st, e->at);
	add(&st, e->from_state);
	add(&st, e->to_state);
	add(&st, e->note);
	add(&st, e->attachments);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, CASE_HASH_HEX, h, sizeof(h));
}
