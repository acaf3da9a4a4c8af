/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Allocation that cannot fail: on exhaustion the process reports and aborts, so no
 * caller checks for NULL. BUG() is for broken invariants only.
 */
#ifndef GRIDGOV_XALLOC_H
#define GRIDGOV_XALLOC_H

#include <stddef.h>

/** Each returns memory the caller frees with free(). */
void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);

_Noreturn void gg_bug(const char *file, int line, const char *what);
#define BUG(what) gg_bug(__FILE__, __LINE__, what)

#endif
