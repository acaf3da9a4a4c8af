/* SPDX-License-Identifier: Apache-2.0 */
/*
 * gridgov import geojson: grid-tree nodes with their geometry from an RFC 7946
 * FeatureCollection (properties code, name, level, parent_code; optional households,
 * population). Geometries are repaired where that is safe and each repair is reported;
 * a feature that cannot be repaired refuses the whole import, which runs in one
 * transaction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli_int.h"
#include "gridgov/geo.h"
#include "gridgov/store_geo.h"

static int feature_level(const json_t *p, const char *code)
{
	const json_t *l = json_object_get(p, "level");
	if (json_is_integer(l))
		return (int)json_integer_value(l);
	if (json_is_string(l))
		return (int)grid_level_parse(json_string_value(l));
	return (int)grid_level_of_code(code);
}

struct feat {
	const json_t *f;
	size_t idx;
	size_t codelen;
};

static int by_depth(const void *a, const void *b)
{
	const struct feat *x = a, *y = b;
	if (x->codelen != y->codelen)
		return x->codelen < y->codelen ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

static int load_feature(struct store *s, GEOSContextHandle_t h, const json_t *f, size_t idx,
			int *repaired, struct err *err)
{
	const json_t *p = json_object_get(f, "properties");
	const char *code = json_string_value(json_object_get(p, "code"));
	const char *name = json_string_value(json_object_get(p, "name"));
	const char *parent = json_string_value(json_object_get(p, "parent_code"));
	if (!code || grid_level_of_code(code) == GRID_LEVEL_NONE)
		return err_set(err, GG_EFIELD, "feature %zu: properties.code is not a grid code",
			       idx);
	int level = feature_level(p, code);
	if (level != (int)grid_level_of_code(code))
		return err_set(err, GG_EFIELD, "feature %zu (%s): level does not match the code",
			       idx, code);
	struct grid_node g = {.level = (enum grid_level)level};
	snprintf(g.code, sizeof(g.code), "%s", code);
	snprintf(g.name, sizeof(g.name), "%s", name ? name : code);
	if (parent && *parent)
		snprintf(g.parent, sizeof(g.parent), "%s", parent);
	else
		grid_code_parent(code, g.parent);
	if (g.parent[0] && !grid_code_is_ancestor(g.parent, code))
		return err_set(err, GG_EFIELD, "feature %zu (%s): parent_code %s is not its prefix",
			       idx, code, g.parent);
	GEOSGeometry *geom;
	struct geo_fix fix;
	struct err gerr = ERR_INIT;
	if (geo_from_geojson(h, json_object_get(f, "geometry"), &geom, &fix, &gerr))
		return err_set(err, GG_EFIELD, "feature %zu (%s): %s", idx, code, err_msg(&gerr));
	char what[512];
	geo_fix_describe(&fix, what, sizeof(what));
	if (what[0]) {
		fprintf(stderr, "%s: repaired: %s\n", code, what);
		(*repaired)++;
	}
	int rc = store_grid_put(s, &g, err);
	struct store_geom sg = {.node = g};
	struct geo_summary sum;
	geo_summarize(h, geom, &sum);
	sg.area_m2 = sum.area_m2;
	sg.cx = sum.cx, sg.cy = sum.cy, sg.minx = sum.minx, sg.miny = sum.miny;
	sg.maxx = sum.maxx, sg.maxy = sum.maxy;
	unsigned char *wkb = geo_to_wkb(h, geom, &sg.wkb_len);
	sg.wkb = wkb;
	GEOSGeom_destroy_r(h, geom);
	if (rc == GG_OK)
		rc = store_geom_put(s, &sg, err);
	free(wkb);
	const json_t *hh = json_object_get(p, "households"), *pop = json_object_get(p, "population");
	if (rc == GG_OK && (json_is_integer(hh) || json_is_integer(pop)))
		rc = store_grid_set_counts(s, code, json_integer_value(hh),
					   json_integer_value(pop), err);
	return rc;
}

int cli__import_geojson(int argc, char **argv)
{
	static const char usage[] =
		"usage: gridgov import geojson --db PATH FILE\n\n"
		"Load grid-tree nodes with geometry from a GeoJSON FeatureCollection: each\n"
		"feature a Polygon or MultiPolygon in WGS 84 with properties code, name, level\n"
		"(district|street|community|grid|micro|building) and parent_code, optionally\n"
		"households and population. Unclosed rings, repeated points and invalid\n"
		"geometries are repaired (GEOS make-valid) and reported on stderr; a geometry\n"
		"that cannot be repaired refuses the whole import (one transaction).\n";
	static const struct option opts[] = {{"db", required_argument, 0, 'd'},
					     {"help", no_argument, 0, 'h'},
					     {0, 0, 0, 0}};
	const char *db = NULL;
	int c;
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		if (c == 'd')
			db = optarg;
		else
			return cli_usage(usage, c == 'h');
	}
	if (optind != argc - 1)
		return cli_fail("import geojson wants exactly one FILE");
	json_error_t jerr;
	json_t *doc = json_load_file(argv[optind], 0, &jerr);
	if (!doc)
		return cli_fail("%s:%d: %s", argv[optind], jerr.line, jerr.text);
	const json_t *features = json_object_get(doc, "features");
	if (!json_is_array(features)) {
		json_decref(doc);
		return cli_fail("%s is not a GeoJSON FeatureCollection", argv[optind]);
	}
	size_t n = json_array_size(features);
	struct feat *order = calloc(n ? n : 1, sizeof(*order));
	for (size_t i = 0; i < n; i++) {
		order[i].f = json_array_get(features, i);
		order[i].idx = i;
		const char *code = json_string_value(
			json_object_get(json_object_get(order[i].f, "properties"), "code"));
		order[i].codelen = code ? strlen(code) : 0;
	}
	/* parents before children, whatever the file's order */
	qsort(order, n, sizeof(*order), by_depth);
	struct store *s;
	struct err err = ERR_INIT;
	if (cli_open_db(db, &s, &err)) {
		free(order);
		json_decref(doc);
		return cli_fail_err(&err);
	}
	GEOSContextHandle_t h = geo_ctx();
	int repaired = 0, rc = store_begin(s, STORE_WRITE, &err);
	struct cli_progress bar;
	cli_progress_start(&bar, "features", (int64_t)n);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		rc = load_feature(s, h, order[i].f, order[i].idx, &repaired, &err);
		cli_progress_step(&bar, 1);
	}
	cli_progress_end(&bar);
	if (rc == GG_OK)
		rc = store_grid_rollup_counts(s, &err);
	if (rc == GG_OK)
		rc = store_commit(s, &err);
	else
		store_rollback(s);
	store_close(s);
	free(order);
	json_decref(doc);
	if (rc)
		return cli_fail("%s (nothing imported)", err_msg(&err));
	printf("imported %zu features with geometry (%d repaired)\n", n, repaired);
	return 0;
}
