/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Assessment over the store (include/gridgov/assess_run.h). Where each count comes from:
 * - regions and departments: the case summaries (store_stats_sum: the cases reported in
 *   the period, by day of report), so their cost is nodes × days whatever the volume;
 *   the region's 上报率 is the share reported through the grid workers' channel (kind 2
 *   rows of channel "worker");
 * - 督办 points: the rounds opened in the period (store_assess_points);
 * - workers and operators: one indexed read per count over the period's window
 *   (store_assess_actor_counts), and for 漏报率 the summaries of the worker's grid: the
 *   cases reported there, and of them those not reported by a grid worker.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/assess_run.h"
#include "gridgov/clock.h"
#include "gridgov/grid.h"
#include "gridgov/store_stats.h"

/* The channels by which grid workers report what they find (the console's "worker", and
 * the names the i18n table also knows for the worker's app). */
static int worker_channel(const char *chan)
{
	return !strcmp(chan, "worker") || !strcmp(chan, "grid_app") || !strcmp(chan, "app");
}

int assess_scheme_at(struct store *s, enum assess_kind k, int64_t day, struct arena *a,
		     struct assess_scheme *out, struct err *err)
{
	struct store_assess_scheme *v;
	size_t n;
	int rc = store_assess_schemes(s, assess_kind_name(k), a, &v, &n, err);
	if (rc)
		return rc;
	const struct store_assess_scheme *best = NULL;
	for (size_t i = 0; i < n; i++)
		if (v[i].valid_from <= day && (!best || v[i].valid_from >= best->valid_from))
			best = &v[i];
	if (!best) {
		assess_scheme_default(k, out);
		return GG_OK;
	}
	if ((rc = assess_scheme_parse(best->body, out, err)))
		return rc;
	out->version = best->version;
	out->valid_from = best->valid_from;
	return GG_OK;
}

int assess_scheme_save(struct store *st, struct assess_scheme *s, int64_t today, const char *author,
		       int64_t now, struct err *err)
{
	int rc = assess_scheme_check(s, err);
	if (rc)
		return rc;
	if (s->valid_from < today)
		return err_field(err, GG_EFIELD, "valid_from",
				 "a new version starts today or later: past periods keep theirs");
	s->version = 0;
	char *body = assess_scheme_json(s);
	rc = store_assess_scheme_put(st, assess_kind_name(s->kind), s->valid_from, body, author,
				     now, &s->version, err);
	free(body);
	return rc;
}

/* ---- subjects and a lookup by key -------------------------------------------------- */

struct key_ix {
	const char *key;
	size_t i;
};

static int by_key(const void *a, const void *b)
{
	return strcmp(((const struct key_ix *)a)->key, ((const struct key_ix *)b)->key);
}

/* An index of keys (key(v, i)) sorted for lookup. */
static struct key_ix *index_of(struct arena *a, size_t n, const char *(*key)(void *, size_t),
			       void *v)
{
	struct key_ix *ix = arena_alloc(a, sizeof(*ix) * (n ? n : 1));
	for (size_t i = 0; i < n; i++)
		ix[i] = (struct key_ix){key(v, i), i};
	qsort(ix, n, sizeof(*ix), by_key);
	return ix;
}

/* The first entry with key k, or NULL; equal keys follow it. */
static const struct key_ix *find(const struct key_ix *ix, size_t n, const char *k)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = (lo + hi) / 2;
		if (strcmp(ix[mid].key, k) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < n && !strcmp(ix[lo].key, k) ? &ix[lo] : NULL;
}

static const char *subject_id(void *v, size_t i)
{
	return ((struct assess_subject *)v)[i].id;
}

static int sum_level(const char *code)
{
	int l = code[0] ? (int)grid_level_of_code(code) : 1;
	return l < 1 ? 1 : l > STORE_SUM_LEVELS ? STORE_SUM_LEVELS : l;
}

static void add_summary(int64_t *c, const int64_t *v)
{
	for (int k = 0; k < SUM_CLOSED_DAY; k++)
		c[k] += v[k]; /* AC_REPORTED … AC_SATISFIED are SUM_REPORTED … SUM_SATISFIED */
}

_Static_assert(AC_SATISFIED == (int)SUM_SATISFIED && AC_REPORTED == (int)SUM_REPORTED,
	       "the first counts of assess.h are the summaries' columns");

/* The subject whose code is key or an ancestor of it (regions: children of the scope). */
static struct assess_subject *region_of(struct assess_subject *v, size_t n, const char *node)
{
	for (size_t i = 0; i < n; i++) {
		size_t l = strlen(v[i].id);
		if (!strncmp(node, v[i].id, l))
			return &v[i];
	}
	return NULL;
}

static int load_regions(struct store *s, const char *under, int64_t from, int64_t to,
			struct arena *a, struct assess_subject **out, size_t *n, struct err *err)
{
	struct grid_node *g;
	size_t ng;
	int lvl = under[0] ? (int)grid_level_of_code(under) : 0;
	if (lvl >= GRID_GRID)
		return err_field(err, GG_EFIELD, "under",
				 "regions are ranked under a community or above");
	int rc = store_grid_children(s, under, a, &g, &ng, err);
	if (rc)
		return rc;
	struct assess_subject *v = arena_zalloc(a, sizeof(*v) * (ng ? ng : 1));
	for (size_t i = 0; i < ng; i++) {
		snprintf(v[i].id, sizeof(v[i].id), "%s", g[i].code);
		snprintf(v[i].name, sizeof(v[i].name), "%s", g[i].name);
	}
	struct store_stats_q q = {
	    .scope = under, .lvl = lvl + 1, .kind = 0, .day_from = from, .day_to = to};
	struct store_stats_row *rows;
	size_t nr;
	if ((rc = store_stats_sum(s, &q, a, &rows, &nr, err)))
		return rc;
	for (size_t i = 0; i < nr; i++) {
		struct assess_subject *x = region_of(v, ng, rows[i].node);
		if (x)
			add_summary(x->c, rows[i].v);
	}
	q.kind = 2;
	if ((rc = store_stats_sum(s, &q, a, &rows, &nr, err)))
		return rc;
	for (size_t i = 0; i < nr; i++) {
		struct assess_subject *x = region_of(v, ng, rows[i].node);
		if (x && worker_channel(rows[i].chan))
			x->c[AC_WORKER_REPORTED] += rows[i].v[SUM_REPORTED];
	}
	struct store_assess_points *p;
	size_t np;
	if ((rc = store_assess_points(s, "grid", under, clock_day_start(from), clock_day_start(to),
				      a, &p, &np, err)))
		return rc;
	for (size_t i = 0; i < np; i++) {
		struct assess_subject *x = region_of(v, ng, p[i].target);
		if (x) {
			x->c[AC_POINTS] += p[i].points;
			x->c[AC_ROUNDS] += p[i].rounds;
		}
	}
	*out = v;
	*n = ng;
	return GG_OK;
}

static int load_departments(struct store *s, const char *under, int64_t from, int64_t to,
			    struct arena *a, struct assess_subject **out, size_t *n,
			    struct err *err)
{
	struct store_dept *d;
	size_t nd;
	int rc = store_dept_list(s, a, &d, &nd, err);
	if (rc)
		return rc;
	struct assess_subject *v = arena_zalloc(a, sizeof(*v) * (nd ? nd : 1));
	for (size_t i = 0; i < nd; i++) {
		snprintf(v[i].id, sizeof(v[i].id), "%s", d[i].code);
		snprintf(v[i].name, sizeof(v[i].name), "%s", d[i].name);
	}
	struct key_ix *ix = index_of(a, nd, subject_id, v);
	struct store_stats_q q = {
	    .scope = under, .lvl = sum_level(under), .kind = 1, .day_from = from, .day_to = to};
	struct store_stats_row *rows;
	size_t nr;
	if ((rc = store_stats_sum(s, &q, a, &rows, &nr, err)))
		return rc;
	for (size_t i = 0; i < nr; i++) {
		const struct key_ix *k = find(ix, nd, rows[i].dept);
		if (k)
			add_summary(v[k->i].c, rows[i].v);
	}
	struct store_assess_points *p;
	size_t np;
	if ((rc = store_assess_points(s, "department", under, clock_day_start(from),
				      clock_day_start(to), a, &p, &np, err)))
		return rc;
	for (size_t i = 0; i < np; i++) {
		const struct key_ix *k = find(ix, nd, p[i].target);
		if (k) {
			v[k->i].c[AC_POINTS] += p[i].points;
			v[k->i].c[AC_ROUNDS] += p[i].rounds;
		}
	}
	*out = v;
	*n = nd;
	return GG_OK;
}

/* Whether a person's scope lies under `under`, or (operators, whose scope is a whole
 * district) above it. */
static int person_in(const char *scope, const char *under, int above_ok)
{
	size_t lu = strlen(under), ls = strlen(scope);
	return !strncmp(scope, under, lu) || (above_ok && ls < lu && !strncmp(under, scope, ls));
}

struct person_counts {
	enum store_assess_what what;
	enum assess_count n, ok;
};

static int load_people(struct store *s, enum assess_kind kind, const char *under, int64_t from,
		       int64_t to, struct arena *a, struct assess_subject **out, size_t *n,
		       struct err *err)
{
	static const struct person_counts worker[] = {
	    {SA_OWN_REPORTS, AC_OWN_REPORTED, AC_OWN_EFFECTIVE},
	    {SA_VERIFY, AC_VERIFIED, AC_VERIFIED_ON_TIME},
	    {SA_SELF, AC_SELF_HANDLED, AC_COUNT},
	    {SA_CORRECTIONS, AC_CORRECTIONS, AC_COUNT},
	};
	static const struct person_counts operator[] = {
	    {SA_FILE, AC_FILED_BY, AC_FILED_BY_ON_TIME},
	    {SA_DISPATCH, AC_DISPATCHED_BY, AC_DISPATCHED_BY_ACCURATE},
	};
	const struct person_counts *pc = kind == ASSESS_WORKER ? worker : operator;
	size_t npc = kind == ASSESS_WORKER ? 4 : 2;
	enum role role = kind == ASSESS_WORKER ? ROLE_GRID_WORKER : ROLE_OPERATOR;
	struct store_user *u;
	size_t nu, m = 0;
	int rc = store_user_list(s, a, &u, &nu, err);
	if (rc)
		return rc;
	struct assess_subject *v = arena_zalloc(a, sizeof(*v) * (nu ? nu : 1));
	char(*grid)[GRID_CODE_MAX] = arena_zalloc(a, GRID_CODE_MAX * (nu ? nu : 1));
	for (size_t i = 0; i < nu; i++) {
		if (u[i].who.role != role || !u[i].active ||
		    !person_in(u[i].who.scope, under, kind == ASSESS_OPERATOR))
			continue;
		snprintf(v[m].id, sizeof(v[m].id), "%lld", (long long)u[i].id);
		snprintf(v[m].name, sizeof(v[m].name), "%s", u[i].who.name);
		/* the worker's grid key: the basic grid of their scope */
		snprintf(grid[m], GRID_CODE_MAX, "%.*s", 15, u[i].who.scope);
		m++;
	}
	struct key_ix *ix = index_of(a, m, subject_id, v);
	int64_t t0 = clock_day_start(from), t1 = clock_day_start(to);
	for (size_t k = 0; k < npc; k++) {
		struct store_assess_count *c;
		size_t nc;
		if ((rc = store_assess_actor_counts(s, pc[k].what, under, t0, t1, a, &c, &nc, err)))
			return rc;
		for (size_t i = 0; i < nc; i++) {
			char id[24];
			snprintf(id, sizeof(id), "%lld", (long long)c[i].actor);
			const struct key_ix *x = find(ix, m, id);
			if (!x)
				continue;
			v[x->i].c[pc[k].n] += c[i].n;
			if (pc[k].ok < AC_COUNT)
				v[x->i].c[pc[k].ok] += c[i].ok;
		}
	}
	if (kind == ASSESS_WORKER && m) {
		/* 漏报: the worker's grid's reports, and of them those from other channels */
		struct key_ix *gx = arena_alloc(a, sizeof(*gx) * m);
		for (size_t i = 0; i < m; i++)
			gx[i] = (struct key_ix){grid[i], i};
		qsort(gx, m, sizeof(*gx), by_key);
		struct store_stats_q q = {
		    .scope = under, .lvl = 4, .kind = 2, .day_from = from, .day_to = to};
		struct store_stats_row *rows;
		size_t nr;
		if ((rc = store_stats_sum(s, &q, a, &rows, &nr, err)))
			return rc;
		for (size_t i = 0; i < nr; i++) {
			const struct key_ix *x = find(gx, m, rows[i].node);
			int worker_chan = worker_channel(rows[i].chan);
			for (; x && x < gx + m && !strcmp(x->key, rows[i].node); x++) {
				v[x->i].c[AC_GRID_REPORTED] += rows[i].v[SUM_REPORTED];
				if (!worker_chan)
					v[x->i].c[AC_GRID_MISSED] += rows[i].v[SUM_REPORTED];
			}
		}
	}
	*out = v;
	*n = m;
	return GG_OK;
}

int assess_counts(struct store *s, const struct assess_query *q, int64_t from, int64_t to,
		  struct arena *a, struct assess_subject **out, size_t *n, struct err *err)
{
	const char *under = q->under ? q->under : "";
	switch (q->kind) {
	case ASSESS_REGION:
		return load_regions(s, under, from, to, a, out, n, err);
	case ASSESS_DEPARTMENT:
		return load_departments(s, under, from, to, a, out, n, err);
	case ASSESS_WORKER:
	case ASSESS_OPERATOR:
		return load_people(s, q->kind, under, from, to, a, out, n, err);
	default:
		return err_field(err, GG_EFIELD, "kind", "unknown kind");
	}
}

int assess_run(struct store *s, const struct assess_query *q, struct arena *a,
	       struct assess_result *out, struct err *err)
{
	memset(out, 0, sizeof(*out));
	assess_period_of(q->period, q->at_day, &out->from, &out->to);
	assess_period_prev(q->period, out->from, &out->prev_from, &out->prev_to);
	int rc = assess_scheme_at(s, q->kind, out->from, a, &out->scheme, err);
	if (rc || (rc = assess_counts(s, q, out->from, out->to, a, &out->v, &out->n, err)))
		return rc;
	assess_score(&out->scheme, out->v, out->n);
	assess_rank(out->v, out->n, q->worst_first);
	/* the previous period under its own scheme version */
	struct assess_scheme ps;
	if ((rc = assess_scheme_at(s, q->kind, out->prev_from, a, &ps, err)) ||
	    (rc = assess_counts(s, q, out->prev_from, out->prev_to, a, &out->prev, &out->nprev,
				err)))
		return rc;
	assess_score(&ps, out->prev, out->nprev);
	assess_rank(out->prev, out->nprev, 0);
	return GG_OK;
}

/* ---- JSON ---------------------------------------------------------------------------- */

static json_t *num2(double x)
{
	return json_real((double)(int64_t)(x * 10000 + (x >= 0 ? 0.5 : -0.5)) / 10000);
}

static json_t *day_json(int64_t day)
{
	char b[16];
	clock_format_local_date(clock_day_start(day), b, sizeof(b));
	return json_string(b);
}

json_t *assess_result_json(const struct assess_query *q, const struct assess_result *r)
{
	const struct assess_scheme *sc = &r->scheme;
	json_t *items = json_array();
	struct key_ix *pix = NULL;
	struct arena *tmp = arena_new();
	if (r->nprev)
		pix = index_of(tmp, r->nprev, subject_id, r->prev);
	for (size_t i = 0; i < r->n; i++) {
		const struct assess_subject *x = &r->v[i];
		json_t *ind = json_object(), *counts = json_object();
		for (size_t k = 0; k < sc->nind; k++) {
			const struct assess_indicator *d = &sc->ind[k];
			json_t *j = json_pack("{s:s,s:o,s:I,s:f}", "name", d->name, "value",
					      x->has_value[k] ? num2(x->value[k]) : json_null(),
					      "num", (json_int_t)x->c[d->num], "weight", d->weight);
			if (d->form != ASSESS_RELATIVE)
				json_object_set_new(j, "den", json_integer(x->c[d->den]));
			json_object_set_new(ind, d->key, j);
		}
		for (int c = 0; c < AC_COUNT; c++)
			if (x->c[c])
				json_object_set_new(counts, assess_count_name((enum assess_count)c),
						    json_integer(x->c[c]));
		json_t *it = json_pack(
		    "{s:s,s:s,s:o,s:s,s:o,s:b,s:o,s:o,s:o}", "subject", x->id, "name", x->name,
		    "score", x->scored ? num2(x->score) : json_null(), "grade", x->grade, "rank",
		    x->rank ? json_integer(x->rank) : json_null(), "small", x->small, "deducted",
		    num2(x->deducted), "indicators", ind, "counts", counts);
		const struct key_ix *p = pix ? find(pix, r->nprev, x->id) : NULL;
		if (p) {
			const struct assess_subject *y = &r->prev[p->i];
			json_object_set_new(
			    it, "change",
			    json_pack(
				"{s:o,s:o,s:o}", "score",
				x->scored && y->scored ? num2(x->score - y->score) : json_null(),
				"previous_score", y->scored ? num2(y->score) : json_null(),
				"previous_rank", y->rank ? json_integer(y->rank) : json_null()));
		}
		json_array_append_new(items, it);
	}
	arena_free(tmp);
	json_t *j = json_pack("{s:o,s:{s:s,s:o,s:o,s:o,s:o},s:{s:s,s:i,s:o},s:s,s:s}", "items",
			      items, "period", "kind", assess_period_name(q->period), "from",
			      day_json(r->from), "to", day_json(r->to - 1), "previous_from",
			      day_json(r->prev_from), "previous_to", day_json(r->prev_to - 1),
			      "scheme", "id", assess_kind_name(sc->kind), "version", sc->version,
			      "valid_from", day_json(sc->valid_from), "kind",
			      assess_kind_name(q->kind), "under", q->under ? q->under : "");
	if (sc->volume < AC_COUNT)
		json_object_set_new(j, "min_volume",
				    json_pack("{s:s,s:I}", "count", assess_count_name(sc->volume),
					      "min", (json_int_t)sc->min_volume));
	return j;
}

/* ---- publishing ---------------------------------------------------------------------- */

int assess_close(struct store *s, const struct assess_query *q, const char *by, int64_t now,
		 struct arena *a, struct store_assess_snapshot *out, struct err *err)
{
	struct assess_result r;
	int64_t from, to;
	assess_period_of(q->period, q->at_day, &from, &to);
	/* asked first, so that a second close is refused without a failed INSERT (which
	 * would abort the whole transaction on PostgreSQL) */
	int rc =
	    store_assess_snapshot_get(s, assess_kind_name(q->kind), assess_period_name(q->period),
				      q->under ? q->under : "", from, a, out, err);
	if (rc == GG_OK)
		return err_set(err, GG_ECONFLICT, "this period is closed already");
	if (rc != GG_ENOTFOUND)
		return rc;
	*err = (struct err)ERR_INIT;
	if ((rc = assess_run(s, q, a, &r, err)))
		return rc;
	if (clock_day_start(r.to) > now)
		return err_set(err, GG_ESTATE, "the period has not ended yet");
	json_t *j = assess_result_json(q, &r);
	char *body = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);
	json_decref(j);
	memset(out, 0, sizeof(*out));
	snprintf(out->kind, sizeof(out->kind), "%s", assess_kind_name(q->kind));
	snprintf(out->period, sizeof(out->period), "%s", assess_period_name(q->period));
	snprintf(out->under, sizeof(out->under), "%s", q->under ? q->under : "");
	snprintf(out->closed_by, sizeof(out->closed_by), "%s", by);
	out->from_day = r.from;
	out->to_day = r.to;
	out->scheme_version = r.scheme.version;
	out->closed_at = now;
	out->body = arena_strdup(a, body);
	free(body);
	if ((rc = store_assess_snapshot_tail(s, out->prev_hash, err)))
		return rc;
	size_t lb = strlen(out->body);
	char *buf = arena_alloc(a, 64 + lb);
	memcpy(buf, out->prev_hash, 64);
	memcpy(buf + 64, out->body, lb);
	assess_digest(buf, 64 + lb, out->hash);
	return store_assess_snapshot_put(s, out, err);
}
