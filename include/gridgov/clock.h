/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The one clock every part of gridgov asks for the time. Tests move it forward with
 * clock_advance (only when the process was started in test-clock mode), so deadlines,
 * token expiry and lock-outs can be checked without sleeping.
 */
#ifndef GRIDGOV_CLOCK_H
#define GRIDGOV_CLOCK_H

#include <stdint.h>

/** Wall-clock time in seconds since the epoch, plus any test offset. */
int64_t clock_now(void);
/** The same in milliseconds. */
int64_t clock_now_ms(void);
/** Monotonic nanoseconds, for measuring durations (never offset). */
uint64_t clock_mono_ns(void);

/** Allow clock_advance; off by default. */
void clock_enable_test_mode(int on);
int clock_test_mode(void);
/** Move the clock forward by secs (test mode only); returns 0, or -1 when not allowed. */
int clock_advance(int64_t secs);
/** Pin the clock to an absolute time (test mode only). */
int clock_set(int64_t epoch_secs);

/** Format t (epoch seconds) as RFC 3339 in UTC into out (at least 21 bytes). */
void clock_format_utc(int64_t t, char *out, unsigned outlen);
/** Parse "YYYY-MM-DDTHH:MM:SS[Z|+08:00]" or "YYYY-MM-DD"; returns 0 or -1. */
int clock_parse(const char *s, int64_t *out);

#endif
