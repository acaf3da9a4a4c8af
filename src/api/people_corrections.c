/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Corrections from daily work 走访更正: a grid worker proposes a change after a visit —
 * a resident moved out or died, has a new phone number, or a new tenant lives in a
 * house — and community staff approve (the change is applied and the counts follow) or
 * reject it. The proposal, the decision, who and when stay in people_correction: the
 * trail. New phone and ID numbers are sealed at once; only masked copies are shown.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/idcard.h"
#include "gridgov/people.h"
#include "gridgov/pii.h"
#include "gridgov/store_people.h"

static void seal_into(const struct pii_key *k, const char *plain, char *dst, size_t n)
{
	char *s = pii_seal(k, plain);
	snprintf(dst, n, "%s", s);
	free(s);
}

static json_t *correction_json(const struct store_correction *c)
{
	json_t *j =
	    json_pack("{s:I,s:s,s:s,s:s,s:s,s:I,s:I}", "id", (json_int_t)c->id, "kind", c->kind,
		      "grid", c->grid, "state", c->state, "note", c->note, "proposed_by",
		      (json_int_t)c->proposed_by, "proposed_at", (json_int_t)c->proposed_at);
	json_object_set_new(j, "resident_id",
			    c->resident_id ? json_integer(c->resident_id) : json_null());
	json_object_set_new(j, "house_id", c->house_id ? json_integer(c->house_id) : json_null());
	if (c->phone_mask[0])
		json_object_set_new(j, "phone", json_string(c->phone_mask));
	if (c->name[0])
		json_object_set_new(j, "name", json_string(c->name));
	if (c->id_mask[0])
		json_object_set_new(j, "id_number", json_string(c->id_mask));
	if (c->decided_by) {
		json_object_set_new(j, "decided_by", json_integer(c->decided_by));
		json_object_set_new(j, "decided_at", json_integer(c->decided_at));
		json_object_set_new(j, "decision", json_string(c->decision));
	}
	return j;
}

int api_people_correction_create(struct api_req *r)
{
	struct store_correction c = {0};
	const char *kind, *note = "", *phone = NULL;
	long long resident_id = 0, house_id = 0;
	int rc;
	if ((rc = api_body_str(r, "kind", 1, &kind)) || (rc = api_body_str(r, "note", 0, &note)) ||
	    (rc = api_body_str(r, "phone", 0, &phone)))
		return rc;
	if (!people_correction_kind_valid(kind))
		return err_field(&r->err, GG_EFIELD, "kind",
				 "want moved_out, died, new_phone or new_tenant");
	snprintf(c.kind, sizeof(c.kind), "%s", kind);
	snprintf(c.note, sizeof(c.note), "%s", note ? note : "");
	const struct pii_key *k = api__people_key(r);
	if (!k)
		return GG_EUNAVAIL;
	if (phone && *phone) {
		if ((rc = idc_phone_check(phone, &r->err)))
			return rc;
		seal_into(k, phone, c.phone_sealed, sizeof(c.phone_sealed));
		idc_mask_phone(phone, c.phone_mask);
	}
	if (!strcmp(kind, "new_tenant")) {
		const char *name, *idn;
		if ((rc = api_body_int(r, "house_id", 1, &house_id)) ||
		    (rc = api_body_str(r, "name", 1, &name)) ||
		    (rc = api_body_str(r, "id_number", 1, &idn)))
			return rc;
		struct store_house h;
		if ((rc = store_house_get(r->db, house_id, &h, &r->err)))
			return rc;
		snprintf(c.grid, sizeof(c.grid), "%s", h.grid);
		c.house_id = house_id;
		if (!*name || strlen(name) >= sizeof(c.name))
			return err_field(&r->err, GG_EFIELD, "name", "1 to 63 bytes");
		snprintf(c.name, sizeof(c.name), "%s", name);
		struct idc_info info;
		if ((rc = idc_parse(idn, clock_now(), &info, &r->err)))
			return rc;
		seal_into(k, info.id, c.id_sealed, sizeof(c.id_sealed));
		pii_hash(k, info.id, c.id_hash);
		idc_mask_id(info.id, c.id_mask);
		c.gender[0] = info.gender;
		snprintf(c.birth, sizeof(c.birth), "%s", info.birth);
	} else {
		if ((rc = api_body_int(r, "resident_id", 1, &resident_id)))
			return rc;
		struct store_resident p;
		if ((rc = store_resident_get(r->db, resident_id, &p, &r->err)))
			return rc;
		if (strcmp(p.status, "active"))
			return api_fail(r, GG_ESTATE, "resident %lld is already %s", resident_id,
					p.status);
		snprintf(c.grid, sizeof(c.grid), "%s", p.grid);
		c.resident_id = resident_id;
		if (!strcmp(kind, "new_phone") && !c.phone_sealed[0])
			return err_field(&r->err, GG_EMISSING, "phone",
					 "a new phone needs the number");
	}
	if (!principal_covers(&r->who, c.grid))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", c.grid);
	c.proposed_by = r->who.user_id;
	c.proposed_at = clock_now();
	snprintf(c.state, sizeof(c.state), "proposed");
	if ((rc = store_correction_insert(r->db, &c, &c.id, &r->err)))
		return rc;
	api_reply(r, 201, correction_json(&c));
	return GG_OK;
}

int api_people_corrections(struct api_req *r)
{
	const char *under, *state = api_query(r, "state");
	int rc = api__people_under(r, &under);
	if (rc)
		return rc;
	struct store_correction *v;
	size_t n;
	if ((rc = store_correction_list(r->db, under, state ? state : "", r->arena, &v, &n,
					&r->err)))
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, correction_json(&v[i]));
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}

static int decide(struct api_req *r, int approve)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end)
		return api_fail(r, GG_ENOTFOUND, "no correction %s", r->params[0]);
	const char *decision = "";
	int rc = api_body_str(r, "decision", 0, &decision);
	if (rc)
		return rc;
	struct store_correction c;
	if ((rc = store_correction_get(r->db, id, &c, &r->err)))
		return rc;
	if (!principal_covers(&r->who, c.grid))
		return api_fail(r, GG_EFORBIDDEN, "correction %lld is outside your scope", id);
	if ((rc = store_correction_decide(r->db, id, approve, r->who.user_id, clock_now(),
					  decision ? decision : "", &r->err)))
		return rc;
	if ((rc = store_correction_get(r->db, id, &c, &r->err)))
		return rc;
	api_reply(r, 200, correction_json(&c));
	return GG_OK;
}

int api_people_correction_approve(struct api_req *r)
{
	return decide(r, 1);
}

int api_people_correction_reject(struct api_req *r)
{
	return decide(r, 0);
}
