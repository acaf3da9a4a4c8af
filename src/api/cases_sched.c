/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case scheduler: a thread that looks, a few times a second, for stages past their
 * deadline and whistles whose summoned departments have not reported in time. It asks
 * clock_now(), so tests move it with the test clock (which wakes it at once, so a replay
 * need not wait for the next tick). It opens supervision rounds 督办
 * (one more per working day late, at most three, each one level further up the grid
 * tree), records the points deducted, and writes each round into the case's trail. It
 * reads on a pooled connection and submits a write only when there is work.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"

#define SCHED_INTERVAL_MS 100

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int running, stop, kicked;
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER, .cv = PTHREAD_COND_INITIALIZER};

static void ancestor(const char *grid, int level, char *out)
{
	size_t n = grid_level_code_len((enum grid_level)level);
	snprintf(out, GRID_CODE_MAX, "%.*s", (int)(n && n < strlen(grid) ? n : strlen(grid)), grid);
}

static int open_round(struct api_req *r, struct store_case *c, const char *stage,
		      const char *target_kind, const char *target, int round)
{
	struct store_supervision v = {.case_id = c->id, .round = round, .opened_at = clock_now()};
	snprintf(v.stage, sizeof(v.stage), "%s", stage);
	v.level = sla_round_level(c->level, round);
	ancestor(c->grid, v.level, v.supervisor);
	snprintf(v.target_kind, sizeof(v.target_kind), "%s", target_kind);
	snprintf(v.target, sizeof(v.target), "%s", target);
	v.points = sla_round_points(api_case_policy(), round);
	int rc = store_supervision_insert(r->db, &v, &r->err);
	if (rc)
		return rc;
	/* The trail is read by Chinese-speaking staff first; the structured record is in
	 * supervision_rounds for anything else. */
	int st = case_state_parse(stage);
	const char *zh = st >= 0 ? case_stage_name_zh((enum case_state)st) : NULL;
	char note[256];
	snprintf(note, sizeof(note), "第%d次督办（%s超时）：%s %s 督办，扣%s %s %d 分", round,
		 zh ? zh : "报到",
		 grid_level_name_zh((enum grid_level)v.level), v.supervisor,
		 strcmp(target_kind, "department") ? "网格" : "部门", target, v.points);
	return api_case_log(r, c, "supervise", case_state_name(c->state), note, NULL);
}

static int overdue_stages(struct api_req *r, int64_t now)
{
	struct store_case *v;
	size_t n;
	int rc = store_case_overdue(r->db, now, r->arena, &v, &n, &r->err);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		struct store_case *c = &v[i];
		int due = sla_due_round(api_case_cal(), api_case_policy(), c->deadline, now);
		if (c->supervision >= due)
			continue;
		int dept =
		    c->department[0] && (c->state == CASE_DISPATCHED || c->state == CASE_ACCEPTED);
		while (rc == GG_OK && c->supervision < due)
			rc = open_round(r, c, case_state_name(c->state),
					dept ? "department" : "grid",
					dept ? c->department : c->grid, ++c->supervision);
		if (rc == GG_OK)
			rc = store_case_update(r->db, c, &r->err);
	}
	return rc;
}

static int late_reports(struct api_req *r, int64_t now)
{
	struct store_whistle_dept *w;
	size_t n;
	int rc = store_whistle_depts(r->db, 0, r->arena, &w, &n, &r->err);
	for (size_t i = 0; rc == GG_OK && i < n; i++) {
		if (w[i].reported_at || w[i].supervised || w[i].deadline >= now)
			continue;
		struct store_case c;
		w[i].supervised = 1;
		if ((rc = store_case_get(r->db, w[i].case_id, &c, &r->err)) ||
		    (rc = store_whistle_dept_update(r->db, &w[i], &r->err)))
			break;
		rc = open_round(r, &c, "report", "department", w[i].department, 1);
	}
	return rc;
}

static int sweep(struct api_req *r, void *arg)
{
	(void)arg;
	int64_t now = clock_now();
	int rc = overdue_stages(r, now);
	return rc ? rc : late_reports(r, now);
}

/* Is there anything to do? Read on a pooled connection, so idle ticks write nothing. */
static int pending(struct api_server *srv)
{
	struct store *db = api__pool_get(srv);
	struct arena *a = arena_new();
	struct err err = ERR_INIT;
	int64_t now = clock_now();
	struct store_case *v;
	size_t n = 0;
	int work = 0;
	if (store_case_overdue(db, now, a, &v, &n, &err) == GG_OK)
		for (size_t i = 0; i < n; i++)
			if (v[i].supervision <
			    sla_due_round(api_case_cal(), api_case_policy(), v[i].deadline, now))
				work++;
	struct store_whistle_dept *w;
	if (store_whistle_depts(db, 0, a, &w, &n, &err) == GG_OK)
		for (size_t i = 0; i < n; i++)
			if (!w[i].reported_at && !w[i].supervised && w[i].deadline < now)
				work++;
	arena_free(a);
	api__pool_put(srv, db);
	return work;
}

static void *sched_main(void *arg)
{
	struct api_server *srv = arg;
	pthread_mutex_lock(&sched.lock);
	while (!sched.stop) {
		pthread_mutex_unlock(&sched.lock);
		if (pending(srv)) {
			struct api_req r = {.srv = srv, .arena = arena_new()};
			snprintf(r.who.name, sizeof(r.who.name), "system");
			r.who.role = ROLE_ADMIN;
			if (api_write(&r, sweep, NULL))
				log_warn("scheduler: %s", err_msg(&r.err));
			arena_free(r.arena);
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += SCHED_INTERVAL_MS * 1000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_mutex_lock(&sched.lock);
		if (!sched.stop && !sched.kicked)
			pthread_cond_timedwait(&sched.cv, &sched.lock, &ts);
		sched.kicked = 0;
	}
	pthread_mutex_unlock(&sched.lock);
	return NULL;
}

int api__sched_start(struct api_server *srv)
{
	sched.stop = 0;
	if (pthread_create(&sched.thread, NULL, sched_main, srv) != 0)
		return GG_EINTERNAL;
	sched.running = 1;
	return GG_OK;
}

void api__sched_kick(void)
{
	pthread_mutex_lock(&sched.lock);
	sched.kicked = 1;
	pthread_cond_signal(&sched.cv);
	pthread_mutex_unlock(&sched.lock);
}

void api__sched_stop(struct api_server *srv)
{
	(void)srv;
	if (!sched.running)
		return;
	pthread_mutex_lock(&sched.lock);
	sched.stop = 1;
	pthread_cond_signal(&sched.cv);
	pthread_mutex_unlock(&sched.lock);
	pthread_join(sched.thread, NULL);
	sched.running = 0;
}
