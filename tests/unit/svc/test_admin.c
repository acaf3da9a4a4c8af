/* SPDX-License-Identifier: Apache-2.0 */
/*
 * The administration operations in the domain layer: an admin reaches only its own scope
 * (a street's admin cannot make a district-wide user or key), a lock or a reset ends the
 * user's sessions, a reset must be changed at the next login, every write is in the audit
 * log without its secret, and a category's new time limit is what later deadlines use
 * while deadlines already set stay.
 */
#include "fx_svc.h"
#include "gridgov/sec.h"
#include "gridgov/svc_admin.h"

struct adm {
	struct principal district, street;
};

static void admins(struct fx *f, struct adm *a)
{
	fx_who(&a->district, 0, ROLE_ADMIN, "root", "", "");
	fx_who(&a->street, 0, ROLE_ADMIN, "street-admin", STREET, "");
	sec_set_fast(1);
	(void)f;
}

static int64_t audit_count(struct fx *f, const char *action)
{
	struct store_audit *e;
	size_t n;
	int64_t total, hits = 0;
	assert_int_equal(store_audit_list(f->db, "", 0, 1000, f->a, &e, &n, &total, &f->err),
			 GG_OK);
	for (size_t i = 0; i < n; i++)
		hits += !strcmp(e[i].action, action);
	return hits;
}

static void a_street_admin_cannot_make_a_wider_user(void **state)
{
	struct fx *f = *state;
	struct adm a;
	admins(f, &a);
	struct svc s = fx_svc(f, &a.street);
	char temp[SVC_SECRET_MAX], hash[STORE_PWHASH_MAX];
	int64_t id = 0;
	assert_int_equal(svc_password_prepare("short", temp, hash, &f->err), GG_EFIELD);
	assert_string_equal(f->err.field, "password");
	assert_int_equal(svc_password_prepare(NULL, temp, hash, &f->err), GG_OK);
	assert_int_equal(strlen(temp), 12);
	struct svc_user_in in = {.name = "cw",
				 .role = "community",
				 .scope = COMMUNITY,
				 .dept = "",
				 .pwhash = hash,
				 .must_change = 1};
	assert_int_equal(svc_user_add(&s, &in, &id, &f->err), GG_OK);
	struct store_user u;
	assert_int_equal(store_user_get(f->db, id, &u, &f->err), GG_OK);
	assert_int_equal(u.must_change, 1);
	assert_true(sec_password_verify(u.pwhash, temp));
	assert_null(strstr(u.pwhash, temp));

	const char *wide[] = {DISTRICT, "", OTHER};
	for (size_t i = 0; i < 3; i++) {
		struct svc_user_in w = {
		    .name = "wide", .role = "street", .scope = wide[i], .dept = "", .pwhash = hash};
		assert_int_equal(svc_user_add(&s, &w, &id, &f->err), GG_EFORBIDDEN);
		assert_string_equal(f->err.field, "scope");
	}
	/* nor widen its own user afterwards */
	struct svc_user_in widen = {.scope = DISTRICT};
	assert_int_equal(svc_user_edit(&s, u.id, &widen, &f->err), GG_EFORBIDDEN);
	/* a user of another street is not even found */
	assert_int_equal(svc_user_lock(&s, f->other.user_id, 1, &f->err), GG_ENOTFOUND);
	/* its list holds its street only */
	struct store_user *list;
	size_t n;
	int64_t total;
	assert_int_equal(svc_user_list(&s, NULL, 0, 100, &list, &n, &total, &f->err), GG_OK);
	for (size_t i = 0; i < n; i++)
		assert_true(principal_covers(&a.street, list[i].who.scope));
	assert_int_equal(total, (int64_t)n);
	assert_int_equal(audit_count(f, "user.add"), 1);
	/* the district admin lists everyone, a page at a time */
	s = fx_svc(f, &a.district);
	assert_int_equal(svc_user_list(&s, NULL, 2, 3, &list, &n, &total, &f->err), GG_OK);
	assert_int_equal(n, 3);
	assert_int_equal(total, 8);
	/* and a grid worker is no admin */
	s = fx_svc(f, &f->worker);
	assert_int_equal(svc_user_add(&s, &in, &id, &f->err), GG_EFORBIDDEN);
}

static void lock_and_reset_end_sessions(void **state)
{
	struct fx *f = *state;
	struct adm a;
	admins(f, &a);
	struct svc s = fx_svc(f, &a.district);
	int64_t uid = f->worker.user_id;
	assert_int_equal(store_session_insert(f->db, "h1", uid, f->now, f->now + 3600, &f->err),
			 GG_OK);
	struct store_user u;
	assert_int_equal(store_session_user(f->db, "h1", f->now, &u, &f->err), GG_OK);
	assert_int_equal(svc_user_lock(&s, uid, 1, &f->err), GG_OK);
	assert_int_equal(store_session_user(f->db, "h1", f->now, &u, &f->err), GG_ENOTFOUND);
	assert_int_equal(svc_user_lock(&s, uid, 0, &f->err), GG_OK);
	assert_int_equal(store_user_get(f->db, uid, &u, &f->err), GG_OK);
	assert_int_equal(u.active, 1);

	assert_int_equal(store_session_insert(f->db, "h2", uid, f->now, f->now + 3600, &f->err),
			 GG_OK);
	char temp[SVC_SECRET_MAX], hash[STORE_PWHASH_MAX];
	assert_int_equal(svc_password_prepare(NULL, temp, hash, &f->err), GG_OK);
	assert_int_equal(svc_user_reset(&s, uid, hash, &f->err), GG_OK);
	assert_int_equal(store_session_user(f->db, "h2", f->now, &u, &f->err), GG_ENOTFOUND);
	assert_int_equal(store_user_get(f->db, uid, &u, &f->err), GG_OK);
	assert_int_equal(u.must_change, 1);
	/* the user changes it: the old one checked, the mark cleared */
	struct principal me = u.who;
	struct svc self = fx_svc(f, &me);
	assert_int_equal(svc_password_check(&self, "wrong", "new-password-1", hash, &f->err),
			 GG_EFIELD);
	assert_string_equal(f->err.field, "old_password");
	assert_int_equal(svc_password_check(&self, temp, "short", hash, &f->err), GG_EFIELD);
	assert_int_equal(svc_password_check(&self, temp, temp, hash, &f->err), GG_EFIELD);
	assert_int_equal(svc_password_check(&self, temp, "new-password-1", hash, &f->err), GG_OK);
	assert_int_equal(svc_password_set(&self, hash, &f->err), GG_OK);
	assert_int_equal(store_user_get(f->db, uid, &u, &f->err), GG_OK);
	assert_int_equal(u.must_change, 0);
	assert_true(sec_password_verify(u.pwhash, "new-password-1"));

	struct store_audit *e;
	size_t n;
	int64_t total;
	assert_int_equal(store_audit_list(f->db, "", 0, 100, f->a, &e, &n, &total, &f->err), GG_OK);
	assert_int_equal(total, 4); /* lock, unlock, reset, password */
	assert_string_equal(e[0].action, "user.password");
	assert_string_equal(e[3].action, "user.lock");
	assert_string_equal(e[3].actor, "root");
	for (size_t i = 0; i < n; i++)
		assert_null(strstr(e[i].detail, temp));
}

static void a_new_time_limit_is_used_from_then_on(void **state)
{
	struct fx *f = *state;
	struct adm a;
	admins(f, &a);
	struct svc_action_in file = fx_in(CASE_A_FILE, NULL), send = fx_in(CASE_A_DISPATCH, NULL);
	struct store_case before, after;
	int64_t id1 = fx_case(f, "E0102");
	assert_int_equal(fx_act(f, &f->operator, id1, &file, NULL), GG_OK);
	assert_int_equal(fx_act(f, &f->operator, id1, &send, &before), GG_OK);

	struct store_category c;
	assert_int_equal(store_category_get(f->db, "E0102", &c, &f->err), GG_OK);
	struct svc s = fx_svc(f, &a.district);
	struct store_category bad = c;
	bad.limit_general_h = bad.limit_engineering_h + 1;
	assert_int_equal(svc_category_update(&s, &bad, &f->err), GG_EFIELD);
	c.limit_general_h = c.limit_engineering_h; /* longer than before */
	assert_int_equal(svc_category_update(&s, &c, &f->err), GG_OK);
	assert_int_equal(audit_count(f, "category.edit"), 1);

	int64_t id2 = fx_case(f, "E0102");
	assert_int_equal(fx_act(f, &f->operator, id2, &file, NULL), GG_OK);
	assert_int_equal(fx_act(f, &f->operator, id2, &send, &after), GG_OK);
	assert_true(after.deadline - after.stage_started > before.deadline - before.stage_started);
	/* the first case keeps the deadline it was given */
	struct store_case again = fx_get(f, id1);
	assert_int_equal(again.deadline, before.deadline);
}

static void keys_and_devices(void **state)
{
	struct fx *f = *state;
	struct adm a;
	admins(f, &a);
	struct svc s = fx_svc(f, &a.street);
	char key[SVC_SECRET_MAX];
	int64_t id;
	assert_int_equal(svc_apikey_issue(&s, "wide", DISTRICT, &id, key, &f->err), GG_EFORBIDDEN);
	assert_int_equal(svc_apikey_issue(&s, "mine", STREET, &id, key, &f->err), GG_OK);
	char hash[SEC_TOKEN_HASH_LEN];
	sec_token_hash(key, hash);
	struct store_apikey k;
	assert_int_equal(store_apikey_by_hash(f->db, hash, &k, &f->err), GG_OK);
	assert_int_equal(svc_apikey_revoke(&s, id, &f->err), GG_OK);
	assert_int_equal(store_apikey_by_hash(f->db, hash, &k, &f->err), GG_ENOTFOUND);

	s = fx_svc(f, &a.district);
	struct store_device d = {.id = "gps-1", .type = "tracker"};
	assert_int_equal(svc_device_add(&s, &d, "nobody", key, &f->err), GG_EFIELD);
	assert_int_equal(svc_device_add(&s, &d, f->worker.name, key, &f->err), GG_EFIELD);
	struct store_user u;
	assert_int_equal(store_user_get(f->db, f->worker.user_id, &u, &f->err), GG_OK);
	assert_int_equal(svc_device_add(&s, &d, u.who.name, key, &f->err), GG_OK);
	struct store_device cam = {
	    .id = "cam-1", .type = "camera", .category = "E0102", .lon = 104.05, .lat = 30.66};
	assert_int_equal(svc_device_add(&s, &cam, NULL, key, &f->err), GG_OK);
	assert_int_equal(svc_device_add(&s, &cam, NULL, key, &f->err), GG_ECONFLICT);
	struct store_device_row *rows;
	size_t n;
	assert_int_equal(store_device_list(f->db, f->a, &rows, &n, &f->err), GG_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].d.id, "cam-1");
	assert_true(rows[0].has_point);
	assert_string_equal(rows[1].user, u.who.name);
	assert_false(rows[1].has_point);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(a_street_admin_cannot_make_a_wider_user, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(lock_and_reset_end_sessions, fx_setup, fx_teardown),
	    cmocka_unit_test_setup_teardown(a_new_time_limit_is_used_from_then_on, fx_setup,
					    fx_teardown),
	    cmocka_unit_test_setup_teardown(keys_and_devices, fx_setup, fx_teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
