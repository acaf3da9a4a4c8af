/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Request bodies without a connection (body.h): the JSON body's parse and text check,
 * and the collection and text check of form and multipart fields, as the dispatcher and
 * server.c use them and as fuzz/fuzz_json.c, fuzz_form.c and fuzz_multipart.c drive them.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "api/body.h"
#include "gridgov/xalloc.h"

enum utf8_fault api__json_fault(json_t *v, struct buf *field)
{
	enum utf8_fault f = UTF8_OK;
	size_t mark = field->len;
	if (json_is_string(v))
		return utf8_check(json_string_value(v), json_string_length(v), NULL);
	if (json_is_object(v)) {
		const char *k;
		json_t *x;
		json_object_foreach(v, k, x)
		{
			field->len = mark;
			field->p[mark] = 0;
			if (mark)
				buf_addch(field, '.');
			buf_adds(field, k);
			if ((f = utf8_check_str(k)) || (f = api__json_fault(x, field)))
				return f;
		}
	} else if (json_is_array(v)) {
		size_t i;
		json_t *x;
		json_array_foreach(v, i, x)
		{
			field->len = mark;
			field->p[mark] = 0;
			buf_addf(field, "[%zu]", i);
			if ((f = api__json_fault(x, field)))
				return f;
		}
	}
	field->len = mark;
	field->p[mark] = 0;
	return UTF8_OK;
}

/*
 * The field's name as the error shows it: each sequence that is not text (a stray byte, a
 * control character, the DEL json_not_utf8 put in place of a bad byte) becomes U+FFFD,
 * so a key made only of bad bytes is not named '' (fuzz_json found that), and the name is
 * cut at a character boundary to fit, never inside one.
 */
static void field_name(char *out, size_t n, const char *field)
{
	size_t len = strlen(field), o = 0;
	for (size_t i = 0; i < len;) {
		unsigned cp;
		size_t k = utf8_decode(field + i, len - i, &cp);
		const char *s = field + i;
		size_t m = k;
		if (!k || cp < 0x20 || (cp >= 0x7f && cp < 0xa0)) {
			s = "\xef\xbf\xbd";
			m = 3;
			k = k ? k : 1;
		}
		if (o + m >= n)
			break;
		memcpy(out + o, s, m);
		o += m;
		i += k;
	}
	out[o] = 0;
}

int api__text_fault(struct err *err, const char *field, enum utf8_fault f)
{
	char name[sizeof(err->field)];
	field_name(name, sizeof(name), field);
	return err_field(err, GG_EFIELD, name, "field '%s' %s", name, utf8_fault_text(f));
}

/*
 * A JSON body that is not UTF-8 does not parse; to say which field holds the bad bytes,
 * parse a copy with each of them made a DEL (a character JSON carries but text does not).
 */
static int json_not_utf8(const char *body, size_t len, struct err *err)
{
	char *copy = xmalloc(len ? len : 1);
	memcpy(copy, body, len);
	size_t at = 0, from = 0;
	while (from < len && utf8_check(copy + from, len - from, &at) == UTF8_INVALID) {
		copy[from + at] = 0x7F;
		from += at + 1;
	}
	json_t *j = json_loadb(copy, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, NULL);
	free(copy);
	struct buf field = BUF_INIT;
	int rc = err_set(err, GG_EJSON, "body is not valid JSON: it is not UTF-8");
	if (j && api__json_fault(j, &field))
		rc = api__text_fault(err, field.p, UTF8_INVALID);
	json_decref(j);
	buf_release(&field);
	return rc;
}

int api__json_parse(const char *body, size_t len, json_t **out, struct err *err)
{
	json_error_t je;
	*out = json_loadb(body, len, JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL, &je);
	if (!*out && utf8_check(body, len, NULL) == UTF8_INVALID)
		return json_not_utf8(body, len, err);
	if (!*out)
		return err_set(err, GG_EJSON, "body is not valid JSON: %s at line %d", je.text,
			       je.line);
	if (!json_is_object(*out))
		return err_set(err, GG_EJSON, "body must be a JSON object");
	return GG_OK;
}

int api__part_add(struct arena *a, struct api_part **head, struct api_part **last, int *n,
		  size_t *bytes, const char *key, const char *filename, const char *content_type,
		  const char *data, uint64_t off, size_t size)
{
	/* MHD may announce a short value twice at offset 0 (first with no bytes): keep one. */
	int same =
	    *last && off == 0 && (*last)->data.len == 0 && key && !strcmp((*last)->name, key);
	if ((off == 0 && !same) || !*last) {
		if (*n == API_MAX_PARTS)
			return GG_EINVAL;
		struct api_part *p = arena_zalloc(a, sizeof(*p));
		p->name = arena_strdup(a, key ? key : "");
		p->filename = filename ? arena_strdup(a, filename) : NULL;
		p->content_type = content_type ? arena_strdup(a, content_type) : NULL;
		buf_init(&p->data, API_UPLOAD_MAX);
		if (*last)
			(*last)->next = p;
		else
			*head = p;
		*last = p;
		(*n)++;
	}
	*bytes += size;
	if (*bytes > API_UPLOAD_MAX)
		return GG_ETOOBIG;
	buf_add(&(*last)->data, data, size);
	return GG_OK;
}

void api__parts_release(struct api_part *head)
{
	for (struct api_part *p = head; p; p = p->next)
		buf_release(&p->data);
}

enum utf8_fault api__parts_fault(const struct api_part *head, const char **field)
{
	enum utf8_fault f;
	for (const struct api_part *p = head; p; p = p->next) {
		*field = p->name;
		if ((f = utf8_check_str(p->name)))
			return f;
		if (p->filename && (f = utf8_check_str(p->filename)))
			return f;
		if (!p->filename && (f = utf8_check(p->data.p, p->data.len, NULL)))
			return f;
	}
	return UTF8_OK;
}
