/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the PostgreSQL backend shared between its files: the connection struct, the
 * per-connection prepared-statement cache, parameters and result helpers. They mirror the
 * SQLite backend's (sq_int.h) so that porting an area is mechanical: sq__bind_* becomes
 * pg__arg_* on a struct pg_args, sq__step_row / sq__rows / sq__col_copy become pg__row /
 * pg__rows / pg__col_copy, and `?` placeholders become `$1`, `$2`, ….
 *
 * Parameters go as text with their types declared (bigint, double precision, text, bytea),
 * results come back as text (libpq's default); bigint, double and
 * bytea columns are read with pg__int, pg__double and pg__bytes.
 */
#ifndef GRIDGOV_PG_INT_H
#define GRIDGOV_PG_INT_H

#include <libpq-fe.h>

#include "gridgov/case.h"
#include "store/store_int.h"

struct pg_migration {
	int version;
	const char *name;
	const char *sql;
};
extern const struct pg_migration pg__migrations[];

#define PG_CACHE_SLOTS 256
#define PG_MAX_PARAMS  48
#define PG_PEND_MAX    6
#define PG_QUEUE_MAX   64

/* Advisory lock keys (pg_advisory_xact_lock): one for migrations, one for writers. */
#define PG_LOCK_MIGRATE 0x67726964006d6967LL /* "grid\0mig" */
#define PG_LOCK_WRITE	0x67726964007772LL   /* "grid\0wr" */

struct pg {
	struct store base;
	PGconn *conn;
	int savepoint_depth;
	/* the server went away (or became a standby): reset before the next transaction */
	int broken;
	/* store_province_read: summaries read as a province's, nodes as "CITY:CODE" */
	int province;
	/* the SQLSTATE and constraint of the last failure ("" when none), for callers that
	 * tell one violation from another (a taken name from an unknown department) */
	char state[6];
	char constraint[64];
	/* as struct sq's: the last trail entry this transaction appended */
	struct {
		int64_t case_id, seq;
		char hash[CASE_HASH_HEX];
	} log_tail;
	/* transaction control not sent yet (BEGIN, SAVEPOINT, RELEASE): it goes out with the
	 * next statement, in one round trip (conn.c: pg__query pipelines them, pg__exec
	 * prefixes them), as none of them can fail where the next statement would not */
	char pend[PG_PEND_MAX][96];
	int npend;
	/* queries sent in pipeline mode whose answers are not read yet (pg__run_later) */
	int queued;
	/* [lo, hi): the CST month whose trail partition this connection last saw made
	 * (case_log.c); {0, 0} when unknown, and forgotten by any rollback */
	int64_t trail_month[2];
	/* the same for the day partitions of positions and rejected fixes (track.c) */
	int64_t pos_day[2], rej_day[2];
	/* prepared statements of this connection, keyed by the address of a static SQL
	 * string; named "g<slot>"; forgotten when the connection is reset */
	const char *cache[PG_CACHE_SLOTS];
};

static inline struct pg *pg_of(struct store *s)
{
	return (struct pg *)s;
}

/** Text parameters $1…$n of one statement; numbers are formatted into num[]. */
struct pg_args {
	int n;
	const char *v[PG_MAX_PARAMS];
	int len[PG_MAX_PARAMS];
	int fmt[PG_MAX_PARAMS]; /* 0 text, 1 binary (pg__arg_bytes) */
	/* each parameter's type, declared when the statement is prepared: so a statement
	 * may leave some out (SQLite's ?N numbering carries over as $N, gaps and all) */
	Oid type[PG_MAX_PARAMS];
	char num[PG_MAX_PARAMS][32];
};
#define PG_ARGS_INIT                                                                               \
	{                                                                                          \
		0                                                                                  \
	}

/** Append a text parameter ("" for NULL s); s must live until the statement has run. */
void pg__arg_text(struct pg_args *a, const char *s);
/** NULL for an empty string. */
void pg__arg_text_or_null(struct pg_args *a, const char *s);
/** NULL for a NULL pointer only ("" stays ""). */
void pg__arg_text_nullable(struct pg_args *a, const char *s);
void pg__arg_int(struct pg_args *a, int64_t v);
/** NULL for id 0. */
void pg__arg_id_or_null(struct pg_args *a, int64_t id);
/** A double with 17 significant digits (round-trips exactly). */
void pg__arg_double(struct pg_args *a, double v);
void pg__arg_null(struct pg_args *a);
/** A double, or NULL when !has (a case without a point). */
void pg__arg_double_or_null(struct pg_args *a, int has, double v);
/** Bytes for a bytea parameter, sent in binary (p must live until the statement ran). */
void pg__arg_bytes(struct pg_args *a, const void *p, size_t n);

/**
 * Run a cached prepared statement (PQprepare on first use on this connection) with its
 * parameters; *res receives the result (the caller PQclears it) when GG_OK. A failure is
 * mapped by pg__fail and nothing is returned in *res.
 */
int pg__query(struct pg *c, const char *sql, const struct pg_args *a, PGresult **res,
	      struct err *err);
/** pg__query for a statement whose rows (if any) are not wanted. */
int pg__run(struct pg *c, const char *sql, const struct pg_args *a, struct err *err);
/**
 * pg__run whose answer may come later: inside a transaction the statement is sent in
 * pipeline mode and its failure, if any, is returned by the next statement that waits for
 * an answer on this connection, at the latest by RELEASE SAVEPOINT or COMMIT (conn.c). For
 * writes whose caller only passes a failure on; outside a transaction it is pg__run. The
 * parameters are copied when sent.
 */
int pg__run_later(struct pg *c, const char *sql, const struct pg_args *a, struct err *err);
/**
 * pg__query expected to answer one row: GG_OK with *res holding it (row 0; PQclear it),
 * GG_ENOTFOUND when there is none (err untouched, so the caller says what was not found),
 * or a mapped failure.
 */
int pg__row(struct pg *c, const char *sql, const struct pg_args *a, PGresult **res,
	    struct err *err);
/** pg__run that also says how many rows the statement changed (*changed). */
int pg__run_changes(struct pg *c, const char *sql, const struct pg_args *a, int64_t *changed,
		    struct err *err);
/** A statement answering one bigint (RETURNING id, count(*)) into *id (if id). */
int pg__id(struct pg *c, const char *sql, const struct pg_args *a, int64_t *id, struct err *err);
/**
 * Run sql and read each row with read(res, row, elem) into a new element (size elem) of a
 * vector in the arena: the vector in *out, its length in *n (NULL and 0 for none).
 */
int pg__rows(struct pg *c, const char *sql, const struct pg_args *a, struct arena *ar, size_t elem,
	     void (*read)(const PGresult *res, int row, void *elem), void **out, size_t *n,
	     struct err *err);
/** Run SQL without parameters or results (DDL, transaction control; several statements). */
int pg__exec(struct pg *c, const char *sql, struct err *err);
/**
 * Map a failed result (or, with res NULL, the connection's state) to a gg_err, keeping its
 * SQLSTATE and constraint in c->state and c->constraint:
 *   23xxx integrity (unique, foreign key, check, not null) and P0001 (a trigger's RAISE)
 *       → GG_ECONFLICT, as SQLite's SQLITE_CONSTRAINT;
 *   40001 serialization, 40P01 deadlock, 55P03 lock not available → GG_EBUSY (503, retry);
 *   08xxx connection, 57P0x shutdown, 25006 read-only (a standby after a failover), a lost
 *       connection → GG_EUNAVAIL (503);
 *   anything else → GG_EDB.
 */
int pg__fail(struct pg *c, const PGresult *res, struct err *err);

/** Column col of row: 0 / 0.0 / "" for NULL. */
int64_t pg__int(const PGresult *res, int row, int col);
double pg__double(const PGresult *res, int row, int col);
int pg__is_null(const PGresult *res, int row, int col);
void pg__col_copy(const PGresult *res, int row, int col, char *dst, size_t n);
/** A bytea column (text form \x…) decoded into the arena; *n its length. */
void *pg__bytes(const PGresult *res, int row, int col, struct arena *a, size_t *n);

/**
 * "Column col lies in the subtree of the grid code bound to $1": the byte range
 * X <= code < X||';' (columns are COLLATE "C", so ';' sorts after '9' as in SQLite).
 */
#define PG_UNDER(col) "(" col " >= $1 AND " col " < $1 || ';')"

extern const struct store_ops pg__ops;

/* Per-area functions (one file each), gathered into pg__ops in conn.c. */
/* users and sessions (user.c) */
int pg__user_insert(struct store *s, const struct store_user *u, int64_t *id, struct err *err);
/* administration (admin.c) */
int pg__user_get(struct store *s, int64_t id, struct store_user *u, struct err *err);
int pg__user_update(struct store *s, const struct store_user *u, struct err *err);
int pg__session_drop_user(struct store *s, int64_t user_id, struct err *err);
int pg__dept_put(struct store *s, const struct store_dept *d, struct err *err);
int pg__audit_add(struct store *s, const struct store_audit *e, struct err *err);
int pg__audit_list(struct store *s, const char *under, int64_t offset, int limit, struct arena *ar,
		   struct store_audit **out, size_t *n, int64_t *total, struct err *err);
int pg__apikey_list(struct store *s, struct arena *ar, struct store_apikey_row **out, size_t *n,
		    struct err *err);
int pg__apikey_revoke(struct store *s, int64_t id, struct err *err);
int pg__device_list(struct store *s, struct arena *ar, struct store_device_row **out, size_t *n,
		    struct err *err);
int pg__device_set_user(struct store *s, const char *id, const char *user, struct err *err);
int pg__user_by_name(struct store *s, const char *name, struct store_user *u, struct err *err);
int pg__user_set_login_state(struct store *s, int64_t id, int failed, int64_t locked_until,
			     struct err *err);
int pg__user_list(struct store *s, struct arena *a, struct store_user **out, size_t *n,
		  struct err *err);
int pg__session_insert(struct store *s, const char *h, int64_t uid, int64_t created,
		       int64_t expires, struct err *err);
int pg__session_user(struct store *s, const char *h, int64_t now, struct store_user *u,
		     struct err *err);
int pg__session_delete(struct store *s, const char *h, struct err *err);
/* the grid tree, departments and categories (org.c) */
int pg__grid_put(struct store *s, const struct grid_node *g, struct err *err);
int pg__grid_get(struct store *s, const char *code, struct grid_node *g, struct err *err);
int pg__grid_children(struct store *s, const char *code, struct arena *a, struct grid_node **out,
		      size_t *n, struct err *err);
int pg__grid_count(struct store *s, const char *under, enum grid_level level, int64_t *n,
		   struct err *err);
int pg__dept_list(struct store *s, struct arena *a, struct store_dept **out, size_t *n,
		  struct err *err);
int pg__dept_get(struct store *s, const char *code, struct store_dept *d, struct err *err);
int pg__category_put(struct store *s, const struct store_category *c, struct err *err);
int pg__category_get(struct store *s, const char *code, struct store_category *c, struct err *err);
int pg__category_list(struct store *s, struct arena *a, struct store_category **out, size_t *n,
		      struct err *err);
/* media (media.c) */
int pg__media_put(struct store *s, const struct store_media *m, struct err *err);
int pg__media_get(struct store *s, const char *sha, struct store_media *m, struct err *err);
int pg__media_owned(struct store *s, const char *sha, int64_t user, int *owned, struct err *err);
/* the grid map (geo.c) */
int pg__geom_put(struct store *s, const struct store_geom *g, struct err *err);
int pg__geom_list(struct store *s, const char *under, enum grid_level level, struct arena *a,
		  struct store_geom **out, size_t *n, struct err *err);
int pg__grid_set_counts(struct store *s, const char *code, int64_t households, int64_t population,
			struct err *err);
int pg__grid_rollup_counts(struct store *s, struct err *err);
int pg__map_version(struct store *s, int64_t *version, struct err *err);
int pg__level_name(struct store *s, const char *district, enum grid_level level, char *out,
		   size_t n, struct err *err);
int pg__staff_add(struct store *s, const struct store_staff *st, int64_t *id, struct err *err);
int pg__staff_list(struct store *s, const char *grid, struct arena *a, struct store_staff **out,
		   size_t *n, struct err *err);
int pg__grids_without_dedicated(struct store *s, const char *under, struct arena *a,
				struct grid_node **out, size_t *n, struct err *err);
/* cases (case.c, case_log.c, sched.c) */
/* The columns pg__read_case reads, in its order (as SQLite's CASE_COLS). */
#define PG_CASE_COLS                                                                               \
	"id, category, description, lon, lat, address, channel, grid, community, street,"          \
	" level, state, coalesce(department,''), coalesce(proposed_dept,''),"                      \
	" coalesce(reporter_id,0), reporter, coalesce(merged_into,0), created_at, updated_at,"     \
	" stage_started, deadline, ext_pending, ext_hours, extended, reopened, rating,"            \
	" supervision, dispatches, returns, reworks, filed_at, filed_on_time, handled_at,"         \
	" handled_on_time, closed_at, closed_on_time"
/* (a row reader for pg__rows: elem is a struct store_case) */
void pg__read_case(const PGresult *res, int row, void *elem);
/* (a row reader for pg__rows: elem is a struct store_whistle_dept; the columns w.id,
 * w.case_id, type, blower_id, blower, at, deadline, department, reported_at, supervised,
 * rating) */
void pg__read_whistle_dept(const PGresult *res, int row, void *elem);
int pg__case_insert(struct store *s, struct store_case *c, struct err *err);
int pg__case_update(struct store *s, const struct store_case *c, struct err *err);
int pg__case_get(struct store *s, int64_t id, struct store_case *c, struct err *err);
int pg__case_page(struct store *s, const struct store_case_filter *f, struct arena *a,
		  struct store_case **out, size_t *n, struct store_case_page *pg, struct err *err);
int pg__case_overdue(struct store *s, int64_t now, struct arena *a, struct store_case **out,
		     size_t *n, struct err *err);
int pg__case_recent(struct store *s, const char *category, int64_t since, struct arena *a,
		    struct store_case **out, size_t *n, struct err *err);
int pg__case_log_append(struct store *s, struct store_case_entry *e, struct err *err);
int pg__case_log_list(struct store *s, int64_t case_id, struct arena *a,
		      struct store_case_entry **out, size_t *n, struct err *err);
int pg__case_log_each(struct store *s, int (*fn)(const struct store_case_entry *e, void *arg),
		      void *arg, struct err *err);
int pg__whistle_insert(struct store *s, int64_t case_id, const char *type, int64_t blower_id,
		       const char *blower, int64_t at, int64_t deadline, const char *const *depts,
		       size_t ndepts, int64_t *id, struct err *err);
int pg__whistle_depts(struct store *s, int64_t case_id, struct arena *a,
		      struct store_whistle_dept **out, size_t *n, struct err *err);
int pg__whistle_dept_update(struct store *s, const struct store_whistle_dept *d, struct err *err);
int pg__supervision_insert(struct store *s, const struct store_supervision *v, struct err *err);
int pg__supervision_list(struct store *s, int64_t case_id, struct arena *a,
			 struct store_supervision **out, size_t *n, struct err *err);
int pg__case_due_put(struct store *s, int64_t case_id, int64_t due_at, struct err *err);
int pg__case_due(struct store *s, int64_t now, size_t limit, struct arena *a, int64_t **ids,
		 size_t *n, struct err *err);
int pg__whistle_due(struct store *s, int64_t now, size_t limit, struct arena *a,
		    struct store_whistle_dept **out, size_t *n, struct err *err);
int pg__sched_next(struct store *s, int64_t *at, struct err *err);
/* people and housing (people.c) */
int pg__building_put(struct store *s, const struct store_building *b, int64_t *id, struct err *err);
int pg__house_put(struct store *s, const struct store_house *h, int64_t *id, struct err *err);
int pg__household_put(struct store *s, const struct store_household *h, int64_t *id,
		      struct err *err);
int pg__resident_insert(struct store *s, const struct store_resident *p, int64_t *id,
			struct err *err);
int pg__resident_count_hash(struct store *s, const char *hash, int64_t *n, struct err *err);
int pg__resident_list(struct store *s, const char *under, int64_t offset, int64_t limit,
		      struct arena *a, struct store_resident **out, size_t *n, int64_t *total,
		      struct err *err);
int pg__resident_each(struct store *s, const char *under,
		      int (*fn)(void *arg, const struct store_resident *p), void *arg,
		      struct err *err);
int pg__resident_get(struct store *s, int64_t id, struct store_resident *p, struct err *err);
int pg__resident_by_hash(struct store *s, const char *hash, struct arena *a,
			 struct store_resident **out, size_t *n, struct err *err);
int pg__household_list(struct store *s, const char *under, struct arena *a,
		       struct store_household **out, size_t *n, struct err *err);
int pg__building_list(struct store *s, const char *under, struct arena *a,
		      struct store_building **out, size_t *n, struct err *err);
int pg__house_get(struct store *s, int64_t id, struct store_house *h, struct err *err);
int pg__people_bulk(struct store *s, int64_t expect, int *dropped, struct err *err);
int pg__people_bulk_end(struct store *s, int keep, struct err *err);
int pg__resident_hashes(struct store *s, int (*fn)(void *arg, const char *hash), void *arg,
			struct err *err);
int pg__people_recount(struct store *s, struct err *err);
int pg__pii_access_insert(struct store *s, int64_t at, const struct principal *who,
			  int64_t resident_id, const char *grid, const char *reason,
			  struct err *err);
int pg__pii_access_count(struct store *s, int64_t resident_id, int64_t *n, struct err *err);
int pg__people_faults(struct store *s, const char *under, int hh_min, int hh_max, struct arena *a,
		      struct store_people_fault **out, size_t *n, struct err *err);
int pg__correction_insert(struct store *s, const struct store_correction *c, int64_t *id,
			  struct err *err);
int pg__correction_get(struct store *s, int64_t id, struct store_correction *c, struct err *err);
int pg__correction_list(struct store *s, const char *under, const char *state, struct arena *a,
			struct store_correction **out, size_t *n, struct err *err);
int pg__correction_decide(struct store *s, int64_t id, int approve, int64_t by, int64_t at,
			  const char *decision, struct err *err);
/* intake channels (intake.c) */
int pg__report_put(struct store *s, const struct store_report *rep, const char *phone_sealed,
		   struct err *err);
int pg__report_get(struct store *s, const char *code, struct store_report *rep, struct err *err);
int pg__case_media_add(struct store *s, int64_t case_id, const char *sha, struct err *err);
int pg__media_cases(struct store *s, const char *sha, struct arena *a, int64_t **ids, size_t *n,
		    struct err *err);
int pg__case_media_list(struct store *s, int64_t case_id, struct arena *a, char (**shas)[65],
			size_t *n, struct err *err);
int pg__hotline_put(struct store *s, const struct store_hotline *h, const char *caller_sealed,
		    struct err *err);
int pg__hotline_get(struct store *s, const char *order_no, struct store_hotline *h,
		    struct err *err);
int pg__hotline_of_case(struct store *s, int64_t case_id, struct store_hotline *h, struct err *err);
int pg__open311_put(struct store *s, const struct store_open311 *o, struct err *err);
int pg__open311_get(struct store *s, int64_t case_id, struct store_open311 *o, struct err *err);
int pg__outbox_add(struct store *s, int64_t case_id, const char *body, int64_t now,
		   struct err *err);
int pg__outbox_due(struct store *s, int64_t now_ms, int limit, struct arena *a,
		   struct store_outbox **out, size_t *n, struct err *err);
int pg__outbox_delivered(struct store *s, int64_t id, int64_t now, struct err *err);
int pg__outbox_failed(struct store *s, int64_t id, int attempts, int64_t next_at_ms,
		      const char *why, struct err *err);
int pg__outbox_pending(struct store *s, int64_t *n, struct err *err);
int pg__apikey_add(struct store *s, const char *name, const char *hash, const char *scope,
		   int64_t now, int64_t *id, struct err *err);
int pg__apikey_by_hash(struct store *s, const char *hash, struct store_apikey *k, struct err *err);
int pg__device_add(struct store *s, const struct store_device *d, struct err *err);
int pg__device_get(struct store *s, const char *id, struct store_device *d, struct err *err);
int pg__alarm_add(struct store *s, const char *device_id, const char *type, int64_t at,
		  int has_value, double value, int64_t case_id, struct err *err);
int pg__alarm_open_case(struct store *s, const char *device_id, int64_t since, int64_t *case_id,
			struct err *err);
/* case summaries (stats.c) */
int pg__case_each(struct store *s, int (*fn)(void *arg, const struct store_case *c), void *arg,
		  struct err *err);
int pg__sum_apply(struct store *s, const struct store_sum_delta *d, size_t n, struct err *err);
int pg__sum_unbuilt(struct store *s, struct err *err);
int pg__sum_clear(struct store *s, int64_t utc_offset, struct err *err);
int pg__stats_meta(struct store *s, int *built, int64_t *utc_offset, struct err *err);
int pg__stats_sum(struct store *s, const struct store_stats_q *q, struct arena *a,
		  struct store_stats_row **out, size_t *n, struct err *err);
int pg__stats_live(struct store *s, const struct store_stats_q *q, struct arena *a,
		   struct store_stats_row **out, size_t *n, struct err *err);
int pg__stats_heat(struct store *s, const char *scope, const char *dept, int64_t day_from,
		   int64_t day_to, struct arena *a, struct store_heat_cell **out, size_t *n,
		   struct err *err);
int pg__stats_cases(struct store *s, const char *scope, const char *dept, int closed, int64_t from,
		    int64_t to, struct arena *a, struct store_case **out, size_t *n,
		    struct err *err);
/* the province view (province.c) */
int pg__province_publish(struct store *s, const char *city, struct err *err);
int pg__province_subscribe(struct store *s, const char *city, const char *uri, struct err *err);
int pg__province_read(struct store *s, int on, struct err *err);
int pg__province_unsubscribe(struct store *s, const char *city, struct err *err);
int pg__replica_lag(struct store *s, uint64_t *mark, int64_t *lag_ms, struct err *err);

/* template.c: response templates 常用语 */
int pg__template_list(struct store *s, const char *kind, const char *category, struct arena *a,
		       struct store_template **out, size_t *n, struct err *err);
int pg__template_put(struct store *s, struct store_template *t, struct err *err);
int pg__template_delete(struct store *s, int64_t id, struct err *err);

/* wall screens (kiosk.c) */
int pg__kiosk_insert(struct store *s, struct store_kiosk *k, const char *code_hash,
		     struct err *err);
int pg__kiosk_claim(struct store *s, const char *code_hash, const char *token_hash, int64_t now,
		    struct store_kiosk *k, struct err *err);
int pg__kiosk_by_token(struct store *s, const char *token_hash, struct store_kiosk *k,
		       struct err *err);
int pg__kiosk_list(struct store *s, struct arena *a, struct store_kiosk **out, size_t *n,
		   struct err *err);
int pg__kiosk_revoke(struct store *s, int64_t id, int64_t now, struct err *err);

/* patrol tracks (track.c) */
int pg__tracker_add(struct store *s, const char *id, int64_t user_id, int64_t now, struct err *err);
int pg__tracker_user(struct store *s, const char *id, int64_t *user_id, struct err *err);
int pg__position_last(struct store *s, const char *device, int64_t before_ms, struct track_fix *f,
		      struct err *err);
int pg__position_put(struct store *s, const struct store_position *v, size_t n, int64_t *stored,
		     struct err *err);
int pg__position_range(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
		       struct arena *a, struct track_point **out, size_t *n, struct err *err);
int pg__position_rejected(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
			  struct arena *a, int64_t **t_ms, char (**reason)[TRACK_REASON_MAX],
			  size_t *n, struct err *err);
int pg__position_live(struct store *s, const char *under, int64_t user_id, struct arena *a,
		      struct store_live **out, size_t *n, struct err *err);
int pg__position_retain(struct store *s, int64_t before_ms, int64_t *dropped, struct err *err);

int pg__idem_get(struct store *s, const char *owner, const char *key, struct store_idem *out,
		 struct err *err);
int pg__idem_put(struct store *s, const struct store_idem *in, struct err *err);
int pg__reply_put(struct store *s, int64_t case_id, const char *text, int64_t at, struct err *err);
int pg__reply_get(struct store *s, int64_t case_id, struct arena *a, char **text, int64_t *at,
		  struct err *err);


/* assessment 考核 (assess.c) */
int pg__assess_actor_counts(struct store *s, enum store_assess_what what, const char *scope,
			    int64_t from, int64_t to, struct arena *a,
			    struct store_assess_count **out, size_t *n, struct err *err);
int pg__assess_points(struct store *s, const char *target_kind, const char *scope, int64_t from,
		      int64_t to, struct arena *a, struct store_assess_points **out, size_t *n,
		      struct err *err);
int pg__assess_scheme_put(struct store *s, const char *kind, int64_t valid_from, const char *body,
			  const char *author, int64_t now, int *version, struct err *err);
int pg__assess_schemes(struct store *s, const char *kind, struct arena *a,
		       struct store_assess_scheme **out, size_t *n, struct err *err);
int pg__assess_snapshot_put(struct store *s, struct store_assess_snapshot *v, struct err *err);
int pg__assess_snapshot_get(struct store *s, const char *kind, const char *period,
			    const char *under, int64_t from_day, struct arena *a,
			    struct store_assess_snapshot *v, struct err *err);
int pg__assess_snapshot_tail(struct store *s, char hash[65], struct err *err);
int pg__assess_appeal_put(struct store *s, struct store_assess_appeal *v, struct err *err);
int pg__assess_appeal_get(struct store *s, int64_t id, struct store_assess_appeal *v,
			  struct err *err);
int pg__assess_appeal_decide(struct store *s, int64_t id, const char *state,
			     const char *decided_by, const char *decision, int64_t at,
			     struct err *err);
int pg__assess_appeals(struct store *s, int64_t snapshot_id, struct arena *a,
		       struct store_assess_appeal **out, size_t *n, struct err *err);

int pg__assess_categories(struct store *s, const char *scope, int64_t from, int64_t to,
			  struct arena *a, struct store_assess_category **out, size_t *n,
			  struct err *err);
int pg__assess_oldest_open(struct store *s, const char *scope, int limit, struct arena *a,
			   struct store_assess_open **out, size_t *n, struct err *err);

#endif
