/* SPDX-License-Identifier: Apache-2.0 */
/*
 * One action of the case loop. The transition table (case_check) decides whether it may
 * run; the pure step applies its effects in memory — stage deadlines on the working-day
 * calendar, the department, counters the indicators read — and svc_case_act adds what
 * needs the store: the department and merge target checked, whistles and their reports,
 * attachments, the hash-chained trail and the hotline's status change.
 */
#include <stdio.h>
#include <string.h>

#include "gridgov/store_intake.h"
#include "svc/svc_int.h"

#define DISPATCH_SECS	  3600 /* the center dispatches within one working hour of filing */
#define CLOSE_SECS	  3600 /* and closes within one of verification */
#define MAX_WHISTLE_DEPTS 32

static const char *name_of(const struct svc_action_in *in)
{
	if (in->name)
		return in->name;
	return in->action < CASE_ACTION_COUNT ? case_action_name(in->action) : "unknown";
}

int svc_case_check(const struct case_ctx *x, const struct store_case *c,
		   const struct svc_action_in *in, enum case_state *next, struct err *err)
{
	const char *why = "unknown action";
	int rc = GG_EFIELD;
	if (in->action < CASE_ACTION_COUNT) {
		struct case_ctx xx = *x;
		xx.has_note = in->note != NULL;
		xx.nattachments = (int)in->nattachments;
		xx.rating = in->rating;
		why = "";
		rc = case_check(c->state, in->action, &xx, next, &why);
		if (rc == GG_OK)
			return GG_OK;
	}
	if (rc == GG_EFIELD)
		return err_field(err, rc, "note", "%s: %s", name_of(in), why);
	return err_set(err, rc, "%s: %s", name_of(in), why);
}

static int64_t work(const struct svc *s, int64_t secs)
{
	return cal_add(s->cal, s->now, secs);
}

static void new_stage(const struct svc *s, struct store_case *c, int64_t deadline)
{
	c->stage_started = s->now;
	c->deadline = deadline;
	c->supervision = 0;
}

static int handling_limit(const struct store_category *cat, const struct svc_action_in *in,
			  int64_t *secs, struct err *err)
{
	const char *cls = in->class;
	int h = cat->limit_general_h;
	if (cls && !strcmp(cls, "engineering"))
		h = cat->limit_engineering_h;
	else if (cls && !strcmp(cls, "special"))
		h = cat->limit_special_h;
	else if (cls && strcmp(cls, "general"))
		return err_field(err, GG_EFIELD, "class",
				 "class is general, engineering or special");
	*secs = (int64_t)h * 3600;
	return GG_OK;
}

static int missing(struct err *err, const char *key)
{
	return err_field(err, GG_EMISSING, key, "field '%s' is required", key);
}

/* The request's own checks of whistle, report and rate (no store). */
static int check_whistle(const struct svc *s, const struct svc_action_in *in, struct err *err)
{
	if (!in->type)
		return missing(err, "type");
	if (!in->deadline)
		return missing(err, "deadline");
	if (strcmp(in->type, "assembly") && strcmp(in->type, "livelihood") &&
	    strcmp(in->type, "emergency"))
		return err_field(err, GG_EFIELD, "type",
				 "type is assembly, livelihood or emergency");
	if (in->deadline <= s->now)
		return err_field(err, GG_EFIELD, "deadline",
				 "deadline must be a future RFC 3339 time");
	size_t n = in->ndepartments;
	if (!n || n > MAX_WHISTLE_DEPTS)
		return err_field(err, GG_EMISSING, "departments",
				 "departments: 1 to 32 department codes");
	for (size_t i = 0; i < n; i++)
		if (!in->departments || !in->departments[i])
			return err_field(err, GG_EFIELD, "departments",
					 "departments must be strings");
	return GG_OK;
}

int svc_case_step(const struct svc *s, struct store_case *c, const struct store_category *cat,
		  const struct case_ctx *x, const struct svc_action_in *in, struct err *err)
{
	enum case_state next;
	int64_t limit = 0;
	int rc = svc_case_check(x, c, in, &next, err);
	if (rc)
		return rc;
	switch (in->action) {
	case CASE_A_FILE:
		c->filed_at = s->now;
		c->filed_on_time = s->now <= c->deadline;
		new_stage(s, c, work(s, DISPATCH_SECS));
		break;
	case CASE_A_REJECT:
	case CASE_A_SUSPEND:
		c->deadline = 0;
		break;
	case CASE_A_MERGE:
		if (!in->into)
			return missing(err, "into");
		c->merged_into = in->into;
		c->deadline = 0;
		break;
	case CASE_A_DISPATCH: {
		const char *dept = in->department ? in->department : c->proposed_dept;
		if (!dept[0])
			return missing(err, "department");
		if ((rc = handling_limit(cat, in, &limit, err)))
			return rc;
		snprintf(c->department, sizeof(c->department), "%s", dept);
		c->dispatches++;
		new_stage(s, c, work(s, limit));
		break;
	}
	case CASE_A_ACCEPT:
		break; /* handling runs from the dispatch */
	case CASE_A_RETURN:
		c->department[0] = 0;
		c->returns++;
		new_stage(s, c, work(s, DISPATCH_SECS));
		break;
	case CASE_A_HANDLE:
		c->handled_at = s->now;
		c->handled_on_time = s->now <= c->deadline;
		new_stage(s, c, work(s, (int64_t)cat->verify_min * 60));
		break;
	case CASE_A_VERIFY:
		new_stage(s, c, work(s, CLOSE_SECS));
		break;
	case CASE_A_REWORK:
		c->reworks++;
		if ((rc = handling_limit(cat, in, &limit, err)))
			return rc;
		new_stage(s, c, work(s, limit));
		break;
	case CASE_A_CLOSE:
		c->closed_at = s->now;
		c->closed_on_time = c->handled_on_time && s->now <= c->deadline;
		c->deadline = 0;
		break;
	case CASE_A_SELF_CLOSE:
		c->handled_at = c->closed_at = s->now;
		c->handled_on_time = c->closed_on_time = s->now <= c->deadline;
		c->deadline = 0;
		break;
	case CASE_A_EVALUATE:
		snprintf(c->rating, sizeof(c->rating), "%s", case_rating_name(in->rating));
		if (next == CASE_DISPATCHED) { /* 不满意: reopened to the same department */
			c->reopened++;
			c->closed_at = 0;
			if ((rc = handling_limit(cat, in, &limit, err)))
				return rc;
			new_stage(s, c, work(s, limit));
		}
		break;
	case CASE_A_ESCALATE:
		c->level = case_escalate_level(c->level);
		break;
	case CASE_A_EXTEND:
		if (!in->hours)
			return missing(err, "hours");
		if (in->hours <= 0 || in->hours > 24 * 30)
			return err_field(err, GG_EFIELD, "hours", "hours must be 1..720");
		c->ext_pending = 1;
		c->ext_hours = (int)in->hours;
		break;
	case CASE_A_APPROVE_EXTENSION:
		c->deadline = cal_add(s->cal, c->deadline, (int64_t)c->ext_hours * 3600);
		c->ext_pending = 0;
		c->extended = 1;
		c->supervision = 0;
		break;
	case CASE_A_WHISTLE:
		if ((rc = check_whistle(s, in, err)))
			return rc;
		break;
	case CASE_A_REPORT:
		break;
	case CASE_A_RATE_DEPARTMENT:
		if (!in->department)
			return missing(err, "department");
		if (!in->has_rating)
			return missing(err, "rating");
		if (in->rating == CASE_RATING_NONE)
			return err_field(err, GG_EFIELD, "rating",
					 "rating is satisfied, basically or unsatisfied");
		break;
	case CASE_ACTION_COUNT:
		return err_set(err, GG_EINTERNAL, "unhandled action");
	}
	c->state = next;
	c->updated_at = s->now;
	return GG_OK;
}

/*
 * 立案 and 派遣 may correct a misfiled category (a 随手拍 arrives as the catch-all): the
 * case takes the new one and its department as the proposal, and the trail names both.
 */
static int recategorize(struct svc *s, struct store_case *c, const struct svc_action_in *in,
			struct err *err)
{
	if (!in->category || !strcmp(in->category, c->category))
		return GG_OK;
	if (in->action != CASE_A_FILE && in->action != CASE_A_DISPATCH)
		return err_field(err, GG_EFIELD, "category",
				 "the category is corrected when filing or dispatching");
	struct store_category old, cat;
	int rc = store_category_get(s->db, in->category, &cat, err);
	if (rc == GG_ENOTFOUND)
		return err_field(err, GG_EFIELD, "category", "unknown category '%s'", in->category);
	if (rc || (rc = store_category_get(s->db, c->category, &old, err)))
		return rc;
	char note[400];
	snprintf(note, sizeof(note), "%s %s → %s %s", old.code, old.name, cat.code, cat.name);
	snprintf(c->category, sizeof(c->category), "%s", cat.code);
	if (cat.department[0])
		snprintf(c->proposed_dept, sizeof(c->proposed_dept), "%s", cat.department);
	return svc_case_log(s, c, "recategorize", case_state_name(c->state), note, NULL, err);
}

/* Before the step: what only the store can check (the department, the merge target). */
static int resolve(struct svc *s, const struct store_case *c, struct svc_action_in *in,
		   struct store_case *target, struct err *err)
{
	if (in->action == CASE_A_DISPATCH) {
		const char *dept = in->department ? in->department : c->proposed_dept;
		if (!dept[0])
			return missing(err, "department");
		struct store_dept d;
		int rc = store_dept_get(s->db, dept, &d, err);
		if (rc == GG_ENOTFOUND)
			return err_field(err, GG_EFIELD, "department", "unknown department '%s'",
					 dept);
		if (rc)
			return rc;
		in->department = arena_strdup(s->a, d.code);
	} else if (in->action == CASE_A_MERGE) {
		if (!in->into)
			return missing(err, "into");
		int rc = store_case_get(s->db, in->into, target, err);
		/* a case the actor may not see is answered like one that does not exist: merging
		 * into it would show its reporter the target and write into another area's trail */
		int hidden = rc == GG_OK && !svc_case_visible(s, target, err);
		if (rc == GG_OK && err->code)
			return err->code;
		if (rc == GG_ENOTFOUND || hidden ||
		    (rc == GG_OK && (in->into == c->id || case_state_final(target->state) ||
				     strcmp(target->category, c->category))))
			return err_field(err, GG_EFIELD, "into",
					 "case %lld is not an open case of the same category",
					 (long long)in->into);
		if (rc)
			return rc;
	}
	return GG_OK;
}

/* Report 报到 or rate a summoned department's report. */
static int report_or_rate(struct svc *s, const struct store_case *c, const struct svc_action_in *in,
			  int rate, struct err *err)
{
	const char *dept = rate ? in->department : s->who->dept;
	struct store_whistle_dept *w;
	size_t n, done = 0;
	int rc;
	if ((rc = store_whistle_depts(s->db, c->id, s->a, &w, &n, err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(w[i].department, dept))
			continue;
		if (!rate && !w[i].reported_at) {
			w[i].reported_at = s->now;
		} else if (rate && w[i].blower_id == s->who->user_id && w[i].reported_at &&
			   !w[i].rating[0]) {
			snprintf(w[i].rating, sizeof(w[i].rating), "%s",
				 case_rating_name(in->rating));
		} else {
			continue;
		}
		if ((rc = store_whistle_dept_update(s->db, &w[i], err)))
			return rc;
		done++;
	}
	if (!done)
		return err_field(err, GG_EFIELD, "department",
				 "department %s has nothing to %s on this case", dept,
				 rate ? "be rated for" : "report");
	return GG_OK;
}

/* After the step: the store's part of the action. */
static int effects(struct svc *s, const struct store_case *c, const struct svc_action_in *in,
		   const struct store_case *target, struct err *err)
{
	switch (in->action) {
	case CASE_A_MERGE: {
		/* the survivor's trail records whose report it now carries, so they follow it */
		char note[160];
		snprintf(note, sizeof(note), "merged case %lld reported by %s", (long long)c->id,
			 c->reporter);
		return svc_case_log(s, target, "merge_in", case_state_name(target->state), note,
				    NULL, err);
	}
	case CASE_A_WHISTLE: {
		int64_t id;
		return store_whistle_insert(s->db, c->id, in->type, s->who->user_id, s->who->name,
					    s->now, in->deadline, in->departments, in->ndepartments,
					    &id, err);
	}
	case CASE_A_REPORT:
		return report_or_rate(s, c, in, 0, err);
	case CASE_A_RATE_DEPARTMENT:
		return report_or_rate(s, c, in, 1, err);
	default:
		return GG_OK;
	}
}

int svc_case_act(struct svc *s, int64_t id, const struct svc_action_in *in0, struct store_case *c,
		 struct svc_act_out *out, struct err *err)
{
	struct svc_action_in in = *in0;
	struct store_case *target = arena_alloc(s->a, sizeof(*target));
	struct store_category cat;
	struct case_ctx x;
	enum case_state next;
	const char *attachments;
	int rc;
	memset(out, 0, sizeof(*out));
	if ((rc = svc_case_get(s, id, c, err)))
		return rc;
	/* the row as stored: nothing below writes it before the update */
	struct store_case *was = arena_alloc(s->a, sizeof(*was));
	*was = *c;
	out->from = c->state;
	if ((rc = svc_case_ctx(s, c, &x, err)))
		return rc;
	if ((rc = svc_case_check(&x, c, &in, &next, err))) {
		out->refused = 1;
		return rc;
	}
	if (in.reply && in.action != CASE_A_HANDLE && in.action != CASE_A_SELF_CLOSE)
		return err_field(err, GG_EFIELD, "reply", "a reply goes with handle or self_close");
	if (in.reply && (!*in.reply || strlen(in.reply) > 1000))
		return err_field(err, GG_EFIELD, "reply", "reply is 1 to 1000 bytes");
	if ((rc = recategorize(s, c, &in, err)) ||
	    (rc = store_category_get(s->db, c->category, &cat, err)) ||
	    (rc = resolve(s, c, &in, target, err)))
		return rc;
	if ((rc = svc_case_step(s, c, &cat, &x, &in, err)) ||
	    (rc = effects(s, c, &in, target, err)))
		return rc;
	const char *name = name_of(&in);
	if ((rc = svc__attach(s, c, "attachments", in.attachments, in.nattachments, &attachments,
			      err)) ||
	    (rc = store_case_update_from(s->db, was, c, err)) ||
	    (rc =
		 svc_case_log(s, c, name, case_state_name(out->from), in.note, attachments, err)) ||
	    (rc = svc__due_put(s, c, err)))
		return rc;
	/* the reply to the reporter 答复, public on the tracking code (the note is not) */
	if (in.reply && (rc = store_reply_put(s->db, c->id, in.reply, s->now, err)))
		return rc;
	/* intake: a case from a 12345 order reports each change back to the hotline */
	if (!strcmp(c->channel, "hotline") && (rc = svc_hotline_event(s, c, name, in.note, err)))
		return rc;
	if (s->written)
		s->written(s->written_arg, c, name);
	return GG_OK;
}
