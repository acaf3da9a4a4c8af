/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov check people: the data-quality checks of people-and-housing data 人房信息核查
 * — residents without a house, houses without a building, duplicate and invalid ID
 * numbers, basic grids whose household count is outside 300–500 — with counts per grid
 * and the list to work through. Buildings outside their grid need the grid map's
 * locator, which runs inside the server: GET /api/v1/checks/people does that check too.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/people.h"
#include "gridgov/store_people.h"

static const char usage[] =
    "usage: gridgov check people --db PATH [--under CODE] [--json]\n\n"
    "List faults in the people-and-housing data under a grid code (default: all):\n"
    "residents without a house, houses without a building, duplicate ID numbers,\n"
    "invalid ID numbers, basic grids with fewer than 300 or more than 500 households,\n"
    "basic grids without a dedicated grid worker.\n"
    "Exit status 0 when there is nothing to fix, 3 when faults were found.\n"
    "Buildings lying outside their grid are checked by the server\n"
    "(GET /api/v1/checks/people), which holds the grid map's locator.\n";

static const char *const kinds_done[] = {"resident_without_house", "house_without_building",
					 "duplicate_id_number", "invalid_id_number",
					 "grid_household_count", "grid_without_worker"};

static json_t *to_json(const char *under, const struct store_people_fault *f, size_t n)
{
	json_t *counts = json_object(), *by_grid = json_object(), *items = json_array();
	for (size_t k = 0; k < sizeof(kinds_done) / sizeof(kinds_done[0]); k++)
		json_object_set_new(counts, kinds_done[k], json_integer(0));
	for (size_t i = 0; i < n; i++) {
		const char *kind = store_people_fault_name(f[i].kind);
		json_object_set_new(
		    counts, kind,
		    json_integer(json_integer_value(json_object_get(counts, kind)) + 1));
		json_t *g = json_object_get(by_grid, f[i].grid);
		if (!g) {
			g = json_object();
			json_object_set_new(by_grid, f[i].grid, g);
		}
		json_object_set_new(g, kind,
				    json_integer(json_integer_value(json_object_get(g, kind)) + 1));
		json_t *it =
		    json_pack("{s:s,s:s,s:s}", "kind", kind, "grid", f[i].grid, "what", f[i].what);
		if (f[i].id)
			json_object_set_new(it, "id", json_integer(f[i].id));
		if (f[i].kind == PF_GRID_HOUSEHOLDS)
			json_object_set_new(it, "households", json_integer(f[i].value));
		if (f[i].kind == PF_DUPLICATE_ID)
			json_object_set_new(it, "holders", json_integer(f[i].value));
		json_array_append_new(items, it);
	}
	return json_pack("{s:s,s:I,s:o,s:o,s:o,s:[s]}", "under", under, "total", (json_int_t)n,
			 "counts", counts, "by_grid", by_grid, "items", items, "not_checked",
			 "building_outside_grid");
}

static void print_text(json_t *j)
{
	const char *under = json_string_value(json_object_get(j, "under"));
	printf("people checks under %s: %lld fault(s)\n", *under ? under : "all grids",
	       (long long)json_integer_value(json_object_get(j, "total")));
	const char *k;
	json_t *v;
	json_object_foreach(json_object_get(j, "counts"), k, v)
	    printf("  %-24s %lld\n", k, (long long)json_integer_value(v));
	printf("  %-24s not checked here (needs the locator: GET /api/v1/checks/people)\n",
	       "building_outside_grid");
	json_t *by = json_object_get(j, "by_grid");
	if (json_object_size(by)) {
		printf("by grid:\n");
		json_object_foreach(by, k, v)
		{
			printf("  %s", k);
			const char *kk;
			json_t *vv;
			json_object_foreach(v, kk, vv)
			    printf("  %s=%lld", kk, (long long)json_integer_value(vv));
			printf("\n");
		}
	}
	size_t i;
	json_array_foreach(json_object_get(j, "items"), i, v)
	{
		if (i == 0)
			printf("to fix:\n");
		printf("  %-24s %s", json_string_value(json_object_get(v, "kind")),
		       json_string_value(json_object_get(v, "grid")));
		if (json_object_get(v, "id"))
			printf("  #%lld", (long long)json_integer_value(json_object_get(v, "id")));
		printf("  %s", json_string_value(json_object_get(v, "what")));
		if (json_object_get(v, "households"))
			printf("  (%lld households)",
			       (long long)json_integer_value(json_object_get(v, "households")));
		printf("\n");
	}
}

int cli__check_people(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"under", required_argument, 0, 'u'},
					     {"json", no_argument, 0, 'j'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *under = "";
	int c, as_json = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'u')
			under = optarg;
		else if (c == 'j')
			as_json = 1;
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind != argc)
		return cli_fail("check people takes no arguments besides options");
	if (*under && grid_level_of_code(under) == GRID_LEVEL_NONE)
		return cli_fail("--under wants a grid code, not '%s'", under);
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	struct arena *a = arena_new();
	struct store_people_fault *f;
	size_t n;
	int rc = store_begin(s, STORE_READ, &err);
	if (rc == GG_OK) {
		rc = store_people_faults(s, under, PEOPLE_GRID_HH_MIN, PEOPLE_GRID_HH_MAX, a, &f,
					 &n, &err);
		store_rollback(s);
	}
	store_close(s);
	if (rc) {
		arena_free(a);
		return cli_fail_err(&err);
	}
	json_t *j = to_json(under, f, n);
	arena_free(a);
	if (as_json) {
		char *t = json_dumps(j, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
		puts(t);
		free(t);
	} else {
		print_text(j);
	}
	json_decref(j);
	return n ? 3 : 0;
}
