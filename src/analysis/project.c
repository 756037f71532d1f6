/* project.c — the Monte Carlo projection and its exact expectation. */
#include "analysis/project.h"

#include <gsl/gsl_integration.h>
#include <gsl/gsl_linalg.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_sort.h>
#include <gsl/gsl_statistics_double.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvout.h"
#include "billing/rules.h"
#include "model/roster.h"

double project_triangular(double lo, double m, double hi, double u)
{
	if (hi <= lo)
		return m;
	double f = (m - lo) / (hi - lo);
	if (u < f)
		return lo + sqrt(u * (hi - lo) * (m - lo));
	return hi - sqrt((1 - u) * (hi - lo) * (hi - m));
}

/* Whether payer P pays a session of SIZE attendees of G at all: no
 * session rule of the check (rules.h) refuses it. */
static bool rules_pass(const struct payer *p, const struct plan_group *g, uint32_t size)
{
	return rules_session(p, size, g->minutes, (enum modality)g->modality) == 0;
}

static double inv_logit(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* E logistic(eta) for eta ~ N(M, V): the trapezoid rule over M +- 10 sd
 * with 801 points (the integrand is smooth; the rule converges
 * geometrically for a Gaussian and the tails beyond 10 sd weigh 1e-23). */
static double logistic_normal_mean(double m, double v)
{
	if (!(v > 0))
		return inv_logit(m);
	double sd = sqrt(v), h = 20.0 * sd / 800.0, sum = 0;
	for (int i = 0; i <= 800; i++) {
		double x = -10.0 * sd + i * h;
		sum += (i == 0 || i == 800 ? 0.5 : 1.0) * inv_logit(m + x) *
		       exp(-x * x / (2.0 * v));
	}
	return sum * h / sqrt(2.0 * M_PI * v);
}

static void table_counts(const struct denial_model *m, uint32_t k, double *d, double *n)
{
	if (k <= m->maxk && m->n[k] >= (double)m->min_lines && m->n[k] > 0) {
		*d = m->d[k];
		*n = m->n[k];
	} else {
		*d = m->pooled_d;
		*n = m->pooled_n;
	}
}

static bool logit_drawn(const struct denial_model *m)
{
	return m->draw && (m->v00 > 0 || m->v11 > 0);
}

double project_p_denied(const struct denial_model *m, uint32_t k)
{
	double d, n;

	switch (m->kind) {
	case DENIAL_LOGIT: {
		double eta = m->b0 + m->b1 * k;
		if (!logit_drawn(m))
			return inv_logit(eta);
		return logistic_normal_mean(eta, m->v00 + 2.0 * k * m->v01 +
						 (double)k * k * m->v11);
	}
	case DENIAL_TABLE:
		table_counts(m, k, &d, &n);
		if (!(n > 0))
			return 0;
		/* The mean of Beta(d + 1/2, n - d + 1/2) when drawn. */
		return m->draw ? (d + 0.5) / (n + 1.0) : d / n;
	case DENIAL_NONE:
		break;
	}
	return 0;
}

static double mean_amount(const struct rate *rt, bool range)
{
	/* The mean of a triangular(low, expected, high) is their average. */
	return range ? (rt->low + rt->expected + rt->high) / 300.0 : rt->expected / 100.0;
}

/* Beta(alpha, beta) of the attendance rate: mean m, sd s (plan.c keeps
 * both at 1 or more). */
static void attendance_beta(const struct plan_group *g, double *al, double *be)
{
	double m = g->attendance, c = m * (1 - m) / (g->attendance_sd * g->attendance_sd) - 1;
	*al = m * c;
	*be = (1 - m) * c;
}

/* sum_k P(K = k | n, q) k (1 - E p(k)) M(k), with W[k] = k (1 - E p(k)) M(k). */
static double session_sum(const double *W, uint32_t n, double q)
{
	double t = 0;
	for (uint32_t k = 1; k <= n; k++)
		if (W[k] != 0)
			t += gsl_ran_binomial_pdf(k, q, n) * W[k];
	return t;
}

/* The period's expected revenue at attendance rate A. */
static double period_at(const struct plan_group *g, const double *W, uint32_t n, double a)
{
	if (g->dropout == 0)
		return g->sessions * session_sum(W, n, a);
	double t = 0, stay = 1;
	for (uint32_t s = 0; s < g->sessions; s++) {
		/* A member is still enrolled at session s with (1 - dropout)^s. */
		t += session_sum(W, n, a * stay);
		stay *= 1 - g->dropout;
		if (stay * n < 1e-15)
			break;
	}
	return t;
}

double project_period_mean(const struct plan_group *g, const struct rates *r,
			   const struct project_opts *o, uint32_t enrolled)
{
	double *W = calloc((size_t)enrolled + 1, sizeof *W), total = 0;

	if (!W)
		return NAN;
	/* E = sum_s sum_k P(K_s = k) k (1 - E p(k)) sum_j share_j amount_j pass_j(k),
	 * K_s ~ Binomial(n, a (1 - dropout)^s): given k attendees, their payers
	 * are independent draws from the mix whether or not a member keeps
	 * one payer for the period. */
	for (uint32_t k = 1; k <= enrolled; k++) {
		double per = 0;
		for (uint32_t j = 0; j < g->nmix; j++)
			if (rules_pass(&r->payers[g->mix[j].payer], g, k))
				per += g->mix[j].bp / 10000.0 * mean_amount(g->mix[j].rate, o->range);
		W[k] = k * (1.0 - project_p_denied(&o->denial, k)) * per;
	}
	if (!(g->attendance_sd > 0)) {
		total = period_at(g, W, enrolled, g->attendance);
	} else {
		/* The mean over the attendance rate's Beta: 64-point
		 * Gauss-Legendre on [0, 1] (the density has no pole: a, b >= 1). */
		double al, be;
		attendance_beta(g, &al, &be);
		gsl_integration_glfixed_table *t = gsl_integration_glfixed_table_alloc(64);
		if (!t) {
			free(W);
			return NAN;
		}
		for (size_t i = 0; i < 64; i++) {
			double x, w;
			gsl_integration_glfixed_point(0, 1, i, &x, &w, t);
			total += w * gsl_ran_beta_pdf(x, al, be) * period_at(g, W, enrolled, x);
		}
		gsl_integration_glfixed_table_free(t);
	}
	free(W);
	return total;
}

double project_session_mean(const struct plan_group *g, const struct rates *r,
			    const struct project_opts *o, uint32_t enrolled)
{
	return project_period_mean(g, r, o, enrolled) / g->sessions;
}

/* A seed per group from the master seed (splitmix64): independent
 * streams, and a group's figures do not change when another is added. */
static unsigned long stream_seed(unsigned long master, size_t i)
{
	uint64_t z = (uint64_t)master + 0x9e3779b97f4a7c15ULL * (i + 1);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	z ^= z >> 31;
	unsigned long s = (unsigned long)(z & 0xffffffffUL);
	return s ? s : 1; /* gsl_rng_set: 0 means "the default seed" */
}

static void summarise(double *v, size_t n, struct project_view_group *g, double *sd)
{
	gsl_sort(v, 1, n);
	g->mean = gsl_stats_mean(v, 1, n);
	*sd = n > 1 ? gsl_stats_sd_m(v, 1, n, g->mean) : 0;
	g->p5 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.05);
	g->p50 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.50);
	g->p95 = gsl_stats_quantile_from_sorted_data(v, 1, n, 0.95);
}

/* Per-group scratch of the simulation, malloc'ed and freed in project_run. */
struct sim {
	double *v;          /* revenue per run */
	double *p;          /* [enrolled + 1]: this run's p(k) */
	unsigned int *payer;/* [enrolled]: each member's payer (mix index) */
	unsigned char *on;  /* [enrolled]: still enrolled */
	unsigned int *cnt;  /* [nmix]: attendees per payer this session */
	bool *pass;         /* [nmix * (enrolled + 1)] */
	double *probs;      /* [nmix] */
};

static void sim_free(struct sim *s)
{
	free(s->v);
	free(s->p);
	free(s->payer);
	free(s->on);
	free(s->cnt);
	free(s->pass);
	free(s->probs);
	memset(s, 0, sizeof *s);
}

static int sim_alloc(struct sim *s, size_t runs, const struct plan_group *g)
{
	size_t n = g->enrolled, m = g->nmix ? g->nmix : 1;
	memset(s, 0, sizeof *s);
	s->v = malloc((runs ? runs : 1) * sizeof *s->v);
	s->p = calloc(n + 1, sizeof *s->p);
	s->payer = calloc(n ? n : 1, sizeof *s->payer);
	s->on = calloc(n ? n : 1, 1);
	s->cnt = calloc(m, sizeof *s->cnt);
	s->pass = calloc(m * (n + 1), sizeof *s->pass);
	s->probs = calloc(m, sizeof *s->probs);
	if (!s->v || !s->p || !s->payer || !s->on || !s->cnt || !s->pass || !s->probs) {
		sim_free(s);
		return -1;
	}
	return 0;
}

/* This run's p(k), k = 0..n: the model's parameters drawn once per run
 * (a period shares one true denial propensity) when DRAW, else the point
 * values.  L is the Cholesky factor of the logit model's covariance. */
static void draw_p(gsl_rng *rng, const struct denial_model *m, const gsl_matrix *L,
		   uint32_t n, double *p)
{
	double b0 = m->b0, b1 = m->b1;

	if (m->kind == DENIAL_NONE) {
		memset(p, 0, ((size_t)n + 1) * sizeof *p);
		return;
	}
	if (m->kind == DENIAL_LOGIT && L) {
		double mu[2] = { m->b0, m->b1 }, out[2];
		gsl_vector_const_view vm = gsl_vector_const_view_array(mu, 2);
		gsl_vector_view vo = gsl_vector_view_array(out, 2);
		gsl_ran_multivariate_gaussian(rng, &vm.vector, L, &vo.vector);
		b0 = out[0];
		b1 = out[1];
	}
	for (uint32_t k = 0; k <= n; k++) {
		if (m->kind == DENIAL_LOGIT) {
			p[k] = inv_logit(b0 + b1 * k);
			continue;
		}
		double d, nn;
		table_counts(m, k, &d, &nn);
		if (!(nn > 0))
			p[k] = 0;
		else if (m->draw)
			p[k] = gsl_ran_beta(rng, d + 0.5, nn - d + 0.5);
		else
			p[k] = d / nn;
	}
}

static double run_once(gsl_rng *rng, const struct plan_group *g, const struct rates *r,
		       const struct project_opts *o, const gsl_matrix *L,
		       const gsl_ran_discrete_t *mixd, struct sim *s)
{
	uint32_t n = g->enrolled;
	double revenue = 0, a = g->attendance;

	(void)r;
	draw_p(rng, &o->denial, L, n, s->p);
	if (g->attendance_sd > 0) {
		double al, be;
		attendance_beta(g, &al, &be);
		a = gsl_ran_beta(rng, al, be);
	}
	/* Each member's payer, once for the period. */
	for (uint32_t i = 0; i < n; i++) {
		s->payer[i] = (unsigned int)gsl_ran_discrete(rng, mixd);
		s->on[i] = 1;
	}
	for (uint32_t ses = 0; ses < g->sessions; ses++) {
		uint32_t k = 0;
		memset(s->cnt, 0, g->nmix * sizeof *s->cnt);
		for (uint32_t i = 0; i < n; i++) {
			if (!s->on[i])
				continue;
			if (ses > 0 && g->dropout > 0 && gsl_rng_uniform(rng) < g->dropout) {
				s->on[i] = 0;
				continue;
			}
			if (gsl_rng_uniform(rng) < a) {
				s->cnt[s->payer[i]]++;
				k++;
			}
		}
		if (!k)
			continue;
		double pd = s->p[k];
		for (uint32_t j = 0; j < g->nmix; j++) {
			const struct plan_share *m = &g->mix[j];
			if (!s->cnt[j] || !s->pass[j * (n + 1) + k])
				continue;
			unsigned int paid = s->cnt[j] - (pd > 0
				? gsl_ran_binomial(rng, pd, s->cnt[j]) : 0);
			if (!o->range) {
				revenue += paid * (m->rate->expected / 100.0);
				continue;
			}
			for (unsigned int x = 0; x < paid; x++)
				revenue += project_triangular(
					m->rate->low / 100.0, m->rate->expected / 100.0,
					m->rate->high / 100.0, gsl_rng_uniform(rng));
		}
	}
	return revenue;
}

/* Break-even: the enrolments, same attendance, dropout and mix, whose
 * exact expected revenue per session covers the cost of a session — the
 * first such run of enrolments up to PROJECT_MAX_ENROL (revenue falls
 * again when members push sessions above the payers' caps).  And the
 * enrolment that earns the most per session, when revenue turns down
 * before the bound. */
static void break_even(const struct plan_group *g, const struct rates *r,
		       const struct project_opts *o, struct project_view_group *out)
{
	double best = -1;
	bool done = false;

	out->break_even = out->break_even_hi = out->best_enrol = 0;
	for (uint32_t e = 1; e <= PROJECT_MAX_ENROL; e++) {
		double m = project_session_mean(g, r, o, e);
		if (m > best) {
			best = m;
			out->best_enrol = e;
		}
		bool covers = g->cost > 0 && m * 100.0 >= (double)g->cost;
		if (covers && !out->break_even)
			out->break_even = e;
		if (covers && !done)
			out->break_even_hi = e;
		else if (out->break_even)
			done = true;
	}
	if (out->best_enrol == PROJECT_MAX_ENROL)
		out->best_enrol = 0;
}

int project_run(const struct plan *p, const struct rates *r,
		const struct project_opts *o, struct project_result *res,
		struct gr_err *err)
{
	size_t runs = o->runs, ng = p->ngroups;
	gsl_matrix *L = NULL;
	gsl_rng *rng = NULL;
	double total_cost = 0;

	memset(res, 0, sizeof *res);
	res->runs = runs;
	res->seed = o->seed;
	res->groups = calloc(ng + 1, sizeof *res->groups);
	res->total_runs = calloc(runs ? runs : 1, sizeof *res->total_runs);
	res->sd = calloc(ng + 1, sizeof *res->sd);
	rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!res->groups || !res->total_runs || !res->sd || !rng)
		goto nomem;
	if (o->denial.kind == DENIAL_LOGIT && logit_drawn(&o->denial)) {
		L = gsl_matrix_alloc(2, 2);
		if (!L)
			goto nomem;
		gsl_matrix_set(L, 0, 0, o->denial.v00);
		gsl_matrix_set(L, 0, 1, o->denial.v01);
		gsl_matrix_set(L, 1, 0, o->denial.v01);
		gsl_matrix_set(L, 1, 1, o->denial.v11);
		if (gsl_linalg_cholesky_decomp1(L) != 0) {
			gsl_matrix_free(L);
			gsl_rng_free(rng);
			project_free(res);
			return gr_fail(err, NULL, 0, "the denial model's covariance "
				       "(%g, %g, %g) is not positive definite",
				       o->denial.v00, o->denial.v01, o->denial.v11);
		}
	}
	res->ngroups = ng;
	for (size_t i = 0; i < ng; i++) {
		const struct plan_group *g = &p->groups[i];
		struct project_view_group *out = &res->groups[i];
		struct sim s;
		if (sim_alloc(&s, runs, g) != 0)
			goto nomem;
		for (uint32_t j = 0; j < g->nmix; j++) {
			s.probs[j] = g->mix[j].bp / 10000.0;
			for (uint32_t k = 0; k <= g->enrolled; k++)
				s.pass[j * (g->enrolled + 1) + k] =
					rules_pass(&r->payers[g->mix[j].payer], g, k);
		}
		gsl_ran_discrete_t *mixd = gsl_ran_discrete_preproc(g->nmix, s.probs);
		if (!mixd) {
			sim_free(&s);
			goto nomem;
		}
		gsl_rng_set(rng, stream_seed(o->seed, i));
		double cost = g->sessions * (g->cost / 100.0);
		size_t losses = 0;
		for (size_t run = 0; run < runs; run++) {
			s.v[run] = run_once(rng, g, r, o, L, mixd, &s);
			res->total_runs[run] += s.v[run];
			losses += g->cost > 0 && s.v[run] < cost;
		}
		gsl_ran_discrete_free(mixd);
		summarise(s.v, runs, out, &res->sd[i]);
		sim_free(&s);
		out->group = g->id;
		out->sessions = g->sessions;
		out->analytic = project_period_mean(g, r, o, g->enrolled);
		out->cost = cost;
		out->net = out->mean - out->cost;
		out->p_loss = g->cost > 0 && runs ? (double)losses / (double)runs : NAN;
		break_even(g, r, o, out);
		res->total.sessions += g->sessions;
		res->total.analytic += out->analytic;
		res->total.cost += out->cost;
		total_cost += cost;
	}
	gsl_matrix_free(L);
	gsl_rng_free(rng);
	size_t tl = 0;
	for (size_t run = 0; run < runs; run++)
		tl += res->total_runs[run] < total_cost;
	res->total.p_loss = total_cost > 0 && runs ? (double)tl / (double)runs : NAN;
	summarise(res->total_runs, runs, &res->total, &res->sd[ng]);
	res->total.group = "TOTAL";
	res->total.net = res->total.mean - res->total.cost;
	return 0;
nomem:
	gsl_matrix_free(L);
	if (rng)
		gsl_rng_free(rng);
	project_free(res);
	return gr_fail(err, NULL, 0, "out of memory");
}

int project_denial_from(const struct size_analysis *an, bool draw, const char *source,
			struct denial_model *m, char *text, size_t size, struct arena *a)
{
	const struct logit_fit *f = &an->fit;
	const char *how = draw ? "drawn per run from their estimated uncertainty"
			       : "held at their estimates";
	uint64_t n = 0, d = 0, all = 0;
	uint32_t maxk = 0;

	memset(m, 0, sizeof *m);
	m->draw = draw;
	for (size_t i = 0; i < an->nbins; i++) {
		all += an->bins[i].all_n;
		n += an->bins[i].n;
		d += an->bins[i].d;
		if (an->bins[i].size > maxk)
			maxk = an->bins[i].size;
	}
	if (f->status == FIT_OK && !f->lof_rejected) {
		m->kind = DENIAL_LOGIT;
		m->b0 = f->b0;
		m->b1 = f->b1;
		m->v00 = f->se0 * f->se0;
		m->v01 = f->cov01;
		m->v11 = f->se1 * f->se1;
		snprintf(text, size, "Denials from the model fitted on %s (the %llu of %llu "
			 "adjudicated lines no session rule predicts denied): logit "
			 "P(denied) = %.4f + %.4f x group size, parameters %s.  The payers' "
			 "rules on group size, minutes and modality are applied apart, so no "
			 "denial is counted twice.", source, (unsigned long long)n,
			 (unsigned long long)all, m->b0, m->b1, how);
		return 0;
	}
	if (!n) {
		m->kind = DENIAL_NONE;
		snprintf(text, size, "%s has no adjudicated line a denial rate could come "
			 "from; the figures assume no denials.", source);
		return 0;
	}
	double *td = arena_alloc(a, ((size_t)maxk + 1) * sizeof *td);
	double *tn = arena_alloc(a, ((size_t)maxk + 1) * sizeof *tn);
	if (!td || !tn)
		return -1;
	memset(td, 0, ((size_t)maxk + 1) * sizeof *td);
	memset(tn, 0, ((size_t)maxk + 1) * sizeof *tn);
	for (size_t i = 0; i < an->nbins; i++) {
		td[an->bins[i].size] = (double)an->bins[i].d;
		tn[an->bins[i].size] = (double)an->bins[i].n;
	}
	m->kind = DENIAL_TABLE;
	m->d = td;
	m->n = tn;
	m->maxk = maxk;
	m->pooled_d = (double)d;
	m->pooled_n = (double)n;
	m->min_lines = STATS_MIN_LINES;
	snprintf(text, size, "Denials from the observed rate of each group size on %s "
		 "(the %llu of %llu adjudicated lines no session rule predicts denied; "
		 "sizes with fewer than %d lines use the overall %.1f%%), rates %s, "
		 "because %s.  The payers' rules on group size, minutes and modality are "
		 "applied apart, so no denial is counted twice.", source,
		 (unsigned long long)n, (unsigned long long)all, STATS_MIN_LINES,
		 100.0 * (double)d / (double)n, how,
		 f->status == FIT_OK ? "a straight line on the log-odds scale does not "
				       "fit them (lack of fit)"
				     : "no straight-line model could be fitted");
	return 0;
}

void project_free(struct project_result *res)
{
	free(res->groups);
	free(res->total_runs);
	free(res->sd);
	memset(res, 0, sizeof *res);
}

void project_view_of(const struct project_result *res, const char *denial_text,
		     struct project_view *pv)
{
	memset(pv, 0, sizeof *pv);
	pv->groups = res->groups;
	pv->ngroups = res->ngroups;
	pv->total = res->total;
	pv->samples = res->total_runs;
	pv->nsamples = res->runs;
	pv->seed = res->seed;
	pv->generator = "mt19937";
	pv->denial_model = denial_text;
}

static void money(struct csvw *w, double dollars)
{
	csvw_cents(w, llround(dollars * 100.0));
}

int project_write_csv(const char *dir, const struct project_result *res,
		      struct gr_err *err)
{
	struct csvw w;
	char path[1024];

	snprintf(path, sizeof path, "%s/projection.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "group_id,sessions,mean,p5,p50,p95,cost,net_mean,break_even_size,"
			"break_even_max,best_enrolment,p_loss,analytic_mean,mc_std_error,"
			"runs,seed,generator");
	for (size_t i = 0; i <= res->ngroups; i++) {
		const struct project_view_group *g = i < res->ngroups ? &res->groups[i]
								      : &res->total;
		csvw_str(&w, i < res->ngroups ? g->group : "TOTAL");
		csvw_int(&w, g->sessions);
		money(&w, g->mean);
		money(&w, g->p5);
		money(&w, g->p50);
		money(&w, g->p95);
		money(&w, g->cost);
		money(&w, g->net);
		if (i < res->ngroups && g->break_even) {
			csvw_int(&w, g->break_even);
			csvw_int(&w, g->break_even_hi);
		} else {
			csvw_empty(&w);
			csvw_empty(&w);
		}
		if (i < res->ngroups && g->best_enrol)
			csvw_int(&w, g->best_enrol);
		else
			csvw_empty(&w);
		csvw_fixed(&w, g->p_loss, 4);
		money(&w, g->analytic);
		csvw_fixed(&w, res->runs ? res->sd[i] / sqrt((double)res->runs) : 0, 2);
		csvw_int(&w, (int64_t)res->runs);
		csvw_int(&w, (int64_t)res->seed);
		csvw_str(&w, "mt19937");
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}
