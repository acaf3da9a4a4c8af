/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Storage of the intake channels: citizen reports 随手拍 by tracking code and the
 * photos attached to cases (which decide who may see a photo).
 */
#ifndef GRIDGOV_STORE_INTAKE_H
#define GRIDGOV_STORE_INTAKE_H

#include <stddef.h>
#include <stdint.h>

#include "gridgov/arena.h"
#include "gridgov/err.h"

struct store;

/** A citizen report: its tracking code and case. */
struct store_report {
	char code[16];
	int64_t case_id;
	int64_t created_at;
};

/** Record a citizen report; phone_sealed is "" when none was given. */
int store_report_put(struct store *s, const struct store_report *rep, const char *phone_sealed,
		     struct err *err) GG_WUR;
/** The report with tracking code code; GG_ENOTFOUND when there is none. */
int store_report_get(struct store *s, const char *code, struct store_report *rep,
		     struct err *err) GG_WUR;
/** Attach a stored photo (its media record must exist) to a case. */
int store_case_media_add(struct store *s, int64_t case_id, const char *sha256,
			 struct err *err) GG_WUR;
/** The cases a photo is attached to, oldest first. */
int store_media_cases(struct store *s, const char *sha256, struct arena *a, int64_t **ids,
		      size_t *n, struct err *err) GG_WUR;
/** The photos attached to a case, in the order they were attached. */
int store_case_media_list(struct store *s, int64_t case_id, struct arena *a, char (**shas)[65],
			  size_t *n, struct err *err) GG_WUR;

#endif
