/* SPDX-License-Identifier: Apache-2.0 */
/* A bump allocator over a chain of blocks, with cleanups run at free time. */
#include <stdalign.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/arena.h"
#include "gridgov/xalloc.h"

#define BLOCK_MIN 8192

struct block {
	struct block *next;
	size_t size, used;
	alignas(max_align_t) unsigned char data[];
};

struct cleanup {
	struct cleanup *next;
	void (*fn)(void *);
	void *ptr;
};

struct arena {
	struct block *head;
	struct cleanup *cleanups;
	size_t total;
};

struct arena *arena_new(void)
{
	return xcalloc(1, sizeof(struct arena));
}

void arena_free(struct arena *a)
{
	if (!a)
		return;
	for (struct cleanup *c = a->cleanups; c; c = c->next)
		c->fn(c->ptr);
	struct block *b = a->head;
	while (b) {
		struct block *next = b->next;
		free(b);
		b = next;
	}
	free(a);
}

void *arena_alloc(struct arena *a, size_t n)
{
	const size_t align = alignof(max_align_t);
	n = (n + align - 1) & ~(align - 1);
	if (n == 0)
		n = align;
	struct block *b = a->head;
	if (!b || b->size - b->used < n) {
		size_t size = n > BLOCK_MIN ? n : BLOCK_MIN;
		b = xmalloc(sizeof(*b) + size);
		b->size = size;
		b->used = 0;
		b->next = a->head;
		a->head = b;
	}
	void *p = b->data + b->used;
	b->used += n;
	a->total += n;
	return p;
}

void *arena_zalloc(struct arena *a, size_t n)
{
	void *p = arena_alloc(a, n);
	memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = arena_alloc(a, len + 1);
	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return s ? arena_strndup(a, s, strlen(s)) : NULL;
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap, cp;
	va_start(ap, fmt);
	va_copy(cp, ap);
	int n = vsnprintf(NULL, 0, fmt, cp);
	va_end(cp);
	char *p = arena_alloc(a, (size_t)(n < 0 ? 0 : n) + 1);
	vsnprintf(p, (size_t)(n < 0 ? 0 : n) + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_defer(struct arena *a, void (*fn)(void *), void *ptr)
{
	struct cleanup *c = arena_alloc(a, sizeof(*c));
	c->fn = fn;
	c->ptr = ptr;
	c->next = a->cleanups;
	a->cleanups = c;
}

size_t arena_used(const struct arena *a)
{
	return a->total;
}

void *arena_push(struct arena *a, void **vec, size_t *len, size_t *cap, size_t elem)
{
	if (*len == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		void *w = arena_alloc(a, nc * elem);
		if (*len)
			memcpy(w, *vec, *len * elem);
		*vec = w;
		*cap = nc;
	}
	void *e = (char *)*vec + (*len)++ * elem;
	memset(e, 0, elem);
	return e;
}
