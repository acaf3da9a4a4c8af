/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The analysis report 月度分析 (and the weekly summary 周报, the same at a week's scale)
 * of a district or street: what the leaders read at the month's meeting. Every figure
 * stands beside the previous period and the same period a year before. Counts come from
 * the case summaries (store_stats.h) but for the categories and the oldest open cases,
 * which are one indexed read each (store_assess.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/assess_run.h"
#include "gridgov/clock.h"
#include "gridgov/grid.h"
#include "gridgov/store_case.h"
#include "gridgov/store_stats.h"

#define TOP 10

static int sum_level(const char *code)
{
	int l = code[0] ? (int)grid_level_of_code(code) : 1;
	return l < 1 ? 1 : l > STORE_SUM_LEVELS ? STORE_SUM_LEVELS : l;
}

static json_t *day_json(int64_t day)
{
	char b[16];
	clock_format_local_date(clock_day_start(day), b, sizeof(b));
	return json_string(b);
}

static json_t *rate(int64_t num, int64_t den)
{
	return den ? json_real((double)(int64_t)(10000.0 * (double)num / (double)den + 0.5) / 10000)
		   : json_null();
}

/* Three windows: this period, the previous one, the same one a year before. */
struct windows {
	int64_t from[3], to[3];
};

/* Per key (node, department or channel): the facts of each window. */
struct keyed {
	char key[STORE_NODE_MAX];
	int64_t v[3][SUM_NCOLS];
};

/* The groups of gather(): a vector and an open-addressing index of it by key (a city's
 * month reads some 150,000 day rows of 5,000 grids). */
struct groups {
	struct keyed *v;
	size_t n, cap;
	size_t *slot; /* index + 1, 0 = empty; nslot a power of 2 > 2 n */
	size_t nslot;
};

static size_t hash(const char *k)
{
	size_t h = 1469598103934665603ull;
	while (*k)
		h = (h ^ (unsigned char)*k++) * 1099511628211ull;
	return h;
}

static void reindex(struct groups *g)
{
	free(g->slot);
	g->nslot = g->nslot ? 2 * g->nslot : 256;
	g->slot = calloc(g->nslot, sizeof(*g->slot));
	for (size_t i = 0; i < g->n; i++) {
		size_t h = hash(g->v[i].key) & (g->nslot - 1);
		while (g->slot[h])
			h = (h + 1) & (g->nslot - 1);
		g->slot[h] = i + 1;
	}
}

static struct keyed *keyed_get(struct groups *g, const char *key)
{
	if (2 * (g->n + 1) >= g->nslot)
		reindex(g);
	size_t h = hash(key) & (g->nslot - 1);
	for (; g->slot[h]; h = (h + 1) & (g->nslot - 1))
		if (!strcmp(g->v[g->slot[h] - 1].key, key))
			return &g->v[g->slot[h] - 1];
	if (g->n == g->cap) {
		g->cap = g->cap ? 2 * g->cap : 64;
		g->v = realloc(g->v, g->cap * sizeof(*g->v));
	}
	struct keyed *k = &g->v[g->n];
	g->slot[h] = ++g->n;
	memset(k, 0, sizeof(*k));
	snprintf(k->key, sizeof(k->key), "%s", key);
	return k;
}

/* Sum summary rows of (lvl, kind) under scope for each window into keyed groups. by:
 * 0 all into key "", 1 by node, 2 by department, 3 by channel. */
static int gather(struct store *s, const char *scope, int lvl, int kind, int by,
		  const struct windows *w, struct arena *a, struct keyed **out, size_t *n,
		  struct err *err)
{
	struct groups g = {0};
	int rc = GG_OK;
	for (int k = 0; k < 3 && rc == GG_OK; k++) {
		struct store_stats_q q = {.scope = scope,
					  .lvl = lvl,
					  .kind = kind,
					  .day_from = w->from[k],
					  .day_to = w->to[k]};
		struct store_stats_row *rows;
		size_t nr;
		if ((rc = store_stats_sum(s, &q, a, &rows, &nr, err)))
			break;
		for (size_t i = 0; i < nr; i++) {
			const char *key = by == 1   ? rows[i].node
					  : by == 2 ? rows[i].dept
					  : by == 3 ? rows[i].chan
						    : "";
			struct keyed *x = keyed_get(&g, key);
			for (int c = 0; c < SUM_NCOLS; c++)
				x->v[k][c] += rows[i].v[c];
		}
	}
	free(g.slot);
	*out = g.v;
	*n = g.n;
	return rc;
}

static int by_reported(const void *pa, const void *pb)
{
	const struct keyed *a = pa, *b = pb;
	if (a->v[0][SUM_REPORTED] != b->v[0][SUM_REPORTED])
		return a->v[0][SUM_REPORTED] > b->v[0][SUM_REPORTED] ? -1 : 1;
	return strcmp(a->key, b->key);
}

static json_t *three(const struct keyed *g, int col)
{
	return json_pack("{s:I,s:I,s:I}", "n", (json_int_t)g->v[0][col], "previous",
			 (json_int_t)g->v[1][col], "last_year", (json_int_t)g->v[2][col]);
}

static json_t *three_rate(const struct keyed *g, int num, int den)
{
	return json_pack("{s:o,s:o,s:o}", "n", rate(g->v[0][num], g->v[0][den]), "previous",
			 rate(g->v[1][num], g->v[1][den]), "last_year",
			 rate(g->v[2][num], g->v[2][den]));
}

static json_t *overview(const struct keyed *g, int64_t open, int64_t overdue)
{
	static const struct {
		const char *key, *name;
		int num, den;
	} rows[] = {
	    {"reported", "上报数", SUM_REPORTED, -1},
	    {"filed", "立案数", SUM_FILED, -1},
	    {"closed", "结案数", SUM_CLOSED, -1},
	    {"closure_rate", "结案率", SUM_CLOSED, SUM_FILED},
	    {"handled_on_time_rate", "按期处置率", SUM_HANDLED_ON_TIME, SUM_HANDLED},
	    {"closed_on_time_rate", "按期结案率", SUM_CLOSED_ON_TIME, SUM_CLOSED},
	    {"satisfaction_rate", "满意率", SUM_SATISFIED, SUM_RATED},
	};
	json_t *v = json_array();
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
		json_t *x = rows[i].den < 0 ? three(g, rows[i].num)
					    : three_rate(g, rows[i].num, rows[i].den);
		json_object_set_new(x, "key", json_string(rows[i].key));
		json_object_set_new(x, "name", json_string(rows[i].name));
		json_array_append_new(v, x);
	}
	json_array_append_new(v, json_pack("{s:s,s:s,s:I,s:n,s:n}", "key", "open", "name",
					   "在办数 (当前)", "n", (json_int_t)open, "previous",
					   "last_year"));
	json_array_append_new(v, json_pack("{s:s,s:s,s:I,s:n,s:n}", "key", "overdue", "name",
					   "超期数 (当前)", "n", (json_int_t)overdue, "previous",
					   "last_year"));
	return v;
}

static json_t *ranking_items(struct store *s, enum assess_kind k, const char *under,
			     enum assess_period p, int64_t day, struct arena *a, struct err *err,
			     int *rc)
{
	struct assess_query q = {.kind = k, .period = p, .at_day = day, .under = under};
	struct assess_result r;
	if ((*rc = assess_run(s, &q, a, &r, err)))
		return NULL;
	json_t *j = assess_result_json(&q, &r);
	json_t *items = json_incref(json_object_get(j, "items"));
	json_decref(j);
	return items;
}

int assess_report(struct store *s, const char *under, enum assess_period p, int64_t day,
		  int64_t now, struct arena *a, json_t **out, struct err *err)
{
	struct windows w;
	assess_period_of(p, day, &w.from[0], &w.to[0]);
	assess_period_prev(p, w.from[0], &w.from[1], &w.to[1]);
	if (p == ASSESS_WEEK) {
		w.from[2] = w.from[0] - 364; /* the same week of the year before (52 weeks) */
		w.to[2] = w.to[0] - 364;
	} else {
		int y, m, d;
		assess_civil_from_days(w.from[0], &y, &m, &d);
		assess_period_of(p, assess_days_from_civil(y - 1, m, 1), &w.from[2], &w.to[2]);
	}
	int lvl = sum_level(under), rc;
	struct grid_node node = {0};
	if (under[0] && (rc = store_grid_get(s, under, &node, err)))
		return rc;
	struct keyed *all = NULL, *chan = NULL, *grids = NULL, *depts = NULL;
	size_t nall, nchan, ngrids, ndepts;
	json_t *j = NULL;
	if ((rc = gather(s, under, lvl, 0, 0, &w, a, &all, &nall, err)) ||
	    (rc = gather(s, under, lvl, 2, 3, &w, a, &chan, &nchan, err)) ||
	    (rc = gather(s, under, STORE_SUM_LEVELS, 0, 1, &w, a, &grids, &ngrids, err)) ||
	    (rc = gather(s, under, lvl, 1, 2, &w, a, &depts, &ndepts, err)))
		goto done;
	struct keyed zero;
	memset(&zero, 0, sizeof(zero));
	struct keyed *tot = nall ? all : &zero;

	/* live open and overdue: the scope's and each department's */
	struct store_stats_q lq = {.scope = under, .lvl = lvl, .kind = 0};
	struct store_stats_row *live;
	size_t nlive;
	int64_t open = 0, overdue = 0;
	if ((rc = store_stats_live(s, &lq, a, &live, &nlive, err)))
		goto done;
	for (size_t i = 0; i < nlive; i++) {
		open += live[i].open;
		overdue += live[i].overdue;
	}
	lq.kind = 1;
	struct store_stats_row *dlive;
	size_t ndlive;
	if ((rc = store_stats_live(s, &lq, a, &dlive, &ndlive, err)))
		goto done;

	j = json_object();
	json_object_set_new(j, "title", json_string(p == ASSESS_WEEK ? "周报" : "月度分析"));
	json_object_set_new(
	    j, "under",
	    json_pack("{s:s,s:s}", "code", under, "name", under[0] ? node.name : "全部"));
	json_object_set_new(j, "period",
			    json_pack("{s:s,s:o,s:o}", "kind", assess_period_name(p), "from",
				      day_json(w.from[0]), "to", day_json(w.to[0] - 1)));
	json_object_set_new(
	    j, "previous",
	    json_pack("{s:o,s:o}", "from", day_json(w.from[1]), "to", day_json(w.to[1] - 1)));
	json_object_set_new(
	    j, "last_year",
	    json_pack("{s:o,s:o}", "from", day_json(w.from[2]), "to", day_json(w.to[2] - 1)));
	char gen[40];
	clock_format_local(now, gen, sizeof(gen));
	json_object_set_new(j, "generated_at", json_string(gen));
	json_object_set_new(j, "overview", overview(tot, open, overdue));

	/* channels */
	qsort(chan, nchan, sizeof(*chan), by_reported);
	json_t *jc = json_array();
	for (size_t i = 0; i < nchan; i++) {
		json_t *x = three(&chan[i], SUM_REPORTED);
		json_object_set_new(x, "channel", json_string(chan[i].key));
		json_array_append_new(jc, x);
	}
	json_object_set_new(j, "channels", jc);

	/* hot categories: one read per window, top 10 of this period */
	struct store_assess_category *cat[3];
	size_t ncat[3];
	for (int k = 0; k < 3; k++)
		if ((rc = store_assess_categories(s, under, clock_day_start(w.from[k]),
						  clock_day_start(w.to[k]), a, &cat[k], &ncat[k],
						  err)))
			goto done;
	struct store_category *cats;
	size_t ncats;
	if ((rc = store_category_list(s, a, &cats, &ncats, err)))
		goto done;
	json_t *jcat = json_array();
	for (size_t i = 0; i < ncat[0] && i < TOP; i++) {
		int64_t prev[2] = {0, 0};
		for (int k = 1; k < 3; k++)
			for (size_t m = 0; m < ncat[k]; m++)
				if (!strcmp(cat[k][m].category, cat[0][i].category))
					prev[k - 1] = cat[k][m].n;
		const char *name = cat[0][i].category;
		for (size_t m = 0; m < ncats; m++)
			if (!strcmp(cats[m].code, name))
				name = cats[m].name;
		json_array_append_new(
		    jcat, json_pack("{s:s,s:s,s:I,s:I,s:I}", "code", cat[0][i].category, "name",
				    name, "n", (json_int_t)cat[0][i].n, "previous",
				    (json_int_t)prev[0], "last_year", (json_int_t)prev[1]));
	}
	json_object_set_new(j, "categories", jcat);

	/* hot areas: the basic grids with most reports */
	qsort(grids, ngrids, sizeof(*grids), by_reported);
	json_t *jg = json_array();
	for (size_t i = 0; i < ngrids && i < TOP && grids[i].v[0][SUM_REPORTED]; i++) {
		struct grid_node g = {0};
		struct err e2 = ERR_INIT;
		if (store_grid_get(s, grids[i].key, &g, &e2))
			snprintf(g.name, sizeof(g.name), "%s", grids[i].key);
		json_t *x = three(&grids[i], SUM_REPORTED);
		json_object_set_new(x, "code", json_string(grids[i].key));
		json_object_set_new(x, "name", json_string(g.name));
		json_array_append_new(jg, x);
	}
	json_object_set_new(j, "grids", jg);

	/* the slowest departments: lowest 按期处置率 first (those that handled any) */
	struct store_dept *dl;
	size_t ndl;
	if ((rc = store_dept_list(s, a, &dl, &ndl, err)))
		goto done;
	json_t *jd = json_array();
	for (size_t i = 0; i < ndepts; i++) {
		struct keyed *g = &depts[i];
		if (!g->key[0] || !g->v[0][SUM_HANDLED])
			continue;
		const char *name = g->key;
		for (size_t m = 0; m < ndl; m++)
			if (!strcmp(dl[m].code, g->key))
				name = dl[m].name;
		int64_t dopen = 0, dover = 0;
		for (size_t m = 0; m < ndlive; m++)
			if (!strcmp(dlive[m].dept, g->key)) {
				dopen += dlive[m].open;
				dover += dlive[m].overdue;
			}
		json_array_append_new(
		    jd,
		    json_pack("{s:s,s:s,s:I,s:o,s:o,s:o,s:I,s:I}", "code", g->key, "name", name,
			      "handled", (json_int_t)g->v[0][SUM_HANDLED], "on_time_rate",
			      rate(g->v[0][SUM_HANDLED_ON_TIME], g->v[0][SUM_HANDLED]),
			      "previous_rate",
			      rate(g->v[1][SUM_HANDLED_ON_TIME], g->v[1][SUM_HANDLED]),
			      "satisfaction_rate", rate(g->v[0][SUM_SATISFIED], g->v[0][SUM_RATED]),
			      "open", (json_int_t)dopen, "overdue", (json_int_t)dover));
	}
	/* sort by on_time_rate ascending (a simple insertion sort: a few dozen departments) */
	for (size_t i = 1; i < json_array_size(jd); i++)
		for (size_t k = i; k > 0; k--) {
			double x =
			    json_real_value(json_object_get(json_array_get(jd, k), "on_time_rate"));
			double y = json_real_value(
			    json_object_get(json_array_get(jd, k - 1), "on_time_rate"));
			if (x >= y)
				break;
			json_t *t1 = json_incref(json_array_get(jd, k)),
			       *t2 = json_incref(json_array_get(jd, k - 1));
			json_array_set_new(jd, k, t2);
			json_array_set_new(jd, k - 1, t1);
		}
	while (json_array_size(jd) > TOP)
		json_array_remove(jd, TOP);
	json_object_set_new(j, "departments", jd);

	/* the oldest open cases */
	struct store_assess_open *old;
	size_t nold;
	if ((rc = store_assess_oldest_open(s, under, TOP, a, &old, &nold, err)))
		goto done;
	json_t *jo = json_array();
	for (size_t i = 0; i < nold; i++) {
		char rep[40];
		clock_format_local(old[i].created_at, rep, sizeof(rep));
		json_array_append_new(
		    jo,
		    json_pack(
			"{s:I,s:s,s:s,s:s,s:s,s:s,s:I}", "id", (json_int_t)old[i].id, "category",
			old[i].category, "grid", old[i].grid, "department", old[i].department,
			"state", old[i].state, "reported", rep, "days_open",
			(json_int_t)(clock_local_day(now) - clock_local_day(old[i].created_at))));
	}
	json_object_set_new(j, "oldest", jo);

	/* the rankings: the node's children (regions) and the departments */
	json_t *rk = json_object();
	if (!under[0] || grid_level_of_code(under) < GRID_GRID) {
		json_t *ri = ranking_items(s, ASSESS_REGION, under, p, day, a, err, &rc);
		if (rc)
			goto done;
		json_object_set_new(rk, "region", ri);
	}
	json_t *di = ranking_items(s, ASSESS_DEPARTMENT, under, p, day, a, err, &rc);
	if (rc)
		goto done;
	json_object_set_new(rk, "department", di);
	json_object_set_new(j, "rankings", rk);
done:
	free(all);
	free(chan);
	free(grids);
	free(depts);
	if (rc) {
		json_decref(j);
		return rc;
	}
	*out = j;
	return GG_OK;
}
