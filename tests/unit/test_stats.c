/* test_stats.c — the statistics against R (tests/stats/reference.R and its
 * output reference.out: glm binomial, prop.trend.test) and Newcombe (1998). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include "testutil.h"
#include "analysis/stats.h"

static void bins_of(struct size_bin *b, size_t k, const uint32_t *size,
		    const uint64_t *n, const uint64_t *d)
{
	memset(b, 0, k * sizeof *b);
	for (size_t i = 0; i < k; i++) {
		b[i].size = size[i];
		b[i].n = n[i];
		b[i].d = d[i];
		b[i].sessions = 1;
	}
}

static const uint32_t T_SIZE[10] = { 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
static const uint64_t T_N[10] = { 20, 35, 50, 60, 70, 65, 55, 40, 30, 15 };
static const uint64_t T_D[10] = { 1, 2, 3, 5, 7, 8, 9, 8, 7, 5 };

/* reference.out, lines "trend ...". */
static void test_trend_fit(void **state)
{
	struct size_bin b[10];
	struct logit_fit f;
	double chi2, p;

	(void)state;
	bins_of(b, 10, T_SIZE, T_N, T_D);
	stats_logit(b, 10, &f);
	assert_int_equal(f.status, FIT_OK);
	assert_close(f.b0, -3.970947526406, 1e-6);
	assert_close(f.b1, 0.258495775468, 1e-6);
	assert_close(f.se0, 0.572488951116, 1e-6);
	assert_close(f.se1, 0.066571660760, 1e-6);
	assert_close(f.z1, 3.882970208595, 1e-6);
	assert_close(f.p1, 0.000103188214834, 1e-6);
	assert_close(f.deviance, 0.263031840112, 1e-6);
	assert_close(f.null_deviance, 16.419147949942, 1e-6);
	assert_close(f.odds_ratio, 1.294980679154, 1e-6);
	assert_close(f.or_lo, 1.136573140307, 1e-6);
	assert_close(f.or_hi, 1.475465942235, 1e-6);
	assert_true(f.iterations < STATS_MAX_ITER);
	assert_int_equal(stats_trend(b, 10, &chi2, &p), 0);
	assert_close(chi2, 15.892445111472, 1e-6);
	assert_close(p, 6.70458151767e-05, 1e-6);
	/* The same bins in another order give the same fit. */
	struct size_bin r[10];
	for (int i = 0; i < 10; i++)
		r[i] = b[9 - i];
	struct logit_fit g;
	stats_logit(r, 10, &g);
	assert_close(g.b1, f.b1, 1e-12);
}

/* reference.out, lines "flat ...": equal rates, slope 0. */
static void test_flat_fit(void **state)
{
	static const uint32_t s[3] = { 4, 6, 8 };
	static const uint64_t n[3] = { 50, 50, 50 }, d[3] = { 5, 5, 5 };
	struct size_bin b[3];
	struct logit_fit f;
	double chi2, p;

	(void)state;
	bins_of(b, 3, s, n, d);
	stats_logit(b, 3, &f);
	assert_int_equal(f.status, FIT_OK);
	assert_close(f.b0, -2.197224577336, 1e-6);
	assert_true(fabs(f.b1) < 1e-9);
	assert_close(f.se0, 1.036375450343, 1e-6);
	assert_close(f.se1, 0.166666666667, 1e-6);
	assert_close(f.p1, 1.0, 1e-6);
	assert_close(f.or_lo, 0.721328474155, 1e-6);
	assert_close(f.or_hi, 1.386330965474, 1e-6);
	assert_int_equal(stats_trend(b, 3, &chi2, &p), 0);
	assert_true(chi2 < 1e-12);
	assert_close(p, 1.0, 1e-9);
}

/* reference.out, "wilson" lines; the first four are Newcombe (1998),
 * Stat Med 17:857, Table I, method 3: 81/263 0.2553-0.3662, 15/148
 * 0.0624-0.1605, 0/20 0-0.1611, 1/29 0.0061-0.1718. */
static void test_wilson(void **state)
{
	static const struct { uint64_t d, n; double lo, hi; } c[] = {
		{ 81, 263, 0.255288519878, 0.366209576983 },
		{ 15, 148, 0.062386399531, 0.160487241723 },
		{ 0, 20, 0.0, 0.161125158053 },
		{ 1, 29, 0.006113214293, 0.171755218793 },
		{ 0, 10, 0.0, 0.277532799863 },
		{ 10, 10, 0.722467200137, 1.0 },
		{ 3, 7, 0.158219855251, 0.749541635472 },
	};
	double lo, hi;

	(void)state;
	for (size_t i = 0; i < sizeof c / sizeof c[0]; i++) {
		assert_int_equal(stats_wilson(c[i].d, c[i].n, &lo, &hi), 0);
		assert_close(lo, c[i].lo, 1e-9);
		assert_close(hi, c[i].hi, 1e-9);
	}
	/* Exact bounds at the ends, never -1e-17 or 1.0000000001. */
	assert_true(stats_wilson(0, 7, &lo, &hi) == 0 && lo == 0.0);
	assert_true(stats_wilson(7, 7, &lo, &hi) == 0 && hi == 1.0);
	assert_int_equal(stats_wilson(0, 0, &lo, &hi), -1);
	assert_true(isnan(lo) && isnan(hi));
}

static enum fit_status status_of(const uint32_t *s, const uint64_t *n,
				 const uint64_t *d, size_t k)
{
	struct size_bin b[8];
	struct logit_fit f;

	bins_of(b, k, s, n, d);
	stats_logit(b, k, &f);
	if (f.status != FIT_OK)
		assert_true(f.note[0] != '\0');
	return f.status;
}

/* Each degenerate case is named, with a note, and no coefficient. */
static void test_degenerate(void **state)
{
	static const uint32_t s4[4] = { 4, 5, 6, 7 };
	static const uint64_t ten[4] = { 10, 10, 10, 10 };
	static const uint64_t none[4] = { 0, 0, 0, 0 }, all[4] = { 10, 10, 10, 10 };
	static const uint64_t complete[4] = { 0, 0, 10, 10 };
	static const uint64_t reverse[4] = { 10, 10, 0, 0 };
	static const uint64_t quasi[3] = { 0, 3, 10 };
	static const uint64_t mixed[4] = { 0, 2, 3, 10 };
	double chi2, p;
	struct size_bin b[4];

	(void)state;
	assert_int_equal(status_of(s4, ten, none, 0), FIT_NO_DATA);
	assert_int_equal(status_of(s4, ten, mixed, 1), FIT_ONE_SIZE);
	assert_int_equal(status_of(s4, ten, none, 4), FIT_NO_DENIALS);
	assert_int_equal(status_of(s4, ten, all, 4), FIT_ALL_DENIED);
	assert_int_equal(status_of(s4, ten, complete, 4), FIT_SEPARATION);
	assert_int_equal(status_of(s4, ten, reverse, 4), FIT_SEPARATION);
	/* Quasi-complete: none denied at 4, mixed at 5, all at 6 (R's glm
	 * warns "fitted probabilities numerically 0 or 1 occurred"). */
	assert_int_equal(status_of(s4, ten, quasi, 3), FIT_SEPARATION);
	/* Denials on both sides of every cut: a finite fit exists. */
	assert_int_equal(status_of(s4, ten, mixed, 4), FIT_OK);
	bins_of(b, 4, s4, ten, none);
	assert_int_equal(stats_trend(b, 4, &chi2, &p), -1);
	struct logit_fit f;
	stats_logit(b, 4, &f);
	assert_true(isnan(f.b0) && isnan(f.b1));
}

/* Revenue per session by size, worked by hand: no denials, so the
 * observed p = 0 is used; mean rate 30.00 at size 4 and 28.00 at size 6;
 * per session 4 x 30 = 120.00 and 6 x 28 = 168.00; cost 150.00 makes
 * size 4 lose 30.00 and size 6 earn 18.00: break-even 6, best 6. */
static void test_optimal(void **state)
{
	struct size_bin b[2];
	struct logit_fit f;
	struct optimal_row rows[2];
	struct optimal o;

	(void)state;
	memset(b, 0, sizeof b);
	b[0] = (struct size_bin){ 6, 1, 6, 0, 6 * 2800, 6 };
	b[1] = (struct size_bin){ 4, 1, 4, 0, 4 * 3000, 4 };
	stats_logit(b, 2, &f);
	assert_int_equal(f.status, FIT_NO_DENIALS);
	stats_optimal(b, 2, &f, 15000, rows, &o);
	assert_int_equal(o.nrows, 2);
	assert_false(o.fitted);
	assert_int_equal(rows[0].size, 4);
	assert_close(rows[0].per_session, 12000.0, 1e-12);
	assert_close(rows[1].per_session, 16800.0, 1e-12);
	assert_close(rows[0].net, -3000.0, 1e-12);
	assert_int_equal(o.best_size, 6);
	assert_int_equal(o.break_even_size, 6);
}

/* With a usable fit the fitted probability is used: the trend data's
 * p at size 10 = 1 / (1 + exp(3.970947526406 - 2.58495775468)). */
static void test_optimal_fitted(void **state)
{
	struct size_bin b[10];
	struct logit_fit f;
	struct optimal_row rows[10];
	struct optimal o;

	(void)state;
	bins_of(b, 10, T_SIZE, T_N, T_D);
	for (int i = 0; i < 10; i++) {
		b[i].priced = b[i].n;
		b[i].rate_cents_sum = (int64_t)b[i].n * 3000;
	}
	stats_logit(b, 10, &f);
	stats_optimal(b, 10, &f, 0, rows, &o);
	assert_true(o.fitted);
	assert_close(rows[7].p_denied, 1.0 / (1.0 + exp(3.970947526406 - 2.58495775468)), 1e-6);
	assert_close(rows[7].per_session, 3000.0 * 10 * (1.0 - rows[7].p_denied), 1e-9);
	assert_int_equal(o.break_even_size, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trend_fit),
		cmocka_unit_test(test_flat_fit),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_optimal),
		cmocka_unit_test(test_optimal_fitted),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
