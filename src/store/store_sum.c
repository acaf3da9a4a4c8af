/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Case summaries, backend-neutral: what one case change adds to the summary rows
 * (store_stats.h), and the buffer that carries those deltas to the end of the
 * transaction. A case write computes old row → new row in C, drops the rows whose delta
 * is zero, and appends the rest; a savepoint remembers the buffer's length and its
 * rollback cuts the buffer back to it; store_commit sorts the buffer, adds up identical
 * keys and hands each distinct row to the backend once, just before COMMIT. So a group
 * commit of many intake requests costs one upsert per distinct (node, day, dimension),
 * not thirty per case.
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/clock.h"
#include "gridgov/xalloc.h"
#include "store/store_int.h"

int store_case_is_open(const struct store_case *c)
{
	return c->state != CASE_CLOSED && !case_state_final(c->state);
}

int store_case_is_overdue(const struct store_case *c)
{
	return store_case_is_open(c) && c->deadline > 0 && c->supervision > 0;
}

static void prefix(char *out, const char *code, size_t n)
{
	size_t len = strlen(code);
	if (len > n)
		len = n;
	memcpy(out, code, len);
	out[len] = 0;
}

void store_case_nodes(const struct store_case *c, char out[STORE_SUM_LEVELS][GRID_CODE_MAX])
{
	prefix(out[0], c->grid, 6);
	prefix(out[1], c->grid, 9);
	prefix(out[2], c->grid, 12);
	/* the group of by=grid (key_of in stats.c): a case placed in a micro-grid counts
	 * for its basic grid, wherever it is handled; one placed at a grid or above keeps
	 * its node */
	prefix(out[3], c->grid, grid_level_code_len(GRID_GRID));
}

/* The 13 facts of one case (count() in src/api/stats.c), as counters. */
static void facts(const struct store_case *c, int32_t v[SUM_NCOLS])
{
	memset(v, 0, sizeof(int32_t) * SUM_NCOLS);
	v[SUM_REPORTED] = 1;
	v[SUM_FILED] = c->filed_at > 0;
	v[SUM_FILED_ON_TIME] = c->filed_at > 0 && c->filed_on_time;
	v[SUM_DISPATCHED] = c->dispatches > 0;
	v[SUM_ACCURATE] = c->dispatches > 0 && c->returns == 0;
	v[SUM_HANDLED] = c->handled_at > 0;
	v[SUM_HANDLED_ON_TIME] = c->handled_at > 0 && c->handled_on_time;
	v[SUM_CLOSED] = c->closed_at > 0;
	v[SUM_CLOSED_ON_TIME] = c->closed_at > 0 && c->closed_on_time;
	v[SUM_REWORKED] = c->handled_at > 0 && c->reworks > 0;
	v[SUM_EXTENDED] = c->dispatches > 0 && c->extended;
	v[SUM_RATED] = c->rating[0] != 0;
	v[SUM_SATISFIED] = !strcmp(c->rating, "satisfied") || !strcmp(c->rating, "basically");
}

static int delta_cmp(const void *pa, const void *pb)
{
	const struct store_sum_delta *a = pa, *b = pb;
	if (a->table != b->table)
		return a->table - b->table;
	if (a->kind != b->kind)
		return a->kind - b->kind;
	if (a->lvl != b->lvl)
		return a->lvl - b->lvl;
	int r = strcmp(a->node, b->node);
	if (r)
		return r;
	if (a->day != b->day)
		return a->day < b->day ? -1 : 1;
	if ((r = strcmp(a->dept, b->dept)) || (r = strcmp(a->chan, b->chan)))
		return r;
	if (a->x != b->x)
		return a->x < b->x ? -1 : 1;
	return a->y < b->y ? -1 : a->y > b->y;
}

/* The deltas of one case change, before they join the transaction's buffer. */
#define LOCAL_MAX (2 * (STORE_SUM_LEVELS * STORE_SUM_KINDS * 3 + 2))
struct local {
	struct store_sum_delta v[LOCAL_MAX];
	size_t n;
};

/* Whether a and b name the same summary row (the integers first: most rows differ there). */
static int delta_same(const struct store_sum_delta *a, const struct store_sum_delta *b)
{
	return a->table == b->table && a->kind == b->kind && a->lvl == b->lvl && a->day == b->day &&
	       a->x == b->x && a->y == b->y && !strcmp(a->node, b->node) &&
	       !strcmp(a->dept, b->dept) && !strcmp(a->chan, b->chan);
}

/* Where contribute() sends each row's delta. */
typedef void sum_sink(void *arg, const struct store_sum_delta *k, const int32_t *vals, int nv,
		      int sign);

/* Add sign × vals to the row of key k (found or appended). */
static void local_add(void *arg, const struct store_sum_delta *k, const int32_t *vals, int nv,
		      int sign)
{
	struct local *l = arg;
	size_t i = 0;
	while (i < l->n && !delta_same(&l->v[i], k))
		i++;
	if (i == l->n) {
		if (l->n == LOCAL_MAX)
			BUG("summary deltas of one case exceed LOCAL_MAX");
		l->v[l->n] = *k;
		memset(l->v[l->n].v, 0, sizeof(l->v[l->n].v));
		l->n++;
	}
	for (int j = 0; j < nv; j++)
		l->v[i].v[j] += sign * vals[j];
}

/* Everything one case contributes to the summaries, times sign, to add(l, ...). */
static void contribute(sum_sink *add, void *l, const struct store_case *c, int sign)
{
	char nodes[STORE_SUM_LEVELS][GRID_CODE_MAX];
	memset(nodes, 0, sizeof(nodes)); /* whole keys, so equal rows hash alike */
	store_case_nodes(c, nodes);
	int32_t f[SUM_NCOLS], cl[SUM_NCOLS] = {0}, live[3];
	facts(c, f);
	cl[SUM_CLOSED_DAY] = 1;
	cl[SUM_CLOSED_DAY_ON_TIME] = c->closed_on_time != 0;
	live[0] = store_case_is_open(c);
	live[1] = store_case_is_overdue(c);
	live[2] =
	    1; /* the case itself: a node's row exists while it has cases (the reads walk them) */
	int64_t day = clock_local_day(c->created_at);
	struct store_sum_delta k;
	for (int lvl = 0; lvl < STORE_SUM_LEVELS; lvl++)
		for (int kind = 0; kind < STORE_SUM_KINDS; kind++) {
			memset(&k, 0, sizeof(k));
			k.kind = (uint8_t)kind;
			k.lvl = (uint8_t)(lvl + 1);
			memcpy(k.node, nodes[lvl], sizeof(k.node));
			if (kind >= 1)
				prefix(k.dept, c->department, sizeof(k.dept) - 1);
			if (kind == 2)
				prefix(k.chan, c->channel, sizeof(k.chan) - 1);
			k.table = SUM_T_DAY;
			k.day = day;
			add(l, &k, f, SUM_NCOLS, sign);
			if (c->closed_at > 0) {
				k.day = clock_local_day(c->closed_at);
				add(l, &k, cl, SUM_NCOLS, sign);
			}
			k.table = SUM_T_LIVE;
			k.day = 0;
			add(l, &k, live, 3, sign);
		}
	if (c->merged_into)
		return; /* the heat map leaves merged cases out */
	memset(&k, 0, sizeof(k));
	k.table = SUM_T_HEAT;
	k.lvl = STORE_SUM_LEVELS;
	memcpy(k.node, nodes[STORE_SUM_LEVELS - 1], sizeof(k.node));
	prefix(k.dept, c->department, sizeof(k.dept) - 1);
	k.day = STORE_HEAT_WEEK(day); /* a row is a week: v[0] Monday … v[6] Sunday */
	k.x = k.y = STORE_HEAT_UNPLACED;
	if (c->has_point) {
		k.x = (int64_t)floor(c->lon / STORE_HEAT_CELL);
		k.y = (int64_t)floor(c->lat / STORE_HEAT_CELL);
	}
	int32_t one[7] = {0};
	one[STORE_HEAT_DOW(day)] = 1;
	add(l, &k, one, 7, sign);
	/* and once for any department: the unfiltered map reads these alone (a cell-day has
	 * cases of several departments: at a city's volume half as many rows to read) */
	memset(k.dept, 0, sizeof(k.dept));
	memcpy(k.dept, STORE_HEAT_ANY_DEPT, sizeof(STORE_HEAT_ANY_DEPT));
	add(l, &k, one, 7, sign);
}

static int all_zero(const struct store_sum_delta *d)
{
	for (int j = 0; j < SUM_NCOLS; j++)
		if (d->v[j])
			return 0;
	return 1;
}

static void buf_push(struct store_sum_buf *b, const struct store_sum_delta *d)
{
	if (b->len == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 256;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	b->v[b->len++] = *d;
}

int store__sum_case(struct store *s, const struct store_case *old, const struct store_case *c,
		    struct err *err)
{
	(void)err;
	struct local *l = xmalloc(sizeof(*l));
	l->n = 0;
	if (old)
		contribute(local_add, l, old, -1);
	contribute(local_add, l, c, +1);
	for (size_t i = 0; i < l->n; i++)
		if (!all_zero(&l->v[i]))
			buf_push(&s->sum, &l->v[i]);
	free(l);
	return GG_OK;
}

int store__sum_flush(struct store *s, struct err *err)
{
	struct store_sum_buf *b = &s->sum;
	if (!b->len)
		return GG_OK;
	qsort(b->v, b->len, sizeof(*b->v), delta_cmp);
	size_t m = 0;
	for (size_t i = 0; i < b->len; i++) {
		if (m && !delta_cmp(&b->v[m - 1], &b->v[i])) {
			for (int j = 0; j < SUM_NCOLS; j++)
				b->v[m - 1].v[j] += b->v[i].v[j];
			continue;
		}
		if (m && all_zero(&b->v[m - 1]))
			m--;
		b->v[m++] = b->v[i];
	}
	if (m && all_zero(&b->v[m - 1]))
		m--;
	b->len = 0;
	return m ? s->ops->sum_apply(s, b->v, m, err) : GG_OK;
}

void store__sum_savepoint(struct store *s)
{
	struct store_sum_buf *b = &s->sum;
	if (b->depth < STORE_SUM_MARKS)
		b->marks[b->depth] = b->len;
	b->depth++;
}

void store__sum_release(struct store *s)
{
	if (s->sum.depth > 0)
		s->sum.depth--;
}

void store__sum_rollback_to(struct store *s)
{
	struct store_sum_buf *b = &s->sum;
	if (b->depth <= 0)
		return;
	b->depth--;
	if (b->depth >= STORE_SUM_MARKS)
		BUG("savepoints nested deeper than STORE_SUM_MARKS");
	b->len = b->marks[b->depth];
}

void store__sum_reset(struct store *s)
{
	s->sum.len = 0;
	s->sum.depth = 0;
	s->sum.tx = 0;
}

/* ---- rebuild ----------------------------------------------------------------------- */

/*
 * The rebuild reads the cases in id order and adds each one's rows into two maps of
 * distinct rows (open addressing): the day and heat rows, whose days come close together
 * so a map holds tens of thousands of cases' worth before it is written out, and the live
 * rows (one per node × department × channel, touched by every case), written when their
 * map fills and at the end. A map is written sorted in the tables' key order, each row
 * once: the sort and the upserts cost the distinct rows, not every case's deltas.
 */
#define DAY_SLOTS  (1u << 19) /* powers of two; a map is written at 70 % full */
#define LIVE_SLOTS (1u << 17)

struct sum_map {
	uint32_t *slot, *tag; /* slot: a row's index + 1 (0: empty); tag: its hash's top half */
	struct store_sum_delta *v; /* the rows, densely */
	size_t n, cap, mask;
};

static void map_init(struct sum_map *m, size_t slots)
{
	m->slot = xcalloc(slots, sizeof(*m->slot));
	m->tag = xmalloc(slots * sizeof(*m->tag));
	m->cap = slots / 10 * 7;
	m->v = xmalloc(m->cap * sizeof(*m->v));
	m->mask = slots - 1;
	m->n = 0;
}

static void map_free(struct sum_map *m)
{
	free(m->slot);
	free(m->tag);
	free(m->v);
}

static uint64_t mix(uint64_t h, uint64_t x)
{
	h ^= x + 0x9E3779B97F4A7C15ull + (h << 6) + (h >> 2);
	return h * 0xBF58476D1CE4E5B9ull;
}

static uint64_t mix_str(uint64_t h, const char *p)
{
	for (; *p; p++)
		h = (h ^ (unsigned char)*p) * 0x100000001B3ull;
	return mix(h, 0xFF);
}

static uint64_t delta_hash(const struct store_sum_delta *k)
{
	uint64_t h = mix(0x84222325CBF29CE4ull, (uint64_t)k->table << 16 | k->kind << 8 | k->lvl);
	h = mix(mix(mix(h, (uint64_t)k->day), (uint64_t)k->x), (uint64_t)k->y);
	h = mix_str(mix_str(mix_str(h, k->node), k->dept), k->chan);
	/* the low bits pick the slot: let every bit reach them (splitmix64's finish) */
	h = (h ^ (h >> 30)) * 0xBF58476D1CE4E5B9ull;
	h = (h ^ (h >> 27)) * 0x94D049BB133111EBull;
	return h ^ (h >> 31);
}

/* Add sign × vals to the row of key k (found or added; the caller keeps n below cap). */
static void map_add(struct sum_map *m, const struct store_sum_delta *k, const int32_t *vals, int nv,
		    int sign)
{
	uint64_t h = delta_hash(k);
	uint32_t tag = (uint32_t)(h >> 32);
	size_t i = h & m->mask;
	while (m->slot[i] && (m->tag[i] != tag || !delta_same(&m->v[m->slot[i] - 1], k)))
		i = (i + 1) & m->mask;
	if (!m->slot[i]) {
		m->slot[i] = (uint32_t)++m->n;
		m->tag[i] = tag;
		m->v[m->n - 1] = *k;
		memset(m->v[m->n - 1].v, 0, sizeof(m->v[0].v));
	}
	struct store_sum_delta *d = &m->v[m->slot[i] - 1];
	for (int j = 0; j < nv; j++)
		d->v[j] += sign * vals[j];
}

static int ptr_cmp(const void *pa, const void *pb)
{
	return delta_cmp(*(const struct store_sum_delta *const *)pa,
			 *(const struct store_sum_delta *const *)pb);
}

/* Write the map's rows in key order (the tables' order) and empty it. */
static int map_write(struct store *s, struct sum_map *m, struct err *err)
{
	if (!m->n)
		return GG_OK;
	const struct store_sum_delta **p = xmalloc(m->n * sizeof(*p));
	size_t k = 0;
	for (size_t i = 0; i < m->n; i++)
		if (!all_zero(&m->v[i]))
			p[k++] = &m->v[i];
	qsort(p, k, sizeof(*p), ptr_cmp);
	struct store_sum_delta *rows = xmalloc((k ? k : 1) * sizeof(*rows));
	for (size_t i = 0; i < k; i++)
		rows[i] = *p[i];
	free(p);
	int rc = k ? s->ops->sum_apply(s, rows, k, err) : GG_OK;
	free(rows);
	memset(m->slot, 0, (m->mask + 1) * sizeof(*m->slot));
	m->n = 0;
	return rc;
}

struct rebuild {
	struct store *s;
	struct sum_map day, live;
	struct err *err;
	int64_t n;
};

static void rebuild_add(void *arg, const struct store_sum_delta *k, const int32_t *vals, int nv,
			int sign)
{
	struct rebuild *rb = arg;
	map_add(k->table == SUM_T_LIVE ? &rb->live : &rb->day, k, vals, nv, sign);
}

static int rebuild_one(void *arg, const struct store_case *c)
{
	struct rebuild *rb = arg;
	rb->n++;
	contribute(rebuild_add, rb, c, +1);
	/* a case adds at most LOCAL_MAX rows: room for the next one */
	int rc = GG_OK;
	if (rb->day.n + LOCAL_MAX > rb->day.cap)
		rc = map_write(rb->s, &rb->day, rb->err);
	if (rc == GG_OK && rb->live.n + LOCAL_MAX > rb->live.cap)
		rc = map_write(rb->s, &rb->live, rb->err);
	return rc;
}

int store_stats_rebuild(struct store *s, int64_t *cases, struct err *err)
{
	struct rebuild rb = {.s = s, .err = err};
	map_init(&rb.day, DAY_SLOTS);
	map_init(&rb.live, LIVE_SLOTS);
	int rc = store_begin(s, STORE_WRITE, err);
	if (rc == GG_OK && ((rc = s->ops->sum_clear(s, clock_utc_offset(), err)) ||
			    (rc = s->ops->case_each(s, rebuild_one, &rb, err)) ||
			    (rc = map_write(s, &rb.day, err)) ||
			    (rc = map_write(s, &rb.live, err)) || (rc = store_commit(s, err))))
		store_rollback(s);
	map_free(&rb.day);
	map_free(&rb.live);
	if (rc)
		return rc;
	if (cases)
		*cases = rb.n;
	s->sum_deferred = 0;
	return GG_OK;
}

int store_stats_defer(struct store *s, struct err *err)
{
	int rc = store_begin(s, STORE_WRITE, err);
	if (rc == GG_OK && (rc = s->ops->sum_unbuilt(s, err)) == GG_OK)
		rc = store_commit(s, err);
	if (rc) {
		store_rollback(s);
		return rc;
	}
	s->sum_deferred = 1;
	return GG_OK;
}

int store_stats_ready(struct store *s, int *ok, struct err *err)
{
	int built;
	int64_t off;
	int rc = s->ops->stats_meta(s, &built, &off, err);
	if (rc)
		return rc;
	*ok = built && off == clock_utc_offset();
	return GG_OK;
}

/* ---- reads: forwarded to the backend ------------------------------------------------ */

int store_stats_sum(struct store *s, const struct store_stats_q *q, struct arena *a,
		    struct store_stats_row **out, size_t *n, struct err *err)
{
	return s->ops->stats_sum(s, q, a, out, n, err);
}

int store_stats_live(struct store *s, const struct store_stats_q *q, struct arena *a,
		     struct store_stats_row **out, size_t *n, struct err *err)
{
	return s->ops->stats_live(s, q, a, out, n, err);
}

int store_stats_heat(struct store *s, const char *scope, const char *dept, int64_t day_from,
		     int64_t day_to, struct arena *a, struct store_heat_cell **out, size_t *n,
		     struct err *err)
{
	return s->ops->stats_heat(s, scope, dept, day_from, day_to, a, out, n, err);
}

int store_stats_cases(struct store *s, const char *scope, const char *dept, int closed,
		      int64_t from, int64_t to, struct arena *a, struct store_case **out, size_t *n,
		      struct err *err)
{
	return s->ops->stats_cases(s, scope, dept, closed, from, to, a, out, n, err);
}
