/* SPDX-License-Identifier: Apache-2.0 */
/* JSON-lines logging to stderr under one mutex so lines never interleave. */
#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "gridgov/buf.h"
#include "gridgov/clock.h"
#include "gridgov/log.h"

static enum log_level current = LOG_INFO;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static const char *names[] = {"debug", "info", "warn", "error", "off"};

void log_set_level(enum log_level level)
{
	current = level;
}

enum log_level log_get_level(void)
{
	return current;
}

int log_level_parse(const char *s)
{
	for (int i = 0; i <= LOG_OFF; i++)
		if (!strcmp(s, names[i]))
			return i;
	return -1;
}

static void emit(const char *line, size_t len)
{
	pthread_mutex_lock(&lock);
	fwrite(line, 1, len, stderr);
	fputc('\n', stderr);
	fflush(stderr);
	pthread_mutex_unlock(&lock);
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	if (level < current)
		return;
	char ts[32], msg[1024];
	clock_format_utc(clock_now(), ts, sizeof(ts));
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	struct buf b = BUF_INIT;
	buf_addf(&b, "{\"ts\":\"%s\",\"level\":\"%s\",\"msg\":\"", ts, names[level]);
	buf_add_json_escaped(&b, msg);
	buf_adds(&b, "\"}");
	emit(b.p, b.len);
	buf_release(&b);
}

void log_json_line(const char *json)
{
	if (LOG_INFO < current)
		return;
	emit(json, strlen(json));
}
