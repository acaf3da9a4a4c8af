/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The vocabularies of people-and-housing data: house uses 房屋用途, relations to the head
 * of household 与户主关系, resident tags 人员标签 and the kinds of correction a grid
 * worker may propose after a visit. Pure checks shared by the importer and the API.
 */
#ifndef GRIDGOV_PEOPLE_H
#define GRIDGOV_PEOPLE_H

#include <stddef.h>

#include "gridgov/err.h"

/** Basic grids should hold 300–500 households (DOMAIN.md). */
#define PEOPLE_GRID_HH_MIN 300
#define PEOPLE_GRID_HH_MAX 500

/** 1 if use is 自住, 出租, 空置 or 经营. */
int people_use_valid(const char *use);
/** 1 if relation is one of 户主 配偶 子女 父母 孙子女 兄弟姐妹 租户 其他. */
int people_relation_valid(const char *relation);

/**
 * Normalise a tag list: separators ',' ';' '|' '、' and spaces; every tag must be one of
 * 独居老人 残疾人 低保 重点人员 租户 党员; duplicates dropped; written comma-separated into
 * out (size n). GG_EFIELD naming "tags" on an unknown tag.
 */
int people_tags_normalise(const char *in, char *out, size_t n, struct err *err) GG_WUR;

/** "1"/"0", "是"/"否", "yes"/"no", "true"/"false"; "" gives def. -1 if none of these. */
int people_parse_bool(const char *s, int def);

/** 1 if kind is moved_out, died, new_phone or new_tenant. */
int people_correction_kind_valid(const char *kind);

#endif
