/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: photos as uploaded. Inspect (header, EXIF, budget), strip, and for
 * images the budget lets through, thumbnail; a stripped JPEG must inspect again and hold
 * no EXIF block but the orientation one.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/media.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int once;
	if (!once) {
		struct media_budget b;
		media_budget_defaults(&b);
		b.pixels = 1 << 20; /* keep each run fast: decoding is not what is fuzzed */
		b.scan_pixels = 16u << 20;
		media_budget_set(&b);
		once = 1;
	}
	struct media_info info;
	if (media_inspect(data, size, &info, NULL) != GG_OK)
		return 0;
	struct buf clean = BUF_INIT, thumb = BUF_INIT;
	if (media_strip(data, size, &clean, NULL) == GG_OK) {
		struct media_info again;
		if (info.kind == MEDIA_JPEG &&
		    media_inspect(clean.p, clean.len, &again, NULL) == GG_OK && again.has_gps)
			abort(); /* the GPS position survived stripping */
		(void)media_thumbnail(clean.p, clean.len, 64, &thumb, NULL);
	}
	buf_release(&thumb);
	buf_release(&clean);
	return 0;
}
