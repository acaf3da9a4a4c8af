/* SPDX-License-Identifier: Apache-2.0 */
/* The category catalog and cases in SQLite. */
#include <string.h>

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

void sq__read_case(sqlite3_stmt *st, void *row)
{
	struct store_case *c = row;
	memset(c, 0, sizeof(*c));
	c->id = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, c->category, sizeof(c->category));
	sq__col_copy(st, 2, c->description, sizeof(c->description));
	c->has_point = sqlite3_column_type(st, 3) != SQLITE_NULL;
	c->lon = sqlite3_column_double(st, 3);
	c->lat = sqlite3_column_double(st, 4);
	sq__col_copy(st, 5, c->address, sizeof(c->address));
	sq__col_copy(st, 6, c->channel, sizeof(c->channel));
	sq__col_copy(st, 7, c->grid, sizeof(c->grid));
	sq__col_copy(st, 8, c->community, sizeof(c->community));
	sq__col_copy(st, 9, c->street, sizeof(c->street));
	c->level = sqlite3_column_int(st, 10);
	c->state = (enum case_state)case_state_parse((const char *)sqlite3_column_text(st, 11));
	sq__col_copy(st, 12, c->department, sizeof(c->department));
	sq__col_copy(st, 13, c->proposed_dept, sizeof(c->proposed_dept));
	c->reporter_id = sqlite3_column_int64(st, 14);
	sq__col_copy(st, 15, c->reporter, sizeof(c->reporter));
	c->merged_into = sqlite3_column_int64(st, 16);
	c->created_at = sqlite3_column_int64(st, 17);
	c->updated_at = sqlite3_column_int64(st, 18);
	c->stage_started = sqlite3_column_int64(st, 19);
	c->deadline = sqlite3_column_int64(st, 20);
	c->ext_pending = sqlite3_column_int(st, 21);
	c->ext_hours = sqlite3_column_int(st, 22);
	c->extended = sqlite3_column_int(st, 23);
	c->reopened = sqlite3_column_int(st, 24);
	sq__col_copy(st, 25, c->rating, sizeof(c->rating));
	c->supervision = sqlite3_column_int(st, 26);
	c->dispatches = sqlite3_column_int(st, 27);
	c->returns = sqlite3_column_int(st, 28);
	c->reworks = sqlite3_column_int(st, 29);
	c->filed_at = sqlite3_column_int64(st, 30);
	c->filed_on_time = sqlite3_column_int(st, 31);
	c->handled_at = sqlite3_column_int64(st, 32);
	c->handled_on_time = sqlite3_column_int(st, 33);
	c->closed_at = sqlite3_column_int64(st, 34);
	c->closed_on_time = sqlite3_column_int(st, 35);
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
	    " handled_at=?20, handled_on_time=?21, closed_at=?22, closed_on_time=?23"
	    " WHERE id=?24";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	bind_mutable(st, c);
	sqlite3_bind_int64(st, 24, c->id);
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
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no case %lld", (long long)id) : r;
	sq__read_case(st, c);
	sq__done(st);
	return GG_OK;
}

/* Subtrees are code ranges: codes extend their ancestors' ("" + ':' covers all digits). */
#define FILTER                                                                                     \
	" WHERE grid >= ?1 AND grid < ?1 || ':'"                                                   \
	" AND (?2 IS NULL OR department = ?2) AND (?3 IS NULL OR state = ?3)"                      \
	" AND (?4 IS NULL OR category = ?4)"                                                       \
	" AND (?5 IS NULL OR (grid >= ?5 AND grid < ?5 || ':'))"                                   \
	" AND (?6 IS NULL OR channel = ?6) AND (?9 = 0 OR merged_into = ?9)"                       \
	" AND (?10 = 0 OR state NOT IN ('closed', 'evaluated', 'rejected', 'merged'))"

static void bind_filter(sqlite3_stmt *st, const struct store_case_filter *f)
{
	sq__bind_text(st, 1, f->scope ? f->scope : "");
	const char *v[] = {f->department, f->state, f->category, f->grid, f->channel};
	for (int i = 0; i < 5; i++)
		if (v[i] && *v[i])
			sq__bind_text(st, i + 2, v[i]);
	sqlite3_bind_int64(st, 9, f->merged_into);
	sqlite3_bind_int(st, 10, f->open_only);
}

int sq__case_list(struct store *s, const struct store_case_filter *f, struct arena *a,
		  struct store_case **out, size_t *n, int64_t *total, struct err *err)
{
	static const char sql_count[] = "SELECT count(*) FROM gcase" FILTER;
	static const char sql[] =
	    "SELECT " CASE_COLS " FROM gcase" FILTER " ORDER BY id DESC LIMIT ?7 OFFSET ?8";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql_count, &st, err);
	if (r)
		return r;
	bind_filter(st, f);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*total = sqlite3_column_int64(st, 0);
	sq__done(st);
	if (rc != SQLITE_ROW)
		return sq__fail(q, rc, err);
	if ((r = sq__prep(q, sql, &st, err)))
		return r;
	bind_filter(st, f);
	sqlite3_bind_int64(st, 7, f->limit > 0 ? f->limit : -1);
	sqlite3_bind_int64(st, 8, f->offset);
	return sq__rows(q, st, a, sizeof(**out), sq__read_case, (void **)out, n, err);
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
