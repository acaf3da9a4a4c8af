/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A province view over its cities (issue 13): each city database publishes its case
 * summaries (store_stats.h) by PostgreSQL logical replication, tagged with the city's
 * name; a province database subscribes to every city and serves the indicators over
 * all of them, read-only. PostgreSQL only: on SQLite each call fails with GG_EINVAL
 * saying so. Same conventions as store.h. docs/postgres.md describes the whole.
 */
#ifndef GRIDGOV_STORE_PROVINCE_H
#define GRIDGOV_STORE_PROVINCE_H

#include "gridgov/store.h"

/* A city's name: 1 to STORE_CITY_MAX - 1 of [a-z0-9_], starting with a letter. */
#define STORE_CITY_MAX 32

/** Whether name is a valid city name (see STORE_CITY_MAX). */
int store_city_name_ok(const char *name);

/**
 * City side, outside a transaction: tag this database's summary rows with `city` (a
 * column whose default is the name, part of each table's replica identity) and publish
 * them as publication gridgov_province. Run again, it changes nothing (with another
 * name, it retags the rows). Needs wal_level=logical on the city's server to be useful.
 */
int store_province_publish(struct store *s, const char *city, struct err *err) GG_WUR;
/**
 * Province side, outside a transaction: make this database a province's (its summary
 * tables keyed by city as well; it keeps no cases of its own) and subscribe it to the
 * city at city_uri (a libpq URI or conninfo, as the province's server reaches it) under
 * the city's name. Creates the replication slot gridgov_<city> on the city first, so a
 * city in the same cluster works too. GG_ECONFLICT when the name is subscribed already.
 */
int store_province_subscribe(struct store *s, const char *city, const char *city_uri,
			     struct err *err) GG_WUR;
/**
 * Province side, outside a transaction: stop subscribing to city — drop its subscription
 * (which drops the slot on the city, so the city must be reachable) and then, in one
 * transaction, its rows of the summaries and its entry in the province's list.
 * GG_ENOTFOUND when the province does not subscribe to that name.
 */
int store_province_unsubscribe(struct store *s, const char *city, struct err *err) GG_WUR;
/**
 * Make this connection read the summaries as a province's (on = 1): the node of each
 * row comes back as "CITY:CODE", so cities with the same grid codes never add up.
 * GG_EINVAL when the database is not a province's.
 */
int store_province_read(struct store *s, int on, struct err *err) GG_WUR;

#endif
