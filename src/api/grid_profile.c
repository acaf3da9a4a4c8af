/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/grids/{code}/profile: one grid as the command center's drill-down shows it
 * — the node with its households and population (人房 data), its staff (网格员 and the
 * rest), its open cases (the very count the map colours the grid by: every case of the
 * subtree not closed, evaluated, rejected or merged, however old) and this month's
 * indicators (CST month to date). Inside the caller's scope only; department staff see
 * their department's cases, as in the case list.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/store_geo.h"

#define PROFILE_CASES 100

/* [from, to): the first CST midnight of this month, and tomorrow's. */
static void this_month(int64_t now, int64_t *from, int64_t *to, char month[16])
{
	int64_t off = clock_utc_offset(), day = clock_local_day(now);
	time_t t = (time_t)(day * 86400);
	struct tm tm;
	gmtime_r(&t, &tm);
	*from = (day - (tm.tm_mday - 1)) * 86400 - off;
	*to = (day + 1) * 86400 - off;
	strftime(month, 16, "%Y-%m", &tm);
}

int api_grid_profile(struct api_req *r)
{
	const char *code = r->params[0];
	struct grid_node g;
	int rc = store_grid_get(r->db, code, &g, &r->err);
	if (rc)
		return rc;
	if (!principal_covers(&r->who, code))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", code);
	json_t *res = json_pack("{s:o}", "grid", api_grid_json(&g));

	struct store_staff *st;
	size_t ns;
	if ((rc = store_staff_list(r->db, code, r->arena, &st, &ns, &r->err)))
		goto fail;
	json_t *staff = json_array();
	for (size_t i = 0; i < ns; i++) {
		json_t *j = json_pack("{s:I,s:s,s:s}", "id", (json_int_t)st[i].id, "role",
				      store_staff_role_name(st[i].role), "name", st[i].name);
		if (st[i].dept[0])
			json_object_set_new(j, "dept", json_string(st[i].dept));
		json_array_append_new(staff, j);
	}
	json_object_set_new(res, "staff", staff);
	json_object_set_new(res, "people",
			    json_pack("{s:I,s:I}", "households", (json_int_t)g.households,
				      "population", (json_int_t)g.population));

	struct store_case_filter f = {
	    .scope = r->who.scope,
	    .department = r->who.role == ROLE_DEPARTMENT ? r->who.dept : NULL,
	    .grid = code,
	    .open_only = 1,
	    .limit = PROFILE_CASES,
	    .count_max = INT64_MAX,
	};
	struct store_case *c;
	size_t n;
	struct store_case_page pg;
	if ((rc = store_case_page(r->db, &f, r->arena, &c, &n, &pg, &r->err)))
		goto fail;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, api_case_json(r, &c[i]));
	json_object_set_new(res, "open_cases",
			    json_pack("{s:o,s:I}", "items", items, "total",
				      (json_int_t)(pg.total >= 0 ? pg.total : (int64_t)n)));

	int64_t from, to;
	char month[16];
	this_month(clock_now(), &from, &to, month);
	json_t *ind;
	if ((rc = api__stats_total(r, code, from, to, &ind)))
		goto fail;
	json_object_set_new(ind, "month", json_string(month));
	json_object_set_new(res, "month", ind);
	api_reply(r, 200, res);
	return GG_OK;
fail:
	json_decref(res);
	return rc;
}
