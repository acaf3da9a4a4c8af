/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov import people: buildings, houses, households and residents from the one CSV
 * layout of docs/people-csv.md. Every row is checked (ID check digit and birth date,
 * phone, vocabularies, grid) and each bad row is reported as "line N: field: reason".
 * The whole file is one transaction: it commits only if every row is good, unless
 * --skip-bad-rows, which keeps the good rows. Each row is checked completely before any
 * of it is written, so a bad row leaves nothing behind.
 * ID and phone numbers are sealed before they reach the store and never printed.
 *
 * Two threads share the work: a reader reads, parses, checks, seals and hashes the
 * rows in batches, while the caller's thread checks what needs the database (the grid,
 * a repeated ID number) and writes, so the two halves overlap on two cores. Batches go
 * through a small ring in file order, and only the writing thread reports, so the
 * report keeps the file's order and line numbers.
 */
#include <pthread.h>
#include <sodium.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/csv.h"
#include "gridgov/idcard.h"
#include "gridgov/people.h"
#include "gridgov/pii.h"
#include "gridgov/store_people.h"

static const char usage[] =
    "usage: gridgov import people --db PATH FILE.csv [--skip-bad-rows] [--legacy]\n"
    "                             [--create-grids]\n\n"
    "Load buildings 楼栋, houses 房屋, households 户 and residents 人口 from one CSV\n"
    "(layout: docs/people-csv.md). Bad rows are listed as 'line N: field: reason'.\n"
    "Nothing is imported if any row is bad, unless --skip-bad-rows.\n\n"
    "  --skip-bad-rows  import the good rows and report the others\n"
    "  --legacy         keep rows whose ID number fails its check or is already held\n"
    "                   by someone else, marked, so 'gridgov check people' lists them\n"
    "                   (for migrating old registers)\n"
    "  --create-grids   create a missing basic grid (15 digits) under its community\n";

enum col {
	C_GRID,
	C_BUILDING,
	C_ADDRESS,
	C_LON,
	C_LAT,
	C_FLOORS,
	C_UNITS,
	C_UNIT,
	C_NUMBER,
	C_AREA,
	C_USE,
	C_HOUSEHOLD,
	C_NAME,
	C_ID,
	C_PHONE,
	C_RELATION,
	C_REGISTERED,
	C_LIVING,
	C_TAGS,
	C_COUNT
};

static const char *const col_names[C_COUNT] = {
    "grid",  "building", "address",    "lon",	 "lat",	      "floors", "units",
    "unit",  "number",	 "area",       "use",	 "household", "name",	"id_number",
    "phone", "relation", "registered", "living", "tags",
};

struct importer {
	struct store *s;
	struct pii_key key;
	struct csv csv;
	int idx[C_COUNT];
	int legacy, create_grids;
	/*
	 * While the store's indexes are dropped for a bulk load, the ID hashes held and
	 * imported so far, to refuse a duplicate without a table scan.
	 */
	struct cli_idset *held;
	int64_t now;
	int64_t buildings, houses, residents;
	/*
	 * The building, house and household of the previous row: files list the people of
	 * one flat together, so repeating the same upsert for each of them is skipped.
	 * Cleared when a row is rolled back (its ids may be gone).
	 */
	char last_b[512], last_h[768], last_hh[PEOPLE_REF_MAX + GRID_CODE_MAX];
	int64_t last_b_id, last_h_id, last_hh_id;
	char last_grid[GRID_CODE_MAX];
};

/* Key of the current row's fields first..last, joined by unit separators. */
static void row_key(struct importer *im, enum col first, enum col last, char *out, size_t n)
{
	size_t len = 0;
	for (int c = first; c <= (int)last; c++) {
		const char *v = im->idx[c] < 0 ? "" : csv_get(&im->csv, im->idx[c]);
		size_t vl = strlen(v);
		if (len + vl + 2 > n) { /* too long to compare safely: never equal */
			out[0] = 0;
			return;
		}
		memcpy(out + len, v, vl);
		len += vl;
		out[len++] = '\x1f';
	}
	out[len] = 0;
}

/* snprintf(dst, n, "%s", src) without the format machinery: a few per row, a million rows. */
static void scopy(char *dst, size_t n, const char *src)
{
	size_t l = strlen(src);
	if (l >= n)
		l = n - 1;
	memcpy(dst, src, l);
	dst[l] = 0;
}

static const char *get(struct importer *im, enum col c)
{
	return im->idx[c] < 0 ? "" : csv_get(&im->csv, im->idx[c]);
}

static int copy(char *dst, size_t n, const char *src, const char *field, struct err *err)
{
	if (strlen(src) >= n)
		return err_field(err, GG_EFIELD, field, "too long (at most %zu bytes)", n - 1);
	memcpy(dst, src, strlen(src) + 1);
	return GG_OK;
}

static int parse_num(const char *s, double *out)
{
	char *end;
	*out = strtod(s, &end);
	return *s && !*end;
}

static int parse_int(const char *s, int *out, const char *field, struct err *err)
{
	if (!*s) {
		*out = 0;
		return GG_OK;
	}
	char *end;
	long v = strtol(s, &end, 10);
	if (*end || v < 0 || v > 10000)
		return err_field(err, GG_EFIELD, field, "not a whole number");
	*out = (int)v;
	return GG_OK;
}

/*
 * The grid of a row: it must exist, or (with --create-grids) be a basic grid whose
 * community exists; *create is set then, and the grid is made in the write phase.
 */
static int check_grid(struct importer *im, const char *code, int *create, struct err *err)
{
	struct grid_node g;
	*create = 0;
	if (!*code)
		return err_field(err, GG_EMISSING, "grid", "the grid code is required");
	if (grid_level_of_code(code) == GRID_LEVEL_NONE)
		return err_field(err, GG_EFIELD, "grid", "'%s' is not a grid code", code);
	if (!strcmp(code, im->last_grid))
		return GG_OK;
	struct err e = ERR_INIT;
	int rc = store_grid_get(im->s, code, &g, &e);
	if (rc == GG_OK) {
		scopy(im->last_grid, sizeof(im->last_grid), code);
		return GG_OK;
	}
	if (rc != GG_ENOTFOUND) {
		*err = e;
		return rc;
	}
	if (!im->create_grids || grid_level_of_code(code) != GRID_GRID)
		return err_field(err, GG_EFIELD, "grid", "grid %s is not in the grid tree", code);
	char parent[GRID_CODE_MAX];
	if (grid_code_parent(code, parent) != 0 || store_grid_get(im->s, parent, &g, &e))
		return err_field(err, GG_EFIELD, "grid", "community of grid %s is not in the tree",
				 code);
	*create = 1;
	return GG_OK;
}

static int seal_into(const struct pii_key *k, const char *plain, char *dst, size_t n,
		     const char *field, struct err *err)
{
	if (pii_seal_to(k, plain, dst, n) != GG_OK)
		return err_field(err, GG_EFIELD, field, "too long");
	return GG_OK;
}

/* What the reader made of a record. */
enum row_status { ROW_OK, ROW_BAD, ROW_MALFORMED, ROW_BLANK };

/* What one row declares, checked and ready to write. */
struct row {
	long line;
	enum row_status status;
	struct err err;		       /* ROW_BAD: the first fault the reader found */
	char grid[GRID_CODE_MAX + 32]; /* longer codes are cut: they are no grid either way */
	unsigned char id_bin[32];
	int has_id_bin;
	int create_grid;
	int has_building, building_known, has_house, house_known, has_resident;
	int has_household, household_known;
	char bkey[sizeof(((struct importer *)0)->last_b)];
	char hkey[sizeof(((struct importer *)0)->last_h)];
	char hhkey[sizeof(((struct importer *)0)->last_hh)];
	struct store_building b;
	struct store_house h;
	struct store_household hh;
	struct store_resident p;
};

/*
 * Check a row completely before anything is written, so that a bad row leaves no trace
 * and needs no savepoint (a savepoint per row would journal every page each row
 * touches). This half runs on the reader thread and needs no database: it reads only
 * the current record, the key, the clock and the flags. The grid tree and whether the
 * ID number is already held are checked by finish_row on the writing thread.
 */
static int parse_row(struct importer *im, struct row *w, struct err *err)
{
	const char *grid = get(im, C_GRID);
	int rc;
	scopy(w->grid, sizeof(w->grid), grid);

	struct store_building *b = &w->b;
	const char *bref = get(im, C_BUILDING);
	if (*bref) {
		w->has_building = 1;
		if ((rc = copy(b->ref, sizeof(b->ref), bref, "building", err)) ||
		    (rc = copy(b->address, sizeof(b->address), get(im, C_ADDRESS), "address",
			       err)) ||
		    (rc = copy(b->grid, sizeof(b->grid), grid, "grid", err)))
			return rc;
		if (!b->address[0])
			return err_field(err, GG_EMISSING, "address",
					 "a building needs its address");
		const char *lon = get(im, C_LON), *lat = get(im, C_LAT);
		if (*lon || *lat) {
			if (!parse_num(lon, &b->lon) || b->lon < -180 || b->lon > 180)
				return err_field(err, GG_EFIELD, "lon", "not a longitude");
			if (!parse_num(lat, &b->lat) || b->lat < -90 || b->lat > 90)
				return err_field(err, GG_EFIELD, "lat", "not a latitude");
			b->has_point = 1;
		}
		if ((rc = parse_int(get(im, C_FLOORS), &b->floors, "floors", err)) ||
		    (rc = parse_int(get(im, C_UNITS), &b->units, "units", err)))
			return rc;
		row_key(im, C_GRID, C_UNITS, w->bkey, sizeof(w->bkey));
	}

	struct store_house *h = &w->h;
	const char *number = get(im, C_NUMBER);
	if (*number) {
		w->has_house = 1;
		if ((rc = copy(h->bref, sizeof(h->bref), bref, "building", err)) ||
		    (rc = copy(h->grid, sizeof(h->grid), grid, "grid", err)) ||
		    (rc = copy(h->unit, sizeof(h->unit), get(im, C_UNIT), "unit", err)) ||
		    (rc = copy(h->number, sizeof(h->number), number, "number", err)))
			return rc;
		const char *area = get(im, C_AREA), *use = get(im, C_USE);
		if (*area && (!parse_num(area, &h->area) || h->area <= 0 || h->area > 100000))
			return err_field(err, GG_EFIELD, "area", "not an area in square metres");
		if (*use && !people_use_valid(use))
			return err_field(err, GG_EFIELD, "use",
					 "'%s' is not 自住, 出租, 空置 or 经营", use);
		scopy(h->use, sizeof(h->use), *use ? use : "自住");
		row_key(im, C_GRID, C_USE, w->hkey, sizeof(w->hkey));
	} else if (*get(im, C_UNIT) || *get(im, C_AREA) || *get(im, C_USE)) {
		return err_field(err, GG_EMISSING, "number", "a house needs its number");
	}

	const char *name = get(im, C_NAME);
	if (!*name) {
		if (*get(im, C_ID) || *get(im, C_PHONE))
			return err_field(err, GG_EMISSING, "name", "a resident needs a name");
		return GG_OK; /* the row declares a building or house only */
	}
	w->has_resident = 1;
	struct store_resident *p = &w->p;
	if ((rc = copy(p->name, sizeof(p->name), name, "name", err)) ||
	    (rc = copy(p->grid, sizeof(p->grid), grid, "grid", err)))
		return rc;
	const char *id = get(im, C_ID);
	if (!*id)
		return err_field(err, GG_EMISSING, "id_number", "a resident needs an ID number");
	struct idc_info info;
	struct err ide = ERR_INIT;
	if (idc_parse(id, im->now, &info, &ide) == GG_OK) {
		p->id_valid = 1;
		p->gender[0] = info.gender;
		scopy(p->birth, sizeof(p->birth), info.birth);
		id = info.id;
	} else if (!im->legacy || strlen(id) > 32) {
		*err = ide;
		return ide.code;
	}
	const char *phone = get(im, C_PHONE);
	if (*phone && (rc = idc_phone_check(phone, err)))
		return rc;
	const char *rel = get(im, C_RELATION);
	if (*rel && !people_relation_valid(rel))
		return err_field(err, GG_EFIELD, "relation",
				 "'%s' is not 户主 配偶 子女 父母 孙子女 兄弟姐妹 租户 其他", rel);
	scopy(p->relation, sizeof(p->relation), *rel ? rel : "其他");
	p->registered = people_parse_bool(get(im, C_REGISTERED), 1);
	p->living = people_parse_bool(get(im, C_LIVING), 1);
	if (p->registered < 0)
		return err_field(err, GG_EFIELD, "registered", "want 1/0 or 是/否");
	if (p->living < 0)
		return err_field(err, GG_EFIELD, "living", "want 1/0 or 是/否");
	if ((rc = people_tags_normalise(get(im, C_TAGS), p->tags, sizeof(p->tags), err)))
		return rc;
	const char *href = get(im, C_HOUSEHOLD);
	if (*href && (rc = copy(w->hh.ref, sizeof(w->hh.ref), href, "household", err)))
		return rc;

	pii_hash(&im->key, id, p->id_hash);
	if ((rc = seal_into(&im->key, id, p->id_sealed, sizeof(p->id_sealed), "id_number", err)))
		return rc;
	idc_mask_id(id, p->id_mask);
	if (*phone) {
		if ((rc = seal_into(&im->key, phone, p->phone_sealed, sizeof(p->phone_sealed),
				    "phone", err)))
			return rc;
		idc_mask_phone(phone, p->phone_mask);
	}
	w->has_id_bin = cli__idset_key(p->id_hash, w->id_bin);
	return GG_OK;
}

/*
 * The checks of a row parsed without fault that need the database or what was written
 * before it, on the writing thread: the grid, then whether the ID number is held.
 */
static int finish_row(struct importer *im, struct row *w, struct err *err)
{
	int rc = check_grid(im, w->grid, &w->create_grid, err);
	if (rc)
		return rc;
	if (w->status == ROW_BAD) {
		*err = w->err;
		return err->code ? err->code : GG_EFIELD;
	}
	w->building_known = w->has_building && w->bkey[0] && !strcmp(w->bkey, im->last_b);
	w->house_known =
	    w->has_house && w->hkey[0] && !strcmp(w->hkey, im->last_h) && im->last_h_id;
	if (!w->has_resident || im->legacy) /* --legacy keeps a repeated ID number */
		return GG_OK;
	/*
	 * Last, as nothing after it can fail but the write, which ends the import: a hash
	 * taken into the set is always a resident written.
	 */
	struct store_resident *p = &w->p;
	int64_t holders = 0;
	if (im->held) {
		int had = 0;
		if (w->has_id_bin && cli__idset_put(im->held, w->id_bin, &had))
			return err_set(err, GG_EINTERNAL, "out of memory");
		holders = had;
	} else if ((rc = store_resident_count_hash(im->s, p->id_hash, &holders, err))) {
		return rc;
	}
	if (holders)
		return err_field(err, GG_ECONFLICT, "id_number",
				 "this ID number is already registered");
	return GG_OK;
}

/* Write a checked row: building › house › household › resident. */
static int write_row(struct importer *im, struct row *w, struct err *err)
{
	int rc;
	const char *grid = w->grid;
	if (w->create_grid) {
		struct grid_node n = {.level = GRID_GRID};
		size_t len = strlen(grid);
		if (len >= sizeof(n.code))
			return err_field(err, GG_EFIELD, "grid", "not a grid code");
		memcpy(n.code, grid, len + 1);
		if (grid_code_parent(grid, n.parent) != 0)
			return err_field(err, GG_EFIELD, "grid", "not a grid code");
		snprintf(n.name, sizeof(n.name), "第%s网格", grid + 12);
		if ((rc = store_grid_put(im->s, &n, err)))
			return rc;
	}
	scopy(im->last_grid, sizeof(im->last_grid), grid);
	int64_t building_id = 0, house_id = 0;
	if (w->building_known) {
		building_id = im->last_b_id;
	} else if (w->has_building) {
		if ((rc = store_building_put(im->s, &w->b, &building_id, err)))
			return rc;
		scopy(im->last_b, sizeof(im->last_b), w->bkey);
		im->last_b_id = building_id;
		im->buildings++;
	}
	if (w->house_known) {
		house_id = im->last_h_id;
	} else if (w->has_house) {
		w->h.building_id = building_id;
		if ((rc = store_house_put(im->s, &w->h, &house_id, err)))
			return rc;
		scopy(im->last_h, sizeof(im->last_h), w->hkey);
		im->last_h_id = house_id;
		im->houses++;
	}
	if (!w->has_resident)
		return GG_OK;
	/* The household: named in the file, else one per house. */
	struct store_household *hh = &w->hh;
	hh->house_id = house_id;
	scopy(hh->grid, sizeof(hh->grid), grid);
	if (!hh->ref[0] && house_id)
		snprintf(hh->ref, sizeof(hh->ref), "H%lld", (long long)house_id);
	w->p.house_id = house_id;
	if (hh->ref[0]) {
		/* ref, unit separator, house id in decimal */
		_Static_assert(sizeof(w->hhkey) >= PEOPLE_REF_MAX + 1 + 20, "the key fits");
		size_t l = strlen(hh->ref);
		char num[24], *d = num + sizeof(num);
		uint64_t v = (uint64_t)house_id;
		do
			*--d = (char)('0' + v % 10);
		while (v /= 10);
		memcpy(w->hhkey, hh->ref, l);
		w->hhkey[l] = '\x1f';
		memcpy(w->hhkey + l + 1, d, (size_t)(num + sizeof(num) - d));
		w->hhkey[l + 1 + (size_t)(num + sizeof(num) - d)] = 0;
		if (!strcmp(w->hhkey, im->last_hh)) {
			w->p.household_id = im->last_hh_id;
		} else {
			if ((rc = store_household_put(im->s, hh, &w->p.household_id, err)))
				return rc;
			scopy(im->last_hh, sizeof(im->last_hh), w->hhkey);
			im->last_hh_id = w->p.household_id;
		}
	}
	if ((rc = store_resident_insert(im->s, &w->p, NULL, err)))
		return rc;
	im->residents++;
	return GG_OK;
}

/* The reader's record holds a field that is not valid text: name its column. */
static void text_fault(const struct importer *im, struct err *e)
{
	const char *col = NULL;
	for (int c = 0; c < C_COUNT; c++)
		if (im->idx[c] == im->csv.bad_col)
			col = col_names[c];
	char other[32];
	if (!col) {
		snprintf(other, sizeof(other), "column %d", im->csv.bad_col + 1);
		col = other;
	}
	err_field(e, GG_EFIELD, col, "%s", utf8_fault_text((enum utf8_fault)im->csv.bad_fault));
}

static void report(long line, const struct err *e)
{
	if (e->field[0])
		fprintf(stderr, "line %ld: %s: %s\n", line, e->field, err_msg(e));
	else
		fprintf(stderr, "line %ld: %s\n", line, err_msg(e));
}

/*
 * The ring of batches between the reader and the writer: the reader fills slot
 * (head + full) % PIPE_SLOTS, the writer empties slot head. A few slots let either side
 * run ahead of a slow stretch of the other; batches of some thousand rows keep the
 * handing over rare.
 */
enum { PIPE_SLOTS = 3, PIPE_ROWS = 2048 };

struct batch {
	struct row *rows;
	size_t n;
	long pos; /* the file's offset after the batch, for the progress bar */
	int eof;
};

struct pipe {
	struct importer *im;
	FILE *f;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct batch b[PIPE_SLOTS];
	int head, full;
	int stop; /* the writer gave up: the reader ends at its next batch */
};

/* Fill one batch from the file: each record parsed and checked as far as it can be alone. */
static void fill(struct importer *im, FILE *f, struct batch *bt)
{
	bt->n = 0;
	bt->eof = 0;
	while (bt->n < PIPE_ROWS) {
		int got = csv_next(&im->csv);
		if (got == 0) {
			bt->eof = 1;
			break;
		}
		struct row *w = &bt->rows[bt->n++];
		memset(w, 0, sizeof(*w));
		w->line = im->csv.line;
		if (got < 0) {
			w->status = ROW_MALFORMED;
			if (im->csv.bad_col >= 0)
				text_fault(im, &w->err);
		} else if (im->csv.nfields == 1 && !*csv_get(&im->csv, 0))
			w->status = ROW_BLANK;
		else if (parse_row(im, w, &w->err) != GG_OK)
			w->status = ROW_BAD;
	}
	bt->pos = ftell(f);
}

static void *reader(void *arg)
{
	struct pipe *pp = arg;
	for (int slot = 0;;) {
		pthread_mutex_lock(&pp->mu);
		while (pp->full == PIPE_SLOTS && !pp->stop)
			pthread_cond_wait(&pp->cv, &pp->mu);
		int stop = pp->stop;
		pthread_mutex_unlock(&pp->mu);
		if (stop)
			return NULL;
		struct batch *bt = &pp->b[slot];
		fill(pp->im, pp->f, bt);
		pthread_mutex_lock(&pp->mu);
		pp->full++;
		pthread_cond_broadcast(&pp->cv);
		pthread_mutex_unlock(&pp->mu);
		if (bt->eof)
			return NULL;
		slot = (slot + 1) % PIPE_SLOTS;
	}
}

/*
 * The writer's side of one row, in file order: report it if it is bad, else write it.
 * Returns non-zero only for a failure that ends the import.
 */
static int take(struct importer *im, struct row *w, long *bad, struct err *err)
{
	struct err e = ERR_INIT;
	if (w->status == ROW_BLANK)
		return GG_OK;
	if (w->status == ROW_MALFORMED) {
		if (w->err.code)
			e = w->err;
		else
			err_set(&e, GG_EINVAL, "malformed CSV record");
		report(w->line, &e);
		(*bad)++;
		return GG_OK;
	}
	if (finish_row(im, w, &e) != GG_OK) {
		report(w->line, &e);
		(*bad)++;
		return GG_OK;
	}
	/* A checked row that cannot be written is a database failure: stop. */
	int rc = write_row(im, w, &e);
	if (rc != GG_OK) {
		report(w->line, &e);
		*err = e;
	}
	return rc;
}

static int run(struct importer *im, FILE *f, const char *file, long *bad, struct err *err)
{
	struct cli_progress pr;
	struct stat st;
	csv_init(&im->csv, f);
	if (csv_next(&im->csv) != 1) {
		csv_release(&im->csv);
		return err_set(err, GG_EINVAL, "%s: no header row", file);
	}
	for (int c = 0; c < C_COUNT; c++)
		im->idx[c] = csv_find(&im->csv, col_names[c]);
	if (im->idx[C_GRID] < 0 || im->idx[C_NAME] < 0 || im->idx[C_ID] < 0) {
		csv_release(&im->csv);
		return err_set(err, GG_EINVAL,
			       "%s: the header needs at least grid, name and id_number columns",
			       file);
	}
	struct pipe pp = {.im = im, .f = f};
	struct row *rows = calloc((size_t)PIPE_SLOTS * PIPE_ROWS, sizeof(*rows));
	if (!rows) {
		csv_release(&im->csv);
		return err_set(err, GG_EINTERNAL, "out of memory");
	}
	for (int i = 0; i < PIPE_SLOTS; i++)
		pp.b[i].rows = rows + (size_t)i * PIPE_ROWS;
	pthread_mutex_init(&pp.mu, NULL);
	pthread_cond_init(&pp.cv, NULL);
	cli_progress_start(&pr, "people", fstat(fileno(f), &st) == 0 ? st.st_size : 0);
	long pos = ftell(f);
	pthread_t th;
	int rc = GG_OK;
	if (pthread_create(&th, NULL, reader, &pp)) {
		rc = err_set(err, GG_EINTERNAL, "cannot start the reader thread");
	} else {
		/* from here until the join, the csv and the file belong to the reader */
		for (int eof = 0; !eof && rc == GG_OK;) {
			pthread_mutex_lock(&pp.mu);
			while (pp.full == 0)
				pthread_cond_wait(&pp.cv, &pp.mu);
			pthread_mutex_unlock(&pp.mu);
			struct batch *bt = &pp.b[pp.head];
			for (size_t i = 0; i < bt->n && rc == GG_OK; i++)
				rc = take(im, &bt->rows[i], bad, err);
			cli_progress_step(&pr, bt->pos - pos);
			pos = bt->pos;
			eof = bt->eof;
			pp.head = (pp.head + 1) % PIPE_SLOTS;
			pthread_mutex_lock(&pp.mu);
			pp.full--;
			if (rc)
				pp.stop = 1;
			pthread_cond_broadcast(&pp.cv);
			pthread_mutex_unlock(&pp.mu);
		}
		pthread_join(th, NULL);
	}
	cli_progress_end(&pr);
	pthread_cond_destroy(&pp.cv);
	pthread_mutex_destroy(&pp.mu);
	sodium_memzero(rows, (size_t)PIPE_SLOTS * PIPE_ROWS * sizeof(*rows));
	free(rows);
	csv_release(&im->csv);
	return rc;
}

int cli__people_load(struct store *s, const char *db, FILE *f, const char *name, unsigned flags,
		     struct cli_people_counts *out, struct err *err)
{
	struct importer im = {.s = s,
			      .legacy = !!(flags & CLI_PEOPLE_LEGACY),
			      .create_grids = !!(flags & CLI_PEOPLE_CREATE_GRIDS),
			      .now = clock_now()};
	char kp[PII_KEY_PATH_MAX];
	pii_key_path(db, kp);
	int rc = pii_key_load(kp, &im.key, err);
	if (rc)
		return rc;
	long bad = 0;
	struct cli_idset held = {0};
	int dropped = 0;
	struct stat st;
	/* about 100 bytes a row; a pipe has no size and loads the ordinary way */
	int64_t expect = fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) ? st.st_size / 100 : 0;
	if ((rc = store_begin(s, STORE_WRITE, err)) == GG_OK &&
	    (rc = store_people_bulk(s, expect, &dropped, err)) == GG_OK) {
		if (dropped && !im.legacy) {
			im.held = &held;
			cli__idset_reserve(&held, (size_t)expect * 5 / 8); /* ~160 bytes a row */
			rc = store_resident_hashes(s, cli__idset_add, &held, err);
		}
		if (rc == GG_OK)
			rc = run(&im, f, name, &bad, err);
	}
	pii_key_wipe(&im.key);
	cli__idset_free(&held);
	if (rc == GG_OK && bad && !(flags & CLI_PEOPLE_SKIP_BAD_ROWS))
		rc = err_set(err, GG_EFIELD,
			     "%ld bad row%s: nothing imported (--skip-bad-rows imports the rest)",
			     bad, bad == 1 ? "" : "s");
	/* the indexes come back before the recount, which reads through them */
	if (rc == GG_OK && (rc = store_people_bulk_end(s, 1, err)) == GG_OK &&
	    (rc = store_people_recount(s, err)) == GG_OK)
		rc = store_commit(s, err);
	if (rc) {
		store_rollback(s);
		(void)!store_people_bulk_end(s, 0, NULL);
	}
	out->residents = im.residents;
	out->buildings = im.buildings;
	out->houses = im.houses;
	out->bad = bad;
	return rc;
}

int cli__import_people(int argc, char **argv)
{
	static const struct option opts[] = {
	    {"db", required_argument, 0, 'd'}, {"skip-bad-rows", no_argument, 0, 's'},
	    {"legacy", no_argument, 0, 'l'},   {"create-grids", no_argument, 0, 'g'},
	    {"help", no_argument, 0, 'h'},     {0, 0, 0, 0}};
	const char *db = NULL;
	unsigned flags = 0;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else if (c == 's')
			flags |= CLI_PEOPLE_SKIP_BAD_ROWS;
		else if (c == 'l')
			flags |= CLI_PEOPLE_LEGACY;
		else if (c == 'g')
			flags |= CLI_PEOPLE_CREATE_GRIDS;
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind != argc - 1)
		return cli_fail("import people wants exactly one FILE");
	const char *file = argv[optind];
	struct store *s;
	struct err err = ERR_INIT;
	/*
	 * Before the database opens: room in one mapping for the pages the load will write,
	 * about 3.5 times the file's size (sealed values, hashes, four tables, their
	 * indexes), within the 1 GiB cache store_people_bulk asks for. Only this thread
	 * uses the database: the reader thread of run() never calls the store.
	 */
	struct stat st;
	if (stat(file, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0)
		(void)store_people_bulk_memory(
		    (size_t)(st.st_size < (1 << 28) ? st.st_size * 7 / 2 : 1 << 30));
	if (cli_open_db(db, &s, &err))
		return cli_fail_err(&err);
	FILE *f = fopen(file, "rb");
	if (!f) {
		store_close(s);
		return cli_fail("cannot open %s", file);
	}
	struct cli_people_counts n;
	int rc = cli__people_load(s, db, f, file, flags, &n, &err);
	fclose(f);
	store_close(s);
	if (rc)
		return cli_fail_err(&err);
	printf("imported %lld residents (%lld buildings, %lld houses written)",
	       (long long)n.residents, (long long)n.buildings, (long long)n.houses);
	if (n.bad)
		printf("; skipped %lld bad row%s", (long long)n.bad, n.bad == 1 ? "" : "s");
	printf("\n");
	return 0;
}
