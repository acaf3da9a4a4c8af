/* SPDX-License-Identifier: Apache-2.0 */
/* Chooses a backend by DSN scheme and forwards each store_* call to it. */
#include <stdlib.h>
#include <string.h>

#include "store/store_int.h"

int store_open(const char *dsn, struct store **out, struct err *err)
{
	*out = NULL;
	if (!strncmp(dsn, "sqlite:", 7))
		return store__sqlite_open(dsn + 7, out, err);
	if (!strncmp(dsn, "postgres:", 9) || !strncmp(dsn, "postgresql:", 11))
		return err_set(err, GG_EINVAL, "the PostgreSQL backend is not built yet");
	if (strstr(dsn, "://"))
		return err_set(err, GG_EINVAL, "unknown database scheme in '%s'", dsn);
	return store__sqlite_open(dsn, out, err);
}

void store_close(struct store *s)
{
	if (s) {
		free(s->sum.v);
		s->ops->close(s);
	}
}

#define FWD(name, params, args)                                                                    \
	int store_##name params                                                                    \
	{                                                                                          \
		return s->ops->name args;                                                          \
	}

FWD(migrate, (struct store * s, int *from, int *to, struct err *err), (s, from, to, err))
FWD(schema_version, (struct store * s, int *v, struct err *err), (s, v, err))
FWD(user_insert, (struct store * s, const struct store_user *u, int64_t *id, struct err *err),
    (s, u, id, err))
FWD(user_by_name, (struct store * s, const char *n, struct store_user *u, struct err *err),
    (s, n, u, err))
FWD(user_set_login_state, (struct store * s, int64_t id, int f, int64_t l, struct err *err),
    (s, id, f, l, err))
FWD(user_list,
    (struct store * s, struct arena *a, struct store_user **o, size_t *n, struct err *err),
    (s, a, o, n, err))
FWD(session_insert,
    (struct store * s, const char *h, int64_t u, int64_t c, int64_t e, struct err *err),
    (s, h, u, c, e, err))
FWD(session_user,
    (struct store * s, const char *h, int64_t now, struct store_user *u, struct err *err),
    (s, h, now, u, err))
FWD(session_delete, (struct store * s, const char *h, struct err *err), (s, h, err))
FWD(grid_put, (struct store * s, const struct grid_node *g, struct err *err), (s, g, err))
FWD(grid_get, (struct store * s, const char *c, struct grid_node *g, struct err *err),
    (s, c, g, err))
FWD(grid_children,
    (struct store * s, const char *c, struct arena *a, struct grid_node **o, size_t *n,
     struct err *err),
    (s, c, a, o, n, err))
FWD(grid_count, (struct store * s, const char *u, enum grid_level l, int64_t *n, struct err *err),
    (s, u, l, n, err))
FWD(dept_list,
    (struct store * s, struct arena *a, struct store_dept **o, size_t *n, struct err *err),
    (s, a, o, n, err))
FWD(dept_get, (struct store * s, const char *c, struct store_dept *d, struct err *err),
    (s, c, d, err))

FWD(media_put, (struct store * s, const struct store_media *m, struct err *err), (s, m, err))
FWD(media_get, (struct store * s, const char *h, struct store_media *m, struct err *err),
    (s, h, m, err))
FWD(media_owned, (struct store * s, const char *h, int64_t u, int *o, struct err *err),
    (s, h, u, o, err))

/*
 * Transactions also carry the case summaries' deltas (store_sum.c): a write transaction
 * collects them, a savepoint's rollback drops its own, and COMMIT applies them first.
 */
int store_begin(struct store *s, enum store_tx mode, struct err *err)
{
	int rc = s->ops->begin(s, mode, err);
	if (rc == GG_OK && mode == STORE_WRITE) {
		store__sum_reset(s);
		s->sum.tx = 1;
	}
	return rc;
}

int store_cache_size(struct store *s, int64_t bytes, struct err *err)
{
	return s->ops->cache_size(s, bytes, err);
}

int store_bulk_journal(struct store *s, int on, int *done, struct err *err)
{
	*done = 0;
	return s->ops->bulk_journal ? s->ops->bulk_journal(s, on, done, err) : GG_OK;
}

int store_case_bulk(struct store *s, int on, struct err *err)
{
	return s->ops->case_bulk(s, on, err);
}

int store_commit(struct store *s, struct err *err)
{
	int rc = s->sum.tx ? store__sum_flush(s, err) : GG_OK;
	if (rc == GG_OK)
		rc = s->ops->commit(s, err);
	store__sum_reset(s);
	return rc;
}

void store_rollback(struct store *s)
{
	s->ops->rollback(s);
	store__sum_reset(s);
}

int store_savepoint(struct store *s, struct err *err)
{
	int rc = s->ops->savepoint(s, err);
	if (rc == GG_OK)
		store__sum_savepoint(s);
	return rc;
}

int store_savepoint_release(struct store *s, struct err *err)
{
	/* the outermost savepoint outside store_begin is a transaction of its own */
	int rc = !s->sum.tx && s->sum.depth == 1 ? store__sum_flush(s, err) : GG_OK;
	if (rc == GG_OK)
		rc = s->ops->savepoint_release(s, err);
	if (rc == GG_OK)
		store__sum_release(s);
	return rc;
}

void store_savepoint_rollback(struct store *s)
{
	s->ops->savepoint_rollback(s);
	store__sum_rollback_to(s);
}
