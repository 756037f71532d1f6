/* test_sizes.c — adjudicated lines binned by group size (sizes.h) on the
 * small practice of small.h.  A line counts when it is attended, in
 * scope and paid or denied; its size is its session's attended count;
 * the rate sum adds the price of its priced lines.  By hand from small.h:
 *
 *   size 3: S1 lines 2 (paid, 2814), 3 (denied, 2814); S2 lines 6 (paid,
 *           2111), 7 (denied, 2431), 8 (denied, unpriced): n 5, d 3,
 *           priced 4, 2814 + 2814 + 2111 + 2431 = 10170, 2 sessions.
 *           Line 4 is pending and line 5 absent: not counted.
 *   size 2: S3 lines 9 (paid, 2814), 10 (paid, 4188): n 2, d 0, priced
 *           2, 7002, 1 session.  S4 and S5 have no paid or denied line.
 */
#include <stdlib.h>
#include <unistd.h>

#include "small.h"
#include "analysis/sizes.h"

static void assert_bin(const struct size_bin *b, uint32_t size, uint64_t sessions,
		       uint64_t n, uint64_t d, uint64_t priced, int64_t sum)
{
	assert_int_equal(b->size, size);
	assert_int_equal(b->sessions, sessions);
	assert_int_equal(b->n, n);
	assert_int_equal(b->d, d);
	assert_int_equal(b->priced, priced);
	assert_int_equal(b->rate_cents_sum, sum);
}

static void test_collect(void **state)
{
	struct small w;
	struct size_bin *bins;
	size_t n;
	struct gr_err err;
	struct scope all = { true, 0 };

	(void)state;
	small_load(&w);
	assert_int_equal(sizes_collect(&w.l, &all, &bins, &n, &w.a, &err), 0);
	assert_int_equal(n, 2);
	assert_bin(&bins[0], 2, 1, 2, 0, 2, 7002);
	assert_bin(&bins[1], 3, 2, 5, 3, 4, 10170);

	/* 2025Q1 holds S1 and S2 only; 2026Q1 (S5) nothing adjudicated. */
	struct scope q1 = small_quarter("2025-03-31");
	assert_int_equal(sizes_collect(&w.l, &q1, &bins, &n, &w.a, &err), 0);
	assert_int_equal(n, 1);
	assert_bin(&bins[0], 3, 2, 5, 3, 4, 10170);
	struct scope q26 = small_quarter("2026-01-05");
	assert_int_equal(sizes_collect(&w.l, &q26, &bins, &n, &w.a, &err), 0);
	assert_int_equal(n, 0);
	small_free(&w);
}

/* sizes_analyse bins the same lines and writes sizes.csv: rate d / n and
 * the 95% Wilson interval, here computed apart from grouprev (Python,
 * z = 1.959963984540054): 0/2 -> [0, 0.657620]; 3/5 -> [0.230724,
 * 0.882379]. */
static void test_analyse(void **state)
{
	struct small w;
	struct size_analysis an;
	struct gr_err err;
	struct scope all = { true, 0 };
	char dir[] = "/tmp/gr-sizes-XXXXXX", path[600];

	(void)state;
	assert_non_null(mkdtemp(dir));
	small_load(&w);
	assert_int_equal(sizes_analyse(&w.l, &all, 0, dir, &an, &w.a, &err), 0);
	assert_int_equal(an.nbins, 2);
	assert_bin(&an.bins[0], 2, 1, 2, 0, 2, 7002);
	assert_bin(&an.bins[1], 3, 2, 5, 3, 4, 10170);
	assert_true(an.summary[0] != '\0');

	snprintf(path, sizeof path, "%s/sizes.csv", dir);
	FILE *f = fopen(path, "r");
	char got[512] = "";
	assert_non_null(f);
	size_t len = fread(got, 1, sizeof got - 1, f);
	got[len] = '\0';
	fclose(f);
	assert_string_equal(got, "size,sessions,adjudicated,denied,rate,wilson_lo,wilson_hi\n"
				 "2,1,2,0,0.000000,0.000000,0.657620\n"
				 "3,2,5,3,0.600000,0.230724,0.882379\n");
	static const char *const files[] = { "sizes.csv", "model.csv", "optimal.csv" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(path, sizeof path, "%s/%s", dir, files[i]);
		assert_int_equal(unlink(path), 0); /* each was written */
	}
	assert_int_equal(rmdir(dir), 0);
	small_free(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_collect),
		cmocka_unit_test(test_analyse),
	};
	return cmocka_run_group_tests_name("sizes", tests, NULL, NULL);
}
