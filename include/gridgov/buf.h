/* SPDX-License-Identifier: Apache-2.0 */
/*
 * struct buf: a growable byte buffer that is never NULL and always NUL-terminated,
 * with an optional size cap. Past the cap it drops further data and remembers that it
 * overflowed (checked once, at the end, with buf_overflowed), like ferror().
 */
#ifndef GRIDGOV_BUF_H
#define GRIDGOV_BUF_H

#include <stdarg.h>
#include <stddef.h>

#include "gridgov/err.h"

struct buf {
	char *p;	/* never NULL: points at buf_empty until the first add */
	size_t len;	/* bytes in use, not counting the NUL */
	size_t cap;	/* bytes allocated, 0 while p is buf_empty */
	size_t max;	/* 0 = no cap */
	int overflow;	/* set once an add was refused by max */
};

extern char buf_empty[1];
#define BUF_INIT {buf_empty, 0, 0, 0, 0}
#define BUF_INIT_MAX(m) {buf_empty, 0, 0, (m), 0}

void buf_init(struct buf *b, size_t max);
void buf_add(struct buf *b, const void *data, size_t len);
void buf_adds(struct buf *b, const char *s);
void buf_addch(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) GG_PRINTF(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap);
/** Append s with JSON string escaping (no surrounding quotes). */
void buf_add_json_escaped(struct buf *b, const char *s);
void buf_reset(struct buf *b);
int buf_overflowed(const struct buf *b);
/** Hand the contents to the caller, who frees them with free(); b is reset. */
char *buf_detach(struct buf *b, size_t *len);
void buf_release(struct buf *b);

/** A non-owning slice. */
struct str {
	const char *p;
	size_t len;
};

#endif
