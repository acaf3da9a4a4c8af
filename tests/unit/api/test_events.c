/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The live events' broadcaster (src/api/events.c): a stream sees the cases of its scope
 * (or its department's, or its own reports) and nothing else, gets a `task` event when
 * work reaches it, is parked with nothing to send and woken by news, resumes after a
 * Last-Event-ID of this process only, is dropped (never waited for) when it falls a ring
 * behind, and the number of streams is bounded.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "api/events.h"
#include "gridgov/err.h"

static int parked, woken;
static void park(void *conn)
{
	(void)conn;
	parked++;
}
static void wake(void *conn)
{
	(void)conn;
	woken++;
}
static const struct api_sse_io io = {park, wake};

static struct principal who(enum role role, const char *scope, const char *dept, int64_t id)
{
	struct principal p = {.user_id = id, .role = role};
	snprintf(p.scope, sizeof(p.scope), "%s", scope);
	snprintf(p.dept, sizeof(p.dept), "%s", dept);
	return p;
}

static struct store_case kase(int64_t id, const char *grid, enum case_state state, const char *dept,
			      int64_t reporter)
{
	struct store_case c = {
	    .id = id, .state = state, .reporter_id = reporter, .updated_at = 1765000000};
	snprintf(c.grid, sizeof(c.grid), "%s", grid);
	snprintf(c.department, sizeof(c.department), "%s", dept);
	snprintf(c.category, sizeof(c.category), "E0101");
	return c;
}

/* Everything the stream has to send now, as text (parks it when there is nothing). */
static void drain(struct api_sse *s, char *out, size_t n)
{
	size_t len = 0;
	ssize_t k;
	while (len + 1 < n && (k = api__sse_read(s, out + len, n - 1 - len)) > 0)
		len += (size_t)k;
	out[len] = 0;
}

static int count(const char *hay, const char *needle)
{
	int n = 0;
	for (const char *p = hay; (p = strstr(p, needle)); p++)
		n++;
	return n;
}

static void a_stream_sees_its_scope_only(void **state)
{
	struct api_events *ev = api__events_new(8, 15, &io);
	struct principal lead = who(ROLE_LEADER, "510105", "", 1);
	struct principal wk = who(ROLE_GRID_WORKER, "510105002002", "", 2);
	struct principal dept = who(ROLE_DEPARTMENT, "510105", "CGZF", 3);
	struct principal citizen = who(ROLE_GRID_WORKER, "510105018006", "", 4);
	struct api_sse *s[4];
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &s[0]), GG_OK);
	assert_int_equal(api__sse_open(ev, &wk, NULL, NULL, &s[1]), GG_OK);
	assert_int_equal(api__sse_open(ev, &dept, NULL, NULL, &s[2]), GG_OK);
	assert_int_equal(api__sse_open(ev, &citizen, NULL, NULL, &s[3]), GG_OK);
	struct store_case in = kase(11, "510105002002001", CASE_REPORTED, "", 9);
	struct store_case out = kase(12, "510105018006001", CASE_DISPATCHED, "CGZF", 4);
	api__events_case(ev, &in, "create");
	api__events_case(ev, &out, "dispatch");
	char buf[8192];
	drain(s[0], buf, sizeof(buf));
	assert_non_null(strstr(buf, "retry: 3000\n"));
	assert_non_null(strstr(buf, "\"id\":11,\"state\":\"reported\",\"action\":\"create\""));
	assert_non_null(strstr(buf, "\"id\":12,\"state\":\"dispatched\""));
	assert_int_equal(count(buf, "event: task"), 0);
	drain(s[1], buf, sizeof(buf));
	assert_non_null(strstr(buf, "\"id\":11"));
	assert_null(strstr(buf, "\"id\":12"));
	/* the department: its own dispatched case, as a case and as a task; not the other */
	drain(s[2], buf, sizeof(buf));
	assert_null(strstr(buf, "\"id\":11"));
	assert_int_equal(count(buf, "event: case\ndata: {\"id\":12"), 1);
	assert_int_equal(count(buf, "event: task\ndata: {\"id\":12"), 1);
	/* out of scope, but its own report */
	drain(s[3], buf, sizeof(buf));
	assert_null(strstr(buf, "\"id\":11"));
	assert_non_null(strstr(buf, "\"id\":12"));
	for (int i = 0; i < 4; i++)
		api__sse_close(s[i]);
	api__events_free(ev);
}

static void an_idle_stream_is_parked_and_woken_by_news(void **state)
{
	struct api_events *ev = api__events_new(8, 15, &io);
	struct principal lead = who(ROLE_LEADER, "", "", 1);
	struct api_sse *s;
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &s), GG_OK);
	char buf[4096];
	drain(s, buf, sizeof(buf));
	parked = woken = 0;
	assert_int_equal(api__sse_read(s, buf, sizeof(buf)), 0);
	assert_int_equal(parked, 1);
	struct store_case c = kase(5, "510105002002", CASE_FILED, "", 0);
	api__events_case(ev, &c, "file");
	assert_int_equal(woken, 1);
	/* not parked any more: more news wakes nobody twice */
	api__events_case(ev, &c, "file");
	assert_int_equal(woken, 1);
	drain(s, buf, sizeof(buf));
	assert_int_equal(count(buf, "event: case"), 2);
	/* the server stops: the stream ends */
	api__events_shutdown(ev);
	assert_int_equal(api__sse_read(s, buf, sizeof(buf)), -1);
	api__sse_close(s);
	api__events_free(ev);
}

static void last_event_id_resumes_only_this_process(void **state)
{
	struct api_events *ev = api__events_new(8, 15, &io);
	struct principal lead = who(ROLE_LEADER, "", "", 1);
	struct api_sse *s;
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &s), GG_OK);
	for (int64_t i = 1; i <= 3; i++) {
		struct store_case c = kase(100 + i, "510105", CASE_REPORTED, "", 0);
		api__events_case(ev, &c, "create");
	}
	char buf[8192], first_id[64];
	drain(s, buf, sizeof(buf));
	api__sse_close(s);
	const char *p = strstr(buf, "id: ");
	assert_non_null(p);
	sscanf(p + 4, "%63s", first_id); /* BOOT-1: the event of case 101 */
	assert_int_equal(api__sse_open(ev, &lead, first_id, NULL, &s), GG_OK);
	drain(s, buf, sizeof(buf));
	assert_null(strstr(buf, "\"id\":101"));
	assert_non_null(strstr(buf, "\"id\":102"));
	assert_non_null(strstr(buf, "\"id\":103"));
	api__sse_close(s);
	/* another process's id: from now on, nothing replayed */
	assert_int_equal(api__sse_open(ev, &lead, "abc-1", NULL, &s), GG_OK);
	drain(s, buf, sizeof(buf));
	assert_null(strstr(buf, "\"id\":10"));
	api__sse_close(s);
	api__events_free(ev);
}

static void a_reader_a_ring_behind_is_dropped(void **state)
{
	struct api_events *ev = api__events_new(8, 15, &io);
	struct principal lead = who(ROLE_LEADER, "", "", 1);
	struct api_sse *slow, *quick;
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &slow), GG_OK);
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &quick), GG_OK);
	char buf[1 << 16];
	int got = 0;
	for (int i = 0; i < API_EVENTS_RING + 1; i++) {
		struct store_case c = kase(i + 1, "510105", CASE_REPORTED, "", 0);
		api__events_case(ev, &c, "create");
		if (i % 64 == 63) {
			drain(quick, buf, sizeof(buf));
			got += count(buf, "event: case");
		}
	}
	assert_int_equal(api__sse_read(slow, buf, sizeof(buf)), -2);
	drain(quick, buf, sizeof(buf));
	got += count(buf, "event: case");
	assert_int_equal(got, API_EVENTS_RING + 1); /* the one that kept up lost nothing */
	assert_non_null(strstr(buf, "\"id\":513,"));
	int clients;
	uint64_t published, dropped;
	api__events_stats(ev, &clients, &published, &dropped);
	assert_int_equal(clients, 2);
	assert_int_equal(published, API_EVENTS_RING + 1);
	assert_int_equal(dropped, 1);
	api__sse_close(slow);
	api__sse_close(quick);
	api__events_free(ev);
}

static void streams_are_bounded(void **state)
{
	struct api_events *ev = api__events_new(2, 15, &io);
	struct principal lead = who(ROLE_LEADER, "", "", 1);
	struct api_sse *a, *b, *c;
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &a), GG_OK);
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &b), GG_OK);
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &c), GG_EUNAVAIL);
	api__sse_close(a);
	assert_int_equal(api__sse_open(ev, &lead, NULL, NULL, &c), GG_OK);
	api__sse_close(b);
	api__sse_close(c);
	api__events_free(ev);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(a_stream_sees_its_scope_only),
	    cmocka_unit_test(an_idle_stream_is_parked_and_woken_by_news),
	    cmocka_unit_test(last_event_id_resumes_only_this_process),
	    cmocka_unit_test(a_reader_a_ring_behind_is_dropped),
	    cmocka_unit_test(streams_are_bounded),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
