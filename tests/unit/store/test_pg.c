/* SPDX-License-Identifier: Apache-2.0 */
/*
 * What only the PostgreSQL backend has to show (the store tests it shares with SQLite run
 * in the store-pg suite): one-line errors when the server is down, reconnecting after a
 * restart (after one while idle without a failed transaction), migrations racing from
 * two connections, write transactions queueing as on SQLite, a failed statement
 * poisoning its transaction but not a savepoint's rollback, and operations not ported
 * yet failing cleanly.
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
#include "gridgov/store.h"
#include "gridgov/store_case.h"
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
	assert_int_equal(store_begin(f->s, STORE_READ, &e), GG_EUNAVAIL);
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
	atomic_store(&w->began, 1);
	struct grid_node g;
	/* it sees the first writer's commit: it queued behind it */
	if (w->rc == GG_OK)
		w->rc = store_grid_get(s, "440305", &g, NULL);
	if (w->rc == GG_OK)
		w->rc = store_commit(s, NULL);
	store_close(s);
	return NULL;
}

static void write_transactions_queue_as_on_sqlite(void **state)
{
	struct fx *f = *state;
	struct grid_node d = node("440305", "南山区");
	assert_int_equal(store_begin(f->s, STORE_WRITE, NULL), GG_OK);
	struct writer w = {.path = f->path, .rc = -100};
	pthread_t t;
	pthread_create(&t, NULL, second_writer, &w);
	/* a reader does not wait for the writer */
	struct store *r;
	assert_int_equal(store_open(f->path, &r, NULL), GG_OK);
	assert_int_equal(store_begin(r, STORE_READ, NULL), GG_OK);
	struct grid_node g;
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

static void every_operation_is_implemented(void **state)
{
	struct fx *f = *state;
	const char *first = "x";
	assert_int_equal(store_ops_missing(f->s, &first), 0);
	assert_null(first);
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
	    cmocka_unit_test_setup_teardown(every_operation_is_implemented, setup, teardown),
	    cmocka_unit_test_setup_teardown(an_operation_not_ported_fails_cleanly, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
