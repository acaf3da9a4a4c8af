/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What only the PostgreSQL backend has to show (the store tests it shares with SQLite run
 * in the store-pg suite): one-line errors when the server is down, reconnecting after a
 * restart (after one while idle without a failed transaction), migrations racing from
 * two connections, write transactions queueing as on SQLite, a failed statement
 * poisoning its transaction but not a savepoint's rollback, operations not ported yet
 * failing cleanly, and the province view's refusals.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "fixture.h"
#include "gridgov/arena.h"
#include "gridgov/store.h"
#include "gridgov/store_case.h"
#include "gridgov/store_province.h"
#include "gridgov/store_stats.h"
#include "store/pg/pg_int.h"
#include "store/store_int.h"

struct fx {
	char path[FX_PATH_MAX];
	struct store *s;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("pg", f->path, &f->s))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fx_db_remove(f->path, f->s);
	free(f);
	return 0;
}

static struct grid_node node(const char *code, const char *name)
{
	struct grid_node g = {0};
	snprintf(g.code, sizeof(g.code), "%s", code);
	snprintf(g.name, sizeof(g.name), "%s", name);
	g.level = grid_level_of_code(code);
	grid_code_parent(code, g.parent);
	return g;
}

static void a_server_that_is_down_gives_one_line(void **state)
{
	(void)state;
	struct store *s = (void *)1;
	struct err e = ERR_INIT;
	assert_int_equal(store_open("postgres:///none?host=/nonexistent/dir&port=1", &s, &e),
			 GG_EUNAVAIL);
	assert_null(s);
	assert_non_null(strstr(e.msg, "database unavailable"));
	assert_null(strchr(e.msg, '\n'));
	assert_int_equal(err_http_status(e.code), 503);
}

static void a_restarted_server_is_reconnected(void **state)
{
	struct fx *f = *state;
	struct grid_node d = node("320105", "建邺区"), g;
	assert_int_equal(store_grid_put(f->s, &d, NULL), GG_OK);
	assert_int_equal(fx_pg_halt(), 0);
	struct err e = ERR_INIT;
	/* BEGIN goes out with the transaction's first statement: one of them says so */
	int down = store_begin(f->s, STORE_READ, &e);
	if (down == GG_OK)
		down = store_grid_get(f->s, "320105", &g, &e);
	assert_int_equal(down, GG_EUNAVAIL);
	assert_null(strchr(e.msg, '\n'));
	store_rollback(f->s);
	assert_int_equal(fx_pg_restart(), 0);
	/* the next transaction connects again (and prepares its statements again) */
	int rc = store_begin(f->s, STORE_READ, &e);
	if (rc)
		fprintf(stderr, "begin after restart: %s\n", e.msg);
	assert_int_equal(rc, GG_OK);
	assert_int_equal(store_grid_get(f->s, "320105", &g, NULL), GG_OK);
	assert_string_equal(g.name, "建邺区");
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
}

/*
 * A server that went away and came back while the connection sat idle (a failover seen
 * from a pooled connection): libpq cannot know until the connection is used, so the
 * first BEGIN meets the dead socket. Nothing was done yet, so it is retried on a new
 * connection and the caller never sees the loss.
 */
static void a_server_restarted_while_idle_costs_no_failed_transaction(void **state)
{
	struct fx *f = *state;
	struct grid_node d = node("320105", "建邺区"), g;
	assert_int_equal(store_grid_put(f->s, &d, NULL), GG_OK);
	assert_int_equal(fx_pg_halt(), 0);
	assert_int_equal(fx_pg_restart(), 0);
	struct err e = ERR_INIT;
	int rc = store_begin(f->s, STORE_WRITE, &e);
	if (rc)
		fprintf(stderr, "begin after an idle restart: %s\n", e.msg);
	assert_int_equal(rc, GG_OK);
	assert_int_equal(store_grid_get(f->s, "320105", &g, NULL), GG_OK);
	assert_string_equal(g.name, "建邺区");
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
}

struct mig {
	const char *path;
	int rc, to;
};

static void *migrate_thread(void *arg)
{
	struct mig *m = arg;
	struct store *s;
	int from;
	m->rc = store_open(m->path, &s, NULL);
	if (m->rc == GG_OK) {
		m->rc = store_migrate(s, &from, &m->to, NULL);
		store_close(s);
	}
	return NULL;
}

static void two_servers_migrating_at_once_do_not_race(void **state)
{
	(void)state;
	char path[FX_PATH_MAX];
	assert_int_equal(fx_db_empty("race", path), 0);
	struct mig m[4];
	pthread_t t[4];
	for (int i = 0; i < 4; i++) {
		m[i] = (struct mig){.path = path, .rc = -100};
		pthread_create(&t[i], NULL, migrate_thread, &m[i]);
	}
	for (int i = 0; i < 4; i++) {
		pthread_join(t[i], NULL);
		assert_int_equal(m[i].rc, GG_OK);
		assert_int_equal(m[i].to, m[0].to);
	}
	struct store *s;
	int from, to, v;
	assert_int_equal(store_open(path, &s, NULL), GG_OK);
	assert_int_equal(store_migrate(s, &from, &to, NULL), GG_OK);
	assert_int_equal(from, to);
	assert_int_equal(store_schema_version(s, &v, NULL), GG_OK);
	assert_int_equal(v, to);
	/* the seeds went in once */
	struct arena *a = arena_new();
	struct store_dept *d;
	size_t n;
	assert_int_equal(store_dept_list(s, a, &d, &n, NULL), GG_OK);
	assert_int_equal(n, 24);
	arena_free(a);
	store_close(s);
}

static void same_schema_version_as_sqlite(void **state)
{
	struct fx *f = *state;
	char path[FX_PATH_MAX];
	snprintf(path, sizeof(path), "/tmp/gg-pgver-XXXXXX");
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	close(fd);
	unlink(path);
	struct store *sq;
	int from, to, v;
	assert_int_equal(store_open(path, &sq, NULL), GG_OK);
	assert_int_equal(store_migrate(sq, &from, &to, NULL), GG_OK);
	assert_int_equal(store_schema_version(f->s, &v, NULL), GG_OK);
	assert_int_equal(v, to);
	assert_string_equal(store_backend(f->s), "postgres");
	assert_string_equal(store_backend(sq), "sqlite");
	/* group commit keeps a PostgreSQL transaction within its cached subtransactions */
	assert_int_equal(store_savepoints_max(f->s), 64);
	assert_int_equal(store_savepoints_max(sq), 0);
	/* a primary is never behind (and receives no WAL), nor is SQLite */
	uint64_t mark = 0;
	int64_t lag = -1;
	assert_int_equal(store_replica_lag(f->s, &mark, &lag, NULL), GG_OK);
	assert_int_equal(lag, 0);
	assert_int_equal(store_replica_lag(sq, &mark, &lag, NULL), GG_OK);
	assert_int_equal(lag, 0);
	assert_int_equal(mark, 0);
	store_close(sq);
	unlink(path);
	char p[FX_PATH_MAX + 8];
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

struct writer {
	const char *path;
	atomic_int began;
	int rc;
};

static void *second_writer(void *arg)
{
	struct writer *w = arg;
	struct store *s;
	if ((w->rc = store_open(w->path, &s, NULL)))
		return NULL;
	w->rc = store_begin(s, STORE_WRITE, NULL);
	struct grid_node g;
	/* BEGIN and the lock go out with the first statement, which waits for the lock and
	 * then sees the first writer's commit: it queued behind it */
	if (w->rc == GG_OK)
		w->rc = store_grid_get(s, "440305", &g, NULL);
	atomic_store(&w->began, 1);
	if (w->rc == GG_OK)
		w->rc = store_commit(s, NULL);
	store_close(s);
	return NULL;
}

static void write_transactions_queue_as_on_sqlite(void **state)
{
	struct fx *f = *state;
	struct grid_node d = node("440305", "南山区");
	struct grid_node g;
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	/* the first statement takes the writers' lock (with the deferred BEGIN) */
	assert_int_equal(store_grid_get(f->s, "440305", &g, NULL), GG_ENOTFOUND);
	struct writer w = {.path = f->path, .rc = -100};
	pthread_t t;
	pthread_create(&t, NULL, second_writer, &w);
	/* a reader does not wait for the writer */
	struct store *r;
	assert_int_equal(store_open(f->path, &r, NULL), GG_OK);
	assert_int_equal(store_begin(r, STORE_READ, NULL), GG_OK);
	struct err e = ERR_INIT;
	assert_int_equal(store_grid_get(r, "440305", &g, &e), GG_ENOTFOUND);
	store_rollback(r);
	store_close(r);
	struct timespec ms200 = {0, 200 * 1000 * 1000};
	nanosleep(&ms200, NULL);
	assert_int_equal(atomic_load(&w.began), 0); /* still waiting for the lock */
	assert_int_equal(store_grid_put(f->s, &d, NULL), GG_OK);
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
	pthread_join(t, NULL);
	assert_int_equal(atomic_load(&w.began), 1);
	assert_int_equal(w.rc, GG_OK);
}

static void a_failed_statement_fails_the_commit_but_not_a_savepoint(void **state)
{
	struct fx *f = *state;
	struct store_user u = {.active = 1};
	strcpy(u.who.name, "op1");
	u.who.role = ROLE_OPERATOR;
	strcpy(u.pwhash, "$argon2id$fake");
	assert_int_equal(store_user_insert(f->s, &u, NULL, NULL), GG_OK);

	/* a savepoint's rollback clears the failure: the writer's group commit relies on it */
	struct grid_node d = node("110105", "朝阳区"), g;
	struct err e = ERR_INIT;
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	assert_int_equal(store_user_insert(f->s, &u, NULL, &e), GG_ECONFLICT);
	store_savepoint_rollback(f->s);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &d, NULL), GG_OK);
	assert_int_equal(store_savepoint_release(f->s, NULL), GG_OK);
	assert_int_equal(store_commit(f->s, NULL), GG_OK);
	assert_int_equal(store_grid_get(f->s, "110105", &g, NULL), GG_OK);

	/* without one, the commit says the transaction is lost (PostgreSQL would roll it
	 * back and answer COMMIT without an error) */
	struct grid_node d2 = node("110108", "海淀区");
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &d2, NULL), GG_OK);
	assert_int_equal(store_user_insert(f->s, &u, NULL, &e), GG_ECONFLICT);
	assert_int_not_equal(store_commit(f->s, &e), GG_OK);
	store_rollback(f->s);
	assert_int_equal(store_grid_get(f->s, "110108", &g, &e), GG_ENOTFOUND);
}

/*
 * The scheduler's row and the trail entry are sent without waiting for their answer
 * (conn.c, pg__run_later): a failure among them still reaches the request they belong
 * to, by its savepoint's release at the latest, and the others in the batch commit.
 */
static void a_deferred_write_fails_its_own_savepoint(void **state)
{
	struct fx *f = *state;
	struct grid_node d = node("110106", "丰台区"), g;
	struct err e = ERR_INIT;
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	assert_int_equal(store_grid_put(f->s, &d, NULL), GG_OK);
	assert_int_equal(store_savepoint_release(f->s, NULL), GG_OK);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	/* no case 424242: the foreign key refuses the row */
	int rc = store_case_due_put(f->s, 424242, 1000, &e);
	if (rc == GG_OK)
		rc = store_savepoint_release(f->s, &e);
	assert_int_equal(rc, GG_ECONFLICT);
	store_savepoint_rollback(f->s);
	assert_int_equal(store_savepoint(f->s, NULL), GG_OK);
	struct grid_node d2 = node("110107", "石景山区");
	assert_int_equal(store_grid_put(f->s, &d2, NULL), GG_OK);
	assert_int_equal(store_savepoint_release(f->s, NULL), GG_OK);
	assert_int_equal(store_commit(f->s, &e), GG_OK);
	assert_int_equal(store_grid_get(f->s, "110106", &g, NULL), GG_OK);
	assert_int_equal(store_grid_get(f->s, "110107", &g, NULL), GG_OK);
	struct arena *a = arena_new();
	int64_t *ids;
	size_t n = 9;
	assert_int_equal(store_case_due(f->s, 2000, 10, a, &ids, &n, NULL), GG_OK);
	assert_int_equal(n, 0);
	arena_free(a);

	/* in a transaction without savepoints the commit answers for it */
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	rc = store_case_due_put(f->s, 424242, 1000, &e);
	if (rc == GG_OK)
		rc = store_commit(f->s, &e);
	else
		store_rollback(f->s);
	assert_int_not_equal(rc, GG_OK);
	/* and outside a transaction it fails at once */
	assert_int_equal(store_case_due_put(f->s, 424242, 1000, &e), GG_ECONFLICT);
}

/* One value of a query on the test's own connection, outside any transaction. */
static int64_t sql_int(struct fx *f, const char *sql)
{
	PGresult *res = PQexec(pg_of(f->s)->conn, sql);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	if (!ok)
		fprintf(stderr, "%s: %s\n", sql, PQresultErrorMessage(res));
	int64_t v = ok ? strtoll(PQgetvalue(res, 0, 0), NULL, 10) : -1;
	PQclear(res);
	return v;
}

static void sql_text(struct fx *f, const char *sql, char *out, size_t n)
{
	PGresult *res = PQexec(pg_of(f->s)->conn, sql);
	int ok = PQresultStatus(res) == PGRES_TUPLES_OK && PQntuples(res) == 1;
	if (!ok)
		fprintf(stderr, "%s: %s\n", sql, PQresultErrorMessage(res));
	snprintf(out, n, "%s", ok ? PQgetvalue(res, 0, 0) : "(failed)");
	PQclear(res);
}

static int64_t trail_case(struct fx *f)
{
	struct grid_node g = {.code = "510105", .name = "青羊区", .level = GRID_DISTRICT};
	struct store_category cat = fx_category;
	assert_int_equal(store_grid_put(f->s, &g, NULL), GG_OK);
	assert_int_equal(store_category_put(f->s, &cat, NULL), GG_OK);
	struct store_case c = {.category = "E0102",
			       .description = "d",
			       .channel = "app",
			       .grid = "510105",
			       .level = GRID_DISTRICT,
			       .state = CASE_REPORTED,
			       .created_at = 100,
			       .updated_at = 100,
			       .stage_started = 100};
	assert_int_equal(store_case_insert(f->s, &c, NULL), GG_OK);
	return c.id;
}

static void trail_append(struct fx *f, int64_t id, int64_t at, int64_t seq)
{
	struct err err = ERR_INIT;
	struct store_case_entry e = {.case_id = id, .at = at, .note = "n"};
	strcpy(e.action, "note");
	strcpy(e.actor, "op");
	strcpy(e.role, "operator");
	strcpy(e.to_state, "reported");
	int rc = store_case_log_append(f->s, &e, &err);
	if (rc)
		fprintf(stderr, "append at %lld: %s\n", (long long)at, err.msg);
	assert_int_equal(rc, GG_OK);
	assert_int_equal(e.seq, seq);
}

/* The entries of case id read back whole: in order, each chained to the one before. */
static void trail_reads_back(struct fx *f, int64_t id, const int64_t *at, size_t n)
{
	struct arena *a = arena_new();
	struct store_case_entry *v;
	size_t got;
	assert_int_equal(store_case_log_list(f->s, id, a, &v, &got, NULL), GG_OK);
	assert_int_equal(got, n);
	for (size_t i = 0; i < got; i++) {
		char want[CASE_HASH_HEX];
		assert_int_equal(v[i].seq, (int64_t)i + 1);
		assert_int_equal(v[i].at, at[i]);
		assert_string_equal(v[i].prev_hash, i ? v[i - 1].hash : case_genesis_hash);
		store_case_entry_hash(&v[i], want);
		assert_string_equal(v[i].hash, want);
	}
	arena_free(a);
}

/*
 * Migration 027: the trail is partitioned by China Standard Time month. An entry one
 * second before 1 December 00:00 CST and one at it land in November's and December's
 * partitions; a month years away gets its partition when written; everything reads back
 * in order with its hash chain. A partition made in a transaction that rolls back goes
 * with it, and the next write makes it again.
 */
static void the_trail_is_partitioned_by_month(void **state)
{
	struct fx *f = *state;
	int64_t id = trail_case(f);
	const int64_t at[] = {1796054399, /* 2026-11-30 23:59:59 CST */
			      1796054400, /* 2026-12-01 00:00:00 CST */
			      1936152000 /* 2031-05-10 12:00 CST */};
	for (size_t i = 0; i < 3; i++)
		trail_append(f, id, at[i], (int64_t)i + 1);
	char parts[256];
	sql_text(f,
		 "SELECT string_agg(p, ',' ORDER BY p) FROM (SELECT DISTINCT"
		 " tableoid::regclass::text AS p FROM case_log) AS t",
		 parts, sizeof(parts));
	assert_string_equal(parts, "case_log_202611,case_log_202612,case_log_203105");
	assert_int_equal(sql_int(f, "SELECT count(*) FROM ONLY case_log"), 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM pg_partitioned_table"
				    " WHERE partrelid = 'case_log'::regclass"),
			 1);
	trail_reads_back(f, id, at, 3);

	/* made in a transaction that rolls back: gone, and made again on the next write */
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	trail_append(f, id, 2052014400, 4); /* 2035-01 */
	store_rollback(f->s);
	assert_int_equal(
	    sql_int(f, "SELECT count(*) FROM pg_class WHERE relname = 'case_log_203501'"), 0);
	trail_append(f, id, 2052014400, 4);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM case_log_203501"), 1);
	/* the append-only rule holds on the partitions too */
	PGresult *res = PQexec(pg_of(f->s)->conn, "DELETE FROM case_log_202611");
	assert_int_not_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM case_log"), 4);
}

/* Whatever a migration could change: the tables, columns, indexes, partitions, and rows. */
static void schema_print(struct fx *f, char *out, size_t n)
{
	sql_text(f,
		 "SELECT md5(string_agg(x, '|' ORDER BY x)) FROM ("
		 " SELECT c.relname || ':' || c.relkind::text || ':' || coalesce(("
		 "  SELECT string_agg(attname || ' ' || format_type(atttypid, atttypmod), ','"
		 "  ORDER BY attnum) FROM pg_attribute WHERE attrelid = c.oid AND attnum > 0"
		 "  AND NOT attisdropped), '') AS x FROM pg_class c JOIN pg_namespace s"
		 "  ON s.oid = c.relnamespace WHERE s.nspname = 'public'"
		 " UNION ALL SELECT 'rows ' || (SELECT count(*) FROM case_log) || ' '"
		 "  || (SELECT count(*) FROM gcase) || ' ' || (SELECT count(*) FROM"
		 "  schema_migrations) || ' ' || (SELECT count(*) FROM category)) AS t",
		 out, n);
}

/*
 * Migrations on a populated database: one made before 027 (the trail a plain table, as
 * 020 made it, with entries in two months) gets 027 with its rows kept, in their months'
 * partitions, in order, chained; and migrating again changes nothing.
 */
static void migrations_on_a_populated_database(void **state)
{
	struct fx *f = *state;
	int64_t id = trail_case(f);
	const int64_t at[] = {1796054399, 1796054400, 1796054500};
	for (size_t i = 0; i < 3; i++)
		trail_append(f, id, at[i], (int64_t)i + 1);
	/* back to the database as it was before 027 */
	static const char before[] =
	    "BEGIN;"
	    " CREATE TABLE flat AS SELECT * FROM case_log;"
	    " DROP TABLE case_log;"
	    " DROP FUNCTION case_log_month(bigint);"
	    " CREATE TABLE case_log (case_id bigint NOT NULL REFERENCES gcase(id), seq bigint NOT"
	    " NULL, action text COLLATE \"C\" NOT NULL, actor_id bigint NOT NULL DEFAULT 0,"
	    " actor text COLLATE \"C\" NOT NULL, role text COLLATE \"C\" NOT NULL, at bigint NOT"
	    " NULL, from_state text COLLATE \"C\" NOT NULL, to_state text COLLATE \"C\" NOT NULL,"
	    " note text COLLATE \"C\" NOT NULL DEFAULT '', attachments text COLLATE \"C\" NOT"
	    " NULL DEFAULT '[]', prev_hash text COLLATE \"C\" NOT NULL, hash text COLLATE \"C\""
	    " NOT NULL, PRIMARY KEY (case_id, seq));"
	    " INSERT INTO case_log SELECT * FROM flat; DROP TABLE flat;"
	    " DELETE FROM schema_migrations WHERE version = 27;"
	    " COMMIT";
	PGresult *res = PQexec(pg_of(f->s)->conn, before);
	if (PQresultStatus(res) != PGRES_COMMAND_OK)
		fprintf(stderr, "%s\n", PQresultErrorMessage(res));
	assert_int_equal(PQresultStatus(res), PGRES_COMMAND_OK);
	PQclear(res);
	/* (the positions of 050 are partitioned too: only the trail's table counts here) */
	assert_int_equal(sql_int(f, "SELECT count(*) FROM pg_partitioned_table"
				    " WHERE partrelid = 'case_log'::regclass"),
			 0);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM case_log"), 3);

	int from, to;
	assert_int_equal(store_migrate(f->s, &from, &to, NULL), GG_OK);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM schema_migrations WHERE version = 27"),
			 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM case_log_202611"), 1);
	assert_int_equal(sql_int(f, "SELECT count(*) FROM case_log_202612"), 2);
	trail_reads_back(f, id, at, 3);
	/* the next entry chains on as before */
	trail_append(f, id, 1796054600, 4);

	char once[64], twice[64];
	schema_print(f, once, sizeof(once));
	int from2, to2;
	assert_int_equal(store_migrate(f->s, &from2, &to2, NULL), GG_OK);
	assert_int_equal(from2, to);
	assert_int_equal(to2, to);
	schema_print(f, twice, sizeof(twice));
	assert_string_equal(once, twice);
	assert_string_not_equal(once, "(failed)");
}

static void every_operation_is_implemented(void **state)
{
	struct fx *f = *state;
	const char *first = "x";
	assert_int_equal(store_ops_missing(f->s, &first), 0);
	assert_null(first);
}

/*
 * The province view's refusals (tests/api/province.test.mjs runs the whole): a bad city
 * name, a city whose server lacks wal_level=logical (the fixture's cluster), province
 * reads on a database that subscribes to nothing. Nothing is changed by any of them.
 */
static void the_province_view_refuses_what_it_cannot_do(void **state)
{
	struct fx *f = *state;
	struct err e = ERR_INIT;
	assert_int_equal(store_province_publish(f->s, "Nan jing", &e), GG_EINVAL);
	assert_non_null(strstr(e.msg, "city name"));
	assert_false(store_city_name_ok("9city"));
	assert_false(store_city_name_ok("abcdefghijklmnopqrstuvwxyz123456")); /* 32 bytes */
	assert_true(store_city_name_ok("nanjing_2"));
	e = (struct err)ERR_INIT;
	assert_int_equal(store_province_publish(f->s, "nanjing", &e), GG_EINVAL);
	assert_non_null(strstr(e.msg, "wal_level=logical"));
	e = (struct err)ERR_INIT;
	assert_int_equal(store_province_read(f->s, 1, &e), GG_EINVAL);
	assert_non_null(strstr(e.msg, "not a province database"));
	/* the city column was not added */
	assert_int_equal(store_begin(f->s, STORE_READ, &e), GG_OK);
	struct store_stats_q q = {.scope = "", .lvl = 1, .day_from = 0, .day_to = 1 << 30};
	struct arena *a = arena_new();
	struct store_stats_row *rows;
	size_t n = 9;
	assert_int_equal(store_stats_sum(f->s, &q, a, &rows, &n, &e), GG_OK);
	assert_int_equal(n, 0);
	store_rollback(f->s);
	arena_free(a);
}

/* What a backend that lacks an operation does: an error naming it, never a crash. */
static void an_operation_not_ported_fails_cleanly(void **state)
{
	struct fx *f = *state;
	const struct store_ops *real = f->s->ops;
	struct store_ops ops = *real;
	ops.case_get = NULL;
	ops.media_put = NULL;
	f->s->ops = &ops;
	const char *first = NULL;
	int missing = store_ops_missing(f->s, &first);
	struct store_case c;
	struct err e = ERR_INIT;
	int rc = store_case_get(f->s, 1, &c, &e);
	f->s->ops = real;
	assert_int_equal(missing, 2);
	assert_string_equal(first, "media_put"); /* the first in struct store_ops */
	assert_int_equal(rc, GG_EINTERNAL);
	assert_non_null(strstr(e.msg, "case_get"));
	assert_non_null(strstr(e.msg, "postgres"));
}

int main(void)
{
	if (!fx_pg()) {
		fprintf(stderr, "skipped: the PostgreSQL tests run in the store-pg suite\n");
		return 77;
	}
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_server_that_is_down_gives_one_line),
	    cmocka_unit_test_setup_teardown(a_restarted_server_is_reconnected, setup, teardown),
	    cmocka_unit_test_setup_teardown(
		a_server_restarted_while_idle_costs_no_failed_transaction, setup, teardown),
	    cmocka_unit_test(two_servers_migrating_at_once_do_not_race),
	    cmocka_unit_test_setup_teardown(same_schema_version_as_sqlite, setup, teardown),
	    cmocka_unit_test_setup_teardown(write_transactions_queue_as_on_sqlite, setup, teardown),
	    cmocka_unit_test_setup_teardown(a_failed_statement_fails_the_commit_but_not_a_savepoint,
					    setup, teardown),
	    cmocka_unit_test_setup_teardown(a_deferred_write_fails_its_own_savepoint, setup,
					    teardown),
	    cmocka_unit_test_setup_teardown(the_trail_is_partitioned_by_month, setup, teardown),
	    cmocka_unit_test_setup_teardown(migrations_on_a_populated_database, setup, teardown),
	    cmocka_unit_test_setup_teardown(every_operation_is_implemented, setup, teardown),
	    cmocka_unit_test_setup_teardown(an_operation_not_ported_fails_cleanly, setup, teardown),
	    cmocka_unit_test_setup_teardown(the_province_view_refuses_what_it_cannot_do, setup,
					    teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
