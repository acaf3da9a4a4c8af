/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The administration operations (issue 14, item 11): users (add, edit role, scope and
 * department, lock and unlock, reset the password), departments, the categories' time
 * limits, API keys and devices. Each takes a struct svc whose principal is an admin (the
 * API's route checks the role; these check the scope): an admin manages only users whose
 * scope lies inside its own, so nobody creates or edits a user wider than itself. Every
 * write adds one entry to the audit log (store_audit_add) in the caller's transaction.
 * Secrets (a temporary password, a key) are returned once in the caller's buffer and
 * never stored or logged: only their hashes are. Password hashing (argon2id) is slow on
 * purpose, so it is done apart (svc_password_prepare, svc_password_check) before the
 * write, never inside the writer's transaction.
 */
#ifndef GRIDGOV_SVC_ADMIN_H
#define GRIDGOV_SVC_ADMIN_H

#include "gridgov/store_admin.h"
#include "gridgov/svc.h"

/** A temporary password or a key as returned once (NUL-terminated). */
#define SVC_SECRET_MAX 72

/** A user's fields as an admin sets them; NULL leaves a field as it is (on edit). */
struct svc_user_in {
	const char *name;   /* add only */
	const char *role;   /* role name (role_parse) */
	const char *scope;  /* grid code; "" = the whole tree */
	const char *dept;   /* department code; "" = none */
	const char *pwhash; /* add only: from svc_password_prepare */
	int must_change;    /* add only: the password is a temporary one */
};

/**
 * The hash of a new password (at least 8 characters; 422 "password" otherwise), or with
 * password NULL of a temporary one written into temp (temp "" otherwise). No store: call
 * it before the write. pwhash has STORE_PWHASH_MAX bytes.
 */
int svc_password_prepare(const char *password, char temp[SVC_SECRET_MAX], char *pwhash,
			 struct err *err) GG_WUR;
/**
 * Add a user with the hash in->pwhash. 422 names the field; 403 when the scope is wider
 * than the admin's; 409 when the name is taken.
 */
int svc_user_add(const struct svc *s, const struct svc_user_in *in, int64_t *id,
		 struct err *err) GG_WUR;
/** Change a user's role, scope or department (both old and new scope must be the admin's). */
int svc_user_edit(const struct svc *s, int64_t id, const struct svc_user_in *in,
		  struct err *err) GG_WUR;
/** Lock (on = 1: no login, every session ends at once) or unlock a user. */
int svc_user_lock(const struct svc *s, int64_t id, int on, struct err *err) GG_WUR;
/**
 * Set a temporary password (pwhash from svc_password_prepare(NULL, …)), to be changed at
 * the next login; the user's sessions end.
 */
int svc_user_reset(const struct svc *s, int64_t id, const char *pwhash, struct err *err) GG_WUR;
/**
 * The users the admin manages (scope inside its own), by id, whose name, scope or
 * department contains q (NULL = all): `limit` of them from `offset` into *out, *total
 * counting every match.
 */
int svc_user_list(const struct svc *s, const char *q, int64_t offset, int limit,
		  struct store_user **out, size_t *n, int64_t *total, struct err *err) GG_WUR;
/**
 * Before the caller changes its own password (in a read): the old one checked, the new
 * one at least 8 characters and different; its hash into pwhash (STORE_PWHASH_MAX).
 */
int svc_password_check(const struct svc *s, const char *old_pw, const char *new_pw, char *pwhash,
		       struct err *err) GG_WUR;
/** Then, in the write: store the new hash and clear a reset's must-change mark. */
int svc_password_set(const struct svc *s, const char *pwhash, struct err *err) GG_WUR;

/** Add (create = 1; 409 if the code exists) or rename (404 if missing) a department. */
int svc_dept_put(const struct svc *s, const struct store_dept *d, int create,
		 struct err *err) GG_WUR;

/**
 * Write a category's department, time limits, verification time and urgency (c as the
 * caller edited it from store_category_get): limits ordered general <= engineering <=
 * special, each 1..100000 h. Deadlines set from then on use the new limits; those already
 * set stay as they are (cases keep their deadlines).
 */
int svc_category_update(const struct svc *s, const struct store_category *c,
			struct err *err) GG_WUR;

/** Issue an API key of a scope inside the admin's; the key goes into key, once. */
int svc_apikey_issue(const struct svc *s, const char *name, const char *scope, int64_t *id,
		     char key[SVC_SECRET_MAX], struct err *err) GG_WUR;
/** The keys of scopes inside the admin's, oldest first (from s->a). */
int svc_apikey_list(const struct svc *s, struct store_apikey_row **out, size_t *n,
		    struct err *err) GG_WUR;
/** Revoke a key: it stops working at once. */
int svc_apikey_revoke(const struct svc *s, int64_t id, struct err *err) GG_WUR;

/**
 * Register a device: type manhole, smoke, water_level or camera (with a category and a
 * point, inside a scoped admin's scope) or tracker (linked to an existing user of the
 * admin's scope by name, no category or point). Its key goes into key, once.
 */
int svc_device_add(const struct svc *s, const struct store_device *d, const char *user,
		   char key[SVC_SECRET_MAX], struct err *err) GG_WUR;
/**
 * The devices the admin sees, by id (from s->a): for a whole-tree admin all of them; for
 * a scoped one the trackers of its users and the devices whose point lies in its scope
 * (by s->locate; none when there is no locator).
 */
int svc_device_list(const struct svc *s, struct store_device_row **out, size_t *n,
		    struct err *err) GG_WUR;

/**
 * The audit log newest first, `limit` entries from `offset` (from s->a): of a whole-tree
 * admin every entry, of a scoped one the entries about things inside its scope (users,
 * keys, devices of its scope; departments and categories are the district's).
 */
int svc_audit_list(const struct svc *s, int64_t offset, int limit, struct store_audit **out,
		   size_t *n, int64_t *total, struct err *err) GG_WUR;

#endif
