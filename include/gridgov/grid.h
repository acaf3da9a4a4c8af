/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The grid tree 网格树: levels, hierarchical codes and scope. A node's code extends its
 * parent's (district 6 digits › street 9 › community 12 › grid 15 › micro-grid 18 ›
 * building 21), so "is X inside Y" is a prefix test and needs no database.
 */
#ifndef GRIDGOV_GRID_H
#define GRIDGOV_GRID_H

#include <stddef.h>
#include <stdint.h>

#define GRID_CODE_MAX 24
#define GRID_NAME_MAX 128

enum grid_level {
	GRID_LEVEL_NONE = 0,
	GRID_DISTRICT = 1,	/* 区 */
	GRID_STREET = 2,	/* 街道 / 乡镇 */
	GRID_COMMUNITY = 3,	/* 社区 / 村 */
	GRID_GRID = 4,		/* 基础网格 */
	GRID_MICRO = 5,		/* 微网格 */
	GRID_BUILDING = 6,	/* 楼栋 */
	GRID_LEVEL_MAX = 6
};

struct grid_node {
	char code[GRID_CODE_MAX];
	char name[GRID_NAME_MAX];
	enum grid_level level;
	char parent[GRID_CODE_MAX]; /* "" for a root (a district) */
	int64_t households;
	int64_t population;
};

/** Digits in a code of this level (6, 9, 12, 15, 18, 21), 0 for GRID_LEVEL_NONE. */
size_t grid_level_code_len(enum grid_level level);
/** The level a code's length implies, or GRID_LEVEL_NONE if it is not all digits of a valid length. */
enum grid_level grid_level_of_code(const char *code);
/** "district", "street", "community", "grid", "micro", "building". */
const char *grid_level_name(enum grid_level level);
/** Chinese name of the level (区, 街道, 社区, 网格, 微网格, 楼栋). */
const char *grid_level_name_zh(enum grid_level level);
/** Parse a level name (English, as above); GRID_LEVEL_NONE if unknown. */
enum grid_level grid_level_parse(const char *name);

/** Write the parent's code into out (size GRID_CODE_MAX); "" for a district. 0 or -1 if invalid. */
int grid_code_parent(const char *code, char *out);
/** 1 if code lies in the subtree rooted at scope (scope "" means everything). */
int grid_code_within(const char *code, const char *scope);
/** 1 if code is a strict ancestor of other. */
int grid_code_is_ancestor(const char *code, const char *other);

#endif
