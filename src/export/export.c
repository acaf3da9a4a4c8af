/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Sheets of rows to CSV (RFC 4180, UTF-8 with a BOM, CRLF) or to XLSX. The CSV is built
 * in a capped buffer; the XLSX goes through libxlsxwriter in constant-memory mode into a
 * temporary file that is read back once closed and then removed, so a workbook's memory
 * does not grow with its rows.
 */
#include "gridgov/export.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "gridgov/buf.h"
#include "gridgov/utf8.h"
#include "gridgov/xalloc.h"

#define EXPORT_DEFAULT_MAX ((size_t)256 << 20)
#define EXPORT_MAX_COLS	   256
#define XLSX_MAX_ROWS	   1048576L /* the format's limit, the header row included */
#define XLSX_MAX_CHARS	   32767    /* characters in one cell */

struct export_book {
	enum export_format fmt;
	size_t max;
	int code; /* the first failure, sticky */
	char msg[160];
	int sheets;
	int ncols;
	int col;	/* the next cell's column in the current row */
	long rows;	/* rows of the current sheet, not counting its header */
	size_t bytes;	/* XLSX: the cells' text so far, an early bound on the file */
	struct buf out; /* CSV */
	struct buf tmp; /* a cell's repaired text */
	char path[64];	/* XLSX: the temporary file */
	lxw_workbook *wb;
	lxw_worksheet *ws;
	lxw_format *head;
};

int export_format_parse(const char *s, enum export_format *f)
{
	if (s && strcmp(s, "csv") == 0)
		*f = EXPORT_CSV;
	else if (s && strcmp(s, "xlsx") == 0)
		*f = EXPORT_XLSX;
	else
		return -1;
	return 0;
}

const char *export_content_type(enum export_format f)
{
	return f == EXPORT_XLSX
		   ? "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
		   : "text/csv; charset=utf-8";
}

const char *export_extension(enum export_format f)
{
	return f == EXPORT_XLSX ? "xlsx" : "csv";
}

static void fail(struct export_book *b, int code, const char *msg)
{
	if (b->code)
		return;
	b->code = code;
	snprintf(b->msg, sizeof(b->msg), "%s", msg);
}

static int report(const struct export_book *b, struct err *err)
{
	return b->code ? err_set(err, b->code, "%s", b->msg) : 0;
}

struct export_book *export_open(enum export_format f, size_t max_bytes, struct err *err)
{
	struct export_book *b = xcalloc(1, sizeof(*b));
	b->fmt = f;
	b->max = max_bytes ? max_bytes : EXPORT_DEFAULT_MAX;
	buf_init(&b->out, b->max);
	buf_init(&b->tmp, 0);
	if (f == EXPORT_CSV) {
		buf_adds(&b->out, "\xEF\xBB\xBF");
		return b;
	}
	const char *dir = getenv("TMPDIR");
	int n = snprintf(b->path, sizeof(b->path), "%s/gridgov-export-XXXXXX",
			 dir && *dir && strlen(dir) < 32 ? dir : "/tmp");
	int fd = n > 0 && (size_t)n < sizeof(b->path) ? mkstemp(b->path) : -1;
	if (fd < 0) {
		b->path[0] = '\0';
		err_set(err, GG_EIO, "cannot create a temporary file for the workbook");
		export_free(b);
		return NULL;
	}
	close(fd);
	lxw_workbook_options o = {.constant_memory = LXW_TRUE, .tmpdir = NULL};
	b->wb = workbook_new_opt(b->path, &o);
	if (!b->wb) {
		err_set(err, GG_EIO, "cannot start the workbook");
		export_free(b);
		return NULL;
	}
	b->head = workbook_add_format(b->wb);
	format_set_bold(b->head);
	format_set_bg_color(b->head, 0xE6EEF8);
	return b;
}

/* s as valid UTF-8 (at most max_chars characters when max_chars > 0), in b->tmp. */
static const char *repaired(struct export_book *b, const char *s, long max_chars)
{
	size_t len = strlen(s);
	buf_reset(&b->tmp);
	if (utf8_check(s, len, NULL) != 0)
		utf8_scrub(&b->tmp, s, len);
	else
		buf_add(&b->tmp, s, len);
	if (max_chars > 0) {
		long chars = 0;
		for (size_t i = 0; i < b->tmp.len; i++) {
			if (((unsigned char)b->tmp.p[i] & 0xC0) != 0x80 && ++chars > max_chars) {
				b->tmp.p[i] = '\0';
				b->tmp.len = i;
				break;
			}
		}
	}
	return b->tmp.p;
}

static void csv_cell(struct export_book *b, const char *s, int guard)
{
	if (b->col > 0)
		buf_addch(&b->out, ',');
	int quote = guard && strchr("=+-@\t\r", s[0]) && s[0] != '\0';
	int needs = quote || strpbrk(s, ",\"\r\n") != NULL;
	if (!needs) {
		buf_adds(&b->out, s);
		return;
	}
	buf_addch(&b->out, '"');
	if (quote)
		buf_addch(&b->out, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			buf_addch(&b->out, '"');
		buf_addch(&b->out, *p);
	}
	buf_addch(&b->out, '"');
}

/* Whether a cell may go at the current column (the sheet started, room left in the row). */
static int cell_ok(struct export_book *b)
{
	if (b->code)
		return 0;
	if (!b->sheets) {
		fail(b, GG_EINTERNAL, "a cell before any sheet");
		return 0;
	}
	if (b->col >= b->ncols) {
		fail(b, GG_EINTERNAL, "more cells than columns");
		return 0;
	}
	return 1;
}

static void xlsx_text(struct export_book *b, const char *s, lxw_format *f)
{
	b->bytes += strlen(s) + 16;
	if (b->bytes > b->max) {
		fail(b, GG_ETOOBIG, "the export is larger than allowed");
		return;
	}
	if (worksheet_write_string(b->ws, (lxw_row_t)(b->rows + 1), (lxw_col_t)b->col, s, f) !=
	    LXW_NO_ERROR)
		fail(b, GG_EIO, "cannot write a cell of the workbook");
}

int export_sheet(struct export_book *b, const char *name, const char *const *headers, int ncols,
		 struct err *err)
{
	if (b->code)
		return report(b, err);
	if (ncols < 1 || ncols > EXPORT_MAX_COLS)
		return err_set(err, GG_EINVAL, "a sheet has 1 to %d columns", EXPORT_MAX_COLS);
	if (b->fmt == EXPORT_CSV && b->sheets)
		return err_set(err, GG_EINVAL, "a CSV file holds one table only");
	if (b->fmt == EXPORT_XLSX) {
		if (!name || workbook_validate_sheet_name(b->wb, name) != LXW_NO_ERROR)
			return err_set(err, GG_EINVAL, "invalid or repeated sheet name");
		b->ws = workbook_add_worksheet(b->wb, name);
		if (!b->ws)
			return err_set(err, GG_EIO, "cannot add a sheet to the workbook");
		worksheet_set_column(b->ws, 0, (lxw_col_t)(ncols - 1), 16, NULL);
		worksheet_freeze_panes(b->ws, 1, 0);
	} else if (b->out.len > 3) {
		return err_set(err, GG_EINVAL, "a CSV file holds one table only");
	}
	b->sheets++;
	b->ncols = ncols;
	b->rows = -1; /* the header row */
	b->col = 0;
	for (int i = 0; i < ncols && !b->code; i++, b->col++) {
		const char *t = repaired(b, headers[i] ? headers[i] : "", XLSX_MAX_CHARS);
		if (b->fmt == EXPORT_CSV)
			csv_cell(b, t, 1);
		else
			xlsx_text(b, t, b->head);
	}
	return export_row(b, err);
}

void export_text(struct export_book *b, const char *s)
{
	if (!cell_ok(b))
		return;
	if (s) {
		const char *t = repaired(b, s, b->fmt == EXPORT_XLSX ? XLSX_MAX_CHARS : 0);
		if (b->fmt == EXPORT_CSV)
			csv_cell(b, t, 1);
		else if (*t)
			xlsx_text(b, t, NULL);
	} else if (b->fmt == EXPORT_CSV) {
		csv_cell(b, "", 0);
	}
	b->col++;
}

void export_num(struct export_book *b, double v)
{
	if (!cell_ok(b))
		return;
	if (!isfinite(v)) {
		if (b->fmt == EXPORT_CSV)
			csv_cell(b, "", 0);
	} else if (b->fmt == EXPORT_CSV) {
		char s[40];
		snprintf(s, sizeof(s), "%.15g", v);
		csv_cell(b, s, 0);
	} else {
		b->bytes += 24;
		if (worksheet_write_number(b->ws, (lxw_row_t)(b->rows + 1), (lxw_col_t)b->col, v,
					   NULL) != LXW_NO_ERROR)
			fail(b, GG_EIO, "cannot write a cell of the workbook");
	}
	b->col++;
}

void export_int(struct export_book *b, long long v)
{
	if (b->fmt == EXPORT_XLSX) {
		export_num(b, (double)v);
		return;
	}
	if (!cell_ok(b))
		return;
	char s[24];
	snprintf(s, sizeof(s), "%lld", v);
	csv_cell(b, s, 0);
	b->col++;
}

int export_row(struct export_book *b, struct err *err)
{
	if (b->code)
		return report(b, err);
	if (!b->sheets)
		return err_set(err, GG_EINTERNAL, "a row before any sheet");
	if (b->fmt == EXPORT_CSV) {
		for (; b->col < b->ncols; b->col++)
			buf_addch(&b->out, ',');
		buf_adds(&b->out, "\r\n");
		if (buf_overflowed(&b->out))
			fail(b, GG_ETOOBIG, "the export is larger than allowed");
	} else if (b->rows + 2 >= XLSX_MAX_ROWS) {
		fail(b, GG_ETOOBIG, "more rows than a worksheet holds");
	}
	if (b->code)
		return report(b, err);
	b->rows++;
	b->col = 0;
	return 0;
}

long export_rows(const struct export_book *b)
{
	return b->rows < 0 ? 0 : b->rows;
}

static int slurp(struct export_book *b, char **data, size_t *len, struct err *err)
{
	FILE *f = fopen(b->path, "rb");
	struct stat st;
	if (!f || fstat(fileno(f), &st) != 0) {
		if (f)
			fclose(f);
		return err_set(err, GG_EIO, "cannot read the workbook back");
	}
	if ((size_t)st.st_size > b->max) {
		fclose(f);
		return err_set(err, GG_ETOOBIG, "the export is larger than allowed");
	}
	char *p = xmalloc((size_t)st.st_size + 1);
	size_t got = fread(p, 1, (size_t)st.st_size, f);
	fclose(f);
	if (got != (size_t)st.st_size) {
		free(p);
		return err_set(err, GG_EIO, "cannot read the workbook back");
	}
	p[got] = '\0';
	*data = p;
	*len = got;
	return 0;
}

int export_finish(struct export_book *b, char **data, size_t *len, struct err *err)
{
	*data = NULL;
	*len = 0;
	if (!b->code && !b->sheets)
		fail(b, GG_EINTERNAL, "an export without a sheet");
	if (!b->code && b->col != 0)
		fail(b, GG_EINTERNAL, "an unfinished row");
	if (b->fmt == EXPORT_CSV) {
		if (b->code)
			return report(b, err);
		*data = buf_detach(&b->out, len);
		return 0;
	}
	lxw_error e = workbook_close(b->wb);
	b->wb = NULL;
	if (b->code)
		return report(b, err);
	if (e != LXW_NO_ERROR)
		return err_set(err, GG_EIO, "cannot write the workbook: %s", lxw_strerror(e));
	return slurp(b, data, len, err);
}

void export_free(struct export_book *b)
{
	if (!b)
		return;
	if (b->wb)
		workbook_close(b->wb);
	if (b->path[0])
		unlink(b->path);
	buf_release(&b->out);
	buf_release(&b->tmp);
	free(b);
}
