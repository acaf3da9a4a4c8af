/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov demo --cases N: a district's worth of case history in minutes. N cases are
 * reported over the last D days at points inside the district's grids (a few communities
 * are hot spots) by grid workers, the 12345 hotline, citizens and the center, and each
 * is driven through the domain layer (svc_case_new, then the pure step svc_case_step with
 * its trail entry, written once at the end) at the times its story gives: filed or rejected,
 * escalated, dispatched (sometimes to the wrong department, which returns it), accepted, extended,
 * handled on time or late, verified or sent back for rework, closed, rated, a few suspended. Before
 * an action taken after its stage's deadline the scheduler's own sweep (svc_sched_sweep) runs at
 * that moment, so the 督办 rounds are the ones a running server would have opened. Cases whose
 * story runs past now stay open where they are. So the trail, the summaries and the scheduler's
 * queue are exactly what the API would have written; only the HTTP is left out. Deterministic for a
 * seed and a moment "now". Photos are not generated: no self-handling 自处置 (it needs before and
 * after photos) and no evaluation photos.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/loc.h"
#include "gridgov/store_geo.h"
#include "gridgov/store_stats.h"
#include "gridgov/svc.h"
#include "gridgov/xalloc.h"

#define POOL_MAX    20000 /* distinct report points */
#define BATCH_CASES 2000  /* cases per transaction */
#define SWEEP_LIMIT 2000
#define DEFER_MIN   2000 /* cases: one bulk transaction, summaries rebuilt at the end */

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9E3779B97F4A7C15ull);
	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
	return z ^ (z >> 31);
}

static double uniform(struct rng *r, double lo, double hi)
{
	return lo + (hi - lo) * (double)(next(r) >> 11) / 9007199254740992.0;
}

static int chance(struct rng *r, double p)
{
	return uniform(r, 0, 1) < p;
}

static size_t pick(struct rng *r, size_t n)
{
	return (size_t)(next(r) % n);
}

struct point {
	double lon, lat;
	char grid[GRID_CODE_MAX];
};

struct gen {
	struct store *db;
	struct rng rng;
	int64_t now, start, span;
	const struct cal *cal;
	const struct sla_policy *policy;
	struct store_category *cats;
	size_t ncat;
	struct store_dept *depts;
	size_t ndept;
	struct point *pool;
	size_t npool;
	char district[GRID_CODE_MAX];
	/* the point being reported: the locator callback answers its grid */
	const struct point *here;
	struct principal op, leader, worker, dept, sys;
	int64_t op_id, worker_id;
	/* what was written */
	int64_t cases, actions, rounds_before, by_state[CASE_STATE_COUNT];
};

static int locate_here(void *arg, double lon, double lat, char *code, struct err *err)
{
	struct gen *g = arg;
	(void)lon, (void)lat, (void)err;
	snprintf(code, GRID_CODE_MAX, "%s", g->here->grid);
	return GG_OK;
}

/* Report points: inside the grids (checked with the locator), most of them around a few
 * hot communities. */
static int build_pool(struct gen *g, struct arena *a, struct err *err)
{
	struct store_geom *geo;
	size_t n;
	int rc = store_geom_list(g->db, g->district, GRID_LEVEL_NONE, a, &geo, &n, err);
	if (rc)
		return rc;
	struct loc_item *items = arena_alloc(a, (n + 1) * sizeof(*items));
	size_t ni = 0, ngrid = 0;
	for (size_t i = 0; i < n; i++) {
		items[ni++] = (struct loc_item){geo[i].node.code, geo[i].node.name,
						geo[i].node.level, geo[i].wkb, geo[i].wkb_len};
		ngrid += geo[i].node.level == GRID_GRID;
	}
	if (!ngrid)
		return err_set(err, GG_ENOTFOUND,
			       "district %s has no grids with outlines: build it with gridgov demo",
			       g->district);
	struct loc_index *idx;
	if ((rc = loc_index_build(items, ni, &idx, err)))
		return rc;
	/* basic grids, one in 25 of them hot (six times the reports) */
	struct store_geom **grids = arena_alloc(a, ngrid * sizeof(*grids));
	double *weight = arena_alloc(a, ngrid * sizeof(*weight)), total = 0;
	size_t k = 0;
	for (size_t i = 0; i < n; i++)
		if (geo[i].node.level == GRID_GRID) {
			grids[k] = &geo[i];
			weight[k] = chance(&g->rng, 0.04) ? 6 : 1;
			total += weight[k++];
		}
	g->pool = arena_alloc(a, POOL_MAX * sizeof(*g->pool));
	for (size_t tries = 0; g->npool < POOL_MAX && tries < 20 * POOL_MAX; tries++) {
		double w = uniform(&g->rng, 0, total);
		size_t j = 0;
		while (j + 1 < ngrid && w >= weight[j])
			w -= weight[j++];
		const struct store_geom *s = grids[j];
		double lon = uniform(&g->rng, s->minx, s->maxx),
		       lat = uniform(&g->rng, s->miny, s->maxy);
		struct loc_hit hit;
		if (!loc_index_find(idx, lon, lat, &hit) ||
		    strncmp(hit.code, s->node.code, strlen(s->node.code)))
			continue;
		struct point *p = &g->pool[g->npool++];
		p->lon = round(lon * 1e6) / 1e6;
		p->lat = round(lat * 1e6) / 1e6;
		snprintf(p->grid, sizeof(p->grid), "%s", hit.code);
		/* the rounded point must still lie in the same node */
		if (!loc_index_find(idx, p->lon, p->lat, &hit) || strcmp(hit.code, p->grid))
			g->npool--;
	}
	loc_index_free(idx);
	if (!g->npool)
		return err_set(err, GG_EINTERNAL, "no report point could be placed in the grids");
	return GG_OK;
}

/* The working-time moment a fraction of the way from t to deadline (on time), or some
 * working time past the deadline (late). */
static int64_t when(struct gen *g, int64_t t, int64_t deadline, int late)
{
	if (late)
		return cal_add(
		    g->cal, deadline,
		    (int64_t)(uniform(&g->rng, 0.05, 1.5) * (double)cal_day_secs(g->cal)));
	if (deadline <= t)
		return t + 60;
	return t + (int64_t)((double)(deadline - t) * uniform(&g->rng, 0.05, 0.9));
}

static void set_actor(struct svc *s, const struct principal *who)
{
	s->who = who;
	s->system = 0;
}

/* The scheduler's sweep at s->now, as a running server would have made it. */
static int sweep(struct gen *g, int64_t at, struct arena *a, struct err *err)
{
	struct svc s = {.db = g->db,
			.who = &g->sys,
			.system = 1,
			.now = at,
			.a = a,
			.cal = g->cal,
			.policy = g->policy};
	size_t done;
	int more, rc;
	do {
		if ((rc = svc_sched_sweep(&s, SWEEP_LIMIT, &done, &more, err)))
			return rc;
	} while (more);
	return GG_OK;
}

/* Write the case as it stands in memory, with its place in the scheduler's queue. */
static int flush(struct gen *g, struct svc *s, struct store_case *c, struct err *err)
{
	int rc = store_case_update(g->db, c, err);
	return rc ? rc : store_case_due_put(g->db, c->id, svc_case_due_at(s, c), err);
}

/*
 * One action at time t, unless t is past now (then the story ends: returns 1): the
 * domain's pure step applied in memory and its trail entry, as svc_case_act would write
 * them (the generator's cases have no whistles, photos or hotline orders, and it names
 * only departments that exist). An action after its stage's deadline first lets the
 * scheduler's sweep supervise the late stage, on the case as written so far.
 */
static int act(struct gen *g, struct svc *s, struct store_case *c, const struct store_category *cat,
	       int64_t t, const struct principal *who, struct svc_action_in *in, struct err *err)
{
	if (t > g->now)
		return 1;
	int rc;
	if (c->deadline && t > c->deadline) {
		int64_t id = c->id;
		if ((rc = flush(g, s, c, err)) || (rc = sweep(g, t, s->a, err)) ||
		    (rc = store_case_get(g->db, id, c, err)))
			return rc;
	}
	set_actor(s, who);
	s->now = t;
	struct case_ctx x;
	svc_case_ctx_standing(who, c, &x);
	enum case_state from = c->state;
	if ((rc = svc_case_step(s, c, cat, &x, in, err)) ||
	    (rc = svc_case_log(s, c, case_action_name(in->action), case_state_name(from), in->note,
			       NULL, err))) {
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err_msg(err));
		return err_set(err, rc, "case %lld, %s: %s", (long long)c->id,
			       case_action_name(in->action), why);
	}
	g->actions++;
	return 0;
}

#define ACT(t, who, ...)                                                                           \
	do {                                                                                       \
		struct svc_action_in in_ = {__VA_ARGS__};                                          \
		int r_ = act(g, s, c, cat, (t), (who), &in_, err);                                 \
		if (r_)                                                                            \
			return r_ < 0 ? r_ : GG_OK;                                                \
		t_ = s->now;                                                                       \
	} while (0)

static const struct store_dept *other_dept(struct gen *g, const char *code)
{
	for (int i = 0; i < 8; i++) {
		const struct store_dept *d = &g->depts[pick(&g->rng, g->ndept)];
		if (strcmp(d->code, code))
			return d;
	}
	return NULL;
}

static void as_dept(struct gen *g, const char *code)
{
	snprintf(g->dept.dept, sizeof(g->dept.dept), "%s", code);
	snprintf(g->dept.name, sizeof(g->dept.name), "dept-%s", code);
}

/* Dispatch to the category's department, accept, maybe extend, handle on time or late. */
static int handle(struct gen *g, struct svc *s, struct store_case *c,
		  const struct store_category *cat, const char *cls, struct err *err)
{
	int64_t t_ = s->now;
	const char *dept = c->proposed_dept;
	const struct store_dept *wrong = chance(&g->rng, 0.04) ? other_dept(g, dept) : NULL;
	if (wrong) { /* 派遣错误: the department returns it */
		ACT(when(g, t_, c->deadline, 0), &g->op, .action = CASE_A_DISPATCH,
		    .department = wrong->code, .class = cls);
		as_dept(g, wrong->code);
		ACT(when(g, t_, c->deadline, 0), &g->dept, .action = CASE_A_RETURN,
		    .note = "非本部门职责，退回重派");
	}
	ACT(when(g, t_, c->deadline, chance(&g->rng, 0.03)), &g->op, .action = CASE_A_DISPATCH,
	    .department = dept, .class = cls);
	as_dept(g, dept);
	int64_t accept = t_ + (int64_t)uniform(&g->rng, 300, 7200);
	ACT(accept < c->deadline ? accept : t_ + 60, &g->dept, .action = CASE_A_ACCEPT);
	if (c->deadline - t_ > 8 * 3600 && chance(&g->rng, 0.06)) {
		ACT(t_ + 1800, &g->dept, .action = CASE_A_EXTEND, .hours = 24,
		    .note = "需协调施工，申请延期");
		ACT(t_ + (int64_t)uniform(&g->rng, 600, 7200), &g->leader,
		    .action = CASE_A_APPROVE_EXTENSION, .note = "同意延期");
	}
	ACT(when(g, t_, c->deadline, chance(&g->rng, 0.15)), &g->dept, .action = CASE_A_HANDLE,
	    .note = "已处置完毕");
	return GG_OK;
}

/* The story of one case after its report. */
static int story(struct gen *g, struct svc *s, struct store_case *c,
		 const struct store_category *cat, struct err *err)
{
	int64_t t_ = s->now;
	int worker = !strcmp(c->channel, "worker");
	const char *cls =
	    !strcmp(cat->kind, "部件") && chance(&g->rng, 0.1) ? "engineering" : "general";
	snprintf(g->worker.scope, sizeof(g->worker.scope), "%.15s", c->grid);
	snprintf(g->worker.name, sizeof(g->worker.name), "gw%.15s", c->grid);
	if (!worker && chance(&g->rng, 0.06)) {
		ACT(when(g, t_, c->deadline, 0), &g->op, .action = CASE_A_REJECT,
		    .note = "不属于受理范围");
		return GG_OK;
	}
	if (worker && c->level > GRID_COMMUNITY && chance(&g->rng, 0.03))
		ACT(t_ + 600, &g->worker, .action = CASE_A_ESCALATE,
		    .note = "网格内无法解决，上报社区");
	ACT(when(g, t_, c->deadline, chance(&g->rng, 0.04)), &g->op, .action = CASE_A_FILE);
	if (chance(&g->rng, 0.01)) {
		ACT(t_ + 1800, &g->leader, .action = CASE_A_SUSPEND,
		    .note = "涉及规划调整，暂缓办理");
		return GG_OK;
	}
	int rc = handle(g, s, c, cat, cls, err);
	if (rc || c->state != CASE_HANDLED)
		return rc;
	t_ = s->now;
	if (chance(&g->rng, 0.05)) {
		ACT(when(g, t_, c->deadline, 0), &g->worker, .action = CASE_A_REWORK, .class = cls,
		    .note = "现场核查未整改到位");
		as_dept(g, c->department);
		ACT(t_ + (int64_t)uniform(&g->rng, 300, 3600), &g->dept, .action = CASE_A_ACCEPT);
		ACT(when(g, t_, c->deadline, chance(&g->rng, 0.15)), &g->dept,
		    .action = CASE_A_HANDLE, .note = "已返工处置");
	}
	ACT(when(g, t_, c->deadline, chance(&g->rng, 0.05)), &g->worker, .action = CASE_A_VERIFY,
	    .note = "现场核查属实，已处置");
	ACT(when(g, t_, c->deadline, chance(&g->rng, 0.03)), &g->op, .action = CASE_A_CLOSE);
	double rate = !strcmp(c->channel, "hotline")   ? 0.85
		      : !strcmp(c->channel, "citizen") ? 0.6
						       : 0.35;
	if (chance(&g->rng, rate)) {
		double u = uniform(&g->rng, 0, 1);
		enum case_rating r = u < 0.8	? CASE_RATING_SATISFIED
				     : u < 0.96 ? CASE_RATING_BASICALLY
						: CASE_RATING_UNSATISFIED;
		ACT(t_ + (int64_t)uniform(&g->rng, 3600, 86400), &g->op, .action = CASE_A_EVALUATE,
		    .rating = r, .has_rating = 1, .class = cls);
	}
	return GG_OK;
}

static const char *const problems[] = {"占道经营", "垃圾堆放", "井盖缺失", "路灯不亮",
				       "违规停车", "噪声扰民", "绿化损坏", "道路破损"};

static int one_case(struct gen *g, int64_t at, struct arena *a, struct err *err)
{
	double u = uniform(&g->rng, 0, 1);
	const char *channel = u < 0.45	? "worker"
			      : u < 0.7 ? "hotline"
			      : u < 0.9 ? "citizen"
					: "center";
	const struct store_category *cat = &g->cats[pick(&g->rng, g->ncat)];
	g->here = &g->pool[pick(&g->rng, g->npool)];
	int worker = !strcmp(channel, "worker");
	snprintf(g->worker.scope, sizeof(g->worker.scope), "%.15s", g->here->grid);
	snprintf(g->worker.name, sizeof(g->worker.name), "gw%.15s", g->here->grid);
	struct svc s = {.db = g->db,
			.now = at,
			.a = a,
			.cal = g->cal,
			.policy = g->policy,
			.locate = locate_here,
			.locate_arg = g};
	set_actor(&s, worker ? &g->worker : &g->op);
	s.system = !strcmp(channel, "citizen");
	char desc[128];
	snprintf(desc, sizeof(desc), "%s：%s", cat->name, problems[pick(&g->rng, 8)]);
	struct svc_case_in in = {.category = cat->code,
				 .description = desc,
				 .channel = channel,
				 .address = "",
				 .reporter = !strcmp(channel, "hotline")   ? "12345热线"
					     : !strcmp(channel, "citizen") ? "市民"
									   : NULL,
				 .has_point = 1,
				 .lon = g->here->lon,
				 .lat = g->here->lat,
				 .any_grid = 1};
	struct store_case *c;
	int rc = svc_case_new(&s, &in, &c, err);
	if (rc) {
		char why[sizeof(err->msg)];
		snprintf(why, sizeof(why), "%s", err_msg(err));
		return err_set(err, rc, "a report at %lld: %s", (long long)at, why);
	}
	g->cases++;
	if ((rc = story(g, &s, c, cat, err)) || (rc = flush(g, &s, c, err)))
		return rc;
	g->by_state[c->state]++;
	return GG_OK;
}

static int load_catalog(struct gen *g, struct arena *a, struct err *err)
{
	struct store_category *all;
	size_t n;
	int rc = store_category_list(g->db, a, &all, &n, err);
	if (rc)
		return rc;
	g->cats = arena_alloc(a, (n + 1) * sizeof(*g->cats));
	for (size_t i = 0; i < n; i++)
		if (all[i].department[0])
			g->cats[g->ncat++] = all[i];
	if ((rc = store_dept_list(g->db, a, &g->depts, &g->ndept, err)))
		return rc;
	if (!g->ncat || g->ndept < 2)
		return err_set(err, GG_ENOTFOUND,
			       "the database has no category catalog or departments");
	return GG_OK;
}

static void principal(struct principal *p, enum role role, const char *name, const char *scope,
		      int64_t id)
{
	memset(p, 0, sizeof(*p));
	p->role = role;
	p->user_id = id;
	snprintf(p->name, sizeof(p->name), "%s", name);
	snprintf(p->scope, sizeof(p->scope), "%s", scope);
}

/* How many cases the database holds (an index counts them). */
static int cases_held(struct store *db, struct arena *a, int64_t *n, struct err *err)
{
	struct store_case_filter f = {.limit = 1, .count_max = INT64_MAX};
	struct store_case *c;
	size_t k;
	struct store_case_page pg;
	int rc = store_begin(db, STORE_READ, err);
	if (rc)
		return rc;
	rc = store_case_page(db, &f, a, &c, &k, &pg, err);
	store_rollback(db);
	*n = pg.total > 0 ? pg.total : 0;
	return rc;
}

static int64_t user_id(struct store *db, const char *name)
{
	struct store_user u;
	struct err e = ERR_INIT;
	return store_user_by_name(db, name, &u, &e) == GG_OK ? u.who.user_id : 0;
}

int cli__demo_cases(struct store *db, const char *district, int64_t n, int days, unsigned long seed,
		    struct err *err)
{
	struct gen *g = xcalloc(1, sizeof(*g));
	struct arena *a = arena_new();
	g->db = db;
	g->rng.s = seed * 0x2545F4914F6CDD1Dull + 17;
	g->now = clock_now();
	g->span = (int64_t)days * 86400;
	g->start = g->now - g->span;
	g->cal = svc_cal_default();
	g->policy = svc_policy_default();
	snprintf(g->district, sizeof(g->district), "%s", district);
	principal(&g->op, ROLE_OPERATOR, "operator", district, user_id(db, "operator"));
	principal(&g->leader, ROLE_LEADER, "leader", district, user_id(db, "leader"));
	principal(&g->worker, ROLE_GRID_WORKER, "grid_worker", district,
		  user_id(db, "grid_worker"));
	principal(&g->dept, ROLE_DEPARTMENT, "department", district, 0);
	principal(&g->sys, ROLE_ADMIN, "system", "", 0);
	int rc = store_cache_size(db, (int64_t)1 << 30, err); /* allocated as used */
	/* Many cases: the summaries are rebuilt from all cases at the end (the same numbers,
	 * one pass, ~10x cheaper per case than keeping them case by case); a few added to a
	 * large database: kept as each case is written. */
	int64_t held = 0;
	if (rc == GG_OK)
		rc = cases_held(db, a, &held, err);
	int defer = rc == GG_OK && n >= DEFER_MIN && n >= held;
	if (defer)
		rc = store_stats_defer(db, err);
	if (rc == GG_OK && (rc = store_begin(db, STORE_READ, err)) == GG_OK) {
		rc = load_catalog(g, a, err);
		if (rc == GG_OK)
			rc = build_pool(g, a, err);
		store_rollback(db);
	}
	/* a large run has the database to itself: each page written once */
	int journal = 0;
	if (rc == GG_OK && defer)
		rc = store_bulk_journal(db, 1, &journal, err);
	int tty = isatty(2);
	uint64_t t0 = clock_mono_ns();
	/* A large run is one transaction with the case table's indexes built at its end
	 * (all or nothing); a few cases added go in batches with the indexes kept. */
	if (rc == GG_OK && defer && (rc = store_begin(db, STORE_WRITE, err)) == GG_OK &&
	    (rc = store_case_bulk(db, 1, err)) != GG_OK)
		store_rollback(db);
	for (int64_t i = 0; rc == GG_OK && i < n; i += BATCH_CASES) {
		if (!defer && (rc = store_begin(db, STORE_WRITE, err)))
			break;
		struct arena *ca = arena_new();
		for (int64_t k = i; rc == GG_OK && k < n && k < i + BATCH_CASES; k++) {
			/* reports spread evenly over the window, in time order */
			int64_t at = g->start + (int64_t)(((double)k + uniform(&g->rng, 0, 1)) *
							  (double)g->span / (double)n);
			rc = one_case(g, at, ca, err);
			if (arena_used(ca) > (4u << 20)) {
				arena_free(ca);
				ca = arena_new();
			}
		}
		arena_free(ca);
		if (defer && rc == GG_OK && i + BATCH_CASES >= n)
			rc = store_case_bulk(db, 0, err);
		if (rc == GG_OK && (!defer || i + BATCH_CASES >= n))
			rc = store_commit(db, err);
		else if (rc)
			store_rollback(db);
		if (tty && rc == GG_OK) {
			double secs = (double)(clock_mono_ns() - t0) / 1e9;
			fprintf(stderr, "\rcases: %lld of %lld, %.0f/s ", (long long)g->cases,
				(long long)n, (double)g->cases / (secs > 0 ? secs : 1));
		}
	}
	if (tty)
		fprintf(stderr, "\n");
	/* the scheduler's catch-up on what is late now, as a server starting here would */
	if (rc == GG_OK && (rc = store_begin(db, STORE_WRITE, err)) == GG_OK) {
		struct arena *ca = arena_new();
		rc = sweep(g, g->now, ca, err);
		arena_free(ca);
		if (rc == GG_OK)
			rc = store_commit(db, err);
		else
			store_rollback(db);
	}
	int64_t all = 0;
	uint64_t t1 = clock_mono_ns();
	if (rc == GG_OK && defer)
		rc = store_stats_rebuild(db, &all, err);
	if (journal) {
		struct err e = ERR_INIT;
		int back;
		int r = store_bulk_journal(db, 0, &back, &e);
		if (rc == GG_OK && (r || !back))
			rc = r ? err_set(err, r, "%s", err_msg(&e))
			       : err_set(err, GG_EIO, "the database could not go back to its journal"
						      " mode (WAL)");
	}
	if (rc == GG_OK) {
		double secs = (double)(clock_mono_ns() - t0) / 1e9;
		if (defer)
			printf("summaries: rebuilt from %lld cases in %.1f s\n", (long long)all,
			       (double)(clock_mono_ns() - t1) / 1e9);
		printf("cases: %lld over %d days (%lld actions) in %.1f s, %.0f cases/s\n",
		       (long long)g->cases, days, (long long)g->actions, secs,
		       (double)g->cases / (secs > 0 ? secs : 1));
		printf("  now:");
		for (int st = 0; st < CASE_STATE_COUNT; st++)
			if (g->by_state[st])
				printf(" %s %lld", case_state_name((enum case_state)st),
				       (long long)g->by_state[st]);
		printf("\n");
	}
	arena_free(a);
	free(g);
	return rc;
}
