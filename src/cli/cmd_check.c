/* SPDX-License-Identifier: Apache-2.0 */
/* gridgov check KIND: data-quality checks, one kind per entry of the table. */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"

static const char usage[] =
    "usage: gridgov check KIND --db PATH [options]\n\n"
    "kinds:\n"
    "  people  faults in people-and-housing data (see 'gridgov check people --help')\n";

static const struct {
	const char *kind;
	int (*fn)(int argc, char **argv);
} kinds[] = {
    {"people", cli__check_people},
};

int cmd_check(int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(usage, 0);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cli_usage(usage, 1);
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(kinds[i].kind, argv[1]))
			return kinds[i].fn(argc - 1, argv + 1);
	return cli_fail("unknown check kind '%s' (see 'gridgov check --help')", argv[1]);
}
