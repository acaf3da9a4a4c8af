/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Intake records in PostgreSQL (as src/store/sqlite/intake.c, hotline.c and sensor.c):
 * citizen reports by tracking code, photos attached to cases, 12345 hotline orders and
 * the outbox of status changes for the hotline, API keys, sensors and their alarms.
 */
#include <stdio.h>
#include <string.h>

#include "store/pg/pg_int.h"

int pg__report_put(struct store *s, const struct store_report *rep, const char *phone_sealed,
		   struct err *err)
{
	static const char sql[] = "INSERT INTO citizen_report(code, case_id, phone_sealed,"
				  " created_at, phone_hash) VALUES($1, $2, $3, $4, $5)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, rep->code);
	pg__arg_int(&a, rep->case_id);
	pg__arg_text(&a, phone_sealed ? phone_sealed : "");
	pg__arg_int(&a, rep->created_at);
	pg__arg_text(&a, phone_sealed && *phone_sealed ? rep->phone_hash : "");
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__report_get(struct store *s, const char *code, struct store_report *rep, struct err *err)
{
	static const char sql[] =
	    "SELECT code, case_id, created_at FROM citizen_report WHERE code = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, code);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no report with this tracking code")
			   : r;
	pg__col_copy(res, 0, 0, rep->code, sizeof(rep->code));
	rep->case_id = pg__int(res, 0, 1);
	rep->created_at = pg__int(res, 0, 2);
	PQclear(res);
	return GG_OK;
}

int pg__case_media_add(struct store *s, int64_t case_id, const char *sha, struct err *err)
{
	static const char sql[] = "INSERT INTO case_media(case_id, sha256) VALUES($1, $2)"
				  " ON CONFLICT DO NOTHING";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, case_id);
	pg__arg_text(&a, sha);
	return pg__run(pg_of(s), sql, &a, err);
}

/* (a row reader for pg__rows: elem is an int64_t) */
static void read_id(const PGresult *res, int row, void *elem)
{
	*(int64_t *)elem = pg__int(res, row, 0);
}

int pg__media_cases(struct store *s, const char *sha, struct arena *a, int64_t **ids, size_t *n,
		    struct err *err)
{
	static const char sql[] = "SELECT case_id FROM case_media WHERE sha256 = $1"
				  " ORDER BY case_id";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_text(&p, sha);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**ids), read_id, (void **)ids, n, err);
}

/* (a row reader for pg__rows: elem is a char[65]) */
static void read_sha(const PGresult *res, int row, void *elem)
{
	pg__col_copy(res, row, 0, elem, 65);
}

int pg__case_media_list(struct store *s, int64_t case_id, struct arena *a, char (**shas)[65],
			size_t *n, struct err *err)
{
	static const char sql[] = "SELECT sha256 FROM case_media WHERE case_id = $1 ORDER BY seq";
	struct pg_args p = PG_ARGS_INIT;
	pg__arg_int(&p, case_id);
	return pg__rows(pg_of(s), sql, &p, a, sizeof(**shas), read_sha, (void **)shas, n, err);
}

/* ---- 12345 hotline ------------------------------------------------------------------ */

int pg__hotline_put(struct store *s, const struct store_hotline *h, const char *caller_sealed,
		    struct err *err)
{
	static const char sql[] = "INSERT INTO hotline_order(order_no, case_id, received_at,"
				  " deadline, caller_sealed, created_at, phone_hash)"
				  " VALUES($1, $2, $3, $4, $5, $6, $7)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, h->order_no);
	pg__arg_int(&a, h->case_id);
	pg__arg_int(&a, h->received_at);
	pg__arg_int(&a, h->deadline);
	pg__arg_text(&a, caller_sealed ? caller_sealed : "");
	pg__arg_int(&a, h->created_at);
	pg__arg_text(&a, h->phone_hash);
	return pg__run(pg_of(s), sql, &a, err);
}

static int hotline_one(struct store *s, const char *sql, const struct pg_args *a,
		       struct store_hotline *h, struct err *err)
{
	PGresult *res;
	int r = pg__row(pg_of(s), sql, a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no such hotline order") : r;
	pg__col_copy(res, 0, 0, h->order_no, sizeof(h->order_no));
	h->case_id = pg__int(res, 0, 1);
	h->received_at = pg__int(res, 0, 2);
	h->deadline = pg__int(res, 0, 3);
	h->created_at = pg__int(res, 0, 4);
	PQclear(res);
	return GG_OK;
}

int pg__hotline_get(struct store *s, const char *order_no, struct store_hotline *h, struct err *err)
{
	static const char sql[] = "SELECT order_no, case_id, received_at, deadline, created_at"
				  " FROM hotline_order WHERE order_no = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, order_no);
	return hotline_one(s, sql, &a, h, err);
}

int pg__hotline_of_case(struct store *s, int64_t case_id, struct store_hotline *h, struct err *err)
{
	static const char sql[] =
	    "SELECT order_no, case_id, received_at, deadline, created_at"
	    " FROM hotline_order WHERE case_id = $1 ORDER BY created_at LIMIT 1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, case_id);
	return hotline_one(s, sql, &a, h, err);
}

int pg__outbox_add(struct store *s, int64_t case_id, const char *body, int64_t now, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO hotline_outbox(case_id, body, created_at) VALUES($1, $2, $3)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, case_id);
	pg__arg_text(&a, body);
	pg__arg_int(&a, now);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__outbox_due(struct store *s, int64_t now_ms, int limit, struct arena *a,
		   struct store_outbox **out, size_t *n, struct err *err)
{
	/* Oldest first, and nothing behind a message still waiting: the hotline sees each
	 * case's changes in order. */
	static const char sql[] =
	    "SELECT id, case_id, body, attempts, next_at_ms FROM hotline_outbox"
	    " WHERE delivered_at = 0 ORDER BY id LIMIT $1";
	struct pg_args p = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&p, limit);
	int r = pg__query(pg_of(s), sql, &p, &res, err);
	if (r)
		return r;
	struct store_outbox *v = arena_alloc(a, (size_t)(limit > 0 ? limit : 1) * sizeof(*v));
	size_t len = 0;
	for (int i = 0, rows = PQntuples(res); i < rows; i++) {
		struct store_outbox *m = &v[len];
		m->id = pg__int(res, i, 0);
		m->case_id = pg__int(res, i, 1);
		m->body = arena_strdup(a, PQgetvalue(res, i, 2));
		m->attempts = (int)pg__int(res, i, 3);
		m->next_at_ms = pg__int(res, i, 4);
		if (m->next_at_ms > now_ms)
			break;
		len++;
	}
	PQclear(res);
	*out = v;
	*n = len;
	return GG_OK;
}

int pg__outbox_delivered(struct store *s, int64_t id, int64_t now, struct err *err)
{
	static const char sql[] = "UPDATE hotline_outbox SET delivered_at = $1, last_error = ''"
				  " WHERE id = $2";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, now > 0 ? now : 1);
	pg__arg_int(&a, id);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__outbox_failed(struct store *s, int64_t id, int attempts, int64_t next_at_ms,
		      const char *why, struct err *err)
{
	static const char sql[] = "UPDATE hotline_outbox SET attempts = $1, next_at_ms = $2,"
				  " last_error = $3 WHERE id = $4";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, attempts);
	pg__arg_int(&a, next_at_ms);
	pg__arg_text(&a, why ? why : "");
	pg__arg_int(&a, id);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__outbox_pending(struct store *s, int64_t *n, struct err *err)
{
	static const char sql[] = "SELECT count(*) FROM hotline_outbox WHERE delivered_at = 0";
	return pg__id(pg_of(s), sql, NULL, n, err);
}

/* ---- API keys ----------------------------------------------------------------------- */

int pg__apikey_add(struct store *s, const char *name, const char *hash, const char *scope,
		   int64_t now, int64_t *id, struct err *err)
{
	static const char sql[] = "INSERT INTO api_key(name, hash, scope, created_at)"
				  " VALUES($1, $2, $3, $4) RETURNING id";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, name);
	pg__arg_text(&a, hash);
	pg__arg_text(&a, scope ? scope : "");
	pg__arg_int(&a, now);
	int r = pg__id(pg_of(s), sql, &a, id, err);
	if (r == GG_ECONFLICT)
		return err_set(err, GG_ECONFLICT, "an API key named %s exists already", name);
	return r;
}

int pg__apikey_by_hash(struct store *s, const char *hash, struct store_apikey *k, struct err *err)
{
	static const char sql[] = "SELECT id, name, scope FROM api_key WHERE hash = $1"
				  " AND revoked = 0";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, hash);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no such API key") : r;
	k->id = pg__int(res, 0, 0);
	pg__col_copy(res, 0, 1, k->name, sizeof(k->name));
	pg__col_copy(res, 0, 2, k->scope, sizeof(k->scope));
	PQclear(res);
	return GG_OK;
}

/* ---- sensors and cameras ------------------------------------------------------------ */

int pg__device_add(struct store *s, const struct store_device *d, struct err *err)
{
	static const char sql[] = "INSERT INTO device(id, key_hash, type, category, lon, lat,"
				  " created_at) VALUES($1, $2, $3, $4, $5, $6, $7)";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, d->id);
	pg__arg_text(&a, d->key_hash);
	pg__arg_text(&a, d->type);
	pg__arg_text_or_null(&a, d->category); /* a tracker has none */
	pg__arg_double(&a, d->lon);
	pg__arg_double(&a, d->lat);
	pg__arg_int(&a, d->created_at);
	int r = pg__run(c, sql, &a, err);
	if (r == GG_ECONFLICT && !strcmp(c->state, "23505"))
		return err_set(err, GG_ECONFLICT, "a device %s exists already", d->id);
	if (r == GG_ECONFLICT)
		return err_field(err, GG_EFIELD, "category", "unknown category %s", d->category);
	return r;
}

int pg__device_get(struct store *s, const char *id, struct store_device *d, struct err *err)
{
	static const char sql[] = "SELECT id, key_hash, type, category, lon, lat, created_at"
				  " FROM device WHERE id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no device %s", id) : r;
	pg__col_copy(res, 0, 0, d->id, sizeof(d->id));
	pg__col_copy(res, 0, 1, d->key_hash, sizeof(d->key_hash));
	pg__col_copy(res, 0, 2, d->type, sizeof(d->type));
	pg__col_copy(res, 0, 3, d->category, sizeof(d->category));
	d->lon = pg__double(res, 0, 4);
	d->lat = pg__double(res, 0, 5);
	d->created_at = pg__int(res, 0, 6);
	PQclear(res);
	return GG_OK;
}

int pg__alarm_add(struct store *s, const char *device_id, const char *type, int64_t at,
		  int has_value, double value, int64_t case_id, struct err *err)
{
	static const char sql[] = "INSERT INTO sensor_alarm(device_id, type, at, value, case_id)"
				  " VALUES($1, $2, $3, $4, $5)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, device_id);
	pg__arg_text(&a, type);
	pg__arg_int(&a, at);
	pg__arg_double_or_null(&a, has_value, value);
	pg__arg_int(&a, case_id);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__alarm_open_case(struct store *s, const char *device_id, int64_t since, int64_t *case_id,
			struct err *err)
{
	static const char sql[] =
	    "SELECT a.case_id FROM sensor_alarm a JOIN gcase c ON c.id = a.case_id"
	    " WHERE a.device_id = $1 AND a.at >= $2"
	    " AND c.state NOT IN ('closed', 'evaluated', 'rejected', 'merged')"
	    " ORDER BY a.at DESC, a.id DESC LIMIT 1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, device_id);
	pg__arg_int(&a, since);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	*case_id = r == GG_OK ? pg__int(res, 0, 0) : 0;
	PQclear(res);
	return r == GG_ENOTFOUND ? GG_OK : r;
}

int pg__open311_put(struct store *s, const struct store_open311 *o, struct err *err)
{
	static const char sql[] = "INSERT INTO open311_request(case_id, media_url, address_id,"
				  " zipcode) VALUES($1, $2, $3, $4)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, o->case_id);
	pg__arg_text(&a, o->media_url);
	pg__arg_text(&a, o->address_id);
	pg__arg_text(&a, o->zipcode);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__open311_get(struct store *s, int64_t case_id, struct store_open311 *o, struct err *err)
{
	static const char sql[] = "SELECT media_url, address_id, zipcode FROM open311_request"
				  " WHERE case_id = $1";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, case_id);
	PGresult *res;
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND,
						   "no Open311 fields kept for case %lld",
						   (long long)case_id)
					 : r;
	o->case_id = case_id;
	pg__col_copy(res, 0, 0, o->media_url, sizeof(o->media_url));
	pg__col_copy(res, 0, 1, o->address_id, sizeof(o->address_id));
	pg__col_copy(res, 0, 2, o->zipcode, sizeof(o->zipcode));
	PQclear(res);
	return GG_OK;
}

int pg__idem_get(struct store *s, const char *owner, const char *key, struct store_idem *out,
		 struct err *err)
{
	static const char sql[] = "SELECT route, digest, case_id, code, created_at"
				  " FROM idempotency_key WHERE owner = $1 AND key = $2";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, owner);
	pg__arg_text(&a, key);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no write under this idempotency key")
			   : r;
	snprintf(out->owner, sizeof(out->owner), "%s", owner);
	snprintf(out->key, sizeof(out->key), "%s", key);
	pg__col_copy(res, 0, 0, out->route, sizeof(out->route));
	pg__col_copy(res, 0, 1, out->digest, sizeof(out->digest));
	out->case_id = pg__int(res, 0, 2);
	pg__col_copy(res, 0, 3, out->code, sizeof(out->code));
	out->created_at = pg__int(res, 0, 4);
	PQclear(res);
	return GG_OK;
}

int pg__idem_put(struct store *s, const struct store_idem *in, struct err *err)
{
	static const char sql[] = "INSERT INTO idempotency_key(owner, key, route, digest, case_id,"
				  " code, created_at) VALUES($1, $2, $3, $4, $5, $6, $7)";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, in->owner);
	pg__arg_text(&a, in->key);
	pg__arg_text(&a, in->route);
	pg__arg_text(&a, in->digest);
	pg__arg_int(&a, in->case_id);
	pg__arg_text(&a, in->code);
	pg__arg_int(&a, in->created_at);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__reply_put(struct store *s, int64_t case_id, const char *text, int64_t at, struct err *err)
{
	static const char sql[] = "INSERT INTO case_reply(case_id, text, at) VALUES($1, $2, $3)"
				  " ON CONFLICT(case_id) DO UPDATE SET text = excluded.text,"
				  " at = excluded.at";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, case_id);
	pg__arg_text(&a, text);
	pg__arg_int(&a, at);
	return pg__run(pg_of(s), sql, &a, err);
}

int pg__reply_get(struct store *s, int64_t case_id, struct arena *ar, char **text, int64_t *at,
		  struct err *err)
{
	static const char sql[] = "SELECT text, at FROM case_reply WHERE case_id = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_int(&a, case_id);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND
			   ? err_set(err, GG_ENOTFOUND, "no reply to case %lld", (long long)case_id)
			   : r;
	*text = arena_strdup(ar, PQgetvalue(res, 0, 0));
	*at = pg__int(res, 0, 1);
	PQclear(res);
	return GG_OK;
}
