/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case state machine of the GB/T 30428 loop: reported 上报 › filed 立案 › dispatched
 * 派遣 › accepted 签收 › handled 处置反馈 › verified 核查 › closed 结案 › evaluated 评价,
 * with the side paths (不予立案, merge, 退回, 返工, 延期, 挂账, 自处置, escalation,
 * 吹哨报到). Everything that decides whether an action may run lives in ONE transition
 * table in case.c; this header is pure logic: no storage, no HTTP.
 */
#ifndef GRIDGOV_CASE_H
#define GRIDGOV_CASE_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/role.h"

enum case_state {
	CASE_REPORTED,	 /* 上报 */
	CASE_FILED,	 /* 立案 */
	CASE_REJECTED,	 /* 不予立案 (final) */
	CASE_MERGED,	 /* merged into a duplicate (final) */
	CASE_DISPATCHED, /* 派遣 */
	CASE_ACCEPTED,	 /* 签收 */
	CASE_HANDLED,	 /* 处置反馈 */
	CASE_VERIFIED,	 /* 核查 */
	CASE_CLOSED,	 /* 结案 */
	CASE_EVALUATED,	 /* 评价 (final) */
	CASE_SUSPENDED,	 /* 挂账 */
	CASE_STATE_COUNT
};

enum case_action {
	CASE_A_FILE,
	CASE_A_REJECT,
	CASE_A_MERGE,
	CASE_A_DISPATCH,
	CASE_A_ACCEPT,
	CASE_A_RETURN,
	CASE_A_HANDLE,
	CASE_A_VERIFY,
	CASE_A_REWORK,
	CASE_A_CLOSE,
	CASE_A_EVALUATE,
	CASE_A_ESCALATE,
	CASE_A_EXTEND,
	CASE_A_APPROVE_EXTENSION,
	CASE_A_SUSPEND,
	CASE_A_SELF_CLOSE,
	CASE_A_WHISTLE,
	CASE_A_REPORT,
	CASE_A_RATE_DEPARTMENT,
	CASE_ACTION_COUNT
};

enum case_rating {
	CASE_RATING_NONE,
	CASE_RATING_SATISFIED,	 /* 满意 */
	CASE_RATING_BASICALLY,	 /* 基本满意 */
	CASE_RATING_UNSATISFIED, /* 不满意 */
};

/*
 * What the table's conditions look at: the caller and the facts of the case that bear
 * on the action. The API fills it from the principal, the stored case and the request.
 */
struct case_ctx {
	enum role role;
	int in_scope;	 /* the case's grid lies in the caller's scope */
	int own_dept;	 /* the caller is staff of the case's current department */
	int level;	 /* the case's handling level (enum grid_level: 4 grid … 1 district) */
	int ext_pending; /* an extension request waits for approval */
	int summoned;	 /* the caller's department is summoned by an open whistle, unreported */
	int can_rate;	 /* the caller blew a whistle with reported departments left to rate */
	int reopened;	 /* times an unsatisfied rating has reopened the case */
	/* the request itself */
	int has_note;	  /* a non-empty note (the reason, where one is required) */
	int nattachments; /* photos and files attached */
	enum case_rating rating;
};

/** "reported", "filed", …; "unknown" out of range. */
const char *case_state_name(enum case_state s);
/** 上报, 立案, … */
const char *case_state_name_zh(enum case_state s);
/**
 * The stage whose time limit runs while a case is in state s, in Chinese: 立案 while
 * reported, 派遣 while filed, 处置 while dispatched or accepted, 核查 while handled, 结案
 * while verified; NULL when no limit runs (final or suspended states).
 */
const char *case_stage_name_zh(enum case_state s);
/** The action's API name ("file", "approve_extension", …). */
const char *case_action_name(enum case_action a);
const char *case_action_name_zh(enum case_action a);
/** Parse names; -1 if unknown. */
int case_state_parse(const char *name);
int case_action_parse(const char *name);
/** "satisfied" / "basically" / "unsatisfied" → rating; CASE_RATING_NONE if unknown. */
enum case_rating case_rating_parse(const char *name);
const char *case_rating_name(enum case_rating r);

/** 1 for states no action leaves (rejected, merged, evaluated). */
int case_state_final(enum case_state s);

/**
 * May the action run? GG_OK and *next set to the state after it; GG_ESTATE when the
 * state does not allow it at all; GG_EFORBIDDEN when the state does but not for this
 * role, scope or department; GG_EFIELD (message in *why) when the request lacks what
 * the action needs (a reason, before/after photos, a rating). why may be NULL.
 */
int case_check(enum case_state s, enum case_action a, const struct case_ctx *ctx,
	       enum case_state *next, const char **why);

/**
 * The actions the caller may take now (state, role, scope and standing conditions;
 * conditions on the request, such as photos, are not applied). Writes up to max
 * actions into out and returns how many there are.
 */
size_t case_allowed_actions(enum case_state s, const struct case_ctx *ctx, enum case_action *out,
			    size_t max);

/**
 * Whether anything done in state s depends on the case's whistles (a department
 * summoned and not yet reported, a blower with reports to rate). When not, whoever
 * builds a struct case_ctx need not read them (a new case has none to read).
 */
int case_state_whistles(enum case_state s);

/** The grid level the case goes to when escalated (one up, never past the district). */
int case_escalate_level(int level);

/* ---- the trail: every action, hash-chained ---------------------------------------- */

#define CASE_HASH_HEX 65 /* 64 hex digits of a SHA-256 and the NUL */

/** One trail entry as it is hashed; strings are borrowed ("" where absent, never NULL). */
struct case_entry {
	int64_t case_id, seq;
	const char *action, *actor, *role, *from_state, *to_state, *note, *attachments;
	int64_t actor_id, at;
};

/** The hash of the first entry's predecessor: 64 zeros. */
extern const char case_genesis_hash[CASE_HASH_HEX];

/**
 * SHA-256 (hex) of prev followed by every field of e, each length-prefixed so no two
 * entries hash alike by shifting text between fields.
 */
void case_entry_hash(const struct case_entry *e, const char *prev, char out[CASE_HASH_HEX]);

#endif
