/* SPDX-License-Identifier: Apache-2.0 */
/*
 * UTF-8 checking and scrubbing (RFC 3629): one decoder used both to refuse bad text at
 * the doors and to make stored text safe for writers whose format forbids it.
 */
#include "gridgov/utf8.h"

size_t utf8_decode(const char *str, size_t n, unsigned *cp)
{
	const unsigned char *s = (const unsigned char *)str;
	unsigned c = s[0];
	size_t len;
	unsigned min;
	if (c < 0x80) {
		*cp = c;
		return 1;
	} else if (c >= 0xC2 && c <= 0xDF) {
		len = 2, min = 0x80, c &= 0x1F;
	} else if (c >= 0xE0 && c <= 0xEF) {
		len = 3, min = 0x800, c &= 0x0F;
	} else if (c >= 0xF0 && c <= 0xF4) {
		len = 4, min = 0x10000, c &= 0x07;
	} else {
		return 0;
	}
	if (n < len)
		return 0;
	for (size_t i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if (c < min || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

static int is_control(unsigned cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return 0;
	return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F);
}

enum utf8_fault utf8_check(const char *s, size_t len, size_t *at)
{
	size_t i = 0;
	while (i < len) {
		unsigned cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (!k || is_control(cp)) {
			if (at)
				*at = i;
			return k ? UTF8_CONTROL : UTF8_INVALID;
		}
		i += k;
	}
	return UTF8_OK;
}

enum utf8_fault utf8_check_str(const char *s)
{
	size_t n = 0;
	while (s[n])
		n++;
	return utf8_check(s, n, NULL);
}

const char *utf8_fault_text(enum utf8_fault f)
{
	switch (f) {
	case UTF8_OK:
		return "is valid text";
	case UTF8_INVALID:
		return "is not valid UTF-8";
	case UTF8_CONTROL:
		break;
	}
	return "contains a control character";
}

void utf8_scrub(struct buf *b, const char *s, size_t len)
{
	size_t i = 0;
	while (i < len) {
		unsigned cp;
		size_t k = utf8_decode(s + i, len - i, &cp);
		if (!k) {
			buf_adds(b, "\xEF\xBF\xBD");
			i++;
			continue;
		}
		if (!is_control(cp))
			buf_add(b, s + i, k);
		i += k;
	}
}
