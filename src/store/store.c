/* SPDX-License-Identifier: Apache-2.0 */
/* Chooses a backend by DSN scheme and forwards each store_* call to it. */
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
	if (s)
		s->ops->close(s);
}

#define FWD(name, params, args)                                                               \
	int store_##name params                                                               \
	{                                                                                     \
		return s->ops->name args;                                                     \
	}

FWD(migrate, (struct store * s, int *from, int *to, struct err *err), (s, from, to, err))
FWD(schema_version, (struct store * s, int *v, struct err *err), (s, v, err))
FWD(begin, (struct store * s, enum store_tx m, struct err *err), (s, m, err))
FWD(commit, (struct store * s, struct err *err), (s, err))
FWD(savepoint, (struct store * s, struct err *err), (s, err))
FWD(savepoint_release, (struct store * s, struct err *err), (s, err))
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
FWD(grid_count,
    (struct store * s, const char *u, enum grid_level l, int64_t *n, struct err *err),
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

void store_rollback(struct store *s)
{
	s->ops->rollback(s);
}

void store_savepoint_rollback(struct store *s)
{
	s->ops->savepoint_rollback(s);
}
