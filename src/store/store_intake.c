/* SPDX-License-Identifier: Apache-2.0 */
/* Forwards the intake area's store_* calls (store_intake.h) to the backend. */
#include "store/store_int.h"

#define FWD STORE_FWD

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
FWD(hotline_put, (struct store * s, const struct store_hotline *h, const char *c, struct err *err),
    (s, h, c, err))
FWD(hotline_get, (struct store * s, const char *no, struct store_hotline *h, struct err *err),
    (s, no, h, err))
FWD(hotline_of_case, (struct store * s, int64_t id, struct store_hotline *h, struct err *err),
    (s, id, h, err))
FWD(outbox_add, (struct store * s, int64_t id, const char *body, int64_t now, struct err *err),
    (s, id, body, now, err))
FWD(outbox_due,
    (struct store * s, int64_t now_ms, int limit, struct arena *a, struct store_outbox **o,
     size_t *n, struct err *err),
    (s, now_ms, limit, a, o, n, err))
FWD(outbox_delivered, (struct store * s, int64_t id, int64_t now, struct err *err),
    (s, id, now, err))
FWD(outbox_failed,
    (struct store * s, int64_t id, int att, int64_t next, const char *why, struct err *err),
    (s, id, att, next, why, err))
FWD(outbox_pending, (struct store * s, int64_t *n, struct err *err), (s, n, err))
FWD(open311_put, (struct store * s, const struct store_open311 *o, struct err *err), (s, o, err))
FWD(open311_get, (struct store * s, int64_t id, struct store_open311 *o, struct err *err),
    (s, id, o, err))
FWD(apikey_add,
    (struct store * s, const char *name, const char *hash, const char *scope, int64_t now,
     int64_t *id, struct err *err),
    (s, name, hash, scope, now, id, err))
FWD(apikey_by_hash, (struct store * s, const char *hash, struct store_apikey *k, struct err *err),
    (s, hash, k, err))
FWD(device_add, (struct store * s, const struct store_device *d, struct err *err), (s, d, err))
FWD(device_get, (struct store * s, const char *id, struct store_device *d, struct err *err),
    (s, id, d, err))
FWD(alarm_add,
    (struct store * s, const char *dev, const char *type, int64_t at, int hv, double v,
     int64_t case_id, struct err *err),
    (s, dev, type, at, hv, v, case_id, err))
FWD(alarm_open_case,
    (struct store * s, const char *dev, int64_t since, int64_t *case_id, struct err *err),
    (s, dev, since, case_id, err))
FWD(idem_get,
    (struct store * s, const char *o, const char *k, struct store_idem *out, struct err *err),
    (s, o, k, out, err))
FWD(idem_put, (struct store * s, const struct store_idem *in, struct err *err), (s, in, err))
FWD(reply_put, (struct store * s, int64_t id, const char *t, int64_t at, struct err *err),
    (s, id, t, at, err))
FWD(reply_get,
    (struct store * s, int64_t id, struct arena *a, char **t, int64_t *at, struct err *err),
    (s, id, a, t, at, err))
