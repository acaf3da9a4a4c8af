/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Grids and categories read a moment ago. Every case written reads its category (for the
 * time limits) and its grid (for the level and the parent); every case shown reads its
 * grid's name. Those rows change seldom, so a hit here, at most CACHE_TTL_MS old, stands
 * in for the read — on PostgreSQL one statement fewer each, on the writer's one thread.
 *
 * Exact within this process: an entry carries store_epoch(STORE_EPOCH_CATALOG) of before
 * its read, and every write of a grid, a category or the grids' counts here moves that
 * epoch at the write and again when its transaction ends. A transaction that has written
 * such rows neither reads from nor fills the cache (its rows are not committed). Another
 * process's change (the CLI's import, a second server on the same PostgreSQL) is seen
 * within CACHE_TTL_MS, and a moved test clock (clock_set) ends every entry. Entries are
 * kept per database (a hash of the DSN), as one process may open several.
 */
#include <pthread.h>
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "gridgov/clock.h"
#include "store/store_int.h"

#define CACHE_TTL_MS   2000
#define GRID_SLOTS     8192
#define CATEGORY_SLOTS 1024
#define LOCKS	       64

struct stamp {
	uint64_t db, epoch;
	int64_t at_ms, at_wall;
};

static struct {
	pthread_mutex_t lock[LOCKS];
	struct grid_slot {
		struct stamp t;
		struct grid_node g;
	} grid[GRID_SLOTS];
	struct category_slot {
		struct stamp t;
		struct store_category c;
	} category[CATEGORY_SLOTS];
} cache = {.lock = {[0 ... LOCKS - 1] = PTHREAD_MUTEX_INITIALIZER}};

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static size_t hash(const char *key, size_t slots)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = key; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (size_t)(h % slots);
}

static int fresh(const struct store *s, const struct stamp *t)
{
	int64_t wall = clock_now();
	return t->at_ms && t->db == s->db_id && t->epoch == store_epoch(STORE_EPOCH_CATALOG) &&
	       mono_ms() - t->at_ms < CACHE_TTL_MS && wall >= t->at_wall &&
	       (wall - t->at_wall) * 1000 <= CACHE_TTL_MS;
}

static void stamp(const struct store *s, struct stamp *t, uint64_t epoch)
{
	t->db = s->db_id;
	t->epoch = epoch;
	t->at_ms = mono_ms();
	t->at_wall = clock_now();
}

/* a transaction that wrote grids or categories sees its own rows, never the cache's */
static int usable(const struct store *s)
{
	return !(s->epoch_dirty & (1u << STORE_EPOCH_CATALOG));
}

int store__cache_grid(struct store *s, const char *code, struct grid_node *g)
{
	if (!usable(s) || strlen(code) >= sizeof(g->code))
		return 0;
	size_t i = hash(code, GRID_SLOTS);
	pthread_mutex_lock(&cache.lock[i % LOCKS]);
	const struct grid_slot *e = &cache.grid[i];
	int hit = fresh(s, &e->t) && !strcmp(e->g.code, code);
	if (hit)
		*g = e->g;
	pthread_mutex_unlock(&cache.lock[i % LOCKS]);
	return hit;
}

void store__cache_grid_put(struct store *s, uint64_t epoch, const struct grid_node *g)
{
	if (!usable(s))
		return;
	size_t i = hash(g->code, GRID_SLOTS);
	pthread_mutex_lock(&cache.lock[i % LOCKS]);
	cache.grid[i].g = *g;
	stamp(s, &cache.grid[i].t, epoch);
	pthread_mutex_unlock(&cache.lock[i % LOCKS]);
}

int store__cache_category(struct store *s, const char *code, struct store_category *c)
{
	if (!usable(s) || strlen(code) >= sizeof(c->code))
		return 0;
	size_t i = hash(code, CATEGORY_SLOTS);
	pthread_mutex_lock(&cache.lock[i % LOCKS]);
	const struct category_slot *e = &cache.category[i];
	int hit = fresh(s, &e->t) && !strcmp(e->c.code, code);
	if (hit)
		*c = e->c;
	pthread_mutex_unlock(&cache.lock[i % LOCKS]);
	return hit;
}

void store__cache_category_put(struct store *s, uint64_t epoch, const struct store_category *c)
{
	if (!usable(s))
		return;
	size_t i = hash(c->code, CATEGORY_SLOTS);
	pthread_mutex_lock(&cache.lock[i % LOCKS]);
	cache.category[i].c = *c;
	stamp(s, &cache.category[i].t, epoch);
	pthread_mutex_unlock(&cache.lock[i % LOCKS]);
}
