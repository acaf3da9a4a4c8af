/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Case summaries 统计汇总: the counts the command center reads (indicators, heat map),
 * kept by the store in the same transaction as every case change, so that a read costs
 * in proportion to groups × days, never to cases. Same conventions as store.h: GG_OK or
 * a negative gg_err with *err filled; arrays come from the caller's arena.
 *
 * What is kept (docs/cases.md, "Indicators", says why):
 * - per CST day of creation × node × dimension: the 13 per-case facts of the indicators
 *   (reported … satisfied), and per CST day of closing the closures (closed_day,
 *   closed_day_on_time), so by=day can count closures by the day closed;
 * - per node × dimension, live: open and overdue (open, with a deadline, and at least one
 *   督办 round opened on the current stage: the scheduler opens round 1 as soon as the
 *   deadline passes);
 * - per CST week (Monday to Sunday) × basic-grid node × department × heat-map cell of
 *   0.0005°: the number of cases reported there on each of the week's days (not merged),
 *   cases without a point in a cell of their own.
 *
 * A node is the case's ancestor at each of four levels: district (6 digits), street
 * (9), community (12) and the "grid key" (15, the group of by=grid: the basic grid, or
 * the case's own node when that lies above a basic grid, or the micro-grid itself when
 * the case is handled at grid level or above; see key_of in src/api/stats.c). A case
 * placed above a level counts at that level under its own node (a street-level case is
 * its own community-level node). Dimensions: kind 0 all cases (dept and chan ""), kind 1
 * per department (chan ""), kind 2 per department × channel. Department "" is "none yet".
 */
#ifndef GRIDGOV_STORE_STATS_H
#define GRIDGOV_STORE_STATS_H

#include "gridgov/store_case.h"

/* The counters of a day row, in this order. */
enum store_sum_col {
	SUM_REPORTED,
	SUM_FILED,
	SUM_FILED_ON_TIME,
	SUM_DISPATCHED,
	SUM_ACCURATE,
	SUM_HANDLED,
	SUM_HANDLED_ON_TIME,
	SUM_CLOSED,
	SUM_CLOSED_ON_TIME,
	SUM_REWORKED,
	SUM_EXTENDED,
	SUM_RATED,
	SUM_SATISFIED,
	SUM_CLOSED_DAY,		/* closures on this day (by closing day) */
	SUM_CLOSED_DAY_ON_TIME, /* … of them on time */
	SUM_NCOLS
};

#define STORE_SUM_LEVELS 4 /* district, street, community, grid key */
#define STORE_SUM_KINDS	 3 /* all, department, department × channel */
#define STORE_HEAT_CELL	 0.0005
/* The cell of a case without a point (both coordinates). */
#define STORE_HEAT_UNPLACED ((int64_t)1 << 40)
/* The heat rows' weeks: the CST day number of the Monday that starts day's week, and
 * day's place in it (0 Monday … 6 Sunday). Day 0, 1970-01-01, was a Thursday. */
#define STORE_HEAT_DOW(day)  ((int)((((day) + 3) % 7 + 7) % 7))
#define STORE_HEAT_WEEK(day) ((day)-STORE_HEAT_DOW(day))
/* The department of the heat rows that count every department's cases (no department
 * code is "*"): the map without a department filter reads only these. */
#define STORE_HEAT_ANY_DEPT "*"

/** What store_stats_sum reads: rows of one level and kind under a scope, days [day_from, day_to).
 */
struct store_stats_q {
	const char *scope; /* node range: codes starting with it ("" = all) */
	int lvl;	   /* 1 district … 4 grid key */
	int kind;	   /* 0 all, 1 department, 2 department × channel */
	const char *dept;  /* kind 1, 2: only this department (NULL = every one) */
	int64_t day_from, day_to;
	int by_day; /* group by day (summing nodes) instead of by node */
};

/* A node key: a grid code, or on a province's server (store_province.h) "CITY:CODE". */
#define STORE_NODE_MAX (GRID_CODE_MAX + 32)

/** One group of summary counters. */
struct store_stats_row {
	char node[STORE_NODE_MAX]; /* "" when grouped by day */
	int64_t day;		  /* 0 when grouped by node */
	char dept[ROLE_DEPT_MAX], chan[32];
	int64_t v[SUM_NCOLS];
	int64_t open, overdue; /* live rows (store_stats_live) */
};

/**
 * The day rows of the window, keyed by (node, dept, chan) or by (day, dept, chan): a key
 * may come more than once (SQLite gives one row per day), in no particular order; the
 * caller adds them up.
 */
int store_stats_sum(struct store *s, const struct store_stats_q *q, struct arena *a,
		    struct store_stats_row **out, size_t *n, struct err *err) GG_WUR;
/** Live open/overdue per (node, dept, chan) of q's level, kind and scope (days ignored). */
int store_stats_live(struct store *s, const struct store_stats_q *q, struct arena *a,
		     struct store_stats_row **out, size_t *n, struct err *err) GG_WUR;

struct store_heat_cell {
	int64_t x, y; /* floor(lon / 0.0005), floor(lat / 0.0005); STORE_HEAT_UNPLACED */
	int64_t n;
};
/** Heat-map cells of cases reported on days [day_from, day_to) under scope, dept (NULL = any). */
int store_stats_heat(struct store *s, const char *scope, const char *dept, int64_t day_from,
		     int64_t day_to, struct arena *a, struct store_heat_cell **out, size_t *n,
		     struct err *err) GG_WUR;

/**
 * Cases under scope (department dept, NULL = any) whose created_at (closed = 0) or
 * closed_at (closed = 1) lies in [from, to), through an index on that column: the
 * bounded read behind windows that do not fall on day boundaries.
 */
int store_stats_cases(struct store *s, const char *scope, const char *dept, int closed,
		      int64_t from, int64_t to, struct arena *a, struct store_case **out, size_t *n,
		      struct err *err) GG_WUR;

/**
 * Whether the summaries are usable: built (not left for a rebuild by the migration over
 * existing cases) and kept in the platform's current time zone. *ok is 0 otherwise.
 */
int store_stats_ready(struct store *s, int *ok, struct err *err) GG_WUR;
/**
 * Recompute every summary from the cases, in one transaction of its own (`gridgov stats
 * rebuild`, and `serve` when store_stats_ready says so). *cases is the number read.
 */
int store_stats_rebuild(struct store *s, int64_t *cases, struct err *err) GG_WUR;
/**
 * For a bulk writer that rebuilds at its end: until store_stats_rebuild, case writes on
 * this connection leave the summaries alone, and they are marked unbuilt (committed at
 * once), so a writer that dies half-way leaves a database `serve` rebuilds at start.
 */
int store_stats_defer(struct store *s, struct err *err) GG_WUR;

/* ---- the per-case facts (backend-neutral, used by the store and the tests) ------- */

/** Whether a case counts as open (not closed, evaluated, rejected or merged). */
int store_case_is_open(const struct store_case *c);
/** Whether an open case counts as overdue in the summaries (see above). */
int store_case_is_overdue(const struct store_case *c);
/** The four node keys of a case (district, street, community, grid key) into out. */
void store_case_nodes(const struct store_case *c, char out[STORE_SUM_LEVELS][GRID_CODE_MAX]);

#endif
