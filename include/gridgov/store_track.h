/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of patrol tracks (issue 15): trackers registered to workers, positions
 * de-duplicated on (device, fix time) and read by worker and time, fixes the cleaning
 * rejected (kept with the filter's name), the last fix of each worker in a scope, and the
 * retention that drops old days (PostgreSQL: whole day partitions). Part of the store
 * interface (store.h); arrays come from the caller's arena. Times are epoch milliseconds.
 */
#ifndef GRIDGOV_STORE_TRACK_H
#define GRIDGOV_STORE_TRACK_H

#include "gridgov/store.h"
#include "gridgov/track.h"

/** A fix to store: accepted when reason is NULL, else kept as rejected by that filter. */
struct store_position {
	const struct track_fix *fix;
	int64_t user_id;
	int64_t received_at;
	const char *reason;
};

/** The last fix of a worker (store_position_live). */
struct store_live {
	int64_t user_id;
	char name[ROLE_NAME_MAX];
	char scope[GRID_CODE_MAX];
	int64_t t_ms;
	double lat, lon, battery; /* battery NAN when unknown */
};

/** Register a tracker (an OsmAnd device id) to a worker; GG_ECONFLICT when the id is taken. */
int store_tracker_add(struct store *s, const char *id, int64_t user_id, int64_t now,
		      struct err *err) GG_WUR;
/** The worker of a tracker; GG_ENOTFOUND when the id is not registered. */
int store_tracker_user(struct store *s, const char *id, int64_t *user_id, struct err *err) GG_WUR;
/**
 * The device's accepted fix with the latest fix time at or before before_ms (INT64_MAX:
 * its last) into *f; GG_ENOTFOUND when none.
 */
int store_position_last(struct store *s, const char *device, int64_t before_ms, struct track_fix *f,
			struct err *err) GG_WUR;
/**
 * Store n fixes in the open write transaction; a fix whose (device, fix time) is stored
 * already (accepted or rejected) is skipped. *stored counts the rows written.
 */
int store_position_put(struct store *s, const struct store_position *v, size_t n, int64_t *stored,
		       struct err *err) GG_WUR;
/** A worker's accepted fixes with from_ms <= time < to_ms, by time. */
int store_position_range(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
			 struct arena *a, struct track_point **out, size_t *n,
			 struct err *err) GG_WUR;
/** Rejected fixes of a worker in [from_ms, to_ms): their times and reasons. */
int store_position_rejected(struct store *s, int64_t user_id, int64_t from_ms, int64_t to_ms,
			    struct arena *a, int64_t **t_ms, char (**reason)[TRACK_REASON_MAX],
			    size_t *n, struct err *err) GG_WUR;
/**
 * The last accepted fix of each worker with a tracker whose scope lies under `under` ("" =
 * all), or of that one worker when user_id is not 0; ordered by user id.
 */
int store_position_live(struct store *s, const char *under, int64_t user_id, struct arena *a,
			struct store_live **out, size_t *n, struct err *err) GG_WUR;
/** Drop positions (and rejected fixes) of the days that end at or before before_ms. */
int store_position_retain(struct store *s, int64_t before_ms, int64_t *dropped,
			  struct err *err) GG_WUR;

#endif
