/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The formulas of assessment 考核 (src/assess/assess.c) against values computed by hand on
 * a small fixture: every default scheme, deductions, the minimum-volume rule, shared
 * ranks, CST periods, the refusal of weights that do not add up to 100 % and the JSON
 * form of a scheme.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "gridgov/assess.h"

static struct assess_subject subj(const char *id)
{
	struct assess_subject s;
	memset(&s, 0, sizeof(s));
	strcpy(s.id, id);
	strcpy(s.name, id);
	return s;
}

static void department_scheme(void **state)
{
	(void)state;
	struct assess_scheme s;
	assess_scheme_default(ASSESS_DEPARTMENT, &s);
	struct assess_subject v[5] = {subj("D1"), subj("D2"), subj("D3"), subj("D4"), subj("D5")};
	/* D1: 按期处置 8/10, 返工 1/10, 延期 3/12, 满意 4/5, 2 督办 points:
	 * 40×0.8 + 20×0.9 + 15×0.75 + 25×0.8 = 81.25, − 2 = 79.25 → B */
	int64_t d1[] = {
	    [AC_HANDLED] = 10, [AC_HANDLED_ON_TIME] = 8, [AC_REWORKED] = 1,  [AC_DISPATCHED] = 12,
	    [AC_EXTENDED] = 3, [AC_RATED] = 5,		 [AC_SATISFIED] = 4, [AC_POINTS] = 2};
	/* D2: 4/4, 0/4, 0/4, no rating: 75 of weight all at 1 → 100, but 4 dispatched < 10 */
	int64_t d2[] = {[AC_HANDLED] = 4, [AC_HANDLED_ON_TIME] = 4, [AC_DISPATCHED] = 4};
	/* D3 and D4: 16/20, 2/20, 2/20, 8/10: 32 + 18 + 13.5 + 20 = 83.5 → B, a tie */
	int64_t d3[] = {
	    [AC_HANDLED] = 20, [AC_HANDLED_ON_TIME] = 16, [AC_REWORKED] = 2, [AC_DISPATCHED] = 20,
	    [AC_EXTENDED] = 2, [AC_RATED] = 10,		  [AC_SATISFIED] = 8};
	memcpy(v[0].c, d1, sizeof(d1));
	memcpy(v[1].c, d2, sizeof(d2));
	memcpy(v[2].c, d3, sizeof(d3));
	memcpy(v[3].c, d3, sizeof(d3));
	v[3].c[AC_POINTS] = 50; /* deductions stop at 30: 83.5 − 30 = 53.5 → D */
	assess_score(&s, v, 5);
	assert_true(v[0].scored);
	assert_float_equal(v[0].score, 79.25, 1e-9);
	assert_string_equal(v[0].grade, "B");
	assert_float_equal(v[0].value[2], 0.75, 1e-9);
	assert_float_equal(v[1].score, 100, 1e-9);
	assert_false(v[1].has_value[3]);
	assert_true(v[1].small);
	assert_float_equal(v[2].score, 83.5, 1e-9);
	assert_float_equal(v[3].deducted, 30, 1e-9);
	assert_float_equal(v[3].score, 53.5, 1e-9);
	assert_string_equal(v[3].grade, "D");
	assert_false(v[4].scored); /* no base at all: no score */
	assert_string_equal(v[4].grade, "");
}

static void region_scheme(void **state)
{
	(void)state;
	struct assess_scheme s;
	assess_scheme_default(ASSESS_REGION, &s);
	struct assess_subject v[2] = {subj("R1"), subj("R2")};
	/* R1: 立案 50 of the largest 100 → 0.5, 结案 40/50, 按期结案 30/40, 上报率 30/60:
	 * 10 + 24 + 22.5 + 10 = 66.5, − min(30, 40 points) = 36.5 → E */
	v[0].c[AC_FILED] = 50;
	v[0].c[AC_CLOSED] = 40;
	v[0].c[AC_CLOSED_ON_TIME] = 30;
	v[0].c[AC_REPORTED] = 60;
	v[0].c[AC_WORKER_REPORTED] = 30;
	v[0].c[AC_POINTS] = 40;
	v[1].c[AC_FILED] = v[1].c[AC_CLOSED] = v[1].c[AC_CLOSED_ON_TIME] = 100;
	v[1].c[AC_REPORTED] = v[1].c[AC_WORKER_REPORTED] = 100;
	assess_score(&s, v, 2);
	assert_float_equal(v[0].value[0], 0.5, 1e-9);
	assert_float_equal(v[0].score, 36.5, 1e-9);
	assert_string_equal(v[0].grade, "E");
	assert_float_equal(v[1].score, 100, 1e-9);
	assert_string_equal(v[1].grade, "A");
	/* a region without a case: 0 of the largest 立案数 is no score of 0 */
	struct assess_subject none[2] = {v[1], subj("R3")};
	assess_score(&s, none, 2);
	assert_true(none[0].scored);
	assert_false(none[1].scored);
}

static void worker_scheme(void **state)
{
	(void)state;
	struct assess_scheme s;
	assess_scheme_default(ASSESS_WORKER, &s);
	struct assess_subject v[2] = {subj("7"), subj("8")};
	/* W7: 有效上报 18/20, 漏报 2/10, 按时核查 4/5, 自处置 5/20, 信息完善 3 of 6:
	 * 36 + 16 + 16 + 2.5 + 5 = 75.5 → B */
	int64_t w7[] = {[AC_OWN_REPORTED] = 20, [AC_OWN_EFFECTIVE] = 18, [AC_GRID_REPORTED] = 10,
			[AC_GRID_MISSED] = 2,	[AC_VERIFIED] = 5,	 [AC_VERIFIED_ON_TIME] = 4,
			[AC_SELF_HANDLED] = 5,	[AC_CORRECTIONS] = 3};
	/* W8: 4/4, no grid reports, no 核查, 0/4, 6 of 6: weights 40 + 10 + 10 → (40 + 0 +
	 * 10) / 60 = 83.33; 4 reports < 5: not ranked */
	int64_t w8[] = {[AC_OWN_REPORTED] = 4, [AC_OWN_EFFECTIVE] = 4, [AC_CORRECTIONS] = 6};
	memcpy(v[0].c, w7, sizeof(w7));
	memcpy(v[1].c, w8, sizeof(w8));
	assess_score(&s, v, 2);
	assert_float_equal(v[0].score, 75.5, 1e-9);
	assert_string_equal(v[0].grade, "B");
	assert_float_equal(v[1].score, 83.33, 1e-9);
	assert_true(v[1].small);
	assess_rank(v, 2, 0);
	assert_string_equal(v[0].id, "7");
	assert_int_equal(v[0].rank, 1);
	assert_int_equal(v[1].rank, 0); /* a better score on 4 reports is not a win */
}

static void operator_scheme(void **state)
{
	(void)state;
	struct assess_scheme s;
	assess_scheme_default(ASSESS_OPERATOR, &s);
	struct assess_subject v = subj("2");
	v.c[AC_FILED_BY] = 10;
	v.c[AC_FILED_BY_ON_TIME] = 9;
	v.c[AC_DISPATCHED_BY] = 8;
	v.c[AC_DISPATCHED_BY_ACCURATE] = 8; /* 50 × 0.9 + 50 × 1 = 95 */
	assess_score(&s, &v, 1);
	assert_float_equal(v.score, 95, 1e-9);
	assert_string_equal(v.grade, "A");
	assert_false(v.small);
}

static void ties_share_a_rank(void **state)
{
	(void)state;
	struct assess_subject v[6];
	const double sc[] = {70, 90, 90, 50, 90, 60};
	for (int i = 0; i < 6; i++) {
		char id[4] = {(char)('a' + i), 0};
		v[i] = subj(id);
		v[i].scored = 1;
		v[i].score = sc[i];
	}
	v[5].small = 1;
	assess_rank(v, 6, 0);
	/* b, c, e at 90 share 1; a is 4th; d 5th; f is small, unranked, last */
	const char *ids = "bcead";
	const int ranks[] = {1, 1, 1, 4, 5};
	for (int i = 0; i < 5; i++) {
		assert_int_equal(v[i].id[0], ids[i]);
		assert_int_equal(v[i].rank, ranks[i]);
	}
	assert_string_equal(v[5].id, "f");
	assert_int_equal(v[5].rank, 0);
	assess_rank(v, 6, 1); /* worst first: d 5, a 4, then the 1s; f still last */
	assert_string_equal(v[0].id, "d");
	assert_int_equal(v[0].rank, 5);
	assert_string_equal(v[1].id, "a");
	assert_int_equal(v[4].rank, 1);
	assert_string_equal(v[5].id, "f");
}

static void day(int64_t d, int y, int m, int dd)
{
	assert_int_equal(d, assess_days_from_civil(y, m, dd));
}

static void periods(void **state)
{
	(void)state;
	int64_t f, t, pf, pt;
	int64_t tue = assess_days_from_civil(2026, 12, 8);
	assess_period_of(ASSESS_WEEK, tue, &f, &t);
	day(f, 2026, 12, 7); /* a Monday */
	day(t, 2026, 12, 14);
	assess_period_of(ASSESS_WEEK, assess_days_from_civil(2026, 12, 13), &pf, &pt);
	assert_int_equal(pf, f); /* Sunday is in the same week */
	assess_period_of(ASSESS_MONTH, tue, &f, &t);
	day(f, 2026, 12, 1);
	day(t, 2027, 1, 1);
	assess_period_of(ASSESS_QUARTER, tue, &f, &t);
	day(f, 2026, 10, 1);
	day(t, 2027, 1, 1);
	assess_period_of(ASSESS_YEAR, tue, &f, &t);
	day(f, 2026, 1, 1);
	day(t, 2027, 1, 1);
	assess_period_of(ASSESS_MONTH, assess_days_from_civil(2028, 2, 29), &f, &t);
	assert_int_equal(t - f, 29); /* a leap February */
	assess_period_prev(ASSESS_MONTH, assess_days_from_civil(2027, 1, 1), &pf, &pt);
	day(pf, 2026, 12, 1);
	day(pt, 2027, 1, 1);
	assess_period_prev(ASSESS_QUARTER, assess_days_from_civil(2026, 1, 1), &pf, &pt);
	day(pf, 2025, 10, 1);
	assess_period_prev(ASSESS_WEEK, assess_days_from_civil(2026, 12, 7), &pf, &pt);
	day(pf, 2026, 11, 30);
	int y, m, d;
	assess_civil_from_days(0, &y, &m, &d);
	assert_true(y == 1970 && m == 1 && d == 1);
}

static void weights_must_add_up_to_100(void **state)
{
	(void)state;
	struct assess_scheme s;
	struct err err = ERR_INIT;
	for (int k = 0; k < ASSESS_KIND_COUNT; k++) {
		assess_scheme_default((enum assess_kind)k, &s);
		assert_int_equal(assess_scheme_check(&s, &err), GG_OK);
	}
	assess_scheme_default(ASSESS_DEPARTMENT, &s);
	s.ind[0].weight = 39; /* 99 % */
	assert_int_equal(assess_scheme_check(&s, &err), GG_EFIELD);
	assert_non_null(strstr(err.msg, "99"));
	s.ind[0].weight = 41; /* 101 % */
	assert_int_equal(assess_scheme_check(&s, &err), GG_EFIELD);
	s.ind[0].weight = 40;
	strcpy(s.ind[1].key, s.ind[0].key);
	assert_int_equal(assess_scheme_check(&s, &err), GG_EFIELD);
	assess_scheme_default(ASSESS_DEPARTMENT, &s);
	s.grade[1].min = 95; /* bands out of order */
	assert_int_equal(assess_scheme_check(&s, &err), GG_EFIELD);
	/* and from JSON */
	assert_int_equal(assess_scheme_parse("{\"kind\":\"department\",\"indicators\":[{\"key\":"
					     "\"a\",\"num\":\"handled_on_time\",\"den\":"
					     "\"handled\",\"weight\":60}]}",
					     &s, &err),
			 GG_EFIELD);
	assert_string_equal(err.field, "indicators");
}

static void scheme_json_round_trip(void **state)
{
	(void)state;
	struct assess_scheme s, back;
	struct err err = ERR_INIT;
	assess_scheme_default(ASSESS_WORKER, &s);
	char *j = assess_scheme_json(&s);
	assert_int_equal(assess_scheme_parse(j, &back, &err), GG_OK);
	free(j);
	assert_int_equal(back.kind, ASSESS_WORKER);
	assert_int_equal(back.nind, s.nind);
	for (size_t i = 0; i < s.nind; i++) {
		assert_string_equal(back.ind[i].key, s.ind[i].key);
		assert_int_equal(back.ind[i].num, s.ind[i].num);
		assert_int_equal(back.ind[i].form, s.ind[i].form);
		assert_float_equal(back.ind[i].weight, s.ind[i].weight, 1e-9);
	}
	assert_int_equal(back.volume, AC_OWN_REPORTED);
	assert_int_equal(back.min_volume, 5);
	assert_int_equal(back.ngrade, 5);
	/* a further indicator (a count the platform will have) fits into a new version */
	assert_int_equal(assess_count_parse("grid_missed"), AC_GRID_MISSED);
	assert_int_equal(assess_count_parse("patrol_hours"), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(department_scheme),
	    cmocka_unit_test(region_scheme),
	    cmocka_unit_test(worker_scheme),
	    cmocka_unit_test(operator_scheme),
	    cmocka_unit_test(ties_share_a_rank),
	    cmocka_unit_test(periods),
	    cmocka_unit_test(weights_must_add_up_to_100),
	    cmocka_unit_test(scheme_json_round_trip),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
