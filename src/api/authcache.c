/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Who a token is, remembered for a moment. Every request names its caller by a session
 * token; reading the session and its user costs a transaction of its own on the database
 * (three statements on PostgreSQL), more than the rest of a small write. So a hit here,
 * at most API_AUTH_TTL_S old, stands in for it.
 *
 * Never stale within this process: an entry carries the store's auth epoch
 * (store_epoch) of before its read, and any user or session write here (a logout, a
 * login, a lock, a new password, an admin's change) moves the epoch, at the write and
 * again when its transaction ends, so every entry older than that write is ignored.
 * Another process's change (a second server on the same PostgreSQL, the CLI) reaches
 * this one within API_AUTH_TTL_S, as does a session's expiry. The test clock moving
 * (clock_set) also ends every entry: an entry holds only while the wall clock is within
 * the TTL of when it was read.
 *
 * A fixed table of slots addressed by the token hash, each behind one of a few locks:
 * memory is bounded, and a collision only costs a database read.
 */
#include <stdatomic.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/sec.h"
#include "gridgov/xalloc.h"

#define SLOTS 4096
#define LOCKS 64

struct entry {
	char token_hash[SEC_TOKEN_HASH_LEN];
	struct principal who;
	uint64_t epoch;
	int64_t at_ms;	 /* monotonic */
	int64_t at_wall; /* clock_now() */
};

struct api_authcache {
	pthread_mutex_t lock[LOCKS];
	struct entry slot[SLOTS];
	atomic_ullong hits, misses;
};

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static size_t slot_of(const char *token_hash)
{
	uint64_t h = 1469598103934665603ull;
	for (const char *p = token_hash; *p; p++)
		h = (h ^ (unsigned char)*p) * 1099511628211ull;
	return (size_t)(h % SLOTS);
}

struct api_authcache *api__authcache_new(void)
{
	struct api_authcache *c = xcalloc(1, sizeof(*c));
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_init(&c->lock[i], NULL);
	return c;
}

void api__authcache_free(struct api_authcache *c)
{
	if (!c)
		return;
	for (int i = 0; i < LOCKS; i++)
		pthread_mutex_destroy(&c->lock[i]);
	free(c);
}

int api__authcache_get(struct api_authcache *c, const char *token_hash, struct principal *who)
{
	if (!c)
		return 0;
	size_t i = slot_of(token_hash);
	uint64_t epoch = store_epoch(STORE_EPOCH_AUTH);
	int64_t now = mono_ms(), wall = clock_now();
	int hit = 0;
	pthread_mutex_lock(&c->lock[i % LOCKS]);
	const struct entry *e = &c->slot[i];
	if (e->token_hash[0] && !strcmp(e->token_hash, token_hash) && e->epoch == epoch &&
	    now - e->at_ms < API_AUTH_TTL_S * 1000 && wall >= e->at_wall &&
	    wall - e->at_wall <= API_AUTH_TTL_S) {
		*who = e->who;
		hit = 1;
	}
	pthread_mutex_unlock(&c->lock[i % LOCKS]);
	atomic_fetch_add(hit ? &c->hits : &c->misses, 1);
	return hit;
}

void api__authcache_put(struct api_authcache *c, const char *token_hash, uint64_t epoch,
			const struct principal *who)
{
	if (!c || strlen(token_hash) >= SEC_TOKEN_HASH_LEN)
		return;
	size_t i = slot_of(token_hash);
	pthread_mutex_lock(&c->lock[i % LOCKS]);
	struct entry *e = &c->slot[i];
	memcpy(e->token_hash, token_hash, strlen(token_hash) + 1);
	e->who = *who;
	e->epoch = epoch;
	e->at_ms = mono_ms();
	e->at_wall = clock_now();
	pthread_mutex_unlock(&c->lock[i % LOCKS]);
}

void api__authcache_counts(const struct api_authcache *c, unsigned long long *hits,
			   unsigned long long *misses)
{
	*hits = c ? atomic_load(&c->hits) : 0;
	*misses = c ? atomic_load(&c->misses) : 0;
}
