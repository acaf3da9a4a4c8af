/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/track: patrol positions stored durably on SQLite (WAL, synchronous=FULL) the way
 * the OsmAnd listener stores them — group commits of JOBS requests, each a phone's batch
 * of FIXES fixes in its own savepoint, cleaned by svc_track_ingest (tracker lookup, the
 * accepted fix before it, Traccar's filters) and written to positions or rejected fixes —
 * beside the reference: raw batched INSERTs of the same rows into the same table with one
 * prepared statement, the same number per commit. Prints both rates and their ratio.
 *
 * usage: track_bench DIR [POSITIONS] [DEVICES] [JOBS] [FIXES]
 *        (default 1000000, 2000, 64, 20: 1,280 positions per commit)
 */
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "gridgov/clock.h"
#include "gridgov/store_track.h"
#include "gridgov/svc.h"

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* this process's CPU seconds: the machine is shared, so a rate per CPU second is printed too */
static double cpu_s(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (double)ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + (double)ru.ru_stime.tv_sec +
	       ru.ru_stime.tv_usec / 1e6;
}

static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static double uniform(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (double)(rng >> 11) / (double)(1ULL << 53);
}

struct walker {
	double lat, lon, heading;
	int64_t t_ms;
};

/* The next FIXES fixes of device d: 5 s apart, walking at about 1.5 m/s. */
static void next_fixes(struct walker *w, int d, struct track_fix *out, int n)
{
	for (int i = 0; i < n; i++) {
		w->heading += (uniform() - 0.5) * 0.6;
		double m = 7.5 * (0.5 + uniform());
		w->lat += m * cos(w->heading) / 111195.0;
		w->lon += m * sin(w->heading) / (111195.0 * cos(w->lat * M_PI / 180));
		w->t_ms += 5000;
		track_fix_init(&out[i]);
		snprintf(out[i].device, sizeof(out[i].device), "%d", 800000 + d);
		out[i].t_ms = w->t_ms;
		out[i].lat = w->lat;
		out[i].lon = w->lon;
		out[i].has_pos = 1;
		out[i].accuracy = 5 + 20 * uniform();
		out[i].battery = 80;
		out[i].speed_kn = m / 5 * 3600 / 1852;
	}
}

static int fail(const char *what, const struct err *e)
{
	fprintf(stderr, "track_bench: %s: %s\n", what, e ? e->msg : "");
	return 1;
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fprintf(stderr, "usage: track_bench DIR [POSITIONS] [DEVICES] [JOBS] [FIXES]\n");
		return 2;
	}
	long total = argc > 2 ? atol(argv[2]) : 1000000;
	int devices = argc > 3 ? atoi(argv[3]) : 2000;
	int jobs = argc > 4 ? atoi(argv[4]) : 64;
	int per = argc > 5 ? atoi(argv[5]) : 20;
	if (total < 1 || devices < 1 || devices > 1000000 || jobs < 1 || per < 1 || per > 5000) {
		fprintf(stderr, "track_bench: bad sizes\n");
		return 2;
	}
	char path[2][1024];
	snprintf(path[0], sizeof(path[0]), "%s/track.db", argv[1]);
	snprintf(path[1], sizeof(path[1]), "%s/raw.db", argv[1]);
	struct err err = ERR_INIT;
	struct store *s[2];
	for (int k = 0; k < 2; k++) {
		int from, to;
		/* 64 MiB of page cache, as the server's writer has */
		if (store_open(path[k], &s[k], &err) || store_migrate(s[k], &from, &to, &err) ||
		    store_cache_size(s[k], (int64_t)64 << 20, &err))
			return fail("open", &err);
	}
	/* the workers and their trackers */
	if (store_begin(s[0], STORE_WRITE, &err))
		return fail("begin", &err);
	for (int d = 0; d < devices; d++) {
		struct store_user u = {
		    .who = {.role = ROLE_GRID_WORKER}, .pwhash = "x", .active = 1};
		snprintf(u.who.name, sizeof(u.who.name), "w%d", d);
		int64_t id;
		char dev[16];
		snprintf(dev, sizeof(dev), "%d", 800000 + d);
		if (store_user_insert(s[0], &u, &id, &err) ||
		    store_tracker_add(s[0], dev, id, 0, &err))
			return fail("users", &err);
	}
	if (store_commit(s[0], &err))
		return fail("commit", &err);
	store_close(s[1]);

	struct track_config cfg;
	track_config_defaults(&cfg);
	cfg.past_s = 0; /* the walk's times are synthetic */
	cfg.future_s = 0;
	struct walker *w = calloc((size_t)devices, sizeof(*w));
	for (int d = 0; d < devices; d++)
		w[d] = (struct walker){30.6 + 0.1 * uniform(), 104.0 + 0.1 * uniform(),
				       6.28 * uniform(), 1765000000000LL};
	long batch = (long)jobs * per, commits = (total + batch - 1) / batch;
	struct track_fix *fix = malloc((size_t)batch * sizeof(*fix));
	struct track_fix *all = malloc((size_t)(commits * batch) * sizeof(*all));
	int dnext = 0;
	for (long c = 0; c < commits; c++)
		for (int j = 0; j < jobs; j++, dnext = (dnext + 1) % devices)
			next_fixes(&w[dnext], dnext, &all[c * batch + (long)j * per], per);

	/* gridgov: group commits of jobs, each job a savepoint, cleaned and stored */
	int64_t stored = 0, rejected = 0;
	double t0 = now_s(), c0 = cpu_s();
	for (long c = 0; c < commits; c++) {
		struct arena *a = arena_new();
		memcpy(fix, &all[c * batch], (size_t)batch * sizeof(*fix));
		if (store_begin(s[0], STORE_WRITE, &err))
			return fail("begin", &err);
		for (int j = 0; j < jobs; j++) {
			int64_t st, rj;
			if (store_savepoint(s[0], &err) ||
			    svc_track_ingest(s[0], &cfg, a, &fix[(long)j * per], (size_t)per,
					     1765000000000LL, &st, &rj, &err) ||
			    store_savepoint_release(s[0], &err))
				return fail("ingest", &err);
			stored += st;
			rejected += rj;
		}
		if (store_commit(s[0], &err))
			return fail("commit", &err);
		arena_free(a);
	}
	double t_gg = now_s() - t0, c_gg = cpu_s() - c0;
	store_close(s[0]);

	/* the reference: raw batched inserts of the same rows, FULL durability */
	sqlite3 *db;
	sqlite3_stmt *ins;
	if (sqlite3_open(path[1], &db) != SQLITE_OK ||
	    sqlite3_exec(db,
			 "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
			 " PRAGMA cache_size=-65536",
			 0, 0, 0) ||
	    sqlite3_prepare_v2(db,
			       "INSERT INTO position(device_id, fix_time, user_id, lat, lon, speed,"
			       " accuracy, battery, received_at) VALUES(?,?,?,?,?,?,?,?,?)",
			       -1, &ins, 0))
		return fail("raw open", NULL);
	t0 = now_s();
	c0 = cpu_s();
	for (long c = 0; c < commits; c++) {
		sqlite3_exec(db, "BEGIN IMMEDIATE", 0, 0, 0);
		for (long i = 0; i < batch; i++) {
			const struct track_fix *f = &all[c * batch + i];
			sqlite3_bind_text(ins, 1, f->device, -1, SQLITE_STATIC);
			sqlite3_bind_int64(ins, 2, f->t_ms);
			sqlite3_bind_int64(ins, 3, atoi(f->device) - 800000 + 1);
			sqlite3_bind_double(ins, 4, f->lat);
			sqlite3_bind_double(ins, 5, f->lon);
			sqlite3_bind_double(ins, 6, f->speed_kn);
			sqlite3_bind_double(ins, 7, f->accuracy);
			sqlite3_bind_double(ins, 8, f->battery);
			sqlite3_bind_int64(ins, 9, 1765000000000LL);
			if (sqlite3_step(ins) != SQLITE_DONE)
				return fail("raw insert", NULL);
			sqlite3_reset(ins);
		}
		if (sqlite3_exec(db, "COMMIT", 0, 0, 0))
			return fail("raw commit", NULL);
	}
	double t_raw = now_s() - t0, c_raw = cpu_s() - c0;
	sqlite3_finalize(ins);
	sqlite3_close(db);

	long n = commits * batch;
	printf("track: %ld positions of %d devices, %ld per commit (%d requests of %d), "
	       "SQLite WAL synchronous=FULL\n",
	       n, devices, batch, jobs, per);
	printf(
	    "  gridgov (cleaned, de-duplicated, group commit): %8.0f positions/s, %8.0f per CPU s"
	    "  (%lld accepted, %lld rejected; %.2f s, %.2f CPU s)\n",
	    n / t_gg, n / c_gg, (long long)(stored - rejected), (long long)rejected, t_gg, c_gg);
	printf(
	    "  raw batched INSERTs of the same rows:           %8.0f positions/s, %8.0f per CPU s"
	    "  (%.2f s, %.2f CPU s)\n",
	    n / t_raw, n / c_raw, t_raw, c_raw);
	printf("  ratio gridgov / raw: %.2f (wall), %.2f (CPU)\n", t_raw / t_gg, c_raw / c_gg);
	free(all);
	free(fix);
	free(w);
	return 0;
}
