/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the patrol tracks' store_* calls (store_track.h) to the backend. */
#include "store/store_int.h"

#define FWD STORE_FWD

FWD(tracker_add, (struct store * s, const char *id, int64_t uid, int64_t now, struct err *err),
    (s, id, uid, now, err))
FWD(tracker_user, (struct store * s, const char *id, int64_t *uid, struct err *err),
    (s, id, uid, err))
FWD(position_last,
    (struct store * s, const char *dev, int64_t before, struct track_fix *f, struct err *err),
    (s, dev, before, f, err))
FWD(position_put,
    (struct store * s, const struct store_position *v, size_t n, int64_t *stored, struct err *err),
    (s, v, n, stored, err))
FWD(position_range,
    (struct store * s, int64_t uid, int64_t from, int64_t to, struct arena *a,
     struct track_point **out, size_t *n, struct err *err),
    (s, uid, from, to, a, out, n, err))
FWD(position_rejected,
    (struct store * s, int64_t uid, int64_t from, int64_t to, struct arena *a, int64_t **t,
     char (**reason)[TRACK_REASON_MAX], size_t *n, struct err *err),
    (s, uid, from, to, a, t, reason, n, err))
FWD(position_live,
    (struct store * s, const char *under, int64_t uid, struct arena *a, struct store_live **out,
     size_t *n, struct err *err),
    (s, under, uid, a, out, n, err))
FWD(position_retain, (struct store * s, int64_t before, int64_t *dropped, struct err *err),
    (s, before, dropped, err))
