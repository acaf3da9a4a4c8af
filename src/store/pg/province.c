/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The province view (include/gridgov/store_province.h, docs/postgres.md): a city tags its
 * summary rows with its name and publishes them; a province keys the same tables by city
 * as well and subscribes to each city, so that cities whose grid codes coincide never
 * share a row. Logical replication matches tables by name and needs the subscriber's
 * replica identity to be among the columns the publisher sends as its own: hence the
 * city column in each city's replica identity (a unique index led by it).
 *
 * Also here, as replication too: how far a standby is behind (pg__replica_lag).
 */
#include <stdio.h>
#include <string.h>

#include "gridgov/buf.h"
#include "store/pg/pg_int.h"

#define PUBLICATION "gridgov_province"

/* A script run in one transaction; rolled back whole if any statement fails. */
static int exec_tx(struct pg *c, const char *sql, struct err *err)
{
	int r = pg__exec(c, "BEGIN", err);
	if (r == GG_OK && (r = pg__exec(c, sql, err)) == GG_OK)
		return pg__exec(c, "COMMIT", err);
	pg__exec(c, "ROLLBACK", NULL);
	return r;
}

/* Whether a one-column text answer is "t". */
static int yes(struct pg *c, const char *sql, const struct pg_args *a, int *out, struct err *err)
{
	PGresult *res;
	int r = pg__row(c, sql, a, &res, err);
	*out = 0;
	if (r == GG_ENOTFOUND)
		return GG_OK;
	if (r)
		return r;
	*out = !strcmp(PQgetvalue(res, 0, 0), "t");
	PQclear(res);
	return GG_OK;
}

/*
 * The city side. The name is checked (a-z, 0-9, _) before it is written into the
 * statements, which take no parameters (DDL).
 */
int pg__province_publish(struct store *s, const char *city, struct err *err)
{
	static const char level[] = "SELECT current_setting('wal_level')";
	struct pg *c = pg_of(s);
	PGresult *res;
	int r = pg__row(c, level, NULL, &res, err);
	if (r)
		return r;
	char wal[32];
	pg__col_copy(res, 0, 0, wal, sizeof(wal));
	PQclear(res);
	if (strcmp(wal, "logical"))
		return err_set(err, GG_EINVAL,
			       "the city's server runs with wal_level=%s: logical replication needs"
			       " wal_level=logical (postgresql.conf, then a restart)",
			       wal);
	char sql[4096];
	int n = 0;
	static const struct {
		const char *table, *key;
	} t[] = {
	    {"case_sum", "kind, lvl, node, day, dept, chan"},
	    {"case_live", "kind, lvl, node, dept, chan"},
	    {"case_heat", "node, dept, wk, x, y"},
	};
	for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		n += snprintf(sql + n, sizeof(sql) - (size_t)n,
			      "ALTER TABLE %1$s ADD COLUMN IF NOT EXISTS city text COLLATE \"C\""
			      " NOT NULL DEFAULT '%2$s';"
			      " ALTER TABLE %1$s ALTER COLUMN city SET DEFAULT '%2$s';"
			      " UPDATE %1$s SET city = '%2$s' WHERE city <> '%2$s';"
			      " CREATE UNIQUE INDEX IF NOT EXISTS %1$s_city ON %1$s(city, %3$s);"
			      " ALTER TABLE %1$s REPLICA IDENTITY USING INDEX %1$s_city;",
			      t[i].table, city, t[i].key);
	snprintf(sql + n, sizeof(sql) - (size_t)n,
		 " DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = '%s')"
		 " THEN CREATE PUBLICATION %s FOR TABLE case_sum, case_live, case_heat;"
		 " END IF; END$$",
		 PUBLICATION, PUBLICATION);
	return exec_tx(c, sql, err);
}

/*
 * The province's tables keyed by city too, the first time (a province keeps no cases,
 * so whatever summaries it had are dropped), and the list of its cities.
 */
static const char province_tables[] =
    "CREATE TABLE IF NOT EXISTS province_city ("
    "  name     text COLLATE \"C\" PRIMARY KEY,"
    "  added_at bigint NOT NULL);"
    " DO $$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'case_sum'::regclass"
    "  AND attname = 'city' AND NOT attisdropped) THEN"
    "  DELETE FROM case_sum; DELETE FROM case_live; DELETE FROM case_heat;"
    "  ALTER TABLE case_sum ADD COLUMN city text COLLATE \"C\" NOT NULL DEFAULT '',"
    "   DROP CONSTRAINT case_sum_pkey,"
    "   ADD PRIMARY KEY (city, kind, lvl, node, day, dept, chan);"
    "  ALTER TABLE case_live ADD COLUMN city text COLLATE \"C\" NOT NULL DEFAULT '',"
    "   DROP CONSTRAINT case_live_pkey, ADD PRIMARY KEY (city, kind, lvl, node, dept, chan);"
    "  ALTER TABLE case_heat ADD COLUMN city text COLLATE \"C\" NOT NULL DEFAULT '',"
    "   DROP CONSTRAINT case_heat_pkey, ADD PRIMARY KEY (city, node, dept, wk, x, y);"
    "  UPDATE case_sum_meta SET built = 1;"
    " END IF; END$$";

/* On the city: its publication exists, and the slot the subscription will use. */
static int city_slot(const char *uri, const char *slot, struct err *err)
{
	static const char published[] =
	    "SELECT EXISTS (SELECT 1 FROM pg_publication WHERE pubname = '" PUBLICATION "')";
	static const char make[] =
	    "SELECT pg_create_logical_replication_slot($1, 'pgoutput')"
	    " WHERE NOT EXISTS (SELECT 1 FROM pg_replication_slots WHERE slot_name = $1)";
	struct store *cs;
	int r = store__pg_open(uri, &cs, err);
	if (r)
		return r;
	struct pg *c = pg_of(cs);
	int ok = 0;
	if ((r = yes(c, published, NULL, &ok, err)) == GG_OK && !ok)
		r = err_set(err, GG_EINVAL,
			    "the city has published nothing: run 'gridgov province publish --db"
			    " CITY_URI --city NAME' on it first");
	if (r == GG_OK) {
		struct pg_args a = PG_ARGS_INIT;
		PGresult *res;
		pg__arg_text(&a, slot);
		r = pg__query(c, make, &a, &res, err);
		if (r == GG_OK)
			PQclear(res);
	}
	store_close(cs);
	return r;
}

/*
 * After a failed CREATE SUBSCRIPTION: drop the slot made for it, which nobody would read
 * and which would keep the city's WAL from being recycled. Best effort.
 */
static void city_drop_slot(const char *uri, const char *slot)
{
	static const char drop[] =
	    "SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
	    " WHERE slot_name = $1 AND NOT active";
	struct store *cs;
	struct err e = ERR_INIT;
	if (store__pg_open(uri, &cs, &e))
		return;
	struct pg_args a = PG_ARGS_INIT;
	PGresult *res;
	pg__arg_text(&a, slot);
	if (pg__query(pg_of(cs), drop, &a, &res, &e) == GG_OK)
		PQclear(res);
	store_close(cs);
}

int pg__province_subscribe(struct store *s, const char *city, const char *uri, struct err *err)
{
	static const char taken[] =
	    "SELECT EXISTS (SELECT 1 FROM pg_subscription WHERE subname = $1)";
	static const char add[] = "INSERT INTO province_city VALUES($1,"
				  " extract(epoch FROM now())::bigint) ON CONFLICT DO NOTHING";
	static const char create[] =
	    "SELECT format('CREATE SUBSCRIPTION %I CONNECTION %L PUBLICATION " PUBLICATION
	    " WITH (create_slot = false, slot_name = %L)', $1, $2, $1)";
	struct pg *c = pg_of(s);
	char name[STORE_CITY_MAX + 16];
	snprintf(name, sizeof(name), "gridgov_%s", city);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, name);
	int exists = 0, r = yes(c, taken, &a, &exists, err);
	if (r)
		return r;
	if (exists)
		return err_set(err, GG_ECONFLICT, "the province subscribes to city %s already",
			       city);
	if ((r = exec_tx(c, province_tables, err)))
		return r;
	struct pg_args b = PG_ARGS_INIT;
	pg__arg_text(&b, city);
	if ((r = pg__run(c, add, &b, err)))
		return r;
	/* the slot is made on the city beforehand: CREATE SUBSCRIPTION making it itself
	 * waits forever when the city is a database of the province's own cluster */
	if ((r = city_slot(uri, name, err)))
		return r;
	struct pg_args d = PG_ARGS_INIT;
	pg__arg_text(&d, name);
	pg__arg_text(&d, uri);
	PGresult *res;
	if ((r = pg__row(c, create, &d, &res, err)))
		return r;
	struct buf stmt = BUF_INIT;
	buf_add(&stmt, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	/* CREATE SUBSCRIPTION may not run inside a transaction block */
	r = pg__exec(c, stmt.p, err);
	buf_release(&stmt);
	if (r)
		city_drop_slot(uri, name);
	return r;
}

int pg__province_unsubscribe(struct store *s, const char *city, struct err *err)
{
	static const char taken[] =
	    "SELECT EXISTS (SELECT 1 FROM pg_subscription WHERE subname = $1)";
	static const char drop[] = "SELECT format('DROP SUBSCRIPTION %I', $1)";
	static const char *const rows[] = {"DELETE FROM case_sum WHERE city = $1",
					   "DELETE FROM case_live WHERE city = $1",
					   "DELETE FROM case_heat WHERE city = $1",
					   "DELETE FROM province_city WHERE name = $1"};
	struct pg *c = pg_of(s);
	char name[STORE_CITY_MAX + 16];
	snprintf(name, sizeof(name), "gridgov_%s", city);
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_text(&a, name);
	int exists = 0, r = yes(c, taken, &a, &exists, err);
	if (r)
		return r;
	if (!exists)
		return err_set(err, GG_ENOTFOUND, "the province does not subscribe to city %s",
			       city);
	PGresult *res;
	if ((r = pg__row(c, drop, &a, &res, err)))
		return r;
	struct buf stmt = BUF_INIT;
	buf_add(&stmt, PQgetvalue(res, 0, 0), (size_t)PQgetlength(res, 0, 0));
	PQclear(res);
	/* DROP SUBSCRIPTION may not run inside a transaction block; it drops the slot on
	 * the city, so nothing keeps the city's WAL afterwards */
	r = pg__exec(c, stmt.p, err);
	buf_release(&stmt);
	if (r)
		return r;
	if ((r = store_begin(s, STORE_WRITE, err)))
		return r;
	struct pg_args b = PG_ARGS_INIT;
	pg__arg_text(&b, city);
	for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]) && r == GG_OK; i++)
		r = pg__run(c, rows[i], &b, err);
	if (r == GG_OK)
		return store_commit(s, err);
	store_rollback(s);
	return r;
}

int pg__replica_lag(struct store *s, uint64_t *mark, int64_t *lag_ms, struct err *err)
{
	static const char sql[] =
	    "SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0"
	    " WHEN coalesce(pg_last_wal_replay_lsn() - '0/0'::pg_lsn, 0) >= $1::numeric THEN 0"
	    " ELSE coalesce((1000 * extract(epoch FROM clock_timestamp()"
	    " - pg_last_xact_replay_timestamp()))::bigint, 0) END,"
	    " coalesce(pg_last_wal_receive_lsn() - '0/0'::pg_lsn, 0)::bigint";
	struct pg_args a = PG_ARGS_INIT;
	pg__arg_int(&a, (int64_t)*mark);
	PGresult *res;
	int r = pg__row(pg_of(s), sql, &a, &res, err);
	if (r)
		return r;
	*lag_ms = pg__int(res, 0, 0);
	*mark = (uint64_t)pg__int(res, 0, 1);
	PQclear(res);
	return GG_OK;
}

int pg__province_read(struct store *s, int on, struct err *err)
{
	static const char is[] = "SELECT to_regclass('province_city') IS NOT NULL";
	struct pg *c = pg_of(s);
	int ok = 0, r = on ? yes(c, is, NULL, &ok, err) : GG_OK;
	if (r)
		return r;
	if (on && !ok)
		return err_set(err, GG_EINVAL,
			       "not a province database: subscribe it to its cities first"
			       " (gridgov province subscribe)");
	c->province = on;
	return GG_OK;
}
