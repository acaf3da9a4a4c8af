/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/time: the server's clock and the platform's time zone, so that clients ask
 * for "today" and "the last 30 days" as the server counts them (China Standard Time by
 * default), whatever zone the browser or phone runs in, and follow the test clock.
 */
#include "api/api_int.h"
#include "gridgov/clock.h"

int api_time(struct api_req *r)
{
	int64_t now = clock_now();
	char utc[32], local[32], today[16];
	clock_format_utc(now, utc, sizeof(utc));
	clock_format_local(now, local, sizeof(local));
	clock_format_local_date(now, today, sizeof(today));
	api_reply(r, 200,
		  json_pack("{s:s,s:s,s:I,s:s,s:s,s:I}", "now", utc, "local", local, "epoch_ms",
			    (json_int_t)clock_now_ms(), "today", today, "time_zone",
			    clock_zone_name(), "utc_offset", (json_int_t)clock_utc_offset()));
	return GG_OK;
}
