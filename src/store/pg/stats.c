/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Case summaries in PostgreSQL (migration 021, include/gridgov/store_stats.h): the
 * transaction's coalesced deltas applied as one INSERT … ON CONFLICT DO UPDATE per table,
 * clearing them for a rebuild, whether they are built, and the reads of the command
 * center (each level's nodes from case_live, their days from case_sum).
 */
#include <stdlib.h>
#include <string.h>

#include "gridgov/buf.h"
#include "gridgov/xalloc.h"
#include "store/pg/pg_int.h"

/*
 * The deltas go as arrays, one per column, and each table's rows are one statement
 * (unnest … GROUP BY … ON CONFLICT DO UPDATE): a group commit of many cases touches tens
 * of summary rows, and a round trip each would cost more than the cases themselves. The
 * GROUP BY keeps one row per key, which ON CONFLICT needs (it may not touch a row twice).
 */
#define SUM_CHUNK 2000 /* rows per statement: a rebuild writes its maps in chunks */

/* one column's array literal: {1,2,3} or {"a","b"} (text quoted, " and \ escaped) */
struct col {
	struct buf b;
};

static void col_int(struct col *c, int64_t v)
{
	buf_addch(&c->b, c->b.len ? ',' : '{');
	buf_addf(&c->b, "%lld", (long long)v);
}

static void col_text(struct col *c, const char *s)
{
	buf_addch(&c->b, c->b.len ? ',' : '{');
	buf_addch(&c->b, '"');
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			buf_addch(&c->b, '\\');
		buf_addch(&c->b, *s);
	}
	buf_addch(&c->b, '"');
}

static void cols_end(struct col *cols, int n, struct pg_args *a)
{
	for (int i = 0; i < n; i++) {
		buf_addch(&cols[i].b, '}');
		pg__arg_text(a, cols[i].b.p);
	}
}

static void cols_release(struct col *cols, int n)
{
	for (int i = 0; i < n; i++)
		buf_release(&cols[i].b);
}

/* (columns of the 15 day facts, in store_sum_delta.v's order) */
static int apply_day(struct pg *c, const struct store_sum_delta *d, size_t n, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO case_sum(kind, lvl, node, day, dept, chan, reported, filed,"
	    " filed_on_time, dispatched, accurate, handled, handled_on_time, closed,"
	    " closed_on_time, reworked, extended, rated, satisfied, closed_day, closed_day_on_time)"
	    " SELECT k, l, nd, dy, dp, ch, sum(v1), sum(v2), sum(v3), sum(v4), sum(v5), sum(v6),"
	    " sum(v7), sum(v8), sum(v9), sum(v10), sum(v11), sum(v12), sum(v13), sum(v14), sum(v15)"
	    " FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::bigint[], $5::text[],"
	    " $6::text[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[],"
	    " $12::bigint[], $13::bigint[], $14::bigint[], $15::bigint[], $16::bigint[],"
	    " $17::bigint[], $18::bigint[], $19::bigint[], $20::bigint[], $21::bigint[])"
	    " AS t(k, l, nd, dy, dp, ch, v1, v2, v3, v4, v5, v6, v7, v8, v9, v10, v11, v12, v13,"
	    " v14, v15) GROUP BY k, l, nd, dy, dp, ch"
	    " ON CONFLICT(kind, lvl, node, day, dept, chan) DO UPDATE SET"
	    " reported = case_sum.reported + excluded.reported,"
	    " filed = case_sum.filed + excluded.filed,"
	    " filed_on_time = case_sum.filed_on_time + excluded.filed_on_time,"
	    " dispatched = case_sum.dispatched + excluded.dispatched,"
	    " accurate = case_sum.accurate + excluded.accurate,"
	    " handled = case_sum.handled + excluded.handled,"
	    " handled_on_time = case_sum.handled_on_time + excluded.handled_on_time,"
	    " closed = case_sum.closed + excluded.closed,"
	    " closed_on_time = case_sum.closed_on_time + excluded.closed_on_time,"
	    " reworked = case_sum.reworked + excluded.reworked,"
	    " extended = case_sum.extended + excluded.extended,"
	    " rated = case_sum.rated + excluded.rated,"
	    " satisfied = case_sum.satisfied + excluded.satisfied,"
	    " closed_day = case_sum.closed_day + excluded.closed_day,"
	    " closed_day_on_time = case_sum.closed_day_on_time + excluded.closed_day_on_time";
	enum { N = 6 + SUM_NCOLS };
	struct col cols[N];
	for (int i = 0; i < N; i++)
		buf_init(&cols[i].b, 0);
	for (size_t i = 0; i < n; i++) {
		col_int(&cols[0], d[i].kind);
		col_int(&cols[1], d[i].lvl);
		col_text(&cols[2], d[i].node);
		col_int(&cols[3], d[i].day);
		col_text(&cols[4], d[i].dept);
		col_text(&cols[5], d[i].chan);
		for (int j = 0; j < SUM_NCOLS; j++)
			col_int(&cols[6 + j], d[i].v[j]);
	}
	struct pg_args a = PG_ARGS_INIT;
	cols_end(cols, N, &a);
	int r = pg__run(c, sql, &a, err);
	cols_release(cols, N);
	return r;
}

static int apply_live(struct pg *c, const struct store_sum_delta *d, size_t n, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO case_live(kind, lvl, node, dept, chan, open, overdue, cases)"
	    " SELECT k, l, nd, dp, ch, sum(v1), sum(v2), sum(v3)"
	    " FROM unnest($1::bigint[], $2::bigint[], $3::text[], $4::text[], $5::text[],"
	    " $6::bigint[], $7::bigint[], $8::bigint[]) AS t(k, l, nd, dp, ch, v1, v2, v3)"
	    " GROUP BY k, l, nd, dp, ch ON CONFLICT(kind, lvl, node, dept, chan)"
	    " DO UPDATE SET open = case_live.open + excluded.open,"
	    " overdue = case_live.overdue + excluded.overdue,"
	    " cases = case_live.cases + excluded.cases";
	enum { N = 8 };
	struct col cols[N];
	for (int i = 0; i < N; i++)
		buf_init(&cols[i].b, 0);
	for (size_t i = 0; i < n; i++) {
		col_int(&cols[0], d[i].kind);
		col_int(&cols[1], d[i].lvl);
		col_text(&cols[2], d[i].node);
		col_text(&cols[3], d[i].dept);
		col_text(&cols[4], d[i].chan);
		for (int j = 0; j < 3; j++)
			col_int(&cols[5 + j], d[i].v[j]);
	}
	struct pg_args a = PG_ARGS_INIT;
	cols_end(cols, N, &a);
	int r = pg__run(c, sql, &a, err);
	cols_release(cols, N);
	return r;
}

static int apply_heat(struct pg *c, const struct store_sum_delta *d, size_t n, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO case_heat(node, wk, dept, x, y, n0, n1, n2, n3, n4, n5, n6)"
	    " SELECT nd, wk, dp, x, y, sum(v0), sum(v1), sum(v2), sum(v3), sum(v4), sum(v5), sum(v6)"
	    " FROM unnest($1::text[], $2::bigint[], $3::text[], $4::bigint[], $5::bigint[],"
	    " $6::bigint[], $7::bigint[], $8::bigint[], $9::bigint[], $10::bigint[], $11::bigint[],"
	    " $12::bigint[]) AS t(nd, wk, dp, x, y, v0, v1, v2, v3, v4, v5, v6)"
	    " GROUP BY nd, wk, dp, x, y ON CONFLICT(node, dept, wk, x, y) DO UPDATE SET"
	    " n0 = case_heat.n0 + excluded.n0, n1 = case_heat.n1 + excluded.n1,"
	    " n2 = case_heat.n2 + excluded.n2, n3 = case_heat.n3 + excluded.n3,"
	    " n4 = case_heat.n4 + excluded.n4, n5 = case_heat.n5 + excluded.n5,"
	    " n6 = case_heat.n6 + excluded.n6";
	enum { N = 12 };
	struct col cols[N];
	for (int i = 0; i < N; i++)
		buf_init(&cols[i].b, 0);
	for (size_t i = 0; i < n; i++) {
		col_text(&cols[0], d[i].node);
		col_int(&cols[1], d[i].day); /* the week's Monday */
		col_text(&cols[2], d[i].dept);
		col_int(&cols[3], d[i].x);
		col_int(&cols[4], d[i].y);
		for (int j = 0; j < 7; j++)
			col_int(&cols[5 + j], d[i].v[j]);
	}
	struct pg_args a = PG_ARGS_INIT;
	cols_end(cols, N, &a);
	int r = pg__run(c, sql, &a, err);
	cols_release(cols, N);
	return r;
}

/* Runs of one table, SUM_CHUNK rows at most per statement (the deltas come in any order). */
int pg__sum_apply(struct store *s, const struct store_sum_delta *d, size_t n, struct err *err)
{
	struct pg *c = pg_of(s);
	int r = GG_OK;
	if (!n)
		return GG_OK;
	struct store_sum_delta *run = xmalloc((n < SUM_CHUNK ? n : SUM_CHUNK) * sizeof(*run));
	for (int t = SUM_T_DAY; r == GG_OK && t <= SUM_T_HEAT; t++) {
		size_t m = 0;
		for (size_t i = 0; i <= n && r == GG_OK; i++) {
			if (i < n && d[i].table == t)
				run[m++] = d[i];
			if (m && (m == SUM_CHUNK || i == n)) {
				r = t == SUM_T_DAY    ? apply_day(c, run, m, err)
				    : t == SUM_T_LIVE ? apply_live(c, run, m, err)
						      : apply_heat(c, run, m, err);
				m = 0;
			}
		}
	}
	free(run);
	return r;
}

int pg__sum_clear(struct store *s, int64_t utc_offset, struct err *err)
{
	static const char sql[] = "UPDATE case_sum_meta SET utc_offset = $1, built = 1";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, utc_offset);
	int r =
	    pg__exec(c, "DELETE FROM case_sum; DELETE FROM case_live; DELETE FROM case_heat", err);
	return r ? r : pg__run(c, sql, &a, err);
}

int pg__sum_unbuilt(struct store *s, struct err *err)
{
	return pg__exec(pg_of(s), "UPDATE case_sum_meta SET built = 0", err);
}

int pg__stats_meta(struct store *s, int *built, int64_t *utc_offset, struct err *err)
{
	static const char sql[] = "SELECT built, utc_offset FROM case_sum_meta";
	PGresult *res;
	int r = pg__row(pg_of(s), sql, NULL, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_EINTERNAL, "case_sum_meta is empty") : r;
	*built = (int)pg__int(res, 0, 0);
	*utc_offset = pg__int(res, 0, 1);
	PQclear(res);
	return GG_OK;
}

/*
 * Every case in id order, in batches each after the last id read: fn may write (the
 * rebuild's summary upserts) on the same connection between them.
 */
int pg__case_each(struct store *s, int (*fn)(void *arg, const struct store_case *c), void *arg,
		  struct err *err)
{
	static const char sql[] = "SELECT " PG_CASE_COLS " FROM gcase WHERE id > $1"
				  " ORDER BY id LIMIT 1000";
	struct pg *c = pg_of(s);
	struct store_case *one = xmalloc(sizeof(*one));
	int64_t after = 0;
	int r = GG_OK, rows = 1000;
	while (r == GG_OK && rows == 1000) {
		struct pg_args p = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_int(&p, after);
		if ((r = pg__query(c, sql, &p, &res, err)))
			break;
		rows = PQntuples(res);
		for (int i = 0; i < rows && r == GG_OK; i++) {
			pg__read_case(res, i, one);
			after = one->id;
			r = fn(arg, one);
		}
		PQclear(res);
	}
	free(one);
	return r;
}

/* (a row reader: node or day, dept, chan, then the sums) */
static void read_sum(const PGresult *res, int row, void *elem, int by_day)
{
	struct store_stats_row *w = elem;
	memset(w, 0, sizeof(*w));
	if (by_day)
		w->day = pg__int(res, row, 0);
	else
		pg__col_copy(res, row, 0, w->node, sizeof(w->node));
	pg__col_copy(res, row, 1, w->dept, sizeof(w->dept));
	pg__col_copy(res, row, 2, w->chan, sizeof(w->chan));
	for (int j = 0; j < SUM_NCOLS; j++)
		w->v[j] = pg__int(res, row, 3 + j);
}

static void read_sum_node(const PGresult *res, int row, void *elem)
{
	read_sum(res, row, elem, 0);
}

static void read_sum_day(const PGresult *res, int row, void *elem)
{
	read_sum(res, row, elem, 1);
}

#define SUM_SUMS                                                                                   \
	"sum(s.reported), sum(s.filed), sum(s.filed_on_time), sum(s.dispatched),"                  \
	" sum(s.accurate), sum(s.handled), sum(s.handled_on_time), sum(s.closed),"                 \
	" sum(s.closed_on_time), sum(s.reworked), sum(s.extended), sum(s.rated),"                  \
	" sum(s.satisfied), sum(s.closed_day), sum(s.closed_day_on_time)"
/* The nodes of a level in the scope's range (kind 0 of case_live), each one's days. */
#define SUM_FROM                                                                                   \
	" FROM case_live l JOIN case_sum s ON s.kind = $3 AND s.lvl = l.lvl AND s.node = l.node"   \
	" AND s.day >= $4 AND s.day < $5"                                                          \
	" WHERE l.kind = 0 AND l.lvl = $2 AND " PG_UNDER(                                          \
	    "l.node") " AND ($6 IS NULL OR s.dept = $6)"

/* The same over a province's cities (province.c): rows of one city join its own rows,
 * and a node is named "CITY:CODE". */
#define SUM_FROM_PROVINCE                                                                          \
	" FROM case_live l JOIN case_sum s ON s.city = l.city AND s.kind = $3 AND s.lvl = l.lvl"   \
	" AND s.node = l.node AND s.day >= $4 AND s.day < $5"                                      \
	" WHERE l.kind = 0 AND l.lvl = $2 AND " PG_UNDER(                                          \
	    "l.node") " AND ($6 IS NULL OR s.dept = $6)"

int pg__stats_sum(struct store *s, const struct store_stats_q *f, struct arena *a,
		  struct store_stats_row **out, size_t *n, struct err *err)
{
	static const char by_node[] =
	    "SELECT s.node, s.dept, s.chan, " SUM_SUMS SUM_FROM " GROUP BY s.node, s.dept, s.chan";
	static const char by_day[] =
	    "SELECT s.day, s.dept, s.chan, " SUM_SUMS SUM_FROM " GROUP BY s.day, s.dept, s.chan";
	static const char by_node_province[] =
	    "SELECT s.city || ':' || s.node, s.dept, s.chan, " SUM_SUMS SUM_FROM_PROVINCE
	    " GROUP BY s.city, s.node, s.dept, s.chan";
	static const char by_day_province[] =
	    "SELECT s.day, s.dept, s.chan, " SUM_SUMS SUM_FROM_PROVINCE
	    " GROUP BY s.day, s.dept, s.chan";
	int prov = pg_of(s)->province;
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, f->scope ? f->scope : "");
	pg__arg_int(&p, f->lvl);
	pg__arg_int(&p, f->kind);
	pg__arg_int(&p, f->day_from);
	pg__arg_int(&p, f->day_to);
	pg__arg_text_nullable(&p, f->dept);
	const char *sql =
	    f->by_day ? (prov ? by_day_province : by_day) : (prov ? by_node_province : by_node);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out),
			f->by_day ? read_sum_day : read_sum_node, (void **)out, n, err);
}

static void read_live(const PGresult *res, int row, void *elem)
{
	struct store_stats_row *w = elem;
	memset(w, 0, sizeof(*w));
	pg__col_copy(res, row, 0, w->node, sizeof(w->node));
	pg__col_copy(res, row, 1, w->dept, sizeof(w->dept));
	pg__col_copy(res, row, 2, w->chan, sizeof(w->chan));
	w->open = pg__int(res, row, 3);
	w->overdue = pg__int(res, row, 4);
}

int pg__stats_live(struct store *s, const struct store_stats_q *f, struct arena *a,
		   struct store_stats_row **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT node, dept, chan, open, overdue FROM case_live"
	    " WHERE kind = $2 AND lvl = $3 AND " PG_UNDER(
		"node") " AND ($4 IS NULL OR dept = $4) AND (open <> 0 OR overdue <> 0)";
	static const char province[] =
	    "SELECT city || ':' || node, dept, chan, open, overdue FROM case_live"
	    " WHERE kind = $2 AND lvl = $3 AND " PG_UNDER(
		"node") " AND ($4 IS NULL OR dept = $4) AND (open <> 0 OR overdue <> 0)";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, f->scope ? f->scope : "");
	pg__arg_int(&p, f->kind);
	pg__arg_int(&p, f->lvl);
	pg__arg_text_nullable(&p, f->dept);
	return pg__rows(pg_of(s), pg_of(s)->province ? province : sql, &p, a, sizeof(**out),
			read_live, (void **)out, n, err);
}

static void read_heat(const PGresult *res, int row, void *elem)
{
	struct store_heat_cell *c = elem;
	c->x = pg__int(res, row, 0);
	c->y = pg__int(res, row, 1);
	c->n = pg__int(res, row, 2);
}

/* The cases of week row h's day j when that day lies in the window [$5, $3), and of all
 * seven days. */
#define HEAT_DAY(j)                                                                                \
	"(CASE WHEN h.wk + " #j " >= $5 AND h.wk + " #j " < $3 THEN h.n" #j " ELSE 0 END)"
#define HEAT_WINDOW                                                                                \
	HEAT_DAY(0)                                                                                \
	"+" HEAT_DAY(1) "+" HEAT_DAY(2) "+" HEAT_DAY(3) "+" HEAT_DAY(4) "+" HEAT_DAY(              \
	    5) "+" HEAT_DAY(6)

int pg__stats_heat(struct store *s, const char *scope, const char *dept, int64_t day_from,
		   int64_t day_to, struct arena *a, struct store_heat_cell **out, size_t *n,
		   struct err *err)
{
	static const char sql[] =
	    "SELECT x, y, sum(n) FROM (SELECT h.x, h.y, " HEAT_WINDOW
	    " FROM case_live l JOIN case_heat h ON h.node = l.node AND h.wk >= $2 AND h.wk < $3"
	    " WHERE l.kind = 0 AND l.lvl = 4 AND " PG_UNDER("l.node") " AND h.dept = $4)"
	    " w(x, y, n) GROUP BY x, y HAVING sum(n) <> 0 ORDER BY x, y";
	static const char province[] =
	    "SELECT x, y, sum(n) FROM (SELECT h.x, h.y, " HEAT_WINDOW
	    " FROM case_live l JOIN case_heat h ON h.city = l.city AND h.node = l.node"
	    " AND h.wk >= $2 AND h.wk < $3"
	    " WHERE l.kind = 0 AND l.lvl = 4 AND " PG_UNDER("l.node") " AND h.dept = $4)"
	    " w(x, y, n) GROUP BY x, y HAVING sum(n) <> 0 ORDER BY x, y";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, scope ? scope : "");
	pg__arg_int(&p, STORE_HEAT_WEEK(day_from));
	pg__arg_int(&p, day_to);
	pg__arg_text(&p, dept ? dept : STORE_HEAT_ANY_DEPT);
	pg__arg_int(&p, day_from);
	return pg__rows(pg_of(s), pg_of(s)->province ? province : sql, &p, a, sizeof(**out),
			read_heat, (void **)out, n, err);
}

int pg__stats_cases(struct store *s, const char *scope, const char *dept, int closed, int64_t from,
		    int64_t to, struct arena *a, struct store_case **out, size_t *n,
		    struct err *err)
{
	static const char by_created[] =
	    "SELECT " PG_CASE_COLS " FROM gcase"
	    " WHERE created_at >= $2 AND created_at < $3 AND " PG_UNDER(
		"grid") " AND ($4 IS NULL OR department = $4)"
			" ORDER BY id DESC";
	static const char by_closed[] =
	    "SELECT " PG_CASE_COLS " FROM gcase"
	    " WHERE closed_at > 0 AND closed_at >= $2 AND closed_at < $3"
	    " AND " PG_UNDER("grid") " AND ($4 IS NULL OR department = $4)"
				     " ORDER BY id DESC";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, scope ? scope : "");
	pg__arg_int(&p, from);
	pg__arg_int(&p, to);
	pg__arg_text_nullable(&p, dept);
	return pg__rows(pg_of(s), closed ? by_closed : by_created, &p, a, sizeof(**out),
			pg__read_case, (void **)out, n, err);
}
