/* test_colmap.c — the column-map file reader (io/colmap.h): groups,
 * keys and values as GKeyFile reads them, the line of each counted by
 * hand in the texts below, and every refusal naming its line. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/colmap.h"

static int parse(const char *text, struct colmap *m, struct arena *a,
		 struct gr_err *err)
{
	memset(err, 0, sizeof *err);
	return colmap_parse(m, "map.ini", text, strlen(text), a, err);
}

static void test_groups_keys_lines(void **state)
{
	struct arena a;
	struct colmap m;
	struct gr_err err;

	(void)state;
	arena_init(&a);
	/* Line numbers:       1          2                 3 */
	assert_int_equal(parse("# a map\n[file]\n  encoding = windows-1252  \n"
			       /* 4   5           6 */
			       "\n[columns]\ndate = Date of Service\n"
			       /* 7               8                  9 */
			       "[values attended]\nNo Show = N\n  Show=Y\n"
			       /* 10: GKeyFile's \s escape is a space */
			       "Odd = \\sY\n", &m, &a, &err), 0);
	assert_int_equal(m.ngroups, 3);
	assert_string_equal(m.groups[0].name, "file");
	assert_int_equal(m.groups[0].line, 2);
	assert_int_equal(m.groups[1].line, 5);
	assert_string_equal(m.groups[2].name, "values attended");
	assert_int_equal(m.groups[2].line, 7);
	assert_int_equal(m.groups[2].count, 3);
	assert_int_equal(m.nitems, 5);
	assert_string_equal(m.items[0].key, "encoding");
	assert_string_equal(m.items[0].value, "windows-1252"); /* spaces removed */
	assert_int_equal(m.items[0].line, 3);
	assert_string_equal(m.items[1].value, "Date of Service");
	assert_int_equal(m.items[1].line, 6);
	assert_string_equal(m.items[2].key, "No Show");
	assert_string_equal(m.items[2].group, "values attended");
	assert_int_equal(m.items[2].line, 8);
	assert_string_equal(m.items[3].key, "Show");
	assert_int_equal(m.items[3].line, 9);
	assert_string_equal(m.items[4].value, "Y"); /* "\sY" is " Y", trimmed */
	assert_non_null(colmap_group(&m, "columns"));
	assert_null(colmap_group(&m, "Columns"));
	arena_release(&a);
}

static void test_refusals_name_the_line(void **state)
{
	static const struct { const char *text; size_t line; const char *says; } cases[] = {
		{ "[columns]\ndate = A\ndate = B\n", 3, "given twice in [columns] (first on line 2)" },
		{ "[columns]\ndate = A\n[file]\n[columns]\n", 4, "group [columns] is given twice" },
		{ "date = A\n", 1, "starts with a group" },
		{ "[columns]\nthis line has no equals sign\n", 2, "not a key-value pair" },
		{ "[columns]\n= x\n", 2, "not a key-value pair" },
		{ "[values attended]\nShow[x] = Y\n", 2, "may not hold '['" },
		{ "[columns]\ndate = Caf\xe9\n", 2, "not UTF-8" },
	};
	struct arena a;
	struct colmap m;
	struct gr_err err;

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		arena_init(&a);
		assert_int_equal(parse(cases[i].text, &m, &a, &err), -1);
		if (err.line != cases[i].line || !strstr(err.msg, cases[i].says))
			fail_msg("case %zu: line %zu '%s', want line %zu '%s'", i, err.line,
				 err.msg, cases[i].line, cases[i].says);
		assert_string_equal(err.file, "map.ini");
		arena_release(&a);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_groups_keys_lines),
		cmocka_unit_test(test_refusals_name_the_line),
	};
	return cmocka_run_group_tests_name("colmap", tests, NULL, NULL);
}
