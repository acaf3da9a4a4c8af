/* SPDX-License-Identifier: Apache-2.0 */
/*
 * POST /api/v1/cases/{id}/actions: one action on a case. The request is read into an
 * svc_action_in (only the fields the action uses, so others are ignored as before); the
 * domain layer (svc_case_act) checks and applies it on the writer; the answer — the case
 * with its light and allowed actions, or a refusal naming them — is rendered after the
 * commit on the request's own connection.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"

struct act {
	struct svc_action_in in;
	int64_t id;
	struct store_case c;
	struct svc_act_out out;
	struct api_idem idem;
};

static int act_step(struct api_req *r, void *arg)
{
	struct act *a = arg;
	int rc = api__idem_find(r, &a->idem);
	if (rc)
		return rc;
	if (a->idem.replay) /* done before: answer the case as it is now */
		return store_case_get(r->db, a->id, &a->c, &r->err);
	struct svc s;
	api__svc(r, &s);
	rc = svc_case_act(&s, a->id, &a->in, &a->c, &a->out, &r->err);
	if (rc == GG_OK)
		rc = api__idem_keep(r, &a->idem, a->id, "");
	api__svc_done(r, &s, rc ? NULL : &a->c);
	return rc;
}

/* The whistle's departments: NULL entries for values that are not strings. */
static void departments(struct api_req *r, struct svc_action_in *in)
{
	json_t *d = json_object_get(r->json, "departments");
	size_t n = json_array_size(d);
	const char **v = arena_alloc(r->arena, (n ? n : 1) * sizeof(*v));
	for (size_t i = 0; i < n; i++)
		v[i] = json_string_value(json_array_get(d, i));
	in->departments = v;
	in->ndepartments = n;
}

/* The fields the action reads, checked for their type; absence is svc's to judge. */
static int parse(struct api_req *r, struct svc_action_in *in)
{
	const char *rating, *deadline;
	long long v = 0;
	int rc;
	if ((rc = api_body_str(r, "note", 0, &in->note)) ||
	    (rc = api_body_str(r, "reply", 0, &in->reply)) ||
	    (rc = api_body_str(r, "rating", 0, &rating)))
		return rc;
	in->rating = case_rating_parse(rating);
	in->has_rating = rating != NULL;
	json_t *att = json_object_get(r->json, "attachments");
	if (att && !json_is_array(att))
		return err_field(&r->err, GG_EFIELD, "attachments", "attachments must be an array");
	api__attachments(r, "attachments", &in->attachments, &in->nattachments);
	switch (in->action) {
	case CASE_A_FILE:
		return api_body_str(r, "category", 0, &in->category);
	case CASE_A_DISPATCH:
		if ((rc = api_body_str(r, "department", 0, &in->department)) ||
		    (rc = api_body_str(r, "category", 0, &in->category)))
			return rc;
		return api_body_str(r, "class", 0, &in->class);
	case CASE_A_REWORK:
	case CASE_A_EVALUATE:
		return api_body_str(r, "class", 0, &in->class);
	case CASE_A_MERGE:
		if ((rc = api_body_int(r, "into", 0, &v)))
			return rc;
		in->into = v;
		return GG_OK;
	case CASE_A_EXTEND:
		if ((rc = api_body_int(r, "hours", 0, &v)))
			return rc;
		/* present but 0 is out of range, not missing */
		in->hours = json_object_get(r->json, "hours") && !v ? -1 : v;
		return GG_OK;
	case CASE_A_WHISTLE:
		if ((rc = api_body_str(r, "type", 0, &in->type)) ||
		    (rc = api_body_str(r, "deadline", 0, &deadline)))
			return rc;
		if (deadline && clock_parse(deadline, &in->deadline))
			in->deadline = -1;
		else if (deadline && in->deadline <= 0)
			in->deadline = -1;
		departments(r, in);
		return GG_OK;
	case CASE_A_RATE_DEPARTMENT:
		return api_body_str(r, "department", 0, &in->department);
	default:
		return GG_OK;
	}
}

/* After the commit (or the rollback of a refusal), on the request's own connection. */
static int act_answer(struct api_req *r, void *arg, int rc)
{
	struct act *a = arg;
	if (rc && a->out.refused) {
		/* the refusal names what the caller may do instead, read after the rollback */
		struct err saved = r->err;
		err_clear(&r->err);
		if (api_read(r) == GG_OK) {
			json_decref(r->err_extra);
			r->err_extra = json_pack("{s:o,s:s}", "allowed_actions",
						 api_case_allowed_json(r, &a->c), "state",
						 case_state_name(a->c.state));
		}
		r->err = saved;
		return rc;
	}
	if (rc || (rc = api_read(r)))
		return rc;
	api_reply(r, 200, api_case_json(r, &a->c));
	return GG_OK;
}

int api_case_action(struct api_req *r)
{
	struct act *a = arena_zalloc(r->arena, sizeof(*a));
	const char *name;
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end || id <= 0)
		return api_fail(r, GG_ENOTFOUND, "no case %s", r->params[0]);
	a->id = id;
	int rc;
	if ((rc = api_body_str(r, "action", 1, &name)))
		return rc;
	int action = case_action_parse(name);
	a->in.action = action < 0 ? CASE_ACTION_COUNT : (enum case_action)action;
	a->in.name = name;
	if ((rc = parse(r, &a->in)) || (rc = api__idem_begin(r, "action", &a->idem)))
		return rc;
	return api_write_then(r, act_step, a, act_answer);
}
