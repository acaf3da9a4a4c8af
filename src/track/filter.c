/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cleaning fixes as Traccar's FilterHandler does, under its names (filter.invalid,
 * filter.zero, filter.duplicate, filter.future, filter.past, filter.accuracy,
 * filter.maxSpeed, filter.distance with filter.skipLimit), and the settings file that
 * holds them beside the patrols' own (track.*). A rejected fix is not dropped: the
 * caller keeps it with the filter's name as its reason.
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/track.h"

void track_config_defaults(struct track_config *c)
{
	memset(c, 0, sizeof(*c));
	c->invalid = 1;
	c->zero = 1;
	c->duplicate = 1;
	c->future_s = 86400;
	c->past_s = 7 * 86400;
	c->accuracy_m = 100;
	c->max_speed_kn = 60;
	c->distance_m = 15;
	c->skip_limit_s = 300;
	c->gap_s = 3600;
	c->stop_radius_m = 50;
	c->stop_min_s = 300;
	c->online_s = 300;
	c->retention_days = 0;
}

static int boolean(const char *v, int *out)
{
	if (!strcmp(v, "true") || !strcmp(v, "1"))
		*out = 1;
	else if (!strcmp(v, "false") || !strcmp(v, "0"))
		*out = 0;
	else
		return -1;
	return 0;
}

static int number(const char *v, double max, double *out)
{
	char *end;
	errno = 0;
	double d = strtod(v, &end);
	if (end == v || *end || errno || !(d >= 0 && d <= max))
		return -1;
	*out = d;
	return 0;
}

int track_config_set(struct track_config *c, const char *key, const char *value, struct err *err)
{
	double d;
	int b;
	struct {
		const char *key;
		int kind; /* 0 bool, 1 seconds, 2 double, 3 int */
		void *p;
		double max;
	} const keys[] = {
	    {"filter.invalid", 0, &c->invalid, 1},
	    {"filter.zero", 0, &c->zero, 1},
	    {"filter.duplicate", 0, &c->duplicate, 1},
	    {"filter.future", 1, &c->future_s, 1e9},
	    {"filter.past", 1, &c->past_s, 1e10},
	    {"filter.accuracy", 2, &c->accuracy_m, 1e7},
	    {"filter.maxSpeed", 2, &c->max_speed_kn, 1e6},
	    {"filter.distance", 2, &c->distance_m, 1e6},
	    {"filter.skipLimit", 1, &c->skip_limit_s, 1e9},
	    {"track.gap", 1, &c->gap_s, 1e7},
	    {"track.stopRadius", 2, &c->stop_radius_m, 1e5},
	    {"track.stopDuration", 1, &c->stop_min_s, 1e7},
	    {"track.online", 1, &c->online_s, 1e7},
	    {"track.retentionDays", 3, &c->retention_days, 36500},
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
		if (strcmp(key, keys[i].key))
			continue;
		if (keys[i].kind == 0) {
			if (boolean(value, &b))
				return err_set(err, GG_EINVAL, "%s wants true or false", key);
			*(int *)keys[i].p = b;
			return GG_OK;
		}
		if (number(value, keys[i].max, &d))
			return err_set(err, GG_EINVAL, "%s wants a number from 0 to %g (0 = off)",
				       key, keys[i].max);
		if (keys[i].kind == 1)
			*(int64_t *)keys[i].p = (int64_t)d;
		else if (keys[i].kind == 2)
			*(double *)keys[i].p = d;
		else
			*(int *)keys[i].p = (int)d;
		return GG_OK;
	}
	return err_set(err, GG_EINVAL, "unknown setting %s", key);
}

int track_config_load(struct track_config *c, const char *path, struct err *err)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return err_set(err, GG_EIO, "cannot read %s", path);
	char line[512];
	int no = 0, r = GG_OK;
	while (!r && fgets(line, sizeof(line), f)) {
		no++;
		char *s = line;
		while (*s == ' ' || *s == '\t')
			s++;
		s[strcspn(s, "\r\n")] = 0;
		if (!*s || *s == '#')
			continue;
		char *eq = strchr(s, '=');
		if (!eq) {
			r = err_set(err, GG_EINVAL, "%s:%d: wants key=value", path, no);
			break;
		}
		char *k = s, *v = eq + 1;
		for (char *e = eq; e > k && (e[-1] == ' ' || e[-1] == '\t'); e--)
			e[-1] = 0;
		*eq = 0;
		while (*v == ' ' || *v == '\t')
			v++;
		for (char *e = v + strlen(v); e > v && (e[-1] == ' ' || e[-1] == '\t'); e--)
			e[-1] = 0;
		struct err e = ERR_INIT;
		if (track_config_set(c, k, v, &e))
			r = err_set(err, GG_EINVAL, "%s:%d: %s", path, no, e.msg);
	}
	fclose(f);
	return r;
}

double track_distance_m(double lat1, double lon1, double lat2, double lon2)
{
	const double R = 6371008.8, rad = M_PI / 180;
	double dlat = (lat2 - lat1) * rad, dlon = (lon2 - lon1) * rad;
	double a = sin(dlat / 2) * sin(dlat / 2) +
		   cos(lat1 * rad) * cos(lat2 * rad) * sin(dlon / 2) * sin(dlon / 2);
	return 2 * R * asin(sqrt(a < 1 ? a : 1));
}

const char *track_filter(const struct track_config *c, const struct track_fix *last,
			 const struct track_fix *f, int64_t now_ms)
{
	if (!f->has_pos)
		return "invalid"; /* Traccar takes the last known place; a patrol needs a fix */
	if (c->invalid &&
	    (!f->valid || f->lat > 90 || f->lat < -90 || f->lon > 180 || f->lon < -180))
		return "invalid";
	if (c->zero && f->lat == 0 && f->lon == 0)
		return "zero";
	if (c->future_s > 0 && f->t_ms > now_ms + c->future_s * 1000)
		return "future";
	if (c->past_s > 0 && f->t_ms < now_ms - c->past_s * 1000)
		return "past";
	if (c->accuracy_m > 0 && !isnan(f->accuracy) && f->accuracy > c->accuracy_m)
		return "accuracy";
	if (!last || f->t_ms < last->t_ms)
		return NULL;
	int64_t dt = f->t_ms - last->t_ms;
	/* filter.skipLimit: a fix this long after the last is kept whatever its distance */
	int skip = c->skip_limit_s > 0 && dt > c->skip_limit_s * 1000;
	if (c->duplicate && dt == 0)
		return "duplicate";
	double d = track_distance_m(last->lat, last->lon, f->lat, f->lon);
	if (c->distance_m > 0 && d < c->distance_m && !skip)
		return "distance";
	if (c->max_speed_kn > 0 && dt > 0 && d / (dt / 1000.0) * 3600.0 / 1852.0 > c->max_speed_kn)
		return "maxSpeed";
	return NULL;
}

int track_may_see(const struct principal *caller, int64_t user_id, const char *user_scope)
{
	if (caller->user_id == user_id)
		return 1;
	if (caller->role == ROLE_GRID_WORKER || caller->role == ROLE_DEPARTMENT)
		return 0;
	return principal_covers(caller, user_scope);
}
