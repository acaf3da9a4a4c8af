/* SPDX-License-Identifier: Apache-2.0 */
/* gridgov user add: create a user; the password comes from standard input only. */
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "gridgov/sec.h"

static const char usage[] =
	"usage: gridgov user add --db PATH --name NAME --role ROLE [--scope GRIDCODE]\n"
	"                        [--dept CODE]\n\n"
	"Create a user. The password is read from standard input (one line; at least 8\n"
	"characters), never from the command line.\n\n"
	"  roles: admin, operator (坐席), leader, street, community, grid_worker, department\n"
	"  --scope GRIDCODE  the grid-tree node the user works in (required except for admin)\n"
	"  --dept CODE       the department (required for department users)\n";

static int read_password(char *out, size_t n)
{
	int tty = isatty(STDIN_FILENO);
	struct termios old, quiet;
	if (tty) {
		fprintf(stderr, "password: ");
		tcgetattr(STDIN_FILENO, &old);
		quiet = old;
		quiet.c_lflag &= ~(tcflag_t)ECHO;
		tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
	}
	char *got = fgets(out, (int)n, stdin);
	if (tty) {
		tcsetattr(STDIN_FILENO, TCSANOW, &old);
		fputc('\n', stderr);
	}
	if (!got)
		return -1;
	out[strcspn(out, "\r\n")] = 0;
	return 0;
}

static int user_add(int argc, char **argv)
{
	static const struct option opts[] = {
		{"db", required_argument, 0, 'd'},    {"name", required_argument, 0, 'n'},
		{"role", required_argument, 0, 'r'},  {"scope", required_argument, 0, 's'},
		{"dept", required_argument, 0, 'p'},  {"help", no_argument, 0, 'h'},
		{0, 0, 0, 0}};
	const char *db = NULL, *name = NULL, *role = NULL, *scope = "", *dept = "";
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd': db = optarg; break;
		case 'n': name = optarg; break;
		case 'r': role = optarg; break;
		case 's': scope = optarg; break;
		case 'p': dept = optarg; break;
		default: return cli_usage(usage, c == 'h');
		}
	}
	if (!name || !*name)
		return cli_fail("--name is required");
	if (strlen(name) >= ROLE_NAME_MAX)
		return cli_fail("--name is too long (at most %d bytes)", ROLE_NAME_MAX - 1);
	if (!role)
		return cli_fail("--role is required");
	int r = role_parse(role);
	if (r < 0)
		return cli_fail("unknown role '%s' (see 'gridgov user add --help')", role);
	if (*scope && grid_level_of_code(scope) == GRID_LEVEL_NONE)
		return cli_fail("--scope '%s' is not a grid code", scope);
	if (r != ROLE_ADMIN && r != ROLE_DEPARTMENT && !*scope)
		return cli_fail("role %s needs --scope GRIDCODE", role);
	if (r == ROLE_DEPARTMENT && !*dept)
		return cli_fail("role department needs --dept CODE");
	if (strlen(dept) >= ROLE_DEPT_MAX)
		return cli_fail("--dept is too long");

	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	struct grid_node g;
	if (*scope && store_grid_get(s, scope, &g, &err)) {
		store_close(s);
		return cli_fail("--scope %s is not in the grid tree (import it first)", scope);
	}
	char pw[256];
	if (read_password(pw, sizeof(pw)) || strlen(pw) < 8) {
		store_close(s);
		return cli_fail("a password of at least 8 characters is required on standard input");
	}
	struct store_user u = {.active = 1};
	snprintf(u.who.name, sizeof(u.who.name), "%s", name);
	u.who.role = (enum role)r;
	snprintf(u.who.scope, sizeof(u.who.scope), "%s", scope);
	snprintf(u.who.dept, sizeof(u.who.dept), "%s", dept);
	int rc = sec_password_hash(pw, u.pwhash, &err);
	memset(pw, 0, sizeof(pw));
	int64_t id = 0;
	if (rc == GG_OK)
		rc = store_user_insert(s, &u, &id, &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("user %s (%s) created with id %lld\n", name, role, (long long)id);
	return 0;
}

int cmd_user(int argc, char **argv)
{
	if (argc >= 2 && !strcmp(argv[1], "add"))
		return user_add(argc - 1, argv + 1);
	if (argc >= 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
		return cli_usage(usage, 1);
	return cli_usage(usage, 0);
}
