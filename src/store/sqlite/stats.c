/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Case summaries in SQLite (migration 021, include/gridgov/store_stats.h): applying the
 * coalesced deltas of a transaction (one upsert per distinct row), clearing them for a
 * rebuild, and the reads of the command center. Reads over a range of nodes walk the
 * node list (case_live, kind 0) and seek each node's day range in the primary key, so
 * days outside the window cost nothing.
 */
#include <stdlib.h>
#include <string.h>

#include "gridgov/xalloc.h"
#include "store/sqlite/sq_int.h"

#define SUM_COLS                                                                                   \
	"reported, filed, filed_on_time, dispatched, accurate, handled, handled_on_time,"          \
	" closed, closed_on_time, reworked, extended, rated, satisfied, closed_day,"               \
	" closed_day_on_time"
#define SUM_ADD(c) c "=" c "+excluded." c
#define SUM_COLS_OF_S                                                                              \
	"s.reported, s.filed, s.filed_on_time, s.dispatched, s.accurate, s.handled,"               \
	" s.handled_on_time, s.closed, s.closed_on_time, s.reworked, s.extended, s.rated,"         \
	" s.satisfied, s.closed_day, s.closed_day_on_time"

static int apply_day(struct sq *q, const struct store_sum_delta *d, struct err *err)
{
	static const char
	    sql
		[] = "INSERT INTO case_sum(kind, lvl, node, day, dept, chan, " SUM_COLS ")"
		     " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
		     " ON CONFLICT(kind, lvl, node, day, dept, chan) DO UPDATE "
		     "SET " SUM_ADD("reported") "," SUM_ADD("filed") "," SUM_ADD("file"
										 "d_"
										 "on_"
										 "tim"
										 "e") "," SUM_ADD("dispatched") "," SUM_ADD("accurate") "," SUM_ADD("handled") "," SUM_ADD("handled_on_time") "," SUM_ADD("closed") "," SUM_ADD("closed_on_time") "," SUM_ADD("reworke"
																															      "d") "," SUM_ADD("extended") "," SUM_ADD("rated") "," SUM_ADD("satisfied") "," SUM_ADD("closed_day") "," SUM_ADD("closed_day_on_time");
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int(st, 1, d->kind);
	sqlite3_bind_int(st, 2, d->lvl);
	sq__bind_text(st, 3, d->node);
	sqlite3_bind_int64(st, 4, d->day);
	sq__bind_text(st, 5, d->dept);
	sq__bind_text(st, 6, d->chan);
	for (int j = 0; j < SUM_NCOLS; j++)
		sqlite3_bind_int(st, 7 + j, d->v[j]);
	return sq__step_done(q, st, err);
}

static int apply_live(struct sq *q, const struct store_sum_delta *d, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO case_live(kind, lvl, node, dept, chan, open, overdue, cases)"
	    " VALUES(?,?,?,?,?,?,?,?) ON CONFLICT(kind, lvl, node, dept, chan)"
	    " DO UPDATE SET open=open+excluded.open, overdue=overdue+excluded.overdue,"
	    " cases=cases+excluded.cases";
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int(st, 1, d->kind);
	sqlite3_bind_int(st, 2, d->lvl);
	sq__bind_text(st, 3, d->node);
	sq__bind_text(st, 4, d->dept);
	sq__bind_text(st, 5, d->chan);
	sqlite3_bind_int(st, 6, d->v[0]);
	sqlite3_bind_int(st, 7, d->v[1]);
	sqlite3_bind_int(st, 8, d->v[2]);
	return sq__step_done(q, st, err);
}

static int apply_heat(struct sq *q, const struct store_sum_delta *d, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO case_heat(node, wk, dept, x, y, n0, n1, n2, n3, n4, n5, n6)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?) ON CONFLICT(node, dept, wk, x, y) DO UPDATE SET"
	    " n0=n0+excluded.n0, n1=n1+excluded.n1, n2=n2+excluded.n2, n3=n3+excluded.n3,"
	    " n4=n4+excluded.n4, n5=n5+excluded.n5, n6=n6+excluded.n6";
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, d->node);
	sqlite3_bind_int64(st, 2, d->day);
	sq__bind_text(st, 3, d->dept);
	sqlite3_bind_int64(st, 4, d->x);
	sqlite3_bind_int64(st, 5, d->y);
	for (int j = 0; j < 7; j++)
		sqlite3_bind_int(st, 6 + j, d->v[j]);
	return sq__step_done(q, st, err);
}

int sq__sum_apply(struct store *s, const struct store_sum_delta *d, size_t n, struct err *err)
{
	struct sq *q = sq_of(s);
	int r = GG_OK;
	for (size_t i = 0; i < n && r == GG_OK; i++)
		r = d[i].table == SUM_T_DAY    ? apply_day(q, &d[i], err)
		    : d[i].table == SUM_T_LIVE ? apply_live(q, &d[i], err)
					       : apply_heat(q, &d[i], err);
	return r;
}

int sq__sum_clear(struct store *s, int64_t utc_offset, struct err *err)
{
	static const char sql[] = "UPDATE case_sum_meta SET utc_offset=?, built=1";
	struct sq *q = sq_of(s);
	int r =
	    sq__exec(q, "DELETE FROM case_sum; DELETE FROM case_live; DELETE FROM case_heat;", err);
	sqlite3_stmt *st;
	if (r || (r = sq__prep(q, sql, &st, err)))
		return r;
	sqlite3_bind_int64(st, 1, utc_offset);
	return sq__step_done(q, st, err);
}

int sq__sum_unbuilt(struct store *s, struct err *err)
{
	return sq__exec(sq_of(s), "UPDATE case_sum_meta SET built=0", err);
}

int sq__case_each(struct store *s, int (*fn)(void *arg, const struct store_case *c), void *arg,
		  struct err *err)
{
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	/* its own statement: fn may write (and use the cache) while this one steps */
	int rc =
	    sqlite3_prepare_v2(q->db, "SELECT " CASE_COLS " FROM gcase ORDER BY id", -1, &st, NULL);
	if (rc != SQLITE_OK)
		return sq__fail(q, rc, err);
	struct store_case *c = xmalloc(sizeof(*c));
	int r = GG_OK;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		sq__read_case(st, c);
		if ((r = fn(arg, c)))
			break;
	}
	if (!r && rc != SQLITE_DONE)
		r = sq__fail(q, rc, err);
	sqlite3_finalize(st);
	free(c);
	return r;
}

int sq__stats_meta(struct store *s, int *built, int64_t *utc_offset, struct err *err)
{
	static const char sql[] = "SELECT built, utc_offset FROM case_sum_meta";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_EINTERNAL, "case_sum_meta is empty") : r;
	*built = sqlite3_column_int(st, 0);
	*utc_offset = sqlite3_column_int64(st, 1);
	sq__done(st);
	return GG_OK;
}

/* A summary row: node or day, dept, chan, then the sums. */
static void read_sum(sqlite3_stmt *st, void *row, int by_day)
{
	struct store_stats_row *w = row;
	memset(w, 0, sizeof(*w));
	if (by_day)
		w->day = sqlite3_column_int64(st, 0);
	else
		sq__col_copy(st, 0, w->node, sizeof(w->node));
	sq__col_copy(st, 1, w->dept, sizeof(w->dept));
	sq__col_copy(st, 2, w->chan, sizeof(w->chan));
	for (int j = 0; j < SUM_NCOLS; j++)
		w->v[j] = sqlite3_column_int64(st, 3 + j);
}

/* The nodes of a level in the scope's range (kind 0 of case_live), each one's days. */
#define SUM_FROM                                                                                   \
	" FROM case_live l CROSS JOIN case_sum s ON s.kind=?3 AND s.lvl=l.lvl AND s.node=+l.node"  \
	" AND s.day >= ?4 AND s.day < ?5"                                                          \
	" WHERE l.kind=0 AND l.lvl=?2 AND " SQ_UNDER("l.node") " AND (?6 IS NULL OR s.dept=?6)"

int sq__stats_sum(struct store *s, const struct store_stats_q *f, struct arena *a,
		  struct store_stats_row **out, size_t *n, struct err *err)
{
	/* no SQL GROUP BY: it would sort every day row through a temporary b-tree (a month
	 * by grid at a city's volume: ~20,000 rows); the rows come in key order and are
	 * added up as they come (below), the caller adds up what is left by its own key */
	static const char by_node[] = "SELECT s.node, s.dept, s.chan, " SUM_COLS_OF_S SUM_FROM;
	static const char by_day[] = "SELECT s.day, s.dept, s.chan, " SUM_COLS_OF_S SUM_FROM;
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, f->by_day ? by_day : by_node, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, f->scope ? f->scope : "");
	sqlite3_bind_int(st, 2, f->lvl);
	sqlite3_bind_int(st, 3, f->kind);
	sqlite3_bind_int64(st, 4, f->day_from);
	sqlite3_bind_int64(st, 5, f->day_to);
	if (f->dept)
		sq__bind_text(st, 6, f->dept);
	/* A row whose key is the previous one's (the next day of the same node, dept and
	 * chan: the primary key's order) is added into it, so a month by grid hands back one
	 * row per grid, not one per grid and day (~20,000 rows of 250 bytes at a city's
	 * volume, whose copying cost more than the reading). */
	size_t len = 0, cap = 0;
	struct store_stats_row *v = NULL, w;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_sum(st, &w, f->by_day);
		struct store_stats_row *last = len ? &v[len - 1] : NULL;
		if (last && last->day == w.day && !strcmp(last->node, w.node) &&
		    !strcmp(last->dept, w.dept) && !strcmp(last->chan, w.chan)) {
			for (int j = 0; j < SUM_NCOLS; j++)
				last->v[j] += w.v[j];
			continue;
		}
		*(struct store_stats_row *)arena_push(a, (void **)&v, &len, &cap, sizeof(w)) = w;
	}
	sq__done(st);
	*out = v;
	*n = len;
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

static void read_live(sqlite3_stmt *st, void *row)
{
	struct store_stats_row *w = row;
	memset(w, 0, sizeof(*w));
	sq__col_copy(st, 0, w->node, sizeof(w->node));
	sq__col_copy(st, 1, w->dept, sizeof(w->dept));
	sq__col_copy(st, 2, w->chan, sizeof(w->chan));
	w->open = sqlite3_column_int64(st, 3);
	w->overdue = sqlite3_column_int64(st, 4);
}

int sq__stats_live(struct store *s, const struct store_stats_q *f, struct arena *a,
		   struct store_stats_row **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT node, dept, chan, open, overdue FROM case_live"
	    " WHERE kind=?2 AND lvl=?3 AND " SQ_UNDER("node") " AND (?4 IS NULL OR dept=?4)"
							      " AND (open <> 0 OR overdue <> 0)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, f->scope ? f->scope : "");
	sqlite3_bind_int(st, 2, f->kind);
	sqlite3_bind_int(st, 3, f->lvl);
	if (f->dept)
		sq__bind_text(st, 4, f->dept);
	return sq__rows(q, st, a, sizeof(**out), read_live, (void **)out, n, err);
}

static size_t cell_slot(int64_t x, int64_t y, size_t mask)
{
	uint64_t h = ((uint64_t)x * 0x9E3779B97F4A7C15ull) ^ ((uint64_t)y * 0xC2B2AE3D27D4EB4Full);
	return (h ^ (h >> 29)) & mask;
}

static int cell_cmp(const void *pa, const void *pb)
{
	const struct store_heat_cell *p = pa, *q = pb;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->y < q->y ? -1 : p->y > q->y;
}

/*
 * The window's heat rows (node × department × week × cell) add up per cell in a hash map
 * here rather than in SQL: a GROUP BY would sort every row through a temporary b-tree;
 * the map costs a probe per row and the answer's cells are sorted once. A row holds a
 * week's seven days; the days of it inside the window are added.
 */
int sq__stats_heat(struct store *s, const char *scope, const char *dept, int64_t day_from,
		   int64_t day_to, struct arena *a, struct store_heat_cell **out, size_t *n,
		   struct err *err)
{
	static const char sql[] =
	    "SELECT h.x, h.y, h.wk, h.n0, h.n1, h.n2, h.n3, h.n4, h.n5, h.n6"
	    " FROM case_live l CROSS JOIN case_heat h ON h.node=+l.node"
	    " AND h.wk >= ?2 AND h.wk < ?3 WHERE l.kind=0 AND l.lvl=4 AND " SQ_UNDER(
		"l.node") " AND h.dept=?4";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, scope ? scope : "");
	sqlite3_bind_int64(st, 2, STORE_HEAT_WEEK(day_from));
	sqlite3_bind_int64(st, 3, day_to);
	sq__bind_text(st, 4, dept ? dept : STORE_HEAT_ANY_DEPT);
	size_t mask = 1023, len = 0;
	struct store_heat_cell *v = xmalloc((mask + 1) * sizeof(*v));
	uint32_t *slot = xcalloc(mask + 1, sizeof(*slot)); /* a cell's index + 1; 0: empty */
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t x = sqlite3_column_int64(st, 0), y = sqlite3_column_int64(st, 1),
			wk = sqlite3_column_int64(st, 2), cases = 0;
		for (int j = 0; j < 7; j++)
			if (wk + j >= day_from && wk + j < day_to)
				cases += sqlite3_column_int64(st, 3 + j);
		if (!cases)
			continue;
		size_t i = cell_slot(x, y, mask);
		while (slot[i] && (v[slot[i] - 1].x != x || v[slot[i] - 1].y != y))
			i = (i + 1) & mask;
		if (!slot[i]) {
			v[len] = (struct store_heat_cell){.x = x, .y = y};
			slot[i] = (uint32_t)++len;
		}
		v[slot[i] - 1].n += cases;
		if (len * 2 > mask) { /* grow at half full: rehash into twice the slots */
			mask = mask * 2 + 1;
			v = xrealloc(v, (mask + 1) * sizeof(*v));
			free(slot);
			slot = xcalloc(mask + 1, sizeof(*slot));
			for (size_t k = 0; k < len; k++) {
				size_t j = cell_slot(v[k].x, v[k].y, mask);
				while (slot[j])
					j = (j + 1) & mask;
				slot[j] = (uint32_t)(k + 1);
			}
		}
	}
	sq__done(st);
	free(slot);
	if (rc != SQLITE_DONE) {
		free(v);
		return sq__fail(q, rc, err);
	}
	*out = arena_alloc(a, (len + 1) * sizeof(**out));
	*n = 0;
	for (size_t k = 0; k < len; k++)
		if (v[k].n)
			(*out)[(*n)++] = v[k];
	free(v);
	qsort(*out, *n, sizeof(**out), cell_cmp);
	return GG_OK;
}

int sq__stats_cases(struct store *s, const char *scope, const char *dept, int closed, int64_t from,
		    int64_t to, struct arena *a, struct store_case **out, size_t *n,
		    struct err *err)
{
	static const char by_created[] =
	    "SELECT " CASE_COLS " FROM gcase INDEXED BY gcase_by_created"
	    " WHERE created_at >= ?2 AND created_at < ?3 AND " SQ_UNDER(
		"grid") " AND (?4 IS NULL OR department = ?4) ORDER BY id DESC";
	static const char by_closed[] =
	    "SELECT " CASE_COLS " FROM gcase INDEXED BY gcase_by_closed"
	    " WHERE closed_at > 0 AND closed_at >= ?2 AND closed_at < ?3"
	    " AND " SQ_UNDER("grid") " AND (?4 IS NULL OR department = ?4)"
				     " ORDER BY id DESC";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, closed ? by_closed : by_created, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, scope ? scope : "");
	sqlite3_bind_int64(st, 2, from);
	sqlite3_bind_int64(st, 3, to);
	if (dept)
		sq__bind_text(st, 4, dept);
	return sq__rows(q, st, a, sizeof(**out), sq__read_case, (void **)out, n, err);
}
