/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Roles, permissions and who may see what. Every API route names one permission; a role
 * holds a fixed set of them; a user's scope (a grid-tree node, or a department for
 * department staff) bounds the data the permission reaches.
 */
#ifndef GRIDGOV_ROLE_H
#define GRIDGOV_ROLE_H

#include <stdint.h>

#include "gridgov/grid.h"

enum role {
	ROLE_ADMIN,	  /* 系统管理员 */
	ROLE_OPERATOR,	  /* 指挥中心坐席 */
	ROLE_LEADER,	  /* 领导 */
	ROLE_STREET,	  /* 街道工作人员 */
	ROLE_COMMUNITY,	  /* 社区工作人员 */
	ROLE_GRID_WORKER, /* 网格员 */
	ROLE_DEPARTMENT,  /* 职能部门 */
	ROLE_COUNT
};

enum perm {
	PERM_PUBLIC,	  /* no login needed */
	PERM_LOGIN,	  /* any signed-in user */
	PERM_GRID_READ,	  /* the grid tree within scope */
	PERM_GRID_WRITE,  /* edit the grid tree and its geometry */
	PERM_ORG_READ,	  /* departments, staff lists */
	PERM_USER_ADMIN,  /* manage users */
	PERM_TEST_CLOCK,  /* move the test clock (only when the server runs in test mode) */
	PERM_GRID_STAFF,  /* assign staff to grids within scope (issue 3) */
	/* people and housing 人房 */
	PERM_PEOPLE_READ,    /* residents, households, buildings within scope (ID/phone masked) */
	PERM_PEOPLE_PII,     /* read ID and phone numbers in clear within scope (trailed) */
	PERM_PEOPLE_CORRECT, /* propose corrections after a visit */
	PERM_PEOPLE_MANAGE,  /* approve/reject corrections, add buildings */
	/* cases */
	PERM_CASE_READ,	  /* cases within scope (or of one's department) */
	PERM_CASE_WRITE,  /* report cases and act on them (the state machine decides which) */
	PERM_CATEGORY_ADMIN, /* edit the category catalog */
	PERM_STATS_READ,  /* indicators */
	PERM_INTAKE,	  /* intake channels: hotline orders */
	/* assessment 考核 (issue 16) */
	PERM_ASSESS_SCHEME,  /* edit scoring schemes (a new version) */
	PERM_ASSESS_PUBLISH, /* close a period (publish its ranking) and decide appeals */
	PERM_COUNT
};

#define ROLE_DEPT_MAX 24
#define ROLE_NAME_MAX 64

/** The signed-in caller, as every handler sees it. */
struct principal {
	int64_t user_id;
	enum role role;
	char name[ROLE_NAME_MAX];
	char scope[GRID_CODE_MAX]; /* "" = the whole tree */
	char dept[ROLE_DEPT_MAX];  /* department code, for department staff */
};

const char *role_name(enum role role);
const char *role_name_zh(enum role role);
/** Parse a role name; -1 if unknown. */
int role_parse(const char *name);
const char *perm_name(enum perm perm);

/** 1 if the role holds the permission. */
int role_allows(enum role role, enum perm perm);

/** 1 if the node is inside the caller's scope (may see its data). */
int principal_covers(const struct principal *p, const char *code);
/**
 * 1 if the caller may see that the node exists: inside the scope, or an ancestor on the
 * path from the root down to the scope (so the caller can navigate to it).
 */
int principal_sees(const struct principal *p, const char *code);

#endif
