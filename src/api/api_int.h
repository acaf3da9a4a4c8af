/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the HTTP layer shared by its files: the request every handler receives,
 * the route table's row, the writer (group commit) and helpers for reading JSON bodies
 * and writing answers. Only server.c, reaper.c and osmand.c (the OsmAnd listener)
 * include libmicrohttpd.
 */
#ifndef GRIDGOV_API_INT_H
#define GRIDGOV_API_INT_H

#include <jansson.h>
#include <pthread.h>
#include <stdatomic.h>

#include "api/body.h"
#include "gridgov/api.h"
#include "gridgov/arena.h"
#include "gridgov/buf.h"
#include "gridgov/role.h"
#include "gridgov/cal.h"
#include "gridgov/cidr.h"
#include "gridgov/case.h"
#include "gridgov/sla.h"
#include "gridgov/store.h"
#include "gridgov/store_case.h"
#include "gridgov/store_intake.h"
#include "gridgov/svc.h"
#include "config.h"

#define GRIDGOV_VERSION_STR GRIDGOV_VERSION

#define API_MAX_PARAMS 4
/* slots of the read-your-writes table (a caller hashes to one; a collision only sends
 * another caller's reads to the primary for a moment) */
#define API_RECENT_SLOTS 4096

struct api_req;
typedef int (*api_handler)(struct api_req *r);

enum api_flags {
	API_WRITE = 1 << 0,	  /* runs on the writer: one savepoint in a group commit */
	API_UPLOAD = 1 << 1,	  /* larger body limit (multipart uploads) */
	API_TEST_ONLY = 1 << 2,	  /* exists only when the server runs with a test clock */
	API_RAW_BODY = 1 << 3,	  /* do not parse the body as JSON */
	API_KEY_OK = 1 << 4,	  /* intake: an API key (X-API-Key or api_key) may authenticate */
	API_FORM = 1 << 5,	  /* accepts application/x-www-form-urlencoded (fields in parts) */
	API_RATED = 1 << 6,	  /* rate-limited per client address (cfg.public_rate a minute) */
	API_SECRET_PATH = 1 << 7, /* the path holds a secret: the access log shows the pattern */
	/* the handler submits its write step itself (api_write), then renders its answer in a
	 * read transaction of its own (api_read) after the commit, off the writer thread */
	API_WRITE_STEP = 1 << 8,
	/* the handler never blocks (indexed reads only; writes through api_write_then): it
	 * runs on libmicrohttpd's polling thread, not on a worker */
	API_INLINE = 1 << 9,
};

/* A handler's result when its write step is queued: the answer comes after the commit. */
#define API_PENDING 1

struct api_route {
	const char *method;
	const char *pattern; /* "/api/v1/grids/{code}/children"; "{id}.json" captures id */
	api_handler handler;
	enum perm perm;
	unsigned flags;
};

extern const struct api_route api__routes[];
extern const size_t api__nroutes;

struct api_server;

struct api_hook {
	struct api_hook *next;
	void (*fn)(struct api_server *srv, void *arg);
	void *arg;
};

/** One field of a multipart/form-data upload (a file when filename is set). */

struct api_req {
	struct api_server *srv;
	struct arena *arena;
	const struct api_route *route;
	const char *method, *path;
	const char *params[API_MAX_PARAMS];
	int nparams;
	void *conn; /* the libmicrohttpd connection, for server.c only */
	const char *body;
	size_t body_len;
	const char *content_type;
	json_t *json;		/* parsed body, or NULL */
	struct api_part *parts; /* multipart fields in arrival order, or NULL */
	int nparts;
	const char *client_ip;

	int authed;
	struct principal who;
	char token_hash[72];
	const char *api_key; /* the X-API-Key header, or NULL */
	int bad_key;	     /* an API key was sent and is unknown */
	struct store *db;    /* the connection this step of the request runs on */
	int reading;	     /* a read transaction is open on the pooled connection */
	int on_replica;	     /* db is the standby's (a read-only route, --read-db) */
	/* on a polling thread: api_write_then suspends the connection instead of waiting */
	int async;
	int (*then)(struct api_req *r, void *arg, int rc); /* after an async write step */
	void *then_arg;
	int write_rc; /* the async write step's result, set by the writer */

	/* The answer: JSON in res, or raw bytes in raw/raw_len with raw_type. */
	int status;
	json_t *res;
	const char *raw;
	size_t raw_len;
	const char *raw_type;
	const char *disposition; /* Content-Disposition of raw bytes (a download), or NULL */
	const char *retry_after;
	const char *cache_control;  /* a raw answer's, instead of no-store (static.c) */
	const char *worker_allowed; /* Service-Worker-Allowed, for /sw.js */
	const char *allow;	    /* for 405 */
	struct err err;
	json_t *err_extra; /* merged into the error object (e.g. allowed_actions) */
	struct api_hook *on_commit;
	struct api_sse *sse; /* GET /api/v1/events: the stream server.c sends (stream.c) */
	int kiosk;	     /* a wall-screen session (kiosk.c): reads only */
};

/* ---- the server, shared with handlers ---------------------------------------- */

struct api_server {
	struct api_config cfg;
	void *daemon;
	int port;
	/* read connections, one per polling thread and worker */
	pthread_mutex_t pool_lock;
	pthread_cond_t pool_cv;
	struct store **pool;
	int pool_size, pool_free;
	int *pool_used;
	/* with --read-db: the standby's connections, for read-only routes (dispatch.c) */
	struct store **rpool;
	int rpool_size, rpool_free;
	int *rpool_used;
	/* read-your-writes: per caller (token, address) hash slot, the monotonic ms until
	 * which its reads go to the primary; and until when the standby counts as down */
	_Atomic int64_t *recent;
	_Atomic int64_t replica_down_until;
	/* the standby's lag as last measured, and its watcher (replica.c) */
	_Atomic int64_t standby_lag_ms;
	pthread_t lag_thread;
	pthread_mutex_t lag_lock;
	pthread_cond_t lag_cv;
	int lag_stop, lag_running;
	/* requests read on the standby, and moved to the primary as it was unavailable */
	atomic_ullong standby_reads, standby_fallbacks;
	/* the writer: group commit of write requests */
	struct api_writer *writer;
	struct api_metrics *metrics;
	char media_dir[1024]; /* cfg.media_dir, or DB.media beside the database */
	/* the grid-map locator (locate.c, issue 3) */
	struct loc_slot *loc;
	struct store *loc_db;
	pthread_t loc_thread;
	pthread_mutex_t loc_lock;
	pthread_cond_t loc_cv;
	int loc_stop, loc_running;
	int64_t loc_version;
	/* intake: per-address limit on citizen reports (cfg.report_rate a minute) */
	struct rate_limiter *report_limiter;
	/* header and body deadlines of connections (server.c) */
	struct api_reaper *reaper;
	/* who a session token is, for API_AUTH_TTL_S (authcache.c) */
	struct api_authcache *auth;
	/* login lock-outs per name and per name and address (login_guard.c) */
	struct api_login_guard *login_guard;
	/* intake: the hotline webhook's sender (hotline_hook.c), or NULL */
	struct api_hotline *hotline;
	/* requests that may block run here, off the polling threads (server.c) */
	struct api_workers *workers;
	/* connections suspended or about to be; once stopping is set, none is suspended */
	atomic_int suspended, stopping;
	/* the live event streams' broadcaster (events.c) */
	struct api_events *events;
	/* patrol tracks: the OsmAnd listener's daemon and port, the retention thread */
	void *osmand;
	int osmand_port;
	pthread_t retain_thread;
	pthread_mutex_t retain_lock;
	pthread_cond_t retain_cv;
	int retain_stop, retain_running;
};

/**
 * Suspend r's connection (server.c) before its work is handed to another thread; that
 * thread calls api__resume once r holds its result, and must not touch r afterwards.
 */
void api__suspend(struct api_req *r);
/** The writer has committed r's write step (r->write_rc): wake its connection. */
void api__resume(struct api_req *r);
/** Connections shut down so far for missing their header or body deadline. */
unsigned long long api__reaped(struct api_server *srv);
/** Borrow a read connection for the life of a request / give it back. */
struct store *api__pool_get(struct api_server *srv);
void api__pool_put(struct api_server *srv, struct store *s);
/** The same from the standby's pool (only with cfg.read_dsn). */
struct store *api__rpool_get(struct api_server *srv);
/**
 * Read-your-writes (dispatch.c): r wrote (or is about to), so the reads of its caller
 * (its token and its address) go to the primary for cfg.read_primary_ms.
 */
void api__wrote(struct api_req *r);
/** The same for a session just created (its token's first reads go to the primary). */
void api__wrote_token(struct api_server *srv, const char *token_hash);
/** Move r's read from the standby to a primary connection (no transaction open). */
void api__read_on_primary(struct api_req *r);
/** Watch the standby's lag (with cfg.read_dsn and cfg.read_max_lag_ms): reads go to the
 * primary while it is further behind (replica.c). */
int api__replica_start(struct api_server *srv, struct err *err) GG_WUR;
void api__replica_stop(struct api_server *srv);
int api__pool_open_count(struct api_server *srv);

/* ---- who a token is, remembered briefly (authcache.c) ------------------------- */

#define API_AUTH_TTL_S 2
struct api_authcache *api__authcache_new(void);
void api__authcache_free(struct api_authcache *c);
/** 1 with *who when token_hash was read less than API_AUTH_TTL_S ago and no user or
 * session was written since (store_epoch); 0 to read it from the store. */
int api__authcache_get(struct api_authcache *c, const char *token_hash, struct principal *who);
/** Remember who token_hash is, as read under epoch (store_epoch before the read). */
void api__authcache_put(struct api_authcache *c, const char *token_hash, uint64_t epoch,
			const struct principal *who);
void api__authcache_counts(const struct api_authcache *c, unsigned long long *hits,
			   unsigned long long *misses);

/* ---- login lock-outs (login_guard.c) ------------------------------------------ */

struct api_login_guard *api__guard_new(void);
void api__guard_free(struct api_login_guard *g);
/**
 * Before checking a password for key: GG_OK (the attempt is counted as in flight),
 * GG_ELOCKED with *until when key is locked, or GG_ERATE when `limit` attempts are
 * already failed or in flight.
 */
int api__guard_reserve(struct api_login_guard *g, const char *key, int limit, int64_t now,
		       int64_t *until) GG_WUR;
/** Give back a reservation whose password was never checked. */
void api__guard_release(struct api_login_guard *g, const char *key, int64_t now);
/**
 * After the check: a success clears the count; the limit-th failure in a row locks key
 * for lock_secs. GG_ELOCKED (with *until) when key is locked now, even after a success.
 */
int api__guard_finish(struct api_login_guard *g, const char *key, int ok, int limit,
		      int64_t lock_secs, int64_t now, int64_t *until) GG_WUR;

/* ---- the writer (writer.c) --------------------------------------------------- */

/** Start the writer thread on its own connection. */
int api__writer_start(struct api_server *srv, struct err *err);
void api__writer_stop(struct api_server *srv);
/**
 * Run fn(r, arg) on the writer connection inside a savepoint of the current group
 * commit, and wait until that commit is durable. Returns fn's result, or a database
 * error if the commit failed (then nothing fn wrote survives).
 */
int api_write(struct api_req *r, int (*fn)(struct api_req *r, void *arg), void *arg);
/**
 * The write step of a handler that answers after its commit: runs step(r, arg) on the
 * writer like api_write, then then(r, arg, rc) with step's result (or the commit's
 * failure); then may open a read (api_read) to render, but writes nothing. On a polling
 * thread (r->async) it gives back r's pooled connection, suspends the connection, queues
 * the step and returns API_PENDING at once; the handler returns that, touches r no more,
 * and the dispatcher runs then() once the commit is durable (api__dispatch_resume).
 * Otherwise it waits and returns then()'s result. then may be NULL (nothing to add).
 */
int api_write_then(struct api_req *r, int (*step)(struct api_req *r, void *arg), void *arg,
		   int (*then)(struct api_req *r, void *arg, int rc));
/**
 * The same for work that is not a request (the scheduler): fn(db, arg, err) runs on the
 * writer connection in its own savepoint of a group commit; returns once it is durable.
 */
int api__write_store(struct api_server *srv,
		     int (*fn)(struct store *db, void *arg, struct err *err), void *arg,
		     struct err *err);
/**
 * Open a read transaction on the request's pooled connection (once; the dispatcher ends
 * it): after api_write, it sees what the write committed.
 */
int api_read(struct api_req *r) GG_WUR;
/** Run fn after this request's data is committed (not at all if it is rolled back). */
void api_on_commit(struct api_req *r, void (*fn)(struct api_server *, void *), void *arg);
/** Batches committed so far and requests they carried (metrics and benchmarks). */
void api__writer_stats(struct api_server *srv, uint64_t *batches, uint64_t *jobs);

/* ---- the grid-map locator (locate.c) ------------------------------------------------ */

/**
 * The deepest grid-tree node containing (lon, lat) in WGS 84, written into code
 * (GRID_CODE_MAX). GG_ENOTFOUND when the point lies outside every district.
 */
int api_locate(struct api_server *srv, double lon, double lat, char *code, struct err *err) GG_WUR;
/** Build the index from the database and start the thread that rebuilds it on map changes. */
int api__locator_start(struct api_server *srv, struct err *err) GG_WUR;
void api__locator_stop(struct api_server *srv);

/* ---- patrol tracks (osmand.c, track.c) -------------------------------------------- */

/** Start the OsmAnd listener (when cfg.osmand_port >= 0) and the positions' retention. */
int api__osmand_start(struct api_server *srv, struct err *err) GG_WUR;
void api__osmand_stop(struct api_server *srv);

/* ---- dispatch (dispatch.c) ----------------------------------------------------- */

/** The route for r's method and path (params filled), or NULL; no errors recorded. */
const struct api_route *api__route_for(struct api_req *r);
/**
 * Find the route, authenticate, authorise, run the handler in its transaction. Returns
 * API_PENDING when r's write step was queued (r->async): r belongs to the writer until
 * api__resume, then api__dispatch_resume finishes it. Otherwise 0: r holds its answer.
 */
int api__dispatch(struct api_req *r);
/** After api__resume: run the handler's then() and record the answer or the error. */
void api__dispatch_resume(struct api_req *r);
/** The path to write into logs: a route flagged API_SECRET_PATH shows its pattern. */
const char *api__log_path(const struct api_req *r);
/** Turn r->err (or r->res) into the final status and body. */
char *api__render(struct api_req *r, size_t *len, const char **type);

/* ---- metrics (metrics.c) ------------------------------------------------------- */

struct api_metrics *api__metrics_new(void);
void api__metrics_free(struct api_metrics *m);
void api__metrics_record(struct api_metrics *m, const char *route, const char *method, int status,
			 double seconds);

/* ---- helpers for handlers (json.c) ---------------------------------------------- */

/** A string field of the JSON body; GG_EMISSING (422) names the field when required. */
int api_body_str(struct api_req *r, const char *key, int required, const char **out) GG_WUR;
int api_body_int(struct api_req *r, const char *key, int required, long long *out) GG_WUR;
int api_body_num(struct api_req *r, const char *key, int required, double *out) GG_WUR;
/** The first multipart field called name, or NULL. */
const struct api_part *api_part(struct api_req *r, const char *name);
/** A text field of a multipart form (no filename), or NULL when absent or empty. */
const char *api_form(struct api_req *r, const char *name);
/** A query-string argument, or NULL. */
const char *api_query(struct api_req *r, const char *key);
/** A request header, or NULL. */
const char *api_header(struct api_req *r, const char *name);
/** Every value of a request header that may repeat, joined with commas (from r->arena), or NULL. */
const char *api_header_all(struct api_req *r, const char *name);
/**
 * The client's address (proxy.c): peer, unless peer lies in the n trusted ranges; then
 * the right-most X-Forwarded-For entry (xff, NULL when absent) that is not itself
 * trusted, or the left-most when all are. An entry that is not an address stops the walk
 * at the last trusted hop. The result is peer or a string from a.
 */
const char *api__forwarded_client(struct arena *a, const char *peer, const char *xff,
				  const struct cidr *trusted, size_t n);
/** 422 naming the first query argument whose name or value is not valid text. */
int api__query_check(struct api_req *r) GG_WUR;
/** Answer {"items": items, "total": total} (steals items). */
void api_reply_list(struct api_req *r, json_t *items, long long total);
/** Answer with a JSON value (steals it) and a status. */
void api_reply(struct api_req *r, int status, json_t *res);
/**
 * Take one request from the bucket of (door, key) refilling at per_minute up to burst;
 * 0 when allowed, else GG_ERATE (429) with Retry-After set. per_minute <= 0: no limit.
 */
int api__rate(struct api_req *r, const char *door, const char *key, double per_minute,
	      double burst) GG_WUR;
/** Fail with a code and message; returns the code for `return api_fail(...)`. */
int api_fail(struct api_req *r, int code, const char *fmt, ...) GG_PRINTF(3, 4);

json_t *api_grid_json(const struct grid_node *g);
/**
 * A JSON string of stored text that may predate the checks at the doors: bytes that are
 * not UTF-8 become U+FFFD and control characters are dropped, so one bad row cannot
 * make an answer unrenderable. New reference.
 */
json_t *api_text_json(const char *s);

/* ---- handlers, one file per resource -------------------------------------------- */

int api_health(struct api_req *r);
int api_metrics(struct api_req *r);
int api_test_clock(struct api_req *r);
int api_time(struct api_req *r);
/** The route table with the roles each route allows (tests generate their matrix from it). */
int api_test_routes(struct api_req *r);
int api_session_create(struct api_req *r);
int api_session_delete(struct api_req *r);
int api_session_me(struct api_req *r);
/* administration (admin.c) */
int api_session_password(struct api_req *r);
int api_admin_users(struct api_req *r);
int api_admin_user_add(struct api_req *r);
int api_admin_user_edit(struct api_req *r);
int api_admin_user_lock(struct api_req *r);
int api_admin_user_unlock(struct api_req *r);
int api_admin_user_reset(struct api_req *r);
int api_admin_dept_add(struct api_req *r);
int api_admin_dept_edit(struct api_req *r);
int api_admin_apikeys(struct api_req *r);
int api_admin_apikey_add(struct api_req *r);
int api_admin_apikey_revoke(struct api_req *r);
int api_admin_devices(struct api_req *r);
int api_admin_device_add(struct api_req *r);
int api_admin_audit(struct api_req *r);
int api_grid_get(struct api_req *r);
int api_grid_children(struct api_req *r);
int api_grid_roots(struct api_req *r);
int api_dept_list(struct api_req *r);
/* patrol tracks (track.c) */
int api_patrol_list(struct api_req *r);
int api_position_list(struct api_req *r);
int api_position_live(struct api_req *r);
int api_static(struct api_req *r);

/* ---- media (media.c) -------------------------------------------------------------- */

struct api_media {
	struct store_media rec;
	int has_gps; /* the original's EXIF GPS (not kept) */
	double lon, lat;
};
/** Check, strip, thumbnail and store one uploaded file (the record is not yet written). */
int api__media_ingest(struct api_req *r, const struct api_part *p, struct api_media *out) GG_WUR;
json_t *api__media_json(const struct api_media *m);
/**
 * Whether the caller may see (and so attach) a photo: one of its uploaders, an
 * administrator, or someone who may see a case it is attached to. 0 with r->err set when
 * the store failed.
 */
int api__media_may_see(struct api_req *r, const struct store_media *m);
/** Answer the stored photo m (suffix "" or ".thumb") as raw bytes; 404 when its file is gone. */
int api__media_send(struct api_req *r, const struct store_media *m, const char *suffix) GG_WUR;
int api_media_upload(struct api_req *r);
int api_media_get(struct api_req *r);
int api_media_thumbnail(struct api_req *r);
/* ---- grid map (issue 3): locate.c, geo_map.c ---- */
int api_grid_locate(struct api_req *r);
int api_grid_geojson(struct api_req *r);
int api_check_grids(struct api_req *r);
int api_grid_staff_list(struct api_req *r);
int api_grid_staff_add(struct api_req *r);
/* ---- people and housing 人房 (people.c, people_checks.c, people_corrections.c) ---- */

struct pii_key;
struct store_building;
/** The personal-data key of the server's database, loaded once; NULL (503) if unreadable. */
const struct pii_key *api__people_key(struct api_req *r);
/** The ?under= grid code, defaulting to the caller's scope; 403 outside it. */
int api__people_under(struct api_req *r, const char **under) GG_WUR;
json_t *api__building_json(const struct store_building *b);
int api_people_residents(struct api_req *r);
int api_people_resident_get(struct api_req *r);
int api_people_trail(struct api_req *r);
int api_people_lookup(struct api_req *r);
int api_people_households(struct api_req *r);
int api_people_buildings(struct api_req *r);
int api_people_building_create(struct api_req *r);
int api_people_export(struct api_req *r);
int api_people_checks(struct api_req *r);
int api_people_corrections(struct api_req *r);
int api_people_correction_create(struct api_req *r);
int api_people_correction_approve(struct api_req *r);
int api_people_correction_reject(struct api_req *r);
/* ---- idempotency keys (idem.c) ---------------------------------------------------- */

/** A write's Idempotency-Key (key NULL when the request sent none). */
struct api_idem {
	const char *key;
	const char *route;
	char owner[32];
	char digest[65];
	int replay;	       /* api__idem_find: the key made a case already */
	struct store_idem rec; /* and this is it */
};
/** Before the write: read and check the header (422 idempotency_key), digest the fields. */
int api__idem_begin(struct api_req *r, const char *route, struct api_idem *k) GG_WUR;
/**
 * In the write step, first: k->replay when the key made a case already with the same
 * fields (k->rec.case_id, k->rec.code); 409 idempotency_key when with other fields.
 */
int api__idem_find(struct api_req *r, struct api_idem *k) GG_WUR;
/** In the write step, last: keep the key with the case made (no-op without a key). */
int api__idem_keep(struct api_req *r, struct api_idem *k, int64_t case_id, const char *code) GG_WUR;

/* ---- cases (cases*.c, categories.c, stats.c) -------------------------------------- */

int api_category_list(struct api_req *r);
int api_category_put(struct api_req *r);
int api_case_create(struct api_req *r);
int api_case_duplicates(struct api_req *r);
/* A citizen's (or a caller's) tracking code: API_CODE_LEN random letters and digits. */
#define API_CODE_LEN 10
void api__tracking_code(char out[API_CODE_LEN + 1]);
/* A phone number without spaces and dashes into out, or 422 naming field. */
int api__parse_phone(struct api_req *r, const char *field, const char *in, char *out, size_t n);
int api_case_list(struct api_req *r);
/**
 * The case list's filter from the query (scope, department, state, category, grid,
 * channel, light, open, number, keyword, phone, address, from, to), as the list and its
 * export read it; paging is left to the caller. GG_EFIELD naming a bad parameter.
 */
int api__case_filter(struct api_req *r, struct store_case_filter *f) GG_WUR;
/* response templates 常用语 (templates.c) */
int api_template_list(struct api_req *r);
/* GET /api/v1/cases/export (cases_export.c) */
int api_case_export(struct api_req *r);
int api_template_create(struct api_req *r);
int api_template_put(struct api_req *r);
int api_template_delete(struct api_req *r);
int api_case_get(struct api_req *r);
int api_case_action(struct api_req *r);
int api_stats_indicators(struct api_req *r);
int api_stats_heatmap(struct api_req *r);
/* assessment 考核 (assess.c) */
int api_rankings(struct api_req *r);
int api_rankings_close(struct api_req *r);
int api_rankings_appeals(struct api_req *r);
int api_rankings_appeal(struct api_req *r);
int api_rankings_appeal_decide(struct api_req *r);
int api_assess_schemes(struct api_req *r);
int api_assess_scheme_create(struct api_req *r);
int api_report_monthly(struct api_req *r);
int api_report_weekly(struct api_req *r);

/** The working-day calendar and supervision policy of the server (loaded once). */
const struct cal *api_case_cal(void);
const struct sla_policy *api_case_policy(void);
/** Load case {id} (r->params[0]) if the caller may see it (404 / 403 otherwise). */
int api_case_load(struct api_req *r, struct store_case *c) GG_WUR;
int api_case_visible(struct api_req *r, const struct store_case *c);
json_t *api_case_json(struct api_req *r, const struct store_case *c);
json_t *api_case_allowed_json(struct api_req *r, const struct store_case *c);
/** The domain layer for this request: its connection (r->db now), principal, the clock. */
void api__svc(struct api_req *r, struct svc *s);
/**
 * After a write step that used s: once committed, wake the hotline sender if it queued
 * news, and the scheduler if case c (or NULL) is now due sooner than it planned.
 */
void api__svc_done(struct api_req *r, const struct svc *s, const struct store_case *c);
/**
 * The photo ids of the body's array `field` for svc (from the arena; NULL entries for
 * values that are not strings; a count past SVC_MAX_ATTACH for a value that is not an
 * array, which svc refuses naming the field).
 */
void api__attachments(struct api_req *r, const char *field, const char *const **list, size_t *n);
/**
 * The scheduler (svc_sched_sweep in bounded batches): sleeps until the next deadline
 * falls due, a write files an earlier one (api__sched_note) or it is kicked.
 */
int api__sched_start(struct api_server *srv);
void api__sched_stop(struct api_server *srv);
/**
 * The test clock moved (POST /api/v1/test/clock): wake the scheduler and wait until the
 * pass this causes has committed, so the caller reads its results at once.
 */
void api__sched_kick(void);
/** A committed write filed something due at `at`: wake the scheduler if that is sooner. */
void api__sched_note(int64_t at);

/* ---- intake channels (intake_public.c) ------------------------------------------- */

int api_public_report_create(struct api_req *r);
int api_public_report_photo(struct api_req *r);
int api_public_map(struct api_req *r);
int api_public_report_get(struct api_req *r);
int api_public_report_rate(struct api_req *r);
int api_intake_hotline(struct api_req *r);
int api_intake_alarm(struct api_req *r);
/* Open311 GeoReport v2 (open311.c) */
/** r's recorded failure as Open311 errors (JSON or XML by the path's suffix); free(). */
char *api__open311_error(struct api_req *r, size_t *len, const char **type);
int api_open311_discovery(struct api_req *r);
int api_open311_services(struct api_req *r);
int api_open311_service(struct api_req *r);
int api_open311_request_create(struct api_req *r);
int api_open311_requests(struct api_req *r);
int api_open311_request_get(struct api_req *r);
int api_open311_token(struct api_req *r);
/** Start the webhook sender when cfg.hotline_webhook is set; stop it; wake it. */
int api__hotline_start(struct api_server *srv, struct err *err) GG_WUR;
void api__hotline_stop(struct api_server *srv);
void api__hotline_kick(struct api_server *srv);
/** Split http://HOST[:PORT]/PATH; -1 if it is not one. */
int api__hotline_url_parse(const char *url, char *host, size_t hn, char *port, size_t pn,
			   char *path, size_t ptn);

/* ---- live events and wall screens (stream.c, kiosk.c, grid_profile.c) ---- */

struct api_sse;
int api_events_stream(struct api_req *r);
/** svc's `written` hook (arg: the request): announce c once the request commits. */
void api__svc_written(void *arg, const struct store_case *c, const char *action);
int api_kiosk_create(struct api_req *r);
int api_kiosk_list(struct api_req *r);
int api_kiosk_revoke(struct api_req *r);
int api_kiosk_session(struct api_req *r);
/** r's token is a wall screen's: fill r->who (GG_ENOTFOUND when it is not one). */
int api__kiosk_auth(struct api_req *r) GG_WUR;
int api_grid_profile(struct api_req *r);
/**
 * The indicators over the caller's scope narrowed to under, for cases reported in
 * [from, to) (GET /api/v1/stats/indicators' `all`): a new JSON object into *out.
 */
int api__stats_total(struct api_req *r, const char *under, int64_t from, int64_t to,
		     json_t **out) GG_WUR;

#endif
