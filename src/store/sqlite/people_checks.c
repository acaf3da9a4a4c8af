/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The quality checks of the people and housing data in SQLite (store_people_faults):
 * one query per kind of fault, each over the grid range "under X", listed by grid.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/store_people.h"
#include "store/sqlite/sq_int.h"

static const char *const fault_names[PF_COUNT] = {
    [PF_RESIDENT_NO_HOUSE] = "resident_without_house",
    [PF_HOUSE_NO_BUILDING] = "house_without_building",
    [PF_BUILDING_OUTSIDE_GRID] = "building_outside_grid",
    [PF_DUPLICATE_ID] = "duplicate_id_number",
    [PF_INVALID_ID] = "invalid_id_number",
    [PF_GRID_HOUSEHOLDS] = "grid_household_count",
    [PF_GRID_NO_WORKER] = "grid_without_worker",
};

const char *store_people_fault_name(enum people_fault f)
{
	return f >= 0 && f < PF_COUNT ? fault_names[f] : "unknown";
}

int sq__people_faults(struct store *s, const char *under, int hh_min, int hh_max, struct arena *a,
		      struct store_people_fault **out, size_t *n, struct err *err)
{
	/* One statement per kind, each row (kind, grid, id, what, value). */
	static const char q_nohouse[] =
	    "SELECT 0, grid_code, id, name, 0 FROM resident WHERE house_id IS NULL"
	    " AND status='active' AND " SQ_UNDER("grid_code") " ORDER BY grid_code, id";
	static const char q_nobuilding[] =
	    "SELECT 1, grid_code, id, unit || '-' || number, 0 FROM house"
	    " WHERE building_id IS NULL AND " SQ_UNDER("grid_code") " ORDER BY grid_code, id";
	static const char q_dup[] =
	    "SELECT 3, r.grid_code, r.id, r.name, d.n FROM resident r JOIN"
	    " (SELECT id_hash, count(*) n FROM resident WHERE status='active'"
	    "  GROUP BY id_hash HAVING count(*) > 1) d ON d.id_hash=r.id_hash"
	    " WHERE r.status='active' AND " SQ_UNDER("r.grid_code") " ORDER BY r.grid_code, r.id";
	static const char q_invalid[] =
	    "SELECT 4, grid_code, id, name, 0 FROM resident WHERE id_valid=0"
	    " AND status='active' AND " SQ_UNDER("grid_code") " ORDER BY grid_code, id";
	static const char q_hh[] =
	    "SELECT 5, code, 0, name, households FROM grid WHERE level=4 AND " SQ_UNDER(
		"code") " AND (households < ?2 OR households > ?3) ORDER BY code";
	static const char q_noworker[] =
	    "SELECT 6, code, 0, name, 0 FROM grid g WHERE level=4 AND " SQ_UNDER(
		"code") " AND NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_code=g.code"
			"  AND s.role='dedicated') ORDER BY code";
	static const char *const queries[] = {q_nohouse, q_nobuilding, q_dup,
					      q_invalid, q_hh,	       q_noworker};
	struct sq *q = sq_of(s);
	size_t len = 0, cap = 0;
	struct store_people_fault *v = NULL;
	for (size_t k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
		sqlite3_stmt *st;
		int r = sq__prep(q, queries[k], &st, err), rc;
		if (r)
			return r;
		sq__bind_text(st, 1, under);
		if (queries[k] == q_hh) {
			sqlite3_bind_int(st, 2, hh_min);
			sqlite3_bind_int(st, 3, hh_max);
		}
		while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			struct store_people_fault *f =
			    arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
			f->kind = (enum people_fault)sqlite3_column_int(st, 0);
			sq__col_copy(st, 1, f->grid, sizeof(f->grid));
			f->id = sqlite3_column_int64(st, 2);
			sq__col_copy(st, 3, f->what, sizeof(f->what));
			f->value = sqlite3_column_int64(st, 4);
		}
		sq__done(st);
		if (rc != SQLITE_DONE)
			return sq__fail(q, rc, err);
	}
	*out = v;
	*n = len;
	return GG_OK;
}

