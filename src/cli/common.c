/* SPDX-License-Identifier: Apache-2.0 */
/* Helpers every subcommand shares: errors, usage, opening databases, progress bars. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"

int cli_fail(const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	fputs("gridgov: error: ", stderr);
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	return 1;
}

int cli_fail_err(const struct err *err)
{
	return cli_fail("%s", err_msg(err));
}

int cli_usage(const char *text, int ok)
{
	fputs(text, ok ? stdout : stderr);
	return ok ? 0 : 2;
}

int cli_run_kind(const struct cli_kind *kinds, size_t n, const char *cmd, const char *usage,
		 int argc, char **argv)
{
	if (argc < 2)
		return cli_usage(usage, 0);
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
		return cli_usage(usage, 1);
	for (size_t i = 0; i < n; i++)
		if (!strcmp(kinds[i].kind, argv[1]))
			return kinds[i].fn(argc - 1, argv + 1);
	return cli_fail("unknown %s kind '%s' (see 'gridgov %s --help')", cmd, argv[1], cmd);
}

int cli_open_db(const char *path, struct store **out, struct err *err)
{
	struct stat st;
	if (!path)
		return err_set(err, GG_EINVAL, "--db PATH is required");
	if (!strstr(path, "://") && stat(path, &st) != 0)
		return err_set(err, GG_ENOTFOUND, "database %s does not exist: run 'gridgov init --db %s'",
			       path, path);
	int r = store_open(path, out, err), v = 0;
	if (r)
		return r;
	if ((r = store_schema_version(*out, &v, err)) || v == 0) {
		store_close(*out);
		*out = NULL;
		return r ? r : err_set(err, GG_EINVAL, "database %s is not initialised: run 'gridgov init --db %s'",
				       path, path);
	}
	return GG_OK;
}

int cli_init_db(const char *path, struct store **out, int *from, int *to, struct err *err)
{
	if (!path)
		return err_set(err, GG_EINVAL, "--db PATH is required");
	int r = store_open(path, out, err);
	if (r)
		return r;
	if ((r = store_migrate(*out, from, to, err))) {
		store_close(*out);
		*out = NULL;
	}
	return r;
}

const char *cli_data_dir(const char *opt)
{
	if (opt)
		return opt;
	const char *env = getenv("GRIDGOV_DATA");
	return env && *env ? env : GRIDGOV_DATADIR;
}

void cli_progress_start(struct cli_progress *p, const char *what, int64_t total)
{
	p->what = what;
	p->total = total;
	p->done = 0;
	p->tty = isatty(STDERR_FILENO);
	p->last_ns = 0;
}

static void draw(struct cli_progress *p)
{
	int width = 30;
	int64_t total = p->total > 0 ? p->total : 1;
	int filled = (int)(width * (p->done > total ? total : p->done) / total);
	fprintf(stderr, "\r%-12s [", p->what);
	for (int i = 0; i < width; i++)
		fputc(i < filled ? '#' : '.', stderr);
	fprintf(stderr, "] %lld/%lld", (long long)p->done, (long long)p->total);
	fflush(stderr);
}

void cli_progress_step(struct cli_progress *p, int64_t n)
{
	p->done += n;
	if (!p->tty)
		return;
	uint64_t now = clock_mono_ns();
	if (now - p->last_ns > 100000000ull) {
		p->last_ns = now;
		draw(p);
	}
}

void cli_progress_end(struct cli_progress *p)
{
	if (!p->tty)
		return;
	draw(p);
	fputc('\n', stderr);
}

int cli_sub_db_args(int argc, char **argv, const char *sub, const char *usage, const char **db)
{
	static const struct option opts[] = {
	    {"db", required_argument, 0, 'd'}, {"help", no_argument, 0, 'h'}, {0, 0, 0, 0}};
	if (argc < 2 || strcmp(argv[1], sub))
		return cli_usage(usage, argc >= 2 &&
					    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")));
	const char *cmd = argv[0];
	argc--;
	argv++;
	*db = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			*db = optarg;
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind != argc)
		return cli_fail("%s %s takes no arguments besides --db", cmd, sub);
	return -1;
}
