/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Cases seen with the actor's rights, and new cases by any door: who may see a case,
 * the state machine's context for the actor, the actions open to them, photos they may
 * attach, and the creation of a case — located and routed to its grid, community and
 * street, with the category proposing a department and the filing deadline running.
 */
#include <stdio.h>
#include <string.h>

#include "gridgov/buf.h"
#include "gridgov/clock.h"
#include "gridgov/store_intake.h"
#include "svc/svc_int.h"

void svc__time(int64_t t, char out[32])
{
	clock_format_utc(t, out, 32);
}

int svc_case_merged(const struct svc *s, const struct store_case *c, struct store_case **out,
		    size_t *n, struct err *err)
{
	struct store_case_filter f = {.merged_into = c->id};
	int64_t total;
	return store_case_list(s->db, &f, s->a, out, n, &total, err);
}

/* The caller's standing on c by role: scope, or (department staff) its department or a
 * whistle summoning theirs; -1 when the store failed (err set). */
static int by_role(const struct svc *s, const struct store_case *c, struct err *err)
{
	const struct principal *who = s->who;
	if (who->role != ROLE_DEPARTMENT)
		return principal_covers(who, c->grid);
	if (!strcmp(c->department, who->dept))
		return 1;
	struct store_whistle_dept *w;
	size_t n;
	if (store_whistle_depts(s->db, c->id, s->a, &w, &n, err))
		return -1;
	for (size_t i = 0; i < n; i++)
		if (!strcmp(w[i].department, who->dept))
			return 1;
	return 0;
}

int svc_case_visible(const struct svc *s, const struct store_case *c, struct err *err)
{
	const struct principal *who = s->who;
	if (c->reporter_id == who->user_id)
		return 1;
	int role = by_role(s, c, err);
	if (role)
		return role > 0;
	/* last, as it costs a read: the reporter of a case merged into c follows c */
	struct store_case *m;
	size_t nm;
	if (svc_case_merged(s, c, &m, &nm, err) == GG_OK)
		for (size_t i = 0; i < nm; i++)
			if (m[i].reporter_id == who->user_id)
				return 1;
	err_clear(err);
	return 0;
}

int svc_case_get(const struct svc *s, int64_t id, struct store_case *c, struct err *err)
{
	int rc = store_case_get(s->db, id, c, err);
	if (rc)
		return rc;
	if (!svc_case_visible(s, c, err))
		return err_set(err, GG_EFORBIDDEN, "case %lld is outside your scope",
			       (long long)id);
	return GG_OK;
}

void svc_case_ctx_standing(const struct principal *who, const struct store_case *c,
			   struct case_ctx *x)
{
	memset(x, 0, sizeof(*x));
	x->role = who->role;
	x->in_scope = principal_covers(who, c->grid);
	x->own_dept =
	    who->role == ROLE_DEPARTMENT && c->department[0] && !strcmp(c->department, who->dept);
	x->level = c->level;
	x->ext_pending = c->ext_pending;
	x->reopened = c->reopened;
}

int svc_case_ctx(const struct svc *s, const struct store_case *c, struct case_ctx *x,
		 struct err *err)
{
	const struct principal *who = s->who;
	svc_case_ctx_standing(who, c, x);
	if (!case_state_whistles(c->state))
		return GG_OK; /* nothing in this state asks about whistles: no read */
	struct store_whistle_dept *w;
	size_t n;
	int rc = store_whistle_depts(s->db, c->id, s->a, &w, &n, err);
	if (rc)
		return rc;
	for (size_t i = 0; i < n; i++) {
		if (who->role == ROLE_DEPARTMENT && !strcmp(w[i].department, who->dept) &&
		    !w[i].reported_at)
			x->summoned = 1;
		if (w[i].blower_id == who->user_id && w[i].reported_at && !w[i].rating[0])
			x->can_rate = 1;
	}
	return GG_OK;
}

size_t svc_case_allowed(const struct svc *s, const struct store_case *c, enum case_action *out,
			size_t max, struct err *err)
{
	struct case_ctx x;
	if (svc_case_ctx(s, c, &x, err))
		return 0;
	size_t n = case_allowed_actions(c->state, &x, out, max);
	return n < max ? n : max;
}

int svc_media_may_see(const struct svc *s, const struct store_media *m, struct err *err)
{
	const struct principal *who = s->who;
	/* an administrator of the whole platform; one with a scope sees by case like others */
	if ((who->role == ROLE_ADMIN && !who->scope[0]) ||
	    (m->uploader && m->uploader == who->user_id))
		return 1;
	int owned = 0;
	if (!s->system && store_media_owned(s->db, m->sha256, who->user_id, &owned, err))
		return 0;
	if (owned)
		return 1;
	int64_t *ids;
	size_t n;
	if (store_media_cases(s->db, m->sha256, s->a, &ids, &n, err))
		return 0;
	struct store_case c;
	for (size_t i = 0; i < n; i++) {
		if (store_case_get(s->db, ids[i], &c, err))
			return 0;
		if (svc_case_visible(s, &c, err))
			return 1;
		err_clear(err);
	}
	return 0;
}

static int is_sha(const char *p)
{
	size_t n = 0;
	for (; p[n]; n++)
		if (!((p[n] >= '0' && p[n] <= '9') || (p[n] >= 'a' && p[n] <= 'f')))
			return 0;
	return n == 64;
}

int svc__attach(const struct svc *s, const struct store_case *c, const char *field,
		const char *const *list, size_t n, const char **trail, struct err *err)
{
	*trail = "[]";
	if (!n)
		return GG_OK;
	if (n > SVC_MAX_ATTACH || !list)
		return err_field(err, GG_EFIELD, field,
				 "%s is an array of at most %d photo ids (sha256 from POST"
				 " /api/v1/media)",
				 field, SVC_MAX_ATTACH);
	struct buf b = BUF_INIT;
	buf_addch(&b, '[');
	int rc = GG_OK;
	for (size_t i = 0; i < n && rc == GG_OK; i++) {
		const char *sha = list[i];
		if (!sha || !is_sha(sha)) {
			rc = err_field(err, GG_EFIELD, field,
				       "%s[%zu] is not a photo id: upload the photo with POST"
				       " /api/v1/media and send its sha256",
				       field, i);
			break;
		}
		for (size_t k = 0; k < i && rc == GG_OK; k++)
			if (!strcmp(sha, list[k]))
				rc = err_field(err, GG_EFIELD, field,
					       "%s[%zu] repeats an earlier photo", field, i);
		if (rc)
			break;
		struct store_media m;
		rc = store_media_get(s->db, sha, &m, err);
		if (rc && rc != GG_ENOTFOUND)
			break;
		if (rc == GG_ENOTFOUND || !svc_media_may_see(s, &m, err)) {
			if (err->code && err->code != GG_ENOTFOUND) {
				rc = err->code;
				break;
			}
			err_clear(err);
			rc = err_field(err, GG_EFIELD, field,
				       "%s[%zu]: no photo %.12s… of yours; upload it first", field,
				       i, sha);
			break;
		}
		if ((rc = store_case_media_add(s->db, c->id, sha, err)))
			break;
		buf_addf(&b, "%s\"%s\"", i ? "," : "", sha);
	}
	buf_addch(&b, ']');
	if (rc == GG_OK)
		*trail = arena_strdup(s->a, b.p);
	buf_release(&b);
	return rc;
}

int svc_case_log(const struct svc *s, const struct store_case *c, const char *action,
		 const char *from, const char *note, const char *attachments, struct err *err)
{
	const struct principal *who = s->who;
	struct store_case_entry e = {.case_id = c->id, .actor_id = who->user_id, .at = s->now};
	snprintf(e.action, sizeof(e.action), "%s", action);
	snprintf(e.actor, sizeof(e.actor), "%s", who->name[0] ? who->name : "system");
	snprintf(e.role, sizeof(e.role), "%s", s->system ? "system" : role_name(who->role));
	snprintf(e.from_state, sizeof(e.from_state), "%s", from);
	snprintf(e.to_state, sizeof(e.to_state), "%s", case_state_name(c->state));
	e.note = (char *)(note ? note : "");
	e.attachments = (char *)(attachments ? attachments : "[]");
	return store_case_log_append(s->db, &e, err);
}

/* The grid of a new case: located from its point, else the explicit grid code. */
static int route(const struct svc *s, struct store_case *c, const char *grid, int any_grid,
		 struct err *err)
{
	char located[GRID_CODE_MAX] = "";
	if (c->has_point && s->locate) {
		struct err e = ERR_INIT;
		if (s->locate(s->locate_arg, c->lon, c->lat, located, &e) == GG_OK)
			grid = located;
	}
	/* a grid worker without a position fix reports in their own grid 网格员本网格 */
	if (!grid && !c->has_point && s->who->role == ROLE_GRID_WORKER && s->who->scope[0])
		grid = s->who->scope;
	if (!grid)
		return err_field(err, GG_EMISSING, "grid",
				 "the point is not inside a known grid: give lon/lat inside the"
				 " map or an explicit grid");
	struct grid_node g;
	int rc = store_grid_get(s->db, grid, &g, err);
	if (rc == GG_ENOTFOUND)
		return err_field(err, GG_EFIELD, "grid", "no grid %s", grid);
	if (rc)
		return rc;
	if (!any_grid && !principal_covers(s->who, g.code) && s->who->role != ROLE_DEPARTMENT)
		return err_set(err, GG_EFORBIDDEN, "grid %s is outside your scope", g.code);
	snprintf(c->grid, sizeof(c->grid), "%s", g.code);
	c->level = g.level;
	if (g.level >= GRID_COMMUNITY)
		snprintf(c->community, sizeof(c->community), "%.*s",
			 (int)grid_level_code_len(GRID_COMMUNITY), g.code);
	if (g.level >= GRID_STREET)
		snprintf(c->street, sizeof(c->street), "%.*s",
			 (int)grid_level_code_len(GRID_STREET), g.code);
	return GG_OK;
}

int svc_case_new(struct svc *s, const struct svc_case_in *in, struct store_case **out,
		 struct err *err)
{
	struct store_case *c = arena_zalloc(s->a, sizeof(*c));
	int rc;
	c->has_point = in->has_point;
	if (c->has_point && (in->lon < -180 || in->lon > 180 || in->lat < -90 || in->lat > 90))
		return err_field(err, GG_EFIELD, "lon", "lon/lat out of range");
	if (strlen(in->description) >= sizeof(c->description) ||
	    strlen(in->channel) >= sizeof(c->channel))
		return err_field(err, GG_EFIELD, "description", "description or channel too long");
	struct store_category cat;
	rc = store_category_get(s->db, in->category, &cat, err);
	if (rc == GG_ENOTFOUND)
		return err_field(err, GG_EFIELD, "category", "unknown category '%s'", in->category);
	if (rc)
		return rc;
	c->lon = in->lon;
	c->lat = in->lat;
	if ((rc = route(s, c, in->grid, in->any_grid, err)))
		return rc;
	snprintf(c->category, sizeof(c->category), "%s", cat.code);
	snprintf(c->description, sizeof(c->description), "%s", in->description);
	snprintf(c->channel, sizeof(c->channel), "%s", in->channel);
	snprintf(c->address, sizeof(c->address), "%s", in->address ? in->address : "");
	snprintf(c->proposed_dept, sizeof(c->proposed_dept), "%s", cat.department);
	c->state = CASE_REPORTED;
	c->reporter_id = s->who->user_id;
	snprintf(c->reporter, sizeof(c->reporter), "%s",
		 in->reporter ? in->reporter : s->who->name);
	c->created_at = c->updated_at = c->stage_started = s->now;
	/* filing is due within the category's verification limit 核实时限 */
	c->deadline = cal_add(s->cal, s->now, (int64_t)cat.verify_min * 60);
	const char *photos;
	if ((rc = store_case_insert(s->db, c, err)) ||
	    (rc = svc__attach(s, c, "photos", in->photos, in->nphotos, &photos, err)) ||
	    (rc = svc_case_log(s, c, "create", "", NULL, photos, err)) ||
	    (rc = svc__due_put(s, c, err)))
		return rc;
	if (s->written)
		s->written(s->written_arg, c, "create");
	*out = c;
	return GG_OK;
}
