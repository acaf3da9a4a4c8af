/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case transition table, checked against an independent spec of every state ×
 * action × role: allowed pairs succeed with the right next state, the others are refused
 * with 409 (state) or 403 (role), and each condition refuses when it fails.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "gridgov/case.h"
#include "gridgov/err.h"
#include "gridgov/grid.h"

/* Role letters: A admin, O operator, L leader, S street, C community, G grid worker, D dept. */
static const char role_letter[ROLE_COUNT] = {
    [ROLE_ADMIN] = 'A',	    [ROLE_OPERATOR] = 'O',    [ROLE_LEADER] = 'L',     [ROLE_STREET] = 'S',
    [ROLE_COMMUNITY] = 'C', [ROLE_GRID_WORKER] = 'G', [ROLE_DEPARTMENT] = 'D',
};

static const struct {
	const char *state, *action, *roles, *next;
} spec[] = {
    {"reported", "file", "AO", "filed"},
    {"reported", "reject", "AO", "rejected"},
    {"reported", "merge", "AO", "merged"},
    {"reported", "self_close", "G", "closed"},
    {"reported", "escalate", "SCG", "reported"},
    {"filed", "dispatch", "AO", "dispatched"},
    {"filed", "suspend", "AOL", "suspended"},
    {"filed", "escalate", "SCG", "filed"},
    {"filed", "whistle", "SC", "filed"},
    {"filed", "report", "D", "filed"},
    {"filed", "rate_department", "SC", "filed"},
    {"dispatched", "accept", "D", "accepted"},
    {"dispatched", "return", "D", "filed"},
    {"dispatched", "suspend", "AOL", "suspended"},
    {"dispatched", "escalate", "SCG", "dispatched"},
    {"dispatched", "whistle", "SC", "dispatched"},
    {"dispatched", "report", "D", "dispatched"},
    {"dispatched", "rate_department", "SC", "dispatched"},
    {"accepted", "handle", "D", "handled"},
    {"accepted", "return", "D", "filed"},
    {"accepted", "extend", "D", "accepted"},
    {"accepted", "approve_extension", "AOL", "accepted"},
    {"accepted", "suspend", "AOL", "suspended"},
    {"accepted", "escalate", "SCG", "accepted"},
    {"accepted", "whistle", "SC", "accepted"},
    {"accepted", "report", "D", "accepted"},
    {"accepted", "rate_department", "SC", "accepted"},
    {"handled", "verify", "AOG", "verified"},
    {"handled", "rework", "AOG", "dispatched"},
    {"handled", "report", "D", "handled"},
    {"handled", "rate_department", "SC", "handled"},
    {"verified", "close", "AO", "closed"},
    {"verified", "rate_department", "SC", "verified"},
    {"closed", "evaluate", "AOSCG", "evaluated"},
    {"closed", "rate_department", "SC", "closed"},
    {"suspended", "dispatch", "AO", "dispatched"},
};

/* A context in which every condition holds (extension pending only where needed). */
static struct case_ctx all_ok(enum role role, enum case_action a)
{
	struct case_ctx c = {
	    .role = role,
	    .in_scope = 1,
	    .own_dept = 1,
	    .level = GRID_GRID,
	    .ext_pending = a == CASE_A_APPROVE_EXTENSION,
	    .summoned = 1,
	    .can_rate = 1,
	    .has_note = 1,
	    .nattachments = 2,
	    .rating = CASE_RATING_SATISFIED,
	};
	return c;
}

static void every_pair(void **state)
{
	(void)state;
	int allowed = 0, refused_state = 0, refused_role = 0;
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		for (int a = 0; a < CASE_ACTION_COUNT; a++) {
			int row = -1;
			for (size_t i = 0; i < sizeof(spec) / sizeof(spec[0]); i++)
				if (case_state_parse(spec[i].state) == s &&
				    case_action_parse(spec[i].action) == a)
					row = (int)i;
			for (int r = 0; r < ROLE_COUNT; r++) {
				struct case_ctx c = all_ok((enum role)r, (enum case_action)a);
				enum case_state next = CASE_STATE_COUNT;
				int rc = case_check((enum case_state)s, (enum case_action)a, &c,
						    &next, NULL);
				if (row < 0) {
					assert_int_equal(rc, GG_ESTATE);
					refused_state++;
				} else if (strchr(spec[row].roles, role_letter[r])) {
					if (rc != GG_OK)
						fail_msg("%s × %s × %s refused (%d)",
							 spec[row].state, spec[row].action,
							 role_name(r), rc);
					assert_int_equal(next, case_state_parse(spec[row].next));
					allowed++;
				} else {
					if (rc != GG_EFORBIDDEN)
						fail_msg("%s × %s × %s not forbidden (%d)",
							 spec[row].state, spec[row].action,
							 role_name(r), rc);
					refused_role++;
				}
			}
		}
	}
	assert_int_equal(allowed + refused_state + refused_role,
			 CASE_STATE_COUNT * CASE_ACTION_COUNT * ROLE_COUNT);
	assert_int_equal(allowed, 75);
	assert_true(refused_state > 1000);
}

static void names_round_trip(void **state)
{
	(void)state;
	for (int a = 0; a < CASE_ACTION_COUNT; a++)
		assert_int_equal(case_action_parse(case_action_name((enum case_action)a)), a);
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		assert_int_equal(case_state_parse(case_state_name((enum case_state)s)), s);
	assert_int_equal(case_action_parse("approve_extension"), CASE_A_APPROVE_EXTENSION);
	assert_int_equal(case_action_parse("fly"), -1);
	assert_int_equal(case_rating_parse("basically"), CASE_RATING_BASICALLY);
	assert_int_equal(case_rating_parse("great"), CASE_RATING_NONE);
	assert_string_equal(case_state_name_zh(CASE_FILED), "立案");
	/* the stage whose limit runs in each state (what a supervision round is about) */
	assert_string_equal(case_stage_name_zh(CASE_REPORTED), "立案");
	assert_string_equal(case_stage_name_zh(CASE_ACCEPTED), "处置");
	assert_string_equal(case_stage_name_zh(CASE_DISPATCHED), "处置");
	assert_string_equal(case_stage_name_zh(CASE_HANDLED), "核查");
	assert_null(case_stage_name_zh(CASE_CLOSED));
	assert_null(case_stage_name_zh(CASE_SUSPENDED));
}

static void conditions_refuse(void **state)
{
	(void)state;
	enum case_state next;
	const char *why = NULL;
	struct case_ctx c = all_ok(ROLE_OPERATOR, CASE_A_FILE);
	c.in_scope = 0;
	assert_int_equal(case_check(CASE_REPORTED, CASE_A_FILE, &c, &next, &why), GG_EFORBIDDEN);
	assert_non_null(strstr(why, "scope"));

	c = all_ok(ROLE_DEPARTMENT, CASE_A_ACCEPT);
	c.own_dept = 0;
	assert_int_equal(case_check(CASE_DISPATCHED, CASE_A_ACCEPT, &c, &next, NULL),
			 GG_EFORBIDDEN);

	c = all_ok(ROLE_DEPARTMENT, CASE_A_RETURN);
	c.has_note = 0;
	assert_int_equal(case_check(CASE_DISPATCHED, CASE_A_RETURN, &c, &next, NULL), GG_EFIELD);

	c = all_ok(ROLE_GRID_WORKER, CASE_A_SELF_CLOSE);
	c.nattachments = 1;
	assert_int_equal(case_check(CASE_REPORTED, CASE_A_SELF_CLOSE, &c, &next, &why), GG_EFIELD);
	assert_non_null(strstr(why, "photos"));

	c = all_ok(ROLE_DEPARTMENT, CASE_A_EXTEND);
	c.ext_pending = 1;
	assert_int_equal(case_check(CASE_ACCEPTED, CASE_A_EXTEND, &c, &next, NULL), GG_ESTATE);
	c = all_ok(ROLE_LEADER, CASE_A_EXTEND); /* nothing pending */
	assert_int_equal(case_check(CASE_ACCEPTED, CASE_A_APPROVE_EXTENSION, &c, &next, NULL),
			 GG_ESTATE);

	c = all_ok(ROLE_STREET, CASE_A_ESCALATE);
	c.level = GRID_DISTRICT;
	assert_int_equal(case_check(CASE_FILED, CASE_A_ESCALATE, &c, &next, NULL), GG_ESTATE);
	assert_int_equal(case_escalate_level(GRID_GRID), GRID_COMMUNITY);
	assert_int_equal(case_escalate_level(GRID_DISTRICT), GRID_DISTRICT);

	c = all_ok(ROLE_DEPARTMENT, CASE_A_REPORT);
	c.summoned = 0;
	assert_int_equal(case_check(CASE_ACCEPTED, CASE_A_REPORT, &c, &next, NULL), GG_EFORBIDDEN);

	c = all_ok(ROLE_OPERATOR, CASE_A_EVALUATE);
	c.rating = CASE_RATING_NONE;
	assert_int_equal(case_check(CASE_CLOSED, CASE_A_EVALUATE, &c, &next, NULL), GG_EFIELD);
}

static void unsatisfied_reopens_once(void **state)
{
	(void)state;
	enum case_state next;
	struct case_ctx c = all_ok(ROLE_OPERATOR, CASE_A_EVALUATE);
	c.rating = CASE_RATING_UNSATISFIED;
	assert_int_equal(case_check(CASE_CLOSED, CASE_A_EVALUATE, &c, &next, NULL), GG_OK);
	assert_int_equal(next, CASE_DISPATCHED);
	c.reopened = 1;
	assert_int_equal(case_check(CASE_CLOSED, CASE_A_EVALUATE, &c, &next, NULL), GG_OK);
	assert_int_equal(next, CASE_EVALUATED);
	c.reopened = 0;
	c.rating = CASE_RATING_BASICALLY;
	assert_int_equal(case_check(CASE_CLOSED, CASE_A_EVALUATE, &c, &next, NULL), GG_OK);
	assert_int_equal(next, CASE_EVALUATED);
}

/* Where case_state_whistles says no, the whistles change nothing a caller may do, so
 * not reading them (svc_case_ctx) is safe; where it says yes, they do for someone. */
static void whistles_matter_only_where_said(void **state)
{
	(void)state;
	assert_false(case_state_whistles(CASE_REPORTED));
	assert_true(case_state_whistles(CASE_FILED));
	assert_true(case_state_whistles(CASE_CLOSED));
	for (int s = 0; s < CASE_STATE_COUNT; s++) {
		int differs = 0;
		for (int role = 0; role < ROLE_COUNT; role++) {
			enum case_action a[CASE_ACTION_COUNT], b[CASE_ACTION_COUNT];
			struct case_ctx c = {.role = (enum role)role, .in_scope = 1, .own_dept = 1,
					     .level = GRID_GRID};
			size_t n = case_allowed_actions((enum case_state)s, &c, a, CASE_ACTION_COUNT);
			c.summoned = c.can_rate = 1;
			size_t m = case_allowed_actions((enum case_state)s, &c, b, CASE_ACTION_COUNT);
			differs |= n != m || memcmp(a, b, n * sizeof(a[0]));
		}
		assert_int_equal(differs, case_state_whistles((enum case_state)s));
	}
}

static void allowed_lists(void **state)
{
	(void)state;
	enum case_action out[CASE_ACTION_COUNT];
	struct case_ctx c = {.role = ROLE_OPERATOR, .in_scope = 1, .level = GRID_GRID};
	size_t n = case_allowed_actions(CASE_REPORTED, &c, out, CASE_ACTION_COUNT);
	assert_int_equal(n, 3);
	assert_int_equal(out[0], CASE_A_FILE);
	assert_int_equal(out[1], CASE_A_REJECT);
	assert_int_equal(out[2], CASE_A_MERGE);

	/* a department holding an accepted case with an extension pending, not summoned */
	c = (struct case_ctx){.role = ROLE_DEPARTMENT, .own_dept = 1, .ext_pending = 1};
	n = case_allowed_actions(CASE_ACCEPTED, &c, out, CASE_ACTION_COUNT);
	assert_int_equal(n, 2);
	assert_int_equal(out[0], CASE_A_HANDLE);
	assert_int_equal(out[1], CASE_A_RETURN);

	/* another department sees nothing to do */
	c.own_dept = 0;
	assert_int_equal(case_allowed_actions(CASE_ACCEPTED, &c, out, CASE_ACTION_COUNT), 0);

	/* final states allow nothing to anyone */
	c = all_ok(ROLE_ADMIN, CASE_A_FILE);
	for (int s = 0; s < CASE_STATE_COUNT; s++)
		if (case_state_final((enum case_state)s))
			assert_int_equal(
			    case_allowed_actions((enum case_state)s, &c, out, CASE_ACTION_COUNT),
			    0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(every_pair),	 cmocka_unit_test(names_round_trip),
	    cmocka_unit_test(conditions_refuse), cmocka_unit_test(unsatisfied_reopens_once),
	    cmocka_unit_test(allowed_lists),
	    cmocka_unit_test(whistles_matter_only_where_said),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
