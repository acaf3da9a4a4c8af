/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The route table: every HTTP endpoint, its handler, the permission it needs and its
 * flags. The first match wins, so literal paths stand before patterns that would
 * swallow them ("/grids/locate" before "/grids/{code}"). Routes flagged API_WRITE or
 * API_INLINE run on libmicrohttpd's polling threads (their writes suspend the connection
 * until the commit); every other route runs on a worker, where it may block.
 */
#include "api/api_int.h"

const struct api_route api__routes[] = {
	{"GET", "/healthz", api_health, PERM_PUBLIC, API_INLINE},
	{"GET", "/metrics", api_metrics, PERM_PUBLIC, 0},
	{"POST", "/api/v1/test/clock", api_test_clock, PERM_PUBLIC, API_TEST_ONLY},
	{"GET", "/api/v1/test/routes", api_test_routes, PERM_PUBLIC, API_TEST_ONLY},

	{"GET", "/api/v1/time", api_time, PERM_PUBLIC, API_INLINE},
	{"POST", "/api/v1/session", api_session_create, PERM_PUBLIC, 0},
	{"GET", "/api/v1/session", api_session_me, PERM_LOGIN, 0},
	{"DELETE", "/api/v1/session", api_session_delete, PERM_LOGIN, API_WRITE},

	{"GET", "/api/v1/departments", api_dept_list, PERM_ORG_READ, 0},
	{"GET", "/api/v1/grids", api_grid_roots, PERM_GRID_READ, 0},
	/* grid map (issue 3): literal paths before /grids/{code} */
	{"GET", "/api/v1/grids.geojson", api_grid_geojson, PERM_GRID_READ, 0},
	{"GET", "/api/v1/grids/locate", api_grid_locate, PERM_GRID_READ, 0},
	{"GET", "/api/v1/checks/grids", api_check_grids, PERM_GRID_READ, 0},
	{"GET", "/api/v1/grids/{code}/staff", api_grid_staff_list, PERM_GRID_READ, 0},
	{"POST", "/api/v1/grids/{code}/staff", api_grid_staff_add, PERM_GRID_STAFF, API_WRITE},
	{"GET", "/api/v1/grids/{code}", api_grid_get, PERM_GRID_READ, 0},
	{"GET", "/api/v1/grids/{code}/children", api_grid_children, PERM_GRID_READ, 0},

	{"POST", "/api/v1/media", api_media_upload, PERM_LOGIN, API_UPLOAD},
	{"GET", "/api/v1/media/{sha}", api_media_get, PERM_LOGIN, 0},
	{"GET", "/api/v1/media/{sha}/thumbnail", api_media_thumbnail, PERM_LOGIN, 0},
	/* people and housing 人房 */
	{"GET", "/api/v1/people/residents", api_people_residents, PERM_PEOPLE_READ, 0},
	{"GET", "/api/v1/people/residents/{id}/trail", api_people_trail, PERM_USER_ADMIN, 0},
	{"GET", "/api/v1/people/residents/{id}", api_people_resident_get, PERM_PEOPLE_READ, 0},
	{"POST", "/api/v1/people/lookup", api_people_lookup, PERM_PEOPLE_READ, 0},
	{"GET", "/api/v1/people/households", api_people_households, PERM_PEOPLE_READ, 0},
	{"GET", "/api/v1/people/buildings", api_people_buildings, PERM_PEOPLE_READ, 0},
	{"POST", "/api/v1/people/buildings", api_people_building_create, PERM_PEOPLE_MANAGE,
	 API_WRITE},
	{"GET", "/api/v1/people/export", api_people_export, PERM_PEOPLE_READ, 0},
	{"GET", "/api/v1/checks/people", api_people_checks, PERM_PEOPLE_READ, 0},
	{"GET", "/api/v1/people/corrections", api_people_corrections, PERM_PEOPLE_READ, 0},
	{"POST", "/api/v1/people/corrections", api_people_correction_create,
	 PERM_PEOPLE_CORRECT, API_WRITE},
	{"POST", "/api/v1/people/corrections/{id}/approve", api_people_correction_approve,
	 PERM_PEOPLE_MANAGE, API_WRITE},
	{"POST", "/api/v1/people/corrections/{id}/reject", api_people_correction_reject,
	 PERM_PEOPLE_MANAGE, API_WRITE},
	/* cases */
	{"GET", "/api/v1/categories", api_category_list, PERM_PUBLIC, 0},
	{"PUT", "/api/v1/categories/{code}", api_category_put, PERM_CATEGORY_ADMIN, API_WRITE},
	{"GET", "/api/v1/cases", api_case_list, PERM_CASE_READ, 0},
	{"POST", "/api/v1/cases", api_case_create, PERM_CASE_WRITE, API_WRITE_STEP | API_INLINE},
	{"GET", "/api/v1/cases/duplicates", api_case_duplicates, PERM_CASE_READ, 0},
	{"GET", "/api/v1/cases/export", api_case_export, PERM_CASE_READ, 0},
	{"GET", "/api/v1/cases/{id}", api_case_get, PERM_CASE_READ, 0},
	{"POST", "/api/v1/cases/{id}/actions", api_case_action, PERM_CASE_WRITE,
	 API_WRITE_STEP | API_INLINE},
	{"GET", "/api/v1/stats/indicators", api_stats_indicators, PERM_STATS_READ, 0},
	{"GET", "/api/v1/stats/heatmap", api_stats_heatmap, PERM_STATS_READ, 0},
	/* assessment 考核 (issue 16, src/api/assess.c) */
	{"GET", "/api/v1/rankings", api_rankings, PERM_STATS_READ, 0},
	{"POST", "/api/v1/rankings/close", api_rankings_close, PERM_ASSESS_PUBLISH, API_WRITE},
	{"GET", "/api/v1/rankings/appeals", api_rankings_appeals, PERM_STATS_READ, 0},
	{"POST", "/api/v1/rankings/appeals", api_rankings_appeal, PERM_LOGIN, API_WRITE},
	{"POST", "/api/v1/rankings/appeals/{id}/decide", api_rankings_appeal_decide,
	 PERM_ASSESS_PUBLISH, API_WRITE},
	{"GET", "/api/v1/assess/schemes", api_assess_schemes, PERM_STATS_READ, 0},
	{"POST", "/api/v1/assess/schemes", api_assess_scheme_create, PERM_ASSESS_SCHEME,
	 API_WRITE},
	{"GET", "/api/v1/reports/monthly", api_report_monthly, PERM_STATS_READ, 0},
	{"GET", "/api/v1/reports/weekly", api_report_weekly, PERM_STATS_READ, 0},
	/* intake channels: citizen reports 随手拍 (no login) */
	{"POST", "/api/v1/public/reports", api_public_report_create, PERM_PUBLIC,
	 API_UPLOAD | API_WRITE_STEP},
	{"GET", "/api/v1/public/reports/{code}", api_public_report_get, PERM_PUBLIC,
	 API_RATED | API_SECRET_PATH},
	{"POST", "/api/v1/public/reports/{code}/rating", api_public_report_rate, PERM_PUBLIC,
	 API_WRITE_STEP | API_RATED | API_SECRET_PATH},
	/* the field app and citizen page (issue 14, items 12–13): a report's after photos */
	{"GET", "/api/v1/public/reports/{code}/photos/{sha}", api_public_report_photo, PERM_PUBLIC,
	 API_RATED | API_SECRET_PATH},
	{"GET", "/api/v1/public/map.geojson", api_public_map, PERM_PUBLIC, 0},
	/* intake channels: 12345 hotline work orders */
	{"POST", "/api/v1/intake/hotline", api_intake_hotline, PERM_INTAKE,
	 API_WRITE_STEP | API_KEY_OK | API_INLINE},
	/* intake channels: sensor and camera alarms (device key in the body) */
	{"POST", "/api/v1/intake/alarms", api_intake_alarm, PERM_PUBLIC,
	 API_WRITE_STEP | API_INLINE},
	/* Open311 GeoReport v2 */
	{"GET", "/open311/v2/discovery.json", api_open311_discovery, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/discovery.xml", api_open311_discovery, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/services.json", api_open311_services, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/services.xml", api_open311_services, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/services/{code}.json", api_open311_service, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/services/{code}.xml", api_open311_service, PERM_PUBLIC, 0},
	{"POST", "/open311/v2/requests.json", api_open311_request_create, PERM_PUBLIC,
	 API_WRITE_STEP | API_KEY_OK | API_FORM},
	{"POST", "/open311/v2/requests.xml", api_open311_request_create, PERM_PUBLIC,
	 API_WRITE_STEP | API_KEY_OK | API_FORM},
	{"GET", "/open311/v2/requests.json", api_open311_requests, PERM_PUBLIC, API_RATED},
	{"GET", "/open311/v2/requests.xml", api_open311_requests, PERM_PUBLIC, API_RATED},
	{"GET", "/open311/v2/requests/{id}.json", api_open311_request_get, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/requests/{id}.xml", api_open311_request_get, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/tokens/{token}.json", api_open311_token, PERM_PUBLIC, 0},
	{"GET", "/open311/v2/tokens/{token}.xml", api_open311_token, PERM_PUBLIC, 0},
	/* response templates 常用语 (issue 14, item 6) */
	{"GET", "/api/v1/templates", api_template_list, PERM_CASE_READ, 0},
	{"POST", "/api/v1/templates", api_template_create, PERM_CATEGORY_ADMIN, API_WRITE},
	{"PUT", "/api/v1/templates/{id}", api_template_put, PERM_CATEGORY_ADMIN, API_WRITE},
	{"DELETE", "/api/v1/templates/{id}", api_template_delete, PERM_CATEGORY_ADMIN, API_WRITE},
	/* the console's live side (issue 14): event stream, wall screens, grid profile */
	{"GET", "/api/v1/events", api_events_stream, PERM_LOGIN, API_INLINE},
	{"POST", "/api/v1/kiosk/session", api_kiosk_session, PERM_PUBLIC, API_WRITE | API_RATED},
	{"POST", "/api/v1/kiosk", api_kiosk_create, PERM_USER_ADMIN, API_WRITE},
	{"GET", "/api/v1/kiosk", api_kiosk_list, PERM_USER_ADMIN, 0},
	{"DELETE", "/api/v1/kiosk/{id}", api_kiosk_revoke, PERM_USER_ADMIN, API_WRITE},
	{"GET", "/api/v1/grids/{code}/profile", api_grid_profile, PERM_GRID_READ, 0},
	/* patrol tracks (issue 15): scope checked per worker (track_may_see) */
	{"GET", "/api/v1/patrols", api_patrol_list, PERM_LOGIN, 0},
	{"GET", "/api/v1/positions/live", api_position_live, PERM_LOGIN, 0},
	{"GET", "/api/v1/positions", api_position_list, PERM_LOGIN, 0},
	/* administration (issue 14, item 11); categories stay on PUT /categories/{code} */
	{"POST", "/api/v1/session/password", api_session_password, PERM_LOGIN, 0},
	{"GET", "/api/v1/admin/users", api_admin_users, PERM_USER_ADMIN, 0},
	{"POST", "/api/v1/admin/users", api_admin_user_add, PERM_USER_ADMIN, 0},
	{"PUT", "/api/v1/admin/users/{id}", api_admin_user_edit, PERM_USER_ADMIN, API_WRITE},
	{"POST", "/api/v1/admin/users/{id}/lock", api_admin_user_lock, PERM_USER_ADMIN, API_WRITE},
	{"POST", "/api/v1/admin/users/{id}/unlock", api_admin_user_unlock, PERM_USER_ADMIN,
	 API_WRITE},
	{"POST", "/api/v1/admin/users/{id}/reset", api_admin_user_reset, PERM_USER_ADMIN, 0},
	{"POST", "/api/v1/admin/departments", api_admin_dept_add, PERM_USER_ADMIN, API_WRITE},
	{"PUT", "/api/v1/admin/departments/{code}", api_admin_dept_edit, PERM_USER_ADMIN,
	 API_WRITE},
	{"GET", "/api/v1/admin/apikeys", api_admin_apikeys, PERM_USER_ADMIN, 0},
	{"POST", "/api/v1/admin/apikeys", api_admin_apikey_add, PERM_USER_ADMIN, API_WRITE},
	{"POST", "/api/v1/admin/apikeys/{id}/revoke", api_admin_apikey_revoke, PERM_USER_ADMIN,
	 API_WRITE},
	{"GET", "/api/v1/admin/devices", api_admin_devices, PERM_USER_ADMIN, 0},
	{"POST", "/api/v1/admin/devices", api_admin_device_add, PERM_USER_ADMIN, API_WRITE},
	{"GET", "/api/v1/admin/audit", api_admin_audit, PERM_USER_ADMIN, 0},
};

const size_t api__nroutes = sizeof(api__routes) / sizeof(api__routes[0]);
