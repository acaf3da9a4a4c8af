/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Values in and out of libpq: a statement's parameters (struct pg_args, text with their
 * types declared, bytea in binary) and a result's columns read as C values.
 */
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/xalloc.h"
#include "store/pg/pg_int.h"

/* type OIDs (catalog/pg_type_d.h, stable across releases) */
enum { OID_BYTEA = 17, OID_INT8 = 20, OID_TEXT = 25, OID_FLOAT8 = 701 };

static void arg(struct pg_args *a, const char *v, Oid type)
{
	if (a->n >= PG_MAX_PARAMS)
		BUG("too many parameters: raise PG_MAX_PARAMS");
	a->fmt[a->n] = 0;
	a->len[a->n] = 0;
	a->type[a->n] = type;
	a->v[a->n++] = v;
}

void pg__arg_text(struct pg_args *a, const char *s)
{
	arg(a, s ? s : "", OID_TEXT);
}

void pg__arg_text_or_null(struct pg_args *a, const char *s)
{
	arg(a, s && *s ? s : NULL, OID_TEXT);
}

void pg__arg_text_nullable(struct pg_args *a, const char *s)
{
	arg(a, s, OID_TEXT);
}

void pg__arg_null(struct pg_args *a)
{
	arg(a, NULL, 0); /* its type inferred from the SQL */
}

void pg__arg_int(struct pg_args *a, int64_t v)
{
	arg(a, a->num[a->n < PG_MAX_PARAMS ? a->n : 0], OID_INT8);
	snprintf(a->num[a->n - 1], sizeof(a->num[0]), "%" PRId64, v);
}

void pg__arg_id_or_null(struct pg_args *a, int64_t id)
{
	if (id)
		pg__arg_int(a, id);
	else
		arg(a, NULL, OID_INT8);
}

void pg__arg_double(struct pg_args *a, double v)
{
	arg(a, a->num[a->n < PG_MAX_PARAMS ? a->n : 0], OID_FLOAT8);
	snprintf(a->num[a->n - 1], sizeof(a->num[0]), "%.17g", v);
}

void pg__arg_double_or_null(struct pg_args *a, int has, double v)
{
	if (has)
		pg__arg_double(a, v);
	else
		arg(a, NULL, OID_FLOAT8);
}

void pg__arg_bytes(struct pg_args *a, const void *p, size_t n)
{
	arg(a, p ? p : "", OID_BYTEA);
	a->len[a->n - 1] = (int)n;
	a->fmt[a->n - 1] = 1;
}

int pg__is_null(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col);
}

int64_t pg__int(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0 : strtoll(PQgetvalue(res, row, col), NULL, 10);
}

double pg__double(const PGresult *res, int row, int col)
{
	return PQgetisnull(res, row, col) ? 0.0 : strtod(PQgetvalue(res, row, col), NULL);
}

void pg__col_copy(const PGresult *res, int row, int col, char *dst, size_t n)
{
	snprintf(dst, n, "%s", PQgetisnull(res, row, col) ? "" : PQgetvalue(res, row, col));
}

void *pg__bytes(const PGresult *res, int row, int col, struct arena *a, size_t *n)
{
	size_t len = 0;
	unsigned char *raw =
	    PQunescapeBytea((const unsigned char *)PQgetvalue(res, row, col), &len);
	void *out = arena_alloc(a, len ? len : 1);
	if (raw)
		memcpy(out, raw, len);
	PQfreemem(raw);
	*n = raw ? len : 0;
	return out;
}
