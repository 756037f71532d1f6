/* test_project.c — the projection: its exact mean worked by hand, the
 * Monte Carlo mean within its standard error, reproducibility, the
 * triangular sampler, R's type-7 quantiles, and plan refusals. */
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "model/plan.h"
#include "analysis/project.h"

/* The unit test payers (tests/unit/fixtures/README.md): MCR pays $28.14
 * (office, 2024-2025), groups of 2 to 4; MCD $24.31, groups of 3 or
 * more, 60 minutes or more. */
#define RT "tests/unit/fixtures/rt"

struct fixture {
	struct arena a;
	struct rates r;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct gr_err err;

	arena_init(&f->a);
	if (rates_load(&f->r, RT, &f->a, &err) != 0)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	arena_release(&f->a);
	free(f);
	return 0;
}

static struct plan_group group(struct fixture *f, struct plan_share *mix,
			       const char *payer, uint32_t enrolled, double att)
{
	struct plan_group g;
	memset(&g, 0, sizeof g);
	g.id = "G";
	g.sessions = 10;
	g.enrolled = enrolled;
	g.attendance = att;
	g.modality = MODALITY_IN_PERSON;
	g.start = 20089; /* 2025-01-01 */
	mix->payer = (uint32_t)rates_find_payer(&f->r, payer);
	mix->bp = 10000;
	mix->rate = rates_lookup(&f->r, mix->payer, "90853", SETTING_OFFICE, g.start);
	g.mix = mix;
	g.nmix = 1;
	return g;
}

/* By hand.  2 enrolled at 0.5: P(K=2) = 0.25, and only a group of 2
 * passes MCR's minimum, so a session is worth 0.25 x 2 x 28.14 = 14.07,
 * 10 sessions 140.70.  With logit p = 0 (half denied): 70.35.  3 enrolled
 * at 0.5: P(2) = 3/8, P(3) = 1/8: (3/8 x 2 + 1/8 x 3) x 28.14 = 31.6575.
 * 6 enrolled at 1.0 (always 6, above MCR's maximum of 4): 0. */
static void test_exact_mean(void **state)
{
	struct fixture *f = *state;
	struct plan_share m;
	struct project_opts o = { 1000, 1, false, false, 0, 0 };
	struct plan_group g = group(f, &m, "MCR", 2, 0.5);

	assert_close(project_session_mean(&g, &f->r, &o, 2) * g.sessions, 140.70, 1e-12);
	o.denial = true;
	assert_close(project_session_mean(&g, &f->r, &o, 2) * g.sessions, 70.35, 1e-12);
	o.denial = false;
	assert_close(project_session_mean(&g, &f->r, &o, 3), 31.6575, 1e-12);
	g.attendance = 1.0;
	assert_close(project_session_mean(&g, &f->r, &o, 6), 0.0, 1e-12);
	/* --amounts range: the mean of a triangular(low, mode, high) is their
	 * average: (26.92 + 28.14 + 32.77) / 3 = 29.2767 per line. */
	o.range = true;
	g.attendance = 1.0;
	assert_close(project_session_mean(&g, &f->r, &o, 3), 3 * (26.92 + 28.14 + 32.77) / 3,
		     1e-12);
}

/* The simulated mean is within 4 standard errors (sd / sqrt(runs)) of
 * the exact mean — a bound that fails by chance about 6 times in 100,000. */
static void test_monte_carlo_mean(void **state)
{
	struct fixture *f = *state;
	struct plan_share m[2];
	struct plan_group g[2];
	struct plan p = { g, 2, 2, 0 };
	struct project_opts o = { 20000, 12345, false, true, -2.0, 0.2 };
	struct project_result res;
	struct gr_err err;

	g[0] = group(f, &m[0], "MCR", 6, 0.7);
	g[1] = group(f, &m[1], "MCD", 8, 0.6);
	g[1].minutes = 60;
	for (int range = 0; range < 2; range++) {
		o.range = range;
		assert_int_equal(project_run(&p, &f->r, &o, &res, &err), 0);
		for (size_t i = 0; i <= 2; i++) {
			const struct project_view_group *x = i < 2 ? &res.groups[i] : &res.total;
			double se = res.sd[i] / sqrt((double)res.runs);
			if (!(fabs(x->mean - x->analytic) < 4 * se))
				fail_msg("group %zu: mean %.4f exact %.4f se %.4f", i, x->mean,
					 x->analytic, se);
			assert_true(x->p5 <= x->p50 && x->p50 <= x->p95);
		}
		project_free(&res);
	}
}

static void test_reproducible(void **state)
{
	struct fixture *f = *state;
	struct plan_share m;
	struct plan_group g = group(f, &m, "MCR", 5, 0.8);
	struct plan p = { &g, 1, 1, 0 };
	struct project_opts o = { 500, 99, true, true, -2.0, 0.1 };
	struct project_result a, b;
	struct gr_err err;

	assert_int_equal(project_run(&p, &f->r, &o, &a, &err), 0);
	assert_int_equal(project_run(&p, &f->r, &o, &b, &err), 0);
	assert_memory_equal(a.total_runs, b.total_runs, 500 * sizeof(double));
	project_free(&b);
	o.seed = 100;
	assert_int_equal(project_run(&p, &f->r, &o, &b, &err), 0);
	assert_true(memcmp(a.total_runs, b.total_runs, 500 * sizeof(double)) != 0);
	project_free(&a);
	project_free(&b);
}

/* Inverse CDF at an even grid of u: mean (lo + m + hi) / 3, bounds kept,
 * and the mode splits the mass at (m - lo) / (hi - lo). */
static void test_triangular(void **state)
{
	const double lo = 26.92, m = 28.14, hi = 32.77;
	const int n = 200000;
	double sum = 0;

	(void)state;
	for (int i = 0; i < n; i++) {
		double x = project_triangular(lo, m, hi, (i + 0.5) / n);
		assert_true(x >= lo && x <= hi);
		sum += x;
	}
	assert_close(sum / n, (lo + m + hi) / 3, 1e-6);
	assert_close(project_triangular(lo, m, hi, (m - lo) / (hi - lo)), m, 1e-12);
	assert_close(project_triangular(5, 5, 5, 0.3), 5, 1e-12);
}

/* R: quantile(1:10, c(0.05, 0.5, 0.95)) (type 7) = 1.45, 5.5, 9.55. */
static void test_quantiles_type7(void **state)
{
	double v[10] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 };

	(void)state;
	assert_close(gsl_stats_quantile_from_sorted_data(v, 1, 10, 0.05), 1.45, 1e-12);
	assert_close(gsl_stats_quantile_from_sorted_data(v, 1, 10, 0.50), 5.5, 1e-12);
	assert_close(gsl_stats_quantile_from_sorted_data(v, 1, 10, 0.95), 9.55, 1e-12);
}

/* Each bad plan row is refused with its line and reason; good rows stay. */
static void test_plan_refusals(void **state)
{
	struct fixture *f = *state;
	char path[] = "/tmp/grouprev-plan-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	struct plan p;
	struct rejects rej;
	struct gr_err err;

	fputs("group_id,sessions,enrolled,attendance_rate,payer_mix,cost_per_session,start\n"
	      "OK,12,8,0.8,MCR:0.5;MCD:0.5,200.00,2025-01-06\n"     /* 2 */
	      "SUM,12,8,0.8,MCR:0.5;MCD:0.4,200.00,2025-01-06\n"    /* 3 */
	      "PAYER,12,8,0.8,AETNA:1,200.00,2025-01-06\n"         /* 4 */
	      "RATE,12,8,1.2,MCR:1,200.00,2025-01-06\n"            /* 5 */
	      "NEG,0,8,0.8,MCR:1,200.00,2025-01-06\n"              /* 6 */
	      "NORATE,12,8,0.8,MCR:1,200.00,2027-01-04\n"          /* 7 */
	      "NOSTART,12,8,0.8,MCR:1,200.00,\n"                   /* 8 */
	      "COST,12,8,0.8,MCR:1,-5.00,2025-01-06\n", fp);       /* 9 */
	fclose(fp);
	rejects_init(&rej, &f->a);
	assert_int_equal(plan_load(&p, path, &f->r, INT32_MIN, &f->a, &rej, &err), 0);
	unlink(path);
	assert_int_equal(p.rows_read, 8);
	assert_int_equal(p.ngroups, 1);
	assert_string_equal(p.groups[0].id, "OK");
	assert_int_equal(rej.items.len, 7);
	const char *want[7] = { "sum to 0.9000", "AETNA", "attendance_rate", "sessions",
				"no 90853 rate", "no start date", "cost_per_session" };
	for (size_t i = 0; i < 7; i++) {
		const struct reject *x = &VEC_AT(&rej.items, struct reject, i);
		assert_int_equal(x->line, i + 3);
		if (!strstr(x->reason, want[i]))
			fail_msg("line %zu: '%s' does not say '%s'", x->line, x->reason, want[i]);
	}
	rejects_free(&rej);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_mean),
		cmocka_unit_test(test_monte_carlo_mean),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_triangular),
		cmocka_unit_test(test_quantiles_type7),
		cmocka_unit_test(test_plan_refusals),
	};
	return cmocka_run_group_tests_name("project", tests, setup, teardown);
}
