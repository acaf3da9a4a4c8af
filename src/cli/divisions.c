/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Loading the administrative tree (district › street › community) from the divisions
 * CSV (code,name,level,parent_code). Every row is checked — level against code length,
 * parent against code prefix — and the whole file loads in one transaction or not at all.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/csv.h"
#include "gridgov/xalloc.h"

struct row {
	struct grid_node g;
	long line;
};

static int by_level(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	if (x->g.level != y->g.level)
		return x->g.level < y->g.level ? -1 : 1;
	return x->line < y->line ? -1 : x->line > y->line;
}

static int row_error(const char *file, long line, int *errors, const char *fmt, const char *a)
{
	fprintf(stderr, "%s:%ld: ", file, line);
	fprintf(stderr, fmt, a);
	fputc('\n', stderr);
	(*errors)++;
	return 0;
}

/* Is code among the rows already read (parents precede children in level order)? */
static int in_rows(const struct row *rows, size_t n, const char *code)
{
	for (size_t i = n; i-- > 0;)
		if (!strcmp(rows[i].g.code, code))
			return 1;
	return 0;
}

int cli__import_divisions(struct store *s, const char *file, const char *district,
			  struct cli_division_counts *counts, struct err *err)
{
	memset(counts, 0, sizeof(*counts));
	FILE *f = fopen(file, "r");
	if (!f)
		return err_set(err, GG_EIO, "cannot read %s", file);
	struct csv c;
	csv_init(&c, f);
	int rc = csv_next(&c);
	int ic = csv_find(&c, "code"), in = csv_find(&c, "name"), il = csv_find(&c, "level"),
	    ip = csv_find(&c, "parent_code");
	if (rc != 1 || ic < 0 || in < 0 || il < 0 || ip < 0) {
		csv_release(&c);
		fclose(f);
		return err_set(err, GG_EFIELD, "%s: the header must name code,name,level,parent_code",
			       file);
	}
	size_t n = 0, cap = 0;
	struct row *rows = NULL;
	int errors = 0;
	while ((rc = csv_next(&c)) != 0) {
		if (rc < 0) {
			row_error(file, c.line, &errors, "malformed CSV record%s", "");
			continue;
		}
		const char *code = csv_get(&c, ic);
		if (!*code && c.nfields <= 1)
			continue; /* blank line */
		if (district && strncmp(code, district, strlen(district)) != 0)
			continue;
		struct grid_node g = {0};
		enum grid_level lv = grid_level_parse(csv_get(&c, il));
		if (lv == GRID_LEVEL_NONE) {
			row_error(file, c.line, &errors, "unknown level '%s'", csv_get(&c, il));
			continue;
		}
		if (grid_level_of_code(code) != lv) {
			row_error(file, c.line, &errors,
				  "code '%s' does not have the digits of its level", code);
			continue;
		}
		const char *name = csv_get(&c, in);
		if (!*name || strlen(name) >= sizeof(g.name)) {
			row_error(file, c.line, &errors, "name is empty or too long%s", "");
			continue;
		}
		char parent[GRID_CODE_MAX];
		grid_code_parent(code, parent);
		if (strcmp(parent, csv_get(&c, ip)) != 0) {
			row_error(file, c.line, &errors, "parent_code must be the prefix of code %s",
				  code);
			continue;
		}
		snprintf(g.code, sizeof(g.code), "%s", code);
		snprintf(g.name, sizeof(g.name), "%s", name);
		snprintf(g.parent, sizeof(g.parent), "%s", parent);
		g.level = lv;
		if (n == cap) {
			cap = cap ? 2 * cap : 256;
			rows = xrealloc(rows, cap * sizeof(*rows));
		}
		rows[n++] = (struct row){g, c.line};
	}
	csv_release(&c);
	fclose(f);
	if (district && n == 0) {
		free(rows);
		return err_set(err, GG_ENOTFOUND, "%s has no rows under district %s", file, district);
	}
	qsort(rows, n, sizeof(*rows), by_level);
	rc = store_begin(s, STORE_WRITE, err);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		struct grid_node existing;
		struct err e2 = ERR_INIT;
		if (rows[i].g.parent[0] && !in_rows(rows, i, rows[i].g.parent) &&
		    store_grid_get(s, rows[i].g.parent, &existing, &e2) != GG_OK) {
			row_error(file, rows[i].line, &errors, "parent %s is neither in the file nor "
				  "in the database", rows[i].g.parent);
			continue;
		}
		if (errors)
			continue;
		if ((rc = store_grid_put(s, &rows[i].g, err)))
			break;
		counts->by_level[rows[i].g.level]++;
	}
	free(rows);
	if (rc == GG_OK && errors) {
		rc = err_set(err, GG_EFIELD, "%s: %d rows have errors; nothing was imported", file,
			     errors);
		memset(counts->by_level, 0, sizeof(counts->by_level));
	}
	counts->errors = errors;
	if (rc) {
		store_rollback(s);
		return rc;
	}
	return store_commit(s, err);
}
