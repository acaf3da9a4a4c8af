/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/events: the live stream of case changes for wall screens and work queues
 * (Server-Sent Events; the broadcaster is events.c, the connection's bytes server.c).
 * And the other end: each case written through the domain layer (svc's `written` hook)
 * is announced once its transaction has committed, never for a write rolled back.
 */
#include <stdio.h>
#include <string.h>

#include "api/api_int.h"
#include "api/events.h"

int api_events_stream(struct api_req *r)
{
	struct api_sse *s;
	const char *last = api_header(r, "Last-Event-ID");
	if (!last)
		last = api_query(r, "last_event_id");
	int rc = api__sse_open(r->srv->events, &r->who, last, r->conn, &s);
	if (rc == GG_EUNAVAIL) {
		r->retry_after = "10";
		return api_fail(r, GG_EUNAVAIL,
				"too many live event streams are open on this server: try again"
				" later");
	}
	if (rc)
		return api_fail(r, rc, "cannot open the event stream");
	r->sse = s;
	return GG_OK;
}

struct written {
	struct store_case c;
	char action[24];
};

static void announce(struct api_server *srv, void *arg)
{
	struct written *w = arg;
	api__events_case(srv->events, &w->c, w->action);
}

void api__svc_written(void *arg, const struct store_case *c, const char *action)
{
	struct api_req *r = arg;
	if (!r->srv || !r->srv->events)
		return;
	struct written *w = arena_alloc(r->arena, sizeof(*w));
	w->c = *c;
	snprintf(w->action, sizeof(w->action), "%s", action ? action : "");
	api_on_commit(r, announce, w);
}
