/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The built web UI: files under the web directory, and index.html for any other path so
 * the single-page app can route in the browser. The service worker /sw.js and the web app
 * manifest are answered with no-cache, so an update reaches the phones on their next visit.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "api/api_int.h"

static const struct {
	const char *ext, *type;
} types[] = {
	{".html", "text/html; charset=utf-8"},	{".js", "text/javascript; charset=utf-8"},
	{".css", "text/css; charset=utf-8"},	{".json", "application/json; charset=utf-8"},
	{".svg", "image/svg+xml"},		{".png", "image/png"},
	{".jpg", "image/jpeg"},			{".ico", "image/x-icon"},
	{".woff2", "font/woff2"},		{".webmanifest", "application/manifest+json"},
};

static const char *type_of(const char *path)
{
	const char *dot = strrchr(path, '.');
	for (size_t i = 0; dot && i < sizeof(types) / sizeof(types[0]); i++)
		if (!strcmp(dot, types[i].ext))
			return types[i].type;
	return "application/octet-stream";
}

static int load(struct api_req *r, const char *file)
{
	struct stat st;
	if (stat(file, &st) != 0 || !S_ISREG(st.st_mode))
		return GG_ENOTFOUND;
	FILE *f = fopen(file, "rb");
	if (!f)
		return GG_ENOTFOUND;
	char *data = arena_alloc(r->arena, (size_t)st.st_size + 1);
	size_t n = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	r->raw = data;
	r->raw_len = n;
	r->raw_type = type_of(file);
	return GG_OK;
}

int api_static(struct api_req *r)
{
	const char *dir = r->srv->cfg.web_dir;
	if (strstr(r->path, "..") || strlen(r->path) > 512)
		return api_fail(r, GG_ENOTFOUND, "no such file");
	char file[1024];
	if (strcmp(r->path, "/") != 0) {
		snprintf(file, sizeof(file), "%s%s", dir, r->path);
		if (load(r, file) == GG_OK) {
			/* the field app's service worker and manifest (issue 14, item 12): the
			 * browser must see a new worker at once, so it revalidates each time */
			if (!strcmp(r->path, "/sw.js")) {
				r->cache_control = "no-cache";
				r->worker_allowed = "/";
			} else if (!strcmp(r->path, "/manifest.webmanifest")) {
				r->cache_control = "no-cache";
			}
			return GG_OK;
		}
		if (strchr(strrchr(r->path, '/'), '.'))
			return api_fail(r, GG_ENOTFOUND, "no such file %s", r->path);
	}
	snprintf(file, sizeof(file), "%s/index.html", dir);
	if (load(r, file) == GG_OK)
		return GG_OK;
	return api_fail(r, GG_ENOTFOUND, "the web UI is not built (run make)");
}
