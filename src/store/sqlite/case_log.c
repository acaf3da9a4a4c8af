/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case trail (hash-chained, append-only), whistles 吹哨报到 and supervision rounds
 * 督办 in SQLite. The chain is extended here, inside the writer's transaction, so two
 * entries can never claim the same predecessor.
 */
#include <string.h>

#include "store/sqlite/sq_int.h"

#define LOG_COLS                                                                                   \
	"case_id, seq, action, actor_id, actor, role, at, from_state, to_state, note,"             \
	" attachments, prev_hash, hash"

static void read_entry(sqlite3_stmt *st, struct store_case_entry *e, struct arena *a)
{
	e->case_id = sqlite3_column_int64(st, 0);
	e->seq = sqlite3_column_int64(st, 1);
	sq__col_copy(st, 2, e->action, sizeof(e->action));
	e->actor_id = sqlite3_column_int64(st, 3);
	sq__col_copy(st, 4, e->actor, sizeof(e->actor));
	sq__col_copy(st, 5, e->role, sizeof(e->role));
	e->at = sqlite3_column_int64(st, 6);
	sq__col_copy(st, 7, e->from_state, sizeof(e->from_state));
	sq__col_copy(st, 8, e->to_state, sizeof(e->to_state));
	const char *note = (const char *)sqlite3_column_text(st, 9);
	const char *att = (const char *)sqlite3_column_text(st, 10);
	e->note = arena_strdup(a, note ? note : "");
	e->attachments = arena_strdup(a, att ? att : "[]");
	sq__col_copy(st, 11, e->prev_hash, sizeof(e->prev_hash));
	sq__col_copy(st, 12, e->hash, sizeof(e->hash));
}

int sq__case_log_append(struct store *s, struct store_case_entry *e, struct err *err)
{
	static const char sql_last[] = "SELECT seq, hash FROM case_log WHERE case_id=?"
				       " ORDER BY seq DESC LIMIT 1";
	static const char sql[] = "INSERT INTO case_log(" LOG_COLS ")"
				  " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r;
	if (q->log_tail.case_id && q->log_tail.case_id == e->case_id) {
		e->seq = q->log_tail.seq + 1;
		memcpy(e->prev_hash, q->log_tail.hash, CASE_HASH_HEX);
	} else {
		if ((r = sq__prep(q, sql_last, &st, err)))
			return r;
		sqlite3_bind_int64(st, 1, e->case_id);
		int rc = sqlite3_step(st);
		e->seq = 1;
		memcpy(e->prev_hash, case_genesis_hash, CASE_HASH_HEX);
		if (rc == SQLITE_ROW) {
			e->seq = sqlite3_column_int64(st, 0) + 1;
			sq__col_copy(st, 1, e->prev_hash, sizeof(e->prev_hash));
		}
		sq__done(st);
		if (rc != SQLITE_ROW && rc != SQLITE_DONE)
			return sq__fail(q, rc, err);
	}
	if (!e->note)
		e->note = "";
	if (!e->attachments)
		e->attachments = "[]";
	store_case_entry_hash(e, e->hash);
	if ((r = sq__prep(q, sql, &st, err)))
		return r;
	sqlite3_bind_int64(st, 1, e->case_id);
	sqlite3_bind_int64(st, 2, e->seq);
	sq__bind_text(st, 3, e->action);
	sqlite3_bind_int64(st, 4, e->actor_id);
	sq__bind_text(st, 5, e->actor);
	sq__bind_text(st, 6, e->role);
	sqlite3_bind_int64(st, 7, e->at);
	sq__bind_text(st, 8, e->from_state);
	sq__bind_text(st, 9, e->to_state);
	sq__bind_text(st, 10, e->note);
	sq__bind_text(st, 11, e->attachments);
	sq__bind_text(st, 12, e->prev_hash);
	sq__bind_text(st, 13, e->hash);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc != SQLITE_DONE) {
		q->log_tail.case_id = 0;
		return sq__fail(q, rc, err);
	}
	q->log_tail.case_id = e->case_id;
	q->log_tail.seq = e->seq;
	memcpy(q->log_tail.hash, e->hash, CASE_HASH_HEX);
	return GG_OK;
}

int sq__case_log_list(struct store *s, int64_t case_id, struct arena *a,
		      struct store_case_entry **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " LOG_COLS " FROM case_log WHERE case_id=? ORDER BY seq";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	size_t len = 0, cap = 0;
	struct store_case_entry *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		read_entry(st, arena_push(a, (void **)&v, &len, &cap, sizeof(*v)), a);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}

int sq__case_log_each(struct store *s, int (*fn)(const struct store_case_entry *e, void *arg),
		      void *arg, struct err *err)
{
	static const char sql[] = "SELECT " LOG_COLS " FROM case_log ORDER BY case_id, seq";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		/* one small arena per row keeps memory flat over a long trail */
		struct arena *a = arena_new();
		struct store_case_entry e;
		read_entry(st, &e, a);
		int stop = fn(&e, arg);
		arena_free(a);
		if (stop) {
			rc = SQLITE_DONE;
			break;
		}
	}
	sq__done(st);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

/* ---- whistles ---------------------------------------------------------------------- */

int sq__whistle_insert(struct store *s, int64_t case_id, const char *type, int64_t blower_id,
		       const char *blower, int64_t at, int64_t deadline, const char *const *depts,
		       size_t ndepts, int64_t *id, struct err *err)
{
	static const char sql[] = "INSERT INTO whistle(case_id, type, blower_id, blower, at,"
				  " deadline) VALUES(?,?,?,?,?,?)";
	static const char sql_dept[] = "INSERT INTO whistle_dept(whistle_id, department)"
				       " VALUES(?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	sq__bind_text(st, 2, type);
	sqlite3_bind_int64(st, 3, blower_id);
	sq__bind_text(st, 4, blower);
	sqlite3_bind_int64(st, 5, at);
	sqlite3_bind_int64(st, 6, deadline);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*id = sqlite3_last_insert_rowid(q->db);
	for (size_t i = 0; i < ndepts; i++) {
		if ((r = sq__prep(q, sql_dept, &st, err)))
			return r;
		sqlite3_bind_int64(st, 1, *id);
		sq__bind_text(st, 2, depts[i]);
		rc = sqlite3_step(st);
		sq__done(st);
		if (rc != SQLITE_DONE) {
			r = sq__fail(q, rc, err);
			if (r == GG_ECONFLICT)
				return err_field(err, GG_EFIELD, "departments",
						 "unknown or repeated department '%s'", depts[i]);
			return r;
		}
	}
	return GG_OK;
}

void sq__read_whistle_dept(sqlite3_stmt *st, void *row)
{
	struct store_whistle_dept *d = row;
	memset(d, 0, sizeof(*d));
	d->whistle_id = sqlite3_column_int64(st, 0);
	d->case_id = sqlite3_column_int64(st, 1);
	sq__col_copy(st, 2, d->type, sizeof(d->type));
	d->blower_id = sqlite3_column_int64(st, 3);
	sq__col_copy(st, 4, d->blower, sizeof(d->blower));
	d->at = sqlite3_column_int64(st, 5);
	d->deadline = sqlite3_column_int64(st, 6);
	sq__col_copy(st, 7, d->department, sizeof(d->department));
	d->reported_at = sqlite3_column_int64(st, 8);
	d->supervised = sqlite3_column_int(st, 9);
	sq__col_copy(st, 10, d->rating, sizeof(d->rating));
}

int sq__whistle_depts(struct store *s, int64_t case_id, struct arena *a,
		      struct store_whistle_dept **out, size_t *n, struct err *err)
{
#define WHISTLE_SQL(where)                                                                         \
	"SELECT w.id, w.case_id, w.type, w.blower_id, w.blower, w.at, w.deadline,"                 \
	" d.department, d.reported_at, d.supervised, d.rating"                                     \
	" FROM whistle w JOIN whistle_dept d ON d.whistle_id = w.id" where                         \
	" ORDER BY w.id, d.department"
	/* two statements: "?1 = 0 OR case_id = ?1" would read every whistle for one case */
	static const char sql_all[] = WHISTLE_SQL("");
	static const char sql_case[] = WHISTLE_SQL(" WHERE w.case_id = ?1");
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, case_id ? sql_case : sql_all, &st, err);
	if (r)
		return r;
	if (case_id)
		sqlite3_bind_int64(st, 1, case_id);
	return sq__rows(q, st, a, sizeof(**out), sq__read_whistle_dept, (void **)out, n, err);
}

int sq__whistle_dept_update(struct store *s, const struct store_whistle_dept *d, struct err *err)
{
	static const char sql[] = "UPDATE whistle_dept SET reported_at=?, supervised=?, rating=?"
				  " WHERE whistle_id=? AND department=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, d->reported_at);
	sqlite3_bind_int(st, 2, d->supervised);
	sq__bind_text(st, 3, d->rating);
	sqlite3_bind_int64(st, 4, d->whistle_id);
	sq__bind_text(st, 5, d->department);
	return sq__step_done(q, st, err);
}

/* ---- supervision ------------------------------------------------------------------- */

int sq__supervision_insert(struct store *s, const struct store_supervision *v, struct err *err)
{
	static const char sql[] = "INSERT INTO supervision(case_id, stage, round, level,"
				  " supervisor, target_kind, target, points, opened_at)"
				  " VALUES(?,?,?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, v->case_id);
	sq__bind_text(st, 2, v->stage);
	sqlite3_bind_int(st, 3, v->round);
	sqlite3_bind_int(st, 4, v->level);
	sq__bind_text(st, 5, v->supervisor);
	sq__bind_text(st, 6, v->target_kind);
	sq__bind_text(st, 7, v->target);
	sqlite3_bind_int(st, 8, v->points);
	sqlite3_bind_int64(st, 9, v->opened_at);
	return sq__step_done(q, st, err);
}

int sq__supervision_list(struct store *s, int64_t case_id, struct arena *a,
			 struct store_supervision **out, size_t *n, struct err *err)
{
#define SUPERVISION_SQL(where)                                                                     \
	"SELECT id, case_id, stage, round, level, supervisor, target_kind, target, points,"        \
	" opened_at FROM supervision" where " ORDER BY id"
	static const char sql_all[] = SUPERVISION_SQL("");
	static const char sql_case[] = SUPERVISION_SQL(" WHERE case_id = ?1");
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, case_id ? sql_case : sql_all, &st, err), rc;
	if (r)
		return r;
	if (case_id)
		sqlite3_bind_int64(st, 1, case_id);
	size_t len = 0, cap = 0;
	struct store_supervision *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_supervision *x = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		x->id = sqlite3_column_int64(st, 0);
		x->case_id = sqlite3_column_int64(st, 1);
		sq__col_copy(st, 2, x->stage, sizeof(x->stage));
		x->round = sqlite3_column_int(st, 3);
		x->level = sqlite3_column_int(st, 4);
		sq__col_copy(st, 5, x->supervisor, sizeof(x->supervisor));
		sq__col_copy(st, 6, x->target_kind, sizeof(x->target_kind));
		sq__col_copy(st, 7, x->target, sizeof(x->target));
		x->points = sqlite3_column_int(st, 8);
		x->opened_at = sqlite3_column_int64(st, 9);
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}
