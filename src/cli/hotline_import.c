/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov import hotline: a day's 12345 work orders from CSV, each through the domain's
 * svc_hotline_order like POST /api/v1/intake/hotline (same checks, locating, idempotency
 * on order_no and outbox, so a file may be loaded again), as an administrator of the
 * given scope, in one transaction with a savepoint per row. A progress bar runs on a
 * terminal; every bad row is reported as line, field and reason and leaves nothing
 * behind, while the good rows are kept.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/csv.h"
#include "gridgov/loc.h"
#include "gridgov/pii.h"
#include "gridgov/svc.h"

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

enum {
	C_ORDER,
	C_RECEIVED,
	C_NAME,
	C_PHONE,
	C_CONTENT,
	C_ADDRESS,
	C_LON,
	C_LAT,
	C_HINT,
	C_DEADLINE
};

static int locate(void *arg, double lon, double lat, char *code, struct err *err)
{
	const struct loc_index *idx = arg;
	struct loc_hit hit;
	if (!idx || !loc_index_find(idx, lon, lat, &hit))
		return err_set(err, GG_ENOTFOUND, "outside the map");
	snprintf(code, GRID_CODE_MAX, "%s", hit.code);
	return GG_OK;
}

/* A column's value, NULL when absent or empty (as the JSON route treats ""). */
static const char *val(const char *const *vals, int i)
{
	return vals[i] && *vals[i] ? vals[i] : NULL;
}

static int num(const char *const *vals, int i, double *out, int *has, struct err *err)
{
	const char *v = val(vals, i);
	char *end;
	*has = v != NULL;
	if (!v)
		return GG_OK;
	*out = strtod(v, &end);
	if (*end || end == v || !isfinite(*out))
		return err_field(err, GG_EFIELD, columns[i], "field '%s' must be a number",
				 columns[i]);
	return GG_OK;
}

static int when(const char *const *vals, int i, int64_t *out, struct err *err)
{
	const char *v = val(vals, i);
	*out = 0;
	if (v && clock_parse(v, out))
		return err_field(err, GG_EFIELD, columns[i], "%s is not an RFC 3339 time",
				 columns[i]);
	return GG_OK;
}

/* One row as an order, in the same order of checks as the HTTP route. */
static int row(struct svc *s, const char *const *vals, const struct pii_key *key,
	       struct svc_hotline_out *out, struct err *err)
{
	struct svc_hotline_in in = {0};
	int has_lon, has_lat, rc;
	in.order_no = val(vals, C_ORDER);
	in.content = val(vals, C_CONTENT);
	if (!in.order_no)
		return err_field(err, GG_EMISSING, "order_no", "field 'order_no' is required");
	if (!in.content)
		return err_field(err, GG_EMISSING, "content", "field 'content' is required");
	in.caller_name = val(vals, C_NAME);
	in.caller_phone = val(vals, C_PHONE);
	in.category_hint = val(vals, C_HINT);
	in.address = val(vals, C_ADDRESS);
	if ((rc = num(vals, C_LON, &in.lon, &has_lon, err)) ||
	    (rc = num(vals, C_LAT, &in.lat, &has_lat, err)) ||
	    (rc = when(vals, C_RECEIVED, &in.received_at, err)) ||
	    (rc = when(vals, C_DEADLINE, &in.deadline, err)))
		return rc;
	in.has_point = has_lon && has_lat;
	in.pii = key;
	s->now = clock_now();
	if ((rc = store_savepoint(s->db, err)))
		return rc;
	rc = svc_hotline_order(s, &in, out, err);
	if (rc == GG_OK)
		rc = store_savepoint_release(s->db, err);
	else
		store_savepoint_rollback(s->db);
	return rc;
}

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
	FILE *f = fopen(file, "r");
	if (!f) {
		store_close(s);
		return cli_fail("cannot open %s", file);
	}
	struct csv csv;
	csv_init(&csv, f);
	if (csv_next(&csv) != 1) {
		csv_release(&csv);
		fclose(f);
		store_close(s);
		return cli_fail("%s: no header row", file);
	}
	int idx[NCOLS];
	for (size_t i = 0; i < NCOLS; i++)
		idx[i] = csv_find(&csv, columns[i]);
	if (idx[0] < 0 || idx[4] < 0) {
		csv_release(&csv);
		fclose(f);
		store_close(s);
		return cli_fail("%s: the header must name order_no and content", file);
	}
	int64_t total = 0;
	while (csv_next(&csv) != 0)
		total++;
	csv_release(&csv);
	rewind(f);
	csv_init(&csv, f);
	(void)csv_next(&csv); /* the header again */

	/* Rows act as an administrator of the scope, with the map's locator and the
	 * personal-data key beside the database (without it, callers are not kept). */
	struct principal who = {.role = ROLE_ADMIN};
	snprintf(who.name, sizeof(who.name), "import");
	snprintf(who.scope, sizeof(who.scope), "%s", scope);
	struct loc_index *loc = NULL;
	int64_t version;
	struct pii_key key;
	char key_path[PII_KEY_PATH_MAX];
	pii_key_path(db, key_path);
	struct err kerr = ERR_INIT;
	int has_key = pii_key_load(key_path, &key, &kerr) == GG_OK;
	struct arena *a = arena_new();
	struct svc sv = {.db = s,
			 .who = &who,
			 .a = a,
			 .cal = svc_cal_default(),
			 .policy = svc_policy_default(),
			 .locate = locate};
	if (svc_locator_build(s, &loc, &version, &err) || store_begin(s, STORE_WRITE, &err)) {
		loc_index_free(loc);
		arena_free(a);
		csv_release(&csv);
		fclose(f);
		store_close(s);
		return cli_fail_err(&err);
	}
	sv.locate_arg = loc;
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
		struct svc_hotline_out out;
		struct err e = ERR_INIT;
		int r = row(&sv, vals, has_key ? &key : NULL, &out, &e);
		arena_free(a);
		sv.a = a = arena_new();
		if (err_http_status(r) >= 500) {
			/* the database, not the row: keep nothing rather than a partial day */
			cli_progress_end(&bar);
			csv_release(&csv);
			fclose(f);
			store_rollback(s);
			store_close(s);
			loc_index_free(loc);
			arena_free(a);
			return cli_fail("%s:%ld: %s; nothing imported", file, csv.line,
					err_msg(&e));
		}
		if (r) {
			bad++;
			fprintf(stderr, "%s:%ld: %s: %s\n", file, csv.line,
				e.field[0] ? e.field : "-", err_msg(&e));
		} else if (out.duplicate) {
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
	loc_index_free(loc);
	arena_free(a);
	if (has_key)
		pii_key_wipe(&key);
	if (rc < 0) {
		store_rollback(s);
		store_close(s);
		return cli_fail("%s:%ld: malformed CSV; nothing imported", file, line);
	}
	if (store_commit(s, &err)) {
		store_close(s);
		return cli_fail_err(&err);
	}
	store_close(s);
	printf("hotline orders: %lld new cases, %lld already taken, %lld bad rows\n", taken, dups,
	       bad);
	return bad ? 1 : 0;
}
