/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/stats/indicators: the standard indicators of the case loop, grouped by
 * department, grid, community or street, over the cases reported in [from, to) within
 * the caller's scope. Counts come from facts stored on each case when it moved (filed
 * on time, returns, reworks, extension, rating), so they never depend on today's clock.
 *
 * Rates (null when their base is 0): 按时立案率 = filed on time / filed; 准确派遣率 =
 * dispatched and never returned / dispatched; 按期处置率 = handled on time / handled;
 * 结案率 = closed / filed; 按期结案率 = closed on time / closed; 返工率 = reworked /
 * handled; 延期率 = extended / dispatched; 满意率 = satisfied or basically satisfied /
 * evaluated.
 */
#include <math.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"

struct tally {
	const char *key;
	int reported, filed, filed_on_time, dispatched, accurate, handled, handled_on_time;
	int closed, closed_on_time, reworked, extended, rated, satisfied;
};

static json_t *rate(int num, int den)
{
	return den ? json_real(round(10000.0 * num / den) / 10000.0) : json_null();
}

static json_t *tally_json(const struct tally *t)
{
	json_t *j = json_pack("{s:s,s:i,s:i,s:i,s:i,s:i,s:i}", "key", t->key, "上报数", t->reported,
			      "立案数", t->filed, "派遣数", t->dispatched, "处置数", t->handled,
			      "结案数", t->closed, "评价数", t->rated);
	json_object_set_new(j, "按时立案率", rate(t->filed_on_time, t->filed));
	json_object_set_new(j, "准确派遣率", rate(t->accurate, t->dispatched));
	json_object_set_new(j, "按期处置率", rate(t->handled_on_time, t->handled));
	json_object_set_new(j, "结案率", rate(t->closed, t->filed));
	json_object_set_new(j, "按期结案率", rate(t->closed_on_time, t->closed));
	json_object_set_new(j, "返工率", rate(t->reworked, t->handled));
	json_object_set_new(j, "延期率", rate(t->extended, t->dispatched));
	json_object_set_new(j, "满意率", rate(t->satisfied, t->rated));
	return j;
}

static const char *key_of(const struct store_case *c, const char *by)
{
	if (!strcmp(by, "department"))
		return c->department[0] ? c->department : "";
	if (!strcmp(by, "street"))
		return c->street;
	if (!strcmp(by, "community"))
		return c->community;
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

int api_stats_indicators(struct api_req *r)
{
	const char *by = api_query(r, "by"), *from_s = api_query(r, "from"),
		   *to_s = api_query(r, "to");
	if (!by)
		by = "department";
	if (strcmp(by, "department") && strcmp(by, "grid") && strcmp(by, "community") &&
	    strcmp(by, "street"))
		return err_field(&r->err, GG_EFIELD, "by",
				 "by is department, grid, community or street");
	int64_t from = 0, to = INT64_MAX;
	if ((from_s && clock_parse(from_s, &from)) || (to_s && clock_parse(to_s, &to)))
		return err_field(&r->err, GG_EFIELD, from_s ? "from" : "to",
				 "from and to are RFC 3339 dates or times");
	struct store_case_filter f = {.scope = r->who.scope};
	struct store_case *c;
	size_t n;
	int64_t total;
	int rc = store_case_list(r->db, &f, r->arena, &c, &n, &total, &r->err);
	if (rc)
		return rc;
	struct tally *t = arena_zalloc(r->arena, (n + 1) * sizeof(*t)), all = {.key = "total"};
	size_t groups = 0;
	for (size_t i = 0; i < n; i++) {
		if (c[i].created_at < from || c[i].created_at >= to)
			continue;
		const char *k = key_of(&c[i], by);
		size_t g = 0;
		while (g < groups && strcmp(t[g].key, k))
			g++;
		if (g == groups)
			t[groups++].key = k;
		count(&t[g], &c[i]);
		count(&all, &c[i]);
	}
	json_t *items = json_array();
	for (size_t g = 0; g < groups; g++)
		json_array_append_new(items, tally_json(&t[g]));
	json_t *res = json_pack("{s:o,s:I,s:s,s:o}", "items", items, "total", (json_int_t)groups,
				"by", by, "all", tally_json(&all));
	api_reply(r, 200, res);
	return GG_OK;
}
