/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The reference for bench/intake: how many single-row transactions a second SQLite
 * makes durable (WAL, synchronous=FULL) in one process, on rows shaped like new cases.
 * usage: raw_commit DB SECONDS
 */
#include <sqlite3.h>
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
		fprintf(stderr, "usage: raw_commit DB SECONDS\n");
		return 2;
	}
	sqlite3 *db;
	if (sqlite3_open(argv[1], &db) != SQLITE_OK)
		return 1;
	sqlite3_exec(db,
		     "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
		     "CREATE TABLE IF NOT EXISTS c(id INTEGER PRIMARY KEY, category TEXT,"
		     " description TEXT, lon REAL, lat REAL, grid TEXT, channel TEXT,"
		     " state TEXT, created_at INTEGER)",
		     NULL, NULL, NULL);
	sqlite3_stmt *st;
	sqlite3_prepare_v2(db,
			   "INSERT INTO c(category, description, lon, lat, grid, channel, state,"
			   " created_at) VALUES('0101','井盖破损 bench',?,?,'510105002002001',"
			   "'operator','reported',?)",
			   -1, &st, NULL);
	double secs = atof(argv[2]), t0 = now(), t = t0;
	long n = 0;
	while (t - t0 < secs) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
		sqlite3_bind_double(st, 1, 104.05 + (double)(n % 100) * 1e-4);
		sqlite3_bind_double(st, 2, 30.67);
		sqlite3_bind_int64(st, 3, (sqlite3_int64)time(NULL));
		if (sqlite3_step(st) != SQLITE_DONE)
			return 1;
		sqlite3_reset(st);
		if (sqlite3_exec(db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
			return 1;
		n++;
		if ((n & 63) == 0)
			t = now();
	}
	t = now();
	printf("%.0f\n", (double)n / (t - t0));
	sqlite3_finalize(st);
	sqlite3_close(db);
	return 0;
}
