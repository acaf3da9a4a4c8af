/* SPDX-License-Identifier: Apache-2.0 */
/*
 * People and housing 人房 in PostgreSQL (as src/store/sqlite/people.c, people_checks.c and
 * people_corrections.c): buildings, houses, households, residents, the recount, the trail
 * of unmasked reads, the quality checks and the corrections proposed from visits.
 *
 * The bulk import keeps its indexes here (people_bulk drops none): the server maintains
 * them well enough, and dropping them would take an exclusive lock on the tables for the
 * whole load. Long reads go in keyset batches so that memory stays flat.
 */
#include <stdio.h>
#include <string.h>

#include "gridgov/store_people.h"
#include "store/pg/pg_int.h"

int pg__building_put(struct store *s, const struct store_building *b, int64_t *id, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO building(ref, address, lon, lat, grid_code, floors, units)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(ref) DO UPDATE SET"
	    " address = excluded.address, lon = excluded.lon, lat = excluded.lat,"
	    " grid_code = excluded.grid_code, floors = excluded.floors, units = excluded.units"
	    " RETURNING id";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, b->ref);
	pg__arg_text(&a, b->address);
	pg__arg_double_or_null(&a, b->has_point, b->lon);
	pg__arg_double_or_null(&a, b->has_point, b->lat);
	pg__arg_text(&a, b->grid);
	pg__arg_int(&a, b->floors);
	pg__arg_int(&a, b->units);
	return pg__id(pg_of(s), sql, &a, id, err);
}

int pg__house_put(struct store *s, const struct store_house *h, int64_t *id, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO house(building_id, bref, grid_code, unit, number, area, use)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(grid_code, bref, unit, number)"
	    " DO UPDATE SET area = coalesce(excluded.area, house.area), use = excluded.use"
	    " RETURNING id";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_id_or_null(&a, h->building_id);
	pg__arg_text(&a, h->bref);
	pg__arg_text(&a, h->grid);
	pg__arg_text(&a, h->unit);
	pg__arg_text(&a, h->number);
	pg__arg_double_or_null(&a, h->area > 0, h->area);
	pg__arg_text(&a, h->use[0] ? h->use : "自住");
	return pg__id(pg_of(s), sql, &a, id, err);
}

/* A new household is the common case: insert first, look up only when it was known. */
int pg__household_put(struct store *s, const struct store_household *h, int64_t *id,
		      struct err *err)
{
	static const char ins[] = "INSERT INTO household(ref, house_id, grid_code)"
				  " VALUES($1, $2, $3) ON CONFLICT(ref) DO NOTHING RETURNING id";
	static const char find[] = "SELECT id FROM household WHERE ref = $1";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT, f = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, h->ref);
	pg__arg_id_or_null(&a, h->house_id);
	pg__arg_text(&a, h->grid);
	int r = pg__row(c, ins, &a, &res, err);
	if (r == GG_OK) {
		*id = pg__int(res, 0, 0);
		PQclear(res);
		return GG_OK;
	}
	if (r != GG_ENOTFOUND)
		return r;
	pg__arg_text(&f, h->ref);
	return pg__id(c, find, &f, id, err);
}

int pg__resident_insert(struct store *s, const struct store_resident *p, int64_t *id,
			struct err *err)
{
	static const char sql[] =
	    "INSERT INTO resident(household_id, house_id, grid_code, name, id_sealed, id_hash,"
	    " id_mask, id_valid, gender, birth, phone_sealed, phone_mask, relation,"
	    " registered, living, tags, status)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17)"
	    " RETURNING id";
	static const char head[] = "UPDATE household SET head_id = $1 WHERE id = $2";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	int64_t rid = 0;
	pg__arg_id_or_null(&a, p->household_id);
	pg__arg_id_or_null(&a, p->house_id);
	pg__arg_text(&a, p->grid);
	pg__arg_text(&a, p->name);
	pg__arg_text(&a, p->id_sealed);
	pg__arg_text(&a, p->id_hash);
	pg__arg_text(&a, p->id_mask);
	pg__arg_int(&a, p->id_valid);
	pg__arg_text(&a, p->gender);
	pg__arg_text(&a, p->birth);
	pg__arg_text(&a, p->phone_sealed);
	pg__arg_text(&a, p->phone_mask);
	pg__arg_text(&a, p->relation);
	pg__arg_int(&a, p->registered);
	pg__arg_int(&a, p->living);
	pg__arg_text(&a, p->tags);
	pg__arg_text(&a, p->status[0] ? p->status : "active");
	int r = pg__id(c, sql, &a, &rid, err);
	if (r)
		return r;
	if (id)
		*id = rid;
	if (p->household_id && !strcmp(p->relation, "户主")) {
		struct pg_args h = PG_ARGS_INIT;
		pg__arg_int(&h, rid);
		pg__arg_int(&h, p->household_id);
		return pg__run(c, head, &h, err);
	}
	return GG_OK;
}

int pg__resident_count_hash(struct store *s, const char *hash, int64_t *n, struct err *err)
{
	static const char sql[] = "SELECT count(*) FROM resident WHERE id_hash = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, hash);
	return pg__id(pg_of(s), sql, &a, n, err);
}

#define RES_COLS                                                                                   \
	"r.id, coalesce(r.household_id,0), coalesce(r.house_id,0), r.grid_code, r.name,"           \
	" r.id_sealed, r.id_hash, r.id_mask, r.id_valid, r.gender, r.birth, r.phone_sealed,"       \
	" r.phone_mask, r.relation, r.registered, r.living, r.tags, r.status,"                     \
	" coalesce(b.address || ' ' || h.unit || '-' || h.number, h.unit || '-' || h.number, '')"
#define RES_FROM                                                                                   \
	" FROM resident r LEFT JOIN house h ON h.id = r.house_id"                                  \
	" LEFT JOIN building b ON b.id = h.building_id"

/* (a row reader for pg__rows: elem is a struct store_resident) */
static void read_resident(const PGresult *res, int row, void *elem)
{
	struct store_resident *p = elem;
	p->id = pg__int(res, row, 0);
	p->household_id = pg__int(res, row, 1);
	p->house_id = pg__int(res, row, 2);
	pg__col_copy(res, row, 3, p->grid, sizeof(p->grid));
	pg__col_copy(res, row, 4, p->name, sizeof(p->name));
	pg__col_copy(res, row, 5, p->id_sealed, sizeof(p->id_sealed));
	pg__col_copy(res, row, 6, p->id_hash, sizeof(p->id_hash));
	pg__col_copy(res, row, 7, p->id_mask, sizeof(p->id_mask));
	p->id_valid = (int)pg__int(res, row, 8);
	pg__col_copy(res, row, 9, p->gender, sizeof(p->gender));
	pg__col_copy(res, row, 10, p->birth, sizeof(p->birth));
	pg__col_copy(res, row, 11, p->phone_sealed, sizeof(p->phone_sealed));
	pg__col_copy(res, row, 12, p->phone_mask, sizeof(p->phone_mask));
	pg__col_copy(res, row, 13, p->relation, sizeof(p->relation));
	p->registered = (int)pg__int(res, row, 14);
	p->living = (int)pg__int(res, row, 15);
	pg__col_copy(res, row, 16, p->tags, sizeof(p->tags));
	pg__col_copy(res, row, 17, p->status, sizeof(p->status));
	pg__col_copy(res, row, 18, p->address, sizeof(p->address));
}

int pg__resident_list(struct store *s, const char *under, int64_t offset, int64_t limit,
		      struct arena *a, struct store_resident **out, size_t *n, int64_t *total,
		      struct err *err)
{
	static const char sql[] =
	    "SELECT " RES_COLS RES_FROM
	    " WHERE " PG_UNDER("r.grid_code") " ORDER BY r.grid_code, r.id LIMIT $2 OFFSET $3";
	static const char sql_n[] =
	    "SELECT count(*) FROM resident r WHERE " PG_UNDER("r.grid_code");
	struct pg *c = pg_of(s);
	struct pg_args t = PG_ARGS_INIT, p = PG_ARGS_INIT;
	pg__arg_text(&t, under);
	int r = pg__id(c, sql_n, &t, total, err);
	if (r)
		return r;
	pg__arg_text(&p, under);
	pg__arg_id_or_null(&p, limit > 0 ? limit : 0); /* (SQLite's LIMIT -1: all) */
	pg__arg_int(&p, offset > 0 ? offset : 0);
	return pg__rows(c, sql, &p, a, sizeof(**out), read_resident, (void **)out, n, err);
}

int pg__resident_each(struct store *s, const char *under,
		      int (*fn)(void *arg, const struct store_resident *p), void *arg,
		      struct err *err)
{
	static const char sql[] =
	    "SELECT " RES_COLS RES_FROM
	    " WHERE " PG_UNDER("r.grid_code") " AND (r.grid_code, r.id) > ($2, $3)"
					      " ORDER BY r.grid_code, r.id LIMIT 1000";
	struct pg *c = pg_of(s);
	struct store_resident p;
	char grid[GRID_CODE_MAX] = "";
	int64_t after = 0;
	for (;;) {
		struct pg_args q = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_text(&q, under);
		pg__arg_text(&q, grid);
		pg__arg_int(&q, after);
		int r = pg__query(c, sql, &q, &res, err);
		if (r)
			return r;
		int rows = PQntuples(res);
		for (int i = 0; i < rows; i++) {
			read_resident(res, i, &p);
			snprintf(grid, sizeof(grid), "%s", p.grid);
			after = p.id;
			if ((r = fn(arg, &p))) {
				PQclear(res);
				return r;
			}
		}
		PQclear(res);
		if (rows < 1000)
			return GG_OK;
	}
}

int pg__resident_get(struct store *s, int64_t id, struct store_resident *p, struct err *err)
{
	static const char sql[] = "SELECT " RES_COLS RES_FROM " WHERE r.id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&a, id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no resident %lld", (long long)id)
			   : r;
	read_resident(res, 0, p);
	PQclear(res);
	return GG_OK;
}

int pg__resident_by_hash(struct store *s, const char *hash, struct arena *a,
			 struct store_resident **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " RES_COLS RES_FROM " WHERE r.id_hash = $1 ORDER BY r.id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, hash);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_resident, (void **)out, n, err);
}

/* (a row reader for pg__rows: elem is a struct store_household) */
static void read_household(const PGresult *res, int row, void *elem)
{
	struct store_household *h = elem;
	h->id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, h->ref, sizeof(h->ref));
	h->house_id = pg__int(res, row, 2);
	pg__col_copy(res, row, 3, h->grid, sizeof(h->grid));
	h->head_id = pg__int(res, row, 4);
	h->members = pg__int(res, row, 5);
}

int pg__household_list(struct store *s, const char *under, struct arena *a,
		       struct store_household **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT h.id, h.ref, coalesce(h.house_id,0), h.grid_code, coalesce(h.head_id,0),"
	    " (SELECT count(*) FROM resident r WHERE r.household_id = h.id"
	    "  AND r.status = 'active')"
	    " FROM household h WHERE " PG_UNDER("h.grid_code") " ORDER BY h.id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, under);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_household, (void **)out, n, err);
}

/* (a row reader for pg__rows: elem is a struct store_building) */
static void read_building(const PGresult *res, int row, void *elem)
{
	struct store_building *b = elem;
	b->id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, b->ref, sizeof(b->ref));
	pg__col_copy(res, row, 2, b->address, sizeof(b->address));
	b->has_point = !pg__is_null(res, row, 3) && !pg__is_null(res, row, 4);
	b->lon = pg__double(res, row, 3);
	b->lat = pg__double(res, row, 4);
	pg__col_copy(res, row, 5, b->grid, sizeof(b->grid));
	b->floors = (int)pg__int(res, row, 6);
	b->units = (int)pg__int(res, row, 7);
}

int pg__building_list(struct store *s, const char *under, struct arena *a,
		      struct store_building **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT id, ref, address, lon, lat, grid_code, floors, units"
				  " FROM building WHERE " PG_UNDER("grid_code") " ORDER BY id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, under);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_building, (void **)out, n, err);
}

int pg__house_get(struct store *s, int64_t id, struct store_house *h, struct err *err)
{
	static const char sql[] = "SELECT id, coalesce(building_id,0), bref, grid_code, unit,"
				  " number, coalesce(area,0), use FROM house WHERE id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&a, id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no house %lld", (long long)id)
			   : r;
	h->id = pg__int(res, 0, 0);
	h->building_id = pg__int(res, 0, 1);
	pg__col_copy(res, 0, 2, h->bref, sizeof(h->bref));
	pg__col_copy(res, 0, 3, h->grid, sizeof(h->grid));
	pg__col_copy(res, 0, 4, h->unit, sizeof(h->unit));
	pg__col_copy(res, 0, 5, h->number, sizeof(h->number));
	h->area = pg__double(res, 0, 6);
	pg__col_copy(res, 0, 7, h->use, sizeof(h->use));
	PQclear(res);
	return GG_OK;
}

int pg__people_bulk(struct store *s, int64_t expect, int *dropped, struct err *err)
{
	(void)s;
	(void)expect;
	(void)err;
	*dropped = 0;
	return GG_OK;
}

int pg__people_bulk_end(struct store *s, int keep, struct err *err)
{
	(void)s;
	(void)keep;
	(void)err;
	return GG_OK;
}

int pg__resident_hashes(struct store *s, int (*fn)(void *arg, const char *hash), void *arg,
			struct err *err)
{
	static const char sql[] = "SELECT id, id_hash FROM resident WHERE id > $1 ORDER BY id"
				  " LIMIT 10000";
	struct pg *c = pg_of(s);
	int64_t after = 0;
	for (;;) {
		struct pg_args p = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_int(&p, after);
		int r = pg__query(c, sql, &p, &res, err), rows = 0;
		if (r)
			return r;
		rows = PQntuples(res);
		for (int i = 0; i < rows && !r; i++) {
			after = pg__int(res, i, 0);
			r = fn(arg, PQgetvalue(res, i, 1));
		}
		PQclear(res);
		if (r)
			return err_set(err, r, "listing ID hashes stopped");
		if (rows < 10000)
			return GG_OK;
	}
}

int pg__people_recount(struct store *s, struct err *err)
{
	/* as SQLite's: leaves counted once per grid code, then summed by code range */
	static const char sql[] =
	    "WITH hh AS MATERIALIZED (SELECT h.grid_code g, count(*) n FROM household h"
	    "  WHERE EXISTS (SELECT 1 FROM resident r WHERE r.household_id = h.id"
	    "   AND r.status = 'active') GROUP BY h.grid_code),"
	    " pp AS MATERIALIZED (SELECT grid_code g, count(*) n FROM resident"
	    "  WHERE status = 'active' GROUP BY grid_code)"
	    " UPDATE grid SET"
	    " households = coalesce((SELECT sum(n) FROM hh WHERE hh.g >= grid.code"
	    "  AND hh.g < grid.code || ';'), 0),"
	    " population = coalesce((SELECT sum(n) FROM pp WHERE pp.g >= grid.code"
	    "  AND pp.g < grid.code || ';'), 0)"
	    " WHERE (level >= 4 OR NOT EXISTS (SELECT 1 FROM grid c WHERE c.parent_code = "
	    "grid.code))"
	    "  AND EXISTS (SELECT 1 FROM household h WHERE h.grid_code >= grid.code"
	    "   AND h.grid_code < grid.code || ';')";
	int r = pg__run(pg_of(s), sql, NULL, err);
	return r ? r : pg__grid_rollup_counts(s, err);
}

int pg__pii_access_insert(struct store *s, int64_t at, const struct principal *who,
			  int64_t resident_id, const char *grid, const char *reason,
			  struct err *err)
{
	static const char sql[] = "INSERT INTO pii_access(at, user_id, user_name, resident_id,"
				  " grid_code, reason) VALUES($1, $2, $3, $4, $5, $6)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, at);
	pg__arg_int(&a, who->user_id);
	pg__arg_text(&a, who->name);
	pg__arg_int(&a, resident_id);
	pg__arg_text(&a, grid);
	pg__arg_text(&a, reason);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__pii_access_count(struct store *s, int64_t resident_id, int64_t *n, struct err *err)
{
	static const char sql[] = "SELECT count(*) FROM pii_access WHERE resident_id = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, resident_id);
	return pg__id(pg_of(s), sql, &a, n, err);
}

/* ---- quality checks ---------------------------------------------------------------- */

/* (a row reader for pg__rows: elem is a struct store_people_fault) */
static void read_fault(const PGresult *res, int row, void *elem)
{
	struct store_people_fault *f = elem;
	f->kind = (enum people_fault)pg__int(res, row, 0);
	pg__col_copy(res, row, 1, f->grid, sizeof(f->grid));
	f->id = pg__int(res, row, 2);
	pg__col_copy(res, row, 3, f->what, sizeof(f->what));
	f->value = pg__int(res, row, 4);
}

int pg__people_faults(struct store *s, const char *under, int hh_min, int hh_max, struct arena *a,
		      struct store_people_fault **out, size_t *n, struct err *err)
{
	/* One statement per kind, each row (kind, grid, id, what, value). */
	static const char q_nohouse[] =
	    "SELECT 0, grid_code, id, name, 0 FROM resident WHERE house_id IS NULL"
	    " AND status = 'active' AND " PG_UNDER("grid_code") " ORDER BY grid_code, id";
	static const char q_nobuilding[] =
	    "SELECT 1, grid_code, id, unit || '-' || number, 0 FROM house"
	    " WHERE building_id IS NULL AND " PG_UNDER("grid_code") " ORDER BY grid_code, id";
	static const char q_dup[] =
	    "SELECT 3, r.grid_code, r.id, r.name, d.n FROM resident r JOIN"
	    " (SELECT id_hash, count(*) n FROM resident WHERE status = 'active'"
	    "  GROUP BY id_hash HAVING count(*) > 1) d ON d.id_hash = r.id_hash"
	    " WHERE r.status = 'active' AND " PG_UNDER("r.grid_code") " ORDER BY r.grid_code, r.id";
	static const char q_invalid[] =
	    "SELECT 4, grid_code, id, name, 0 FROM resident WHERE id_valid = 0"
	    " AND status = 'active' AND " PG_UNDER("grid_code") " ORDER BY grid_code, id";
	static const char q_hh[] =
	    "SELECT 5, code, 0, name, households FROM grid WHERE level = 4"
	    " AND " PG_UNDER("code") " AND (households < $2 OR households > $3)"
				     " ORDER BY code";
	static const char q_noworker[] =
	    "SELECT 6, code, 0, name, 0 FROM grid g WHERE level = 4 AND " PG_UNDER(
		"code") " AND NOT EXISTS (SELECT 1 FROM grid_staff s WHERE s.grid_code = g.code"
			"  AND s.role = 'dedicated') ORDER BY code";
	static const char *const queries[] = {q_nohouse, q_nobuilding, q_dup,
					      q_invalid, q_hh,	       q_noworker};
	struct pg *c = pg_of(s);
	size_t len = 0, cap = 0;
	struct store_people_fault *v = NULL;
	for (size_t k = 0; k < sizeof(queries) / sizeof(queries[0]); k++) {
		struct pg_args p = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_text(&p, under);
		if (queries[k] == q_hh) {
			pg__arg_int(&p, hh_min);
			pg__arg_int(&p, hh_max);
		}
		int r = pg__query(c, queries[k], &p, &res, err);
		if (r)
			return r;
		for (int i = 0, rows = PQntuples(res); i < rows; i++)
			read_fault(res, i, arena_push(a, (void **)&v, &len, &cap, sizeof(*v)));
		PQclear(res);
	}
	*out = v;
	*n = len;
	return GG_OK;
}

/* ---- corrections ------------------------------------------------------------------- */

int pg__correction_insert(struct store *s, const struct store_correction *c, int64_t *id,
			  struct err *err)
{
	static const char sql[] =
	    "INSERT INTO people_correction(resident_id, house_id, grid_code, kind,"
	    " phone_sealed, phone_mask, name, id_sealed, id_hash, id_mask, gender, birth,"
	    " note, proposed_by, proposed_at)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING "
	    "id";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_id_or_null(&a, c->resident_id);
	pg__arg_id_or_null(&a, c->house_id);
	const char *txt[] = {c->grid,	c->kind,      c->phone_sealed, c->phone_mask,
			     c->name,	c->id_sealed, c->id_hash,      c->id_mask,
			     c->gender, c->birth,     c->note};
	for (size_t i = 0; i < sizeof(txt) / sizeof(txt[0]); i++)
		pg__arg_text(&a, txt[i]);
	pg__arg_int(&a, c->proposed_by);
	pg__arg_int(&a, c->proposed_at);
	return pg__id(pg_of(s), sql, &a, id, err);
}

#define COR_COLS                                                                                   \
	"id, coalesce(resident_id,0), coalesce(house_id,0), grid_code, kind, phone_sealed,"        \
	" phone_mask, name, id_sealed, id_hash, id_mask, gender, birth, note, state,"              \
	" proposed_by, proposed_at, coalesce(decided_by,0), coalesce(decided_at,0), decision"

/* (a row reader for pg__rows: elem is a struct store_correction) */
static void read_correction(const PGresult *res, int row, void *elem)
{
	struct store_correction *c = elem;
	c->id = pg__int(res, row, 0);
	c->resident_id = pg__int(res, row, 1);
	c->house_id = pg__int(res, row, 2);
	pg__col_copy(res, row, 3, c->grid, sizeof(c->grid));
	pg__col_copy(res, row, 4, c->kind, sizeof(c->kind));
	pg__col_copy(res, row, 5, c->phone_sealed, sizeof(c->phone_sealed));
	pg__col_copy(res, row, 6, c->phone_mask, sizeof(c->phone_mask));
	pg__col_copy(res, row, 7, c->name, sizeof(c->name));
	pg__col_copy(res, row, 8, c->id_sealed, sizeof(c->id_sealed));
	pg__col_copy(res, row, 9, c->id_hash, sizeof(c->id_hash));
	pg__col_copy(res, row, 10, c->id_mask, sizeof(c->id_mask));
	pg__col_copy(res, row, 11, c->gender, sizeof(c->gender));
	pg__col_copy(res, row, 12, c->birth, sizeof(c->birth));
	pg__col_copy(res, row, 13, c->note, sizeof(c->note));
	pg__col_copy(res, row, 14, c->state, sizeof(c->state));
	c->proposed_by = pg__int(res, row, 15);
	c->proposed_at = pg__int(res, row, 16);
	c->decided_by = pg__int(res, row, 17);
	c->decided_at = pg__int(res, row, 18);
	pg__col_copy(res, row, 19, c->decision, sizeof(c->decision));
}

int pg__correction_get(struct store *s, int64_t id, struct store_correction *c, struct err *err)
{
	static const char sql[] = "SELECT " COR_COLS " FROM people_correction WHERE id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&a, id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no correction %lld", (long long)id)
			   : r;
	read_correction(res, 0, c);
	PQclear(res);
	return GG_OK;
}

int pg__correction_list(struct store *s, const char *under, const char *state, struct arena *a,
			struct store_correction **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " COR_COLS " FROM people_correction WHERE " PG_UNDER(
	    "grid_code") " AND ($2 = '' OR state = $2) ORDER BY id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, under);
	pg__arg_text(&p, state ? state : "");
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**out), read_correction, (void **)out, n, err);
}

static int apply(struct store *s, const struct store_correction *c, struct err *err)
{
	static const char status[] = "UPDATE resident SET status = $2, living = 0 WHERE id = $1";
	static const char phone[] =
	    "UPDATE resident SET phone_sealed = $2, phone_mask = $3 WHERE id = $1";
	static const char tenant_house[] = "UPDATE house SET use = '出租' WHERE id = $1";
	struct pg *q = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	int r;
	if (!strcmp(c->kind, "moved_out") || !strcmp(c->kind, "died")) {
		pg__arg_int(&a, c->resident_id);
		pg__arg_text(&a, c->kind);
		return pg__run(q, status, &a, err);
	}
	if (!strcmp(c->kind, "new_phone")) {
		pg__arg_int(&a, c->resident_id);
		pg__arg_text(&a, c->phone_sealed);
		pg__arg_text(&a, c->phone_mask);
		return pg__run(q, phone, &a, err);
	}
	/* new_tenant: a household of their own in the house, which is now rented */
	struct store_household hh = {.house_id = c->house_id};
	snprintf(hh.ref, sizeof(hh.ref), "C%lld", (long long)c->id);
	snprintf(hh.grid, sizeof(hh.grid), "%s", c->grid);
	int64_t hid;
	if ((r = pg__household_put(s, &hh, &hid, err)))
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
	if ((r = pg__resident_insert(s, &p, NULL, err)))
		return r;
	pg__arg_int(&a, c->house_id);
	return pg__run(q, tenant_house, &a, err);
}

int pg__correction_decide(struct store *s, int64_t id, int approve, int64_t by, int64_t at,
			  const char *decision, struct err *err)
{
	static const char sql[] =
	    "UPDATE people_correction SET state = $2, decided_by = $3, decided_at = $4,"
	    " decision = $5 WHERE id = $1 AND state = 'proposed'";
	struct store_correction c;
	int r = pg__correction_get(s, id, &c, err);
	if (r)
		return r;
	if (strcmp(c.state, "proposed"))
		return err_set(err, GG_ESTATE, "correction %lld is already %s", (long long)id,
			       c.state);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, id);
	pg__arg_text(&a, approve ? "approved" : "rejected");
	pg__arg_int(&a, by);
	pg__arg_int(&a, at);
	pg__arg_text(&a, decision);
	if ((r = pg__run(pg_of(s), sql, &a, err)))
		return r;
	if (!approve)
		return GG_OK;
	if ((r = apply(s, &c, err)))
		return r;
	return pg__people_recount(s, err);
}
