/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assessment 考核 in PostgreSQL (store_assess.h), as src/store/sqlite/assess.c: the
 * counts per person and per 督办 target over a window, each one index range, and the
 * schemes, snapshots and appeals of migration 060.
 */
#include <stdio.h>
#include <string.h>

#include "gridgov/store_assess.h"
#include "store/pg/pg_int.h"

/* $1 scope, $2 from, $3 to; rows (actor, n, ok). */
static const char q_own[] =
    "SELECT reporter_id, count(*), count(*) FILTER (WHERE filed_at > 0) FROM gcase"
    " WHERE created_at >= $2 AND created_at < $3 AND reporter_id IS NOT NULL"
    " AND " PG_UNDER("grid") " GROUP BY reporter_id";
static const char q_verify[] =
    "SELECT l.actor_id, count(*), count(*) FILTER (WHERE l.at <= g.handled_at + 60 * c.verify_min)"
    " FROM case_log l JOIN gcase g ON g.id = l.case_id JOIN category c ON c.code = g.category"
    " WHERE l.action = 'verify' AND l.at >= $2 AND l.at < $3 AND " PG_UNDER(
	"g.grid") " GROUP BY l.actor_id";
static const char q_self[] =
    "SELECT l.actor_id, count(*), count(*) FROM case_log l JOIN gcase g ON g.id = l.case_id"
    " WHERE l.action = 'self_close' AND l.at >= $2 AND l.at < $3 AND " PG_UNDER(
	"g.grid") " GROUP BY l.actor_id";
static const char q_file[] =
    "SELECT l.actor_id, count(*), count(*) FILTER (WHERE g.filed_on_time <> 0) FROM case_log l"
    " JOIN gcase g ON g.id = l.case_id"
    " WHERE l.action = 'file' AND l.at >= $2 AND l.at < $3 AND " PG_UNDER(
	"g.grid") " GROUP BY l.actor_id";
static const char q_dispatch[] =
    "SELECT l.actor_id, count(*), count(*) FILTER (WHERE g.returns = 0) FROM case_log l"
    " JOIN gcase g ON g.id = l.case_id"
    " WHERE l.action = 'dispatch' AND l.at >= $2 AND l.at < $3 AND " PG_UNDER(
	"g.grid") " GROUP BY l.actor_id";
static const char q_corr[] =
    "SELECT proposed_by, count(*), count(*) FROM people_correction"
    " WHERE state = 'approved' AND decided_at >= $2 AND decided_at < $3 AND " PG_UNDER(
	"grid_code") " GROUP BY proposed_by";

static void read_count(const PGresult *res, int row, void *elem)
{
	struct store_assess_count *c = elem;
	c->actor = pg__int(res, row, 0);
	c->n = pg__int(res, row, 1);
	c->ok = pg__int(res, row, 2);
}

int pg__assess_actor_counts(struct store *s, enum store_assess_what what, const char *scope,
			    int64_t from, int64_t to, struct arena *a,
			    struct store_assess_count **out, size_t *n, struct err *err)
{
	static const char *const qs[SA_WHAT_COUNT] = {q_own,  q_verify,	  q_self,
						      q_file, q_dispatch, q_corr};
	if (what < 0 || what >= SA_WHAT_COUNT)
		return err_set(err, GG_EINVAL, "unknown count");
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, scope);
	pg__arg_int(&p, from);
	pg__arg_int(&p, to);
	return pg__rows(pg_of(s), qs[what], &p, a, sizeof(**out), read_count, (void **)out, n, err);
}

static void read_points(const PGresult *res, int row, void *elem)
{
	struct store_assess_points *p = elem;
	pg__col_copy(res, row, 0, p->target, sizeof(p->target));
	p->points = pg__int(res, row, 1);
	p->rounds = pg__int(res, row, 2);
}

int pg__assess_points(struct store *s, const char *target_kind, const char *scope, int64_t from,
		      int64_t to, struct arena *a, struct store_assess_points **out, size_t *n,
		      struct err *err)
{
	static const char sql[] =
	    "SELECT v.target, sum(v.points)::bigint, count(*) FROM supervision v"
	    " JOIN gcase g ON g.id = v.case_id WHERE v.opened_at >= $2 AND v.opened_at < $3"
	    " AND v.target_kind = $4 AND " PG_UNDER("g.grid") " GROUP BY v.target";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, scope);
	pg__arg_int(&p, from);
	pg__arg_int(&p, to);
	pg__arg_text(&p, target_kind);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_points, (void **)out, n, err);
}

int pg__assess_scheme_put(struct store *s, const char *kind, int64_t valid_from, const char *body,
			  const char *author, int64_t now, int *version, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO assess_scheme (kind, version, valid_from, body, author, created_at)"
	    " SELECT $1, coalesce(max(version), 0) + 1, $2, $3, $4, $5 FROM assess_scheme"
	    " WHERE kind = $1 RETURNING version";
	struct pg_args p = PG_ARGS_INIT;
	int64_t v = 0;
	pg__arg_text(&p, kind);
	pg__arg_int(&p, valid_from);
	pg__arg_text(&p, body);
	pg__arg_text(&p, author);
	pg__arg_int(&p, now);
	int r = pg__id(pg_of(s), sql, &p, &v, err);
	if (r)
		return r;
	*version = (int)v;
	return GG_OK;
}

int pg__assess_schemes(struct store *s, const char *kind, struct arena *a,
		       struct store_assess_scheme **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT kind, version, valid_from, body, author, created_at FROM assess_scheme"
	    " WHERE kind = $1 ORDER BY version";
	struct pg_args p = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&p, kind);
	int r = pg__query(pg_of(s), sql, &p, &res, err);
	if (r)
		return r;
	int rows = PQntuples(res);
	struct store_assess_scheme *v = rows ? arena_alloc(a, sizeof(*v) * (size_t)rows) : NULL;
	for (int i = 0; i < rows; i++) {
		struct store_assess_scheme *x = &v[i];
		memset(x, 0, sizeof(*x));
		pg__col_copy(res, i, 0, x->kind, sizeof(x->kind));
		x->version = (int)pg__int(res, i, 1);
		x->valid_from = pg__int(res, i, 2);
		x->body = arena_strdup(a, PQgetvalue(res, i, 3));
		pg__col_copy(res, i, 4, x->author, sizeof(x->author));
		x->created_at = pg__int(res, i, 5);
	}
	PQclear(res);
	*out = v;
	*n = (size_t)rows;
	return GG_OK;
}

int pg__assess_snapshot_tail(struct store *s, char hash[65], struct err *err)
{
	static const char sql[] = "SELECT hash FROM assess_snapshot ORDER BY id DESC LIMIT 1";
	struct pg_args p = PG_ARGS_INIT;
	PGresult *res;
	int r = pg__row(pg_of(s), sql, &p, &res, err);
	if (r == GG_ENOTFOUND) {
		memset(hash, '0', 64);
		hash[64] = 0;
		return GG_OK;
	}
	if (r)
		return r;
	pg__col_copy(res, 0, 0, hash, 65);
	PQclear(res);
	return GG_OK;
}

int pg__assess_snapshot_put(struct store *s, struct store_assess_snapshot *v, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO assess_snapshot (kind, period, under, from_day, to_day, scheme_version,"
	    " body, hash, prev_hash, closed_by, closed_at)"
	    " VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, v->kind);
	pg__arg_text(&p, v->period);
	pg__arg_text(&p, v->under);
	pg__arg_int(&p, v->from_day);
	pg__arg_int(&p, v->to_day);
	pg__arg_int(&p, v->scheme_version);
	pg__arg_text(&p, v->body);
	pg__arg_text(&p, v->hash);
	pg__arg_text(&p, v->prev_hash);
	pg__arg_text(&p, v->closed_by);
	pg__arg_int(&p, v->closed_at);
	int r = pg__id(pg_of(s), sql, &p, &v->id, err);
	return r == GG_ECONFLICT ? err_set(err, GG_ECONFLICT, "this period is closed already") : r;
}

int pg__assess_snapshot_get(struct store *s, const char *kind, const char *period,
			    const char *under, int64_t from_day, struct arena *a,
			    struct store_assess_snapshot *v, struct err *err)
{
	static const char sql[] =
	    "SELECT id, kind, period, under, from_day, to_day, scheme_version, body, hash,"
	    " prev_hash, closed_by, closed_at FROM assess_snapshot"
	    " WHERE kind = $1 AND period = $2 AND under = $3 AND from_day = $4";
	struct pg_args p = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&p, kind);
	pg__arg_text(&p, period);
	pg__arg_text(&p, under);
	pg__arg_int(&p, from_day);
	int r = pg__row(pg_of(s), sql, &p, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "this period is not closed")
					 : r;
	v->id = pg__int(res, 0, 0);
	pg__col_copy(res, 0, 1, v->kind, sizeof(v->kind));
	pg__col_copy(res, 0, 2, v->period, sizeof(v->period));
	pg__col_copy(res, 0, 3, v->under, sizeof(v->under));
	v->from_day = pg__int(res, 0, 4);
	v->to_day = pg__int(res, 0, 5);
	v->scheme_version = (int)pg__int(res, 0, 6);
	v->body = arena_strdup(a, PQgetvalue(res, 0, 7));
	pg__col_copy(res, 0, 8, v->hash, sizeof(v->hash));
	pg__col_copy(res, 0, 9, v->prev_hash, sizeof(v->prev_hash));
	pg__col_copy(res, 0, 10, v->closed_by, sizeof(v->closed_by));
	v->closed_at = pg__int(res, 0, 11);
	PQclear(res);
	return GG_OK;
}

#define APPEAL_COLS                                                                                \
	"id, snapshot_id, subject, reason, evidence, by_user, by_name, at, state, decided_by,"     \
	" decision, decided_at"

static void read_appeal(const PGresult *res, int row, void *elem)
{
	struct store_assess_appeal *v = elem;
	v->id = pg__int(res, row, 0);
	v->snapshot_id = pg__int(res, row, 1);
	pg__col_copy(res, row, 2, v->subject, sizeof(v->subject));
	pg__col_copy(res, row, 3, v->reason, sizeof(v->reason));
	pg__col_copy(res, row, 4, v->evidence, sizeof(v->evidence));
	v->by_user = pg__int(res, row, 5);
	pg__col_copy(res, row, 6, v->by_name, sizeof(v->by_name));
	v->at = pg__int(res, row, 7);
	pg__col_copy(res, row, 8, v->state, sizeof(v->state));
	pg__col_copy(res, row, 9, v->decided_by, sizeof(v->decided_by));
	pg__col_copy(res, row, 10, v->decision, sizeof(v->decision));
	v->decided_at = pg__int(res, row, 11);
}

int pg__assess_appeal_put(struct store *s, struct store_assess_appeal *v, struct err *err)
{
	static const char sql[] = "INSERT INTO assess_appeal (snapshot_id, subject, reason, "
				  "evidence, by_user, by_name, at)"
				  " VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_int(&p, v->snapshot_id);
	pg__arg_text(&p, v->subject);
	pg__arg_text(&p, v->reason);
	pg__arg_text(&p, v->evidence);
	pg__arg_int(&p, v->by_user);
	pg__arg_text(&p, v->by_name);
	pg__arg_int(&p, v->at);
	snprintf(v->state, sizeof(v->state), "open");
	return pg__id(pg_of(s), sql, &p, &v->id, err);
}

int pg__assess_appeal_get(struct store *s, int64_t id, struct store_assess_appeal *v,
			  struct err *err)
{
	static const char sql[] = "SELECT " APPEAL_COLS " FROM assess_appeal WHERE id = $1";
	struct pg_args p = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&p, id);
	int r = pg__row(pg_of(s), sql, &p, &res, err);
	if (r)
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no appeal %lld", (long long)id)
			   : r;
	read_appeal(res, 0, v);
	PQclear(res);
	return GG_OK;
}

int pg__assess_appeal_decide(struct store *s, int64_t id, const char *state, const char *decided_by,
			     const char *decision, int64_t at, struct err *err)
{
	static const char sql[] =
	    "UPDATE assess_appeal SET state = $2, decided_by = $3, decision = $4, decided_at = $5"
	    " WHERE id = $1 AND state = 'open'";
	struct pg_args p = PG_ARGS_INIT;
	int64_t changed = 0;
	pg__arg_int(&p, id);
	pg__arg_text(&p, state);
	pg__arg_text(&p, decided_by);
	pg__arg_text(&p, decision);
	pg__arg_int(&p, at);
	int r = pg__run_changes(pg_of(s), sql, &p, &changed, err);
	if (r)
		return r;
	if (changed == 0)
		return err_set(err, GG_ESTATE, "appeal %lld is decided already or does not exist",
			       (long long)id);
	return GG_OK;
}

int pg__assess_appeals(struct store *s, int64_t snapshot_id, struct arena *a,
		       struct store_assess_appeal **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " APPEAL_COLS " FROM assess_appeal"
				  " WHERE $1 = 0 OR snapshot_id = $1 ORDER BY id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_int(&p, snapshot_id);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_appeal, (void **)out, n, err);
}

static void read_category(const PGresult *res, int row, void *elem)
{
	struct store_assess_category *c = elem;
	pg__col_copy(res, row, 0, c->category, sizeof(c->category));
	c->n = pg__int(res, row, 1);
}

int pg__assess_categories(struct store *s, const char *scope, int64_t from, int64_t to,
			  struct arena *a, struct store_assess_category **out, size_t *n,
			  struct err *err)
{
	static const char sql[] = "SELECT category, count(*) FROM gcase"
				  " WHERE created_at >= $2 AND created_at < $3 AND " PG_UNDER(
				      "grid") " GROUP BY category ORDER BY 2 DESC, 1";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, scope);
	pg__arg_int(&p, from);
	pg__arg_int(&p, to);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_category, (void **)out, n, err);
}

static void read_open(const PGresult *res, int row, void *elem)
{
	struct store_assess_open *c = elem;
	c->id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, c->category, sizeof(c->category));
	pg__col_copy(res, row, 2, c->grid, sizeof(c->grid));
	pg__col_copy(res, row, 3, c->department, sizeof(c->department));
	pg__col_copy(res, row, 4, c->state, sizeof(c->state));
	c->created_at = pg__int(res, row, 5);
}

int pg__assess_oldest_open(struct store *s, const char *scope, int limit, struct arena *a,
			   struct store_assess_open **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT id, category, grid, coalesce(department, ''), state, created_at FROM gcase"
	    " WHERE state NOT IN ('closed', 'evaluated', 'rejected', 'merged') AND " PG_UNDER(
		"grid") " ORDER BY id LIMIT $2";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, scope);
	pg__arg_int(&p, limit);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_open, (void **)out, n, err);
}
