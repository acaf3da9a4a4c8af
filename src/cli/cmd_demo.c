/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov demo: a database of one real district (default 四川省成都市青羊区, 510105) with
 * its streets and communities and one user per role, ready to serve.
 */
#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "gridgov/sec.h"

#define DEMO_PASSWORD "gridgov-demo"

static const char usage[] =
	"usage: gridgov demo [--district CODE] [--db PATH] [--data DIR] [--seed N] [--force]\n"
	"                   [--people N] [--no-users] [--cases N [--days D]]\n\n"
	"Build a demo database from the real division data of a district, its outline cut\n"
	"into streets, communities, grids (300–500 households) and micro-grids (~100).\n"
	"With --cases on an existing demo database, add cases to it instead.\n\n"
	"  --district CODE  510105 青羊区 (default), 621002 西峰区, 370202 市南区,\n"
	"                   340881 桐城市, 320105 建邺区\n"
	"  --db PATH        where to create it (default var/demo.db)\n"
	"  --data DIR       the data directory (default: the project's data/)\n"
	"  --seed N         seed of the generated map (default 1): same seed, same map\n"
	"  --force          replace an existing database at PATH\n"
	"  --people N       N synthetic residents in households, buildings and grids, with a\n"
	"                   few planted faults for 'check people' (default 2000; 940000 is\n"
	"                   Qingyang's real size; 0 for none)\n"
	"  --no-users       create no demo users (tests add their own)\n"
	"  --cases N        N cases reported over the last D days, each driven through the\n"
	"                   case loop as far as its story reaches by now (filed, dispatched,\n"
	"                   handled on time or late with their 督办 rounds, closed, rated...)\n"
	"  --days D         the window of --cases (default 30)\n";

struct demo_user {
	const char *name, *role, *dept;
	enum grid_level scope_level; /* GRID_LEVEL_NONE = no scope */
};

static const struct demo_user users[] = {
	{"admin", "admin", "", GRID_LEVEL_NONE},
	{"operator", "operator", "", GRID_DISTRICT},
	{"leader", "leader", "", GRID_DISTRICT},
	{"street", "street", "", GRID_STREET},
	{"community", "community", "", GRID_COMMUNITY},
	{"grid_worker", "grid_worker", "", GRID_GRID},
	{"department", "department", "CGZF", GRID_DISTRICT},
};

static int remove_db(const char *path)
{
	char extra[1100];
	if (unlink(path) != 0 && errno != ENOENT)
		return -1;
	snprintf(extra, sizeof(extra), "%s-wal", path);
	unlink(extra);
	snprintf(extra, sizeof(extra), "%s-shm", path);
	unlink(extra);
	return 0;
}

/*
 * Whether db already holds a database: a file at the path, or for a PostgreSQL URI (where
 * nothing can be stat'ed) a schema in it. *uri tells which.
 */
static int db_exists(const char *db, int *exists, int *uri, struct err *err)
{
	struct stat st;
	*exists = 0;
	*uri = strstr(db, "://") != NULL;
	if (!*uri) {
		*exists = stat(db, &st) == 0;
		return GG_OK;
	}
	struct store *s;
	int version = 0;
	int rc = store_open(db, &s, err);
	if (rc)
		return rc;
	rc = store_schema_version(s, &version, err);
	store_close(s);
	*exists = version > 0;
	return rc;
}

/* The first node of a level on the path down from the district (first by code). */
static int first_at(struct store *s, const char *district, enum grid_level level, char *out,
		    struct err *err)
{
	snprintf(out, GRID_CODE_MAX, "%s", district);
	for (enum grid_level l = GRID_DISTRICT; l < level; l++) {
		struct arena *a = arena_new();
		struct grid_node *kids;
		size_t n;
		int rc = store_grid_children(s, out, a, &kids, &n, err);
		if (rc == GG_OK && n == 0)
			rc = err_set(err, GG_ENOTFOUND, "%s has no children", out);
		if (rc == GG_OK)
			snprintf(out, GRID_CODE_MAX, "%s", kids[0].code);
		arena_free(a);
		if (rc)
			return rc;
	}
	return GG_OK;
}

static int add_cases(const char *db, const char *district, int64_t n, int days,
		     unsigned long seed)
{
	struct store *s;
	struct err err = ERR_INIT;
	int from, to;
	if (cli_init_db(db, &s, &from, &to, &err))
		return cli_fail_err(&err);
	int rc = cli__demo_cases(s, district, n, days, seed, &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	return 0;
}

int cmd_demo(int argc, char **argv)
{
	static const struct option opts[] = {
		{"district", required_argument, 0, 'D'}, {"db", required_argument, 0, 'd'},
		{"data", required_argument, 0, 'a'},	 {"force", no_argument, 0, 'f'},
		{"seed", required_argument, 0, 's'},	 {"people", required_argument, 0, 'p'},
		{"no-users", no_argument, 0, 'n'},	 {"help", no_argument, 0, 'h'},
		{"cases", required_argument, 0, 'c'},	 {"days", required_argument, 0, 'y'},
		{0, 0, 0, 0}};
	const char *district = "510105", *db = "var/demo.db", *data = NULL;
	int force = 0, no_users = 0, c;
	unsigned long seed = 1;
	long long people = 2000, ncases = 0, days = 30;
	char *end;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'D': district = optarg; break;
		case 'd': db = optarg; break;
		case 'a': data = optarg; break;
		case 'f': force = 1; break;
		case 'n': no_users = 1; break;
		case 's': seed = strtoul(optarg, NULL, 10); break;
		case 'p':
			people = strtoll(optarg, &end, 10);
			if (*end || people < 0 || people > 20000000)
				return cli_fail("--people wants a count, not '%s'", optarg);
			break;
		case 'c':
			ncases = strtoll(optarg, &end, 10);
			if (*end || ncases < 0 || ncases > 100000000)
				return cli_fail("--cases wants a count, not '%s'", optarg);
			break;
		case 'y':
			days = strtoll(optarg, &end, 10);
			if (*end || days < 1 || days > 3660)
				return cli_fail("--days wants 1 to 3660, not '%s'", optarg);
			break;
		default: return cli_usage(usage, c == 'h');
		}
	}
	if (grid_level_of_code(district) != GRID_DISTRICT)
		return cli_fail("--district wants a 6-digit district code, not '%s'", district);
	struct err err = ERR_INIT;
	int exists = 0, uri = 0;
	if (db_exists(db, &exists, &uri, &err))
		return cli_fail_err(&err);
	if (exists && ncases > 0 && !force) /* add cases to an existing demo */
		return add_cases(db, district, ncases, (int)days, seed);
	if (exists) {
		if (!force)
			return cli_fail("%s exists: pass --force to replace it", db);
		if (uri)
			return cli_fail("--force replaces a SQLite file only: drop the PostgreSQL "
					"database and create it empty instead");
		if (remove_db(db))
			return cli_fail("cannot remove %s", db);
	}
	if (!uri) {
		char dir[1024];
		snprintf(dir, sizeof(dir), "%s", db);
		mkdir(dirname(dir), 0755);
	}

	struct store *s;
	int from, to;
	if (cli_init_db(db, &s, &from, &to, &err))
		return cli_fail_err(&err);
	char file[1024];
	snprintf(file, sizeof(file), "%s/divisions/divisions.csv", cli_data_dir(data));
	struct cli_division_counts n;
	if (cli__import_divisions(s, file, district, &n, &err)) {
		store_close(s);
		return cli_fail_err(&err);
	}
	struct grid_node d;
	if (store_grid_get(s, district, &d, &err)) {
		store_close(s);
		return cli_fail_err(&err);
	}
	printf("demo district %s %s: %lld streets, %lld communities\n", d.code, d.name,
	       (long long)n.by_level[GRID_STREET], (long long)n.by_level[GRID_COMMUNITY]);
	int64_t ncat; /* cases: the category catalog */
	snprintf(file, sizeof(file), "%s/categories.csv", cli_data_dir(data));
	if (cli__import_categories(s, file, &ncat, &err)) {
		store_close(s);
		return cli_fail_err(&err);
	}
	printf("categories: %lld\n", (long long)ncat);

	int rc = store_begin(s, STORE_WRITE, &err);
	if (rc == GG_OK)
		rc = cli__demo_map(s, district, cli_data_dir(data), seed, &err);
	if (rc == GG_OK)
		rc = store_commit(s, &err);
	else
		store_rollback(s);
	if (rc) {
		store_close(s);
		return cli_fail_err(&err);
	}
	size_t nusers = no_users ? 0 : sizeof(users) / sizeof(users[0]);
	if (nusers) {
		printf("\ndemo logins (password for all: %s)\n", DEMO_PASSWORD);
		printf("  %-12s %-12s %s\n", "name", "role", "scope");
	}
	for (size_t i = 0; rc == GG_OK && i < nusers; i++) {
		struct store_user u = {.active = 1};
		snprintf(u.who.name, sizeof(u.who.name), "%s", users[i].name);
		u.who.role = (enum role)role_parse(users[i].role);
		snprintf(u.who.dept, sizeof(u.who.dept), "%s", users[i].dept);
		if (users[i].scope_level != GRID_LEVEL_NONE)
			rc = first_at(s, district, users[i].scope_level, u.who.scope, &err);
		if (rc == GG_OK)
			rc = sec_password_hash(DEMO_PASSWORD, u.pwhash, &err);
		if (rc == GG_OK)
			rc = store_user_insert(s, &u, NULL, &err);
		struct grid_node g = {0};
		if (rc == GG_OK && u.who.scope[0])
			rc = store_grid_get(s, u.who.scope, &g, &err);
		if (rc == GG_OK)
			printf("  %-12s %-12s %s %s%s%s\n", u.who.name, users[i].role,
			       u.who.scope[0] ? u.who.scope : "(all)", g.name,
			       u.who.dept[0] ? " dept " : "", u.who.dept);
	}
	if (rc == GG_OK && people > 0) {
		printf("\n");
		rc = cli__demo_people(s, db, district, people, &err);
	}
	if (rc == GG_OK && ncases > 0) {
		printf("\n");
		rc = cli__demo_cases(s, district, ncases, (int)days, seed, &err);
	}
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("\ndatabase: %s\n", db);
	return 0;
}
