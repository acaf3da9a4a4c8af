/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The route table: every HTTP endpoint, its handler, the permission it needs and its
 * flags. The first match wins, so literal paths stand before patterns that would
 * swallow them ("/grids/locate" before "/grids/{code}").
 */
#include "api/api_int.h"

const struct api_route api__routes[] = {
	{"GET", "/healthz", api_health, PERM_PUBLIC, 0},
	{"GET", "/metrics", api_metrics, PERM_PUBLIC, 0},
	{"POST", "/api/v1/test/clock", api_test_clock, PERM_PUBLIC, API_TEST_ONLY},

	{"POST", "/api/v1/session", api_session_create, PERM_PUBLIC, 0},
	{"GET", "/api/v1/session", api_session_me, PERM_LOGIN, 0},
	{"DELETE", "/api/v1/session", api_session_delete, PERM_LOGIN, API_WRITE},

	{"GET", "/api/v1/departments", api_dept_list, PERM_ORG_READ, 0},
	{"GET", "/api/v1/grids", api_grid_roots, PERM_GRID_READ, 0},
	{"GET", "/api/v1/grids/{code}", api_grid_get, PERM_GRID_READ, 0},
	{"GET", "/api/v1/grids/{code}/children", api_grid_children, PERM_GRID_READ, 0},

	/* cases */
	{"GET", "/api/v1/categories", api_category_list, PERM_LOGIN, 0},
	{"PUT", "/api/v1/categories/{code}", api_category_put, PERM_CATEGORY_ADMIN, API_WRITE},
	{"GET", "/api/v1/cases", api_case_list, PERM_CASE_READ, 0},
	{"POST", "/api/v1/cases", api_case_create, PERM_CASE_WRITE, API_WRITE},
	{"GET", "/api/v1/cases/{id}", api_case_get, PERM_CASE_READ, 0},
	{"POST", "/api/v1/cases/{id}/actions", api_case_action, PERM_CASE_WRITE, API_WRITE},
	{"GET", "/api/v1/stats/indicators", api_stats_indicators, PERM_STATS_READ, 0},
};

const size_t api__nroutes = sizeof(api__routes) / sizeof(api__routes[0]);
