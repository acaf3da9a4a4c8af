/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid tree over HTTP. A caller sees the nodes inside their scope and the ancestors
 * on the path down to it (names only, for navigation); anything else is 403.
 */
#include <string.h>

#include "api/api_int.h"

static int visible(struct api_req *r, const char *code, struct grid_node *g)
{
	int rc = store_grid_get(r->db, code, g, &r->err);
	if (rc)
		return rc;
	if (!principal_sees(&r->who, code))
		return api_fail(r, GG_EFORBIDDEN, "grid %s is outside your scope", code);
	return GG_OK;
}

static int list_children(struct api_req *r, const char *code)
{
	struct grid_node *kids;
	size_t n;
	int rc = store_grid_children(r->db, code, r->arena, &kids, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		if (principal_sees(&r->who, kids[i].code))
			json_array_append_new(items, api_grid_json(&kids[i]));
	api_reply_list(r, items, (long long)json_array_size(items));
	return GG_OK;
}

int api_grid_roots(struct api_req *r)
{
	return list_children(r, "");
}

int api_grid_get(struct api_req *r)
{
	struct grid_node g;
	int rc = visible(r, r->params[0], &g);
	if (rc)
		return rc;
	json_t *j = api_grid_json(&g);
	json_t *path = json_array();
	char code[GRID_CODE_MAX];
	snprintf(code, sizeof(code), "%s", g.parent);
	while (code[0]) {
		struct grid_node a;
		if (store_grid_get(r->db, code, &a, &r->err))
			break;
		json_array_insert_new(path, 0,
				      json_pack("{s:s,s:s,s:s}", "code", a.code, "name", a.name,
						"level", grid_level_name(a.level)));
		snprintf(code, sizeof(code), "%s", a.parent);
	}
	err_clear(&r->err);
	json_object_set_new(j, "ancestors", path);
	json_object_set_new(j, "in_scope", json_boolean(principal_covers(&r->who, g.code)));
	api_reply(r, 200, j);
	return GG_OK;
}

int api_grid_children(struct api_req *r)
{
	struct grid_node g;
	int rc = visible(r, r->params[0], &g);
	if (rc)
		return rc;
	return list_children(r, g.code);
}

int api_dept_list(struct api_req *r)
{
	struct store_dept *d;
	size_t n;
	int rc = store_dept_list(r->db, r->arena, &d, &n, &r->err);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(items, json_pack("{s:s,s:s,s:s}", "code", d[i].code, "name",
						       d[i].name, "name_en", d[i].name_en));
	api_reply_list(r, items, (long long)n);
	return GG_OK;
}
