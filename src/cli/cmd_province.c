/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov province publish|subscribe|unsubscribe: the province view by PostgreSQL logical
 * replication (store_province.h, docs/postgres.md). A city publishes its case summaries
 * under its name; a province database subscribes to each city; `gridgov serve
 * --province` then serves the indicators over all of them, read-only.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/store_province.h"

static const char usage[] =
    "usage: gridgov province publish --db CITY_URI --city NAME\n"
    "       gridgov province subscribe --db PROVINCE_URI --city NAME=CITY_URI [--city ...]\n"
    "       gridgov province unsubscribe --db PROVINCE_URI --city NAME [--city ...]\n\n"
    "The province view (PostgreSQL only). 'publish' tags the city database's case\n"
    "summaries with the city's NAME (a-z, 0-9, _) and publishes them (publication\n"
    "gridgov_province; the city's server needs wal_level=logical). 'subscribe' makes an\n"
    "initialised database a province's and subscribes it to each city, reached at\n"
    "CITY_URI from the province's server (a superuser's connection). Then\n"
    "'gridgov serve --db PROVINCE_URI --province' serves the indicators of all cities.\n"
    "'unsubscribe' drops a city's subscription (and its slot on the city, which must be\n"
    "reachable) and removes the city's rows from the province.\n";

/* --db and one or more --city after the subcommand's name */
static int args(int argc, char **argv, const char **db, const char **cities, int *ncities,
		int max)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"city", required_argument, 0, 'c'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	int c;
	*db = NULL;
	*ncities = 0;
	optind = 1;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			*db = optarg;
		else if (c == 'c' && *ncities < max)
			cities[(*ncities)++] = optarg;
		else if (c == 'c')
			return cli_fail("at most %d --city at once", max);
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind < argc)
		return cli_fail("unexpected argument '%s' (see 'gridgov province --help')",
				argv[optind]);
	if (!*db)
		return cli_fail("--db URI is required");
	if (!*ncities)
		return cli_fail("--city is required");
	return -1;
}

static int publish(int argc, char **argv)
{
	const char *db, *city[1];
	int n, st = args(argc, argv, &db, city, &n, 1);
	if (st >= 0)
		return st;
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	int rc = store_province_publish(s, city[0], &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("city %s: case summaries published (gridgov_province)\n", city[0]);
	return 0;
}

static int subscribe(int argc, char **argv)
{
	const char *db, *city[64];
	int n, st = args(argc, argv, &db, city, &n, 64);
	if (st >= 0)
		return st;
	for (int i = 0; i < n; i++) {
		const char *eq = strchr(city[i], '=');
		if (!eq || eq == city[i] || !eq[1])
			return cli_fail("--city wants NAME=CITY_URI, not '%s'", city[i]);
	}
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	int rc = GG_OK;
	for (int i = 0; i < n && rc == GG_OK; i++) {
		const char *eq = strchr(city[i], '=');
		char name[STORE_CITY_MAX + 1];
		snprintf(name, sizeof(name), "%.*s", (int)(eq - city[i]), city[i]);
		if ((size_t)(eq - city[i]) >= sizeof(name))
			rc = err_set(&err, GG_EINVAL, "city name '%.*s' is too long",
				     (int)(eq - city[i]), city[i]);
		else if ((rc = store_province_subscribe(s, name, eq + 1, &err)) == GG_OK)
			printf("province subscribes to city %s\n", name);
	}
	store_close(s);
	return rc ? cli_fail_err(&err) : 0;
}

static int unsubscribe(int argc, char **argv)
{
	const char *db, *city[64];
	int n, st = args(argc, argv, &db, city, &n, 64);
	if (st >= 0)
		return st;
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	int rc = GG_OK;
	for (int i = 0; i < n && rc == GG_OK; i++)
		if ((rc = store_province_unsubscribe(s, city[i], &err)) == GG_OK)
			printf("province no longer subscribes to city %s; its rows are removed\n",
			       city[i]);
	store_close(s);
	return rc ? cli_fail_err(&err) : 0;
}

static const struct cli_kind kinds[] = {
	{"publish", publish},
	{"subscribe", subscribe},
	{"unsubscribe", unsubscribe},
};

int cmd_province(int argc, char **argv)
{
	return cli_run_kind(kinds, sizeof(kinds) / sizeof(kinds[0]), "province", usage, argc,
			    argv);
}
