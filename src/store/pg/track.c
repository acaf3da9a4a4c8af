/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrol tracks in PostgreSQL: trackers, positions partitioned by CST day of their fix
 * time (rejected fixes by day of receipt), the live view and the retention that drops
 * whole days. A batch goes in as one INSERT … SELECT FROM unnest(arrays) per table, so a
 * group commit of thousands of fixes is two statements; the day partitions it needs are
 * made first (position_day, migration 050) unless this connection saw them made.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gridgov/buf.h"
#include "gridgov/store_track.h"
#include "store/pg/pg_int.h"

int pg__tracker_add(struct store *s, const char *id, int64_t user_id, int64_t now, struct err *err)
{
	static const char sql[] = "INSERT INTO tracker(id, user_id, created_at) VALUES($1, $2, $3)";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, id);
	pg__arg_int(&a, user_id);
	pg__arg_int(&a, now);
	int r = pg__run(c, sql, &a, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_ECONFLICT, "a tracker %s exists already", id);
	return r;
}

int pg__tracker_user(struct store *s, const char *id, int64_t *user_id, struct err *err)
{
	static const char sql[] = "SELECT user_id FROM tracker WHERE id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "unknown device %s", id) : r;
	*user_id = pg__int(res, 0, 0);
	PQclear(res);
	return GG_OK;
}

int pg__position_last(struct store *s, const char *device, int64_t before_ms, struct track_fix *f,
		      struct err *err)
{
	static const char sql[] = "SELECT fix_time, lat, lon FROM position WHERE device_id = $1"
				  " AND fix_time <= $2 ORDER BY fix_time DESC LIMIT 1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, device);
	pg__arg_int(&a, before_ms);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no fix of %s", device) : r;
	track_fix_init(f);
	snprintf(f->device, sizeof(f->device), "%s", device);
	f->t_ms = pg__int(res, 0, 0);
	f->lat = pg__double(res, 0, 1);
	f->lon = pg__double(res, 0, 2);
	f->has_pos = 1;
	PQclear(res);
	return GG_OK;
}

/* Make the day partition of tbl holding t unless [day[0], day[1]) holds it. */
static int ensure_day(struct pg *c, const char *tbl, int64_t t, int64_t day[2], struct err *err)
{
	static const char sql[] = "SELECT lo, hi FROM position_day($1, $2)";
	if (t >= day[0] && t < day[1])
		return GG_OK;
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, tbl);
	pg__arg_int(&a, t);
	int r = pg__row(c, sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_EDB, "position_day answered nothing")
					 : r;
	day[0] = pg__int(res, 0, 0);
	day[1] = pg__int(res, 0, 1);
	PQclear(res);
	return GG_OK;
}

/* Array literals, one per column: {…} with NULL for a missing value. */
static void sep(struct buf *b)
{
	buf_addch(b, b->len ? ',' : '{');
}

static void a_int(struct buf *b, int64_t v)
{
	sep(b);
	buf_addf(b, "%lld", (long long)v);
}

static void a_num(struct buf *b, int has, double v)
{
	sep(b);
	if (!has || isnan(v))
		buf_adds(b, "NULL");
	else
		buf_addf(b, "%.17g", v);
}

static void a_text(struct buf *b, const char *s)
{
	sep(b);
	if (!s) {
		buf_adds(b, "NULL");
		return;
	}
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addch(b, '\\');
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

enum { NCOL = 14 };

static int put_rows(struct pg *c, const char *sql, const struct store_position *v, size_t n,
		    int rejected, int64_t *stored, struct err *err)
{
	struct buf cols[NCOL];
	int ncol = rejected ? NCOL : NCOL - 1, any = 0;
	for (int i = 0; i < NCOL; i++)
		buf_init(&cols[i], 0);
	for (size_t i = 0; i < n; i++) {
		if (!v[i].reason != !rejected)
			continue;
		const struct track_fix *f = v[i].fix;
		any = 1;
		a_text(&cols[0], f->device);
		a_int(&cols[1], f->t_ms);
		a_int(&cols[2], v[i].user_id);
		a_num(&cols[3], f->has_pos, f->lat);
		a_num(&cols[4], f->has_pos, f->lon);
		a_num(&cols[5], 1, f->speed_kn);
		a_num(&cols[6], 1, f->course);
		a_num(&cols[7], 1, f->altitude);
		a_num(&cols[8], 1, f->accuracy);
		a_num(&cols[9], 1, f->battery);
		a_num(&cols[10], f->charge >= 0, f->charge);
		a_text(&cols[11], f->attrs);
		a_int(&cols[12], v[i].received_at);
		if (rejected)
			a_text(&cols[13], v[i].reason);
	}
	int r = GG_OK;
	int64_t changed = 0;
	if (any) {
		struct pg_args a = PG_ARGS_INIT;
		for (int i = 0; i < ncol; i++) {
			buf_addch(&cols[i], '}');
			pg__arg_text(&a, cols[i].p);
		}
		r = pg__run_changes(c, sql, &a, &changed, err);
		*stored += changed;
	}
	for (int i = 0; i < NCOL; i++)
		buf_release(&cols[i]);
	return r;
}

int pg__position_put(struct store *s, const struct store_position *v, size_t n, int64_t *stored,
		     struct err *err)
{
	static const char ok_sql[] =
	    "INSERT INTO position(device_id, fix_time, user_id, lat, lon, speed, course,"
	    " altitude, accuracy, battery, charge, attrs, received_at)"
	    " SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::float8[],"
	    " $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],"
	    " $11::smallint[], $12::text[], $13::bigint[])"
	    " ON CONFLICT (device_id, fix_time) DO NOTHING";
	static const char rej_sql[] =
	    "INSERT INTO position_rejected(device_id, fix_time, user_id, lat, lon, speed, course,"
	    " altitude, accuracy, battery, charge, attrs, received_at, reason)"
	    " SELECT * FROM unnest($1::text[], $2::bigint[], $3::bigint[], $4::float8[],"
	    " $5::float8[], $6::float8[], $7::float8[], $8::float8[], $9::float8[], $10::float8[],"
	    " $11::smallint[], $12::text[], $13::bigint[], $14::text[])";
	struct pg *c = pg_of(s);
	int r;
	for (size_t i = 0; i < n; i++) {
		if (v[i].reason)
			r = ensure_day(c, "position_rejected", v[i].received_at, c->rej_day, err);
		else
			r = ensure_day(c, "position", v[i].fix->t_ms, c->pos_day, err);
		if (r)
			return r;
	}
	*stored = 0;
	if ((r = put_rows(c, ok_sql, v, n, 0, stored, err)))
		return r;
	return put_rows(c, rej_sql, v, n, 1, stored, err);
}

static void read_point(const PGresult *res, int row, void *elem)
{
	struct track_point *p = elem;
	p->t_ms = pg__int(res, row, 0);
	p->lat = pg__double(res, row, 1);
	p->lon = pg__double(res, row, 2);
}

int pg__position_range(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
		       struct arena *a, struct track_point **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT fix_time, lat, lon FROM position WHERE user_id = $1"
				  " AND fix_time >= $2 AND fix_time < $3 ORDER BY fix_time";
	struct pg_args args = PG_ARGS_INIT;
	pg__arg_int(&args, user_id);
	pg__arg_int(&args, from_ms);
	pg__arg_int(&args, to_ms);
	return pg__rows(pg_of(s), sql, &args, a, sizeof(**out), read_point, (void **)out, n, err);
}

struct rej_row {
	int64_t t;
	char reason[TRACK_REASON_MAX];
};

static void read_rej(const PGresult *res, int row, void *elem)
{
	struct rej_row *x = elem;
	x->t = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, x->reason, sizeof(x->reason));
}

int pg__position_rejected(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
			  struct arena *a, int64_t **t_ms, char (**reason)[TRACK_REASON_MAX],
			  size_t *n, struct err *err)
{
	static const char sql[] = "SELECT fix_time, reason FROM position_rejected"
				  " WHERE user_id = $1 AND fix_time >= $2 AND fix_time < $3"
				  " ORDER BY fix_time";
	struct pg_args args = PG_ARGS_INIT;
	pg__arg_int(&args, user_id);
	pg__arg_int(&args, from_ms);
	pg__arg_int(&args, to_ms);
	struct rej_row *rows;
	int r = pg__rows(pg_of(s), sql, &args, a, sizeof(*rows), read_rej, (void **)&rows, n, err);
	if (r)
		return r;
	*t_ms = arena_alloc(a, (*n + 1) * sizeof(**t_ms));
	*reason = arena_alloc(a, (*n + 1) * sizeof(**reason));
	for (size_t i = 0; i < *n; i++) {
		(*t_ms)[i] = rows[i].t;
		memcpy((*reason)[i], rows[i].reason, TRACK_REASON_MAX);
	}
	return GG_OK;
}

static void read_live(const PGresult *res, int row, void *elem)
{
	struct store_live *l = elem;
	l->user_id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, l->name, sizeof(l->name));
	pg__col_copy(res, row, 2, l->scope, sizeof(l->scope));
	l->t_ms = pg__int(res, row, 3);
	l->lat = pg__double(res, row, 4);
	l->lon = pg__double(res, row, 5);
	l->battery = pg__is_null(res, row, 6) ? NAN : pg__double(res, row, 6);
}

int pg__position_live(struct store *s, const char *under, int64_t user_id, struct arena *a,
		      struct store_live **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT u.id, u.name, u.scope, p.fix_time, p.lat, p.lon, p.battery FROM app_user u"
	    " CROSS JOIN LATERAL (SELECT fix_time, lat, lon, battery FROM position"
	    "  WHERE user_id = u.id ORDER BY fix_time DESC LIMIT 1) p"
	    " WHERE " PG_UNDER("u.scope") " AND ($2 = 0 OR u.id = $2)"
					  "  AND u.id IN (SELECT user_id FROM tracker)"
					  " ORDER BY u.id";
	struct pg_args args = PG_ARGS_INIT;
	pg__arg_text(&args, under);
	pg__arg_int(&args, user_id);
	return pg__rows(pg_of(s), sql, &args, a, sizeof(**out), read_live, (void **)out, n, err);
}

int pg__position_retain(struct store *s, int64_t before_ms, int64_t *dropped, struct err *err)
{
	static const char sql[] = "SELECT position_retain($1)";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, before_ms);
	int r = pg__id(c, sql, &a, dropped, err);
	/* a dropped day may be the one this connection remembers as made */
	c->pos_day[0] = c->pos_day[1] = c->rej_day[0] = c->rej_day[1] = 0;
	return r;
}
