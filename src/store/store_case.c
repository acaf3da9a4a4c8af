/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the case area's store_* calls (store_case.h) to the backend. */
#include <stdint.h>

#include "store/store_int.h"

#define FWD(name, params, args)                                                                    \
	int store_##name params                                                                    \
	{                                                                                          \
		return s->ops->name args;                                                          \
	}

FWD(category_put, (struct store * s, const struct store_category *c, struct err *err), (s, c, err))
FWD(category_get, (struct store * s, const char *code, struct store_category *c, struct err *err),
    (s, code, c, err))
FWD(category_list,
    (struct store * s, struct arena *a, struct store_category **o, size_t *n, struct err *err),
    (s, a, o, n, err))
FWD(case_insert, (struct store * s, struct store_case *c, struct err *err), (s, c, err))
FWD(case_update, (struct store * s, const struct store_case *c, struct err *err), (s, c, err))
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

int store_case_list(struct store *s, const struct store_case_filter *f, struct arena *a,
		    struct store_case **out, size_t *n, int64_t *total, struct err *err)
{
	struct store_case_filter all = *f;
	struct store_case_page pg;
	all.scan_max = 0;
	all.count_max = INT64_MAX;
	int rc = s->ops->case_page(s, &all, a, out, n, &pg, err);
	if (rc == GG_OK)
		*total = pg.total;
	return rc;
}
