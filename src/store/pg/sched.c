/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The scheduler's queue in PostgreSQL (migration 024, as src/store/sqlite/sched.c): when
 * each case is next due, the cases due now in bounded batches, the summoned departments
 * past their whistle's deadline, and the earliest time anything falls due.
 */
#include "store/pg/pg_int.h"

int pg__case_due_put(struct store *s, int64_t case_id, int64_t due_at, struct err *err)
{
	static const char put[] = "INSERT INTO case_due(case_id, due_at) VALUES($1, $2)"
				  " ON CONFLICT(case_id) DO UPDATE SET due_at = $2";
	static const char del[] = "DELETE FROM case_due WHERE case_id = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, case_id);
	if (due_at)
		pg__arg_int(&a, due_at);
	return pg__run_later(pg_of(s), due_at ? put : del, &a, err);
}

/* (a row reader for pg__rows: elem is an int64_t) */
static void read_id(const PGresult *res, int row, void *elem)
{
	*(int64_t *)elem = pg__int(res, row, 0);
}

int pg__case_due(struct store *s, int64_t now, size_t limit, struct arena *a, int64_t **ids,
		 size_t *n, struct err *err)
{
	static const char sql[] = "SELECT case_id FROM case_due WHERE due_at <= $1"
				  " ORDER BY due_at, case_id LIMIT $2";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_int(&p, now);
	pg__arg_int(&p, (int64_t)limit);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**ids), read_id, (void **)ids, n, err);
}

int pg__whistle_due(struct store *s, int64_t now, size_t limit, struct arena *a,
		    struct store_whistle_dept **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT w.id, w.case_id, w.type, w.blower_id, w.blower, w.at, w.deadline,"
	    " d.department, d.reported_at, d.supervised, d.rating"
	    " FROM whistle_dept d JOIN whistle w ON w.id = d.whistle_id"
	    " WHERE d.reported_at = 0 AND d.supervised = 0 AND w.deadline < $1"
	    " ORDER BY w.deadline, w.id, d.department LIMIT $2";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_int(&p, now);
	pg__arg_int(&p, (int64_t)limit);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), pg__read_whistle_dept, (void **)out, n,
			err);
}

int pg__sched_next(struct store *s, int64_t *at, struct err *err)
{
	static const char sql[] =
	    "SELECT (SELECT min(due_at) FROM case_due),"
	    " (SELECT min(w.deadline) FROM whistle_dept d JOIN whistle w ON w.id = d.whistle_id"
	    "  WHERE d.reported_at = 0 AND d.supervised = 0)";
	PGresult *res;
	int r = pg__row(pg_of(s), sql, NULL, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? GG_OK : r;
	int64_t c = pg__int(res, 0, 0), w = 0;
	/* a department is late once the clock passes its deadline */
	if (!pg__is_null(res, 0, 1))
		w = pg__int(res, 0, 1) + 1;
	PQclear(res);
	*at = !c ? w : !w ? c : (c < w ? c : w);
	return GG_OK;
}
