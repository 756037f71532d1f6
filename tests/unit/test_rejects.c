/* test_rejects.c — the list of rows a run could not use (rejects.h):
 * reasons formatted and kept in the arena, and rejects.csv's order, by
 * file then line number (numerically: line 10 after line 2). */
#include <string.h>

#include "testutil.h"
#include "model/rejects.h"

static void test_add_and_sort(void **state)
{
	struct arena a;
	struct rejects r;
	char why[16];

	(void)state;
	arena_init(&a);
	rejects_init(&r, &a);
	/* The reason is copied: the caller's buffers may change after. */
	snprintf(why, sizeof why, "one");
	assert_int_equal(rejects_add(&r, "plan.csv", 3, "column '%s': %d", "sessions", -1), 0);
	assert_int_equal(rejects_add(&r, "att.csv", 10, "%s", "ten"), 0);
	assert_int_equal(rejects_add(&r, "att.csv", 2, "two"), 0);
	assert_int_equal(rejects_add(&r, "plan.csv", 1, "%s", why), 0);
	why[0] = 'X';
	assert_int_equal(r.items.len, 4);
	const struct reject *x = &VEC_AT(&r.items, struct reject, 0);
	assert_string_equal(x->reason, "column 'sessions': -1");
	assert_string_equal(VEC_AT(&r.items, struct reject, 3).reason, "one");

	rejects_sort(&r);
	static const struct { const char *file; size_t line; const char *reason; } want[4] = {
		{ "att.csv", 2, "two" }, { "att.csv", 10, "ten" },
		{ "plan.csv", 1, "one" }, { "plan.csv", 3, "column 'sessions': -1" },
	};
	for (size_t i = 0; i < 4; i++) {
		x = &VEC_AT(&r.items, struct reject, i);
		assert_int_equal(x->line, want[i].line);
		assert_string_equal(x->reason, want[i].reason);
		assert_string_equal(x->file, want[i].file);
	}
	rejects_free(&r);
	arena_release(&a);
}

static void test_long_reason(void **state)
{
	struct arena a;
	struct rejects r;
	char cell[700];

	(void)state;
	arena_init(&a);
	rejects_init(&r, &a);
	/* "bad 'é…é'" with 300 two-byte é: 6 + 600 + 1 bytes, more than the
	 * 511 a reason keeps.  The cut ends in "..." and never inside an é:
	 * "bad '" is 5 bytes, 508 - 5 = 503 leaves 251 é (502 bytes) and a
	 * half one, backed off: 5 + 502 + 3 = 510 bytes. */
	size_t n = 0;
	for (int i = 0; i < 300; i++) {
		cell[n++] = (char)0xC3;
		cell[n++] = (char)0xA9;
	}
	cell[n] = '\0';
	assert_int_equal(rejects_add(&r, "att.csv", 2, "bad '%s'", cell), 0);
	const char *why = VEC_AT(&r.items, struct reject, 0).reason;
	assert_int_equal(strlen(why), 510);
	assert_memory_equal(why, "bad '", 5);
	assert_string_equal(why + 507, "...");
	assert_int_equal((unsigned char)why[505], 0xC3);
	assert_int_equal((unsigned char)why[506], 0xA9);
	rejects_free(&r);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_add_and_sort),
		cmocka_unit_test(test_long_reason),
	};
	return cmocka_run_group_tests_name("rejects", tests, NULL, NULL);
}
