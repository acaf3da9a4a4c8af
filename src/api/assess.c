/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assessment 考核 over HTTP (issue 16): rankings of workers, departments, regions and
 * operators per week, month, quarter or year (China time), the scoring schemes and their
 * versions, closing a period (a frozen snapshot chained by hash) and appeals 申诉 decided
 * by a leader. The formulas are in src/assess/; this file parses, checks role and scope,
 * and renders. Rankings are read within the caller's scope: under= narrows it, never
 * widens it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/assess_export.h"
#include "gridgov/assess_run.h"
#include "gridgov/store_stats.h"
#include "gridgov/clock.h"
#include "gridgov/export.h"

/* kind, period, at and under of a request (query string or JSON body) into q. */
static int ask(struct api_req *r, const char *kind, const char *period, const char *at,
	       const char *under, struct assess_query *q)
{
	memset(q, 0, sizeof(*q));
	int k = assess_kind_parse(kind ? kind : "");
	if (k < 0)
		return err_field(&r->err, GG_EFIELD, "kind",
				 "kind is worker, department, region or operator");
	int p = assess_period_parse(period ? period : "month");
	if (p < 0)
		return err_field(&r->err, GG_EFIELD, "period",
				 "period is week, month, quarter or year");
	q->kind = (enum assess_kind)k;
	q->period = (enum assess_period)p;
	int64_t t = clock_now();
	if (at && clock_parse_bound(at, 0, &t))
		return err_field(&r->err, GG_EFIELD, "at", "at is a date YYYY-MM-DD");
	q->at_day = clock_local_day(t);
	q->under = r->who.scope;
	if (under && under[0]) {
		if (grid_level_of_code(under) == GRID_LEVEL_NONE)
			return err_field(&r->err, GG_EFIELD, "under", "under is a grid code");
		if (!principal_covers(&r->who, under))
			return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", under);
		q->under = under;
	}
	return GG_OK;
}

static void reverse_ranked(json_t *items)
{
	size_t n = 0;
	while (n < json_array_size(items) &&
	       !json_is_null(json_object_get(json_array_get(items, n), "rank")))
		n++;
	for (size_t i = 0; i + 1 < n - i; i++) {
		json_t *a = json_incref(json_array_get(items, i));
		json_t *b = json_incref(json_array_get(items, n - 1 - i));
		json_array_set_new(items, i, b);
		json_array_set_new(items, n - 1 - i, a);
	}
}

/* The ranking of q: the frozen snapshot when its period is closed, else computed now. */
static int ranking(struct api_req *r, struct assess_query *q, json_t **out)
{
	int64_t from, to;
	assess_period_of(q->period, q->at_day, &from, &to);
	struct store_assess_snapshot snap;
	int rc = store_assess_snapshot_get(r->db, assess_kind_name(q->kind),
					   assess_period_name(q->period), q->under, from, r->arena,
					   &snap, &r->err);
	if (rc == GG_OK) {
		json_error_t je;
		json_t *j = json_loads(snap.body, 0, &je);
		if (!j)
			return err_set(&r->err, GG_EINTERNAL, "snapshot %lld unreadable",
				       (long long)snap.id);
		char at[40];
		clock_format_utc(snap.closed_at, at, sizeof(at));
		json_object_set_new(j, "frozen",
				    json_pack("{s:I,s:s,s:s,s:s,s:s}", "id", (json_int_t)snap.id,
					      "hash", snap.hash, "prev_hash", snap.prev_hash,
					      "closed_by", snap.closed_by, "closed_at", at));
		if (q->worst_first)
			reverse_ranked(json_object_get(j, "items"));
		*out = j;
		return GG_OK;
	}
	if (rc != GG_ENOTFOUND)
		return rc;
	r->err = (struct err)ERR_INIT; /* not closed: computed now */
	int ready = 0;
	if ((rc = store_stats_ready(r->db, &ready, &r->err)))
		return rc;
	if (!ready) {
		r->retry_after = "30";
		return err_set(
		    &r->err, GG_EUNAVAIL,
		    "the statistics are being rebuilt from the cases; try again shortly");
	}
	struct assess_result res;
	if ((rc = assess_run(r->db, q, r->arena, &res, &r->err)))
		return rc;
	*out = assess_result_json(q, &res);
	json_object_set_new(*out, "frozen", json_null());
	return GG_OK;
}

/* ---- exports: tables through src/export ------------------------------------------------ */

static void cell(struct export_book *b, json_t *v)
{
	if (json_is_integer(v))
		export_int(b, (long long)json_integer_value(v));
	else if (json_is_number(v))
		export_num(b, json_number_value(v));
	else if (json_is_string(v))
		export_text(b, json_string_value(v));
	else if (json_is_true(v))
		export_text(b, "是");
	else
		export_text(b, NULL);
}

int api__sheets_send(struct api_req *r, enum export_format f, const struct api_sheet *sh,
		     size_t nsh)
{
	struct export_book *b = export_open(f, 0, &r->err);
	if (!b)
		return r->err.code ? r->err.code : GG_EINTERNAL;
	int rc = GG_OK;
	for (size_t s = 0; s < nsh && rc == GG_OK && (f == EXPORT_XLSX || s == 0); s++) {
		if ((rc = export_sheet(b, sh[s].name, sh[s].headers, sh[s].ncols, &r->err)))
			break;
		size_t i;
		json_t *row;
		json_array_foreach(sh[s].rows, i, row)
		{
			size_t k;
			json_t *v;
			json_array_foreach(row, k, v) cell(b, v);
			if ((rc = export_row(b, &r->err)))
				break;
		}
	}
	char *data = NULL;
	size_t len = 0;
	if (rc == GG_OK)
		rc = export_finish(b, &data, &len, &r->err);
	export_free(b);
	if (rc)
		return rc;
	char *copy = arena_alloc(r->arena, len ? len : 1);
	memcpy(copy, data, len);
	free(data);
	r->raw = copy;
	r->raw_len = len;
	r->raw_type = export_content_type(f);
	return GG_OK;
}

/* The ranking's table: one row per subject, each indicator's value, numerator and base. */
static int send_ranking(struct api_req *r, json_t *j, enum export_format f)
{
	json_t *items = json_object_get(j, "items"), *first = json_array_get(items, 0);
	json_t *ind = first ? json_object_get(first, "indicators") : NULL;
	const char *fixed[] = {"排名 rank",  "对象 subject",   "名称 name",	"得分 score",
			       "等级 grade", "样本不足 small", "扣分 deducted", "较上期 change"};
	size_t nfix = sizeof(fixed) / sizeof(fixed[0]), nind = ind ? json_object_size(ind) : 0;
	const char **headers = arena_alloc(r->arena, sizeof(char *) * (nfix + 3 * nind));
	memcpy(headers, fixed, sizeof(fixed));
	size_t h = nfix;
	const char *key;
	json_t *v;
	json_object_foreach(ind, key, v)
	{
		const char *nm = json_string_value(json_object_get(v, "name"));
		headers[h++] = arena_printf(r->arena, "%s", nm ? nm : key);
		headers[h++] = arena_printf(r->arena, "%s 分子", nm ? nm : key);
		headers[h++] = arena_printf(r->arena, "%s 分母", nm ? nm : key);
	}
	json_t *rows = json_array();
	size_t i;
	json_t *it;
	json_array_foreach(items, i, it)
	{
		json_t *row = json_pack(
		    "[O,O,O,O,O,O,O,O]", json_object_get(it, "rank"),
		    json_object_get(it, "subject"), json_object_get(it, "name"),
		    json_object_get(it, "score"), json_object_get(it, "grade"),
		    json_object_get(it, "small"), json_object_get(it, "deducted"),
		    json_object_get(json_object_get(it, "change"), "score") ?: json_null());
		json_t *xi = json_object_get(it, "indicators");
		json_object_foreach(ind, key, v)
		{
			json_t *x = json_object_get(xi, key);
			json_array_append(row, json_object_get(x, "value") ?: json_null());
			json_array_append(row, json_object_get(x, "num") ?: json_null());
			json_array_append(row, json_object_get(x, "den") ?: json_null());
		}
		json_array_append_new(rows, row);
	}
	struct api_sheet sh = {"排名", headers, (int)h, rows};
	int rc = api__sheets_send(r, f, &sh, 1);
	json_decref(rows);
	return rc;
}

/* GET /api/v1/rankings?kind=&period=&at=&under=&order=best|worst[&format=csv|xlsx] */
int api_rankings(struct api_req *r)
{
	struct assess_query q;
	int rc = ask(r, api_query(r, "kind"), api_query(r, "period"), api_query(r, "at"),
		     api_query(r, "under"), &q);
	if (rc)
		return rc;
	const char *order = api_query(r, "order");
	if (order && strcmp(order, "best") && strcmp(order, "worst"))
		return err_field(&r->err, GG_EFIELD, "order", "order is best or worst");
	q.worst_first = order && !strcmp(order, "worst");
	const char *format = api_query(r, "format");
	enum export_format f = 0;
	if (format && strcmp(format, "json") && export_format_parse(format, &f))
		return err_field(&r->err, GG_EFIELD, "format", "format is json, csv or xlsx");
	json_t *j;
	if ((rc = ranking(r, &q, &j)))
		return rc;
	if (f) {
		rc = send_ranking(r, j, f);
		json_decref(j);
		return rc;
	}
	api_reply(r, 200, j);
	return GG_OK;
}

static json_t *scheme_json(const struct assess_scheme *s)
{
	char *t = assess_scheme_json(s);
	json_error_t je;
	json_t *j = json_loads(t, 0, &je);
	free(t);
	return j;
}

/* GET /api/v1/assess/schemes?kind=[&at=]: the version in force and every stored one. */
int api_assess_schemes(struct api_req *r)
{
	int k = assess_kind_parse(api_query(r, "kind") ? api_query(r, "kind") : "");
	if (k < 0)
		return err_field(&r->err, GG_EFIELD, "kind",
				 "kind is worker, department, region or operator");
	int64_t t = clock_now();
	const char *at = api_query(r, "at");
	if (at && clock_parse_bound(at, 0, &t))
		return err_field(&r->err, GG_EFIELD, "at", "at is a date YYYY-MM-DD");
	struct assess_scheme cur, def;
	struct store_assess_scheme *v;
	size_t n;
	int rc = assess_scheme_at(r->db, (enum assess_kind)k, clock_local_day(t), r->arena, &cur,
				  &r->err);
	if (rc || (rc = store_assess_schemes(r->db, assess_kind_name((enum assess_kind)k), r->arena,
					     &v, &n, &r->err)))
		return rc;
	json_t *versions = json_array();
	assess_scheme_default((enum assess_kind)k, &def);
	json_array_append_new(versions, scheme_json(&def));
	for (size_t i = 0; i < n; i++) {
		json_error_t je;
		json_t *j = json_loads(v[i].body, 0, &je);
		if (!j)
			continue;
		json_object_set_new(j, "version", json_integer(v[i].version));
		json_object_set_new(j, "author", json_string(v[i].author));
		json_array_append_new(versions, j);
	}
	api_reply(r, 200,
		  json_pack("{s:o,s:o}", "current", scheme_json(&cur), "versions", versions));
	return GG_OK;
}

/* POST /api/v1/assess/schemes (admin): a new version from valid_from (today by default). */
int api_assess_scheme_create(struct api_req *r)
{
	if (!json_is_object(r->json))
		return err_set(&r->err, GG_EJSON, "a scheme is a JSON object");
	char *text = json_dumps(r->json, JSON_COMPACT);
	struct assess_scheme s;
	int rc = assess_scheme_parse(text, &s, &r->err);
	free(text);
	if (rc)
		return rc;
	int64_t now = clock_now(), today = clock_local_day(now);
	if (!json_object_get(r->json, "valid_from"))
		s.valid_from = today;
	if ((rc = assess_scheme_save(r->db, &s, today, r->who.name, now, &r->err)))
		return rc;
	api_reply(r, 201, scheme_json(&s));
	return GG_OK;
}

static int body_query(struct api_req *r, struct assess_query *q)
{
	const char *kind = NULL, *period = NULL, *at = NULL, *under = NULL;
	int rc;
	if ((rc = api_body_str(r, "kind", 1, &kind)) ||
	    (rc = api_body_str(r, "period", 1, &period)) || (rc = api_body_str(r, "at", 1, &at)) ||
	    (rc = api_body_str(r, "under", 0, &under)))
		return rc;
	return ask(r, kind, period, at, under, q);
}

/* POST /api/v1/rankings/close {kind, period, at, under}: a leader publishes a period. */
int api_rankings_close(struct api_req *r)
{
	struct assess_query q;
	int rc = body_query(r, &q);
	if (rc)
		return rc;
	struct store_assess_snapshot v;
	if ((rc = assess_close(r->db, &q, r->who.name, clock_now(), r->arena, &v, &r->err)))
		return rc;
	json_t *j;
	if ((rc = ranking(r, &q, &j)))
		return rc;
	api_reply(r, 201, j);
	return GG_OK;
}

static json_t *appeal_json(const struct store_assess_appeal *v)
{
	char at[40], dat[40] = "";
	clock_format_utc(v->at, at, sizeof(at));
	if (v->decided_at)
		clock_format_utc(v->decided_at, dat, sizeof(dat));
	return json_pack("{s:I,s:I,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s,s:s?}", "id", (json_int_t)v->id,
			 "snapshot", (json_int_t)v->snapshot_id, "subject", v->subject, "reason",
			 v->reason, "evidence", v->evidence, "by", v->by_name, "at", at, "state",
			 v->state, "decided_by", v->decided_by, "decision", v->decision,
			 "decided_at", v->decided_at ? dat : NULL);
}

/* Whether the caller answers for subject in a ranking of kind (an appeal is theirs). */
static int own_subject(const struct api_req *r, enum assess_kind k, const char *subject)
{
	char id[24];
	snprintf(id, sizeof(id), "%lld", (long long)r->who.user_id);
	switch (k) {
	case ASSESS_WORKER:
	case ASSESS_OPERATOR:
		return !strcmp(subject, id);
	case ASSESS_DEPARTMENT:
		return r->who.role == ROLE_DEPARTMENT && !strcmp(subject, r->who.dept);
	case ASSESS_REGION:
		return r->who.role != ROLE_DEPARTMENT && principal_covers(&r->who, subject);
	default:
		return 0;
	}
}

/* POST /api/v1/rankings/appeals {kind, period, at, under, subject, reason, evidence} */
int api_rankings_appeal(struct api_req *r)
{
	const char *kind = NULL, *period = NULL, *at = NULL, *under = NULL, *subject = NULL,
		   *reason = NULL, *evidence = NULL;
	int rc;
	if ((rc = api_body_str(r, "kind", 1, &kind)) ||
	    (rc = api_body_str(r, "period", 1, &period)) || (rc = api_body_str(r, "at", 1, &at)) ||
	    (rc = api_body_str(r, "under", 0, &under)) ||
	    (rc = api_body_str(r, "subject", 1, &subject)) ||
	    (rc = api_body_str(r, "reason", 1, &reason)) ||
	    (rc = api_body_str(r, "evidence", 0, &evidence)))
		return rc;
	if (!reason[0] || strlen(reason) >= 1024 || (evidence && strlen(evidence) >= 1024))
		return err_field(&r->err, GG_EFIELD, "reason", "a reason of 1 to 1023 bytes");
	struct assess_query q;
	memset(&q, 0, sizeof(q));
	int k = assess_kind_parse(kind), p = assess_period_parse(period);
	int64_t t;
	if (k < 0 || p < 0 || clock_parse_bound(at, 0, &t))
		return err_field(&r->err, GG_EFIELD, "kind", "kind, period and at name a ranking");
	if (!own_subject(r, (enum assess_kind)k, subject) && r->who.role != ROLE_ADMIN)
		return api_fail(r, GG_EFORBIDDEN, "an appeal is made by the subject it concerns");
	int64_t from, to;
	assess_period_of((enum assess_period)p, clock_local_day(t), &from, &to);
	struct store_assess_snapshot snap;
	/* the ranking as the appellant reads it: under= or their scope */
	if ((rc = store_assess_snapshot_get(r->db, kind, period, under ? under : r->who.scope, from,
					    r->arena, &snap, &r->err)))
		return rc == GG_ENOTFOUND
			   ? err_set(&r->err, GG_ESTATE, "appeals are made against a closed period")
			   : rc;
	struct store_assess_appeal v = {
	    .snapshot_id = snap.id, .by_user = r->who.user_id, .at = clock_now()};
	snprintf(v.subject, sizeof(v.subject), "%s", subject);
	snprintf(v.reason, sizeof(v.reason), "%s", reason);
	snprintf(v.evidence, sizeof(v.evidence), "%s", evidence ? evidence : "");
	snprintf(v.by_name, sizeof(v.by_name), "%s", r->who.name);
	if ((rc = store_assess_appeal_put(r->db, &v, &r->err)))
		return rc;
	api_reply(r, 201, appeal_json(&v));
	return GG_OK;
}

/* POST /api/v1/rankings/appeals/{id}/decide {state: upheld|rejected, decision} (leader) */
int api_rankings_appeal_decide(struct api_req *r)
{
	char *end;
	long long id = strtoll(r->params[0], &end, 10);
	if (*end)
		return api_fail(r, GG_ENOTFOUND, "no appeal %s", r->params[0]);
	const char *state = NULL, *decision = "";
	int rc;
	if ((rc = api_body_str(r, "state", 1, &state)) ||
	    (rc = api_body_str(r, "decision", 0, &decision)))
		return rc;
	if (strcmp(state, "upheld") && strcmp(state, "rejected"))
		return err_field(&r->err, GG_EFIELD, "state", "state is upheld or rejected");
	decision = decision ? decision : "";
	if (strlen(decision) >= 1024)
		return err_field(&r->err, GG_EFIELD, "decision", "decision too long");
	struct store_assess_appeal v;
	if ((rc = store_assess_appeal_get(r->db, id, &v, &r->err)) ||
	    (rc = store_assess_appeal_decide(r->db, id, state, r->who.name, decision, clock_now(),
					     &r->err)) ||
	    (rc = store_assess_appeal_get(r->db, id, &v, &r->err)))
		return rc;
	api_reply(r, 200, appeal_json(&v));
	return GG_OK;
}

/* GET /api/v1/rankings/appeals?snapshot=ID */
int api_rankings_appeals(struct api_req *r)
{
	const char *s = api_query(r, "snapshot");
	long long id = s ? strtoll(s, NULL, 10) : 0;
	struct store_assess_appeal *v;
	size_t n;
	int rc = store_assess_appeals(r->db, id, r->arena, &v, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, appeal_json(&v[i]));
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}
