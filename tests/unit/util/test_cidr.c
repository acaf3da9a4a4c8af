/* SPDX-License-Identifier: Apache-2.0 */
/* CIDR lists: parsing and refusals, IPv4, IPv6 and IPv4-mapped addresses, odd prefixes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gridgov/cidr.h"

static void ranges_hold_their_addresses(void **state)
{
	(void)state;
	struct cidr c[CIDR_MAX];
	size_t n;
	struct err e = ERR_INIT;
	assert_int_equal(
	    cidr_parse_list("10.0.0.0/8,192.168.1.7,fd00::/8,172.16.0.0/12", c, &n, &e), GG_OK);
	assert_int_equal(n, 4);
	assert_true(cidr_list_contains(c, n, "10.255.0.1"));
	assert_false(cidr_list_contains(c, n, "11.0.0.1"));
	assert_true(cidr_list_contains(c, n, "192.168.1.7"));
	assert_false(cidr_list_contains(c, n, "192.168.1.8"));
	assert_true(cidr_list_contains(c, n, "fd12:3456::1"));
	assert_false(cidr_list_contains(c, n, "fe80::1"));
	assert_true(cidr_list_contains(c, n, "::ffff:10.1.2.3")); /* mapped IPv4 */
	assert_true(cidr_list_contains(c, n, "172.31.255.255"));  /* /12 ends mid-byte */
	assert_false(cidr_list_contains(c, n, "172.32.0.0"));
	assert_false(cidr_list_contains(c, n, "not an address"));
	assert_false(cidr_list_contains(c, n, NULL));
	assert_int_equal(cidr_parse_list("0.0.0.0/0", c, &n, &e), GG_OK);
	assert_true(cidr_list_contains(c, n, "203.0.113.9"));
	assert_false(cidr_list_contains(c, n, "2001:db8::1"));
}

static void bad_lists_are_refused(void **state)
{
	(void)state;
	struct cidr c[CIDR_MAX];
	size_t n;
	struct err e = ERR_INIT;
	const char *bad[] = {"",      "10.0.0.0/33",	 "10.0.0.0/",	"::1/129",    "10.0.0.0/8,",
			     "proxy", "10.0.0.0/8,,::1", "10.0.0.0/-1", "10.0.0.0/8x"};
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(cidr_parse_list(bad[i], c, &n, &e), GG_EINVAL);
		err_clear(&e);
	}
	char many[512] = "";
	for (int i = 0; i <= CIDR_MAX; i++)
		strcat(many, i ? ",10.0.0.1" : "10.0.0.1");
	assert_int_equal(cidr_parse_list(many, c, &n, &e), GG_EINVAL);
	assert_true(cidr_is_address("::1"));
	assert_false(cidr_is_address("1.2.3"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(ranges_hold_their_addresses),
	    cmocka_unit_test(bad_lists_are_refused),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
