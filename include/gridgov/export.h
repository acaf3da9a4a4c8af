/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Tables out of the platform: one or more sheets of rows written as CSV (UTF-8 with a
 * byte order mark, so Excel opens Chinese text intact) or as an XLSX workbook through
 * libxlsxwriter. Every export — case lists, rankings, the monthly report — goes through
 * here, so the quoting, the formula guard and the size bounds are the same everywhere.
 *
 * Use: export_open, then per sheet export_sheet with its column headers, then per row the
 * cells left to right (export_text / export_int / export_num) closed by export_row; at
 * the end export_finish hands over the file's bytes. A failure is sticky: the cell calls
 * record the first one and export_row / export_finish return it.
 */
#ifndef GRIDGOV_EXPORT_H
#define GRIDGOV_EXPORT_H

#include <stddef.h>

#include "gridgov/err.h"

enum export_format {
	EXPORT_CSV = 1,
	EXPORT_XLSX = 2,
};

/** "csv" or "xlsx" (exactly) into *f: 0, or -1 for anything else. */
int export_format_parse(const char *s, enum export_format *f);
/** The HTTP Content-Type of the format (static). */
const char *export_content_type(enum export_format f);
/** "csv" or "xlsx" (static), for a download's file name. */
const char *export_extension(enum export_format f);

struct export_book;

/**
 * Begin a file of format f whose bytes may not exceed max_bytes (0: 256 MiB). An XLSX is
 * written row by row to a private temporary file (libxlsxwriter's constant-memory mode),
 * so memory does not grow with the rows. NULL with *err set on failure.
 */
struct export_book *export_open(enum export_format f, size_t max_bytes, struct err *err);
/**
 * Start a sheet named name (at most 31 characters, none of []:*?/\) with ncols column
 * headers (1..256); the headers are its first row. A CSV holds one sheet only: a second
 * one is GG_EINVAL.
 */
int export_sheet(struct export_book *b, const char *name, const char *const *headers, int ncols,
		 struct err *err) GG_WUR;
/**
 * The next cell of the current row. Text that is not valid UTF-8 is repaired (U+FFFD),
 * NULL is an empty cell. In a CSV, text starting with = + - @ or a tab is prefixed with
 * an apostrophe so that a spreadsheet shows it instead of running it as a formula; an
 * XLSX keeps text as text. A NaN or infinite number is an empty cell.
 */
void export_text(struct export_book *b, const char *s);
void export_int(struct export_book *b, long long v);
void export_num(struct export_book *b, double v);
/** End the current row. Refuses a row with more cells than headers, or past the format's row limit.
 */
int export_row(struct export_book *b, struct err *err) GG_WUR;
/** Rows written to the current sheet so far, not counting its header. */
long export_rows(const struct export_book *b);
/**
 * Finish the file: its bytes (malloc'd, caller frees) in *data and *len. GG_ETOOBIG when
 * it grew past max_bytes. The book is spent either way; export_free it.
 */
int export_finish(struct export_book *b, char **data, size_t *len, struct err *err) GG_WUR;
/** Release the book (and its temporary file); NULL is fine. */
void export_free(struct export_book *b);

#endif
