/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The few lines of HTTP/1.1 the benchmarks' load clients speak: a TCP connection without
 * Nagle's delay, and reading one response (headers and a Content-Length body) from a
 * kept-alive connection. Header-only, for the bench/ programs.
 */
#ifndef GRIDGOV_BENCH_HTTP_H
#define GRIDGOV_BENCH_HTTP_H

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

/* A connected socket to host:port, or -1. */
static inline int bench_connect(const char *host, int port)
{
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	struct sockaddr_in sa = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	inet_pton(AF_INET, host, &sa.sin_addr);
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* Read one response into buf (cap bytes); its status, or -1. *body gets the body's size. */
static inline int bench_read_response(int fd, char *buf, size_t cap, size_t *body)
{
	size_t len = 0;
	for (;;) {
		ssize_t r = read(fd, buf + len, cap - 1 - len);
		if (r <= 0)
			return -1;
		len += (size_t)r;
		buf[len] = 0;
		char *end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		char *cl = strcasestr(buf, "content-length:");
		size_t n = cl ? (size_t)atol(cl + 15) : 0;
		size_t need = (size_t)(end + 4 - buf) + n;
		if (need >= cap)
			return -1;
		while (len < need) {
			r = read(fd, buf + len, cap - 1 - len);
			if (r <= 0)
				return -1;
			len += (size_t)r;
		}
		if (body)
			*body = n;
		return atoi(buf + 9);
	}
}

#endif
