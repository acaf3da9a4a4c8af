/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Logging to stderr, one line per record, safe from many threads. Records are JSON
 * objects so they can be shipped and queried; callers never pass secrets, tokens,
 * passwords, ID numbers or phone numbers to these functions.
 */
#ifndef GRIDGOV_LOG_H
#define GRIDGOV_LOG_H

#include "gridgov/err.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(enum log_level level);
enum log_level log_get_level(void);
/** Parse "debug", "info", "warn", "error", "off"; returns -1 if unknown. */
int log_level_parse(const char *s);

/** {"ts":…,"level":…,"msg":…}; msg is escaped. */
void log_msg(enum log_level level, const char *fmt, ...) GG_PRINTF(2, 3);
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

/** Write a ready-made JSON object as one line (at info level). */
void log_json_line(const char *json);

#endif
