/* SPDX-License-Identifier: Apache-2.0 */
/* Token buckets in an open-addressed table with least-recently-seen eviction. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/rate.h"
#include "gridgov/xalloc.h"

#define KEY_MAX 80

struct bucket {
	char key[KEY_MAX]; /* "" = free */
	double tokens;
	int64_t last_ms;
};

struct rate_limiter {
	pthread_mutex_t lock;
	struct bucket *b;
	size_t n;
};

struct rate_limiter *rate_new(size_t slots)
{
	struct rate_limiter *rl = xcalloc(1, sizeof(*rl));
	pthread_mutex_init(&rl->lock, NULL);
	rl->n = slots ? slots : 1;
	rl->b = xcalloc(rl->n, sizeof(*rl->b));
	return rl;
}

void rate_free(struct rate_limiter *rl)
{
	if (!rl)
		return;
	pthread_mutex_destroy(&rl->lock);
	free(rl->b);
	free(rl);
}

static uint64_t hash(const char *s)
{
	uint64_t h = 1469598103934665603ull; /* FNV-1a */
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

/* The key's bucket, else a free one, else (of the 8 probed) the stalest, reused. */
static struct bucket *find(struct rate_limiter *rl, const char *key, int *fresh)
{
	size_t h = (size_t)(hash(key) % rl->n), probes = rl->n < 8 ? rl->n : 8;
	struct bucket *victim = NULL;
	for (size_t i = 0; i < probes; i++) {
		struct bucket *b = &rl->b[(h + i) % rl->n];
		if (b->key[0] && !strncmp(b->key, key, KEY_MAX - 1)) {
			*fresh = 0;
			return b;
		}
		if (!b->key[0]) {
			if (!victim || victim->key[0])
				victim = b;
		} else if (!victim || (victim->key[0] && b->last_ms < victim->last_ms)) {
			victim = b;
		}
	}
	*fresh = 1;
	return victim;
}

int rate_take(struct rate_limiter *rl, const char *key, int64_t now_ms, double per_minute,
	      double burst, int64_t *retry_ms)
{
	pthread_mutex_lock(&rl->lock);
	int fresh;
	struct bucket *b = find(rl, key, &fresh);
	if (fresh) {
		memset(b, 0, sizeof(*b));
		strncpy(b->key, key, KEY_MAX - 1);
		b->tokens = burst;
		b->last_ms = now_ms;
	}
	double per_ms = per_minute / 60000.0;
	if (now_ms > b->last_ms) {
		b->tokens += (double)(now_ms - b->last_ms) * per_ms;
		if (b->tokens > burst)
			b->tokens = burst;
		b->last_ms = now_ms;
	}
	int ok = b->tokens >= 1.0;
	if (ok)
		b->tokens -= 1.0;
	else if (retry_ms)
		*retry_ms = per_ms > 0 ? (int64_t)((1.0 - b->tokens) / per_ms) + 1 : INT64_MAX;
	pthread_mutex_unlock(&rl->lock);
	return ok;
}
