/* SPDX-License-Identifier: Apache-2.0 */
/* Growable, capped, NUL-terminated byte buffers. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/buf.h"
#include "gridgov/utf8.h"
#include "gridgov/xalloc.h"

char buf_empty[1];

void buf_init(struct buf *b, size_t max)
{
	b->p = buf_empty;
	b->len = b->cap = 0;
	b->max = max;
	b->overflow = 0;
}

static int grow(struct buf *b, size_t extra)
{
	if (b->max && b->len + extra > b->max) {
		b->overflow = 1;
		return -1;
	}
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 64;
	while (cap < b->len + extra + 1)
		cap *= 2;
	if (b->cap == 0) {
		b->p = xmalloc(cap);
		b->p[0] = 0;
	} else {
		b->p = xrealloc(b->p, cap);
	}
	b->cap = cap;
	return 0;
}

void buf_add(struct buf *b, const void *data, size_t len)
{
	if (len == 0 || grow(b, len))
		return;
	memcpy(b->p + b->len, data, len);
	b->len += len;
	b->p[b->len] = 0;
}

void buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void buf_addch(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list cp;
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	if (n <= 0 || grow(b, (size_t)n))
		return;
	vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
	b->len += (size_t)n;
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void buf_add_json_escaped(struct buf *b, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		switch (c) {
		case '"':
			buf_adds(b, "\\\"");
			break;
		case '\\':
			buf_adds(b, "\\\\");
			break;
		case '\n':
			buf_adds(b, "\\n");
			break;
		case '\r':
			buf_adds(b, "\\r");
			break;
		case '\t':
			buf_adds(b, "\\t");
			break;
		default:
			if (c < 0x20) {
				buf_addf(b, "\\u%04x", c);
			} else if (c >= 0x80) {
				/* JSON is UTF-8: a stray byte becomes U+FFFD, not a broken line */
				unsigned cp;
				size_t k = utf8_decode(s, strnlen(s, 4), &cp);
				if (k) {
					buf_add(b, s, k);
					s += k - 1;
				} else {
					buf_adds(b, "\xEF\xBF\xBD");
				}
			} else {
				buf_addch(b, (char)c);
			}
		}
	}
}

void buf_reset(struct buf *b)
{
	b->len = 0;
	b->overflow = 0;
	if (b->cap)
		b->p[0] = 0;
}

int buf_overflowed(const struct buf *b)
{
	return b->overflow;
}

char *buf_detach(struct buf *b, size_t *len)
{
	char *p = b->cap ? b->p : xstrdup("");
	if (len)
		*len = b->len;
	buf_init(b, b->max);
	return p;
}

void buf_release(struct buf *b)
{
	if (b->cap)
		free(b->p);
	buf_init(b, b->max);
}
