/* SPDX-License-Identifier: Apache-2.0 */
/*
 * ID-number and phone-number rules. The check character follows ISO 7064 MOD 11-2 as
 * GB 11643 prescribes: weights 2^(17-i) mod 11, the sum mod 11 indexes "10X98765432".
 * Birth dates are checked against the calendar and the clock passed in, so tests are
 * deterministic.
 */
#include <ctype.h>
#include <string.h>

#include "gridgov/idcard.h"

static const int weights[17] = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
static const char checks[] = "10X98765432";

char idc_check_char(const char *id17)
{
	int sum = 0;
	for (int i = 0; i < 17; i++) {
		if (!isdigit((unsigned char)id17[i]))
			return 0;
		sum += (id17[i] - '0') * weights[i];
	}
	return checks[sum % 11];
}

static int leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static int days_in(int y, int m)
{
	static const int d[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
	return m == 2 && leap(y) ? 29 : d[m - 1];
}

/* The civil date of a unix time in China Standard Time (UTC+8, no DST). */
static void civil(int64_t t, int *y, int *m, int *d)
{
	int64_t z = (t + 8 * 3600) / 86400;
	if ((t + 8 * 3600) % 86400 < 0)
		z--;
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int num(const char *s, int n)
{
	int v = 0;
	for (int i = 0; i < n; i++)
		v = v * 10 + (s[i] - '0');
	return v;
}

int idc_parse(const char *id, int64_t now, struct idc_info *out, struct err *err)
{
	if (!id || strlen(id) != IDC_LEN)
		return err_field(err, GG_EFIELD, "id_number", "an ID number has 18 characters");
	for (int i = 0; i < 17; i++)
		if (!isdigit((unsigned char)id[i]))
			return err_field(err, GG_EFIELD, "id_number",
					 "the first 17 characters of an ID number are digits");
	char last = (char)toupper((unsigned char)id[17]);
	if (!isdigit((unsigned char)last) && last != 'X')
		return err_field(err, GG_EFIELD, "id_number",
				 "the last character of an ID number is a digit or X");
	if (idc_check_char(id) != last)
		return err_field(err, GG_EFIELD, "id_number",
				 "the check digit does not match (GB 11643 MOD 11-2)");
	int y = num(id + 6, 4), m = num(id + 10, 2), d = num(id + 12, 2);
	if (y < 1900 || m < 1 || m > 12 || d < 1 || d > days_in(y, m))
		return err_field(err, GG_EFIELD, "id_number",
				 "the birth date in the ID number is not a real date");
	int ty, tm, td;
	civil(now, &ty, &tm, &td);
	if (y * 10000 + m * 100 + d > ty * 10000 + tm * 100 + td)
		return err_field(err, GG_EFIELD, "id_number",
				 "the birth date in the ID number is in the future");
	if (out) {
		memcpy(out->id, id, 17);
		out->id[17] = last;
		out->id[18] = 0;
		memcpy(out->region, id, 6);
		out->region[6] = 0;
		out->year = y;
		out->month = m;
		out->day = d;
		/* the date digits were checked above, so copy them rather than format */
		memcpy(out->birth, id + 6, 4);
		out->birth[4] = '-';
		memcpy(out->birth + 5, id + 10, 2);
		out->birth[7] = '-';
		memcpy(out->birth + 8, id + 12, 2);
		out->birth[10] = 0;
		out->gender = (id[16] - '0') % 2 ? 'M' : 'F';
	}
	return GG_OK;
}

static int digits(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isdigit((unsigned char)s[i]))
			return 0;
	return 1;
}

static int mobile(const char *p)
{
	if (!strncmp(p, "+86", 3))
		p += 3;
	return strlen(p) == 11 && p[0] == '1' && p[1] >= '3' && p[1] <= '9' && digits(p, 11);
}

/* 0AA(A)[-]NNNNNNN(N)[-EEEEEE] */
static int landline(const char *p)
{
	if (p[0] != '0')
		return 0;
	const char *dash = strchr(p, '-');
	size_t len = strlen(p);
	if (dash) {
		size_t area = (size_t)(dash - p);
		if (area < 3 || area > 4 || !digits(p, area))
			return 0;
		const char *local = dash + 1;
		const char *ext = strchr(local, '-');
		size_t ln = ext ? (size_t)(ext - local) : strlen(local);
		if (ln < 7 || ln > 8 || !digits(local, ln))
			return 0;
		if (ext) {
			size_t en = strlen(ext + 1);
			return en >= 1 && en <= 6 && digits(ext + 1, en);
		}
		return 1;
	}
	/* Without a dash the split is ambiguous, but the total length is not. */
	return len >= 10 && len <= 12 && digits(p, len);
}

int idc_phone_check(const char *phone, struct err *err)
{
	if (!phone || !*phone)
		return err_field(err, GG_EFIELD, "phone", "the phone number is empty");
	if (strlen(phone) >= IDC_PHONE_MAX)
		return err_field(err, GG_EFIELD, "phone", "the phone number is too long");
	if (phone[0] == '1' || phone[0] == '+') {
		if (mobile(phone))
			return GG_OK;
		return err_field(err, GG_EFIELD, "phone",
				 "a mobile number is 11 digits starting 13–19");
	}
	if (landline(phone))
		return GG_OK;
	return err_field(err, GG_EFIELD, "phone",
			 "not a mobile number nor a landline with its area code (028-12345678)");
}

void idc_mask_id(const char *id, char out[IDC_LEN + 1])
{
	size_t n = strlen(id);
	if (n > IDC_LEN)
		n = IDC_LEN;
	for (size_t i = 0; i < n; i++)
		out[i] = i < 4 || i + 4 >= n ? id[i] : '*';
	if (n < 9) /* too short to keep both ends without revealing it all */
		memset(out, '*', n);
	out[n] = 0;
}

void idc_mask_phone(const char *phone, char out[IDC_PHONE_MAX])
{
	size_t n = strlen(phone);
	if (n >= IDC_PHONE_MAX)
		n = IDC_PHONE_MAX - 1;
	for (size_t i = 0; i < n; i++)
		out[i] = i < 3 || i + 4 >= n ? phone[i] : '*';
	if (n < 8)
		memset(out, '*', n);
	out[n] = 0;
}
