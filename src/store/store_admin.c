/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the administration area's store_* calls (store_admin.h) to the backend. */
#include "store/store_int.h"

#define FWD STORE_FWD

FWD(user_get, (struct store * s, int64_t id, struct store_user *u, struct err *err),
    (s, id, u, err))
/* who a token is may change: the auth cache (api/authcache.c) forgets at once */
STORE_FWD_CHANGES(STORE_EPOCH_AUTH, user_update,
		  (struct store * s, const struct store_user *u, struct err *err), (s, u, err))
STORE_FWD_CHANGES(STORE_EPOCH_AUTH, session_drop_user,
		  (struct store * s, int64_t id, struct err *err), (s, id, err))
FWD(dept_put, (struct store * s, const struct store_dept *d, struct err *err), (s, d, err))
FWD(audit_add, (struct store * s, const struct store_audit *e, struct err *err), (s, e, err))
FWD(audit_list,
    (struct store * s, const char *under, int64_t off, int limit, struct arena *a,
     struct store_audit **out, size_t *n, int64_t *total, struct err *err),
    (s, under, off, limit, a, out, n, total, err))
FWD(apikey_list,
    (struct store * s, struct arena *a, struct store_apikey_row **out, size_t *n, struct err *err),
    (s, a, out, n, err))
FWD(apikey_revoke, (struct store * s, int64_t id, struct err *err), (s, id, err))
FWD(device_list,
    (struct store * s, struct arena *a, struct store_device_row **out, size_t *n, struct err *err),
    (s, a, out, n, err))
FWD(device_set_user, (struct store * s, const char *id, const char *user, struct err *err),
    (s, id, user, err))
