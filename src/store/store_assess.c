/* SPDX-License-Identifier: Apache-2.0 */
/* Assessment's store calls (store_assess.h): forwarding to the backend. */
#include "store/store_int.h"

STORE_FWD(assess_actor_counts,
	  (struct store * s, enum store_assess_what what, const char *scope, int64_t from,
	   int64_t to, struct arena *a, struct store_assess_count **out, size_t *n,
	   struct err *err),
	  (s, what, scope, from, to, a, out, n, err))
STORE_FWD(assess_points,
	  (struct store * s, const char *target_kind, const char *scope, int64_t from, int64_t to,
	   struct arena *a, struct store_assess_points **out, size_t *n, struct err *err),
	  (s, target_kind, scope, from, to, a, out, n, err))
STORE_FWD(assess_scheme_put,
	  (struct store * s, const char *kind, int64_t valid_from, const char *body,
	   const char *author, int64_t now, int *version, struct err *err),
	  (s, kind, valid_from, body, author, now, version, err))
STORE_FWD(assess_schemes,
	  (struct store * s, const char *kind, struct arena *a, struct store_assess_scheme **out,
	   size_t *n, struct err *err),
	  (s, kind, a, out, n, err))
STORE_FWD(assess_snapshot_put, (struct store * s, struct store_assess_snapshot *v, struct err *err),
	  (s, v, err))
STORE_FWD(assess_snapshot_get,
	  (struct store * s, const char *kind, const char *period, const char *under,
	   int64_t from_day, struct arena *a, struct store_assess_snapshot *v, struct err *err),
	  (s, kind, period, under, from_day, a, v, err))
STORE_FWD(assess_snapshot_tail, (struct store * s, char hash[65], struct err *err), (s, hash, err))
STORE_FWD(assess_appeal_put, (struct store * s, struct store_assess_appeal *v, struct err *err),
	  (s, v, err))
STORE_FWD(assess_appeal_get,
	  (struct store * s, int64_t id, struct store_assess_appeal *v, struct err *err),
	  (s, id, v, err))
STORE_FWD(assess_appeal_decide,
	  (struct store * s, int64_t id, const char *state, const char *decided_by,
	   const char *decision, int64_t at, struct err *err),
	  (s, id, state, decided_by, decision, at, err))
STORE_FWD(assess_appeals,
	  (struct store * s, int64_t snapshot_id, struct arena *a, struct store_assess_appeal **out,
	   size_t *n, struct err *err),
	  (s, snapshot_id, a, out, n, err))
STORE_FWD(assess_categories,
	  (struct store * s, const char *scope, int64_t from, int64_t to, struct arena *a,
	   struct store_assess_category **out, size_t *n, struct err *err),
	  (s, scope, from, to, a, out, n, err))
STORE_FWD(assess_oldest_open,
	  (struct store * s, const char *scope, int limit, struct arena *a,
	   struct store_assess_open **out, size_t *n, struct err *err),
	  (s, scope, limit, a, out, n, err))
