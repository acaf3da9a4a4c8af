/* SPDX-License-Identifier: Apache-2.0 */
/* The connections' deadlines (reaper.c), for server.c: both speak to libmicrohttpd. */
#ifndef GRIDGOV_API_REAPER_H
#define GRIDGOV_API_REAPER_H

#include <microhttpd.h>

#include "api/api_int.h"

/** Where a connection stands: each phase has its deadline (none while answering). */
enum api_conn_phase { API_PHASE_HEADERS, API_PHASE_BODY, API_PHASE_ANSWER, API_PHASE_IDLE };
struct api_reaper *api__reaper_new(const struct api_config *cfg);
/** Start the thread that shuts down connections past their deadline. */
void api__reaper_start(struct api_server *srv);
void api__reaper_stop(struct api_reaper *rp);
/** After the daemon stopped (every connection closed); stops the thread too. */
void api__reaper_free(struct api_reaper *rp);
/** libmicrohttpd's connection notice (MHD_OPTION_NOTIFY_CONNECTION, cls the server). */
void api__on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
			enum MHD_ConnectionNotificationCode code);
/** Connection c enters phase p: its deadline starts now. */
void api__watch_phase(struct MHD_Connection *c, struct api_server *srv, enum api_conn_phase p);

#endif
