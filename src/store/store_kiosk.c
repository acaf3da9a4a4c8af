/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the wall screens' store_* calls (store_kiosk.h) to the backend. */
#include "gridgov/store_kiosk.h"
#include "store/store_int.h"

#define FWD STORE_FWD

FWD(kiosk_insert, (struct store * s, struct store_kiosk *k, const char *ch, struct err *err),
    (s, k, ch, err))
FWD(kiosk_claim,
    (struct store * s, const char *ch, const char *th, int64_t now, struct store_kiosk *k,
     struct err *err),
    (s, ch, th, now, k, err))
FWD(kiosk_by_token, (struct store * s, const char *th, struct store_kiosk *k, struct err *err),
    (s, th, k, err))
FWD(kiosk_list,
    (struct store * s, struct arena *a, struct store_kiosk **o, size_t *n, struct err *err),
    (s, a, o, n, err))
FWD(kiosk_revoke, (struct store * s, int64_t id, int64_t now, struct err *err), (s, id, now, err))
