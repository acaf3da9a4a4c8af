/* SPDX-License-Identifier: Apache-2.0 */
/* The role × permission matrix and scope tests. */
#include <string.h>

#include "gridgov/role.h"

static const struct {
	const char *name, *zh;
} roles[ROLE_COUNT] = {
	[ROLE_ADMIN] = {"admin", "系统管理员"},
	[ROLE_OPERATOR] = {"operator", "指挥中心坐席"},
	[ROLE_LEADER] = {"leader", "领导"},
	[ROLE_STREET] = {"street", "街道工作人员"},
	[ROLE_COMMUNITY] = {"community", "社区工作人员"},
	[ROLE_GRID_WORKER] = {"grid_worker", "网格员"},
	[ROLE_DEPARTMENT] = {"department", "职能部门"},
};

static const char *perm_names[PERM_COUNT] = {
	[PERM_PUBLIC] = "public",	  [PERM_LOGIN] = "login",
	[PERM_GRID_READ] = "grid.read",	  [PERM_GRID_WRITE] = "grid.write",
	[PERM_ORG_READ] = "org.read",	  [PERM_USER_ADMIN] = "user.admin",
	[PERM_TEST_CLOCK] = "test.clock",
	[PERM_GRID_STAFF] = "grid.staff",
	[PERM_PEOPLE_READ] = "people.read",	  [PERM_PEOPLE_PII] = "people.pii",
	[PERM_PEOPLE_CORRECT] = "people.correct", [PERM_PEOPLE_MANAGE] = "people.manage",
	[PERM_CASE_READ] = "case.read",	  [PERM_CASE_WRITE] = "case.write",
	[PERM_CATEGORY_ADMIN] = "category.admin", [PERM_STATS_READ] = "stats.read",
	[PERM_INTAKE] = "intake",
	[PERM_ASSESS_SCHEME] = "assess.scheme", [PERM_ASSESS_PUBLISH] = "assess.publish",
};

#define P(x) (UINT64_C(1) << (x))
#define EVERYONE (P(PERM_PUBLIC) | P(PERM_LOGIN) | P(PERM_GRID_READ) | P(PERM_ORG_READ))
/* cases: everyone reads and acts within scope; the case state machine decides which action */
#define CASES (P(PERM_CASE_READ) | P(PERM_CASE_WRITE))
#define STATS P(PERM_STATS_READ)

/*
 * People data 人房: operators and leaders see it masked; the community staff and grid
 * workers who visit households read ID and phone numbers in their own scope; department
 * staff do not see residents at all.
 */
#define PEOPLE_ALL (P(PERM_PEOPLE_READ) | P(PERM_PEOPLE_PII) | P(PERM_PEOPLE_CORRECT) | \
		    P(PERM_PEOPLE_MANAGE))

static const uint64_t matrix[ROLE_COUNT] = {
	[ROLE_ADMIN] = EVERYONE | P(PERM_GRID_WRITE) | P(PERM_USER_ADMIN) | P(PERM_TEST_CLOCK) |
		       P(PERM_GRID_STAFF) | PEOPLE_ALL | CASES | P(PERM_CATEGORY_ADMIN) | STATS |
		       P(PERM_INTAKE) | P(PERM_ASSESS_SCHEME),
	[ROLE_OPERATOR] = EVERYONE | P(PERM_PEOPLE_READ) | CASES | STATS | P(PERM_INTAKE),
	[ROLE_LEADER] = EVERYONE | P(PERM_PEOPLE_READ) | CASES | STATS | P(PERM_ASSESS_PUBLISH),
	[ROLE_STREET] = EVERYONE | P(PERM_GRID_STAFF) | P(PERM_PEOPLE_READ) | CASES | STATS,
	[ROLE_COMMUNITY] = EVERYONE | P(PERM_GRID_STAFF) | PEOPLE_ALL | CASES | STATS,
	[ROLE_GRID_WORKER] = EVERYONE | P(PERM_PEOPLE_READ) | P(PERM_PEOPLE_PII) |
			     P(PERM_PEOPLE_CORRECT) | CASES,
	[ROLE_DEPARTMENT] = EVERYONE | CASES,
};

const char *role_name(enum role role)
{
	return role >= 0 && role < ROLE_COUNT ? roles[role].name : "unknown";
}

const char *role_name_zh(enum role role)
{
	return role >= 0 && role < ROLE_COUNT ? roles[role].zh : "未知";
}

int role_parse(const char *name)
{
	for (int i = 0; i < ROLE_COUNT; i++)
		if (!strcmp(roles[i].name, name))
			return i;
	return -1;
}

const char *perm_name(enum perm perm)
{
	return perm >= 0 && perm < PERM_COUNT ? perm_names[perm] : "unknown";
}

int role_allows(enum role role, enum perm perm)
{
	if (role < 0 || role >= ROLE_COUNT || perm < 0 || perm >= PERM_COUNT)
		return 0;
	return (matrix[role] & P(perm)) != 0;
}

int principal_covers(const struct principal *p, const char *code)
{
	return grid_code_within(code, p->scope);
}

int principal_sees(const struct principal *p, const char *code)
{
	return grid_code_within(code, p->scope) || grid_code_is_ancestor(code, p->scope);
}
