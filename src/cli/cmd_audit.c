/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov audit verify: walk every case's trail and check its hash chain — each entry's
 * prev_hash must equal the hash of the entry before it, and its own hash must match its
 * fields. Any break (an edited, removed or reordered entry) is reported; exit 1 then.
 */
#include <stdio.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/store_case.h"

static const char usage[] = "usage: gridgov audit verify --db PATH\n\n"
			    "Check the hash chain of every case trail; exit 1 on any break.\n";

struct walk {
	int64_t case_id, seq, entries, cases, breaks;
	char prev[CASE_HASH_HEX];
};

static int check(const struct store_case_entry *e, void *arg)
{
	struct walk *w = arg;
	if (e->case_id != w->case_id) {
		w->case_id = e->case_id;
		w->seq = 0;
		w->cases++;
		memcpy(w->prev, case_genesis_hash, CASE_HASH_HEX);
	}
	w->entries++;
	char want[CASE_HASH_HEX];
	store_case_entry_hash(e, want);
	const char *why = NULL;
	if (e->seq != w->seq + 1)
		why = "entries missing before it";
	else if (strcmp(e->prev_hash, w->prev))
		why = "prev_hash does not match the entry before";
	else if (strcmp(e->hash, want))
		why = "hash does not match its fields (edited)";
	if (why) {
		w->breaks++;
		printf("break: case %lld entry %lld (%s): %s\n", (long long)e->case_id,
		       (long long)e->seq, e->action, why);
	}
	w->seq = e->seq;
	memcpy(w->prev, e->hash, CASE_HASH_HEX);
	return 0;
}

int cmd_audit(int argc, char **argv)
{
	const char *db;
	int st = cli_sub_db_args(argc, argv, "verify", usage, &db);
	if (st >= 0)
		return st;
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	struct walk w = {0};
	int rc = store_case_log_each(s, check, &w, &err);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("%lld cases, %lld trail entries, %lld breaks\n", (long long)w.cases,
	       (long long)w.entries, (long long)w.breaks);
	return w.breaks ? 1 : 0;
}
