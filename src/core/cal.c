/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Working-time arithmetic: walk the calendar day by day through the working periods.
 * Limits are days or hours, so the walk covers a few weeks at most; a calendar with no
 * working time at all stops after ten years rather than spinning.
 */
#include <stdio.h>
#include <string.h>

#include "gridgov/cal.h"

#define WALK_DAYS 3660

static int64_t floor_div(int64_t a, int64_t b)
{
	return a / b - (a % b != 0 && (a < 0) != (b < 0));
}

void cal_init(struct cal *c)
{
	memset(c, 0, sizeof(*c));
	c->tz_offset = 8 * 3600;
	cal_set_hours(c, "09:00-12:00,13:00-18:00");
}

int cal_set_hours(struct cal *c, const char *spec)
{
	struct cal tmp = *c;
	tmp.nperiods = 0;
	const char *p = spec;
	int prev_end = 0;
	while (*p) {
		int h1, m1, h2, m2, n = 0;
		if (sscanf(p, "%2d:%2d-%2d:%2d%n", &h1, &m1, &h2, &m2, &n) != 4 || n == 0)
			return -1;
		int s = h1 * 3600 + m1 * 60, e = h2 * 3600 + m2 * 60;
		if (tmp.nperiods == CAL_MAX_PERIODS || m1 > 59 || m2 > 59 || s < prev_end ||
		    e <= s || e > 86400)
			return -1;
		tmp.periods[tmp.nperiods].start = s;
		tmp.periods[tmp.nperiods].end = e;
		tmp.nperiods++;
		prev_end = e;
		p += n;
		if (*p == ',')
			p++;
		else if (*p)
			return -1;
	}
	if (tmp.nperiods == 0)
		return -1;
	c->nperiods = tmp.nperiods;
	memcpy(c->periods, tmp.periods, sizeof(c->periods));
	return 0;
}

static int64_t civil_days(int y, int m, int d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153u * (unsigned)(m + (m > 2 ? -3 : 9)) + 2) / 5 + (unsigned)d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return (int64_t)era * 146097 + (int64_t)doe - 719468;
}

int cal_set_day(struct cal *c, const char *date, enum cal_day_kind kind)
{
	int y, m, d, n = 0;
	if (sscanf(date, "%4d-%2d-%2d%n", &y, &m, &d, &n) != 3 || n != 10 || date[10] || m < 1 ||
	    m > 12 || d < 1 || d > 31)
		return -1;
	int64_t day = civil_days(y, m, d);
	for (size_t i = 0; i < c->ndays; i++)
		if (c->days[i].day == day) {
			c->days[i].kind = kind;
			return 0;
		}
	if (c->ndays == CAL_MAX_DAYS)
		return -1;
	c->days[c->ndays].day = day;
	c->days[c->ndays].kind = kind;
	c->ndays++;
	return 0;
}

int cal_kind_parse(const char *name)
{
	if (!strcmp(name, "holiday"))
		return CAL_HOLIDAY;
	if (!strcmp(name, "workday"))
		return CAL_WORKDAY;
	return -1;
}

int cal_is_workday(const struct cal *c, int64_t day)
{
	for (size_t i = 0; i < c->ndays; i++)
		if (c->days[i].day == day && c->days[i].kind != CAL_DEFAULT)
			return c->days[i].kind == CAL_WORKDAY;
	int64_t wd = ((day + 4) % 7 + 7) % 7; /* 1970-01-01 was a Thursday; 0 = Sunday */
	return wd != 0 && wd != 6;
}

int64_t cal_day_secs(const struct cal *c)
{
	int64_t s = 0;
	for (int i = 0; i < c->nperiods; i++)
		s += c->periods[i].end - c->periods[i].start;
	return s;
}

int64_t cal_add(const struct cal *c, int64_t start, int64_t secs)
{
	if (secs <= 0)
		return start;
	int64_t local = start + c->tz_offset;
	int64_t day = floor_div(local, 86400), sod = local - day * 86400;
	for (int walked = 0; walked < WALK_DAYS; walked++, day++, sod = 0) {
		if (!cal_is_workday(c, day))
			continue;
		for (int i = 0; i < c->nperiods; i++) {
			if (sod >= c->periods[i].end)
				continue;
			int64_t from = sod > c->periods[i].start ? sod : c->periods[i].start;
			int64_t avail = c->periods[i].end - from;
			if (secs <= avail)
				return day * 86400 + from + secs - c->tz_offset;
			secs -= avail;
			sod = c->periods[i].end;
		}
	}
	return INT64_MAX;
}

int64_t cal_add_hours(const struct cal *c, int64_t start, int64_t hours)
{
	return cal_add(c, start, hours * 3600);
}

int64_t cal_add_days(const struct cal *c, int64_t start, int64_t days)
{
	return cal_add(c, start, days * cal_day_secs(c));
}

int64_t cal_between(const struct cal *c, int64_t from, int64_t to)
{
	if (to <= from)
		return 0;
	int64_t lf = from + c->tz_offset, lt = to + c->tz_offset, total = 0;
	for (int64_t day = floor_div(lf, 86400); day * 86400 < lt; day++) {
		if (!cal_is_workday(c, day))
			continue;
		for (int i = 0; i < c->nperiods; i++) {
			int64_t s = day * 86400 + c->periods[i].start;
			int64_t e = day * 86400 + c->periods[i].end;
			if (s < lf)
				s = lf;
			if (e > lt)
				e = lt;
			if (e > s)
				total += e - s;
		}
	}
	return total;
}
