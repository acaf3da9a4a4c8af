/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Shared by the assessment routes (assess.c) and the monthly report (report.c): answer
 * tables as a CSV or XLSX download through src/export.
 */
#ifndef GRIDGOV_API_ASSESS_EXPORT_H
#define GRIDGOV_API_ASSESS_EXPORT_H

#include <jansson.h>

#include "api/api_int.h"
#include "gridgov/export.h"

/* One sheet: headers and rows, each row a JSON array of strings, numbers or nulls. */
struct api_sheet {
	const char *name;
	const char *const *headers;
	int ncols;
	json_t *rows; /* borrowed */
};

/**
 * Answer the sheets as an XLSX workbook, or the first one as a CSV with a BOM: the bytes
 * go into r->raw (from r's arena). Errors from export_* pass on.
 */
int api__sheets_send(struct api_req *r, enum export_format f, const struct api_sheet *sh,
		     size_t nsh) GG_WUR;

#endif
