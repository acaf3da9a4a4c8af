/* SPDX-License-Identifier: Apache-2.0 */
/*
 * JPEG and PNG handling: recognise by content, strip metadata at the container level
 * (segments and chunks; pixels untouched), and make thumbnails with libjpeg-turbo and
 * libpng. Every length read from the file is checked against the bytes present.
 */
#include <png.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <turbojpeg.h>

#include "gridgov/xalloc.h"
#include "media/media_int.h"

static const unsigned char png_sig[8] = {0x89, 'P', 'N', 'G', '\r', '\n', 0x1A, '\n'};

enum media_kind media_sniff(const void *data, size_t len)
{
	const unsigned char *p = data;
	if (len >= 3 && p[0] == 0xFF && p[1] == 0xD8 && p[2] == 0xFF)
		return MEDIA_JPEG;
	if (len >= 8 && memcmp(p, png_sig, 8) == 0)
		return MEDIA_PNG;
	return MEDIA_UNKNOWN;
}

const char *media_kind_mime(enum media_kind kind)
{
	return kind == MEDIA_JPEG ? "image/jpeg" : kind == MEDIA_PNG ? "image/png"
								      : "application/octet-stream";
}

const char *media_kind_ext(enum media_kind kind)
{
	return kind == MEDIA_JPEG ? ".jpg" : kind == MEDIA_PNG ? ".png" : "";
}

static struct media_budget budget = {MEDIA_MAX_PIXELS, 32, 500u * 1000u * 1000u, 256u << 20, 2};
static pthread_mutex_t dec_mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t dec_cv = PTHREAD_COND_INITIALIZER;
static int dec_running;
static uint64_t dec_waited;

void media_budget_defaults(struct media_budget *b)
{
	*b = (struct media_budget){MEDIA_MAX_PIXELS, 32, 500u * 1000u * 1000u, 256u << 20, 2};
}

void media_budget_set(const struct media_budget *b)
{
	pthread_mutex_lock(&dec_mu);
	budget = *b;
	if (budget.decoders < 1)
		budget.decoders = 1;
	pthread_cond_broadcast(&dec_cv);
	pthread_mutex_unlock(&dec_mu);
}

void media_decode_stats(int *running, uint64_t *waited)
{
	pthread_mutex_lock(&dec_mu);
	*running = dec_running;
	*waited = dec_waited;
	pthread_mutex_unlock(&dec_mu);
}

/* A turn to decode: at most budget.decoders images are in memory at once. */
static void decode_begin(void)
{
	pthread_mutex_lock(&dec_mu);
	if (dec_running >= budget.decoders)
		dec_waited++;
	while (dec_running >= budget.decoders)
		pthread_cond_wait(&dec_cv, &dec_mu);
	dec_running++;
	pthread_mutex_unlock(&dec_mu);
}

static void decode_end(void)
{
	pthread_mutex_lock(&dec_mu);
	dec_running--;
	pthread_cond_signal(&dec_cv);
	pthread_mutex_unlock(&dec_mu);
}

static uint32_t be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static int too_big(int w, int h)
{
	return w <= 0 || h <= 0 || (uint64_t)w * (uint64_t)h > budget.pixels;
}

static int strip_png(const unsigned char *p, size_t len, struct buf *out, struct err *err);

/* What walking a JPEG's markers found. */
struct jpeg_shape {
	int frames, progressive, scans;
};

static int walk_jpeg(const unsigned char *p, size_t len, struct buf *out, struct jpeg_shape *js,
		     struct err *err);

int media_inspect(const void *data, size_t len, struct media_info *out, struct err *err)
{
	memset(out, 0, sizeof(*out));
	out->orientation = 1;
	out->kind = media_sniff(data, len);
	if (out->kind == MEDIA_JPEG) {
		tjhandle tj = tjInitDecompress();
		/* a tables-only stream "decodes" without setting these: start them at 0 */
		int w = 0, h = 0, sub = 0, cs = 0;
		int rc = tjDecompressHeader3(tj, data, (unsigned long)len, &w, &h, &sub, &cs);
		tjDestroy(tj);
		if (rc != 0)
			return err_set(err, GG_EMEDIA, "the file is not a readable JPEG image");
		out->width = w;
		out->height = h;
		if (too_big(w, h))
			return err_set(err, GG_EMEDIA,
				       "the image is %dx%d; at most %llu pixels are accepted", w, h,
				       (unsigned long long)budget.pixels);
		struct jpeg_shape js;
		if (walk_jpeg(data, len, NULL, &js, err))
			return GG_EMEDIA;
		uint64_t px = (uint64_t)w * (uint64_t)h;
		/* A progressive image holds every coefficient (up to 6 bytes a pixel) until its
		 * last scan, and each scan is a pass over all of them. */
		if (js.scans > budget.scans || px * (uint64_t)js.scans > budget.scan_pixels)
			return err_set(err, GG_EMEDIA,
				       "the JPEG has %d scans of %dx%d: too costly to decode",
				       js.scans, w, h);
		if (js.progressive && px * 6 > budget.memory)
			return err_set(err, GG_EMEDIA,
				       "a progressive JPEG of %dx%d needs more memory than allowed",
				       w, h);
		media__exif_read(data, len, out);
	} else if (out->kind == MEDIA_PNG) {
		struct buf safe = BUF_INIT;
		if (strip_png(data, len, &safe, err)) {
			buf_release(&safe);
			return GG_EMEDIA;
		}
		png_image img;
		memset(&img, 0, sizeof(img));
		img.version = PNG_IMAGE_VERSION;
		int ok = png_image_begin_read_from_memory(&img, safe.p, safe.len);
		if (!ok) {
			buf_release(&safe);
			return err_set(err, GG_EMEDIA, "the file is not a readable PNG image");
		}
		out->width = (int)img.width;
		out->height = (int)img.height;
		png_image_free(&img);
		buf_release(&safe);
		if (!too_big(out->width, out->height) &&
		    (uint64_t)img.width * img.height * 3 > budget.memory)
			return err_set(err, GG_EMEDIA,
				       "a PNG of %dx%d needs more memory than allowed", out->width,
				       out->height);
	} else {
		return err_set(err, GG_EMEDIA, "only JPEG and PNG photos are accepted");
	}
	if (too_big(out->width, out->height))
		return err_set(err, GG_EMEDIA,
			       "the image is %dx%d; at most %llu pixels are accepted", out->width,
			       out->height, (unsigned long long)budget.pixels);
	return GG_OK;
}

static int is_sof(unsigned char m)
{
	return m >= 0xC0 && m <= 0xCF && m != 0xC4 && m != 0xC8 && m != 0xCC;
}

/*
 * Walk a JPEG's markers, through every scan's entropy-coded data, counting frames and
 * scans; with out, copy what is kept: no APPn but JFIF (APP0, before the first scan)
 * and ICC profiles (APP2), no comments, wherever they stand (between progressive scans
 * too), and nothing after the end marker. A minimal EXIF block holding only the
 * orientation is written when it was not 1.
 */
static int walk_jpeg(const unsigned char *p, size_t len, struct buf *out, struct jpeg_shape *js,
		     struct err *err)
{
	struct media_info info = {.orientation = 1};
	memset(js, 0, sizeof(*js));
	if (out)
		media__exif_read(p, len, &info);
	if (out)
		buf_add(out, p, 2); /* SOI */
	size_t i = 2;
	int wrote_orientation = !out || info.orientation == 1;
	while (i + 2 <= len) {
		if (p[i] != 0xFF)
			return err_set(err, GG_EMEDIA, "corrupt JPEG: expected a marker at %zu", i);
		unsigned char m = p[i + 1];
		if (m == 0xFF) { /* fill byte */
			i++;
			continue;
		}
		if (m == 0xD9) { /* EOI: whatever follows (a second image, EXIF) is dropped */
			if (!js->scans)
				break;
			if (out)
				buf_add(out, p + i, 2);
			return GG_OK;
		}
		if (m == 0xD8 || m == 0x01 || (m >= 0xD0 && m <= 0xD7)) {
			if (out)
				buf_add(out, p + i, 2);
			i += 2;
			continue;
		}
		if (i + 4 > len)
			break;
		size_t seg = ((size_t)p[i + 2] << 8 | p[i + 3]) + 2;
		if (seg < 4 || i + seg > len)
			return err_set(err, GG_EMEDIA, "corrupt JPEG: a segment runs past the end");
		if (is_sof(m)) {
			if (++js->frames > 1)
				return err_set(err, GG_EMEDIA, "a JPEG with more than one frame");
			js->progressive = m == 0xC2 || m == 0xC6 || m == 0xCA || m == 0xCE;
		}
		int keep = 1;
		if (m == 0xE1 || (m >= 0xE3 && m <= 0xEF) || m == 0xFE)
			keep = 0; /* EXIF/XMP, other APPn, comments */
		if (m == 0xE2 && !(seg >= 16 && memcmp(p + i + 4, "ICC_PROFILE", 12) == 0))
			keep = 0;
		if (m == 0xE0 && js->scans)
			keep = 0; /* APP0 belongs before the image data */
		if (!wrote_orientation && m != 0xE0) {
			media__exif_orientation_segment(info.orientation, out);
			wrote_orientation = 1;
		}
		if (out && keep)
			buf_add(out, p + i, seg);
		i += seg;
		if (m != 0xDA)
			continue;
		/* A scan: its entropy-coded data runs to the next marker that is not a
		 * stuffed 0xFF00 or a restart marker. */
		js->scans++;
		size_t j = i;
		while (j < len) {
			if (p[j] != 0xFF || j + 1 == len) {
				j++;
				continue;
			}
			unsigned char n = p[j + 1];
			if (n == 0x00 || (n >= 0xD0 && n <= 0xD7))
				j += 2;
			else
				break;
		}
		if (j > len)
			j = len;
		if (out)
			buf_add(out, p + i, j - i);
		i = j;
	}
	if (js->scans)
		return GG_OK; /* no end marker: decoders tolerate it, and nothing trails */
	return err_set(err, GG_EMEDIA, "corrupt JPEG: no image data");
}

static int strip_jpeg(const unsigned char *p, size_t len, struct buf *out, struct err *err)
{
	struct jpeg_shape js;
	return walk_jpeg(p, len, out, &js, err);
}

/*
 * Copy a PNG's chunks without its text, time, EXIF and compressed ICC profile. Every
 * chunk's length is checked against the bytes present first: libpng allocates what a
 * chunk declares before reading it (a 100-byte file can ask for 2 GB), and inflates
 * zTXt, iTXt and iCCP without a bound, so it only ever sees this copy.
 */
static int strip_png(const unsigned char *p, size_t len, struct buf *out, struct err *err)
{
	static const char *drop[] = {"tEXt", "zTXt", "iTXt", "eXIf", "tIME", "iCCP"};
	buf_add(out, p, 8);
	size_t i = 8;
	while (i + 12 <= len) {
		uint32_t n = be32(p + i);
		if (n > len || i + 12 + n > len)
			return err_set(err, GG_EMEDIA, "corrupt PNG: a chunk runs past the end");
		const unsigned char *type = p + i + 4;
		int keep = 1;
		for (size_t k = 0; k < sizeof(drop) / sizeof(drop[0]); k++)
			if (!memcmp(type, drop[k], 4))
				keep = 0;
		if (keep)
			buf_add(out, p + i, 12 + n);
		i += 12 + n;
		if (!memcmp(type, "IEND", 4))
			return GG_OK;
	}
	return err_set(err, GG_EMEDIA, "corrupt PNG: no IEND chunk");
}

int media_strip(const void *data, size_t len, struct buf *out, struct err *err)
{
	switch (media_sniff(data, len)) {
	case MEDIA_JPEG:
		return strip_jpeg(data, len, out, err);
	case MEDIA_PNG:
		return strip_png(data, len, out, err);
	default:
		return err_set(err, GG_EMEDIA, "only JPEG and PNG photos are accepted");
	}
}

/* Average the source pixels each target pixel covers (RGB, 3 bytes a pixel). */
static unsigned char *downscale(const unsigned char *src, int w, int h, int tw, int th)
{
	unsigned char *dst = xmalloc((size_t)tw * (size_t)th * 3);
	for (int y = 0; y < th; y++) {
		int y0 = (int)((int64_t)y * h / th), y1 = (int)((int64_t)(y + 1) * h / th);
		if (y1 <= y0)
			y1 = y0 + 1;
		for (int x = 0; x < tw; x++) {
			int x0 = (int)((int64_t)x * w / tw), x1 = (int)((int64_t)(x + 1) * w / tw);
			if (x1 <= x0)
				x1 = x0 + 1;
			unsigned sum[3] = {0, 0, 0}, n = 0;
			for (int yy = y0; yy < y1; yy++)
				for (int xx = x0; xx < x1; xx++, n++)
					for (int c = 0; c < 3; c++)
						sum[c] += src[((size_t)yy * (size_t)w + (size_t)xx) * 3 +
							      (size_t)c];
			for (int c = 0; c < 3; c++)
				dst[((size_t)y * (size_t)tw + (size_t)x) * 3 + (size_t)c] =
					(unsigned char)(sum[c] / n);
		}
	}
	return dst;
}

/* Apply the EXIF orientations phones use (3: 180°, 6: 90° cw, 8: 90° ccw). */
static unsigned char *orient(unsigned char *src, int *w, int *h, int orientation)
{
	if (orientation != 3 && orientation != 6 && orientation != 8)
		return src;
	int W = *w, H = *h, nw = orientation == 3 ? W : H, nh = orientation == 3 ? H : W;
	unsigned char *dst = xmalloc((size_t)W * (size_t)H * 3);
	for (int y = 0; y < H; y++)
		for (int x = 0; x < W; x++) {
			int nx, ny;
			if (orientation == 3)
				nx = W - 1 - x, ny = H - 1 - y;
			else if (orientation == 6)
				nx = H - 1 - y, ny = x;
			else
				nx = y, ny = W - 1 - x;
			memcpy(dst + ((size_t)ny * (size_t)nw + (size_t)nx) * 3,
			       src + ((size_t)y * (size_t)W + (size_t)x) * 3, 3);
		}
	free(src);
	*w = nw;
	*h = nh;
	return dst;
}

static unsigned char *decode_jpeg(const void *data, size_t len, int max, int *w, int *h)
{
	tjhandle tj = tjInitDecompress();
	int sub = 0, cs = 0;
	*w = *h = 0;
	if (tjDecompressHeader3(tj, data, (unsigned long)len, w, h, &sub, &cs) != 0 ||
	    too_big(*w, *h)) {
		tjDestroy(tj);
		return NULL;
	}
	/* Let the decoder do most of the shrinking: the smallest scale still >= max. */
	int nsf;
	tjscalingfactor *sf = tjGetScalingFactors(&nsf), best = {1, 1};
	for (int i = 0; i < nsf; i++) {
		int sw = TJSCALED(*w, sf[i]), sh = TJSCALED(*h, sf[i]);
		int bw = TJSCALED(*w, best), bh = TJSCALED(*h, best);
		if ((sw >= max || sh >= max) && sw * sh < bw * bh)
			best = sf[i];
	}
	int sw = TJSCALED(*w, best), sh = TJSCALED(*h, best);
	unsigned char *rgb = xmalloc((size_t)sw * (size_t)sh * 3);
	if (tjDecompress2(tj, data, (unsigned long)len, rgb, sw, 0, sh, TJPF_RGB, 0) != 0) {
		free(rgb);
		tjDestroy(tj);
		return NULL;
	}
	tjDestroy(tj);
	*w = sw;
	*h = sh;
	return rgb;
}

static unsigned char *decode_png(const void *raw, size_t raw_len, int *w, int *h)
{
	struct buf safe = BUF_INIT; /* libpng reads only checked chunks (see strip_png) */
	unsigned char *rgb = NULL;
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	if (strip_png(raw, raw_len, &safe, NULL) ||
	    !png_image_begin_read_from_memory(&img, safe.p, safe.len))
		goto out;
	if (too_big((int)img.width, (int)img.height)) {
		png_image_free(&img);
		goto out;
	}
	img.format = PNG_FORMAT_RGB;
	rgb = xmalloc(PNG_IMAGE_SIZE(img));
	png_color white = {255, 255, 255};
	if (!png_image_finish_read(&img, &white, rgb, 0, NULL)) {
		free(rgb);
		rgb = NULL;
		png_image_free(&img);
		goto out;
	}
	*w = (int)img.width;
	*h = (int)img.height;
out:
	buf_release(&safe);
	return rgb;
}

int media_thumbnail(const void *data, size_t len, int max, struct buf *out, struct err *err)
{
	struct media_info info;
	int rc = media_inspect(data, len, &info, err);
	if (rc)
		return rc;
	int w = 0, h = 0;
	decode_begin();
	unsigned char *rgb = info.kind == MEDIA_JPEG ? decode_jpeg(data, len, max, &w, &h)
						     : decode_png(data, len, &w, &h);
	if (!rgb) {
		decode_end();
		return err_set(err, GG_EMEDIA, "the image data is damaged and cannot be decoded");
	}
	rgb = orient(rgb, &w, &h, info.orientation);
	int tw = w, th = h;
	if (w > max || h > max) {
		tw = w >= h ? max : (int)((int64_t)w * max / h);
		th = w >= h ? (int)((int64_t)h * max / w) : max;
		tw = tw < 1 ? 1 : tw;
		th = th < 1 ? 1 : th;
		unsigned char *small = downscale(rgb, w, h, tw, th);
		free(rgb);
		rgb = small;
	}
	tjhandle tj = tjInitCompress();
	unsigned char *jpeg = NULL;
	unsigned long jlen = 0;
	rc = tjCompress2(tj, rgb, tw, 0, th, TJPF_RGB, &jpeg, &jlen, TJSAMP_420, 80, 0);
	free(rgb);
	decode_end();
	if (rc == 0)
		buf_add(out, jpeg, jlen);
	tjFree(jpeg);
	tjDestroy(tj);
	return rc == 0 ? GG_OK : err_set(err, GG_EINTERNAL, "cannot encode the thumbnail");
}
