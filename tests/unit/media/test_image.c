/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Photos: recognised by content, GPS read from EXIF, metadata stripped (the GPS and the
 * camera serial gone, the orientation kept), thumbnails, content-addressed storage.
 * Test images are made here with libjpeg-turbo, libpng and libexif: no binary fixtures.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <libexif/exif-data.h>
#include <math.h>
#include <png.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <turbojpeg.h>
#include <unistd.h>

#include "gridgov/media.h"
#include "gridgov/sec.h"

static unsigned char *pixels(int w, int h)
{
	unsigned char *p = malloc((size_t)w * h * 3);
	for (int i = 0; i < w * h; i++) {
		p[i * 3] = (unsigned char)(i % w * 4);
		p[i * 3 + 1] = (unsigned char)(i / w * 4);
		p[i * 3 + 2] = 128;
	}
	return p;
}

static void make_jpeg(int w, int h, struct buf *out)
{
	unsigned char *rgb = pixels(w, h), *jpeg = NULL;
	unsigned long n = 0;
	tjhandle tj = tjInitCompress();
	assert_int_equal(tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &n, TJSAMP_420, 90, 0), 0);
	buf_add(out, jpeg, n);
	tjFree(jpeg);
	tjDestroy(tj);
	free(rgb);
}

static void rational3(ExifData *ed, ExifTag tag, double v)
{
	ExifMem *mem = exif_mem_new_default();
	ExifEntry *e = exif_entry_new_mem(mem);
	e->tag = tag;
	e->format = EXIF_FORMAT_RATIONAL;
	e->components = 3;
	e->size = 24;
	e->data = exif_mem_alloc(mem, 24);
	double deg = (int)v, min = (int)((v - deg) * 60), sec = ((v - deg) * 60 - min) * 60;
	ExifRational r[3] = {{(ExifLong)deg, 1}, {(ExifLong)min, 1}, {(ExifLong)(sec * 1000), 1000}};
	for (int i = 0; i < 3; i++)
		exif_set_rational(e->data + 8 * i, EXIF_BYTE_ORDER_INTEL, r[i]);
	exif_content_add_entry(ed->ifd[EXIF_IFD_GPS], e);
	exif_entry_unref(e);
	exif_mem_unref(mem);
}

static void ascii(ExifData *ed, ExifIfd ifd, ExifTag tag, const char *s)
{
	ExifMem *mem = exif_mem_new_default();
	ExifEntry *e = exif_entry_new_mem(mem);
	e->tag = tag;
	e->format = EXIF_FORMAT_ASCII;
	e->components = strlen(s) + 1;
	e->size = (unsigned)e->components;
	e->data = exif_mem_alloc(mem, e->size);
	memcpy(e->data, s, e->size);
	exif_content_add_entry(ed->ifd[ifd], e);
	exif_entry_unref(e);
	exif_mem_unref(mem);
}

/* An APP1 segment: orientation 6, a camera serial number and a GPS position. */
static void make_exif_app1(double lon, double lat, struct buf *out)
{
	ExifData *ed = exif_data_new();
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	ExifEntry *o = exif_entry_new();
	exif_content_add_entry(ed->ifd[EXIF_IFD_0], o);
	exif_entry_initialize(o, EXIF_TAG_ORIENTATION);
	exif_set_short(o->data, EXIF_BYTE_ORDER_INTEL, 6);
	exif_entry_unref(o);
	ascii(ed, EXIF_IFD_0, EXIF_TAG_MAKE, "SerialCam SN-0042-SECRET");
	ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, "N");
	ascii(ed, EXIF_IFD_GPS, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF, "E");
	rational3(ed, (ExifTag)EXIF_TAG_GPS_LATITUDE, lat);
	rational3(ed, (ExifTag)EXIF_TAG_GPS_LONGITUDE, lon);
	unsigned char *data;
	unsigned int n;
	exif_data_save_data(ed, &data, &n);
	exif_data_unref(ed);
	unsigned char hdr[4] = {0xFF, 0xE1, (unsigned char)((n + 2) >> 8), (unsigned char)(n + 2)};
	buf_add(out, hdr, 4);
	buf_add(out, data, n);
	free(data);
}

/* A JPEG taken at (lon, lat) by a camera with a serial number, orientation 6. */
static void make_jpeg_with_gps(double lon, double lat, struct buf *out)
{
	struct buf plain = BUF_INIT, app1 = BUF_INIT;
	make_jpeg(64, 48, &plain);
	make_exif_app1(lon, lat, &app1);
	buf_add(out, plain.p, 2);
	buf_add(out, app1.p, app1.len);
	buf_add(out, plain.p + 2, plain.len - 2);
	buf_release(&app1);
	buf_release(&plain);
}

static void make_png_with_text(struct buf *out)
{
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = 40;
	img.height = 30;
	img.format = PNG_FORMAT_RGB;
	unsigned char *rgb = pixels(40, 30);
	png_alloc_size_t n = 0;
	assert_true(png_image_write_to_memory(&img, NULL, &n, 0, rgb, 0, NULL));
	unsigned char *png = malloc(n);
	assert_true(png_image_write_to_memory(&img, png, &n, 0, rgb, 0, NULL));
	/* Insert a tEXt chunk after IHDR (8 + 25 bytes). */
	static const unsigned char text[] = {0, 0, 0, 15, 't', 'E', 'X', 't', 'A', 'u', 't', 'h',
					     'o', 'r', 0, 'Z', 'h', 'a', 'n', 'g', 'S', 'a', 'n',
					     0, 0, 0, 0};
	buf_add(out, png, 33);
	buf_add(out, text, sizeof(text));
	buf_add(out, png + 33, n - 33);
	free(png);
	free(rgb);
}

static int contains(const struct buf *b, const char *needle)
{
	return memmem(b->p, b->len, needle, strlen(needle)) != NULL;
}

static void sniffing_goes_by_content(void **state)
{
	struct buf j = BUF_INIT;
	make_jpeg(8, 8, &j);
	assert_int_equal(media_sniff(j.p, j.len), MEDIA_JPEG);
	assert_int_equal(media_sniff("GIF89a", 6), MEDIA_UNKNOWN);
	assert_int_equal(media_sniff("%PDF-1.4 renamed.jpg", 20), MEDIA_UNKNOWN);
	struct media_info info;
	struct err e = ERR_INIT;
	assert_int_equal(media_inspect("<html>not an image</html>", 25, &info, &e), GG_EMEDIA);
	/* JPEG magic followed by garbage is not a JPEG */
	assert_int_equal(media_inspect("\xFF\xD8\xFF\xE0garbage-garbage", 19, &info, &e), GG_EMEDIA);
	buf_release(&j);
}

static void gps_is_read_from_exif(void **state)
{
	struct buf j = BUF_INIT;
	make_jpeg_with_gps(104.0553, 30.6677, &j);
	struct media_info info;
	assert_int_equal(media_inspect(j.p, j.len, &info, NULL), GG_OK);
	assert_int_equal(info.kind, MEDIA_JPEG);
	assert_int_equal(info.width, 64);
	assert_int_equal(info.height, 48);
	assert_true(info.has_gps);
	assert_true(fabs(info.lon - 104.0553) < 1e-4);
	assert_true(fabs(info.lat - 30.6677) < 1e-4);
	assert_int_equal(info.orientation, 6);
	buf_release(&j);
}

static void stripping_removes_gps_and_serial_but_keeps_orientation(void **state)
{
	struct buf j = BUF_INIT, s = BUF_INIT;
	make_jpeg_with_gps(104.0553, 30.6677, &j);
	assert_true(contains(&j, "SN-0042-SECRET"));
	assert_int_equal(media_strip(j.p, j.len, &s, NULL), GG_OK);
	assert_false(contains(&s, "SN-0042-SECRET"));
	struct media_info info;
	assert_int_equal(media_inspect(s.p, s.len, &info, NULL), GG_OK);
	assert_false(info.has_gps);
	assert_int_equal(info.orientation, 6);
	assert_int_equal(info.width, 64);
	/* Load without libexif's fix-ups, which would add "mandatory" tags of its own. */
	ExifData *ed = exif_data_new();
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_load_data(ed, (unsigned char *)s.p, (unsigned)s.len);
	assert_int_equal(ed->ifd[EXIF_IFD_GPS]->count, 0);
	assert_int_equal(ed->ifd[EXIF_IFD_0]->count, 1);
	exif_data_unref(ed);
	struct buf t = BUF_INIT;
	assert_int_equal(media_thumbnail(s.p, s.len, 32, &t, NULL), GG_OK);
	buf_release(&t);
	buf_release(&j);
	buf_release(&s);
}

static void png_text_chunks_are_stripped(void **state)
{
	struct buf p = BUF_INIT, s = BUF_INIT;
	make_png_with_text(&p);
	assert_true(contains(&p, "ZhangSan"));
	struct media_info info;
	assert_int_equal(media_inspect(p.p, p.len, &info, NULL), GG_OK);
	assert_int_equal(info.kind, MEDIA_PNG);
	assert_int_equal(media_strip(p.p, p.len, &s, NULL), GG_OK);
	assert_false(contains(&s, "ZhangSan"));
	assert_int_equal(media_inspect(s.p, s.len, &info, NULL), GG_OK);
	assert_int_equal(info.width, 40);
	buf_release(&p);
	buf_release(&s);
}

static void thumbnails_fit_and_follow_orientation(void **state)
{
	struct buf j = BUF_INIT, t = BUF_INIT;
	make_jpeg(800, 600, &j);
	assert_int_equal(media_thumbnail(j.p, j.len, 320, &t, NULL), GG_OK);
	struct media_info info;
	assert_int_equal(media_inspect(t.p, t.len, &info, NULL), GG_OK);
	assert_int_equal(info.width, 320);
	assert_int_equal(info.height, 240);
	buf_release(&t);
	/* orientation 6 (rotated 90°): a 64x48 photo shows as 48x64 */
	struct buf g = BUF_INIT;
	make_jpeg_with_gps(104.0, 30.0, &g);
	assert_int_equal(media_thumbnail(g.p, g.len, 320, &t, NULL), GG_OK);
	assert_int_equal(media_inspect(t.p, t.len, &info, NULL), GG_OK);
	assert_int_equal(info.width, 48);
	assert_int_equal(info.height, 64);
	buf_release(&g);
	buf_release(&t);
	buf_release(&j);
}

static void truncated_jpeg_cannot_be_thumbnailed(void **state)
{
	struct buf j = BUF_INIT, t = BUF_INIT, s = BUF_INIT;
	make_jpeg(200, 200, &j);
	struct err e = ERR_INIT;
	/* header intact, segment lengths broken */
	j.p[4] = (char)0xFF;
	j.p[5] = (char)0xFF;
	assert_int_not_equal(media_strip(j.p, j.len, &s, &e), GG_OK);
	assert_int_not_equal(media_thumbnail(j.p, 40, 32, &t, &e), GG_OK);
	buf_release(&j);
	buf_release(&t);
	buf_release(&s);
}

static void store_is_content_addressed_and_idempotent(void **state)
{
	char dir[] = "/tmp/gg-media-XXXXXX";
	assert_non_null(mkdtemp(dir));
	char sha[MEDIA_SHA_HEX], sha2[MEDIA_SHA_HEX], path[256];
	assert_int_equal(media_store_put(dir, "abc", 3, ".jpg", sha, NULL), GG_OK);
	assert_string_equal(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	assert_int_equal(media_store_put(dir, "abc", 3, ".jpg", sha2, NULL), GG_OK);
	assert_string_equal(sha, sha2);
	assert_int_equal(media_store_path(dir, sha, ".jpg", path, sizeof(path)), 0);
	struct stat st;
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_size, 3);
	assert_int_equal(media_store_path(dir, "../../etc/passwd", "", path, sizeof(path)), -1);
	unlink(path);
	char sub[64];
	snprintf(sub, sizeof(sub), "%s/ba", dir);
	rmdir(sub);
	rmdir(dir);
}

static void make_progressive_jpeg(int w, int h, struct buf *out)
{
	unsigned char *rgb = pixels(w, h), *jpeg = NULL;
	unsigned long n = 0;
	tjhandle tj = tjInitCompress();
	assert_int_equal(tjCompress2(tj, rgb, w, 0, h, TJPF_RGB, &jpeg, &n, TJSAMP_420, 90,
				     TJFLAG_PROGRESSIVE),
			 0);
	buf_add(out, jpeg, n);
	tjFree(jpeg);
	tjDestroy(tj);
	free(rgb);
}

/* Offsets of the start-of-scan markers (0xFF 0xDA never occurs inside scan data). */
static size_t scan_offsets(const struct buf *b, size_t *at, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i + 1 < b->len && n < max; i++)
		if ((unsigned char)b->p[i] == 0xFF && (unsigned char)b->p[i + 1] == 0xDA)
			at[n++] = i;
	return n;
}

/*
 * EXIF is not only where cameras put it: between the scans of a progressive JPEG, and
 * in a second image after the end marker, it must go too.
 */
static void exif_between_scans_and_after_the_end_is_stripped(void **state)
{
	struct buf prog = BUF_INIT, app1 = BUF_INIT, tail = BUF_INIT, bad = BUF_INIT;
	make_progressive_jpeg(64, 48, &prog);
	make_exif_app1(104.05, 30.66, &app1);
	make_jpeg_with_gps(104.05, 30.66, &tail);
	size_t at[64];
	size_t n = scan_offsets(&prog, at, 64);
	assert_true(n >= 2);
	buf_add(&bad, prog.p, at[1]);
	buf_add(&bad, app1.p, app1.len);
	buf_add(&bad, prog.p + at[1], prog.len - at[1]);
	buf_add(&bad, tail.p, tail.len);
	assert_true(contains(&bad, "SN-0042-SECRET"));

	struct media_info info;
	assert_int_equal(media_inspect(bad.p, bad.len, &info, NULL), GG_OK);
	struct buf clean = BUF_INIT, thumb = BUF_INIT;
	assert_int_equal(media_strip(bad.p, bad.len, &clean, NULL), GG_OK);
	assert_false(contains(&clean, "SN-0042-SECRET"));
	assert_false(contains(&clean, "Exif"));
	assert_int_equal((unsigned char)clean.p[clean.len - 2], 0xFF);
	assert_int_equal((unsigned char)clean.p[clean.len - 1], 0xD9);
	assert_true(clean.len < prog.len + 64); /* the trailing image is gone */
	assert_int_equal(media_thumbnail(clean.p, clean.len, 320, &thumb, NULL), GG_OK);
	buf_release(&thumb);
	buf_release(&clean);
	buf_release(&bad);
	buf_release(&tail);
	buf_release(&app1);
	buf_release(&prog);
}

/* A small file that repeats a scan many times costs a pass over the image per scan. */
static void repeated_scans_are_refused_before_decoding(void **state)
{
	struct buf prog = BUF_INIT, bomb = BUF_INIT;
	make_progressive_jpeg(256, 256, &prog);
	size_t at[64];
	size_t n = scan_offsets(&prog, at, 64);
	size_t last = at[n - 1], end = prog.len - 2; /* the last scan, up to EOI */
	buf_add(&bomb, prog.p, end);
	for (int i = 0; i < 40; i++)
		buf_add(&bomb, prog.p + last, end - last);
	buf_add(&bomb, prog.p + end, 2);
	struct media_info info;
	struct err e = ERR_INIT;
	assert_int_equal(media_inspect(prog.p, prog.len, &info, NULL), GG_OK);
	assert_int_equal(media_inspect(bomb.p, bomb.len, &info, &e), GG_EMEDIA);
	assert_non_null(strstr(e.msg, "scans"));
	struct buf thumb = BUF_INIT;
	assert_int_equal(media_thumbnail(bomb.p, bomb.len, 320, &thumb, NULL), GG_EMEDIA);
	buf_release(&thumb);
	buf_release(&bomb);
	buf_release(&prog);
}

struct decode_job {
	const struct buf *img;
	int rc;
};

static void *decode_one(void *arg)
{
	struct decode_job *j = arg;
	struct buf thumb = BUF_INIT;
	j->rc = media_thumbnail(j->img->p, j->img->len, 320, &thumb, NULL);
	buf_release(&thumb);
	return NULL;
}

static void budget_limits_memory_and_decodes_at_once(void **state)
{
	struct media_budget b, def;
	media_budget_defaults(&def);
	b = def;
	b.memory = 100 * 1000; /* a 300x300 PNG needs 270 kB as RGB */
	media_budget_set(&b);
	png_image img;
	memset(&img, 0, sizeof(img));
	img.version = PNG_IMAGE_VERSION;
	img.width = img.height = 300;
	img.format = PNG_FORMAT_RGB;
	unsigned char *rgb = pixels(300, 300);
	png_alloc_size_t n = 0;
	assert_true(png_image_write_to_memory(&img, NULL, &n, 0, rgb, 0, NULL));
	struct buf png = BUF_INIT;
	buf_add(&png, "", 0);
	unsigned char *p = malloc(n);
	assert_true(png_image_write_to_memory(&img, p, &n, 0, rgb, 0, NULL));
	buf_add(&png, p, n);
	free(p);
	free(rgb);
	struct media_info info;
	struct err e = ERR_INIT;
	assert_int_equal(media_inspect(png.p, png.len, &info, &e), GG_EMEDIA);
	assert_non_null(strstr(e.msg, "memory"));

	/* one decoder: four uploads at once take turns */
	b = def;
	b.decoders = 1;
	media_budget_set(&b);
	struct buf big = BUF_INIT;
	make_jpeg(1600, 1200, &big);
	int running;
	uint64_t waited0, waited1;
	media_decode_stats(&running, &waited0);
	pthread_t t[4];
	struct decode_job jobs[4];
	for (int i = 0; i < 4; i++) {
		jobs[i] = (struct decode_job){&big, -1};
		pthread_create(&t[i], NULL, decode_one, &jobs[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(jobs[i].rc, GG_OK);
	}
	media_decode_stats(&running, &waited1);
	assert_int_equal(running, 0);
	assert_true(waited1 > waited0);
	media_budget_set(&def);
	buf_release(&big);
	buf_release(&png);
}

/* Leave plausible image sizes where the next call keeps its locals. */
static __attribute__((noinline)) void dirty_stack(void)
{
	volatile int junk[512];
	for (int i = 0; i < 512; i++)
		junk[i] = 64;
	(void)junk[0];
}

/*
 * An "abbreviated table specification" stream (SOI, quantisation and Huffman tables,
 * EOI) is a valid JPEG with no image: TurboJPEG's header call succeeds on it without
 * setting width and height. It must be refused, not measured with stack garbage.
 */
static void tables_only_jpeg_is_not_an_image(void **state)
{
	struct buf full = BUF_INIT, tables = BUF_INIT;
	make_jpeg(16, 16, &full);
	const unsigned char *p = (const unsigned char *)full.p;
	buf_add(&tables, p, 2);
	for (size_t i = 2; i + 4 <= full.len && p[i + 1] != 0xDA;) {
		size_t seg = ((size_t)p[i + 2] << 8 | p[i + 3]) + 2;
		if (p[i + 1] == 0xDB || p[i + 1] == 0xC4)
			buf_add(&tables, p + i, seg);
		i += seg;
	}
	buf_add(&tables, "\xFF\xD9", 2);
	struct media_info info;
	struct err e = ERR_INIT;
	dirty_stack();
	assert_int_equal(media_inspect(tables.p, tables.len, &info, &e), GG_EMEDIA);
	struct buf thumb = BUF_INIT;
	dirty_stack();
	assert_int_not_equal(media_thumbnail(tables.p, tables.len, 320, &thumb, &e), GG_OK);
	assert_int_equal(thumb.len, 0);
	buf_release(&thumb);
	buf_release(&tables);
	buf_release(&full);
}

int main(void)
{
	if (sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(sniffing_goes_by_content),
		cmocka_unit_test(gps_is_read_from_exif),
		cmocka_unit_test(stripping_removes_gps_and_serial_but_keeps_orientation),
		cmocka_unit_test(png_text_chunks_are_stripped),
		cmocka_unit_test(thumbnails_fit_and_follow_orientation),
		cmocka_unit_test(truncated_jpeg_cannot_be_thumbnailed),
		cmocka_unit_test(tables_only_jpeg_is_not_an_image),
		cmocka_unit_test(exif_between_scans_and_after_the_end_is_stripped),
		cmocka_unit_test(repeated_scans_are_refused_before_decoding),
		cmocka_unit_test(budget_limits_memory_and_decodes_at_once),
		cmocka_unit_test(store_is_content_addressed_and_idempotent),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
