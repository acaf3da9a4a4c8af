/* SPDX-License-Identifier: Apache-2.0 */
/* Shared inside src/media/: EXIF reading and writing (libexif). */
#ifndef GRIDGOV_MEDIA_INT_H
#define GRIDGOV_MEDIA_INT_H

#include "gridgov/media.h"

/** Read GPS position and orientation from a JPEG's EXIF; fields of out left as found. */
void media__exif_read(const void *jpeg, size_t len, struct media_info *out);
/** Append an APP1 segment holding only the orientation tag. */
void media__exif_orientation_segment(int orientation, struct buf *out);

#endif
