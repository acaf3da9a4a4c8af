/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The in-process broadcaster behind GET /api/v1/events (Server-Sent Events): committed
 * case writes go into a bounded ring, and each connected screen reads the ring from its
 * own position, filtered by its session's role and scope. Writers never wait for a
 * screen: one that falls a whole ring behind is dropped (it reconnects and resumes with
 * Last-Event-ID while the ring still holds its position). No libmicrohttpd here: server.c
 * parks and wakes the connections through the two callbacks given at creation.
 */
#ifndef GRIDGOV_API_EVENTS_H
#define GRIDGOV_API_EVENTS_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "gridgov/role.h"
#include "gridgov/store_case.h"

/* events kept for slow readers and Last-Event-ID; a reader further behind is dropped */
#define API_EVENTS_RING 512

struct api_events;
struct api_sse;

/** What a connection does when it has nothing to send / when there is news (server.c). */
struct api_sse_io {
	void (*park)(void *conn); /* called with the broadcaster's lock held */
	void (*wake)(void *conn); /* idem; only for a parked connection */
};

/**
 * A broadcaster for at most max_clients connections at once, sending a comment line to
 * each connection idle for heartbeat_s seconds. Free with api__events_free.
 */
struct api_events *api__events_new(int max_clients, int heartbeat_s, const struct api_sse_io *io);
/** Stop the heartbeat thread and end every stream (their connections are woken). */
void api__events_shutdown(struct api_events *ev);
/** After the daemon stopped (no connection left). */
void api__events_free(struct api_events *ev);

/**
 * Announce case c (committed), changed by action ("create", "dispatch", …). Never blocks
 * beyond the broadcaster's lock; readers a whole ring behind are dropped.
 */
void api__events_case(struct api_events *ev, const struct store_case *c, const char *action);

/**
 * A new stream for principal who on connection conn, resuming after last_id (the
 * Last-Event-ID header, or NULL). GG_EUNAVAIL when max_clients streams are open or the
 * server is stopping. The stream is the caller's until api__sse_close.
 */
int api__sse_open(struct api_events *ev, const struct principal *who, const char *last_id,
		  void *conn, struct api_sse **out);
/**
 * Up to max bytes of the stream into buf: > 0 bytes written; 0 when nothing is due (the
 * connection was parked through io.park and is woken when there is); -1 at the end (the
 * server stops) and -2 when the reader was dropped for falling behind.
 */
ssize_t api__sse_read(struct api_sse *s, char *buf, size_t max);
/** The stream's connection is gone: forget it. */
void api__sse_close(struct api_sse *s);

/** Counters for /metrics: open streams, events published, streams dropped as slow. */
void api__events_stats(struct api_events *ev, int *clients, uint64_t *published, uint64_t *dropped);

#endif
