/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/stats: what the case summaries cost. Writes N cases (spread over D days, at the
 * demo district's basic and micro grids, lifecycles filled in) in transactions of 64,
 * each case in its own savepoint as the writer runs requests, once through the backend
 * alone (no summaries: the reference) and once through store_case_insert (summaries
 * kept), then updates random cases; then times the summary reads the command center
 * makes. Prints the rates and their ratio.
 *
 * Usage: sum_bench DB N [DAYS]   (DB: a database with the demo map, e.g. `gridgov demo`)
 * It reaches past store.h to the backend's case_insert for the reference on purpose.
 */
#include <math.h>
#include <sys/resource.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/clock.h"
#include "gridgov/store_stats.h"
#include "store/store_int.h"

static int GROUP = 64; /* cases per transaction: GRIDGOV_BENCH_GROUP */

static unsigned long st = 88172645463325252ul;
static unsigned rnd(unsigned n)
{
	st ^= st << 13;
	st ^= st >> 7;
	st ^= st << 17;
	return (unsigned)(st % n);
}

struct codes {
	char (*v)[GRID_CODE_MAX];
	size_t n, cap;
};

static void collect(struct store *s, const char *code, struct arena *a, struct codes *c)
{
	struct grid_node *g;
	size_t n;
	struct err e = ERR_INIT;
	if (store_grid_children(s, code, a, &g, &n, &e))
		return;
	for (size_t i = 0; i < n; i++) {
		if (g[i].level >= GRID_GRID) {
			if (c->n == c->cap)
				c->v = realloc(c->v, (c->cap = c->cap ? 2 * c->cap : 1024) *
							 sizeof(*c->v));
			snprintf(c->v[c->n++], GRID_CODE_MAX, "%s", g[i].code);
		}
		if (g[i].level < GRID_MICRO)
			collect(s, g[i].code, a, c);
	}
}

static const char *const chans[] = {"patrol", "hotline", "app", "wechat", "worker"};
static const char *const depts[] = {"HW", "SZ", "CGZF"};

static void make_case(struct store_case *c, const struct codes *codes, int64_t now, int days)
{
	int intake = days == 0;
	memset(c, 0, sizeof(*c));
	const char *g = codes->v[rnd((unsigned)codes->n)];
	snprintf(c->grid, sizeof(c->grid), "%s", g);
	c->level = strlen(g) > 15 ? GRID_MICRO : GRID_GRID;
	snprintf(c->community, sizeof(c->community), "%.12s", g);
	snprintf(c->street, sizeof(c->street), "%.9s", g);
	snprintf(c->category, sizeof(c->category), "E0102");
	snprintf(c->description, sizeof(c->description), "bench");
	snprintf(c->channel, sizeof(c->channel), "%s", chans[rnd(5)]);
	snprintf(c->reporter, sizeof(c->reporter), "bench");
	c->created_at = intake ? now : now - (int64_t)rnd((unsigned)days * 86400u);
	c->updated_at = c->stage_started = c->created_at;
	c->has_point = rnd(5) != 0;
	c->lon = 104.03 + rnd(2000) * 0.00002;
	c->lat = 30.64 + rnd(2000) * 0.00002;
	c->state = CASE_REPORTED;
	c->deadline = c->created_at + 3600;
	int stage = intake ? 0 : (int)rnd(6);
	if (stage >= 1) {
		c->state = CASE_FILED;
		c->filed_at = c->created_at + 600;
		c->filed_on_time = rnd(10) != 0;
	}
	if (stage >= 2) {
		c->state = CASE_DISPATCHED;
		snprintf(c->department, sizeof(c->department), "%s", depts[rnd(3)]);
		c->dispatches = 1 + (rnd(10) == 0);
		c->returns = c->dispatches - 1;
	}
	if (stage >= 3) {
		c->state = CASE_HANDLED;
		c->handled_at = c->created_at + 7200;
		c->handled_on_time = rnd(5) != 0;
	}
	if (stage >= 4) {
		c->state = CASE_CLOSED;
		c->closed_at = c->created_at + 86400 + rnd(86400);
		c->closed_on_time = c->handled_on_time;
		c->deadline = 0;
	}
	if (stage >= 5) {
		c->state = CASE_EVALUATED;
		snprintf(c->rating, sizeof(c->rating), "%s", rnd(4) ? "satisfied" : "unsatisfied");
	}
	if (c->deadline && c->deadline < now)
		c->supervision = 1;
}

static double cpu_s(void)
{
	struct rusage u;
	getrusage(RUSAGE_SELF, &u);
	return (double)u.ru_utime.tv_sec + (double)u.ru_utime.tv_usec / 1e6 +
	       (double)u.ru_stime.tv_sec + (double)u.ru_stime.tv_usec / 1e6;
}

/* N inserts in groups of GROUP savepoints; raw = the backend's insert alone. */
static double insert(struct store *s, const struct codes *codes, int64_t n, int days, int raw)
{
	struct err e = ERR_INIT;
	struct store_case c;
	int64_t now = clock_now();
	uint64_t t0 = clock_mono_ns();
	for (int64_t i = 0; i < n;) {
		if (store_begin(s, STORE_WRITE, &e))
			goto fail;
		for (int k = 0; k < GROUP && i < n; k++, i++) {
			make_case(&c, codes, now, days);
			if (store_savepoint(s, &e) ||
			    (raw ? s->ops->case_insert(s, &c, &e) : store_case_insert(s, &c, &e)) ||
			    store_savepoint_release(s, &e))
				goto fail;
		}
		if (store_commit(s, &e))
			goto fail;
	}
	return (double)n / ((double)(clock_mono_ns() - t0) / 1e9);
fail:
	fprintf(stderr, "sum_bench: %s\n", e.msg);
	exit(1);
}

static double update(struct store *s, int64_t max_id, int64_t n)
{
	struct err e = ERR_INIT;
	struct store_case c;
	uint64_t t0 = clock_mono_ns();
	for (int64_t i = 0; i < n;) {
		if (store_begin(s, STORE_WRITE, &e))
			goto fail;
		for (int k = 0; k < GROUP && i < n; k++, i++) {
			if (store_case_get(s, 1 + (int64_t)rnd((unsigned)max_id), &c, &e))
				goto fail;
			if (!c.department[0]) {
				snprintf(c.department, sizeof(c.department), "%s", depts[rnd(3)]);
				c.dispatches++;
				c.state = CASE_DISPATCHED;
			} else if (!c.closed_at) {
				c.closed_at = clock_now();
				c.state = CASE_CLOSED;
			} else {
				c.supervision++;
			}
			if (store_savepoint(s, &e) || store_case_update(s, &c, &e) ||
			    store_savepoint_release(s, &e))
				goto fail;
		}
		if (store_commit(s, &e))
			goto fail;
	}
	return (double)n / ((double)(clock_mono_ns() - t0) / 1e9);
fail:
	fprintf(stderr, "sum_bench: %s\n", e.msg);
	exit(1);
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

/* p50 and p99 in ms of one kind of summary read, repeated. */
static void time_read(struct store *s, const char *what, const struct store_stats_q *q, int heat)
{
	enum { REPS = 50 };
	double ms[REPS];
	size_t rows = 0;
	for (int i = 0; i < REPS; i++) {
		struct arena *a = arena_new();
		struct err e = ERR_INIT;
		uint64_t t0 = clock_mono_ns();
		if (store_begin(s, STORE_READ, &e))
			exit(1);
		int rc;
		if (heat) {
			struct store_heat_cell *h;
			rc = store_stats_heat(s, q->scope, NULL, q->day_from, q->day_to, a, &h,
					      &rows, &e);
		} else {
			struct store_stats_row *w;
			rc = store_stats_sum(s, q, a, &w, &rows, &e);
			if (!rc)
				rc = store_stats_live(s, q, a, &w, &rows, &e);
		}
		store_rollback(s);
		ms[i] = (double)(clock_mono_ns() - t0) / 1e6;
		arena_free(a);
		if (rc) {
			fprintf(stderr, "sum_bench: %s\n", e.msg);
			exit(1);
		}
	}
	qsort(ms, REPS, sizeof(ms[0]), cmp_d);
	printf("  %-34s p50 %7.2f ms  p99 %7.2f ms  (%zu rows)\n", what, ms[REPS / 2], ms[REPS - 1],
	       rows);
}

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: sum_bench DB N [DAYS]\n");
		return 2;
	}
	int64_t n = atoll(argv[2]);
	int days = argc > 3 ? atoi(argv[3]) : 365;
	if (getenv("GRIDGOV_BENCH_GROUP"))
		GROUP = atoi(getenv("GRIDGOV_BENCH_GROUP"));
	struct store *s;
	struct err e = ERR_INIT;
	if (store_open(argv[1], &s, &e)) {
		fprintf(stderr, "sum_bench: %s\n", e.msg);
		return 1;
	}
	struct arena *a = arena_new();
	struct codes codes = {0};
	collect(s, "510105", a, &codes);
	if (!codes.n) {
		fprintf(stderr, "sum_bench: no grids under 510105 (build DB with gridgov demo)\n");
		return 1;
	}
	int64_t ref_n = 10000, spread_n = 20000;
	/* intake: cases reported now, as the API writes them, with and without summaries */
	double c0 = cpu_s();
	double raw_now = insert(s, &codes, ref_n, 0, 1);
	double c1 = cpu_s();
	double kept_now = insert(s, &codes, ref_n, 0, 0);
	double c2 = cpu_s();
	/* cases of the whole period, lifecycles filled in (a bulk load through the store) */
	double raw = insert(s, &codes, ref_n, days, 1);
	double kept = insert(s, &codes, spread_n, days, 0);
	double upd = update(s, 4 * ref_n, ref_n);
	/* the rest of the N cases without summaries, then one rebuild counts them all */
	int64_t rest = n - 3 * ref_n - spread_n;
	if (rest > 0)
		(void)insert(s, &codes, rest, days, 1);
	int ready;
	uint64_t t0 = clock_mono_ns();
	int64_t total;
	if (store_stats_rebuild(s, &total, &e) || store_stats_ready(s, &ready, &e)) {
		fprintf(stderr, "sum_bench: %s\n", e.msg);
		return 1;
	}
	double rebuild = (double)(clock_mono_ns() - t0) / 1e9;
	printf("writes over %zu grids, %d days, groups of %d:\n", codes.n, days, GROUP);
	printf("  intake, raw (no summaries)   %9.0f cases/s  (%lld cases reported now)\n", raw_now,
	       (long long)ref_n);
	printf("  intake, with summaries       %9.0f cases/s  (%lld cases reported now)\n",
	       kept_now, (long long)ref_n);
	printf("  raw inserts (no summaries)   %9.0f cases/s  (%lld cases)\n", raw,
	       (long long)ref_n);
	printf("  inserts with summaries       %9.0f cases/s  (%lld cases)\n", kept,
	       (long long)spread_n);
	printf("  updates with summaries       %9.0f cases/s\n", upd);
	printf("  stats rebuild                %9.2f s for %lld cases\n", rebuild,
	       (long long)total);
	printf("  CPU per intake case: %.1f us raw, %.1f us with summaries\n",
	       (c1 - c0) * 1e6 / (double)ref_n, (c2 - c1) * 1e6 / (double)ref_n);
	printf("ratio (intake with summaries / raw intake): %.2f\n", kept_now / raw_now);
	printf("ratio (spread inserts with summaries / raw inserts): %.2f\n", kept / raw);
	int64_t today = clock_local_day(clock_now());
	printf("reads (%lld cases in the database):\n", (long long)total);
	struct store_stats_q q = {
	    .scope = "510105", .lvl = 1, .day_from = today, .day_to = today + 1};
	time_read(s, "today, district", &q, 0);
	q.day_from = today - 29;
	time_read(s, "30 days, district", &q, 0);
	q.lvl = 2;
	time_read(s, "30 days, by street", &q, 0);
	q.lvl = 4;
	q.day_from = today - 364;
	time_read(s, "365 days, by grid", &q, 0);
	q.lvl = 1;
	q.by_day = 1;
	q.day_from = today - 29;
	time_read(s, "30 days, by day", &q, 0);
	q.by_day = 0;
	q.kind = 1;
	time_read(s, "30 days, by department", &q, 0);
	q.day_from = today - 6;
	time_read(s, "heat map, 7 days", &q, 1);
	arena_free(a);
	free(codes.v);
	store_close(s);
	return 0;
}
