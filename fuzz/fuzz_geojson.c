/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: a GeoJSON geometry as `gridgov import geojson` and the grid map take
 * it. Any bytes that parse as a JSON object go to geo_from_geojson; what it accepts must
 * be a valid, non-empty polygonal geometry, and everything it refuses must say why.
 */
#include <geos_c.h>
#include <jansson.h>
#include <stdint.h>
#include <stdlib.h>

#include "gridgov/geo.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static GEOSContextHandle_t h;
	if (!h)
		h = GEOS_init_r();
	json_t *j = json_loadb((const char *)data, size, JSON_REJECT_DUPLICATES, NULL);
	if (!j)
		return 0;
	if (json_is_object(j)) {
		GEOSGeometry *g = NULL;
		struct geo_fix fix;
		struct err err = ERR_INIT;
		if (geo_from_geojson(h, j, &g, &fix, &err) == GG_OK) {
			int type = GEOSGeomTypeId_r(h, g);
			if (!g || GEOSisValid_r(h, g) != 1 || GEOSisEmpty_r(h, g) ||
			    (type != GEOS_POLYGON && type != GEOS_MULTIPOLYGON))
				abort();
			GEOSGeom_destroy_r(h, g);
		} else if (!err_msg(&err)[0]) {
			abort();
		}
	}
	json_decref(j);
	return 0;
}
