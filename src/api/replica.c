/* SPDX-License-Identifier: Apache-2.0 */
/*
 * How far the standby is behind. Read-only routes are served by the standby (--read-db);
 * read-your-writes covers a caller's own writes, but a standby that falls behind (a
 * long replay, a paused one, a slow network) would show everyone old data for as long.
 * So once a second this thread asks the standby its lag (store_replica_lag: WAL it had
 * received a check ago and has still not replayed) on a connection of its own, and while it exceeds
 * cfg.read_max_lag_ms every read goes to the primary: the same switch as a standby that is down
 * (replica_down_until), held for two checks so it does not flap. A standby it cannot ask is left to
 * the requests' own fallback (dispatch.c: a refused first transaction). The lag is a metric
 * (gridgov_db_standby_lag_ms; -1 while it cannot be read).
 */
#include <time.h>

#include "api/api_int.h"
#include "gridgov/log.h"

#define CHECK_MS 1000

static int64_t mono_ms(void)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)t.tv_sec * 1000 + t.tv_nsec / 1000000;
}

static void *watch(void *arg)
{
	struct api_server *srv = arg;
	struct store *db = NULL;
	int behind = 0;
	uint64_t mark = 0; /* what the standby had received at the previous check */
	pthread_mutex_lock(&srv->lag_lock);
	while (!srv->lag_stop) {
		pthread_mutex_unlock(&srv->lag_lock);
		struct err e = ERR_INIT;
		int64_t lag = -1;
		if (!db && store_open(srv->cfg.read_dsn, &db, &e))
			db = NULL;
		if (db && store_replica_lag(db, &mark, &lag, &e)) {
			lag = -1;
			store_close(db); /* a new connection next time */
			db = NULL;
			mark = 0;
		}
		atomic_store(&srv->standby_lag_ms, lag);
		int now_behind = lag > srv->cfg.read_max_lag_ms;
		if (now_behind) {
			int64_t until = mono_ms() + 2 * CHECK_MS;
			if (atomic_load(&srv->replica_down_until) < until)
				atomic_store(&srv->replica_down_until, until);
		}
		if (now_behind != behind) {
			if (now_behind)
				log_warn(
				    "the standby is %lld ms behind (more than %d): reads go to "
				    "the primary",
				    (long long)lag, srv->cfg.read_max_lag_ms);
			else
				log_info(
				    "the standby has caught up (%lld ms): it serves reads again",
				    (long long)lag);
			behind = now_behind;
		}
		pthread_mutex_lock(&srv->lag_lock);
		struct timespec t;
		clock_gettime(CLOCK_REALTIME, &t);
		t.tv_sec += CHECK_MS / 1000;
		if (!srv->lag_stop)
			pthread_cond_timedwait(&srv->lag_cv, &srv->lag_lock, &t);
	}
	pthread_mutex_unlock(&srv->lag_lock);
	store_close(db);
	return NULL;
}

int api__replica_start(struct api_server *srv, struct err *err)
{
	atomic_store(&srv->standby_lag_ms, 0);
	if (!srv->rpool_size || srv->cfg.read_max_lag_ms <= 0)
		return GG_OK;
	pthread_mutex_init(&srv->lag_lock, NULL);
	pthread_cond_init(&srv->lag_cv, NULL);
	srv->lag_stop = 0;
	if (pthread_create(&srv->lag_thread, NULL, watch, srv))
		return err_set(err, GG_EINTERNAL, "cannot start the standby watcher");
	srv->lag_running = 1;
	return GG_OK;
}

void api__replica_stop(struct api_server *srv)
{
	if (!srv->lag_running)
		return;
	pthread_mutex_lock(&srv->lag_lock);
	srv->lag_stop = 1;
	pthread_cond_signal(&srv->lag_cv);
	pthread_mutex_unlock(&srv->lag_lock);
	pthread_join(srv->lag_thread, NULL);
	srv->lag_running = 0;
	pthread_mutex_destroy(&srv->lag_lock);
	pthread_cond_destroy(&srv->lag_cv);
}
