/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference for bench/intake: raw SQLite in one process, WAL with synchronous=FULL,
 * one row per transaction (one fsync each) — what one commit per case would cost.
 * Usage: ref DBPATH SECONDS
 */
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: ref DBPATH SECONDS\n");
		return 2;
	}
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db,
		     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE IF NOT EXISTS c(id INTEGER PRIMARY KEY, category TEXT,"
		     " description TEXT, channel TEXT, grid TEXT, state TEXT, created_at INTEGER)",
		     NULL, NULL, NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db,
			   "INSERT INTO c(category, description, channel, grid, state,"
			   " created_at) VALUES('E0102', ?, 'bench', '510105002002',"
			   " 'reported', ?)",
			   -1, &st, NULL);
	double t0 = now(), limit = atof(argv[2]);
	long n = 0;
	char desc[32];
	while (now() - t0 < limit) {
		snprintf(desc, sizeof(desc), "bench %ld", n);
		sqlite3_exec(db, "BEGIN", NULL, NULL, NULL);
		sqlite3_bind_text(st, 1, desc, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 2, (sqlite3_int64)time(NULL));
		sqlite3_step(st);
		sqlite3_reset(st);
		sqlite3_exec(db, "COMMIT", NULL, NULL, NULL);
		n++;
	}
	printf("ref_commits %ld rate %.0f\n", n, (double)n / (now() - t0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
