/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Prometheus metrics: requests by route, method and status, a latency histogram, open
 * database connections and group-commit counters; plus the health check.
 */
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "api/events.h"
#include "gridgov/xalloc.h"

static const double bounds[] = {0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5};
#define NB (sizeof(bounds) / sizeof(bounds[0]))

struct row {
	const char *route, *method; /* route patterns are static; methods are interned */
	int status;
	uint64_t count;
};

struct api_metrics {
	pthread_mutex_t lock;
	struct row *rows;
	size_t nrows, cap;
	uint64_t buckets[NB + 1];
	double sum;
	uint64_t count;
};

static const char *intern_method(const char *m)
{
	static const char *known[] = {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"};
	for (size_t i = 0; i < sizeof(known) / sizeof(known[0]); i++)
		if (!strcmp(known[i], m))
			return known[i];
	return "OTHER";
}

struct api_metrics *api__metrics_new(void)
{
	struct api_metrics *m = xcalloc(1, sizeof(*m));
	pthread_mutex_init(&m->lock, NULL);
	return m;
}

void api__metrics_free(struct api_metrics *m)
{
	if (!m)
		return;
	pthread_mutex_destroy(&m->lock);
	free(m->rows);
	free(m);
}

void api__metrics_record(struct api_metrics *m, const char *route, const char *method,
			 int status, double seconds)
{
	method = intern_method(method);
	pthread_mutex_lock(&m->lock);
	struct row *row = NULL;
	for (size_t i = 0; i < m->nrows; i++)
		if (m->rows[i].route == route && m->rows[i].method == method &&
		    m->rows[i].status == status) {
			row = &m->rows[i];
			break;
		}
	if (!row) {
		if (m->nrows == m->cap) {
			m->cap = m->cap ? 2 * m->cap : 64;
			m->rows = xrealloc(m->rows, m->cap * sizeof(*m->rows));
		}
		row = &m->rows[m->nrows++];
		*row = (struct row){route, method, status, 0};
	}
	row->count++;
	size_t b = 0;
	while (b < NB && seconds > bounds[b])
		b++;
	m->buckets[b]++;
	m->sum += seconds;
	m->count++;
	pthread_mutex_unlock(&m->lock);
}

int api_metrics(struct api_req *r)
{
	struct api_metrics *m = r->srv->metrics;
	struct buf b = BUF_INIT;
	buf_adds(&b, "# HELP gridgov_http_requests_total HTTP requests by route, method and status.\n"
		     "# TYPE gridgov_http_requests_total counter\n");
	pthread_mutex_lock(&m->lock);
	for (size_t i = 0; i < m->nrows; i++) {
		buf_adds(&b, "gridgov_http_requests_total{route=\"");
		buf_add_json_escaped(&b, m->rows[i].route);
		buf_addf(&b, "\",method=\"%s\",status=\"%d\"} %llu\n", m->rows[i].method,
			 m->rows[i].status, (unsigned long long)m->rows[i].count);
	}
	buf_adds(&b, "# HELP gridgov_http_request_duration_seconds Time to answer a request.\n"
		     "# TYPE gridgov_http_request_duration_seconds histogram\n");
	uint64_t cum = 0;
	for (size_t i = 0; i < NB; i++) {
		cum += m->buckets[i];
		buf_addf(&b, "gridgov_http_request_duration_seconds_bucket{le=\"%g\"} %llu\n",
			 bounds[i], (unsigned long long)cum);
	}
	cum += m->buckets[NB];
	buf_addf(&b,
		 "gridgov_http_request_duration_seconds_bucket{le=\"+Inf\"} %llu\n"
		 "gridgov_http_request_duration_seconds_sum %.6f\n"
		 "gridgov_http_request_duration_seconds_count %llu\n",
		 (unsigned long long)cum, m->sum, (unsigned long long)m->count);
	pthread_mutex_unlock(&m->lock);
	uint64_t batches, jobs;
	api__writer_stats(r->srv, &batches, &jobs);
	buf_addf(&b,
		 "# HELP gridgov_db_connections_open Open database connections.\n"
		 "# TYPE gridgov_db_connections_open gauge\n"
		 "gridgov_db_connections_open %d\n"
		 "# HELP gridgov_db_commits_total Group commits of the writer.\n"
		 "# TYPE gridgov_db_commits_total counter\n"
		 "gridgov_db_commits_total %llu\n"
		 "# HELP gridgov_db_writes_total Write requests carried by group commits.\n"
		 "# TYPE gridgov_db_writes_total counter\n"
		 "gridgov_db_writes_total %llu\n",
		 api__pool_open_count(r->srv), (unsigned long long)batches,
		 (unsigned long long)jobs);
	if (r->srv->rpool_size)
		buf_addf(
		    &b,
		    "# HELP gridgov_db_standby_reads_total Requests read on the standby"
		    " (--read-db).\n"
		    "# TYPE gridgov_db_standby_reads_total counter\n"
		    "gridgov_db_standby_reads_total %llu\n"
		    "# HELP gridgov_db_standby_fallbacks_total Requests moved to the primary as"
		    " the standby was unavailable.\n"
		    "# TYPE gridgov_db_standby_fallbacks_total counter\n"
		    "gridgov_db_standby_fallbacks_total %llu\n"
		    "# HELP gridgov_db_standby_lag_ms How far the standby was behind at the last"
		    " check (-1: unreadable).\n"
		    "# TYPE gridgov_db_standby_lag_ms gauge\n"
		    "gridgov_db_standby_lag_ms %lld\n",
		    atomic_load(&r->srv->standby_reads), atomic_load(&r->srv->standby_fallbacks),
		    (long long)atomic_load(&r->srv->standby_lag_ms));
	buf_addf(&b,
		 "# HELP gridgov_http_connections_reaped_total Connections closed for missing "
		 "their header or body deadline.\n"
		 "# TYPE gridgov_http_connections_reaped_total counter\n"
		 "gridgov_http_connections_reaped_total %llu\n",
		 api__reaped(r->srv));
	int streams;
	uint64_t published, dropped;
	api__events_stats(r->srv->events, &streams, &published, &dropped);
	buf_addf(
	    &b,
	    "# HELP gridgov_events_streams_open Live event streams open (GET /api/v1/events).\n"
	    "# TYPE gridgov_events_streams_open gauge\n"
	    "gridgov_events_streams_open %d\n"
	    "# HELP gridgov_events_published_total Case changes announced after their commit.\n"
	    "# TYPE gridgov_events_published_total counter\n"
	    "gridgov_events_published_total %llu\n"
	    "# HELP gridgov_events_streams_dropped_total Streams dropped for falling a ring"
	    " behind.\n"
	    "# TYPE gridgov_events_streams_dropped_total counter\n"
	    "gridgov_events_streams_dropped_total %llu\n",
	    streams, (unsigned long long)published, (unsigned long long)dropped);
	r->raw = arena_strndup(r->arena, b.p, b.len);
	r->raw_len = b.len;
	r->raw_type = "text/plain; version=0.0.4; charset=utf-8";
	buf_release(&b);
	return GG_OK;
}

int api_health(struct api_req *r)
{
	int version = 0;
	int rc = store_schema_version(r->db, &version, &r->err);
	if (rc)
		return rc;
	api_reply(r, 200,
		  json_pack("{s:s,s:s,s:i}", "status", "ok", "version", GRIDGOV_VERSION_STR,
			    "schema", version));
	return GG_OK;
}
