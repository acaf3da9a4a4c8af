/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Response templates 常用语 over HTTP: the texts the action forms offer for a category and
 * a kind (feedback 处置反馈, reject 不予立案/退回, reply 答复 at closing), read by anyone
 * who acts on cases, kept by an admin (list, add, change, delete).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "api/api_int.h"
#include "gridgov/store_case.h"

static const char *const kinds[] = {"feedback", "reject", "reply"};

static int kind_ok(const char *k)
{
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++)
		if (!strcmp(k, kinds[i]))
			return 1;
	return 0;
}

/* Characters (UTF-8 code points) of s. */
static size_t chars(const char *s)
{
	size_t n = 0;
	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

static json_t *template_json(const struct store_template *t)
{
	return json_pack("{s:I,s:s,s:s,s:s,s:s,s:i}", "id", (json_int_t)t->id, "kind", t->kind,
			 "category", t->category, "title", t->title, "body", t->body, "sort",
			 t->sort);
}

/*
 * GET /api/v1/templates?kind=&category=: the templates of a kind for a category (those of
 * the category, of the codes above it and of every category, the most specific first);
 * without category, every template (the admin's list).
 */
int api_template_list(struct api_req *r)
{
	const char *kind = api_query(r, "kind"), *cat = api_query(r, "category");
	if (kind && !*kind)
		kind = NULL;
	if (kind && !kind_ok(kind))
		return err_field(&r->err, GG_EFIELD, "kind", "kind is feedback, reject or reply");
	if (cat && strlen(cat) >= sizeof(((struct store_template *)0)->category))
		return err_field(&r->err, GG_EFIELD, "category", "no category %s", cat);
	struct store_template *t;
	size_t n;
	int rc = store_template_list(r->db, kind, cat, r->arena, &t, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, template_json(&t[i]));
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}

/* The body's fields into t (all required on a new template). */
static int read_template(struct api_req *r, struct store_template *t)
{
	const char *kind, *cat, *title, *body;
	long long sort = 0;
	int rc;
	if ((rc = api_body_str(r, "kind", 1, &kind)) ||
	    (rc = api_body_str(r, "category", 0, &cat)) ||
	    (rc = api_body_str(r, "title", 1, &title)) ||
	    (rc = api_body_str(r, "body", 1, &body)) || (rc = api_body_int(r, "sort", 0, &sort)))
		return rc;
	if (!kind_ok(kind))
		return err_field(&r->err, GG_EFIELD, "kind", "kind is feedback, reject or reply");
	if (!*title || chars(title) > 60 || strlen(title) >= sizeof(t->title))
		return err_field(&r->err, GG_EFIELD, "title", "title is 1 to 60 characters");
	if (!*body || chars(body) > 1000 || strlen(body) >= sizeof(t->body))
		return err_field(&r->err, GG_EFIELD, "body", "body is 1 to 1000 characters");
	if (sort < -1000000 || sort > 1000000)
		return err_field(&r->err, GG_EFIELD, "sort", "sort is a whole number");
	cat = cat ? cat : "";
	if (*cat) {
		/* a category, minor or major class code of the catalogue */
		struct store_category *all;
		size_t n, len = strlen(cat);
		if ((rc = store_category_list(r->db, r->arena, &all, &n, &r->err)))
			return rc;
		size_t i = 0;
		while (i < n && strncmp(all[i].code, cat, len) && strcmp(all[i].major_code, cat) &&
		       strcmp(all[i].minor_code, cat))
			i++;
		if (i == n || len >= sizeof(t->category))
			return err_field(&r->err, GG_EFIELD, "category", "no category %s", cat);
	}
	snprintf(t->kind, sizeof(t->kind), "%s", kind);
	snprintf(t->category, sizeof(t->category), "%s", cat);
	snprintf(t->title, sizeof(t->title), "%s", title);
	snprintf(t->body, sizeof(t->body), "%s", body);
	t->sort = (int)sort;
	return GG_OK;
}

/* POST /api/v1/templates (admin): a new template. */
int api_template_create(struct api_req *r)
{
	struct store_template *t = arena_zalloc(r->arena, sizeof(*t));
	int rc;
	if ((rc = read_template(r, t)) || (rc = store_template_put(r->db, t, &r->err)))
		return rc;
	api_reply(r, 201, template_json(t));
	return GG_OK;
}

static int template_id(struct api_req *r, int64_t *id)
{
	char *end;
	errno = 0;
	long long v = strtoll(r->params[0], &end, 10);
	if (*end || errno || v <= 0)
		return api_fail(r, GG_ENOTFOUND, "no template %s", r->params[0]);
	*id = v;
	return GG_OK;
}

/* PUT /api/v1/templates/{id} (admin): replace a template. */
int api_template_put(struct api_req *r)
{
	struct store_template *t = arena_zalloc(r->arena, sizeof(*t));
	int rc;
	if ((rc = template_id(r, &t->id)) || (rc = read_template(r, t)) ||
	    (rc = store_template_put(r->db, t, &r->err)))
		return rc;
	api_reply(r, 200, template_json(t));
	return GG_OK;
}

/* DELETE /api/v1/templates/{id} (admin). */
int api_template_delete(struct api_req *r)
{
	int64_t id = 0;
	int rc;
	if ((rc = template_id(r, &id)) || (rc = store_template_delete(r->db, id, &r->err)))
		return rc;
	api_reply(r, 200, json_pack("{s:I,s:b}", "id", (json_int_t)id, "deleted", 1));
	return GG_OK;
}
