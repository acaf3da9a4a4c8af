/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The HTTP server: start it with a configuration, stop it on a signal. Everything else
 * about HTTP (routes, handlers, auth) is internal to src/api/.
 */
#ifndef GRIDGOV_API_H
#define GRIDGOV_API_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/cidr.h"
#include "gridgov/err.h"
#include "gridgov/track.h"

struct api_config {
	const char *dsn;	     /* database */
	const char *read_dsn;	     /* a standby for read-only routes (NULL = none) */
	int read_primary_ms; /* a caller's reads go to the primary this long after a write */
	int read_max_lag_ms; /* a standby further behind serves no reads (0 = no limit) */
	int province;	     /* a province database: summaries by subscription, read-only */
	const char *host;	     /* listen address, "127.0.0.1" */
	int port;		     /* 0 = any free port (see api_server_port) */
	int threads;		     /* polling threads (0 = one per core) */
	int workers;		     /* threads for blocking requests (0 = 2 per core, >= 4) */
	size_t body_max;	     /* JSON body limit in bytes (uploads have their own) */
	int64_t token_ttl;	     /* seconds a login token lives */
	int lock_after;		     /* failed logins from one address that lock a name there */
	int64_t lock_secs;	     /* how long it stays locked */
	int lock_after_all;	     /* failed logins from all addresses that lock a name for all */
	double login_rate;	     /* login attempts a minute per client address; 0 = no limit */
	int test_clock;		     /* expose POST /api/v1/test/clock (tests only) */
	int access_log;		     /* one JSON line per request on stderr */
	const char *web_dir;	     /* built web UI served at / ("" = none) */
	const char *media_dir;	     /* photos and files (content-addressed); "" = beside the db */
	const char *hotline_webhook; /* http:// URL for hotline status changes; NULL = none */
	const char *hotline_secret;  /* HMAC-SHA256 key of the webhook's bodies */
	int max_connections;	     /* open connections at most (default 512) */
	int per_ip_connections;	     /* from one client address at most (default 64; 0 = any) */
	int header_timeout;	     /* seconds to send a request's headers (15; 0 = none) */
	int body_timeout;	     /* seconds to send a request's body (300; 0 = none) */
	int idle_timeout;	     /* seconds a connection may stay silent (60) */
	int sse_clients;	     /* live event streams at once (64); more are 503 */
	int sse_heartbeat;	     /* seconds between comments on an idle event stream (15) */
	double report_rate;	     /* citizen reports a minute per client address; 0 = no limit */
	int image_decoders;	     /* photos decoded at once (2); more wait their turn */
	size_t image_memory;	     /* bytes one photo's decoding may hold (256 MiB) */
	double lookup_rate;	     /* person lookups by ID number a minute per user (20) */
	double public_rate;	     /* tracking-code lookups and ratings a minute per address */
	const char *jurisdiction;    /* Open311 jurisdiction_id served; NULL = ignore the field */
	/* reverse proxies whose X-Forwarded-For names the client (none = the peer) */
	struct cidr trusted_proxies[CIDR_MAX];
	size_t ntrusted_proxies;
	/* patrol tracks (issue 15): the OsmAnd listener (port -1 = none) and the cleaning,
	 * patrol and retention settings (serve --track-config) */
	const char *osmand_host;
	int osmand_port;
	int osmand_connections; /* connections (each a thread) at most (256) */
	double osmand_rate;	/* requests a minute per client address; 0 = no limit */
	struct track_config track;
};

/**
 * Defaults: 127.0.0.1:8080, polling threads and workers from the core count, 1 MiB bodies,
 * 8 h tokens, lock after 5 for 15 min.
 */
void api_config_defaults(struct api_config *cfg);

struct api_server;

/** Open the database, start the server's threads and listen. Stop with api_server_stop. */
int api_server_start(const struct api_config *cfg, struct api_server **out,
		     struct err *err) GG_WUR;
/** The port actually bound (useful when cfg->port was 0). */
int api_server_port(const struct api_server *s);
/** The OsmAnd listener's bound port, -1 when there is none. */
int api_server_osmand_port(const struct api_server *s);
/** Stop accepting, finish requests in flight, flush, close the database. */
void api_server_stop(struct api_server *s);

#endif
