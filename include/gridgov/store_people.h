/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of people and housing 人房: buildings 楼栋, houses 房屋, households 户 and
 * residents 人口, the trail of unmasked reads, corrections and the data-quality checks.
 * ID and phone numbers arrive here already sealed (gridgov/pii.h): the store never sees
 * them in clear. "under" arguments are grid codes; "" means everything. Arrays are
 * allocated from the arena passed in.
 */
#ifndef GRIDGOV_STORE_PEOPLE_H
#define GRIDGOV_STORE_PEOPLE_H

#include "gridgov/store.h"

#define PEOPLE_REF_MAX	  48
#define PEOPLE_SEALED_MAX 160
#define PEOPLE_HASH_MAX	  65

struct store_building {
	int64_t id;
	char ref[PEOPLE_REF_MAX];
	char address[192];
	int has_point;
	double lon, lat;
	char grid[GRID_CODE_MAX];
	int floors, units;
};

struct store_house {
	int64_t id;
	int64_t building_id; /* 0: none */
	char bref[PEOPLE_REF_MAX];
	char grid[GRID_CODE_MAX];
	char unit[16], number[24];
	double area;  /* 0: unknown */
	char use[16]; /* 自住 出租 空置 经营 */
};

struct store_household {
	int64_t id;
	char ref[PEOPLE_REF_MAX];
	int64_t house_id; /* 0: none */
	char grid[GRID_CODE_MAX];
	int64_t head_id;
	int64_t members;
};

struct store_resident {
	int64_t id;
	int64_t household_id, house_id; /* 0: none */
	char grid[GRID_CODE_MAX];
	char name[64];
	char id_sealed[PEOPLE_SEALED_MAX], id_hash[PEOPLE_HASH_MAX], id_mask[20];
	int id_valid;
	char gender[2], birth[11];
	char phone_sealed[PEOPLE_SEALED_MAX], phone_mask[24];
	char relation[16];
	int registered, living;
	char tags[128];
	char status[12];   /* active moved_out died */
	char address[192]; /* building address + unit + number, when housed (read only) */
};

/** Insert a building or update it by ref; *id receives its id. */
int store_building_put(struct store *s, const struct store_building *b, int64_t *id,
		       struct err *err) GG_WUR;
/** Insert a house or update it by (grid, bref, unit, number); *id receives its id. */
int store_house_put(struct store *s, const struct store_house *h, int64_t *id,
		    struct err *err) GG_WUR;
/** Insert a household or find it by ref; *id receives its id. */
int store_household_put(struct store *s, const struct store_household *h, int64_t *id,
			struct err *err) GG_WUR;
/** Insert a resident; a relation of 户主 makes them the head of their household. */
int store_resident_insert(struct store *s, const struct store_resident *p, int64_t *id,
			  struct err *err) GG_WUR;
/** Number of residents already holding this ID hash. */
int store_resident_count_hash(struct store *s, const char *hash, int64_t *n,
			      struct err *err) GG_WUR;

/** Residents under a grid code in grid and id order, from offset; *total counts them all. */
int store_resident_list(struct store *s, const char *under, int64_t offset, int64_t limit,
			struct arena *a, struct store_resident **out, size_t *n, int64_t *total,
			struct err *err) GG_WUR;
/**
 * Call fn for every resident under a grid code, in grid and id order, one row at a time
 * (for exports of a whole district without holding it in memory). A non-zero return
 * from fn stops the walk and is returned.
 */
int store_resident_each(struct store *s, const char *under,
			int (*fn)(void *arg, const struct store_resident *p), void *arg,
			struct err *err) GG_WUR;
int store_resident_get(struct store *s, int64_t id, struct store_resident *p,
		       struct err *err) GG_WUR;
/** Residents holding an ID hash (exact lookup). */
int store_resident_by_hash(struct store *s, const char *hash, struct arena *a,
			   struct store_resident **out, size_t *n, struct err *err) GG_WUR;
int store_household_list(struct store *s, const char *under, struct arena *a,
			 struct store_household **out, size_t *n, struct err *err) GG_WUR;
int store_building_list(struct store *s, const char *under, struct arena *a,
			struct store_building **out, size_t *n, struct err *err) GG_WUR;
int store_house_get(struct store *s, int64_t id, struct store_house *h, struct err *err) GG_WUR;

/**
 * Prepare this connection, inside the write transaction, for loading about expect
 * residents: a page cache large enough (1 GiB at most, allocated as used) that a million
 * residents and their indexes stay in memory until the commit. When expect is more than the
 * residents already held, the secondary indexes (but the partial ones) of buildings, houses,
 * households and residents are dropped too (*dropped = 1), to be rebuilt in one sorted pass by
 * store_people_bulk_end: meanwhile store_resident_count_hash would scan the table, so the
 * caller checks duplicates itself (store_resident_hashes lists those already held).
 */
int store_people_bulk(struct store *s, int64_t expect, int *dropped, struct err *err) GG_WUR;

/**
 * Before any database is opened in a process where one thread only will use databases
 * (SQLite's mutexes and allocation counters are switched off): give the page cache of
 * every connection up to bytes of memory reserved in one mapping, in huge pages where the
 * kernel gives them, instead of one heap block per page (a million-row load would fault
 * in each 4 KiB page of its cache separately); SQLite links the slots up front, which
 * touches the whole mapping, so bytes should be about what the load needs. Past that,
 * pages come from the heap as usual. Returns 0 when it took effect, -1 when it could not
 * (too late, or no memory), which changes nothing but the speed.
 */
int store_people_bulk_memory(size_t bytes);

/**
 * Rebuild the indexes store_people_bulk dropped, in the same transaction (keep = 1), or
 * only forget them after the transaction was rolled back, which restored them (keep = 0).
 */
int store_people_bulk_end(struct store *s, int keep, struct err *err) GG_WUR;

/** Call fn with the ID hash of every resident held, whatever the status; non-zero stops. */
int store_resident_hashes(struct store *s, int (*fn)(void *arg, const char *hash), void *arg,
			  struct err *err) GG_WUR;

/** Recompute grid.households and grid.population of every node from the data. */
int store_people_recount(struct store *s, struct err *err) GG_WUR;

/** Record that a user saw a resident's ID or phone number in clear. */
int store_pii_access_insert(struct store *s, int64_t at, const struct principal *who,
			    int64_t resident_id, const char *grid, const char *reason,
			    struct err *err) GG_WUR;
/** Number of trail rows of a resident (tests and audits). */
int store_pii_access_count(struct store *s, int64_t resident_id, int64_t *n,
			   struct err *err) GG_WUR;

/* ---- quality checks ------------------------------------------------------------- */

enum people_fault {
	PF_RESIDENT_NO_HOUSE,
	PF_HOUSE_NO_BUILDING,
	PF_BUILDING_OUTSIDE_GRID, /* found with the locator, outside the store */
	PF_DUPLICATE_ID,
	PF_INVALID_ID,
	PF_GRID_HOUSEHOLDS,
	PF_GRID_NO_WORKER, /* a basic grid without a dedicated grid worker 专职网格员 */
	PF_COUNT
};

/** "resident_without_house", … stable names of the faults. */
const char *store_people_fault_name(enum people_fault f);

struct store_people_fault {
	enum people_fault kind;
	char grid[GRID_CODE_MAX];
	int64_t id;	/* resident, house, building or 0 for a grid */
	char what[128]; /* resident's name, house number, building ref, grid name */
	int64_t value;	/* households for PF_GRID_HOUSEHOLDS; holders for PF_DUPLICATE_ID */
};

/**
 * Every fault the store can find under a grid code (all kinds but
 * PF_BUILDING_OUTSIDE_GRID), ordered by kind, grid and id. Grids are checked for
 * households outside [hh_min, hh_max] at the basic-grid level only.
 */
int store_people_faults(struct store *s, const char *under, int hh_min, int hh_max, struct arena *a,
			struct store_people_fault **out, size_t *n, struct err *err) GG_WUR;

/* ---- corrections from visits ------------------------------------------------------ */

struct store_correction {
	int64_t id, resident_id, house_id;
	char grid[GRID_CODE_MAX];
	char kind[16]; /* moved_out died new_phone new_tenant */
	char phone_sealed[PEOPLE_SEALED_MAX], phone_mask[24];
	char name[64];
	char id_sealed[PEOPLE_SEALED_MAX], id_hash[PEOPLE_HASH_MAX], id_mask[20];
	char gender[2], birth[11];
	char note[256];
	char state[12]; /* proposed approved rejected */
	int64_t proposed_by, proposed_at, decided_by, decided_at;
	char decision[256];
};

int store_correction_insert(struct store *s, const struct store_correction *c, int64_t *id,
			    struct err *err) GG_WUR;
int store_correction_get(struct store *s, int64_t id, struct store_correction *c,
			 struct err *err) GG_WUR;
int store_correction_list(struct store *s, const char *under, const char *state, struct arena *a,
			  struct store_correction **out, size_t *n, struct err *err) GG_WUR;
/**
 * Approve (apply the change to the resident or house, then recount) or reject a
 * proposed correction. GG_ESTATE when it is no longer proposed.
 */
int store_correction_decide(struct store *s, int64_t id, int approve, int64_t by, int64_t at,
			    const char *decision, struct err *err) GG_WUR;

#endif
