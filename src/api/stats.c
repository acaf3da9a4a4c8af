/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/stats/indicators (and /heatmap, at the end): the standard indicators of the case loop, grouped by
 * department, grid, community, street, channel (the door a case came in by) or day, over the cases reported in [from, to)
 * within the caller's scope (narrowed by under=CODE). Counts come from facts stored on
 * each case when it moved (filed on time, returns, reworks, extension, rating), so they
 * never depend on today's clock. Each indicator appears under the standard's Chinese
 * name and a stable English key (reported, closed_on_time_rate, …).
 *
 * Dates without a time are days of the platform's time zone (China Standard Time unless
 * configured otherwise: clock_set_zone), and to= includes its
 * day. by=day lists every day of the window: reports by the day they came in, closures
 * by the day they were closed. open and overdue are counted now, over every case of
 * the group whenever it was reported (they are what the command center shows live).
 *
 * Rates (null when their base is 0): 按时立案率 = filed on time / filed; 准确派遣率 =
 * dispatched and never returned / dispatched; 按期处置率 = handled on time / handled;
 * 结案率 = closed / filed; 按期结案率 = closed on time / closed; 返工率 = reworked /
 * handled; 延期率 = extended / dispatched; 满意率 = satisfied or basically satisfied /
 * evaluated.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"

#define MAX_DAYS 400

struct tally {
	const char *key, *name;
	int reported, filed, filed_on_time, dispatched, accurate, handled, handled_on_time;
	int closed, closed_on_time, reworked, extended, rated, satisfied;
	int open, overdue;
};

static json_t *rate(int num, int den)
{
	return den ? json_real(round(10000.0 * num / den) / 10000.0) : json_null();
}

/* Each indicator under the standard's name and under a stable English key. */
static void put(json_t *j, const char *zh, const char *en, json_t *v)
{
	json_object_set(j, zh, v);
	json_object_set_new(j, en, v);
}

static json_t *tally_json(const struct tally *t)
{
	json_t *j = json_pack("{s:s}", "key", t->key);
	if (t->name)
		json_object_set_new(j, "name", json_string(t->name));
	put(j, "上报数", "reported", json_integer(t->reported));
	put(j, "立案数", "filed", json_integer(t->filed));
	put(j, "派遣数", "dispatched", json_integer(t->dispatched));
	put(j, "处置数", "handled", json_integer(t->handled));
	put(j, "结案数", "closed", json_integer(t->closed));
	put(j, "评价数", "evaluated", json_integer(t->rated));
	put(j, "按时立案率", "filed_on_time_rate", rate(t->filed_on_time, t->filed));
	put(j, "准确派遣率", "accurate_dispatch_rate", rate(t->accurate, t->dispatched));
	put(j, "按期处置率", "handled_on_time_rate", rate(t->handled_on_time, t->handled));
	put(j, "结案率", "closure_rate", rate(t->closed, t->filed));
	put(j, "按期结案率", "closed_on_time_rate", rate(t->closed_on_time, t->closed));
	put(j, "返工率", "rework_rate", rate(t->reworked, t->handled));
	put(j, "延期率", "extension_rate", rate(t->extended, t->dispatched));
	put(j, "满意率", "satisfaction_rate", rate(t->satisfied, t->rated));
	put(j, "在办数", "open", json_integer(t->open));
	put(j, "超期数", "overdue", json_integer(t->overdue));
	return j;
}

static int is_open(const struct store_case *c)
{
	return c->state != CASE_CLOSED && c->state != CASE_EVALUATED &&
	       c->state != CASE_REJECTED && c->state != CASE_MERGED;
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

/* by=grid counts basic grids 网格 (a micro-grid's cases count for its grid: the grid
 * worker answers for them); a case placed only at a community or above keeps its node. */
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
	if (c->level > GRID_GRID)
		return arena_printf(a, "%.*s", (int)grid_level_code_len(GRID_GRID), c->grid);
	return c->grid;
}

static void count(struct tally *t, const struct store_case *c)
{
	t->reported++;
	t->filed += c->filed_at > 0;
	t->filed_on_time += c->filed_at > 0 && c->filed_on_time;
	t->dispatched += c->dispatches > 0;
	t->accurate += c->dispatches > 0 && c->returns == 0;
	t->handled += c->handled_at > 0;
	t->handled_on_time += c->handled_at > 0 && c->handled_on_time;
	t->closed += c->closed_at > 0;
	t->closed_on_time += c->closed_at > 0 && c->closed_on_time;
	t->reworked += c->handled_at > 0 && c->reworks > 0;
	t->extended += c->dispatches > 0 && c->extended;
	t->rated += c->rating[0] != 0;
	t->satisfied += !strcmp(c->rating, "satisfied") || !strcmp(c->rating, "basically");
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
	struct grid_node g;
	return *key && store_grid_get(r->db, key, &g, &e) == GG_OK ? arena_strdup(r->arena, g.name)
								   : NULL;
}

static struct tally *group(struct tally *t, size_t *groups, const char *k)
{
	size_t g = 0;
	while (g < *groups && strcmp(t[g].key, k))
		g++;
	if (g == *groups)
		t[(*groups)++].key = k;
	return &t[g];
}

/* The cases of the caller's scope (narrowed by under=), a department's own only. */
static int scoped_cases(struct api_req *r, const char *under, struct store_case **c, size_t *n)
{
	const char *scope = r->who.scope;
	if (under) {
		if (grid_level_of_code(under) == GRID_LEVEL_NONE)
			return err_field(&r->err, GG_EFIELD, "under", "under is a grid code");
		if (principal_covers(&r->who, under))
			scope = under;
		else if (!grid_code_is_ancestor(under, r->who.scope))
			return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", under);
	}
	struct store_case_filter f = {.scope = scope};
	if (r->who.role == ROLE_DEPARTMENT)
		f.department = r->who.dept;
	int64_t total;
	return store_case_list(r->db, &f, r->arena, c, n, &total, &r->err);
}

int api_stats_indicators(struct api_req *r)
{
	const char *by = api_query(r, "by"), *from_s = api_query(r, "from"),
		   *to_s = api_query(r, "to"), *under = api_query(r, "under");
	if (!by)
		by = "department";
	int by_day = !strcmp(by, "day");
	if (strcmp(by, "department") && strcmp(by, "grid") && strcmp(by, "community") &&
	    strcmp(by, "street") && strcmp(by, "channel") && !by_day)
		return err_field(&r->err, GG_EFIELD, "by",
				 "by is department, grid, community, street, channel or day");
	int64_t from = 0, to = INT64_MAX;
	if (from_s && parse_bound(from_s, 0, &from))
		return err_field(&r->err, GG_EFIELD, "from", "from is an RFC 3339 date or time");
	if (to_s && parse_bound(to_s, 1, &to))
		return err_field(&r->err, GG_EFIELD, "to", "to is an RFC 3339 date or time");
	if (by_day && (!from_s || !to_s || to <= from || (to - from) / 86400 > MAX_DAYS))
		return err_field(&r->err, GG_EFIELD, from_s ? "to" : "from",
				 "by=day needs from and to, at most %d days apart", MAX_DAYS);
	struct store_case *c;
	size_t n;
	int64_t now = clock_now();
	int rc = scoped_cases(r, under, &c, &n);
	if (rc)
		return rc;
	size_t cap = by_day ? (size_t)((to - from) / 86400 + 1) : n + 1, groups = 0;
	struct tally *t = arena_zalloc(r->arena, cap * sizeof(*t)), all = {.key = "total"};
	if (by_day)
		for (int64_t d = from; d < to && groups < cap; d += 86400) {
			char *day = arena_alloc(r->arena, 32);
			day_of(d, day, 32);
			t[groups++].key = day;
		}
	for (size_t i = 0; i < n; i++) {
		int in_window = c[i].created_at >= from && c[i].created_at < to;
		if (is_open(&c[i])) {
			all.open++;
			all.overdue += c[i].deadline > 0 && c[i].deadline < now;
		}
		if (by_day) {
			char day[32];
			if (in_window) {
				day_of(c[i].created_at, day, sizeof(day));
				struct tally *g = group(t, &groups, arena_strdup(r->arena, day));
				g->reported++;
			}
			if (c[i].closed_at >= from && c[i].closed_at < to && c[i].closed_at > 0) {
				day_of(c[i].closed_at, day, sizeof(day));
				struct tally *g = group(t, &groups, arena_strdup(r->arena, day));
				g->closed++;
				g->closed_on_time += c[i].closed_on_time;
			}
			if (in_window)
				count(&all, &c[i]);
			continue;
		}
		struct tally *g = group(t, &groups, key_of(r->arena, &c[i], by));
		if (is_open(&c[i])) {
			g->open++;
			g->overdue += c[i].deadline > 0 && c[i].deadline < now;
		}
		if (in_window) {
			count(g, &c[i]);
			count(&all, &c[i]);
		}
	}
	json_t *items = json_array();
	for (size_t g = 0; g < groups; g++) {
		if (!by_day && t[g].reported == 0)
			continue;
		if (!by_day && strcmp(by, "channel"))
			t[g].name = group_name(r, by, t[g].key);
		json_t *j = tally_json(&t[g]);
		if (by_day)
			json_object_set_new(j, "day", json_string(t[g].key));
		json_array_append_new(items, j);
	}
	json_t *res = json_pack("{s:o,s:I,s:s,s:o}", "items", items,
				"total", (json_int_t)json_array_size(items), "by", by, "all",
				tally_json(&all));
	api_reply(r, 200, res);
	return GG_OK;
}

/*
 * GET /api/v1/stats/heatmap?under=&from=&to=&cell=: where cases were reported, counted
 * on a square lattice of `cell` degrees (default 0.0005°, about 50 m in Chengdu) so the
 * answer stays small however many cases there are. Each item is a cell's centre and its
 * count; cases without a position are counted in `unplaced`.
 */
struct cell {
	int64_t x, y;
};

static int cell_cmp(const void *a, const void *b)
{
	const struct cell *p = a, *q = b;
	if (p->x != q->x)
		return p->x < q->x ? -1 : 1;
	return p->y < q->y ? -1 : p->y > q->y;
}

int api_stats_heatmap(struct api_req *r)
{
	const char *from_s = api_query(r, "from"), *to_s = api_query(r, "to"),
		   *cell_s = api_query(r, "cell");
	int64_t from = 0, to = INT64_MAX;
	if (from_s && parse_bound(from_s, 0, &from))
		return err_field(&r->err, GG_EFIELD, "from", "from is an RFC 3339 date or time");
	if (to_s && parse_bound(to_s, 1, &to))
		return err_field(&r->err, GG_EFIELD, "to", "to is an RFC 3339 date or time");
	double size = 0.0005;
	if (cell_s) {
		char *end;
		size = strtod(cell_s, &end);
		if (*end || !(size >= 0.0001 && size <= 0.1))
			return err_field(&r->err, GG_EFIELD, "cell",
					 "cell is a size in degrees, 0.0001 to 0.1");
	}
	struct store_case *c;
	size_t n;
	int rc = scoped_cases(r, api_query(r, "under"), &c, &n);
	if (rc)
		return rc;
	struct cell *v = arena_alloc(r->arena, (n + 1) * sizeof(*v));
	size_t m = 0, unplaced = 0, total = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].created_at < from || c[i].created_at >= to || c[i].merged_into)
			continue;
		total++;
		if (!c[i].has_point) {
			unplaced++;
			continue;
		}
		v[m].x = (int64_t)floor(c[i].lon / size);
		v[m].y = (int64_t)floor(c[i].lat / size);
		m++;
	}
	qsort(v, m, sizeof(*v), cell_cmp);
	json_t *items = json_array();
	for (size_t i = 0; i < m;) {
		size_t k = i;
		while (k < m && !cell_cmp(&v[k], &v[i]))
			k++;
		json_array_append_new(items, json_pack("{s:f,s:f,s:I}", "lon",
						       ((double)v[i].x + 0.5) * size, "lat",
						       ((double)v[i].y + 0.5) * size, "n",
						       (json_int_t)(k - i)));
		i = k;
	}
	api_reply(r, 200,
		  json_pack("{s:o,s:I,s:I,s:f}", "items", items, "total", (json_int_t)total,
			    "unplaced", (json_int_t)unplaced, "cell", size));
	return GG_OK;
}
