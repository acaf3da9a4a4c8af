/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov stats rebuild: recompute every case summary (store_stats.h) from the cases, in
 * one transaction. The summaries are kept with every case change, so this is for a
 * database migrated while it held cases, a change of the platform's time zone, or a
 * check: rebuilt summaries equal to the live ones mean they were kept right.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/store_stats.h"

static const char usage[] =
    "usage: gridgov stats rebuild --db PATH\n\n"
    "Recompute the case summaries behind the indicators and the heat map from the cases,\n"
    "in one transaction (readers see the old ones until it commits). Days are counted in\n"
    "the platform's time zone. It holds the write lock throughout: stop the server first\n"
    "on a large database (its writes wait at most 10 s). 'gridgov init' and 'gridgov\n"
    "serve' rebuild by themselves when the summaries are missing or in another zone.\n";

int cmd_stats(int argc, char **argv)
{
	const char *db;
	int st = cli_sub_db_args(argc, argv, "rebuild", usage, &db);
	if (st >= 0)
		return st;
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	uint64_t t0 = clock_mono_ns();
	int64_t n = 0;
	/* the summaries being written stay in memory (allocated as used) */
	int rc = store_cache_size(s, (int64_t)1 << 30, &err);
	if (rc == GG_OK)
		rc = store_stats_rebuild(s, &n, &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("summaries rebuilt from %lld cases in %.2f s\n", (long long)n,
	       (double)(clock_mono_ns() - t0) / 1e9);
	return 0;
}
