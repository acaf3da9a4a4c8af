/* SPDX-License-Identifier: Apache-2.0 */
/* ID numbers (GB 11643 check digit, birth date, gender), phone numbers and masking. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gridgov/idcard.h"

/* 2026-11-23 12:00 in Chengdu */
static const int64_t NOW = 1795406400;

static void check_digit_of_published_example(void **state)
{
	/* The example printed in GB 11643-1999 ends in X. */
	assert_int_equal(idc_check_char("11010519491231002"), 'X');
	assert_int_equal(idc_check_char("51010519900307123"), '3');
	assert_int_equal(idc_check_char("5101051990030712a"), 0);
}

static void valid_id_gives_birth_and_gender(void **state)
{
	struct idc_info in;
	struct err err = ERR_INIT;
	assert_int_equal(idc_parse("510105199003071233", NOW, &in, &err), GG_OK);
	assert_string_equal(in.birth, "1990-03-07");
	assert_int_equal(in.gender, 'M'); /* sequence 123: odd */
	assert_string_equal(in.region, "510105");
	assert_int_equal(idc_parse("510105198001010010", NOW, &in, &err), GG_OK);
	assert_int_equal(in.gender, 'M'); /* sequence 001: odd */
	assert_string_equal(in.birth, "1980-01-01");
}

static void final_x_in_either_case(void **state)
{
	struct idc_info in;
	assert_int_equal(idc_parse("11010519491231002X", NOW, &in, NULL), GG_OK);
	assert_string_equal(in.id, "11010519491231002X");
	assert_int_equal(in.gender, 'F'); /* 17th digit 2 */
	assert_int_equal(idc_parse("11010519491231002x", NOW, &in, NULL), GG_OK);
	assert_string_equal(in.id, "11010519491231002X");
	assert_string_equal(in.birth, "1949-12-31");
}

static void wrong_check_digit_is_refused(void **state)
{
	struct err err = ERR_INIT;
	assert_int_equal(idc_parse("510105199003071234", NOW, NULL, &err), GG_EFIELD);
	assert_string_equal(err.field, "id_number");
	assert_non_null(strstr(err.msg, "check digit"));
	/* one digit changed in the body */
	assert_int_equal(idc_parse("510105199003171233", NOW, NULL, NULL), GG_EFIELD);
	/* X where a digit belongs */
	assert_int_equal(idc_parse("51010519900307123X", NOW, NULL, NULL), GG_EFIELD);
}

static void impossible_dates_are_refused(void **state)
{
	struct err err = ERR_INIT;
	/* 1999-02-30 with a correct check digit */
	assert_int_equal(idc_parse("510105199902301231", NOW, NULL, &err), GG_EFIELD);
	assert_non_null(strstr(err.msg, "not a real date"));
	/* 2030-01-01: in the future */
	assert_int_equal(idc_parse("510105203001011236", NOW, NULL, &err), GG_EFIELD);
	assert_non_null(strstr(err.msg, "future"));
	/* leap days: 2000-02-29 real, 1900-02-29 not */
	char id[19] = "51010520000229123";
	id[17] = idc_check_char(id);
	id[18] = 0;
	assert_int_equal(idc_parse(id, NOW, NULL, NULL), GG_OK);
	memcpy(id, "51010519000229123", 17);
	id[17] = idc_check_char(id);
	assert_int_equal(idc_parse(id, NOW, NULL, NULL), GG_EFIELD);
	/* month 13 */
	memcpy(id, "51010519901301123", 17);
	id[17] = idc_check_char(id);
	assert_int_equal(idc_parse(id, NOW, NULL, NULL), GG_EFIELD);
}

static void wrong_length_and_letters_are_refused(void **state)
{
	assert_int_equal(idc_parse("51010519900307123", NOW, NULL, NULL), GG_EFIELD);
	assert_int_equal(idc_parse("5101051990030712333", NOW, NULL, NULL), GG_EFIELD);
	assert_int_equal(idc_parse("51010A199003071233", NOW, NULL, NULL), GG_EFIELD);
	assert_int_equal(idc_parse("", NOW, NULL, NULL), GG_EFIELD);
}

static void phones(void **state)
{
	struct err err = ERR_INIT;
	assert_int_equal(idc_phone_check("13812345678", &err), GG_OK);
	assert_int_equal(idc_phone_check("19912345678", &err), GG_OK);
	assert_int_equal(idc_phone_check("+8613812345678", &err), GG_OK);
	assert_int_equal(idc_phone_check("028-86123456", &err), GG_OK);
	assert_int_equal(idc_phone_check("010-1234567", &err), GG_OK);
	assert_int_equal(idc_phone_check("0931-8123456-801", &err), GG_OK);
	assert_int_equal(idc_phone_check("02886123456", &err), GG_OK);
	assert_int_equal(idc_phone_check("12812345678", &err), GG_EFIELD); /* 12x */
	assert_string_equal(err.field, "phone");
	assert_int_equal(idc_phone_check("1381234567", &err), GG_EFIELD);   /* 10 digits */
	assert_int_equal(idc_phone_check("138123456789", &err), GG_EFIELD); /* 12 digits */
	assert_int_equal(idc_phone_check("86123456", &err), GG_EFIELD);	    /* no area code */
	assert_int_equal(idc_phone_check("028-861234", &err), GG_EFIELD);   /* 6-digit local */
	assert_int_equal(idc_phone_check("138 1234 5678", &err), GG_EFIELD);
	assert_int_equal(idc_phone_check("", &err), GG_EFIELD);
}

static void masking(void **state)
{
	char m[IDC_LEN + 1], p[IDC_PHONE_MAX];
	idc_mask_id("510105199003071234", m);
	assert_string_equal(m, "5101**********1234");
	idc_mask_phone("13812345678", p);
	assert_string_equal(p, "138****5678");
	idc_mask_phone("028-86123456", p);
	assert_string_equal(p, "028*****3456");
	idc_mask_id("1234", m);
	assert_string_equal(m, "****");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(check_digit_of_published_example),
	    cmocka_unit_test(valid_id_gives_birth_and_gender),
	    cmocka_unit_test(final_x_in_either_case),
	    cmocka_unit_test(wrong_check_digit_is_refused),
	    cmocka_unit_test(impossible_dates_are_refused),
	    cmocka_unit_test(wrong_length_and_letters_are_refused),
	    cmocka_unit_test(phones),
	    cmocka_unit_test(masking),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
