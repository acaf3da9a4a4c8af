/* SPDX-License-Identifier: Apache-2.0 */
/* The category catalog and cases in SQLite. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "store/case_plan.h"
#include "store/sqlite/sq_int.h"

#define CAT_COLS                                                                                   \
	"code, kind, major_code, major_name, major_name_en, minor_code, minor_name,"               \
	" minor_name_en, name, name_en, coalesce(department,''), limit_general_h,"                 \
	" limit_engineering_h, limit_special_h, verify_min, urgency"

/* (a row reader for sq__rows: row is a struct store_category) */
static void read_category(sqlite3_stmt *st, void *row)
{
	struct store_category *c = row;
	sq__col_copy(st, 0, c->code, sizeof(c->code));
	sq__col_copy(st, 1, c->kind, sizeof(c->kind));
	sq__col_copy(st, 2, c->major_code, sizeof(c->major_code));
	sq__col_copy(st, 3, c->major_name, sizeof(c->major_name));
	sq__col_copy(st, 4, c->major_name_en, sizeof(c->major_name_en));
	sq__col_copy(st, 5, c->minor_code, sizeof(c->minor_code));
	sq__col_copy(st, 6, c->minor_name, sizeof(c->minor_name));
	sq__col_copy(st, 7, c->minor_name_en, sizeof(c->minor_name_en));
	sq__col_copy(st, 8, c->name, sizeof(c->name));
	sq__col_copy(st, 9, c->name_en, sizeof(c->name_en));
	sq__col_copy(st, 10, c->department, sizeof(c->department));
	c->limit_general_h = sqlite3_column_int(st, 11);
	c->limit_engineering_h = sqlite3_column_int(st, 12);
	c->limit_special_h = sqlite3_column_int(st, 13);
	c->verify_min = sqlite3_column_int(st, 14);
	sq__col_copy(st, 15, c->urgency, sizeof(c->urgency));
}

int sq__category_put(struct store *s, const struct store_category *c, struct err *err)
{
	static const char sql[] =
	    "INSERT OR REPLACE INTO category(code, kind, major_code, major_name, major_name_en,"
	    " minor_code, minor_name, minor_name_en, name, name_en, department,"
	    " limit_general_h, limit_engineering_h, limit_special_h, verify_min, urgency)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	const char *txt[] = {c->code,	       c->kind,	      c->major_code, c->major_name,
			     c->major_name_en, c->minor_code, c->minor_name, c->minor_name_en,
			     c->name,	       c->name_en};
	for (int i = 0; i < 10; i++)
		sq__bind_text(st, i + 1, txt[i]);
	sq__bind_text_or_null(st, 11, c->department);
	sqlite3_bind_int(st, 12, c->limit_general_h);
	sqlite3_bind_int(st, 13, c->limit_engineering_h);
	sqlite3_bind_int(st, 14, c->limit_special_h);
	sqlite3_bind_int(st, 15, c->verify_min);
	sq__bind_text(st, 16, c->urgency[0] ? c->urgency : "normal");
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc == SQLITE_DONE)
		return GG_OK;
	r = sq__fail(q, rc, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_EFIELD,
			       "category %s: unknown department '%s' or limits not positive and"
			       " ordered general <= engineering <= special",
			       c->code, c->department);
	return r;
}

int sq__category_get(struct store *s, const char *code, struct store_category *c, struct err *err)
{
	static const char sql[] = "SELECT " CAT_COLS " FROM category WHERE code=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, code);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no category %s", code) : r;
	read_category(st, c);
	sq__done(st);
	return GG_OK;
}

int sq__category_list(struct store *s, struct arena *a, struct store_category **out, size_t *n,
		      struct err *err)
{
	static const char sql[] = "SELECT " CAT_COLS " FROM category ORDER BY code";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	return sq__rows(q, st, a, sizeof(**out), read_category, (void **)out, n, err);
}

/* ---- cases -------------------------------------------------------------------------- */

/* Reads CASE_COLS from column k on into c. */
static void read_case_at(sqlite3_stmt *st, int k, struct store_case *c)
{
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, k + 0);
	sq__col_copy(st, k + 1, c->category, sizeof(c->category));
	sq__col_copy(st, k + 2, c->description, sizeof(c->description));
	c->has_point = sqlite3_column_type(st, k + 3) != SQLITE_NULL;
	c->lon = sqlite3_column_double(st, k + 3);
	c->lat = sqlite3_column_double(st, k + 4);
	sq__col_copy(st, k + 5, c->address, sizeof(c->address));
	sq__col_copy(st, k + 6, c->channel, sizeof(c->channel));
	sq__col_copy(st, k + 7, c->grid, sizeof(c->grid));
	sq__col_copy(st, k + 8, c->community, sizeof(c->community));
	sq__col_copy(st, k + 9, c->street, sizeof(c->street));
	c->level = sqlite3_column_int(st, k + 10);
	c->state = (enum case_state)case_state_parse((const char *)sqlite3_column_text(st, k + 11));
	sq__col_copy(st, k + 12, c->department, sizeof(c->department));
	sq__col_copy(st, k + 13, c->proposed_dept, sizeof(c->proposed_dept));
	c->reporter_id = sqlite3_column_int64(st, k + 14);
	sq__col_copy(st, k + 15, c->reporter, sizeof(c->reporter));
	c->merged_into = sqlite3_column_int64(st, k + 16);
	c->created_at = sqlite3_column_int64(st, k + 17);
	c->updated_at = sqlite3_column_int64(st, k + 18);
	c->stage_started = sqlite3_column_int64(st, k + 19);
	c->deadline = sqlite3_column_int64(st, k + 20);
	c->ext_pending = sqlite3_column_int(st, k + 21);
	c->ext_hours = sqlite3_column_int(st, k + 22);
	c->extended = sqlite3_column_int(st, k + 23);
	c->reopened = sqlite3_column_int(st, k + 24);
	sq__col_copy(st, k + 25, c->rating, sizeof(c->rating));
	c->supervision = sqlite3_column_int(st, k + 26);
	c->dispatches = sqlite3_column_int(st, k + 27);
	c->returns = sqlite3_column_int(st, k + 28);
	c->reworks = sqlite3_column_int(st, k + 29);
	c->filed_at = sqlite3_column_int64(st, k + 30);
	c->filed_on_time = sqlite3_column_int(st, k + 31);
	c->handled_at = sqlite3_column_int64(st, k + 32);
	c->handled_on_time = sqlite3_column_int(st, k + 33);
	c->closed_at = sqlite3_column_int64(st, k + 34);
	c->closed_on_time = sqlite3_column_int(st, k + 35);
}

/* (a row reader for sq__rows: row is a struct store_case) */
void sq__read_case(sqlite3_stmt *st, void *row)
{
	read_case_at(st, 0, row);
}

/* Binds the mutable fields from index 1 on (the order of the SET list below). */
static void bind_mutable(sqlite3_stmt *st, const struct store_case *c)
{
	sqlite3_bind_int(st, 1, c->level);
	sq__bind_text(st, 2, case_state_name(c->state));
	sq__bind_text_or_null(st, 3, c->department);
	sq__bind_text_or_null(st, 4, c->proposed_dept);
	if (c->merged_into)
		sqlite3_bind_int64(st, 5, c->merged_into);
	else
		sqlite3_bind_null(st, 5);
	sqlite3_bind_int64(st, 6, c->updated_at);
	sqlite3_bind_int64(st, 7, c->stage_started);
	sqlite3_bind_int64(st, 8, c->deadline);
	sqlite3_bind_int(st, 9, c->ext_pending);
	sqlite3_bind_int(st, 10, c->ext_hours);
	sqlite3_bind_int(st, 11, c->extended);
	sqlite3_bind_int(st, 12, c->reopened);
	sq__bind_text(st, 13, c->rating);
	sqlite3_bind_int(st, 14, c->supervision);
	sqlite3_bind_int(st, 15, c->dispatches);
	sqlite3_bind_int(st, 16, c->returns);
	sqlite3_bind_int(st, 17, c->reworks);
	sqlite3_bind_int64(st, 18, c->filed_at);
	sqlite3_bind_int(st, 19, c->filed_on_time);
	sqlite3_bind_int64(st, 20, c->handled_at);
	sqlite3_bind_int(st, 21, c->handled_on_time);
	sqlite3_bind_int64(st, 22, c->closed_at);
	sqlite3_bind_int(st, 23, c->closed_on_time);
}

int sq__case_insert(struct store *s, struct store_case *c, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO gcase(level, state, department, proposed_dept, merged_into,"
	    " updated_at, stage_started, deadline, ext_pending, ext_hours, extended, reopened,"
	    " rating, supervision, dispatches, returns, reworks, filed_at, filed_on_time,"
	    " handled_at, handled_on_time, closed_at, closed_on_time,"
	    " category, description, lon, lat, address, channel, grid, community, street,"
	    " reporter_id, reporter, created_at)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	bind_mutable(st, c);
	sq__bind_text(st, 24, c->category);
	sq__bind_text(st, 25, c->description);
	if (c->has_point) {
		sqlite3_bind_double(st, 26, c->lon);
		sqlite3_bind_double(st, 27, c->lat);
	}
	sq__bind_text(st, 28, c->address);
	sq__bind_text(st, 29, c->channel);
	sq__bind_text(st, 30, c->grid);
	sq__bind_text(st, 31, c->community);
	sq__bind_text(st, 32, c->street);
	sqlite3_bind_int64(st, 33, c->reporter_id);
	sq__bind_text(st, 34, c->reporter);
	sqlite3_bind_int64(st, 35, c->created_at);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	c->id = sqlite3_last_insert_rowid(q->db);
	return GG_OK;
}

int sq__case_update(struct store *s, const struct store_case *c, struct err *err)
{
	static const char sql[] =
	    "UPDATE gcase SET level=?1, state=?2, department=?3, proposed_dept=?4,"
	    " merged_into=?5, updated_at=?6, stage_started=?7, deadline=?8, ext_pending=?9,"
	    " ext_hours=?10, extended=?11, reopened=?12, rating=?13, supervision=?14,"
	    " dispatches=?15, returns=?16, reworks=?17, filed_at=?18, filed_on_time=?19,"
	    " handled_at=?20, handled_on_time=?21, closed_at=?22, closed_on_time=?23,"
	    " category=?25 WHERE id=?24";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	bind_mutable(st, c);
	sqlite3_bind_int64(st, 24, c->id);
	sq__bind_text(st, 25, c->category);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ENOTFOUND, "no case %lld", (long long)c->id);
	return GG_OK;
}

int sq__case_get(struct store *s, int64_t id, struct store_case *c, struct err *err)
{
	static const char sql[] = "SELECT " CASE_COLS " FROM gcase WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no case %lld", (long long)id)
					 : r;
	sq__read_case(st, c);
	sq__done(st);
	return GG_OK;
}

/*
 * The case list. Each query is driven by one index, chosen in C for the rarest condition
 * (store__case_driver, src/store/case_plan.c, shared with the PostgreSQL backend)
 * of the filter (SQLite, without statistics, cannot know which is rare), named with
 * INDEXED BY so the plan cannot drift; tests/unit/store/test_case_plan.c checks every
 * plan. The driver walks its index newest first below ?11 (the `after` of keyset
 * paging); every condition of the filter is then tested on the row as the column `ok`,
 * so a driver only narrows, and a page stops after scan_max rows of it.
 *
 * The total: when the driver's condition is the filter's only one, an index alone
 * answers it (the tally, at ~0.05 µs a row); otherwise each case must be read (the
 * count, ~2 µs a row), so it examines at most count_max / COUNT_READ_COST rows.
 *
 * Parameters: ?1 the grid subtree (the narrower of scope and grid), ?2 department,
 * ?3 state, ?4 category, ?6 channel, ?9 merged_into, ?10 open only, ?11 ids below,
 * ?12/?13 the deadline range (?13 = 0: none), ?14 the count's bound, ?15 the case
 * number, ?16 the caller's phone hash, ?17/?18 words of the description/address,
 * ?19/?20 the creation range [from, to) (0: unbounded).
 *
 * The words are tests of the row only (no index finds a substring): a page of them
 * examines at most scan_max rows of its driver. A creation range is turned into the ids
 * created in it by two seeks of gcase_by_created (ids are given in the order cases are
 * created), so the driver walks only those; the row's created_at is tested as well.
 */
#define OPEN_STATES "state NOT IN ('closed', 'evaluated', 'rejected', 'merged')"
/* the same set, as the states it holds (the state index answers it alone) */
#define OPEN_STATES_IN                                                                             \
	"state IN ('reported', 'filed', 'dispatched', 'accepted', 'handled', 'verified',"          \
	" 'suspended')"
/* the cases of a caller's phone (its keyed hash; the partial index's own condition too) */
#define BY_PHONE                                                                                   \
	"(SELECT case_id FROM citizen_report INDEXED BY citizen_report_by_phone"                   \
	" WHERE phone_hash = ?16 AND phone_hash <> '' UNION ALL SELECT case_id FROM hotline_order" \
	" INDEXED BY hotline_order_by_phone WHERE phone_hash = ?16 AND phone_hash <> '')"
#define MATCH                                                                                      \
	SQ_UNDER("grid")                                                                           \
	" AND (?2 IS NULL OR department = ?2) AND (?3 IS NULL OR state = ?3)"                      \
	" AND (?4 IS NULL OR category = ?4) AND (?6 IS NULL OR channel = ?6)"                      \
	" AND (?9 = 0 OR merged_into = ?9) AND (?10 = 0 OR " OPEN_STATES ")"                       \
	" AND (?13 = 0 OR (deadline > 0 AND deadline >= ?12 AND deadline <= ?13))"                 \
	" AND (?15 = 0 OR id = ?15) AND (?16 IS NULL OR id IN " BY_PHONE ")"                       \
	" AND (?17 IS NULL OR instr(description, ?17) > 0)"                                        \
	" AND (?18 IS NULL OR instr(address, ?18) > 0)"                                            \
	" AND (?19 = 0 OR created_at >= ?19) AND (?20 = 0 OR created_at < ?20)"
#define PAGE_SQL(from)	"SELECT " MATCH ", " CASE_COLS " FROM gcase " from " ORDER BY id DESC"
#define COUNT_SQL(from) "SELECT " MATCH ", stage_started, deadline FROM gcase " from " LIMIT ?14"
#define TALLY_SQL(from) "SELECT 1, 0, 0 FROM gcase " from " LIMIT ?14"
#define SUBTREE		"INDEXED BY gcase_by_grid WHERE " SQ_UNDER("grid")
#define DRIVER(from, tally)                                                                        \
	{                                                                                          \
		PAGE_SQL(from), COUNT_SQL(from), tally                                             \
	}

static const struct {
	const char *page, *count, *tally;
} drivers[DRV_COUNT] = {
    [DRV_ID] = DRIVER("NOT INDEXED WHERE id < ?11", TALLY_SQL("NOT INDEXED WHERE id < ?11")),
    /* the rowid, which NOT INDEXED still seeks */
    [DRV_ONE] =
	DRIVER("NOT INDEXED WHERE id = ?15 AND id < ?11", TALLY_SQL("NOT INDEXED WHERE id = ?15")),
    [DRV_PHONE] = DRIVER("NOT INDEXED WHERE id IN " BY_PHONE " AND id < ?11",
			 TALLY_SQL("NOT INDEXED WHERE id IN " BY_PHONE)),
    [DRV_MERGED] = DRIVER("INDEXED BY gcase_merged WHERE merged_into = ?9 AND id < ?11",
			  TALLY_SQL("INDEXED BY gcase_merged WHERE merged_into = ?9")),
    /* the open cases of a subtree, sorted: what a grid worker's phone lists */
    [DRV_OPEN_SUBTREE] = DRIVER(
	"INDEXED BY gcase_open_by_grid WHERE " OPEN_STATES " AND " SQ_UNDER("grid") " AND id < ?11",
	TALLY_SQL("INDEXED BY gcase_open_by_grid WHERE " OPEN_STATES " AND " SQ_UNDER("grid"))),
    /* below a grid: micro-grids and buildings, a handful of cases sorted */
    [DRV_SUBGRID] = DRIVER(SUBTREE " AND id < ?11", TALLY_SQL(SUBTREE)),
    [DRV_GRID] = DRIVER("INDEXED BY gcase_by_grid15 WHERE substr(grid, 1, 15) = ?1 AND id < ?11",
			TALLY_SQL(SUBTREE)),
    [DRV_CATEGORY] = DRIVER("INDEXED BY gcase_by_category_id WHERE category = ?4 AND id < ?11",
			    TALLY_SQL("INDEXED BY gcase_by_category_id WHERE category = ?4")),
    [DRV_COMMUNITY] = DRIVER("INDEXED BY gcase_by_community WHERE community = ?1 AND id < ?11",
			     TALLY_SQL(SUBTREE)),
    /* the light's test in C reads the stage from the index too */
    [DRV_LIVE] = DRIVER("INDEXED BY gcase_live WHERE deadline > 0 AND deadline >= ?12"
			" AND deadline <= ?13 AND id < ?11",
			"SELECT 1, stage_started, deadline FROM gcase INDEXED BY gcase_live"
			" WHERE deadline > 0 AND deadline >= ?12 AND deadline <= ?13 AND id < ?11"
			" LIMIT ?14"),
    [DRV_OPEN] = DRIVER("INDEXED BY gcase_open WHERE " OPEN_STATES " AND id < ?11",
			TALLY_SQL("INDEXED BY gcase_by_state_id WHERE " OPEN_STATES_IN)),
    [DRV_DEPARTMENT] = DRIVER("INDEXED BY gcase_by_dept WHERE department = ?2 AND id < ?11",
			      TALLY_SQL("INDEXED BY gcase_by_dept WHERE department = ?2")),
    [DRV_STREET] =
	DRIVER("INDEXED BY gcase_by_street WHERE street = ?1 AND id < ?11", TALLY_SQL(SUBTREE)),
    [DRV_STATE] = DRIVER("INDEXED BY gcase_by_state_id WHERE state = ?3 AND id < ?11",
			 TALLY_SQL("INDEXED BY gcase_by_state_id WHERE state = ?3")),
    [DRV_CHANNEL] = DRIVER("INDEXED BY gcase_by_channel WHERE channel = ?6 AND id < ?11",
			   TALLY_SQL("INDEXED BY gcase_by_channel WHERE channel = ?6")),
};

/* One grid code (min or max) of all cases into out ("" when there are none). */
static int grid_bound(struct sq *q, const char *sql, char *out, size_t size, struct err *err)
{
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	int rc = sqlite3_step(st);
	out[0] = 0;
	if (rc == SQLITE_ROW)
		sq__col_copy(st, 0, out, size);
	sq__done(st);
	return rc == SQLITE_ROW ? GG_OK : sq__fail(q, rc, err);
}

/*
 * The grid subtree of f into code (the narrower of scope and grid), "" when it holds
 * every case (one district's database and its district: two seeks of the grid index
 * spare reading each case to test it); *none when scope and grid are disjoint.
 */
static int subtree(struct sq *q, const struct store_case_filter *f, char *code, size_t size,
		   int *none, struct err *err)
{
	static const char sql_min[] = "SELECT min(grid) FROM gcase";
	static const char sql_max[] = "SELECT max(grid) FROM gcase";
	const char *scope = f->scope ? f->scope : "", *grid = store__given(f->grid) ? f->grid : "";
	size_t ls = strlen(scope), lg = strlen(grid);
	*none = lg >= ls ? strncmp(grid, scope, ls) != 0 : strncmp(scope, grid, lg) != 0;
	snprintf(code, size, "%s", lg >= ls ? grid : scope);
	if (*none || !code[0])
		return GG_OK;
	char lo[GRID_CODE_MAX], hi[GRID_CODE_MAX];
	int r;
	if ((r = grid_bound(q, sql_min, lo, sizeof(lo), err)) ||
	    (r = grid_bound(q, sql_max, hi, sizeof(hi), err)))
		return r;
	size_t n = strlen(code);
	if (lo[0] && !strncmp(lo, code, n) && !strncmp(hi, code, n))
		code[0] = 0;
	return GG_OK;
}

static void bind_filter(sqlite3_stmt *st, const struct store_case_filter *f, const char *code,
			int64_t below)
{
	sq__bind_text(st, 1, code);
	const char *v[] = {f->department, f->state, f->category};
	for (int i = 0; i < 3; i++)
		if (store__given(v[i]))
			sq__bind_text(st, i + 2, v[i]);
	if (store__given(f->channel))
		sq__bind_text(st, 6, f->channel);
	sqlite3_bind_int64(st, 9, f->merged_into);
	sqlite3_bind_int(st, 10, f->open_only);
	sqlite3_bind_int64(st, 11, below);
	sqlite3_bind_int64(st, 12, f->due_from);
	sqlite3_bind_int64(st, 13, f->due_to);
	sqlite3_bind_int64(st, 15, f->id);
	const char *w[] = {f->phone_hash, f->keyword, f->address};
	for (int i = 0; i < 3; i++)
		if (store__given(w[i]))
			sq__bind_text(st, 16 + i, w[i]);
	sqlite3_bind_int64(st, 19, f->created_from);
	sqlite3_bind_int64(st, 20, f->created_to);
}

/*
 * The ids of the cases created in f's range: [*lo, *hi] (0, INT64_MAX without a range);
 * *none when no case was created in it. Two seeks of gcase_by_created.
 */
static int created_ids(struct sq *q, const struct store_case_filter *f, int64_t *lo, int64_t *hi,
		       int *none, struct err *err)
{
	static const char sql_lo[] = "SELECT id FROM gcase INDEXED BY gcase_by_created"
				     " WHERE created_at >= ?1 ORDER BY created_at, id LIMIT 1";
	static const char sql_hi[] =
	    "SELECT id FROM gcase INDEXED BY gcase_by_created"
	    " WHERE created_at < ?1 ORDER BY created_at DESC, id DESC LIMIT 1";
	*lo = 0;
	*hi = INT64_MAX;
	*none = 0;
	for (int side = 0; side < 2 && !*none; side++) {
		int64_t at = side ? f->created_to : f->created_from;
		if (!at)
			continue;
		sqlite3_stmt *st;
		int r = sq__prep(q, side ? sql_hi : sql_lo, &st, err);
		if (r)
			return r;
		sqlite3_bind_int64(st, 1, at);
		if ((r = sq__step_row(q, st, err)) == GG_ENOTFOUND) {
			*none = 1;
			continue;
		}
		if (r)
			return r;
		*(side ? hi : lo) = sqlite3_column_int64(st, 0);
		sq__done(st);
	}
	if (*lo > *hi)
		*none = 1;
	return GG_OK;
}

/* Whether the row st is at (ok in column 0; stage_started, deadline at ss, dl) matches. */
static int matches(sqlite3_stmt *st, const struct store_case_filter *f, int ss, int dl)
{
	if (!sqlite3_column_int(st, 0))
		return 0;
	return !f->keep ||
	       f->keep(sqlite3_column_int64(st, ss), sqlite3_column_int64(st, dl), f->keep_arg);
}

/* The matches of f without paging, or -1 when counting them would cost too much. */
static int count(struct sq *q, const struct store_case_filter *f, enum driver d, const char *code,
		 int64_t below, int64_t *total, struct err *err)
{
	int tally = !(store__case_conditions(f, code) & ~store__case_implies(d));
	int64_t max =
	    tally || f->count_max == INT64_MAX ? f->count_max : f->count_max / COUNT_READ_COST;
	sqlite3_stmt *st;
	int r = sq__prep(q, tally ? drivers[d].tally : drivers[d].count, &st, err), rc;
	if (r)
		return r;
	bind_filter(st, f, code, below);
	sqlite3_bind_int64(st, 14, max < INT64_MAX ? max + 1 : -1);
	int64_t rows = 0, hits = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		rows++;
		hits += matches(st, f, 1, 2);
	}
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*total = rows > max ? -1 : hits;
	return GG_OK;
}

int sq__case_page(struct store *s, const struct store_case_filter *f, struct arena *a,
		  struct store_case **out, size_t *n, struct store_case_page *pg, struct err *err)
{
	/*
	 * light= alone: the live index holds what the light needs, so only the cases that
	 * show it are read (by id), not every stage looked at
	 */
	static const char sql_live[] = "SELECT 1, id, stage_started, deadline FROM gcase"
				       " INDEXED BY gcase_live WHERE deadline > 0"
				       " AND deadline >= ?12 AND deadline <= ?13 AND id < ?11"
				       " ORDER BY id DESC";
	struct sq *q = sq_of(s);
	char code[GRID_CODE_MAX];
	*out = NULL;
	*n = 0;
	pg->total = f->count_max ? 0 : -1;
	pg->next = 0;
	int none, r;
	if ((r = subtree(q, f, code, sizeof(code), &none, err)))
		return r;
	if (none || (f->due_to && f->due_to < f->due_from))
		return GG_OK;
	int64_t lo, hi;
	if ((r = created_ids(q, f, &lo, &hi, &none, err)))
		return r;
	if (none)
		return GG_OK;
	int64_t top = hi < INT64_MAX ? hi + 1 : INT64_MAX; /* the ids below this one */
	enum driver d = store__case_driver(f, code);
	if (f->count_max && (r = count(q, f, d, code, top, &pg->total, err)))
		return r;
	int ids = d == DRV_LIVE && !(store__case_conditions(f, code) & ~store__case_implies(d));
	int ss = ids ? 2 : 1 + 19, dl = ids ? 3 : 1 + 20; /* stage_started, deadline */
	sqlite3_stmt *st;
	if ((r = sq__prep(q, ids ? sql_live : drivers[d].page, &st, err)))
		return r;
	bind_filter(st, f, code, f->after > 0 && f->after < top ? f->after : top);
	/* the page's rows, then one more match to know whether a next page exists */
	int64_t skip = f->offset > 0 ? f->offset : 0, scanned = 0, last = 0;
	size_t cap = 0;
	int rc, more = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (sqlite3_column_int64(st, 1) < lo) {
			rc = SQLITE_DONE; /* below the creation range: nothing more */
			break;
		}
		last = sqlite3_column_int64(st, 1);
		scanned++;
		if (matches(st, f, ss, dl)) {
			if (f->limit > 0 && (int64_t)*n == f->limit) {
				more = 1;
				break;
			}
			if (skip) {
				skip--;
			} else {
				struct store_case *c =
				    arena_push(a, (void **)out, n, &cap, sizeof(**out));
				if (!ids)
					read_case_at(st, 1, c);
				else if ((r = sq__case_get(s, last, c, err))) {
					sq__done(st);
					return r;
				}
			}
		}
		if (f->scan_max > 0 && scanned >= f->scan_max) {
			/* not all looked at: go on below the last row examined */
			more = 2;
			break;
		}
	}
	sq__done(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	if (more == 1)
		pg->next = (*out)[*n - 1].id;
	else if (more == 2)
		pg->next = last;
	return GG_OK;
}

int sq__case_overdue(struct store *s, int64_t now, struct arena *a, struct store_case **out,
		     size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " CASE_COLS " FROM gcase WHERE deadline > 0"
				  " AND deadline < ? AND state IN ('reported', 'filed',"
				  " 'dispatched', 'accepted', 'handled', 'verified') ORDER BY id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, now);
	return sq__rows(q, st, a, sizeof(**out), sq__read_case, (void **)out, n, err);
}

int sq__case_recent(struct store *s, const char *category, int64_t since, struct arena *a,
		    struct store_case **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " CASE_COLS " FROM gcase WHERE category=?"
				  " AND created_at >= ? AND lon IS NOT NULL"
				  " AND state NOT IN ('rejected', 'merged') ORDER BY id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, category);
	sqlite3_bind_int64(st, 2, since);
	return sq__rows(q, st, a, sizeof(**out), sq__read_case, (void **)out, n, err);
}
