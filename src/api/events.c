/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The broadcaster of GET /api/v1/events (events.h): a ring of the last API_EVENTS_RING
 * committed case changes, the open streams each with its position in the ring, and a
 * heartbeat thread. A stream's bytes are formatted when its connection asks for them,
 * filtered by its principal (the same rule as the case list: scope, or a department's
 * own cases, or one's own reports), so publishing costs one copy into the ring whatever
 * the number of screens.
 *
 * Event ids are "BOOT-SEQ": BOOT names this process's broadcaster, so a Last-Event-ID of
 * another process (a restart) starts afresh instead of skipping events.
 */
#include <inttypes.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "api/events.h"
#include "gridgov/buf.h"
#include "gridgov/case.h"
#include "gridgov/clock.h"
#include "gridgov/err.h"
#include "gridgov/xalloc.h"

/* the stream's first bytes: how long a browser waits before reconnecting */
#define RETRY_MS 3000

struct event {
	uint64_t seq;
	int64_t id, reporter_id, at;
	enum case_state state;
	char action[24], category[16];
	char grid[GRID_CODE_MAX], department[ROLE_DEPT_MAX];
	int has_point;
	double lon, lat;
};

struct api_sse {
	struct api_sse *prev, *next;
	struct api_events *ev;
	void *conn;
	struct principal who;
	uint64_t pos;	  /* the next sequence number to consider */
	int parked;	  /* the connection is suspended, waiting for news */
	int beat;	  /* a heartbeat is due */
	int dropped;	  /* fell a ring behind */
	int started;	  /* the opening lines are out */
	uint64_t written; /* clock_mono_ns of the last bytes handed out */
	struct buf out;	  /* formatted, not yet handed out from off */
	size_t off;
};

struct api_events {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct event ring[API_EVENTS_RING];
	uint64_t seq; /* the last sequence number given (0: none yet) */
	struct api_sse head;
	int nclients, max_clients, closing, stop;
	uint64_t heartbeat_ns;
	char boot[20];
	struct api_sse_io io;
	pthread_t thread;
	int running;
	uint64_t published, dropped;
};

static void *heartbeat_main(void *arg)
{
	struct api_events *ev = arg;
	pthread_mutex_lock(&ev->mu);
	while (!ev->stop) {
		uint64_t now = clock_mono_ns();
		for (struct api_sse *s = ev->head.next; s != &ev->head; s = s->next)
			if (!s->beat && now - s->written >= ev->heartbeat_ns) {
				s->beat = 1;
				if (s->parked) {
					s->parked = 0;
					ev->io.wake(s->conn);
				}
			}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&ev->cv, &ev->mu, &ts);
	}
	pthread_mutex_unlock(&ev->mu);
	return NULL;
}

struct api_events *api__events_new(int max_clients, int heartbeat_s, const struct api_sse_io *io)
{
	struct api_events *ev = xcalloc(1, sizeof(*ev));
	pthread_mutex_init(&ev->mu, NULL);
	pthread_cond_init(&ev->cv, NULL);
	ev->head.next = ev->head.prev = &ev->head;
	ev->max_clients = max_clients > 0 ? max_clients : 64;
	ev->heartbeat_ns = (uint64_t)(heartbeat_s > 0 ? heartbeat_s : 15) * 1000000000ull;
	ev->io = *io;
	snprintf(ev->boot, sizeof(ev->boot), "%" PRIx64,
		 (uint64_t)clock_mono_ns() ^ (uint64_t)time(NULL));
	if (pthread_create(&ev->thread, NULL, heartbeat_main, ev) == 0)
		ev->running = 1;
	return ev;
}

void api__events_shutdown(struct api_events *ev)
{
	if (!ev)
		return;
	pthread_mutex_lock(&ev->mu);
	ev->closing = 1;
	ev->stop = 1;
	for (struct api_sse *s = ev->head.next; s != &ev->head; s = s->next)
		if (s->parked) {
			s->parked = 0;
			ev->io.wake(s->conn);
		}
	pthread_cond_broadcast(&ev->cv);
	pthread_mutex_unlock(&ev->mu);
	if (ev->running)
		pthread_join(ev->thread, NULL);
	ev->running = 0;
	/* the woken streams end their answers (up to 5 s): then none is suspended when
	 * libmicrohttpd stops, which it may not do with any */
	for (int i = 0; i < 5000; i++) {
		pthread_mutex_lock(&ev->mu);
		int n = ev->nclients;
		pthread_mutex_unlock(&ev->mu);
		if (!n)
			break;
		nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
	}
}

void api__events_free(struct api_events *ev)
{
	if (!ev)
		return;
	api__events_shutdown(ev);
	pthread_mutex_destroy(&ev->mu);
	pthread_cond_destroy(&ev->cv);
	free(ev);
}

void api__events_case(struct api_events *ev, const struct store_case *c, const char *action)
{
	if (!ev)
		return;
	pthread_mutex_lock(&ev->mu);
	struct event *e = &ev->ring[++ev->seq % API_EVENTS_RING];
	*e = (struct event){.seq = ev->seq,
			    .id = c->id,
			    .reporter_id = c->reporter_id,
			    .at = c->updated_at,
			    .state = c->state,
			    .has_point = c->has_point,
			    .lon = c->lon,
			    .lat = c->lat};
	snprintf(e->action, sizeof(e->action), "%s", action);
	snprintf(e->category, sizeof(e->category), "%s", c->category);
	snprintf(e->grid, sizeof(e->grid), "%s", c->grid);
	snprintf(e->department, sizeof(e->department), "%s", c->department);
	ev->published++;
	for (struct api_sse *s = ev->head.next; s != &ev->head; s = s->next) {
		if (ev->seq >= s->pos + API_EVENTS_RING && !s->dropped) {
			s->dropped = 1; /* its next event was just overwritten */
			ev->dropped++;
		}
		if (s->parked) {
			s->parked = 0;
			ev->io.wake(s->conn);
		}
	}
	pthread_mutex_unlock(&ev->mu);
}

/* The same rule as reading a case (svc_case_visible) without the store: department staff
 * see their department's cases, everyone else their scope; and everyone their reports. */
static int visible(const struct principal *who, const struct event *e)
{
	if (e->reporter_id && e->reporter_id == who->user_id)
		return 1;
	if (who->role == ROLE_DEPARTMENT)
		return who->dept[0] && !strcmp(e->department, who->dept);
	return principal_covers(who, e->grid);
}

/* A change that puts work in front of this user: a dispatch to their department, a
 * handled case in a grid worker's grid to verify. */
static int is_task(const struct principal *who, const struct event *e)
{
	if (who->role == ROLE_DEPARTMENT)
		return e->state == CASE_DISPATCHED && who->dept[0] &&
		       !strcmp(e->department, who->dept);
	if (who->role == ROLE_GRID_WORKER)
		return e->state == CASE_HANDLED && principal_covers(who, e->grid);
	return 0;
}

static void format_event(struct buf *b, const char *boot, const struct event *e, const char *type)
{
	char at[32];
	clock_format_utc(e->at, at, sizeof(at));
	buf_addf(b,
		 "id: %s-%" PRIu64 "\nevent: %s\ndata: {\"id\":%" PRId64 ",\"state\":\"%s\","
		 "\"action\":\"",
		 boot, e->seq, type, e->id, case_state_name(e->state));
	buf_add_json_escaped(b, e->action);
	buf_adds(b, "\",\"category\":\"");
	buf_add_json_escaped(b, e->category);
	buf_adds(b, "\",\"grid\":\"");
	buf_add_json_escaped(b, e->grid);
	buf_adds(b, "\",\"department\":\"");
	buf_add_json_escaped(b, e->department);
	buf_addf(b, "\",\"at\":\"%s\"", at);
	if (e->has_point)
		buf_addf(b, ",\"lon\":%.7f,\"lat\":%.7f", e->lon, e->lat);
	buf_adds(b, "}\n\n");
}

/* Where Last-Event-ID says to go on: after it, when it is this process's and the ring
 * still holds what follows; otherwise from now on. */
static uint64_t resume_at(const struct api_events *ev, const char *last_id)
{
	size_t n = strlen(ev->boot);
	if (!last_id || strncmp(last_id, ev->boot, n) || last_id[n] != '-')
		return ev->seq + 1;
	char *end;
	unsigned long long v = strtoull(last_id + n + 1, &end, 10);
	if (*end || v > ev->seq || ev->seq - v >= API_EVENTS_RING)
		return ev->seq + 1;
	return (uint64_t)v + 1;
}

int api__sse_open(struct api_events *ev, const struct principal *who, const char *last_id,
		  void *conn, struct api_sse **out)
{
	pthread_mutex_lock(&ev->mu);
	if (ev->closing || ev->nclients >= ev->max_clients) {
		pthread_mutex_unlock(&ev->mu);
		return GG_EUNAVAIL;
	}
	struct api_sse *s = xcalloc(1, sizeof(*s));
	s->ev = ev;
	s->conn = conn;
	s->who = *who;
	s->pos = resume_at(ev, last_id);
	s->written = clock_mono_ns();
	buf_init(&s->out, 0);
	s->next = ev->head.next;
	s->prev = &ev->head;
	ev->head.next->prev = s;
	ev->head.next = s;
	ev->nclients++;
	pthread_mutex_unlock(&ev->mu);
	*out = s;
	return GG_OK;
}

/* Format what is due into s->out (lock held). */
static void fill(struct api_sse *s)
{
	struct api_events *ev = s->ev;
	if (!s->started) {
		buf_addf(&s->out, "retry: %d\n: gridgov events\n\n", RETRY_MS);
		s->started = 1;
	}
	for (; s->pos <= ev->seq && s->out.len < 16384; s->pos++) {
		const struct event *e = &ev->ring[s->pos % API_EVENTS_RING];
		if (e->seq != s->pos) { /* overwritten: publishing marks this; never send it */
			s->dropped = 1;
			return;
		}
		if (!visible(&s->who, e))
			continue;
		format_event(&s->out, ev->boot, e, "case");
		if (is_task(&s->who, e))
			format_event(&s->out, ev->boot, e, "task");
	}
	if (s->beat && !s->out.len)
		buf_adds(&s->out, ": heartbeat\n\n");
	s->beat = 0;
}

ssize_t api__sse_read(struct api_sse *s, char *buf, size_t max)
{
	struct api_events *ev = s->ev;
	pthread_mutex_lock(&ev->mu);
	ssize_t n;
	if (s->dropped) {
		n = -2;
	} else if (ev->closing) {
		n = -1;
	} else {
		if (s->off >= s->out.len) {
			buf_reset(&s->out);
			s->off = 0;
			fill(s);
		}
		if (s->dropped) {
			pthread_mutex_unlock(&ev->mu);
			return -2;
		}
		size_t left = s->out.len - s->off;
		if (!left) {
			s->parked = 1;
			ev->io.park(s->conn);
			n = 0;
		} else {
			n = (ssize_t)(left < max ? left : max);
			memcpy(buf, s->out.p + s->off, (size_t)n);
			s->off += (size_t)n;
			s->written = clock_mono_ns();
		}
	}
	pthread_mutex_unlock(&ev->mu);
	return n;
}

void api__sse_close(struct api_sse *s)
{
	if (!s)
		return;
	struct api_events *ev = s->ev;
	pthread_mutex_lock(&ev->mu);
	s->prev->next = s->next;
	s->next->prev = s->prev;
	ev->nclients--;
	pthread_mutex_unlock(&ev->mu);
	buf_release(&s->out);
	free(s);
}

void api__events_stats(struct api_events *ev, int *clients, uint64_t *published, uint64_t *dropped)
{
	*clients = 0;
	*published = *dropped = 0;
	if (!ev)
		return;
	pthread_mutex_lock(&ev->mu);
	*clients = ev->nclients;
	*published = ev->published;
	*dropped = ev->dropped;
	pthread_mutex_unlock(&ev->mu);
}
