/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The hotline webhook: a background thread that delivers the hotline outbox, oldest
 * first, as HTTP POSTs of JSON bodies signed with HMAC-SHA256 over the shared secret
 * (header X-Gridgov-Signature: sha256=HEX; X-Gridgov-Delivery carries the message id so
 * the receiver can drop repeats — delivery is at least once). A failed attempt waits
 * 1, 2, 4 … seconds (at most ten minutes) on the server clock before the next (a
 * restart tries all waiting messages at once); the
 * messages stay in the database until a 2xx answer, so neither an outage of the receiver
 * nor a restart of the server loses one. Plain http:// only (the hotline gateway sits on
 * the government network; TLS belongs to a proxy in front of it).
 */
#include <netdb.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"
#include "gridgov/store_intake.h"
#include "gridgov/xalloc.h"

#define BATCH	     32
#define BACKOFF_MAX  600000 /* ms */
#define POLL_MS	     1000
#define IO_TIMEOUT_S 5

struct api_hotline {
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cv;
	int stop, kicked;
	struct store *db;
	char host[256], port[8], path[768];
	char *secret;
	size_t secret_len;
};

int api__hotline_url_parse(const char *url, char *host, size_t hn, char *port, size_t pn,
			   char *path, size_t ptn)
{
	if (strncmp(url, "http://", 7))
		return -1;
	const char *h = url + 7, *slash = strchr(h, '/');
	size_t hl = slash ? (size_t)(slash - h) : strlen(h);
	const char *colon = memchr(h, ':', hl);
	size_t namel = colon ? (size_t)(colon - h) : hl;
	if (namel == 0 || namel >= hn)
		return -1;
	memcpy(host, h, namel);
	host[namel] = 0;
	if (colon) {
		size_t pl = hl - namel - 1;
		if (pl == 0 || pl >= pn || strspn(colon + 1, "0123456789") < pl)
			return -1;
		memcpy(port, colon + 1, pl);
		port[pl] = 0;
	} else {
		snprintf(port, pn, "80");
	}
	if (snprintf(path, ptn, "%s", slash ? slash : "/") >= (int)ptn)
		return -1;
	return 0;
}

static void sign(const struct api_hotline *w, const char *body, char hex[65])
{
	unsigned char mac[crypto_auth_hmacsha256_BYTES];
	crypto_auth_hmacsha256_state st;
	crypto_auth_hmacsha256_init(&st, (const unsigned char *)w->secret, w->secret_len);
	crypto_auth_hmacsha256_update(&st, (const unsigned char *)body, strlen(body));
	crypto_auth_hmacsha256_final(&st, mac);
	sodium_bin2hex(hex, 65, mac, sizeof(mac));
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t k = send(fd, p, n, MSG_NOSIGNAL);
		if (k <= 0)
			return -1;
		p += k, n -= (size_t)k;
	}
	return 0;
}

/* POST one message; 0 when the receiver answered 2xx, else -1 with why. */
static int post(struct api_hotline *w, const struct store_outbox *m, char *why, size_t wn)
{
	struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai;
	int g = getaddrinfo(w->host, w->port, &hints, &ai);
	if (g) {
		snprintf(why, wn, "cannot resolve %s: %s", w->host, gai_strerror(g));
		return -1;
	}
	int fd = -1;
	for (struct addrinfo *a = ai; a && fd < 0; a = a->ai_next) {
		fd = socket(a->ai_family, a->ai_socktype, a->ai_protocol);
		if (fd < 0)
			continue;
		struct timeval tv = {.tv_sec = IO_TIMEOUT_S};
		setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
		setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &tv, sizeof(tv));
		if (connect(fd, a->ai_addr, a->ai_addrlen) != 0) {
			close(fd);
			fd = -1;
		}
	}
	freeaddrinfo(ai);
	if (fd < 0) {
		snprintf(why, wn, "cannot connect to %s:%s", w->host, w->port);
		return -1;
	}
	char sig[65];
	sign(w, m->body, sig);
	size_t blen = strlen(m->body);
	struct buf req = BUF_INIT;
	buf_addf(&req,
		 "POST %s HTTP/1.1\r\nHost: %s:%s\r\nContent-Type: application/json\r\n"
		 "Content-Length: %zu\r\nX-Gridgov-Delivery: %lld\r\n"
		 "X-Gridgov-Signature: sha256=%s\r\nConnection: close\r\n\r\n",
		 w->path, w->host, w->port, blen, (long long)m->id, sig);
	buf_add(&req, m->body, blen);
	int rc = write_all(fd, req.p, req.len);
	buf_release(&req);
	char head[64] = "";
	size_t got = 0;
	while (rc == 0 && got < 12) {
		ssize_t k = recv(fd, head + got, sizeof(head) - 1 - got, 0);
		if (k <= 0)
			break;
		got += (size_t)k;
	}
	close(fd);
	head[got] = 0;
	int status = 0;
	if (rc || sscanf(head, "HTTP/1.%*d %d", &status) != 1) {
		snprintf(why, wn, "no answer from %s:%s", w->host, w->port);
		return -1;
	}
	if (status < 200 || status > 299) {
		snprintf(why, wn, "the receiver answered %d", status);
		return -1;
	}
	return 0;
}

static int64_t backoff_ms(int attempts)
{
	int64_t d = 1000;
	for (int i = 1; i < attempts && d < BACKOFF_MAX; i++)
		d *= 2;
	return d < BACKOFF_MAX ? d : BACKOFF_MAX;
}

/* One pass over what is due; stops at the first failure so order is kept. */
static void deliver(struct api_hotline *w, int all)
{
	struct arena *a = arena_new();
	struct err e = ERR_INIT;
	struct store_outbox *v;
	size_t n = 0;
	if (store_begin(w->db, STORE_READ, &e) == GG_OK) {
		if (store_outbox_due(w->db, all ? INT64_MAX : clock_now_ms(), BATCH, a, &v, &n, &e))
			n = 0;
		store_rollback(w->db);
	}
	for (size_t i = 0; i < n; i++) {
		char why[512] = "";
		int ok = post(w, &v[i], why, sizeof(why)) == 0;
		if (store_begin(w->db, STORE_WRITE, &e) != GG_OK)
			break;
		int rc = ok ? store_outbox_delivered(w->db, v[i].id, clock_now(), &e)
			    : store_outbox_failed(w->db, v[i].id, v[i].attempts + 1,
						  clock_now_ms() + backoff_ms(v[i].attempts + 1),
						  why, &e);
		if (rc == GG_OK)
			rc = store_commit(w->db, &e);
		else
			store_rollback(w->db);
		if (rc)
			log_warn("hotline outbox: %s", err_msg(&e));
		if (!ok) {
			log_warn("hotline webhook: message %lld not delivered (attempt %d): %s",
				 (long long)v[i].id, v[i].attempts + 1, why);
			break;
		}
	}
	arena_free(a);
}

static void *run(void *arg)
{
	struct api_hotline *w = arg;
	int first = 1;
	pthread_mutex_lock(&w->lock);
	while (!w->stop) {
		pthread_mutex_unlock(&w->lock);
		/* A restart tries everything waiting at once: the outage may be long over. */
		deliver(w, first);
		first = 0;
		pthread_mutex_lock(&w->lock);
		if (w->stop)
			break;
		if (!w->kicked) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_nsec += (long)POLL_MS * 1000000L;
			ts.tv_sec += ts.tv_nsec / 1000000000L;
			ts.tv_nsec %= 1000000000L;
			pthread_cond_timedwait(&w->cv, &w->lock, &ts);
		}
		w->kicked = 0;
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int api__hotline_start(struct api_server *srv, struct err *err)
{
	const char *url = srv->cfg.hotline_webhook;
	if (!url || !*url)
		return GG_OK;
	struct api_hotline *w = xcalloc(1, sizeof(*w));
	if (api__hotline_url_parse(url, w->host, sizeof(w->host), w->port, sizeof(w->port), w->path,
				   sizeof(w->path))) {
		free(w);
		return err_set(err, GG_EINVAL,
			       "the hotline webhook must be http://HOST[:PORT]/PATH");
	}
	const char *sec = srv->cfg.hotline_secret ? srv->cfg.hotline_secret : "";
	if (!*sec) {
		free(w);
		return err_set(err, GG_EINVAL, "the hotline webhook needs a secret");
	}
	w->secret = xstrdup(sec);
	w->secret_len = strlen(sec);
	int rc = store_open(srv->cfg.dsn, &w->db, err);
	if (rc) {
		free(w->secret);
		free(w);
		return rc;
	}
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->cv, NULL);
	if (pthread_create(&w->thread, NULL, run, w) != 0) {
		store_close(w->db);
		free(w->secret);
		free(w);
		return err_set(err, GG_EINTERNAL, "cannot start the hotline webhook thread");
	}
	srv->hotline = w;
	return GG_OK;
}

void api__hotline_kick(struct api_server *srv)
{
	struct api_hotline *w = srv->hotline;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->kicked = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->lock);
}

void api__hotline_stop(struct api_server *srv)
{
	struct api_hotline *w = srv->hotline;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->cv);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	store_close(w->db);
	sodium_memzero(w->secret, w->secret_len);
	free(w->secret);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->cv);
	free(w);
	srv->hotline = NULL;
}
