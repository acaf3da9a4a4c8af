/* SPDX-License-Identifier: Apache-2.0 */
/* Media records and their owners in PostgreSQL (as src/store/sqlite/media.c). */
#include "store/pg/pg_int.h"

int pg__media_put(struct store *s, const struct store_media *m, struct err *err)
{
	static const char sql[] =
	    "INSERT INTO media(sha256, kind, bytes, width, height, uploader, created_at)"
	    " VALUES($1, $2, $3, $4, $5, $6, $7) ON CONFLICT(sha256) DO NOTHING";
	static const char own[] = "INSERT INTO media_owner(sha256, user_id) VALUES($1, $2)"
				  " ON CONFLICT DO NOTHING";
	struct pg *c = pg_of(s);
	struct pg_args a = PG_ARGS_INIT, o = PG_ARGS_INIT;
	pg__arg_text(&a, m->sha256);
	pg__arg_text(&a, m->kind);
	pg__arg_int(&a, m->bytes);
	pg__arg_int(&a, m->width);
	pg__arg_int(&a, m->height);
	pg__arg_id_or_null(&a, m->uploader);
	pg__arg_int(&a, m->created_at);
	int r = pg__run(c, sql, &a, err);
	if (r || !m->uploader)
		return r;
	pg__arg_text(&o, m->sha256);
	pg__arg_int(&o, m->uploader);
	return pg__run(c, own, &o, err);
}

int pg__media_owned(struct store *s, const char *sha, int64_t user, int *owned, struct err *err)
{
	static const char sql[] = "SELECT 1 FROM media_owner WHERE sha256 = $1 AND user_id = $2";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, sha);
	pg__arg_int(&a, user);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	PQclear(res);
	*owned = r == GG_OK;
	return r == GG_ENOTFOUND ? GG_OK : r;
}

int pg__media_get(struct store *s, const char *sha, struct store_media *m, struct err *err)
{
	static const char sql[] = "SELECT sha256, kind, bytes, width, height,"
				  " coalesce(uploader, 0), created_at FROM media WHERE sha256 = $1";
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, sha);
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r == GG_ENOTFOUND ? err_set(err, GG_ENOTFOUND, "no media %s", sha) : r;
	pg__col_copy(res, 0, 0, m->sha256, sizeof(m->sha256));
	pg__col_copy(res, 0, 1, m->kind, sizeof(m->kind));
	m->bytes = pg__int(res, 0, 2);
	m->width = (int)pg__int(res, 0, 3);
	m->height = (int)pg__int(res, 0, 4);
	m->uploader = pg__int(res, 0, 5);
	m->created_at = pg__int(res, 0, 6);
	PQclear(res);
	return GG_OK;
}
