/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The connections' deadlines (cfg.header_timeout, body_timeout, idle_timeout): a list of
 * the open connections with the phase each is in, kept by libmicrohttpd's connection
 * notices and server.c's phase changes, and a thread that shuts down those past their
 * phase's deadline.
 */
#include <microhttpd.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#include "api/api_int.h"
#include "api/reaper.h"
#include "gridgov/clock.h"
#include "gridgov/xalloc.h"

/*
 * One TCP connection, from accept to close, for the deadlines libmicrohttpd lacks: its
 * timeout is an idle timeout that every byte resets, so a client sending a header line
 * every few seconds would hold its connection for ever. The reaper thread shuts down
 * connections that spend longer than cfg.header_timeout on a new connection's first
 * headers, cfg.body_timeout on a body, or cfg.idle_timeout between the answer and the
 * next request's headers on a kept-alive one (clients reuse idle connections late, so
 * that gap gets the longer idle allowance, still a bound).
 */
struct conn_watch {
	struct conn_watch *prev, *next;
	int fd;
	enum api_conn_phase phase;
	uint64_t since; /* clock_mono_ns when the phase began */
};

struct api_reaper {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn_watch head; /* circular list of open connections */
	pthread_t thread;
	int running, stop;
	uint64_t header_ns, body_ns, idle_ns;
	unsigned long long reaped;
};

void api__watch_phase(struct MHD_Connection *c, struct api_server *srv, enum api_conn_phase p)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_SOCKET_CONTEXT);
	struct conn_watch *w = ci ? ci->socket_context : NULL;
	if (!w || !srv->reaper)
		return;
	pthread_mutex_lock(&srv->reaper->mu);
	w->phase = p;
	w->since = clock_mono_ns();
	pthread_mutex_unlock(&srv->reaper->mu);
}

void api__on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode code)
{
	struct api_server *srv = cls;
	struct api_reaper *rp = srv->reaper;
	if (!rp)
		return;
	if (code == MHD_CONNECTION_NOTIFY_STARTED) {
		const union MHD_ConnectionInfo *ci =
		    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CONNECTION_FD);
		struct conn_watch *w = xcalloc(1, sizeof(*w));
		w->fd = ci ? ci->connect_fd : -1;
		w->phase = API_PHASE_HEADERS;
		w->since = clock_mono_ns();
		pthread_mutex_lock(&rp->mu);
		w->next = rp->head.next;
		w->prev = &rp->head;
		rp->head.next->prev = w;
		rp->head.next = w;
		pthread_mutex_unlock(&rp->mu);
		*socket_context = w;
	} else if (code == MHD_CONNECTION_NOTIFY_CLOSED && *socket_context) {
		struct conn_watch *w = *socket_context;
		/* libmicrohttpd closes the socket after this: the reaper never sees a reused fd */
		pthread_mutex_lock(&rp->mu);
		w->prev->next = w->next;
		w->next->prev = w->prev;
		pthread_mutex_unlock(&rp->mu);
		free(w);
		*socket_context = NULL;
	}
}

static void *reaper_main(void *arg)
{
	struct api_server *srv = arg;
	struct api_reaper *rp = srv->reaper;
	pthread_mutex_lock(&rp->mu);
	while (!rp->stop) {
		uint64_t now = clock_mono_ns();
		for (struct conn_watch *w = rp->head.next; w != &rp->head; w = w->next) {
			uint64_t limit = w->phase == API_PHASE_HEADERS ? rp->header_ns
					 : w->phase == API_PHASE_BODY  ? rp->body_ns
					 : w->phase == API_PHASE_IDLE  ? rp->idle_ns
								       : 0;
			if (limit && w->fd >= 0 && now - w->since > limit) {
				shutdown(w->fd,
					 SHUT_RDWR); /* libmicrohttpd sees the end and closes */
				w->phase = API_PHASE_ANSWER;
				rp->reaped++;
			}
		}
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250 * 1000 * 1000;
		if (ts.tv_nsec >= 1000000000) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000;
		}
		pthread_cond_timedwait(&rp->cv, &rp->mu, &ts);
	}
	pthread_mutex_unlock(&rp->mu);
	return NULL;
}

struct api_reaper *api__reaper_new(const struct api_config *cfg)
{
	struct api_reaper *rp = xcalloc(1, sizeof(*rp));
	pthread_mutex_init(&rp->mu, NULL);
	pthread_cond_init(&rp->cv, NULL);
	rp->head.next = rp->head.prev = &rp->head;
	rp->header_ns = (uint64_t)cfg->header_timeout * 1000000000ull;
	rp->body_ns = (uint64_t)cfg->body_timeout * 1000000000ull;
	rp->idle_ns = cfg->header_timeout > 0 && cfg->idle_timeout > 0
			  ? (uint64_t)cfg->idle_timeout * 1000000000ull
			  : 0;
	return rp;
}

void api__reaper_stop(struct api_reaper *rp)
{
	if (!rp || !rp->running)
		return;
	pthread_mutex_lock(&rp->mu);
	rp->stop = 1;
	pthread_cond_signal(&rp->cv);
	pthread_mutex_unlock(&rp->mu);
	pthread_join(rp->thread, NULL);
	rp->running = 0;
}

void api__reaper_start(struct api_server *srv)
{
	if (pthread_create(&srv->reaper->thread, NULL, reaper_main, srv) == 0)
		srv->reaper->running = 1;
}

/* After the daemon stopped: every connection has been closed and unlinked. */
void api__reaper_free(struct api_reaper *rp)
{
	if (!rp)
		return;
	api__reaper_stop(rp);
	pthread_mutex_destroy(&rp->mu);
	pthread_cond_destroy(&rp->cv);
	free(rp);
}

unsigned long long api__reaped(struct api_server *srv)
{
	if (!srv->reaper)
		return 0;
	pthread_mutex_lock(&srv->reaper->mu);
	unsigned long long n = srv->reaper->reaped;
	pthread_mutex_unlock(&srv->reaper->mu);
	return n;
}
