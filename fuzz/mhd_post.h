/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The body of fuzz_form.c and fuzz_multipart.c: libmicrohttpd's post processor, as
 * server.c creates it, feeding api__part_add, then the dispatcher's text check of the
 * fields (api__parts_fault). A post processor reads its Content-Type from a connection,
 * so one real connection is made once: an in-process daemon without a listening socket
 * takes one end of a socketpair, whose request (headers only) the handler suspends and
 * hands over; each input then gets its own post processor on that connection.
 *
 * The input's first byte chooses how the rest is cut into the chunks the network would
 * deliver (1 to 64 bytes, or all at once), since the post processor keeps state across
 * chunks. Invariants: at most API_MAX_PARTS parts, their bytes add up and stay under
 * API_UPLOAD_MAX, each value is NUL-terminated, and a field named by the text check is
 * valid text once it is in the error.
 */
#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "api/body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t cv = PTHREAD_COND_INITIALIZER;
static struct MHD_Connection *held;
static int sock[2];

static enum MHD_Result on_request(void *cls, struct MHD_Connection *c, const char *url,
				  const char *method, const char *version, const char *upload,
				  size_t *upload_size, void **con_cls)
{
	(void)cls, (void)url, (void)method, (void)version, (void)upload, (void)upload_size;
	*con_cls = c;
	MHD_suspend_connection(c); /* never resumed: it lives as long as the process */
	pthread_mutex_lock(&mu);
	held = c;
	pthread_cond_signal(&cv);
	pthread_mutex_unlock(&mu);
	return MHD_YES;
}

static struct MHD_Connection *connection(void)
{
	if (held)
		return held;
	struct MHD_Daemon *d = MHD_start_daemon(
	    MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_NO_LISTEN_SOCKET | MHD_ALLOW_SUSPEND_RESUME,
	    0, NULL, NULL, on_request, NULL, MHD_OPTION_END);
	if (!d || socketpair(AF_UNIX, SOCK_STREAM, 0, sock))
		abort();
	struct sockaddr_in peer = {.sin_family = AF_INET, .sin_port = htons(40000)};
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (MHD_add_connection(d, sock[0], (const struct sockaddr *)&peer, sizeof(peer)) != MHD_YES)
		abort();
	char head[256];
	int n = snprintf(head, sizeof(head),
			 "POST /fuzz HTTP/1.1\r\nHost: fuzz\r\nContent-Type: %s\r\n"
			 "Content-Length: 1000000\r\n\r\n",
			 CONTENT_TYPE);
	if (write(sock[1], head, (size_t)n) != n)
		abort();
	pthread_mutex_lock(&mu);
	while (!held)
		pthread_cond_wait(&cv, &mu);
	pthread_mutex_unlock(&mu);
	return held;
}

struct fields {
	struct arena *a;
	struct api_part *head, *last;
	int n, stopped;
	size_t bytes;
};

static enum MHD_Result on_part(void *cls, enum MHD_ValueKind kind, const char *key,
			       const char *filename, const char *content_type,
			       const char *transfer_encoding, const char *data, uint64_t off,
			       size_t size)
{
	struct fields *f = cls;
	(void)kind, (void)transfer_encoding;
	if (api__part_add(f->a, &f->head, &f->last, &f->n, &f->bytes, key, filename,
			  content_type, data, off, size)) {
		f->stopped = 1;
		return MHD_NO;
	}
	return MHD_YES;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	size_t chunk = data[0] % 65 ? data[0] % 65 : size;
	data++, size--;
	struct fields f = {.a = arena_new()};
	struct MHD_PostProcessor *pp = MHD_create_post_processor(connection(), 64 * 1024, on_part, &f);
	if (!pp)
		abort();
	for (size_t at = 0; at < size && !f.stopped;) {
		size_t k = size - at < chunk ? size - at : chunk;
		if (MHD_post_process(pp, (const char *)data + at, k) != MHD_YES)
			break;
		at += k;
	}
	MHD_destroy_post_processor(pp);
	if (f.n > API_MAX_PARTS)
		abort();
	size_t sum = 0;
	int n = 0;
	for (const struct api_part *p = f.head; p; p = p->next, n++) {
		if (!p->name || p->data.p[p->data.len] != 0)
			abort();
		sum += p->data.len;
	}
	if (n != f.n || (!f.stopped && sum != f.bytes) || sum > API_UPLOAD_MAX)
		abort();
	const char *name = NULL;
	enum utf8_fault fault = api__parts_fault(f.head, &name);
	if (fault != UTF8_OK) {
		struct err e = ERR_INIT;
		if (api__text_fault(&e, name, fault) != GG_EFIELD || utf8_check_str(e.field))
			abort();
	}
	api__parts_release(f.head);
	arena_free(f.a);
	return 0;
}
