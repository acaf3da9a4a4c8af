/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Internals of the domain layer shared by its files: attaching photos, routing a new
 * case to its grid, keeping the scheduler's queue, formatting times for messages.
 */
#ifndef GRIDGOV_SVC_INT_H
#define GRIDGOV_SVC_INT_H

#include "gridgov/svc.h"

/**
 * Attach the photos (sha256s) to case c, each one the actor may see, and give their
 * JSON array for the trail in *trail ("[]" for none; from s->a). field names the 422.
 */
int svc__attach(const struct svc *s, const struct store_case *c, const char *field,
		const char *const *list, size_t n, const char **trail, struct err *err) GG_WUR;
/** File c in the scheduler's queue at svc_case_due_at (or take it off). */
int svc__due_put(const struct svc *s, const struct store_case *c, struct err *err) GG_WUR;
/** RFC 3339 UTC into out (32 bytes), for JSON payloads. */
void svc__time(int64_t t, char out[32]);

#endif
