/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov locate: the deepest grid-tree node containing a point, with its ancestors,
 * using the same index the server builds (see loc.h for the rule on shared edges).
 */
#include <stdio.h>
#include <stdlib.h>

#include "cli/cli_int.h"
#include "gridgov/loc.h"
#include "gridgov/store_geo.h"

static const char usage[] =
	"usage: gridgov locate --db PATH LON LAT\n\n"
	"Print the deepest grid-tree node whose polygon covers the point (WGS 84) and its\n"
	"ancestors, one per line (level code name). A point on an edge shared by siblings\n"
	"goes to the one with the lowest code. Exit status 1 when the point is outside\n"
	"the map (\"outside the district\").\n";

int cmd_locate(int argc, char **argv)
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
	if (optind != argc - 2)
		return cli_fail("locate wants LON LAT");
	char *end1, *end2;
	double lon = strtod(argv[optind], &end1), lat = strtod(argv[optind + 1], &end2);
	if (*end1 || *end2 || lon < -180 || lon > 180 || lat < -90 || lat > 90)
		return cli_fail("LON LAT must be WGS 84 degrees, not '%s %s'", argv[optind],
				argv[optind + 1]);
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	struct arena *a = arena_new();
	struct store_geom *g;
	size_t n;
	int rc = store_geom_list(s, "", GRID_LEVEL_NONE, a, &g, &n, &err);
	struct loc_index *idx = NULL;
	if (rc == GG_OK) {
		struct loc_item *items = arena_zalloc(a, (n ? n : 1) * sizeof(*items));
		for (size_t i = 0; i < n; i++)
			items[i] = (struct loc_item){g[i].node.code, g[i].node.name, g[i].node.level,
						     g[i].wkb, g[i].wkb_len};
		rc = loc_index_build(items, n, &idx, &err);
	}
	if (rc) {
		arena_free(a);
		store_close(s);
		return cli_fail_err(&err);
	}
	struct loc_hit hit;
	int found = loc_index_find(idx, lon, lat, &hit);
	if (!found) {
		printf("outside the district: no grid covers %.7f %.7f\n", lon, lat);
	} else {
		/* ancestors first, from the district down */
		char chain[GRID_LEVEL_MAX][GRID_CODE_MAX];
		int depth = 0;
		snprintf(chain[depth++], GRID_CODE_MAX, "%s", hit.code);
		while (depth < GRID_LEVEL_MAX && grid_code_parent(chain[depth - 1], chain[depth]) == 0 &&
		       chain[depth][0])
			depth++;
		for (int i = depth - 1; i >= 0; i--) {
			struct grid_node node;
			if (store_grid_get(s, chain[i], &node, &err) == GG_OK)
				printf("%-10s %-18s %s\n", grid_level_name(node.level), node.code,
				       node.name);
		}
	}
	loc_index_free(idx);
	arena_free(a);
	store_close(s);
	return found ? 0 : 1;
}
