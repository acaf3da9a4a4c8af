/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the people-and-housing store calls to the backend. */
#include "store/store_int.h"

int store_building_put(struct store *s, const struct store_building *b, int64_t *id,
		       struct err *err)
{
	return STORE_CALL(building_put, (s, b, id, err));
}

int store_house_put(struct store *s, const struct store_house *h, int64_t *id, struct err *err)
{
	return STORE_CALL(house_put, (s, h, id, err));
}

int store_household_put(struct store *s, const struct store_household *h, int64_t *id,
			struct err *err)
{
	return STORE_CALL(household_put, (s, h, id, err));
}

int store_resident_insert(struct store *s, const struct store_resident *p, int64_t *id,
			  struct err *err)
{
	return STORE_CALL(resident_insert, (s, p, id, err));
}

int store_resident_count_hash(struct store *s, const char *hash, int64_t *n, struct err *err)
{
	return STORE_CALL(resident_count_hash, (s, hash, n, err));
}

int store_resident_list(struct store *s, const char *under, int64_t offset, int64_t limit,
			struct arena *a, struct store_resident **out, size_t *n, int64_t *total,
			struct err *err)
{
	return STORE_CALL(resident_list, (s, under, offset, limit, a, out, n, total, err));
}

int store_resident_each(struct store *s, const char *under,
			int (*fn)(void *arg, const struct store_resident *p), void *arg,
			struct err *err)
{
	return STORE_CALL(resident_each, (s, under, fn, arg, err));
}

int store_resident_get(struct store *s, int64_t id, struct store_resident *p, struct err *err)
{
	return STORE_CALL(resident_get, (s, id, p, err));
}

int store_resident_by_hash(struct store *s, const char *hash, struct arena *a,
			   struct store_resident **out, size_t *n, struct err *err)
{
	return STORE_CALL(resident_by_hash, (s, hash, a, out, n, err));
}

int store_household_list(struct store *s, const char *under, struct arena *a,
			 struct store_household **out, size_t *n, struct err *err)
{
	return STORE_CALL(household_list, (s, under, a, out, n, err));
}

int store_building_list(struct store *s, const char *under, struct arena *a,
			struct store_building **out, size_t *n, struct err *err)
{
	return STORE_CALL(building_list, (s, under, a, out, n, err));
}

int store_house_get(struct store *s, int64_t id, struct store_house *h, struct err *err)
{
	return STORE_CALL(house_get, (s, id, h, err));
}

int store_people_bulk(struct store *s, int64_t expect, int *dropped, struct err *err)
{
	return STORE_CALL(people_bulk, (s, expect, dropped, err));
}

int store_people_bulk_end(struct store *s, int keep, struct err *err)
{
	return STORE_CALL(people_bulk_end, (s, keep, err));
}

int store_resident_hashes(struct store *s, int (*fn)(void *arg, const char *hash), void *arg,
			  struct err *err)
{
	return STORE_CALL(resident_hashes, (s, fn, arg, err));
}

int store_people_recount(struct store *s, struct err *err)
{
	store__changed(s, STORE_EPOCH_CATALOG); /* the grids' households and population */
	int rc = STORE_CALL(people_recount, (s, err));
	store__changed(s, STORE_EPOCH_CATALOG);
	return rc;
}

int store_pii_access_insert(struct store *s, int64_t at, const struct principal *who,
			    int64_t resident_id, const char *grid, const char *reason,
			    struct err *err)
{
	return STORE_CALL(pii_access_insert, (s, at, who, resident_id, grid, reason, err));
}

int store_pii_access_count(struct store *s, int64_t resident_id, int64_t *n, struct err *err)
{
	return STORE_CALL(pii_access_count, (s, resident_id, n, err));
}

int store_people_faults(struct store *s, const char *under, int hh_min, int hh_max, struct arena *a,
			struct store_people_fault **out, size_t *n, struct err *err)
{
	return STORE_CALL(people_faults, (s, under, hh_min, hh_max, a, out, n, err));
}

int store_correction_insert(struct store *s, const struct store_correction *c, int64_t *id,
			    struct err *err)
{
	return STORE_CALL(correction_insert, (s, c, id, err));
}

int store_correction_get(struct store *s, int64_t id, struct store_correction *c, struct err *err)
{
	return STORE_CALL(correction_get, (s, id, c, err));
}

int store_correction_list(struct store *s, const char *under, const char *state, struct arena *a,
			  struct store_correction **out, size_t *n, struct err *err)
{
	return STORE_CALL(correction_list, (s, under, state, a, out, n, err));
}

int store_correction_decide(struct store *s, int64_t id, int approve, int64_t by, int64_t at,
			    const char *decision, struct err *err)
{
	/* an approval recounts the grids' households and population (store_cache.c) */
	store__changed(s, STORE_EPOCH_CATALOG);
	int rc = STORE_CALL(correction_decide, (s, id, approve, by, at, decision, err));
	store__changed(s, STORE_EPOCH_CATALOG);
	return rc;
}
