/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the unit tests that need a real database: a migrated temporary SQLite file,
 * or a PostgreSQL database on a private cluster when GRIDGOV_TEST_DB=pg.
 */
#ifndef GRIDGOV_TEST_FIXTURE_H
#define GRIDGOV_TEST_FIXTURE_H

#include "gridgov/store.h"
#include "gridgov/store_case.h"

#define FX_PATH_MAX 64

/**
 * Create and migrate a temporary database named after tag (path receives its file name)
 * and open it into *s (NULL s: leave it closed). Returns 0, or -1 on failure.
 */
int fx_db_create(const char *tag, char path[FX_PATH_MAX], struct store **s);
/** A name for a new database that does not exist yet (SQLite) or is empty (PostgreSQL). */
int fx_db_empty(const char *tag, char path[FX_PATH_MAX]);
/** Close s (if not NULL) and remove the database with its -wal and -shm files. */
void fx_db_remove(const char *path, struct store *s);

/** Whether this run is on PostgreSQL (GRIDGOV_TEST_DB=pg). */
int fx_pg(void);
/**
 * The directory of this test binary's private PostgreSQL cluster, started on first use
 * (and stopped at exit); it also sets PGHOST, PGPORT and PGUSER so that a URI
 * postgres:///NAME reaches it. NULL when it cannot start.
 */
const char *fx_pg_dir(void);
/** Run one SQL statement on a PostgreSQL database with psql; its exit status (0: done). */
int fx_pg_sql(const char *uri, const char *sql);
/** Stop the cluster (fast, as a crash would) and start it again; 0 or -1. */
int fx_pg_restart(void);
/** Stop the cluster, keeping its files (start it again with fx_pg_restart); 0 or -1. */
int fx_pg_halt(void);

/** The category the case tests file under: E0102 暴露垃圾, department HW, 4/8/16 h, 60 min. */
extern const struct store_category fx_category;

#endif
