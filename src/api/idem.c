/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Idempotency keys (the Idempotency-Key header) for the writes a client may send twice:
 * the field app's offline queue replays a report or an action whose answer it never got.
 * The first write keeps the key with the case it made and a digest of its fields, in the
 * same transaction; a replay with the same fields answers that case (the same id, the
 * same tracking code) without writing, and the same key with other fields or to another
 * route is refused with 409 naming the field idempotency_key. Keys belong to their
 * sender: a user's are theirs alone, the citizen page's (no login) share one namespace,
 * where unguessable random keys keep them apart.
 */
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"

#define KEY_MAX 64

static void add_len(crypto_hash_sha256_state *h, size_t n)
{
	unsigned char b[8];
	for (int i = 0; i < 8; i++)
		b[i] = (unsigned char)(n >> (8 * i));
	crypto_hash_sha256_update(h, b, sizeof(b));
}

static void add_str(crypto_hash_sha256_state *h, const char *s, size_t n)
{
	add_len(h, n);
	crypto_hash_sha256_update(h, (const unsigned char *)s, n);
}

/* The digest of the request's fields: the JSON body with sorted keys, or the multipart
 * parts in order (a client's boundary differs from one send to the next). */
static void digest(struct api_req *r, const char *route, char out[65])
{
	crypto_hash_sha256_state h;
	crypto_hash_sha256_init(&h);
	add_str(&h, route, strlen(route));
	add_str(&h, r->path, strlen(r->path));
	if (r->json) {
		char *s = json_dumps(r->json, JSON_SORT_KEYS | JSON_COMPACT);
		add_str(&h, s ? s : "", s ? strlen(s) : 0);
		free(s);
	}
	for (const struct api_part *p = r->parts; p; p = p->next) {
		add_str(&h, p->name ? p->name : "", p->name ? strlen(p->name) : 0);
		add_str(&h, p->filename ? p->filename : "", p->filename ? strlen(p->filename) : 0);
		add_str(&h, p->data.p, p->data.len);
	}
	unsigned char d[crypto_hash_sha256_BYTES];
	crypto_hash_sha256_final(&h, d);
	sodium_bin2hex(out, 65, d, sizeof(d));
}

int api__idem_begin(struct api_req *r, const char *route, struct api_idem *k)
{
	memset(k, 0, sizeof(*k));
	const char *key = api_header(r, "Idempotency-Key");
	if (!key)
		return GG_OK;
	size_t n = strlen(key);
	if (n < 8 || n > KEY_MAX ||
	    strspn(key, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
			"0123456789-_.:") != n)
		return err_field(&r->err, GG_EFIELD, "idempotency_key",
				 "Idempotency-Key is 8 to %d letters, digits, '-', '_', '.' or ':'",
				 KEY_MAX);
	k->key = arena_strdup(r->arena, key);
	k->route = route;
	if (r->authed)
		snprintf(k->owner, sizeof(k->owner), "u:%lld", (long long)r->who.user_id);
	else
		snprintf(k->owner, sizeof(k->owner), "public");
	digest(r, route, k->digest);
	return GG_OK;
}

int api__idem_find(struct api_req *r, struct api_idem *k)
{
	k->replay = 0;
	if (!k->key)
		return GG_OK;
	int rc = store_idem_get(r->db, k->owner, k->key, &k->rec, &r->err);
	if (rc == GG_ENOTFOUND) {
		err_clear(&r->err);
		return GG_OK;
	}
	if (rc)
		return rc;
	if (strcmp(k->rec.route, k->route) || strcmp(k->rec.digest, k->digest))
		return err_field(&r->err, GG_ECONFLICT, "idempotency_key",
				 "this Idempotency-Key was used for another request");
	k->replay = 1;
	return GG_OK;
}

int api__idem_keep(struct api_req *r, struct api_idem *k, int64_t case_id, const char *code)
{
	if (!k->key || k->replay)
		return GG_OK;
	struct store_idem rec = {.case_id = case_id, .created_at = clock_now()};
	snprintf(rec.owner, sizeof(rec.owner), "%s", k->owner);
	snprintf(rec.key, sizeof(rec.key), "%s", k->key);
	snprintf(rec.route, sizeof(rec.route), "%s", k->route);
	snprintf(rec.digest, sizeof(rec.digest), "%s", k->digest);
	snprintf(rec.code, sizeof(rec.code), "%s", code ? code : "");
	return store_idem_put(r->db, &rec, &r->err);
}
