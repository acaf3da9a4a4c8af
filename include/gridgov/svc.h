/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The domain layer between the store and its front ends (HTTP, the scheduler, the
 * command line): creating cases by every door (staff, 12345 hotline orders, citizen
 * reports 随手拍, sensor alarms, Open311), every action of the case loop, whistles
 * 吹哨报到, and the deadline sweep that opens supervision rounds 督办. Each function
 * takes a `struct svc` — the store it writes to, who acts, the time — and typed inputs:
 * no HTTP request, no JSON body. The caller owns the transaction: a function that fails
 * may have written part of its work, so the caller rolls back (a savepoint per request).
 *
 * Errors are the house's: GG_OK or a negative gg_err with *err filled; 422s name the
 * field (err->field) with the same messages the API has always answered.
 */
#ifndef GRIDGOV_SVC_H
#define GRIDGOV_SVC_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/arena.h"
#include "gridgov/cal.h"
#include "gridgov/case.h"
#include "gridgov/err.h"
#include "gridgov/role.h"
#include "gridgov/sla.h"
#include "gridgov/store.h"
#include "gridgov/track.h"
#include "gridgov/store_case.h"

struct pii_key;
struct loc_index;
struct store_media;

/** Photos a case or an action may carry (POST /api/v1/media ids). */
#define SVC_MAX_ATTACH 9

/**
 * Who acts, when, on which store. Build one per request (or per scheduler pass); the
 * arena holds what the functions return. who is never NULL (the scheduler passes a
 * principal named "system").
 */
struct svc {
	struct store *db;
	const struct principal *who;
	int system; /* the platform acts (scheduler, public routes): trail role "system" */
	int64_t now;
	struct arena *a;
	const struct cal *cal;
	const struct sla_policy *policy;
	/* The deepest grid node containing a point (GRID_CODE_MAX into code); NULL = none. */
	int (*locate)(void *arg, double lon, double lat, char *code, struct err *err);
	void *locate_arg;
	/* Counted up whenever a status change was queued for the 12345 hotline, so the
	 * caller can wake the sender once its transaction commits. */
	unsigned outbox;
	/* Told of each case this transaction wrote (created, or changed by `action`), so the
	 * caller can announce it once the transaction commits (never before: it may still
	 * roll back). NULL = nobody listens. */
	void (*written)(void *arg, const struct store_case *c, const char *action);
	void *written_arg;
};

/**
 * The working-day calendar time limits count on and the supervision policy, loaded once
 * (thread-safe) from the data directory: every calendar/YEAR.csv under $GRIDGOV_DATA (or
 * the built-in one), working hours from $GRIDGOV_WORK_HOURS. Never freed.
 */
const struct cal *svc_cal_default(void);
const struct sla_policy *svc_policy_default(void);

/* ---- creating cases ----------------------------------------------------------------- */

/** A new case's fields, whichever door it comes in by. Strings are borrowed. */
struct svc_case_in {
	const char *category, *description, *channel;
	const char *address, *grid; /* or NULL */
	const char *reporter;	    /* shown name; NULL = the actor's */
	int has_point;
	double lon, lat;
	int any_grid; /* intake channels: the point may lie outside the actor's scope */
	/* photos to attach (sha256 strings; a NULL entry is "not a photo id"); a count past
	 * SVC_MAX_ATTACH (the API passes it for a value that is not an array) is refused */
	const char *const *photos;
	size_t nphotos;
};

/**
 * Create a case in state reported: check its fields, locate and route it (to its grid,
 * community and street), propose the category's department, start the filing deadline
 * 核实时限, insert it, attach its photos and start its trail. *out comes from s->a.
 */
int svc_case_new(struct svc *s, const struct svc_case_in *in, struct store_case **out,
		 struct err *err) GG_WUR;

/* ---- reading with the actor's rights -------------------------------------------------- */

/**
 * 1 when the actor may see case c: its reporter (or the reporter of a case merged into
 * it), staff of its department or of a department summoned by one of its whistles, or
 * anyone whose scope covers its grid. 0 otherwise, or when the store failed (err set).
 */
int svc_case_visible(const struct svc *s, const struct store_case *c, struct err *err);
/** The cases merged into c (their reporters follow c), from s->a. */
int svc_case_merged(const struct svc *s, const struct store_case *c, struct store_case **out,
		    size_t *n, struct err *err) GG_WUR;
/** Load case id if the actor may see it: GG_ENOTFOUND (the store's message) or GG_EFORBIDDEN. */
int svc_case_get(const struct svc *s, int64_t id, struct store_case *c, struct err *err) GG_WUR;
/** The state machine's context for the actor and case c (reads its whistles). */
int svc_case_ctx(const struct svc *s, const struct store_case *c, struct case_ctx *x,
		 struct err *err) GG_WUR;
/**
 * The part of that context that needs no store: who acts and the case's own facts
 * (whistles left out: summoned and can_rate are 0). For writers that know the case has
 * no whistles, such as the demo generator.
 */
void svc_case_ctx_standing(const struct principal *who, const struct store_case *c,
			   struct case_ctx *x);
/** The actions the actor may take on c now; up to max into out, returns how many. */
size_t svc_case_allowed(const struct svc *s, const struct store_case *c, enum case_action *out,
			size_t max, struct err *err);
/**
 * Whether the actor may see (and so attach) a photo: one of its uploaders, an
 * administrator, or someone who may see a case it is attached to. 0 with err set when
 * the store failed.
 */
int svc_media_may_see(const struct svc *s, const struct store_media *m, struct err *err);

/* ---- the case loop -------------------------------------------------------------------- */

/**
 * One action's request. Fields an action does not use are ignored; absent strings are
 * NULL, absent numbers 0. The API passes only the fields the action reads.
 */
struct svc_action_in {
	enum case_action action; /* CASE_ACTION_COUNT: unknown (refused, naming `name`) */
	const char *name;	 /* as the caller spelled it, for messages; NULL = the API name */
	const char *note;	 /* the reason, where one is required */
	enum case_rating rating; /* evaluate, rate_department */
	int has_rating;		 /* a rating was given (rate_department: required) */
	const char *department;	 /* dispatch (default: the proposed one), rate_department */
	const char *category;	 /* file, dispatch: the corrected category (NULL = keep) */
	const char *class;	 /* dispatch, rework, evaluate: general | engineering | special */
	const char *type;	 /* whistle: assembly | livelihood | emergency */
	int64_t into;		 /* merge: the surviving case (0 = absent) */
	int64_t hours;		 /* extend: 1..720 (0 = absent) */
	int64_t deadline;	 /* whistle: 0 = absent, < 0 or past = not a future time */
	const char *const *departments; /* whistle: 1..32 codes (a NULL entry: not a string) */
	size_t ndepartments;
	const char *const *attachments; /* as svc_case_in.photos */
	size_t nattachments;
	const char *reply; /* handle, self_close: the reply the reporter sees (NULL = none) */
};

/**
 * Whether in->action may run on c for the actor with context x: GG_OK and *next, or the
 * refusal (GG_ESTATE 409, GG_EFORBIDDEN 403, GG_EFIELD 422 on "note") with the message
 * "ACTION: why". Pure: no store.
 */
int svc_case_check(const struct case_ctx *x, const struct store_case *c,
		   const struct svc_action_in *in, enum case_state *next, struct err *err) GG_WUR;

/**
 * The pure step: check the action (svc_case_check) and apply its effects to c in
 * memory — state, stage deadlines on the working-day calendar, the department, the
 * counters the indicators read, the rating, escalation, extensions; c->updated_at =
 * s->now. Needs no store: s->db is not used, cat is c's category. What only a store can
 * do is left to svc_case_act: checking that a department or the merge target exists,
 * whistles and their reports, attachments, the trail and the hotline outbox. A demo
 * generator may call it with departments and targets it knows to exist.
 */
int svc_case_step(const struct svc *s, struct store_case *c, const struct store_category *cat,
		  const struct case_ctx *x, const struct svc_action_in *in, struct err *err) GG_WUR;

/** What svc_case_act did, for the answer. */
struct svc_act_out {
	enum case_state from; /* the state before */
	int refused;	      /* the state machine refused: answer with the allowed actions */
};

/**
 * Run one action on case id as the actor: load it (404 / 403), check it, apply it
 * (svc_case_step plus the store's part), write the case, attach the photos, append the
 * trail entry, queue the hotline's status change. c receives the case as written (or as
 * loaded, when refused). A file or dispatch with in->category other than the case's
 * corrects the category first (the new one's department becomes the proposal, its limits
 * apply) and appends a trail entry "recategorize" whose note names the old and the new
 * category; an unknown category is GG_EFIELD naming `category`, and so is a category
 * given to any other action.
 */
int svc_case_act(struct svc *s, int64_t id, const struct svc_action_in *in, struct store_case *c,
		 struct svc_act_out *out, struct err *err) GG_WUR;

/**
 * When the scheduler must next look at c: the moment its stage turns late (deadline + 1),
 * or the next supervision round is due; 0 when nothing can become due (no deadline, a
 * final or suspended state, all rounds opened). Written to the store with every change
 * of a case (store_case_due_put); exposed for bulk writers.
 */
int64_t svc_case_due_at(const struct svc *s, const struct store_case *c);

/** Append an entry for c's current state to its trail, as the actor. */
int svc_case_log(const struct svc *s, const struct store_case *c, const char *action,
		 const char *from, const char *note, const char *attachments,
		 struct err *err) GG_WUR;

/* ---- the deadline sweep (督办) --------------------------------------------------------- */

/**
 * One bounded pass of the scheduler's work at s->now: at most limit cases whose stage is
 * late get the supervision rounds now due (one per working day late, at most three, each
 * a level further up the grid tree, with the points deducted, each in the trail), and at
 * most limit summoned departments that missed their whistle's deadline get a round.
 * *done counts the cases and departments handled; *more is 1 when the limit was reached
 * (run another pass, in another transaction).
 */
int svc_sched_sweep(struct svc *s, size_t limit, size_t *done, int *more, struct err *err) GG_WUR;
/** The earliest time anything becomes due for the sweep (0: nothing is waiting). */
int svc_sched_next(const struct svc *s, int64_t *at, struct err *err) GG_WUR;

/* ---- intake channels -------------------------------------------------------------------- */

/** A 12345 work order 工单; strings borrowed, absent = NULL. */
struct svc_hotline_in {
	const char *order_no, *content;
	const char *caller_name, *caller_phone; /* kept only sealed with pii */
	const char *category_hint;		/* a catalog code; otherwise the catch-all */
	const char *address, *grid;
	int has_point;
	double lon, lat;
	int64_t received_at, deadline; /* 0 = absent */
	const struct pii_key *pii;     /* NULL: the caller is not kept */
};

struct svc_hotline_out {
	int64_t case_id;
	int duplicate; /* the order was taken before: case_id is the case it became */
	enum case_state state;
	char grid[GRID_CODE_MAX];
	int64_t deadline; /* the order's own deadline, as given */
};

/**
 * Take one order, once per order number: the same order again answers its case
 * (duplicate). An address the map cannot place goes to the actor's scope.
 */
int svc_hotline_order(struct svc *s, const struct svc_hotline_in *in, struct svc_hotline_out *out,
		      struct err *err) GG_WUR;

/** A sensor or camera alarm from a registered device. */
struct svc_alarm_in {
	const char *device_id, *device_key, *type;
	const char *time; /* RFC 3339, NULL = now */
	int has_value;
	double value;
};

/**
 * Check the device's key (GG_EUNAUTH), then join the device's open case of the last 30
 * minutes or open a new one at the device's place and category. *joined says which.
 */
int svc_alarm(struct svc *s, const struct svc_alarm_in *in, int64_t *case_id, int *joined,
	      struct err *err) GG_WUR;

/** 1 when a citizen may file a report of this category kind (部件 and 事件). */
int svc_citizen_may_choose(const char *kind);
/**
 * A citizen report 随手拍: the photos' records (already checked and stored as files),
 * the case (channel "citizen", any grid) with them attached, and the tracking code with
 * the sealed phone ("" or NULL = none) and its keyed hash (pii_hash), by which the case
 * list finds it.
 */
int svc_citizen_report(struct svc *s, const struct svc_case_in *in,
		       const struct store_media *photos, size_t nphotos, const char *code,
		       const char *phone_sealed, const char *phone_hash, struct store_case **out,
		       struct err *err) GG_WUR;

/** An Open311 service request: the case, and GeoReport fields a case has no column for. */
struct svc_open311_in {
	struct svc_case_in c;
	const char *media_url, *address_id, *zipcode; /* NULL or "" = not sent */
};

/**
 * Take an Open311 request: its case (channel "open311") and, when any was sent, its
 * media_url, address_id and zipcode, kept to answer them back. GG_EFIELD names
 * media_url when it is not an http(s) URL of at most 1023 printable ASCII characters,
 * and address_id or zipcode when too long (127, 31 bytes).
 */
int svc_open311_request(struct svc *s, const struct svc_open311_in *in, struct store_case **out,
			struct err *err) GG_WUR;

/**
 * Queue a status change of case c for the 12345 hotline when c came from an order
 * (nothing otherwise); counts s->outbox up.
 */
int svc_hotline_event(struct svc *s, const struct store_case *c, const char *action,
		      const char *note, struct err *err) GG_WUR;

/** Build the grid-map locator index from the store's current map (read transaction). */
int svc_locator_build(struct store *db, struct loc_index **out, int64_t *version,
		      struct err *err) GG_WUR;

/* ---- patrol tracks (issue 15) -------------------------------------------------------- */

/**
 * Clean and store a batch of fixes (fix is sorted in place by device and time) in db's
 * open write transaction: each is kept, accepted or rejected with the filter's name
 * (track_filter against the device's accepted fix before it). *stored counts rows
 * written (a fix already stored is skipped), *rejected the fixes the cleaning rejected.
 * GG_ENOTFOUND when a device is not a registered tracker (then write nothing).
 */
int svc_track_ingest(struct store *db, const struct track_config *cfg, struct arena *a,
		     struct track_fix *fix, size_t n, int64_t now_ms, int64_t *stored,
		     int64_t *rejected, struct err *err) GG_WUR;

#endif
