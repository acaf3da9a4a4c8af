/* SPDX-License-Identifier: Apache-2.0 */
/* Real time plus an offset that only test mode may change. */
#include <stdatomic.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "gridgov/clock.h"

static atomic_int test_mode;
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
