/* SPDX-License-Identifier: Apache-2.0 */
/* Intake records in SQLite: citizen reports by tracking code, photos attached to cases. */
#include <stdio.h>
#include <string.h>

#include "store/sqlite/sq_int.h"

int sq__report_put(struct store *s, const struct store_report *rep, const char *phone_sealed,
		   struct err *err)
{
	static const char sql[] = "INSERT INTO citizen_report(code, case_id, phone_sealed,"
				  " created_at, phone_hash) VALUES(?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, rep->code);
	sqlite3_bind_int64(st, 2, rep->case_id);
	sq__bind_text(st, 3, phone_sealed ? phone_sealed : "");
	sqlite3_bind_int64(st, 4, rep->created_at);
	sq__bind_text(st, 5, phone_sealed && *phone_sealed ? rep->phone_hash : "");
	return sq__step_done(q, st, err);
}

int sq__report_get(struct store *s, const char *code, struct store_report *rep, struct err *err)
{
	static const char sql[] =
	    "SELECT code, case_id, created_at FROM citizen_report WHERE code=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, code);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sq__col_copy(st, 0, rep->code, sizeof(rep->code));
		rep->case_id = sqlite3_column_int64(st, 1);
		rep->created_at = sqlite3_column_int64(st, 2);
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no report with this tracking code");
	return sq__fail(q, rc, err);
}

int sq__case_media_add(struct store *s, int64_t case_id, const char *sha, struct err *err)
{
	static const char sql[] = "INSERT INTO case_media(case_id, sha256) VALUES(?,?)"
				  " ON CONFLICT DO NOTHING";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	sq__bind_text(st, 2, sha);
	return sq__step_done(q, st, err);
}

int sq__media_cases(struct store *s, const char *sha, struct arena *a, int64_t **ids, size_t *n,
		    struct err *err)
{
	static const char sql[] = "SELECT case_id FROM case_media WHERE sha256=? ORDER BY case_id";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, sha);
	size_t cap = 0, len = 0;
	int64_t *v = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*(int64_t *)arena_push(a, (void **)&v, &len, &cap, sizeof(*v)) =
		    sqlite3_column_int64(st, 0);
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*ids = v;
	*n = len;
	return GG_OK;
}

int sq__case_media_list(struct store *s, int64_t case_id, struct arena *a, char (**shas)[65],
			size_t *n, struct err *err)
{
	static const char sql[] = "SELECT sha256 FROM case_media WHERE case_id=? ORDER BY rowid";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	size_t cap = 0, len = 0;
	char(*v)[65] = NULL;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		sq__col_copy(st, 0, arena_push(a, (void **)&v, &len, &cap, sizeof(*v)), sizeof(*v));
	sq__done(st);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*shas = v;
	*n = len;
	return GG_OK;
}

int sq__idem_get(struct store *s, const char *owner, const char *key, struct store_idem *out,
		 struct err *err)
{
	static const char sql[] = "SELECT route, digest, case_id, code, created_at"
				  " FROM idempotency_key WHERE owner=? AND key=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, owner);
	sq__bind_text(st, 2, key);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		snprintf(out->owner, sizeof(out->owner), "%s", owner);
		snprintf(out->key, sizeof(out->key), "%s", key);
		sq__col_copy(st, 0, out->route, sizeof(out->route));
		sq__col_copy(st, 1, out->digest, sizeof(out->digest));
		out->case_id = sqlite3_column_int64(st, 2);
		sq__col_copy(st, 3, out->code, sizeof(out->code));
		out->created_at = sqlite3_column_int64(st, 4);
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no write under this idempotency key");
	return sq__fail(q, rc, err);
}

int sq__idem_put(struct store *s, const struct store_idem *in, struct err *err)
{
	static const char sql[] = "INSERT INTO idempotency_key(owner, key, route, digest, case_id,"
				  " code, created_at) VALUES(?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, in->owner);
	sq__bind_text(st, 2, in->key);
	sq__bind_text(st, 3, in->route);
	sq__bind_text(st, 4, in->digest);
	sqlite3_bind_int64(st, 5, in->case_id);
	sq__bind_text(st, 6, in->code);
	sqlite3_bind_int64(st, 7, in->created_at);
	return sq__step_done(q, st, err);
}

int sq__reply_put(struct store *s, int64_t case_id, const char *text, int64_t at, struct err *err)
{
	static const char sql[] = "INSERT INTO case_reply(case_id, text, at) VALUES(?,?,?)"
				  " ON CONFLICT(case_id) DO UPDATE SET text=excluded.text,"
				  " at=excluded.at";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	sq__bind_text(st, 2, text);
	sqlite3_bind_int64(st, 3, at);
	return sq__step_done(q, st, err);
}

int sq__reply_get(struct store *s, int64_t case_id, struct arena *a, char **text, int64_t *at,
		  struct err *err)
{
	static const char sql[] = "SELECT text, at FROM case_reply WHERE case_id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*text = arena_strdup(a, (const char *)sqlite3_column_text(st, 0));
		*at = sqlite3_column_int64(st, 1);
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no reply to case %lld", (long long)case_id);
	return sq__fail(q, rc, err);
}
