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
	char phone_hash[65]; /* pii_hash of the phone, "" when none (written, not read back) */
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

/* ---- 12345 hotline ------------------------------------------------------------- */

/** A hotline work order 工单 and the case it became. */
struct store_hotline {
	char order_no[64];
	int64_t case_id;
	int64_t received_at, deadline, created_at;
	char phone_hash[65]; /* pii_hash of the caller's phone, "" when none (written, not read) */
};

/** Record an order; caller_sealed is "" when no caller was given. */
int store_hotline_put(struct store *s, const struct store_hotline *h, const char *caller_sealed,
		      struct err *err) GG_WUR;
/** The order with this number; GG_ENOTFOUND when there is none. */
int store_hotline_get(struct store *s, const char *order_no, struct store_hotline *h,
		      struct err *err) GG_WUR;
/** The order a case came from; GG_ENOTFOUND when it did not come from the hotline. */
int store_hotline_of_case(struct store *s, int64_t case_id, struct store_hotline *h,
			  struct err *err) GG_WUR;

/** One message of the hotline outbox. */
struct store_outbox {
	int64_t id, case_id;
	char *body;
	int attempts;
	int64_t next_at_ms;
};

/** Queue a message (due at once). */
int store_outbox_add(struct store *s, int64_t case_id, const char *body, int64_t now,
		     struct err *err) GG_WUR;
/** Undelivered messages due by now_ms, oldest first, at most limit. */
int store_outbox_due(struct store *s, int64_t now_ms, int limit, struct arena *a,
		     struct store_outbox **out, size_t *n, struct err *err) GG_WUR;
/** Mark a message delivered. */
int store_outbox_delivered(struct store *s, int64_t id, int64_t now, struct err *err) GG_WUR;
/** Record a failed attempt and when to try again. */
int store_outbox_failed(struct store *s, int64_t id, int attempts, int64_t next_at_ms,
			const char *why, struct err *err) GG_WUR;
/** Messages not yet delivered. */
int store_outbox_pending(struct store *s, int64_t *n, struct err *err) GG_WUR;

/* ---- Open311 --------------------------------------------------------------------- */

/** The GeoReport v2 fields of a request that a case has no column for ("" = not sent). */
struct store_open311 {
	int64_t case_id;
	char media_url[1024];
	char address_id[128];
	char zipcode[32];
};

/** Keep the fields of request case_id (once per case). */
int store_open311_put(struct store *s, const struct store_open311 *o, struct err *err) GG_WUR;
/** The fields kept for case_id; GG_ENOTFOUND when the request sent none. */
int store_open311_get(struct store *s, int64_t case_id, struct store_open311 *o,
		      struct err *err) GG_WUR;

/* ---- API keys ------------------------------------------------------------------ */

/** An API key's record (the key itself is never stored, only its hash). */
struct store_apikey {
	int64_t id;
	char name[56]; /* shown as "key:NAME", within a user name's length */
	char scope[24];
};

/** Add a key under its hash; GG_ECONFLICT when the name is taken. */
int store_apikey_add(struct store *s, const char *name, const char *hash, const char *scope,
		     int64_t now, int64_t *id, struct err *err) GG_WUR;
/** The live key with this hash; GG_ENOTFOUND when none. */
int store_apikey_by_hash(struct store *s, const char *hash, struct store_apikey *k,
			 struct err *err) GG_WUR;

/* ---- sensors and cameras ---------------------------------------------------------- */

/** A registered device. */
struct store_device {
	char id[64], type[16], category[16];
	char key_hash[72];
	double lon, lat;
	int64_t created_at;
};

/** Register a device; GG_ECONFLICT when the id is taken. */
int store_device_add(struct store *s, const struct store_device *d, struct err *err) GG_WUR;
/** The device with this id; GG_ENOTFOUND when none. */
int store_device_get(struct store *s, const char *id, struct store_device *d,
		     struct err *err) GG_WUR;
/** Record an alarm and the case it opened or joined. */
int store_alarm_add(struct store *s, const char *device_id, const char *type, int64_t at,
		    int has_value, double value, int64_t case_id, struct err *err) GG_WUR;
/**
 * The case of the device's latest alarm since `since` when that case is still open
 * (*case_id 0 otherwise).
 */
int store_alarm_open_case(struct store *s, const char *device_id, int64_t since, int64_t *case_id,
			  struct err *err) GG_WUR;

/* ---- idempotency keys --------------------------------------------------------------- */

/**
 * A write named by a client's idempotency key: who sent it (owner: "u:<user id>", or
 * "public" for the citizen page), the route it was sent to, the SHA-256 of its fields and
 * the case it made (code: the tracking code of a citizen report, else "").
 */
struct store_idem {
	char owner[32];
	char key[80];
	char route[16];
	char digest[65];
	int64_t case_id;
	char code[16];
	int64_t created_at;
};

/** The write kept under (owner, key); GG_ENOTFOUND when none. */
int store_idem_get(struct store *s, const char *owner, const char *key, struct store_idem *out,
		   struct err *err) GG_WUR;
/** Keep a write under its key; GG_ECONFLICT when (owner, key) is taken. */
int store_idem_put(struct store *s, const struct store_idem *in, struct err *err) GG_WUR;

/** Keep case_id's reply to its reporter (replacing an earlier one). */
int store_reply_put(struct store *s, int64_t case_id, const char *text, int64_t at,
		    struct err *err) GG_WUR;
/** case_id's reply (text from a); GG_ENOTFOUND when none was given. */
int store_reply_get(struct store *s, int64_t case_id, struct arena *a, char **text, int64_t *at,
		    struct err *err) GG_WUR;

#endif
