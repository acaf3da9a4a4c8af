/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The client behind a reverse proxy: with `serve --trusted-proxy CIDR,…`, a request whose
 * peer is one of those proxies is keyed (rate limits, login counters, the access log) by
 * the address its X-Forwarded-For names; from any other peer the header is ignored.
 */
#include <string.h>

#include "api/api_int.h"

const char *api__forwarded_client(struct arena *a, const char *peer, const char *xff,
				  const struct cidr *trusted, size_t n)
{
	if (!n || !xff || !cidr_list_contains(trusted, n, peer))
		return peer;
	/* Walk from the right: each proxy appends the address it was reached from. */
	const char *client = peer;
	size_t end = strlen(xff);
	while (end > 0) {
		size_t start = end;
		while (start > 0 && xff[start - 1] != ',')
			start--;
		size_t from = start, to = end;
		while (from < to && (xff[from] == ' ' || xff[from] == '\t'))
			from++;
		while (to > from && (xff[to - 1] == ' ' || xff[to - 1] == '\t'))
			to--;
		char item[64];
		if (to - from == 0 || to - from >= sizeof(item))
			return client; /* not an address: the last trusted hop is what we know */
		memcpy(item, xff + from, to - from);
		item[to - from] = 0;
		if (!cidr_is_address(item))
			return client;
		client = arena_strdup(a, item);
		if (!cidr_list_contains(trusted, n, item))
			return client;
		end = start > 0 ? start - 1 : 0;
	}
	return client;
}
