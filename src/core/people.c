/* SPDX-License-Identifier: Apache-2.0 */
/* Vocabularies of people-and-housing data and their checks. */
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "gridgov/people.h"

static int in(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return 1;
	return 0;
}

int people_use_valid(const char *use)
{
	static const char *const uses[] = {"自住", "出租", "空置", "经营", NULL};
	return in(use, uses);
}

int people_relation_valid(const char *relation)
{
	static const char *const rel[] = {"户主",     "配偶", "子女", "父母", "孙子女",
					  "兄弟姐妹", "租户", "其他", NULL};
	return in(relation, rel);
}

int people_correction_kind_valid(const char *kind)
{
	static const char *const kinds[] = {"moved_out", "died", "new_phone", "new_tenant", NULL};
	return in(kind, kinds);
}

int people_tags_normalise(const char *s, char *out, size_t n, struct err *err)
{
	static const char *const tags[] = {"独居老人", "残疾人", "低保", "重点人员",
					   "租户",     "党员",	 NULL};
	size_t len = 0;
	out[0] = 0;
	while (*s) {
		/* separators: ASCII ones and the Chinese enumeration comma 、(E3 80 81) */
		if (strchr(",;| ", *s)) {
			s++;
			continue;
		}
		if (!strncmp(s, "、", 3)) {
			s += 3;
			continue;
		}
		size_t k = 0;
		while (s[k] && !strchr(",;| ", s[k]) && strncmp(s + k, "、", 3))
			k++;
		char tag[64];
		if (k >= sizeof(tag))
			return err_field(err, GG_EFIELD, "tags", "unknown tag");
		memcpy(tag, s, k);
		tag[k] = 0;
		s += k;
		if (!in(tag, tags))
			return err_field(
			    err, GG_EFIELD, "tags",
			    "unknown tag '%s' (独居老人 残疾人 低保 重点人员 租户 党员)", tag);
		/* drop duplicates: look for ",tag," in ",out," */
		char probe[72], have[256];
		snprintf(probe, sizeof(probe), ",%s,", tag);
		snprintf(have, sizeof(have), ",%s,", out);
		if (strstr(have, probe))
			continue;
		int w = snprintf(out + len, n - len, "%s%s", len ? "," : "", tag);
		if (w < 0 || (size_t)w >= n - len)
			return err_field(err, GG_EFIELD, "tags", "too many tags");
		len += (size_t)w;
	}
	return GG_OK;
}

int people_parse_bool(const char *s, int def)
{
	if (!s || !*s)
		return def;
	if (!strcmp(s, "1") || !strcmp(s, "是") || !strcasecmp(s, "yes") || !strcasecmp(s, "true"))
		return 1;
	if (!strcmp(s, "0") || !strcmp(s, "否") || !strcasecmp(s, "no") || !strcasecmp(s, "false"))
		return 0;
	return -1;
}
