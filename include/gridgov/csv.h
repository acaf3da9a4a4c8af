/* SPDX-License-Identifier: Apache-2.0 */
/*
 * RFC 4180 CSV reading: quoted fields, doubled quotes, CRLF or LF, a UTF-8 BOM at the
 * start ignored. Used by every importer so each reports errors by line number.
 */
#ifndef GRIDGOV_CSV_H
#define GRIDGOV_CSV_H

#include <stdio.h>

#include "gridgov/buf.h"
#include "gridgov/utf8.h"

#define CSV_MAX_FIELDS 64

struct csv {
	FILE *f;
	long line;		/* line number where the current record starts (1-based) */
	long next_line;
	int nfields;
	char *fields[CSV_MAX_FIELDS];
	struct buf rec;		/* storage for the fields of the current record */
	int first;
	int bad_col;   /* after -1: the field that is not valid text, or -1 */
	int bad_fault; /* its enum utf8_fault */
};

void csv_init(struct csv *c, FILE *f);
/**
 * Read the next record: 1 when one was read, 0 at end of file, -1 on a malformed record:
 * bad quoting or too many fields, or a field that is not valid UTF-8 or holds a control
 * character other than tab and newlines (then bad_col names it). After -1 the next call
 * reads the record that follows.
 */
int csv_next(struct csv *c);
/** Index of the column named name in the current record (the header), or -1. */
int csv_find(const struct csv *c, const char *name);
/** Field i of the current record, "" when the record is shorter. */
const char *csv_get(const struct csv *c, int i);
void csv_release(struct csv *c);

#endif
