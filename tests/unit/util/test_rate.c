/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "gridgov/rate.h"

static void burst_then_refusal_then_refill(void **state)
{
	struct rate_limiter *rl = rate_new(64);
	int64_t retry = 0;
	for (int i = 0; i < 5; i++)
		assert_true(rate_take(rl, "1.2.3.4|report", 1000, 6, 5, &retry));
	assert_false(rate_take(rl, "1.2.3.4|report", 1000, 6, 5, &retry));
	assert_true(retry > 9000 && retry <= 10001); /* 6 a minute: one every 10 s */
	assert_false(rate_take(rl, "1.2.3.4|report", 5000, 6, 5, &retry));
	assert_true(rate_take(rl, "1.2.3.4|report", 11001, 6, 5, &retry));
	/* another client is not affected */
	assert_true(rate_take(rl, "5.6.7.8|report", 11001, 6, 5, &retry));
	rate_free(rl);
}

static void a_full_table_forgets_the_stalest_key(void **state)
{
	struct rate_limiter *rl = rate_new(4);
	int64_t retry;
	assert_true(rate_take(rl, "a", 0, 1, 1, &retry));
	assert_false(rate_take(rl, "a", 0, 1, 1, &retry));
	char key[16];
	for (int i = 0; i < 20; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		assert_true(rate_take(rl, key, 100 + i, 1, 1, &retry));
	}
	/* "a" was evicted: it starts again with a full bucket */
	assert_true(rate_take(rl, "a", 200, 1, 1, &retry));
	rate_free(rl);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(burst_then_refusal_then_refill),
		cmocka_unit_test(a_full_table_forgets_the_stalest_key),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
