/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The case scheduler: a thread that runs the domain's deadline sweep (svc_sched_sweep:
 * 督办 rounds on late stages, late whistle reports) through the writer like any request,
 * in bounded batches of SWEEP_BATCH cases per transaction, and then sleeps until the next
 * thing falls due (svc_sched_next, read on its own connection from an index), until a
 * committed write files something sooner (api__sched_note), or until it is kicked; it
 * submits a write only when something is due. It asks clock_now(), so tests move it with
 * the test clock, whose route kicks it and waits for the pass (api__sched_kick). Idle, it
 * costs nothing but an indexed read a minute.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"

#define SWEEP_BATCH	500 /* cases (and departments) per write transaction */
#define SWEEP_MAX_SLEEP 60  /* seconds: a safety net, not the way work is found */
#define SWEEP_KICK_WAIT 30  /* seconds a kick waits for its pass at most */

static struct {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cv, done_cv;
	int running, stop;
	uint64_t kicks, passes; /* a kick asks for pass kicks; passes counts finished ones */
	int64_t wake_at;	/* clock_now() the thread sleeps until (0: indefinitely) */
} sched = {.lock = PTHREAD_MUTEX_INITIALIZER,
	   .cv = PTHREAD_COND_INITIALIZER,
	   .done_cv = PTHREAD_COND_INITIALIZER};

struct pass {
	struct arena *a;
	size_t done;
	int more;
};

/* The platform itself acts: trail entries say "system". */
static const struct principal system_who = {.role = ROLE_ADMIN, .name = "system"};

static int sweep(struct store *db, void *arg, struct err *err)
{
	struct pass *p = arg;
	struct svc s = {.db = db,
			.who = &system_who,
			.system = 1,
			.now = clock_now(),
			.a = p->a,
			.cal = svc_cal_default(),
			.policy = svc_policy_default()};
	return svc_sched_sweep(&s, SWEEP_BATCH, &p->done, &p->more, err);
}

/* One pass: batches until nothing due is left; -1 when a batch failed. */
static int run_pass(struct api_server *srv)
{
	struct pass p;
	int failed = 0;
	do {
		struct err err = ERR_INIT;
		p = (struct pass){.a = arena_new()};
		if (api__write_store(srv, sweep, &p, &err)) {
			log_warn("scheduler: %s", err_msg(&err));
			p.more = 0;
			failed = -1;
		}
		arena_free(p.a);
	} while (p.more);
	return failed;
}

static int64_t next_due(struct store *db)
{
	struct err err = ERR_INIT;
	int64_t at = 0;
	if (store_begin(db, STORE_READ, &err) == GG_OK) {
		if (store_sched_next(db, &at, &err))
			log_warn("scheduler: %s", err_msg(&err));
		store_rollback(db);
	}
	return at;
}

static void *sched_main(void *arg)
{
	struct api_server *srv = arg;
	struct store *db = NULL;
	struct err err = ERR_INIT;
	if (store_open(srv->cfg.dsn, &db, &err))
		log_warn("scheduler: %s", err_msg(&err));
	pthread_mutex_lock(&sched.lock);
	while (!sched.stop) {
		uint64_t asked = sched.kicks;
		pthread_mutex_unlock(&sched.lock);
		/* write only when something is due: an idle wake costs one indexed read */
		int64_t at = db ? next_due(db) : 0, now = clock_now();
		int failed = 0;
		if (!db || (at && at <= now)) {
			failed = run_pass(srv);
			at = db ? next_due(db) : 0;
		}
		pthread_mutex_lock(&sched.lock);
		sched.passes = asked;
		pthread_cond_broadcast(&sched.done_cv);
		now = clock_now();
		if (failed && at && at <= now)
			at = now + 1; /* retry in a second rather than spin on a failing batch */
		if (sched.stop || sched.kicks != asked || (at && at <= now))
			continue;
		/* sleep on the real clock for the test clock's distance to the next due */
		int64_t secs = at ? at - now : SWEEP_MAX_SLEEP;
		if (secs > SWEEP_MAX_SLEEP)
			secs = SWEEP_MAX_SLEEP;
		sched.wake_at = at && at - now <= SWEEP_MAX_SLEEP ? at : now + secs;
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += (time_t)secs;
		while (!sched.stop && sched.kicks == asked &&
		       pthread_cond_timedwait(&sched.cv, &sched.lock, &ts) != ETIMEDOUT)
			;
		sched.wake_at = 0;
	}
	sched.passes = sched.kicks;
	pthread_cond_broadcast(&sched.done_cv);
	pthread_mutex_unlock(&sched.lock);
	if (db)
		store_close(db);
	return NULL;
}

int api__sched_start(struct api_server *srv)
{
	sched.stop = 0;
	sched.kicks = sched.passes = 0;
	if (pthread_create(&sched.thread, NULL, sched_main, srv) != 0)
		return GG_EINTERNAL;
	sched.running = 1;
	return GG_OK;
}

void api__sched_kick(void)
{
	pthread_mutex_lock(&sched.lock);
	if (!sched.running) {
		pthread_mutex_unlock(&sched.lock);
		return;
	}
	uint64_t mine = ++sched.kicks;
	pthread_cond_signal(&sched.cv);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += SWEEP_KICK_WAIT;
	while (!sched.stop && sched.passes < mine &&
	       pthread_cond_timedwait(&sched.done_cv, &sched.lock, &ts) != ETIMEDOUT)
		;
	pthread_mutex_unlock(&sched.lock);
}

void api__sched_note(int64_t at)
{
	pthread_mutex_lock(&sched.lock);
	if (sched.running && sched.wake_at && at < sched.wake_at) {
		sched.kicks++;
		pthread_cond_signal(&sched.cv);
	}
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
