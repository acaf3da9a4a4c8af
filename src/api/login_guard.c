/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Login lock-outs, counted in memory per key (an account name, or a name and a client
 * address) whether or not the name exists, so unknown and real names answer alike. An
 * attempt reserves its place before the slow password check, under one mutex: a burst
 * of parallel guesses gets at most `limit` passwords checked before the lock, and a
 * right password that finishes after the lock closed is refused. The table is fixed in
 * size; when it is full the entry seen longest ago that holds no lock and no attempt in
 * flight is reused, and when there is none the attempt is refused for now (429).
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include <sodium.h>

#include "gridgov/sec.h"
#include "gridgov/xalloc.h"

#define GUARD_SLOTS 4096
#define GUARD_WAYS  8
/* a slot holding failures is kept this long after its last attempt, so that pushing
 * other names into its set cannot wipe an account's count */
#define GUARD_KEEP_SECS (15 * 60)

struct guard_slot {
	uint64_t key; /* 0 = free */
	int failed, inflight;
	int64_t until, seen;
};

struct api_login_guard {
	pthread_mutex_t mu;
	/* keys are hashed with a secret chosen at start-up: no one can pick names that
	 * share a set with an account they want to reset or crowd out */
	unsigned char secret[crypto_shorthash_KEYBYTES];
	struct guard_slot slot[GUARD_SLOTS];
};

struct api_login_guard *api__guard_new(void)
{
	struct api_login_guard *g = xcalloc(1, sizeof(*g));
	pthread_mutex_init(&g->mu, NULL);
	randombytes_buf(g->secret, sizeof(g->secret));
	return g;
}

void api__guard_free(struct api_login_guard *g)
{
	if (!g)
		return;
	pthread_mutex_destroy(&g->mu);
	free(g);
}

static uint64_t key_of(const struct api_login_guard *g, const char *s)
{
	unsigned char h[crypto_shorthash_BYTES];
	crypto_shorthash(h, (const unsigned char *)s, strlen(s), g->secret);
	uint64_t k;
	memcpy(&k, h, sizeof(k));
	return k ? k : 1;
}

/*
 * The slot of key, with the mutex held: found, or (with take) a free or reusable one
 * taken over; NULL when there is none. Locked slots, slots with an attempt in flight and
 * slots with recent failures are never reused, so a reservation always finds its slot
 * again and a count of failures cannot be wiped by crowding its set.
 */
static struct guard_slot *find(struct api_login_guard *g, uint64_t key, int64_t now, int take)
{
	size_t set = (size_t)(key % (GUARD_SLOTS / GUARD_WAYS)) * GUARD_WAYS;
	struct guard_slot *victim = NULL;
	for (size_t i = set; i < set + GUARD_WAYS; i++) {
		struct guard_slot *s = &g->slot[i];
		if (s->key == key)
			return s;
		int busy = s->key && (s->until > now || s->inflight ||
				      (s->failed > 0 && now - s->seen < GUARD_KEEP_SECS));
		if (!busy && (!victim || !s->key || s->seen < victim->seen))
			victim = s;
	}
	if (!take || !victim)
		return NULL;
	memset(victim, 0, sizeof(*victim));
	victim->key = key;
	return victim;
}

int api__guard_reserve(struct api_login_guard *g, const char *key, int limit, int64_t now,
		       int64_t *until)
{
	uint64_t k = key_of(g, key);
	pthread_mutex_lock(&g->mu);
	struct guard_slot *s = find(g, k, now, 1);
	int rc = GG_OK;
	if (s)
		s->seen = now;
	if (!s) {
		*until = 0;
		rc = GG_ERATE; /* every slot of its set is locked or busy: later */
	} else if (s->until > now) {
		*until = s->until;
		rc = GG_ELOCKED;
	} else if (s->failed + s->inflight >= limit) {
		*until = 0;
		rc = GG_ERATE; /* enough guesses are being checked already */
	} else {
		s->inflight++;
	}
	pthread_mutex_unlock(&g->mu);
	return rc;
}

int api__guard_finish(struct api_login_guard *g, const char *key, int ok, int limit,
		      int64_t lock_secs, int64_t now, int64_t *until)
{
	uint64_t k = key_of(g, key);
	pthread_mutex_lock(&g->mu);
	struct guard_slot *s = find(g, k, now, 0);
	int rc = GG_OK;
	*until = 0;
	if (!s) {
		pthread_mutex_unlock(&g->mu);
		return GG_OK; /* cannot happen: a reserved slot is never reused */
	}
	if (s->inflight > 0)
		s->inflight--;
	if (s->until > now) {
		rc = GG_ELOCKED; /* locked while this attempt was being checked */
	} else if (ok) {
		s->failed = 0;
	} else if (++s->failed >= limit) {
		s->failed = 0;
		s->until = now + lock_secs;
		rc = GG_ELOCKED;
	}
	*until = s->until;
	pthread_mutex_unlock(&g->mu);
	return rc;
}

void api__guard_release(struct api_login_guard *g, const char *key, int64_t now)
{
	uint64_t k = key_of(g, key);
	pthread_mutex_lock(&g->mu);
	struct guard_slot *s = find(g, k, now, 0);
	if (s && s->inflight > 0)
		s->inflight--;
	pthread_mutex_unlock(&g->mu);
}
