/* SPDX-License-Identifier: Apache-2.0 */
/* Registered sensors and cameras and their alarms, in SQLite. */
#include "store/sqlite/sq_int.h"

int sq__device_add(struct store *s, const struct store_device *d, struct err *err)
{
	static const char sql[] = "INSERT INTO device(id, key_hash, type, category, lon, lat,"
				  " created_at) VALUES(?,?,?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, d->id);
	sq__bind_text(st, 2, d->key_hash);
	sq__bind_text(st, 3, d->type);
	sq__bind_text_or_null(st, 4, d->category); /* a tracker has none */
	sqlite3_bind_double(st, 5, d->lon);
	sqlite3_bind_double(st, 6, d->lat);
	sqlite3_bind_int64(st, 7, d->created_at);
	int rc = sqlite3_step(st);
	sq__done(st);
	if (rc == SQLITE_CONSTRAINT_PRIMARYKEY)
		return err_set(err, GG_ECONFLICT, "a device %s exists already", d->id);
	if ((rc & 0xff) == SQLITE_CONSTRAINT)
		return err_field(err, GG_EFIELD, "category", "unknown category %s", d->category);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__device_get(struct store *s, const char *id, struct store_device *d, struct err *err)
{
	static const char sql[] = "SELECT id, key_hash, type, category, lon, lat, created_at"
				  " FROM device WHERE id=?";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		sq__col_copy(st, 0, d->id, sizeof(d->id));
		sq__col_copy(st, 1, d->key_hash, sizeof(d->key_hash));
		sq__col_copy(st, 2, d->type, sizeof(d->type));
		sq__col_copy(st, 3, d->category, sizeof(d->category));
		d->lon = sqlite3_column_double(st, 4);
		d->lat = sqlite3_column_double(st, 5);
		d->created_at = sqlite3_column_int64(st, 6);
	}
	sq__done(st);
	if (rc == SQLITE_ROW)
		return GG_OK;
	if (rc == SQLITE_DONE)
		return err_set(err, GG_ENOTFOUND, "no device %s", id);
	return sq__fail(q, rc, err);
}

int sq__alarm_add(struct store *s, const char *device_id, const char *type, int64_t at,
		  int has_value, double value, int64_t case_id, struct err *err)
{
	static const char sql[] = "INSERT INTO sensor_alarm(device_id, type, at, value, case_id)"
				  " VALUES(?,?,?,?,?)";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, device_id);
	sq__bind_text(st, 2, type);
	sqlite3_bind_int64(st, 3, at);
	if (has_value)
		sqlite3_bind_double(st, 4, value);
	else
		sqlite3_bind_null(st, 4);
	sqlite3_bind_int64(st, 5, case_id);
	int rc = sqlite3_step(st);
	sq__done(st);
	return rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}

int sq__alarm_open_case(struct store *s, const char *device_id, int64_t since, int64_t *case_id,
			struct err *err)
{
	static const char sql[] =
	    "SELECT a.case_id FROM sensor_alarm a JOIN gcase c ON c.id = a.case_id"
	    " WHERE a.device_id=? AND a.at>=?"
	    " AND c.state NOT IN ('closed','evaluated','rejected','merged')"
	    " ORDER BY a.at DESC, a.id DESC LIMIT 1";
	struct sq *q = sq_of(s);
	sqlite3_stmt *st;
	int r = sq__prep(q, sql, &st, err);
	if (r)
		return r;
	sq__bind_text(st, 1, device_id);
	sqlite3_bind_int64(st, 2, since);
	int rc = sqlite3_step(st);
	*case_id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sq__done(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? GG_OK : sq__fail(q, rc, err);
}
