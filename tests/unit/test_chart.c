/* test_chart.c — nice ticks, number formatting and the theme file. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "render/chart.h"

/* The postconditions written in chart.h, over many ranges. */
static void check_ticks(double lo, double hi, int target)
{
	struct chart_ticks t;

	chart_nice_ticks(lo, hi, target, &t);
	double a = fmin(lo, hi), b = fmax(lo, hi);
	assert_true(t.first <= a + 1e-9 * fmax(1, fabs(a)));
	assert_true(t.last >= b - 1e-9 * fmax(1, fabs(b)));
	double m = t.step / pow(10, floor(log10(t.step) + 1e-12));
	assert_true(fabs(m - 1) < 1e-9 || fabs(m - 2) < 1e-9 || fabs(m - 5) < 1e-9 ||
		    fabs(m - 10) < 1e-9);
	assert_true(t.count >= 2 && t.count <= target + 3);
	/* last = first + (count - 1) * step, up to the rounding of doubles
	 * at the values' magnitude (3e6 with a step of 2e-4 is 1e10 steps
	 * from zero, where a ratio of steps is only good to ~1e-6). */
	assert_true(fabs(t.first + (t.count - 1) * t.step - t.last) <=
		    1e-9 * fmax(1, fmax(fabs(t.first), fabs(t.last))));
}

static void test_ticks_postconditions(void **state)
{
	(void)state;
	const double los[] = { 0, 0, -7.5, 0.001, 12345, -1e6, 3.2, 0 };
	const double his[] = { 1, 37.2, 12.1, 0.0042, 98765, 1e6, 3.2, 0 };
	for (size_t i = 0; i < sizeof los / sizeof los[0]; i++)
		for (int target = 2; target <= 10; target++)
			check_ticks(los[i], his[i], target);
	srand(7);
	for (int i = 0; i < 2000; i++) {
		double a = (rand() / (double)RAND_MAX - 0.5) * pow(10, rand() % 12 - 4);
		double b = a + rand() / (double)RAND_MAX * pow(10, rand() % 10 - 3);
		check_ticks(a, b, 3 + rand() % 6);
	}
}

/* Worked by hand: 0..37.2 with 5 ticks: rough step 7.44, magnitude 1,
 * 7.44 > 5 so step 10; ticks 0, 10, 20, 30, 40.  0..0.0042 with 4:
 * rough 0.00105 -> 0.002 (1.05 > 1); 0 .. 0.0060 in 4 steps, 3 decimals. */
static void test_ticks_exact(void **state)
{
	struct chart_ticks t;

	(void)state;
	chart_nice_ticks(0, 37.2, 5, &t);
	assert_close(t.first, 0, 1e-12);
	assert_close(t.step, 10, 1e-12);
	assert_close(t.last, 40, 1e-12);
	assert_int_equal(t.count, 5);
	assert_int_equal(t.decimals, 0);
	chart_nice_ticks(0, 0.0042, 4, &t);
	assert_close(t.step, 0.002, 1e-12);
	assert_close(t.last, 0.006, 1e-12);
	assert_int_equal(t.count, 4);
	assert_int_equal(t.decimals, 3);
	/* One value: a range around it, containing it. */
	chart_nice_ticks(5, 5, 4, &t);
	assert_true(t.first <= 5 && t.last >= 5 && t.last > t.first);
}

static void test_format(void **state)
{
	char b[64];

	(void)state;
	chart_format(1500, FMT_DOLLARS, 0, b, sizeof b);
	assert_string_equal(b, "$1,500");
	chart_format(1234567.891, FMT_DOLLARS, 2, b, sizeof b);
	assert_string_equal(b, "$1,234,567.89");
	chart_format(-2500, FMT_DOLLARS, 0, b, sizeof b);
	assert_string_equal(b, "-$2,500");
	chart_format(0.125, FMT_PERCENT, 3, b, sizeof b);
	assert_string_equal(b, "12.5%");
	chart_format(0.2, FMT_PERCENT, 1, b, sizeof b);
	assert_string_equal(b, "20%");
	chart_format(-0.0001, FMT_DOLLARS, 0, b, sizeof b);
	assert_string_equal(b, "$0"); /* no "-$0" */
	chart_format(999, FMT_NUMBER, 0, b, sizeof b);
	assert_string_equal(b, "999");
}

static void test_theme(void **state)
{
	struct chart_theme t;
	struct gr_err err;
	char path[] = "/tmp/grouprev-theme-XXXXXX";
	int fd = mkstemp(path);
	FILE *f = fdopen(fd, "w");

	(void)state;
	fputs("# a comment\nfont = DejaVu Serif  # trailing comment\n"
	      "palette2 = #112233\ntitle_size = 14\n", f);
	fclose(f);
	chart_theme_defaults(&t);
	assert_string_equal(t.font, "DejaVu Sans");
	assert_int_equal(chart_theme_load(&t, path, &err), 0);
	assert_string_equal(t.font, "DejaVu Serif");
	assert_close(t.palette[1].r, 0x11 / 255.0, 1e-12);
	assert_close(t.palette[1].b, 0x33 / 255.0, 1e-12);
	assert_close(t.title_size, 14, 1e-12);
	f = fopen(path, "w");
	fputs("font = x\nnosuchkey = 1\n", f);
	fclose(f);
	assert_int_equal(chart_theme_load(&t, path, &err), -1);
	assert_int_equal(err.line, 2);
	assert_non_null(strstr(err.msg, "nosuchkey"));
	unlink(path);
	/* A missing file keeps the defaults. */
	assert_int_equal(chart_theme_load(&t, "/nonexistent/theme.conf", &err), 0);
	/* The shipped theme parses. */
	chart_theme_defaults(&t);
	assert_int_equal(chart_theme_load(&t, "charts/theme.conf", &err), 0);
	assert_close(t.palette[0].b, 0xB2 / 255.0, 1e-12);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ticks_postconditions),
		cmocka_unit_test(test_ticks_exact),
		cmocka_unit_test(test_format),
		cmocka_unit_test(test_theme),
	};
	return cmocka_run_group_tests_name("chart", tests, NULL, NULL);
}
