/* SPDX-License-Identifier: Apache-2.0 */
/* Real time plus an offset that only test mode may change. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <stdlib.h>
#include <time.h>

#include "gridgov/clock.h"

static atomic_int test_mode;
static int64_t zone_offset = 8 * 3600;
static char zone_name[64] = CLOCK_DEFAULT_ZONE;
static _Atomic int64_t offset_ms;

int64_t clock_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000 + atomic_load(&offset_ms);
}

int64_t clock_now(void)
{
	return clock_now_ms() / 1000;
}

uint64_t clock_mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

void clock_enable_test_mode(int on)
{
	atomic_store(&test_mode, on);
	if (!on)
		atomic_store(&offset_ms, 0);
}

int clock_test_mode(void)
{
	return atomic_load(&test_mode);
}

int clock_advance(int64_t secs)
{
	if (!atomic_load(&test_mode) || secs < 0)
		return -1;
	atomic_fetch_add(&offset_ms, secs * 1000);
	return 0;
}

int clock_set(int64_t epoch_secs)
{
	if (!atomic_load(&test_mode))
		return -1;
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	int64_t real_ms = (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
	atomic_store(&offset_ms, epoch_secs * 1000 - real_ms);
	return 0;
}

void clock_format_utc(int64_t t, char *out, unsigned outlen)
{
	time_t tt = (time_t)t;
	struct tm tm;
	gmtime_r(&tt, &tm);
	strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

static int days_from_civil(int y, int m, int d, int64_t *out)
{
	/* Howard Hinnant's algorithm: days since 1970-01-01 of a proleptic Gregorian date. */
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	*out = (int64_t)era * 146097 + (int64_t)doe - 719468;
	return 0;
}

int clock_parse(const char *s, int64_t *out)
{
	int y, mo, d, h = 0, mi = 0, se = 0, n = 0;
	if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &n) != 3 || n != 10)
		return -1;
	const char *p = s + 10;
	int64_t tz = 0;
	if (*p == 'T' || *p == ' ') {
		int m = 0;
		if (sscanf(p + 1, "%2d:%2d:%2d%n", &h, &mi, &se, &m) != 3 || m != 8)
			return -1;
		p += 1 + m;
		if (*p == '.')
			for (p++; *p >= '0' && *p <= '9'; p++)
				;
		if (*p == 'Z') {
			p++;
		} else if (*p == '+' || *p == '-') {
			int th, tm;
			if (sscanf(p + 1, "%2d:%2d", &th, &tm) != 2 || strlen(p) != 6)
				return -1;
			tz = (int64_t)(th * 3600 + tm * 60) * (*p == '+' ? 1 : -1);
			p += 6;
		}
	}
	if (*p)
		return -1;
	static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 60)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return -1;
	int64_t days;
	days_from_civil(y, mo, d, &days);
	*out = days * 86400 + h * 3600 + mi * 60 + se - tz;
	return 0;
}

/* "+08:00", "-05:30", "+8", "UTC", "Z": a fixed offset; -1 if s is not one. */
static int parse_offset(const char *s, int64_t *out)
{
	if (!strcmp(s, "UTC") || !strcmp(s, "Z") || !strcmp(s, "Etc/UTC")) {
		*out = 0;
		return 0;
	}
	if (*s != '+' && *s != '-')
		return -1;
	int h = 0, m = 0, n = 0;
	if (sscanf(s + 1, "%2d:%2d%n", &h, &m, &n) == 2 && s[1 + n] == 0) {
	} else if (sscanf(s + 1, "%2d%n", &h, &n) == 1 && s[1 + n] == 0) {
		m = 0;
	} else {
		return -1;
	}
	if (h > 14 || m > 59)
		return -1;
	*out = (int64_t)(h * 3600 + m * 60) * (*s == '-' ? -1 : 1);
	return 0;
}

/* The UTC offset of IANA zone name at t, read from tzdata; -1 if there is no such zone. */
static int zone_offset_at(const char *name, time_t t, int64_t *out)
{
	char path[256];
	snprintf(path, sizeof(path), "/usr/share/zoneinfo/%s", name);
	if (strstr(name, "..") || access(path, R_OK) != 0)
		return -1;
	char *old = getenv("TZ") ? strdup(getenv("TZ")) : NULL;
	setenv("TZ", name, 1);
	tzset();
	struct tm tm;
	int ok = localtime_r(&t, &tm) != NULL;
	if (old) {
		setenv("TZ", old, 1);
		free(old);
	} else {
		unsetenv("TZ");
	}
	tzset();
	if (!ok)
		return -1;
	*out = tm.tm_gmtoff;
	return 0;
}

int clock_set_zone(const char *name)
{
	int64_t off;
	if (!name || !*name || strlen(name) >= sizeof(zone_name))
		return -1;
	if (parse_offset(name, &off) != 0) {
		/* Asia/Shanghai is known without tzdata: a minimal machine may lack it. */
		if (!strcmp(name, "Asia/Shanghai") || !strcmp(name, "PRC")) {
			off = 8 * 3600;
		} else {
			int64_t jan, jul;
			time_t now = time(NULL);
			struct tm tm;
			gmtime_r(&now, &tm);
			tm.tm_mon = 0, tm.tm_mday = 15, tm.tm_hour = 12;
			time_t a = timegm(&tm);
			tm.tm_mon = 6;
			time_t b = timegm(&tm);
			if (zone_offset_at(name, a, &jan) || zone_offset_at(name, b, &jul) ||
			    jan != jul)
				return -1;
			off = jan;
		}
	}
	zone_offset = off;
	snprintf(zone_name, sizeof(zone_name), "%s", name);
	return 0;
}

const char *clock_zone_name(void)
{
	return zone_name;
}

int64_t clock_utc_offset(void)
{
	return zone_offset;
}

int64_t clock_local_day(int64_t t)
{
	int64_t l = t + zone_offset;
	return l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
}

int64_t clock_day_start(int64_t day)
{
	return day * 86400 - zone_offset;
}

void clock_format_local_date(int64_t t, char *out, unsigned outlen)
{
	char s[32];
	clock_format_utc(clock_local_day(t) * 86400, s, sizeof(s));
	snprintf(out, outlen, "%.10s", s);
}

void clock_format_local(int64_t t, char *out, unsigned outlen)
{
	char s[32];
	clock_format_utc(t + zone_offset, s, sizeof(s));
	int64_t o = zone_offset < 0 ? -zone_offset : zone_offset;
	snprintf(out, outlen, "%.19s%c%02d:%02d", s, zone_offset < 0 ? '-' : '+', (int)(o / 3600),
		 (int)(o % 3600 / 60));
}

int clock_parse_bound(const char *s, int is_end, int64_t *out)
{
	if (clock_parse(s, out))
		return -1;
	if (strlen(s) == 10)
		*out = clock_day_start(
		    *out / 86400 + (is_end ? 1 : 0)); /* exact: a date parses to its UTC midnight */
	return 0;
}
