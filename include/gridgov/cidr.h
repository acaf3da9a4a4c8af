/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Address ranges (CIDR, IPv4 and IPv6) and whether an address lies in one of a list:
 * `serve --trusted-proxy` names the reverse proxies whose X-Forwarded-For is believed.
 */
#ifndef GRIDGOV_CIDR_H
#define GRIDGOV_CIDR_H

#include <stddef.h>

#include "gridgov/err.h"

#define CIDR_MAX 16 /* ranges in one list */

struct cidr {
	int family;		/* AF_INET or AF_INET6 */
	unsigned char addr[16]; /* network bytes; 4 used for IPv4 */
	int bits;		/* prefix length */
};

/**
 * Parse a comma-separated list of ranges ("10.0.0.0/8,::1", a bare address meaning one
 * host) into out (room for CIDR_MAX). *n is the count. GG_EINVAL names the bad entry.
 */
int cidr_parse_list(const char *list, struct cidr *out, size_t *n, struct err *err) GG_WUR;

/** 1 if the textual address ip (IPv4, IPv6 or IPv4-mapped IPv6) lies in one of the n ranges. */
int cidr_list_contains(const struct cidr *list, size_t n, const char *ip);

/** 1 if s is an IPv4 or IPv6 address in text. */
int cidr_is_address(const char *s);

#endif
