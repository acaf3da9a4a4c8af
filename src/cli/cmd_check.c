/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov check KIND: consistency reports over a database, one kind per row of kinds[]
 * (check grids: the grid map's coverage 网格划分校验; check people: 人房 data quality). Exit status 1 when there are errors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/store_geo.h"

static const char usage[] =
	"usage: gridgov check KIND --db PATH [--json] [options]\n\n"
	"kinds:\n"
	"  grids   the grid map: children outside their parent, overlapping siblings, gaps,\n"
	"          invalid geometries, basic grids without a dedicated worker or outside\n"
	"          300–500 households; each with its location and area\n"
	"          --under CODE      only that subtree\n"
	"          --tolerance M2    areas at or below this are noise (default 10)\n"
	"          --json            the report as JSON\n"
	"  people  faults in people-and-housing data (see 'gridgov check people --help')\n"
	"Exit status 1 when there are errors.\n";

static int check_grids(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},	  {"json", no_argument, 0, 'j'},
		{"under", required_argument, 0, 'u'},	  {"tolerance", required_argument, 0, 't'},
		{"help", no_argument, 0, 'h'},		  {0, 0, 0, 0}};
	const char *db = NULL, *under = "";
	int json = 0, c;
	double tol = 10;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'j': json = 1; break;
		case 'u': under = optarg; break;
		case 't': tol = atof(optarg); break;
		default: return cli_usage(usage, c == 'h');
		}
	}
	if (optind != argc)
		return cli_fail("check grids takes no arguments besides options");
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	json_t *rep = NULL;
	int rc = store_begin(s, STORE_READ, &err);
	if (rc == GG_OK) {
		rc = store_check_grids(s, under, tol, &rep, &err);
		store_rollback(s);
	}
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	long long errors = json_integer_value(json_object_get(rep, "errors"));
	if (json) {
		json_dumpf(rep, stdout, JSON_INDENT(2) | JSON_REAL_PRECISION(10));
		fputc('\n', stdout);
	} else {
		const json_t *ck = json_object_get(rep, "checked");
		printf("checked %lld nodes (%lld with geometry, %lld basic grids)\n",
		       json_integer_value(json_object_get(ck, "nodes")),
		       json_integer_value(json_object_get(ck, "with_geometry")),
		       json_integer_value(json_object_get(ck, "grids")));
		size_t i;
		json_t *p;
		json_array_foreach(json_object_get(rep, "problems"), i, p)
		{
			printf("error %-20s %s", json_string_value(json_object_get(p, "kind")),
			       json_string_value(json_object_get(p, "message")));
			if (json_object_get(p, "lon"))
				printf(" at %.6f,%.6f", json_real_value(json_object_get(p, "lon")),
				       json_real_value(json_object_get(p, "lat")));
			putchar('\n');
		}
		printf("%lld error%s\n", errors, errors == 1 ? "" : "s");
	}
	json_decref(rep);
	return errors ? 1 : 0;
}

static const struct cli_kind kinds[] = {
	{"grids", check_grids},
	{"people", cli__check_people},
};

int cmd_check(int argc, char **argv)
{
	return cli_run_kind(kinds, sizeof(kinds) / sizeof(kinds[0]), "check", usage, argc, argv);
}
