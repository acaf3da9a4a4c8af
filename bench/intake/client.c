/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Load generator for bench/intake: C concurrent keep-alive HTTP/1.1 connections, each
 * posting new cases (POST /api/v1/cases) back to back for D seconds. Prints requests per
 * second and latency percentiles. Usage: client HOST PORT TOKEN CONNS SECONDS GRID
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../http.h"

static const char *host, *token, *grid;
static int port, seconds;
static uint64_t start_ns;

struct worker {
	pthread_t t;
	uint64_t *lat; /* nanoseconds */
	size_t n, cap;
	int errors;
};

static uint64_t now_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static void *run(void *arg)
{
	struct worker *w = arg;
	char req[1024], body[256], resp[65536];
	int fd = bench_connect(host, port);
	unsigned seq = 0;
	uint64_t until = start_ns + (uint64_t)seconds * 1000000000u;
	while (fd >= 0 && now_ns() < until) {
		int bl = snprintf(body, sizeof(body),
				  "{\"category\":\"E0102\",\"description\":\"bench %u\","
				  "\"channel\":\"bench\",\"grid\":\"%s\"}",
				  seq++, grid);
		int n = snprintf(req, sizeof(req),
				 "POST /api/v1/cases HTTP/1.1\r\nHost: %s\r\n"
				 "Authorization: Bearer %s\r\nContent-Type: application/json\r\n"
				 "Content-Length: %d\r\n\r\n%s",
				 host, token, bl, body);
		uint64_t t0 = now_ns();
		if (write(fd, req, (size_t)n) != n ||
		    bench_read_response(fd, resp, sizeof(resp), NULL) != 201) {
			w->errors++;
			close(fd);
			fd = bench_connect(host, port);
			continue;
		}
		if (w->n == w->cap) {
			w->cap = w->cap ? 2 * w->cap : 4096;
			w->lat = realloc(w->lat, w->cap * sizeof(*w->lat));
		}
		w->lat[w->n++] = now_ns() - t0;
	}
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int cmp(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: client HOST PORT TOKEN CONNS SECONDS GRID\n");
		return 2;
	}
	host = argv[1];
	port = atoi(argv[2]);
	token = argv[3];
	int conns = atoi(argv[4]);
	seconds = atoi(argv[5]);
	grid = argv[6];
	struct worker *w = calloc((size_t)conns, sizeof(*w));
	start_ns = now_ns();
	for (int i = 0; i < conns; i++)
		pthread_create(&w[i].t, NULL, run, &w[i]);
	size_t total = 0;
	int errors = 0;
	for (int i = 0; i < conns; i++) {
		pthread_join(w[i].t, NULL);
		total += w[i].n;
		errors += w[i].errors;
	}
	double secs = (double)(now_ns() - start_ns) / 1e9;
	uint64_t *all = malloc((total + 1) * sizeof(*all));
	size_t k = 0;
	for (int i = 0; i < conns; i++) {
		memcpy(all + k, w[i].lat, w[i].n * sizeof(*all));
		k += w[i].n;
		free(w[i].lat);
	}
	qsort(all, total, sizeof(*all), cmp);
	double p50 = total ? (double)all[total / 2] / 1e6 : 0;
	double p99 = total ? (double)all[(size_t)((double)total * 0.99)] / 1e6 : 0;
	printf("cases %zu errors %d seconds %.2f rate %.0f p50_ms %.2f p99_ms %.2f\n", total,
	       errors, secs, (double)total / secs, p50, p99);
	free(all);
	free(w);
	return errors && !total;
}
