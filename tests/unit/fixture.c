/* SPDX-License-Identifier: Apache-2.0 */
/* A migrated temporary SQLite database for unit tests. */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "fixture.h"

int fx_db_create(const char *tag, char path[FX_PATH_MAX], struct store **s)
{
	snprintf(path, FX_PATH_MAX, "/tmp/gg-%s-XXXXXX", tag);
	int fd = mkstemp(path);
	if (fd < 0)
		return -1;
	close(fd);
	unlink(path);
	struct store *db;
	int from, to;
	if (store_open(path, &db, NULL))
		return -1;
	if (store_migrate(db, &from, &to, NULL)) {
		store_close(db);
		return -1;
	}
	if (s)
		*s = db;
	else
		store_close(db);
	return 0;
}

void fx_db_remove(const char *path, struct store *s)
{
	store_close(s);
	char p[FX_PATH_MAX + 8];
	unlink(path);
	snprintf(p, sizeof(p), "%s-wal", path);
	unlink(p);
	snprintf(p, sizeof(p), "%s-shm", path);
	unlink(p);
}

const struct store_category fx_category = {.code = "E0102",
					   .kind = "事件",
					   .major_code = "E01",
					   .major_name = "市容环境",
					   .minor_code = "E0102",
					   .minor_name = "暴露垃圾",
					   .name = "暴露垃圾",
					   .department = "HW",
					   .limit_general_h = 4,
					   .limit_engineering_h = 8,
					   .limit_special_h = 16,
					   .verify_min = 60,
					   .urgency = "normal"};
