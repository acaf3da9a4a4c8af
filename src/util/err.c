/* SPDX-License-Identifier: Apache-2.0 */
/* The error table: turns codes into names, messages and HTTP statuses. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "gridgov/err.h"

struct err_row {
	int val;
	const char *code;
	int http;
	const char *msg;
};

static const struct err_row rows[] = {
#define GG_ERR_ROW(name, val, code, http, msg) {val, code, http, msg},
	GG_ERR_MAP(GG_ERR_ROW)
#undef GG_ERR_ROW
};

static const struct err_row *find(int code)
{
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++)
		if (rows[i].val == code)
			return &rows[i];
	return &rows[GG_EINTERNAL < 0 ? -GG_EINTERNAL : 0];
}

static int vset(struct err *err, int code, const char *field, const char *fmt, va_list ap)
{
	if (!err)
		return code;
	err->code = code;
	snprintf(err->field, sizeof(err->field), "%s", field ? field : "");
	if (fmt)
		vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	else
		err->msg[0] = 0;
	return code;
}

int err_set(struct err *err, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, NULL, fmt, ap);
	va_end(ap);
	return code;
}

int err_field(struct err *err, int code, const char *field, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vset(err, code, field, fmt, ap);
	va_end(ap);
	return code;
}

void err_clear(struct err *err)
{
	if (err)
		memset(err, 0, sizeof(*err));
}

const char *err_code_name(int code)
{
	return find(code)->code;
}

const char *err_default_msg(int code)
{
	return find(code)->msg;
}

int err_http_status(int code)
{
	return find(code)->http;
}

const char *err_msg(const struct err *err)
{
	return err->msg[0] ? err->msg : err_default_msg(err->code);
}
