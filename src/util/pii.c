/* SPDX-License-Identifier: Apache-2.0 */
/* Sealing, opening and keyed hashing of personal data, and the key file. */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdint.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gridgov/pii.h"
#include "gridgov/xalloc.h"

#define KEY_HEX 64
static const char kdf_ctx[crypto_kdf_CONTEXTBYTES] = {'g', 'g', 'p', 'i', 'i', 'k', 'e', 'y'};

void pii_key_path(const char *dsn, char *out)
{
	/* a server database has no file to sit beside: the key's path is configured */
	if (strstr(dsn, "://")) {
		const char *env = getenv("GRIDGOV_PII_KEY");
		snprintf(out, PII_KEY_PATH_MAX, "%s", env && *env ? env : "gridgov.key");
		return;
	}
	if (!strncmp(dsn, "sqlite:", 7))
		dsn += 7;
	snprintf(out, PII_KEY_PATH_MAX, "%s.key", dsn);
}

int pii_key_create(const char *path, int *created, struct err *err)
{
	*created = 0;
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			return GG_OK;
		return err_set(err, GG_EIO, "cannot create key file %s: %s", path, strerror(errno));
	}
	unsigned char master[crypto_kdf_KEYBYTES];
	char hex[KEY_HEX + 2];
	crypto_kdf_keygen(master);
	sodium_bin2hex(hex, KEY_HEX + 1, master, sizeof(master));
	sodium_memzero(master, sizeof(master));
	hex[KEY_HEX] = '\n';
	/* The umask may have narrowed 0600 further, never widened it; make it exact. */
	int ok =
	    fchmod(fd, 0600) == 0 && write(fd, hex, KEY_HEX + 1) == KEY_HEX + 1 && fsync(fd) == 0;
	sodium_memzero(hex, sizeof(hex));
	if (close(fd) != 0)
		ok = 0;
	if (!ok) {
		unlink(path);
		return err_set(err, GG_EIO, "cannot write key file %s", path);
	}
	*created = 1;
	return GG_OK;
}

void pii_key_from_master(struct pii_key *k, const unsigned char master[32])
{
	_Static_assert(crypto_kdf_KEYBYTES == 32, "master key size");
	_Static_assert(crypto_secretbox_KEYBYTES == 32, "secretbox key size");
	crypto_kdf_derive_from_key(k->enc, sizeof(k->enc), 1, kdf_ctx, master);
	crypto_kdf_derive_from_key(k->mac, sizeof(k->mac), 2, kdf_ctx, master);
}

int pii_key_load(const char *path, struct pii_key *k, struct err *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return err_set(err, errno == ENOENT ? GG_ENOTFOUND : GG_EIO,
			       "cannot open key file %s: %s (run 'gridgov init')", path,
			       strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0 || (st.st_mode & 077)) {
		close(fd);
		return err_set(err, GG_EINVAL,
			       "key file %s must be readable by its owner only (chmod 600)", path);
	}
	char hex[KEY_HEX + 2];
	ssize_t n = read(fd, hex, sizeof(hex));
	close(fd);
	unsigned char master[32];
	size_t len = 0;
	int rc = GG_OK;
	if (n < KEY_HEX ||
	    sodium_hex2bin(master, sizeof(master), hex, KEY_HEX, NULL, &len, NULL) != 0 ||
	    len != sizeof(master))
		rc = err_set(err, GG_EINVAL, "key file %s is malformed", path);
	else
		pii_key_from_master(k, master);
	sodium_memzero(hex, sizeof(hex));
	sodium_memzero(master, sizeof(master));
	return rc;
}

void pii_key_wipe(struct pii_key *k)
{
	sodium_memzero(k, sizeof(*k));
}

/*
 * Nonces: 16 random bytes drawn once per process, then a 64-bit counter. Every nonce
 * under a key is unique (a 128-bit random prefix does not repeat across processes in
 * practice), which is all XSalsa20 needs, and sealing a million values costs no million
 * getrandom system calls.
 */
static pthread_once_t nonce_once = PTHREAD_ONCE_INIT;
static unsigned char nonce_prefix[16];
static _Atomic uint64_t nonce_ctr;

static void nonce_init(void)
{
	randombytes_buf(nonce_prefix, sizeof(nonce_prefix));
}

static void nonce_next(unsigned char n[crypto_secretbox_NONCEBYTES])
{
	_Static_assert(crypto_secretbox_NONCEBYTES == 24, "nonce size");
	pthread_once(&nonce_once, nonce_init);
	uint64_t c = atomic_fetch_add(&nonce_ctr, 1);
	memcpy(n, nonce_prefix, 16);
	for (int i = 0; i < 8; i++)
		n[16 + i] = (unsigned char)(c >> (8 * i));
}

int pii_seal_to(const struct pii_key *k, const char *plain, char *out, size_t n)
{
	/* on the stack: an import seals two values per row, a million rows */
	unsigned char raw[crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + PII_PLAIN_MAX];
	size_t pn = strlen(plain);
	size_t raw_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + pn;
	if (pn > PII_PLAIN_MAX ||
	    sodium_base64_ENCODED_LEN(raw_len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING) > n)
		return GG_EINVAL;
	nonce_next(raw);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, pn,
			      raw, k->enc);
	sodium_bin2base64(out, n, raw, raw_len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	return GG_OK;
}

char *pii_seal(const struct pii_key *k, const char *plain)
{
	size_t pn = strlen(plain);
	size_t raw_len = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + pn;
	unsigned char *raw = xmalloc(raw_len);
	nonce_next(raw);
	crypto_secretbox_easy(raw + crypto_secretbox_NONCEBYTES, (const unsigned char *)plain, pn,
			      raw, k->enc);
	size_t bn = sodium_base64_ENCODED_LEN(raw_len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	char *out = xmalloc(bn);
	sodium_bin2base64(out, bn, raw, raw_len, sodium_base64_VARIANT_ORIGINAL_NO_PADDING);
	free(raw);
	return out;
}

int pii_open(const struct pii_key *k, const char *sealed, char *out, size_t n, struct err *err)
{
	size_t sl = strlen(sealed), raw_len = 0;
	unsigned char *raw = xmalloc(sl + 1);
	int rc = GG_OK;
	if (sodium_base642bin(raw, sl + 1, sealed, sl, NULL, &raw_len, NULL,
			      sodium_base64_VARIANT_ORIGINAL_NO_PADDING) != 0 ||
	    raw_len < crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES) {
		rc = err_set(err, GG_EINVAL, "sealed value is malformed");
		goto out;
	}
	size_t pn = raw_len - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
	if (pn + 1 > n) {
		rc = err_set(err, GG_EINVAL, "sealed value does not fit");
		goto out;
	}
	if (crypto_secretbox_open_easy((unsigned char *)out, raw + crypto_secretbox_NONCEBYTES,
				       raw_len - crypto_secretbox_NONCEBYTES, raw, k->enc) != 0) {
		rc = err_set(err, GG_EINVAL, "sealed value fails authentication (wrong key?)");
		goto out;
	}
	out[pn] = 0;
out:
	free(raw);
	return rc;
}

void pii_hash(const struct pii_key *k, const char *plain, char out[PII_HASH_HEX])
{
	unsigned char h[32];
	crypto_generichash(h, sizeof(h), (const unsigned char *)plain, strlen(plain), k->mac,
			   sizeof(k->mac));
	sodium_bin2hex(out, PII_HASH_HEX, h, sizeof(h));
}
