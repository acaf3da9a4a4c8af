/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Token-bucket rate limiting by key (a client address plus the door it knocks on), in a
 * fixed table so memory stays bounded whatever the traffic. Thread-safe.
 */
#ifndef GRIDGOV_RATE_H
#define GRIDGOV_RATE_H

#include <stddef.h>
#include <stdint.h>

struct rate_limiter;

/** A limiter tracking up to slots keys at once; free with rate_free. */
struct rate_limiter *rate_new(size_t slots);
void rate_free(struct rate_limiter *rl);

/**
 * Take one token from key's bucket, which refills at per_minute tokens a minute up to
 * burst. Returns 1 if allowed; 0 if not, with *retry_ms until a token is due.
 * When the table is full the least recently seen key is forgotten.
 */
int rate_take(struct rate_limiter *rl, const char *key, int64_t now_ms, double per_minute,
	      double burst, int64_t *retry_ms);

#endif
