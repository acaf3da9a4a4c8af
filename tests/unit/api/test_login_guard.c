/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Login lock-out counters: reservations bound the passwords checked, the limit-th failure
 * locks, a success after the lock is refused, and a full set never forgets a lock.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>

#include "api/api_int.h"
#include "gridgov/sec.h"

static void reservations_bound_the_checks_in_flight(void **state)
{
	struct api_login_guard *g = api__guard_new();
	int64_t until, now = 1000;
	for (int i = 0; i < 5; i++)
		assert_int_equal(api__guard_reserve(g, "p|admin|1.2.3.4", 5, now, &until), GG_OK);
	/* a sixth guess while five are being checked is not checked at all */
	assert_int_equal(api__guard_reserve(g, "p|admin|1.2.3.4", 5, now, &until), GG_ERATE);
	/* another key is counted apart */
	assert_int_equal(api__guard_reserve(g, "p|admin|5.6.7.8", 5, now, &until), GG_OK);
	api__guard_release(g, "p|admin|5.6.7.8", now);
	for (int i = 0; i < 4; i++)
		assert_int_equal(api__guard_finish(g, "p|admin|1.2.3.4", 0, 5, 900, now, &until),
				 GG_OK);
	/* the fifth failure locks; a right password checked meanwhile is refused */
	assert_int_equal(api__guard_finish(g, "p|admin|1.2.3.4", 0, 5, 900, now, &until),
			 GG_ELOCKED);
	assert_int_equal(until, now + 900);
	assert_int_equal(api__guard_reserve(g, "p|admin|1.2.3.4", 5, now + 10, &until), GG_ELOCKED);
	assert_int_equal(until, now + 900);
	/* after the lock: counting starts afresh */
	assert_int_equal(api__guard_reserve(g, "p|admin|1.2.3.4", 5, now + 901, &until), GG_OK);
	assert_int_equal(api__guard_finish(g, "p|admin|1.2.3.4", 1, 5, 900, now + 901, &until),
			 GG_OK);
	api__guard_free(g);
}

static void a_success_finishing_after_the_lock_is_refused(void **state)
{
	struct api_login_guard *g = api__guard_new();
	int64_t until, now = 50;
	assert_int_equal(api__guard_reserve(g, "n|leader", 2, now, &until), GG_OK); /* right */
	assert_int_equal(api__guard_reserve(g, "n|leader", 2, now, &until), GG_OK); /* wrong */
	assert_int_equal(api__guard_finish(g, "n|leader", 0, 1, 900, now, &until), GG_ELOCKED);
	assert_int_equal(api__guard_finish(g, "n|leader", 1, 2, 900, now, &until), GG_ELOCKED);
	api__guard_free(g);
}

/* Failing once with thousands of other names must not reset the count of an account. */
static void crowding_the_table_does_not_wipe_a_count(void **state)
{
	struct api_login_guard *g = api__guard_new();
	int64_t until, now = 100;
	char key[32];
	for (int i = 0; i < 19; i++) {
		assert_int_equal(api__guard_reserve(g, "n|admin", 20, now, &until), GG_OK);
		assert_int_equal(api__guard_finish(g, "n|admin", 0, 20, 900, now, &until), GG_OK);
	}
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "n|user%d", i);
		if (api__guard_reserve(g, key, 20, now + 1, &until) == GG_OK)
			assert_int_equal(api__guard_finish(g, key, 0, 20, 900, now + 1, &until),
					 GG_OK);
	}
	/* the twentieth failure of admin still locks it */
	assert_int_equal(api__guard_reserve(g, "n|admin", 20, now + 2, &until), GG_OK);
	assert_int_equal(api__guard_finish(g, "n|admin", 0, 20, 900, now + 2, &until), GG_ELOCKED);
	api__guard_free(g);
}

static void a_full_table_refuses_rather_than_forgets_a_lock(void **state)
{
	struct api_login_guard *g = api__guard_new();
	int64_t until, now = 7;
	char key[32];
	int locked = 0, refused = 0;
	/* lock far more keys than the table holds: every lock that was taken stays */
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "n|user%d", i);
		if (api__guard_reserve(g, key, 1, now, &until) != GG_OK) {
			refused++;
			continue;
		}
		if (api__guard_finish(g, key, 0, 1, 900, now, &until) == GG_ELOCKED)
			locked++;
	}
	assert_true(refused > 0);
	assert_int_equal(locked + refused, 20000);
	int still = 0;
	for (int i = 0; i < 20000; i++) {
		snprintf(key, sizeof(key), "n|user%d", i);
		int rc = api__guard_reserve(g, key, 1, now + 1, &until);
		still += rc == GG_ELOCKED;
		if (rc == GG_OK)
			api__guard_release(g, key, now + 1);
	}
	assert_int_equal(still, locked);
	api__guard_free(g);
}

int main(void)
{
	if (sec_init() != 0)
		return 1;
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(reservations_bound_the_checks_in_flight),
	    cmocka_unit_test(a_success_finishing_after_the_lock_is_refused),
	    cmocka_unit_test(a_full_table_refuses_rather_than_forgets_a_lock),
	    cmocka_unit_test(crowding_the_table_does_not_wipe_a_count),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
