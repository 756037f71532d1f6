/* test_stats.c — the statistics against R (tests/stats/reference.R and its
 * output reference.out: glm binomial, prop.trend.test), the demo practice
 * against R (tests/stats/demo.R, demo.out) and Newcombe (1998). */
#include <math.h>
#include <stdint.h>
#include <string.h>

#include <gsl/gsl_errno.h>

#include "testutil.h"
#include "analysis/glm.h"
#include "analysis/stats.h"

static void bins_of(struct size_bin *b, size_t k, const uint32_t *size,
		    const uint64_t *n, const uint64_t *d)
{
	memset(b, 0, k * sizeof *b);
	for (size_t i = 0; i < k; i++) {
		b[i].size = size[i];
		b[i].n = n[i];
		b[i].d = d[i];
		b[i].all_n = n[i];
		b[i].all_d = d[i];
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
	assert_true(f.iterations < GLM_MAX_ITER);
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

static struct payer payer_of(const char *id, uint32_t min, uint32_t max)
{
	struct payer p;
	memset(&p, 0, sizeof p);
	p.id = id;
	p.min_group = min;
	p.max_group = max;
	return p;
}

/* Revenue per session by size, worked by hand: no denials, so the
 * observed p = 0 is used.  Two payers, half the lines each: A pays 30.00
 * for groups of 2-12, B 26.00 for 2-4.  At 4 both pay: 4 x 28.00 =
 * 112.00; at 6 only A: 6 x 15.00 = 90.00.  Cost 100.00: size 4 covers
 * it (+12.00), size 6 does not (-10.00).  Best 4; at 4 nobody is capped
 * out, so the cap costs nothing. */
static void test_optimal(void **state)
{
	struct size_bin b[2];
	struct logit_fit f;
	struct optimal_row rows[2];
	struct optimal o;
	struct payer A = payer_of("A", 2, 12), B = payer_of("B", 2, 4);
	struct mix_share ms[2] = { { &A, 0.5, 3000 }, { &B, 0.5, 2600 } };
	struct payer_mix mix = { ms, 2, 100 };

	(void)state;
	memset(b, 0, sizeof b);
	b[0] = (struct size_bin){ 6, 10, 60, 0, 60, 0 };
	b[1] = (struct size_bin){ 4, 10, 40, 0, 40, 0 };
	stats_logit(b, 2, &f);
	assert_int_equal(f.status, FIT_NO_DENIALS);
	stats_optimal(b, 2, &f, &mix, 10000, rows, &o);
	assert_int_equal(o.nrows, 2);
	assert_int_equal(o.basis, BASIS_NO_MODEL);
	assert_int_equal(rows[0].size, 4);
	assert_close(rows[0].per_session, 11200.0, 1e-9);
	assert_close(rows[1].per_session, 9000.0, 1e-9);
	assert_close(rows[1].paying_share, 0.5, 1e-12);
	assert_close(rows[0].net, 1200.0, 1e-9);
	assert_close(rows[1].net, -1000.0, 1e-9);
	assert_int_equal(o.best_size, 4);
	assert_close(o.cap_cost, 0.0, 0);
	/* 0 of 40 denied: Wilson upper bound 0.0881 (1.96^2/(40+1.96^2)), so
	 * size 4's range is 4 x 28 x (1 - 0.0881) and up = 102.13-112.00,
	 * which does not reach down to 6's top of 90.00: no tie. */
	assert_int_equal(o.ntied, 0);
	assert_close(rows[0].lo, 11200.0 * (1 - 3.841459 / (40 + 3.841459)), 1e-2);
}

/* Not enough data: 4 sessions or 29 lines are below the minimum, and no
 * size is called best. */
static void test_optimal_minimum(void **state)
{
	struct size_bin b[2];
	struct logit_fit f;
	struct optimal_row rows[2];
	struct optimal o;
	struct payer A = payer_of("A", 2, 12);
	struct mix_share ms[1] = { { &A, 1.0, 3000 } };
	struct payer_mix mix = { ms, 1, 100 };

	(void)state;
	b[0] = (struct size_bin){ 6, STATS_MIN_SESSIONS - 1, 100, 10, 100, 10 };
	b[1] = (struct size_bin){ 8, 50, STATS_MIN_LINES - 1, 3, STATS_MIN_LINES - 1, 3 };
	stats_logit(b, 2, &f);
	stats_optimal(b, 2, &f, &mix, 0, rows, &o);
	assert_false(rows[0].enough || rows[1].enough);
	assert_int_equal(o.best_size, 0);
	char text[2048];
	stats_summary(b, 2, &f, 0, 0, false, &mix, &o, text, sizeof text);
	assert_non_null(strstr(text, "No group size has enough data"));
}

/* With a usable fit the fitted probability is used: the trend data's
 * p at size 10 = 1 / (1 + exp(3.970947526406 - 2.58495775468)); its lack
 * of fit is not rejected (deviance 0.263 on 8 df, reference.out). */
static void test_optimal_fitted(void **state)
{
	struct size_bin b[10];
	struct logit_fit f;
	struct optimal_row rows[10];
	struct optimal o;
	struct payer A = payer_of("A", 2, 0);
	struct mix_share ms[1] = { { &A, 1.0, 3000 } };
	struct payer_mix mix = { ms, 1, 100 };

	(void)state;
	bins_of(b, 10, T_SIZE, T_N, T_D);
	for (int i = 0; i < 10; i++)
		b[i].sessions = 10;
	stats_logit(b, 10, &f);
	assert_false(f.lof_rejected);
	assert_int_equal(f.lof_df, 8);
	stats_optimal(b, 10, &f, &mix, 0, rows, &o);
	assert_int_equal(o.basis, BASIS_FITTED);
	assert_close(rows[7].p_denied, 1.0 / (1.0 + exp(3.970947526406 - 2.58495775468)), 1e-6);
	assert_close(rows[7].per_session, 3000.0 * 10 * (1.0 - rows[7].p_denied), 1e-9);
}

/* Degenerate data still gives advice from the observed rates, with the
 * reason in words, and nothing that reads as a model: no denials (every
 * rate 0, Wilson upper bounds only), one size, separation (none denied
 * at 4 and 5, all at 6 and 7), and a rule-only history (every line of a
 * size broke a session rule, so the model has no line there). */
static void test_degenerate_advice(void **state)
{
	static const uint32_t s4[4] = { 4, 5, 6, 7 };
	static const uint64_t n[4] = { 40, 40, 40, 40 }, none[4] = { 0, 0, 0, 0 };
	static const uint64_t sep[4] = { 0, 0, 40, 40 };
	struct payer A = payer_of("A", 2, 6);
	struct mix_share ms[1] = { { &A, 1.0, 3000 } };
	struct payer_mix mix = { ms, 1, 160 };
	const uint64_t *ds[3] = { none, sep, none };
	const size_t ks[3] = { 4, 4, 1 };
	const char *why[3] = { "No line has been denied", "separation",
			       "same size" };

	(void)state;
	for (int c = 0; c < 3; c++) {
		struct size_bin b[4];
		struct logit_fit f;
		struct optimal_row rows[4];
		struct optimal o;
		char text[2048];
		bins_of(b, ks[c], s4, n, ds[c]);
		for (size_t i = 0; i < ks[c]; i++)
			b[i].sessions = 10;
		stats_logit(b, ks[c], &f);
		assert_int_not_equal(f.status, FIT_OK);
		stats_optimal(b, ks[c], &f, &mix, 0, rows, &o);
		assert_int_equal(o.basis, BASIS_NO_MODEL);
		stats_summary(b, ks[c], &f, 0, 0, false, &mix, &o, text, sizeof text);
		if (!strstr(text, why[c]))
			fail_msg("case %d: '%s' does not say '%s'", c, text, why[c]);
		assert_null(strstr(text, "odds of a denial"));
		if (c == 0) {
			/* No denials: size 6 earns 6 x 30.00 (A pays up to 6);
			 * 7 earns nothing (above A's cap). */
			assert_int_equal(o.best_size, 6);
			assert_close(rows[3].per_session, 0, 0);
			assert_close(rows[2].p_hi, 3.841459 / (40 + 3.841459), 1e-6);
		}
		if (c == 1) /* separation: 4 and 5 never denied, 6 always: best 5 */
			assert_int_equal(o.best_size, 5);
	}
	/* Every line of size 7 broke a rule: no model line there, no rate,
	 * and it is not a candidate. */
	struct size_bin b[2] = { { 6, 10, 40, 4, 40, 4 }, { 7, 10, 0, 0, 40, 40 } };
	struct logit_fit f;
	struct optimal_row rows[2];
	struct optimal o;
	A.max_group = 0;
	stats_logit(b, 2, &f);
	assert_int_equal(f.status, FIT_ONE_SIZE);
	stats_optimal(b, 2, &f, &mix, 0, rows, &o);
	assert_false(rows[1].has_p);
	assert_false(rows[1].enough);
	assert_int_equal(o.best_size, 6);
}

/* The demo practice against R (tests/stats/demo.R, demo.out): the bins
 * of the lines no session rule predicts denied, the straight-line fit,
 * its lack of fit against size as a factor, the Pearson residuals and
 * fitted intervals, and the payer-capped optimum from the observed rates:
 * 12 best, 10 and 11 tied, Medi-Cal's cap of 8 costs $20.44 a session,
 * the best size every payer pays for is 8. */
static void test_demo(void **state)
{
	static const uint32_t size[11] = { 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14 };
	static const uint64_t ses[11] = { 4, 13, 59, 78, 106, 56, 17, 22, 12, 4, 1 };
	static const uint64_t all_n[11] = { 16, 65, 354, 546, 848, 504, 170, 242, 144, 52, 14 };
	static const uint64_t all_d[11] = { 6, 36, 66, 129, 128, 111, 25, 47, 36, 42, 11 };
	static const uint64_t n[11] = { 16, 60, 348, 537, 846, 468, 168, 242, 144, 0, 0 };
	static const uint64_t d[11] = { 6, 32, 61, 121, 128, 79, 24, 47, 36, 0, 0 };
	static const double pearson[9] = { 1.40897451379, 5.926458477, -1.5119557049,
		1.52392413619, -2.88593006616, -0.72475922556, -1.04887964036,
		1.1985777539, 3.02906480829 };
	static const double flo[9] = { 0.186477112735, 0.185654322833, 0.184267717295,
		0.181613264387, 0.176113186307, 0.166437770417, 0.154145491813,
		0.141318215464, 0.128883740468 };
	static const double fhi[9] = { 0.274194672703, 0.253392951473, 0.234336172631,
		0.217752089247, 0.205225227509, 0.198076943819, 0.194727356331,
		0.193062267974, 0.192112722056 };
	static const double per[11] = { 8326.18398781, 7771.10505529, 16480.1021,
		18060.2218045, 22612.5772227, 23215.3618757, 26600.0473934,
		27506.8671909, 27930.049763, 0, 0 };
	static const double lo[11] = { 5147.718609, 5766.36633627, 15612.2164024,
		17192.595071, 21927.3023531, 22193.0684738, 24709.8429847,
		25647.8148144, 25077.581463, 0, 0 };
	static const double hi[11] = { 10859.8440988, 9842.64402922, 17206.298969,
		18836.8827739, 23213.8604838, 24087.0335466, 27994.7224374,
		29039.7005372, 30298.7018775, 0, 0 };
	struct payer bc = payer_of("BCBSMA", 2, 12), md = payer_of("MCD", 2, 12);
	struct payer ca = payer_of("MCD-CA", 2, 8), mr = payer_of("MCR", 2, 12);
	struct payer oo = payer_of("OON", 2, 12);
	struct mix_share ms[5] = {
		{ &bc, 0.317874069059, 4188 }, { &md, 0.143195666892, 2431 },
		{ &ca, 0.093432633717, 2431 }, { &mr, 0.285037237644, 2600.41330166 },
		{ &oo, 0.160460392688, 4255 },
	};
	struct payer_mix mix = { ms, 5, 2954 };
	struct size_bin b[11];
	struct logit_fit f;
	struct optimal_row rows[11];
	struct optimal o;

	(void)state;
	for (int i = 0; i < 11; i++)
		b[i] = (struct size_bin){ size[i], ses[i], n[i], d[i], all_n[i], all_d[i] };
	stats_logit(b, 11, &f);
	assert_int_equal(f.status, FIT_OK);
	assert_close(f.b0, -0.998080550785, 1e-6);
	assert_close(f.b1, -0.0562934929489, 1e-6);
	assert_close(f.se0, 0.237527165996, 1e-6);
	assert_close(f.se1, 0.0286423075473, 1e-6);
	assert_close(f.cov01, -0.00666249870841, 1e-6);
	assert_close(f.null_deviance, 58.6759655017, 1e-6);
	assert_close(f.deviance, 54.7706284183, 1e-6);
	assert_int_equal(f.lof_df, 7);
	assert_close(f.lof_p / 1.65534414523e-09, 1.0, 1e-6);
	assert_true(f.lof_rejected);
	for (int i = 0; i < 9; i++) {
		double l, h;
		assert_close(stats_pearson(&f, &b[i]), pearson[i], 1e-6);
		stats_logit_interval(&f, b[i].size, &l, &h);
		assert_close(l, flo[i], 1e-6);
		assert_close(h, fhi[i], 1e-6);
	}
	stats_optimal(b, 11, &f, &mix, 0, rows, &o);
	assert_int_equal(o.basis, BASIS_LACK_OF_FIT);
	for (int i = 0; i < 11; i++) {
		/* cents: R's figures to 1e-6 of a dollar (1e-4 cents) */
		assert_close(rows[i].per_session, per[i], 1e-4);
		assert_close(rows[i].lo, lo[i], 1e-4);
		assert_close(rows[i].hi, hi[i], 1e-4);
		assert_int_equal(rows[i].enough, i >= 1 && i <= 8);
		assert_int_equal(rows[i].tied, size[i] == 10 || size[i] == 11);
	}
	assert_int_equal(o.best_size, 12);
	assert_int_equal(o.ntied, 2);
	assert_close(o.cap_cost, 2044.21259309, 1e-4);
	assert_int_equal(o.all_pay_size, 8);
	char text[2048];
	stats_summary(b, 11, &f, 0, 0, false, &mix, &o, text, sizeof text);
	assert_non_null(strstr(text, "groups of 12 earn the most"));
	assert_non_null(strstr(text, "10, 11 and 12 cannot be told apart"));
	assert_non_null(strstr(text, "does not fit"));
	assert_null(strstr(text, "agrees"));
	assert_non_null(strstr(text, "$20.44 a session"));
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_trend_fit),
		cmocka_unit_test(test_flat_fit),
		cmocka_unit_test(test_wilson),
		cmocka_unit_test(test_degenerate),
		cmocka_unit_test(test_optimal),
		cmocka_unit_test(test_optimal_fitted),
		cmocka_unit_test(test_optimal_minimum),
		cmocka_unit_test(test_degenerate_advice),
		cmocka_unit_test(test_demo),
	};
	return cmocka_run_group_tests_name("stats", tests, NULL, NULL);
}
