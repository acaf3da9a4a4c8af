/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The file that speaks to libmicrohttpd (with reaper.c, the connections' deadlines): it
 * collects each request's body under its size cap, hands the request to the dispatcher,
 * sends the answer, writes the access log line and records metrics. Also owns the
 * server's lifecycle and its connection pool.
 *
 * libmicrohttpd runs a few polling threads (epoll, one per core by default) that never
 * wait: a request whose write step goes to the writer is suspended until the commit
 * resumes it (api_write_then), and a route that may block (reads that scan, logins,
 * uploads, handlers that wait for the writer) runs on a worker thread while its
 * connection is suspended. So many connections share few threads, and a long read
 * cannot hold up the connections that share its polling thread.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

#include "api/api_int.h"
#include "api/events.h"
#include "api/reaper.h"
#include "gridgov/rate.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"
#include "gridgov/media.h"
#include "gridgov/sec.h"
#include "gridgov/store_province.h"
#include "gridgov/store_stats.h"
#include "gridgov/utf8.h"
#include "gridgov/xalloc.h"

#define UPLOAD_MAX  API_UPLOAD_MAX
#define DRAIN_MAX   (64ull << 20)
#define WORKER_NICE 5

/* Where a request stands once its body is in. */
enum conn_state {
	X_READ,	     /* collecting the headers and body */
	X_QUEUED,    /* suspended: a worker runs the whole dispatch */
	X_ANSWERED,  /* the worker is done: send the answer */
	X_COMMITTED, /* suspended for its write step, now committed: finish and answer */
};

struct conn_ctx {
	struct api_req req; /* first: api__resume finds the context from the request */
	enum conn_state state;
	int inline_ok;		/* the route never blocks: run it on the polling thread */
	struct conn_ctx *qnext; /* the workers' queue */
	struct buf body;
	int too_big;
	uint64_t t0;
	struct MHD_PostProcessor *pp; /* multipart uploads */
	struct api_part *last;
	size_t upload_bytes;
	int bad_form;
};

void api_config_defaults(struct api_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->host = "127.0.0.1";
	cfg->port = 8080;
	cfg->read_primary_ms = 5000;
	cfg->read_max_lag_ms = 10000;
	cfg->threads = 0;
	cfg->workers = 0;
	cfg->body_max = 1u << 20;
	cfg->token_ttl = 8 * 3600;
	cfg->lock_after = 5;
	cfg->lock_secs = 15 * 60;
	cfg->lock_after_all = 20;
	cfg->login_rate = 60;
	cfg->access_log = 1;
	cfg->web_dir = "";
	cfg->media_dir = "";
	cfg->report_rate = 6;
	cfg->max_connections = 512;
	cfg->per_ip_connections = 64;
	cfg->header_timeout = 15;
	cfg->body_timeout = 300;
	cfg->idle_timeout = 60;
	cfg->sse_clients = 64;
	cfg->sse_heartbeat = 15;
	cfg->public_rate = 30;
	cfg->lookup_rate = 20;
	cfg->image_decoders = 2;
	cfg->image_memory = 256u << 20;
	cfg->osmand_host = "127.0.0.1";
	cfg->osmand_port = -1;
	cfg->osmand_connections = 256;
	track_config_defaults(&cfg->track);
}

/* ---- connection pools --------------------------------------------------------- */

/*
 * Two pools share one lock: the primary's (srv->pool) and, with --read-db, the standby's
 * (srv->rpool). A thread holds at most one connection of either at a time.
 */
static struct store *pool_take(struct api_server *srv, struct store **v, int *used, int size,
			       int *nfree)
{
	pthread_mutex_lock(&srv->pool_lock);
	while (*nfree == 0)
		pthread_cond_wait(&srv->pool_cv, &srv->pool_lock);
	struct store *s = NULL;
	for (int i = 0; i < size; i++)
		if (!used[i]) {
			used[i] = 1;
			(*nfree)--;
			s = v[i];
			break;
		}
	pthread_mutex_unlock(&srv->pool_lock);
	return s;
}

struct store *api__pool_get(struct api_server *srv)
{
	return pool_take(srv, srv->pool, srv->pool_used, srv->pool_size, &srv->pool_free);
}

struct store *api__rpool_get(struct api_server *srv)
{
	return pool_take(srv, srv->rpool, srv->rpool_used, srv->rpool_size, &srv->rpool_free);
}

void api__pool_put(struct api_server *srv, struct store *s)
{
	pthread_mutex_lock(&srv->pool_lock);
	for (int i = 0; i < srv->pool_size; i++)
		if (srv->pool[i] == s) {
			srv->pool_used[i] = 0;
			srv->pool_free++;
		}
	for (int i = 0; i < srv->rpool_size; i++)
		if (srv->rpool[i] == s) {
			srv->rpool_used[i] = 0;
			srv->rpool_free++;
		}
	/* waiters of both pools wait on one condition: wake them all */
	pthread_cond_broadcast(&srv->pool_cv);
	pthread_mutex_unlock(&srv->pool_lock);
}

int api__pool_open_count(struct api_server *srv)
{
	return srv->pool_size + srv->rpool_size + (srv->writer ? 1 : 0);
}

/* ---- suspended connections and the workers --------------------------------------- */

/*
 * Count a connection about to be suspended; 0 when the server is stopping (it then runs
 * the request on the polling thread, waiting as it must): libmicrohttpd may not stop
 * with connections suspended. Counting before reading the flag closes the race with
 * api_server_stop, which sets the flag and then waits for the count to drop to zero.
 */
static int may_suspend(struct api_server *srv)
{
	atomic_fetch_add(&srv->suspended, 1);
	if (!atomic_load(&srv->stopping))
		return 1;
	atomic_fetch_sub(&srv->suspended, 1);
	return 0;
}

void api__suspend(struct api_req *r)
{
	MHD_suspend_connection(r->conn);
}

void api__resume(struct api_req *r)
{
	struct conn_ctx *x = (struct conn_ctx *)r;
	x->state = X_COMMITTED;
	MHD_resume_connection(r->conn);
}

struct api_workers {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct conn_ctx *head, *tail;
	pthread_t *threads;
	int n, stop;
};

static void *worker_main(void *arg)
{
	struct api_server *srv = arg;
	struct api_workers *wk = srv->workers;
	/*
	 * Below the polling threads and the writer (Linux nices threads one by one): a long
	 * read then takes the CPU the intake leaves, not the intake's share of it.
	 */
	if (setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), WORKER_NICE) != 0)
		log_warn("workers run at the server's priority");
	pthread_mutex_lock(&wk->mu);
	for (;;) {
		while (!wk->head && !wk->stop)
			pthread_cond_wait(&wk->cv, &wk->mu);
		if (!wk->head)
			break;
		struct conn_ctx *x = wk->head;
		wk->head = x->qnext;
		if (!wk->head)
			wk->tail = NULL;
		pthread_mutex_unlock(&wk->mu);
		struct MHD_Connection *c = x->req.conn;
		x->req.async = 0; /* here waiting for the writer is allowed */
		api__dispatch(&x->req);
		x->state = X_ANSWERED;
		MHD_resume_connection(c); /* x is the polling thread's again */
		pthread_mutex_lock(&wk->mu);
	}
	pthread_mutex_unlock(&wk->mu);
	return NULL;
}

static void workers_push(struct api_workers *wk, struct conn_ctx *x)
{
	x->qnext = NULL;
	pthread_mutex_lock(&wk->mu);
	if (wk->tail)
		wk->tail->qnext = x;
	else
		wk->head = x;
	wk->tail = x;
	pthread_cond_signal(&wk->cv);
	pthread_mutex_unlock(&wk->mu);
}

static int workers_start(struct api_server *srv, int n)
{
	struct api_workers *wk = xcalloc(1, sizeof(*wk));
	pthread_mutex_init(&wk->mu, NULL);
	pthread_cond_init(&wk->cv, NULL);
	wk->threads = xcalloc((size_t)n, sizeof(*wk->threads));
	srv->workers = wk;
	for (; wk->n < n; wk->n++)
		if (pthread_create(&wk->threads[wk->n], NULL, worker_main, srv) != 0)
			return wk->n ? GG_OK : GG_EINTERNAL;
	return GG_OK;
}

/* After the daemon stopped: the queue is empty, the threads idle. */
static void workers_stop(struct api_server *srv)
{
	struct api_workers *wk = srv->workers;
	if (!wk)
		return;
	pthread_mutex_lock(&wk->mu);
	wk->stop = 1;
	pthread_cond_broadcast(&wk->cv);
	pthread_mutex_unlock(&wk->mu);
	for (int i = 0; i < wk->n; i++)
		pthread_join(wk->threads[i], NULL);
	pthread_mutex_destroy(&wk->mu);
	pthread_cond_destroy(&wk->cv);
	free(wk->threads);
	free(wk);
	srv->workers = NULL;
}

/* Let every suspended connection finish, so that the daemon may stop. */
static void drain_suspended(struct api_server *srv)
{
	atomic_store(&srv->stopping, 1);
	for (int i = 0; atomic_load(&srv->suspended) > 0; i++) {
		if (i == 60000) {
			log_error("%d requests still waiting after 60 s at shutdown",
				  atomic_load(&srv->suspended));
			break;
		}
		nanosleep(&(struct timespec){.tv_nsec = 1000000}, NULL);
	}
}

/* ---- request handling --------------------------------------------------------- */

const char *api_query(struct api_req *r, const char *key)
{
	const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, key);
	return v && *v ? v : NULL;
}

const char *api_header(struct api_req *r, const char *name)
{
	return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

struct joined {
	struct arena *a;
	const char *name;
	const char *out;
};

static enum MHD_Result join_header(void *cls, enum MHD_ValueKind kind, const char *key,
				   const char *value)
{
	struct joined *j = cls;
	(void)kind;
	if (key && value && !strcasecmp(key, j->name))
		j->out =
		    j->out ? arena_printf(j->a, "%s,%s", j->out, value) : arena_strdup(j->a, value);
	return MHD_YES;
}

const char *api_header_all(struct api_req *r, const char *name)
{
	struct joined j = {r->arena, name, NULL};
	MHD_get_connection_values(r->conn, MHD_HEADER_KIND, join_header, &j);
	return j.out;
}

struct query_check {
	const char *key;
	enum utf8_fault fault;
};

static enum MHD_Result query_arg(void *cls, enum MHD_ValueKind kind, const char *key,
				 const char *value)
{
	struct query_check *q = cls;
	(void)kind;
	q->fault = utf8_check_str(key);
	if (!q->fault && value)
		q->fault = utf8_check_str(value);
	if (!q->fault)
		return MHD_YES;
	q->key = key;
	return MHD_NO;
}

int api__query_check(struct api_req *r)
{
	struct query_check q = {0};
	MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, query_arg, &q);
	if (!q.fault)
		return GG_OK;
	struct buf name = BUF_INIT;
	utf8_scrub(&name, q.key, strlen(q.key));
	int rc = err_field(&r->err, GG_EFIELD, name.p, "query argument '%s' %s", name.p,
			   utf8_fault_text(q.fault));
	buf_release(&name);
	return rc;
}

static const char *header(struct MHD_Connection *c, const char *name)
{
	return MHD_lookup_connection_value(c, MHD_HEADER_KIND, name);
}

static void access_log(struct conn_ctx *x, int status, size_t bytes)
{
	struct api_req *r = &x->req;
	double ms = (double)(clock_mono_ns() - x->t0) / 1e6;
	api__metrics_record(r->srv->metrics, r->route ? r->route->pattern : "unmatched", r->method,
			    status, ms / 1000.0);
	if (!r->srv->cfg.access_log)
		return;
	char ts[32];
	clock_format_utc(clock_now(), ts, sizeof(ts));
	struct buf b = BUF_INIT;
	/* The path without its query string: queries may carry personal data. */
	buf_addf(&b, "{\"ts\":\"%s\",\"level\":\"info\",\"msg\":\"request\",\"method\":\"", ts);
	buf_add_json_escaped(&b, r->method);
	buf_adds(&b, "\",\"path\":\"");
	buf_add_json_escaped(&b, api__log_path(r));
	buf_adds(&b, "\",\"route\":\"");
	buf_add_json_escaped(&b, r->route ? r->route->pattern : "");
	buf_addf(&b, "\",\"status\":%d,\"ms\":%.2f,\"bytes\":%zu,\"user\":\"", status, ms, bytes);
	buf_add_json_escaped(&b, r->authed ? r->who.name : "");
	buf_adds(&b, "\",\"ip\":\"");
	buf_add_json_escaped(&b, r->client_ip ? r->client_ip : "");
	buf_adds(&b, "\"}");
	log_json_line(b.p);
	buf_release(&b);
}

/* ---- live event streams (GET /api/v1/events; the broadcaster is events.c) ---------- */

/*
 * A stream's connection is parked (suspended) while it has nothing to send and woken by
 * the broadcaster; so an idle screen costs no polling, and it is in the answer phase,
 * which has no deadline. A dead peer is found by the heartbeat's write; one that stops
 * reading fills its socket and meets libmicrohttpd's idle timeout.
 */
static ssize_t sse_reader(void *cls, uint64_t pos, char *buf, size_t max)
{
	(void)pos;
	ssize_t n = api__sse_read(cls, buf, max);
	return n >= 0	 ? n
	       : n == -1 ? MHD_CONTENT_READER_END_OF_STREAM
			 : MHD_CONTENT_READER_END_WITH_ERROR;
}

static void sse_free(void *cls)
{
	api__sse_close(cls);
}

static void sse_park(void *conn)
{
	MHD_suspend_connection(conn);
}

static void sse_wake(void *conn)
{
	MHD_resume_connection(conn);
}

static enum MHD_Result send_stream(struct MHD_Connection *c, struct conn_ctx *x)
{
	struct api_req *r = &x->req;
	struct api_sse *s = r->sse;
	r->sse = NULL; /* the response owns it now: sse_free closes it */
	struct MHD_Response *res =
	    MHD_create_response_from_callback(MHD_SIZE_UNKNOWN, 8192, sse_reader, s, sse_free);
	MHD_add_response_header(res, "Content-Type", "text/event-stream; charset=utf-8");
	MHD_add_response_header(res, "Cache-Control", "no-store");
	MHD_add_response_header(res, "X-Accel-Buffering", "no");
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	api__watch_phase(c, r->srv, API_PHASE_ANSWER);
	enum MHD_Result ok = MHD_queue_response(c, 200, res);
	MHD_destroy_response(res);
	access_log(x, 200, 0);
	return ok;
}

static enum MHD_Result send_answer(struct MHD_Connection *c, struct conn_ctx *x)
{
	struct api_req *r = &x->req;
	if (r->sse && r->err.code == GG_OK)
		return send_stream(c, x);
	if (r->sse) {
		api__sse_close(r->sse);
		r->sse = NULL;
	}
	size_t len;
	const char *type;
	char *body = api__render(r, &len, &type);
	struct MHD_Response *res =
	    MHD_create_response_from_buffer(len, body, MHD_RESPMEM_MUST_FREE);
	MHD_add_response_header(res, "Content-Type", type);
	MHD_add_response_header(res, "X-Content-Type-Options", "nosniff");
	if (r->raw && r->cache_control)
		MHD_add_response_header(res, "Cache-Control", r->cache_control);
	else if (!r->raw || strncmp(r->path, "/assets/", 8) != 0)
		MHD_add_response_header(res, "Cache-Control", "no-store");
	if (r->raw && r->worker_allowed)
		MHD_add_response_header(res, "Service-Worker-Allowed", r->worker_allowed);
	if (r->allow)
		MHD_add_response_header(res, "Allow", r->allow);
	if (r->retry_after)
		MHD_add_response_header(res, "Retry-After", r->retry_after);
	if (r->raw && r->disposition)
		MHD_add_response_header(res, "Content-Disposition", r->disposition);
	api__watch_phase(c, r->srv, API_PHASE_ANSWER);
	enum MHD_Result ok = MHD_queue_response(c, (unsigned)r->status, res);
	MHD_destroy_response(res);
	access_log(x, r->status, len);
	return ok;
}

static void client_ip(struct MHD_Connection *c, struct api_req *r)
{
	const union MHD_ConnectionInfo *ci =
	    MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
	char ip[INET6_ADDRSTRLEN] = "";
	if (ci && ci->client_addr) {
		const struct sockaddr *sa = ci->client_addr;
		if (sa->sa_family == AF_INET)
			inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, ip,
				  sizeof(ip));
		else if (sa->sa_family == AF_INET6)
			inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, ip,
				  sizeof(ip));
	}
	r->client_ip = arena_strdup(r->arena, ip);
}

/* Collect form and multipart fields (api__part_add); MHD calls this for each piece. */
static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	struct conn_ctx *x = cls;
	struct api_req *r = &x->req;
	int rc = api__part_add(r->arena, &r->parts, &x->last, &r->nparts, &x->upload_bytes, key,
			       filename, content_type, data, off, size);
	if (rc == GG_ETOOBIG)
		x->too_big = 1;
	else if (rc)
		x->bad_form = 1;
	(void)kind;
	(void)transfer_encoding;
	return rc ? MHD_NO : MHD_YES;
}

const struct api_part *api_part(struct api_req *r, const char *name)
{
	for (struct api_part *p = r->parts; p; p = p->next)
		if (!strcmp(p->name, name))
			return p;
	return NULL;
}

const char *api_form(struct api_req *r, const char *name)
{
	const struct api_part *p = api_part(r, name);
	return p && !p->filename && p->data.len ? p->data.p : NULL;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	struct api_server *srv = cls;
	struct conn_ctx *x = *con_cls;
	if (!x) {
		x = xcalloc(1, sizeof(*x));
		x->t0 = clock_mono_ns();
		x->req.srv = srv;
		x->req.arena = arena_new();
		x->req.method = arena_strdup(x->req.arena, method);
		x->req.path = arena_strdup(x->req.arena, url);
		x->req.conn = c;
		api__watch_phase(c, srv,
				 API_PHASE_BODY); /* the headers are in: the body's deadline runs */
		client_ip(c, &x->req);
		const struct api_route *rt = api__route_for(&x->req);
		/* no route: a 404, 405 or a file of the web UI, none of which waits */
		x->inline_ok = !rt || (rt->flags & (API_INLINE | API_WRITE));
		int is_upload = rt && (rt->flags & API_UPLOAD);
		size_t max = is_upload ? UPLOAD_MAX : srv->cfg.body_max;
		buf_init(&x->body, max);
		*con_cls = x;
		const char *ct = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
		int is_form = rt && (rt->flags & API_FORM);
		if ((is_upload && ct && !strncasecmp(ct, "multipart/form-data", 19)) ||
		    (is_form && ct && !strncasecmp(ct, "application/x-www-form-urlencoded", 33)))
			x->pp = MHD_create_post_processor(c, 64 * 1024, on_part, x);
		const char *cl = header(c, MHD_HTTP_HEADER_CONTENT_LENGTH);
		unsigned long long declared = cl ? strtoull(cl, NULL, 10) : 0;
		if (declared > max) {
			/* Drain a moderately large body and answer after it, so the client reads
			 * the 413 instead of a reset; refuse a huge one at once. */
			x->too_big = 1;
			if (declared > DRAIN_MAX) {
				err_set(&x->req.err, GG_ETOOBIG, "request body exceeds %zu bytes",
					max);
				return send_answer(c, x);
			}
		}
		return MHD_YES;
	}
	if (*upload_size) {
		if (x->pp && !x->too_big && !x->bad_form) {
			if (MHD_post_process(x->pp, upload, *upload_size) != MHD_YES && !x->too_big)
				x->bad_form = 1;
		} else if (!x->too_big && !x->pp) {
			buf_add(&x->body, upload, *upload_size);
		}
		if (buf_overflowed(&x->body) && !x->too_big) {
			x->too_big = 1;
			buf_release(&x->body);
		}
		*upload_size = 0;
		return MHD_YES;
	}
	struct api_req *r = &x->req;
	if (x->state == X_ANSWERED || x->state == X_COMMITTED) {
		/* resumed: the worker's answer, or the write step's commit to finish */
		atomic_fetch_sub(&srv->suspended, 1);
		if (x->state == X_COMMITTED)
			api__dispatch_resume(r);
		x->state = X_READ;
		return send_answer(c, x);
	}
	if (x->state == X_QUEUED)
		return MHD_YES; /* not resumed yet (libmicrohttpd asks again only once it is) */
	api__watch_phase(c, srv, API_PHASE_ANSWER); /* all in: no deadline while the handler runs */
	if (x->too_big) {
		err_set(&r->err, GG_ETOOBIG, "request body exceeds %zu bytes", x->body.max);
		return send_answer(c, x);
	}
	if (x->pp) {
		MHD_destroy_post_processor(x->pp);
		x->pp = NULL;
	}
	if (x->bad_form) {
		err_set(&r->err, GG_EINVAL,
			"the multipart form is malformed or has more than %d fields",
			API_MAX_PARTS);
		return send_answer(c, x);
	}
	r->body = x->body.p;
	r->body_len = x->body.len;
	r->content_type = header(c, MHD_HTTP_HEADER_CONTENT_TYPE);
	r->api_key = header(c, "X-API-Key");
	const char *auth = header(c, MHD_HTTP_HEADER_AUTHORIZATION);
	if (auth && !strncasecmp(auth, "Bearer ", 7)) {
		char tok[128];
		snprintf(tok, sizeof(tok), "%s", auth + 7);
		sec_token_hash(tok, r->token_hash);
	}
	(void)version;
	if (!x->inline_ok && may_suspend(srv)) {
		x->state = X_QUEUED;
		MHD_suspend_connection(c);
		workers_push(srv->workers, x);
		return MHD_YES;
	}
	r->async = x->inline_ok && may_suspend(srv);
	if (api__dispatch(r) == API_PENDING)
		return MHD_YES; /* suspended: the writer resumes it after the commit */
	if (r->async)
		atomic_fetch_sub(&srv->suspended, 1);
	r->async = 0;
	return send_answer(c, x);
}

static void on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
			 enum MHD_RequestTerminationCode toe)
{
	struct conn_ctx *x = *con_cls;
	if (!x)
		return;
	api__watch_phase(c, x->req.srv,
			 API_PHASE_IDLE); /* keep-alive: until the next request's headers */
	if (x->req.json)
		json_decref(x->req.json);
	if (x->req.res)
		json_decref(x->req.res);
	if (x->req.err_extra)
		json_decref(x->req.err_extra);
	if (x->pp)
		MHD_destroy_post_processor(x->pp);
	api__parts_release(x->req.parts);
	buf_release(&x->body);
	arena_free(x->req.arena);
	free(x);
	*con_cls = NULL;
}

/* ---- lifecycle ----------------------------------------------------------------- */

static void close_pool(struct api_server *srv)
{
	for (int i = 0; i < srv->pool_size; i++)
		store_close(srv->pool[i]);
	free(srv->pool);
	free(srv->pool_used);
	srv->pool = NULL;
	srv->pool_size = 0;
	for (int i = 0; i < srv->rpool_size; i++)
		store_close(srv->rpool[i]);
	free(srv->rpool);
	free(srv->rpool_used);
	srv->rpool = NULL;
	srv->rpool_size = 0;
}

int api_server_start(const struct api_config *cfg, struct api_server **out, struct err *err)
{
	struct api_server *srv = xcalloc(1, sizeof(*srv));
	srv->cfg = *cfg;
	pthread_mutex_init(&srv->pool_lock, NULL);
	pthread_cond_init(&srv->pool_cv, NULL);
	srv->metrics = api__metrics_new();
	srv->recent = xcalloc(API_RECENT_SLOTS, sizeof(*srv->recent));
	srv->report_limiter = rate_new(4096);
	srv->login_guard = api__guard_new();
	srv->auth = api__authcache_new();
	clock_enable_test_mode(cfg->test_clock);
	struct media_budget mb;
	media_budget_defaults(&mb);
	if (cfg->image_decoders > 0)
		mb.decoders = cfg->image_decoders;
	if (cfg->image_memory > 0)
		mb.memory = cfg->image_memory;
	media_budget_set(&mb);
	snprintf(srv->media_dir, sizeof(srv->media_dir), "%s%s",
		 cfg->media_dir && *cfg->media_dir ? cfg->media_dir : cfg->dsn,
		 cfg->media_dir && *cfg->media_dir ? "" : ".media");
	srv->cfg.media_dir = srv->media_dir;

	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	if (cores < 1)
		cores = 1;
	if (srv->cfg.threads < 1)
		srv->cfg.threads = (int)cores;
	if (srv->cfg.workers < 1)
		srv->cfg.workers = cores * 2 > 4 ? (int)cores * 2 : 4;
	/* each polling thread and worker holds at most one pooled connection at a time */
	int n = srv->cfg.threads, nconn = n + srv->cfg.workers, r;
	srv->pool = xcalloc((size_t)nconn, sizeof(*srv->pool));
	srv->pool_used = xcalloc((size_t)nconn, sizeof(int));
	for (int i = 0; i < nconn; i++) {
		if ((r = store_open(cfg->dsn, &srv->pool[i], err)))
			goto fail;
		srv->pool_size++;
	}
	srv->pool_free = nconn;
	if (cfg->read_dsn && *cfg->read_dsn) {
		/* the standby's pool: the same size, for the read-only routes (dispatch.c) */
		srv->rpool = xcalloc((size_t)nconn, sizeof(*srv->rpool));
		srv->rpool_used = xcalloc((size_t)nconn, sizeof(int));
		for (int i = 0; i < nconn; i++) {
			if ((r = store_open(cfg->read_dsn, &srv->rpool[i], err)))
				goto fail;
			srv->rpool_size++;
		}
		srv->rpool_free = nconn;
	}
	int from, to;
	if ((r = store_schema_version(srv->pool[0], &from, err)))
		goto fail;
	if (from == 0) {
		r = err_set(err, GG_EINVAL, "database %s is empty: run 'gridgov init' first",
			    cfg->dsn);
		goto fail;
	}
	/* a database of an older release: its missing migrations, as `gridgov init` applies
	 * them (one at a time, each in its own transaction; on PostgreSQL under the migration
	 * lock, so servers started together apply each once) */
	if ((r = store_migrate(srv->pool[0], &from, &to, err)))
		goto fail;
	if (to != from)
		log_info("database migrated from schema %d to %d", from, to);
	/* summaries missing or kept in another time zone: rebuild before any request */
	int ready = 1;
	struct err se = ERR_INIT;
	if (cfg->province) {
		/* the summaries are the cities' (logical replication): never rebuilt here */
		if ((r = store_province_read(srv->pool[0], 1, err)))
			goto fail;
		for (int i = 1; i < srv->pool_size; i++)
			if ((r = store_province_read(srv->pool[i], 1, err)))
				goto fail;
		for (int i = 0; i < srv->rpool_size; i++)
			if ((r = store_province_read(srv->rpool[i], 1, err)))
				goto fail;
	} else if (store_stats_ready(srv->pool[0], &ready, &se)) {
		log_warn("case summaries unreadable (%s): indicators will read cases", se.msg);
	} else if (!ready) {
		int64_t cases = 0;
		log_info("rebuilding the case summaries");
		if (store_stats_rebuild(srv->pool[0], &cases, &se))
			log_warn("case summaries not rebuilt (%s): indicators will read cases",
				 se.msg);
		else
			log_info("case summaries rebuilt from %lld cases", (long long)cases);
	}
	static const struct api_sse_io sse_io = {sse_park, sse_wake};
	srv->events = api__events_new(srv->cfg.sse_clients, srv->cfg.sse_heartbeat, &sse_io);
	if ((r = api__writer_start(srv, err)))
		goto fail;
	if ((r = api__replica_start(srv, err)))
		goto fail;
	if ((r = api__locator_start(srv, err)))
		goto fail;
	if ((r = workers_start(srv, srv->cfg.workers))) {
		err_set(err, r, "cannot start the worker threads");
		goto fail;
	}

	struct sockaddr_in sa;
	memset(&sa, 0, sizeof(sa));
	sa.sin_family = AF_INET;
	sa.sin_port = htons((uint16_t)cfg->port);
	if (inet_pton(AF_INET, cfg->host, &sa.sin_addr) != 1) {
		r = err_set(err, GG_EINVAL, "cannot listen on '%s': not an IPv4 address",
			    cfg->host);
		goto fail;
	}
	srv->reaper = api__reaper_new(&srv->cfg);
	unsigned max_conn =
	    srv->cfg.max_connections > 0 ? (unsigned)srv->cfg.max_connections : 512u;
	if (max_conn < (unsigned)n)
		max_conn = (unsigned)n; /* libmicrohttpd shares the limit among its threads */
	/* turbo: reads without waiting for epoll to say so, fewer calls per request (about a
	 * tenth of the server's CPU at full intake); the reaper's deadlines are our own */
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_USE_TURBO |
		MHD_ALLOW_SUSPEND_RESUME | MHD_USE_ERROR_LOG,
	    0, NULL, NULL, on_request, srv, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
	    MHD_OPTION_THREAD_POOL_SIZE, (unsigned)(n > 1 ? n : 0), MHD_OPTION_NOTIFY_COMPLETED,
	    on_completed, srv, MHD_OPTION_NOTIFY_CONNECTION, api__on_connection, srv,
	    MHD_OPTION_CONNECTION_LIMIT, max_conn, MHD_OPTION_PER_IP_CONNECTION_LIMIT,
	    (unsigned)(srv->cfg.per_ip_connections > 0 ? srv->cfg.per_ip_connections : 0),
	    MHD_OPTION_CONNECTION_TIMEOUT,
	    (unsigned)(srv->cfg.idle_timeout > 0 ? srv->cfg.idle_timeout : 60),
	    MHD_OPTION_LISTENING_ADDRESS_REUSE, 1u, MHD_OPTION_END);
	if (!d) {
		r = err_set(err, GG_EIO, "cannot listen on %s:%d (in use?)", cfg->host, cfg->port);
		goto fail;
	}
	srv->daemon = d;
	if (srv->cfg.header_timeout > 0 || srv->cfg.body_timeout > 0)
		api__reaper_start(srv);
	const union MHD_DaemonInfo *di = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT);
	srv->port = di ? di->port : cfg->port;
	if ((r = api__hotline_start(srv, err))) {
		api__reaper_stop(srv->reaper);
		drain_suspended(srv);
		MHD_stop_daemon(d);
		srv->daemon = NULL;
		goto fail;
	}
	if ((r = api__osmand_start(srv, err))) {
		api__hotline_stop(srv);
		api__reaper_stop(srv->reaper);
		drain_suspended(srv);
		MHD_stop_daemon(d);
		srv->daemon = NULL;
		goto fail;
	}
	if (api__sched_start(srv)) /* cases: overdue stages and 督办 */
		log_warn("cannot start the case scheduler");
	*out = srv;
	return GG_OK;
fail:
	api__events_free(srv->events);
	api__reaper_free(srv->reaper);
	workers_stop(srv);
	api__locator_stop(srv);
	api__replica_stop(srv);
	api__writer_stop(srv);
	close_pool(srv);
	api__metrics_free(srv->metrics);
	rate_free(srv->report_limiter);
	api__guard_free(srv->login_guard);
	api__authcache_free(srv->auth);
	free((void *)srv->recent);
	free(srv);
	return r;
}

int api_server_port(const struct api_server *s)
{
	return s->port;
}

void api_server_stop(struct api_server *srv)
{
	if (!srv)
		return;
	api__reaper_stop(srv->reaper);
	api__events_shutdown(srv->events); /* the streams end: none stays suspended */
	api__osmand_stop(srv); /* its requests wait for the writer: before the writer stops */
	if (srv->daemon) {
		drain_suspended(srv);
		MHD_stop_daemon(srv->daemon);
	}
	api__events_free(srv->events);
	api__reaper_free(srv->reaper);
	workers_stop(srv);
	api__locator_stop(srv);
	api__replica_stop(srv);
	api__sched_stop(srv);
	api__hotline_stop(srv);
	api__writer_stop(srv);
	close_pool(srv);
	api__metrics_free(srv->metrics);
	rate_free(srv->report_limiter);
	api__guard_free(srv->login_guard);
	api__authcache_free(srv->auth);
	pthread_mutex_destroy(&srv->pool_lock);
	pthread_cond_destroy(&srv->pool_cv);
	free((void *)srv->recent);
	free(srv);
}
