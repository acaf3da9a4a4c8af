/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Secrets with libsodium: password hashes (argon2id), bearer tokens (random, only their
 * hash is stored), constant-time comparison. Nothing here logs.
 */
#ifndef GRIDGOV_SEC_H
#define GRIDGOV_SEC_H

#include <stddef.h>

#include "gridgov/err.h"

#define SEC_TOKEN_LEN 44      /* base64url of 32 random bytes, plus NUL */
#define SEC_TOKEN_HASH_LEN 65 /* hex of a 32-byte BLAKE2b hash, plus NUL */
#define SEC_PWHASH_LEN 128

/** Initialise libsodium once per process; 0 or -1. */
int sec_init(void) GG_WUR;
/** Hash a password with argon2id into out (SEC_PWHASH_LEN). */
int sec_password_hash(const char *password, char *out, struct err *err) GG_WUR;
/** 1 if the password matches the stored hash, 0 if not. */
int sec_password_verify(const char *hash, const char *password);
/** Spend the same effort as a verify, for unknown users (no timing oracle). */
void sec_password_dummy_verify(const char *password);
/** A new random token (base64url, SEC_TOKEN_LEN). */
void sec_token_new(char *out);
/** The hex hash of a token under which the store keeps it (SEC_TOKEN_HASH_LEN). */
void sec_token_hash(const char *token, char *out);
#define SEC_KEY_MIN	 24  /* an imported API key has at least this many characters */
#define SEC_KEY_MAX	 128 /* and at most this many */
#define SEC_KEY_DISTINCT 10  /* of which at least this many differ */

/**
 * Check a key carried over from another system (`gridgov apikey add --key-stdin`)
 * against the floor: SEC_KEY_MIN to SEC_KEY_MAX printable ASCII characters without
 * spaces, at least SEC_KEY_DISTINCT of them different (a random key of 24 hex digits
 * holds 96 bits). Randomness cannot be measured; this refuses what is surely weak.
 * GG_EINVAL saying why, or GG_OK.
 */
int sec_key_check(const char *key, struct err *err) GG_WUR;
/** Use cheap hashing parameters (tests and demos only: GRIDGOV_FAST_HASH=1). */
void sec_set_fast(int on);

#endif
