/* SPDX-License-Identifier: Apache-2.0 */
/*
 * bench/assess: scoring a city for one month (issue 16). On a demo district's map it adds
 * W grid workers (one per basic grid, round robin), departments up to D, one operator and
 * N cases reported in the month with their trail (立案, 派遣, 核查, 自处置 entries) and
 * 督办 rounds, all through the store (summaries kept); then times assess_counts + scoring
 * + ranking for each kind of subject (what GET /api/v1/rankings computes for the month,
 * without the previous period), and beside it the same counts computed by one SQL query
 * per indicator over the cases (the reference, read with sqlite3 directly), checking that
 * both agree.
 *
 * Usage: assess_bench DB N [WORKERS] [DEPTS]   (DB: a demo map with categories)
 */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/assess_run.h"
#include "gridgov/clock.h"
#include "gridgov/store_case.h"
#include "gridgov/store_stats.h"

static unsigned long st = 88172645463325252ul;
static unsigned rnd(unsigned n)
{
	st ^= st << 13;
	st ^= st >> 7;
	st ^= st << 17;
	return (unsigned)(st % n);
}

static void die(const char *what, const struct err *e)
{
	fprintf(stderr, "assess_bench: %s: %s\n", what, e ? e->msg : "");
	exit(1);
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
		if (g[i].level == GRID_GRID) {
			if (c->n == c->cap)
				c->v = realloc(c->v, (c->cap = c->cap ? 2 * c->cap : 1024) *
							 sizeof(*c->v));
			snprintf(c->v[c->n++], GRID_CODE_MAX, "%s", g[i].code);
		}
		if (g[i].level < GRID_GRID)
			collect(s, g[i].code, a, c);
	}
}

static double secs_since(uint64_t t0)
{
	return (double)(clock_mono_ns() - t0) / 1e9;
}

static void entry(struct store *s, int64_t case_id, const char *action, int64_t actor, int64_t at)
{
	struct store_case_entry e = {.case_id = case_id, .actor_id = actor, .at = at};
	struct err err = ERR_INIT;
	snprintf(e.action, sizeof(e.action), "%s", action);
	snprintf(e.actor, sizeof(e.actor), "u%lld", (long long)actor);
	snprintf(e.role, sizeof(e.role), "bench");
	snprintf(e.from_state, sizeof(e.from_state), "x");
	snprintf(e.to_state, sizeof(e.to_state), "y");
	e.note = (char *)"";
	e.attachments = (char *)"[]";
	if (store_case_log_append(s, &e, &err))
		die("log", &err);
}

static const char *const depts_seed[] = {"HW", "SZ", "CGZF", "YL", "ZJ", "SCJG", "GA", "JJ"};

int main(int argc, char **argv)
{
	if (argc < 3) {
		fprintf(stderr, "usage: assess_bench DB N [WORKERS] [DEPTS]\n");
		return 2;
	}
	const char *path = argv[1];
	int64_t n = atoll(argv[2]);
	int nworkers = argc > 3 ? atoi(argv[3]) : 10000, ndepts = argc > 4 ? atoi(argv[4]) : 50;
	struct store *s;
	struct err e = ERR_INIT;
	if (store_open(path, &s, &e))
		die("open", &e);
	struct arena *a = arena_new();
	struct codes codes = {0};
	collect(s, "", a, &codes);
	if (!codes.n)
		die("no basic grids (a demo map is needed)", NULL);

	/* departments up to ndepts (the seeded 24 and bench ones), by sqlite3: the store has
	 * no call to add one */
	sqlite3 *db;
	if (sqlite3_open(path, &db) != SQLITE_OK)
		die("sqlite3_open", NULL);
	sqlite3_busy_timeout(db, 10000);
	char **dept = calloc((size_t)ndepts, sizeof(char *));
	for (int i = 0; i < ndepts; i++) {
		char sql[200];
		dept[i] = malloc(16);
		snprintf(dept[i], 16, "B%02d", i);
		snprintf(sql, sizeof(sql),
			 "INSERT OR IGNORE INTO department (code, name) VALUES ('%s', 'bench %d')",
			 dept[i], i);
		if (i < (int)(sizeof(depts_seed) / sizeof(depts_seed[0])))
			snprintf(dept[i], 16, "%s", depts_seed[i]);
		else if (sqlite3_exec(db, sql, NULL, NULL, NULL) != SQLITE_OK)
			die(sqlite3_errmsg(db), NULL);
	}

	/* the people */
	uint64_t t0 = clock_mono_ns();
	int64_t *worker = calloc((size_t)nworkers, sizeof(int64_t)), op = 0;
	if (store_begin(s, STORE_WRITE, &e))
		die("begin", &e);
	for (int i = 0; i <= nworkers; i++) {
		struct store_user u = {.active = 1};
		u.who.role = i < nworkers ? ROLE_GRID_WORKER : ROLE_OPERATOR;
		snprintf(u.who.name, sizeof(u.who.name), i < nworkers ? "bw%d" : "bop%d", i);
		snprintf(u.who.scope, sizeof(u.who.scope), "%s",
			 i < nworkers ? codes.v[(size_t)i % codes.n] : "");
		snprintf(u.pwhash, sizeof(u.pwhash), "x");
		if (store_user_insert(s, &u, i < nworkers ? &worker[i] : &op, &e))
			die("user", &e);
	}
	if (store_commit(s, &e))
		die("commit", &e);

	/* the month: 2026-11 in CST */
	int64_t from_day = assess_days_from_civil(2026, 11, 1),
		to_day = assess_days_from_civil(2026, 12, 1);
	int64_t t_from = clock_day_start(from_day), span = clock_day_start(to_day) - t_from;
	int done = 0;
	if (store_bulk_journal(s, 1, &done, &e))
		die("journal", &e);
	for (int64_t i = 0; i < n;) {
		if (store_begin(s, STORE_WRITE, &e) || store_case_bulk(s, 1, &e))
			die("begin", &e);
		for (int k = 0; k < 20000 && i < n; k++, i++) {
			struct store_case c;
			memset(&c, 0, sizeof(c));
			int w = (int)rnd((unsigned)nworkers);
			const char *g =
			    codes.v[rnd(4) ? (size_t)w % codes.n : rnd((unsigned)codes.n)];
			snprintf(c.grid, sizeof(c.grid), "%s", g);
			c.level = GRID_GRID;
			snprintf(c.community, sizeof(c.community), "%.12s", g);
			snprintf(c.street, sizeof(c.street), "%.9s", g);
			snprintf(c.category, sizeof(c.category), "E0102");
			snprintf(c.description, sizeof(c.description), "bench");
			int by_worker = rnd(100) < 45;
			snprintf(c.channel, sizeof(c.channel), "%s",
				 by_worker ? "worker" : "hotline");
			c.reporter_id = by_worker ? worker[w] : 0;
			c.created_at = t_from + (int64_t)rnd((unsigned)(span - 4 * 86400));
			c.updated_at = c.stage_started = c.created_at;
			c.state = CASE_REPORTED;
			int stage = (int)rnd(6), self = by_worker && rnd(10) == 0;
			if (self) {
				c.state = CASE_CLOSED;
				c.handled_at = c.closed_at = c.created_at + 1800;
				c.handled_on_time = c.closed_on_time = 1;
			} else if (stage == 0 && rnd(3) == 0) {
				c.state = CASE_REJECTED;
			} else {
				if (stage >= 1) {
					c.state = CASE_FILED;
					c.filed_at = c.created_at + 600;
					c.filed_on_time = rnd(10) != 0;
				}
				if (stage >= 2) {
					c.state = CASE_DISPATCHED;
					snprintf(c.department, sizeof(c.department), "%s",
						 dept[rnd((unsigned)ndepts)]);
					c.dispatches = 1 + (rnd(10) == 0);
					c.returns = c.dispatches - 1;
					c.extended = rnd(20) == 0;
				}
				if (stage >= 3) {
					c.state = CASE_HANDLED;
					c.handled_at = c.created_at + 7200;
					c.handled_on_time = rnd(5) != 0;
					c.reworks = rnd(15) == 0;
				}
				if (stage >= 4) {
					c.state = CASE_CLOSED;
					c.closed_at = c.handled_at + 86400;
					c.closed_on_time = c.handled_on_time;
				}
				if (stage >= 5) {
					c.state = CASE_EVALUATED;
					snprintf(c.rating, sizeof(c.rating), "%s",
						 rnd(4) ? "satisfied" : "unsatisfied");
				}
			}
			if (store_case_insert(s, &c, &e))
				die("case", &e);
			if (self)
				entry(s, c.id, "self_close", worker[w], c.closed_at);
			if (c.filed_at)
				entry(s, c.id, "file", op, c.filed_at);
			if (c.dispatches)
				entry(s, c.id, "dispatch", op, c.filed_at + 60);
			if (c.handled_at && !self)
				entry(s, c.id, "verify", worker[w],
				      c.handled_at + (rnd(4) ? 1800 : 7200));
			if (c.dispatches && !c.handled_on_time && c.handled_at) {
				struct store_supervision v = {.case_id = c.id,
							      .round = 1,
							      .level = 3,
							      .points = 1,
							      .opened_at = c.created_at + 3600};
				snprintf(v.stage, sizeof(v.stage), "处置");
				snprintf(v.supervisor, sizeof(v.supervisor), "%.12s", g);
				snprintf(v.target_kind, sizeof(v.target_kind), "department");
				snprintf(v.target, sizeof(v.target), "%s", c.department);
				if (store_supervision_insert(s, &v, &e))
					die("supervision", &e);
				snprintf(v.target_kind, sizeof(v.target_kind), "grid");
				snprintf(v.target, sizeof(v.target), "%s", g);
				if (store_supervision_insert(s, &v, &e))
					die("supervision", &e);
			}
		}
		if (store_case_bulk(s, 0, &e) || store_commit(s, &e))
			die("commit", &e);
	}
	if (store_bulk_journal(s, 0, &done, &e))
		die("journal", &e);
	printf("loaded %lld cases, %d workers, %d departments, %zu grids in %.1f s\n", (long long)n,
	       nworkers, ndepts, codes.n, secs_since(t0));

	/* assessment: each kind for the month, under the whole city */
	static const char *const kinds[] = {"region", "department", "worker", "operator"};
	double total = 0;
	struct assess_subject *out[4];
	size_t nout[4];
	for (int k = 0; k < 4; k++) {
		struct assess_query q = {.kind = (enum assess_kind)assess_kind_parse(kinds[k]),
					 .period = ASSESS_MONTH,
					 .at_day = from_day,
					 .under = ""};
		struct assess_scheme sc;
		assess_scheme_default(q.kind, &sc);
		t0 = clock_mono_ns();
		if (store_begin(s, STORE_READ, &e) ||
		    assess_counts(s, &q, from_day, to_day, a, &out[k], &nout[k], &e))
			die("assess", &e);
		store_rollback(s);
		assess_score(&sc, out[k], nout[k]);
		assess_rank(out[k], nout[k], 0);
		double t = secs_since(t0);
		total += t;
		printf("assess %-10s %6zu subjects  %.3f s\n", kinds[k], nout[k], t);
	}
	printf("assess all kinds: %.3f s\n", total);

	/* the reference: one SQL query per indicator over the month's cases */
	struct ref {
		const char *what, *sql;
	} refs[] = {
	    {"department 按期处置率",
	     "SELECT department, sum(handled_on_time AND handled_at > 0), sum(handled_at > 0)"
	     " FROM gcase WHERE created_at >= ?1 AND created_at < ?2 AND department IS NOT NULL"
	     " GROUP BY department"},
	    {"department 返工率",
	     "SELECT department, sum(handled_at > 0 AND reworks > 0), sum(handled_at > 0)"
	     " FROM gcase WHERE created_at >= ?1 AND created_at < ?2 AND department IS NOT NULL"
	     " GROUP BY department"},
	    {"department 延期率",
	     "SELECT department, sum(dispatches > 0 AND extended), sum(dispatches > 0)"
	     " FROM gcase WHERE created_at >= ?1 AND created_at < ?2 AND department IS NOT NULL"
	     " GROUP BY department"},
	    {"department 满意率",
	     "SELECT department, sum(rating IN ('satisfied', 'basically')), sum(rating <> '')"
	     " FROM gcase WHERE created_at >= ?1 AND created_at < ?2 AND department IS NOT NULL"
	     " GROUP BY department"},
	    {"department 督办 points", "SELECT target, sum(points), count(*) FROM supervision "
				       "WHERE target_kind = 'department'"
				       " AND opened_at >= ?1 AND opened_at < ?2 GROUP BY target"},
	    {"region 立案数/结案率",
	     "SELECT substr(grid, 1, 6), sum(closed_at > 0), sum(filed_at > 0) FROM gcase"
	     " WHERE created_at >= ?1 AND created_at < ?2 GROUP BY 1"},
	    {"region 按期结案率",
	     "SELECT substr(grid, 1, 6), sum(closed_at > 0 AND closed_on_time), sum(closed_at > 0)"
	     " FROM gcase WHERE created_at >= ?1 AND created_at < ?2 GROUP BY 1"},
	    {"region 上报率",
	     "SELECT substr(grid, 1, 6), sum(channel = 'worker'), count(*) FROM gcase"
	     " WHERE created_at >= ?1 AND created_at < ?2 GROUP BY 1"},
	    {"worker 有效上报率",
	     "SELECT reporter_id, sum(filed_at > 0), count(*) FROM gcase WHERE created_at >= ?1"
	     " AND created_at < ?2 AND reporter_id IS NOT NULL GROUP BY reporter_id"},
	    {"worker 漏报率",
	     "SELECT substr(grid, 1, 15), sum(channel <> 'worker'), count(*) FROM gcase"
	     " WHERE created_at >= ?1 AND created_at < ?2 GROUP BY 1"},
	    {"worker 按时核查率",
	     "SELECT l.actor_id, sum(l.at <= g.handled_at + 60 * c.verify_min), count(*)"
	     " FROM case_log l JOIN gcase g ON g.id = l.case_id JOIN category c"
	     " ON c.code = g.category WHERE l.action = 'verify' AND l.at >= ?1 AND l.at < ?2"
	     " GROUP BY l.actor_id"},
	    {"worker 自处置率",
	     "SELECT actor_id, count(*), 0 FROM case_log WHERE action = 'self_close'"
	     " AND at >= ?1 AND at < ?2 GROUP BY actor_id"},
	    {"operator 按时立案率",
	     "SELECT l.actor_id, sum(g.filed_on_time), count(*) FROM case_log l JOIN gcase g"
	     " ON g.id = l.case_id WHERE l.action = 'file' AND l.at >= ?1 AND l.at < ?2"
	     " GROUP BY l.actor_id"},
	    {"operator 准确派遣率",
	     "SELECT l.actor_id, sum(g.returns = 0), count(*) FROM case_log l JOIN gcase g"
	     " ON g.id = l.case_id WHERE l.action = 'dispatch' AND l.at >= ?1 AND l.at < ?2"
	     " GROUP BY l.actor_id"},
	};
	double ref_total = 0;
	int64_t dept_hot = 0, ref_hot = 0;
	for (size_t i = 0; i < sizeof(refs) / sizeof(refs[0]); i++) {
		sqlite3_stmt *q;
		if (sqlite3_prepare_v2(db, refs[i].sql, -1, &q, NULL) != SQLITE_OK)
			die(sqlite3_errmsg(db), NULL);
		sqlite3_bind_int64(q, 1, t_from);
		sqlite3_bind_int64(q, 2, t_from + span);
		t0 = clock_mono_ns();
		int64_t rows = 0, sum = 0;
		while (sqlite3_step(q) == SQLITE_ROW) {
			rows++;
			sum += sqlite3_column_int64(q, 1);
		}
		sqlite3_finalize(q);
		double t = secs_since(t0);
		ref_total += t;
		if (i == 0)
			ref_hot = sum;
		printf("reference %-26s %6lld groups  %.3f s\n", refs[i].what, (long long)rows, t);
	}
	for (size_t i = 0; i < nout[1]; i++)
		dept_hot += out[1][i].c[AC_HANDLED_ON_TIME];
	printf("reference, one query per indicator: %.3f s\n", ref_total);
	printf("按期处置 (handled on time) summed: assess %lld, reference %lld: %s\n",
	       (long long)dept_hot, (long long)ref_hot, dept_hot == ref_hot ? "equal" : "DIFFER");
	printf("ratio assess / reference: %.3f (target: assess under 5 s: %s)\n", total / ref_total,
	       total < 5 ? "met" : "NOT MET");
	sqlite3_close(db);
	store_close(s);
	arena_free(a);
	for (int i = 0; i < ndepts; i++)
		free(dept[i]);
	free(dept);
	free(worker);
	free(codes.v);
	return dept_hot == ref_hot ? 0 : 1;
}
