/* SPDX-License-Identifier: Apache-2.0 */
/* Reading fields from JSON bodies and shaping answers, the same way for every handler. */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/utf8.h"

static json_t *field(struct api_req *r, const char *key)
{
	json_t *v = r->json ? json_object_get(r->json, key) : NULL;
	return json_is_null(v) ? NULL : v;
}

int api_body_str(struct api_req *r, const char *key, int required, const char **out)
{
	json_t *v = field(r, key);
	*out = NULL;
	if (!v || (json_is_string(v) && json_string_length(v) == 0)) {
		if (required)
			return err_field(&r->err, GG_EMISSING, key, "field '%s' is required", key);
		return GG_OK;
	}
	if (!json_is_string(v))
		return err_field(&r->err, GG_EFIELD, key, "field '%s' must be a string", key);
	*out = json_string_value(v);
	return GG_OK;
}

int api_body_int(struct api_req *r, const char *key, int required, long long *out)
{
	json_t *v = field(r, key);
	if (!v) {
		if (required)
			return err_field(&r->err, GG_EMISSING, key, "field '%s' is required", key);
		return GG_OK;
	}
	if (!json_is_integer(v))
		return err_field(&r->err, GG_EFIELD, key, "field '%s' must be an integer", key);
	*out = json_integer_value(v);
	return GG_OK;
}

int api_body_num(struct api_req *r, const char *key, int required, double *out)
{
	json_t *v = field(r, key);
	if (!v) {
		if (required)
			return err_field(&r->err, GG_EMISSING, key, "field '%s' is required", key);
		return GG_OK;
	}
	if (!json_is_number(v))
		return err_field(&r->err, GG_EFIELD, key, "field '%s' must be a number", key);
	*out = json_number_value(v);
	return GG_OK;
}

void api_reply(struct api_req *r, int status, json_t *res)
{
	if (r->res)
		json_decref(r->res);
	r->status = status;
	r->res = res;
}

void api_reply_list(struct api_req *r, json_t *items, long long total)
{
	api_reply(r, 200, json_pack("{s:o,s:I}", "items", items, "total", (json_int_t)total));
}

int api_fail(struct api_req *r, int code, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	char msg[sizeof(r->err.msg)];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	return err_set(&r->err, code, "%s", msg);
}

json_t *api_grid_json(const struct grid_node *g)
{
	return json_pack("{s:s,s:s,s:s,s:s,s:s*,s:I,s:I}", "code", g->code, "name", g->name,
			 "level", grid_level_name(g->level), "level_name",
			 grid_level_name_zh(g->level), "parent_code",
			 g->parent[0] ? g->parent : NULL, "households", (json_int_t)g->households,
			 "population", (json_int_t)g->population);
}

json_t *api_text_json(const char *s)
{
	if (!s)
		return json_string("");
	if (utf8_check_str(s) == UTF8_OK)
		return json_string(s);
	struct buf b = BUF_INIT;
	utf8_scrub(&b, s, strlen(s));
	json_t *j = json_string(b.p);
	buf_release(&b);
	return j;
}
