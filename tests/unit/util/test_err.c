/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "gridgov/err.h"

static void codes_map_to_http_statuses(void **state)
{
	assert_int_equal(err_http_status(GG_OK), 200);
	assert_int_equal(err_http_status(GG_EJSON), 400);
	assert_int_equal(err_http_status(GG_EMISSING), 422);
	assert_int_equal(err_http_status(GG_EUNAUTH), 401);
	assert_int_equal(err_http_status(GG_EFORBIDDEN), 403);
	assert_int_equal(err_http_status(GG_ENOTFOUND), 404);
	assert_int_equal(err_http_status(GG_EMETHOD), 405);
	assert_int_equal(err_http_status(GG_ECONFLICT), 409);
	assert_int_equal(err_http_status(GG_ETOOBIG), 413);
	assert_int_equal(err_http_status(GG_ELOCKED), 423);
	assert_int_equal(err_http_status(GG_ERATE), 429);
	assert_int_equal(err_http_status(GG_EDB), 500);
	assert_string_equal(err_code_name(GG_EMISSING), "missing_field");
}

static void unknown_codes_are_internal(void **state)
{
	assert_int_equal(err_http_status(-999), 500);
	assert_string_equal(err_code_name(-999), "internal");
}

static void err_set_records_and_returns(void **state)
{
	struct err e = ERR_INIT;
	assert_int_equal(err_set(&e, GG_EFIELD, "bad %s", "lon"), GG_EFIELD);
	assert_string_equal(e.msg, "bad lon");
	assert_string_equal(err_msg(&e), "bad lon");
	assert_int_equal(err_field(&e, GG_EMISSING, "name", "need %s", "name"), GG_EMISSING);
	assert_string_equal(e.field, "name");
	assert_int_equal(err_set(NULL, GG_EIO, "ignored"), GG_EIO);
	err_clear(&e);
	assert_string_equal(err_msg(&e), "ok");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(codes_map_to_http_statuses),
		cmocka_unit_test(unknown_codes_are_internal),
		cmocka_unit_test(err_set_records_and_returns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
