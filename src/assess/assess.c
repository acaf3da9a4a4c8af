/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The formulas of assessment 考核 (include/gridgov/assess.h): the default schemes, their
 * check (weights add up to 100 %), CST periods as day numbers, the score of a subject and
 * the ranking with shared ranks. Pure functions over plain structs; the JSON form of a
 * scheme is in scheme_json.c and the store reads behind the counts in run.c.
 */
#include <math.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/assess.h"

static const char *const kind_names[ASSESS_KIND_COUNT] = {"worker", "department", "region",
							  "operator"};
static const char *const period_names[ASSESS_PERIOD_COUNT] = {"week", "month", "quarter", "year"};
static const char *const count_names[AC_COUNT] = {
    [AC_REPORTED] = "reported",
    [AC_FILED] = "filed",
    [AC_FILED_ON_TIME] = "filed_on_time",
    [AC_DISPATCHED] = "dispatched",
    [AC_ACCURATE] = "accurate",
    [AC_HANDLED] = "handled",
    [AC_HANDLED_ON_TIME] = "handled_on_time",
    [AC_CLOSED] = "closed",
    [AC_CLOSED_ON_TIME] = "closed_on_time",
    [AC_REWORKED] = "reworked",
    [AC_EXTENDED] = "extended",
    [AC_RATED] = "rated",
    [AC_SATISFIED] = "satisfied",
    [AC_WORKER_REPORTED] = "worker_reported",
    [AC_POINTS] = "points",
    [AC_ROUNDS] = "rounds",
    [AC_OWN_REPORTED] = "own_reported",
    [AC_OWN_EFFECTIVE] = "own_effective",
    [AC_GRID_REPORTED] = "grid_reported",
    [AC_GRID_MISSED] = "grid_missed",
    [AC_VERIFIED] = "verified",
    [AC_VERIFIED_ON_TIME] = "verified_on_time",
    [AC_SELF_HANDLED] = "self_handled",
    [AC_CORRECTIONS] = "corrections",
    [AC_FILED_BY] = "filed_by",
    [AC_FILED_BY_ON_TIME] = "filed_by_on_time",
    [AC_DISPATCHED_BY] = "dispatched_by",
    [AC_DISPATCHED_BY_ACCURATE] = "dispatched_by_accurate",
};
static const char *const form_names[] = {"rate", "inverse", "relative"};

static int parse(const char *const *names, int n, const char *s)
{
	for (int i = 0; s && i < n; i++)
		if (names[i] && !strcmp(names[i], s))
			return i;
	return -1;
}

const char *assess_kind_name(enum assess_kind k)
{
	return k >= 0 && k < ASSESS_KIND_COUNT ? kind_names[k] : "unknown";
}
int assess_kind_parse(const char *s)
{
	return parse(kind_names, ASSESS_KIND_COUNT, s);
}
const char *assess_period_name(enum assess_period p)
{
	return p >= 0 && p < ASSESS_PERIOD_COUNT ? period_names[p] : "unknown";
}
int assess_period_parse(const char *s)
{
	return parse(period_names, ASSESS_PERIOD_COUNT, s);
}
const char *assess_count_name(enum assess_count c)
{
	return c >= 0 && c < AC_COUNT ? count_names[c] : "none";
}
int assess_count_parse(const char *s)
{
	return parse(count_names, AC_COUNT, s);
}
const char *assess_form_name(enum assess_form f)
{
	return f >= 0 && f <= ASSESS_RELATIVE ? form_names[f] : "unknown";
}
int assess_form_parse(const char *s)
{
	return parse(form_names, 3, s);
}

/* ---- default schemes ---------------------------------------------------------------- */

static void ind(struct assess_scheme *s, const char *key, const char *name, enum assess_count num,
		enum assess_count den, enum assess_form form, double weight)
{
	struct assess_indicator *i = &s->ind[s->nind++];
	snprintf(i->key, sizeof(i->key), "%s", key);
	snprintf(i->name, sizeof(i->name), "%s", name);
	i->num = num;
	i->den = den;
	i->form = form;
	i->weight = weight;
}

void assess_scheme_default(enum assess_kind k, struct assess_scheme *s)
{
	static const struct assess_grade bands[] = {
	    {"A", 90}, {"B", 75}, {"C", 60}, {"D", 40}, {"E", 0}};
	memset(s, 0, sizeof(*s));
	s->kind = k;
	memcpy(s->grade, bands, sizeof(bands));
	s->ngrade = sizeof(bands) / sizeof(bands[0]);
	s->deduct = AC_COUNT;
	s->volume = AC_COUNT;
	switch (k) {
	case ASSESS_DEPARTMENT:
		/* GB/T 30428.4: the departments' handling, with 督办 points deducted */
		ind(s, "handled_on_time_rate", "按期处置率", AC_HANDLED_ON_TIME, AC_HANDLED,
		    ASSESS_RATE, 40);
		ind(s, "rework_rate", "返工率", AC_REWORKED, AC_HANDLED, ASSESS_INVERSE, 20);
		ind(s, "extension_rate", "延期率", AC_EXTENDED, AC_DISPATCHED, ASSESS_INVERSE, 15);
		ind(s, "satisfaction_rate", "满意率", AC_SATISFIED, AC_RATED, ASSESS_RATE, 25);
		s->deduct = AC_POINTS;
		s->deduct_per = 1;
		s->deduct_max = 30;
		s->volume = AC_DISPATCHED;
		s->min_volume = 10;
		break;
	case ASSESS_REGION:
		ind(s, "filed", "立案数", AC_FILED, AC_COUNT, ASSESS_RELATIVE, 20);
		ind(s, "closure_rate", "结案率", AC_CLOSED, AC_FILED, ASSESS_RATE, 30);
		ind(s, "closed_on_time_rate", "按期结案率", AC_CLOSED_ON_TIME, AC_CLOSED,
		    ASSESS_RATE, 30);
		ind(s, "reporting_rate", "上报率", AC_WORKER_REPORTED, AC_REPORTED, ASSESS_RATE,
		    20);
		s->deduct = AC_POINTS;
		s->deduct_per = 1;
		s->deduct_max = 30;
		s->volume = AC_FILED;
		s->min_volume = 10;
		break;
	case ASSESS_WORKER:
		/* 有效上报率 × 40 % + (1 − 漏报率) × 20 % + 按时核查率 × 20 %, and the worker's
		 * own work as the platform records it now: 自处置 and people corrections
		 * approved. Visits and patrols (issue 15) come in a later version. */
		ind(s, "effective_report_rate", "有效上报率", AC_OWN_EFFECTIVE, AC_OWN_REPORTED,
		    ASSESS_RATE, 40);
		ind(s, "missed_rate", "漏报率", AC_GRID_MISSED, AC_GRID_REPORTED, ASSESS_INVERSE,
		    20);
		ind(s, "verified_on_time_rate", "按时核查率", AC_VERIFIED_ON_TIME, AC_VERIFIED,
		    ASSESS_RATE, 20);
		ind(s, "self_handled_rate", "自处置率", AC_SELF_HANDLED, AC_OWN_REPORTED,
		    ASSESS_RATE, 10);
		ind(s, "corrections", "信息完善数", AC_CORRECTIONS, AC_COUNT, ASSESS_RELATIVE, 10);
		s->volume = AC_OWN_REPORTED;
		s->min_volume = 5;
		break;
	case ASSESS_OPERATOR:
	default:
		ind(s, "filed_on_time_rate", "按时立案率", AC_FILED_BY_ON_TIME, AC_FILED_BY,
		    ASSESS_RATE, 50);
		ind(s, "accurate_dispatch_rate", "准确派遣率", AC_DISPATCHED_BY_ACCURATE,
		    AC_DISPATCHED_BY, ASSESS_RATE, 50);
		s->volume = AC_FILED_BY;
		s->min_volume = 10;
		break;
	}
}

int assess_scheme_check(const struct assess_scheme *s, struct err *err)
{
	if (s->kind < 0 || s->kind >= ASSESS_KIND_COUNT)
		return err_field(err, GG_EFIELD, "kind", "unknown kind of subject");
	if (s->nind == 0 || s->nind > ASSESS_MAX_IND)
		return err_field(err, GG_EFIELD, "indicators", "a scheme has 1 to %d indicators",
				 ASSESS_MAX_IND);
	double sum = 0;
	for (size_t i = 0; i < s->nind; i++) {
		const struct assess_indicator *x = &s->ind[i];
		if (!x->key[0])
			return err_field(err, GG_EFIELD, "indicators", "indicator %zu has no key",
					 i + 1);
		for (size_t j = 0; j < i; j++)
			if (!strcmp(s->ind[j].key, x->key))
				return err_field(err, GG_EFIELD, "indicators",
						 "indicator key '%s' appears twice", x->key);
		if (x->num < 0 || x->num >= AC_COUNT ||
		    (x->form != ASSESS_RELATIVE && (x->den < 0 || x->den >= AC_COUNT)))
			return err_field(err, GG_EFIELD, "indicators",
					 "indicator '%s' names an unknown count", x->key);
		if (!(x->weight >= 0) || x->weight > 100)
			return err_field(err, GG_EFIELD, "indicators",
					 "indicator '%s': weight must be 0 to 100", x->key);
		sum += x->weight;
	}
	if (fabs(sum - 100) > 1e-6)
		return err_field(err, GG_EFIELD, "indicators",
				 "the weights add up to %g %%, not 100 %%", sum);
	if (s->ngrade == 0 || s->ngrade > ASSESS_MAX_GRADES)
		return err_field(err, GG_EFIELD, "grades", "a scheme has 1 to %d grade bands",
				 ASSESS_MAX_GRADES);
	for (size_t i = 0; i < s->ngrade; i++) {
		if (!s->grade[i].name[0])
			return err_field(err, GG_EFIELD, "grades", "grade %zu has no name", i + 1);
		if (i && !(s->grade[i].min < s->grade[i - 1].min))
			return err_field(err, GG_EFIELD, "grades",
					 "grade bands must go from the highest minimum down");
	}
	if (s->grade[s->ngrade - 1].min > 0)
		return err_field(err, GG_EFIELD, "grades", "the lowest band must start at 0");
	if (s->deduct < 0 || s->deduct > AC_COUNT || s->volume < 0 || s->volume > AC_COUNT)
		return err_field(err, GG_EFIELD, "deduction", "unknown count");
	if (s->deduct_per < 0 || s->deduct_max < 0 || s->min_volume < 0)
		return err_field(err, GG_EFIELD, "deduction", "negative deduction or volume");
	return GG_OK;
}

/* ---- periods ------------------------------------------------------------------------ */

/* Howard Hinnant's days_from_civil / civil_from_days (proleptic Gregorian). */
int64_t assess_days_from_civil(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

void assess_civil_from_days(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

void assess_period_of(enum assess_period p, int64_t day, int64_t *from, int64_t *to)
{
	int y, m, d;
	if (p == ASSESS_WEEK) {
		int dow = (int)((((day + 3) % 7) + 7) % 7); /* 0 Monday; day 0 was a Thursday */
		*from = day - dow;
		*to = *from + 7;
		return;
	}
	assess_civil_from_days(day, &y, &m, &d);
	int first = p == ASSESS_MONTH ? m : p == ASSESS_QUARTER ? (m - 1) / 3 * 3 + 1 : 1;
	int span = p == ASSESS_MONTH ? 1 : p == ASSESS_QUARTER ? 3 : 12;
	int em = first + span, ey = y;
	if (em > 12) {
		em -= 12;
		ey++;
	}
	*from = assess_days_from_civil(y, first, 1);
	*to = assess_days_from_civil(ey, em, 1);
}

void assess_period_prev(enum assess_period p, int64_t from, int64_t *pfrom, int64_t *pto)
{
	assess_period_of(p, from - 1, pfrom, pto);
}

/* ---- scores and ranks ------------------------------------------------------------- */

void assess_score(const struct assess_scheme *s, struct assess_subject *v, size_t n)
{
	int64_t max[ASSESS_MAX_IND] = {0};
	for (size_t k = 0; k < s->nind; k++)
		if (s->ind[k].form == ASSESS_RELATIVE)
			for (size_t i = 0; i < n; i++)
				if (v[i].c[s->ind[k].num] > max[k])
					max[k] = v[i].c[s->ind[k].num];
	for (size_t i = 0; i < n; i++) {
		struct assess_subject *x = &v[i];
		double wsum = 0, acc = 0;
		for (size_t k = 0; k < s->nind; k++) {
			const struct assess_indicator *d = &s->ind[k];
			int64_t num = x->c[d->num];
			int64_t den = d->form == ASSESS_RELATIVE ? max[k] : x->c[d->den];
			x->has_value[k] = den > 0;
			x->value[k] = 0;
			if (!x->has_value[k])
				continue;
			double r = (double)num / (double)den;
			if (r > 1)
				r = 1;
			x->value[k] = d->form == ASSESS_INVERSE ? 1 - r : r;
			wsum += d->weight;
			acc += d->weight * x->value[k];
		}
		/* a volume alone (立案数 0 of the largest) is no score: a subject needs a base of
		 * its own, or some volume */
		int own = 0;
		for (size_t k = 0; k < s->nind; k++)
			own |= s->ind[k].form == ASSESS_RELATIVE ? x->c[s->ind[k].num] > 0
								 : x->has_value[k];
		x->scored = wsum > 0 && own;
		x->deducted = 0;
		x->score = 0;
		x->grade = "";
		if (s->deduct < AC_COUNT) {
			x->deducted = s->deduct_per * (double)x->c[s->deduct];
			if (x->deducted > s->deduct_max)
				x->deducted = s->deduct_max;
		}
		x->small = s->volume < AC_COUNT && x->c[s->volume] < s->min_volume;
		x->rank = 0;
		if (!x->scored)
			continue;
		double sc = 100.0 * acc / wsum - x->deducted;
		sc = sc < 0 ? 0 : sc > 100 ? 100 : sc;
		x->score = round(sc * 100) / 100;
		for (size_t g = 0; g < s->ngrade; g++)
			if (x->score >= s->grade[g].min) {
				x->grade = s->grade[g].name;
				break;
			}
	}
}

static int ranked(const struct assess_subject *x)
{
	return x->scored && !x->small;
}

static int by_rank(const void *pa, const void *pb)
{
	const struct assess_subject *a = pa, *b = pb;
	if (ranked(a) != ranked(b))
		return ranked(b) - ranked(a);
	if (ranked(a) && a->score != b->score)
		return a->score > b->score ? -1 : 1;
	return strcmp(a->id, b->id);
}

void assess_rank(struct assess_subject *v, size_t n, int worst_first)
{
	qsort(v, n, sizeof(*v), by_rank);
	size_t nr = 0;
	for (size_t i = 0; i < n && ranked(&v[i]); i++, nr++)
		v[i].rank = i && v[i].score == v[i - 1].score ? v[i - 1].rank : (int)i + 1;
	for (size_t i = nr; i < n; i++)
		v[i].rank = 0;
	if (worst_first)
		for (size_t i = 0, j = nr; i + 1 < j; i++, j--) {
			struct assess_subject t = v[i];
			v[i] = v[j - 1];
			v[j - 1] = t;
		}
}

void assess_digest(const void *p, size_t len, char out[65])
{
	unsigned char h[crypto_hash_sha256_BYTES];
	crypto_hash_sha256(h, p, len);
	sodium_bin2hex(out, 65, h, sizeof(h));
}
