/* SPDX-License-Identifier: Apache-2.0 */
/*
 * GET /api/v1/reports/monthly?under=CODE&month=YYYY-MM&format=html|pdf|xlsx|json and
 * GET /api/v1/reports/weekly?under=CODE&at=YYYY-MM-DD&format=…: the analysis report
 * 月度分析 (and the weekly summary) of src/assess/report.c, within the caller's scope:
 * JSON for the console's charts, a printable HTML page, that page printed to PDF by
 * headless Chromium (--print-to-pdf; GRIDGOV_CHROMIUM names the binary, /usr/bin/chromium
 * by default), or a workbook with one sheet per table through src/export.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "api/assess_export.h"
#include "gridgov/assess_run.h"
#include "gridgov/clock.h"
#include "gridgov/store_stats.h"
#include "gridgov/xalloc.h"

extern char **environ;

#define PDF_TIMEOUT_S 60
#define PDF_MAX	      (32u << 20)

/* Remove the files of a temporary directory made for one print, then the directory. */
static void rm_dir(const char *dir)
{
	/* chromium leaves a profile behind: a known, private path under our own mkdtemp */
	pid_t pid;
	char *argv[] = {"rm", "-rf", (char *)dir, NULL};
	if (posix_spawnp(&pid, "rm", NULL, NULL, argv, environ) == 0)
		waitpid(pid, NULL, 0);
}

/* Print html to PDF with headless Chromium: the bytes (malloc'd) in *out. */
static int html_to_pdf(const char *html, char **out, size_t *len, struct err *err)
{
	char dir[] = "/tmp/gridgov-pdf-XXXXXX";
	if (!mkdtemp(dir))
		return err_set(err, GG_EIO, "cannot make a temporary directory: %s",
			       strerror(errno));
	char in[sizeof(dir) + 16], pdf[sizeof(dir) + 16], prof[sizeof(dir) + 16],
	    url[sizeof(dir) + 32], arg_pdf[sizeof(dir) + 48], arg_prof[sizeof(dir) + 48];
	snprintf(in, sizeof(in), "%s/r.html", dir);
	snprintf(pdf, sizeof(pdf), "%s/r.pdf", dir);
	snprintf(prof, sizeof(prof), "%s/p", dir);
	snprintf(url, sizeof(url), "file://%s", in);
	snprintf(arg_pdf, sizeof(arg_pdf), "--print-to-pdf=%s", pdf);
	snprintf(arg_prof, sizeof(arg_prof), "--user-data-dir=%s", prof);
	int rc = GG_OK;
	FILE *f = fopen(in, "w");
	if (!f || fputs(html, f) < 0 || fclose(f)) {
		rc = err_set(err, GG_EIO, "cannot write the report's page");
		goto done;
	}
	const char *bin = getenv("GRIDGOV_CHROMIUM");
	if (!bin || !*bin)
		bin = "/usr/bin/chromium";
	char *argv[] = {(char *)bin,
			"--headless",
			"--no-sandbox",
			"--disable-gpu",
			"--disable-quic",
			"--no-first-run",
			"--disable-background-networking",
			"--disable-component-update",
			"--disable-sync",
			"--no-pdf-header-footer",
			arg_prof,
			arg_pdf,
			url,
			NULL};
	posix_spawn_file_actions_t fa;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, "/dev/null", O_WRONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
	pid_t pid;
	int sp = posix_spawn(&pid, bin, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (sp) {
		rc = err_set(err, GG_EUNAVAIL, "cannot start %s to print the PDF: %s", bin,
			     strerror(sp));
		goto done;
	}
	int status = 0;
	for (int waited = 0;; waited++) {
		pid_t w = waitpid(pid, &status, WNOHANG);
		if (w == pid)
			break;
		if (w < 0 && errno != EINTR) {
			rc = err_set(err, GG_EINTERNAL, "waiting for the printer: %s",
				     strerror(errno));
			goto done;
		}
		if (waited >= PDF_TIMEOUT_S * 10) {
			kill(pid, SIGKILL);
			waitpid(pid, &status, 0);
			rc = err_set(err, GG_EUNAVAIL, "the PDF printer took longer than %d s",
				     PDF_TIMEOUT_S);
			goto done;
		}
		struct timespec ts = {0, 100 * 1000 * 1000};
		nanosleep(&ts, NULL);
	}
	f = fopen(pdf, "rb");
	struct stat sb;
	if (!f || fstat(fileno(f), &sb) || sb.st_size <= 0 || (size_t)sb.st_size > PDF_MAX) {
		if (f)
			fclose(f);
		rc = err_set(err, GG_EUNAVAIL, "the PDF printer produced no file (status %d)",
			     status);
		goto done;
	}
	*len = (size_t)sb.st_size;
	*out = xmalloc(*len);
	if (fread(*out, 1, *len, f) != *len) {
		free(*out);
		rc = err_set(err, GG_EIO, "cannot read the printed PDF");
	}
	fclose(f);
done:
	rm_dir(dir);
	return rc;
}

static json_t *row3(json_t *r, const char *label)
{
	return json_pack("[O,O,O,O]", json_object_get(r, label) ?: json_null(),
			 json_object_get(r, "n") ?: json_null(),
			 json_object_get(r, "previous") ?: json_null(),
			 json_object_get(r, "last_year") ?: json_null());
}

/* One sheet per table of the report. */
static int send_xlsx(struct api_req *r, json_t *j)
{
	static const char *const h3[] = {"项目", "本期", "上期", "去年同期"};
	static const char *const hd[] = {"部门",	   "代码",   "处置数", "按期处置率",
					 "上期按期处置率", "满意率", "在办",   "超期"};
	static const char *const ho[] = {"案件", "类别",     "网格",	"部门",
					 "状态", "上报时间", "已历天数"};
	static const char *const hr[] = {"排名", "对象", "名称", "得分", "等级", "样本不足"};
	json_t *t[8];
	for (int k = 0; k < 8; k++)
		t[k] = json_array();
	struct {
		const char *key, *label;
	} simple[] = {{"overview", "name"},
		      {"channels", "channel"},
		      {"categories", "name"},
		      {"grids", "name"}};
	size_t i;
	json_t *x;
	for (int k = 0; k < 4; k++)
		json_array_foreach(json_object_get(j, simple[k].key), i, x)
		    json_array_append_new(t[k], row3(x, simple[k].label));
	json_array_foreach(json_object_get(j, "departments"), i, x) json_array_append_new(
	    t[4],
	    json_pack("[O,O,O,O,O,O,O,O]", json_object_get(x, "name"), json_object_get(x, "code"),
		      json_object_get(x, "handled"), json_object_get(x, "on_time_rate"),
		      json_object_get(x, "previous_rate"), json_object_get(x, "satisfaction_rate"),
		      json_object_get(x, "open"), json_object_get(x, "overdue")));
	json_array_foreach(json_object_get(j, "oldest"), i, x) json_array_append_new(
	    t[5], json_pack("[O,O,O,O,O,O,O]", json_object_get(x, "id"),
			    json_object_get(x, "category"), json_object_get(x, "grid"),
			    json_object_get(x, "department"), json_object_get(x, "state"),
			    json_object_get(x, "reported"), json_object_get(x, "days_open")));
	const char *rk[] = {"region", "department"};
	for (int k = 0; k < 2; k++)
		json_array_foreach(json_object_get(json_object_get(j, "rankings"), rk[k]), i, x)
		    json_array_append_new(
			t[6 + k],
			json_pack("[O,O,O,O,O,O]", json_object_get(x, "rank"),
				  json_object_get(x, "subject"), json_object_get(x, "name"),
				  json_object_get(x, "score"), json_object_get(x, "grade"),
				  json_object_get(x, "small")));
	struct api_sheet sh[] = {
	    {"总体情况", h3, 4, t[0]}, {"渠道", h3, 4, t[1]},	  {"热点类别", h3, 4, t[2]},
	    {"热点区域", h3, 4, t[3]}, {"部门", hd, 8, t[4]},	  {"未结案件", ho, 7, t[5]},
	    {"区域排名", hr, 6, t[6]}, {"部门排名", hr, 6, t[7]},
	};
	int rc = api__sheets_send(r, EXPORT_XLSX, sh, 8);
	for (int k = 0; k < 8; k++)
		json_decref(t[k]);
	return rc;
}

static int report(struct api_req *r, enum assess_period p, const char *when)
{
	const char *under = api_query(r, "under"), *format = api_query(r, "format");
	if (!format)
		format = "html";
	if (strcmp(format, "html") && strcmp(format, "pdf") && strcmp(format, "xlsx") &&
	    strcmp(format, "json"))
		return err_field(&r->err, GG_EFIELD, "format", "format is html, pdf, xlsx or json");
	int64_t t = clock_now();
	if (when && p == ASSESS_MONTH) {
		int y, m;
		char tail;
		if (sscanf(when, "%4d-%2d%c", &y, &m, &tail) != 2 || m < 1 || m > 12 || y < 1970)
			return err_field(&r->err, GG_EFIELD, "month", "month is YYYY-MM");
		t = clock_day_start(assess_days_from_civil(y, m, 1));
	} else if (when && clock_parse_bound(when, 0, &t)) {
		return err_field(&r->err, GG_EFIELD, "at", "at is a date YYYY-MM-DD");
	}
	const char *scope = r->who.scope;
	if (under && under[0]) {
		if (grid_level_of_code(under) == GRID_LEVEL_NONE)
			return err_field(&r->err, GG_EFIELD, "under", "under is a grid code");
		if (!principal_covers(&r->who, under))
			return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", under);
		scope = under;
	}
	int ready = 0, rc = store_stats_ready(r->db, &ready, &r->err);
	if (rc)
		return rc;
	if (!ready) {
		r->retry_after = "30";
		return err_set(
		    &r->err, GG_EUNAVAIL,
		    "the statistics are being rebuilt from the cases; try again shortly");
	}
	json_t *j;
	if ((rc = assess_report(r->db, scope, p, clock_local_day(t), clock_now(), r->arena, &j,
				&r->err)))
		return rc;
	if (!strcmp(format, "json")) {
		api_reply(r, 200, j);
		return GG_OK;
	}
	if (!strcmp(format, "xlsx")) {
		rc = send_xlsx(r, j);
		json_decref(j);
		return rc;
	}
	char *html = assess_report_html(j);
	json_decref(j);
	if (!strcmp(format, "html")) {
		r->raw = arena_strdup(r->arena, html);
		r->raw_len = strlen(html);
		r->raw_type = "text/html; charset=utf-8";
		free(html);
		return GG_OK;
	}
	char *pdf = NULL;
	size_t len = 0;
	rc = html_to_pdf(html, &pdf, &len, &r->err);
	free(html);
	if (rc)
		return rc;
	char *copy = arena_alloc(r->arena, len);
	memcpy(copy, pdf, len);
	free(pdf);
	r->raw = copy;
	r->raw_len = len;
	r->raw_type = "application/pdf";
	return GG_OK;
}

int api_report_monthly(struct api_req *r)
{
	return report(r, ASSESS_MONTH, api_query(r, "month"));
}

int api_report_weekly(struct api_req *r)
{
	return report(r, ASSESS_WEEK, api_query(r, "at"));
}
