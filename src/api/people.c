/* SPDX-License-Identifier: Apache-2.0 */
/*
 * People and housing over HTTP: residents, households and buildings under a grid, exact
 * lookup by ID number, CSV export. ID and phone numbers are shown in clear only to roles
 * that may read personal data (PERM_PEOPLE_PII) and only inside their scope; every such
 * read is recorded in the pii_access trail (written through the writer once the answer
 * is built). Everyone else gets the masked copy, and with it the birth date masked to
 * its year: the date is digits 7-14 of the number, and shown in clear beside a mask that
 * keeps digits 1-4 and 15-18 it would leave only digits 5-6 (about nine candidates once
 * the check digit is applied) to guess. Lookups by number are rate-limited per user and
 * every one is in the trail, found or not. The numbers never go into logs or error
 * messages.
 */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/idcard.h"
#include "gridgov/people.h"
#include "gridgov/pii.h"
#include "gridgov/store_people.h"

static pthread_mutex_t key_lock = PTHREAD_MUTEX_INITIALIZER;
static struct pii_key the_key;
static int key_loaded;

const struct pii_key *api__people_key(struct api_req *r)
{
	pthread_mutex_lock(&key_lock);
	if (!key_loaded) {
		char path[PII_KEY_PATH_MAX];
		pii_key_path(r->srv->cfg.dsn, path);
		if (pii_key_load(path, &the_key, &r->err) == GG_OK)
			key_loaded = 1;
	}
	pthread_mutex_unlock(&key_lock);
	if (!key_loaded)
		err_set(&r->err, GG_EUNAVAIL, "the personal-data key file cannot be read");
	return key_loaded ? &the_key : NULL;
}

int api__people_under(struct api_req *r, const char **under)
{
	const char *u = api_query(r, "under");
	if (!u || !*u) {
		*under = r->who.scope;
		return GG_OK;
	}
	if (grid_level_of_code(u) == GRID_LEVEL_NONE)
		return err_field(&r->err, GG_EFIELD, "under", "not a grid code");
	if (!principal_covers(&r->who, u))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", u);
	*under = u;
	return GG_OK;
}

/* ---- the access trail --------------------------------------------------------------- */

struct trail {
	const char *reason;
	size_t n, cap;
	int64_t *ids;
	const char **grids;
};

static void trail_add(struct api_req *r, struct trail *t, int64_t id, const char *grid)
{
	if (t->n == t->cap) {
		size_t nc = t->cap ? t->cap * 2 : 16;
		int64_t *ids = arena_alloc(r->arena, nc * sizeof(*ids));
		const char **gs = arena_alloc(r->arena, nc * sizeof(*gs));
		if (t->n) {
			memcpy(ids, t->ids, t->n * sizeof(*ids));
			memcpy(gs, t->grids, t->n * sizeof(*gs));
		}
		t->ids = ids;
		t->grids = gs;
		t->cap = nc;
	}
	t->ids[t->n] = id;
	t->grids[t->n++] = arena_strdup(r->arena, grid);
}

static int write_trail(struct api_req *r, void *arg)
{
	struct trail *t = arg;
	int64_t now = clock_now();
	for (size_t i = 0; i < t->n; i++) {
		int rc = store_pii_access_insert(r->db, now, &r->who, t->ids[i], t->grids[i],
						 t->reason, &r->err);
		if (rc)
			return rc;
	}
	return GG_OK;
}

static int flush_trail(struct api_req *r, struct trail *t)
{
	return t->n ? api_write(r, write_trail, t) : GG_OK;
}

/* ---- residents ------------------------------------------------------------------------ */

static int may_read_pii(struct api_req *r, const char *grid)
{
	return role_allows(r->who.role, PERM_PEOPLE_PII) && principal_covers(&r->who, grid);
}

/*
 * The clear ID and phone of a resident when the caller may read them (recording the read
 * in t), else the masked copies. id and phone are at least 64 bytes.
 */
static int reveal(struct api_req *r, const struct store_resident *p, struct trail *t, char *id,
		  char *phone, int *clear)
{
	*clear = may_read_pii(r, p->grid);
	if (!*clear) {
		snprintf(id, 64, "%s", p->id_mask);
		snprintf(phone, 64, "%s", p->phone_mask);
		return GG_OK;
	}
	const struct pii_key *k = api__people_key(r);
	if (!k)
		return GG_EUNAVAIL;
	/* A value that does not open means a wrong or replaced key file: a server fault. */
	if (pii_open(k, p->id_sealed, id, 64, NULL))
		return err_set(&r->err, GG_EINTERNAL, "a sealed ID number cannot be opened");
	phone[0] = 0;
	if (p->phone_sealed[0] && pii_open(k, p->phone_sealed, phone, 64, NULL))
		return err_set(&r->err, GG_EINTERNAL, "a sealed phone number cannot be opened");
	trail_add(r, t, p->id, p->grid);
	return GG_OK;
}

/* The birth date as a masked record shows it: "1990-**-**". */
static const char *shown_birth(struct api_req *r, const struct store_resident *p, int clear)
{
	if (clear || strlen(p->birth) < 4)
		return clear ? p->birth : "";
	return arena_printf(r->arena, "%.4s-**-**", p->birth);
}

static json_t *resident_json(struct api_req *r, const struct store_resident *p, struct trail *t,
			     int *rc)
{
	char id[64], phone[64];
	int clear;
	if ((*rc = reveal(r, p, t, id, phone, &clear)))
		return NULL;
	json_t *tags = json_array();
	char buf[sizeof(p->tags)];
	snprintf(buf, sizeof(buf), "%s", p->tags);
	for (char *save, *tag = strtok_r(buf, ",", &save); tag; tag = strtok_r(NULL, ",", &save))
		json_array_append_new(tags, json_string(tag));
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:s,s:s,s:b,s:b,s:s,s:s,s:b,s:b,s:o,s:s,s:s}", "id",
			      (json_int_t)p->id, "name", p->name, "grid", p->grid, "id_number", id,
			      "phone", phone, "gender", p->gender, "id_valid", p->id_valid,
			      "masked", !clear, "birth", shown_birth(r, p, clear), "relation",
			      p->relation, "registered", p->registered, "living", p->living, "tags",
			      tags, "status", p->status, "address", p->address);
	json_object_set_new(j, "house_id", p->house_id ? json_integer(p->house_id) : json_null());
	json_object_set_new(j, "household_id",
			    p->household_id ? json_integer(p->household_id) : json_null());
	*rc = GG_OK;
	return j;
}

/*
 * Answer a list of residents. Reads in clear are trailed; with trail_all every resident
 * shown is, and an empty answer leaves one entry (resident 0, the caller's scope).
 */
static int reply_residents(struct api_req *r, const struct store_resident *v, size_t n,
			   long long total, const char *reason, int trail_all)
{
	struct trail t = {.reason = reason};
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		int rc;
		size_t before = t.n;
		json_t *j = resident_json(r, &v[i], &t, &rc);
		if (!j) {
			json_decref(items);
			return rc;
		}
		if (trail_all && t.n == before)
			trail_add(r, &t, v[i].id, v[i].grid);
		json_array_append_new(items, j);
	}
	if (trail_all && n == 0)
		trail_add(r, &t, 0, r->who.scope);
	int rc = flush_trail(r, &t);
	if (rc) {
		json_decref(items);
		return rc;
	}
	api_reply_list(r, items, total);
	return GG_OK;
}

static long long query_int(struct api_req *r, const char *key, long long def, long long max)
{
	const char *s = api_query(r, key);
	if (!s || !*s)
		return def;
	char *end;
	long long v = strtoll(s, &end, 10);
	if (*end || v < 0)
		return -1;
	return v > max ? max : v;
}

int api_people_residents(struct api_req *r)
{
	const char *under;
	int rc = api__people_under(r, &under);
	if (rc)
		return rc;
	long long limit = query_int(r, "limit", 100, 1000),
		  offset = query_int(r, "offset", 0, INT64_MAX);
	if (limit < 0 || offset < 0)
		return err_field(&r->err, GG_EFIELD, limit < 0 ? "limit" : "offset",
				 "want a whole number");
	struct store_resident *v;
	size_t n;
	int64_t total;
	if ((rc = store_resident_list(r->db, under, offset, limit, r->arena, &v, &n, &total,
				      &r->err)))
		return rc;
	return reply_residents(r, v, n, total, "residents.list", 0);
}

int api_people_resident_get(struct api_req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end)
		return api_fail(r, GG_ENOTFOUND, "no resident %s", r->params[0]);
	struct store_resident p;
	int rc = store_resident_get(r->db, id, &p, &r->err);
	if (rc)
		return rc;
	if (!principal_covers(&r->who, p.grid))
		return api_fail(r, GG_EFORBIDDEN, "resident %lld is outside your scope", id);
	struct trail t = {.reason = "residents.get"};
	json_t *j = resident_json(r, &p, &t, &rc);
	if (!j)
		return rc;
	if ((rc = flush_trail(r, &t))) {
		json_decref(j);
		return rc;
	}
	api_reply(r, 200, j);
	return GG_OK;
}

int api_people_lookup(struct api_req *r)
{
	const char *idn;
	int rc = api_body_str(r, "id_number", 1, &idn);
	if (rc)
		return rc;
	/* Each lookup confirms or refutes a guess: few a minute, per user. */
	char who[32];
	snprintf(who, sizeof(who), "%lld", (long long)r->who.user_id);
	double per_min = r->srv->cfg.lookup_rate;
	if ((rc = api__rate(r, "people.lookup", who, per_min, per_min)))
		return rc;
	const struct pii_key *k = api__people_key(r);
	if (!k)
		return GG_EUNAVAIL;
	/* Look up what was stored: a valid number is normalised (final x → X) on import. */
	struct idc_info info;
	char h[PII_HASH_HEX];
	pii_hash(k, idc_parse(idn, clock_now(), &info, NULL) == GG_OK ? info.id : idn, h);
	struct store_resident *v;
	size_t n;
	if ((rc = store_resident_by_hash(r->db, h, r->arena, &v, &n, &r->err)))
		return rc;
	/* Only holders inside the caller's scope: outside, it is as if there were none. */
	size_t m = 0;
	for (size_t i = 0; i < n; i++)
		if (principal_covers(&r->who, v[i].grid))
			v[m++] = v[i];
	return reply_residents(r, v, m, (long long)m, "residents.lookup", 1);
}

int api_people_trail(struct api_req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end)
		return api_fail(r, GG_ENOTFOUND, "no resident %s", r->params[0]);
	/* who read a resident is as private as the resident: the same scope applies */
	struct store_resident p;
	int rc = store_resident_get(r->db, id, &p, &r->err);
	if (rc)
		return rc;
	if (!principal_covers(&r->who, p.grid))
		return api_fail(r, GG_EFORBIDDEN, "resident %lld is outside your scope", id);
	int64_t n;
	rc = store_pii_access_count(r->db, id, &n, &r->err);
	if (rc)
		return rc;
	api_reply(r, 200,
		  json_pack("{s:I,s:I}", "resident_id", (json_int_t)id, "reads", (json_int_t)n));
	return GG_OK;
}

/* ---- households and buildings ---------------------------------------------------------- */

int api_people_households(struct api_req *r)
{
	const char *under;
	int rc = api__people_under(r, &under);
	if (rc)
		return rc;
	struct store_household *v;
	size_t n;
	if ((rc = store_household_list(r->db, under, r->arena, &v, &n, &r->err)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++) {
		json_t *j =
		    json_pack("{s:I,s:s,s:s,s:I}", "id", (json_int_t)v[i].id, "ref", v[i].ref,
			      "grid", v[i].grid, "members", (json_int_t)v[i].members);
		json_object_set_new(j, "house_id",
				    v[i].house_id ? json_integer(v[i].house_id) : json_null());
		json_object_set_new(j, "head_id",
				    v[i].head_id ? json_integer(v[i].head_id) : json_null());
		json_array_append_new(items, j);
	}
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}

json_t *api__building_json(const struct store_building *b)
{
	json_t *j = json_pack("{s:I,s:s,s:s,s:s,s:i,s:i}", "id", (json_int_t)b->id, "ref", b->ref,
			      "address", b->address, "grid", b->grid, "floors", b->floors, "units",
			      b->units);
	json_object_set_new(j, "point",
			    b->has_point ? json_pack("[f,f]", b->lon, b->lat) : json_null());
	return j;
}

int api_people_buildings(struct api_req *r)
{
	const char *under;
	int rc = api__people_under(r, &under);
	if (rc)
		return rc;
	struct store_building *v;
	size_t n;
	if ((rc = store_building_list(r->db, under, r->arena, &v, &n, &r->err)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, api__building_json(&v[i]));
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}

/*
 * A new building: its grid is found by the locator from its point; an explicit grid is
 * accepted when the point is not inside any mapped grid (or no map is loaded yet), and
 * must agree with the locator when both are given.
 */
int api_people_building_create(struct api_req *r)
{
	struct store_building b = {0};
	const char *ref, *address, *grid = NULL;
	long long floors = 0, units = 0;
	int rc;
	if ((rc = api_body_str(r, "ref", 1, &ref)) ||
	    (rc = api_body_str(r, "address", 1, &address)) ||
	    (rc = api_body_str(r, "grid", 0, &grid)) ||
	    (rc = api_body_int(r, "floors", 0, &floors)) ||
	    (rc = api_body_int(r, "units", 0, &units)))
		return rc;
	json_t *pt = json_object_get(r->json, "point");
	if (pt && !json_is_null(pt)) {
		if (!json_is_array(pt) || json_array_size(pt) != 2 ||
		    !json_is_number(json_array_get(pt, 0)) ||
		    !json_is_number(json_array_get(pt, 1)))
			return err_field(&r->err, GG_EFIELD, "point", "want [lon, lat]");
		b.lon = json_number_value(json_array_get(pt, 0));
		b.lat = json_number_value(json_array_get(pt, 1));
		if (b.lon < -180 || b.lon > 180 || b.lat < -90 || b.lat > 90)
			return err_field(&r->err, GG_EFIELD, "point", "not WGS 84 degrees");
		b.has_point = 1;
	}
	if (strlen(ref) >= sizeof(b.ref) || !*ref)
		return err_field(&r->err, GG_EFIELD, "ref", "1 to %zu bytes", sizeof(b.ref) - 1);
	if (strlen(address) >= sizeof(b.address) || !*address)
		return err_field(&r->err, GG_EFIELD, "address", "1 to %zu bytes",
				 sizeof(b.address) - 1);
	snprintf(b.ref, sizeof(b.ref), "%s", ref);
	snprintf(b.address, sizeof(b.address), "%s", address);
	b.floors = (int)floors;
	b.units = (int)units;
	char located[GRID_CODE_MAX] = "";
	if (b.has_point) {
		struct err e = ERR_INIT;
		rc = api_locate(r->srv, b.lon, b.lat, located, &e);
		if (rc && rc != GG_ENOTFOUND) {
			r->err = e;
			return rc;
		}
	}
	if (located[0] && grid && *grid && !grid_code_within(located, grid))
		return err_field(&r->err, GG_EFIELD, "grid", "the point lies in grid %s, not in %s",
				 located, grid);
	const char *g = located[0] ? located : grid;
	if (!g || !*g)
		return err_field(&r->err, GG_EMISSING, "grid",
				 "the point is in no mapped grid: give the grid code");
	struct grid_node node;
	if ((rc = store_grid_get(r->db, g, &node, &r->err)))
		return rc == GG_ENOTFOUND ? err_field(&r->err, GG_EFIELD, "grid", "no grid %s", g)
					  : rc;
	if (!principal_covers(&r->who, g))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", g);
	snprintf(b.grid, sizeof(b.grid), "%s", g);
	if ((rc = store_building_put(r->db, &b, &b.id, &r->err)))
		return rc;
	api_reply(r, 201, api__building_json(&b));
	return GG_OK;
}

/* ---- export ------------------------------------------------------------------------------ */

static void csv_field(struct buf *b, const char *s)
{
	if (!strpbrk(s, ",\"\r\n")) {
		buf_adds(b, s);
		return;
	}
	buf_addch(b, '"');
	for (; *s; s++) {
		if (*s == '"')
			buf_addch(b, '"');
		buf_addch(b, *s);
	}
	buf_addch(b, '"');
}

/*
 * The residents under a grid as CSV (columns in docs/people-csv.md), with a UTF-8 BOM
 * so that Excel reads the Chinese text. ID and phone numbers are masked unless the caller
 * may read them (and then each resident's read is in the trail).
 */
struct export
{
	struct api_req *r;
	struct buf b;
	struct trail t;
};

static int export_row(void *arg, const struct store_resident *p)
{
	struct export *x = arg;
	char id[64], phone[64];
	int clear, rc;
	if ((rc = reveal(x->r, p, &x->t, id, phone, &clear)))
		return rc;
	const char *f[] = {p->grid,
			   p->address,
			   p->name,
			   id,
			   phone,
			   p->gender,
			   shown_birth(x->r, p, clear),
			   p->relation,
			   p->registered ? "1" : "0",
			   p->living ? "1" : "0",
			   p->tags,
			   p->status};
	for (size_t k = 0; k < sizeof(f) / sizeof(f[0]); k++) {
		if (k)
			buf_addch(&x->b, ',');
		csv_field(&x->b, f[k]);
	}
	buf_adds(&x->b, "\r\n");
	return GG_OK;
}

static void free_buf(void *p)
{
	free(p);
}

int api_people_export(struct api_req *r)
{
	const char *under;
	int rc = api__people_under(r, &under);
	if (rc)
		return rc;
	struct export x = {.r = r, .b = BUF_INIT, .t = {.reason = "residents.export"}};
	buf_adds(&x.b, "\xEF\xBB\xBF");
	buf_adds(&x.b, "grid,address,name,id_number,phone,gender,birth,relation,registered,"
		       "living,tags,status\r\n");
	/* Rows stream from the store into the buffer: a district's export is never held
	 * as records in memory, only as its CSV text. */
	if ((rc = store_resident_each(r->db, under, export_row, &x, &r->err)) ||
	    (rc = flush_trail(r, &x.t))) {
		buf_release(&x.b);
		return rc;
	}
	size_t len;
	char *csv = buf_detach(&x.b, &len);
	arena_defer(r->arena, free_buf, csv);
	r->raw = csv;
	r->raw_len = len;
	r->raw_type = "text/csv; charset=utf-8";
	return GG_OK;
}
