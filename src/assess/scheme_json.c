/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A scoring scheme as JSON, the form in which it is stored (assess_scheme.body) and edited:
 * {"kind","version","valid_from","indicators":[{"key","name","num","den","form","weight"}],
 *  "grades":[{"name","min"}],"deduction":{"count","per","max"},"min_volume":{"count","min"}}.
 * Counts are named as assess_count_name gives them.
 */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/assess.h"
#include "gridgov/clock.h"

char *assess_scheme_json(const struct assess_scheme *s)
{
	json_t *inds = json_array(), *grades = json_array();
	for (size_t i = 0; i < s->nind; i++) {
		const struct assess_indicator *x = &s->ind[i];
		json_t *j = json_pack("{s:s,s:s,s:s,s:s,s:f}", "key", x->key, "name", x->name,
				      "num", assess_count_name(x->num), "form",
				      assess_form_name(x->form), "weight", x->weight);
		if (x->form != ASSESS_RELATIVE)
			json_object_set_new(j, "den", json_string(assess_count_name(x->den)));
		json_array_append_new(inds, j);
	}
	for (size_t i = 0; i < s->ngrade; i++)
		json_array_append_new(grades, json_pack("{s:s,s:f}", "name", s->grade[i].name,
							"min", s->grade[i].min));
	char from[16];
	clock_format_local_date(clock_day_start(s->valid_from), from, sizeof(from));
	json_t *j = json_pack("{s:s,s:i,s:s,s:o,s:o}", "kind", assess_kind_name(s->kind), "version",
			      s->version, "valid_from", from, "indicators", inds, "grades", grades);
	if (s->deduct < AC_COUNT)
		json_object_set_new(j, "deduction",
				    json_pack("{s:s,s:f,s:f}", "count",
					      assess_count_name(s->deduct), "per", s->deduct_per,
					      "max", s->deduct_max));
	if (s->volume < AC_COUNT)
		json_object_set_new(j, "min_volume",
				    json_pack("{s:s,s:I}", "count", assess_count_name(s->volume),
					      "min", (json_int_t)s->min_volume));
	char *out = json_dumps(j, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(j);
	return out;
}

static int str_field(json_t *o, const char *k, char *dst, size_t n, int required, struct err *err)
{
	json_t *v = json_object_get(o, k);
	if (!v && !required)
		return GG_OK;
	if (!json_is_string(v) || json_string_length(v) >= n)
		return err_field(err, GG_EFIELD, k, "%s must be a string shorter than %zu", k, n);
	snprintf(dst, n, "%s", json_string_value(v));
	return GG_OK;
}

static int count_field(json_t *o, const char *k, enum assess_count *out, struct err *err)
{
	int c = assess_count_parse(json_string_value(json_object_get(o, k)));
	if (c < 0)
		return err_field(err, GG_EFIELD, "indicators", "unknown count '%s'",
				 json_string_value(json_object_get(o, k)) ?: "");
	*out = (enum assess_count)c;
	return GG_OK;
}

static int parse_obj(json_t *j, struct assess_scheme *s, struct err *err)
{
	int rc;
	memset(s, 0, sizeof(*s));
	s->deduct = s->volume = AC_COUNT;
	int k = assess_kind_parse(json_string_value(json_object_get(j, "kind")));
	if (k < 0)
		return err_field(err, GG_EFIELD, "kind",
				 "kind must be worker, department, region or operator");
	s->kind = (enum assess_kind)k;
	s->version = (int)json_integer_value(json_object_get(j, "version"));
	const char *vf = json_string_value(json_object_get(j, "valid_from"));
	if (vf) {
		int64_t t;
		if (clock_parse_bound(vf, 0, &t))
			return err_field(err, GG_EFIELD, "valid_from", "valid_from must be a date");
		s->valid_from = clock_local_day(t);
	}
	json_t *inds = json_object_get(j, "indicators"), *x;
	size_t i;
	if (!json_is_array(inds) || json_array_size(inds) == 0 ||
	    json_array_size(inds) > ASSESS_MAX_IND)
		return err_field(err, GG_EFIELD, "indicators", "indicators: 1 to %d objects",
				 ASSESS_MAX_IND);
	json_array_foreach(inds, i, x)
	{
		struct assess_indicator *d = &s->ind[s->nind++];
		if (!json_is_object(x))
			return err_field(err, GG_EFIELD, "indicators", "an indicator is an object");
		if ((rc = str_field(x, "key", d->key, sizeof(d->key), 1, err)) ||
		    (rc = str_field(x, "name", d->name, sizeof(d->name), 0, err)))
			return rc;
		int f = assess_form_parse(json_string_value(json_object_get(x, "form")) ?: "rate");
		if (f < 0)
			return err_field(err, GG_EFIELD, "indicators",
					 "form must be rate, inverse or relative");
		d->form = (enum assess_form)f;
		if ((rc = count_field(x, "num", &d->num, err)))
			return rc;
		d->den = AC_COUNT;
		if (d->form != ASSESS_RELATIVE && (rc = count_field(x, "den", &d->den, err)))
			return rc;
		json_t *w = json_object_get(x, "weight");
		if (!json_is_number(w))
			return err_field(err, GG_EFIELD, "indicators",
					 "indicator '%s' has no weight", d->key);
		d->weight = json_number_value(w);
	}
	json_t *grades = json_object_get(j, "grades");
	if (!grades) {
		struct assess_scheme def;
		assess_scheme_default(s->kind, &def);
		memcpy(s->grade, def.grade, sizeof(s->grade));
		s->ngrade = def.ngrade;
	} else {
		if (!json_is_array(grades) || json_array_size(grades) > ASSESS_MAX_GRADES)
			return err_field(err, GG_EFIELD, "grades", "grades: up to %d objects",
					 ASSESS_MAX_GRADES);
		json_array_foreach(grades, i, x)
		{
			struct assess_grade *g = &s->grade[s->ngrade++];
			if ((rc = str_field(x, "name", g->name, sizeof(g->name), 1, err)))
				return rc;
			g->min = json_number_value(json_object_get(x, "min"));
		}
	}
	json_t *d = json_object_get(j, "deduction");
	if (d) {
		int c = assess_count_parse(json_string_value(json_object_get(d, "count")));
		if (c < 0)
			return err_field(err, GG_EFIELD, "deduction", "unknown count");
		s->deduct = (enum assess_count)c;
		s->deduct_per = json_number_value(json_object_get(d, "per"));
		s->deduct_max = json_number_value(json_object_get(d, "max"));
	}
	json_t *mv = json_object_get(j, "min_volume");
	if (mv) {
		int c = assess_count_parse(json_string_value(json_object_get(mv, "count")));
		if (c < 0)
			return err_field(err, GG_EFIELD, "min_volume", "unknown count");
		s->volume = (enum assess_count)c;
		s->min_volume = (int64_t)json_number_value(json_object_get(mv, "min"));
	}
	return assess_scheme_check(s, err);
}

int assess_scheme_parse(const char *text, struct assess_scheme *out, struct err *err)
{
	json_error_t je;
	json_t *j = json_loads(text, 0, &je);
	if (!json_is_object(j)) {
		json_decref(j);
		return err_set(err, GG_EJSON, "scheme is not a JSON object");
	}
	int rc = parse_obj(j, out, err);
	json_decref(j);
	return rc;
}
