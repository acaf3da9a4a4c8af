/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How handlers reach the domain layer: a struct svc for the request (its connection,
 * principal, the clock, the server's locator and calendar), the hotline sender woken
 * once a write that queued a status change has committed, and the read transaction a
 * handler renders its answer in after its write step.
 */
#include "api/api_int.h"
#include "gridgov/clock.h"

static int locate(void *arg, double lon, double lat, char *code, struct err *err)
{
	return api_locate(arg, lon, lat, code, err);
}

void api__svc(struct api_req *r, struct svc *s)
{
	*s = (struct svc){
	    .db = r->db,
	    .who = &r->who,
	    .system = !r->authed,
	    .now = clock_now(),
	    .a = r->arena,
	    .cal = svc_cal_default(),
	    .policy = svc_policy_default(),
	    .locate = r->srv ? locate : NULL,
	    .locate_arg = r->srv,
	    .written = api__svc_written,
	    .written_arg = r,
	};
}

static void kick(struct api_server *srv, void *arg)
{
	(void)arg;
	api__hotline_kick(srv);
}

static void note(struct api_server *srv, void *arg)
{
	(void)srv;
	api__sched_note(*(int64_t *)arg);
}

void api__svc_done(struct api_req *r, const struct svc *s, const struct store_case *c)
{
	if (s->outbox)
		api_on_commit(r, kick, NULL);
	int64_t due = c ? svc_case_due_at(s, c) : 0;
	if (due) {
		int64_t *arg = arena_alloc(r->arena, sizeof(*arg));
		*arg = due;
		api_on_commit(r, note, arg);
	}
}

int api_read(struct api_req *r)
{
	if (r->reading)
		return GG_OK;
	api__read_on_primary(r); /* after a write, what it wrote is on the primary */
	int rc = store_begin(r->db, STORE_READ, &r->err);
	if (rc == GG_OK)
		r->reading = 1;
	return rc;
}

const struct cal *api_case_cal(void)
{
	return svc_cal_default();
}

const struct sla_policy *api_case_policy(void)
{
	return svc_policy_default();
}
