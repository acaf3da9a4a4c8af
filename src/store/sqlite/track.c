/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrol tracks in SQLite: trackers, positions (one table, WITHOUT ROWID on its key
 * (worker, fix time, device), which de-duplicates as (device, fix time) would since a
 * tracker has one worker for good), rejected fixes, the live view and the retention. A batch is
 * written with one cached statement per table, row by row, inside the caller's transaction: the
 * commit, not the insert, is what costs.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "gridgov/store_track.h"
#include "store/sqlite/sq_int.h"

int sq__tracker_add(struct store *s, const char *id, int64_t user_id, int64_t now, struct err *err)
{
	static const char sql[] = "INSERT INTO tracker(id, user_id, created_at) VALUES(?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, id);
	sqlite3_bind_int64(st, 2, user_id);
	sqlite3_bind_int64(st, 3, now);
	int rc = sqlite3_step(st);
	sq__done(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return err_set(err, GG_ECONFLICT, "a tracker %s exists already", id);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__tracker_user(struct store *s, const char *id, int64_t *user_id, struct err *err)
{
	static const char sql[] = "SELECT user_id FROM tracker WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, id);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "unknown device %s", id) : r;
	*user_id = sqlite3_column_int64(st, 0);
	sq__done(st);
	return GG_OK;
}

int sq__position_last(struct store *s, const char *device, int64_t before_ms, struct track_fix *f,
		      struct err *err)
{
	/* the key is (worker, time, device): the tracker's worker first */
	static const char sql[] =
	    "SELECT fix_time, lat, lon FROM position"
	    " WHERE user_id=(SELECT user_id FROM tracker WHERE id=?1) AND device_id=?1"
	    " AND fix_time<=?2 ORDER BY fix_time DESC LIMIT 1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, device);
	sqlite3_bind_int64(st, 2, before_ms);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no fix of %s", device) : r;
	track_fix_init(f);
	snprintf(f->device, sizeof(f->device), "%s", device);
	f->t_ms = sqlite3_column_int64(st, 0);
	f->lat = sqlite3_column_double(st, 1);
	f->lon = sqlite3_column_double(st, 2);
	f->has_pos = 1;
	sq__done(st);
	return GG_OK;
}

static void bind_num(sqlite3_stmt *st, int i, double v)
{
	if (isnan(v))
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_double(st, i, v);
}

int sq__position_put(struct store *s, const struct store_position *v, size_t n, int64_t *stored,
		     struct err *err)
{
	static const char ok_sql[] =
	    "INSERT OR IGNORE INTO position(device_id, fix_time, user_id, lat, lon, speed, course,"
	    " altitude, accuracy, battery, charge, attrs, received_at)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?)";
	static const char rej_sql[] =
	    "INSERT OR IGNORE INTO position_rejected(device_id, fix_time, user_id, lat, lon,"
	    " speed, course, altitude, accuracy, battery, charge, attrs, received_at, reason)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *ok, *rej;
	int r = sq__prep(q, ok_sql, &ok, err);
	if (r || (r = sq__prep(q, rej_sql, &rej, err)))
		return r;
	*stored = 0;
	for (size_t i = 0; i < n; i++) {
		const struct track_fix *f = v[i].fix;
		sqlite3_stmt *st = v[i].reason ? rej : ok;
		sqlite3_bind_text(st, 1, f->device, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, 2, f->t_ms);
		sqlite3_bind_int64(st, 3, v[i].user_id);
		if (f->has_pos) {
			bind_num(st, 4, f->lat);
			bind_num(st, 5, f->lon);
		} else {
			sqlite3_bind_null(st, 4);
			sqlite3_bind_null(st, 5);
		}
		bind_num(st, 6, f->speed_kn);
		bind_num(st, 7, f->course);
		bind_num(st, 8, f->altitude);
		bind_num(st, 9, f->accuracy);
		bind_num(st, 10, f->battery);
		if (f->charge < 0)
			sqlite3_bind_null(st, 11);
		else
			sqlite3_bind_int(st, 11, f->charge);
		if (f->attrs)
			sqlite3_bind_text(st, 12, f->attrs, -1, SQLITE_STATIC);
		else
			sqlite3_bind_null(st, 12);
		sqlite3_bind_int64(st, 13, v[i].received_at);
		if (v[i].reason)
			sqlite3_bind_text(st, 14, v[i].reason, -1, SQLITE_STATIC);
		int rc = sqlite3_step(st);
		sqlite3_reset(st);
		if (rc != SQLITE_DONE) {
			sq__done(ok);
			sq__done(rej);
			return sq__fail(q, rc, err);
		}
		*stored += sqlite3_changes(q->db);
	}
	sq__done(ok);
	sq__done(rej);
	return GG_OK;
}

static void read_point(sqlite3_stmt *st, void *row)
{
	struct track_point *p = row;
	p->t_ms = sqlite3_column_int64(st, 0);
	p->lat = sqlite3_column_double(st, 1);
	p->lon = sqlite3_column_double(st, 2);
}

int sq__position_range(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
		       struct arena *a, struct track_point **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT fix_time, lat, lon FROM position"
	    " WHERE user_id=? AND fix_time>=? AND fix_time<? ORDER BY fix_time";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, from_ms);
	sqlite3_bind_int64(st, 3, to_ms);
	return sq__rows(q, st, a, sizeof(**out), read_point, (void **)out, n, err);
}

struct rej_row {
	int64_t t;
	char reason[TRACK_REASON_MAX];
};

static void read_rej(sqlite3_stmt *st, void *row)
{
	struct rej_row *x = row;
	x->t = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, x->reason, sizeof(x->reason));
}

int sq__position_rejected(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
			  struct arena *a, int64_t **t_ms, char (**reason)[TRACK_REASON_MAX],
			  size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT fix_time, reason FROM position_rejected"
	    " WHERE user_id=? AND fix_time>=? AND fix_time<? ORDER BY fix_time";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, user_id);
	sqlite3_bind_int64(st, 2, from_ms);
	sqlite3_bind_int64(st, 3, to_ms);
	struct rej_row *rows;
	if ((r = sq__rows(q, st, a, sizeof(*rows), read_rej, (void **)&rows, n, err)))
		return r;
	*t_ms = arena_alloc(a, (*n + 1) * sizeof(**t_ms));
	*reason = arena_alloc(a, (*n + 1) * sizeof(**reason));
	for (size_t i = 0; i < *n; i++) {
		(*t_ms)[i] = rows[i].t;
		memcpy((*reason)[i], rows[i].reason, TRACK_REASON_MAX);
	}
	return GG_OK;
}

static void read_live(sqlite3_stmt *st, void *row)
{
	struct store_live *l = row;
	l->user_id = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, l->name, sizeof(l->name));
	sq__col_copy(st, 2, l->scope, sizeof(l->scope));
	l->t_ms = sqlite3_column_int64(st, 3);
	l->lat = sqlite3_column_double(st, 4);
	l->lon = sqlite3_column_double(st, 5);
	l->battery = sqlite3_column_type(st, 6) == SQLITE_NULL ? NAN : sqlite3_column_double(st, 6);
}

int sq__position_live(struct store *s, const char *under, int64_t user_id, struct arena *a,
		      struct store_live **out, size_t *n, struct err *err)
{
	/* the last fix of each worker: a max() on the (user_id, fix_time) index, then the row */
	static const char sql[] =
	    "SELECT u.id, u.name, u.scope, p.fix_time, p.lat, p.lon, p.battery"
	    " FROM app_user u JOIN position p ON p.user_id = u.id"
	    "  AND p.fix_time = (SELECT max(fix_time) FROM position WHERE user_id = u.id)"
	    " WHERE " SQ_UNDER("u.scope") " AND (?2 = 0 OR u.id = ?2)"
					  "  AND u.id IN (SELECT user_id FROM tracker)"
					  " GROUP BY u.id ORDER BY u.id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	sqlite3_bind_int64(st, 2, user_id);
	return sq__rows(q, st, a, sizeof(**out), read_live, (void **)out, n, err);
}

int sq__position_retain(struct store *s, int64_t before_ms, int64_t *dropped, struct err *err)
{
	static const char sql1[] = "DELETE FROM position WHERE fix_time < ?";
	static const char sql2[] = "DELETE FROM position_rejected WHERE fix_time < ?";
	struct sq *q = sq_of(s);
	*dropped = 0;
	const char *const sqls[] = {sql1, sql2};
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st;
		int r = sq__prep(q, sqls[i], &st, err);
		if (r)
			return r;
		sqlite3_bind_int64(st, 1, before_ms);
		if ((r = sq__step_done(q, st, err)))
			return r;
		*dropped += sqlite3_changes(q->db);
	}
	return GG_OK;
}
