/* project.c — the Monte Carlo projection and its exact expectation. */
#include "analysis/project.h"

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

static double p_denied(const struct project_opts *o, uint32_t size)
{
	return o->denial ? 1.0 / (1.0 + exp(-(o->b0 + o->b1 * size))) : 0.0;
}

static double mean_amount(const struct rate *rt, bool range)
{
	/* The mean of a triangular(low, expected, high) is their average. */
	return range ? (rt->low + rt->expected + rt->high) / 300.0 : rt->expected / 100.0;
}

double project_session_mean(const struct plan_group *g, const struct rates *r,
			    const struct project_opts *o, uint32_t enrolled)
{
	double total = 0;

	/* E = sum_k P(K = k) * k * (1 - p(k)) * sum_j share_j * amount_j * pass_j(k) */
	for (uint32_t k = 1; k <= enrolled; k++) {
		double pk = gsl_ran_binomial_pdf(k, g->attendance, enrolled), per = 0;
		for (uint32_t j = 0; j < g->nmix; j++)
			if (rules_pass(&r->payers[g->mix[j].payer], g, k))
				per += g->mix[j].bp / 10000.0 * mean_amount(g->mix[j].rate, o->range);
		total += pk * k * (1.0 - p_denied(o, k)) * per;
	}
	return total;
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

int project_run(const struct plan *p, const struct rates *r,
		const struct project_opts *o, struct project_result *res,
		struct gr_err *err)
{
	size_t runs = o->runs, ng = p->ngroups;
	double *v = malloc((runs ? runs : 1) * sizeof *v);
	unsigned int *counts = malloc(65 * sizeof *counts);
	double *probs = malloc(65 * sizeof *probs);

	memset(res, 0, sizeof *res);
	res->runs = runs;
	res->seed = o->seed;
	res->groups = calloc(ng + 1, sizeof *res->groups);
	res->total_runs = calloc(runs ? runs : 1, sizeof *res->total_runs);
	res->sd = calloc(ng + 1, sizeof *res->sd);
	if (!v || !counts || !probs || !res->groups || !res->total_runs || !res->sd) {
		free(v);
		free(counts);
		free(probs);
		project_free(res);
		return gr_fail(err, NULL, 0, "out of memory");
	}
	gsl_rng *rng = gsl_rng_alloc(gsl_rng_mt19937);
	if (!rng) {
		free(v);
		free(counts);
		free(probs);
		project_free(res);
		return gr_fail(err, NULL, 0, "out of memory");
	}
	res->ngroups = ng;
	for (size_t i = 0; i < ng; i++) {
		const struct plan_group *g = &p->groups[i];
		struct project_view_group *out = &res->groups[i];
		gsl_rng_set(rng, stream_seed(o->seed, i));
		for (uint32_t j = 0; j < g->nmix; j++)
			probs[j] = g->mix[j].bp / 10000.0;
		for (size_t run = 0; run < runs; run++) {
			double revenue = 0;
			for (uint32_t s = 0; s < g->sessions; s++) {
				uint32_t k = gsl_ran_binomial(rng, g->attendance, g->enrolled);
				if (!k)
					continue;
				gsl_ran_multinomial(rng, g->nmix, k, probs, counts);
				double pd = p_denied(o, k);
				for (uint32_t j = 0; j < g->nmix; j++) {
					const struct plan_share *m = &g->mix[j];
					if (!counts[j] || !rules_pass(&r->payers[m->payer], g, k))
						continue;
					unsigned int paid = counts[j] - (pd > 0
						? gsl_ran_binomial(rng, pd, counts[j]) : 0);
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
			v[run] = revenue;
			res->total_runs[run] += revenue;
		}
		summarise(v, runs, out, &res->sd[i]);
		out->group = g->id;
		out->sessions = g->sessions;
		out->analytic = g->sessions * project_session_mean(g, r, o, g->enrolled);
		out->cost = g->sessions * (g->cost / 100.0);
		out->net = out->mean - out->cost;
		/* Break-even: the smallest enrolment, keeping the attendance
		 * rate and mix, whose exact expected revenue per session covers
		 * the cost of a session; 0 when no cost or never up to 60. */
		out->break_even = 0;
		for (uint32_t e = 1; g->cost > 0 && e <= 60; e++)
			if (project_session_mean(g, r, o, e) * 100.0 >= (double)g->cost) {
				out->break_even = e;
				break;
			}
		res->total.sessions += g->sessions;
		res->total.analytic += out->analytic;
		res->total.cost += out->cost;
	}
	gsl_rng_free(rng);
	free(counts);
	free(probs);
	free(v);
	summarise(res->total_runs, runs, &res->total, &res->sd[ng]);
	res->total.group = "TOTAL";
	res->total.net = res->total.mean - res->total.cost;
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
			"analytic_mean,mc_std_error,runs,seed,generator");
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
		if (i < res->ngroups && g->break_even)
			csvw_int(&w, g->break_even);
		else
			csvw_empty(&w);
		money(&w, g->analytic);
		csvw_fixed(&w, res->runs ? res->sd[i] / sqrt((double)res->runs) : 0, 2);
		csvw_int(&w, (int64_t)res->runs);
		csvw_int(&w, (int64_t)res->seed);
		csvw_str(&w, "mt19937");
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}
