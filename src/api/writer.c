/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The writer: every write runs here, on one connection, so SQLite never sees two writers.
 * Requests that arrive while a commit is in flight are gathered into the next batch and
 * committed together (group commit): each runs inside its own savepoint, so a failing
 * request rolls back alone, and each is answered only once the batch is durable. With
 * synchronous=FULL one fsync then serves many requests. A waiter is either a thread
 * blocked on its job's condition variable, or (api_write_then on a polling thread) a
 * suspended connection that the writer resumes after the commit, so no thread waits.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/log.h"
#include "gridgov/xalloc.h"

#define BATCH_MAX 256

struct job {
	struct job *next;
	struct api_req *r; /* NULL for a step without a request (api__write_store) */
	int (*fn)(struct api_req *r, void *arg);
	int (*store_fn)(struct store *db, void *arg, struct err *err);
	struct err *err; /* where a step without a request records its error */
	void *arg;
	int rc;
	int done;
	int async;	   /* the request's connection is suspended: resume it, no one waits */
	struct job *anext; /* the batch's async jobs, to resume once the lock is let go */
	pthread_cond_t cv; /* signalled when done: each waiter wakes for its own batch only */
};

struct api_writer {
	struct store *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t work_cv;
	struct job *head, *tail;
	int stop;
	uint64_t batches, jobs;
};

static void run_hooks(struct api_server *srv, struct api_req *r)
{
	/* Hooks were pushed onto a list: run them in registration order. */
	struct api_hook *rev = NULL;
	for (struct api_hook *h = r->on_commit; h;) {
		struct api_hook *next = h->next;
		h->next = rev;
		rev = h;
		h = next;
	}
	for (struct api_hook *h = rev; h; h = h->next)
		h->fn(srv, h->arg);
	r->on_commit = NULL;
}

static void run_batch(struct api_server *srv, struct api_writer *w, struct job *batch)
{
	struct err err = ERR_INIT;
	int rc = store_begin(w->db, STORE_WRITE, &err);
	for (struct job *j = batch; j; j = j->next) {
		struct err *e = j->r ? &j->r->err : j->err;
		if (rc) {
			j->rc = err_set(e, rc, "%s", err.msg);
			continue;
		}
		if (!j->r) {
			if (store_savepoint(w->db, e)) {
				j->rc = e->code;
				continue;
			}
			j->rc = j->store_fn(w->db, j->arg, e);
			if (j->rc == GG_OK)
				j->rc = store_savepoint_release(w->db, e);
			if (j->rc != GG_OK)
				store_savepoint_rollback(w->db);
			continue;
		}
		struct store *saved = j->r->db;
		struct api_hook *hooks_before = j->r->on_commit;
		j->r->db = w->db;
		if (store_savepoint(w->db, &j->r->err)) {
			j->rc = j->r->err.code;
		} else {
			j->rc = j->fn(j->r, j->arg);
			if (j->rc == GG_OK)
				j->rc = store_savepoint_release(w->db, &j->r->err);
			if (j->rc != GG_OK) {
				store_savepoint_rollback(w->db);
				j->r->on_commit = hooks_before;
			}
		}
		j->r->db = saved;
	}
	if (rc == GG_OK && (rc = store_commit(w->db, &err)) != GG_OK) {
		log_error("group commit failed: %s", err.msg);
		store_rollback(w->db);
		for (struct job *j = batch; j; j = j->next)
			if (j->rc == GG_OK)
				j->rc = err_set(j->r ? &j->r->err : j->err, rc, "commit failed: %s",
						err.msg);
	}
	for (struct job *j = batch; j; j = j->next)
		if (j->rc == GG_OK && j->r)
			run_hooks(srv, j->r);
}

static void *writer_main(void *arg)
{
	struct api_server *srv = arg;
	struct api_writer *w = srv->writer;
	pthread_mutex_lock(&w->lock);
	for (;;) {
		while (!w->head && !w->stop)
			pthread_cond_wait(&w->work_cv, &w->lock);
		if (!w->head && w->stop)
			break;
		struct job *batch = w->head, *last = w->head;
		int n = 1, max = store_savepoints_max(w->db);
		if (max <= 0 || max > BATCH_MAX)
			max = BATCH_MAX;
		while (last->next && n < max) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		pthread_mutex_unlock(&w->lock);

		run_batch(srv, w, batch);

		struct job *resume = NULL;
		pthread_mutex_lock(&w->lock);
		w->batches++;
		w->jobs += (uint64_t)n;
		for (struct job *j = batch, *next; j; j = next) {
			next = j->next; /* j lives on its waiter's stack: read next first */
			if (j->async) {
				j->anext = resume;
				resume = j;
				continue;
			}
			j->done = 1;
			pthread_cond_signal(&j->cv);
		}
		pthread_mutex_unlock(&w->lock);
		/* j lives in its request's arena, which the polling thread frees once resumed */
		for (struct job *j = resume, *next; j; j = next) {
			next = j->anext;
			j->r->write_rc = j->rc;
			api__resume(j->r);
		}
		pthread_mutex_lock(&w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

int api__writer_start(struct api_server *srv, struct err *err)
{
	struct api_writer *w = xcalloc(1, sizeof(*w));
	int r = store_open(srv->cfg.dsn, &w->db, err);
	if (r) {
		free(w);
		return r;
	}
	/* patrol positions land on one B-tree page per active worker: keep those pages (a
	 * city's 11,000 workers: ~50 MiB) in memory rather than read them back each commit
	 * (allocated as used; bench/track) */
	struct err ce = ERR_INIT;
	if (store_cache_size(w->db, (int64_t)64 << 20, &ce))
		log_warn("writer cache: %s", ce.msg);
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work_cv, NULL);
	srv->writer = w;
	if (pthread_create(&w->thread, NULL, writer_main, srv) != 0) {
		store_close(w->db);
		free(w);
		srv->writer = NULL;
		return err_set(err, GG_EINTERNAL, "cannot start the writer thread");
	}
	return GG_OK;
}

void api__writer_stop(struct api_server *srv)
{
	struct api_writer *w = srv->writer;
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;
	pthread_cond_signal(&w->work_cv);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	store_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work_cv);
	free(w);
	srv->writer = NULL;
}

static void enqueue(struct api_writer *w, struct job *j)
{
	if (w->tail)
		w->tail->next = j;
	else
		w->head = j;
	w->tail = j;
	pthread_cond_signal(&w->work_cv);
}

static int submit(struct api_writer *w, struct job *jp)
{
	struct job j = *jp;
	pthread_cond_init(&j.cv, NULL);
	pthread_mutex_lock(&w->lock);
	enqueue(w, &j);
	while (!j.done)
		pthread_cond_wait(&j.cv, &w->lock);
	pthread_mutex_unlock(&w->lock);
	pthread_cond_destroy(&j.cv);
	return j.rc;
}

int api_write(struct api_req *r, int (*fn)(struct api_req *r, void *arg), void *arg)
{
	struct job j = {.r = r, .fn = fn, .arg = arg};
	api__wrote(r);
	int rc = submit(r->srv->writer, &j);
	api__wrote(r);
	return rc;
}

int api_write_then(struct api_req *r, int (*step)(struct api_req *r, void *arg), void *arg,
		   int (*then)(struct api_req *r, void *arg, int rc))
{
	if (!r->async) {
		int rc = api_write(r, step, arg);
		return then ? then(r, arg, rc) : rc;
	}
	/* the connection goes back to the pool: r waits without holding one */
	if (r->reading)
		store_rollback(r->db);
	r->reading = 0;
	api__pool_put(r->srv, r->db);
	r->db = NULL;
	r->then = then;
	r->then_arg = arg;
	struct job *j = arena_zalloc(r->arena, sizeof(*j));
	*j = (struct job){.r = r, .fn = step, .arg = arg, .async = 1};
	/* suspended before the writer can see it: its resume never comes first */
	api__suspend(r);
	struct api_writer *w = r->srv->writer;
	pthread_mutex_lock(&w->lock);
	enqueue(w, j);
	pthread_mutex_unlock(&w->lock);
	return API_PENDING;
}

int api__write_store(struct api_server *srv,
		     int (*fn)(struct store *db, void *arg, struct err *err), void *arg,
		     struct err *err)
{
	struct job j = {.store_fn = fn, .err = err, .arg = arg};
	return submit(srv->writer, &j);
}

void api_on_commit(struct api_req *r, void (*fn)(struct api_server *, void *), void *arg)
{
	struct api_hook *h = arena_alloc(r->arena, sizeof(*h));
	h->fn = fn;
	h->arg = arg;
	h->next = r->on_commit;
	r->on_commit = h;
}

void api__writer_stats(struct api_server *srv, uint64_t *batches, uint64_t *jobs)
{
	struct api_writer *w = srv->writer;
	pthread_mutex_lock(&w->lock);
	*batches = w->batches;
	*jobs = w->jobs;
	pthread_mutex_unlock(&w->lock);
}
