/* test_sizes.c — adjudicated lines binned by group size (sizes.h) on the
 * small practice of small.h.  A line counts when it is attended, in
 * scope and paid or denied; its size is its session's attended count;
 * the model's lines are those no session rule (size, minutes, modality)
 * predicts denied.  By hand from small.h:
 *
 *   size 3: S1 lines 2 (paid, 2814), 3 (denied, 2814); S2 lines 6 (paid,
 *           2111), 7 (denied, 2431, min_minutes: a session rule), 8
 *           (denied, unknown payer): all 5, 3 denied; the model's 4, 2
 *           denied (line 7 is left to its rule); 2 sessions.  Line 4 is
 *           pending and line 5 absent: not counted.
 *   size 2: S3 lines 9 (paid, 2814), 10 (paid, 4188): 2, 0 denied, 1
 *           session.  S4 and S5 have no paid or denied line.
 *
 * The payer mix, from the priced adjudicated lines of a known payer
 * (2, 3, 6, 7, 9, 10): MCR 4 of 6 at (2814 + 2814 + 2111 + 2814) / 4 =
 * 2638.25, MCD 1 of 6 at 2431, COM 1 of 6 at 4188.
 */
#include <stdlib.h>
#include <unistd.h>

#include "small.h"
#include "analysis/sizes.h"

static void assert_bin(const struct size_bin *b, uint32_t size, uint64_t sessions,
		       uint64_t all_n, uint64_t all_d, uint64_t n, uint64_t d)
{
	assert_int_equal(b->size, size);
	assert_int_equal(b->sessions, sessions);
	assert_int_equal(b->all_n, all_n);
	assert_int_equal(b->all_d, all_d);
	assert_int_equal(b->n, n);
	assert_int_equal(b->d, d);
}

static void assert_mix(const struct payer_mix *m)
{
	static const struct { const char *id; double share, rate; } want[3] = {
		{ "MCR", 4.0 / 6, 2638.25 }, { "MCD", 1.0 / 6, 2431 }, { "COM", 1.0 / 6, 4188 },
	};
	assert_int_equal(m->lines, 6);
	assert_int_equal(m->n, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(m->s[i].payer->id, want[i].id);
		assert_close(m->s[i].share, want[i].share, 1e-15);
		assert_close(m->s[i].rate, want[i].rate, 1e-12);
	}
}

static void test_collect(void **state)
{
	struct small w;
	struct size_bin *bins;
	struct payer_mix mix;
	size_t n;
	struct gr_err err;
	struct scope all = { true, 0 };

	(void)state;
	small_load(&w);
	assert_int_equal(sizes_collect(&w.l, &all, &bins, &n, &mix, &w.a, &err), 0);
	assert_int_equal(n, 2);
	assert_bin(&bins[0], 2, 1, 2, 0, 2, 0);
	assert_bin(&bins[1], 3, 2, 5, 3, 4, 2);
	assert_mix(&mix);

	/* 2025Q1 holds S1 and S2 only (mix: lines 2, 3, 6 MCR, 7 MCD);
	 * 2026Q1 (S5) nothing adjudicated, no mix. */
	struct scope q1 = small_quarter("2025-03-31");
	assert_int_equal(sizes_collect(&w.l, &q1, &bins, &n, &mix, &w.a, &err), 0);
	assert_int_equal(n, 1);
	assert_bin(&bins[0], 3, 2, 5, 3, 4, 2);
	assert_int_equal(mix.lines, 4);
	struct scope q26 = small_quarter("2026-01-05");
	assert_int_equal(sizes_collect(&w.l, &q26, &bins, &n, &mix, &w.a, &err), 0);
	assert_int_equal(n, 0);
	assert_int_equal(mix.lines, 0);
	small_free(&w);
}

/* sizes_analyse bins the same lines and writes sizes.csv: rate d / n and
 * the 95% Wilson interval, here computed apart from grouprev (Python,
 * z = 1.959963984540054, 12 significant digits): 0/2 -> [0,
 * 0.657619772493]; 3/5 -> [0.230724281276, 0.882379225767]; the model's
 * 2/4 -> [0.150038989152, 0.849961010848].  None denied at 2 and a mixed
 * 3: quasi-complete separation, so no fitted columns.  The optimum, from
 * the observed rates: at 2 MCD (3 or more) does not pay, 2 x (4/6 x
 * 2638.25 + 1/6 x 4188) x (1 - 0) = 4913.67 cents; at 3 all pay,
 * 3 x (1758.83 + 405.17 + 698) x (1 - 0.5) = 4293.00; neither size has 5
 * sessions, so none is called best. */
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
	assert_bin(&an.bins[0], 2, 1, 2, 0, 2, 0);
	assert_bin(&an.bins[1], 3, 2, 5, 3, 4, 2);
	assert_mix(&an.mix);
	assert_int_equal(an.fit.status, FIT_SEPARATION);
	assert_int_equal(an.opt.nrows, 2);
	assert_close(an.opt.rows[0].per_session, 2 * (4.0 / 6 * 2638.25 + 4188.0 / 6), 1e-9);
	assert_close(an.opt.rows[0].paying_share, 5.0 / 6, 1e-15);
	assert_close(an.opt.rows[1].per_session, 3 * 2862.0 * 0.5, 1e-9);
	assert_int_equal(an.opt.best_size, 0);
	assert_non_null(strstr(an.summary, "No group size has enough data"));

	snprintf(path, sizeof path, "%s/sizes.csv", dir);
	FILE *f = fopen(path, "r");
	char got[512] = "";
	assert_non_null(f);
	size_t len = fread(got, 1, sizeof got - 1, f);
	got[len] = '\0';
	fclose(f);
	assert_string_equal(got, "size,sessions,adjudicated,denied,rate,wilson_lo,wilson_hi,"
				 "model_lines,model_denied,model_rate,model_wilson_lo,"
				 "model_wilson_hi,fitted,fitted_lo,fitted_hi,pearson_residual\n"
				 "2,1,2,0,0,0,0.657619772493,2,0,0,0,0.657619772493,,,,\n"
				 "3,2,5,3,0.6,0.230724281276,0.882379225767,4,2,0.5,"
				 "0.150038989152,0.849961010848,,,,\n");
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
