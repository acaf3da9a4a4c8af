/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of wall screens 大屏 (kiosk sessions): an administrator issues one for a named
 * screen; the screen trades a one-time code for its token once; the token never expires
 * but can be revoked. Only hashes of the code and the token are kept.
 */
#ifndef GRIDGOV_STORE_KIOSK_H
#define GRIDGOV_STORE_KIOSK_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/arena.h"
#include "gridgov/err.h"
#include "gridgov/grid.h"

struct store;

struct store_kiosk {
	int64_t id;
	char name[128];		   /* the screen, e.g. "指挥中心大屏1" */
	char scope[GRID_CODE_MAX]; /* what it shows ("" = everything) */
	int64_t created_by;	   /* the administrator who issued it */
	int64_t created_at, code_expires, claimed_at, revoked_at; /* 0 = not (yet) */
};

/** Issue a screen with the hash of its one-time code; its id into k->id. */
int store_kiosk_insert(struct store *s, struct store_kiosk *k, const char *code_hash,
		       struct err *err) GG_WUR;
/**
 * Trade a one-time code (its hash) for a token (its hash) at now: the code is used up.
 * GG_ENOTFOUND when no unrevoked screen has that code unexpired.
 */
int store_kiosk_claim(struct store *s, const char *code_hash, const char *token_hash, int64_t now,
		      struct store_kiosk *k, struct err *err) GG_WUR;
/** The unrevoked screen whose token has this hash; GG_ENOTFOUND otherwise. */
int store_kiosk_by_token(struct store *s, const char *token_hash, struct store_kiosk *k,
			 struct err *err) GG_WUR;
/** Every screen, newest first (from a). */
int store_kiosk_list(struct store *s, struct arena *a, struct store_kiosk **out, size_t *n,
		     struct err *err) GG_WUR;
/** Revoke screen id at now (its token and code stop working); GG_ENOTFOUND if none. */
int store_kiosk_revoke(struct store *s, int64_t id, int64_t now, struct err *err) GG_WUR;

#endif
