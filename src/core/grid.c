/* SPDX-License-Identifier: Apache-2.0 */
/* Grid levels and the prefix arithmetic of hierarchical grid codes. */
#include <string.h>

#include "gridgov/grid.h"

static const struct {
	const char *name, *zh;
	size_t len;
} levels[] = {
	[GRID_LEVEL_NONE] = {"none", "无", 0},
	[GRID_DISTRICT] = {"district", "区", 6},
	[GRID_STREET] = {"street", "街道", 9},
	[GRID_COMMUNITY] = {"community", "社区", 12},
	[GRID_GRID] = {"grid", "网格", 15},
	[GRID_MICRO] = {"micro", "微网格", 18},
	[GRID_BUILDING] = {"building", "楼栋", 21},
};

size_t grid_level_code_len(enum grid_level level)
{
	return level > GRID_LEVEL_NONE && level <= GRID_LEVEL_MAX ? levels[level].len : 0;
}

enum grid_level grid_level_of_code(const char *code)
{
	size_t n = 0;
	for (; code[n]; n++)
		if (code[n] < '0' || code[n] > '9')
			return GRID_LEVEL_NONE;
	for (int l = GRID_DISTRICT; l <= GRID_LEVEL_MAX; l++)
		if (levels[l].len == n)
			return (enum grid_level)l;
	return GRID_LEVEL_NONE;
}

const char *grid_level_name(enum grid_level level)
{
	return level >= GRID_LEVEL_NONE && level <= GRID_LEVEL_MAX ? levels[level].name : "none";
}

const char *grid_level_name_zh(enum grid_level level)
{
	return level >= GRID_LEVEL_NONE && level <= GRID_LEVEL_MAX ? levels[level].zh : "无";
}

enum grid_level grid_level_parse(const char *name)
{
	for (int l = GRID_DISTRICT; l <= GRID_LEVEL_MAX; l++)
		if (!strcmp(levels[l].name, name))
			return (enum grid_level)l;
	return GRID_LEVEL_NONE;
}

int grid_code_parent(const char *code, char *out)
{
	enum grid_level l = grid_level_of_code(code);
	out[0] = 0;
	if (l == GRID_LEVEL_NONE)
		return -1;
	if (l == GRID_DISTRICT)
		return 0;
	size_t n = levels[l - 1].len;
	memcpy(out, code, n);
	out[n] = 0;
	return 0;
}

int grid_code_within(const char *code, const char *scope)
{
	size_t n = strlen(scope);
	return n == 0 || (strncmp(code, scope, n) == 0 && strlen(code) >= n);
}

int grid_code_is_ancestor(const char *code, const char *other)
{
	size_t n = strlen(code);
	return n > 0 && strlen(other) > n && strncmp(code, other, n) == 0;
}
