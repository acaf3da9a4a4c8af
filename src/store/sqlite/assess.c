/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assessment 考核 in SQLite (store_assess.h): the counts per person and per 督办 target
 * over a window, each one index range (created_at, the trail by action and time,
 * supervision by opening, corrections by decision), and the schemes, snapshots and
 * appeals of migration 060.
 */
#include <stdio.h>
#include <string.h>

#include "gridgov/store_assess.h"
#include "store/sqlite/sq_int.h"

/* ?1 scope, ?2 from, ?3 to; rows (actor, n, ok). */
static const char q_own[] =
    "SELECT reporter_id, count(*), sum(filed_at > 0) FROM gcase"
    " WHERE created_at >= ?2 AND created_at < ?3 AND reporter_id IS NOT NULL"
    " AND " SQ_UNDER("grid") " GROUP BY reporter_id";
static const char q_verify[] =
    "SELECT l.actor_id, count(*), sum(l.at <= g.handled_at + 60 * c.verify_min)"
    " FROM case_log l JOIN gcase g ON g.id = l.case_id JOIN category c ON c.code = g.category"
    " WHERE l.action = 'verify' AND l.at >= ?2 AND l.at < ?3 AND " SQ_UNDER(
	"g.grid") " GROUP BY l.actor_id";
static const char q_self[] =
    "SELECT l.actor_id, count(*), count(*) FROM case_log l JOIN gcase g ON g.id = l.case_id"
    " WHERE l.action = 'self_close' AND l.at >= ?2 AND l.at < ?3 AND " SQ_UNDER(
	"g.grid") " GROUP BY l.actor_id";
static const char q_file[] = "SELECT l.actor_id, count(*), sum(g.filed_on_time) FROM case_log l"
			     " JOIN gcase g ON g.id = l.case_id"
			     " WHERE l.action = 'file' AND l.at >= ?2 AND l.at < ?3 AND " SQ_UNDER(
				 "g.grid") " GROUP BY l.actor_id";
static const char q_dispatch[] =
    "SELECT l.actor_id, count(*), sum(g.returns = 0) FROM case_log l"
    " JOIN gcase g ON g.id = l.case_id"
    " WHERE l.action = 'dispatch' AND l.at >= ?2 AND l.at < ?3 AND " SQ_UNDER(
	"g.grid") " GROUP BY l.actor_id";
static const char q_corr[] =
    "SELECT proposed_by, count(*), count(*) FROM people_correction"
    " WHERE state = 'approved' AND decided_at >= ?2 AND decided_at < ?3 AND " SQ_UNDER(
	"grid_code") " GROUP BY proposed_by";

static void read_count(sqlite3_stmt *st, void *row)
{
	struct store_assess_count *c = row;
	c->actor = sqlite3_column_int64(st, 0);
	c->n = sqlite3_column_int64(st, 1);
	c->ok = sqlite3_column_int64(st, 2);
}

int sq__assess_actor_counts(struct store *s, enum store_assess_what what, const char *scope,
			    int64_t from, int64_t to, struct arena *a,
			    struct store_assess_count **out, size_t *n, struct err *err)
{
	static const char *const qs[SA_WHAT_COUNT] = {q_own,  q_verify,	  q_self,
						      q_file, q_dispatch, q_corr};
	if (what < 0 || what >= SA_WHAT_COUNT)
		return err_set(err, GG_EINVAL, "unknown count");
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, qs[what], &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	return sq__rows(q, st, a, sizeof(**out), read_count, (void **)out, n, err);
}

static void read_points(sqlite3_stmt *st, void *row)
{
	struct store_assess_points *p = row;
	sq__col_copy(st, 0, p->target, sizeof(p->target));
	p->points = sqlite3_column_int64(st, 1);
	p->rounds = sqlite3_column_int64(st, 2);
}

int sq__assess_points(struct store *s, const char *target_kind, const char *scope, int64_t from,
		      int64_t to, struct arena *a, struct store_assess_points **out, size_t *n,
		      struct err *err)
{
	static const char sql[] =
	    "SELECT v.target, sum(v.points), count(*) FROM supervision v"
	    " JOIN gcase g ON g.id = v.case_id WHERE v.opened_at >= ?2 AND v.opened_at < ?3"
	    " AND v.target_kind = ?4 AND " SQ_UNDER("g.grid") " GROUP BY v.target";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	sq__bind_text(st, 4, target_kind);
	return sq__rows(q, st, a, sizeof(**out), read_points, (void **)out, n, err);
}

int sq__assess_scheme_put(struct store *s, const char *kind, int64_t valid_from, const char *body,
			  const char *author, int64_t now, int *version, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO assess_scheme (kind, version, valid_from, body, author, created_at)"
	    " SELECT ?1, coalesce(max(version), 0) + 1, ?2, ?3, ?4, ?5 FROM assess_scheme"
	    " WHERE kind = ?1 RETURNING version";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int64_t v = 0;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, kind);
	sqlite3_bind_int64(st, 2, valid_from);
	sq__bind_text(st, 3, body);
	sq__bind_text(st, 4, author);
	sqlite3_bind_int64(st, 5, now);
	if ((r = sq__step_id(q, st, &v, err)))
		return r;
	*version = (int)v;
	return GG_OK;
}

int sq__assess_schemes(struct store *s, const char *kind, struct arena *a,
		       struct store_assess_scheme **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT kind, version, valid_from, body, author, created_at FROM assess_scheme"
	    " WHERE kind = ?1 ORDER BY version";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, kind);
	size_t len = 0, cap = 0;
	struct store_assess_scheme *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_assess_scheme *x = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		sq__col_copy(st, 0, x->kind, sizeof(x->kind));
		x->version = sqlite3_column_int(st, 1);
		x->valid_from = sqlite3_column_int64(st, 2);
		x->body = arena_strdup(a, (const char *)sqlite3_column_text(st, 3));
		sq__col_copy(st, 4, x->author, sizeof(x->author));
		x->created_at = sqlite3_column_int64(st, 5);
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}

int sq__assess_snapshot_tail(struct store *s, char hash[65], struct err *err)
{
	static const char sql[] = "SELECT hash FROM assess_snapshot ORDER BY id DESC LIMIT 1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	r = sq__step_row(q, st, err);
	if (r == GG_ENOTFOUND) {
		memset(hash, '0', 64);
		hash[64] = 0;
		return GG_OK;
	}
	if (r)
		return r;
	sq__col_copy(st, 0, hash, 65);
	sq__done(st);
	return GG_OK;
}

int sq__assess_snapshot_put(struct store *s, struct store_assess_snapshot *v, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO assess_snapshot (kind, period, under, from_day, to_day, scheme_version,"
	    " body, hash, prev_hash, closed_by, closed_at)"
	    " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11) RETURNING id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, v->kind);
	sq__bind_text(st, 2, v->period);
	sq__bind_text(st, 3, v->under);
	sqlite3_bind_int64(st, 4, v->from_day);
	sqlite3_bind_int64(st, 5, v->to_day);
	sqlite3_bind_int(st, 6, v->scheme_version);
	sq__bind_text(st, 7, v->body);
	sq__bind_text(st, 8, v->hash);
	sq__bind_text(st, 9, v->prev_hash);
	sq__bind_text(st, 10, v->closed_by);
	sqlite3_bind_int64(st, 11, v->closed_at);
	r = sq__step_id(q, st, &v->id, err);
	return r == GG_ECONFLICT ? err_set(err, GG_ECONFLICT, "this period is closed already") : r;
}

int sq__assess_snapshot_get(struct store *s, const char *kind, const char *period,
			    const char *under, int64_t from_day, struct arena *a,
			    struct store_assess_snapshot *v, struct err *err)
{
	static const char sql[] =
	    "SELECT id, kind, period, under, from_day, to_day, scheme_version, body, hash,"
	    " prev_hash, closed_by, closed_at FROM assess_snapshot"
	    " WHERE kind = ?1 AND period = ?2 AND under = ?3 AND from_day = ?4";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, kind);
	sq__bind_text(st, 2, period);
	sq__bind_text(st, 3, under);
	sqlite3_bind_int64(st, 4, from_day);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "this period is not closed")
					 : r;
	v->id = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, v->kind, sizeof(v->kind));
	sq__col_copy(st, 2, v->period, sizeof(v->period));
	sq__col_copy(st, 3, v->under, sizeof(v->under));
	v->from_day = sqlite3_column_int64(st, 4);
	v->to_day = sqlite3_column_int64(st, 5);
	v->scheme_version = sqlite3_column_int(st, 6);
	v->body = arena_strdup(a, (const char *)sqlite3_column_text(st, 7));
	sq__col_copy(st, 8, v->hash, sizeof(v->hash));
	sq__col_copy(st, 9, v->prev_hash, sizeof(v->prev_hash));
	sq__col_copy(st, 10, v->closed_by, sizeof(v->closed_by));
	v->closed_at = sqlite3_column_int64(st, 11);
	sq__done(st);
	return GG_OK;
}

#define APPEAL_COLS                                                                                \
	"id, snapshot_id, subject, reason, evidence, by_user, by_name, at, state, decided_by,"     \
	" decision, decided_at"

static void read_appeal(sqlite3_stmt *st, void *row)
{
	struct store_assess_appeal *v = row;
	v->id = sqlite3_column_int64(st, 0);
	v->snapshot_id = sqlite3_column_int64(st, 1);
	sq__col_copy(st, 2, v->subject, sizeof(v->subject));
	sq__col_copy(st, 3, v->reason, sizeof(v->reason));
	sq__col_copy(st, 4, v->evidence, sizeof(v->evidence));
	v->by_user = sqlite3_column_int64(st, 5);
	sq__col_copy(st, 6, v->by_name, sizeof(v->by_name));
	v->at = sqlite3_column_int64(st, 7);
	sq__col_copy(st, 8, v->state, sizeof(v->state));
	sq__col_copy(st, 9, v->decided_by, sizeof(v->decided_by));
	sq__col_copy(st, 10, v->decision, sizeof(v->decision));
	v->decided_at = sqlite3_column_int64(st, 11);
}

int sq__assess_appeal_put(struct store *s, struct store_assess_appeal *v, struct err *err)
{
	static const char sql[] = "INSERT INTO assess_appeal (snapshot_id, subject, reason, "
				  "evidence, by_user, by_name, at)"
				  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7) RETURNING id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, v->snapshot_id);
	sq__bind_text(st, 2, v->subject);
	sq__bind_text(st, 3, v->reason);
	sq__bind_text(st, 4, v->evidence);
	sqlite3_bind_int64(st, 5, v->by_user);
	sq__bind_text(st, 6, v->by_name);
	sqlite3_bind_int64(st, 7, v->at);
	snprintf(v->state, sizeof(v->state), "open");
	return sq__step_id(q, st, &v->id, err);
}

int sq__assess_appeal_get(struct store *s, int64_t id, struct store_assess_appeal *v,
			  struct err *err)
{
	static const char sql[] = "SELECT " APPEAL_COLS " FROM assess_appeal WHERE id = ?1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no appeal %lld", (long long)id)
			   : r;
	read_appeal(st, v);
	sq__done(st);
	return GG_OK;
}

int sq__assess_appeal_decide(struct store *s, int64_t id, const char *state, const char *decided_by,
			     const char *decision, int64_t at, struct err *err)
{
	static const char sql[] =
	    "UPDATE assess_appeal SET state = ?2, decided_by = ?3, decision = ?4, decided_at = ?5"
	    " WHERE id = ?1 AND state = 'open'";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	sq__bind_text(st, 2, state);
	sq__bind_text(st, 3, decided_by);
	sq__bind_text(st, 4, decision);
	sqlite3_bind_int64(st, 5, at);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ESTATE, "appeal %lld is decided already or does not exist",
			       (long long)id);
	return GG_OK;
}

int sq__assess_appeals(struct store *s, int64_t snapshot_id, struct arena *a,
		       struct store_assess_appeal **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " APPEAL_COLS " FROM assess_appeal"
				  " WHERE ?1 = 0 OR snapshot_id = ?1 ORDER BY id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, snapshot_id);
	return sq__rows(q, st, a, sizeof(**out), read_appeal, (void **)out, n, err);
}

static void read_category(sqlite3_stmt *st, void *row)
{
	struct store_assess_category *c = row;
	sq__col_copy(st, 0, c->category, sizeof(c->category));
	c->n = sqlite3_column_int64(st, 1);
}

int sq__assess_categories(struct store *s, const char *scope, int64_t from, int64_t to,
			  struct arena *a, struct store_assess_category **out, size_t *n,
			  struct err *err)
{
	static const char sql[] = "SELECT category, count(*) FROM gcase"
				  " WHERE created_at >= ?2 AND created_at < ?3 AND " SQ_UNDER(
				      "grid") " GROUP BY category ORDER BY 2 DESC, 1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, scope);
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	return sq__rows(q, st, a, sizeof(**out), read_category, (void **)out, n, err);
}

static void read_open(sqlite3_stmt *st, void *row)
{
	struct store_assess_open *c = row;
	c->id = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, c->category, sizeof(c->category));
	sq__col_copy(st, 2, c->grid, sizeof(c->grid));
	sq__col_copy(st, 3, c->department, sizeof(c->department));
	sq__col_copy(st, 4, c->state, sizeof(c->state));
	c->created_at = sqlite3_column_int64(st, 5);
}

int sq__assess_oldest_open(struct store *s, const char *scope, int limit, struct arena *a,
			   struct store_assess_open **out, size_t *n, struct err *err)
{
	/* the open cases' partial index (gcase_open, by id) walked from the oldest */
	static const char sql[] =
	    "SELECT id, category, grid, coalesce(department, ''), state, created_at FROM gcase"
	    " WHERE state NOT IN ('closed', 'evaluated', 'rejected', 'merged') AND " SQ_UNDER(
		"grid") " ORDER BY id LIMIT ?2";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, scope);
	sqlite3_bind_int(st, 2, limit);
	return sq__rows(q, st, a, sizeof(**out), read_open, (void **)out, n, err);
}
