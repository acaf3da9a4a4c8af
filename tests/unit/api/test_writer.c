/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer's group commit: concurrent write steps share commits, and one that fails
 * leaves no trace while the others in its batch survive.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "api/api_int.h"
#include "fixture.h"
#include "gridgov/sec.h"

static char path[FX_PATH_MAX];
static struct api_server *srv;

static int setup(void **state)
{
	struct store *s;
	if (fx_db_create("writer", path, &s))
		return -1;
	struct grid_node d = {.code = "510105", .name = "青羊区", .level = GRID_DISTRICT};
	if (store_grid_put(s, &d, NULL))
		return -1;
	store_close(s);
	struct api_config cfg;
	api_config_defaults(&cfg);
	cfg.dsn = path;
	cfg.port = 0;
	cfg.threads = 2;
	cfg.access_log = 0;
	return api_server_start(&cfg, &srv, NULL);
}

static int teardown(void **state)
{
	api_server_stop(srv);
	fx_db_remove(path, NULL);
	return 0;
}

struct step {
	char code[GRID_CODE_MAX];
	int fail; /* write, then fail */
	int hooked;
};

static void hook(struct api_server *s, void *arg)
{
	((struct step *)arg)->hooked = 1;
}

static int put_street(struct api_req *r, void *arg)
{
	struct step *st = arg;
	struct grid_node g = {.level = GRID_STREET, .parent = "510105"};
	snprintf(g.code, sizeof(g.code), "%s", st->code);
	snprintf(g.name, sizeof(g.name), "街道 %s", st->code);
	int rc = store_grid_put(r->db, &g, &r->err);
	if (rc)
		return rc;
	api_on_commit(r, hook, st);
	return st->fail ? api_fail(r, GG_EFIELD, "refused after writing") : GG_OK;
}

static void *worker(void *arg)
{
	struct step *st = arg;
	struct api_req r = {.srv = srv, .arena = arena_new()};
	intptr_t rc = api_write(&r, put_street, st);
	arena_free(r.arena);
	return (void *)rc;
}

static int exists(const char *code)
{
	struct store *s;
	struct grid_node g;
	struct err e = ERR_INIT;
	if (store_open(path, &s, NULL))
		return -1;
	int rc = store_grid_get(s, code, &g, &e);
	store_close(s);
	return rc == GG_OK;
}

static void a_failed_step_writes_nothing_and_others_commit(void **state)
{
	enum { N = 40 };
	struct step steps[N];
	pthread_t t[N];
	for (int i = 0; i < N; i++) {
		memset(&steps[i], 0, sizeof(steps[i]));
		snprintf(steps[i].code, sizeof(steps[i].code), "510105%03d", i + 100);
		steps[i].fail = i % 5 == 0;
		pthread_create(&t[i], NULL, worker, &steps[i]);
	}
	for (int i = 0; i < N; i++) {
		void *rc;
		pthread_join(t[i], &rc);
		assert_int_equal((intptr_t)rc, steps[i].fail ? GG_EFIELD : GG_OK);
		assert_int_equal(steps[i].hooked, !steps[i].fail);
		assert_int_equal(exists(steps[i].code), !steps[i].fail);
	}
	uint64_t batches, jobs;
	api__writer_stats(srv, &batches, &jobs);
	assert_int_equal(jobs, N);
	assert_true(batches >= 1 && batches <= N);
}

static int put_plain(struct store *db, void *arg, struct err *err)
{
	struct step *st = arg;
	struct grid_node g = {.level = GRID_STREET, .parent = "510105"};
	snprintf(g.code, sizeof(g.code), "%s", st->code);
	snprintf(g.name, sizeof(g.name), "街道 %s", st->code);
	int rc = store_grid_put(db, &g, err);
	if (rc)
		return rc;
	return st->fail ? err_set(err, GG_EFIELD, "refused after writing") : GG_OK;
}

static void a_step_without_a_request_commits_or_leaves_nothing(void **state)
{
	struct step ok = {.code = "510105201"}, bad = {.code = "510105202", .fail = 1};
	struct err err = ERR_INIT;
	assert_int_equal(api__write_store(srv, put_plain, &ok, &err), GG_OK);
	assert_int_equal(exists(ok.code), 1);
	assert_int_equal(api__write_store(srv, put_plain, &bad, &err), GG_EFIELD);
	assert_string_equal(err.msg, "refused after writing");
	assert_int_equal(exists(bad.code), 0);
}

int main(void)
{
	if (sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(a_failed_step_writes_nothing_and_others_commit, setup,
						teardown),
		cmocka_unit_test_setup_teardown(a_step_without_a_request_commits_or_leaves_nothing,
						setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
