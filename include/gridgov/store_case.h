/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of the case area: the category catalog, cases, their trail, whistles and
 * supervision rounds. Same conventions as store.h: GG_OK or a negative gg_err with *err
 * filled; arrays come from the caller's arena.
 */
#ifndef GRIDGOV_STORE_CASE_H
#define GRIDGOV_STORE_CASE_H

#include "gridgov/case.h"
#include "gridgov/store.h"

/* ---- categories ------------------------------------------------------------------ */

struct store_category {
	char code[16], kind[16];
	char major_code[8], major_name[64], major_name_en[96];
	char minor_code[8], minor_name[96], minor_name_en[128];
	char name[96], name_en[128];
	char department[ROLE_DEPT_MAX];
	int limit_general_h, limit_engineering_h, limit_special_h, verify_min;
	char urgency[16];
};

/** Insert or replace a category; GG_EFIELD for an unknown department or bad limits. */
int store_category_put(struct store *s, const struct store_category *c, struct err *err) GG_WUR;
int store_category_get(struct store *s, const char *code, struct store_category *c,
		       struct err *err) GG_WUR;
/** All categories ordered by code. */
int store_category_list(struct store *s, struct arena *a, struct store_category **out, size_t *n,
			struct err *err) GG_WUR;

/* ---- cases ------------------------------------------------------------------------- */

struct store_case {
	int64_t id;
	char category[16];
	char description[2048];
	int has_point;
	double lon, lat;
	char address[256];
	char channel[32];
	char grid[GRID_CODE_MAX], community[GRID_CODE_MAX], street[GRID_CODE_MAX];
	int level; /* handling level, enum grid_level */
	enum case_state state;
	char department[ROLE_DEPT_MAX], proposed_dept[ROLE_DEPT_MAX];
	int64_t reporter_id;
	char reporter[ROLE_NAME_MAX];
	int64_t merged_into;
	int64_t created_at, updated_at, stage_started, deadline;
	int ext_pending, ext_hours, extended, reopened;
	char rating[16];
	int supervision;
	int dispatches, returns, reworks;
	int64_t filed_at, handled_at, closed_at;
	int filed_on_time, handled_on_time, closed_on_time;
};

/** Insert a case; its id is written back into c->id. */
int store_case_insert(struct store *s, struct store_case *c, struct err *err) GG_WUR;
/** Write every mutable field of c (by c->id). */
int store_case_update(struct store *s, const struct store_case *c, struct err *err) GG_WUR;
/**
 * The same for a caller that read the case in this transaction and has nothing else
 * written to it since: old is that row as stored, which spares reading it again to keep
 * the summaries.
 */
int store_case_update_from(struct store *s, const struct store_case *old,
			   const struct store_case *c, struct err *err) GG_WUR;
int store_case_get(struct store *s, int64_t id, struct store_case *c, struct err *err) GG_WUR;

struct store_case_filter {
	const char *scope;	/* grid subtree ("" = all) */
	const char *department; /* only this department's cases (NULL = any) */
	const char *state, *category, *grid, *channel; /* NULL = any; grid is a subtree */
	int64_t merged_into; /* only cases merged into this one (0 = any) */
	int64_t id;	     /* only this case, by its number (0 = any) */
	/* only the cases whose caller gave a phone with this keyed hash (pii_hash; NULL = any) */
	const char *phone_hash;
	/*
	 * Words in the description and the address (NULL = any): tested on the rows the
	 * driving index gives, so they narrow a page but never drive it (scan_max bounds them)
	 */
	const char *keyword, *address;
	/* only cases created in [created_from, created_to) (0 = no bound on that side) */
	int64_t created_from, created_to;
	int open_only; /* leave out closed, evaluated, rejected and merged cases */
	int64_t after; /* keyset paging: only ids below this (0 = no bound) */
	/* only stages with a deadline in [due_from, due_to] (due_to 0 = no such condition) */
	int64_t due_from, due_to;
	/* a last test in C of the stage (the light needs the calendar); NULL = none */
	int (*keep)(int64_t stage_started, int64_t deadline, void *arg);
	void *keep_arg;
	int64_t limit, offset; /* limit 0 = no limit */
	/*
	 * At most this many rows of the index that drives the query are examined for one
	 * page (0 = no bound): a page of a rare combination of filters may then come back
	 * short, with `next` saying where to go on.
	 */
	int64_t scan_max;
	/*
	 * Count the matches (total) only while that is cheap, else total is -1: when one
	 * index answers the whole filter, up to count_max of its rows; when each case must
	 * be read to test it, up to count_max / 8 rows of the driving index (0 = do not
	 * count; INT64_MAX = always count).
	 */
	int64_t count_max;
};

struct store_case_page {
	int64_t total; /* the matches without paging, or -1 when not counted */
	int64_t next;  /* the `after` of the next page, or 0 when there is none */
};

/**
 * Cases matching f, newest first (by id), the page of f->limit after f->after and
 * f->offset. The filter is served by one index chosen for it (the one for the rarest
 * condition it has: the case number, the caller's phone, merged_into, a grid subtree,
 * category, an open state, light, open, department, street, state, channel, else the
 * primary key; a creation date range bounds the ids walked), so a page costs O(page)
 * when the other conditions are common among its rows, and at most f->scan_max rows.
 */
int store_case_page(struct store *s, const struct store_case_filter *f, struct arena *a,
		    struct store_case **out, size_t *n, struct store_case_page *pg,
		    struct err *err) GG_WUR;
/**
 * Cases matching f, newest first, and the exact number matching without paging (no
 * scan or count bound: for internal use on small sets, such as one case's merged ones).
 */
int store_case_list(struct store *s, const struct store_case_filter *f, struct arena *a,
		    struct store_case **out, size_t *n, int64_t *total, struct err *err) GG_WUR;
/** Open cases whose current deadline is set and lies before now (the scheduler's work). */
int store_case_overdue(struct store *s, int64_t now, struct arena *a, struct store_case **out,
		       size_t *n, struct err *err) GG_WUR;
/** Cases of category reported since `since` (for duplicate detection), not final. */
int store_case_recent(struct store *s, const char *category, int64_t since, struct arena *a,
		      struct store_case **out, size_t *n, struct err *err) GG_WUR;

/* ---- the trail ---------------------------------------------------------------------- */

struct store_case_entry {
	int64_t case_id, seq, actor_id, at;
	char action[32], actor[ROLE_NAME_MAX], role[24], from_state[16], to_state[16];
	char *note, *attachments; /* from the arena (or borrowed when appending) */
	char prev_hash[CASE_HASH_HEX], hash[CASE_HASH_HEX];
};

/**
 * Append an entry: the store numbers it after the case's last entry and chains its
 * hash to that entry's (the seq and hashes of e are filled in).
 */
int store_case_log_append(struct store *s, struct store_case_entry *e, struct err *err) GG_WUR;
/** The hash an entry must have: that of its fields after its prev_hash (case_entry_hash). */
void store_case_entry_hash(const struct store_case_entry *e, char out[CASE_HASH_HEX]);
/** The trail of one case in order. */
int store_case_log_list(struct store *s, int64_t case_id, struct arena *a,
			struct store_case_entry **out, size_t *n, struct err *err) GG_WUR;
/** Call fn for every entry of every case, ordered by case and seq; stops if fn returns non-zero. */
int store_case_log_each(struct store *s, int (*fn)(const struct store_case_entry *e, void *arg),
			void *arg, struct err *err) GG_WUR;

/* ---- whistles 吹哨报到 and supervision 督办 ------------------------------------------- */

struct store_whistle_dept {
	int64_t whistle_id, case_id;
	char type[16];
	int64_t blower_id;
	char blower[ROLE_NAME_MAX];
	int64_t at, deadline;
	char department[ROLE_DEPT_MAX];
	int64_t reported_at;
	int supervised;
	char rating[16];
};

/** Record a whistle and its summoned departments; the new id goes into *id. */
int store_whistle_insert(struct store *s, int64_t case_id, const char *type, int64_t blower_id,
			 const char *blower, int64_t at, int64_t deadline, const char *const *depts,
			 size_t ndepts, int64_t *id, struct err *err) GG_WUR;
/** Summoned departments of a case's whistles (case_id 0: of all whistles), by whistle. */
int store_whistle_depts(struct store *s, int64_t case_id, struct arena *a,
			struct store_whistle_dept **out, size_t *n, struct err *err) GG_WUR;
/** Update reported_at, supervised and rating of one summoned department. */
int store_whistle_dept_update(struct store *s, const struct store_whistle_dept *d,
			      struct err *err) GG_WUR;

struct store_supervision {
	int64_t id, case_id;
	char stage[16];
	int round, level;
	char supervisor[GRID_CODE_MAX];
	char target_kind[16], target[GRID_CODE_MAX];
	int points;
	int64_t opened_at;
};

int store_supervision_insert(struct store *s, const struct store_supervision *v,
			     struct err *err) GG_WUR;
/** Rounds of one case (case_id 0: all), in order of opening. */
int store_supervision_list(struct store *s, int64_t case_id, struct arena *a,
			   struct store_supervision **out, size_t *n, struct err *err) GG_WUR;

/* ---- response templates 常用语 ------------------------------------------------------ */

#define STORE_TEMPLATE_MAX   500 /* the most templates one list answers */
#define STORE_TEMPLATE_MAX_S "500"

struct store_template {
	int64_t id;
	char kind[16];	   /* feedback, reject or reply */
	char category[16]; /* a category code: it and the categories below it ("" = any) */
	char title[192];   /* up to 60 characters */
	char body[3072];   /* up to 1000 characters */
	int sort;
};

/**
 * Templates of kind (NULL = every kind) for category (NULL = every template, the admin's
 * view; else those whose category is "" or a prefix of it, the most specific first, then
 * by sort), at most STORE_TEMPLATE_MAX.
 */
int store_template_list(struct store *s, const char *kind, const char *category, struct arena *a,
			struct store_template **out, size_t *n, struct err *err) GG_WUR;
/** Insert t (id 0; its new id written back) or replace template t->id (GG_ENOTFOUND). */
int store_template_put(struct store *s, struct store_template *t, struct err *err) GG_WUR;
/** Delete template id; GG_ENOTFOUND when there is none. */
int store_template_delete(struct store *s, int64_t id, struct err *err) GG_WUR;

/* ---- the scheduler's queue ---------------------------------------------------------- */

/** File when case_id is next due for the deadline sweep (due_at 0: take it off the queue). */
int store_case_due_put(struct store *s, int64_t case_id, int64_t due_at, struct err *err) GG_WUR;
/** Ids of at most limit cases due at now, earliest first (an index range, not a scan). */
int store_case_due(struct store *s, int64_t now, size_t limit, struct arena *a, int64_t **ids,
		   size_t *n, struct err *err) GG_WUR;
/** At most limit summoned departments not reported nor supervised whose deadline < now. */
int store_whistle_due(struct store *s, int64_t now, size_t limit, struct arena *a,
		      struct store_whistle_dept **out, size_t *n, struct err *err) GG_WUR;
/**
 * The earliest time anything falls due: the first case_due entry, or one second past the
 * earliest deadline of a department still owing its report; 0 when nothing waits.
 */
int store_sched_next(struct store *s, int64_t *at, struct err *err) GG_WUR;

#endif
