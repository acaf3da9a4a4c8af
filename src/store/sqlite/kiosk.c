/* SPDX-License-Identifier: Apache-2.0 */
/* Wall screens 大屏 in SQLite (store_kiosk.h): issue, claim, find by token, list, revoke. */
#include <string.h>

#include "store/sqlite/sq_int.h"

#define KIOSK_COLS "id, name, scope, created_by, created_at, code_expires, claimed_at, revoked_at"

static void read_kiosk(sqlite3_stmt *st, void *row)
{
	struct store_kiosk *k = row;
	memset(k, 0, sizeof(*k));
	k->id = sqlite3_column_int64(st, 0);
	sq__col_copy(st, 1, k->name, sizeof(k->name));
	sq__col_copy(st, 2, k->scope, sizeof(k->scope));
	k->created_by = sqlite3_column_int64(st, 3);
	k->created_at = sqlite3_column_int64(st, 4);
	k->code_expires = sqlite3_column_int64(st, 5);
	k->claimed_at = sqlite3_column_int64(st, 6);
	k->revoked_at = sqlite3_column_int64(st, 7);
}

int sq__kiosk_insert(struct store *s, struct store_kiosk *k, const char *code_hash, struct err *err)
{
	static const char sql[] = "INSERT INTO kiosk(name, scope, code_hash, code_expires,"
				  " created_by, created_at) VALUES(?,?,?,?,?,?) RETURNING id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, k->name);
	sq__bind_text(st, 2, k->scope);
	sq__bind_text(st, 3, code_hash);
	sqlite3_bind_int64(st, 4, k->code_expires);
	sqlite3_bind_int64(st, 5, k->created_by);
	sqlite3_bind_int64(st, 6, k->created_at);
	return sq__step_id(q, st, &k->id, err);
}

/* One screen by a statement whose ?1 is a hash (and maybe ?2 a time), then sq__done. */
static int one(struct sq *q, sqlite3_stmt *st, struct store_kiosk *k, struct err *err)
{
	int r = sq__step_row(q, st, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no such wall screen") : r;
	read_kiosk(st, k);
	sq__done(st);
	return GG_OK;
}

int sq__kiosk_claim(struct store *s, const char *code_hash, const char *token_hash, int64_t now,
		    struct store_kiosk *k, struct err *err)
{
	static const char sql[] =
	    "UPDATE kiosk SET token_hash=?2, code_hash=NULL, claimed_at=?3"
	    " WHERE code_hash=?1 AND code_expires > ?3 AND revoked_at=0 RETURNING " KIOSK_COLS;
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, code_hash);
	sq__bind_text(st, 2, token_hash);
	sqlite3_bind_int64(st, 3, now);
	/* SQLite makes the change at the first step: reading its row and resetting keeps it */
	return one(q, st, k, err);
}

int sq__kiosk_by_token(struct store *s, const char *token_hash, struct store_kiosk *k,
		       struct err *err)
{
	static const char sql[] =
	    "SELECT " KIOSK_COLS " FROM kiosk WHERE token_hash=?1 AND revoked_at=0";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, token_hash);
	return one(q, st, k, err);
}

int sq__kiosk_list(struct store *s, struct arena *a, struct store_kiosk **out, size_t *n,
		   struct err *err)
{
	static const char sql[] = "SELECT " KIOSK_COLS " FROM kiosk ORDER BY id DESC";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	return sq__rows(q, st, a, sizeof(**out), read_kiosk, (void **)out, n, err);
}

int sq__kiosk_revoke(struct store *s, int64_t id, int64_t now, struct err *err)
{
	static const char sql[] =
	    "UPDATE kiosk SET revoked_at=?2, code_hash=NULL WHERE id=?1 AND revoked_at=0";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	if ((r = sq__step_done(q, st, err)))
		return r;
	if (sqlite3_changes(q->db) == 0)
		return err_set(err, GG_ENOTFOUND, "no wall screen %lld to revoke", (long long)id);
	return GG_OK;
}
