/* SPDX-License-Identifier: Apache-2.0 */
/* gridgov import KIND: load reference and base data into a database. */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"

static const char usage[] =
	"usage: gridgov import KIND --db PATH FILE [options]\n\n"
	"kinds:\n"
	"  divisions  the district › street › community tree (CSV code,name,level,parent_code)\n"
	"             --district CODE  load only that district\n"
	"  geojson    grid-tree nodes with Polygon/MultiPolygon geometry (GeoJSON\n"
	"             FeatureCollection, properties code,name,level,parent_code)\n"
	"  people     buildings, houses, households, residents (docs/people-csv.md)\n"
	"             --skip-bad-rows, --legacy, --create-grids (see 'import people --help')\n"
	"  categories the case category catalog (data/categories.csv)\n"
	"  hotline    12345 work orders (see 'import hotline --help')\n";

static int import_divisions(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"district", required_argument, 0, 'D'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *district = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'D')
			district = optarg;
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind != argc - 1)
		return cli_fail("import divisions wants exactly one FILE");
	if (district && grid_level_of_code(district) != GRID_DISTRICT)
		return cli_fail("--district wants a 6-digit district code, not '%s'", district);
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	struct cli_division_counts n;
	int rc = cli__import_divisions(s, argv[optind], district, &n, &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("imported %lld districts, %lld streets, %lld communities\n",
	       (long long)n.by_level[GRID_DISTRICT], (long long)n.by_level[GRID_STREET],
	       (long long)n.by_level[GRID_COMMUNITY]);
	return 0;
}

static int import_categories(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *db = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind != argc - 1)
		return cli_fail("import categories wants exactly one FILE");
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	int64_t n;
	int rc = cli__import_categories(s, argv[optind], &n, &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("imported %lld categories\n", (long long)n);
	return 0;
}

static const struct cli_kind kinds[] = {
	{"divisions", import_divisions},
	{"geojson", cli__import_geojson},
	{"people", cli__import_people},
	{"categories", import_categories},
	{"hotline", cli__import_hotline},
};

int cmd_import(int argc, char **argv)
{
	return cli_run_kind(kinds, sizeof(kinds) / sizeof(kinds[0]), "import", usage, argc, argv);
}
