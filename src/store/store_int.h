/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What a storage backend implements: one function pointer per store_* call. Each backend
 * embeds struct store first in its own connection struct.
 */
#ifndef GRIDGOV_STORE_INT_H
#define GRIDGOV_STORE_INT_H

#include "gridgov/store.h"
#include "gridgov/store_geo.h"
#include "gridgov/store_people.h"
#include "gridgov/store_case.h"
#include "gridgov/store_intake.h"
#include "gridgov/store_stats.h"
#include "gridgov/store_province.h"
#include "gridgov/store_kiosk.h"
#include "gridgov/store_track.h"
#include "gridgov/store_admin.h"
#include "gridgov/store_assess.h"

struct store_sum_delta;

struct store_ops {
	const char *name;
	void (*close)(struct store *s);
	int (*migrate)(struct store *s, int *from, int *to, struct err *err);
	int (*schema_version)(struct store *s, int *version, struct err *err);
	int (*begin)(struct store *s, enum store_tx mode, struct err *err);
	int (*commit)(struct store *s, struct err *err);
	void (*rollback)(struct store *s);
	int (*savepoint)(struct store *s, struct err *err);
	int (*savepoint_release)(struct store *s, struct err *err);
	void (*savepoint_rollback)(struct store *s);
	int (*cache_size)(struct store *s, int64_t bytes, struct err *err);
	int (*case_bulk)(struct store *s, int on, struct err *err);
	int (*bulk_journal)(struct store *s, int on, int *done, struct err *err);

	int (*user_insert)(struct store *s, const struct store_user *u, int64_t *id,
			   struct err *err);
	int (*user_by_name)(struct store *s, const char *name, struct store_user *u,
			    struct err *err);
	int (*user_set_login_state)(struct store *s, int64_t id, int failed,
				    int64_t locked_until, struct err *err);
	int (*user_list)(struct store *s, struct arena *a, struct store_user **out, size_t *n,
			 struct err *err);
	int (*session_insert)(struct store *s, const char *token_hash, int64_t user_id,
			      int64_t created, int64_t expires, struct err *err);
	int (*session_user)(struct store *s, const char *token_hash, int64_t now,
			    struct store_user *u, struct err *err);
	int (*session_delete)(struct store *s, const char *token_hash, struct err *err);

	int (*grid_put)(struct store *s, const struct grid_node *g, struct err *err);
	int (*grid_get)(struct store *s, const char *code, struct grid_node *g,
			struct err *err);
	int (*grid_children)(struct store *s, const char *code, struct arena *a,
			     struct grid_node **out, size_t *n, struct err *err);
	int (*grid_count)(struct store *s, const char *under, enum grid_level level,
			  int64_t *n, struct err *err);

	int (*dept_list)(struct store *s, struct arena *a, struct store_dept **out, size_t *n,
			 struct err *err);
	int (*dept_get)(struct store *s, const char *code, struct store_dept *d,
			struct err *err);

	/* media */
	int (*media_put)(struct store *s, const struct store_media *m, struct err *err);
	int (*media_get)(struct store *s, const char *sha, struct store_media *m,
			 struct err *err);
	int (*media_owned)(struct store *s, const char *sha, int64_t user, int *owned,
			   struct err *err);
	/* ---- grid map (issue 3): store_geo.h ---- */
	int (*geom_put)(struct store *s, const struct store_geom *g, struct err *err);
	int (*geom_list)(struct store *s, const char *under, enum grid_level level,
			 struct arena *a, struct store_geom **out, size_t *n, struct err *err);
	int (*grid_set_counts)(struct store *s, const char *code, int64_t households,
			       int64_t population, struct err *err);
	int (*grid_rollup_counts)(struct store *s, struct err *err);
	int (*map_version)(struct store *s, int64_t *version, struct err *err);
	int (*level_name)(struct store *s, const char *district, enum grid_level level,
			  char *out, size_t n, struct err *err);
	int (*staff_add)(struct store *s, const struct store_staff *st, int64_t *id,
			 struct err *err);
	int (*staff_list)(struct store *s, const char *grid, struct arena *a,
			  struct store_staff **out, size_t *n, struct err *err);
	int (*grids_without_dedicated)(struct store *s, const char *under, struct arena *a,
				       struct grid_node **out, size_t *n, struct err *err);
	/* people and housing 人房 (store_people.h) */
	int (*building_put)(struct store *s, const struct store_building *b, int64_t *id, struct err *err);
	int (*house_put)(struct store *s, const struct store_house *h, int64_t *id, struct err *err);
	int (*household_put)(struct store *s, const struct store_household *h, int64_t *id, struct err *err);
	int (*resident_insert)(struct store *s, const struct store_resident *p, int64_t *id, struct err *err);
	int (*resident_count_hash)(struct store *s, const char *hash, int64_t *n, struct err *err);
	int (*resident_list)(struct store *s, const char *under, int64_t offset, int64_t limit, struct arena *a, struct store_resident **out, size_t *n, int64_t *total, struct err *err);
	int (*resident_each)(struct store *s, const char *under,
			     int (*fn)(void *arg, const struct store_resident *p), void *arg,
			     struct err *err);
	int (*resident_get)(struct store *s, int64_t id, struct store_resident *p, struct err *err);
	int (*resident_by_hash)(struct store *s, const char *hash, struct arena *a, struct store_resident **out, size_t *n, struct err *err);
	int (*household_list)(struct store *s, const char *under, struct arena *a, struct store_household **out, size_t *n, struct err *err);
	int (*building_list)(struct store *s, const char *under, struct arena *a, struct store_building **out, size_t *n, struct err *err);
	int (*house_get)(struct store *s, int64_t id, struct store_house *h, struct err *err);
	int (*people_bulk)(struct store *s, int64_t expect, int *dropped, struct err *err);
	int (*people_recount)(struct store *s, struct err *err);
	int (*pii_access_insert)(struct store *s, int64_t at, const struct principal *who, int64_t resident_id, const char *grid, const char *reason, struct err *err);
	int (*pii_access_count)(struct store *s, int64_t resident_id, int64_t *n, struct err *err);
	int (*people_faults)(struct store *s, const char *under, int hh_min, int hh_max, struct arena *a, struct store_people_fault **out, size_t *n, struct err *err);
	int (*correction_insert)(struct store *s, const struct store_correction *c, int64_t *id, struct err *err);
	int (*correction_get)(struct store *s, int64_t id, struct store_correction *c, struct err *err);
	int (*correction_list)(struct store *s, const char *under, const char *state, struct arena *a, struct store_correction **out, size_t *n, struct err *err);
	int (*correction_decide)(struct store *s, int64_t id, int approve, int64_t by, int64_t at, const char *decision, struct err *err);
	/* ---- cases (store_case.h) ---- */
	int (*category_put)(struct store *s, const struct store_category *c, struct err *err);
	int (*category_get)(struct store *s, const char *code, struct store_category *c,
			    struct err *err);
	int (*category_list)(struct store *s, struct arena *a, struct store_category **out,
			     size_t *n, struct err *err);
	int (*case_insert)(struct store *s, struct store_case *c, struct err *err);
	int (*case_update)(struct store *s, const struct store_case *c, struct err *err);
	int (*case_get)(struct store *s, int64_t id, struct store_case *c, struct err *err);
	int (*case_page)(struct store *s, const struct store_case_filter *f, struct arena *a,
			 struct store_case **out, size_t *n, struct store_case_page *pg,
			 struct err *err);
	int (*case_overdue)(struct store *s, int64_t now, struct arena *a,
			    struct store_case **out, size_t *n, struct err *err);
	int (*case_recent)(struct store *s, const char *category, int64_t since,
			   struct arena *a, struct store_case **out, size_t *n, struct err *err);
	int (*case_log_append)(struct store *s, struct store_case_entry *e, struct err *err);
	int (*case_log_list)(struct store *s, int64_t case_id, struct arena *a,
			     struct store_case_entry **out, size_t *n, struct err *err);
	int (*case_log_each)(struct store *s,
			     int (*fn)(const struct store_case_entry *e, void *arg), void *arg,
			     struct err *err);
	int (*whistle_insert)(struct store *s, int64_t case_id, const char *type,
			      int64_t blower_id, const char *blower, int64_t at, int64_t deadline,
			      const char *const *depts, size_t ndepts, int64_t *id,
			      struct err *err);
	int (*whistle_depts)(struct store *s, int64_t case_id, struct arena *a,
			     struct store_whistle_dept **out, size_t *n, struct err *err);
	int (*whistle_dept_update)(struct store *s, const struct store_whistle_dept *d,
				   struct err *err);
	int (*supervision_insert)(struct store *s, const struct store_supervision *v,
				  struct err *err);
	int (*supervision_list)(struct store *s, int64_t case_id, struct arena *a,
				struct store_supervision **out, size_t *n, struct err *err);
	int (*case_due_put)(struct store *s, int64_t case_id, int64_t due_at, struct err *err);
	int (*case_due)(struct store *s, int64_t now, size_t limit, struct arena *a,
			int64_t **ids, size_t *n, struct err *err);
	int (*whistle_due)(struct store *s, int64_t now, size_t limit, struct arena *a,
			   struct store_whistle_dept **out, size_t *n, struct err *err);
	int (*sched_next)(struct store *s, int64_t *at, struct err *err);
	/* intake channels (store_intake.h) */
	int (*report_put)(struct store *s, const struct store_report *rep, const char *phone_sealed,
			  struct err *err);
	int (*report_get)(struct store *s, const char *code, struct store_report *rep,
			  struct err *err);
	int (*case_media_add)(struct store *s, int64_t case_id, const char *sha256, struct err *err);
	int (*media_cases)(struct store *s, const char *sha256, struct arena *a, int64_t **ids,
			   size_t *n, struct err *err);
	int (*case_media_list)(struct store *s, int64_t case_id, struct arena *a,
			       char (**shas)[65], size_t *n, struct err *err);
	int (*hotline_put)(struct store *s, const struct store_hotline *h, const char *caller_sealed,
			   struct err *err);
	int (*hotline_get)(struct store *s, const char *order_no, struct store_hotline *h,
			   struct err *err);
	int (*hotline_of_case)(struct store *s, int64_t case_id, struct store_hotline *h,
			       struct err *err);
	int (*outbox_add)(struct store *s, int64_t case_id, const char *body, int64_t now,
			  struct err *err);
	int (*outbox_due)(struct store *s, int64_t now_ms, int limit, struct arena *a,
			  struct store_outbox **out, size_t *n, struct err *err);
	int (*outbox_delivered)(struct store *s, int64_t id, int64_t now, struct err *err);
	int (*outbox_failed)(struct store *s, int64_t id, int attempts, int64_t next_at_ms,
			     const char *why, struct err *err);
	int (*outbox_pending)(struct store *s, int64_t *n, struct err *err);
	int (*open311_put)(struct store *s, const struct store_open311 *o, struct err *err);
	int (*open311_get)(struct store *s, int64_t case_id, struct store_open311 *o,
			   struct err *err);
	int (*apikey_add)(struct store *s, const char *name, const char *hash, const char *scope,
			  int64_t now, int64_t *id, struct err *err);
	int (*apikey_by_hash)(struct store *s, const char *hash, struct store_apikey *k,
			      struct err *err);
	int (*device_add)(struct store *s, const struct store_device *d, struct err *err);
	int (*device_get)(struct store *s, const char *id, struct store_device *d, struct err *err);
	int (*alarm_add)(struct store *s, const char *device_id, const char *type, int64_t at,
			 int has_value, double value, int64_t case_id, struct err *err);
	int (*alarm_open_case)(struct store *s, const char *device_id, int64_t since,
			       int64_t *case_id, struct err *err);
	/* people import speed (store_people.h) */
	int (*people_bulk_end)(struct store *s, int keep, struct err *err);
	int (*resident_hashes)(struct store *s, int (*fn)(void *arg, const char *hash), void *arg,
			       struct err *err);
	/* case summaries (store_stats.h; deltas computed in store_sum.c) */
	int (*sum_apply)(struct store *s, const struct store_sum_delta *d, size_t n,
			 struct err *err);
	int (*sum_clear)(struct store *s, int64_t utc_offset, struct err *err);
	int (*sum_unbuilt)(struct store *s, struct err *err);
	int (*case_each)(struct store *s, int (*fn)(void *arg, const struct store_case *c),
			 void *arg, struct err *err);
	int (*stats_sum)(struct store *s, const struct store_stats_q *q, struct arena *a,
			 struct store_stats_row **out, size_t *n, struct err *err);
	int (*stats_live)(struct store *s, const struct store_stats_q *q, struct arena *a,
			  struct store_stats_row **out, size_t *n, struct err *err);
	int (*stats_heat)(struct store *s, const char *scope, const char *dept, int64_t day_from,
			  int64_t day_to, struct arena *a, struct store_heat_cell **out, size_t *n,
			  struct err *err);
	int (*stats_cases)(struct store *s, const char *scope, const char *dept, int closed,
			   int64_t from, int64_t to, struct arena *a, struct store_case **out,
			   size_t *n, struct err *err);
	int (*stats_meta)(struct store *s, int *built, int64_t *utc_offset, struct err *err);
	/* ---- the province view (store_province.h) ---- */
	int (*province_publish)(struct store *s, const char *city, struct err *err);
	int (*province_subscribe)(struct store *s, const char *city, const char *uri,
				  struct err *err);
	int (*province_read)(struct store *s, int on, struct err *err);
	int (*province_unsubscribe)(struct store *s, const char *city, struct err *err);
	int (*replica_lag)(struct store *s, uint64_t *mark, int64_t *lag_ms, struct err *err);
	/* ---- response templates (store_case.h) ---- */
	int (*template_list)(struct store *s, const char *kind, const char *category,
			     struct arena *a, struct store_template **out, size_t *n,
			     struct err *err);
	int (*template_put)(struct store *s, struct store_template *t, struct err *err);
	int (*template_delete)(struct store *s, int64_t id, struct err *err);
	/* wall screens (store_kiosk.h) */
	int (*kiosk_insert)(struct store *s, struct store_kiosk *k, const char *code_hash,
			    struct err *err);
	int (*kiosk_claim)(struct store *s, const char *code_hash, const char *token_hash,
			   int64_t now, struct store_kiosk *k, struct err *err);
	int (*kiosk_by_token)(struct store *s, const char *token_hash, struct store_kiosk *k,
			      struct err *err);
	int (*kiosk_list)(struct store *s, struct arena *a, struct store_kiosk **out, size_t *n,
			  struct err *err);
	int (*kiosk_revoke)(struct store *s, int64_t id, int64_t now, struct err *err);
	/* ---- patrol tracks (store_track.h) ---- */
	int (*tracker_add)(struct store *s, const char *id, int64_t user_id, int64_t now,
			   struct err *err);
	int (*tracker_user)(struct store *s, const char *id, int64_t *user_id, struct err *err);
	int (*position_last)(struct store *s, const char *device, int64_t before_ms,
			     struct track_fix *f, struct err *err);
	int (*position_put)(struct store *s, const struct store_position *v, size_t n,
			    int64_t *stored, struct err *err);
	int (*position_range)(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
			      struct arena *a, struct track_point **out, size_t *n,
			      struct err *err);
	int (*position_rejected)(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
				 struct arena *a, int64_t **t_ms, char (**reason)[TRACK_REASON_MAX],
				 size_t *n, struct err *err);
	int (*position_live)(struct store *s, const char *under, int64_t user_id, struct arena *a,
			     struct store_live **out, size_t *n, struct err *err);
	int (*position_retain)(struct store *s, int64_t before_ms, int64_t *dropped,
			       struct err *err);
	/* ---- administration (store_admin.h) ---- */
	int (*user_get)(struct store *s, int64_t id, struct store_user *u, struct err *err);
	int (*user_update)(struct store *s, const struct store_user *u, struct err *err);
	int (*session_drop_user)(struct store *s, int64_t user_id, struct err *err);
	int (*dept_put)(struct store *s, const struct store_dept *d, struct err *err);
	int (*audit_add)(struct store *s, const struct store_audit *e, struct err *err);
	int (*audit_list)(struct store *s, const char *under, int64_t offset, int limit,
			  struct arena *a,
			  struct store_audit **out, size_t *n, int64_t *total, struct err *err);
	int (*apikey_list)(struct store *s, struct arena *a, struct store_apikey_row **out,
			   size_t *n, struct err *err);
	int (*apikey_revoke)(struct store *s, int64_t id, struct err *err);
	int (*device_list)(struct store *s, struct arena *a, struct store_device_row **out,
			   size_t *n, struct err *err);
	int (*device_set_user)(struct store *s, const char *id, const char *user,
			       struct err *err);
	/* idempotency keys (store_intake.h) */
	int (*idem_get)(struct store *s, const char *owner, const char *key, struct store_idem *out,
			struct err *err);
	int (*idem_put)(struct store *s, const struct store_idem *in, struct err *err);
	int (*reply_put)(struct store *s, int64_t case_id, const char *text, int64_t at,
			 struct err *err);
	int (*reply_get)(struct store *s, int64_t case_id, struct arena *a, char **text,
			 int64_t *at, struct err *err);
	/* ---- assessment 考核 (store_assess.h) ---- */
	int (*assess_actor_counts)(struct store *s, enum store_assess_what what, const char *scope,
				   int64_t from, int64_t to, struct arena *a,
				   struct store_assess_count **out, size_t *n, struct err *err);
	int (*assess_points)(struct store *s, const char *target_kind, const char *scope,
			     int64_t from, int64_t to, struct arena *a,
			     struct store_assess_points **out, size_t *n, struct err *err);
	int (*assess_scheme_put)(struct store *s, const char *kind, int64_t valid_from,
				 const char *body, const char *author, int64_t now, int *version,
				 struct err *err);
	int (*assess_schemes)(struct store *s, const char *kind, struct arena *a,
			      struct store_assess_scheme **out, size_t *n, struct err *err);
	int (*assess_snapshot_put)(struct store *s, struct store_assess_snapshot *v,
				   struct err *err);
	int (*assess_snapshot_get)(struct store *s, const char *kind, const char *period,
				   const char *under, int64_t from_day, struct arena *a,
				   struct store_assess_snapshot *v, struct err *err);
	int (*assess_snapshot_tail)(struct store *s, char hash[65], struct err *err);
	int (*assess_appeal_put)(struct store *s, struct store_assess_appeal *v, struct err *err);
	int (*assess_appeal_get)(struct store *s, int64_t id, struct store_assess_appeal *v,
				 struct err *err);
	int (*assess_appeal_decide)(struct store *s, int64_t id, const char *state,
				    const char *decided_by, const char *decision, int64_t at,
				    struct err *err);
	int (*assess_appeals)(struct store *s, int64_t snapshot_id, struct arena *a,
			      struct store_assess_appeal **out, size_t *n, struct err *err);
	int (*assess_categories)(struct store *s, const char *scope, int64_t from, int64_t to,
				 struct arena *a, struct store_assess_category **out, size_t *n,
				 struct err *err);
	int (*assess_oldest_open)(struct store *s, const char *scope, int limit, struct arena *a,
				  struct store_assess_open **out, size_t *n, struct err *err);
};

/*
 * One change to a summary row (store_sum.c): table SUM_T_DAY (the day rows: kind, lvl,
 * node, day, dept, chan, v[0..SUM_NCOLS)), SUM_T_LIVE (kind, lvl, node, dept, chan;
 * v[0] open, v[1] overdue, v[2] cases) or SUM_T_HEAT (node, day: the week's Monday, dept, x, y; v[0…6] cases on each of its days).
 */
enum { SUM_T_DAY, SUM_T_LIVE, SUM_T_HEAT };
struct store_sum_delta {
	uint8_t table, kind, lvl;
	char node[GRID_CODE_MAX], dept[ROLE_DEPT_MAX], chan[32];
	int64_t day, x, y;
	int32_t v[SUM_NCOLS];
};

#define STORE_SUM_MARKS 16

/*
 * The summary deltas of the open transaction, backend-neutral: appended by every case
 * write, cut back to a mark by a savepoint's rollback, coalesced and applied once before
 * COMMIT (store_sum.c).
 */
struct store_sum_buf {
	struct store_sum_delta *v;
	size_t len, cap;
	size_t marks[STORE_SUM_MARKS]; /* len at each open savepoint */
	int depth;		       /* savepoints open */
	int tx;			       /* inside store_begin(STORE_WRITE) … commit/rollback */
};

struct store {
	const struct store_ops *ops;
	struct store_sum_buf sum;
	int sum_deferred; /* store_stats_defer: case writes skip the summaries */
	unsigned epoch_dirty; /* bit per store_epoch_kind the transaction wrote */
	uint64_t db_id;	      /* a hash of the DSN: caches keep databases apart */
};

/* A write of kind k in s's transaction: store_epoch(k) moves now and at its end. */
void store__changed(struct store *s, enum store_epoch_kind k);
/* Wrap a write op of kind k: the epoch moves before it, after it (outside a transaction
 * the write is done once the call returns), and when its transaction ends. */
#define STORE_FWD_CHANGES(k, name, params, args)                                                   \
	int store_##name params                                                                    \
	{                                                                                          \
		store__changed(s, k);                                                              \
		int rc_ = STORE_CALL(name, args);                                                  \
		store__changed(s, k);                                                              \
		return rc_;                                                                        \
	}

/* store_cache.c: grids and categories read a moment ago (exact within the process). */
int store__cache_grid(struct store *s, const char *code, struct grid_node *g);
void store__cache_grid_put(struct store *s, uint64_t epoch, const struct grid_node *g);
int store__cache_category(struct store *s, const char *code, struct store_category *c);
void store__cache_category_put(struct store *s, uint64_t epoch, const struct store_category *c);

/* store_sum.c: the summaries' side of transactions and case writes. */
int store__sum_case(struct store *s, const struct store_case *old, const struct store_case *c,
		    struct err *err);
int store__sum_flush(struct store *s, struct err *err);
void store__sum_savepoint(struct store *s);
void store__sum_release(struct store *s);
void store__sum_rollback_to(struct store *s);
void store__sum_reset(struct store *s);

/** Backends: open a connection for the part of the DSN after the scheme (SQLite) or for
 * the whole libpq URI (PostgreSQL). */
int store__sqlite_open(const char *path, struct store **out, struct err *err);
int store__pg_open(const char *uri, struct store **out, struct err *err);

/**
 * What a call to an operation the backend does not implement (a NULL in its store_ops)
 * returns: GG_EINTERNAL naming the operation and the backend, never a crash.
 */
int store__unported(struct store *s, const char *op, struct err *err);

/** A store_* function that forwards to the backend's operation of the same name. */
#define STORE_FWD(name, params, args)                                                              \
	int store_##name params                                                                    \
	{                                                                                          \
		return STORE_CALL(name, args);                                                     \
	}
/** Call operation name with args, or say it is not implemented (s and err in scope). */
#define STORE_CALL(name, args) (s->ops->name ? s->ops->name args : store__unported(s, #name, err))

#endif
