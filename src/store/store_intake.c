/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the intake area's store_* calls (store_intake.h) to the backend. */
#include "store/store_int.h"

#define FWD(name, params, args)                                                                    \
	int store_##name params                                                                    \
	{                                                                                          \
		return s->ops->name args;                                                          \
	}

FWD(report_put, (struct store * s, const struct store_report *rep, const char *ph, struct err *err),
    (s, rep, ph, err))
FWD(report_get, (struct store * s, const char *code, struct store_report *rep, struct err *err),
    (s, code, rep, err))
FWD(case_media_add, (struct store * s, int64_t id, const char *sha, struct err *err),
    (s, id, sha, err))
FWD(media_cases,
    (struct store * s, const char *sha, struct arena *a, int64_t **ids, size_t *n, struct err *err),
    (s, sha, a, ids, n, err))
FWD(case_media_list,
    (struct store * s, int64_t id, struct arena *a, char (**shas)[65], size_t *n, struct err *err),
    (s, id, a, shas, n, err))
