/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrol tracks 巡查轨迹 (issue 15): the positions a grid worker's phone reports in the
 * OsmAnd protocol (what Traccar's server takes, so Traccar Client works unchanged), their
 * cleaning with Traccar's filter names, and the patrols made of them: distance, duration,
 * stops and the time spent inside the worker's own grid, by clipping each segment between
 * consecutive fixes against the grid's polygon (GEOS) and interpolating time. Pure
 * functions: no SQL, no HTTP; allocations come from the caller's arena.
 */
#ifndef GRIDGOV_TRACK_H
#define GRIDGOV_TRACK_H

#include <geos_c.h>
#include <stddef.h>
#include <stdint.h>

#include "gridgov/arena.h"
#include "gridgov/err.h"
#include "gridgov/role.h"

#define TRACK_ID_MAX	 64   /* a device id, bytes with the NUL */
#define TRACK_BATCH_MAX	 5000 /* fixes in one request at most */
#define TRACK_ATTRS_MAX	 4096 /* bytes of kept extra keys per fix */
#define TRACK_REASON_MAX 16

/** One reported position (a fix) as decoded from a request. */
struct track_fix {
	char device[TRACK_ID_MAX];
	int64_t t_ms; /* fix time, epoch milliseconds */
	int has_pos;  /* lat and lon were given */
	double lat, lon;
	int valid;	   /* the client's "valid" flag (1 unless it says otherwise) */
	double speed_kn;   /* knots (Traccar's unit); NAN when unknown */
	double course;	   /* degrees; NAN when unknown */
	double altitude;   /* metres; NAN when unknown */
	double accuracy;   /* metres; NAN when unknown */
	double battery;	   /* percent; NAN when unknown */
	int charge;	   /* -1 unknown, 0, 1 */
	const char *attrs; /* the other keys as a JSON object text, or NULL (arena) */
	void *extra;	   /* while decoding: a json_t of the other keys */
	int has_time;
};

/** Start decoding a fix (every field unknown, valid). */
void track_fix_init(struct track_fix *f);
/**
 * One key=value of the query-string / form protocol (id, deviceid, lat, lon,
 * location=lat,lon, timestamp as epoch s / ms / ISO 8601 / "YYYY-MM-DD HH:MM:SS" in the
 * platform's zone, speed in knots, bearing/heading, altitude, accuracy, hdop, batt,
 * charge, valid; other keys are kept in attrs). GG_EINVAL when a value does not parse,
 * is not finite or is not text.
 */
int track_fix_set(struct track_fix *f, const char *key, const char *value, struct err *err) GG_WUR;
/**
 * After the last key: GG_EINVAL without a device id; a fix without a time gets now_ms;
 * the kept keys become attrs (from a). Frees the decoding state.
 */
int track_fix_finish(struct arena *a, struct track_fix *f, int64_t now_ms, struct err *err) GG_WUR;
/** Drop a fix's decoding state after a failure. */
void track_fix_drop(struct track_fix *f);
/**
 * Decode an application/x-www-form-urlencoded text (a query string or a form body) as
 * one fix into *f.
 */
int track_parse_form(struct arena *a, const char *s, size_t len, int64_t now_ms,
		     struct track_fix *f, struct err *err) GG_WUR;
/**
 * Decode a JSON body: the object Traccar Client posts ({"device_id", "location":
 * {"timestamp", "coords": {latitude, longitude, speed m/s, heading, accuracy, altitude},
 * "battery": {level 0..1, is_charging}, is_moving, odometer, event, …}}), a flat object of
 * the query-string keys, or an array of either (a batched upload, at most max). *out is
 * from a. GG_EJSON / GG_EINVAL for a malformed body or fix, GG_ETOOBIG past max.
 */
int track_parse_json(struct arena *a, const char *body, size_t len, int64_t now_ms, size_t max,
		     struct track_fix **out, size_t *n, struct err *err) GG_WUR;
/** Parse a timestamp as the protocol allows into epoch ms; -1 when it is none. */
int track_parse_time(const char *s, int64_t *ms);

/* ---- cleaning (Traccar's filter names) --------------------------------------------- */

/** Settings; the keys of track_config_set are in brackets. */
struct track_config {
	int invalid;	      /* [filter.invalid] drop invalid or out-of-range fixes */
	int zero;	      /* [filter.zero] drop 0,0 */
	int duplicate;	      /* [filter.duplicate] drop a fix with the last one's time */
	int64_t future_s;     /* [filter.future] drop fixes more than this ahead of now */
	int64_t past_s;	      /* [filter.past] drop fixes more than this behind now */
	double accuracy_m;    /* [filter.accuracy] drop fixes less accurate than this */
	double max_speed_kn;  /* [filter.maxSpeed] drop jumps faster than this from the last */
	double distance_m;    /* [filter.distance] collapse stationary jitter within this */
	int64_t skip_limit_s; /* [filter.skipLimit] keep a fix this long after the last */
	int64_t gap_s;	      /* [track.gap] a longer silence splits patrols, time unknown */
	double stop_radius_m; /* [track.stopRadius] a stop stays within this … */
	int64_t stop_min_s;   /* [track.stopDuration] … at least this long */
	int64_t online_s;     /* [track.online] a last fix this recent is online */
	int retention_days;   /* [track.retentionDays] days of positions kept (0: all) */
};
/** Defaults: every filter on; future 1 day, past 7 days, accuracy 100 m, maxSpeed 60 kn,
 * distance 15 m, skipLimit 300 s; gap 3600 s, stops 50 m / 300 s, online 300 s. */
void track_config_defaults(struct track_config *c);
/** Set one key (names above); GG_EINVAL for an unknown key or a bad value. */
int track_config_set(struct track_config *c, const char *key, const char *value,
		     struct err *err) GG_WUR;
/** Read "key=value" lines (# comments, blank lines) from a file. */
int track_config_load(struct track_config *c, const char *path, struct err *err) GG_WUR;

/**
 * The filter that rejects f given the device's last accepted fix (NULL: none): "invalid",
 * "zero", "future", "past", "accuracy", "duplicate", "distance" or "maxSpeed" (Traccar's
 * order), or NULL when f is kept. A fix older than last is checked only by the filters
 * that need no last fix.
 */
const char *track_filter(const struct track_config *c, const struct track_fix *last,
			 const struct track_fix *f, int64_t now_ms);
/** Great-circle distance in metres. */
double track_distance_m(double lat1, double lon1, double lat2, double lon2);

/* ---- patrols ------------------------------------------------------------------ */

struct track_point {
	int64_t t_ms;
	double lat, lon;
};

struct track_stop {
	int64_t from_ms, to_ms;
	double lat, lon; /* the centre of its fixes */
};

struct track_patrol {
	int64_t from_ms, to_ms;
	size_t first, npoints; /* its points in the input */
	double distance_m;
	double duration_s;
	double inside_s; /* inside the grid polygon */
	struct track_stop *stops;
	size_t nstops;
};

/**
 * Cut points (sorted by time) into patrols at silences longer than c->gap_s and measure
 * each: distance, duration, stops (c->stop_radius_m, c->stop_min_s) and, when grid is not
 * NULL, the time inside it (a lon/lat polygon; prep its prepared form, or NULL). A silence
 * is never inside: it lies between patrols. Arrays from a.
 */
int track_patrols(struct arena *a, const struct track_config *c, const struct track_point *p,
		  size_t n, GEOSContextHandle_t h, const GEOSGeometry *grid,
		  const GEOSPreparedGeometry *prep, struct track_patrol **out, size_t *nout,
		  struct err *err) GG_WUR;

/** Who may see a worker's positions: the worker, or staff whose grid scope covers theirs. */
int track_may_see(const struct principal *caller, int64_t user_id, const char *user_scope);

#endif
