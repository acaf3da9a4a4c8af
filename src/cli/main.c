/* SPDX-License-Identifier: Apache-2.0 */
/* Entry point of the gridgov command: picks the subcommand from the table. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"
#include "gridgov/sec.h"

const struct cli_cmd cli__commands[] = {
	{"init", cmd_init, "create or migrate a database"},
	{"serve", cmd_serve, "run the HTTP server"},
	{"user", cmd_user, "manage users (user add)"},
	{"import", cmd_import, "load data (divisions, geojson, categories, people)"},
	{"demo", cmd_demo, "build a demo database of a real district"},
	{"locate", cmd_locate, "the grid containing a point (lon lat)"},
	{"check", cmd_check, "check data (check grids, check people)"},
	{"audit", cmd_audit, "check the hash chain of case trails (audit verify)"},
	{"apikey", cmd_apikey, "API keys for intake clients (apikey add)"},
	{"device", cmd_device, "sensors and cameras raising alarms (device add)"},
	{"stats", cmd_stats, "recompute the case summaries (stats rebuild)"},
	{"province", cmd_province, "a province view of cities (province publish|subscribe)"},
	{"assess", cmd_assess, "score and rank workers, departments, regions (assess)"},
	{NULL, NULL, NULL},
};

static int help(FILE *out)
{
	fprintf(out, "usage: gridgov COMMAND [options]\n\n"
		     "网格化社会治理平台 gridgov %s — grid-based community governance.\n\n"
		     "commands:\n",
		GRIDGOV_VERSION);
	for (const struct cli_cmd *c = cli__commands; c->name; c++)
		fprintf(out, "  %-8s %s\n", c->name, c->summary);
	fprintf(out, "\n'gridgov COMMAND --help' describes a command.\n");
	return out == stdout ? 0 : 2;
}

int main(int argc, char **argv)
{
	if (sec_init() != 0)
		return cli_fail("libsodium failed to initialise");
	const char *lvl = getenv("GRIDGOV_LOG");
	if (lvl && log_level_parse(lvl) >= 0)
		log_set_level((enum log_level)log_level_parse(lvl));
	/* The platform's time zone: every day, week and month is one of its periods. */
	const char *zone = getenv("GRIDGOV_TIME_ZONE");
	if (zone && *zone && clock_set_zone(zone) != 0)
		return cli_fail("GRIDGOV_TIME_ZONE: '%s' is not a known time zone with one fixed"
				" offset (e.g. Asia/Shanghai or +08:00)",
				zone);
	if (argc < 2)
		return help(stderr);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))
		return help(stdout);
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("gridgov %s\n", GRIDGOV_VERSION);
		return 0;
	}
	for (const struct cli_cmd *c = cli__commands; c->name; c++)
		if (!strcmp(c->name, argv[1]))
			return c->fn(argc - 1, argv + 1);
	cli_fail("unknown command '%s' (see 'gridgov --help')", argv[1]);
	return 2;
}
