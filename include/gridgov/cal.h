/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The working-day calendar time limits are counted on: weekends off, public holidays
 * off, swapped working days 调休 on (both per-year configuration, see data/calendar/),
 * and working hours as configuration. Times are epoch seconds; days and hours are
 * local (a fixed offset: China has one time zone and no daylight saving).
 */
#ifndef GRIDGOV_CAL_H
#define GRIDGOV_CAL_H

#include <stddef.h>
#include <stdint.h>

#define CAL_MAX_DAYS	512
#define CAL_MAX_PERIODS 4

enum cal_day_kind {
	CAL_DEFAULT, /* by weekday: Monday to Friday work */
	CAL_HOLIDAY, /* 法定节假日 / 休息日, off */
	CAL_WORKDAY, /* 调休上班, on even on a weekend */
};

struct cal {
	int tz_offset; /* seconds east of UTC (28800 for +08:00) */
	int nperiods;
	struct {
		int start, end; /* seconds after local midnight */
	} periods[CAL_MAX_PERIODS];
	size_t ndays;
	struct {
		int64_t day; /* local days since 1970-01-01 */
		enum cal_day_kind kind;
	} days[CAL_MAX_DAYS];
};

/** +08:00, working hours 09:00–12:00 and 13:00–18:00 (8 h, the day category limits assume), no
 * holidays. */
void cal_init(struct cal *c);
/** Working hours, "HH:MM-HH:MM[,HH:MM-HH:MM…]" in order; -1 on a bad spec (c unchanged). */
int cal_set_hours(struct cal *c, const char *spec);
/** Mark a local date "YYYY-MM-DD" as holiday or working day; -1 if bad or the table is full. */
int cal_set_day(struct cal *c, const char *date, enum cal_day_kind kind);
/** "holiday" / "workday" → kind; -1 if unknown. */
int cal_kind_parse(const char *name);

/** 1 if the local day (days since the epoch) is a working day. */
int cal_is_workday(const struct cal *c, int64_t day);
/** Working seconds in one working day. */
int64_t cal_day_secs(const struct cal *c);

/** The moment secs of working time after start (start itself if secs <= 0). */
int64_t cal_add(const struct cal *c, int64_t start, int64_t secs);
/** start + N working hours / working days (a working day = cal_day_secs). */
int64_t cal_add_hours(const struct cal *c, int64_t start, int64_t hours);
int64_t cal_add_days(const struct cal *c, int64_t start, int64_t days);
/** Working seconds between from and to (0 if to <= from). */
int64_t cal_between(const struct cal *c, int64_t from, int64_t to);

#endif
