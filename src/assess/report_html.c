/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The analysis report as one printable HTML page: headings, tables and bar charts drawn
 * as inline SVG, so that the same page shows in the console, prints to PDF through
 * headless Chromium without scripts, and needs no file beside it. Every text from the
 * data is escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gridgov/assess_run.h"
#include "gridgov/buf.h"

static void esc(struct buf *b, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<':
			buf_adds(b, "&lt;");
			break;
		case '>':
			buf_adds(b, "&gt;");
			break;
		case '&':
			buf_adds(b, "&amp;");
			break;
		case '"':
			buf_adds(b, "&quot;");
			break;
		case '\'':
			buf_adds(b, "&#39;");
			break;
		default:
			buf_add(b, s, 1);
		}
	}
}

static void val(struct buf *b, json_t *v, int pct)
{
	if (json_is_integer(v))
		buf_addf(b, "%lld", (long long)json_integer_value(v));
	else if (json_is_real(v))
		pct ? buf_addf(b, "%.1f%%", 100 * json_real_value(v))
		    : buf_addf(b, "%.2f", json_real_value(v));
	else if (json_is_string(v))
		esc(b, json_string_value(v));
	else
		buf_adds(b, "—");
}

/* A change against a base: +12 (+8.5%) for counts. */
static void change(struct buf *b, json_t *now, json_t *then)
{
	if (!json_is_integer(now) || !json_is_integer(then)) {
		buf_adds(b, "—");
		return;
	}
	long long n = json_integer_value(now), p = json_integer_value(then);
	buf_addf(b, "%+lld", n - p);
	if (p)
		buf_addf(b, " (%+.1f%%)", 100.0 * (double)(n - p) / (double)p);
}

/* A horizontal bar chart of label → value (at most 10 bars). */
static void bars(struct buf *b, json_t *rows, const char *label, const char *value)
{
	size_t n = json_array_size(rows);
	if (n > 10)
		n = 10;
	long long max = 1;
	for (size_t i = 0; i < n; i++) {
		long long v = json_integer_value(json_object_get(json_array_get(rows, i), value));
		if (v > max)
			max = v;
	}
	buf_addf(b, "<svg class=\"chart\" width=\"640\" height=\"%zu\" role=\"img\">", 22 * n + 4);
	for (size_t i = 0; i < n; i++) {
		json_t *r = json_array_get(rows, i);
		long long v = json_integer_value(json_object_get(r, value));
		int w = (int)(380.0 * (double)v / (double)max);
		buf_addf(b, "<text x=\"0\" y=\"%zu\" font-size=\"12\">", 22 * i + 15);
		esc(b, json_string_value(json_object_get(r, label)));
		buf_addf(
		    b,
		    "</text><rect x=\"200\" y=\"%zu\" width=\"%d\" height=\"16\" fill=\"#3b7dd8\"/>"
		    "<text x=\"%d\" y=\"%zu\" font-size=\"12\">%lld</text>",
		    22 * i + 3, w, 206 + w, 22 * i + 15, v);
	}
	buf_adds(b, "</svg>");
}

static void head_row(struct buf *b, const char *const *h)
{
	buf_adds(b, "<tr>");
	for (; *h; h++) {
		buf_adds(b, "<th>");
		esc(b, *h);
		buf_adds(b, "</th>");
	}
	buf_adds(b, "</tr>");
}

/* A table of count rows with this period, the previous, a year before and the changes. */
static void compare_table(struct buf *b, json_t *rows, const char *label, const char *what)
{
	const char *h[] = {what, "本期", "上期", "较上期", "去年同期", "较去年同期", NULL};
	buf_adds(b, "<table>");
	head_row(b, h);
	size_t i;
	json_t *r;
	json_array_foreach(rows, i, r)
	{
		json_t *n = json_object_get(r, "n"), *p = json_object_get(r, "previous"),
		       *y = json_object_get(r, "last_year");
		int pct = json_is_real(n) || json_is_real(p) || json_is_real(y);
		buf_adds(b, "<tr><td>");
		esc(b, json_string_value(json_object_get(r, label)));
		buf_adds(b, "</td><td>");
		val(b, n, pct);
		buf_adds(b, "</td><td>");
		val(b, p, pct);
		buf_adds(b, "</td><td>");
		change(b, n, p);
		buf_adds(b, "</td><td>");
		val(b, y, pct);
		buf_adds(b, "</td><td>");
		change(b, n, y);
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</table>");
}

static void ranking_table(struct buf *b, json_t *items)
{
	const char *h[] = {"排名", "对象", "得分", "等级", "较上期", "备注", NULL};
	buf_adds(b, "<table>");
	head_row(b, h);
	size_t i;
	json_t *r;
	json_array_foreach(items, i, r)
	{
		buf_adds(b, "<tr><td>");
		val(b, json_object_get(r, "rank"), 0);
		buf_adds(b, "</td><td>");
		esc(b, json_string_value(json_object_get(r, "name")));
		buf_adds(b, "</td><td>");
		val(b, json_object_get(r, "score"), 0);
		buf_adds(b, "</td><td>");
		esc(b, json_string_value(json_object_get(r, "grade")));
		buf_adds(b, "</td><td>");
		val(b, json_object_get(json_object_get(r, "change"), "score"), 0);
		buf_adds(b, "</td><td>");
		if (json_is_true(json_object_get(r, "small")))
			buf_adds(b, "样本不足，不排名");
		buf_adds(b, "</td></tr>");
	}
	buf_adds(b, "</table>");
}

char *assess_report_html(const json_t *rep)
{
	json_t *j = (json_t *)rep;
	struct buf b = BUF_INIT;
	json_t *under = json_object_get(j, "under"), *period = json_object_get(j, "period");
	const char *title = json_string_value(json_object_get(j, "title"));
	buf_adds(&b, "<!DOCTYPE html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>");
	esc(&b, json_string_value(json_object_get(under, "name")));
	buf_adds(&b, " ");
	esc(&b, title);
	buf_adds(&b,
		 "</title><style>"
		 "body{font-family:'WenQuanYi Micro Hei','Noto Sans CJK SC',sans-serif;margin:24px;"
		 "color:#222}h1{font-size:22px}h2{font-size:17px;border-bottom:1px solid #ccc;"
		 "padding-bottom:4px;margin-top:28px;page-break-after:avoid}"
		 "table{border-collapse:collapse;margin:8px 0;font-size:12px}"
		 "th,td{border:1px solid #bbb;padding:3px 8px;text-align:right}"
		 "th:first-child,td:first-child{text-align:left}th{background:#eef2f7}"
		 ".meta{color:#666;font-size:12px}section{page-break-inside:avoid}"
		 "</style></head><body class=\"report\">");
	buf_adds(&b, "<h1>");
	esc(&b, json_string_value(json_object_get(under, "name")));
	buf_adds(&b, " ");
	esc(&b, title);
	buf_adds(&b, "</h1><p class=\"meta\">");
	esc(&b, json_string_value(json_object_get(period, "from")));
	buf_adds(&b, " 至 ");
	esc(&b, json_string_value(json_object_get(period, "to")));
	buf_adds(&b, "；上期 ");
	esc(&b, json_string_value(json_object_get(json_object_get(j, "previous"), "from")));
	buf_adds(&b, " 起；去年同期 ");
	esc(&b, json_string_value(json_object_get(json_object_get(j, "last_year"), "from")));
	buf_adds(&b, " 起；生成于 ");
	esc(&b, json_string_value(json_object_get(j, "generated_at")));
	buf_adds(&b, "</p>");

	buf_adds(&b, "<section><h2>一、总体情况</h2>");
	compare_table(&b, json_object_get(j, "overview"), "name", "指标");
	buf_adds(&b, "</section><section><h2>二、各渠道受理量</h2>");
	bars(&b, json_object_get(j, "channels"), "channel", "n");
	compare_table(&b, json_object_get(j, "channels"), "channel", "渠道");
	buf_adds(&b, "</section><section><h2>三、热点问题类别</h2>");
	bars(&b, json_object_get(j, "categories"), "name", "n");
	compare_table(&b, json_object_get(j, "categories"), "name", "类别");
	buf_adds(&b, "</section><section><h2>四、热点区域</h2>");
	bars(&b, json_object_get(j, "grids"), "name", "n");
	compare_table(&b, json_object_get(j, "grids"), "name", "网格");

	buf_adds(&b, "</section><section><h2>五、处置最慢的部门</h2><table>");
	const char *hd[] = {"部门", "处置数", "按期处置率", "上期", "满意率", "在办", "超期", NULL};
	head_row(&b, hd);
	size_t i;
	json_t *r;
	json_array_foreach(json_object_get(j, "departments"), i, r)
	{
		buf_adds(&b, "<tr><td>");
		esc(&b, json_string_value(json_object_get(r, "name")));
		buf_adds(&b, "</td><td>");
		val(&b, json_object_get(r, "handled"), 0);
		buf_adds(&b, "</td><td>");
		val(&b, json_object_get(r, "on_time_rate"), 1);
		buf_adds(&b, "</td><td>");
		val(&b, json_object_get(r, "previous_rate"), 1);
		buf_adds(&b, "</td><td>");
		val(&b, json_object_get(r, "satisfaction_rate"), 1);
		buf_adds(&b, "</td><td>");
		val(&b, json_object_get(r, "open"), 0);
		buf_adds(&b, "</td><td>");
		val(&b, json_object_get(r, "overdue"), 0);
		buf_adds(&b, "</td></tr>");
	}
	buf_adds(&b, "</table></section><section><h2>六、最久未结案件</h2><table>");
	const char *ho[] = {"案件", "类别", "网格", "部门", "状态", "上报时间", "已历天数", NULL};
	head_row(&b, ho);
	json_array_foreach(json_object_get(j, "oldest"), i, r)
	{
		buf_adds(&b, "<tr><td>");
		val(&b, json_object_get(r, "id"), 0);
		const char *keys[] = {"category", "grid", "department", "state", "reported"};
		for (size_t k = 0; k < 5; k++) {
			buf_adds(&b, "</td><td>");
			esc(&b, json_string_value(json_object_get(r, keys[k])));
		}
		buf_adds(&b, "</td><td>");
		val(&b, json_object_get(r, "days_open"), 0);
		buf_adds(&b, "</td></tr>");
	}
	buf_adds(&b, "</table></section>");
	json_t *rk = json_object_get(j, "rankings");
	buf_adds(&b, "<section><h2>七、考核排名</h2>");
	if (json_object_get(rk, "region")) {
		buf_adds(&b, "<h3>区域</h3>");
		ranking_table(&b, json_object_get(rk, "region"));
	}
	buf_adds(&b, "<h3>部门</h3>");
	ranking_table(&b, json_object_get(rk, "department"));
	buf_adds(&b, "</section></body></html>\n");
	return buf_detach(&b, NULL);
}
