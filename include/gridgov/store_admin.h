/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of the administration screens (issue 14, item 11): users edited by id and their
 * sessions dropped, departments added or renamed, the audit log of every admin write,
 * API keys listed and revoked, devices listed and a tracker's user. Records that come
 * back in arrays are allocated from the arena the caller passes.
 */
#ifndef GRIDGOV_STORE_ADMIN_H
#define GRIDGOV_STORE_ADMIN_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/arena.h"
#include "gridgov/err.h"
#include "gridgov/store.h"
#include "gridgov/store_intake.h"

struct store;

/** The user with this id; GG_ENOTFOUND when none. */
int store_user_get(struct store *s, int64_t id, struct store_user *u, struct err *err) GG_WUR;
/**
 * Write a user's role, scope, department, password hash, active flag and must_change
 * (by u->id); GG_ENOTFOUND when no such user, GG_EFIELD "dept" for an unknown department.
 */
int store_user_update(struct store *s, const struct store_user *u, struct err *err) GG_WUR;
/** End every session of a user (a lock or a password reset takes effect at once). */
int store_session_drop_user(struct store *s, int64_t user_id, struct err *err) GG_WUR;

/** Add a department or rename it (by code). */
int store_dept_put(struct store *s, const struct store_dept *d, struct err *err) GG_WUR;

/** One admin write: who, what, on what, and a short detail (never a secret). */
struct store_audit {
	int64_t id, at;
	char scope[GRID_CODE_MAX]; /* the grid scope of what changed ("" = the district's) */
	char actor[64];
	char action[32];
	char target[128];
	char detail[256];
};

int store_audit_add(struct store *s, const struct store_audit *e, struct err *err) GG_WUR;
/** Newest first, of scopes under `under` ("" = all), limit entries from offset; *total
 * counts them all. */
int store_audit_list(struct store *s, const char *under, int64_t offset, int limit, struct arena *a,
		     struct store_audit **out, size_t *n, int64_t *total, struct err *err) GG_WUR;

/** An API key as the admin lists it (never its hash). */
struct store_apikey_row {
	int64_t id;
	char name[56];
	char scope[24];
	int64_t created_at;
	int revoked;
};

/** Every key, oldest first. */
int store_apikey_list(struct store *s, struct arena *a, struct store_apikey_row **out, size_t *n,
		      struct err *err) GG_WUR;
/** Revoke a key (it stops working at once); GG_ENOTFOUND when no such key. */
int store_apikey_revoke(struct store *s, int64_t id, struct err *err) GG_WUR;

/** A device as the admin lists it: the record (key_hash left empty) and its user. */
struct store_device_row {
	struct store_device d;
	int has_point;
	char user[64]; /* a tracker's user name, "" otherwise */
};

/** Every device, by id. */
int store_device_list(struct store *s, struct arena *a, struct store_device_row **out, size_t *n,
		      struct err *err) GG_WUR;
/** Set the user a tracker is linked to ("" = none); GG_ENOTFOUND when no such device. */
int store_device_set_user(struct store *s, const char *id, const char *user,
			  struct err *err) GG_WUR;

#endif
