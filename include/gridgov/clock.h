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

/*
 * The platform's time zone. Every "day", "week" and "month" the API and the UI speak of is
 * a period of this zone (China Standard Time by default), never of UTC or of the machine.
 * Asia/Shanghai has kept UTC+8 without daylight saving since 1991, so the zone is held as
 * one fixed offset, resolved once at start-up.
 */
#define CLOCK_DEFAULT_ZONE "Asia/Shanghai"
/**
 * Set the zone from an IANA name ("Asia/Shanghai", resolved through the system's tzdata)
 * or a fixed offset ("+08:00", "UTC"). Returns 0, or -1 (the zone is unchanged) when the
 * name is unknown or the zone changes its offset during the year (daylight saving).
 * Call it before starting threads.
 */
int clock_set_zone(const char *name);
/** The zone's name as set ("Asia/Shanghai" by default). */
const char *clock_zone_name(void);
/** Seconds east of UTC of the platform's zone (28800 for China Standard Time). */
int64_t clock_utc_offset(void);
/** The local day of t: days since 1970-01-01 in the platform's zone (floor). */
int64_t clock_local_day(int64_t t);
/** The instant local day `day` begins (its 00:00 in the platform's zone). */
int64_t clock_day_start(int64_t day);
/** Format t's local date as YYYY-MM-DD into out (at least 11 bytes). */
void clock_format_local_date(int64_t t, char *out, unsigned outlen);
/** Format t as RFC 3339 with the zone's offset ("2026-12-08T01:30:00+08:00"; 26 bytes). */
void clock_format_local(int64_t t, char *out, unsigned outlen);
/**
 * Parse a window bound: an RFC 3339 time as given, or a local date YYYY-MM-DD meaning its
 * 00:00 in the platform's zone (or, with is_end, the 00:00 after it, so an end date
 * includes its day). Returns 0 or -1.
 */
int clock_parse_bound(const char *s, int is_end, int64_t *out);

/** Format t (epoch seconds) as RFC 3339 in UTC into out (at least 21 bytes). */
void clock_format_utc(int64_t t, char *out, unsigned outlen);
/** Parse "YYYY-MM-DDTHH:MM:SS[Z|+08:00]" or "YYYY-MM-DD"; returns 0 or -1. */
int clock_parse(const char *s, int64_t *out);

#endif
