/* SPDX-License-Identifier: Apache-2.0 */
/* gridgov init: create a database or bring its schema up to date. */
#include <stdio.h>

#include "cli/cli_int.h"
#include "gridgov/pii.h"
#include "gridgov/store_stats.h"

static const char usage[] =
	"usage: gridgov init --db PATH\n\n"
	"Create the database at PATH, or apply the migrations it lacks. Running it again on\n"
	"an up-to-date database changes nothing.\n\n"
	"It also creates PATH.key (mode 0600), the key that encrypts ID and phone numbers;\n"
	"an existing key file is kept. Back it up: without it they cannot be read.\n";

int cmd_init(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	const char *db = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else
			return cli_usage(usage, c == 'h');
	}
	struct store *s;
	struct err err = ERR_INIT;
	int from, to;
	if (cli_init_db(db, &s, &from, &to, &err))
		return cli_fail_err(&err);
	/* a database that held cases before the summaries existed gets them now */
	int ready = 1;
	int64_t cases;
	if (store_stats_ready(s, &ready, &err) ||
	    (!ready && store_stats_rebuild(s, &cases, &err))) {
		store_close(s);
		return cli_fail_err(&err);
	}
	store_close(s);
	if (!ready)
		printf("case summaries rebuilt from %lld cases\n", (long long)cases);
	char kp[PII_KEY_PATH_MAX];
	int created;
	pii_key_path(db, kp);
	if (pii_key_create(kp, &created, &err))
		return cli_fail_err(&err);
	if (created)
		printf("created key file %s (mode 0600)\n", kp);
	if (from == to)
		printf("database %s is up to date (schema %d)\n", db, to);
	else
		printf("database %s migrated from schema %d to %d\n", db, from, to);
	return 0;
}
