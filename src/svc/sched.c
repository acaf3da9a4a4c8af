/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The deadline sweep 督办: stages past their deadline get supervision rounds (one more
 * per working day late, at most three, each one level further up the grid tree), with
 * the points deducted and each round written into the case's trail; departments summoned
 * by a whistle that have not reported by its deadline get one round. The work is found
 * through the scheduler's queue (case_due), in bounded batches, so a pass costs what is
 * due, not what is stored.
 */
#include <stdio.h>
#include <string.h>

#include "svc/svc_int.h"

static int open_state(enum case_state st)
{
	return st == CASE_REPORTED || st == CASE_FILED || st == CASE_DISPATCHED ||
	       st == CASE_ACCEPTED || st == CASE_HANDLED || st == CASE_VERIFIED;
}

int64_t svc_case_due_at(const struct svc *s, const struct store_case *c)
{
	if (!c->deadline || !open_state(c->state) || c->merged_into || c->supervision >= SLA_ROUNDS)
		return 0;
	if (c->supervision == 0)
		return c->deadline + 1; /* late once the clock passes the deadline */
	if (s->policy->grace <= 0)
		return c->deadline + 1;
	/* round k + 1 falls due after k graces of working time past the deadline */
	return cal_add(s->cal, c->deadline, s->policy->grace * c->supervision);
}

int svc__due_put(const struct svc *s, const struct store_case *c, struct err *err)
{
	return store_case_due_put(s->db, c->id, svc_case_due_at(s, c), err);
}

static void ancestor(const char *grid, int level, char *out)
{
	size_t n = grid_level_code_len((enum grid_level)level);
	snprintf(out, GRID_CODE_MAX, "%.*s", (int)(n && n < strlen(grid) ? n : strlen(grid)), grid);
}

static int open_round(struct svc *s, struct store_case *c, const char *stage,
		      const char *target_kind, const char *target, int round, struct err *err)
{
	struct store_supervision v = {.case_id = c->id, .round = round, .opened_at = s->now};
	snprintf(v.stage, sizeof(v.stage), "%s", stage);
	v.level = sla_round_level(c->level, round);
	ancestor(c->grid, v.level, v.supervisor);
	snprintf(v.target_kind, sizeof(v.target_kind), "%s", target_kind);
	snprintf(v.target, sizeof(v.target), "%s", target);
	v.points = sla_round_points(s->policy, round);
	int rc = store_supervision_insert(s->db, &v, err);
	if (rc)
		return rc;
	/* The trail is read by Chinese-speaking staff first; the structured record is in
	 * supervision_rounds for anything else. */
	int st = case_state_parse(stage);
	const char *zh = st >= 0 ? case_stage_name_zh((enum case_state)st) : NULL;
	char note[256];
	snprintf(note, sizeof(note), "第%d次督办（%s超时）：%s %s 督办，扣%s %s %d 分", round,
		 zh ? zh : "报到", grid_level_name_zh((enum grid_level)v.level), v.supervisor,
		 strcmp(target_kind, "department") ? "网格" : "部门", target, v.points);
	return svc_case_log(s, c, "supervise", case_state_name(c->state), note, NULL, err);
}

/* One case from the queue: open the rounds now due, file its next time. */
static int supervise_case(struct svc *s, int64_t id, struct err *err)
{
	struct store_case c;
	int rc = store_case_get(s->db, id, &c, err);
	if (rc == GG_ENOTFOUND) {
		err_clear(err);
		return store_case_due_put(s->db, id, 0, err);
	}
	if (rc)
		return rc;
	int due = open_state(c.state) && c.deadline && !c.merged_into
		      ? sla_due_round(s->cal, s->policy, c.deadline, s->now)
		      : 0;
	if (c.supervision < due) {
		struct store_case was = c; /* as stored: the rounds do not write the case */
		int dept =
		    c.department[0] && (c.state == CASE_DISPATCHED || c.state == CASE_ACCEPTED);
		while (rc == GG_OK && c.supervision < due)
			rc = open_round(s, &c, case_state_name(c.state),
					dept ? "department" : "grid", dept ? c.department : c.grid,
					++c.supervision, err);
		if (rc == GG_OK)
			rc = store_case_update_from(s->db, &was, &c, err);
		if (rc)
			return rc;
	}
	int64_t next = svc_case_due_at(s, &c);
	if (next && next <= s->now)
		next = s->now + 1; /* the calendar said "not yet": look again, never spin */
	return store_case_due_put(s->db, c.id, next, err);
}

int svc_sched_sweep(struct svc *s, size_t limit, size_t *done, int *more, struct err *err)
{
	int64_t *ids;
	size_t n;
	*done = 0;
	*more = 0;
	int rc = store_case_due(s->db, s->now, limit, s->a, &ids, &n, err);
	for (size_t i = 0; rc == GG_OK && i < n; i++)
		rc = supervise_case(s, ids[i], err);
	if (rc)
		return rc;
	*done += n;
	*more |= n == limit;

	struct store_whistle_dept *w;
	if ((rc = store_whistle_due(s->db, s->now, limit, s->a, &w, &n, err)))
		return rc;
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		struct store_case c;
		w[i].supervised = 1;
		if ((rc = store_case_get(s->db, w[i].case_id, &c, err)) ||
		    (rc = store_whistle_dept_update(s->db, &w[i], err)))
			break;
		rc = open_round(s, &c, "report", "department", w[i].department, 1, err);
	}
	if (rc)
		return rc;
	*done += n;
	*more |= n == limit;
	return GG_OK;
}

int svc_sched_next(const struct svc *s, int64_t *at, struct err *err)
{
	return store_sched_next(s->db, at, err);
}
