/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrol positions in: a batch of decoded fixes (the OsmAnd listener's request) cleaned
 * and stored in the caller's write transaction. Each device's fixes are cleaned in time
 * order against the accepted fix before them, so a batch replayed from a phone's queue
 * after later fixes is compared with its own predecessors and a fix sent again meets
 * itself as a duplicate. An unknown device fails the whole batch (GG_ENOTFOUND).
 */
#include <stdlib.h>
#include <string.h>

#include "gridgov/store_track.h"
#include "gridgov/svc.h"

static int by_device_time(const void *x, const void *y)
{
	const struct track_fix *a = x, *b = y;
	int c = strcmp(a->device, b->device);
	if (c)
		return c;
	return a->t_ms < b->t_ms ? -1 : a->t_ms > b->t_ms;
}

int svc_track_ingest(struct store *db, const struct track_config *cfg, struct arena *a,
		     struct track_fix *fix, size_t n, int64_t now_ms, int64_t *stored,
		     int64_t *rejected, struct err *err)
{
	qsort(fix, n, sizeof(*fix), by_device_time);
	struct store_position *v = arena_alloc(a, (n ? n : 1) * sizeof(*v));
	struct track_fix last;
	int has_last = 0, r;
	int64_t user = 0;
	*rejected = 0;
	for (size_t i = 0; i < n; i++) {
		struct track_fix *f = &fix[i];
		if (i == 0 || strcmp(f->device, fix[i - 1].device)) {
			if ((r = store_tracker_user(db, f->device, &user, err)))
				return r;
			r = store_position_last(db, f->device, f->t_ms, &last, err);
			if (r && r != GG_ENOTFOUND)
				return r;
			has_last = !r;
		}
		v[i].fix = f;
		v[i].user_id = user;
		v[i].received_at = now_ms;
		v[i].reason = track_filter(cfg, has_last ? &last : NULL, f, now_ms);
		if (v[i].reason) {
			(*rejected)++;
		} else if (!has_last || f->t_ms > last.t_ms) {
			last = *f;
			has_last = 1;
		}
	}
	err_clear(err);
	return store_position_put(db, v, n, stored, err);
}
