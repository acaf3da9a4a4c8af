/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler's queue in SQLite (migration 024): when each case is next due for the
 * deadline sweep, the cases due now in bounded batches, the summoned departments past
 * their whistle's deadline, and the earliest time anything falls due.
 */
#include "store/sqlite/sq_int.h"

int sq__case_due_put(struct store *s, int64_t case_id, int64_t due_at, struct err *err)
{
	static const char put[] = "INSERT INTO case_due(case_id, due_at) VALUES(?1, ?2)"
				  " ON CONFLICT(case_id) DO UPDATE SET due_at = ?2";
	static const char del[] = "DELETE FROM case_due WHERE case_id = ?1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, due_at ? put : del, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	if (due_at)
		sqlite3_bind_int64(st, 2, due_at);
	return sq__step_done(q, st, err);
}

int sq__case_due(struct store *s, int64_t now, size_t limit, struct arena *a, int64_t **ids,
		 size_t *n, struct err *err)
{
	static const char sql[] = "SELECT case_id FROM case_due WHERE due_at <= ?"
				  " ORDER BY due_at, case_id LIMIT ?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	size_t len = 0, cap = 0;
	int64_t *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*(int64_t *)arena_push(a, (void **)&v, &len, &cap, sizeof(*v)) =
		    sqlite3_column_int64(st, 0);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*ids = v;
	*n = len;
	return GG_OK;
}

int sq__whistle_due(struct store *s, int64_t now, size_t limit, struct arena *a,
		    struct store_whistle_dept **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT w.id, w.case_id, w.type, w.blower_id, w.blower, w.at, w.deadline,"
	    " d.department, d.reported_at, d.supervised, d.rating"
	    " FROM whistle_dept d JOIN whistle w ON w.id = d.whistle_id"
	    " WHERE d.reported_at = 0 AND d.supervised = 0 AND w.deadline < ?"
	    " ORDER BY w.deadline, w.id, d.department LIMIT ?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, now);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)limit);
	return sq__rows(q, st, a, sizeof(**out), sq__read_whistle_dept, (void **)out, n, err);
}

int sq__sched_next(struct store *s, int64_t *at, struct err *err)
{
	/* Both minima come from an index: case_due_by_time, whistle_dept_pending. */
	static const char sql[] =
	    "SELECT (SELECT MIN(due_at) FROM case_due),"
	    " (SELECT MIN(w.deadline) FROM whistle_dept d JOIN whistle w ON w.id = d.whistle_id"
	    "  WHERE d.reported_at = 0 AND d.supervised = 0)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? GG_OK : r;
	int64_t c = sqlite3_column_int64(st, 0), w = 0;
	/* a department is late once the clock passes its deadline */
	if (sqlite3_column_type(st, 1) != SQLITE_NULL)
		w = sqlite3_column_int64(st, 1) + 1;
	sq__done(st);
	*at = !c ? w : !w ? c : (c < w ? c : w);
	return GG_OK;
}
