/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The demo district's map: the real outline (data/outlines/CODE.geojson) cut into the
 * division tree's streets and communities, then into basic grids of 300–500 households
 * and micro-grids of about 100, by straight cuts (geo_split) so that children exactly
 * partition their parent. Street and community areas are proportional to the households
 * below them. A seeded generator makes the map reproducible (--seed).
 *
 * Grid numbering: pieces are numbered in reading order — rows from north to south, west
 * to east within a row — with rows as wide as the parent's height divided by
 * ceil(sqrt(pieces)). Micro-grids are numbered the same way inside their grid.
 */
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/clock.h"
#include "gridgov/geo.h"
#include "gridgov/store_geo.h"
#include "gridgov/xalloc.h"

/* Codes and names here are bounded by construction; truncation would only shorten a name. */
static void fmt(char *dst, size_t n, const char *f, ...) GG_PRINTF(3, 4);
static void fmt(char *dst, size_t n, const char *f, ...)
{
	va_list ap;
	va_start(ap, f);
	vsnprintf(dst, n, f, ap);
	va_end(ap);
}

struct rng {
	unsigned long long s;
};

/* splitmix64: small, fast and the same on every platform */
static unsigned rnd(struct rng *r, unsigned n)
{
	unsigned long long z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	return (unsigned)(z % n);
}

struct ctx {
	struct store *s;
	GEOSContextHandle_t h;
	struct rng rng;
	struct err *err;
	long grids, micros;
};

static int save(struct ctx *c, const struct grid_node *node, const GEOSGeometry *g, int put)
{
	int rc = put ? store_grid_put(c->s, node, c->err) : GG_OK;
	if (rc)
		return rc;
	struct store_geom sg = {.node = *node};
	struct geo_summary sum;
	geo_summarize(c->h, g, &sum);
	sg.area_m2 = sum.area_m2, sg.cx = sum.cx, sg.cy = sum.cy;
	sg.minx = sum.minx, sg.miny = sum.miny, sg.maxx = sum.maxx, sg.maxy = sum.maxy;
	unsigned char *wkb = geo_to_wkb(c->h, g, &sg.wkb_len);
	sg.wkb = wkb;
	rc = store_geom_put(c->s, &sg, c->err);
	free(wkb);
	return rc;
}

struct piece {
	GEOSGeometry *g;
	double cx, cy;
	long row;
	size_t w; /* index of its weight */
};

static int reading_order(const void *a, const void *b)
{
	const struct piece *x = a, *y = b;
	if (x->row != y->row)
		return x->row < y->row ? -1 : 1;
	return x->cx < y->cx ? -1 : x->cx > y->cx;
}

/* Cut parent by weights, then order the pieces for numbering; pieces[i].w says which
 * weight piece i carries. */
static int cut_ordered(struct ctx *c, const GEOSGeometry *parent, const double *w, size_t k,
		       struct piece *out)
{
	GEOSGeometry **g = xcalloc(k, sizeof(*g));
	int rc = geo_split(c->h, parent, w, k, g, c->err);
	if (rc) {
		free(g);
		return rc;
	}
	double miny, maxy;
	GEOSGeom_getYMin_r(c->h, parent, &miny);
	GEOSGeom_getYMax_r(c->h, parent, &maxy);
	double rowh = (maxy - miny) / ceil(sqrt((double)k));
	for (size_t i = 0; i < k; i++) {
		struct geo_summary s;
		geo_summarize(c->h, g[i], &s);
		out[i] = (struct piece){g[i], s.cx, s.cy, (long)((maxy - s.cy) / rowh), i};
	}
	free(g);
	qsort(out, k, sizeof(*out), reading_order);
	return GG_OK;
}

static int staff(struct ctx *c, const char *grid, enum store_staff_role role, const char *title)
{
	struct store_staff f = {.role = role, .created_at = clock_now()};
	snprintf(f.grid, sizeof(f.grid), "%s", grid);
	snprintf(f.name, sizeof(f.name), "%s%s", title, grid + strlen(grid) - 6);
	return store_staff_add(c->s, &f, NULL, c->err);
}

/* One community: its grids (300–500 households) and their micro-grids (about 100). */
static int community(struct ctx *c, const struct grid_node *comm, const GEOSGeometry *g,
		     const long *hh, size_t k)
{
	double *w = xcalloc(k, sizeof(*w));
	for (size_t i = 0; i < k; i++)
		w[i] = (double)hh[i];
	struct piece *p = xcalloc(k, sizeof(*p));
	int rc = cut_ordered(c, g, w, k, p);
	for (size_t i = 0; rc == GG_OK && i < k; i++) {
		struct grid_node grid = {.level = GRID_GRID};
		fmt(grid.code, sizeof(grid.code), "%s%03zu", comm->code, i + 1);
		fmt(grid.name, sizeof(grid.name), "%s第%zu网格", comm->name, i + 1);
		snprintf(grid.parent, sizeof(grid.parent), "%s", comm->code);
		long h = hh[p[i].w];
		rc = save(c, &grid, p[i].g, 1);
		if (rc == GG_OK)
			rc = store_grid_set_counts(c->s, grid.code, h,
						   h * (230 + rnd(&c->rng, 60)) / 100, c->err);
		if (rc == GG_OK)
			rc = staff(c, grid.code, STAFF_DEDICATED, "专职网格员");
		c->grids++;
		/* micro-grids of about 100 households */
		size_t m = (size_t)((h + 50) / 100);
		long mh[8];
		double mw[8];
		for (size_t j = 0; j < m; j++) {
			mh[j] = h / (long)m + ((long)j < h % (long)m);
			mw[j] = (double)mh[j];
		}
		struct piece mp[8];
		if (rc == GG_OK)
			rc = cut_ordered(c, p[i].g, mw, m, mp);
		for (size_t j = 0; rc == GG_OK && j < m; j++) {
			struct grid_node mg = {.level = GRID_MICRO};
			fmt(mg.code, sizeof(mg.code), "%s%03zu", grid.code, j + 1);
			fmt(mg.name, sizeof(mg.name), "%s第%zu微网格", grid.name, j + 1);
			snprintf(mg.parent, sizeof(mg.parent), "%s", grid.code);
			long x = mh[mp[j].w];
			rc = save(c, &mg, mp[j].g, 1);
			if (rc == GG_OK)
				rc = store_grid_set_counts(c->s, mg.code, x, x * 26 / 10, c->err);
			if (rc == GG_OK)
				rc = staff(c, mg.code, STAFF_MICRO_LEADER, "微网格长");
			c->micros++;
		}
		for (size_t j = 0; rc == GG_OK && j < m; j++)
			GEOSGeom_destroy_r(c->h, mp[j].g);
	}
	for (size_t i = 0; i < k; i++)
		if (p[i].g)
			GEOSGeom_destroy_r(c->h, p[i].g);
	free(p);
	free(w);
	return rc;
}

static GEOSGeometry *load_outline(struct ctx *c, const char *file)
{
	json_error_t jerr;
	json_t *doc = json_load_file(file, 0, &jerr);
	if (!doc) {
		err_set(c->err, GG_EIO, "%s: %s", file, jerr.text);
		return NULL;
	}
	const json_t *geom = json_object_get(json_array_get(json_object_get(doc, "features"), 0),
					     "geometry");
	GEOSGeometry *g = NULL;
	struct geo_fix fix;
	if (geo_from_geojson(c->h, geom, &g, &fix, c->err))
		g = NULL;
	json_decref(doc);
	return g;
}

int cli__demo_map(struct store *s, const char *district, const char *data_dir,
		  unsigned long seed, struct err *err)
{
	struct ctx c = {.s = s, .h = geo_ctx(), .rng = {seed * 2654435761ULL + 1}, .err = err};
	char file[1024];
	snprintf(file, sizeof(file), "%s/outlines/%s.geojson", data_dir, district);
	GEOSGeometry *outline = load_outline(&c, file);
	if (!outline)
		return err->code;
	struct arena *a = arena_new();
	struct grid_node d, *streets;
	size_t ns;
	int rc = store_grid_get(s, district, &d, err);
	if (rc == GG_OK)
		rc = store_grid_children(s, district, a, &streets, &ns, err);
	if (rc == GG_OK && ns == 0)
		rc = err_set(err, GG_ENOTFOUND, "district %s has no streets", district);
	if (rc == GG_OK)
		rc = save(&c, &d, outline, 0);
	/* Plan every community's grids first: street and community areas follow households. */
	struct grid_node **comms = arena_zalloc(a, ns * sizeof(*comms));
	size_t *nc = arena_zalloc(a, ns * sizeof(*nc));
	long ***hh = arena_zalloc(a, ns * sizeof(*hh));
	size_t **ng = arena_zalloc(a, ns * sizeof(*ng));
	double *sw = arena_zalloc(a, ns * sizeof(*sw));
	for (size_t i = 0; rc == GG_OK && i < ns; i++) {
		rc = store_grid_children(s, streets[i].code, a, &comms[i], &nc[i], err);
		hh[i] = arena_zalloc(a, (nc[i] + 1) * sizeof(**hh));
		ng[i] = arena_zalloc(a, (nc[i] + 1) * sizeof(**ng));
		for (size_t j = 0; rc == GG_OK && j < nc[i]; j++) {
			ng[i][j] = 8 + rnd(&c.rng, 6);
			hh[i][j] = arena_zalloc(a, ng[i][j] * sizeof(***hh));
			for (size_t k = 0; k < ng[i][j]; k++) {
				hh[i][j][k] = 300 + (long)rnd(&c.rng, 201);
				sw[i] += (double)hh[i][j][k];
			}
		}
		if (sw[i] == 0)
			sw[i] = 3000; /* a street with no communities still gets land */
	}
	struct piece *sp = arena_zalloc(a, ns * sizeof(*sp));
	GEOSGeometry **spieces = arena_zalloc(a, ns * sizeof(*spieces));
	if (rc == GG_OK)
		rc = geo_split(c.h, outline, sw, ns, spieces, err);
	(void)sp;
	struct cli_progress bar;
	cli_progress_start(&bar, "demo map", (int64_t)ns);
	for (size_t i = 0; rc == GG_OK && i < ns; i++) {
		rc = save(&c, &streets[i], spieces[i], 0);
		double *cw = xcalloc(nc[i] + 1, sizeof(*cw));
		for (size_t j = 0; j < nc[i]; j++)
			for (size_t k = 0; k < ng[i][j]; k++)
				cw[j] += (double)hh[i][j][k];
		GEOSGeometry **cp = xcalloc(nc[i] + 1, sizeof(*cp));
		if (rc == GG_OK)
			rc = geo_split(c.h, spieces[i], cw, nc[i], cp, err);
		for (size_t j = 0; rc == GG_OK && j < nc[i]; j++) {
			rc = save(&c, &comms[i][j], cp[j], 0);
			if (rc == GG_OK)
				rc = community(&c, &comms[i][j], cp[j], hh[i][j], ng[i][j]);
			if (rc == GG_OK)
				rc = staff(&c, comms[i][j].code, STAFF_LEADER, "网格长");
		}
		for (size_t j = 0; j < nc[i]; j++)
			if (cp[j])
				GEOSGeom_destroy_r(c.h, cp[j]);
		free(cp);
		free(cw);
		cli_progress_step(&bar, 1);
	}
	cli_progress_end(&bar);
	for (size_t i = 0; i < ns; i++)
		if (spieces[i])
			GEOSGeom_destroy_r(c.h, spieces[i]);
	if (rc == GG_OK)
		rc = store_grid_rollup_counts(s, err);
	GEOSGeom_destroy_r(c.h, outline);
	arena_free(a);
	if (rc == GG_OK)
		printf("demo map: %ld grids, %ld micro-grids (seed %lu)\n", c.grids, c.micros,
		       seed);
	return rc;
}
