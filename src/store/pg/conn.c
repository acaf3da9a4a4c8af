/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PostgreSQL connections (libpq): opening a URI (postgres://, postgresql://, libpq's
 * multi-host form with target_session_attrs, all passed through to PQconnectdb),
 * reconnecting after a lost connection, migrations under an advisory lock, transactions
 * and savepoints, the prepared-statement cache, and the mapping of SQLSTATEs to gg errors.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/buf.h"
#include "gridgov/clock.h"
#include "gridgov/xalloc.h"
#include "store/pg/pg_int.h"

/* libpq's messages span lines ("…failed: …\n\tIs the server running…?"): make them one. */
static void one_line(char *dst, size_t n, const char *msg)
{
	size_t j = 0;
	int space = 0;
	for (const char *p = msg ? msg : ""; *p && j + 1 < n; p++) {
		if (*p == '\n' || *p == '\t' || *p == '\r' || *p == ' ') {
			space = j > 0;
			continue;
		}
		if (space && j + 2 < n)
			dst[j++] = ' ';
		space = 0;
		dst[j++] = *p;
	}
	dst[j] = 0;
}

int pg__fail(struct pg *c, const PGresult *res, struct err *err)
{
	const char *st = res ? PQresultErrorField(res, PG_DIAG_SQLSTATE) : NULL;
	const char *con = res ? PQresultErrorField(res, PG_DIAG_CONSTRAINT_NAME) : NULL;
	const char *prim = res ? PQresultErrorField(res, PG_DIAG_MESSAGE_PRIMARY) : NULL;
	char msg[200];
	one_line(msg, sizeof(msg), prim ? prim : PQerrorMessage(c->conn));
	snprintf(c->state, sizeof(c->state), "%s", st ? st : "");
	snprintf(c->constraint, sizeof(c->constraint), "%s", con ? con : "");
	if (PQstatus(c->conn) != CONNECTION_OK || !st || !strncmp(st, "08", 2) ||
	    !strncmp(st, "57P0", 4) || !strcmp(st, "25006")) {
		/* libpq does not always notice a dead socket (the status can stay OK) */
		c->broken = 1;
		return err_set(err, GG_EUNAVAIL, "database unavailable: %s", msg);
	}
	if (!strncmp(st, "23", 2) || !strcmp(st, "P0001"))
		return err_set(err, GG_ECONFLICT, "constraint violated: %s", msg);
	if (!strcmp(st, "40001") || !strcmp(st, "40P01") || !strcmp(st, "55P03"))
		return err_set(err, GG_EBUSY, "database busy: %s", msg);
	return err_set(err, GG_EDB, "database error: %s", msg);
}

/* PGRES_COMMAND_OK / TUPLES_OK (res kept), or the mapped failure (res cleared). */
static int check(struct pg *c, PGresult *res, struct err *err)
{
	ExecStatusType t = PQresultStatus(res);
	if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK)
		return GG_OK;
	int r = pg__fail(c, res, err);
	PQclear(res);
	return r;
}

/* What every session of ours sets, on connecting and after each reset. */
static int session_setup(struct pg *c, struct err *err);

/*
 * A connection that was lost (a restarted server, a failover) is reset before the next
 * transaction, never inside one: what it had done is gone with it. libpq's reset reuses
 * the URI, so with several hosts and target_session_attrs=read-write it finds the new
 * primary. Its prepared statements are gone too.
 */
static int alive(struct pg *c, struct err *err)
{
	if (PQstatus(c->conn) == CONNECTION_OK && !c->broken)
		return GG_OK;
	PQreset(c->conn);
	c->queued = 0;
	c->trail_month[0] = c->trail_month[1] = 0;
	c->pos_day[0] = c->pos_day[1] = c->rej_day[0] = c->rej_day[1] = 0;
	memset(c->cache, 0, sizeof(c->cache));
	c->savepoint_depth = 0;
	if (PQstatus(c->conn) == CONNECTION_OK) {
		c->broken = 0;
		return session_setup(c, err);
	}
	return pg__fail(c, NULL, err);
}

/* check, and the result is not wanted */
static int done(struct pg *c, PGresult *res, struct err *err)
{
	int r = check(c, res, err);
	if (r == GG_OK)
		PQclear(res);
	return r;
}

/*
 * Fewer round trips. A write of a few statements per request spent most of its time
 * waiting for answers it did not need, so two kinds of work go out later, in one trip:
 *
 * - Transaction control: BEGIN (and the writers' lock), SAVEPOINT and RELEASE SAVEPOINT
 *   wait in c->pend as text until the next statement; while there, a SAVEPOINT with
 *   nothing after it (or a BEGIN) can still be taken back for free.
 * - Writes whose rows nobody reads (pg__run_later: the trail entry, the scheduler's row)
 *   are sent in libpq's pipeline mode and their answers read with the next statement
 *   that needs one (c->queued counts them), or at RELEASE SAVEPOINT / COMMIT.
 *
 * Neither changes who sees a failure: deferred control cannot fail where the statement
 * after it would not (it is deferred only in a sound transaction), and a deferred write
 * is flushed before its savepoint is released or its transaction committed, so its error
 * reaches the same request (RELEASE and COMMIT answer it). Outside a transaction nothing
 * is deferred.
 */
static int pipe_read(struct pg *c, PGresult **res, struct err *err);

static int pend_send(struct pg *c)
{
	int ok = 1;
	if (c->npend && !c->queued && !PQenterPipelineMode(c->conn))
		return 0;
	for (int i = 0; i < c->npend && ok; i++, c->queued++)
		ok = PQsendQueryParams(c->conn, c->pend[i], 0, NULL, NULL, NULL, NULL, 0);
	c->npend = 0;
	return ok;
}

static int defer(struct pg *c, const char *sql, struct err *err)
{
	if (c->npend == PG_PEND_MAX) {
		if (!pend_send(c))
			return pg__fail(c, NULL, err);
	}
	snprintf(c->pend[c->npend++], sizeof(c->pend[0]), "%s", sql);
	return GG_OK;
}

/* whether the last deferred command is sql (one that may still be taken back) */
static int pend_last(const struct pg *c, const char *sql)
{
	return c->npend && !strcmp(c->pend[c->npend - 1], sql);
}

/* BEGIN is still deferred: the server has not seen the transaction at all */
static int pend_begins(const struct pg *c)
{
	return c->npend && !c->queued && !strncmp(c->pend[0], "BEGIN", 5);
}

/* The deferred commands, then sql, in one simple query (several statements). */
static PGresult *exec_pend(struct pg *c, const char *sql)
{
	if (!c->npend)
		return PQexec(c->conn, sql);
	struct buf b = BUF_INIT;
	for (int i = 0; i < c->npend; i++) {
		buf_adds(&b, c->pend[i]);
		buf_adds(&b, "; ");
	}
	buf_adds(&b, sql);
	c->npend = 0;
	PGresult *res = PQexec(c->conn, b.p);
	buf_release(&b);
	return res;
}

/* Everything in flight answered: the first failure, if any (the pipeline is left). */
static int pipe_flush(struct pg *c, struct err *err)
{
	if (!c->queued)
		return GG_OK;
	return pipe_read(c, NULL, err);
}

int pg__exec(struct pg *c, const char *sql, struct err *err)
{
	int r = pipe_flush(c, err);
	return r ? r : done(c, exec_pend(c, sql), err);
}

/*
 * Sync the pipeline and read the answers of the c->queued queries in flight: the last
 * one's rows in *res (when res). The first failure is the answer (what followed it in the
 * pipeline was skipped by the server: PGRES_PIPELINE_ABORTED).
 */
static int pipe_read(struct pg *c, PGresult **res, struct err *err)
{
	int n = c->queued, r = GG_OK, q = 0;
	c->queued = 0;
	if (res)
		*res = NULL;
	if (!PQpipelineSync(c->conn)) {
		r = pg__fail(c, NULL, err);
		c->broken = 1;
		PQexitPipelineMode(c->conn);
		return r;
	}
	/* each query's answer ends with a NULL; the sync's result ends the pipeline */
	for (;;) {
		PGresult *x = PQgetResult(c->conn);
		if (!x) {
			if (PQstatus(c->conn) != CONNECTION_OK || ++q > n) {
				if (!r)
					r = pg__fail(c, NULL, err);
				c->broken = 1;
				break;
			}
			continue;
		}
		ExecStatusType t = PQresultStatus(x);
		if (t == PGRES_PIPELINE_SYNC) {
			PQclear(x);
			break;
		}
		if (t == PGRES_COMMAND_OK || t == PGRES_TUPLES_OK) {
			if (res && q == n - 1 && !*res) {
				*res = x;
				continue;
			}
		} else if (t != PGRES_PIPELINE_ABORTED && !r) {
			r = pg__fail(c, x, err);
		}
		PQclear(x);
	}
	if (!PQexitPipelineMode(c->conn))
		c->broken = 1;
	if (r == GG_OK && res && !*res)
		r = err_set(err, GG_EDB, "database error: no result from the statement");
	if (r && res && *res) {
		PQclear(*res);
		*res = NULL;
	}
	return r;
}

/* Send the prepared statement `name` into the pipeline after the deferred commands. */
static int pipe_send(struct pg *c, const char *name, const struct pg_args *a, struct err *err)
{
	if (!c->queued && !c->npend && !PQenterPipelineMode(c->conn))
		return pg__fail(c, NULL, err);
	if (!pend_send(c) || !PQsendQueryPrepared(c->conn, name, a->n, a->v, a->len, a->fmt, 0)) {
		int r = pg__fail(c, NULL, err);
		c->broken = 1;
		c->queued = 0;
		PQexitPipelineMode(c->conn);
		return r;
	}
	c->queued++;
	return GG_OK;
}

/* The slot of sql in the cache, prepared on this connection (PQprepare once). */
static int prepared(struct pg *c, const char *sql, const struct pg_args *a, char name[16],
		    struct err *err)
{
	size_t h = ((uintptr_t)sql >> 3) % PG_CACHE_SLOTS;
	for (size_t i = 0; i < PG_CACHE_SLOTS; i++) {
		size_t k = (h + i) % PG_CACHE_SLOTS;
		snprintf(name, 16, "g%zu", k);
		if (c->cache[k] == sql)
			return GG_OK;
		if (!c->cache[k]) {
			/* PQprepare waits for its answer, which pipeline mode does not allow */
			int r = pipe_flush(c, err);
			if (r)
				return r;
			r = done(c, PQprepare(c->conn, name, sql, a->n, a->type), err);
			if (r == GG_OK)
				c->cache[k] = sql;
			return r;
		}
	}
	BUG("statement cache full: raise PG_CACHE_SLOTS");
}

static int query_once(struct pg *c, const char *sql, const struct pg_args *a, PGresult **res,
		      struct err *err)
{
	static const struct pg_args none = PG_ARGS_INIT;
	char name[16];
	*res = NULL;
	if (!a)
		a = &none;
	int r;
	if (!c->queued && !c->npend && PQtransactionStatus(c->conn) == PQTRANS_IDLE &&
	    (r = alive(c, err)))
		return r;
	if ((r = prepared(c, sql, a, name, err)))
		return r;
	if (c->queued || c->npend) {
		if ((r = pipe_send(c, name, a, err)))
			return r;
		return pipe_read(c, res, err);
	}
	PGresult *x = PQexecPrepared(c->conn, name, a->n, a->v, a->len, a->fmt, 0);
	if ((r = check(c, x, err)))
		return r;
	*res = x;
	return GG_OK;
}

/*
 * A connection whose server died while it sat idle (a failover, a restart) still looks
 * fine to libpq until it is used: the first statement of its next transaction, which
 * carries the deferred BEGIN, is the first to fail. Nothing of the transaction is on any
 * server then (an uncommitted transaction dies with its connection), so the connection is
 * reset — libpq finds the new primary — and the BEGIN and the statement sent once more;
 * after a failover each pooled connection would otherwise answer one needless 503. Only
 * that first statement is retried: a later one, or a COMMIT, lost with its connection is
 * the caller's 503 (for a COMMIT, its outcome unknown).
 */
int pg__query(struct pg *c, const char *sql, const struct pg_args *a, PGresult **res,
	      struct err *err)
{
	if (!pend_begins(c))
		return query_once(c, sql, a, res, err);
	char pend[PG_PEND_MAX][sizeof(c->pend[0])];
	int npend = c->npend, depth = c->savepoint_depth;
	memcpy(pend, c->pend, sizeof(pend));
	int r = query_once(c, sql, a, res, err);
	if (r != GG_EUNAVAIL || (PQstatus(c->conn) == CONNECTION_OK && !c->broken))
		return r;
	if ((r = alive(c, err)))
		return r;
	err_clear(err);
	memcpy(c->pend, pend, sizeof(pend));
	c->npend = npend;
	c->savepoint_depth = depth;
	return query_once(c, sql, a, res, err);
}

/* Inside a transaction: sent now, answered later (see pipe_read); outside: pg__run. */
int pg__run_later(struct pg *c, const char *sql, const struct pg_args *a, struct err *err)
{
	char name[16];
	if (!c->npend && !c->queued && PQtransactionStatus(c->conn) != PQTRANS_INTRANS)
		return pg__run(c, sql, a, err);
	int r = prepared(c, sql, a, name, err);
	if (r)
		return r;
	if ((r = pipe_send(c, name, a, err)))
		return r;
	return c->queued >= PG_QUEUE_MAX ? pipe_flush(c, err) : GG_OK;
}

int pg__run(struct pg *c, const char *sql, const struct pg_args *a, struct err *err)
{
	PGresult *res;
	int r = pg__query(c, sql, a, &res, err);
	PQclear(res);
	return r;
}

int pg__run_changes(struct pg *c, const char *sql, const struct pg_args *a, int64_t *changed,
		    struct err *err)
{
	PGresult *res;
	int r = pg__query(c, sql, a, &res, err);
	*changed = r == GG_OK ? strtoll(PQcmdTuples(res), NULL, 10) : 0;
	PQclear(res);
	return r;
}

int pg__row(struct pg *c, const char *sql, const struct pg_args *a, PGresult **res, struct err *err)
{
	int r = pg__query(c, sql, a, res, err);
	if (r == GG_OK && PQntuples(*res) == 0) {
		PQclear(*res);
		*res = NULL;
		return GG_ENOTFOUND;
	}
	return r;
}

int pg__id(struct pg *c, const char *sql, const struct pg_args *a, int64_t *id, struct err *err)
{
	PGresult *res;
	int r = pg__row(c, sql, a, &res, err);
	if (r == GG_ENOTFOUND)
		return err_set(err, GG_EDB, "database error: no row returned");
	if (r == GG_OK && id)
		*id = pg__int(res, 0, 0);
	PQclear(res);
	return r;
}

int pg__rows(struct pg *c, const char *sql, const struct pg_args *a, struct arena *ar, size_t elem,
	     void (*read)(const PGresult *res, int row, void *elem), void **out, size_t *n,
	     struct err *err)
{
	PGresult *res;
	*out = NULL;
	*n = 0;
	int r = pg__query(c, sql, a, &res, err);
	if (r)
		return r;
	size_t len = 0, cap = 0;
	void *v = NULL;
	for (int i = 0, rows = PQntuples(res); i < rows; i++)
		read(res, i, arena_push(ar, &v, &len, &cap, elem));
	PQclear(res);
	*out = v;
	*n = len;
	return GG_OK;
}

static void pg_close(struct store *s)
{
	struct pg *c = pg_of(s);
	PQfinish(c->conn);
	free(c);
}

/* Notices (a DROP … IF EXISTS that had nothing to drop) are not the caller's business. */
static void quiet(void *arg, const char *message)
{
	(void)arg;
	(void)message;
}

/*
 * Times are integers (seconds since the epoch) computed in C; the session's zone matters
 * only to a human reading with psql (China Standard Time, as the platform's days are).
 */
static int session_setup(struct pg *c, struct err *err)
{
	return pg__exec(c, "SET client_encoding = 'UTF8'; SET TIME ZONE 'Asia/Shanghai'", err);
}

int store__pg_open(const char *uri, struct store **out, struct err *err)
{
	struct pg *c = xcalloc(1, sizeof(*c));
	c->base.ops = &pg__ops;
	c->conn = PQconnectdb(uri);
	if (!c->conn)
		BUG("libpq could not allocate a connection");
	if (PQstatus(c->conn) != CONNECTION_OK) {
		int r = pg__fail(c, NULL, err);
		pg_close(&c->base);
		return r;
	}
	PQsetNoticeProcessor(c->conn, quiet, NULL);
	int r = session_setup(c, err);
	if (r) {
		pg_close(&c->base);
		return r;
	}
	*out = &c->base;
	return GG_OK;
}

static int pg_schema_version(struct store *s, int *version, struct err *err)
{
	static const char has[] = "SELECT to_regclass('schema_migrations') IS NOT NULL";
	static const char max[] = "SELECT coalesce(max(version),0) FROM schema_migrations";
	struct pg *c = pg_of(s);
	PGresult *res;
	*version = 0;
	int r = pg__row(c, has, NULL, &res, err);
	if (r)
		return r;
	int exists = !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	if (!exists)
		return GG_OK; /* an empty database */
	int64_t v = 0;
	r = pg__id(c, max, NULL, &v, err);
	*version = (int)v;
	return r;
}

/*
 * Each migration is one transaction that first takes the migration lock: two servers
 * starting at once on a fresh database queue there, and the second finds the migration
 * applied (it checks after the lock, not before). DDL is transactional in PostgreSQL, so a
 * migration that fails leaves nothing of itself.
 */
static int migrate_one(struct pg *c, const struct pg_migration *m, struct err *err)
{
	static const char applied[] = "SELECT count(*) FROM schema_migrations WHERE version = $1";
	static const char record[] = "INSERT INTO schema_migrations(version, name, applied_at)"
				     " VALUES($1, $2, $3)";
	char lock[256];
	snprintf(lock, sizeof(lock),
		 "BEGIN; SELECT pg_advisory_xact_lock(%lld);"
		 " CREATE TABLE IF NOT EXISTS schema_migrations (version bigint PRIMARY KEY,"
		 " name text NOT NULL, applied_at bigint NOT NULL)",
		 (long long)PG_LOCK_MIGRATE);
	int r = pg__exec(c, lock, err);
	if (r)
		return r;
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, m->version);
	int64_t n = 0;
	if ((r = pg__id(c, applied, &a, &n, err)) || n) {
		if (r)
			pg__exec(c, "ROLLBACK", NULL);
		return r ? r : pg__exec(c, "COMMIT", err);
	}
	if ((r = pg__exec(c, m->sql, err))) {
		err_set(err, r, "migration %03d_%s failed: %s", m->version, m->name,
			err ? err->msg : "");
		pg__exec(c, "ROLLBACK", NULL);
		return r;
	}
	pg__arg_text(&a, m->name);
	pg__arg_int(&a, clock_now());
	if ((r = pg__run(c, record, &a, err))) {
		pg__exec(c, "ROLLBACK", NULL);
		return r;
	}
	return pg__exec(c, "COMMIT", err);
}

static int pg_migrate(struct store *s, int *from, int *to, struct err *err)
{
	struct pg *c = pg_of(s);
	int r = pg_schema_version(s, from, err);
	for (const struct pg_migration *m = pg__migrations; m->sql && r == GG_OK; m++)
		r = migrate_one(c, m, err);
	return r ? r : pg_schema_version(s, to, err);
}

/* The server's shared_buffers is the cache; a connection has nothing of its own to size. */
static int pg_cache_size(struct store *s, int64_t bytes, struct err *err)
{
	(void)s;
	(void)bytes;
	(void)err;
	return GG_OK;
}

/*
 * A bulk writer of cases keeps the indexes on PostgreSQL: dropping them is DDL that takes
 * an exclusive lock on gcase for the whole transaction, and the server builds indexes
 * incrementally well enough. (SQLite's reason, a page cache that the indexes thrash, is
 * its own.)
 */
static int pg_case_bulk(struct store *s, int on, struct err *err)
{
	(void)s;
	(void)on;
	(void)err;
	return GG_OK;
}

/*
 * Transactions. SQLite's BEGIN IMMEDIATE takes the database's write lock at the start, so
 * a write transaction never interleaves with another: what it reads stays true until it
 * commits (the case it read and then updates, the trail's last entry it chains to, a
 * count it checks before inserting). The domain code relies on that. PostgreSQL's READ
 * COMMITTED would let two writers read the same trail tail and both append to it, or
 * both update a case from the same old row; SERIALIZABLE would keep them apart only by
 * failing one at commit. So a write transaction takes one transaction-scoped advisory
 * lock first: writers queue there exactly as they queue on SQLite's lock (across every
 * server on the database), and each statement after it sees every earlier writer's
 * commit. Readers never wait for it. Finer locks (per case) can come later, with the
 * writer's group commit; this keeps the guarantee the callers were written against.
 *
 * A read transaction is REPEATABLE READ, one snapshot for all its statements, as SQLite's
 * read transaction on WAL is.
 */
static int pg_begin(struct store *s, enum store_tx mode, struct err *err)
{
	struct pg *c = pg_of(s);
	c->log_tail.case_id = 0;
	c->savepoint_depth = 0;
	c->npend = 0;
	if (c->queued)
		pipe_read(c, NULL, NULL); /* a transaction left unfinished: its answers go */
	int r = alive(c, err);
	if (r)
		return r;
	/* deferred: they go out with the transaction's first statement */
	if (mode != STORE_WRITE)
		return defer(c, "BEGIN ISOLATION LEVEL REPEATABLE READ", err);
	char sql[96];
	snprintf(sql, sizeof(sql), "SELECT pg_advisory_xact_lock(%lld)", (long long)PG_LOCK_WRITE);
	if ((r = defer(c, "BEGIN ISOLATION LEVEL READ COMMITTED", err)))
		return r;
	return defer(c, sql, err);
}

static void pg_rollback(struct store *s);

/* The deferred commands and the writes in flight answered (the pipeline is left). */
static int sync_all(struct pg *c, struct err *err)
{
	if (!c->queued)
		return c->npend ? done(c, exec_pend(c, "SELECT 1"), err) : GG_OK;
	if (!pend_send(c)) {
		int r = pg__fail(c, NULL, err);
		pipe_read(c, NULL, NULL);
		return r;
	}
	return pipe_read(c, NULL, err);
}

/*
 * PostgreSQL answers COMMIT of a failed transaction with ROLLBACK and no error: say so,
 * rather than report a write that did not happen. With writes in flight, COMMIT joins
 * them in the pipeline: if one failed, the server skips the COMMIT and we roll back.
 *
 * A connection lost during COMMIT leaves its outcome unknown: the server may have
 * committed (and, with synchronous replication, the standby that a failover promotes may
 * hold it) and died before answering. That is GG_EUNAVAIL like any lost connection, so
 * the request is never acknowledged as done, and the message says the write may exist.
 */
static int pg_commit(struct store *s, struct err *err)
{
	struct pg *c = pg_of(s);
	c->log_tail.case_id = 0;
	c->savepoint_depth = 0;
	if (pend_begins(c)) {
		c->npend = 0; /* the server never saw it: nothing to commit */
		return GG_OK;
	}
	if (!c->queued && PQtransactionStatus(c->conn) == PQTRANS_INERROR) {
		c->npend = 0;
		c->trail_month[0] = c->trail_month[1] = 0;
		c->pos_day[0] = c->pos_day[1] = c->rej_day[0] = c->rej_day[1] = 0;
		pg__exec(c, "ROLLBACK", NULL);
		return err_set(
		    err, GG_EDB,
		    "database error: the transaction failed earlier and was rolled back");
	}
	PGresult *res;
	if (c->queued) {
		int r = GG_OK;
		if (!pend_send(c) ||
		    !PQsendQueryParams(c->conn, "COMMIT", 0, NULL, NULL, NULL, NULL, 0))
			r = pg__fail(c, NULL, err);
		else
			c->queued++;
		int r2 = pipe_read(c, &res, err);
		if (r || r2) {
			pg_rollback(s);
			return r ? r : r2;
		}
	} else {
		res = exec_pend(c, "COMMIT");
	}
	if (PQresultStatus(res) == PGRES_COMMAND_OK && !strcmp(PQcmdStatus(res), "ROLLBACK")) {
		PQclear(res);
		c->trail_month[0] = c->trail_month[1] = 0;
		c->pos_day[0] = c->pos_day[1] = c->rej_day[0] = c->rej_day[1] = 0;
		return err_set(err, GG_EDB, "database error: the transaction was rolled back");
	}
	int r = done(c, res, err);
	if (r) {
		c->trail_month[0] = c->trail_month[1] = 0;
		c->pos_day[0] = c->pos_day[1] = c->rej_day[0] = c->rej_day[1] = 0;
	}
	if (r == GG_EUNAVAIL && err) {
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err->msg);
		err_set(err, GG_EUNAVAIL,
			"%s (during COMMIT: the write may or may not have been saved)", why);
	}
	return r;
}

static void pg_rollback(struct store *s)
{
	struct pg *c = pg_of(s);
	c->log_tail.case_id = 0;
	c->savepoint_depth = 0;
	c->npend = 0;
	c->trail_month[0] = c->trail_month[1] = 0;
	c->pos_day[0] = c->pos_day[1] = c->rej_day[0] = c->rej_day[1] = 0;
	if (c->queued)
		pipe_read(c, NULL, NULL);
	if (PQstatus(c->conn) == CONNECTION_OK && PQtransactionStatus(c->conn) != PQTRANS_IDLE)
		pg__exec(c, "ROLLBACK", NULL);
}

static int pg_savepoint(struct store *s, struct err *err)
{
	struct pg *c = pg_of(s);
	char sql[48];
	snprintf(sql, sizeof(sql), "SAVEPOINT sp%d", ++c->savepoint_depth);
	return defer(c, sql, err);
}

/*
 * A savepoint with nothing sent inside it is taken back; one with writes in flight is
 * released with them, and answers for them (the request they belong to fails, and its
 * caller rolls the savepoint back: so the depth drops only on success); otherwise the
 * RELEASE is deferred to go out with whatever comes next.
 */
static int pg_savepoint_release(struct store *s, struct err *err)
{
	struct pg *c = pg_of(s);
	char sql[48], sp[48];
	snprintf(sp, sizeof(sp), "SAVEPOINT sp%d", c->savepoint_depth);
	snprintf(sql, sizeof(sql), "RELEASE SAVEPOINT sp%d", c->savepoint_depth);
	int r;
	if (pend_last(c, sp)) {
		c->npend--;
		r = GG_OK;
	} else if (!c->queued && PQtransactionStatus(c->conn) == PQTRANS_INERROR) {
		r = pg__exec(c, sql, err);
	} else {
		r = defer(c, sql, err);
		if (r == GG_OK && c->queued)
			r = sync_all(c, err);
	}
	if (r == GG_OK)
		c->savepoint_depth--;
	return r;
}

static void pg_savepoint_rollback(struct store *s)
{
	struct pg *c = pg_of(s);
	char sql[80], sp[48];
	snprintf(sp, sizeof(sp), "SAVEPOINT sp%d", c->savepoint_depth);
	snprintf(sql, sizeof(sql), "ROLLBACK TO SAVEPOINT sp%d; RELEASE SAVEPOINT sp%d",
		 c->savepoint_depth, c->savepoint_depth);
	c->savepoint_depth--;
	c->log_tail.case_id = 0;
	c->trail_month[0] = c->trail_month[1] = 0;
	c->pos_day[0] = c->pos_day[1] = c->rej_day[0] = c->rej_day[1] = 0;
	/* never sent: drop it and whatever was deferred inside it */
	for (int i = c->npend - 1; i >= 0; i--)
		if (!strcmp(c->pend[i], sp)) {
			c->npend = i;
			return;
		}
	/* sent: what is deferred or in flight lies inside it, and goes with it */
	c->npend = 0;
	if (c->queued)
		pipe_read(c, NULL, NULL);
	pg__exec(c, sql, NULL);
}

/*
 * The operations ported so far; the others stay NULL, which store.c reports as "not
 * implemented by the postgres backend" and `gridgov serve` refuses to start on
 * (docs/postgres.md lists them).
 */
const struct store_ops pg__ops = {
    .name = "postgres",
    .close = pg_close,
    .migrate = pg_migrate,
    .schema_version = pg_schema_version,
    .begin = pg_begin,
    .commit = pg_commit,
    .rollback = pg_rollback,
    .savepoint = pg_savepoint,
    .savepoint_release = pg_savepoint_release,
    .savepoint_rollback = pg_savepoint_rollback,
    .cache_size = pg_cache_size,
    .case_bulk = pg_case_bulk,
    /* users and sessions */
    .user_insert = pg__user_insert,
    .user_by_name = pg__user_by_name,
    .user_set_login_state = pg__user_set_login_state,
    .user_list = pg__user_list,
    .session_insert = pg__session_insert,
    .session_user = pg__session_user,
    .session_delete = pg__session_delete,
    /* grid tree, departments, categories */
    .grid_put = pg__grid_put,
    .grid_get = pg__grid_get,
    .grid_children = pg__grid_children,
    .grid_count = pg__grid_count,
    /* media */
    .media_put = pg__media_put,
    .media_get = pg__media_get,
    .media_owned = pg__media_owned,
    /* grid map */
    .geom_put = pg__geom_put,
    .geom_list = pg__geom_list,
    .grid_set_counts = pg__grid_set_counts,
    .grid_rollup_counts = pg__grid_rollup_counts,
    .map_version = pg__map_version,
    .level_name = pg__level_name,
    .staff_add = pg__staff_add,
    .staff_list = pg__staff_list,
    .grids_without_dedicated = pg__grids_without_dedicated,
    .dept_list = pg__dept_list,
    .dept_get = pg__dept_get,
    .category_put = pg__category_put,
    .category_get = pg__category_get,
    .category_list = pg__category_list,
    /* cases, trail, whistles, supervision, the scheduler's queue */
    .case_insert = pg__case_insert,
    .case_update = pg__case_update,
    .case_get = pg__case_get,
    .case_page = pg__case_page,
    .case_overdue = pg__case_overdue,
    .case_recent = pg__case_recent,
    .case_log_append = pg__case_log_append,
    .case_log_list = pg__case_log_list,
    .case_log_each = pg__case_log_each,
    .whistle_insert = pg__whistle_insert,
    .whistle_depts = pg__whistle_depts,
    .whistle_dept_update = pg__whistle_dept_update,
    .supervision_insert = pg__supervision_insert,
    .supervision_list = pg__supervision_list,
    .case_due_put = pg__case_due_put,
    .case_due = pg__case_due,
    .whistle_due = pg__whistle_due,
    .sched_next = pg__sched_next,
    /* people and housing */
    .building_put = pg__building_put,
    .house_put = pg__house_put,
    .household_put = pg__household_put,
    .resident_insert = pg__resident_insert,
    .resident_count_hash = pg__resident_count_hash,
    .resident_list = pg__resident_list,
    .resident_each = pg__resident_each,
    .resident_get = pg__resident_get,
    .resident_by_hash = pg__resident_by_hash,
    .household_list = pg__household_list,
    .building_list = pg__building_list,
    .house_get = pg__house_get,
    .people_bulk = pg__people_bulk,
    .people_bulk_end = pg__people_bulk_end,
    .resident_hashes = pg__resident_hashes,
    .people_recount = pg__people_recount,
    .pii_access_insert = pg__pii_access_insert,
    .pii_access_count = pg__pii_access_count,
    .people_faults = pg__people_faults,
    .correction_insert = pg__correction_insert,
    .correction_get = pg__correction_get,
    .correction_list = pg__correction_list,
    .correction_decide = pg__correction_decide,
    /* intake channels */
    .report_put = pg__report_put,
    .report_get = pg__report_get,
    .case_media_add = pg__case_media_add,
    .media_cases = pg__media_cases,
    .case_media_list = pg__case_media_list,
    .hotline_put = pg__hotline_put,
    .hotline_get = pg__hotline_get,
    .hotline_of_case = pg__hotline_of_case,
    .open311_put = pg__open311_put,
    .open311_get = pg__open311_get,
    .outbox_add = pg__outbox_add,
    .outbox_due = pg__outbox_due,
    .outbox_delivered = pg__outbox_delivered,
    .outbox_failed = pg__outbox_failed,
    .outbox_pending = pg__outbox_pending,
    .apikey_add = pg__apikey_add,
    .apikey_by_hash = pg__apikey_by_hash,
    .tracker_add = pg__tracker_add,
    .tracker_user = pg__tracker_user,
    .position_last = pg__position_last,
    .position_put = pg__position_put,
    .position_range = pg__position_range,
    .position_rejected = pg__position_rejected,
    .position_live = pg__position_live,
    .position_retain = pg__position_retain,
    .device_add = pg__device_add,
    .device_get = pg__device_get,
    .alarm_add = pg__alarm_add,
    .alarm_open_case = pg__alarm_open_case,
    /* case summaries */
    .sum_apply = pg__sum_apply,
    .sum_clear = pg__sum_clear,
    .sum_unbuilt = pg__sum_unbuilt,
    .case_each = pg__case_each,
    .stats_meta = pg__stats_meta,
    .province_publish = pg__province_publish,
    .province_subscribe = pg__province_subscribe,
    .province_read = pg__province_read,
    .province_unsubscribe = pg__province_unsubscribe,
    .replica_lag = pg__replica_lag,
    .kiosk_insert = pg__kiosk_insert,
    .kiosk_claim = pg__kiosk_claim,
    .kiosk_by_token = pg__kiosk_by_token,
    .kiosk_list = pg__kiosk_list,
    .kiosk_revoke = pg__kiosk_revoke,
    /* assessment 考核 */
    .assess_actor_counts = pg__assess_actor_counts,
    .assess_points = pg__assess_points,
    .assess_scheme_put = pg__assess_scheme_put,
    .assess_schemes = pg__assess_schemes,
    .assess_snapshot_put = pg__assess_snapshot_put,
    .assess_snapshot_get = pg__assess_snapshot_get,
    .assess_snapshot_tail = pg__assess_snapshot_tail,
    .assess_appeal_put = pg__assess_appeal_put,
    .assess_appeal_get = pg__assess_appeal_get,
    .assess_appeal_decide = pg__assess_appeal_decide,
    .assess_appeals = pg__assess_appeals,
    .assess_categories = pg__assess_categories,
    .assess_oldest_open = pg__assess_oldest_open,
    .stats_sum = pg__stats_sum,
    .stats_live = pg__stats_live,
    .stats_heat = pg__stats_heat,
    .stats_cases = pg__stats_cases,
    .template_list = pg__template_list,
    .template_put = pg__template_put,
    .template_delete = pg__template_delete,
    /* administration */
    .user_get = pg__user_get,
    .user_update = pg__user_update,
    .session_drop_user = pg__session_drop_user,
    .dept_put = pg__dept_put,
    .audit_add = pg__audit_add,
    .audit_list = pg__audit_list,
    .apikey_list = pg__apikey_list,
    .apikey_revoke = pg__apikey_revoke,
    .device_list = pg__device_list,
    .device_set_user = pg__device_set_user,
    .idem_get = pg__idem_get,
    .idem_put = pg__idem_put,
    .reply_put = pg__reply_put,
    .reply_get = pg__reply_get,
};
