/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gridgov/export.h"

static const char *const HEAD[] = {"编号", "类别", "说明"};

static char *csv_of(void (*rows)(struct export_book *), size_t max, int *code)
{
	struct err e = ERR_INIT;
	struct export_book *b = export_open(EXPORT_CSV, max, &e);
	assert_non_null(b);
	char *data = NULL;
	size_t len = 0;
	*code = export_sheet(b, "案件", HEAD, 3, &e);
	if (*code == 0) {
		rows(b);
		*code = export_finish(b, &data, &len, &e);
	}
	export_free(b);
	if (data)
		assert_int_equal(strlen(data), len);
	return data;
}

static void two_rows(struct export_book *b)
{
	struct err e = ERR_INIT;
	export_int(b, 42);
	export_text(b, "私搭乱建");
	export_text(b, "a \"quoted\", two\nlines");
	assert_int_equal(export_row(b, &e), 0);
	export_int(b, -7);
	export_text(b, "=HYPERLINK(\"x\")");
	export_text(b, NULL);
	assert_int_equal(export_row(b, &e), 0);
	assert_int_equal(export_rows(b), 2);
}

static void csv_has_bom_crlf_quoting_and_a_formula_guard(void **state)
{
	int code;
	char *s = csv_of(two_rows, 0, &code);
	assert_int_equal(code, 0);
	assert_string_equal(s, "\xEF\xBB\xBF"
			       "编号,类别,说明\r\n"
			       "42,私搭乱建,\"a \"\"quoted\"\", two\nlines\"\r\n"
			       "-7,\"'=HYPERLINK(\"\"x\"\")\",\r\n");
	free(s);
}

static void bad_utf8(struct export_book *b)
{
	struct err e = ERR_INIT;
	export_text(b, "ok\xff\xfe");
	export_num(b, NAN);
	export_num(b, 2.5);
	assert_int_equal(export_row(b, &e), 0);
}

static void invalid_text_is_repaired_and_nan_is_empty(void **state)
{
	int code;
	char *s = csv_of(bad_utf8, 0, &code);
	assert_int_equal(code, 0);
	assert_non_null(strstr(s, "ok\xEF\xBF\xBD"));
	assert_non_null(strstr(s, ",,2.5\r\n"));
	free(s);
}

static void many(struct export_book *b)
{
	struct err e = ERR_INIT;
	for (int i = 0; i < 1000; i++) {
		export_int(b, i);
		export_text(b, "一些文字");
		export_text(b, "更多文字");
		if (export_row(b, &e) != 0)
			break;
	}
}

static void a_csv_past_its_cap_is_too_big(void **state)
{
	int code;
	char *s = csv_of(many, 4096, &code);
	assert_null(s);
	assert_int_equal(code, GG_ETOOBIG);
}

static void too_many_cells_fail_and_a_csv_holds_one_sheet(void **state)
{
	struct err e = ERR_INIT;
	struct export_book *b = export_open(EXPORT_CSV, 0, &e);
	assert_int_equal(export_sheet(b, "a", HEAD, 3, &e), 0);
	assert_int_equal(export_sheet(b, "b", HEAD, 3, &e), GG_EINVAL);
	for (int i = 0; i < 4; i++)
		export_int(b, i);
	assert_int_equal(export_row(b, &e), GG_EINTERNAL);
	char *d;
	size_t n;
	assert_int_equal(export_finish(b, &d, &n, &e), GG_EINTERNAL);
	assert_null(d);
	export_free(b);
}

/* The named part of an XLSX (a zip) as text, read back through unzip. */
static char *part(const char *data, size_t len, const char *name)
{
	char path[] = "/tmp/gridgov-test-xlsx-XXXXXX";
	int fd = mkstemp(path);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
	char cmd[128];
	snprintf(cmd, sizeof(cmd), "unzip -p %s %s", path, name);
	FILE *p = popen(cmd, "r");
	assert_non_null(p);
	static char out[65536];
	size_t got = fread(out, 1, sizeof(out) - 1, p);
	out[got] = '\0';
	pclose(p);
	unlink(path);
	return out;
}

static void xlsx_has_its_sheets_headers_and_values(void **state)
{
	struct err e = ERR_INIT;
	struct export_book *b = export_open(EXPORT_XLSX, 0, &e);
	assert_non_null(b);
	assert_int_equal(export_sheet(b, "案件", HEAD, 3, &e), 0);
	two_rows(b);
	static const char *const H2[] = {"部门", "按期率"};
	assert_int_equal(export_sheet(b, "案件", H2, 2, &e), GG_EINVAL); /* repeated name */
	assert_int_equal(export_sheet(b, "bad/name", H2, 2, &e), GG_EINVAL);
	assert_int_equal(export_sheet(b, "部门", H2, 2, &e), 0);
	export_text(b, "城管执法局");
	export_num(b, 0.808);
	assert_int_equal(export_row(b, &e), 0);
	char *d;
	size_t n;
	assert_int_equal(export_finish(b, &d, &n, &e), 0);
	export_free(b);
	assert_true(n > 100 && memcmp(d, "PK", 2) == 0);
	const char *wb = part(d, n, "xl/workbook.xml");
	assert_non_null(strstr(wb, "name=\"案件\""));
	assert_non_null(strstr(wb, "name=\"部门\""));
	const char *s1 = part(d, n, "xl/worksheets/sheet1.xml");
	assert_non_null(strstr(s1, "编号"));
	assert_non_null(strstr(s1, "私搭乱建"));
	assert_non_null(strstr(s1, "<t>=HYPERLINK(\"x\")</t>")); /* text, not a formula */
	assert_null(strstr(s1, "<f>"));
	assert_non_null(strstr(s1, "<v>42</v>"));
	const char *s2 = part(d, n, "xl/worksheets/sheet2.xml");
	assert_non_null(strstr(s2, "城管执法局"));
	assert_non_null(strstr(s2, "<v>0.808"));
	free(d);
}

static void formats_parse_exactly(void **state)
{
	enum export_format f;
	assert_int_equal(export_format_parse("csv", &f), 0);
	assert_int_equal(f, EXPORT_CSV);
	assert_int_equal(export_format_parse("xlsx", &f), 0);
	assert_int_equal(f, EXPORT_XLSX);
	assert_int_equal(export_format_parse("XLSX", &f), -1);
	assert_int_equal(export_format_parse(NULL, &f), -1);
	assert_string_equal(export_extension(EXPORT_XLSX), "xlsx");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(csv_has_bom_crlf_quoting_and_a_formula_guard),
	    cmocka_unit_test(invalid_text_is_repaired_and_nan_is_empty),
	    cmocka_unit_test(a_csv_past_its_cap_is_too_big),
	    cmocka_unit_test(too_many_cells_fail_and_a_csv_holds_one_sheet),
	    cmocka_unit_test(xlsx_has_its_sheets_headers_and_values),
	    cmocka_unit_test(formats_parse_exactly),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
