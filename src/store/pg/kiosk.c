/* SPDX-License-Identifier: Apache-2.0 */
/* Wall screens 大屏 in PostgreSQL (store_kiosk.h): issue, claim, find by token, list, revoke. */
#include <string.h>

#include "store/pg/pg_int.h"

#define KIOSK_COLS "id, name, scope, created_by, created_at, code_expires, claimed_at, revoked_at"

static void read_kiosk(const PGresult *res, int row, void *elem)
{
	struct store_kiosk *k = elem;
	memset(k, 0, sizeof(*k));
	k->id = pg__int(res, row, 0);
	pg__col_copy(res, row, 1, k->name, sizeof(k->name));
	pg__col_copy(res, row, 2, k->scope, sizeof(k->scope));
	k->created_by = pg__int(res, row, 3);
	k->created_at = pg__int(res, row, 4);
	k->code_expires = pg__int(res, row, 5);
	k->claimed_at = pg__int(res, row, 6);
	k->revoked_at = pg__int(res, row, 7);
}

int pg__kiosk_insert(struct store *s, struct store_kiosk *k, const char *code_hash, struct err *err)
{
	static const char sql[] = "INSERT INTO kiosk(name, scope, code_hash, code_expires,"
				  " created_by, created_at) VALUES($1, $2, $3, $4, $5, $6)"
				  " RETURNING id";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, k->name);
	pg__arg_text(&a, k->scope);
	pg__arg_text(&a, code_hash);
	pg__arg_int(&a, k->code_expires);
	pg__arg_int(&a, k->created_by);
	pg__arg_int(&a, k->created_at);
	return pg__id(pg_of(s), sql, &a, &k->id, err);
}

static int one(struct pg *c, const char *sql, const struct pg_args *a, struct store_kiosk *k,
	       struct err *err)
{
	PGresult *res;
	int r = pg__row(c, sql, a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no such wall screen") : r;
	read_kiosk(res, 0, k);
	PQclear(res);
	return GG_OK;
}

int pg__kiosk_claim(struct store *s, const char *code_hash, const char *token_hash, int64_t now,
		    struct store_kiosk *k, struct err *err)
{
	static const char sql[] =
	    "UPDATE kiosk SET token_hash = $2, code_hash = NULL, claimed_at = $3"
	    " WHERE code_hash = $1 AND code_expires > $3 AND revoked_at = 0 RETURNING " KIOSK_COLS;
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, code_hash);
	pg__arg_text(&a, token_hash);
	pg__arg_int(&a, now);
	return one(pg_of(s), sql, &a, k, err);
}

int pg__kiosk_by_token(struct store *s, const char *token_hash, struct store_kiosk *k,
		       struct err *err)
{
	static const char sql[] =
	    "SELECT " KIOSK_COLS " FROM kiosk WHERE token_hash = $1 AND revoked_at = 0";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, token_hash);
	return one(pg_of(s), sql, &a, k, err);
}

int pg__kiosk_list(struct store *s, struct arena *a, struct store_kiosk **out, size_t *n,
		   struct err *err)
{
	static const char sql[] = "SELECT " KIOSK_COLS " FROM kiosk ORDER BY id DESC";
	return pg__rows(pg_of(s), sql, NULL, a, sizeof(**out), read_kiosk, (void **)out, n, err);
}

int pg__kiosk_revoke(struct store *s, int64_t id, int64_t now, struct err *err)
{
	static const char sql[] = "UPDATE kiosk SET revoked_at = $2, code_hash = NULL"
				  " WHERE id = $1 AND revoked_at = 0";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, id);
	pg__arg_int(&a, now);
	int64_t changed = 0;
	int r = pg__run_changes(pg_of(s), sql, &a, &changed, err);
	if (r)
		return r;
	if (!changed)
		return err_set(err, GG_ENOTFOUND, "no wall screen %lld to revoke", (long long)id);
	return GG_OK;
}
