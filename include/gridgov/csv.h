/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 4180 CSV reading: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM at the
 * start ignored. Used by every importer so each reports errors by line number.
 */
#ifndef GRIDGOV_CSV_H
#define GRIDGOV_CSV_H

#include <stdio.h>

#include "gridgov/buf.h"

#define CSV_MAX_FIELDS 64

struct csv {
	FILE *f;
	long line;		/* line number where the current record starts (1-based) */
	long next_line;
	int nfields;
	char *fields[CSV_MAX_FIELDS];
	struct buf rec;		/* storage for the fields of the current record */
	int first;
};

void csv_init(struct csv *c, FILE *f);
/** Read the next record: 1 when one was read, 0 at end of file, -1 on a malformed record. */
int csv_next(struct csv *c);
/** Index of the column named name in the current record (the header), or -1. */
int csv_find(const struct csv *c, const char *name);
/** Field i of the current record, "" when the record is shorter. */
const char *csv_get(const struct csv *c, int i);
void csv_release(struct csv *c);

#endif
