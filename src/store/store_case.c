/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the case area's store_* calls (store_case.h) to the backend, and what is the same for
 * every backend (the hash an entry of the trail must have). */
#include <stdint.h>
#include <stdlib.h>

#include "gridgov/xalloc.h"
#include "store/store_int.h"

#define FWD STORE_FWD

STORE_FWD_CHANGES(STORE_EPOCH_CATALOG, category_put,
		  (struct store * s, const struct store_category *c, struct err *err), (s, c, err))
int store_category_get(struct store *s, const char *code, struct store_category *c, struct err *err)
{
	if (store__cache_category(s, code, c))
		return GG_OK;
	uint64_t epoch = store_epoch(STORE_EPOCH_CATALOG);
	int rc = STORE_CALL(category_get, (s, code, c, err));
	if (rc == GG_OK)
		store__cache_category_put(s, epoch, c);
	return rc;
}
FWD(category_list,
    (struct store * s, struct arena *a, struct store_category **o, size_t *n, struct err *err),
    (s, a, o, n, err))
FWD(case_get, (struct store * s, int64_t id, struct store_case *c, struct err *err),
    (s, id, c, err))
FWD(case_page,
    (struct store * s, const struct store_case_filter *f, struct arena *a, struct store_case **o,
     size_t *n, struct store_case_page *pg, struct err *err),
    (s, f, a, o, n, pg, err))
FWD(case_overdue,
    (struct store * s, int64_t now, struct arena *a, struct store_case **o, size_t *n,
     struct err *err),
    (s, now, a, o, n, err))
FWD(case_recent,
    (struct store * s, const char *c, int64_t since, struct arena *a, struct store_case **o,
     size_t *n, struct err *err),
    (s, c, since, a, o, n, err))
FWD(case_log_append, (struct store * s, struct store_case_entry *e, struct err *err), (s, e, err))
FWD(case_log_list,
    (struct store * s, int64_t id, struct arena *a, struct store_case_entry **o, size_t *n,
     struct err *err),
    (s, id, a, o, n, err))
FWD(case_log_each,
    (struct store * s, int (*fn)(const struct store_case_entry *e, void *arg), void *arg,
     struct err *err),
    (s, fn, arg, err))
FWD(whistle_insert,
    (struct store * s, int64_t case_id, const char *type, int64_t bid, const char *b, int64_t at,
     int64_t dl, const char *const *d, size_t nd, int64_t *id, struct err *err),
    (s, case_id, type, bid, b, at, dl, d, nd, id, err))
FWD(whistle_depts,
    (struct store * s, int64_t id, struct arena *a, struct store_whistle_dept **o, size_t *n,
     struct err *err),
    (s, id, a, o, n, err))
FWD(whistle_dept_update, (struct store * s, const struct store_whistle_dept *d, struct err *err),
    (s, d, err))
FWD(supervision_insert, (struct store * s, const struct store_supervision *v, struct err *err),
    (s, v, err))
FWD(supervision_list,
    (struct store * s, int64_t id, struct arena *a, struct store_supervision **o, size_t *n,
     struct err *err),
    (s, id, a, o, n, err))
FWD(case_due_put, (struct store * s, int64_t id, int64_t due_at, struct err *err),
    (s, id, due_at, err))
FWD(case_due,
    (struct store * s, int64_t now, size_t limit, struct arena *a, int64_t **o, size_t *n,
     struct err *err),
    (s, now, limit, a, o, n, err))
FWD(whistle_due,
    (struct store * s, int64_t now, size_t limit, struct arena *a, struct store_whistle_dept **o,
     size_t *n, struct err *err),
    (s, now, limit, a, o, n, err))
FWD(sched_next, (struct store * s, int64_t *at, struct err *err), (s, at, err))
FWD(template_list,
    (struct store * s, const char *k, const char *c, struct arena *a, struct store_template **o,
     size_t *n, struct err *err),
    (s, k, c, a, o, n, err))
FWD(template_put, (struct store * s, struct store_template *t, struct err *err), (s, t, err))
FWD(template_delete, (struct store * s, int64_t id, struct err *err), (s, id, err))

/*
 * Case writes keep the summaries (store_stats.h) in the same transaction: the delta of
 * old row → new row joins the transaction's buffer. Outside a transaction the write and
 * its summaries get one of their own.
 */
static int case_write(struct store *s, struct store_case *c, int insert,
		      const struct store_case *known, struct err *err)
{
	int own = !s->sum.tx && !s->sum.depth, rc = GG_OK;
	if (own && (rc = store_begin(s, STORE_WRITE, err)))
		return rc;
	const struct store_case *old = known;
	struct store_case *read = NULL;
	if (!insert && !known && !s->sum_deferred) {
		old = read = xmalloc(sizeof(*read));
		rc = STORE_CALL(case_get, (s, c->id, read, err));
	}
	if (rc == GG_OK)
		rc = insert ? STORE_CALL(case_insert, (s, c, err))
			    : STORE_CALL(case_update, (s, c, err));
	if (rc == GG_OK && !s->sum_deferred)
		rc = store__sum_case(s, old, c, err);
	free(read);
	if (own) {
		if (rc == GG_OK)
			rc = store_commit(s, err);
		if (rc)
			store_rollback(s);
	}
	return rc;
}

int store_case_insert(struct store *s, struct store_case *c, struct err *err)
{
	return case_write(s, c, 1, NULL, err);
}

int store_case_update(struct store *s, const struct store_case *c, struct err *err)
{
	/* case_write changes nothing in c when it updates */
	return case_write(s, (struct store_case *)c, 0, NULL, err);
}

int store_case_update_from(struct store *s, const struct store_case *old,
			   const struct store_case *c, struct err *err)
{
	return case_write(s, (struct store_case *)c, 0, old, err);
}

int store_case_list(struct store *s, const struct store_case_filter *f, struct arena *a,
		    struct store_case **out, size_t *n, int64_t *total, struct err *err)
{
	struct store_case_filter all = *f;
	struct store_case_page pg;
	all.scan_max = 0;
	all.count_max = INT64_MAX;
	int rc = STORE_CALL(case_page, (s, &all, a, out, n, &pg, err));
	if (rc == GG_OK)
		*total = pg.total;
	return rc;
}

void store_case_entry_hash(const struct store_case_entry *e, char out[CASE_HASH_HEX])
{
	struct case_entry h = {
	    .case_id = e->case_id,
	    .seq = e->seq,
	    .action = e->action,
	    .actor = e->actor,
	    .role = e->role,
	    .from_state = e->from_state,
	    .to_state = e->to_state,
	    .note = e->note ? e->note : "",
	    .attachments = e->attachments ? e->attachments : "[]",
	    .actor_id = e->actor_id,
	    .at = e->at,
	};
	case_entry_hash(&h, e->prev_hash, out);
}
