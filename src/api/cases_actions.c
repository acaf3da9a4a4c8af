/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POST /api/v1/cases/{id}/actions: one action on a case. The transition table
 * (case_check) decides whether it may run; this file applies its effects — stage
 * deadlines on the working-day calendar, the department, counters the indicators read,
 * whistles — and appends the action to the case's hash-chained trail.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"

#define DISPATCH_SECS 3600 /* the center dispatches within one working hour of filing */
#define CLOSE_SECS    3600 /* and closes within one of verification */

struct act {
	struct api_req *r;
	struct store_case *c;
	struct store_category cat;
	enum case_state from, next;
	const char *note, *attachments;
	int64_t now;
};

static int64_t work(struct act *a, int64_t secs)
{
	return cal_add(api_case_cal(), a->now, secs);
}

static int handling_limit(struct act *a, int64_t *secs)
{
	const char *cls;
	int rc = api_body_str(a->r, "class", 0, &cls);
	if (rc)
		return rc;
	int h = a->cat.limit_general_h;
	if (cls && !strcmp(cls, "engineering"))
		h = a->cat.limit_engineering_h;
	else if (cls && !strcmp(cls, "special"))
		h = a->cat.limit_special_h;
	else if (cls && strcmp(cls, "general"))
		return err_field(&a->r->err, GG_EFIELD, "class",
				 "class is general, engineering or special");
	*secs = (int64_t)h * 3600;
	return GG_OK;
}

static void new_stage(struct act *a, int64_t deadline)
{
	a->c->stage_started = a->now;
	a->c->deadline = deadline;
	a->c->supervision = 0;
}

static int do_dispatch(struct act *a)
{
	struct api_req *r = a->r;
	const char *dept;
	int rc = api_body_str(r, "department", 0, &dept);
	if (rc)
		return rc;
	if (!dept)
		dept = a->c->proposed_dept;
	if (!dept[0])
		return err_field(&r->err, GG_EMISSING, "department",
				 "field 'department' is required");
	struct store_dept d;
	rc = store_dept_get(r->db, dept, &d, &r->err);
	if (rc == GG_ENOTFOUND)
		return err_field(&r->err, GG_EFIELD, "department", "unknown department '%s'", dept);
	int64_t limit;
	if (rc || (rc = handling_limit(a, &limit)))
		return rc;
	snprintf(a->c->department, sizeof(a->c->department), "%s", d.code);
	a->c->dispatches++;
	new_stage(a, work(a, limit));
	return GG_OK;
}

static int do_merge(struct act *a)
{
	struct api_req *r = a->r;
	long long into = 0;
	int rc = api_body_int(r, "into", 1, &into);
	if (rc)
		return rc;
	struct store_case *s = arena_alloc(r->arena, sizeof(*s));
	rc = store_case_get(r->db, into, s, &r->err);
	if (rc == GG_ENOTFOUND || (rc == GG_OK && (into == a->c->id || case_state_final(s->state) ||
						   strcmp(s->category, a->c->category))))
		return err_field(&r->err, GG_EFIELD, "into",
				 "case %lld is not an open case of the same category", into);
	if (rc)
		return rc;
	a->c->merged_into = s->id;
	a->c->deadline = 0;
	/* the survivor's trail records whose report it now carries, so they follow it */
	char note[160];
	snprintf(note, sizeof(note), "merged case %lld reported by %s", (long long)a->c->id,
		 a->c->reporter);
	return api_case_log(r, s, "merge_in", case_state_name(s->state), note, NULL);
}

static int do_extend(struct act *a)
{
	long long hours = 0;
	int rc = api_body_int(a->r, "hours", 1, &hours);
	if (rc)
		return rc;
	if (hours <= 0 || hours > 24 * 30)
		return err_field(&a->r->err, GG_EFIELD, "hours", "hours must be 1..720");
	a->c->ext_pending = 1;
	a->c->ext_hours = (int)hours;
	return GG_OK;
}

static int do_whistle(struct act *a)
{
	struct api_req *r = a->r;
	const char *type, *deadline_s;
	int rc;
	if ((rc = api_body_str(r, "type", 1, &type)) ||
	    (rc = api_body_str(r, "deadline", 1, &deadline_s)))
		return rc;
	if (strcmp(type, "assembly") && strcmp(type, "livelihood") && strcmp(type, "emergency"))
		return err_field(&r->err, GG_EFIELD, "type",
				 "type is assembly, livelihood or emergency");
	int64_t deadline;
	if (clock_parse(deadline_s, &deadline) || deadline <= a->now)
		return err_field(&r->err, GG_EFIELD, "deadline",
				 "deadline must be a future RFC 3339 time");
	json_t *d = json_object_get(r->json, "departments");
	size_t n = json_array_size(d);
	if (!n || n > 32)
		return err_field(&r->err, GG_EMISSING, "departments",
				 "departments: 1 to 32 department codes");
	const char **codes = arena_alloc(r->arena, n * sizeof(*codes));
	for (size_t i = 0; i < n; i++)
		if (!(codes[i] = json_string_value(json_array_get(d, i))))
			return err_field(&r->err, GG_EFIELD, "departments",
					 "departments must be strings");
	int64_t id;
	return store_whistle_insert(r->db, a->c->id, type, r->who.user_id, r->who.name, a->now,
				    deadline, codes, n, &id, &r->err);
}

static int do_report_or_rate(struct act *a, int rate)
{
	struct api_req *r = a->r;
	const char *dept = r->who.dept, *rating = NULL;
	int rc;
	if (rate && ((rc = api_body_str(r, "department", 1, &dept)) ||
		     (rc = api_body_str(r, "rating", 1, &rating))))
		return rc;
	if (rate && case_rating_parse(rating) == CASE_RATING_NONE)
		return err_field(&r->err, GG_EFIELD, "rating",
				 "rating is satisfied, basically or unsatisfied");
	struct store_whistle_dept *w;
	size_t n, done = 0;
	if ((rc = store_whistle_depts(r->db, a->c->id, r->arena, &w, &n, &r->err)))
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (strcmp(w[i].department, dept))
			continue;
		if (!rate && !w[i].reported_at) {
			w[i].reported_at = a->now;
		} else if (rate && w[i].blower_id == r->who.user_id && w[i].reported_at &&
			   !w[i].rating[0]) {
			snprintf(w[i].rating, sizeof(w[i].rating), "%s", rating);
		} else {
			continue;
		}
		if ((rc = store_whistle_dept_update(r->db, &w[i], &r->err)))
			return rc;
		done++;
	}
	if (!done)
		return err_field(&r->err, GG_EFIELD, "department",
				 "department %s has nothing to %s on this case", dept,
				 rate ? "be rated for" : "report");
	return GG_OK;
}

/* Apply the effects of the action; the state itself is set by the caller. */
static int apply(struct act *a, enum case_action action, const struct case_ctx *x)
{
	struct store_case *c = a->c;
	int64_t limit;
	int rc;
	switch (action) {
	case CASE_A_FILE:
		c->filed_at = a->now;
		c->filed_on_time = a->now <= c->deadline;
		new_stage(a, work(a, DISPATCH_SECS));
		return GG_OK;
	case CASE_A_REJECT:
	case CASE_A_SUSPEND:
		c->deadline = 0;
		return GG_OK;
	case CASE_A_MERGE:
		return do_merge(a);
	case CASE_A_DISPATCH:
		return do_dispatch(a);
	case CASE_A_ACCEPT:
		return GG_OK; /* handling runs from the dispatch */
	case CASE_A_RETURN:
		c->department[0] = 0;
		c->returns++;
		new_stage(a, work(a, DISPATCH_SECS));
		return GG_OK;
	case CASE_A_HANDLE:
		c->handled_at = a->now;
		c->handled_on_time = a->now <= c->deadline;
		new_stage(a, work(a, (int64_t)a->cat.verify_min * 60));
		return GG_OK;
	case CASE_A_VERIFY:
		new_stage(a, work(a, CLOSE_SECS));
		return GG_OK;
	case CASE_A_REWORK:
		c->reworks++;
		if ((rc = handling_limit(a, &limit)))
			return rc;
		new_stage(a, work(a, limit));
		return GG_OK;
	case CASE_A_CLOSE:
		c->closed_at = a->now;
		c->closed_on_time = c->handled_on_time && a->now <= c->deadline;
		c->deadline = 0;
		return GG_OK;
	case CASE_A_SELF_CLOSE:
		c->handled_at = c->closed_at = a->now;
		c->handled_on_time = c->closed_on_time = a->now <= c->deadline;
		c->deadline = 0;
		return GG_OK;
	case CASE_A_EVALUATE:
		snprintf(c->rating, sizeof(c->rating), "%s", case_rating_name(x->rating));
		if (a->next == CASE_DISPATCHED) { /* 不满意: reopened to the same department */
			c->reopened++;
			c->closed_at = 0;
			if ((rc = handling_limit(a, &limit)))
				return rc;
			new_stage(a, work(a, limit));
		}
		return GG_OK;
	case CASE_A_ESCALATE:
		c->level = case_escalate_level(c->level);
		return GG_OK;
	case CASE_A_EXTEND:
		return do_extend(a);
	case CASE_A_APPROVE_EXTENSION:
		c->deadline = cal_add(api_case_cal(), c->deadline, (int64_t)c->ext_hours * 3600);
		c->ext_pending = 0;
		c->extended = 1;
		c->supervision = 0;
		return GG_OK;
	case CASE_A_WHISTLE:
		return do_whistle(a);
	case CASE_A_REPORT:
		return do_report_or_rate(a, 0);
	case CASE_A_RATE_DEPARTMENT:
		return do_report_or_rate(a, 1);
	case CASE_ACTION_COUNT:
		break;
	}
	return api_fail(a->r, GG_EINTERNAL, "unhandled action");
}

static int refuse(struct api_req *r, const struct store_case *c, int code, const char *why,
		  const char *action)
{
	if (r->err_extra)
		json_decref(r->err_extra);
	r->err_extra = json_pack("{s:o,s:s}", "allowed_actions", api_case_allowed_json(r, c),
				 "state", case_state_name(c->state));
	if (code == GG_EFIELD)
		return err_field(&r->err, code, "note", "%s: %s", action, why);
	return api_fail(r, code, "%s: %s", action, why);
}

int api_case_action(struct api_req *r)
{
	struct store_case *c = arena_alloc(r->arena, sizeof(*c));
	struct act a = {.r = r, .c = c, .now = clock_now()};
	const char *name, *rating;
	int rc;
	if ((rc = api_case_load(r, c)) || (rc = api_body_str(r, "action", 1, &name)) ||
	    (rc = api_body_str(r, "note", 0, &a.note)) ||
	    (rc = api_body_str(r, "rating", 0, &rating)))
		return rc;
	int action = case_action_parse(name);
	if (action < 0)
		return refuse(r, c, GG_EFIELD, "unknown action", name);
	json_t *att = json_object_get(r->json, "attachments");
	if (att && !json_is_array(att))
		return err_field(&r->err, GG_EFIELD, "attachments", "attachments must be an array");
	struct case_ctx x;
	if ((rc = api_case_ctx(r, c, &x)))
		return rc;
	x.has_note = a.note != NULL;
	x.nattachments = (int)json_array_size(att);
	x.rating = case_rating_parse(rating);
	const char *why = "";
	a.from = c->state;
	rc = case_check(c->state, (enum case_action)action, &x, &a.next, &why);
	if (rc)
		return refuse(r, c, rc, why, name);
	if ((rc = store_category_get(r->db, c->category, &a.cat, &r->err)))
		return rc;
	if ((rc = apply(&a, (enum case_action)action, &x)))
		return rc;
	c->state = a.next;
	c->updated_at = a.now;
	if ((rc = api__case_attach(r, c, "attachments", &a.attachments)) ||
	    (rc = store_case_update(r->db, c, &r->err)) ||
	    (rc = api_case_log(r, c, name, case_state_name(a.from), a.note, a.attachments)))
		return rc;
	/* intake: a case from a 12345 order reports each change back to the hotline */
	if (!strcmp(c->channel, "hotline") && (rc = api__hotline_event(r, c, name, a.note)))
		return rc;
	api_reply(r, 200, api_case_json(r, c));
	return GG_OK;
}
