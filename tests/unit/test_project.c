/* test_project.c — the projection: its exact mean worked by hand and by
 * an independent script (tests/stats/projection.py: fixed per-member
 * payers, dropout, an uncertain attendance rate, parameter uncertainty),
 * the Monte Carlo mean within 4 sd / sqrt(T) of it, the spread that
 * parameter uncertainty and fixed payers add, break-even as a range,
 * reproducibility, the triangular sampler, R's type-7 quantiles, and plan
 * refusals. */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "model/plan.h"
#include "analysis/project.h"
#include "billing/rules.h"

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
	struct project_opts o = { .runs = 1000, .seed = 1 };
	struct plan_group g = group(f, &m, "MCR", 2, 0.5);

	assert_close(project_session_mean(&g, &f->r, &o, 2) * g.sessions, 140.70, 1e-12);
	o.denial.kind = DENIAL_LOGIT;
	assert_close(project_session_mean(&g, &f->r, &o, 2) * g.sessions, 70.35, 1e-12);
	o.denial.kind = DENIAL_NONE;
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
	struct project_opts o = { .runs = 20000, .seed = 12345,
				  .denial = { .kind = DENIAL_LOGIT, .b0 = -2.0, .b1 = 0.2 } };
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
	struct project_opts o = { .runs = 500, .seed = 99, .range = true,
				  .denial = { .kind = DENIAL_LOGIT, .b0 = -2.0, .b1 = 0.1,
					      .v00 = 0.04, .v01 = -0.001, .v11 = 0.0004,
					      .draw = true } };
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

/* A program of two payers at half each. */
static struct plan_group group2(struct fixture *f, struct plan_share *mix,
				const char *a, const char *b, uint32_t enrolled, double att)
{
	struct plan_group g = group(f, &mix[0], a, enrolled, att);
	mix[1].payer = (uint32_t)rates_find_payer(&f->r, b);
	mix[1].rate = rates_lookup(&f->r, mix[1].payer, "90853", SETTING_OFFICE, g.start);
	mix[0].bp = mix[1].bp = 5000;
	g.mix = mix;
	g.nmix = 2;
	return g;
}

static void mc_within(const struct project_result *res, size_t i, double want)
{
	const struct project_view_group *x = i < res->ngroups ? &res->groups[i] : &res->total;
	double se = res->sd[i] / sqrt((double)res->runs);
	if (!(fabs(x->mean - want) < 4 * se))
		fail_msg("group %zu: simulated mean %.4f, script's exact %.4f, se %.4f", i,
			 x->mean, want, se);
}

/* tests/stats/projection.py (projection.out), case 1: 10 sessions, 6
 * enrolled at 0.7, dropout 0.05, MCR and MCD at half each, each member
 * keeping a payer for the period, logit p = -2 + 0.2 k: the exact mean
 * 524.988803169734 (523.819662663955 with triangular amounts); case 2,
 * the attendance rate uncertain (sd 0.1): 510.483105130700.  The
 * simulation is within 4 sd / sqrt(T) of each. */
static void test_reference_means(void **state)
{
	struct fixture *f = *state;
	struct plan_share m[2];
	struct plan_group g = group2(f, m, "MCR", "MCD", 6, 0.7);
	struct plan p = { &g, 1, 1, 0 };
	struct project_opts o = { .runs = 20000, .seed = 777,
				  .denial = { .kind = DENIAL_LOGIT, .b0 = -2.0, .b1 = 0.2 } };
	struct project_result res;
	struct gr_err err;

	g.minutes = 60;
	g.dropout = 0.05;
	assert_close(project_period_mean(&g, &f->r, &o, 6), 524.988803169734, 1e-6);
	assert_int_equal(project_run(&p, &f->r, &o, &res, &err), 0);
	assert_close(res.groups[0].analytic, 524.988803169734, 1e-6);
	mc_within(&res, 0, 524.988803169734);
	project_free(&res);
	o.range = true;
	assert_close(project_period_mean(&g, &f->r, &o, 6), 523.819662663955, 1e-6);
	assert_int_equal(project_run(&p, &f->r, &o, &res, &err), 0);
	mc_within(&res, 0, 523.819662663955);
	project_free(&res);
	o.range = false;
	g.attendance_sd = 0.1;
	assert_close(project_period_mean(&g, &f->r, &o, 6), 510.483105130700, 1e-6);
	assert_int_equal(project_run(&p, &f->r, &o, &res, &err), 0);
	mc_within(&res, 0, 510.483105130700);
	project_free(&res);
}

/* projection.py case 3: 20 sessions, 5 members who always come, COM
 * only, logit p = -1.5 + 0.1 k with covariance (0.3, -0.01, 0.004), so
 * eta ~ N(-1, 0.3) at k = 5.  Fixed parameters: mean 3061.673327302461,
 * sd 185.699874303334; drawn per run: mean 3009.807091686620, sd
 * 479.610430946093 — the range widens by 293.91.  With 40,000 runs the
 * sd of a sample sd is about sd / sqrt(2 T) = 0.35% (more for the drawn
 * case's heavier tails): 3% bounds cannot fail by chance. */
static void test_parameter_uncertainty(void **state)
{
	struct fixture *f = *state;
	struct plan_share m;
	struct plan_group g = group(f, &m, "COM", 5, 1.0);
	struct plan p = { &g, 1, 1, 0 };
	struct project_opts o = { .runs = 40000, .seed = 4242,
				  .denial = { .kind = DENIAL_LOGIT, .b0 = -1.5, .b1 = 0.1,
					      .v00 = 0.3, .v01 = -0.01, .v11 = 0.004 } };
	struct project_result fixed, drawn;
	struct gr_err err;

	g.sessions = 20;
	assert_int_equal(project_run(&p, &f->r, &o, &fixed, &err), 0);
	assert_close(fixed.groups[0].analytic, 3061.673327302461, 1e-6);
	mc_within(&fixed, 0, 3061.673327302461);
	assert_close(fixed.sd[0] / 185.699874303334, 1.0, 0.03);
	o.denial.draw = true;
	assert_int_equal(project_run(&p, &f->r, &o, &drawn, &err), 0);
	assert_close(drawn.groups[0].analytic, 3009.807091686620, 1e-6);
	mc_within(&drawn, 0, 3009.807091686620);
	assert_close(drawn.sd[0] / 479.610430946093, 1.0, 0.03);
	assert_close((drawn.sd[0] - fixed.sd[0]) / 293.910556642760, 1.0, 0.06);
	assert_true(drawn.groups[0].p95 - drawn.groups[0].p5 >
		    2 * (fixed.groups[0].p95 - fixed.groups[0].p5));
	project_free(&fixed);
	project_free(&drawn);
}

/* projection.py case 4: a member keeps a payer for the period.  2
 * members who always come, MCR or COM at half each, 10 sessions, no
 * denials: mean 700.20, sd 97.156471735032 (redrawn per session it would
 * be 30.72). */
static void test_member_keeps_payer(void **state)
{
	struct fixture *f = *state;
	struct plan_share m[2];
	struct plan_group g = group2(f, m, "MCR", "COM", 2, 1.0);
	struct plan p = { &g, 1, 1, 0 };
	struct project_opts o = { .runs = 40000, .seed = 5 };
	struct project_result res;
	struct gr_err err;

	assert_int_equal(project_run(&p, &f->r, &o, &res, &err), 0);
	assert_close(res.groups[0].analytic, 700.20, 1e-9);
	mc_within(&res, 0, 700.20);
	assert_close(res.sd[0] / 97.156471735032, 1.0, 0.03);
	/* COM has no cap: revenue per session still rises at 60 members,
	 * so no best enrolment is named. */
	assert_int_equal(res.groups[0].best_enrol, 0);
	project_free(&res);
}

/* Break-even as a range: MCR pays only groups of 2-4.  Members always
 * come, cost 60.00 a session: 2 members earn 56.28 (short), 3 earn 84.42,
 * 4 earn 112.56, 5 or more nothing (above the cap): break-even 3-4, the
 * best enrolment 4.  At the planned 5 every run loses money: P(loss) = 1. */
static void test_break_even_range(void **state)
{
	struct fixture *f = *state;
	struct plan_share m;
	struct plan_group g = group(f, &m, "MCR", 5, 1.0);
	struct plan p = { &g, 1, 1, 0 };
	struct project_opts o = { .runs = 100, .seed = 3 };
	struct project_result res;
	struct gr_err err;

	g.cost = 6000;
	assert_int_equal(project_run(&p, &f->r, &o, &res, &err), 0);
	assert_int_equal(res.groups[0].break_even, 3);
	assert_int_equal(res.groups[0].break_even_hi, 4);
	assert_int_equal(res.groups[0].best_enrol, 4); /* 4 x 28.14 = 112.56 */
	assert_close(res.groups[0].p_loss, 1.0, 0);
	project_free(&res);
	g.enrolled = 4;
	assert_int_equal(project_run(&p, &f->r, &o, &res, &err), 0);
	assert_close(res.groups[0].p_loss, 0.0, 0);
	project_free(&res);
}

/* The denial model of a history: the straight line when it fits, the
 * observed rates when its lack of fit is rejected (sizes with fewer than
 * STATS_MIN_LINES lines pooled), none without adjudicated lines. */
static void test_denial_from_history(void **state)
{
	struct fixture *f = *state;
	struct size_analysis an;
	struct denial_model dm;
	char text[1000];
	struct size_bin b[3] = { { 4, 10, 100, 10, 100, 10 }, { 6, 10, 100, 40, 100, 40 },
				 { 8, 2, 10, 1, 10, 1 } };

	(void)state;
	memset(&an, 0, sizeof an);
	an.bins = b;
	an.nbins = 3;
	stats_logit(b, 3, &an.fit);
	assert_true(an.fit.lof_rejected);
	assert_int_equal(project_denial_from(&an, false, "h.csv", &dm, text, sizeof text,
					     &f->a), 0);
	assert_int_equal(dm.kind, DENIAL_TABLE);
	assert_close(project_p_denied(&dm, 4), 0.10, 1e-12);
	assert_close(project_p_denied(&dm, 6), 0.40, 1e-12);
	assert_close(project_p_denied(&dm, 8), 51.0 / 210.0, 1e-12); /* pooled */
	assert_close(project_p_denied(&dm, 20), 51.0 / 210.0, 1e-12);
	dm.draw = true; /* the Beta(d + 1/2, n - d + 1/2) mean */
	assert_close(project_p_denied(&dm, 4), 10.5 / 101.0, 1e-12);
	assert_non_null(strstr(text, "does not fit"));
	b[1].d = b[1].all_d = 15; /* 10%, 15%, 10%: a line fits */
	stats_logit(b, 3, &an.fit);
	assert_false(an.fit.lof_rejected);
	assert_int_equal(project_denial_from(&an, true, "h.csv", &dm, text, sizeof text,
					     &f->a), 0);
	assert_int_equal(dm.kind, DENIAL_LOGIT);
	assert_close(dm.v01, an.fit.cov01, 0);
	for (int i = 0; i < 3; i++)
		b[i].n = b[i].d = 0;
	stats_logit(b, 3, &an.fit);
	assert_int_equal(project_denial_from(&an, true, "h.csv", &dm, text, sizeof text,
					     &f->a), 0);
	assert_int_equal(dm.kind, DENIAL_NONE);
}

/* The session rules the projection applies come from the rules module
 * (rules_session), the same tests as check: RT's MCR pays groups of 2-4,
 * MCD groups of 3 or more of 60 minutes or more and no audio-only, TNC
 * no telehealth. */
static void test_session_rules(void **state)
{
	struct fixture *f = *state;
	const struct payer *mcr = &f->r.payers[rates_find_payer(&f->r, "MCR")];
	const struct payer *mcd = &f->r.payers[rates_find_payer(&f->r, "MCD")];
	const struct payer *tnc = &f->r.payers[rates_find_payer(&f->r, "TNC")];

	assert_int_equal(rules_session(mcr, 1, 0, MODALITY_IN_PERSON), 1u << RULE_MIN_GROUP);
	assert_int_equal(rules_session(mcr, 4, 0, MODALITY_IN_PERSON), 0);
	assert_int_equal(rules_session(mcr, 5, 0, MODALITY_IN_PERSON), 1u << RULE_MAX_GROUP);
	assert_int_equal(rules_session(mcd, 3, 59, MODALITY_IN_PERSON), 1u << RULE_MIN_MINUTES);
	assert_int_equal(rules_session(mcd, 3, 0, MODALITY_IN_PERSON), 0); /* not given */
	assert_int_equal(rules_session(mcd, 2, 60, MODALITY_AUDIO_ONLY),
			 (1u << RULE_MIN_GROUP) | (1u << RULE_AUDIO_ONLY_NOT_COVERED));
	assert_int_equal(rules_session(tnc, 8, 60, MODALITY_TELEHEALTH),
			 1u << RULE_TELEHEALTH_NOT_COVERED);
	assert_int_equal(rules_session(tnc, 8, 60, MODALITY_IN_PERSON), 0);
	assert_true((RULES_SESSION_BITS & (1u << RULE_AUTH)) == 0);
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

	fputs("group_id,sessions,enrolled,attendance_rate,payer_mix,cost_per_session,start,"
	      "dropout,attendance_sd\n"
	      "OK,12,8,0.8,MCR:0.5;MCD:0.5,200.00,2025-01-06,,\n"     /* 2 */
	      "SUM,12,8,0.8,MCR:0.5;MCD:0.4,200.00,2025-01-06,,\n"    /* 3 */
	      "PAYER,12,8,0.8,AETNA:1,200.00,2025-01-06,,\n"         /* 4 */
	      "RATE,12,8,1.2,MCR:1,200.00,2025-01-06,,\n"            /* 5 */
	      "NEG,0,8,0.8,MCR:1,200.00,2025-01-06,,\n"              /* 6 */
	      "NORATE,12,8,0.8,MCR:1,200.00,2027-01-04,,\n"          /* 7 */
	      "NOSTART,12,8,0.8,MCR:1,200.00,,,\n"                   /* 8 */
	      "COST,12,8,0.8,MCR:1,-5.00,2025-01-06,,\n"            /* 9 */
	      "DROP,12,8,0.8,MCR:1,200.00,2025-01-06,1,\n"          /* 10 */
	      /* at 0.8 a Beta without poles has sd at most
	       * sqrt(0.8 x 0.2 x 0.2 / 1.2) = 0.1633 */
	      "WIDE,12,8,0.8,MCR:1,200.00,2025-01-06,0,0.17\n", fp); /* 11 */
	fclose(fp);
	rejects_init(&rej, &f->a);
	assert_int_equal(plan_load(&p, path, &f->r, INT32_MIN, &f->a, &rej, &err), 0);
	unlink(path);
	assert_int_equal(p.rows_read, 10);
	assert_int_equal(p.ngroups, 1);
	assert_string_equal(p.groups[0].id, "OK");
	assert_int_equal(rej.items.len, 9);
	const char *want[9] = { "sum to 0.9000", "AETNA", "attendance_rate", "sessions",
				"no 90853 rate", "no start date", "cost_per_session",
				"dropout", "at most 0.1633" };
	for (size_t i = 0; i < 9; i++) {
		const struct reject *x = &VEC_AT(&rej.items, struct reject, i);
		assert_int_equal(x->line, i + 3);
		if (!strstr(x->reason, want[i]))
			fail_msg("line %zu: '%s' does not say '%s'", x->line, x->reason, want[i]);
	}
	rejects_free(&rej);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_exact_mean),
		cmocka_unit_test(test_monte_carlo_mean),
		cmocka_unit_test(test_reproducible),
		cmocka_unit_test(test_reference_means),
		cmocka_unit_test(test_parameter_uncertainty),
		cmocka_unit_test(test_member_keeps_payer),
		cmocka_unit_test(test_break_even_range),
		cmocka_unit_test(test_denial_from_history),
		cmocka_unit_test(test_session_rules),
		cmocka_unit_test(test_triangular),
		cmocka_unit_test(test_quantiles_type7),
		cmocka_unit_test(test_plan_refusals),
	};
	return cmocka_run_group_tests_name("project", tests, setup, teardown);
}
