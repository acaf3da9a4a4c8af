/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Photos from citizens and grid workers: recognised by content (never by file name),
 * decoded to prove they are images, stripped of their metadata (EXIF GPS, camera serials,
 * XMP, IPTC, comments) before they are kept, thumbnailed for lists, and stored under the
 * SHA-256 of their stored bytes.
 */
#ifndef GRIDGOV_MEDIA_H
#define GRIDGOV_MEDIA_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/buf.h"
#include "gridgov/err.h"

#define MEDIA_MAX_PIXELS (50u * 1000u * 1000u) /* larger images are refused (bombs) */
#define MEDIA_SHA_HEX 65

enum media_kind { MEDIA_UNKNOWN = 0, MEDIA_JPEG, MEDIA_PNG };

struct media_info {
	enum media_kind kind;
	int width, height;
	int has_gps;	 /* the original carried an EXIF GPS position */
	double lon, lat; /* WGS 84, when has_gps */
	int orientation; /* EXIF orientation 1–8 (1 when absent) */
};

/**
 * What decoding may cost, for one image and for all at once (process-wide). Images past
 * a limit are refused as GG_EMEDIA before any pixel is decoded.
 */
struct media_budget {
	uint64_t pixels;      /* width × height at most (MEDIA_MAX_PIXELS) */
	int scans;	      /* JPEG scans at most (32): progressive images have about 10 */
	uint64_t scan_pixels; /* scans × pixels at most (500 M): a scan costs a pass over all */
	uint64_t memory;      /* bytes one decode may hold (256 MiB) */
	int decoders;	      /* images decoded at once (2); more wait their turn */
};

void media_budget_defaults(struct media_budget *b);
/** Set the budget of the process (at start-up, before any decode). */
void media_budget_set(const struct media_budget *b);
/** Decodes under way and decodes that waited for a turn, since the start (metrics). */
void media_decode_stats(int *running, uint64_t *waited);

/** The kind the first bytes announce (JPEG SOI, PNG signature), or MEDIA_UNKNOWN. */
enum media_kind media_sniff(const void *data, size_t len);
const char *media_kind_mime(enum media_kind kind);
const char *media_kind_ext(enum media_kind kind);

/**
 * Check that data is a JPEG or PNG whose header decodes and whose decoding fits the
 * budget (pixels, scans, memory), and read its EXIF GPS position and orientation.
 * GG_EMEDIA when it is not an image we accept.
 */
int media_inspect(const void *data, size_t len, struct media_info *out, struct err *err) GG_WUR;

/**
 * The same image without metadata, appended to out: JPEG loses every APPn segment but
 * JFIF (APP0) and ICC profiles (APP2) and all comments, and gains a minimal EXIF block
 * holding only the orientation when it was not 1; PNG loses its text, time and eXIf
 * chunks. Pixels are untouched.
 */
int media_strip(const void *data, size_t len, struct buf *out, struct err *err) GG_WUR;

/** A JPEG thumbnail whose longer side is at most max pixels (fully decodes the image). */
int media_thumbnail(const void *data, size_t len, int max, struct buf *out,
		    struct err *err) GG_WUR;

/** Hex SHA-256 of data into hex (MEDIA_SHA_HEX bytes). */
void media_sha256_hex(const void *data, size_t len, char *hex);

/**
 * Store data under dir/xx/SHA[suffix] (xx = the first two hex digits), atomically and
 * only if absent; hex receives the SHA-256 of data.
 */
int media_store_put(const char *dir, const void *data, size_t len, const char *suffix,
		    char *hex, struct err *err) GG_WUR;
/** The path of a stored object, into out (size n); -1 if sha is not 64 hex digits. */
int media_store_path(const char *dir, const char *sha, const char *suffix, char *out,
		     size_t n);

#endif
