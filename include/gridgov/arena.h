/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Region allocator: each request owns one arena and frees it whole when the request
 * completes. Resources that are not memory (statements, files, JSON values) register a
 * cleanup with arena_defer; cleanups run in reverse order when the arena is freed.
 */
#ifndef GRIDGOV_ARENA_H
#define GRIDGOV_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "gridgov/err.h"

struct arena;

/** A new, empty arena; free it with arena_free. */
struct arena *arena_new(void);
/** Run the cleanups (last registered first) and release all memory. NULL is fine. */
void arena_free(struct arena *a);

/** Memory that lives until arena_free; aligned for any type; zeroed for _zalloc. */
void *arena_alloc(struct arena *a, size_t n);
void *arena_zalloc(struct arena *a, size_t n);
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_printf(struct arena *a, const char *fmt, ...) GG_PRINTF(2, 3);

/** Call fn(ptr) when the arena is freed. */
void arena_defer(struct arena *a, void (*fn)(void *), void *ptr);

/**
 * Append one zeroed element of size elem to the vector *vec (length *len, capacity *cap),
 * growing it in the arena; returns the new element. Start with *vec NULL, *len = *cap = 0.
 */
void *arena_push(struct arena *a, void **vec, size_t *len, size_t *cap, size_t elem);

/** Bytes handed out so far (for metrics and tests). */
size_t arena_used(const struct arena *a);

#endif
