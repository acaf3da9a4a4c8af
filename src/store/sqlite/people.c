/* SPDX-License-Identifier: Apache-2.0 */
/*
 * People and housing in SQLite: buildings, houses, households, residents, the bulk
 * import's index handling and recount, and the trail of unmasked reads (quality checks
 * in people_checks.c, corrections in people_corrections.c).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "gridgov/buf.h"
#include "gridgov/store_people.h"
#include "gridgov/xalloc.h"
#include "store/sqlite/sq_int.h"

/* As sq__house_put below: insert, and update by ref only when it was known. */
int sq__building_put(struct store *s, const struct store_building *b, int64_t *id, struct err *err)
{
	static const char ins[] =
	    "INSERT INTO building(ref, address, lon, lat, grid_code, floors, units)"
	    " VALUES(?1,?2,?3,?4,?5,?6,?7) ON CONFLICT(ref) DO NOTHING";
	static const char upd[] = "UPDATE building SET address=?2, lon=?3, lat=?4, grid_code=?5,"
				  " floors=?6, units=?7 WHERE ref=?1 RETURNING id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, ins, &st, err);
	for (int pass = 0; r == GG_OK; pass++) {
		sq__bind_text(st, 1, b->ref);
		sq__bind_text(st, 2, b->address);
		if (b->has_point) {
			sqlite3_bind_double(st, 3, b->lon);
			sqlite3_bind_double(st, 4, b->lat);
		}
		sq__bind_text(st, 5, b->grid);
		sqlite3_bind_int(st, 6, b->floors);
		sqlite3_bind_int(st, 7, b->units);
		if (pass)
			return sq__step_id(q, st, id, err);
		if ((r = sq__step_done(q, st, err)))
			break;
		if (sqlite3_changes(q->db) == 1) {
			*id = sqlite3_last_insert_rowid(q->db);
			return GG_OK;
		}
		r = sq__prep(q, upd, &st, err);
	}
	return r;
}

/*
 * Insert-or-update without RETURNING on the common path: RETURNING buffers its row in
 * an ephemeral table built afresh on every execution, which cost more than the insert.
 * A new house takes its id from last_insert_rowid; a known one (DO NOTHING, no change)
 * is updated by its unique key.
 */
int sq__house_put(struct store *s, const struct store_house *h, int64_t *id, struct err *err)
{
	static const char ins[] =
	    "INSERT INTO house(building_id, bref, grid_code, unit, number, area, use)"
	    " VALUES(?,?,?,?,?,?,?) ON CONFLICT(grid_code, bref, unit, number) DO NOTHING";
	static const char upd[] =
	    "UPDATE house SET area=coalesce(?1, area), use=?2"
	    " WHERE grid_code=?3 AND bref=?4 AND unit=?5 AND number=?6 RETURNING id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, ins, &st, err);
	if (r)
		return r;
	const char *use = h->use[0] ? h->use : "自住";
	sq__bind_id_or_null(st, 1, h->building_id);
	sq__bind_text(st, 2, h->bref);
	sq__bind_text(st, 3, h->grid);
	sq__bind_text(st, 4, h->unit);
	sq__bind_text(st, 5, h->number);
	if (h->area > 0)
		sqlite3_bind_double(st, 6, h->area);
	sq__bind_text(st, 7, use);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 1) {
		*id = sqlite3_last_insert_rowid(q->db);
		return GG_OK;
	}
	if ((r = sq__prep(q, upd, &st, err)))
		return r;
	if (h->area > 0)
		sqlite3_bind_double(st, 1, h->area);
	sq__bind_text(st, 2, use);
	sq__bind_text(st, 3, h->grid);
	sq__bind_text(st, 4, h->bref);
	sq__bind_text(st, 5, h->unit);
	sq__bind_text(st, 6, h->number);
	return sq__step_id(q, st, id, err);
}

/* A new household is the common case: insert first, look up only when it was known. */
int sq__household_put(struct store *s, const struct store_household *h, int64_t *id,
		      struct err *err)
{
	static const char ins[] = "INSERT INTO household(ref, house_id, grid_code) VALUES(?,?,?)"
				  " ON CONFLICT(ref) DO NOTHING";
	static const char find[] = "SELECT id FROM household WHERE ref=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, ins, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, h->ref);
	sq__bind_id_or_null(st, 2, h->house_id);
	sq__bind_text(st, 3, h->grid);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 1) {
		*id = sqlite3_last_insert_rowid(q->db);
		return GG_OK;
	}
	if ((r = sq__prep(q, find, &st, err)))
		return r;
	sq__bind_text(st, 1, h->ref);
	return sq__step_id(q, st, id, err);
}

int sq__resident_insert(struct store *s, const struct store_resident *p, int64_t *id,
			struct err *err)
{
	static const char sql[] =
	    "INSERT INTO resident(household_id, house_id, grid_code, name, id_sealed, id_hash,"
	    " id_mask, id_valid, gender, birth, phone_sealed, phone_mask, relation,"
	    " registered, living, tags, status)"
	    " VALUES(?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	static const char head[] = "UPDATE household SET head_id=? WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int64_t rid = 0;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_id_or_null(st, 1, p->household_id);
	sq__bind_id_or_null(st, 2, p->house_id);
	sq__bind_text(st, 3, p->grid);
	sq__bind_text(st, 4, p->name);
	sq__bind_text(st, 5, p->id_sealed);
	sq__bind_text(st, 6, p->id_hash);
	sq__bind_text(st, 7, p->id_mask);
	sqlite3_bind_int(st, 8, p->id_valid);
	sq__bind_text(st, 9, p->gender);
	sq__bind_text(st, 10, p->birth);
	sq__bind_text(st, 11, p->phone_sealed);
	sq__bind_text(st, 12, p->phone_mask);
	sq__bind_text(st, 13, p->relation);
	sqlite3_bind_int(st, 14, p->registered);
	sqlite3_bind_int(st, 15, p->living);
	sq__bind_text(st, 16, p->tags);
	sq__bind_text(st, 17, p->status[0] ? p->status : "active");
	/* no RETURNING: it would buffer the row in an ephemeral table on every insert */
	if ((r = sq__step_done(q, st, err)))
		return r;
	rid = sqlite3_last_insert_rowid(q->db);
	if (id)
		*id = rid;
	if (p->household_id && !strcmp(p->relation, "户主")) {
		if ((r = sq__prep(q, head, &st, err)))
			return r;
		sqlite3_bind_int64(st, 1, rid);
		sqlite3_bind_int64(st, 2, p->household_id);
		return sq__step_done(q, st, err);
	}
	return GG_OK;
}

int sq__resident_count_hash(struct store *s, const char *hash, int64_t *n, struct err *err)
{
	static const char sql[] = "SELECT count(*) FROM resident WHERE id_hash=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, hash);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq__done(st);
	return rc == SQLITE_ROW ? GG_OK : sq__fail(q, rc, err);
}

#define RES_COLS                                                                                   \
	"r.id, coalesce(r.household_id,0), coalesce(r.house_id,0), r.grid_code, r.name,"           \
	" r.id_sealed, r.id_hash, r.id_mask, r.id_valid, r.gender, r.birth, r.phone_sealed,"       \
	" r.phone_mask, r.relation, r.registered, r.living, r.tags, r.status,"                     \
	" coalesce(b.address || ' ' || h.unit || '-' || h.number, h.unit || '-' || h.number, '')"
#define RES_FROM                                                                                   \
	" FROM resident r LEFT JOIN house h ON h.id=r.house_id"                                    \
	" LEFT JOIN building b ON b.id=h.building_id"

/* (a row reader for sq__rows: row is a struct store_resident) */
static void read_resident(sqlite3_stmt *st, void *row)
{
	struct store_resident *p = row;
	p->id = sqlite3_column_int64(st, 0);
	p->household_id = sqlite3_column_int64(st, 1);
	p->house_id = sqlite3_column_int64(st, 2);
	sq__col_copy(st, 3, p->grid, sizeof(p->grid));
	sq__col_copy(st, 4, p->name, sizeof(p->name));
	sq__col_copy(st, 5, p->id_sealed, sizeof(p->id_sealed));
	sq__col_copy(st, 6, p->id_hash, sizeof(p->id_hash));
	sq__col_copy(st, 7, p->id_mask, sizeof(p->id_mask));
	p->id_valid = sqlite3_column_int(st, 8);
	sq__col_copy(st, 9, p->gender, sizeof(p->gender));
	sq__col_copy(st, 10, p->birth, sizeof(p->birth));
	sq__col_copy(st, 11, p->phone_sealed, sizeof(p->phone_sealed));
	sq__col_copy(st, 12, p->phone_mask, sizeof(p->phone_mask));
	sq__col_copy(st, 13, p->relation, sizeof(p->relation));
	p->registered = sqlite3_column_int(st, 14);
	p->living = sqlite3_column_int(st, 15);
	sq__col_copy(st, 16, p->tags, sizeof(p->tags));
	sq__col_copy(st, 17, p->status, sizeof(p->status));
	sq__col_copy(st, 18, p->address, sizeof(p->address));
}

int sq__resident_list(struct store *s, const char *under, int64_t offset, int64_t limit,
		      struct arena *a, struct store_resident **out, size_t *n, int64_t *total,
		      struct err *err)
{
	static const char sql[] =
	    "SELECT " RES_COLS RES_FROM
	    " WHERE " SQ_UNDER("r.grid_code") " ORDER BY r.grid_code, r.id LIMIT ?2 OFFSET ?3";
	static const char sql_n[] = "SELECT count(*) FROM resident r WHERE " SQ_UNDER("r.grid_code");
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql_n, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	int rc = sqlite3_step(st);
	*total = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq__done(st);
	if (rc != SQLITE_ROW)
		return sq__fail(q, rc, err);
	if ((r = sq__prep(q, sql, &st, err)))
		return r;
	sq__bind_text(st, 1, under);
	sqlite3_bind_int64(st, 2, limit);
	sqlite3_bind_int64(st, 3, offset);
	return sq__rows(q, st, a, sizeof(**out), read_resident, (void **)out, n, err);
}

int sq__resident_each(struct store *s, const char *under,
		      int (*fn)(void *arg, const struct store_resident *p), void *arg,
		      struct err *err)
{
	/* resident_by_grid holds (grid_code, id): this order needs no sort */
	static const char sql[] = "SELECT " RES_COLS RES_FROM
				  " WHERE " SQ_UNDER("r.grid_code") " ORDER BY r.grid_code, r.id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	struct store_resident p;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		read_resident(st, &p);
		if ((r = fn(arg, &p))) {
			sq__done(st);
			return r;
		}
	}
	sq__done(st);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__resident_get(struct store *s, int64_t id, struct store_resident *p, struct err *err)
{
	static const char sql[] = "SELECT " RES_COLS RES_FROM " WHERE r.id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	if ((r = sq__step_row(q, st, err)))
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no resident %lld", (long long)id)
			   : r;
	read_resident(st, p);
	sq__done(st);
	return GG_OK;
}

int sq__resident_by_hash(struct store *s, const char *hash, struct arena *a,
			 struct store_resident **out, size_t *n, struct err *err)
{
	static const char sql[] = "SELECT " RES_COLS RES_FROM " WHERE r.id_hash=? ORDER BY r.id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, hash);
	return sq__rows(q, st, a, sizeof(**out), read_resident, (void **)out, n, err);
}

int sq__household_list(struct store *s, const char *under, struct arena *a,
		       struct store_household **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT h.id, h.ref, coalesce(h.house_id,0), h.grid_code, coalesce(h.head_id,0),"
	    " (SELECT count(*) FROM resident r WHERE r.household_id=h.id"
	    "  AND r.status='active')"
	    " FROM household h WHERE " SQ_UNDER("h.grid_code") " ORDER BY h.id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	size_t len = 0, cap = 0;
	struct store_household *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_household *h = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		h->id = sqlite3_column_int64(st, 0);
		sq__col_copy(st, 1, h->ref, sizeof(h->ref));
		h->house_id = sqlite3_column_int64(st, 2);
		sq__col_copy(st, 3, h->grid, sizeof(h->grid));
		h->head_id = sqlite3_column_int64(st, 4);
		h->members = sqlite3_column_int64(st, 5);
	}
	sq__done(st);
	*out = v;
	*n = len;
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__building_list(struct store *s, const char *under, struct arena *a,
		      struct store_building **out, size_t *n, struct err *err)
{
	static const char sql[] =
	    "SELECT id, ref, address, lon IS NOT NULL AND lat IS NOT NULL, coalesce(lon,0),"
	    " coalesce(lat,0), grid_code, floors, units FROM building WHERE " SQ_UNDER(
		"grid_code") " ORDER BY id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	sq__bind_text(st, 1, under);
	size_t len = 0, cap = 0;
	struct store_building *v = NULL;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_building *b = arena_push(a, (void **)&v, &len, &cap, sizeof(*v));
		b->id = sqlite3_column_int64(st, 0);
		sq__col_copy(st, 1, b->ref, sizeof(b->ref));
		sq__col_copy(st, 2, b->address, sizeof(b->address));
		b->has_point = sqlite3_column_int(st, 3);
		b->lon = sqlite3_column_double(st, 4);
		b->lat = sqlite3_column_double(st, 5);
		sq__col_copy(st, 6, b->grid, sizeof(b->grid));
		b->floors = sqlite3_column_int(st, 7);
		b->units = sqlite3_column_int(st, 8);
	}
	sq__done(st);
	*out = v;
	*n = len;
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__house_get(struct store *s, int64_t id, struct store_house *h, struct err *err)
{
	static const char sql[] =
	    "SELECT id, coalesce(building_id,0), bref, grid_code, unit, number,"
	    " coalesce(area,0), use FROM house WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		h->id = sqlite3_column_int64(st, 0);
		h->building_id = sqlite3_column_int64(st, 1);
		sq__col_copy(st, 2, h->bref, sizeof(h->bref));
		sq__col_copy(st, 3, h->grid, sizeof(h->grid));
		sq__col_copy(st, 4, h->unit, sizeof(h->unit));
		sq__col_copy(st, 5, h->number, sizeof(h->number));
		h->area = sqlite3_column_double(st, 6);
		sq__col_copy(st, 7, h->use, sizeof(h->use));
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no house %lld", (long long)id);
	return sq__fail(q, rc, err);
}

/*
 * The secondary indexes of the four tables are dropped for a load larger than what is
 * held, and rebuilt after it: CREATE INDEX sorts once, where keeping an index on random
 * keys (the ID hash) touches a random page per row. Their SQL comes from the schema
 * itself, so whatever later migrations make of them is what comes back. The unique
 * constraints stay: the upserts look rows up by them. Partial indexes (WHERE …) stay
 * too: they hold the few faulty rows, so keeping them costs a test per row where
 * rebuilding each would scan its whole table again.
 */
int sq__people_bulk(struct store *s, int64_t expect, int *dropped, struct err *err)
{
	static const char count[] = "SELECT count(*) FROM resident";
	static const char list[] = "SELECT name, sql FROM sqlite_schema WHERE type='index'"
				   " AND sql IS NOT NULL AND tbl_name IN ('building','house',"
				   "'household','resident') AND sql NOT LIKE '% WHERE %'"
				   " ORDER BY name";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	*dropped = 0;
	/* 1 GiB at most, allocated as used: a million residents, their indexes and the
	 * sort that rebuilds them stay in memory instead of spilling to the WAL mid-load */
	int r = sq__exec(q, "PRAGMA cache_size=-1048576", err);
	if (r || (r = sq__prep(q, count, &st, err)) || (r = sq__step_row(q, st, err)))
		return r;
	int64_t held = sqlite3_column_int64(st, 0);
	sq__done(st);
	if (expect <= held || q->people_indexes)
		return GG_OK;
	if ((r = sq__drop_indexes(q, list, &q->people_indexes, err)))
		return r;
	*dropped = q->people_indexes != NULL;
	return GG_OK;
}

int store_people_bulk_memory(size_t bytes)
{
	/*
	 * One thread uses SQLite in such a process: no mutex around each page and
	 * allocation, and no global allocation counters (nothing here reads them).
	 */
	if (sqlite3_config(SQLITE_CONFIG_SINGLETHREAD) != SQLITE_OK ||
	    sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) != SQLITE_OK)
		return -1;
	/* slots fit the default 4 KiB page and its header; larger pages use the heap */
	int hdr = 0;
	if (sqlite3_config(SQLITE_CONFIG_PCACHE_HDRSZ, &hdr) != SQLITE_OK)
		return -1;
	size_t sz = (size_t)(4096 + hdr + 15) & ~(size_t)15, n = bytes / sz;
	if (!n || n > INT32_MAX)
		return -1;
	void *p = mmap(NULL, n * sz, PROT_READ | PROT_WRITE,
		       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
	if (p == MAP_FAILED)
		return -1;
	madvise(p, n * sz, MADV_HUGEPAGE); /* a hint: without it, ordinary pages */
	if (sqlite3_config(SQLITE_CONFIG_PAGECACHE, p, (int)sz, (int)n) != SQLITE_OK) {
		munmap(p, n * sz); /* SQLite is initialised already */
		return -1;
	}
	return 0; /* SQLite keeps using it until the process ends */
}

int sq__people_bulk_end(struct store *s, int keep, struct err *err)
{
	struct sq *q = sq_of(s);
	char *sql = q->people_indexes;
	q->people_indexes = NULL;
	int r = sql && keep ? sq__exec(q, sql, err) : GG_OK;
	free(sql);
	return r;
}

int sq__resident_hashes(struct store *s, int (*fn)(void *arg, const char *hash), void *arg,
			struct err *err)
{
	static const char sql[] = "SELECT id_hash FROM resident";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err), rc;
	if (r)
		return r;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		if ((r = fn(arg, (const char *)sqlite3_column_text(st, 0))))
			break;
	sq__done(st);
	if (r)
		return err_set(err, r, "listing ID hashes stopped");
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__people_recount(struct store *s, struct err *err)
{
	/*
	 * Counts follow from the data where there is housing data: each basic grid (or
	 * deeper node, or a childless node) holding households gets the count of its
	 * households with someone living there and of its residents. A grid with no
	 * housing data yet keeps the figures surveyed with the map. The levels above are
	 * then the sums of their children. Leaves are counted once per grid code, then
	 * summed by code range: a handful of grouped scans instead of one per node.
	 */
	static const char sql[] =
	    "WITH hh AS MATERIALIZED (SELECT h.grid_code g, count(*) n FROM household h"
	    "  WHERE EXISTS (SELECT 1 FROM resident r WHERE r.household_id=h.id"
	    "   AND r.status='active') GROUP BY h.grid_code),"
	    " pp AS MATERIALIZED (SELECT grid_code g, count(*) n FROM resident WHERE "
	    "status='active'"
	    "  GROUP BY grid_code)"
	    " UPDATE grid SET"
	    " households=coalesce((SELECT sum(n) FROM hh WHERE hh.g >= grid.code"
	    "  AND hh.g < grid.code || ';'),0),"
	    " population=coalesce((SELECT sum(n) FROM pp WHERE pp.g >= grid.code"
	    "  AND pp.g < grid.code || ';'),0)"
	    " WHERE (level >= 4 OR NOT EXISTS (SELECT 1 FROM grid c WHERE c.parent_code=grid.code))"
	    "  AND EXISTS (SELECT 1 FROM household h WHERE h.grid_code >= grid.code"
	    "   AND h.grid_code < grid.code || ';')";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	if ((r = sq__step_done(q, st, err)))
		return r;
	return sq__grid_rollup_counts(s, err);
}

int sq__pii_access_insert(struct store *s, int64_t at, const struct principal *who,
			  int64_t resident_id, const char *grid, const char *reason,
			  struct err *err)
{
	static const char sql[] = "INSERT INTO pii_access(at, user_id, user_name, resident_id,"
				  " grid_code, reason) VALUES(?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, at);
	sqlite3_bind_int64(st, 2, who->user_id);
	sq__bind_text(st, 3, who->name);
	sqlite3_bind_int64(st, 4, resident_id);
	sq__bind_text(st, 5, grid);
	sq__bind_text(st, 6, reason);
	return sq__step_done(q, st, err);
}

int sq__pii_access_count(struct store *s, int64_t resident_id, int64_t *n, struct err *err)
{
	static const char sql[] = "SELECT count(*) FROM pii_access WHERE resident_id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, resident_id);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq__done(st);
	return rc == SQLITE_ROW ? GG_OK : sq__fail(q, rc, err);
}

