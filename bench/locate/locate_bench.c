/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Benchmark of the locator on a Nanjing-scale map. Modes:
 *
 *   locate_bench gen DIR [--points N] [--seed S]
 *     generates the map (11 districts › streets › communities › 10,198 basic grids ›
 *     micro-grids, cut from one irregular outline by geo_split), writes DIR/map.tsv
 *     (code, level, hex WKB) and DIR/points.csv (id, lon, lat) for PostGIS, locates every
 *     point with the in-memory index on one core and writes DIR/gridgov.tsv (id, code);
 *     prints the index size, memory and the throughput.
 *   locate_bench diff DIR
 *     compares DIR/gridgov.tsv with DIR/postgis.tsv and lists each differing point (only
 *     points on boundaries should differ: gridgov's rule is "covers", PostGIS's
 *     ST_Contains excludes the boundary).
 */
#include <malloc.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gridgov/geo.h"
#include "gridgov/loc.h"
#include "gridgov/xalloc.h"

#define NGRIDS 10198
#define NDIST 11

struct node {
	char code[40];
	int level;
	GEOSGeometry *g;
};

static struct node *nodes;
static size_t nn, capn;
static unsigned long long rs = 1;

static unsigned rnd(unsigned n)
{
	unsigned long long z = (rs += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return (unsigned)((z ^ (z >> 31)) % n);
}

static double now_on(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static double now(void)
{
	return now_on(CLOCK_MONOTONIC);
}

/* CPU time of this thread: the machine may be shared, and the claim is per core. */
static double cpu(void)
{
	return now_on(CLOCK_THREAD_CPUTIME_ID);
}

static void add(const char *code, int level, GEOSGeometry *g)
{
	if (nn == capn) {
		capn = capn ? capn * 2 : 1024;
		nodes = xrealloc(nodes, capn * sizeof(*nodes));
	}
	/* codes are at most 21 digits; the precision bounds the copy for the compiler */
	snprintf(nodes[nn].code, sizeof(nodes[nn].code), "%.*s", (int)sizeof(nodes[nn].code) - 1,
		 code);
	nodes[nn].level = level;
	nodes[nn].g = g;
	nn++;
}

#define CUT_DEPTH 3 /* levels cut below a community: grids, micro-grids, then the end */

static void cut(GEOSContextHandle_t h, const char *code, int level, const GEOSGeometry *g,
		const unsigned counts[CUT_DEPTH], size_t depth)
{
	/* counts[d] = children per node at depth d (0 ends the tree) */
	unsigned k = depth < CUT_DEPTH ? counts[depth] : 0;
	if (!k)
		return;
	double *w = xcalloc(k, sizeof(*w));
	GEOSGeometry **p = xcalloc(k, sizeof(*p));
	for (unsigned i = 0; i < k; i++)
		w[i] = 80 + rnd(40);
	struct err err = ERR_INIT;
	if (geo_split(h, g, w, k, p, &err)) {
		fprintf(stderr, "split %s: %s\n", code, err_msg(&err));
		exit(1);
	}
	for (unsigned i = 0; i < k; i++) {
		char c[sizeof(nodes->code)];
		if ((size_t)snprintf(c, sizeof(c), "%.*s%03u", (int)sizeof(c) - 8, code, i + 1) >=
		    sizeof(c)) {
			fprintf(stderr, "code %s too long\n", code);
			exit(1);
		}
		add(c, level + 1, p[i]);
		cut(h, c, level + 1, p[i], counts, depth + 1);
	}
	free(w);
	free(p);
}

static GEOSGeometry *outline(GEOSContextHandle_t h)
{
	/* an irregular 64-gon about Nanjing's size (~6,600 km²) */
	double xy[65 * 2];
	for (int i = 0; i < 64; i++) {
		double a = 2 * M_PI * i / 64, r = 0.42 * (0.8 + 0.4 * rnd(1000) / 1000.0);
		xy[2 * i] = 118.8 + r * cos(a);
		xy[2 * i + 1] = 32.0 + r * 1.2 * sin(a);
	}
	xy[128] = xy[0], xy[129] = xy[1];
	GEOSCoordSequence *cs = GEOSCoordSeq_copyFromBuffer_r(h, xy, 65, 0, 0);
	return GEOSGeom_createPolygon_r(h, GEOSGeom_createLinearRing_r(h, cs), NULL, 0);
}

static int gen(const char *dir, long npoints)
{
	GEOSContextHandle_t h = geo_ctx();
	GEOSGeometry *root = outline(h);
	/* 11 districts, 8–9 streets, 10–11 communities, ~10.4 grids each: 10,198 grids */
	double w[NDIST];
	GEOSGeometry *d[NDIST];
	for (int i = 0; i < NDIST; i++)
		w[i] = 1;
	struct err err = ERR_INIT;
	if (geo_split(h, root, w, NDIST, d, &err))
		return fprintf(stderr, "%s\n", err_msg(&err)), 1;
	long grids_left = NGRIDS;
	for (int i = 0; i < NDIST; i++) {
		char code[40];
		snprintf(code, sizeof(code), "3201%02d", i + 2);
		add(code, 1, d[i]);
		/* 9 streets × 10 communities; grids per community spread so the total is exact */
		unsigned streets = 9, comms = 10;
		double sw[9];
		GEOSGeometry *sp[9];
		for (unsigned s = 0; s < streets; s++)
			sw[s] = 1;
		if (geo_split(h, d[i], sw, streets, sp, &err))
			return fprintf(stderr, "%s\n", err_msg(&err)), 1;
		for (unsigned s = 0; s < streets; s++) {
			char sc[48];
			snprintf(sc, sizeof(sc), "%s%03u", code, s + 1);
			add(sc, 2, sp[s]);
			double cw[10];
			GEOSGeometry *cp[10];
			for (unsigned c = 0; c < comms; c++)
				cw[c] = 1;
			if (geo_split(h, sp[s], cw, comms, cp, &err))
				return fprintf(stderr, "%s\n", err_msg(&err)), 1;
			for (unsigned c = 0; c < comms; c++) {
				char cc[64];
				snprintf(cc, sizeof(cc), "%s%03u", sc, c + 1);
				add(cc, 3, cp[c]);
				long remaining_comms = (long)(NDIST - i - 1) * streets * comms +
						       (long)(streets - s - 1) * comms + (comms - c);
				unsigned k = (unsigned)(grids_left / remaining_comms);
				grids_left -= k;
				unsigned counts[CUT_DEPTH] = {k, 4, 0};
				cut(h, cc, 3, cp[c], counts, 0);
			}
		}
	}
	long ngrids = 0;
	for (size_t i = 0; i < nn; i++)
		ngrids += nodes[i].level == 4;

	char path[1024];
	snprintf(path, sizeof(path), "%s/map.tsv", dir);
	FILE *f = fopen(path, "w");
	if (!f)
		return perror(path), 1;
	struct loc_item *items = xcalloc(nn, sizeof(*items));
	unsigned char **wkb = xcalloc(nn, sizeof(*wkb));
	for (size_t i = 0; i < nn; i++) {
		size_t len;
		wkb[i] = geo_to_wkb(h, nodes[i].g, &len);
		items[i] = (struct loc_item){nodes[i].code, nodes[i].code, nodes[i].level, wkb[i], len};
		fprintf(f, "%s\t%d\t", nodes[i].code, nodes[i].level);
		for (size_t j = 0; j < len; j++)
			fprintf(f, "%02x", wkb[i][j]);
		fputc('\n', f);
	}
	fclose(f);
	struct mallinfo2 m0 = mallinfo2();
	double t0 = now();
	struct loc_index *idx;
	if (loc_index_build(items, nn, &idx, &err))
		return fprintf(stderr, "%s\n", err_msg(&err)), 1;
	double tb = now() - t0;
	struct mallinfo2 m1 = mallinfo2();

	double minx, miny, maxx, maxy;
	GEOSGeom_getXMin_r(h, root, &minx);
	GEOSGeom_getYMin_r(h, root, &miny);
	GEOSGeom_getXMax_r(h, root, &maxx);
	GEOSGeom_getYMax_r(h, root, &maxy);
	double *pts = xmalloc((size_t)npoints * 2 * sizeof(double));
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	f = fopen(path, "w");
	for (long i = 0; i < npoints; i++) {
		pts[2 * i] = minx + (maxx - minx) * rnd(1u << 30) / (double)(1u << 30);
		pts[2 * i + 1] = miny + (maxy - miny) * rnd(1u << 30) / (double)(1u << 30);
		fprintf(f, "%ld,%.17g,%.17g\n", i, pts[2 * i], pts[2 * i + 1]);
	}
	fclose(f);
	const char **ans = xcalloc((size_t)npoints, sizeof(*ans));
	t0 = now();
	double c0 = cpu();
	long inside = 0;
	for (long i = 0; i < npoints; i++) {
		struct loc_hit hit;
		if (loc_index_find(idx, pts[2 * i], pts[2 * i + 1], &hit)) {
			ans[i] = hit.code;
			inside++;
		}
	}
	double tq = now() - t0, cq = cpu() - c0;
	snprintf(path, sizeof(path), "%s/gridgov.tsv", dir);
	f = fopen(path, "w");
	for (long i = 0; i < npoints; i++)
		if (ans[i])
			fprintf(f, "%ld\t%s\n", i, ans[i]);
	fclose(f);
	printf("map: %zu nodes, %ld basic grids, %zu micro-grids\n", nn, ngrids,
	       nn - (size_t)ngrids - NDIST - NDIST * 9 - NDIST * 90);
	printf("index: built in %.2f s, %.1f MiB of heap measured (mallinfo2), %.1f MiB estimated\n",
	       tb, (double)(m1.uordblks - m0.uordblks) / (1 << 20),
	       (double)loc_index_memory(idx) / (1 << 20));
	printf("gridgov: %ld points (%ld inside) in %.3f s wall, %.3f s CPU: %.0f points/s"
	       " (wall), %.0f points/s per CPU second\n",
	       npoints, inside, tq, cq, (double)npoints / tq, (double)npoints / cq);
	snprintf(path, sizeof(path), "%s/gridgov.rate", dir);
	f = fopen(path, "w");
	fprintf(f, "%.0f %.0f\n", (double)npoints / tq, (double)npoints / cq);
	fclose(f);
	loc_index_free(idx);
	return 0;
}

/* ---- diff ---------------------------------------------------------------------------- */

static char **read_answers(const char *path, long n)
{
	char **a = xcalloc((size_t)n, sizeof(*a));
	FILE *f = fopen(path, "r");
	if (!f)
		return a;
	long id;
	char code[32];
	while (fscanf(f, "%ld\t%31s", &id, code) == 2)
		if (id >= 0 && id < n)
			a[id] = xstrdup(code);
	fclose(f);
	return a;
}

static int diff(const char *dir)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/points.csv", dir);
	FILE *f = fopen(path, "r");
	if (!f)
		return perror(path), 1;
	long n = 0, id;
	double x, y;
	double *pts = NULL;
	size_t cap = 0;
	while (fscanf(f, "%ld,%lf,%lf", &id, &x, &y) == 3) {
		if ((size_t)(2 * n + 2) > cap) {
			cap = cap ? cap * 2 : 1 << 20;
			pts = xrealloc(pts, cap * sizeof(double));
		}
		pts[2 * n] = x, pts[2 * n + 1] = y;
		n++;
	}
	fclose(f);
	snprintf(path, sizeof(path), "%s/gridgov.tsv", dir);
	char **a = read_answers(path, n);
	snprintf(path, sizeof(path), "%s/postgis.tsv", dir);
	char **b = read_answers(path, n);
	long differ = 0;
	for (long i = 0; i < n; i++) {
		const char *p = a[i] ? a[i] : "-", *q = b[i] ? b[i] : "-";
		if (!strcmp(p, q))
			continue;
		differ++;
		/* PostGIS ST_Contains excludes boundaries; gridgov covers them (see loc.h) */
		printf("  differs: point %ld (%.17g %.17g): gridgov %s, postgis %s\n", i,
		       pts[2 * i], pts[2 * i + 1], p, q);
	}
	printf("differing points: %ld%s\n", differ,
	       differ ? " (listed above: gridgov counts a boundary point as covered, ST_Contains"
			" does not)"
		      : "");
	return 0;
}

int main(int argc, char **argv)
{
	if (argc >= 3 && !strcmp(argv[1], "gen")) {
		long points = 1000000;
		for (int i = 3; i + 1 < argc; i += 2) {
			if (!strcmp(argv[i], "--points"))
				points = atol(argv[i + 1]);
			else if (!strcmp(argv[i], "--seed"))
				rs = strtoull(argv[i + 1], NULL, 10);
		}
		return gen(argv[2], points);
	}
	if (argc == 3 && !strcmp(argv[1], "diff"))
		return diff(argv[2]);
	fprintf(stderr, "usage: locate_bench gen DIR [--points N] [--seed S] | diff DIR\n");
	return 2;
}
