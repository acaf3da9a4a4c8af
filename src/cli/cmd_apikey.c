/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov apikey add: a key for a system feeding the intake channels (the 12345 gateway,
 * Open311 clients). The key is printed once; only its hash is stored. A key that a client
 * already holds from the system gridgov replaces can be carried over (--key-stdin) if it
 * meets the floor of sec_key_check; a weaker one is refused, never stored with a warning:
 * a key is the only secret of a client that may file cases.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/sec.h"
#include "gridgov/store_intake.h"

static const char usage[] =
    "usage: gridgov apikey add --db PATH --name NAME [--scope CODE] [--key-stdin]\n\n"
    "Create an API key and print it once (it cannot be shown again; only its hash is\n"
    "kept). Clients send it as the X-API-Key header or an api_key field on the routes\n"
    "that take keys (the intake channels), where it acts as an operator of its scope\n"
    "(default: the whole tree).\n\n"
    "  --key-stdin  carry over a key the client already has (from the system gridgov\n"
    "               replaces): read it from the first line of standard input instead of\n"
    "               making one. It must have 24 to 128 printable ASCII characters\n"
    "               without spaces, at least 10 of them different; weaker keys are\n"
    "               refused (issue the client a new key instead).\n";

static int apikey_add(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, 0, 'd'},	  {"name", required_argument, 0, 'n'},
	    {"scope", required_argument, 0, 's'}, {"key-stdin", no_argument, 0, 'k'},
	    {"help", no_argument, 0, 'h'},	  {0, 0, 0, 0}};
	const char *db = NULL, *name = NULL, *scope = "";
	int c, from_stdin = 0;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 'n')
			name = optarg;
		else if (c == 's')
			scope = optarg;
		else if (c == 'k')
			from_stdin = 1;
		else
			return cli_usage(usage, c == 'h');
	}
	if (!name || !*name)
		return cli_fail("--name is required");
	if (strlen(name) >= sizeof(((struct store_apikey *)0)->name))
		return cli_fail("--name is too long");
	if (*scope && grid_level_of_code(scope) == GRID_LEVEL_NONE)
		return cli_fail("--scope '%s' is not a grid code", scope);
	struct err err = ERR_INIT;
	char key[SEC_KEY_MAX + 3], hash[SEC_TOKEN_HASH_LEN];
	if (from_stdin) {
		if (!fgets(key, sizeof(key), stdin))
			return cli_fail("--key-stdin: no key on standard input");
		key[strcspn(key, "\r\n")] = 0;
		if (sec_key_check(key, &err)) {
			memset(key, 0, sizeof(key));
			return cli_fail("--key-stdin: %s", err.msg);
		}
	} else {
		sec_token_new(key);
	}
	sec_token_hash(key, hash);
	struct store *s;
	if (cli_open_db(db, &s, &err)) {
		memset(key, 0, sizeof(key));
		return cli_fail_err(&err);
	}
	struct grid_node g;
	if (*scope && store_grid_get(s, scope, &g, &err)) {
		store_close(s);
		memset(key, 0, sizeof(key));
		return cli_fail("--scope %s is not in the grid tree", scope);
	}
	int64_t id = 0;
	int rc = store_apikey_add(s, name, hash, scope, clock_now(), &id, &err);
	store_close(s);
	if (rc) {
		memset(key, 0, sizeof(key));
		return cli_fail_err(&err);
	}
	if (from_stdin) {
		fprintf(stderr, "API key %s carried over (id %lld)\n", name, (long long)id);
	} else {
		printf("%s\n", key);
		fprintf(stderr, "API key %s created (id %lld); it is shown only this once\n", name,
			(long long)id);
	}
	memset(key, 0, sizeof(key));
	return 0;
}

int cmd_apikey(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return apikey_add(argc - 1, argv + 1);
	return cli_usage(usage,
			 argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")));
}
