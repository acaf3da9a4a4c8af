/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/stats/indicators (and /heatmap, at the end): the standard indicators of the case
 * loop, grouped by department, grid, community, street, district, channel (the door a case came
 * in by) or day, over the cases reported in [from, to) within the caller's scope (narrowed by
 * under=CODE). On a province's server (serve --province) the grid groups are keyed
 * "CITY:CODE", and by=city adds up each city.
 * Counts come from facts stored on each case when it moved (filed on time, returns, reworks,
 * extension, rating), so they never depend on today's clock. Each indicator appears under the
 * standard's Chinese name and a stable English key (reported, closed_on_time_rate, …).
 *
 * Dates without a time are days of the platform's time zone (China Standard Time unless
 * configured otherwise: clock_set_zone), and to= includes its
 * day. by=day lists every day of the window: reports by the day they came in, closures
 * by the day they were closed. open and overdue are counted now, over every case of
 * the group whenever it was reported (they are what the command center shows live);
 * overdue is an open case whose current stage has a deadline and a 督办 round opened
 * (the scheduler opens round 1 as soon as the deadline passes).
 *
 * Rates (null when their base is 0): 按时立案率 = filed on time / filed; 准确派遣率 =
 * dispatched and never returned / dispatched; 按期处置率 = handled on time / handled;
 * 结案率 = closed / filed; 按期结案率 = closed on time / closed; 返工率 = reworked /
 * handled; 延期率 = extended / dispatched; 满意率 = satisfied or basically satisfied /
 * evaluated. Groups are listed in order of their key.
 *
 * Where the numbers come from: the case summaries (store_stats.h), kept in the same
 * transaction as every case change, so a call costs groups × days whatever the number
 * of cases. Three kinds of request cannot be answered from them and read cases instead,
 * with the same definitions (tally_cases below is the reference tally):
 * - a scope below a basic grid (a micro-grid's or building's code): the cases of that
 *   scope, through the grid index (a micro-grid holds few);
 * - a window whose from= or to= is a time that is not a CST midnight: the cases reported
 *   (and for by=day, closed) in the window, through the index on created_at (closed_at),
 *   so the read is bounded by the window; open and overdue still come from the summaries;
 * - summaries not built yet (a database migrated with cases; `serve` rebuilds at start).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/store_stats.h"

#define MAX_DAYS  400
#define NO_DAY_LO (INT64_MIN / 4)
#define NO_DAY_HI (INT64_MAX / 4)

struct tally {
	const char *key, *name;
	int64_t v[SUM_NCOLS]; /* the 13 facts (SUM_REPORTED …); by=day: closures in SUM_CLOSED */
	int64_t open, overdue;
};

static json_t *rate(int64_t num, int64_t den)
{
	return den ? json_real(round(10000.0 * (double)num / (double)den) / 10000.0) : json_null();
}

/* Each indicator under the standard's name and under a stable English key. */
static void put(json_t *j, const char *zh, const char *en, json_t *v)
{
	json_object_set(j, zh, v);
	json_object_set_new(j, en, v);
}

static json_t *tally_json(const struct tally *t)
{
	const int64_t *v = t->v;
	json_t *j = json_pack("{s:s}", "key", t->key);
	if (t->name)
		json_object_set_new(j, "name", json_string(t->name));
	put(j, "上报数", "reported", json_integer(v[SUM_REPORTED]));
	put(j, "立案数", "filed", json_integer(v[SUM_FILED]));
	put(j, "派遣数", "dispatched", json_integer(v[SUM_DISPATCHED]));
	put(j, "处置数", "handled", json_integer(v[SUM_HANDLED]));
	put(j, "结案数", "closed", json_integer(v[SUM_CLOSED]));
	put(j, "评价数", "evaluated", json_integer(v[SUM_RATED]));
	put(j, "按时立案率", "filed_on_time_rate", rate(v[SUM_FILED_ON_TIME], v[SUM_FILED]));
	put(j, "准确派遣率", "accurate_dispatch_rate", rate(v[SUM_ACCURATE], v[SUM_DISPATCHED]));
	put(j, "按期处置率", "handled_on_time_rate", rate(v[SUM_HANDLED_ON_TIME], v[SUM_HANDLED]));
	put(j, "结案率", "closure_rate", rate(v[SUM_CLOSED], v[SUM_FILED]));
	put(j, "按期结案率", "closed_on_time_rate", rate(v[SUM_CLOSED_ON_TIME], v[SUM_CLOSED]));
	put(j, "返工率", "rework_rate", rate(v[SUM_REWORKED], v[SUM_HANDLED]));
	put(j, "延期率", "extension_rate", rate(v[SUM_EXTENDED], v[SUM_DISPATCHED]));
	put(j, "满意率", "satisfaction_rate", rate(v[SUM_SATISFIED], v[SUM_RATED]));
	put(j, "在办数", "open", json_integer(t->open));
	put(j, "超期数", "overdue", json_integer(t->overdue));
	return j;
}

/* A bound: RFC 3339 as given, or a local date (to= meaning the end of that day). */
static int parse_bound(const char *s, int is_to, int64_t *out)
{
	return clock_parse_bound(s, is_to, out);
}

static void day_of(int64_t t, char *out, size_t n)
{
	clock_format_local_date(t, out, (unsigned)n);
}

/* ---- groups: a hash of tallies by key, in order of first use ------------------------ */

struct groups {
	struct arena *a;
	struct tally *v;
	size_t n, cap;
	size_t *slot; /* index + 1, 0 = empty */
	size_t nslot;
};

static size_t hash(const char *k)
{
	size_t h = 1469598103934665603ull;
	while (*k)
		h = (h ^ (unsigned char)*k++) * 1099511628211ull;
	return h;
}

static void groups_init(struct groups *g, struct arena *a)
{
	memset(g, 0, sizeof(*g));
	g->a = a;
	g->nslot = 64;
	g->slot = arena_zalloc(a, g->nslot * sizeof(*g->slot));
}

static struct tally *group(struct groups *g, const char *key)
{
	size_t i = hash(key) & (g->nslot - 1);
	while (g->slot[i]) {
		struct tally *t = &g->v[g->slot[i] - 1];
		if (!strcmp(t->key, key))
			return t;
		i = (i + 1) & (g->nslot - 1);
	}
	struct tally *t = arena_push(g->a, (void **)&g->v, &g->n, &g->cap, sizeof(*t));
	memset(t, 0, sizeof(*t));
	t->key = arena_strdup(g->a, key);
	g->slot[i] = g->n;
	if (2 * g->n > g->nslot) { /* grow and rehash */
		g->nslot *= 4;
		g->slot = arena_zalloc(g->a, g->nslot * sizeof(*g->slot));
		for (size_t k = 0; k < g->n; k++) {
			size_t j = hash(g->v[k].key) & (g->nslot - 1);
			while (g->slot[j])
				j = (j + 1) & (g->nslot - 1);
			g->slot[j] = k + 1;
		}
	}
	return t;
}

static int tally_key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct tally *)a)->key, ((const struct tally *)b)->key);
}

/* ---- what a request asks ------------------------------------------------------------ */

struct ask {
	const char *by;		  /* department, grid, community, street, channel, day */
	const char *scope, *dept; /* the caller's scope narrowed by under=; a department's own */
	int lvl;		  /* summary level of the scope: 1…4, 0 below a basic grid */
	int64_t from, to;	  /* [from, to) in seconds */
	int64_t d0, d1; /* the same in CST days when both fall on midnights, else d0 > d1 */
};

/* The caller's scope (narrowed by under=) and a department's own department. */
static int scoped(struct api_req *r, const char *under, struct ask *q)
{
	q->scope = r->who.scope;
	if (under) {
		if (grid_level_of_code(under) == GRID_LEVEL_NONE)
			return err_field(&r->err, GG_EFIELD, "under", "under is a grid code");
		if (principal_covers(&r->who, under))
			q->scope = under;
		else if (!grid_code_is_ancestor(under, r->who.scope))
			return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", under);
	}
	q->dept = r->who.role == ROLE_DEPARTMENT && r->who.dept[0] ? r->who.dept : NULL;
	size_t len = strlen(q->scope);
	q->lvl = len == 0 || len == 6 ? 1 : len == 9 ? 2 : len == 12 ? 3 : len == 15 ? 4 : 0;
	return GG_OK;
}

static int parse_window(struct api_req *r, const char *from_s, const char *to_s, struct ask *q)
{
	q->from = 0;
	q->to = INT64_MAX;
	if (from_s && parse_bound(from_s, 0, &q->from))
		return err_field(&r->err, GG_EFIELD, "from", "from is an RFC 3339 date or time");
	if (to_s && parse_bound(to_s, 1, &q->to))
		return err_field(&r->err, GG_EFIELD, "to", "to is an RFC 3339 date or time");
	int64_t off = clock_utc_offset();
	int from_ok = !from_s || (q->from + off) % 86400 == 0;
	int to_ok = !to_s || (q->to + off) % 86400 == 0;
	q->d0 = from_s ? clock_local_day(q->from) : NO_DAY_LO;
	q->d1 = to_s ? clock_local_day(q->to) : NO_DAY_HI;
	if (!from_ok || !to_ok) {
		q->d0 = 1;
		q->d1 = 0;
	}
	return GG_OK;
}

/* Whether the summaries can answer: scope at a summary level, window on day bounds, built. */
#define ODD_WINDOW_DAYS 31 /* the longest window with times of day, read case by case */

/*
 * Whether the summaries answer q (and *live_ok: its live counts). What they cannot
 * answer is read case by case, bounded: a scope below a basic grid holds few cases, and
 * a window with times of day may span at most ODD_WINDOW_DAYS. While the summaries are
 * being rebuilt (a bulk load, a change of time zone) a scope they would answer is 503:
 * reading all its cases instead would cost what the summaries exist to spare.
 */
static int from_summaries(struct api_req *r, const struct ask *q, int *live_ok, int *rc)
{
	int ready = 0;
	/* a province keeps the cities' summaries, not their cases: what only cases answer
	 * is refused there, never answered as zeros */
	if (r->srv->cfg.province && q->lvl == 0) {
		*rc = err_field(&r->err, GG_EFIELD, "under",
				"a province view answers scopes down to a basic grid");
		return 0;
	}
	if (r->srv->cfg.province && q->d0 > q->d1) {
		*rc = err_field(&r->err, GG_EFIELD, "from",
				"a province view answers whole days: give dates (YYYY-MM-DD)");
		return 0;
	}
	*rc = store_stats_ready(r->db, &ready, &r->err);
	*live_ok = ready && q->lvl > 0;
	if (*rc == GG_OK && !ready && q->lvl > 0) {
		r->retry_after = "30";
		*rc = err_set(&r->err, GG_EUNAVAIL,
			      "the statistics are being rebuilt from the cases; try again shortly");
	} else if (*rc == GG_OK && *live_ok && q->d0 > q->d1 &&
		   q->to - q->from > ODD_WINDOW_DAYS * 86400) {
		*rc = err_field(&r->err, GG_EFIELD, "from",
				"a window with times of day spans at most %d days: give dates"
				" (YYYY-MM-DD) for a longer one",
				ODD_WINDOW_DAYS);
	}
	return *rc == GG_OK && *live_ok && q->d0 <= q->d1;
}

/* ---- the reference tally over cases (the fallbacks, and the definition) ------------- */

/* by=grid counts basic grids 网格: a case placed in a micro-grid counts for its grid (the
 * grid worker answers for it), also once escalated; a case placed only at a community or
 * above keeps its node. */
static const char *key_of(struct arena *a, const struct store_case *c, const char *by)
{
	if (!strcmp(by, "department"))
		return c->department[0] ? c->department : "";
	if (!strcmp(by, "street"))
		return c->street;
	if (!strcmp(by, "community"))
		return c->community;
	if (!strcmp(by, "channel"))
		return c->channel;
	if (!strcmp(by, "district"))
		return arena_printf(a, "%.6s", c->grid);
	if (!strcmp(by, "city"))
		return ""; /* a province keeps no cases: its groups come from the summaries */
	return arena_printf(a, "%.*s", (int)grid_level_code_len(GRID_GRID), c->grid);
}

static void count(struct tally *t, const struct store_case *c)
{
	int64_t *v = t->v;
	v[SUM_REPORTED]++;
	v[SUM_FILED] += c->filed_at > 0;
	v[SUM_FILED_ON_TIME] += c->filed_at > 0 && c->filed_on_time;
	v[SUM_DISPATCHED] += c->dispatches > 0;
	v[SUM_ACCURATE] += c->dispatches > 0 && c->returns == 0;
	v[SUM_HANDLED] += c->handled_at > 0;
	v[SUM_HANDLED_ON_TIME] += c->handled_at > 0 && c->handled_on_time;
	v[SUM_CLOSED] += c->closed_at > 0;
	v[SUM_CLOSED_ON_TIME] += c->closed_at > 0 && c->closed_on_time;
	v[SUM_REWORKED] += c->handled_at > 0 && c->reworks > 0;
	v[SUM_EXTENDED] += c->dispatches > 0 && c->extended;
	v[SUM_RATED] += c->rating[0] != 0;
	v[SUM_SATISFIED] += !strcmp(c->rating, "satisfied") || !strcmp(c->rating, "basically");
}

enum { T_CREATED = 1, T_CLOSED = 2, T_LIVE = 4 };

/*
 * Tally cases into groups and all: what of `parts` they are read for (T_CREATED: those
 * reported in the window; T_CLOSED: by=day's closures in the window; T_LIVE: every case
 * of the scope, for open and overdue).
 */
static void tally_cases(struct groups *g, struct tally *all, const struct store_case *c, size_t n,
			const struct ask *q, int parts)
{
	int by_day = !strcmp(q->by, "day");
	char day[32];
	for (size_t i = 0; i < n; i++) {
		int in_window = c[i].created_at >= q->from && c[i].created_at < q->to;
		int open = store_case_is_open(&c[i]), overdue = store_case_is_overdue(&c[i]);
		if (parts & T_LIVE) {
			all->open += open;
			all->overdue += overdue;
		}
		if (by_day) {
			if ((parts & T_CREATED) && in_window) {
				day_of(c[i].created_at, day, sizeof(day));
				group(g, day)->v[SUM_REPORTED]++;
				count(all, &c[i]);
			}
			if ((parts & T_CLOSED) && c[i].closed_at >= q->from &&
			    c[i].closed_at < q->to && c[i].closed_at > 0) {
				day_of(c[i].closed_at, day, sizeof(day));
				struct tally *t = group(g, day);
				t->v[SUM_CLOSED]++;
				t->v[SUM_CLOSED_ON_TIME] += c[i].closed_on_time != 0;
			}
			continue;
		}
		struct tally *t = NULL;
		if (parts & T_LIVE) {
			t = group(g, key_of(g->a, &c[i], q->by));
			t->open += open;
			t->overdue += overdue;
		}
		if ((parts & T_CREATED) && in_window) {
			if (!t)
				t = group(g, key_of(g->a, &c[i], q->by));
			count(t, &c[i]);
			count(all, &c[i]);
		}
	}
}

/* Cases of the request read directly: all of the scope, or only those of the window. */
static int read_cases(struct api_req *r, const struct ask *q, int whole, struct groups *g,
		      struct tally *all)
{
	struct store_case *c;
	size_t n;
	int rc;
	if (whole) {
		struct store_case_filter f = {.scope = q->scope, .department = q->dept};
		int64_t total;
		if ((rc = store_case_list(r->db, &f, r->arena, &c, &n, &total, &r->err)))
			return rc;
		tally_cases(g, all, c, n, q, T_CREATED | T_CLOSED | T_LIVE);
		return GG_OK;
	}
	if ((rc = store_stats_cases(r->db, q->scope, q->dept, 0, q->from, q->to, r->arena, &c, &n,
				    &r->err)))
		return rc;
	tally_cases(g, all, c, n, q, T_CREATED);
	if (strcmp(q->by, "day"))
		return GG_OK;
	if ((rc = store_stats_cases(r->db, q->scope, q->dept, 1, q->from, q->to, r->arena, &c, &n,
				    &r->err)))
		return rc;
	tally_cases(g, all, c, n, q, T_CLOSED);
	return GG_OK;
}

/* ---- the summaries ------------------------------------------------------------------ */

/* The group key of a summary row for by= (see store_stats.h for the nodes of a case). */
static const char *row_key(char *buf, const struct store_stats_row *w, const char *by)
{
	size_t keep = 0;
	if (!strcmp(by, "department"))
		return w->dept;
	if (!strcmp(by, "channel"))
		return w->chan;
	if (!strcmp(by, "grid"))
		return w->node;
	/* a province's node is CITY:CODE (store_province.h): the city stays in the key */
	const char *colon = strchr(w->node, ':');
	size_t city = colon ? (size_t)(colon + 1 - w->node) : 0;
	if (!strcmp(by, "city")) {
		memcpy(buf, w->node, city ? city - 1 : 0);
		buf[city ? city - 1 : 0] = 0;
		return buf;
	}
	keep = !strcmp(by, "district") ? 6 : !strcmp(by, "street") ? 9 : 12;
	if (strlen(w->node) < city + keep)
		return ""; /* a case placed above that level has no street (community) */
	memcpy(buf, w->node, city + keep);
	buf[city + keep] = 0;
	return buf;
}

/* Which rows answer a by=: level and kind (see the header of store_stats.h). */
static void rows_for(const struct ask *q, struct store_stats_q *f)
{
	memset(f, 0, sizeof(*f));
	f->scope = q->scope;
	f->dept = q->dept;
	f->lvl = q->lvl;
	f->kind = q->dept ? 1 : 0;
	f->day_from = q->d0;
	f->day_to = q->d1;
	if (!strcmp(q->by, "department"))
		f->kind = 1;
	else if (!strcmp(q->by, "channel"))
		f->kind = 2;
	else if (!strcmp(q->by, "day"))
		f->by_day = 1;
	else {
		int lb = !strcmp(q->by, "district") || !strcmp(q->by, "city") ? 1
			 : !strcmp(q->by, "street")			      ? 2
			 : !strcmp(q->by, "community")			      ? 3
									      : 4;
		if (lb > f->lvl)
			f->lvl = lb;
	}
}

static int live_counts(struct api_req *r, const struct ask *q, struct groups *g, struct tally *all)
{
	struct store_stats_q f;
	rows_for(q, &f);
	struct store_stats_row *w;
	size_t n;
	int rc = store_stats_live(r->db, &f, r->arena, &w, &n, &r->err);
	if (rc)
		return rc;
	char buf[STORE_NODE_MAX];
	for (size_t i = 0; i < n; i++) {
		all->open += w[i].open;
		all->overdue += w[i].overdue;
		if (f.by_day)
			continue;
		struct tally *t = group(g, row_key(buf, &w[i], q->by));
		t->open += w[i].open;
		t->overdue += w[i].overdue;
	}
	return GG_OK;
}

static int sum_counts(struct api_req *r, const struct ask *q, struct groups *g, struct tally *all)
{
	struct store_stats_q f;
	rows_for(q, &f);
	struct store_stats_row *w;
	size_t n;
	int rc = store_stats_sum(r->db, &f, r->arena, &w, &n, &r->err);
	if (rc)
		return rc;
	char buf[STORE_NODE_MAX];
	for (size_t i = 0; i < n; i++) {
		for (int j = 0; j <= SUM_SATISFIED; j++)
			all->v[j] += w[i].v[j];
		if (f.by_day) {
			day_of(w[i].day * 86400 - clock_utc_offset(), buf, sizeof(buf));
			struct tally *t = group(g, buf);
			t->v[SUM_REPORTED] += w[i].v[SUM_REPORTED];
			t->v[SUM_CLOSED] += w[i].v[SUM_CLOSED_DAY];
			t->v[SUM_CLOSED_ON_TIME] += w[i].v[SUM_CLOSED_DAY_ON_TIME];
			continue;
		}
		struct tally *t = group(g, row_key(buf, &w[i], q->by));
		for (int j = 0; j <= SUM_SATISFIED; j++)
			t->v[j] += w[i].v[j];
	}
	return GG_OK;
}

/* The name to show for a group: the grid's or department's own name. */
static const char *group_name(struct api_req *r, const char *by, const char *key)
{
	struct err e = ERR_INIT;
	if (!strcmp(by, "department")) {
		struct store_dept d;
		return *key && store_dept_get(r->db, key, &d, &e) == GG_OK
			   ? arena_strdup(r->arena, d.name)
			   : NULL;
	}
	if (!strcmp(by, "city"))
		return NULL;
	/* a province's CITY:CODE is named by CODE in the province's own grid tree (codes are
	 * national: import the cities' divisions into it) */
	const char *colon = strchr(key, ':');
	if (colon)
		key = colon + 1;
	struct grid_node g;
	return *key && store_grid_get(r->db, key, &g, &e) == GG_OK ? arena_strdup(r->arena, g.name)
								   : NULL;
}

int api__stats_total(struct api_req *r, const char *under, int64_t from, int64_t to, json_t **out)
{
	struct ask q = {.by = "grid", .from = from, .to = to};
	int64_t off = clock_utc_offset();
	q.d0 = clock_local_day(from);
	q.d1 = clock_local_day(to);
	if ((from + off) % 86400 || (to + off) % 86400) {
		q.d0 = 1;
		q.d1 = 0;
	}
	int rc = scoped(r, under, &q);
	if (rc)
		return rc;
	struct groups g;
	groups_init(&g, r->arena);
	struct tally all = {.key = "total"};
	int live_ok, sums = from_summaries(r, &q, &live_ok, &rc);
	if (rc)
		return rc;
	rc = sums ? sum_counts(r, &q, &g, &all) : read_cases(r, &q, !live_ok, &g, &all);
	if (rc == GG_OK && live_ok)
		rc = live_counts(r, &q, &g, &all);
	if (rc)
		return rc;
	*out = tally_json(&all);
	return GG_OK;
}

int api_stats_indicators(struct api_req *r)
{
	struct ask q = {.by = api_query(r, "by")};
	const char *from_s = api_query(r, "from"), *to_s = api_query(r, "to");
	if (!q.by)
		q.by = "department";
	int by_day = !strcmp(q.by, "day");
	if (strcmp(q.by, "department") && strcmp(q.by, "grid") && strcmp(q.by, "community") &&
	    strcmp(q.by, "street") && strcmp(q.by, "district") && strcmp(q.by, "channel") &&
	    !by_day && (strcmp(q.by, "city") || !r->srv->cfg.province))
		return err_field(&r->err, GG_EFIELD, "by",
				 "by is department, grid, community, street, district, channel or"
				 " day%s",
				 r->srv->cfg.province ? " (or city)" : "");
	int rc = parse_window(r, from_s, to_s, &q);
	if (rc)
		return rc;
	if (by_day && (!from_s || !to_s || q.to <= q.from || (q.to - q.from) / 86400 > MAX_DAYS))
		return err_field(&r->err, GG_EFIELD, from_s ? "to" : "from",
				 "by=day needs from and to, at most %d days apart", MAX_DAYS);
	if ((rc = scoped(r, api_query(r, "under"), &q)))
		return rc;
	struct groups g;
	groups_init(&g, r->arena);
	struct tally all = {.key = "total"};
	if (by_day) /* every day of the window, in order, even without cases */
		for (int64_t d = q.from; d < q.to; d += 86400) {
			char day[32];
			day_of(d, day, sizeof(day));
			group(&g, day);
		}
	int live_ok, sums = from_summaries(r, &q, &live_ok, &rc);
	if (rc)
		return rc;
	if (sums)
		rc = sum_counts(r, &q, &g, &all);
	else
		rc = read_cases(r, &q, !live_ok, &g, &all);
	if (rc == GG_OK && live_ok)
		rc = live_counts(r, &q, &g, &all);
	if (rc)
		return rc;
	if (!by_day && g.n)
		qsort(g.v, g.n, sizeof(*g.v), tally_key_cmp);
	json_t *items = json_array();
	for (size_t i = 0; i < g.n; i++) {
		struct tally *t = &g.v[i];
		/* a group is listed when it had reports in the window or has open cases now:
		 * the map colours a grid by its open cases however old they are */
		if (!by_day && t->v[SUM_REPORTED] == 0 && t->open == 0)
			continue;
		if (by_day)
			t->open = t->overdue = 0;
		else if (strcmp(q.by, "channel"))
			t->name = group_name(r, q.by, t->key);
		json_t *j = tally_json(t);
		if (by_day)
			json_object_set_new(j, "day", json_string(t->key));
		json_array_append_new(items, j);
	}
	json_t *res =
	    json_pack("{s:o,s:I,s:s,s:o}", "items", items, "total",
		      (json_int_t)json_array_size(items), "by", q.by, "all", tally_json(&all));
	api_reply(r, 200, res);
	return GG_OK;
}

/*
 * GET /api/v1/stats/heatmap?under=&from=&to=&cell=&compact=: where cases were reported, counted
 * on a square lattice of `cell` degrees (default 0.0005°, about 50 m in Chengdu) so the
 * answer stays small however many cases there are. Each item is a cell's centre and its
 * count; cases without a position are counted in `unplaced`; merged cases are left out.
 * The summaries keep 0.0005° cells per day; a cell that is a whole multiple of it adds
 * them up (cell k × 0.0005 holds the small cells floor(x / k)). Other sizes, windows off
 * day boundaries and scopes below a basic grid read the window's cases instead.
 */
struct cell {
	int64_t x, y, n;
};

static int cell_cmp(const void *a, const void *b)
{
	const struct cell *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->y < q->y ? -1 : p->y > q->y;
}

static int64_t floor_div(int64_t a, int64_t k)
{
	return a >= 0 ? a / k : -((-a + k - 1) / k);
}

/* Cells of the window's cases read directly (the fallback), into v (n each 1). */
static int heat_cases(struct api_req *r, const struct ask *q, int whole, double size,
		      struct cell **v, size_t *m, int64_t *total, int64_t *unplaced)
{
	struct store_case *c;
	size_t n;
	int rc;
	if (whole) {
		struct store_case_filter f = {.scope = q->scope, .department = q->dept};
		int64_t all;
		rc = store_case_list(r->db, &f, r->arena, &c, &n, &all, &r->err);
	} else {
		rc = store_stats_cases(r->db, q->scope, q->dept, 0, q->from, q->to, r->arena, &c,
				       &n, &r->err);
	}
	if (rc)
		return rc;
	*v = arena_alloc(r->arena, (n + 1) * sizeof(**v));
	*m = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].created_at < q->from || c[i].created_at >= q->to || c[i].merged_into)
			continue;
		(*total)++;
		if (!c[i].has_point) {
			(*unplaced)++;
			continue;
		}
		struct cell *e = &(*v)[(*m)++];
		e->x = (int64_t)floor(c[i].lon / size);
		e->y = (int64_t)floor(c[i].lat / size);
		e->n = 1;
	}
	return GG_OK;
}

int api_stats_heatmap(struct api_req *r)
{
	const char *from_s = api_query(r, "from"), *to_s = api_query(r, "to"),
		   *cell_s = api_query(r, "cell");
	struct ask q = {.by = "heatmap"};
	int rc = parse_window(r, from_s, to_s, &q);
	if (rc)
		return rc;
	double size = STORE_HEAT_CELL;
	if (cell_s) {
		char *end;
		size = strtod(cell_s, &end);
		if (*end || !(size >= 0.0001 && size <= 0.1))
			return err_field(&r->err, GG_EFIELD, "cell",
					 "cell is a size in degrees, 0.0001 to 0.1");
	}
	if ((rc = scoped(r, api_query(r, "under"), &q)))
		return rc;
	int64_t k = (int64_t)llround(size / STORE_HEAT_CELL);
	int whole_cells = k >= 1 && fabs((double)k * STORE_HEAT_CELL - size) < 1e-12;
	int live_ok, sums = from_summaries(r, &q, &live_ok, &rc) && whole_cells;
	if (rc)
		return rc;
	if (!whole_cells && live_ok && (q.to - q.from > ODD_WINDOW_DAYS * 86400 || q.from <= 0))
		return err_field(&r->err, GG_EFIELD, "cell",
				 "a cell that is not a multiple of %g degrees is counted case by"
				 " case: give a window of at most %d days (from and to)",
				 STORE_HEAT_CELL, ODD_WINDOW_DAYS);
	struct cell *v;
	size_t m = 0;
	int64_t total = 0, unplaced = 0;
	if (sums) {
		struct store_heat_cell *h;
		size_t n;
		if ((rc = store_stats_heat(r->db, q.scope, q.dept, q.d0, q.d1, r->arena, &h, &n,
					   &r->err)))
			return rc;
		v = arena_alloc(r->arena, (n + 1) * sizeof(*v));
		for (size_t i = 0; i < n; i++) {
			total += h[i].n;
			if (h[i].x == STORE_HEAT_UNPLACED) {
				unplaced += h[i].n;
				continue;
			}
			v[m++] = (struct cell){floor_div(h[i].x, k), floor_div(h[i].y, k), h[i].n};
		}
	} else if ((rc = heat_cases(r, &q, !live_ok, size, &v, &m, &total, &unplaced))) {
		return rc;
	}
	qsort(v, m, sizeof(*v), cell_cmp);
	/* compact=1 (what the command center asks for): the cells as one flat array of
	 * integers x, y, n — the cell's centre is ((x + 0.5) × cell, (y + 0.5) × cell) — a
	 * third of the bytes and no object or decimal per cell, which at a city's volume
	 * (12,000 cells a week) cost more than reading the summaries */
	int compact = api_query(r, "compact") && !strcmp(api_query(r, "compact"), "1");
	json_t *items = json_array();
	for (size_t i = 0; i < m;) {
		size_t j = i;
		int64_t n = 0;
		while (j < m && !cell_cmp(&v[j], &v[i]))
			n += v[j++].n;
		if (compact) {
			json_array_append_new(items, json_integer((json_int_t)v[i].x));
			json_array_append_new(items, json_integer((json_int_t)v[i].y));
			json_array_append_new(items, json_integer((json_int_t)n));
		} else {
			json_array_append_new(items, json_pack("{s:f,s:f,s:I}", "lon",
							       ((double)v[i].x + 0.5) * size, "lat",
							       ((double)v[i].y + 0.5) * size, "n",
							       (json_int_t)n));
		}
		i = j;
	}
	api_reply(r, 200,
		  json_pack("{s:o,s:I,s:I,s:f}", compact ? "cells" : "items", items, "total",
			    (json_int_t)total, "unplaced", (json_int_t)unplaced, "cell", size));
	return GG_OK;
}
