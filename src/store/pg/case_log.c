/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case trail (hash-chained, append-only), whistles 吹哨报到 and supervision rounds 督办
 * in PostgreSQL (as src/store/sqlite/case_log.c). The chain is extended inside the write
 * transaction, which holds the writers' lock (conn.c), so two entries can never claim the
 * same predecessor. The trail is a table partitioned by month (migration 027).
 */
#include <string.h>

#include "store/pg/pg_int.h"

#define LOG_COLS                                                                                   \
	"case_id, seq, action, actor_id, actor, role, at, from_state, to_state, note,"             \
	" attachments, prev_hash, hash"

static void read_entry(const PGresult *res, int row, struct store_case_entry *e, struct arena *a)
{
	e->case_id = pg__int(res, row, 0);
	e->seq = pg__int(res, row, 1);
	pg__col_copy(res, row, 2, e->action, sizeof(e->action));
	e->actor_id = pg__int(res, row, 3);
	pg__col_copy(res, row, 4, e->actor, sizeof(e->actor));
	pg__col_copy(res, row, 5, e->role, sizeof(e->role));
	e->at = pg__int(res, row, 6);
	pg__col_copy(res, row, 7, e->from_state, sizeof(e->from_state));
	pg__col_copy(res, row, 8, e->to_state, sizeof(e->to_state));
	e->note = arena_strdup(a, PQgetvalue(res, row, 9));
	e->attachments =
	    arena_strdup(a, pg__is_null(res, row, 10) ? "[]" : PQgetvalue(res, row, 10));
	pg__col_copy(res, row, 11, e->prev_hash, sizeof(e->prev_hash));
	pg__col_copy(res, row, 12, e->hash, sizeof(e->hash));
}

/*
 * The trail is partitioned by CST month (migration 027). The partition of an entry's
 * month is made by case_log_month() if missing (with the month after it); a connection
 * remembers the last month it saw, so this costs a round trip once a month, or after a
 * rollback (which may have taken a new partition with it: conn.c forgets the month).
 */
static int trail_month(struct pg *c, int64_t at, struct err *err)
{
	static const char sql[] = "SELECT lo, hi FROM case_log_month($1)";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&a, at);
	int r = pg__row(c, sql, &a, &res, err);
	if (r == GG_ENOTFOUND)
		return err_set(err, GG_EDB, "database error: case_log_month answered nothing");
	if (r)
		return r;
	c->trail_month[0] = pg__int(res, 0, 0);
	c->trail_month[1] = pg__int(res, 0, 1);
	PQclear(res);
	return GG_OK;
}

int pg__case_log_append(struct store *s, struct store_case_entry *e, struct err *err)
{
	static const char sql_last[] = "SELECT seq, hash FROM case_log WHERE case_id = $1"
				       " ORDER BY seq DESC LIMIT 1";
	static const char sql[] = "INSERT INTO case_log(" LOG_COLS ")"
				  " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)";
	struct pg *c = pg_of(s);
	int r;
	if (c->log_tail.case_id && c->log_tail.case_id == e->case_id) {
		e->seq = c->log_tail.seq + 1;
		memcpy(e->prev_hash, c->log_tail.hash, CASE_HASH_HEX);
	} else {
		struct pg_args l = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_int(&l, e->case_id);
		e->seq = 1;
		memcpy(e->prev_hash, case_genesis_hash, CASE_HASH_HEX);
		r = pg__row(c, sql_last, &l, &res, err);
		if (r == GG_OK) {
			e->seq = pg__int(res, 0, 0) + 1;
			pg__col_copy(res, 0, 1, e->prev_hash, sizeof(e->prev_hash));
			PQclear(res);
		} else if (r != GG_ENOTFOUND) {
			return r;
		}
	}
	if (e->at < c->trail_month[0] || e->at >= c->trail_month[1]) {
		if ((r = trail_month(c, e->at, err)))
			return r;
	}
	if (!e->note)
		e->note = "";
	if (!e->attachments)
		e->attachments = "[]";
	store_case_entry_hash(e, e->hash);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, e->case_id);
	pg__arg_int(&a, e->seq);
	pg__arg_text(&a, e->action);
	pg__arg_int(&a, e->actor_id);
	pg__arg_text(&a, e->actor);
	pg__arg_text(&a, e->role);
	pg__arg_int(&a, e->at);
	pg__arg_text(&a, e->from_state);
	pg__arg_text(&a, e->to_state);
	pg__arg_text(&a, e->note);
	pg__arg_text(&a, e->attachments);
	pg__arg_text(&a, e->prev_hash);
	pg__arg_text(&a, e->hash);
	if ((r = pg__run_later(c, sql, &a, err))) {
		c->log_tail.case_id = 0;
		return r;
	}
	c->log_tail.case_id = e->case_id;
	c->log_tail.seq = e->seq;
	memcpy(c->log_tail.hash, e->hash, CASE_HASH_HEX);
	return GG_OK;
}

int pg__case_log_list(struct store *s, int64_t case_id, struct arena *a,
		      struct store_case_entry **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " LOG_COLS " FROM case_log WHERE case_id = $1"
				  " ORDER BY seq";
	struct pg_args p = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&p, case_id);
	*out = NULL;
	*n = 0;
	int r = pg__query(pg_of(s), sql, &p, &res, err);
	if (r)
		return r;
	size_t len = 0, cap = 0;
	struct store_case_entry *v = NULL;
	for (int i = 0, rows = PQntuples(res); i < rows; i++)
		read_entry(res, i, arena_push(a, (void **)&v, &len, &cap, sizeof(*v)), a);
	PQclear(res);
	*out = v;
	*n = len;
	return GG_OK;
}

/*
 * The whole trail in batches by (case_id, seq), each after the last entry read: memory
 * stays flat over a long trail, and fn may use the connection between batches.
 */
int pg__case_log_each(struct store *s, int (*fn)(const struct store_case_entry *e, void *arg),
		      void *arg, struct err *err)
{
	static const char sql[] =
	    "SELECT " LOG_COLS " FROM case_log WHERE (case_id, seq) > ($1, $2)"
	    " ORDER BY case_id, seq LIMIT 1000";
	struct pg *c = pg_of(s);
	int64_t after_case = 0, after_seq = 0;
	for (;;) {
		struct pg_args p = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_int(&p, after_case);
		pg__arg_int(&p, after_seq);
		int r = pg__query(c, sql, &p, &res, err);
		if (r)
			return r;
		int rows = PQntuples(res), stop = 0;
		for (int i = 0; i < rows && !stop; i++) {
			struct arena *a = arena_new();
			struct store_case_entry e;
			read_entry(res, i, &e, a);
			after_case = e.case_id;
			after_seq = e.seq;
			stop = fn(&e, arg);
			arena_free(a);
		}
		PQclear(res);
		if (stop || rows < 1000)
			return GG_OK;
	}
}

/* ---- whistles ---------------------------------------------------------------------- */

int pg__whistle_insert(struct store *s, int64_t case_id, const char *type, int64_t blower_id,
		       const char *blower, int64_t at, int64_t deadline, const char *const *depts,
		       size_t ndepts, int64_t *id, struct err *err)
{
	static const char sql[] = "INSERT INTO whistle(case_id, type, blower_id, blower, at,"
				  " deadline) VALUES($1, $2, $3, $4, $5, $6) RETURNING id";
	static const char sql_dept[] = "INSERT INTO whistle_dept(whistle_id, department)"
				       " VALUES($1, $2)";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, case_id);
	pg__arg_text(&a, type);
	pg__arg_int(&a, blower_id);
	pg__arg_text(&a, blower);
	pg__arg_int(&a, at);
	pg__arg_int(&a, deadline);
	int r = pg__id(c, sql, &a, id, err);
	for (size_t i = 0; i < ndepts && r == GG_OK; i++) {
		struct pg_args d = PG_ARGS_INIT;
		pg__arg_int(&d, *id);
		pg__arg_text(&d, depts[i]);
		if ((r = pg__run(c, sql_dept, &d, err)) == GG_ECONFLICT)
			return err_field(err, GG_EFIELD, "departments",
					 "unknown or repeated department '%s'", depts[i]);
	}
	return r;
}

void pg__read_whistle_dept(const PGresult *res, int row, void *elem)
{
	struct store_whistle_dept *d = elem;
	memset(d, 0, sizeof(*d));
	d->whistle_id = pg__int(res, row, 0);
	d->case_id = pg__int(res, row, 1);
	pg__col_copy(res, row, 2, d->type, sizeof(d->type));
	d->blower_id = pg__int(res, row, 3);
	pg__col_copy(res, row, 4, d->blower, sizeof(d->blower));
	d->at = pg__int(res, row, 5);
	d->deadline = pg__int(res, row, 6);
	pg__col_copy(res, row, 7, d->department, sizeof(d->department));
	d->reported_at = pg__int(res, row, 8);
	d->supervised = (int)pg__int(res, row, 9);
	pg__col_copy(res, row, 10, d->rating, sizeof(d->rating));
}

int pg__whistle_depts(struct store *s, int64_t case_id, struct arena *a,
		      struct store_whistle_dept **out, size_t *n, struct err *err)
{
#define WHISTLE_SQL(where)                                                                         \
	"SELECT w.id, w.case_id, w.type, w.blower_id, w.blower, w.at, w.deadline,"                 \
	" d.department, d.reported_at, d.supervised, d.rating"                                     \
	" FROM whistle w JOIN whistle_dept d ON d.whistle_id = w.id" where                         \
	" ORDER BY w.id, d.department"
	static const char sql_all[] = WHISTLE_SQL("");
	static const char sql_case[] = WHISTLE_SQL(" WHERE w.case_id = $1");
	struct pg_args p = PG_ARGS_INIT;
	if (case_id)
		pg__arg_int(&p, case_id);
	return pg__rows(pg_of(s), case_id ? sql_case : sql_all, &p, a, sizeof(**out),
			pg__read_whistle_dept, (void **)out, n, err);
}

int pg__whistle_dept_update(struct store *s, const struct store_whistle_dept *d, struct err *err)
{
	static const char sql[] = "UPDATE whistle_dept SET reported_at = $1, supervised = $2,"
				  " rating = $3 WHERE whistle_id = $4 AND department = $5";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, d->reported_at);
	pg__arg_int(&a, d->supervised);
	pg__arg_text(&a, d->rating);
	pg__arg_int(&a, d->whistle_id);
	pg__arg_text(&a, d->department);
	return pg__run(pg_of(s), sql, &a, err);
}

/* ---- supervision ------------------------------------------------------------------- */

int pg__supervision_insert(struct store *s, const struct store_supervision *v, struct err *err)
{
	static const char sql[] = "INSERT INTO supervision(case_id, stage, round, level,"
				  " supervisor, target_kind, target, points, opened_at)"
				  " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, v->case_id);
	pg__arg_text(&a, v->stage);
	pg__arg_int(&a, v->round);
	pg__arg_int(&a, v->level);
	pg__arg_text(&a, v->supervisor);
	pg__arg_text(&a, v->target_kind);
	pg__arg_text(&a, v->target);
	pg__arg_int(&a, v->points);
	pg__arg_int(&a, v->opened_at);
	return pg__run(pg_of(s), sql, &a, err);
}

/* (a row reader for pg__rows: elem is a struct store_supervision) */
static void read_supervision(const PGresult *res, int row, void *elem)
{
	struct store_supervision *x = elem;
	memset(x, 0, sizeof(*x));
	x->id = pg__int(res, row, 0);
	x->case_id = pg__int(res, row, 1);
	pg__col_copy(res, row, 2, x->stage, sizeof(x->stage));
	x->round = (int)pg__int(res, row, 3);
	x->level = (int)pg__int(res, row, 4);
	pg__col_copy(res, row, 5, x->supervisor, sizeof(x->supervisor));
	pg__col_copy(res, row, 6, x->target_kind, sizeof(x->target_kind));
	pg__col_copy(res, row, 7, x->target, sizeof(x->target));
	x->points = (int)pg__int(res, row, 8);
	x->opened_at = pg__int(res, row, 9);
}

int pg__supervision_list(struct store *s, int64_t case_id, struct arena *a,
			 struct store_supervision **out, size_t *n, struct err *err)
{
#define SUPERVISION_SQL(where)                                                                     \
	"SELECT id, case_id, stage, round, level, supervisor, target_kind, target, points,"        \
	" opened_at FROM supervision" where " ORDER BY id"
	static const char sql_all[] = SUPERVISION_SQL("");
	static const char sql_case[] = SUPERVISION_SQL(" WHERE case_id = $1");
	struct pg_args p = PG_ARGS_INIT;
	if (case_id)
		pg__arg_int(&p, case_id);
	return pg__rows(pg_of(s), case_id ? sql_case : sql_all, &p, a, sizeof(**out),
			read_supervision, (void **)out, n, err);
}
