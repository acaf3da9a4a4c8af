/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Photo uploads and downloads. An upload is checked by content, stripped of its
 * metadata, thumbnailed and stored under its SHA-256 before its record is written;
 * the EXIF GPS of the original is handed back (it may locate a report) but never kept.
 * A photo is served to its uploader, administrators and whoever may see a case it is
 * attached to.
 */
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "api/api_int.h"
#include "gridgov/clock.h"
#include "gridgov/media.h"
#include "gridgov/store_intake.h"

#define THUMB_MAX 320

int api__media_ingest(struct api_req *r, const struct api_part *p, struct api_media *out)
{
	memset(out, 0, sizeof(*out));
	struct media_info info;
	int rc = media_inspect(p->data.p, p->data.len, &info, &r->err);
	if (rc) {
		snprintf(r->err.field, sizeof(r->err.field), "%s", p->name);
		return rc;
	}
	struct buf clean = BUF_INIT, thumb = BUF_INIT;
	rc = media_strip(p->data.p, p->data.len, &clean, &r->err);
	if (rc == GG_OK)
		rc = media_thumbnail(clean.p, clean.len, THUMB_MAX, &thumb, &r->err);
	const char *dir = r->srv->cfg.media_dir;
	if (rc == GG_OK)
		rc = media_store_put(dir, clean.p, clean.len, "", out->rec.sha256, &r->err);
	char thumb_sha[MEDIA_SHA_HEX], path[1024], tpath[1024];
	if (rc == GG_OK)
		rc = media_store_put(dir, thumb.p, thumb.len, "", thumb_sha, &r->err);
	/* The thumbnail is also reachable by the photo's name. */
	if (rc == GG_OK && media_store_path(dir, out->rec.sha256, ".thumb", path, sizeof(path)) == 0 &&
	    media_store_path(dir, thumb_sha, "", tpath, sizeof(tpath)) == 0) {
		struct stat st;
		if (stat(path, &st) != 0 && link(tpath, path) != 0 && stat(path, &st) != 0)
			rc = err_set(&r->err, GG_EIO, "cannot store the thumbnail");
	}
	if (rc == GG_OK) {
		snprintf(out->rec.kind, sizeof(out->rec.kind), "%s",
			 info.kind == MEDIA_JPEG ? "jpeg" : "png");
		out->rec.bytes = (int64_t)clean.len;
		out->rec.width = info.width;
		out->rec.height = info.height;
		out->rec.uploader = r->authed ? r->who.user_id : 0;
		out->rec.created_at = clock_now();
		out->has_gps = info.has_gps;
		out->lon = info.lon;
		out->lat = info.lat;
	}
	buf_release(&clean);
	buf_release(&thumb);
	return rc;
}

json_t *api__media_json(const struct api_media *m)
{
	json_t *j = json_pack("{s:s,s:s,s:I,s:i,s:i,s:s,s:s}", "sha256", m->rec.sha256, "kind",
			      m->rec.kind, "bytes", (json_int_t)m->rec.bytes, "width",
			      m->rec.width, "height", m->rec.height, "url", "", "thumbnail_url", "");
	json_object_set_new(j, "url", json_sprintf("/api/v1/media/%s", m->rec.sha256));
	json_object_set_new(j, "thumbnail_url",
			    json_sprintf("/api/v1/media/%s/thumbnail", m->rec.sha256));
	return j;
}

struct upload {
	struct api_media items[API_MAX_PARTS];
	int n;
};

static int record(struct api_req *r, void *arg)
{
	struct upload *u = arg;
	for (int i = 0; i < u->n; i++) {
		int rc = store_media_put(r->db, &u->items[i].rec, &r->err);
		if (rc)
			return rc;
	}
	return GG_OK;
}

int api_media_upload(struct api_req *r)
{
	if (!r->parts)
		return api_fail(r, GG_EMEDIA, "send the photos as multipart/form-data");
	struct upload *u = arena_zalloc(r->arena, sizeof(*u));
	for (const struct api_part *p = r->parts; p; p = p->next) {
		if (!p->filename)
			continue;
		if (u->n == 3)
			return err_field(&r->err, GG_EFIELD, p->name, "at most 3 photos at a time");
		int rc = api__media_ingest(r, p, &u->items[u->n]);
		if (rc)
			return rc;
		u->n++;
	}
	if (u->n == 0)
		return err_field(&r->err, GG_EMISSING, "file", "no file in the upload");
	int rc = api_write(r, record, u);
	if (rc)
		return rc;
	json_t *items = json_array();
	for (int i = 0; i < u->n; i++) {
		json_t *j = api__media_json(&u->items[i]);
		json_object_set_new(j, "gps",
				    u->items[i].has_gps
					    ? json_pack("{s:f,s:f}", "lon", u->items[i].lon, "lat",
							u->items[i].lat)
					    : json_null());
		json_array_append_new(items, j);
	}
	api_reply(r, 201, json_pack("{s:o,s:i}", "items", items, "total", u->n));
	return GG_OK;
}

int api__media_may_see(struct api_req *r, const struct store_media *m)
{
	struct svc s;
	api__svc(r, &s);
	return svc_media_may_see(&s, m, &r->err);
}

static int serve(struct api_req *r, const char *suffix)
{
	struct store_media m;
	int rc = store_media_get(r->db, r->params[0], &m, &r->err);
	if (rc)
		return rc;
	if (!api__media_may_see(r, &m)) {
		if (r->err.code)
			return r->err.code;
		return api_fail(r, GG_EFORBIDDEN, "this photo is not yours to see");
	}
	return api__media_send(r, &m, suffix);
}

int api__media_send(struct api_req *r, const struct store_media *mp, const char *suffix)
{
	const struct store_media m = *mp;
	char path[1024];
	if (media_store_path(r->srv->cfg.media_dir, m.sha256, suffix, path, sizeof(path)))
		return api_fail(r, GG_ENOTFOUND, "no such photo");
	FILE *f = fopen(path, "rb");
	if (!f)
		return api_fail(r, GG_ENOTFOUND, "the photo file is missing");
	struct stat st;
	fstat(fileno(f), &st);
	char *data = arena_alloc(r->arena, (size_t)st.st_size + 1);
	size_t n = fread(data, 1, (size_t)st.st_size, f);
	fclose(f);
	r->raw = data;
	r->raw_len = n;
	r->raw_type = suffix[0] || !strcmp(m.kind, "jpeg") ? "image/jpeg" : "image/png";
	return GG_OK;
}

int api_media_get(struct api_req *r)
{
	return serve(r, "");
}

int api_media_thumbnail(struct api_req *r)
{
	return serve(r, ".thumb");
}
