/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The OsmAnd listener (`serve --osmand-listen HOST:PORT`, Traccar's port 5055): a second
 * libmicrohttpd daemon in the server's process that takes positions as Traccar's own
 * server does (a query string, a form body, Traccar Client's JSON object or an array of
 * fixes), so phones need no other client. Each request is one write step of the writer's
 * group commit: the fixes are cleaned against their device's last accepted fix and stored,
 * accepted or rejected with the filter's name, and the answer (200; 400 for a malformed
 * fix; 404 for an unknown device, and then nothing of the request is kept) goes out once
 * it is durable.
 *
 * A connection's thread waits for its commit (a thread per connection, at most
 * --osmand-connections of them, 16 per address, small stacks): many phones' requests
 * then share one commit. Bodies are capped (512 KiB, refused by Content-Length before they
 * are read); connections idle 30 s are closed; with --osmand-rate an address past its
 * requests a minute is answered 429 with Retry-After; nothing else is buffered.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"
#include "gridgov/rate.h"
#include "gridgov/store_track.h"
#include "gridgov/xalloc.h"

#define OSMAND_BODY_MAX	 (512u << 10)
#define OSMAND_DRAIN_MAX (16u << 20)

struct osmand_ctx {
	struct buf body;
	int too_big;
	int limited; /* over --osmand-rate: 429 once the body is drained */
	int64_t retry_ms;
};

struct osmand_batch {
	struct api_server *srv;
	struct arena *a;
	struct track_fix *fix;
	size_t n;
	int64_t now_ms;
	int64_t stored, rejected;
};

/* The write step: the domain layer cleans and stores the batch. */
static int osmand_write(struct store *db, void *arg, struct err *err)
{
	struct osmand_batch *b = arg;
	return svc_track_ingest(db, &b->srv->cfg.track, b->a, b->fix, b->n, b->now_ms, &b->stored,
				&b->rejected, err);
}

struct get_args {
	struct track_fix *f;
	struct err *err;
	int rc, n;
};

static enum MHD_Result get_arg(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *value)
{
	struct get_args *g = cls;
	(void)kind;
	g->n++;
	if (!key || !*key)
		return MHD_YES;
	g->rc = track_fix_set(g->f, key, value ? value : "", g->err);
	return g->rc ? MHD_NO : MHD_YES;
}

/* Decode the request into b->fix; GG_OK or the error to answer. */
static int decode(struct MHD_Connection *c, struct osmand_ctx *x, struct osmand_batch *b,
		  struct err *err)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (ct && !strncasecmp(ct, "application/json", 16))
		return track_parse_json(b->a, x->body.p, x->body.len, b->now_ms, TRACK_BATCH_MAX,
					&b->fix, &b->n, err);
	b->fix = arena_alloc(b->a, sizeof(*b->fix));
	b->n = 1;
	track_fix_init(b->fix);
	struct get_args g = {b->fix, err, 0, 0};
	MHD_get_connection_values(c, MHD_GET_ARGUMENT_KIND, get_arg, &g);
	if (g.rc) {
		track_fix_drop(b->fix);
		return g.rc;
	}
	if (g.n)
		return track_fix_finish(b->a, b->fix, b->now_ms, err);
	/* Traccar reads the body as a query string when the URL has none */
	return track_parse_form(b->a, x->body.p, x->body.len, b->now_ms, b->fix, err);
}

static enum MHD_Result answer(struct MHD_Connection *c, int status, const char *text)
{
	size_t n = strlen(text);
	struct MHD_Response *res =
	    MHD_create_response_from_buffer(n, (void *)text, MHD_RESPMEM_MUST_COPY);
	MHD_add_response_header(res, "Content-Type", "text/plain; charset=utf-8");
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)status, res);
	MHD_destroy_response(res);
	return ok;
}

static enum MHD_Result answer_err(struct MHD_Connection *c, const struct err *err)
{
	char msg[320];
	snprintf(msg, sizeof(msg), "%s: %s\n", err_code_name(err->code), err_msg(err));
	return answer(c, err_http_status(err->code), msg);
}

/* --osmand-rate: a token from the client address's bucket, or the wait in *retry_ms. */
static int rate_ok(struct api_server *srv, struct MHD_Connection *c, int64_t *retry_ms)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char key[80] = "osmand:";
	if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET)
		inet_ntop(AF_INET, &((const struct sockaddr_in *)ci->client_addr)->sin_addr,
			  key + 7, sizeof(key) - 7);
	else if (ci && ci->client_addr && ci->client_addr->sa_family == AF_INET6)
		inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)ci->client_addr)->sin6_addr,
			  key + 7, sizeof(key) - 7);
	double rate = srv->cfg.osmand_rate;
	return rate_take(srv->report_limiter, key, clock_now_ms(), rate, rate, retry_ms);
}

static enum MHD_Result answer_limited(struct MHD_Connection *c, int64_t retry_ms)
{
	struct MHD_Response *res = MHD_create_response_from_buffer(
	    33, (void *)"rate_limited: too many requests\n", MHD_RESPMEM_PERSISTENT);
	char after[24];
	snprintf(after, sizeof(after), "%lld", (long long)(retry_ms + 999) / 1000);
	MHD_add_response_header(res, "Retry-After", after);
	MHD_add_response_header(res, "Content-Type", "text/plain; charset=utf-8");
	enum MHD_Result ok = MHD_queue_response(c, 429, res);
	MHD_destroy_response(res);
	return ok;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct api_server *srv = cls;
	struct osmand_ctx *x = *con_cls;
	(void)url;
	(void)version;
	if (!x) {
		x = xcalloc(1, sizeof(*x));
		buf_init(&x->body, OSMAND_BODY_MAX);
		*con_cls = x;
		if (strcmp(method, "GET") && strcmp(method, "POST"))
			return answer(c, 405, "method_not_allowed: GET or POST\n");
		/* over the rate: 429 once the body is drained */
		if (srv->cfg.osmand_rate > 0 && !rate_ok(srv, c, &x->retry_ms))
			x->limited = 1;
		const char *cl =
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
		/* drain a moderately large body and answer after it, so the client reads the
		 * 413 rather than a reset; refuse a huge one at once */
		if (declared > OSMAND_DRAIN_MAX)
			return answer(c, 413, "payload_too_large: at most 512 KiB\n");
		x->too_big = declared > OSMAND_BODY_MAX;
		return MHD_YES;
	}
	if (*upload_size) {
		if (!x->too_big) {
			buf_add(&x->body, upload, *upload_size);
			if (buf_overflowed(&x->body)) {
				x->too_big = 1;
				buf_release(&x->body);
			}
		}
		*upload_size = 0;
		return MHD_YES;
	}
	if (x->too_big)
		return answer(c, 413, "payload_too_large: at most 512 KiB\n");
	if (x->limited)
		return answer_limited(c, x->retry_ms);
	struct err err = ERR_INIT;
	struct osmand_batch b = {.srv = srv, .a = arena_new(), .now_ms = clock_now_ms()};
	int r = decode(c, x, &b, &err);
	if (!r)
		r = api__write_store(srv, osmand_write, &b, &err);
	enum MHD_Result ok;
	if (r) {
		if (err_http_status(r) >= 500)
			log_warn("osmand: %s", err_msg(&err));
		if (!err.code)
			err.code = r;
		ok = answer_err(c, &err);
	} else {
		ok = answer(c, 200, "");
	}
	arena_free(b.a);
	return ok;
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct osmand_ctx *x = *con_cls;
	(void)cls;
	(void)c;
	(void)toe;
	if (!x)
		return;
	buf_release(&x->body);
	free(x);
	*con_cls = NULL;
}

/* ---- retention: old days of positions dropped once an hour ------------------------ */

static int retain_step(struct store *db, void *arg, struct err *err)
{
	int64_t *cut = arg, dropped = 0;
	int r = store_position_retain(db, *cut, &dropped, err);
	if (!r && dropped)
		log_info("positions: dropped %lld before %lld (track.retentionDays)",
			 (long long)dropped, (long long)*cut);
	return r;
}

static void *retain_main(void *arg)
{
	struct api_server *srv = arg;
	pthread_mutex_lock(&srv->retain_lock);
	while (!srv->retain_stop) {
		pthread_mutex_unlock(&srv->retain_lock);
		/* the CST day retentionDays before today's starts the days kept */
		int64_t day = clock_local_day(clock_now()) - srv->cfg.track.retention_days;
		int64_t cut = clock_day_start(day) * 1000;
		struct err err = ERR_INIT;
		if (api__write_store(srv, retain_step, &cut, &err))
			log_warn("positions: retention failed: %s", err_msg(&err));
		pthread_mutex_lock(&srv->retain_lock);
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 3600;
		while (!srv->retain_stop &&
		       pthread_cond_timedwait(&srv->retain_cv, &srv->retain_lock, &ts) == 0)
			;
	}
	pthread_mutex_unlock(&srv->retain_lock);
	return NULL;
}

static int osmand_listen(struct api_server *srv, struct err *err)
{
	const struct api_config *cfg = &srv->cfg;
	if (cfg->osmand_port < 0)
		return GG_OK;
	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->osmand_port);
	if (inet_pton(AF_INET, cfg->osmand_host, &sa.sin_addr) != 1)
		return err_set(err, GG_EINVAL, "cannot listen on '%s': not an IPv4 address",
			       cfg->osmand_host);
	unsigned conns = cfg->osmand_connections > 0 ? (unsigned)cfg->osmand_connections : 256u;
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION | MHD_USE_ERROR_LOG, 0,
	    NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, srv, MHD_OPTION_CONNECTION_LIMIT, conns,
	    MHD_OPTION_PER_IP_CONNECTION_LIMIT, 16u, MHD_OPTION_CONNECTION_TIMEOUT, 30u,
	    MHD_OPTION_THREAD_STACK_SIZE, (size_t)(1u << 20), MHD_OPTION_LISTENING_ADDRESS_REUSE,
	    1u, MHD_OPTION_END);
	if (!d)
		return err_set(err, GG_EIO, "cannot listen for OsmAnd on %s:%d (in use?)",
			       cfg->osmand_host, cfg->osmand_port);
	srv->osmand = d;
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	srv->osmand_port = di ? di->port : cfg->osmand_port;
	return GG_OK;
}

int api__osmand_start(struct api_server *srv, struct err *err)
{
	int r = osmand_listen(srv, err);
	if (r || srv->cfg.track.retention_days <= 0)
		return r;
	pthread_mutex_init(&srv->retain_lock, NULL);
	pthread_cond_init(&srv->retain_cv, NULL);
	if (pthread_create(&srv->retain_thread, NULL, retain_main, srv) == 0)
		srv->retain_running = 1;
	else
		log_warn("cannot start the positions' retention");
	return GG_OK;
}

void api__osmand_stop(struct api_server *srv)
{
	if (srv->osmand)
		MHD_stop_daemon(srv->osmand);
	srv->osmand = NULL;
	if (srv->retain_running) {
		pthread_mutex_lock(&srv->retain_lock);
		srv->retain_stop = 1;
		pthread_cond_broadcast(&srv->retain_cv);
		pthread_mutex_unlock(&srv->retain_lock);
		pthread_join(srv->retain_thread, NULL);
		srv->retain_running = 0;
	}
}

int api_server_osmand_port(const struct api_server *s)
{
	return s->osmand ? s->osmand_port : -1;
}
