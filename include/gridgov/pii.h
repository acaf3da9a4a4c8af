/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Personal data at rest: ID and phone numbers are sealed with libsodium secretbox under a
 * key kept in a file of mode 0600 beside the database (PATH.key), and found again by a
 * keyed BLAKE2b hash so an exact lookup needs no decryption. One master key in the file;
 * the encryption and hashing keys are derived from it with crypto_kdf, so a leaked hash
 * key would not decrypt anything. Nothing here logs.
 */
#ifndef GRIDGOV_PII_H
#define GRIDGOV_PII_H

#include <stddef.h>

#include "gridgov/err.h"

#define PII_KEY_PATH_MAX 1100
#define PII_HASH_HEX	 65  /* hex of 32 bytes, plus NUL */
#define PII_PLAIN_MAX	 256 /* longest value pii_seal_to takes */

struct pii_key {
	unsigned char enc[32];
	unsigned char mac[32];
};

/**
 * The key file of a database DSN into out (PII_KEY_PATH_MAX): "PATH.key" for SQLite
 * ("sqlite:" stripped); for a URI (postgres://…) $GRIDGOV_PII_KEY, else "gridgov.key" in
 * the working directory.
 */
void pii_key_path(const char *dsn, char *out);

/**
 * Create a new random key file at path with mode 0600 (whatever the umask). An existing
 * file is left alone and *created is 0. GG_EIO on failure.
 */
int pii_key_create(const char *path, int *created, struct err *err) GG_WUR;

/**
 * Load the key file. GG_ENOTFOUND when missing, GG_EINVAL when it is readable by group or
 * others (mode not 0600/0400) or malformed. Wipe the key with pii_key_wipe after use.
 */
int pii_key_load(const char *path, struct pii_key *k, struct err *err) GG_WUR;
void pii_key_wipe(struct pii_key *k);

/** A key from 32 bytes of master material (tests). */
void pii_key_from_master(struct pii_key *k, const unsigned char master[32]);

/**
 * Seal plain text: base64 of nonce ‖ secretbox, a new random nonce each time.
 * Returns a string the caller frees with free().
 */
char *pii_seal(const struct pii_key *k, const char *plain);

/**
 * pii_seal into out (size n) without allocating. GG_EINVAL, out untouched, when plain is
 * longer than PII_PLAIN_MAX bytes or the sealed text would not fit in n.
 */
int pii_seal_to(const struct pii_key *k, const char *plain, char *out, size_t n) GG_WUR;

/**
 * Open a sealed value into out (size n). GG_EINVAL if it was tampered with, sealed
 * under another key, or does not fit.
 */
int pii_open(const struct pii_key *k, const char *sealed, char *out, size_t n,
	     struct err *err) GG_WUR;

/** The keyed hash (hex) under which a value is looked up exactly. */
void pii_hash(const struct pii_key *k, const char *plain, char out[PII_HASH_HEX]);

#endif
