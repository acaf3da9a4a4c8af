/* SPDX-License-Identifier: Apache-2.0 */
/*
 * 12345 hotline orders, the outbox of status changes for the hotline, the fields of
 * Open311 requests a case has no column for, and API keys, in SQLite.
 */
#include <string.h>

#include "store/sqlite/sq_int.h"

static int exec1(struct sq *q, sqlite3_stmt *st, struct err *err)
{
	int rc = sqlite3_step(st);
	sq__done(st);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__hotline_put(struct store *s, const struct store_hotline *h, const char *caller_sealed,
		    struct err *err)
{
	static const char sql[] = "INSERT INTO hotline_order(order_no, case_id, received_at,"
				  " deadline, caller_sealed, created_at, phone_hash)"
				  " VALUES(?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, h->order_no);
	sqlite3_bind_int64(st, 2, h->case_id);
	sqlite3_bind_int64(st, 3, h->received_at);
	sqlite3_bind_int64(st, 4, h->deadline);
	sq__bind_text(st, 5, caller_sealed ? caller_sealed : "");
	sqlite3_bind_int64(st, 6, h->created_at);
	sq__bind_text(st, 7, h->phone_hash);
	return exec1(q, st, err);
}

static int get_one(struct sq *q, sqlite3_stmt *st, struct store_hotline *h, struct err *err)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sq__col_copy(st, 0, h->order_no, sizeof(h->order_no));
		h->case_id = sqlite3_column_int64(st, 1);
		h->received_at = sqlite3_column_int64(st, 2);
		h->deadline = sqlite3_column_int64(st, 3);
		h->created_at = sqlite3_column_int64(st, 4);
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no such hotline order");
	return sq__fail(q, rc, err);
}

int sq__hotline_get(struct store *s, const char *order_no, struct store_hotline *h, struct err *err)
{
	static const char sql[] = "SELECT order_no, case_id, received_at, deadline, created_at"
				  " FROM hotline_order WHERE order_no=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, order_no);
	return get_one(q, st, h, err);
}

int sq__hotline_of_case(struct store *s, int64_t case_id, struct store_hotline *h, struct err *err)
{
	static const char sql[] = "SELECT order_no, case_id, received_at, deadline, created_at"
				  " FROM hotline_order WHERE case_id=? ORDER BY created_at LIMIT 1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	return get_one(q, st, h, err);
}

int sq__outbox_add(struct store *s, int64_t case_id, const char *body, int64_t now, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO hotline_outbox(case_id, body, created_at) VALUES(?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	sq__bind_text(st, 2, body);
	sqlite3_bind_int64(st, 3, now);
	return exec1(q, st, err);
}

int sq__outbox_due(struct store *s, int64_t now_ms, int limit, struct arena *a,
		   struct store_outbox **out, size_t *n, struct err *err)
{
	/* Oldest first, and nothing behind a message still waiting: the hotline sees each
	 * case's changes in order. */
	static const char sql[] =
	    "SELECT id, case_id, body, attempts, next_at_ms FROM hotline_outbox"
	    " WHERE delivered_at=0 ORDER BY id LIMIT ?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int(st, 1, limit);
	struct store_outbox *v = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*v));
	size_t len = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct store_outbox *m = &v[len];
		m->id = sqlite3_column_int64(st, 0);
		m->case_id = sqlite3_column_int64(st, 1);
		m->body = arena_strdup(a, (const char *)sqlite3_column_text(st, 2));
		m->attempts = sqlite3_column_int(st, 3);
		m->next_at_ms = sqlite3_column_int64(st, 4);
		if (m->next_at_ms > now_ms)
			break;
		len++;
	}
	sq__done(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return sq__fail(q, rc, err);
	*out = v;
	*n = len;
	return GG_OK;
}

int sq__outbox_delivered(struct store *s, int64_t id, int64_t now, struct err *err)
{
	static const char sql[] = "UPDATE hotline_outbox SET delivered_at=?, last_error=''"
				  " WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, now > 0 ? now : 1);
	sqlite3_bind_int64(st, 2, id);
	return exec1(q, st, err);
}

int sq__outbox_failed(struct store *s, int64_t id, int attempts, int64_t next_at_ms,
		      const char *why, struct err *err)
{
	static const char sql[] = "UPDATE hotline_outbox SET attempts=?, next_at_ms=?,"
				  " last_error=? WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int(st, 1, attempts);
	sqlite3_bind_int64(st, 2, next_at_ms);
	sq__bind_text(st, 3, why ? why : "");
	sqlite3_bind_int64(st, 4, id);
	return exec1(q, st, err);
}

int sq__outbox_pending(struct store *s, int64_t *n, struct err *err)
{
	static const char sql[] = "SELECT count(*) FROM hotline_outbox WHERE delivered_at=0";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sq__done(st);
	return rc == SQLITE_ROW ? GG_OK : sq__fail(q, rc, err);
}

int sq__apikey_add(struct store *s, const char *name, const char *hash, const char *scope,
		   int64_t now, int64_t *id, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO api_key(name, hash, scope, created_at) VALUES(?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, name);
	sq__bind_text(st, 2, hash);
	sq__bind_text(st, 3, scope ? scope : "");
	sqlite3_bind_int64(st, 4, now);
	int rc = sqlite3_step(st);
	sq__done(st);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return err_set(err, GG_ECONFLICT, "an API key named %s exists already", name);
	if (rc != SQLITE_DONE)
		return sq__fail(q, rc, err);
	*id = sqlite3_last_insert_rowid(q->db);
	return GG_OK;
}

int sq__apikey_by_hash(struct store *s, const char *hash, struct store_apikey *k, struct err *err)
{
	static const char sql[] = "SELECT id, name, scope FROM api_key WHERE hash=? AND revoked=0";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, hash);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		k->id = sqlite3_column_int64(st, 0);
		sq__col_copy(st, 1, k->name, sizeof(k->name));
		sq__col_copy(st, 2, k->scope, sizeof(k->scope));
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no such API key");
	return sq__fail(q, rc, err);
}

int sq__open311_put(struct store *s, const struct store_open311 *o, struct err *err)
{
	static const char sql[] = "INSERT INTO open311_request(case_id, media_url, address_id,"
				  " zipcode) VALUES(?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, o->case_id);
	sq__bind_text(st, 2, o->media_url);
	sq__bind_text(st, 3, o->address_id);
	sq__bind_text(st, 4, o->zipcode);
	return exec1(q, st, err);
}

int sq__open311_get(struct store *s, int64_t case_id, struct store_open311 *o, struct err *err)
{
	static const char sql[] = "SELECT media_url, address_id, zipcode FROM open311_request"
				  " WHERE case_id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sqlite3_bind_int64(st, 1, case_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		o->case_id = case_id;
		sq__col_copy(st, 0, o->media_url, sizeof(o->media_url));
		sq__col_copy(st, 1, o->address_id, sizeof(o->address_id));
		sq__col_copy(st, 2, o->zipcode, sizeof(o->zipcode));
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no Open311 fields kept for case %lld",
			       (long long)case_id);
	return sq__fail(q, rc, err);
}
