/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading the category catalog (data/categories.csv) into a database, in one
 * transaction: every row is checked, and any bad row rolls back the whole file with its
 * line number, so a catalog is never half loaded.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/csv.h"
#include "gridgov/store_case.h"

static const char *cols[] = {"code",
			     "kind",
			     "major_code",
			     "major_name",
			     "major_name_en",
			     "minor_code",
			     "minor_name",
			     "minor_name_en",
			     "name",
			     "name_en",
			     "department",
			     "limit_general_h",
			     "limit_engineering_h",
			     "limit_special_h",
			     "verify_min",
			     "urgency"};
#define NCOLS (sizeof(cols) / sizeof(cols[0]))

static int copy(char *dst, size_t n, const char *src, long line, const char *col, struct err *err)
{
	if (strlen(src) >= n)
		return err_set(err, GG_EFIELD, "line %ld: %s too long", line, col);
	memcpy(dst, src, strlen(src) + 1);
	return GG_OK;
}

static int number(const char *s, int *out, long line, const char *col, struct err *err)
{
	char *end;
	long v = strtol(s, &end, 10);
	if (!*s || *end || v <= 0 || v > 100000)
		return err_set(err, GG_EFIELD, "line %ld: %s '%s' is not a positive number", line,
			       col, s);
	*out = (int)v;
	return GG_OK;
}

static int row(const struct csv *c, const int *at, struct store_category *k, struct err *err)
{
	long l = c->line;
	int rc;
	memset(k, 0, sizeof(*k));
	if ((rc = copy(k->code, sizeof(k->code), csv_get(c, at[0]), l, "code", err)) ||
	    (rc = copy(k->kind, sizeof(k->kind), csv_get(c, at[1]), l, "kind", err)) ||
	    (rc = copy(k->major_code, sizeof(k->major_code), csv_get(c, at[2]), l, "major_code",
		       err)) ||
	    (rc = copy(k->major_name, sizeof(k->major_name), csv_get(c, at[3]), l, "major_name",
		       err)) ||
	    (rc = copy(k->major_name_en, sizeof(k->major_name_en), csv_get(c, at[4]), l,
		       "major_name_en", err)) ||
	    (rc = copy(k->minor_code, sizeof(k->minor_code), csv_get(c, at[5]), l, "minor_code",
		       err)) ||
	    (rc = copy(k->minor_name, sizeof(k->minor_name), csv_get(c, at[6]), l, "minor_name",
		       err)) ||
	    (rc = copy(k->minor_name_en, sizeof(k->minor_name_en), csv_get(c, at[7]), l,
		       "minor_name_en", err)) ||
	    (rc = copy(k->name, sizeof(k->name), csv_get(c, at[8]), l, "name", err)) ||
	    (rc = copy(k->name_en, sizeof(k->name_en), csv_get(c, at[9]), l, "name_en", err)) ||
	    (rc = copy(k->department, sizeof(k->department), csv_get(c, at[10]), l, "department",
		       err)) ||
	    (rc = number(csv_get(c, at[11]), &k->limit_general_h, l, "limit_general_h", err)) ||
	    (rc = number(csv_get(c, at[12]), &k->limit_engineering_h, l, "limit_engineering_h",
			 err)) ||
	    (rc = number(csv_get(c, at[13]), &k->limit_special_h, l, "limit_special_h", err)) ||
	    (rc = number(csv_get(c, at[14]), &k->verify_min, l, "verify_min", err)) ||
	    (rc = copy(k->urgency, sizeof(k->urgency), csv_get(c, at[15]), l, "urgency", err)))
		return rc;
	if (!k->code[0] || !k->name[0])
		return err_set(err, GG_EFIELD, "line %ld: code and name are required", l);
	return GG_OK;
}

int cli__import_categories(struct store *s, const char *file, int64_t *count, struct err *err)
{
	FILE *f = fopen(file, "r");
	if (!f)
		return err_set(err, GG_EIO, "cannot open %s", file);
	struct csv c;
	csv_init(&c, f);
	int at[NCOLS], rc = store_begin(s, STORE_WRITE, err), r;
	*count = 0;
	if (rc == GG_OK && (r = csv_next(&c)) != 1)
		rc = err_set(err, GG_EFIELD, "%s: no header", file);
	for (size_t i = 0; rc == GG_OK && i < NCOLS; i++)
		if ((at[i] = csv_find(&c, cols[i])) < 0)
			rc = err_set(err, GG_EFIELD, "%s: no column %s", file, cols[i]);
	while (rc == GG_OK && (r = csv_next(&c)) == 1) {
		struct store_category k;
		if ((rc = row(&c, at, &k, err)) == GG_OK && (rc = store_category_put(s, &k, err))) {
			char msg[sizeof(err->msg)];
			memcpy(msg, err->msg, sizeof(msg));
			err_set(err, rc, "line %ld: %s", c.line, msg);
		}
		(*count)++;
	}
	if (rc == GG_OK && r < 0)
		rc = err_set(err, GG_EFIELD, "%s line %ld: malformed CSV", file, c.line);
	if (rc == GG_OK)
		rc = store_commit(s, err);
	if (rc)
		store_rollback(s);
	csv_release(&c);
	fclose(f);
	return rc;
}
