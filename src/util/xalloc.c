/* SPDX-License-Identifier: Apache-2.0 */
/* The one place that decides what happens when memory runs out: abort loudly. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/xalloc.h"

static _Noreturn void oom(size_t n)
{
	fprintf(stderr, "gridgov: out of memory allocating %zu bytes\n", n);
	abort();
}

void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p)
		oom(n);
	return p;
}

void *xcalloc(size_t nmemb, size_t size)
{
	void *p = calloc(nmemb ? nmemb : 1, size ? size : 1);
	if (!p)
		oom(nmemb * size);
	return p;
}

void *xrealloc(void *p, size_t n)
{
	void *q = realloc(p, n ? n : 1);
	if (!q)
		oom(n);
	return q;
}

char *xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *xstrndup(const char *s, size_t n)
{
	size_t len = strnlen(s, n);
	char *p = xmalloc(len + 1);
	memcpy(p, s, len);
	p[len] = 0;
	return p;
}

void gg_bug(const char *file, int line, const char *what)
{
	fprintf(stderr, "gridgov: BUG at %s:%d: %s\n", file, line, what);
	abort();
}
