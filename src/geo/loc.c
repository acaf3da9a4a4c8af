/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The locator index (see loc.h for the boundary rule) and the slot that swaps indexes
 * without blocking readers.
 *
 * GEOS builds some structures lazily on first use (the STR-tree itself, the point-in-area
 * index of each prepared geometry), which would race between threads. The build step
 * therefore runs one query against the tree and one against every prepared geometry, so
 * the index is fully built, and read-only, before any reader sees it.
 */
#include <sched.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/geo.h"
#include "gridgov/loc.h"
#include "gridgov/xalloc.h"

struct loc_entry {
	char code[GRID_CODE_MAX];
	char *name;
	enum grid_level level;
	GEOSGeometry *geom;
	const GEOSPreparedGeometry *prep;
	size_t ncoords;
};

struct loc_index {
	GEOSContextHandle_t h; /* owns the geometries; queries use the caller's context */
	struct loc_entry *e;   /* sorted by code */
	size_t n;
	GEOSSTRtree *tree;
	size_t bytes;
};

static int by_code(const void *a, const void *b)
{
	return strcmp(((const struct loc_entry *)a)->code, ((const struct loc_entry *)b)->code);
}

static void count_cb(void *item, void *data)
{
	(void)item;
	(*(size_t *)data)++;
}

int loc_index_build(const struct loc_item *items, size_t n, struct loc_index **out,
		    struct err *err)
{
	struct loc_index *x = xcalloc(1, sizeof(*x));
	x->h = GEOS_init_r();
	x->e = xcalloc(n ? n : 1, sizeof(*x->e));
	x->tree = GEOSSTRtree_create_r(x->h, 10);
	x->bytes = sizeof(*x) + n * sizeof(*x->e);
	for (size_t i = 0; i < n; i++) {
		struct loc_entry *e = &x->e[x->n];
		snprintf(e->code, sizeof(e->code), "%s", items[i].code);
		e->name = xstrdup(items[i].name ? items[i].name : "");
		e->level = items[i].level;
		e->geom = geo_from_wkb(x->h, items[i].wkb, items[i].wkb_len);
		if (!e->geom) {
			free(e->name);
			loc_index_free(x);
			return err_set(err, GG_EFIELD, "grid %s: unreadable geometry", items[i].code);
		}
		x->n++;
		e->ncoords = (size_t)GEOSGetNumCoordinates_r(x->h, e->geom);
		/* coordinates, plus the prepared polygon's segment index, roughly twice as much */
		x->bytes += strlen(e->name) + 1 + e->ncoords * 16 * 3 + 256;
	}
	qsort(x->e, x->n, sizeof(*x->e), by_code);
	for (size_t i = 0; i < x->n; i++) {
		struct loc_entry *e = &x->e[i];
		e->prep = GEOSPrepare_r(x->h, e->geom);
		GEOSSTRtree_insert_r(x->h, x->tree, e->geom, e);
		/* build the lazy point-in-area index now, while no reader can see it */
		GEOSGeometry *c = GEOSGetCentroid_r(x->h, e->geom);
		if (c) {
			GEOSPreparedIntersects_r(x->h, e->prep, c);
			GEOSGeom_destroy_r(x->h, c);
		}
	}
	GEOSGeometry *p = GEOSGeom_createPointFromXY_r(x->h, 0, 0);
	size_t hits = 0;
	GEOSSTRtree_query_r(x->h, x->tree, p, count_cb, &hits); /* builds the tree */
	GEOSGeom_destroy_r(x->h, p);
	x->bytes += x->n * 96; /* tree nodes */
	*out = x;
	return GG_OK;
}

void loc_index_free(struct loc_index *x)
{
	if (!x)
		return;
	if (x->tree)
		GEOSSTRtree_destroy_r(x->h, x->tree);
	for (size_t i = 0; i < x->n; i++) {
		if (x->e[i].prep)
			GEOSPreparedGeom_destroy_r(x->h, x->e[i].prep);
		GEOSGeom_destroy_r(x->h, x->e[i].geom);
		free(x->e[i].name);
	}
	free(x->e);
	GEOS_finish_r(x->h);
	free(x);
}

size_t loc_index_size(const struct loc_index *x)
{
	return x->n;
}

size_t loc_index_memory(const struct loc_index *x)
{
	return x->bytes;
}

#define LOC_MAX_CAND 256

struct cands {
	const struct loc_entry *e[LOC_MAX_CAND];
	size_t n;
};

static void cand_cb(void *item, void *data)
{
	struct cands *c = data;
	if (c->n < LOC_MAX_CAND)
		c->e[c->n++] = item;
}

/* Deepest level first, then lowest code: the order in which candidates are tried. */
static int better(const struct loc_entry *a, const struct loc_entry *b)
{
	if (a->level != b->level)
		return a->level > b->level;
	return strcmp(a->code, b->code) < 0;
}

int loc_index_find(const struct loc_index *x, double lon, double lat, struct loc_hit *hit)
{
	if (!x || x->n == 0)
		return 0;
	GEOSContextHandle_t h = geo_ctx();
	GEOSGeometry *p = GEOSGeom_createPointFromXY_r(h, lon, lat);
	struct cands c;
	c.n = 0;
	GEOSSTRtree_query_r(h, x->tree, p, cand_cb, &c);
	/* insertion sort: there are a handful of candidates */
	for (size_t i = 1; i < c.n; i++) {
		const struct loc_entry *v = c.e[i];
		size_t j = i;
		while (j > 0 && better(v, c.e[j - 1])) {
			c.e[j] = c.e[j - 1];
			j--;
		}
		c.e[j] = v;
	}
	int found = 0;
	for (size_t i = 0; i < c.n && !found; i++)
		if (GEOSPreparedIntersects_r(h, c.e[i]->prep, p) == 1) {
			hit->code = c.e[i]->code;
			hit->name = c.e[i]->name;
			hit->level = c.e[i]->level;
			found = 1;
		}
	GEOSGeom_destroy_r(h, p);
	return found;
}

int loc_index_node(const struct loc_index *x, const char *code, struct loc_hit *hit)
{
	if (!x)
		return 0;
	struct loc_entry key;
	snprintf(key.code, sizeof(key.code), "%s", code);
	const struct loc_entry *e = bsearch(&key, x->e, x->n, sizeof(*x->e), by_code);
	if (!e)
		return 0;
	hit->code = e->code;
	hit->name = e->name;
	hit->level = e->level;
	return 1;
}

/* ---- the slot ----------------------------------------------------------------------------- */

struct loc_slot {
	_Atomic(struct loc_index *) cur;
	atomic_uint epoch;
	atomic_long readers[2];
	atomic_flag writing;
};

struct loc_slot *loc_slot_new(void)
{
	struct loc_slot *s = xcalloc(1, sizeof(*s));
	atomic_init(&s->cur, NULL);
	atomic_init(&s->epoch, 0);
	atomic_init(&s->readers[0], 0);
	atomic_init(&s->readers[1], 0);
	atomic_flag_clear(&s->writing);
	return s;
}

void loc_slot_free(struct loc_slot *s)
{
	if (!s)
		return;
	loc_index_free(atomic_load(&s->cur));
	free(s);
}

const struct loc_index *loc_slot_enter(struct loc_slot *s, unsigned *ticket)
{
	unsigned e = atomic_load(&s->epoch) & 1u;
	atomic_fetch_add(&s->readers[e], 1);
	*ticket = e;
	return atomic_load(&s->cur);
}

void loc_slot_leave(struct loc_slot *s, unsigned ticket)
{
	atomic_fetch_sub(&s->readers[ticket & 1u], 1);
}

void loc_slot_swap(struct loc_slot *s, struct loc_index *idx)
{
	while (atomic_flag_test_and_set(&s->writing))
		sched_yield();
	struct loc_index *old = atomic_exchange(&s->cur, idx);
	/*
	 * Two flips: after the first, new readers count on the other counter and the old one
	 * drains; a reader that read the epoch before the flip but counted itself after it
	 * lands on the counter drained by the second flip. Either way every reader that could
	 * hold `old` has left when both waits are over.
	 */
	for (int flip = 0; flip < 2; flip++) {
		unsigned e = atomic_fetch_add(&s->epoch, 1) & 1u;
		while (atomic_load(&s->readers[e]) != 0)
			sched_yield();
	}
	atomic_flag_clear(&s->writing);
	loc_index_free(old);
}
