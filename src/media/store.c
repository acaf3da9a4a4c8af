/* SPDX-License-Identifier: Apache-2.0 */
/* Content-addressed files: each object lives under the SHA-256 of its bytes. */
#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gridgov/media.h"

void media_sha256_hex(const void *data, size_t len, char *hex)
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, data, len);
	sodium_bin2hex(hex, MEDIA_SHA_HEX, h, sizeof(h));
}

int media_store_path(const char *dir, const char *sha, const char *suffix, char *out, size_t n)
{
	if (strlen(sha) != 64 || strspn(sha, "0123456789abcdef") != 64)
		return -1;
	int w = snprintf(out, n, "%s/%.2s/%s%s", dir, sha, sha, suffix ? suffix : "");
	return w < 0 || (size_t)w >= n ? -1 : 0;
}

int media_store_put(const char *dir, const void *data, size_t len, const char *suffix,
		    char *hex, struct err *err)
{
	char path[1024], sub[1024], tmp[1100];
	media_sha256_hex(data, len, hex);
	if (media_store_path(dir, hex, suffix, path, sizeof(path)))
		return err_set(err, GG_EIO, "media directory path too long");
	struct stat st;
	if (stat(path, &st) == 0)
		return GG_OK; /* same bytes, same name: already stored */
	snprintf(sub, sizeof(sub), "%s/%.2s", dir, hex);
	if ((mkdir(dir, 0750) != 0 && errno != EEXIST) || (mkdir(sub, 0750) != 0 && errno != EEXIST))
		return err_set(err, GG_EIO, "cannot create media directory %s", sub);
	snprintf(tmp, sizeof(tmp), "%s/.tmp-XXXXXX", sub);
	int fd = mkstemp(tmp);
	if (fd < 0)
		return err_set(err, GG_EIO, "cannot write into %s", sub);
	const unsigned char *p = data;
	size_t left = len;
	while (left) {
		ssize_t w = write(fd, p, left);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			close(fd);
			unlink(tmp);
			return err_set(err, GG_EIO, "cannot write media file");
		}
		p += w;
		left -= (size_t)w;
	}
	int synced = fsync(fd) == 0;
	if (close(fd) != 0 || !synced || rename(tmp, path) != 0) {
		unlink(tmp);
		return err_set(err, GG_EIO, "cannot store media file");
	}
	return GG_OK;
}
