/* SPDX-License-Identifier: Apache-2.0 */
/*
 * A small streaming CSV reader (RFC 4180) for the importers. It reads a byte at a time
 * with getc_unlocked (a reader belongs to one thread) and appends in place while the
 * record buffer has room: a million-row import spends its time elsewhere.
 */
#include <string.h>

#include "gridgov/csv.h"

static inline void add(struct buf *b, char ch)
{
	if (b->len + 1 < b->cap && !b->max) {
		b->p[b->len++] = ch;
		b->p[b->len] = 0;
	} else {
		buf_addch(b, ch);
	}
}

void csv_init(struct csv *c, FILE *f)
{
	memset(c, 0, sizeof(*c));
	c->f = f;
	c->next_line = 1;
	c->first = 1;
	c->bad_col = -1;
	buf_init(&c->rec, 0);
}

int csv_next(struct csv *c)
{
	int ch, quoted = 0, any = 0, bad = 0;
	size_t starts[CSV_MAX_FIELDS];
	int n = 0;
	buf_reset(&c->rec);
	c->line = c->next_line;
	starts[n++] = 0;
	if (c->first) {
		c->first = 0;
		int b1 = getc_unlocked(c->f);
		if (b1 == 0xEF) {
			int b2 = getc_unlocked(c->f), b3 = getc_unlocked(c->f);
			if (!(b2 == 0xBB && b3 == 0xBF)) {
				add(&c->rec, (char)b1);
				if (b2 != EOF)
					add(&c->rec, (char)b2);
				if (b3 != EOF)
					add(&c->rec, (char)b3);
				any = 1;
			}
		} else if (b1 != EOF) {
			ungetc(b1, c->f);
		}
	}
	while ((ch = getc_unlocked(c->f)) != EOF) {
		any = 1;
		if (quoted) {
			if (ch == '"') {
				int nx = getc_unlocked(c->f);
				if (nx == '"') {
					add(&c->rec, '"');
				} else {
					quoted = 0;
					if (nx != EOF)
						ungetc(nx, c->f);
				}
			} else {
				if (ch == '\n')
					c->next_line++;
				add(&c->rec, (char)ch);
			}
			continue;
		}
		if (ch == '"') {
			quoted = 1;
		} else if (ch == ',') {
			add(&c->rec, 0);
			if (n == CSV_MAX_FIELDS)
				bad = 1;
			else
				starts[n++] = c->rec.len;
		} else if (ch == '\r') {
			continue;
		} else if (ch == '\n') {
			c->next_line++;
			break;
		} else {
			add(&c->rec, (char)ch);
		}
	}
	if (!any)
		return 0;
	add(&c->rec, 0);
	c->nfields = n;
	c->bad_col = -1;
	for (int i = 0; i < n; i++) {
		c->fields[i] = c->rec.p + starts[i];
		enum utf8_fault f = utf8_check_str(c->fields[i]);
		if (f && c->bad_col < 0) {
			c->bad_col = i;
			c->bad_fault = (int)f;
		}
	}
	return bad || quoted || c->bad_col >= 0 ? -1 : 1;
}

int csv_find(const struct csv *c, const char *name)
{
	for (int i = 0; i < c->nfields; i++)
		if (!strcmp(c->fields[i], name))
			return i;
	return -1;
}

const char *csv_get(const struct csv *c, int i)
{
	return i >= 0 && i < c->nfields ? c->fields[i] : "";
}

void csv_release(struct csv *c)
{
	buf_release(&c->rec);
}
