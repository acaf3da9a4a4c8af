/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The client behind a trusted proxy: X-Forwarded-For is read from the right and only
 * when the peer is trusted, so a client cannot choose its own key by prepending entries.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "api/api_int.h"

static void forwarded_for_is_believed_only_from_a_trusted_peer(void **state)
{
	(void)state;
	struct arena *a = arena_new();
	struct cidr t[CIDR_MAX];
	size_t n;
	struct err e = ERR_INIT;
	assert_int_equal(cidr_parse_list("127.0.0.1,10.0.0.0/8", t, &n, &e), GG_OK);
	/* from an untrusted peer, or with no ranges, the header is ignored */
	assert_string_equal(api__forwarded_client(a, "198.51.100.4", "203.0.113.5", t, n),
			    "198.51.100.4");
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "203.0.113.5", t, 0),
			    "127.0.0.1");
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", NULL, t, n), "127.0.0.1");
	/* the right-most untrusted entry is the client; what it prepended is not believed */
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "203.0.113.5", t, n),
			    "203.0.113.5");
	assert_string_equal(
	    api__forwarded_client(a, "127.0.0.1", "1.1.1.1, 2.2.2.2,203.0.113.5", t, n),
	    "203.0.113.5");
	/* a chain of trusted proxies is walked through */
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "203.0.113.5, 10.1.1.1", t, n),
			    "203.0.113.5");
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "10.2.2.2, 10.1.1.1", t, n),
			    "10.2.2.2");
	/* an entry that is not an address stops at the last trusted hop */
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "203.0.113.5, junk", t, n),
			    "127.0.0.1");
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "junk, 10.1.1.1", t, n),
			    "10.1.1.1");
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "", t, n), "127.0.0.1");
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", " , ", t, n), "127.0.0.1");
	assert_string_equal(api__forwarded_client(a, "127.0.0.1", "2001:db8::7", t, n),
			    "2001:db8::7");
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(forwarded_for_is_believed_only_from_a_trusted_peer),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
