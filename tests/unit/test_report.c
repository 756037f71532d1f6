/* test_report.c — the report's table machinery (render/report_int.h):
 * cells built row by row, and tables that continue on the next page.
 * Every expected value is worked out by hand from the inputs below. */
#include <cairo.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "render/chart.h"
#include "render/report_int.h"

static void test_cells(void **state)
{
	(void)state;
	struct cells c;

	cells_init(&c, 3);
	cells_row(&c);
	cells_set(&c, 0, "%s-%d", "a", 1);
	cells_cents(&c, 1, 123456);   /* $1,234.56 */
	cells_rate(&c, 2, 1, 8);      /* 12.5% */
	cells_row(&c);
	cells_cents(&c, 1, -5);       /* -$0.05 */
	cells_rate(&c, 2, 3, 0);      /* nothing adjudicated: a dash */
	cells_set(&c, 2, "%s", "again"); /* a cell set twice keeps the last */
	const char *const *p = cells_ptrs(&c);
	assert_non_null(p);
	assert_int_equal(c.nrows, 2);
	assert_string_equal(p[0], "a-1");
	assert_string_equal(p[1], "$1,234.56");
	assert_string_equal(p[2], "12.5%");
	assert_string_equal(p[3], ""); /* never set: empty, not NULL */
	assert_string_equal(p[4], "-$0.05");
	assert_string_equal(p[5], "again");
	cells_free(&c);

	/* No rows: a table of none, not an error. */
	cells_init(&c, 2);
	assert_non_null(cells_ptrs(&c));
	assert_int_equal(c.nrows, 0);
	cells_free(&c);

	/* 10,000 rows: the array grows, every cell stays. */
	cells_init(&c, 2);
	for (int i = 0; i < 10000; i++) {
		cells_row(&c);
		cells_set(&c, 0, "%d", i);
		cells_set(&c, 1, "%d", 2 * i);
	}
	p = cells_ptrs(&c);
	assert_non_null(p);
	assert_string_equal(p[2 * 9999], "9999");
	assert_string_equal(p[2 * 9999 + 1], "19998");
	cells_free(&c);
}

/* A table of N rows drawn in parts of at most MAX_H points: every row is
 * drawn exactly once, in order, each part holds at least one row, and no
 * part but the last is the whole rest. */
static void parts(cairo_t *cr, const struct chart_theme *t, size_t n, double max_h)
{
	static const char *const hdr[] = { "name", "amount" };
	static const bool num[] = { false, true };
	struct cells c;

	cells_init(&c, 2);
	for (size_t i = 0; i < n; i++) {
		cells_row(&c);
		cells_set(&c, 0, "row %zu", i);
		cells_cents(&c, 1, (int64_t)i * 100);
	}
	const char *const *p = cells_ptrs(&c);
	assert_non_null(p);
	struct chart_table tb = { hdr, 2, p, n, num, true };
	size_t first = 0, next, nparts = 0;
	while (first < n) {
		double h = chart_table_part(cr, t, 0, 0, 400, &tb, first, max_h, &next);
		assert_true(next > first); /* at least one row */
		assert_true(next <= n);
		/* A part fits its height, unless it is a single row taller
		 * than the room. */
		assert_true(h <= max_h + 1e-9 || next == first + 1);
		first = next;
		nparts++;
	}
	assert_int_equal(first, n);
	if (max_h > 1e6)
		assert_int_equal(nparts, 1);
	cells_free(&c);
}

static void test_table_parts(void **state)
{
	(void)state;
	struct chart_theme t;
	chart_theme_defaults(&t);
	cairo_surface_t *s = cairo_recording_surface_create(CAIRO_CONTENT_COLOR_ALPHA, NULL);
	cairo_t *cr = cairo_create(s);

	/* Rows are about 12-13 points at the default small size: 100 rows in
	 * parts of 200 points take at least 100 * 12 / 200 = 6 parts. */
	parts(cr, &t, 100, 200);
	parts(cr, &t, 100, 1e9); /* one part: the whole table */
	parts(cr, &t, 5, 1);     /* no room at all: one row a part */
	parts(cr, &t, 1, 200);

	/* Counted: 100 rows, 200 points a part. */
	static const char *const hdr[] = { "name" };
	static const bool num[] = { false };
	const char *cells[100];
	for (int i = 0; i < 100; i++)
		cells[i] = "x";
	struct chart_table tb = { hdr, 1, cells, 100, num, false };
	size_t first = 0, next, nparts = 0;
	while (first < 100) {
		chart_table_part(cr, &t, 0, 0, 400, &tb, first, 200, &next);
		first = next;
		nparts++;
	}
	assert_true(nparts >= 6);
	cairo_destroy(cr);
	cairo_surface_destroy(s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cells),
		cmocka_unit_test(test_table_parts),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
