/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The storage interface. Handlers and core code call these functions and never see SQL;
 * a backend (store/sqlite/, store/pg/) implements them behind struct store_ops and is
 * chosen by the DSN: "sqlite:PATH" or a bare path for SQLite, a libpq URI
 * ("postgres://…", "postgresql://…", with libpq's multi-host form) for PostgreSQL.
 *
 * A struct store is one connection: use it from one thread at a time. Every function
 * returns GG_OK or a negative gg_err and fills *err; "not found" is GG_ENOTFOUND.
 * Records that come back in arrays are allocated from the arena the caller passes.
 */
#ifndef GRIDGOV_STORE_H
#define GRIDGOV_STORE_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/arena.h"
#include "gridgov/err.h"
#include "gridgov/grid.h"
#include "gridgov/role.h"

struct store;

enum store_tx { STORE_READ, STORE_WRITE };

/** Open a connection; close it with store_close. */
int store_open(const char *dsn, struct store **out, struct err *err) GG_WUR;
void store_close(struct store *s);
/**
 * How many store operations the backend behind s does not implement (0: all of them);
 * *first names one of them (NULL when none). A call to one of them returns GG_EINTERNAL.
 */
int store_ops_missing(struct store *s, const char **first);
/** The backend's name: "sqlite" or "postgres". */
const char *store_backend(struct store *s);
/**
 * How many savepoints one transaction should hold at most: 0 for no limit (SQLite); 64
 * on PostgreSQL, whose server process caches that many subtransaction ids — beyond them
 * the transaction "overflows" and every concurrent snapshot must look its subtransactions
 * up in pg_subtrans, a known cliff. The writer's group commit takes no more per commit.
 */
int store_savepoints_max(struct store *s);
/**
 * How far behind its primary this connection's server is, asked at intervals: *mark
 * holds what the standby had received at the previous call (0 at the first) and is set
 * to what it has received now. *lag_ms is 0 on a primary, on SQLite and on a standby
 * that has replayed everything it had received at the previous call; else the time since
 * the last transaction it replayed. (Judging by what is received but not replayed at
 * one instant would count as lag the WAL that arrived a moment ago, and the time since
 * the last transaction of an idle primary.)
 */
int store_replica_lag(struct store *s, uint64_t *mark, int64_t *lag_ms, struct err *err) GG_WUR;
/** Bring the schema up to date. *from and *to receive the versions before and after. */
int store_migrate(struct store *s, int *from, int *to, struct err *err) GG_WUR;
/** The schema version in the database, 0 for an empty one. */
int store_schema_version(struct store *s, int *version, struct err *err) GG_WUR;

/** Transactions: one per request. Savepoints nest inside (used for group commit). */
int store_begin(struct store *s, enum store_tx mode, struct err *err) GG_WUR;
int store_commit(struct store *s, struct err *err) GG_WUR;
void store_rollback(struct store *s);
int store_savepoint(struct store *s, struct err *err) GG_WUR;
int store_savepoint_release(struct store *s, struct err *err) GG_WUR;
void store_savepoint_rollback(struct store *s);
/**
 * Let this connection keep up to `bytes` of the database in memory (allocated as used),
 * for a long bulk write such as the demo's case history; the default is the backend's.
 */
int store_cache_size(struct store *s, int64_t bytes, struct err *err) GG_WUR;
/**
 * Inside one write transaction of a bulk writer of cases: drop the case table's
 * secondary indexes (on = 1) and make them again (on = 0) before the commit, so each
 * insert touches the table alone and the indexes are built once by sorting. Only what
 * reads cases by id may run in between.
 */
int store_case_bulk(struct store *s, int on, struct err *err) GG_WUR;
/**
 * Outside a transaction, for a bulk writer that has the database to itself: write each
 * page once (on = 1; SQLite: a rollback journal instead of the write-ahead log, so a
 * transaction larger than the cache spills into the database file rather than into an
 * ever longer log that every read must search) and back to the usual mode (on = 0).
 * *done says whether the mode changed (not while other connections have the database
 * open: then the writer goes on in the usual mode). Still all or nothing on a crash.
 */
int store_bulk_journal(struct store *s, int on, int *done, struct err *err) GG_WUR;

/* ---- users and sessions ------------------------------------------------------ */

#define STORE_PWHASH_MAX 160

struct store_user {
	int64_t id;
	struct principal who; /* role, name, scope, dept */
	char pwhash[STORE_PWHASH_MAX];
	int failed_logins;
	int64_t locked_until;
	int active;
	int must_change; /* an admin reset the password: change it before anything else */
};

/** Insert a user; GG_ECONFLICT if the name is taken. */
int store_user_insert(struct store *s, const struct store_user *u, int64_t *id,
		      struct err *err) GG_WUR;
int store_user_by_name(struct store *s, const char *name, struct store_user *u,
		       struct err *err) GG_WUR;
int store_user_set_login_state(struct store *s, int64_t id, int failed, int64_t locked_until,
			       struct err *err) GG_WUR;
int store_user_list(struct store *s, struct arena *a, struct store_user **out, size_t *n,
		    struct err *err) GG_WUR;

/** Sessions are found by the hash of their token (hex); the token itself is never stored. */
int store_session_insert(struct store *s, const char *token_hash, int64_t user_id,
			 int64_t created, int64_t expires, struct err *err) GG_WUR;
/** The user of an unexpired session; GG_ENOTFOUND when none or expired. */
int store_session_user(struct store *s, const char *token_hash, int64_t now,
		       struct store_user *u, struct err *err) GG_WUR;
int store_session_delete(struct store *s, const char *token_hash, struct err *err) GG_WUR;
/**
 * Numbers that change whenever this process writes users or sessions (STORE_EPOCH_AUTH)
 * or the grid tree or category catalogue (STORE_EPOCH_CATALOG): at the write and again
 * when its transaction ends. A cache of such rows (api/authcache.c, store_cache.c) keeps
 * the epoch of before its read, so it can tell an entry read before or during a write.
 */
enum store_epoch_kind { STORE_EPOCH_AUTH, STORE_EPOCH_CATALOG, STORE_EPOCH_KINDS };
uint64_t store_epoch(enum store_epoch_kind k);

/* ---- the grid tree ------------------------------------------------------------ */

/** Insert a node or update its name and parent. */
int store_grid_put(struct store *s, const struct grid_node *g, struct err *err) GG_WUR;
int store_grid_get(struct store *s, const char *code, struct grid_node *g,
		   struct err *err) GG_WUR;
/** Children of code, ordered by code; code "" lists the roots (districts). */
int store_grid_children(struct store *s, const char *code, struct arena *a,
			struct grid_node **out, size_t *n, struct err *err) GG_WUR;
/** Number of nodes of a level under a code ("" = all). */
int store_grid_count(struct store *s, const char *under, enum grid_level level, int64_t *n,
		     struct err *err) GG_WUR;

/* ---- departments 职能部门 ----------------------------------------------------- */

struct store_dept {
	char code[ROLE_DEPT_MAX];
	char name[64];
	char name_en[64];
};

int store_dept_list(struct store *s, struct arena *a, struct store_dept **out, size_t *n,
		    struct err *err) GG_WUR;
int store_dept_get(struct store *s, const char *code, struct store_dept *d,
		   struct err *err) GG_WUR;

/* ---- media (photos, files) --------------------------------------------------- */

struct store_media {
	char sha256[65];
	char kind[16]; /* "jpeg", "png" */
	int64_t bytes;
	int width, height;
	int64_t uploader; /* user id, 0 for anonymous citizens */
	int64_t created_at;
};

/**
 * Record a stored object and its uploader; storing the same bytes again is not an error
 * and makes the new uploader one of its owners too.
 */
int store_media_put(struct store *s, const struct store_media *m, struct err *err) GG_WUR;
/** The record of a stored object; GG_ENOTFOUND when there is none. */
int store_media_get(struct store *s, const char *sha256, struct store_media *m,
		    struct err *err) GG_WUR;
/** Whether user uploaded the object (first or again). */
int store_media_owned(struct store *s, const char *sha256, int64_t user, int *owned,
		      struct err *err) GG_WUR;

#endif
