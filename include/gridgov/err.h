/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Error codes of the whole project. One X-macro list generates the enum, the
 * stable string codes used in JSON error bodies, the default messages and the
 * HTTP status each maps to, so the API and the CLI speak of a failure the same way.
 */
#ifndef GRIDGOV_ERR_H
#define GRIDGOV_ERR_H

#include <stddef.h>

#define GG_WUR __attribute__((warn_unused_result))
#define GG_PRINTF(f, a) __attribute__((format(printf, f, a)))

/*      name          value  code                      http  message */
#define GG_ERR_MAP(X)                                                                   \
	X(OK, 0, "ok", 200, "ok")                                                       \
	X(EINVAL, -1, "bad_request", 400, "bad request")                                \
	X(EJSON, -2, "bad_json", 400, "body is not valid JSON")                         \
	X(EMISSING, -3, "missing_field", 422, "a required field is missing")            \
	X(EFIELD, -4, "invalid_field", 422, "a field has an invalid value")             \
	X(EUNAUTH, -5, "unauthorized", 401, "authentication required")                  \
	X(EFORBIDDEN, -6, "forbidden", 403, "not allowed for this role or scope")       \
	X(ENOTFOUND, -7, "not_found", 404, "not found")                                 \
	X(EMETHOD, -8, "method_not_allowed", 405, "method not allowed")                 \
	X(ECONFLICT, -9, "conflict", 409, "conflict")                                   \
	X(ESTATE, -10, "invalid_state", 409, "action not allowed in this state")        \
	X(ETOOBIG, -11, "payload_too_large", 413, "request body too large")             \
	X(EMEDIA, -12, "unsupported_media_type", 415, "unsupported media type")         \
	X(ELOCKED, -13, "account_locked", 423, "account locked after failed logins")    \
	X(ERATE, -14, "rate_limited", 429, "too many requests")                         \
	X(EIO, -15, "io_error", 500, "input/output error")                              \
	X(EDB, -16, "db_error", 500, "database error")                                  \
	X(EINTERNAL, -17, "internal", 500, "internal error")                            \
	X(EUNAVAIL, -18, "unavailable", 503, "service unavailable")                     \
	X(EBUSY, -19, "busy", 503, "database busy")

enum gg_err {
#define GG_ERR_ENUM(name, val, code, http, msg) GG_##name = val,
	GG_ERR_MAP(GG_ERR_ENUM)
#undef GG_ERR_ENUM
};

/** Details of the last failure: the code plus a human message (and the field, if any). */
struct err {
	int code;
	char field[64];
	char msg[256];
};

#define ERR_INIT {0, {0}, {0}}

/**
 * Record a failure in *err (when err is not NULL) and return code, so callers write
 * `return err_set(err, GG_EINVAL, "missing field %s", name);`.
 */
int err_set(struct err *err, int code, const char *fmt, ...) GG_PRINTF(3, 4);

/** Like err_set, naming the offending field (JSON errors carry it as "field"). */
int err_field(struct err *err, int code, const char *field, const char *fmt, ...)
	GG_PRINTF(4, 5);

void err_clear(struct err *err);

/** Stable machine code ("not_found"), default message and HTTP status of a code. */
const char *err_code_name(int code);
const char *err_default_msg(int code);
int err_http_status(int code);

/** The message to show: err->msg if set, else the default message of err->code. */
const char *err_msg(const struct err *err);

#endif
