/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cases in PostgreSQL (as src/store/sqlite/case.c): insert, update, read, the paged list,
 * the overdue and recent ones.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/case_plan.h"
#include "store/pg/pg_int.h"

/* Reads PG_CASE_COLS from column k on into c. */
static void read_case_at(const PGresult *res, int row, int k, struct store_case *c)
{
	memset(c, 0, sizeof(*c));
	c->id = pg__int(res, row, k + 0);
	pg__col_copy(res, row, k + 1, c->category, sizeof(c->category));
	pg__col_copy(res, row, k + 2, c->description, sizeof(c->description));
	c->has_point = !pg__is_null(res, row, k + 3);
	c->lon = pg__double(res, row, k + 3);
	c->lat = pg__double(res, row, k + 4);
	pg__col_copy(res, row, k + 5, c->address, sizeof(c->address));
	pg__col_copy(res, row, k + 6, c->channel, sizeof(c->channel));
	pg__col_copy(res, row, k + 7, c->grid, sizeof(c->grid));
	pg__col_copy(res, row, k + 8, c->community, sizeof(c->community));
	pg__col_copy(res, row, k + 9, c->street, sizeof(c->street));
	c->level = (int)pg__int(res, row, k + 10);
	c->state = (enum case_state)case_state_parse(PQgetvalue(res, row, k + 11));
	pg__col_copy(res, row, k + 12, c->department, sizeof(c->department));
	pg__col_copy(res, row, k + 13, c->proposed_dept, sizeof(c->proposed_dept));
	c->reporter_id = pg__int(res, row, k + 14);
	pg__col_copy(res, row, k + 15, c->reporter, sizeof(c->reporter));
	c->merged_into = pg__int(res, row, k + 16);
	c->created_at = pg__int(res, row, k + 17);
	c->updated_at = pg__int(res, row, k + 18);
	c->stage_started = pg__int(res, row, k + 19);
	c->deadline = pg__int(res, row, k + 20);
	c->ext_pending = (int)pg__int(res, row, k + 21);
	c->ext_hours = (int)pg__int(res, row, k + 22);
	c->extended = (int)pg__int(res, row, k + 23);
	c->reopened = (int)pg__int(res, row, k + 24);
	pg__col_copy(res, row, k + 25, c->rating, sizeof(c->rating));
	c->supervision = (int)pg__int(res, row, k + 26);
	c->dispatches = (int)pg__int(res, row, k + 27);
	c->returns = (int)pg__int(res, row, k + 28);
	c->reworks = (int)pg__int(res, row, k + 29);
	c->filed_at = pg__int(res, row, k + 30);
	c->filed_on_time = (int)pg__int(res, row, k + 31);
	c->handled_at = pg__int(res, row, k + 32);
	c->handled_on_time = (int)pg__int(res, row, k + 33);
	c->closed_at = pg__int(res, row, k + 34);
	c->closed_on_time = (int)pg__int(res, row, k + 35);
}

void pg__read_case(const PGresult *res, int row, void *elem)
{
	read_case_at(res, row, 0, elem);
}

/* The mutable fields as $1…$23 (the order of the SET list below). */
static void arg_mutable(struct pg_args *a, const struct store_case *c)
{
	pg__arg_int(a, c->level);
	pg__arg_text(a, case_state_name(c->state));
	pg__arg_text_or_null(a, c->department);
	pg__arg_text_or_null(a, c->proposed_dept);
	pg__arg_id_or_null(a, c->merged_into);
	pg__arg_int(a, c->updated_at);
	pg__arg_int(a, c->stage_started);
	pg__arg_int(a, c->deadline);
	pg__arg_int(a, c->ext_pending);
	pg__arg_int(a, c->ext_hours);
	pg__arg_int(a, c->extended);
	pg__arg_int(a, c->reopened);
	pg__arg_text(a, c->rating);
	pg__arg_int(a, c->supervision);
	pg__arg_int(a, c->dispatches);
	pg__arg_int(a, c->returns);
	pg__arg_int(a, c->reworks);
	pg__arg_int(a, c->filed_at);
	pg__arg_int(a, c->filed_on_time);
	pg__arg_int(a, c->handled_at);
	pg__arg_int(a, c->handled_on_time);
	pg__arg_int(a, c->closed_at);
	pg__arg_int(a, c->closed_on_time);
}

int pg__case_insert(struct store *s, struct store_case *c, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO gcase(level, state, department, proposed_dept, merged_into,"
	    " updated_at, stage_started, deadline, ext_pending, ext_hours, extended, reopened,"
	    " rating, supervision, dispatches, returns, reworks, filed_at, filed_on_time,"
	    " handled_at, handled_on_time, closed_at, closed_on_time,"
	    " category, description, lon, lat, address, channel, grid, community, street,"
	    " reporter_id, reporter, created_at)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17,"
	    " $18, $19, $20, $21, $22, $23, $24, $25, $26, $27, $28, $29, $30, $31, $32, $33,"
	    " $34, $35) RETURNING id";
	struct pg_args a = PG_ARGS_INIT;
	arg_mutable(&a, c);
	pg__arg_text(&a, c->category);
	pg__arg_text(&a, c->description);
	pg__arg_double_or_null(&a, c->has_point, c->lon);
	pg__arg_double_or_null(&a, c->has_point, c->lat);
	pg__arg_text(&a, c->address);
	pg__arg_text(&a, c->channel);
	pg__arg_text(&a, c->grid);
	pg__arg_text(&a, c->community);
	pg__arg_text(&a, c->street);
	pg__arg_int(&a, c->reporter_id);
	pg__arg_text(&a, c->reporter);
	pg__arg_int(&a, c->created_at);
	struct pg *pc = pg_of(s);
	int r = pg__id(pc, sql, &a, &c->id, err);
	if (r == GG_OK) {
		/* a case made in this transaction has no trail yet: its first entry need not
		 * look for a predecessor (case_log.c), which saves a round trip per new case */
		pc->log_tail.case_id = c->id;
		pc->log_tail.seq = 0;
		memcpy(pc->log_tail.hash, case_genesis_hash, CASE_HASH_HEX);
	}
	return r;
}

int pg__case_update(struct store *s, const struct store_case *c, struct err *err)
{
	static const char sql[] =
	    "UPDATE gcase SET level = $1, state = $2, department = $3, proposed_dept = $4,"
	    " merged_into = $5, updated_at = $6, stage_started = $7, deadline = $8,"
	    " ext_pending = $9, ext_hours = $10, extended = $11, reopened = $12, rating = $13,"
	    " supervision = $14, dispatches = $15, returns = $16, reworks = $17, filed_at = $18,"
	    " filed_on_time = $19, handled_at = $20, handled_on_time = $21, closed_at = $22,"
	    " closed_on_time = $23, category = $25 WHERE id = $24";
	struct pg_args a = PG_ARGS_INIT;
	int64_t changed;
	arg_mutable(&a, c);
	pg__arg_int(&a, c->id);
	pg__arg_text(&a, c->category);
	int r = pg__run_changes(pg_of(s), sql, &a, &changed, err);
	if (r == GG_OK && !changed)
		return err_set(err, GG_ENOTFOUND, "no case %lld", (long long)c->id);
	return r;
}

int pg__case_get(struct store *s, int64_t id, struct store_case *c, struct err *err)
{
	static const char sql[] = "SELECT " PG_CASE_COLS " FROM gcase WHERE id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&a, id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no case %lld", (long long)id)
					 : r;
	pg__read_case(res, 0, c);
	PQclear(res);
	return GG_OK;
}

/*
 * The case list, as SQLite's: each query is driven by the condition of the filter chosen
 * in C for being the rarest (store__case_driver in src/store/case_plan.c: the same choice,
 * so scan_max bounds the same rows), walked
 * newest first below $11 (keyset paging), every condition of the filter tested on the
 * row as the column `ok`. PostgreSQL has no INDEXED BY: the driver's condition leads the
 * WHERE clause and the planner finds its index (migration 022 made the same ones).
 * Rows come in batches of PAGE_BATCH (LIMIT $14), each below the last one read, so a
 * page that stops early never fetched the rest.
 *
 * Parameters: $1 the grid subtree, $2 department, $3 state, $4 category, $6 channel,
 * $9 merged_into, $10 open only, $11 ids below, $12/$13 the deadline range ($13 = 0:
 * none), $14 how many rows (NULL: all), $15 the case number, $16 the caller's phone hash,
 * $17/$18 words of the description/address, $19/$20 the creation range [from, to).
 * As in SQLite, the words only test rows (scan_max bounds them) and a creation range is
 * turned into ids by two seeks of gcase_by_created.
 */
#define PAGE_BATCH  256
#define OPEN_STATES "state NOT IN ('closed', 'evaluated', 'rejected', 'merged')"
/* the cases of a caller's phone (its keyed hash; the partial index's own condition too) */
#define BY_PHONE                                                                                   \
	"(SELECT case_id FROM citizen_report WHERE phone_hash = $16 AND phone_hash <> ''"          \
	" UNION ALL SELECT case_id FROM hotline_order WHERE phone_hash = $16 AND phone_hash <> "   \
	"'')"
#define MATCH                                                                                      \
	"(" PG_UNDER(                                                                              \
	    "grid") " AND ($2 IS NULL OR department = $2) AND ($3 IS NULL OR state = $3)"          \
		    " AND ($4 IS NULL OR category = $4) AND ($6 IS NULL OR channel = $6)"          \
		    " AND ($9 = 0 OR merged_into = $9) AND ($10 = 0 OR " OPEN_STATES ")"           \
		    " AND ($13 = 0 OR (deadline > 0 AND deadline >= $12 AND deadline <= "          \
		    "$13))"                                                                        \
		    " AND ($15 = 0 OR id = $15) AND ($16::text IS NULL OR id IN " BY_PHONE         \
		    ") AND ($17::text IS NULL OR strpos(description, $17) > 0)"                    \
		    " AND ($18::text IS NULL OR strpos(address, $18) > 0)"                         \
		    " AND ($19 = 0 OR created_at >= $19) AND ($20 = 0 OR created_at < $20))::int"
#define PAGE_SQL(where)                                                                            \
	"SELECT " MATCH ", " PG_CASE_COLS " FROM gcase WHERE " where " ORDER BY id DESC LIMIT $14"
/* the count when each row is read (hits, rows) */
#define COUNT_SQL(where)                                                                           \
	"SELECT coalesce(sum(ok), 0), count(*) FROM (SELECT " MATCH " AS ok FROM gcase"            \
	" WHERE " where " LIMIT $14) t"
/* the count when the driver's condition is the whole filter */
#define TALLY_SQL(where)                                                                           \
	"SELECT count(*), count(*) FROM (SELECT 1 FROM gcase WHERE " where " LIMIT $14) t"
/* the rows the count's test in C (keep) needs */
#define KEEP_SQL(where)                                                                            \
	"SELECT " MATCH ", stage_started, deadline FROM gcase WHERE " where " LIMIT $14"
#define SUBTREE PG_UNDER("grid")
#define DRIVER(where, tally)                                                                       \
	{                                                                                          \
		PAGE_SQL(where " AND id < $11"), COUNT_SQL(where), KEEP_SQL(where),                \
		    TALLY_SQL(tally)                                                               \
	}

#define LIVE "deadline > 0 AND deadline >= $12 AND deadline <= $13"

static const struct {
	const char *page, *count, *keep, *tally;
} drivers[DRV_COUNT] = {
    [DRV_ID] = DRIVER("true", "true"),
    [DRV_ONE] = DRIVER("id = $15", "id = $15"),
    [DRV_PHONE] = DRIVER("id IN " BY_PHONE, "id IN " BY_PHONE),
    [DRV_MERGED] = DRIVER("merged_into = $9", "merged_into = $9"),
    [DRV_OPEN_SUBTREE] = DRIVER(OPEN_STATES " AND " SUBTREE, OPEN_STATES " AND " SUBTREE),
    [DRV_SUBGRID] = DRIVER(SUBTREE, SUBTREE),
    [DRV_GRID] = DRIVER("substr(grid, 1, 15) = $1", SUBTREE),
    [DRV_CATEGORY] = DRIVER("category = $4", "category = $4"),
    [DRV_COMMUNITY] = DRIVER("community = $1", SUBTREE),
    [DRV_LIVE] = DRIVER(LIVE, LIVE),
    [DRV_OPEN] = DRIVER(OPEN_STATES, OPEN_STATES),
    [DRV_DEPARTMENT] = DRIVER("department = $2", "department = $2"),
    [DRV_STREET] = DRIVER("street = $1", SUBTREE),
    [DRV_STATE] = DRIVER("state = $3", "state = $3"),
    [DRV_CHANNEL] = DRIVER("channel = $6", "channel = $6"),
};

/*
 * The grid subtree of f into code (the narrower of scope and grid), "" when it holds
 * every case; *none when scope and grid are disjoint.
 */
static int subtree(struct pg *c, const struct store_case_filter *f, char *code, size_t size,
		   int *none, struct err *err)
{
	static const char sql[] = "SELECT min(grid), max(grid) FROM gcase";
	const char *scope = f->scope ? f->scope : "", *grid = store__given(f->grid) ? f->grid : "";
	size_t ls = strlen(scope), lg = strlen(grid);
	*none = lg >= ls ? strncmp(grid, scope, ls) != 0 : strncmp(scope, grid, lg) != 0;
	snprintf(code, size, "%s", lg >= ls ? grid : scope);
	if (*none || !code[0])
		return GG_OK;
	PGresult *res;
	int r = pg__row(c, sql, NULL, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? GG_OK : r;
	size_t n = strlen(code);
	const char *lo = PQgetvalue(res, 0, 0), *hi = PQgetvalue(res, 0, 1);
	if (!pg__is_null(res, 0, 0) && !strncmp(lo, code, n) && !strncmp(hi, code, n))
		code[0] = 0;
	PQclear(res);
	return GG_OK;
}

/* $1…$14 of the filter: rows below `below`, at most `rows` of them (0: all). */
static void arg_filter(struct pg_args *a, const struct store_case_filter *f, const char *code,
		       int64_t below, int64_t rows)
{
	pg__arg_text(a, code);
	pg__arg_text_or_null(a, f->department);
	pg__arg_text_or_null(a, f->state);
	pg__arg_text_or_null(a, f->category);
	pg__arg_text_or_null(a, NULL); /* $5: unused */
	pg__arg_text_or_null(a, f->channel);
	pg__arg_text_or_null(a, NULL); /* $7, $8: unused */
	pg__arg_text_or_null(a, NULL);
	pg__arg_int(a, f->merged_into);
	pg__arg_int(a, f->open_only);
	pg__arg_int(a, below);
	pg__arg_int(a, f->due_from);
	pg__arg_int(a, f->due_to);
	pg__arg_id_or_null(a, rows);
	pg__arg_int(a, f->id);
	pg__arg_text_or_null(a, f->phone_hash);
	pg__arg_text_or_null(a, f->keyword);
	pg__arg_text_or_null(a, f->address);
	pg__arg_int(a, f->created_from);
	pg__arg_int(a, f->created_to);
}

/*
 * The ids of the cases created in f's range: [*lo, *hi] (0, INT64_MAX without a range);
 * *none when no case was created in it. Two seeks of gcase_by_created.
 */
static int created_ids(struct pg *c, const struct store_case_filter *f, int64_t *lo, int64_t *hi,
		       int *none, struct err *err)
{
	static const char sql_lo[] = "SELECT id FROM gcase WHERE created_at >= $1"
				     " ORDER BY created_at, id LIMIT 1";
	static const char sql_hi[] = "SELECT id FROM gcase WHERE created_at < $1"
				     " ORDER BY created_at DESC, id DESC LIMIT 1";
	*lo = 0;
	*hi = INT64_MAX;
	*none = 0;
	for (int side = 0; side < 2 && !*none; side++) {
		int64_t at = side ? f->created_to : f->created_from;
		if (!at)
			continue;
		struct pg_args p = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_int(&p, at);
		int r = pg__row(c, side ? sql_hi : sql_lo, &p, &res, err);
		if (r == GG_ENOTFOUND) {
			*none = 1;
			continue;
		}
		if (r)
			return r;
		*(side ? hi : lo) = pg__int(res, 0, 0);
		PQclear(res);
	}
	if (*lo > *hi)
		*none = 1;
	return GG_OK;
}

/* Whether row (ok in column 0; stage_started, deadline at ss, dl) matches. */
static int matches(const PGresult *res, int row, const struct store_case_filter *f, int ss, int dl)
{
	if (!pg__int(res, row, 0))
		return 0;
	return !f->keep || f->keep(pg__int(res, row, ss), pg__int(res, row, dl), f->keep_arg);
}

/* The matches of f without paging, or -1 when counting them would cost too much. */
static int count(struct pg *c, const struct store_case_filter *f, enum driver d, const char *code,
		 int64_t *total, struct err *err)
{
	int tally = !(store__case_conditions(f, code) & ~store__case_implies(d));
	int64_t max =
	    tally || f->count_max == INT64_MAX ? f->count_max : f->count_max / COUNT_READ_COST;
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	arg_filter(&a, f, code, INT64_MAX, max < INT64_MAX ? max + 1 : 0);
	int64_t rows = 0, hits = 0;
	int r;
	if (f->keep) { /* the light's test is in C: every row comes back */
		if ((r = pg__query(c, drivers[d].keep, &a, &res, err)))
			return r;
		rows = PQntuples(res);
		for (int i = 0; i < rows; i++)
			hits += matches(res, i, f, 1, 2);
	} else {
		if ((r = pg__row(c, tally ? drivers[d].tally : drivers[d].count, &a, &res, err)))
			return r == GG_ENOTFOUND ? err_set(err, GG_EDB, "count without a row") : r;
		hits = pg__int(res, 0, 0);
		rows = pg__int(res, 0, 1);
	}
	PQclear(res);
	*total = rows > max ? -1 : hits;
	return GG_OK;
}

int pg__case_page(struct store *s, const struct store_case_filter *f, struct arena *a,
		  struct store_case **out, size_t *n, struct store_case_page *pg, struct err *err)
{
	/* light= alone: only the cases that show it are read (by id) */
	static const char sql_live[] = "SELECT 1, id, stage_started, deadline FROM gcase"
				       " WHERE " LIVE " AND id < $11 ORDER BY id DESC LIMIT $14";
	struct pg *c = pg_of(s);
	char code[GRID_CODE_MAX];
	*out = NULL;
	*n = 0;
	pg->total = f->count_max ? 0 : -1;
	pg->next = 0;
	int none, r;
	if ((r = subtree(c, f, code, sizeof(code), &none, err)))
		return r;
	if (none || (f->due_to && f->due_to < f->due_from))
		return GG_OK;
	int64_t lo, hi;
	if ((r = created_ids(c, f, &lo, &hi, &none, err)))
		return r;
	if (none)
		return GG_OK;
	enum driver d = store__case_driver(f, code);
	if (f->count_max && (r = count(c, f, d, code, &pg->total, err)))
		return r;
	int ids = d == DRV_LIVE && !(store__case_conditions(f, code) & ~store__case_implies(d));
	int ss = ids ? 2 : 1 + 19, dl = ids ? 3 : 1 + 20; /* stage_started, deadline */
	int64_t skip = f->offset > 0 ? f->offset : 0, scanned = 0, last = 0;
	int64_t top = hi < INT64_MAX ? hi + 1 : INT64_MAX; /* the ids below this one */
	int64_t below = f->after > 0 && f->after < top ? f->after : top;
	size_t cap = 0;
	int more = 0, end = 0;
	while (!more && !end) {
		int64_t batch = PAGE_BATCH;
		if (f->scan_max > 0 && f->scan_max - scanned < batch)
			batch = f->scan_max - scanned;
		struct pg_args p = PG_ARGS_INIT;
		PGresult *res;
		arg_filter(&p, f, code, below, batch);
		if ((r = pg__query(c, ids ? sql_live : drivers[d].page, &p, &res, err)))
			return r;
		int rows = PQntuples(res);
		end = rows < batch;
		for (int i = 0; i < rows && !more; i++) {
			if (pg__int(res, i, 1) < lo) {
				end = 1; /* below the creation range: nothing more */
				break;
			}
			last = pg__int(res, i, 1);
			scanned++;
			if (matches(res, i, f, ss, dl)) {
				if (f->limit > 0 && (int64_t)*n == f->limit) {
					more = 1;
					break;
				}
				if (skip) {
					skip--;
				} else {
					struct store_case *x =
					    arena_push(a, (void **)out, n, &cap, sizeof(**out));
					if (!ids)
						read_case_at(res, i, 1, x);
					else if ((r = pg__case_get(s, last, x, err))) {
						PQclear(res);
						return r;
					}
				}
			}
			if (f->scan_max > 0 && scanned >= f->scan_max)
				more = 2; /* not all looked at: go on below the last row examined */
		}
		PQclear(res);
		below = last;
	}
	if (more == 1)
		pg->next = (*out)[*n - 1].id;
	else if (more == 2)
		pg->next = last;
	return GG_OK;
}

int pg__case_overdue(struct store *s, int64_t now, struct arena *a, struct store_case **out,
		     size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " PG_CASE_COLS " FROM gcase WHERE deadline > 0"
				  " AND deadline < $1 AND state IN ('reported', 'filed',"
				  " 'dispatched', 'accepted', 'handled', 'verified') ORDER BY id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_int(&p, now);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), pg__read_case, (void **)out, n, err);
}

int pg__case_recent(struct store *s, const char *category, int64_t since, struct arena *a,
		    struct store_case **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " PG_CASE_COLS " FROM gcase WHERE category = $1"
				  " AND created_at >= $2 AND lon IS NOT NULL"
				  " AND state NOT IN ('rejected', 'merged') ORDER BY id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, category);
	pg__arg_int(&p, since);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), pg__read_case, (void **)out, n, err);
}
