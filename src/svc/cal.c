/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The calendar gridgov counts time limits on, loaded once from the data directory:
 * every calendar/YEAR.csv (date,kind,name) under $GRIDGOV_DATA (or the built-in data
 * directory), working hours from $GRIDGOV_WORK_HOURS ("09:00-12:00,13:00-18:00").
 */
#include <dirent.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config.h"
#include "gridgov/csv.h"
#include "gridgov/log.h"
#include "svc/svc_int.h"

static struct cal cal;
static struct sla_policy policy;
static pthread_once_t once = PTHREAD_ONCE_INIT;

static void load_file(const char *path)
{
	FILE *f = fopen(path, "r");
	if (!f)
		return;
	struct csv c;
	csv_init(&c, f);
	int date = -1, kind = -1, r, bad = 0;
	while ((r = csv_next(&c)) == 1) {
		if (date < 0) {
			date = csv_find(&c, "date");
			kind = csv_find(&c, "kind");
			if (date < 0 || kind < 0)
				break;
			continue;
		}
		int k = cal_kind_parse(csv_get(&c, kind));
		if (k < 0 || cal_set_day(&cal, csv_get(&c, date), (enum cal_day_kind)k))
			bad++;
	}
	if (bad || r < 0 || date < 0)
		log_warn("calendar %s: %d bad lines", path, bad + (r < 0));
	csv_release(&c);
	fclose(f);
}

static void load(void)
{
	cal_init(&cal);
	sla_policy_default(&policy);
	const char *hours = getenv("GRIDGOV_WORK_HOURS");
	if (hours && cal_set_hours(&cal, hours))
		log_warn("GRIDGOV_WORK_HOURS '%s' is not HH:MM-HH:MM[,…]; using the default",
			 hours);
	policy.grace = cal_day_secs(&cal);
	const char *data = getenv("GRIDGOV_DATA");
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s/calendar", data && *data ? data : GRIDGOV_DATADIR);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		size_t n = strlen(e->d_name);
		if (n > 4 && !strcmp(e->d_name + n - 4, ".csv")) {
			char path[1300];
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			load_file(path);
		}
	}
	closedir(d);
}

const struct cal *svc_cal_default(void)
{
	pthread_once(&once, load);
	return &cal;
}

const struct sla_policy *svc_policy_default(void)
{
	pthread_once(&once, load);
	return &policy;
}
