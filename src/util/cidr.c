/* SPDX-License-Identifier: Apache-2.0 */
/* CIDR ranges: parsing a list and testing an address against it (IPv4 and IPv6). */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "gridgov/cidr.h"

/* The address in text as family and bytes; an IPv4-mapped IPv6 address counts as IPv4. */
static int parse_addr(const char *s, int *family, unsigned char *addr)
{
	unsigned char v6[16];
	if (inet_pton(AF_INET, s, addr) == 1) {
		*family = AF_INET;
		return 0;
	}
	if (inet_pton(AF_INET6, s, v6) != 1)
		return -1;
	static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
	if (!memcmp(v6, mapped, sizeof(mapped))) {
		*family = AF_INET;
		memcpy(addr, v6 + 12, 4);
	} else {
		*family = AF_INET6;
		memcpy(addr, v6, 16);
	}
	return 0;
}

int cidr_is_address(const char *s)
{
	int family;
	unsigned char addr[16];
	return s && parse_addr(s, &family, addr) == 0;
}

int cidr_parse_list(const char *list, struct cidr *out, size_t *n, struct err *err)
{
	*n = 0;
	for (const char *p = list;;) {
		size_t len = strcspn(p, ",");
		char item[64];
		if (len == 0 || len >= sizeof(item))
			return err_set(err, GG_EINVAL, "'%.*s' is not an address range", (int)len,
				       p);
		memcpy(item, p, len);
		item[len] = 0;
		if (*n == CIDR_MAX)
			return err_set(err, GG_EINVAL, "at most %d address ranges", CIDR_MAX);
		struct cidr *c = &out[*n];
		memset(c, 0, sizeof(*c));
		char *slash = strchr(item, '/');
		if (slash)
			*slash = 0;
		if (parse_addr(item, &c->family, c->addr))
			return err_set(err, GG_EINVAL, "'%s' is not an IPv4 or IPv6 address", item);
		int max = c->family == AF_INET ? 32 : 128;
		c->bits = max;
		if (slash) {
			char *end;
			long bits = strtol(slash + 1, &end, 10);
			if (!slash[1] || *end || bits < 0 || bits > max)
				return err_set(err, GG_EINVAL,
					       "'%s/%s': the prefix is 0 to %d bits", item,
					       slash + 1, max);
			c->bits = (int)bits;
		}
		(*n)++;
		p += len;
		if (!*p)
			return GG_OK;
		p++;
	}
}

int cidr_list_contains(const struct cidr *list, size_t n, const char *ip)
{
	int family;
	unsigned char addr[16];
	if (!ip || parse_addr(ip, &family, addr))
		return 0;
	for (size_t i = 0; i < n; i++) {
		const struct cidr *c = &list[i];
		if (c->family != family)
			continue;
		int whole = c->bits / 8, rest = c->bits % 8;
		if (memcmp(c->addr, addr, (size_t)whole))
			continue;
		unsigned char mask = (unsigned char)(0xff00 >> rest);
		if (rest && (c->addr[whole] & mask) != (addr[whole] & mask))
			continue;
		return 1;
	}
	return 0;
}
