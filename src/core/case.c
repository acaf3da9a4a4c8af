/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case state machine as one table: for each (state, action) pair that exists, the
 * state after it, the roles that may take it and the conditions it needs. Nothing else
 * in gridgov decides whether an action may run; the API only fills struct case_ctx.
 */
#include <string.h>

#include "gridgov/case.h"
#include "gridgov/err.h"
#include "gridgov/grid.h"

static const struct {
	const char *name, *zh;
} states[CASE_STATE_COUNT] = {
    [CASE_REPORTED] = {"reported", "上报"},	[CASE_FILED] = {"filed", "立案"},
    [CASE_REJECTED] = {"rejected", "不予立案"}, [CASE_MERGED] = {"merged", "已合并"},
    [CASE_DISPATCHED] = {"dispatched", "派遣"}, [CASE_ACCEPTED] = {"accepted", "签收"},
    [CASE_HANDLED] = {"handled", "处置反馈"},	[CASE_VERIFIED] = {"verified", "核查"},
    [CASE_CLOSED] = {"closed", "结案"},		[CASE_EVALUATED] = {"evaluated", "评价"},
    [CASE_SUSPENDED] = {"suspended", "挂账"},
};

static const struct {
	const char *name, *zh;
} actions[CASE_ACTION_COUNT] = {
    [CASE_A_FILE] = {"file", "立案"},
    [CASE_A_REJECT] = {"reject", "不予立案"},
    [CASE_A_MERGE] = {"merge", "合并"},
    [CASE_A_DISPATCH] = {"dispatch", "派遣"},
    [CASE_A_ACCEPT] = {"accept", "签收"},
    [CASE_A_RETURN] = {"return", "退回"},
    [CASE_A_HANDLE] = {"handle", "处置反馈"},
    [CASE_A_VERIFY] = {"verify", "核查"},
    [CASE_A_REWORK] = {"rework", "返工"},
    [CASE_A_CLOSE] = {"close", "结案"},
    [CASE_A_EVALUATE] = {"evaluate", "评价"},
    [CASE_A_ESCALATE] = {"escalate", "上报上级"},
    [CASE_A_EXTEND] = {"extend", "延期申请"},
    [CASE_A_APPROVE_EXTENSION] = {"approve_extension", "延期审批"},
    [CASE_A_SUSPEND] = {"suspend", "挂账"},
    [CASE_A_SELF_CLOSE] = {"self_close", "自处置"},
    [CASE_A_WHISTLE] = {"whistle", "吹哨"},
    [CASE_A_REPORT] = {"report", "报到"},
    [CASE_A_RATE_DEPARTMENT] = {"rate_department", "一哨一评价"},
};

#define R(x)	  (1u << (x))
#define OPS	  (R(ROLE_OPERATOR) | R(ROLE_ADMIN))
#define CHIEFS	  (OPS | R(ROLE_LEADER))
#define DEPT	  R(ROLE_DEPARTMENT)
#define LOCAL	  (R(ROLE_GRID_WORKER) | R(ROLE_COMMUNITY) | R(ROLE_STREET))
#define WHISTLERS (R(ROLE_STREET) | R(ROLE_COMMUNITY))
#define REPORTERS (OPS | LOCAL)
#define CHECKERS  (OPS | R(ROLE_GRID_WORKER))

/* Conditions. Standing ones (about the caller and the case) also filter allowed_actions. */
enum {
	C_SCOPE = 1 << 0,	/* the case's grid in the caller's scope */
	C_DEPT = 1 << 1,	/* the caller's department holds the case */
	C_BELOW_TOP = 1 << 2,	/* not yet at the district level */
	C_EXT_PENDING = 1 << 3, /* an extension waits */
	C_NO_EXT = 1 << 4,	/* no extension waits */
	C_SUMMONED = 1 << 5,	/* summoned by a whistle, not yet reported */
	C_CAN_RATE = 1 << 6,	/* blew a whistle, departments to rate */
	C_STANDING = (1 << 7) - 1,
	C_NOTE = 1 << 7,   /* request: a note (the reason) */
	C_PHOTOS = 1 << 8, /* request: before and after photos */
	C_RATING = 1 << 9, /* request: a rating */
};

#define SAME   CASE_STATE_COUNT	      /* the state does not change */
#define REOPEN (CASE_STATE_COUNT + 1) /* evaluated, or back to dispatched once if unsatisfied */

static const struct transition {
	enum case_state from;
	enum case_action action;
	unsigned next; /* a state, SAME or REOPEN */
	unsigned roles;
	unsigned conds;
} table[] = {
    /* 上报 */
    {CASE_REPORTED, CASE_A_FILE, CASE_FILED, OPS, C_SCOPE},
    {CASE_REPORTED, CASE_A_REJECT, CASE_REJECTED, OPS, C_SCOPE | C_NOTE},
    {CASE_REPORTED, CASE_A_MERGE, CASE_MERGED, OPS, C_SCOPE},
    {CASE_REPORTED, CASE_A_SELF_CLOSE, CASE_CLOSED, R(ROLE_GRID_WORKER), C_SCOPE | C_PHOTOS},
    {CASE_REPORTED, CASE_A_ESCALATE, SAME, LOCAL, C_SCOPE | C_BELOW_TOP | C_NOTE},
    /* 立案 */
    {CASE_FILED, CASE_A_DISPATCH, CASE_DISPATCHED, OPS, C_SCOPE},
    {CASE_FILED, CASE_A_SUSPEND, CASE_SUSPENDED, CHIEFS, C_SCOPE | C_NOTE},
    {CASE_FILED, CASE_A_ESCALATE, SAME, LOCAL, C_SCOPE | C_BELOW_TOP | C_NOTE},
    {CASE_FILED, CASE_A_WHISTLE, SAME, WHISTLERS, C_SCOPE},
    {CASE_FILED, CASE_A_REPORT, SAME, DEPT, C_SUMMONED},
    {CASE_FILED, CASE_A_RATE_DEPARTMENT, SAME, WHISTLERS, C_SCOPE | C_CAN_RATE},
    /* 派遣 */
    {CASE_DISPATCHED, CASE_A_ACCEPT, CASE_ACCEPTED, DEPT, C_DEPT},
    {CASE_DISPATCHED, CASE_A_RETURN, CASE_FILED, DEPT, C_DEPT | C_NOTE},
    {CASE_DISPATCHED, CASE_A_SUSPEND, CASE_SUSPENDED, CHIEFS, C_SCOPE | C_NOTE},
    {CASE_DISPATCHED, CASE_A_ESCALATE, SAME, LOCAL, C_SCOPE | C_BELOW_TOP | C_NOTE},
    {CASE_DISPATCHED, CASE_A_WHISTLE, SAME, WHISTLERS, C_SCOPE},
    {CASE_DISPATCHED, CASE_A_REPORT, SAME, DEPT, C_SUMMONED},
    {CASE_DISPATCHED, CASE_A_RATE_DEPARTMENT, SAME, WHISTLERS, C_SCOPE | C_CAN_RATE},
    /* 签收 */
    {CASE_ACCEPTED, CASE_A_HANDLE, CASE_HANDLED, DEPT, C_DEPT},
    {CASE_ACCEPTED, CASE_A_RETURN, CASE_FILED, DEPT, C_DEPT | C_NOTE},
    {CASE_ACCEPTED, CASE_A_EXTEND, SAME, DEPT, C_DEPT | C_NO_EXT | C_NOTE},
    {CASE_ACCEPTED, CASE_A_APPROVE_EXTENSION, SAME, CHIEFS, C_SCOPE | C_EXT_PENDING},
    {CASE_ACCEPTED, CASE_A_SUSPEND, CASE_SUSPENDED, CHIEFS, C_SCOPE | C_NOTE},
    {CASE_ACCEPTED, CASE_A_ESCALATE, SAME, LOCAL, C_SCOPE | C_BELOW_TOP | C_NOTE},
    {CASE_ACCEPTED, CASE_A_WHISTLE, SAME, WHISTLERS, C_SCOPE},
    {CASE_ACCEPTED, CASE_A_REPORT, SAME, DEPT, C_SUMMONED},
    {CASE_ACCEPTED, CASE_A_RATE_DEPARTMENT, SAME, WHISTLERS, C_SCOPE | C_CAN_RATE},
    /* 处置反馈 */
    {CASE_HANDLED, CASE_A_VERIFY, CASE_VERIFIED, CHECKERS, C_SCOPE},
    {CASE_HANDLED, CASE_A_REWORK, CASE_DISPATCHED, CHECKERS, C_SCOPE | C_NOTE},
    {CASE_HANDLED, CASE_A_REPORT, SAME, DEPT, C_SUMMONED},
    {CASE_HANDLED, CASE_A_RATE_DEPARTMENT, SAME, WHISTLERS, C_SCOPE | C_CAN_RATE},
    /* 核查 */
    {CASE_VERIFIED, CASE_A_CLOSE, CASE_CLOSED, OPS, C_SCOPE},
    {CASE_VERIFIED, CASE_A_RATE_DEPARTMENT, SAME, WHISTLERS, C_SCOPE | C_CAN_RATE},
    /* 结案 */
    {CASE_CLOSED, CASE_A_EVALUATE, REOPEN, REPORTERS, C_SCOPE | C_RATING},
    {CASE_CLOSED, CASE_A_RATE_DEPARTMENT, SAME, WHISTLERS, C_SCOPE | C_CAN_RATE},
    /* 挂账: resumes by a new dispatch */
    {CASE_SUSPENDED, CASE_A_DISPATCH, CASE_DISPATCHED, OPS, C_SCOPE},
};

const char *case_state_name(enum case_state s)
{
	return s >= 0 && s < CASE_STATE_COUNT ? states[s].name : "unknown";
}

const char *case_state_name_zh(enum case_state s)
{
	return s >= 0 && s < CASE_STATE_COUNT ? states[s].zh : "未知";
}

const char *case_stage_name_zh(enum case_state s)
{
	switch (s) {
	case CASE_REPORTED:
		return "立案";
	case CASE_FILED:
		return "派遣";
	case CASE_DISPATCHED:
	case CASE_ACCEPTED:
		return "处置";
	case CASE_HANDLED:
		return "核查";
	case CASE_VERIFIED:
		return "结案";
	default:
		return NULL;
	}
}

const char *case_action_name(enum case_action a)
{
	return a >= 0 && a < CASE_ACTION_COUNT ? actions[a].name : "unknown";
}

const char *case_action_name_zh(enum case_action a)
{
	return a >= 0 && a < CASE_ACTION_COUNT ? actions[a].zh : "未知";
}

int case_state_parse(const char *name)
{
	for (int i = 0; name && i < CASE_STATE_COUNT; i++)
		if (!strcmp(states[i].name, name))
			return i;
	return -1;
}

int case_action_parse(const char *name)
{
	for (int i = 0; name && i < CASE_ACTION_COUNT; i++)
		if (!strcmp(actions[i].name, name))
			return i;
	return -1;
}

static const char *ratings[] = {"", "satisfied", "basically", "unsatisfied"};

enum case_rating case_rating_parse(const char *name)
{
	for (int i = 1; name && i < 4; i++)
		if (!strcmp(ratings[i], name))
			return (enum case_rating)i;
	return CASE_RATING_NONE;
}

const char *case_rating_name(enum case_rating r)
{
	return r > 0 && r < 4 ? ratings[r] : "";
}

int case_state_final(enum case_state s)
{
	return s == CASE_REJECTED || s == CASE_MERGED || s == CASE_EVALUATED;
}

int case_escalate_level(int level)
{
	return level > GRID_DISTRICT ? level - 1 : GRID_DISTRICT;
}

static const struct transition *find(enum case_state s, enum case_action a)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].from == s && table[i].action == a)
			return &table[i];
	return NULL;
}

/* The first condition of mask that the context fails, or 0. */
static unsigned failing(unsigned mask, const struct case_ctx *c)
{
	const struct {
		unsigned bit;
		int ok;
	} tests[] = {
	    {C_SCOPE, c->in_scope},
	    {C_DEPT, c->own_dept},
	    {C_BELOW_TOP, c->level > GRID_DISTRICT},
	    {C_EXT_PENDING, c->ext_pending},
	    {C_NO_EXT, !c->ext_pending},
	    {C_SUMMONED, c->summoned},
	    {C_CAN_RATE, c->can_rate},
	    {C_NOTE, c->has_note},
	    {C_PHOTOS, c->nattachments >= 2},
	    {C_RATING, c->rating != CASE_RATING_NONE},
	};
	for (size_t i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)
		if ((mask & tests[i].bit) && !tests[i].ok)
			return tests[i].bit;
	return 0;
}

static int refuse(unsigned bit, const char **why)
{
	const char *msg = "not allowed";
	int code = GG_EFORBIDDEN;
	switch (bit) {
	case C_SCOPE:
		msg = "the case is outside your scope";
		break;
	case C_DEPT:
		msg = "the case is not assigned to your department";
		break;
	case C_SUMMONED:
		msg = "your department is not summoned or has already reported";
		break;
	case C_CAN_RATE:
		msg = "no reported department of your whistle is left to rate";
		break;
	case C_BELOW_TOP:
		code = GG_ESTATE, msg = "the case is already at the district";
		break;
	case C_EXT_PENDING:
		code = GG_ESTATE, msg = "no extension request is pending";
		break;
	case C_NO_EXT:
		code = GG_ESTATE, msg = "an extension request is already pending";
		break;
	case C_NOTE:
		code = GG_EFIELD, msg = "a note giving the reason is required";
		break;
	case C_PHOTOS:
		code = GG_EFIELD, msg = "before and after photos are required";
		break;
	case C_RATING:
		code = GG_EFIELD, msg = "rating must be satisfied, basically or unsatisfied";
		break;
	}
	if (why)
		*why = msg;
	return code;
}

int case_check(enum case_state s, enum case_action a, const struct case_ctx *ctx,
	       enum case_state *next, const char **why)
{
	const struct transition *t = find(s, a);
	if (!t) {
		if (why)
			*why = "the action is not allowed in this state";
		return GG_ESTATE;
	}
	if (!(t->roles & R(ctx->role))) {
		if (why)
			*why = "the action is not allowed to your role";
		return GG_EFORBIDDEN;
	}
	unsigned bad = failing(t->conds, ctx);
	if (bad)
		return refuse(bad, why);
	if (t->next == SAME)
		*next = s;
	else if (t->next == REOPEN)
		*next = ctx->rating == CASE_RATING_UNSATISFIED && ctx->reopened == 0
			    ? CASE_DISPATCHED
			    : CASE_EVALUATED;
	else
		*next = (enum case_state)t->next;
	return GG_OK;
}

int case_state_whistles(enum case_state s)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++)
		if (table[i].from == s && (table[i].conds & (C_SUMMONED | C_CAN_RATE)))
			return 1;
	return 0;
}

size_t case_allowed_actions(enum case_state s, const struct case_ctx *ctx, enum case_action *out,
			    size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < sizeof(table) / sizeof(table[0]); i++) {
		const struct transition *t = &table[i];
		if (t->from != s || !(t->roles & R(ctx->role)) ||
		    failing(t->conds & C_STANDING, ctx))
			continue;
		if (n < max)
			out[n] = t->action;
		n++;
	}
	return n;
}
