/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: the UTF-8 checker and scrubber agree, and a scrubbed string always
 * checks clean.
 */
#include <stdint.h>
#include <stdlib.h>

#include "gridgov/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t at = 0;
	enum utf8_fault f = utf8_check((const char *)data, size, &at);
	if (f && at >= size)
		abort();
	struct buf b = BUF_INIT;
	utf8_scrub(&b, (const char *)data, size);
	if (utf8_check(b.p, b.len, NULL) != UTF8_OK)
		abort();
	if (!f && (b.len != size))
		abort(); /* clean text passes through unchanged */
	buf_release(&b);
	return 0;
}
