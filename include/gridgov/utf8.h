/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Text that enters or leaves the platform is valid UTF-8 without control characters:
 * every door (JSON, forms, multipart, CSV, query strings) checks it with utf8_check, and
 * writers of formats that cannot carry a bad byte (XML, logs) pass stored text through
 * utf8_scrub. Shortest forms only; no surrogates, nothing past U+10FFFF.
 */
#ifndef GRIDGOV_UTF8_H
#define GRIDGOV_UTF8_H

#include <stddef.h>

#include "gridgov/buf.h"

enum utf8_fault {
	UTF8_OK = 0,
	UTF8_INVALID, /* not UTF-8: a stray, overlong, surrogate or truncated sequence */
	UTF8_CONTROL, /* a C0 control other than tab, LF and CR, DEL, a C1 control, or NUL */
};

/**
 * Decode the sequence at s (n > 0 bytes left): its length in bytes with the code point in
 * *cp, or 0 when the bytes there are not a shortest-form Unicode scalar value.
 */
size_t utf8_decode(const char *s, size_t n, unsigned *cp);
/**
 * Whether len bytes at s are acceptable text. On a fault, *at (when not NULL) is the
 * byte offset of the first offending sequence.
 */
enum utf8_fault utf8_check(const char *s, size_t len, size_t *at);
/** utf8_check over a NUL-terminated string. */
enum utf8_fault utf8_check_str(const char *s);
/** "is not valid UTF-8" / "contains a control character" (static). */
const char *utf8_fault_text(enum utf8_fault f);
/**
 * Append len bytes of s to b, each invalid sequence replaced by U+FFFD and each control
 * character that utf8_check refuses dropped (so the result is well-formed XML 1.0 text).
 */
void utf8_scrub(struct buf *b, const char *s, size_t len);

#endif
