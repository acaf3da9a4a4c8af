/* SPDX-License-Identifier: Apache-2.0 */
/*
 * EXIF through libexif: the two facts gridgov keeps from a photo's metadata — where it
 * was taken (to locate a report) and which way up it is — and a minimal EXIF block that
 * carries the orientation alone into the stored copy.
 */
#include <libexif/exif-data.h>
#include <stdlib.h>
#include <string.h>

#include "media/media_int.h"

static int gps_coord(ExifData *ed, ExifTag tag, ExifTag ref_tag, char neg_ref, double *out)
{
	ExifContent *gps = ed->ifd[EXIF_IFD_GPS];
	ExifEntry *e = exif_content_get_entry(gps, tag);
	ExifEntry *ref = exif_content_get_entry(gps, ref_tag);
	if (!e || e->format != EXIF_FORMAT_RATIONAL || e->components < 3 || e->size < 24)
		return -1;
	ExifByteOrder bo = exif_data_get_byte_order(ed);
	double parts[3];
	for (int i = 0; i < 3; i++) {
		ExifRational r = exif_get_rational(e->data + 8 * i, bo);
		if (r.denominator == 0)
			return -1;
		parts[i] = (double)r.numerator / (double)r.denominator;
	}
	double v = parts[0] + parts[1] / 60.0 + parts[2] / 3600.0;
	if (ref && ref->format == EXIF_FORMAT_ASCII && ref->size >= 1 && ref->data[0] == neg_ref)
		v = -v;
	*out = v;
	return 0;
}

void media__exif_read(const void *jpeg, size_t len, struct media_info *out)
{
	out->orientation = 1;
	ExifData *ed = exif_data_new_from_data(jpeg, (unsigned int)len);
	if (!ed)
		return;
	ExifEntry *o = exif_content_get_entry(ed->ifd[EXIF_IFD_0], EXIF_TAG_ORIENTATION);
	if (o && o->format == EXIF_FORMAT_SHORT && o->size >= 2) {
		int v = exif_get_short(o->data, exif_data_get_byte_order(ed));
		if (v >= 1 && v <= 8)
			out->orientation = v;
	}
	double lat, lon;
	if (gps_coord(ed, (ExifTag)EXIF_TAG_GPS_LATITUDE, (ExifTag)EXIF_TAG_GPS_LATITUDE_REF, 'S',
		      &lat) == 0 &&
	    gps_coord(ed, (ExifTag)EXIF_TAG_GPS_LONGITUDE, (ExifTag)EXIF_TAG_GPS_LONGITUDE_REF,
		      'W', &lon) == 0 &&
	    lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180) {
		out->has_gps = 1;
		out->lat = lat;
		out->lon = lon;
	}
	exif_data_unref(ed);
}

void media__exif_orientation_segment(int orientation, struct buf *out)
{
	ExifData *ed = exif_data_new();
	if (!ed)
		return;
	/* Following the specification would add "mandatory" tags; we want this one only. */
	exif_data_unset_option(ed, EXIF_DATA_OPTION_FOLLOW_SPECIFICATION);
	exif_data_set_byte_order(ed, EXIF_BYTE_ORDER_INTEL);
	ExifEntry *e = exif_entry_new();
	exif_content_add_entry(ed->ifd[EXIF_IFD_0], e);
	exif_entry_initialize(e, EXIF_TAG_ORIENTATION);
	exif_set_short(e->data, EXIF_BYTE_ORDER_INTEL, (ExifShort)orientation);
	exif_entry_unref(e);
	unsigned char *data = NULL;
	unsigned int n = 0;
	exif_data_save_data(ed, &data, &n);
	if (data && n + 2 <= 0xFFFF) {
		unsigned char hdr[4] = {0xFF, 0xE1, (unsigned char)((n + 2) >> 8),
					(unsigned char)((n + 2) & 0xFF)};
		buf_add(out, hdr, 4);
		buf_add(out, data, n);
	}
	free(data);
	exif_data_unref(ed);
}
