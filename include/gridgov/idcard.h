/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Resident identity numbers 居民身份证号码 (GB 11643-1999) and phone numbers: validation,
 * what an ID number says about its holder (birth date, gender) and masking for display.
 * Pure functions; nothing here logs, because these values must never reach a log.
 */
#ifndef GRIDGOV_IDCARD_H
#define GRIDGOV_IDCARD_H

#include <stdint.h>

#include "gridgov/err.h"

#define IDC_LEN	      18
#define IDC_PHONE_MAX 24

struct idc_info {
	char id[IDC_LEN + 1]; /* normalised: a final 'x' becomes 'X' */
	char region[7];	      /* 行政区划代码, the first six digits */
	char birth[11];	      /* "YYYY-MM-DD" */
	int year, month, day;
	char gender; /* 'M' (odd sequence digit) or 'F' (even) */
};

/**
 * The ISO 7064 MOD 11-2 check character ('0'–'9' or 'X') for the first 17 characters of
 * id, or 0 if they are not 17 digits.
 */
char idc_check_char(const char *id17);

/**
 * Validate an 18-character ID number: digits, the check character, and a real birth date
 * between 1900-01-01 and today (today given as unix seconds, UTC+8 calendar day). Fills
 * *out when valid. Errors are GG_EFIELD naming field "id_number" with the reason.
 */
int idc_parse(const char *id, int64_t now, struct idc_info *out, struct err *err) GG_WUR;

/**
 * Check a phone number: a mainland mobile (1[3-9] and 9 more digits, "+86" allowed) or a
 * landline with its area code (0 + 2–3 digits, an optional '-', 7–8 digits, optionally
 * "-" and an extension of up to 6 digits). Spaces are not accepted. GG_EFIELD naming "phone".
 */
int idc_phone_check(const char *phone, struct err *err) GG_WUR;

/** Mask an ID number for display: the first 4 and last 4 kept, "5101**********1234". */
void idc_mask_id(const char *id, char out[IDC_LEN + 1]);
/** Mask a phone number: the first 3 and last 4 characters kept, the rest '*'. */
void idc_mask_phone(const char *phone, char out[IDC_PHONE_MAX]);

#endif
