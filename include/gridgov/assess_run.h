/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assessment 考核 over the store: which scheme version scores a period, the subjects of a
 * kind under a node and their counts (the case summaries for regions and departments,
 * indexed reads per person for workers and operators), the ranking with its previous
 * period, its JSON, and publishing: freezing a period and appeals 申诉. Used by the API
 * (src/api/assess.c) and `gridgov assess`. Runs inside the caller's transaction.
 */
#ifndef GRIDGOV_ASSESS_RUN_H
#define GRIDGOV_ASSESS_RUN_H

#include <jansson.h>

#include "gridgov/arena.h"
#include "gridgov/assess.h"
#include "gridgov/store_assess.h"

struct assess_query {
	enum assess_kind kind;
	enum assess_period period;
	int64_t at_day;	   /* a CST day inside the period */
	const char *under; /* grid node ("" = all); regions are its children */
	int worst_first;
};

struct assess_result {
	struct assess_scheme scheme;
	int64_t from, to; /* CST days [from, to) */
	struct assess_subject *v;
	size_t n;
	/* the previous period, for the change (subjects by id; n 0 when it had none) */
	struct assess_subject *prev;
	size_t nprev;
	int64_t prev_from, prev_to;
};

/**
 * The scheme that scores a period starting on day: the stored version of kind with the
 * latest valid_from ≤ day, else the shipped default (version 0).
 */
int assess_scheme_at(struct store *s, enum assess_kind k, int64_t day, struct arena *a,
		     struct assess_scheme *out, struct err *err) GG_WUR;
/**
 * Store a new version of a scheme, valid from s->valid_from (a day not before today:
 * an edit never rewrites a past period). Checks it (weights add up to 100 %); writes
 * the version number back.
 */
int assess_scheme_save(struct store *st, struct assess_scheme *s, int64_t today, const char *author,
		       int64_t now, struct err *err) GG_WUR;

/** Score and rank q's period and the one before it. Arrays from a. */
int assess_run(struct store *s, const struct assess_query *q, struct arena *a,
	       struct assess_result *out, struct err *err) GG_WUR;
/** Only the counts of q's period (no previous): for the benchmark. */
int assess_counts(struct store *s, const struct assess_query *q, int64_t from, int64_t to,
		  struct arena *a, struct assess_subject **out, size_t *n, struct err *err) GG_WUR;

/**
 * The ranking as the API answers it: {"items":[{"subject","name","score","grade","rank",
 * "small","deducted","indicators":{key:{"name","value","num","den","weight"}},
 * "counts":{…},"change":{"score","rank"}}],"period":{"kind","from","to"},"scheme":{"id",
 * "version"},"min_volume":{…}}. A new reference; the caller decrefs.
 */
json_t *assess_result_json(const struct assess_query *q, const struct assess_result *r);

/**
 * Close q's period: freeze the ranking as computed now (its JSON and a SHA-256 over the
 * previous snapshot's hash and that JSON), GG_ECONFLICT if closed already.
 */
int assess_close(struct store *s, const struct assess_query *q, const char *by, int64_t now,
		 struct arena *a, struct store_assess_snapshot *out, struct err *err) GG_WUR;

/* ---- the analysis report 月度分析 / 周报 ------------------------------------------------ */

/**
 * The analysis report of the period p (month or week) holding day, under a grid node:
 * overview figures, volume by channel, the hot categories and areas (top 10), the
 * slowest departments, the oldest open cases and the rankings of the node's children
 * and of the departments, each figure beside the previous period and the same period a
 * year before. *out is a new JSON object (see docs/assess.md); the caller decrefs.
 */
int assess_report(struct store *s, const char *under, enum assess_period p, int64_t day,
		  int64_t now, struct arena *a, json_t **out, struct err *err) GG_WUR;
/** The report as a printable HTML page (malloc'd; the caller frees), charts as inline SVG. */
char *assess_report_html(const json_t *report);

#endif
