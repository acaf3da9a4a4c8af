/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A migrated temporary database for unit tests: a SQLite file, or, when the test runs with
 * GRIDGOV_TEST_DB=pg (meson's store-pg suite), a fresh database on a private PostgreSQL
 * cluster that scripts/pg-temp starts once per test binary and stops at its exit.
 * GRIDGOV_TEST_PG=0 skips the PostgreSQL runs (exit 77, meson's "skipped").
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fixture.h"

static char pg_dir[64];

int fx_pg(void)
{
	const char *b = getenv("GRIDGOV_TEST_DB");
	return b && !strcmp(b, "pg");
}

__attribute__((constructor)) static void fx_pg_skip(void)
{
	const char *on = getenv("GRIDGOV_TEST_PG");
	if (fx_pg() && on && !strcmp(on, "0")) {
		fprintf(stderr, "skipped: GRIDGOV_TEST_PG=0 (no PostgreSQL runs)\n");
		_exit(77);
	}
}

/* Run `pg-temp ARGS`; its last line of output (a URI) into out. */
static int pg_temp(const char *args, char *out, size_t n)
{
	char cmd[256], line[256] = "";
	snprintf(cmd, sizeof(cmd), "%s %s", FX_PG_TEMP, args);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	while (fgets(line, sizeof(line), p))
		snprintf(out, n, "%s", line);
	int rc = pclose(p);
	out[strcspn(out, "\n")] = 0;
	return rc == 0 ? 0 : -1;
}

static void pg_stop(void)
{
	char out[8], cmd[128];
	snprintf(cmd, sizeof(cmd), "stop %s", pg_dir);
	(void)pg_temp(cmd, out, sizeof(out));
}

const char *fx_pg_dir(void)
{
	if (pg_dir[0])
		return pg_dir;
	char out[256], cmd[128];
	snprintf(pg_dir, sizeof(pg_dir), "/tmp/gg-pg-XXXXXX");
	if (!mkdtemp(pg_dir)) {
		pg_dir[0] = 0;
		return NULL;
	}
	snprintf(cmd, sizeof(cmd), "start %s", pg_dir);
	if (pg_temp(cmd, out, sizeof(out))) {
		fprintf(stderr, "fixture: scripts/pg-temp start %s failed\n", pg_dir);
		pg_stop();
		pg_dir[0] = 0;
		return NULL;
	}
	atexit(pg_stop);
	/* the URIs then name the database alone: postgres:///NAME */
	char port[16];
	snprintf(cmd, sizeof(cmd), "%s/port", pg_dir);
	FILE *f = fopen(cmd, "r");
	if (!f || !fgets(port, sizeof(port), f)) {
		if (f)
			fclose(f);
		return NULL;
	}
	fclose(f);
	port[strcspn(port, "\n")] = 0;
	setenv("PGHOST", pg_dir, 1);
	setenv("PGPORT", port, 1);
	setenv("PGUSER", "postgres", 1);
	return pg_dir;
}

int fx_pg_sql(const char *uri, const char *sql)
{
	char cmd[1024];
	/* (the tests' own SQL: no quotes inside) */
	snprintf(cmd, sizeof(cmd),
		 "psql -X -q -v ON_ERROR_STOP=1 -d '%s' -c \"%s\" >/dev/null 2>&1", uri, sql);
	return system(cmd);
}

int fx_pg_restart(void)
{
	char out[256], cmd[128];
	snprintf(cmd, sizeof(cmd), "restart %s", pg_dir);
	return pg_temp(cmd, out, sizeof(out));
}

int fx_pg_halt(void)
{
	char out[256], cmd[128];
	snprintf(cmd, sizeof(cmd), "halt %s", pg_dir);
	return pg_temp(cmd, out, sizeof(out));
}

static int pg_create(const char *tag, char path[FX_PATH_MAX])
{
	static int seq;
	char out[256], cmd[128];
	if (!fx_pg_dir())
		return -1;
	char name[40];
	snprintf(name, sizeof(name), "%.16s_%d", tag, ++seq);
	for (char *c = name; *c; c++)
		if (*c == '-')
			*c = '_';
	snprintf(cmd, sizeof(cmd), "createdb %s %s", pg_dir, name);
	if (pg_temp(cmd, out, sizeof(out)))
		return -1;
	snprintf(path, FX_PATH_MAX, "postgres:///%s", name);
	return 0;
}

int fx_db_empty(const char *tag, char path[FX_PATH_MAX])
{
	if (fx_pg())
		return pg_create(tag, path);
	snprintf(path, FX_PATH_MAX, "/tmp/gg-%s-XXXXXX", tag);
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	return 0;
}

int fx_db_create(const char *tag, char path[FX_PATH_MAX], struct store **s)
{
	if (fx_db_empty(tag, path))
		return -1;
	struct store *db;
	int from, to;
	struct err e = ERR_INIT;
	if (store_open(path, &db, &e)) {
		fprintf(stderr, "fixture: %s: %s\n", path, err_msg(&e));
		return -1;
	}
	if (store_migrate(db, &from, &to, &e)) {
		fprintf(stderr, "fixture: %s: %s\n", path, err_msg(&e));
		store_close(db);
		return -1;
	}
	if (s)
		*s = db;
	else
		store_close(db);
	return 0;
}

void fx_db_remove(const char *path, struct store *s)
{
	store_close(s);
	if (!strncmp(path, "postgres:", 9))
		return; /* the cluster goes at exit */
	char p[FX_PATH_MAX + 8];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

const struct store_category fx_category = {.code = "E0102",
					   .kind = "事件",
					   .major_code = "E01",
					   .major_name = "市容环境",
					   .minor_code = "E0102",
					   .minor_name = "暴露垃圾",
					   .name = "暴露垃圾",
					   .department = "HW",
					   .limit_general_h = 4,
					   .limit_engineering_h = 8,
					   .limit_special_h = 16,
					   .verify_min = 60,
					   .urgency = "normal"};
