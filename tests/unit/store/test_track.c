/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Patrol tracks in the store (both backends): trackers unique and found by id, positions
 * de-duplicated on (device, fix time), read by worker and time, rejected fixes kept with
 * their reason, the last fix of each worker in a scope, and the retention dropping days
 * before a time (on PostgreSQL whole day partitions, across CST days).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fixture.h"
#include "gridgov/store_track.h"

/* 2025-12-06 00:00 CST */
#define DAY0 ((1764950400LL) * 1000)

struct fx {
	char path[64];
	struct store *s;
	int64_t uid[3];
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	if (fx_db_create("track", f->path, &f->s))
		return -1;
	static const char *const scopes[] = {"510105002002001", "510105002002002",
					     "510105003001001"};
	for (int i = 0; i < 3; i++) {
		struct store_user u = {
		    .who = {.role = ROLE_GRID_WORKER}, .pwhash = "x", .active = 1};
		snprintf(u.who.name, sizeof(u.who.name), "w%d", i);
		snprintf(u.who.scope, sizeof(u.who.scope), "%s", scopes[i]);
		if (store_user_insert(f->s, &u, &f->uid[i], NULL))
			return -1;
	}
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	fx_db_remove(f->path, f->s);
	free(f);
	return 0;
}

static struct track_fix fix(const char *dev, int64_t t, double lat, double lon)
{
	struct track_fix x;
	track_fix_init(&x);
	snprintf(x.device, sizeof(x.device), "%s", dev);
	x.t_ms = t;
	x.lat = lat;
	x.lon = lon;
	x.has_pos = 1;
	return x;
}

static int put(struct store *s, struct track_fix *v, const char **reason, size_t n, int64_t uid,
	       int64_t *stored)
{
	struct store_position p[8];
	for (size_t i = 0; i < n; i++)
		p[i] =
		    (struct store_position){&v[i], uid, v[i].t_ms + 500, reason ? reason[i] : NULL};
	struct err err = ERR_INIT;
	int r = store_begin(s, STORE_WRITE, &err);
	if (!r)
		r = store_position_put(s, p, n, stored, &err);
	if (!r)
		r = store_commit(s, &err);
	else
		store_rollback(s);
	if (r)
		print_error("%s\n", err.msg);
	return r;
}

static void trackers_and_positions(void **state)
{
	struct fx *f = *state;
	struct err err = ERR_INIT;
	assert_int_equal(store_tracker_add(f->s, "123456", f->uid[0], 1, &err), GG_OK);
	assert_int_equal(store_tracker_add(f->s, "123456", f->uid[1], 1, &err), GG_ECONFLICT);
	int64_t uid = 0;
	assert_int_equal(store_tracker_user(f->s, "123456", &uid, &err), GG_OK);
	assert_int_equal(uid, f->uid[0]);
	assert_int_equal(store_tracker_user(f->s, "999", &uid, &err), GG_ENOTFOUND);
	struct track_fix last;
	assert_int_equal(store_position_last(f->s, "123456", INT64_MAX, &last, &err), GG_ENOTFOUND);

	/* two days (CST), one fix sent twice, one rejected with its reason */
	struct track_fix v[] = {
	    fix("123456", DAY0 + 1000, 30.60, 104.00),
	    fix("123456", DAY0 + 61000, 30.61, 104.01),
	    fix("123456", DAY0 + 86400000 + 5000, 30.62, 104.02),
	    fix("123456", DAY0 + 121000, 30.70, 104.90),
	};
	v[1].battery = 55;
	v[1].attrs = "{\"event\":\"motionchange\"}";
	const char *reason[] = {NULL, NULL, NULL, "maxSpeed"};
	int64_t stored = 0;
	assert_int_equal(put(f->s, v, reason, 4, f->uid[0], &stored), GG_OK);
	assert_int_equal(stored, 4);
	assert_int_equal(put(f->s, v, reason, 3, f->uid[0], &stored), GG_OK);
	assert_int_equal(stored, 0); /* de-duplicated on (device, fix time) */

	assert_int_equal(store_position_last(f->s, "123456", INT64_MAX, &last, &err), GG_OK);
	assert_int_equal(last.t_ms, DAY0 + 86400000 + 5000);
	assert_int_equal(store_position_last(f->s, "123456", DAY0 + 61000, &last, &err), GG_OK);
	assert_int_equal(last.t_ms, DAY0 + 61000);
	assert_int_equal(store_position_last(f->s, "123456", DAY0 + 60999, &last, &err), GG_OK);
	assert_int_equal(last.t_ms, DAY0 + 1000);
	assert_int_equal(store_position_last(f->s, "123456", DAY0, &last, &err), GG_ENOTFOUND);

	struct arena *a = arena_new();
	struct track_point *p;
	size_t n;
	assert_int_equal(
	    store_position_range(f->s, f->uid[0], DAY0, DAY0 + 86400000, a, &p, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(p[0].t_ms, DAY0 + 1000);
	assert_true(p[1].lat == 30.61 && p[1].lon == 104.01);
	assert_int_equal(
	    store_position_range(f->s, f->uid[1], DAY0, DAY0 + 2 * 86400000, a, &p, &n, &err),
	    GG_OK);
	assert_int_equal(n, 0);
	int64_t *rt;
	char(*why)[TRACK_REASON_MAX];
	assert_int_equal(
	    store_position_rejected(f->s, f->uid[0], DAY0, DAY0 + 86400000, a, &rt, &why, &n, &err),
	    GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(rt[0], DAY0 + 121000);
	assert_string_equal(why[0], "maxSpeed");

	/* live: the last fix of each worker with a tracker, by scope */
	assert_int_equal(store_tracker_add(f->s, "777", f->uid[2], 1, &err), GG_OK);
	struct track_fix w = fix("777", DAY0 + 3000, 30.5, 104.5);
	assert_int_equal(put(f->s, &w, NULL, 1, f->uid[2], &stored), GG_OK);
	struct store_live *l;
	assert_int_equal(store_position_live(f->s, "", 0, a, &l, &n, &err), GG_OK);
	assert_int_equal(n, 2);
	assert_int_equal(l[0].user_id, f->uid[0]);
	assert_int_equal(l[0].t_ms, DAY0 + 86400000 + 5000);
	assert_string_equal(l[0].name, "w0");
	assert_string_equal(l[0].scope, "510105002002001");
	assert_int_equal(store_position_live(f->s, "510105002", 0, a, &l, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_position_live(f->s, "510105003", 0, a, &l, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(l[0].user_id, f->uid[2]);
	assert_true(isnan(l[0].battery));
	assert_int_equal(store_position_live(f->s, "", f->uid[2], a, &l, &n, &err), GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(store_position_live(f->s, "510105002", f->uid[2], a, &l, &n, &err), GG_OK);
	assert_int_equal(n, 0);

	/* retention: the first day goes, the second stays */
	int64_t dropped = 0;
	assert_int_equal(store_begin(f->s, STORE_WRITE, &err), GG_OK);
	assert_int_equal(store_position_retain(f->s, DAY0 + 86400000, &dropped, &err), GG_OK);
	assert_int_equal(store_commit(f->s, &err), GG_OK);
	assert_true(dropped > 0);
	assert_int_equal(
	    store_position_range(f->s, f->uid[0], 0, DAY0 + 3 * 86400000LL, a, &p, &n, &err),
	    GG_OK);
	assert_int_equal(n, 1);
	assert_int_equal(p[0].t_ms, DAY0 + 86400000 + 5000);
	/* a day dropped can be written again */
	assert_int_equal(put(f->s, v, NULL, 1, f->uid[0], &stored), GG_OK);
	assert_int_equal(stored, 1);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(trackers_and_positions, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
