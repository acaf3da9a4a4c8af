/* SPDX-License-Identifier: Apache-2.0 */
/*
 * libFuzzer target: an OsmAnd request body as the listener reads it, both as JSON (a
 * Traccar Client object, a flat fix or an array of them) and as a form / query string.
 * What it refuses is GG_EJSON, GG_EINVAL or GG_ETOOBIG; what it accepts is fixes with a
 * device id, a time between 1970 and 9999, finite coordinates when it has a position, and
 * kept attributes that are UTF-8 JSON text.
 */
#include <jansson.h>
#include <math.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/track.h"
#include "gridgov/utf8.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(const struct track_fix *f)
{
	if (!f->device[0] || strlen(f->device) >= TRACK_ID_MAX || utf8_check_str(f->device))
		abort();
	if (f->t_ms < 0 || f->t_ms > 253402300799999LL)
		abort();
	if (f->has_pos && (!isfinite(f->lat) || !isfinite(f->lon)))
		abort();
	if (f->extra)
		abort(); /* the decoding state is freed */
	if (f->attrs) {
		json_t *j = json_loads(f->attrs, 0, NULL);
		if (!json_is_object(j))
			abort();
		json_decref(j);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena *a = arena_new();
	struct err e = ERR_INIT;
	struct track_fix *v, one;
	size_t n;
	int rc = track_parse_json(a, (const char *)data, size, 1765000000000LL, 50, &v, &n, &e);
	if (rc == GG_OK) {
		for (size_t i = 0; i < n; i++)
			check(&v[i]);
	} else if (rc != GG_EJSON && rc != GG_EINVAL && rc != GG_ETOOBIG) {
		abort();
	}
	rc = track_parse_form(a, (const char *)data, size, 1765000000000LL, &one, &e);
	if (rc == GG_OK)
		check(&one);
	else if (rc != GG_EINVAL)
		abort();
	arena_free(a);
	return 0;
}
