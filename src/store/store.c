/* SPDX-License-Identifier: Apache-2.0 */
/* Chooses a backend by DSN scheme and forwards each store_* call to it. */
#include <stdatomic.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

static int open_backend(const char *dsn, struct store **out, struct err *err)
{
	if (!strncmp(dsn, "sqlite:", 7))
		return store__sqlite_open(dsn + 7, out, err);
	/* the whole URI goes to libpq: multi-host lists and target_session_attrs included */
	if (!strncmp(dsn, "postgres://", 11) || !strncmp(dsn, "postgresql://", 13))
		return store__pg_open(dsn, out, err);
	if (!strncmp(dsn, "postgres:", 9) || !strncmp(dsn, "postgresql:", 11))
		return err_set(err, GG_EINVAL, "a PostgreSQL database is a URI: postgres://…");
	if (strstr(dsn, "://"))
		return err_set(err, GG_EINVAL, "unknown database scheme in '%s'", dsn);
	return store__sqlite_open(dsn, out, err);
}

int store_open(const char *dsn, struct store **out, struct err *err)
{
	*out = NULL;
	int rc = open_backend(dsn, out, err);
	if (rc == GG_OK) {
		uint64_t h = 1469598103934665603ull;
		for (const char *p = dsn; *p; p++)
			h = (h ^ (unsigned char)*p) * 1099511628211ull;
		(*out)->db_id = h;
	}
	return rc;
}

void store_close(struct store *s)
{
	if (s) {
		free(s->sum.v);
		s->ops->close(s);
	}
}

int store__unported(struct store *s, const char *op, struct err *err)
{
	return err_set(err, GG_EINTERNAL, "store operation %s is not implemented by the %s backend",
		       op, s->ops->name);
}

/* Every operation a backend must have (bulk_journal is optional: store_bulk_journal
 * answers "not done" without it). */
/* clang-format off */
#define OP(n) {#n, offsetof(struct store_ops, n)}
static const struct {
	const char *name;
	size_t off;
} required[] = {
	OP(close), OP(migrate), OP(schema_version), OP(begin), OP(commit), OP(rollback),
	OP(savepoint), OP(savepoint_release), OP(savepoint_rollback), OP(cache_size), OP(case_bulk),
	OP(user_insert), OP(user_by_name), OP(user_set_login_state), OP(user_list),
	OP(session_insert), OP(session_user), OP(session_delete), OP(grid_put), OP(grid_get),
	OP(grid_children), OP(grid_count), OP(dept_list), OP(dept_get), OP(media_put), OP(media_get),
	OP(media_owned), OP(geom_put), OP(geom_list), OP(grid_set_counts), OP(grid_rollup_counts),
	OP(map_version), OP(level_name), OP(staff_add), OP(staff_list), OP(grids_without_dedicated),
	OP(building_put), OP(house_put), OP(household_put), OP(resident_insert),
	OP(resident_count_hash), OP(resident_list), OP(resident_each), OP(resident_get),
	OP(resident_by_hash), OP(household_list), OP(building_list), OP(house_get), OP(people_bulk),
	OP(people_recount), OP(pii_access_insert), OP(pii_access_count), OP(people_faults),
	OP(correction_insert), OP(correction_get), OP(correction_list), OP(correction_decide),
	OP(category_put), OP(category_get), OP(category_list), OP(case_insert), OP(case_update),
	OP(case_get), OP(case_page), OP(case_overdue), OP(case_recent), OP(case_log_append),
	OP(case_log_list), OP(case_log_each), OP(whistle_insert), OP(whistle_depts),
	OP(whistle_dept_update), OP(supervision_insert), OP(supervision_list), OP(case_due_put),
	OP(case_due), OP(whistle_due), OP(sched_next), OP(report_put), OP(report_get),
	OP(case_media_add), OP(media_cases), OP(case_media_list), OP(hotline_put), OP(hotline_get),
	OP(hotline_of_case), OP(open311_put), OP(open311_get), OP(outbox_add), OP(outbox_due), OP(outbox_delivered), OP(outbox_failed),
	OP(outbox_pending), OP(apikey_add), OP(apikey_by_hash), OP(device_add), OP(device_get),
	OP(alarm_add), OP(alarm_open_case), OP(people_bulk_end), OP(resident_hashes), OP(sum_apply),
	OP(sum_clear), OP(sum_unbuilt), OP(case_each), OP(stats_sum), OP(stats_live), OP(stats_heat),
	OP(stats_cases), OP(stats_meta), OP(province_publish), OP(province_subscribe),
	OP(province_read), OP(province_unsubscribe), OP(replica_lag),
	OP(template_list), OP(template_put), OP(template_delete),
	OP(kiosk_insert), OP(kiosk_claim), OP(kiosk_by_token), OP(kiosk_list), OP(kiosk_revoke),
	OP(tracker_add), OP(tracker_user), OP(position_last), OP(position_put), OP(position_range),
	OP(position_rejected), OP(position_live), OP(position_retain),
	/* administration */
	OP(user_get), OP(user_update), OP(session_drop_user), OP(dept_put), OP(audit_add),
	OP(audit_list), OP(apikey_list), OP(apikey_revoke), OP(device_list), OP(device_set_user),
	OP(idem_get), OP(idem_put), OP(reply_put), OP(reply_get),
	OP(assess_actor_counts), OP(assess_points), OP(assess_scheme_put), OP(assess_schemes),
	OP(assess_snapshot_put), OP(assess_snapshot_get), OP(assess_snapshot_tail),
	OP(assess_appeal_put), OP(assess_appeal_get), OP(assess_appeal_decide), OP(assess_appeals),
	OP(assess_categories), OP(assess_oldest_open),
};
/* clang-format on */
#undef OP
/* one entry per function pointer of struct store_ops, but for name and bulk_journal: a new
 * operation must be added here too */
_Static_assert(sizeof(required) / sizeof(required[0]) + 1 ==
		   (sizeof(struct store_ops) - offsetof(struct store_ops, close)) /
		       sizeof(void (*)(void)),
	       "store.c's list of required operations misses one of struct store_ops");

int store_ops_missing(struct store *s, const char **first)
{
	int n = 0;
	*first = NULL;
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		void (*const *fn)(void) =
		    (void (*const *)(void))((const char *)s->ops + required[i].off);
		if (!*fn && !n++)
			*first = required[i].name;
	}
	return n;
}

const char *store_backend(struct store *s)
{
	return s->ops->name;
}

STORE_FWD(replica_lag, (struct store * s, uint64_t *m, int64_t *l, struct err *err),
	  (s, m, l, err))

int store_savepoints_max(struct store *s)
{
	return strcmp(s->ops->name, "sqlite") ? 64 : 0; /* PGPROC_MAX_CACHED_SUBXIDS */
}

#define FWD STORE_FWD

FWD(migrate, (struct store * s, int *from, int *to, struct err *err), (s, from, to, err))
FWD(schema_version, (struct store * s, int *v, struct err *err), (s, v, err))
STORE_FWD_CHANGES(STORE_EPOCH_AUTH, user_insert,
		  (struct store * s, const struct store_user *u, int64_t *id, struct err *err),
		  (s, u, id, err))
FWD(user_by_name, (struct store * s, const char *n, struct store_user *u, struct err *err),
    (s, n, u, err))
STORE_FWD_CHANGES(STORE_EPOCH_AUTH, user_set_login_state,
		  (struct store * s, int64_t id, int f, int64_t l, struct err *err),
		  (s, id, f, l, err))
FWD(user_list,
    (struct store * s, struct arena *a, struct store_user **o, size_t *n, struct err *err),
    (s, a, o, n, err))
FWD(session_insert,
    (struct store * s, const char *h, int64_t u, int64_t c, int64_t e, struct err *err),
    (s, h, u, c, e, err))
FWD(session_user,
    (struct store * s, const char *h, int64_t now, struct store_user *u, struct err *err),
    (s, h, now, u, err))
STORE_FWD_CHANGES(STORE_EPOCH_AUTH, session_delete,
		  (struct store * s, const char *h, struct err *err), (s, h, err))
STORE_FWD_CHANGES(STORE_EPOCH_CATALOG, grid_put,
		  (struct store * s, const struct grid_node *g, struct err *err), (s, g, err))
int store_grid_get(struct store *s, const char *code, struct grid_node *g, struct err *err)
{
	if (store__cache_grid(s, code, g))
		return GG_OK;
	uint64_t epoch = store_epoch(STORE_EPOCH_CATALOG);
	int rc = STORE_CALL(grid_get, (s, code, g, err));
	if (rc == GG_OK)
		store__cache_grid_put(s, epoch, g);
	return rc;
}
FWD(grid_children,
    (struct store * s, const char *c, struct arena *a, struct grid_node **o, size_t *n,
     struct err *err),
    (s, c, a, o, n, err))
FWD(grid_count, (struct store * s, const char *u, enum grid_level l, int64_t *n, struct err *err),
    (s, u, l, n, err))
FWD(dept_list,
    (struct store * s, struct arena *a, struct store_dept **o, size_t *n, struct err *err),
    (s, a, o, n, err))
FWD(dept_get, (struct store * s, const char *c, struct store_dept *d, struct err *err),
    (s, c, d, err))

FWD(media_put, (struct store * s, const struct store_media *m, struct err *err), (s, m, err))
FWD(media_get, (struct store * s, const char *h, struct store_media *m, struct err *err),
    (s, h, m, err))
FWD(media_owned, (struct store * s, const char *h, int64_t u, int *o, struct err *err),
    (s, h, u, o, err))

/*
 * Transactions also carry the case summaries' deltas (store_sum.c): a write transaction
 * collects them, a savepoint's rollback drops its own, and COMMIT applies them first.
 */
static _Atomic uint64_t epochs[STORE_EPOCH_KINDS];

uint64_t store_epoch(enum store_epoch_kind k)
{
	return atomic_load(&epochs[k]);
}

void store__changed(struct store *s, enum store_epoch_kind k)
{
	s->epoch_dirty |= 1u << k;
	atomic_fetch_add(&epochs[k], 1);
}

/* the transaction that wrote such rows ended: entries read meanwhile are stale */
static void epochs_settled(struct store *s)
{
	for (int k = 0; k < STORE_EPOCH_KINDS; k++)
		if (s->epoch_dirty & (1u << k))
			atomic_fetch_add(&epochs[k], 1);
	s->epoch_dirty = 0;
}

int store_begin(struct store *s, enum store_tx mode, struct err *err)
{
	int rc = s->ops->begin(s, mode, err);
	if (rc == GG_OK && mode == STORE_WRITE) {
		store__sum_reset(s);
		s->sum.tx = 1;
	}
	return rc;
}

int store_cache_size(struct store *s, int64_t bytes, struct err *err)
{
	return s->ops->cache_size(s, bytes, err);
}

int store_bulk_journal(struct store *s, int on, int *done, struct err *err)
{
	*done = 0;
	return s->ops->bulk_journal ? s->ops->bulk_journal(s, on, done, err) : GG_OK;
}

int store_case_bulk(struct store *s, int on, struct err *err)
{
	return s->ops->case_bulk(s, on, err);
}

int store_commit(struct store *s, struct err *err)
{
	int rc = s->sum.tx ? store__sum_flush(s, err) : GG_OK;
	if (rc == GG_OK)
		rc = s->ops->commit(s, err);
	store__sum_reset(s);
	epochs_settled(s);
	return rc;
}

void store_rollback(struct store *s)
{
	s->ops->rollback(s);
	store__sum_reset(s);
	epochs_settled(s);
}

int store_savepoint(struct store *s, struct err *err)
{
	int rc = s->ops->savepoint(s, err);
	if (rc == GG_OK)
		store__sum_savepoint(s);
	return rc;
}

int store_savepoint_release(struct store *s, struct err *err)
{
	/* the outermost savepoint outside store_begin is a transaction of its own */
	int rc = !s->sum.tx && s->sum.depth == 1 ? store__sum_flush(s, err) : GG_OK;
	if (rc == GG_OK)
		rc = s->ops->savepoint_release(s, err);
	if (rc == GG_OK)
		store__sum_release(s);
	return rc;
}

void store_savepoint_rollback(struct store *s)
{
	s->ops->savepoint_rollback(s);
	store__sum_rollback_to(s);
}
