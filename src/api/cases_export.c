/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/cases/export?format=xlsx|csv&…: the case list as a file. It takes exactly
 * the list's filters (api__case_filter, the same parser) within the caller's scope, and
 * writes one row per case with names, not codes (category, department, grid, state,
 * channel), the reporter masked as the role requires. Rows come from the store in pages
 * by key, each in an arena of its own freed after it is written, and the XLSX is written
 * row by row (src/export/), so memory holds one page and the file; at most
 * EXPORT_ROWS_MAX rows, a broader filter is refused with the count.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/export.h"
#include "gridgov/store_case.h"

#define EXPORT_ROWS_MAX 100000
#define EXPORT_PAGE	1000
/* rows of the driving index one page may examine, and the pages an export may take:
 * a filter whose matches are sparse among its driver's rows is bounded too */
#define EXPORT_SCAN	 10000
#define EXPORT_PAGES_MAX (EXPORT_ROWS_MAX / EXPORT_PAGE + 100)
#define EXPORT_BYTES_MAX ((size_t)128 << 20)
#define GRID_CACHE	 4096 /* a power of two */

/* Names of the codes the rows carry, looked up once or cached. */
struct names {
	struct api_req *r;
	struct store_category *cats;
	size_t ncats;
	struct store_dept *depts;
	size_t ndepts;
	struct {
		char code[GRID_CODE_MAX];
		char *name;
	} grids[GRID_CACHE];
};

static const char *cat_name(struct names *x, const char *code, char *out, size_t n)
{
	for (size_t i = 0; i < x->ncats; i++)
		if (!strcmp(x->cats[i].code, code)) {
			const struct store_category *c = &x->cats[i];
			if (!strcmp(c->minor_name, c->name))
				snprintf(out, n, "%s › %s", c->major_name, c->name);
			else
				snprintf(out, n, "%s › %s › %s", c->major_name, c->minor_name,
					 c->name);
			return out;
		}
	return code;
}

static const char *dept_name(struct names *x, const char *code)
{
	for (size_t i = 0; i < x->ndepts; i++)
		if (!strcmp(x->depts[i].code, code))
			return x->depts[i].name;
	return code;
}

/* The grid's name, cached by code (the cases of one export lie in a few hundred grids). */
static const char *grid_name(struct names *x, const char *code)
{
	if (!*code)
		return "";
	uint32_t h = 2166136261u;
	for (const char *p = code; *p; p++)
		h = (h ^ (unsigned char)*p) * 16777619u;
	for (unsigned k = 0; k < 8; k++) {
		unsigned i = (h + k) & (GRID_CACHE - 1);
		if (x->grids[i].name && !strcmp(x->grids[i].code, code))
			return x->grids[i].name;
		if (!x->grids[i].name) {
			struct grid_node g;
			struct err e = ERR_INIT;
			const char *name =
			    store_grid_get(x->r->db, code, &g, &e) == GG_OK ? g.name : code;
			snprintf(x->grids[i].code, sizeof(x->grids[i].code), "%s", code);
			x->grids[i].name = arena_strdup(x->r->arena, name);
			return x->grids[i].name;
		}
	}
	return code; /* a full neighbourhood: the code, rather than a lookup per row */
}

static const char *channel_name(const char *ch)
{
	static const char *const map[][2] = {
	    {"hotline", "12345 热线"},	{"citizen", "随手拍"},	{"worker", "网格员上报"},
	    {"grid_app", "网格员上报"}, {"app", "网格员上报"},	{"operator", "坐席录入"},
	    {"open311", "Open311"},	{"sensor", "感知设备"}, {"alarm", "感知设备"},
	};
	for (size_t i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (!strcmp(map[i][0], ch))
			return map[i][1];
	return ch;
}

static const char *rating_name(const char *r)
{
	return !strcmp(r, "satisfied")	   ? "满意"
	       : !strcmp(r, "basically")   ? "基本满意"
	       : !strcmp(r, "unsatisfied") ? "不满意"
					   : r;
}

/* "2026-03-09 09:00:00" (CST), or "" for 0. */
static void cell_time(struct export_book *b, int64_t t)
{
	if (!t) {
		export_text(b, "");
		return;
	}
	char s[40];
	clock_format_local(t, s, sizeof(s));
	s[10] = ' ';
	s[19] = 0;
	export_text(b, s);
}

static const char *const headers[] = {
    "案件编号", "上报时间", "类别", "类别编码", "状态",	  "时限灯",   "渠道",	  "街道", "社区",
    "网格",	"处置部门", "地址", "问题描述", "上报人", "处置时限", "结案时间", "评价",
};
#define NCOLS ((int)(sizeof(headers) / sizeof(headers[0])))

static int write_case(struct api_req *r, struct names *x, struct export_book *b,
		      const struct store_case *c, int64_t now)
{
	char cat[320];
	export_int(b, (long long)c->id);
	cell_time(b, c->created_at);
	export_text(b, cat_name(x, c->category, cat, sizeof(cat)));
	export_text(b, c->category);
	export_text(b, case_state_name_zh(c->state));
	const char *light = "";
	if (c->deadline && !case_state_final(c->state)) {
		enum sla_light l = sla_light_at(api_case_cal(), c->stage_started, c->deadline, now);
		light = l == SLA_RED ? "红" : l == SLA_YELLOW ? "黄" : "绿";
	}
	export_text(b, light);
	export_text(b, channel_name(c->channel));
	export_text(b, grid_name(x, c->street));
	export_text(b, grid_name(x, c->community));
	export_text(b, grid_name(x, c->grid));
	export_text(b, c->department[0] ? dept_name(x, c->department) : "");
	export_text(b, c->address);
	export_text(b, c->description);
	/* a department sees the reporter's first character and ** (as the case detail) */
	char who[ROLE_NAME_MAX + 4];
	if (r->who.role == ROLE_DEPARTMENT && c->reporter[0]) {
		size_t n = 1;
		while (c->reporter[n] && ((unsigned char)c->reporter[n] & 0xC0) == 0x80)
			n++;
		snprintf(who, sizeof(who), "%.*s**", (int)n, c->reporter);
	} else {
		snprintf(who, sizeof(who), "%s", c->reporter);
	}
	export_text(b, who);
	cell_time(b, c->deadline);
	cell_time(b, c->closed_at);
	export_text(b, c->rating[0] ? rating_name(c->rating) : "");
	return export_row(b, &r->err);
}

static void free_bytes(void *p)
{
	free(p);
}

/* The row cap; a server on the test clock takes a smaller one from GRIDGOV_EXPORT_MAX, so
 * the refusal can be tested without 100,000 cases. */
static long long rows_max(void)
{
	const char *e = clock_test_mode() ? getenv("GRIDGOV_EXPORT_MAX") : NULL;
	long long v = e ? atoll(e) : 0;
	return v > 0 && v < EXPORT_ROWS_MAX ? v : EXPORT_ROWS_MAX;
}

static int too_many(struct api_req *r, long long count)
{
	json_decref(r->err_extra);
	r->err_extra =
	    json_pack("{s:o,s:I}", "count", count >= 0 ? json_integer(count) : json_null(), "max",
		      (json_int_t)rows_max());
	if (count >= 0)
		return err_field(
		    &r->err, GG_EFIELD, "filters",
		    "%lld cases match; an export holds at most %lld: narrow the filter", count,
		    rows_max());
	return err_field(&r->err, GG_EFIELD, "filters",
			 "more than %lld cases match, or too many to look through: narrow the"
			 " filter (a date range, a grid)",
			 rows_max());
}

int api_case_export(struct api_req *r)
{
	const char *fmt = api_query(r, "format");
	enum export_format ef;
	if (!fmt || !*fmt)
		return err_field(&r->err, GG_EMISSING, "format", "give format=xlsx or format=csv");
	if (export_format_parse(fmt, &ef))
		return err_field(&r->err, GG_EFIELD, "format", "format is xlsx or csv");
	struct store_case_filter f;
	int rc;
	if ((rc = api__case_filter(r, &f)))
		return rc;
	struct names *x = arena_zalloc(r->arena, sizeof(*x));
	x->r = r;
	if ((rc = store_category_list(r->db, r->arena, &x->cats, &x->ncats, &r->err)) ||
	    (rc = store_dept_list(r->db, r->arena, &x->depts, &x->ndepts, &r->err)))
		return rc;

	/* the first page counts the matches, up to the cap, so a broad filter is refused first */
	f.limit = EXPORT_PAGE;
	f.scan_max = EXPORT_SCAN;
	/* (a count that reads cases examines count_max / 8 rows: store_case.h) */
	long long max = rows_max();
	f.count_max = (int64_t)(max + 1) * 8;
	struct export_book *b = export_open(ef, EXPORT_BYTES_MAX, &r->err);
	if (!b)
		return r->err.code;
	if ((rc = export_sheet(b, "案件", headers, NCOLS, &r->err)))
		goto out;
	int64_t now = clock_now(), rows = 0;
	for (int pages = 0;; pages++) {
		if (pages == EXPORT_PAGES_MAX) {
			rc = too_many(r, -1);
			goto out;
		}
		struct arena *a = arena_new();
		struct store_case *c;
		size_t n;
		struct store_case_page pg;
		rc = store_case_page(r->db, &f, a, &c, &n, &pg, &r->err);
		if (rc == GG_OK && pages == 0 && pg.total > max)
			rc = too_many(r, pg.total);
		for (size_t i = 0; rc == GG_OK && i < n; i++) {
			if (++rows > max)
				rc = too_many(r, -1);
			else
				rc = write_case(r, x, b, &c[i], now);
		}
		arena_free(a);
		if (rc)
			goto out;
		if (!pg.next)
			break;
		f.after = pg.next;
		f.offset = 0;
		f.count_max = 0;
	}
	char *data;
	size_t len;
	if ((rc = export_finish(b, &data, &len, &r->err)))
		goto out;
	arena_defer(r->arena, free_bytes, data);
	r->raw = data;
	r->raw_len = len;
	r->raw_type = export_content_type(ef);
	char day[16];
	clock_format_local_date(now, day, sizeof(day));
	r->disposition = arena_printf(r->arena, "attachment; filename=\"cases-%.4s%.2s%.2s.%s\"",
				      day, day + 5, day + 8, export_extension(ef));
out:
	export_free(b);
	return rc;
}
