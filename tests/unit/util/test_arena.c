/* SPDX-License-Identifier: Apache-2.0 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <string.h>

#include "gridgov/arena.h"

static int cleaned[3], order;

static void mark(void *p)
{
	cleaned[*(int *)p] = ++order;
}

static void allocations_are_aligned_and_distinct(void **state)
{
	struct arena *a = arena_new();
	char *p = arena_alloc(a, 3), *q = arena_alloc(a, 5);
	assert_true(((uintptr_t)p % _Alignof(max_align_t)) == 0);
	assert_true(((uintptr_t)q % _Alignof(max_align_t)) == 0);
	assert_ptr_not_equal(p, q);
	char *big = arena_alloc(a, 100000); /* larger than a block */
	memset(big, 1, 100000);
	assert_true(arena_used(a) >= 100000);
	arena_free(a);
}

static void strings_and_printf_copy_into_the_arena(void **state)
{
	struct arena *a = arena_new();
	assert_string_equal(arena_strdup(a, "网格"), "网格");
	assert_string_equal(arena_strndup(a, "abcdef", 3), "abc");
	assert_string_equal(arena_printf(a, "%s-%03d", "g", 7), "g-007");
	assert_null(arena_strdup(a, NULL));
	arena_free(a);
}

static void cleanups_run_last_first(void **state)
{
	static int ids[3] = {0, 1, 2};
	struct arena *a = arena_new();
	order = 0;
	for (int i = 0; i < 3; i++)
		arena_defer(a, mark, &ids[i]);
	arena_free(a);
	assert_int_equal(cleaned[2], 1);
	assert_int_equal(cleaned[1], 2);
	assert_int_equal(cleaned[0], 3);
}

static void push_grows_a_vector(void **state)
{
	struct arena *a = arena_new();
	int *v = NULL;
	size_t len = 0, cap = 0;
	for (int i = 0; i < 100; i++)
		*(int *)arena_push(a, (void **)&v, &len, &cap, sizeof(int)) = i;
	assert_int_equal(len, 100);
	for (int i = 0; i < 100; i++)
		assert_int_equal(v[i], i);
	arena_free(a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(allocations_are_aligned_and_distinct),
		cmocka_unit_test(strings_and_printf_copy_into_the_arena),
		cmocka_unit_test(cleanups_run_last_first),
		cmocka_unit_test(push_grows_a_vector),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
