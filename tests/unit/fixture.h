/* SPDX-License-Identifier: Apache-2.0 */
/* Shared by the unit tests that need a real database: a migrated temporary SQLite file. */
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
/** Close s (if not NULL) and remove the database with its -wal and -shm files. */
void fx_db_remove(const char *path, struct store *s);

/** The category the case tests file under: E0102 暴露垃圾, department HW, 4/8/16 h, 60 min. */
extern const struct store_category fx_category;

#endif
