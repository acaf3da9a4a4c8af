/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Decoding the OsmAnd protocol as Traccar's OsmAndProtocolDecoder does: the query string
 * or form body of one fix, the JSON object Traccar Client posts, and arrays of either (a
 * batched upload). Every number must parse whole and be finite; text must be UTF-8.
 */
#include <ctype.h>
#include <jansson.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/clock.h"
#include "gridgov/track.h"
#include "gridgov/utf8.h"

void track_fix_init(struct track_fix *f)
{
	memset(f, 0, sizeof(*f));
	f->valid = 1;
	f->speed_kn = f->course = f->altitude = f->accuracy = f->battery = NAN;
	f->charge = -1;
}

void track_fix_drop(struct track_fix *f)
{
	if (f->extra)
		json_decref(f->extra);
	f->extra = NULL;
}

static int num(const char *s, double *out)
{
	char *end;
	while (*s == ' ')
		s++;
	if (!*s)
		return -1;
	double v = strtod(s, &end);
	while (*end == ' ')
		end++;
	if (*end || !isfinite(v))
		return -1;
	*out = v;
	return 0;
}

static int64_t days_from_civil(int64_t y, int64_t m, int64_t d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static int digits(const char **p, int n, int *out)
{
	int v = 0;
	for (int i = 0; i < n; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return -1;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += n;
	*out = v;
	return 0;
}

int track_parse_time(const char *s, int64_t *ms)
{
	/* epoch seconds or milliseconds: Traccar takes a number below 2^31 as seconds */
	const char *q = s;
	while (isdigit((unsigned char)*q))
		q++;
	if (q != s && !*q) {
		if (q - s > 15)
			return -1;
		long long v = strtoll(s, NULL, 10);
		*ms = v < 2147483647LL ? v * 1000 : v;
		return 0;
	}
	int Y, M, D, h, m, sec;
	const char *p = s;
	if (digits(&p, 4, &Y) || *p++ != '-' || digits(&p, 2, &M) || *p++ != '-' ||
	    digits(&p, 2, &D) || (*p != 'T' && *p != ' ' && *p != '+') ||
	    (p++, digits(&p, 2, &h)) || *p++ != ':' || digits(&p, 2, &m) || *p++ != ':' ||
	    digits(&p, 2, &sec))
		return -1;
	if (M < 1 || M > 12 || D < 1 || D > 31 || h > 23 || m > 59 || sec > 60)
		return -1;
	int frac = 0;
	if (*p == '.') {
		p++;
		int k = 0;
		while (isdigit((unsigned char)*p)) {
			if (k < 3)
				frac = frac * 10 + (*p - '0');
			k++;
			p++;
		}
		if (!k)
			return -1;
		for (; k < 3; k++)
			frac *= 10;
	}
	int64_t off;
	if (*p == 'Z' && !p[1]) {
		off = 0;
	} else if ((*p == '+' || *p == '-' || *p == ' ') && p[1]) {
		/* ' ': a query string's '+' decoded as a space (2026-03-02T08:00:00+08:00) */
		int oh, om = 0;
		const char *o = p + 1;
		if (digits(&o, 2, &oh))
			return -1;
		if (*o == ':')
			o++;
		if (*o && digits(&o, 2, &om))
			return -1;
		if (*o || oh > 23 || om > 59)
			return -1;
		off = (*p == '-' ? -1 : 1) * (oh * 3600 + om * 60);
	} else if (!*p) {
		off = clock_utc_offset(); /* no zone: the platform's (Traccar: the server's) */
	} else {
		return -1;
	}
	int64_t t = days_from_civil(Y, M, D) * 86400 + h * 3600 + m * 60 + sec - off;
	*ms = t * 1000 + frac;
	return 0;
}

static int bad(struct err *err, const char *key, const char *what)
{
	return err_field(err, GG_EINVAL, key, "%s: %s", key, what);
}

static int keep(struct track_fix *f, const char *key, json_t *v)
{
	if (!f->extra)
		f->extra = json_object();
	json_object_set_new(f->extra, key, v);
	return GG_OK;
}

int track_fix_set(struct track_fix *f, const char *key, const char *value, struct err *err)
{
	if (utf8_check_str(key) || utf8_check_str(value))
		return err_set(err, GG_EINVAL, "keys and values must be UTF-8 text");
	double v;
	if (!strcmp(key, "id") || !strcmp(key, "deviceid") || !strcmp(key, "device_id")) {
		size_t n = strlen(value);
		if (!n || n >= sizeof(f->device))
			return bad(err, key, "a device id is 1 to 63 bytes");
		memcpy(f->device, value, n + 1);
		return GG_OK;
	}
	if (!strcmp(key, "timestamp")) {
		if (track_parse_time(value, &f->t_ms))
			return bad(err, key, "not epoch seconds, milliseconds or ISO 8601");
		f->has_time = 1;
		return GG_OK;
	}
	if (!strcmp(key, "valid")) {
		f->valid = !strcmp(value, "true") || !strcmp(value, "1");
		return GG_OK;
	}
	if (!strcmp(key, "charge")) {
		f->charge = !strcmp(value, "true") || !strcmp(value, "1");
		return GG_OK;
	}
	if (!strcmp(key, "location")) {
		const char *c = strchr(value, ',');
		char lat[64];
		if (!c || (size_t)(c - value) >= sizeof(lat))
			return bad(err, key, "wants lat,lon");
		memcpy(lat, value, (size_t)(c - value));
		lat[c - value] = 0;
		if (num(lat, &f->lat) || num(c + 1, &f->lon))
			return bad(err, key, "wants lat,lon");
		f->has_pos = 3;
		return GG_OK;
	}
	static const char *const nums[] = {"lat",      "lon",	   "speed", "bearing", "heading",
					   "altitude", "accuracy", "hdop",  "batt"};
	for (size_t i = 0; i < sizeof(nums) / sizeof(nums[0]); i++) {
		if (strcmp(key, nums[i]))
			continue;
		if (num(value, &v))
			return bad(err, key, "not a finite number");
		switch (i) {
		case 0:
			f->lat = v;
			f->has_pos |= 1;
			break;
		case 1:
			f->lon = v;
			f->has_pos |= 2;
			break;
		case 2:
			f->speed_kn = v;
			break;
		case 3:
		case 4:
			f->course = v;
			break;
		case 5:
			f->altitude = v;
			break;
		case 6:
			f->accuracy = v;
			break;
		case 7:
			return keep(f, "hdop", json_real(v));
		case 8:
			f->battery = v;
			break;
		}
		return GG_OK;
	}
	if (strlen(key) > 64 || strlen(value) > 256)
		return bad(err, "attributes", "an extra key or value is too long");
	if (!num(value, &v))
		return keep(f, key, json_real(v));
	if (!strcmp(value, "true") || !strcmp(value, "false"))
		return keep(f, key, json_boolean(value[0] == 't'));
	return keep(f, key, json_string(value));
}

int track_fix_finish(struct arena *a, struct track_fix *f, int64_t now_ms, struct err *err)
{
	if (!f->device[0]) {
		track_fix_drop(f);
		return err_field(err, GG_EINVAL, "id",
				 "a fix needs its device id (id or deviceid)");
	}
	if (f->has_pos != 3)
		f->has_pos = 0;
	if (!f->has_time)
		f->t_ms = now_ms;
	/* beyond year 9999 or before 1970: no fix time a phone could have */
	if (f->t_ms < 0 || f->t_ms > 253402300799999LL) {
		track_fix_drop(f);
		return err_field(err, GG_EINVAL, "timestamp", "timestamp out of range");
	}
	if (f->extra) {
		char *s = json_dumps(f->extra, JSON_COMPACT | JSON_SORT_KEYS);
		track_fix_drop(f);
		if (s && strlen(s) > TRACK_ATTRS_MAX) {
			free(s);
			return err_field(err, GG_EINVAL, "attributes", "too many extra keys");
		}
		f->attrs = s ? arena_strdup(a, s) : NULL;
		free(s);
	}
	return GG_OK;
}

static int hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* Percent-decode s[0..n) into a NUL-terminated string from a; NULL on a bad escape. */
static char *unescape(struct arena *a, const char *s, size_t n)
{
	char *o = arena_alloc(a, n + 1), *d = o;
	for (size_t i = 0; i < n; i++) {
		if (s[i] == '+') {
			*d++ = ' ';
		} else if (s[i] == '%') {
			int h1 = i + 1 < n ? hexval((unsigned char)s[i + 1]) : -1;
			int h2 = i + 2 < n ? hexval((unsigned char)s[i + 2]) : -1;
			if (h1 < 0 || h2 < 0)
				return NULL;
			*d++ = (char)(h1 * 16 + h2);
			i += 2;
		} else {
			*d++ = s[i];
		}
	}
	*d = 0;
	if ((size_t)(d - o) != strlen(o))
		return NULL; /* an escaped NUL */
	return o;
}

int track_parse_form(struct arena *a, const char *s, size_t len, int64_t now_ms,
		     struct track_fix *f, struct err *err)
{
	track_fix_init(f);
	size_t i = 0;
	while (i < len) {
		size_t j = i;
		while (j < len && s[j] != '&')
			j++;
		if (j > i) {
			size_t eq = i;
			while (eq < j && s[eq] != '=')
				eq++;
			char *k = unescape(a, s + i, eq - i);
			char *v =
			    eq < j ? unescape(a, s + eq + 1, j - eq - 1) : arena_strdup(a, "");
			if (!k || !v) {
				track_fix_drop(f);
				return err_set(err, GG_EINVAL, "bad percent escape in the form");
			}
			int r = *k ? track_fix_set(f, k, v, err) : GG_OK;
			if (r) {
				track_fix_drop(f);
				return r;
			}
		}
		i = j + 1;
	}
	return track_fix_finish(a, f, now_ms, err);
}

/* ---- JSON ----------------------------------------------------------------------- */

static int jnum(json_t *o, const char *key, double *out)
{
	json_t *v = json_object_get(o, key);
	if (!v || json_is_null(v))
		return 1;
	if (!json_is_number(v) || !isfinite(json_number_value(v)))
		return -1;
	*out = json_number_value(v);
	return 0;
}

/* Traccar Client's object: {"device_id", "location": {...}}. */
static int json_location(struct track_fix *f, json_t *root, json_t *loc, struct err *err)
{
	json_t *id = json_object_get(root, "device_id");
	if (!json_is_string(id))
		return err_field(err, GG_EINVAL, "device_id", "device_id must be a string");
	int r = track_fix_set(f, "device_id", json_string_value(id), err);
	if (r)
		return r;
	json_t *ts = json_object_get(loc, "timestamp");
	if (ts) {
		if (!json_is_string(ts) || track_parse_time(json_string_value(ts), &f->t_ms))
			return err_field(err, GG_EINVAL, "timestamp",
					 "location.timestamp must be ISO 8601");
		f->has_time = 1;
	}
	json_t *c = json_object_get(loc, "coords");
	if (c && !json_is_object(c))
		return err_field(err, GG_EINVAL, "coords", "location.coords must be an object");
	if (c) {
		double v;
		if (jnum(c, "latitude", &f->lat) || jnum(c, "longitude", &f->lon))
			return err_field(err, GG_EINVAL, "coords",
					 "coords.latitude and longitude must be numbers");
		f->has_pos = 3;
		static const char *const keys[] = {"speed", "heading", "accuracy", "altitude"};
		for (int i = 0; i < 4; i++) {
			int k = jnum(c, keys[i], &v);
			if (k < 0)
				return err_field(err, GG_EINVAL, keys[i],
						 "coords.%s is not a number", keys[i]);
			if (k)
				continue;
			if (i == 0 && v >= 0)
				f->speed_kn = v * 3600.0 / 1852.0; /* m/s to knots */
			else if (i == 1 && v >= 0)
				f->course = v;
			else if (i == 2 && v >= 0)
				f->accuracy = v;
			else if (i == 3)
				f->altitude = v;
		}
	}
	json_t *b = json_object_get(loc, "battery");
	if (json_is_object(b)) {
		double lv;
		if (!jnum(b, "level", &lv) && lv >= 0)
			f->battery = lv * 100;
		json_t *ch = json_object_get(b, "is_charging");
		if (json_is_boolean(ch))
			f->charge = json_is_true(ch);
	}
	static const char *const kept[] = {"is_moving", "odometer", "event", "mock", "alarm"};
	for (int i = 0; i < 5; i++) {
		json_t *v = json_object_get(loc, kept[i]);
		if (v && (json_is_number(v) || json_is_boolean(v) || json_is_string(v)))
			keep(f, kept[i], json_incref(v));
	}
	json_t *act = json_object_get(loc, "activity");
	if (json_is_object(act) && json_is_string(json_object_get(act, "type")))
		keep(f, "activity", json_incref(json_object_get(act, "type")));
	json_t *ex = json_object_get(loc, "extras");
	const char *k;
	json_t *v;
	if (json_is_object(ex))
		json_object_foreach(ex, k, v)
		{
			if (strlen(k) <= 64 &&
			    (json_is_number(v) || json_is_boolean(v) || json_is_string(v)))
				keep(f, k, json_incref(v));
		}
	return GG_OK;
}

/* A flat object of the query-string keys. */
static int json_flat(struct track_fix *f, json_t *o, struct err *err)
{
	const char *k;
	json_t *v;
	json_object_foreach(o, k, v)
	{
		char buf[64];
		const char *s;
		if (json_is_string(v)) {
			s = json_string_value(v);
		} else if (json_is_integer(v)) {
			snprintf(buf, sizeof(buf), "%lld", (long long)json_integer_value(v));
			s = buf;
		} else if (json_is_real(v)) {
			snprintf(buf, sizeof(buf), "%.17g", json_real_value(v));
			s = buf;
		} else if (json_is_boolean(v)) {
			s = json_is_true(v) ? "true" : "false";
		} else if (json_is_null(v)) {
			continue;
		} else {
			return err_field(err, GG_EINVAL, k, "%s: objects and arrays are not fixes",
					 strlen(k) > 64 ? "a key" : k);
		}
		int r = track_fix_set(f, k, s, err);
		if (r)
			return r;
	}
	return GG_OK;
}

static int json_fix(struct arena *a, json_t *o, int64_t now_ms, struct track_fix *f,
		    struct err *err)
{
	track_fix_init(f);
	if (!json_is_object(o))
		return err_set(err, GG_EINVAL, "a fix must be a JSON object");
	json_t *loc = json_object_get(o, "location");
	int r = json_is_object(loc) ? json_location(f, o, loc, err) : json_flat(f, o, err);
	if (r) {
		track_fix_drop(f);
		return r;
	}
	return track_fix_finish(a, f, now_ms, err);
}

int track_parse_json(struct arena *a, const char *body, size_t len, int64_t now_ms, size_t max,
		     struct track_fix **out, size_t *n, struct err *err)
{
	json_error_t je;
	/* jansson refuses invalid UTF-8 and NUL bytes; a depth past its limit is an error too */
	json_t *root = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (!root)
		return err_set(err, GG_EJSON, "body is not valid JSON: %s", je.text);
	size_t k = json_is_array(root) ? json_array_size(root) : 1;
	int r = GG_OK;
	if (k > max) {
		r = err_set(err, GG_ETOOBIG, "at most %zu fixes in one request", max);
	} else if (k == 0) {
		r = err_set(err, GG_EINVAL, "an empty array holds no fix");
	} else {
		*out = arena_alloc(a, k * sizeof(**out));
		*n = k;
		for (size_t i = 0; i < k && !r; i++)
			r = json_fix(a, json_is_array(root) ? json_array_get(root, i) : root,
				     now_ms, &(*out)[i], err);
	}
	json_decref(root);
	return r;
}
