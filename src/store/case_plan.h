/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case list's plan, the same for every backend: which conditions a filter holds, and
 * which one drives the query — the index walked newest first, chosen for the rarest
 * condition (the order is a year of a district's shape). Each backend writes the SQL of
 * each driver (src/store/sqlite/case.c, src/store/pg/case.c); the choice is made once,
 * here, so both bound a page by the same rows.
 */
#ifndef GRIDGOV_STORE_CASE_PLAN_H
#define GRIDGOV_STORE_CASE_PLAN_H

#include "gridgov/store_case.h"

/* The conditions of a filter (bits). */
enum {
	C_SUBTREE = 1,
	C_DEPARTMENT = 2,
	C_STATE = 4,
	C_CATEGORY = 8,
	C_CHANNEL = 16,
	C_MERGED = 32,
	C_OPEN = 64,
	C_DUE = 128,
	C_KEEP = 256,
	C_ID = 512,
	C_PHONE = 1024,
	C_TEXT = 2048,	  /* keyword or address: never a driver, always a test of the row */
	C_CREATED = 4096, /* a creation range: bounds the ids walked, then a test of the row */
};

/* The drivers, each an index of migration 022 (or 042: the caller's phone). */
enum driver {
	DRV_ID,
	DRV_ONE,   /* the case number: the primary key, one row */
	DRV_PHONE, /* the caller's phone: citizen_report_by_phone, a caller's few cases */
	DRV_MERGED,
	DRV_OPEN_SUBTREE, /* the open cases of a subtree, sorted: a grid worker's phone */
	DRV_SUBGRID,	  /* below a grid: micro-grids and buildings, a handful of cases */
	DRV_GRID,
	DRV_CATEGORY,
	DRV_COMMUNITY,
	DRV_LIVE, /* the deadline range of the light */
	DRV_OPEN,
	DRV_DEPARTMENT,
	DRV_STREET,
	DRV_STATE,
	DRV_CHANNEL,
	DRV_COUNT
};

/* A count reads each row when the driver alone does not answer the filter: it looks at
 * this many times fewer rows than a tally of the index alone for the same bound. */
#define COUNT_READ_COST 8

/** Whether s is given (not NULL, not ""). */
int store__given(const char *s);
/** The conditions of filter f whose grid subtree is code ("" = every case). */
int store__case_conditions(const struct store_case_filter *f, const char *code);
/** The driver for the rarest condition of f. */
enum driver store__case_driver(const struct store_case_filter *f, const char *code);
/** The conditions driver d's index answers alone (when they are all of a filter's, its
 * total is a tally of the index). */
int store__case_implies(enum driver d);

#endif
