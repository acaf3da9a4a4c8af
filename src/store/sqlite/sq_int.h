/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the SQLite backend shared between its files: the connection struct, the
 * per-connection prepared-statement cache and small binding helpers.
 */
#ifndef GRIDGOV_SQ_INT_H
#define GRIDGOV_SQ_INT_H

#include <sqlite3.h>

#include "gridgov/case.h"
#include "store/store_int.h"

struct sq_migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct sq_migration sq__migrations[];

#define SQ_CACHE_SLOTS 256

struct sq {
	struct store base;
	sqlite3 *db;
	int savepoint_depth;
	/* people: CREATE INDEX statements dropped for a bulk load (sq__people_bulk) */
	char *people_indexes;
	/* cases: the same for a bulk writer of cases (store_case_bulk) */
	char *case_indexes;
	/* the last trail entry this transaction appended (case_id 0: none known), so the next
	 * entry of the same case chains to it without reading it back; any rollback, begin or
	 * commit forgets it */
	struct {
		int64_t case_id, seq;
		char hash[CASE_HASH_HEX];
	} log_tail;
	struct {
		const char *sql; /* key: the address of a static SQL string */
		sqlite3_stmt *st;
	} cache[SQ_CACHE_SLOTS];
};

/**
 * Drop the indexes `list` names (a statement answering name, sql) and give the SQL that
 * makes them again in *create_out (the caller frees it; NULL when there were none).
 */
int sq__drop_indexes(struct sq *q, const char *list, char **create_out, struct err *err);

static inline struct sq *sq_of(struct store *s)
{
	return (struct sq *)s;
}

/**
 * The prepared statement for a static SQL string, prepared on first use and kept for
 * the life of the connection. Call sq__done when finished with it.
 */
int sq__prep(struct sq *q, const char *sql, sqlite3_stmt **out, struct err *err);
/** Reset and clear bindings, ready for the next use. */
void sq__done(sqlite3_stmt *st);
/** Map an SQLite result code to a gg_err with the connection's message. */
int sq__fail(struct sq *q, int rc, struct err *err);
/** Step a statement that returns no rows, reset it, and map a failure. */
int sq__step_done(struct sq *q, sqlite3_stmt *st, struct err *err);
/**
 * Step a statement expected to return one row: GG_OK with the row ready to read (call
 * sq__done after reading), GG_ENOTFOUND when there is none (reset, err untouched, so the
 * caller can say what was not found), or a mapped failure (reset).
 */
int sq__step_row(struct sq *q, sqlite3_stmt *st, struct err *err);
/** Step a statement that returns one id (RETURNING id) into *id (if id), reset it. */
int sq__step_id(struct sq *q, sqlite3_stmt *st, int64_t *id, struct err *err);
/**
 * Step st to its end, reading each row with read(st, row) into a new element (size elem)
 * of a vector in the arena: the vector in *out, its length in *n (NULL and 0 for none).
 * Resets st; maps a failure.
 */
int sq__rows(struct sq *q, sqlite3_stmt *st, struct arena *a, size_t elem,
	     void (*read)(sqlite3_stmt *st, void *row), void **out, size_t *n, struct err *err);
/** Run SQL without results (DDL, transaction control). */
int sq__exec(struct sq *q, const char *sql, struct err *err);

void sq__bind_text(sqlite3_stmt *st, int i, const char *s);
/** Bind NULL for an empty string. */
void sq__bind_text_or_null(sqlite3_stmt *st, int i, const char *s);
/** Bind NULL for id 0. */
void sq__bind_id_or_null(sqlite3_stmt *st, int i, int64_t id);
/**
 * "Column col lies in the subtree of the grid code bound to ?1": codes are digit strings,
 * so it is the range X <= code < X||';' (';' sorts after '9'), which uses the indexes.
 */
#define SQ_UNDER(col) "(" col " >= ?1 AND " col " < ?1 || ';')"
/** Copy column i into dst (size n), "" for NULL. */
void sq__col_copy(sqlite3_stmt *st, int i, char *dst, size_t n);

extern const struct store_ops sq__ops;

/* Per-area functions (one file each), gathered into sq__ops in conn.c. */
int sq__user_insert(struct store *s, const struct store_user *u, int64_t *id, struct err *err);
/* administration (admin.c) */
int sq__user_get(struct store *s, int64_t id, struct store_user *u, struct err *err);
int sq__user_update(struct store *s, const struct store_user *u, struct err *err);
int sq__session_drop_user(struct store *s, int64_t user_id, struct err *err);
int sq__dept_put(struct store *s, const struct store_dept *d, struct err *err);
int sq__audit_add(struct store *s, const struct store_audit *e, struct err *err);
int sq__audit_list(struct store *s, const char *under, int64_t offset, int limit, struct arena *a,
		   struct store_audit **out, size_t *n, int64_t *total, struct err *err);
int sq__apikey_list(struct store *s, struct arena *a, struct store_apikey_row **out, size_t *n,
		    struct err *err);
int sq__apikey_revoke(struct store *s, int64_t id, struct err *err);
int sq__device_list(struct store *s, struct arena *a, struct store_device_row **out, size_t *n,
		    struct err *err);
int sq__device_set_user(struct store *s, const char *id, const char *user, struct err *err);
int sq__user_by_name(struct store *s, const char *name, struct store_user *u,
		     struct err *err);
int sq__user_set_login_state(struct store *s, int64_t id, int failed, int64_t locked_until,
			     struct err *err);
int sq__user_list(struct store *s, struct arena *a, struct store_user **out, size_t *n,
		  struct err *err);
int sq__session_insert(struct store *s, const char *h, int64_t uid, int64_t created,
		       int64_t expires, struct err *err);
int sq__session_user(struct store *s, const char *h, int64_t now, struct store_user *u,
		     struct err *err);
int sq__session_delete(struct store *s, const char *h, struct err *err);
int sq__grid_put(struct store *s, const struct grid_node *g, struct err *err);
int sq__grid_get(struct store *s, const char *code, struct grid_node *g, struct err *err);
int sq__grid_children(struct store *s, const char *code, struct arena *a,
		      struct grid_node **out, size_t *n, struct err *err);
int sq__grid_count(struct store *s, const char *under, enum grid_level level, int64_t *n,
		   struct err *err);
int sq__dept_list(struct store *s, struct arena *a, struct store_dept **out, size_t *n,
		  struct err *err);
int sq__dept_get(struct store *s, const char *code, struct store_dept *d, struct err *err);
int sq__media_put(struct store *s, const struct store_media *m, struct err *err);
int sq__media_get(struct store *s, const char *sha, struct store_media *m, struct err *err);
int sq__media_owned(struct store *s, const char *sha, int64_t user, int *owned, struct err *err);

/* grid map (geo.c) */
int sq__geom_put(struct store *s, const struct store_geom *g, struct err *err);
int sq__geom_list(struct store *s, const char *under, enum grid_level level, struct arena *a,
		  struct store_geom **out, size_t *n, struct err *err);
int sq__grid_set_counts(struct store *s, const char *code, int64_t households,
			int64_t population, struct err *err);
int sq__grid_rollup_counts(struct store *s, struct err *err);
int sq__map_version(struct store *s, int64_t *version, struct err *err);
int sq__level_name(struct store *s, const char *district, enum grid_level level, char *out,
		   size_t n, struct err *err);
int sq__staff_add(struct store *s, const struct store_staff *st, int64_t *id, struct err *err);
int sq__staff_list(struct store *s, const char *grid, struct arena *a,
		   struct store_staff **out, size_t *n, struct err *err);
int sq__grids_without_dedicated(struct store *s, const char *under, struct arena *a,
				struct grid_node **out, size_t *n, struct err *err);

/* people and housing (people.c) */
int sq__building_put(struct store *s, const struct store_building *b, int64_t *id, struct err *err);
int sq__house_put(struct store *s, const struct store_house *h, int64_t *id, struct err *err);
int sq__household_put(struct store *s, const struct store_household *h, int64_t *id, struct err *err);
int sq__resident_insert(struct store *s, const struct store_resident *p, int64_t *id, struct err *err);
int sq__resident_count_hash(struct store *s, const char *hash, int64_t *n, struct err *err);
int sq__resident_list(struct store *s, const char *under, int64_t offset, int64_t limit, struct arena *a, struct store_resident **out, size_t *n, int64_t *total, struct err *err);
int sq__resident_each(struct store *s, const char *under,
			int (*fn)(void *arg, const struct store_resident *p), void *arg,
			struct err *err);
int sq__resident_get(struct store *s, int64_t id, struct store_resident *p, struct err *err);
int sq__resident_by_hash(struct store *s, const char *hash, struct arena *a, struct store_resident **out, size_t *n, struct err *err);
int sq__household_list(struct store *s, const char *under, struct arena *a, struct store_household **out, size_t *n, struct err *err);
int sq__building_list(struct store *s, const char *under, struct arena *a, struct store_building **out, size_t *n, struct err *err);
int sq__house_get(struct store *s, int64_t id, struct store_house *h, struct err *err);
int sq__people_bulk(struct store *s, int64_t expect, int *dropped, struct err *err);
int sq__people_recount(struct store *s, struct err *err);
int sq__pii_access_insert(struct store *s, int64_t at, const struct principal *who, int64_t resident_id, const char *grid, const char *reason, struct err *err);
int sq__pii_access_count(struct store *s, int64_t resident_id, int64_t *n, struct err *err);
int sq__people_faults(struct store *s, const char *under, int hh_min, int hh_max, struct arena *a, struct store_people_fault **out, size_t *n, struct err *err);
int sq__correction_insert(struct store *s, const struct store_correction *c, int64_t *id, struct err *err);
int sq__correction_get(struct store *s, int64_t id, struct store_correction *c, struct err *err);
int sq__correction_list(struct store *s, const char *under, const char *state, struct arena *a, struct store_correction **out, size_t *n, struct err *err);
int sq__correction_decide(struct store *s, int64_t id, int approve, int64_t by, int64_t at, const char *decision, struct err *err);

/* cases (case.c, case_log.c) */
/* The columns sq__read_case reads, in its order. */
#define CASE_COLS                                                                                  \
	"id, category, description, lon, lat, address, channel, grid, community, street,"          \
	" level, state, coalesce(department,''), coalesce(proposed_dept,''),"                      \
	" coalesce(reporter_id,0), reporter, coalesce(merged_into,0), created_at, updated_at,"     \
	" stage_started, deadline, ext_pending, ext_hours, extended, reopened, rating,"            \
	" supervision, dispatches, returns, reworks, filed_at, filed_on_time, handled_at,"         \
	" handled_on_time, closed_at, closed_on_time"

/* (a row reader for sq__rows: row is a struct store_case) */
void sq__read_case(sqlite3_stmt *st, void *row);
/* (a row reader for sq__rows: row is a struct store_whistle_dept; the columns of
 * whistle w JOIN whistle_dept d: w.id, w.case_id, type, blower_id, blower, at, deadline,
 * department, reported_at, supervised, rating) */
void sq__read_whistle_dept(sqlite3_stmt *st, void *row);
int sq__category_put(struct store *s, const struct store_category *c, struct err *err);
int sq__category_get(struct store *s, const char *code, struct store_category *c,
		     struct err *err);
int sq__category_list(struct store *s, struct arena *a, struct store_category **out, size_t *n,
		      struct err *err);
int sq__case_insert(struct store *s, struct store_case *c, struct err *err);
int sq__case_update(struct store *s, const struct store_case *c, struct err *err);
int sq__case_get(struct store *s, int64_t id, struct store_case *c, struct err *err);
int sq__case_page(struct store *s, const struct store_case_filter *f, struct arena *a,
		  struct store_case **out, size_t *n, struct store_case_page *pg,
		  struct err *err);
int sq__case_overdue(struct store *s, int64_t now, struct arena *a, struct store_case **out,
		     size_t *n, struct err *err);
int sq__case_recent(struct store *s, const char *category, int64_t since, struct arena *a,
		    struct store_case **out, size_t *n, struct err *err);
int sq__case_log_append(struct store *s, struct store_case_entry *e, struct err *err);
int sq__case_log_list(struct store *s, int64_t case_id, struct arena *a,
		      struct store_case_entry **out, size_t *n, struct err *err);
int sq__case_log_each(struct store *s, int (*fn)(const struct store_case_entry *e, void *arg),
		      void *arg, struct err *err);
int sq__whistle_insert(struct store *s, int64_t case_id, const char *type, int64_t blower_id,
		       const char *blower, int64_t at, int64_t deadline, const char *const *depts,
		       size_t ndepts, int64_t *id, struct err *err);
int sq__whistle_depts(struct store *s, int64_t case_id, struct arena *a,
		      struct store_whistle_dept **out, size_t *n, struct err *err);
int sq__whistle_dept_update(struct store *s, const struct store_whistle_dept *d,
			    struct err *err);
int sq__supervision_insert(struct store *s, const struct store_supervision *v, struct err *err);
int sq__supervision_list(struct store *s, int64_t case_id, struct arena *a,
			 struct store_supervision **out, size_t *n, struct err *err);
/* the scheduler's queue (sched.c) */
int sq__case_due_put(struct store *s, int64_t case_id, int64_t due_at, struct err *err);
int sq__case_due(struct store *s, int64_t now, size_t limit, struct arena *a, int64_t **ids,
		 size_t *n, struct err *err);
int sq__whistle_due(struct store *s, int64_t now, size_t limit, struct arena *a,
		    struct store_whistle_dept **out, size_t *n, struct err *err);
int sq__sched_next(struct store *s, int64_t *at, struct err *err);

/* intake channels */
int sq__report_put(struct store *s, const struct store_report *rep, const char *phone_sealed,
		   struct err *err);
int sq__report_get(struct store *s, const char *code, struct store_report *rep, struct err *err);
int sq__case_media_add(struct store *s, int64_t case_id, const char *sha, struct err *err);
int sq__media_cases(struct store *s, const char *sha, struct arena *a, int64_t **ids, size_t *n,
		    struct err *err);
int sq__case_media_list(struct store *s, int64_t case_id, struct arena *a, char (**shas)[65],
			size_t *n, struct err *err);

int sq__hotline_put(struct store *s, const struct store_hotline *h, const char *caller_sealed,
		   struct err *err);
int sq__hotline_get(struct store *s, const char *order_no, struct store_hotline *h,
		   struct err *err);
int sq__hotline_of_case(struct store *s, int64_t case_id, struct store_hotline *h,
		       struct err *err);
int sq__outbox_add(struct store *s, int64_t case_id, const char *body, int64_t now,
		  struct err *err);
int sq__outbox_due(struct store *s, int64_t now_ms, int limit, struct arena *a,
		  struct store_outbox **out, size_t *n, struct err *err);
int sq__outbox_delivered(struct store *s, int64_t id, int64_t now, struct err *err);
int sq__outbox_failed(struct store *s, int64_t id, int attempts, int64_t next_at_ms,
		     const char *why, struct err *err);
int sq__outbox_pending(struct store *s, int64_t *n, struct err *err);
int sq__open311_put(struct store *s, const struct store_open311 *o, struct err *err);
int sq__open311_get(struct store *s, int64_t case_id, struct store_open311 *o, struct err *err);
int sq__apikey_add(struct store *s, const char *name, const char *hash, const char *scope,
		   int64_t now, int64_t *id, struct err *err);
int sq__apikey_by_hash(struct store *s, const char *hash, struct store_apikey *k,
		       struct err *err);
int sq__device_add(struct store *s, const struct store_device *d, struct err *err);
int sq__device_get(struct store *s, const char *id, struct store_device *d, struct err *err);
int sq__alarm_add(struct store *s, const char *device_id, const char *type, int64_t at,
		  int has_value, double value, int64_t case_id, struct err *err);
int sq__alarm_open_case(struct store *s, const char *device_id, int64_t since, int64_t *case_id,
			struct err *err);
/* case summaries (stats.c) */
int sq__sum_apply(struct store *s, const struct store_sum_delta *d, size_t n, struct err *err);
int sq__sum_unbuilt(struct store *s, struct err *err);
int sq__sum_clear(struct store *s, int64_t utc_offset, struct err *err);
int sq__case_each(struct store *s, int (*fn)(void *arg, const struct store_case *c), void *arg,
		  struct err *err);
int sq__stats_sum(struct store *s, const struct store_stats_q *q, struct arena *a,
		  struct store_stats_row **out, size_t *n, struct err *err);
int sq__stats_live(struct store *s, const struct store_stats_q *q, struct arena *a,
		   struct store_stats_row **out, size_t *n, struct err *err);
int sq__stats_heat(struct store *s, const char *scope, const char *dept, int64_t day_from,
		   int64_t day_to, struct arena *a, struct store_heat_cell **out, size_t *n,
		   struct err *err);
int sq__stats_cases(struct store *s, const char *scope, const char *dept, int closed, int64_t from,
		    int64_t to, struct arena *a, struct store_case **out, size_t *n,
		    struct err *err);
int sq__stats_meta(struct store *s, int *built, int64_t *utc_offset, struct err *err);
/* people import speed */
int sq__people_bulk_end(struct store *s, int keep, struct err *err);
int sq__resident_hashes(struct store *s, int (*fn)(void *arg, const char *hash), void *arg,
			struct err *err);

/* template.c: response templates 常用语 */
int sq__template_list(struct store *s, const char *kind, const char *category, struct arena *a,
		       struct store_template **out, size_t *n, struct err *err);
int sq__template_put(struct store *s, struct store_template *t, struct err *err);
int sq__template_delete(struct store *s, int64_t id, struct err *err);
/* wall screens (kiosk.c) */
int sq__kiosk_insert(struct store *s, struct store_kiosk *k, const char *code_hash,
		     struct err *err);
int sq__kiosk_claim(struct store *s, const char *code_hash, const char *token_hash, int64_t now,
		    struct store_kiosk *k, struct err *err);
int sq__kiosk_by_token(struct store *s, const char *token_hash, struct store_kiosk *k,
		       struct err *err);
int sq__kiosk_list(struct store *s, struct arena *a, struct store_kiosk **out, size_t *n,
		   struct err *err);
int sq__kiosk_revoke(struct store *s, int64_t id, int64_t now, struct err *err);
/* patrol tracks (track.c) */
int sq__tracker_add(struct store *s, const char *id, int64_t user_id, int64_t now, struct err *err);
int sq__tracker_user(struct store *s, const char *id, int64_t *user_id, struct err *err);
int sq__position_last(struct store *s, const char *device, int64_t before_ms, struct track_fix *f,
		      struct err *err);
int sq__position_put(struct store *s, const struct store_position *v, size_t n, int64_t *stored,
		     struct err *err);
int sq__position_range(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
		       struct arena *a, struct track_point **out, size_t *n, struct err *err);
int sq__position_rejected(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
			  struct arena *a, int64_t **t_ms, char (**reason)[TRACK_REASON_MAX],
			  size_t *n, struct err *err);
int sq__position_live(struct store *s, const char *under, int64_t user_id, struct arena *a,
		      struct store_live **out, size_t *n, struct err *err);
int sq__position_retain(struct store *s, int64_t before_ms, int64_t *dropped, struct err *err);
int sq__idem_get(struct store *s, const char *owner, const char *key, struct store_idem *out,
		 struct err *err);
int sq__idem_put(struct store *s, const struct store_idem *in, struct err *err);
int sq__reply_put(struct store *s, int64_t case_id, const char *text, int64_t at, struct err *err);
int sq__reply_get(struct store *s, int64_t case_id, struct arena *a, char **text, int64_t *at,
		  struct err *err);

/* assessment 考核 (assess.c) */
int sq__assess_actor_counts(struct store *s, enum store_assess_what what, const char *scope,
			    int64_t from, int64_t to, struct arena *a,
			    struct store_assess_count **out, size_t *n, struct err *err);
int sq__assess_points(struct store *s, const char *target_kind, const char *scope, int64_t from,
		      int64_t to, struct arena *a, struct store_assess_points **out, size_t *n,
		      struct err *err);
int sq__assess_scheme_put(struct store *s, const char *kind, int64_t valid_from, const char *body,
			  const char *author, int64_t now, int *version, struct err *err);
int sq__assess_schemes(struct store *s, const char *kind, struct arena *a,
		       struct store_assess_scheme **out, size_t *n, struct err *err);
int sq__assess_snapshot_put(struct store *s, struct store_assess_snapshot *v, struct err *err);
int sq__assess_snapshot_get(struct store *s, const char *kind, const char *period,
			    const char *under, int64_t from_day, struct arena *a,
			    struct store_assess_snapshot *v, struct err *err);
int sq__assess_snapshot_tail(struct store *s, char hash[65], struct err *err);
int sq__assess_appeal_put(struct store *s, struct store_assess_appeal *v, struct err *err);
int sq__assess_appeal_get(struct store *s, int64_t id, struct store_assess_appeal *v,
			  struct err *err);
int sq__assess_appeal_decide(struct store *s, int64_t id, const char *state,
			     const char *decided_by, const char *decision, int64_t at,
			     struct err *err);
int sq__assess_appeals(struct store *s, int64_t snapshot_id, struct arena *a,
		       struct store_assess_appeal **out, size_t *n, struct err *err);

int sq__assess_categories(struct store *s, const char *scope, int64_t from, int64_t to,
			  struct arena *a, struct store_assess_category **out, size_t *n,
			  struct err *err);
int sq__assess_oldest_open(struct store *s, const char *scope, int limit, struct arena *a,
			   struct store_assess_open **out, size_t *n, struct err *err);

#endif
