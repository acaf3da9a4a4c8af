/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Corrections of the people and housing data in SQLite: a grid worker's proposal, its
 * listing by grid and state, and the decision that applies it (or not) in one step.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/store_people.h"
#include "store/sqlite/sq_int.h"

int sq__correction_insert(struct store *s, const struct store_correction *c, int64_t *id,
			  struct err *err)
{
	static const char sql[] =
	    "INSERT INTO people_correction(resident_id, house_id, grid_code, kind,"
	    " phone_sealed, phone_mask, name, id_sealed, id_hash, id_mask, gender, birth,"
	    " note, proposed_by, proposed_at) VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)"
	    " RETURNING id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_id_or_null(st, 1, c->resident_id);
	sq__bind_id_or_null(st, 2, c->house_id);
	sq__bind_text(st, 3, c->grid);
	sq__bind_text(st, 4, c->kind);
	sq__bind_text(st, 5, c->phone_sealed);
	sq__bind_text(st, 6, c->phone_mask);
	sq__bind_text(st, 7, c->name);
	sq__bind_text(st, 8, c->id_sealed);
	sq__bind_text(st, 9, c->id_hash);
	sq__bind_text(st, 10, c->id_mask);
	sq__bind_text(st, 11, c->gender);
	sq__bind_text(st, 12, c->birth);
	sq__bind_text(st, 13, c->note);
	sqlite3_bind_int64(st, 14, c->proposed_by);
	sqlite3_bind_int64(st, 15, c->proposed_at);
	return sq__step_id(q, st, id, err);
}

#define COR_COLS                                                                                   \
	"id, coalesce(resident_id,0), coalesce(house_id,0), grid_code, kind, phone_sealed,"        \
	" phone_mask, name, id_sealed, id_hash, id_mask, gender, birth, note, state,"              \
	" proposed_by, proposed_at, coalesce(decided_by,0), coalesce(decided_at,0), decision"

/* (a row reader for sq__rows: row is a struct store_correction) */
static void read_correction(sqlite3_stmt *st, void *row)
{
	struct store_correction *c = row;
	c->id = sqlite3_column_int64(st, 0);
	c->resident_id = sqlite3_column_int64(st, 1);
	c->house_id = sqlite3_column_int64(st, 2);
	sq__col_copy(st, 3, c->grid, sizeof(c->grid));
	sq__col_copy(st, 4, c->kind, sizeof(c->kind));
	sq__col_copy(st, 5, c->phone_sealed, sizeof(c->phone_sealed));
	sq__col_copy(st, 6, c->phone_mask, sizeof(c->phone_mask));
	sq__col_copy(st, 7, c->name, sizeof(c->name));
	sq__col_copy(st, 8, c->id_sealed, sizeof(c->id_sealed));
	sq__col_copy(st, 9, c->id_hash, sizeof(c->id_hash));
	sq__col_copy(st, 10, c->id_mask, sizeof(c->id_mask));
	sq__col_copy(st, 11, c->gender, sizeof(c->gender));
	sq__col_copy(st, 12, c->birth, sizeof(c->birth));
	sq__col_copy(st, 13, c->note, sizeof(c->note));
	sq__col_copy(st, 14, c->state, sizeof(c->state));
	c->proposed_by = sqlite3_column_int64(st, 15);
	c->proposed_at = sqlite3_column_int64(st, 16);
	c->decided_by = sqlite3_column_int64(st, 17);
	c->decided_at = sqlite3_column_int64(st, 18);
	sq__col_copy(st, 19, c->decision, sizeof(c->decision));
}

int sq__correction_get(struct store *s, int64_t id, struct store_correction *c, struct err *err)
{
	static const char sql[] = "SELECT " COR_COLS " FROM people_correction WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no correction %lld", (long long)id)
			   : r;
	read_correction(st, c);
	sq__done(st);
	return GG_OK;
}

int sq__correction_list(struct store *s, const char *under, const char *state, struct arena *a,
			struct store_correction **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " COR_COLS " FROM people_correction WHERE " SQ_UNDER(
	    "grid_code") " AND (?2 = '' OR state = ?2) ORDER BY id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	sq__bind_text(st, 2, state ? state : "");
	return sq__rows(q, st, a, sizeof(**out), read_correction, (void **)out, n, err);
}

static int apply(struct sq *q, const struct store_correction *c, struct err *err)
{
	static const char status[] = "UPDATE resident SET status=?2, living=0 WHERE id=?1";
	static const char phone[] =
	    "UPDATE resident SET phone_sealed=?2, phone_mask=?3 WHERE id=?1";
	static const char tenant_house[] = "UPDATE house SET use='出租' WHERE id=?";
	sqlite3_stmt *st;
	int r;
	if (!strcmp(c->kind, "moved_out") || !strcmp(c->kind, "died")) {
		if ((r = sq__prep(q, status, &st, err)))
			return r;
		sqlite3_bind_int64(st, 1, c->resident_id);
		sq__bind_text(st, 2, c->kind);
		return sq__step_done(q, st, err);
	}
	if (!strcmp(c->kind, "new_phone")) {
		if ((r = sq__prep(q, phone, &st, err)))
			return r;
		sqlite3_bind_int64(st, 1, c->resident_id);
		sq__bind_text(st, 2, c->phone_sealed);
		sq__bind_text(st, 3, c->phone_mask);
		return sq__step_done(q, st, err);
	}
	/* new_tenant: a household of their own in the house, which is now rented */
	struct store_household hh = {.house_id = c->house_id};
	snprintf(hh.ref, sizeof(hh.ref), "C%lld", (long long)c->id);
	snprintf(hh.grid, sizeof(hh.grid), "%s", c->grid);
	int64_t hid;
	if ((r = sq__household_put(&q->base, &hh, &hid, err)))
		return r;
	struct store_resident p = {.household_id = hid,
				   .house_id = c->house_id,
				   .id_valid = 1,
				   .registered = 0,
				   .living = 1};
	snprintf(p.grid, sizeof(p.grid), "%s", c->grid);
	snprintf(p.name, sizeof(p.name), "%s", c->name);
	snprintf(p.id_sealed, sizeof(p.id_sealed), "%s", c->id_sealed);
	snprintf(p.id_hash, sizeof(p.id_hash), "%s", c->id_hash);
	snprintf(p.id_mask, sizeof(p.id_mask), "%s", c->id_mask);
	snprintf(p.gender, sizeof(p.gender), "%s", c->gender);
	snprintf(p.birth, sizeof(p.birth), "%s", c->birth);
	snprintf(p.phone_sealed, sizeof(p.phone_sealed), "%s", c->phone_sealed);
	snprintf(p.phone_mask, sizeof(p.phone_mask), "%s", c->phone_mask);
	snprintf(p.relation, sizeof(p.relation), "户主");
	snprintf(p.tags, sizeof(p.tags), "租户");
	if ((r = sq__resident_insert(&q->base, &p, NULL, err)))
		return r;
	if ((r = sq__prep(q, tenant_house, &st, err)))
		return r;
	sqlite3_bind_int64(st, 1, c->house_id);
	return sq__step_done(q, st, err);
}

int sq__correction_decide(struct store *s, int64_t id, int approve, int64_t by, int64_t at,
			  const char *decision, struct err *err)
{
	static const char sql[] =
	    "UPDATE people_correction SET state=?2, decided_by=?3, decided_at=?4,"
	    " decision=?5 WHERE id=?1 AND state='proposed'";
	struct sq *q = sq_of(s);
	struct store_correction c;
	int r = sq__correction_get(s, id, &c, err);
	if (r)
		return r;
	if (strcmp(c.state, "proposed"))
		return err_set(err, GG_ESTATE, "correction %lld is already %s", (long long)id,
			       c.state);
	sqlite3_stmt *st;
	if ((r = sq__prep(q, sql, &st, err)))
		return r;
	sqlite3_bind_int64(st, 1, id);
	sq__bind_text(st, 2, approve ? "approved" : "rejected");
	sqlite3_bind_int64(st, 3, by);
	sqlite3_bind_int64(st, 4, at);
	sq__bind_text(st, 5, decision);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (!approve)
		return GG_OK;
	if ((r = apply(q, &c, err)))
		return r;
	return sq__people_recount(s, err);
}
