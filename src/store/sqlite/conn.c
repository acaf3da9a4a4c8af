/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SQLite connections: opening with the pragmas the platform relies on (WAL, FULL sync,
 * foreign keys, busy timeout), migrations, transactions and the statement cache.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/buf.h"
#include "gridgov/clock.h"
#include "gridgov/xalloc.h"
#include "store/sqlite/sq_int.h"

int sq__fail(struct sq *q, int rc, struct err *err)
{
	int prim = rc & 0xff;
	const char *msg = q && q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc);
	if (prim == SQLITE_CONSTRAINT)
		return err_set(err, GG_ECONFLICT, "constraint violated: %s", msg);
	if (prim == SQLITE_BUSY || prim == SQLITE_LOCKED)
		return err_set(err, GG_EBUSY, "database busy: %s", msg);
	return err_set(err, GG_EDB, "database error: %s", msg);
}

int sq__exec(struct sq *q, const char *sql, struct err *err)
{
	char *msg = NULL;
	int rc = sqlite3_exec(q->db, sql, NULL, NULL, &msg);
	if (rc != SQLITE_OK) {
		int code = sq__fail(q, rc, NULL);
		err_set(err, code, "database error: %s", msg ? msg : sqlite3_errstr(rc));
		sqlite3_free(msg);
		return code;
	}
	return GG_OK;
}

int sq__prep(struct sq *q, const char *sql, sqlite3_stmt **out, struct err *err)
{
	size_t h = ((uintptr_t)sql >> 3) % SQ_CACHE_SLOTS;
	for (size_t i = 0; i < SQ_CACHE_SLOTS; i++) {
		size_t k = (h + i) % SQ_CACHE_SLOTS;
		if (q->cache[k].sql == sql) {
			*out = q->cache[k].st;
			return GG_OK;
		}
		if (!q->cache[k].sql) {
			int rc = sqlite3_prepare_v3(q->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
						    &q->cache[k].st, NULL);
			if (rc != SQLITE_OK)
				return sq__fail(q, rc, err);
			q->cache[k].sql = sql;
			*out = q->cache[k].st;
			return GG_OK;
		}
	}
	BUG("statement cache full: raise SQ_CACHE_SLOTS");
}

void sq__done(sqlite3_stmt *st)
{
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
}

int sq__step_row(struct sq *q, sqlite3_stmt *st, struct err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	sq__done(st);
	return rc == SQLITE_DONE ? GG_ENOTFOUND : sq__fail(q, rc, err);
}

int sq__step_done(struct sq *q, sqlite3_stmt *st, struct err *err)
{
	int rc = sqlite3_step(st);
	sq__done(st);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__rows(struct sq *q, sqlite3_stmt *st, struct arena *a, size_t elem,
	     void (*read)(sqlite3_stmt *st, void *row), void **out, size_t *n, struct err *err)
{
	size_t len = 0, cap = 0;
	void *v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read(st, arena_push(a, &v, &len, &cap, elem));
	sq__done(st);
	*out = v;
	*n = len;
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__step_id(struct sq *q, sqlite3_stmt *st, int64_t *id, struct err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && id)
		*id = sqlite3_column_int64(st, 0);
	if (rc == SQLITE_ROW)
		rc = sqlite3_step(st);
	sq__done(st);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

void sq__bind_id_or_null(sqlite3_stmt *st, int i, int64_t id)
{
	if (id)
		sqlite3_bind_int64(st, i, id);
	else
		sqlite3_bind_null(st, i);
}

void sq__bind_text(sqlite3_stmt *st, int i, const char *s)
{
	sqlite3_bind_text(st, i, s ? s : "", -1, SQLITE_STATIC);
}

void sq__bind_text_or_null(sqlite3_stmt *st, int i, const char *s)
{
	if (s && *s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

void sq__col_copy(sqlite3_stmt *st, int i, char *dst, size_t n)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	snprintf(dst, n, "%s", t ? (const char *)t : "");
}

static void sq_close(struct store *s)
{
	struct sq *q = sq_of(s);
	for (size_t i = 0; i < SQ_CACHE_SLOTS; i++)
		if (q->cache[i].st)
			sqlite3_finalize(q->cache[i].st);
	sqlite3_close_v2(q->db);
	free(q->people_indexes);
	free(q->case_indexes);
	free(q);
}

/*
 * SQLite's allocation counters take one global mutex on every malloc, which the server's
 * threads then queue on; gridgov reads none of them. A process that configured SQLite
 * itself before its first open (the people import) keeps its own setting.
 */
static void sq_config_once(void)
{
	(void)sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
}

int store__sqlite_open(const char *path, struct store **out, struct err *err)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, sq_config_once);
	struct sq *q = xcalloc(1, sizeof(*q));
	q->base.ops = &sq__ops;
	int rc = sqlite3_open_v2(
	    path, &q->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
	if (rc != SQLITE_OK) {
		err_set(err, GG_EIO, "cannot open database %s: %s", path,
			q->db ? sqlite3_errmsg(q->db) : sqlite3_errstr(rc));
		sqlite3_close_v2(q->db);
		free(q);
		return GG_EIO;
	}
	sqlite3_busy_timeout(q->db, 10000);
	int r = sq__exec(q,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 "PRAGMA foreign_keys=ON; PRAGMA temp_store=MEMORY;",
			 err);
	if (r) {
		sq_close(&q->base);
		return r;
	}
	*out = &q->base;
	return GG_OK;
}

static int sq_schema_version(struct store *s, int *version, struct err *err)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	*version = 0;
	int rc = sqlite3_prepare_v2(q->db, "SELECT coalesce(max(version),0) FROM schema_migrations",
				    -1, &st, NULL);
	if (rc != SQLITE_OK)
		return GG_OK; /* no table yet: an empty database */
	if (sqlite3_step(st) == SQLITE_ROW)
		*version = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	(void)err;
	return GG_OK;
}

static int applied(struct sq *q, int version)
{
	sqlite3_stmt *st;
	int found = 0;
	if (sqlite3_prepare_v2(q->db, "SELECT 1 FROM schema_migrations WHERE version=?", -1, &st,
			       NULL) != SQLITE_OK)
		return 0;
	sqlite3_bind_int(st, 1, version);
	found = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return found;
}

/* Whether the database holds a row that breaks a foreign key. */
static int fk_broken(struct sq *q, struct err *err)
{
	sqlite3_stmt *st;
	int rc = sqlite3_prepare_v2(q->db, "PRAGMA foreign_key_check", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq__fail(q, rc, err);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc == SQLITE_ROW)
		return err_set(err, GG_EINTERNAL, "rows break a foreign key");
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

static int migrate_one(struct sq *q, const struct sq_migration *m, struct err *err)
{
	int r;
	if ((r = sq__exec(q, "BEGIN IMMEDIATE", err)))
		return r;
	if ((r = sq__exec(q, m->sql, err)) || (r = fk_broken(q, err))) {
		err_set(err, r, "migration %03d_%s failed: %s", m->version, m->name,
			err ? err->msg : "");
		sq__exec(q, "ROLLBACK", NULL);
		return r;
	}
	sqlite3_stmt *st;
	sqlite3_prepare_v2(q->db,
			   "INSERT INTO schema_migrations(version,name,applied_at)"
			   " VALUES(?,?,?)",
			   -1, &st, NULL);
	sqlite3_bind_int(st, 1, m->version);
	sqlite3_bind_text(st, 2, m->name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, clock_now());
	int rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		r = sq__fail(q, rc, err);
		sq__exec(q, "ROLLBACK", NULL);
		return r;
	}
	return sq__exec(q, "COMMIT", err);
}

/*
 * Foreign keys are off while migrations run (the pragma cannot change inside a
 * transaction), so that a migration can rebuild a table the way SQLite documents:
 * create the new one, copy, drop the old, rename; with them on, the drop would delete
 * every row through the foreign keys. Each migration checks them all before it commits.
 */
static int sq_migrate(struct store *s, int *from, int *to, struct err *err)
{
	struct sq *q = sq_of(s);
	int r = sq_schema_version(s, from, err);
	if (r)
		return r;
	r = sq__exec(q,
		     "CREATE TABLE IF NOT EXISTS schema_migrations ("
		     " version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
		     " applied_at INTEGER NOT NULL)",
		     err);
	if (r || (r = sq__exec(q, "PRAGMA foreign_keys=OFF", err)))
		return r;
	for (const struct sq_migration *m = sq__migrations; m->sql && r == GG_OK; m++)
		if (!applied(q, m->version))
			r = migrate_one(q, m, err);
	int on = sq__exec(q, "PRAGMA foreign_keys=ON", r ? NULL : err);
	if (r || (r = on))
		return r;
	return sq_schema_version(s, to, err);
}

static int sq_cache_size(struct store *s, int64_t bytes, struct err *err)
{
	char sql[64];
	snprintf(sql, sizeof(sql), "PRAGMA cache_size=-%lld", (long long)(bytes / 1024));
	return sq__exec(sq_of(s), sql, err);
}

int sq__drop_indexes(struct sq *q, const char *list, char **create_out, struct err *err)
{
	sqlite3_stmt *st;
	*create_out = NULL;
	int r = sq__prep(q, list, &st, err), rc;
	if (r)
		return r;
	struct buf create = BUF_INIT, drop = BUF_INIT;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *d = sqlite3_mprintf("DROP INDEX \"%w\";", sqlite3_column_text(st, 0));
		buf_adds(&drop, d);
		sqlite3_free(d);
		buf_adds(&create, (const char *)sqlite3_column_text(st, 1));
		buf_adds(&create, ";\n");
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		r = sq__fail(q, rc, err);
	else if (drop.len && (r = sq__exec(q, drop.p, err)) == GG_OK)
		*create_out = buf_detach(&create, NULL);
	buf_release(&drop);
	buf_release(&create);
	return r;
}

static int sq_bulk_journal(struct store *s, int on, int *done, struct err *err)
{
	static const char to_delete[] = "PRAGMA journal_mode=DELETE",
			  to_wal[] = "PRAGMA journal_mode=WAL";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	/* not cached: the pragma's answer is the mode in force after it */
	int rc = sqlite3_prepare_v2(q->db, on ? to_delete : to_wal, -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq__fail(q, rc, err);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *mode = (const char *)sqlite3_column_text(st, 0);
		*done = mode && !strcmp(mode, on ? "delete" : "wal");
	}
	sqlite3_finalize(st);
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return GG_OK; /* others have it open: stay as we are */
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

/*
 * The case table's secondary indexes, dropped for a bulk writer and made again before it
 * commits (in the same transaction: the database never lacks them). As for the people
 * import, their SQL comes from the schema, so later migrations' indexes come back too.
 */
static int sq_case_bulk(struct store *s, int on, struct err *err)
{
	static const char list[] = "SELECT name, sql FROM sqlite_schema WHERE type='index'"
				   " AND sql IS NOT NULL AND tbl_name = 'gcase' ORDER BY name";
	struct sq *q = sq_of(s);
	if (on)
		return q->case_indexes ? GG_OK : sq__drop_indexes(q, list, &q->case_indexes, err);
	char *sql = q->case_indexes;
	q->case_indexes = NULL;
	int r = sql ? sq__exec(q, sql, err) : GG_OK;
	free(sql);
	return r;
}

/*
 * Transactions and savepoints run as cached statements, not through sqlite3_exec: a
 * group commit runs two of them per request, and parsing each anew cost the writer
 * more than some of the requests' own statements.
 */
static int run_cached(struct sq *q, const char *sql, struct err *err)
{
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	return r ? r : sq__step_done(q, st, err);
}

static int sq_begin(struct store *s, enum store_tx mode, struct err *err)
{
	static const char write[] = "BEGIN IMMEDIATE", read[] = "BEGIN";
	sq_of(s)->log_tail.case_id = 0;
	return run_cached(sq_of(s), mode == STORE_WRITE ? write : read, err);
}

static int sq_commit(struct store *s, struct err *err)
{
	static const char sql[] = "COMMIT";
	sq_of(s)->log_tail.case_id = 0;
	return run_cached(sq_of(s), sql, err);
}

static void sq_rollback(struct store *s)
{
	static const char sql[] = "ROLLBACK";
	struct sq *q = sq_of(s);
	q->log_tail.case_id = 0;
	if (!sqlite3_get_autocommit(q->db))
		run_cached(q, sql, NULL);
	q->savepoint_depth = 0;
}

/* Savepoints nest by depth; the first few have cached statements, deeper ones are rare. */
#define SP_CACHED 4
static const char sp_open[SP_CACHED][16] = {"SAVEPOINT sp1", "SAVEPOINT sp2",
					    "SAVEPOINT sp3", "SAVEPOINT sp4"};
static const char sp_release[SP_CACHED][16] = {"RELEASE sp1", "RELEASE sp2", "RELEASE sp3",
					       "RELEASE sp4"};
static const char sp_undo[SP_CACHED][20] = {"ROLLBACK TO sp1", "ROLLBACK TO sp2",
					    "ROLLBACK TO sp3", "ROLLBACK TO sp4"};

static int sq_savepoint(struct store *s, struct err *err)
{
	struct sq *q = sq_of(s);
	int d = ++q->savepoint_depth;
	if (d <= SP_CACHED)
		return run_cached(q, sp_open[d - 1], err);
	char sql[48];
	snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", d);
	return sq__exec(q, sql, err);
}

static int sq_savepoint_release(struct store *s, struct err *err)
{
	struct sq *q = sq_of(s);
	int d = q->savepoint_depth--;
	if (d >= 1 && d <= SP_CACHED)
		return run_cached(q, sp_release[d - 1], err);
	char sql[48];
	snprintf(sql, sizeof(sql), "RELEASE sp%d", d);
	return sq__exec(q, sql, err);
}

static void sq_savepoint_rollback(struct store *s)
{
	struct sq *q = sq_of(s);
	int d = q->savepoint_depth--;
	q->log_tail.case_id = 0; /* the entry it remembers may be undone */
	if (d >= 1 && d <= SP_CACHED) {
		if (run_cached(q, sp_undo[d - 1], NULL) == GG_OK)
			run_cached(q, sp_release[d - 1], NULL);
		return;
	}
	char sql[64];
	snprintf(sql, sizeof(sql), "ROLLBACK TO sp%d; RELEASE sp%d", d, d);
	sq__exec(q, sql, NULL);
}

/* A province's view is built by PostgreSQL's logical replication: SQLite has none. */
static int province_refused(struct err *err)
{
	return err_set(err, GG_EINVAL,
		       "the province view is PostgreSQL only (logical replication): use a"
		       " postgres:// database");
}

static int no_province_publish(struct store *s, const char *city, struct err *err)
{
	(void)s, (void)city;
	return province_refused(err);
}

static int no_province_subscribe(struct store *s, const char *city, const char *uri,
				 struct err *err)
{
	(void)s, (void)city, (void)uri;
	return province_refused(err);
}

static int no_province_unsubscribe(struct store *s, const char *city, struct err *err)
{
	(void)s;
	(void)city;
	return province_refused(err);
}

/* SQLite has no standbys: never behind. */
static int no_replica_lag(struct store *s, uint64_t *mark, int64_t *lag_ms, struct err *err)
{
	(void)s;
	(void)err;
	*mark = 0;
	*lag_ms = 0;
	return GG_OK;
}

static int no_province_read(struct store *s, int on, struct err *err)
{
	(void)s, (void)on;
	return province_refused(err);
}

const struct store_ops sq__ops = {
    .name = "sqlite",
    .close = sq_close,
    .migrate = sq_migrate,
    .schema_version = sq_schema_version,
    .begin = sq_begin,
    .cache_size = sq_cache_size,
    .case_bulk = sq_case_bulk,
    .bulk_journal = sq_bulk_journal,
    .commit = sq_commit,
    .rollback = sq_rollback,
    .savepoint = sq_savepoint,
    .savepoint_release = sq_savepoint_release,
    .savepoint_rollback = sq_savepoint_rollback,
    .user_insert = sq__user_insert,
    .user_by_name = sq__user_by_name,
    .user_set_login_state = sq__user_set_login_state,
    .user_list = sq__user_list,
    .session_insert = sq__session_insert,
    .session_user = sq__session_user,
    .session_delete = sq__session_delete,
    .grid_put = sq__grid_put,
    .grid_get = sq__grid_get,
    .grid_children = sq__grid_children,
    .grid_count = sq__grid_count,
    .dept_list = sq__dept_list,
    .dept_get = sq__dept_get,
    .media_put = sq__media_put,
    .media_get = sq__media_get,
    .media_owned = sq__media_owned,
    /* grid map (issue 3) */
    .geom_put = sq__geom_put,
    .geom_list = sq__geom_list,
    .grid_set_counts = sq__grid_set_counts,
    .grid_rollup_counts = sq__grid_rollup_counts,
    .map_version = sq__map_version,
    .level_name = sq__level_name,
    .staff_add = sq__staff_add,
    .staff_list = sq__staff_list,
    .grids_without_dedicated = sq__grids_without_dedicated,
    /* people and housing */
    .building_put = sq__building_put,
    .house_put = sq__house_put,
    .household_put = sq__household_put,
    .resident_insert = sq__resident_insert,
    .resident_count_hash = sq__resident_count_hash,
    .resident_list = sq__resident_list,
    .resident_each = sq__resident_each,
    .resident_get = sq__resident_get,
    .resident_by_hash = sq__resident_by_hash,
    .household_list = sq__household_list,
    .building_list = sq__building_list,
    .house_get = sq__house_get,
    .people_bulk = sq__people_bulk,
    .people_recount = sq__people_recount,
    .pii_access_insert = sq__pii_access_insert,
    .pii_access_count = sq__pii_access_count,
    .people_faults = sq__people_faults,
    .correction_insert = sq__correction_insert,
    .correction_get = sq__correction_get,
    .correction_list = sq__correction_list,
    .correction_decide = sq__correction_decide,
    /* cases */
    .category_put = sq__category_put,
    .category_get = sq__category_get,
    .category_list = sq__category_list,
    .case_insert = sq__case_insert,
    .case_update = sq__case_update,
    .case_get = sq__case_get,
    .case_page = sq__case_page,
    .case_overdue = sq__case_overdue,
    .case_recent = sq__case_recent,
    .case_log_append = sq__case_log_append,
    .case_log_list = sq__case_log_list,
    .case_log_each = sq__case_log_each,
    .whistle_insert = sq__whistle_insert,
    .whistle_depts = sq__whistle_depts,
    .whistle_dept_update = sq__whistle_dept_update,
    .supervision_insert = sq__supervision_insert,
    .supervision_list = sq__supervision_list,
    .case_due_put = sq__case_due_put,
    .case_due = sq__case_due,
    .whistle_due = sq__whistle_due,
    .sched_next = sq__sched_next,
    /* intake channels */
    .report_put = sq__report_put,
    .report_get = sq__report_get,
    .case_media_add = sq__case_media_add,
    .media_cases = sq__media_cases,
    .case_media_list = sq__case_media_list,
    .hotline_put = sq__hotline_put,
    .hotline_get = sq__hotline_get,
    .hotline_of_case = sq__hotline_of_case,
    .outbox_add = sq__outbox_add,
    .outbox_due = sq__outbox_due,
    .outbox_delivered = sq__outbox_delivered,
    .outbox_failed = sq__outbox_failed,
    .outbox_pending = sq__outbox_pending,
    .open311_put = sq__open311_put,
    .open311_get = sq__open311_get,
    .apikey_add = sq__apikey_add,
    .apikey_by_hash = sq__apikey_by_hash,
    .tracker_add = sq__tracker_add,
    .tracker_user = sq__tracker_user,
    .position_last = sq__position_last,
    .position_put = sq__position_put,
    .position_range = sq__position_range,
    .position_rejected = sq__position_rejected,
    .position_live = sq__position_live,
    .position_retain = sq__position_retain,
    .device_add = sq__device_add,
    .device_get = sq__device_get,
    .alarm_add = sq__alarm_add,
    .alarm_open_case = sq__alarm_open_case,
    /* people import speed */
    .people_bulk_end = sq__people_bulk_end,
    .resident_hashes = sq__resident_hashes,
    /* case summaries */
    .sum_apply = sq__sum_apply,
    .sum_clear = sq__sum_clear,
    .sum_unbuilt = sq__sum_unbuilt,
    .case_each = sq__case_each,
    .stats_sum = sq__stats_sum,
    .stats_live = sq__stats_live,
    .stats_heat = sq__stats_heat,
    .stats_cases = sq__stats_cases,
    .stats_meta = sq__stats_meta,
    /* the province view: PostgreSQL's logical replication, refused here */
    .province_publish = no_province_publish,
    .province_subscribe = no_province_subscribe,
    .province_read = no_province_read,
    .province_unsubscribe = no_province_unsubscribe,
    .replica_lag = no_replica_lag,
    .template_list = sq__template_list,
    .template_put = sq__template_put,
    .template_delete = sq__template_delete,
    .kiosk_insert = sq__kiosk_insert,
    .kiosk_claim = sq__kiosk_claim,
    .kiosk_by_token = sq__kiosk_by_token,
    .kiosk_list = sq__kiosk_list,
    .kiosk_revoke = sq__kiosk_revoke,
    /* administration */
    .user_get = sq__user_get,
    .user_update = sq__user_update,
    .session_drop_user = sq__session_drop_user,
    .dept_put = sq__dept_put,
    .audit_add = sq__audit_add,
    .audit_list = sq__audit_list,
    .apikey_list = sq__apikey_list,
    .apikey_revoke = sq__apikey_revoke,
    .device_list = sq__device_list,
    .device_set_user = sq__device_set_user,
    .idem_get = sq__idem_get,
    .idem_put = sq__idem_put,
    .reply_put = sq__reply_put,
    .reply_get = sq__reply_get,
    /* assessment 考核 */
    .assess_actor_counts = sq__assess_actor_counts,
    .assess_points = sq__assess_points,
    .assess_scheme_put = sq__assess_scheme_put,
    .assess_schemes = sq__assess_schemes,
    .assess_snapshot_put = sq__assess_snapshot_put,
    .assess_snapshot_get = sq__assess_snapshot_get,
    .assess_snapshot_tail = sq__assess_snapshot_tail,
    .assess_appeal_put = sq__assess_appeal_put,
    .assess_appeal_get = sq__assess_appeal_get,
    .assess_appeal_decide = sq__assess_appeal_decide,
    .assess_appeals = sq__assess_appeals,
    .assess_categories = sq__assess_categories,
    .assess_oldest_open = sq__assess_oldest_open,
};
