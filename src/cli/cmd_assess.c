/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov assess: a ranking 考核排名 of one kind of subject for one period, as the API's
 * GET /api/v1/rankings computes it (the scheme in force, the counts, scores, grades and
 * shared ranks, the change against the previous period), printed as a table or JSON.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/assess_run.h"
#include "gridgov/clock.h"

static const char usage[] =
    "usage: gridgov assess --db PATH --kind K --period P --at DATE [--under CODE] [--worst]\n"
    "                      [--json]\n\n"
    "Score and rank every subject of kind K (worker, department, region, operator) under\n"
    "CODE (default: all; regions are CODE's children) for the week, month, quarter or year\n"
    "(China time) holding DATE (YYYY-MM-DD). Subjects below the scheme's minimum volume\n"
    "are listed without a rank. --json prints what GET /api/v1/rankings answers.\n";

int cmd_assess(int argc, char **argv)
{
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"kind", required_argument, 0, 'k'},
					     {"period", required_argument, 0, 'p'},
					     {"at", required_argument, 0, 'a'},
					     {"under", required_argument, 0, 'u'},
					     {"json", no_argument, 0, 'j'},
					     {"worst", no_argument, 0, 'w'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *db = NULL, *kind = NULL, *period = "month", *at = NULL, *under = "";
	int as_json = 0, worst = 0, c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case 'd':
			db = optarg;
			break;
		case 'k':
			kind = optarg;
			break;
		case 'p':
			period = optarg;
			break;
		case 'a':
			at = optarg;
			break;
		case 'u':
			under = optarg;
			break;
		case 'j':
			as_json = 1;
			break;
		case 'w':
			worst = 1;
			break;
		default:
			return cli_usage(usage, c == 'h');
		}
	}
	struct assess_query q = {.under = under, .worst_first = worst};
	int k = assess_kind_parse(kind ? kind : ""), p = assess_period_parse(period);
	if (k < 0)
		return cli_fail("--kind is worker, department, region or operator");
	if (p < 0)
		return cli_fail("--period is week, month, quarter or year");
	int64_t t = clock_now();
	if (at && clock_parse_bound(at, 0, &t))
		return cli_fail("--at is a date YYYY-MM-DD, not '%s'", at);
	q.kind = (enum assess_kind)k;
	q.period = (enum assess_period)p;
	q.at_day = clock_local_day(t);
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	struct arena *a = arena_new();
	struct assess_result r;
	uint64_t t0 = clock_mono_ns();
	int rc = store_begin(s, STORE_READ, &err);
	if (rc == GG_OK) {
		rc = assess_run(s, &q, a, &r, &err);
		store_rollback(s);
	}
	double secs = (double)(clock_mono_ns() - t0) / 1e9;
	store_close(s);
	if (rc) {
		arena_free(a);
		return cli_fail_err(&err);
	}
	if (as_json) {
		json_t *j = assess_result_json(&q, &r);
		json_dumpf(j, stdout, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
		putchar('\n');
		json_decref(j);
	} else {
		char from[16], to[16];
		clock_format_local_date(clock_day_start(r.from), from, sizeof(from));
		clock_format_local_date(clock_day_start(r.to - 1), to, sizeof(to));
		printf("%s %s %s … %s, scheme v%d, %zu subjects (%.2f s)\n", kind, period, from, to,
		       r.scheme.version, r.n, secs);
		printf("%5s  %-20s %-24s %7s %5s", "rank", "subject", "name", "score", "grade");
		for (size_t i = 0; i < r.scheme.nind; i++)
			printf("  %s", r.scheme.ind[i].name);
		putchar('\n');
		for (size_t i = 0; i < r.n; i++) {
			const struct assess_subject *x = &r.v[i];
			char rank[16] = "-", score[16] = "-";
			if (x->rank)
				snprintf(rank, sizeof(rank), "%d", x->rank);
			if (x->scored)
				snprintf(score, sizeof(score), "%.2f", x->score);
			printf("%5s  %-20s %-24s %7s %5s", rank, x->id, x->name, score, x->grade);
			for (size_t k2 = 0; k2 < r.scheme.nind; k2++) {
				const struct assess_indicator *d = &r.scheme.ind[k2];
				if (d->form == ASSESS_RELATIVE)
					printf("  %lld", (long long)x->c[d->num]);
				else
					printf("  %lld/%lld", (long long)x->c[d->num],
					       (long long)x->c[d->den]);
			}
			if (x->small)
				printf("  (below the minimum volume)");
			putchar('\n');
		}
	}
	arena_free(a);
	return 0;
}
