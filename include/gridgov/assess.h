/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assessment 考核: scoring schemes, periods and rankings (issue 16). This header is the
 * pure part: a scheme (indicators over named counts, their weights, grade bands, the
 * deduction for 督办 points and the minimum-volume rule), the CST periods (week, month,
 * quarter, year, as CST day numbers), the score of one subject and the ranking of many.
 * No storage, no HTTP; schemes travel as JSON (assess_scheme_parse/_json, jansson only).
 * Where the counts come from is src/assess/run.c (store reads) and docs/assess.md.
 */
#ifndef GRIDGOV_ASSESS_H
#define GRIDGOV_ASSESS_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/err.h"

/* The kinds of subject a scheme scores. */
enum assess_kind {
	ASSESS_WORKER,	   /* 网格员 (and supervisors): app users of role grid_worker */
	ASSESS_DEPARTMENT, /* 职能部门 */
	ASSESS_REGION,	   /* the children of a grid node: streets, communities or grids */
	ASSESS_OPERATOR,   /* 指挥中心坐席 */
	ASSESS_KIND_COUNT
};

enum assess_period { ASSESS_WEEK, ASSESS_MONTH, ASSESS_QUARTER, ASSESS_YEAR, ASSESS_PERIOD_COUNT };

/*
 * The counts a subject may have in a period; an indicator is a formula over two of them.
 * The first 13 are the case summaries' facts (store_stats.h, by day of report); the rest
 * are counted per person or per target (src/assess/run.c says how). A new source of data
 * (patrols, visits: issue 15) adds names here and indicators in a new scheme version.
 */
enum assess_count {
	AC_REPORTED,
	AC_FILED,
	AC_FILED_ON_TIME,
	AC_DISPATCHED,
	AC_ACCURATE,
	AC_HANDLED,
	AC_HANDLED_ON_TIME,
	AC_CLOSED,
	AC_CLOSED_ON_TIME,
	AC_REWORKED,
	AC_EXTENDED,
	AC_RATED,
	AC_SATISFIED,
	AC_WORKER_REPORTED, /* region: reported through the grid workers' channel */
	AC_POINTS,	 /* 督办 points deducted from the subject (rounds opened in the period) */
	AC_ROUNDS,	 /* 督办 rounds opened against the subject */
	AC_OWN_REPORTED, /* worker: cases they reported */
	AC_OWN_EFFECTIVE, /* … of them filed 立案 (not rejected nor merged) */
	AC_GRID_REPORTED, /* worker: cases reported in their grid */
	AC_GRID_MISSED,	  /* … of them reported by others than the grid workers 漏报 */
	AC_VERIFIED,	  /* worker: 核查 done */
	AC_VERIFIED_ON_TIME,
	AC_SELF_HANDLED, /* worker: 自处置 */
	AC_CORRECTIONS,	 /* worker: people corrections approved 信息完善 */
	AC_FILED_BY,	 /* operator: 立案 done */
	AC_FILED_BY_ON_TIME,
	AC_DISPATCHED_BY, /* operator: 派遣 done */
	AC_DISPATCHED_BY_ACCURATE,
	AC_COUNT
};

/* How an indicator's value in [0, 1] follows from its two counts. */
enum assess_form {
	ASSESS_RATE, /* num / den (no value when den = 0) */
	ASSESS_INVERSE, /* 1 − num / den: rates where less is better (返工率, 延期率, 漏报率) */
	ASSESS_RELATIVE /* num / the largest num in the ranking (den unused): volumes (立案数) */
};

#define ASSESS_KEY_MAX	  40
#define ASSESS_NAME_MAX	  64
#define ASSESS_MAX_IND	  16
#define ASSESS_MAX_GRADES 8

struct assess_indicator {
	char key[ASSESS_KEY_MAX];   /* stable English key: "handled_on_time_rate" */
	char name[ASSESS_NAME_MAX]; /* the standard's name: 按期处置率 */
	enum assess_count num, den;
	enum assess_form form;
	double weight; /* percent; a scheme's weights add up to 100 */
};

struct assess_grade {
	char name[8];
	double min; /* a score ≥ min (and below the band above) has this grade */
};

struct assess_scheme {
	enum assess_kind kind;
	int version;	    /* 1, 2, … per kind; 0 for a default not stored yet */
	int64_t valid_from; /* CST day from which this version scores periods */
	struct assess_indicator ind[ASSESS_MAX_IND];
	size_t nind;
	struct assess_grade grade[ASSESS_MAX_GRADES]; /* highest min first */
	size_t ngrade;
	enum assess_count deduct; /* the count that costs points (AC_COUNT: none) */
	double deduct_per, deduct_max;
	enum assess_count
	    volume; /* the minimum-volume rule: ranked only with volume ≥ min_volume */
	int64_t min_volume;
};

/* One subject's counts and, once scored, its result. */
struct assess_subject {
	char id[64];	/* user id, department code or grid code */
	char name[128]; /* from the arena or inline */
	int64_t c[AC_COUNT];
	/* results (assess_score / assess_rank) */
	int has_value[ASSESS_MAX_IND];
	double value[ASSESS_MAX_IND]; /* 0 … 1 */
	int scored;		      /* 0: no indicator had a base (no score) */
	double score;		      /* 0 … 100, two decimals, after deductions */
	double deducted;
	const char *grade; /* "" when not scored */
	int small;	   /* below the minimum volume: listed, not ranked */
	int rank;	   /* 1 …; 0 when not ranked */
};

const char *assess_kind_name(enum assess_kind k);
int assess_kind_parse(const char *s); /* -1 if unknown */
const char *assess_period_name(enum assess_period p);
int assess_period_parse(const char *s);
const char *assess_count_name(enum assess_count c);
int assess_count_parse(const char *s);
const char *assess_form_name(enum assess_form f);
int assess_form_parse(const char *s);

/**
 * The shipped default scheme of a kind (version 0, valid from day 0): GB/T 30428.4 and
 * the formulas; docs/assess.md lists them.
 */
void assess_scheme_default(enum assess_kind k, struct assess_scheme *out);
/**
 * Whether a scheme can be used: 1 to ASSESS_MAX_IND indicators with distinct keys and
 * non-negative weights adding up to 100 (within 1e-6), grade bands in descending order,
 * known counts. GG_EFIELD naming what is wrong otherwise.
 */
int assess_scheme_check(const struct assess_scheme *s, struct err *err) GG_WUR;

/**
 * A scheme as JSON text (malloc'd, the caller frees) and back. The parse fills kind
 * from the text when it names one and checks the result (assess_scheme_check).
 */
char *assess_scheme_json(const struct assess_scheme *s);
int assess_scheme_parse(const char *json, struct assess_scheme *out, struct err *err) GG_WUR;

/* ---- periods (CST day numbers: days since 1970-01-01 in the platform's zone) -------- */

/** Days since 1970-01-01 of a civil date, and back. */
int64_t assess_days_from_civil(int y, int m, int d);
void assess_civil_from_days(int64_t z, int *y, int *m, int *d);
/** The period of kind p that contains day: [from, to) in days. Weeks start on Monday. */
void assess_period_of(enum assess_period p, int64_t day, int64_t *from, int64_t *to);
/** The period before [from, to) of kind p. */
void assess_period_prev(enum assess_period p, int64_t from, int64_t *pfrom, int64_t *pto);

/* ---- scores and ranks ------------------------------------------------------------- */

/**
 * Score every subject of v under s: each indicator's value, the weighted mean of the
 * indicators that have a value (weights of the others left out and the rest scaled up
 * to 100), minus min(deduct_max, deduct_per × c[deduct]), within [0, 100] and rounded
 * to two decimals; the grade; small when c[volume] < min_volume. RELATIVE indicators
 * take the largest count among v.
 */
void assess_score(const struct assess_scheme *s, struct assess_subject *v, size_t n);
/**
 * Rank scored subjects that are not small: best score first, equal scores share a rank
 * and the next rank skips (1, 1, 3: competition ranking). Sorts v: ranked subjects best
 * first (worst first when worst_first), then the unranked ones by id.
 */
void assess_rank(struct assess_subject *v, size_t n, int worst_first);

/** The SHA-256 (hex, 65 bytes with the NUL) of len bytes: a frozen snapshot's digest. */
void assess_digest(const void *p, size_t len, char out[65]);

#endif
