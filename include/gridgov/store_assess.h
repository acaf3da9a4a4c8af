/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of assessment 考核 (issue 16, migration 060): the counts per person and per
 * target that the case summaries do not keep (each one indexed read over the period's
 * window), scoring schemes by version, frozen snapshots of published rankings and the
 * appeals 申诉 against them. Same conventions as store.h: GG_OK or a negative gg_err with
 * *err filled; arrays come from the caller's arena.
 */
#ifndef GRIDGOV_STORE_ASSESS_H
#define GRIDGOV_STORE_ASSESS_H

#include "gridgov/store.h"

/* What store_assess_actor_counts counts, per person, over [from, to) (epoch seconds). */
enum store_assess_what {
	SA_OWN_REPORTS, /* cases created in the window by reporter: n, ok = filed 立案 */
	SA_VERIFY,	/* 核查 trail entries by actor: n, ok = within the category's verify_min
			   minutes of the case's handling */
	SA_SELF,	/* 自处置 (self_close) trail entries by actor: n = ok */
	SA_FILE,	/* 立案 entries by actor: n, ok = the case was filed on time */
	SA_DISPATCH,	/* 派遣 entries by actor: n, ok = the case was never returned */
	SA_CORRECTIONS, /* people corrections proposed by the person, approved in the window */
	SA_WHAT_COUNT
};

struct store_assess_count {
	int64_t actor; /* user id */
	int64_t n, ok;
};

/**
 * Per person: what is counted under scope (cases whose grid is in it) in [from, to), one
 * row per person with n > 0. Each reads one index range over the window (created_at,
 * the trail by action and time, corrections by decision time).
 */
int store_assess_actor_counts(struct store *s, enum store_assess_what what, const char *scope,
			      int64_t from, int64_t to, struct arena *a,
			      struct store_assess_count **out, size_t *n, struct err *err) GG_WUR;

struct store_assess_points {
	char target[GRID_CODE_MAX]; /* department code or grid code */
	int64_t points, rounds;
};
/**
 * 督办 points and rounds opened in [from, to) against targets of target_kind
 * ("department" or "grid"), of cases under scope, per target.
 */
int store_assess_points(struct store *s, const char *target_kind, const char *scope, int64_t from,
			int64_t to, struct arena *a, struct store_assess_points **out, size_t *n,
			struct err *err) GG_WUR;

/* ---- schemes ------------------------------------------------------------------------- */

struct store_assess_scheme {
	char kind[16];
	int version;
	int64_t valid_from; /* CST day */
	char *body;	    /* the scheme's JSON (assess_scheme_json), from the arena */
	char author[ROLE_NAME_MAX];
	int64_t created_at;
};
/** Store a new version of kind's scheme: the next number goes into *version. */
int store_assess_scheme_put(struct store *s, const char *kind, int64_t valid_from, const char *body,
			    const char *author, int64_t now, int *version, struct err *err) GG_WUR;
/** Every stored version of kind's scheme, oldest first. */
int store_assess_schemes(struct store *s, const char *kind, struct arena *a,
			 struct store_assess_scheme **out, size_t *n, struct err *err) GG_WUR;

/* ---- snapshots and appeals ----------------------------------------------------------- */

struct store_assess_snapshot {
	int64_t id;
	char kind[16], period[16], under[GRID_CODE_MAX];
	int64_t from_day, to_day;
	int scheme_version;
	char *body; /* the ranking's JSON as published, from the arena */
	char hash[65], prev_hash[65];
	char closed_by[ROLE_NAME_MAX];
	int64_t closed_at;
};
/**
 * Freeze a period's ranking. The store fills prev_hash with the hash of the latest
 * snapshot (64 zeros for the first) and the id; hash is the caller's (over prev_hash
 * and body). GG_ECONFLICT when (kind, period, under, from_day) is frozen already.
 */
int store_assess_snapshot_put(struct store *s, struct store_assess_snapshot *v,
			      struct err *err) GG_WUR;
/** The snapshot of (kind, period, under, from_day); GG_ENOTFOUND if the period is open. */
int store_assess_snapshot_get(struct store *s, const char *kind, const char *period,
			      const char *under, int64_t from_day, struct arena *a,
			      struct store_assess_snapshot *v, struct err *err) GG_WUR;
/** The hash of the latest snapshot (64 zeros when none): the chain's tail. */
int store_assess_snapshot_tail(struct store *s, char hash[65], struct err *err) GG_WUR;

struct store_assess_appeal {
	int64_t id, snapshot_id;
	char subject[64];
	char reason[1024], evidence[1024];
	int64_t by_user;
	char by_name[ROLE_NAME_MAX];
	int64_t at;
	char state[16]; /* open, upheld, rejected */
	char decided_by[ROLE_NAME_MAX];
	char decision[1024];
	int64_t decided_at;
};
/** File an appeal (state open); its id goes into v->id. */
int store_assess_appeal_put(struct store *s, struct store_assess_appeal *v, struct err *err) GG_WUR;
int store_assess_appeal_get(struct store *s, int64_t id, struct store_assess_appeal *v,
			    struct err *err) GG_WUR;
/** Record a leader's decision on an open appeal (GG_ESTATE if decided already). */
int store_assess_appeal_decide(struct store *s, int64_t id, const char *state,
			       const char *decided_by, const char *decision, int64_t at,
			       struct err *err) GG_WUR;
/** The appeals of a snapshot (0: every one), by id. */
int store_assess_appeals(struct store *s, int64_t snapshot_id, struct arena *a,
			 struct store_assess_appeal **out, size_t *n, struct err *err) GG_WUR;

/* ---- the monthly report's reads ------------------------------------------------------- */

struct store_assess_category {
	char category[16];
	int64_t n;
};
/** Cases reported in [from, to) (seconds) under scope, per category, most first. */
int store_assess_categories(struct store *s, const char *scope, int64_t from, int64_t to,
			    struct arena *a, struct store_assess_category **out, size_t *n,
			    struct err *err) GG_WUR;

struct store_assess_open {
	int64_t id;
	char category[16], grid[GRID_CODE_MAX], department[ROLE_DEPT_MAX], state[16];
	int64_t created_at;
};
/** The limit oldest cases under scope that are still open (not closed, evaluated,
 * rejected or merged), oldest first. */
int store_assess_oldest_open(struct store *s, const char *scope, int limit, struct arena *a,
			     struct store_assess_open **out, size_t *n, struct err *err) GG_WUR;

#endif
