/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Read timer for bench/stats: one keep-alive HTTP/1.1 connection sends GET requests read
 * from standard input, one "LABEL PATH" a line, each REPEAT times after one untimed warm-up,
 * and prints one line per label: requests, p50 and p99 in milliseconds, the largest answer
 * in bytes, and how many answers were not 200. Lines that share a label (100 case details)
 * are timed as one call. Usage: client HOST PORT TOKEN REPEAT < requests
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../http.h"

#define MAX_LABELS 64
#define RESP_MAX (64u << 20)

struct label {
	char name[64];
	double *ms;
	size_t n, cap, bytes_max;
	int bad;
};

static const char *host, *token;
static int port;
static char *resp;

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

/* One GET; the status, or -1 when the connection failed. *bytes gets the body's size. */
static int get(int fd, const char *path, size_t *bytes)
{
	char req[4096];
	int n = snprintf(req, sizeof(req),
			 "GET %s HTTP/1.1\r\nHost: %s\r\nAuthorization: Bearer %s\r\n\r\n", path,
			 host, token);
	if (n <= 0 || (size_t)n >= sizeof(req) || write(fd, req, (size_t)n) != n)
		return -1;
	return bench_read_response(fd, resp, RESP_MAX, bytes);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc != 5) {
		fprintf(stderr, "usage: client HOST PORT TOKEN REPEAT < 'LABEL PATH' lines\n");
		return 2;
	}
	host = argv[1];
	port = atoi(argv[2]);
	token = argv[3];
	int repeat = atoi(argv[4]);
	resp = malloc(RESP_MAX);
	struct label *labels = calloc(MAX_LABELS, sizeof(*labels));
	size_t nl = 0;
	int fd = bench_connect(host, port);
	if (fd < 0) {
		fprintf(stderr, "client: cannot connect\n");
		return 1;
	}
	char line[4096];
	while (fgets(line, sizeof(line), stdin)) {
		line[strcspn(line, "\r\n")] = 0;
		char *sp = strchr(line, ' ');
		if (!sp)
			continue;
		*sp = 0;
		const char *path = sp + 1;
		struct label *l = NULL;
		for (size_t i = 0; i < nl; i++)
			if (!strcmp(labels[i].name, line))
				l = &labels[i];
		if (!l) {
			if (nl == MAX_LABELS)
				continue;
			l = &labels[nl++];
			snprintf(l->name, sizeof(l->name), "%.63s", line);
		}
		for (int k = 0; k <= repeat; k++) {
			size_t bytes = 0;
			double t0 = now_ms();
			int st = get(fd, path, &bytes);
			double dt = now_ms() - t0;
			if (st < 0) {
				close(fd);
				fd = bench_connect(host, port);
				l->bad++;
				continue;
			}
			if (st != 200)
				l->bad++;
			if (k == 0)
				continue; /* warm-up */
			if (l->n == l->cap) {
				l->cap = l->cap ? 2 * l->cap : 64;
				l->ms = realloc(l->ms, l->cap * sizeof(*l->ms));
			}
			l->ms[l->n++] = dt;
			if (bytes > l->bytes_max)
				l->bytes_max = bytes;
		}
	}
	for (size_t i = 0; i < nl; i++) {
		struct label *l = &labels[i];
		if (!l->n)
			continue;
		qsort(l->ms, l->n, sizeof(double), cmp);
		size_t p99 = (l->n * 99 + 99) / 100;
		printf("%s n %zu p50 %.2f p99 %.2f bytes %zu bad %d\n", l->name, l->n,
		       l->ms[l->n / 2], l->ms[(p99 ? p99 : 1) - 1], l->bytes_max, l->bad);
		free(l->ms);
	}
	close(fd);
	free(labels);
	free(resp);
	return 0;
}
