/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov import hotline: a day's 12345 work orders from CSV, each through the same path
 * as POST /api/v1/intake/hotline (idempotent on order_no, so a file may be loaded again).
 * A progress bar runs on a terminal; every bad row is reported as line, field and reason
 * and leaves nothing behind, while the good rows are kept.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/api.h"
#include "gridgov/csv.h"

static const char usage[] =
    "usage: gridgov import hotline --db PATH FILE.csv [--scope CODE]\n\n"
    "Load 12345 work orders. Columns (header row, any order): order_no, content\n"
    "(required), received_at, caller_name, caller_phone, address, lon, lat,\n"
    "category_hint, deadline (times RFC 3339). An order already taken is skipped\n"
    "(counted as a duplicate). Bad rows are reported on stderr as\n"
    "'FILE:LINE: FIELD: REASON' and skipped; the good rows are kept. Exit status 1 when\n"
    "any row was bad. A database failure imports nothing.\n\n"
    "  --scope CODE  grid for orders whose place the map cannot find (e.g. the\n"
    "                district); without it such orders are bad rows\n";

static const char *const columns[] = {"order_no",      "received_at", "caller_name", "caller_phone",
				      "content",       "address",     "lon",	     "lat",
				      "category_hint", "deadline"};
#define NCOLS (sizeof(columns) / sizeof(columns[0]))

int cli__import_hotline(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"scope", required_argument, 0, 's'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *scope = "";
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 's')
			scope = optarg;
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind != argc - 1)
		return cli_fail("import hotline wants exactly one FILE");
	const char *file = argv[optind];
	struct err err = ERR_INIT;
	struct store *s;
	if (cli_open_db(db, &s, &err)) /* exists and is initialised */
		return cli_fail_err(&err);
	store_close(s);
	FILE *f = fopen(file, "r");
	if (!f)
		return cli_fail("cannot open %s", file);
	struct csv csv;
	csv_init(&csv, f);
	if (csv_next(&csv) != 1) {
		csv_release(&csv);
		fclose(f);
		return cli_fail("%s: no header row", file);
	}
	int idx[NCOLS];
	for (size_t i = 0; i < NCOLS; i++)
		idx[i] = csv_find(&csv, columns[i]);
	if (idx[0] < 0 || idx[4] < 0) {
		csv_release(&csv);
		fclose(f);
		return cli_fail("%s: the header must name order_no and content", file);
	}
	int64_t total = 0;
	while (csv_next(&csv) != 0)
		total++;
	csv_release(&csv);
	rewind(f);
	csv_init(&csv, f);
	(void)csv_next(&csv); /* the header again */

	struct api_intake *x;
	if (api_intake_open(db, scope, &x, &err)) {
		csv_release(&csv);
		fclose(f);
		return cli_fail_err(&err);
	}
	struct cli_progress bar;
	cli_progress_start(&bar, "hotline orders", total);
	long long taken = 0, dups = 0, bad = 0;
	int rc;
	while ((rc = csv_next(&csv)) != 0) {
		if (rc < 0 && csv.bad_col < 0)
			break; /* broken quoting: the rest cannot be trusted */
		if (rc < 0) {
			/* a row whose text is not UTF-8: refuse that row, by its line */
			const char *col = NULL;
			for (size_t i = 0; i < NCOLS && !col; i++)
				if (idx[i] == csv.bad_col)
					col = columns[i];
			bad++;
			fprintf(stderr, "%s:%ld: %s: %s\n", file, csv.line, col ? col : "-",
				utf8_fault_text((enum utf8_fault)csv.bad_fault));
			cli_progress_step(&bar, 1);
			continue;
		}
		const char *vals[NCOLS];
		for (size_t i = 0; i < NCOLS; i++)
			vals[i] = idx[i] >= 0 ? csv_get(&csv, idx[i]) : NULL;
		int64_t case_id;
		int dup;
		struct err e = ERR_INIT;
		int r = api_intake_hotline_row(x, columns, vals, NCOLS, &case_id, &dup, &e);
		if (err_http_status(r) >= 500) {
			/* the database, not the row: keep nothing rather than a partial day */
			cli_progress_end(&bar);
			csv_release(&csv);
			fclose(f);
			api_intake_close(x, 0, NULL);
			return cli_fail("%s:%ld: %s; nothing imported", file, csv.line,
					err_msg(&e));
		}
		if (r) {
			bad++;
			fprintf(stderr, "%s:%ld: %s: %s\n", file, csv.line,
				e.field[0] ? e.field : "-", err_msg(&e));
		} else if (dup) {
			dups++;
		} else {
			taken++;
		}
		cli_progress_step(&bar, 1);
	}
	cli_progress_end(&bar);
	long line = csv.line;
	csv_release(&csv);
	fclose(f);
	if (rc < 0) {
		api_intake_close(x, 0, NULL);
		return cli_fail("%s:%ld: malformed CSV; nothing imported", file, line);
	}
	if (api_intake_close(x, 1, &err))
		return cli_fail_err(&err);
	printf("hotline orders: %lld new cases, %lld already taken, %lld bad rows\n", taken, dups,
	       bad);
	return bad ? 1 : 0;
}
