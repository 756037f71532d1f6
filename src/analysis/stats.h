/* stats.h — group size versus denial: Wilson intervals, a logistic
 * regression fitted by IRLS, the Cochran–Armitage trend test and the
 * revenue-optimal group size.  Pure functions over size bins; the
 * formulas are in docs/statistics.md.
 */
#ifndef GR_STATS_H
#define GR_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* One observed group size. */
struct size_bin {
	uint32_t size;          /* attended members in the session */
	uint64_t sessions;      /* sessions of this size with an adjudicated line */
	uint64_t n;             /* adjudicated lines (status paid or denied) */
	uint64_t d;             /* of those, denied */
	int64_t rate_cents_sum; /* sum of the price of the priced adjudicated lines */
	uint64_t priced;        /* adjudicated lines that have a price */
};

/* 95% Wilson score interval of D successes in N trials.  Lower bound
 * exactly 0 when D = 0 and upper exactly 1 when D = N.  Returns -1 (and
 * NaN bounds) when N = 0. */
int stats_wilson(uint64_t d, uint64_t n, double *lo, double *hi);

enum fit_status {
	FIT_OK,
	FIT_NO_DATA,        /* no adjudicated line */
	FIT_ONE_SIZE,       /* fewer than two distinct group sizes */
	FIT_NO_DENIALS,     /* nothing denied */
	FIT_ALL_DENIED,     /* everything denied */
	FIT_SEPARATION,     /* complete or quasi-complete separation */
	FIT_NO_CONVERGENCE  /* IRLS did not converge within the cap */
};

struct logit_fit {
	enum fit_status status;
	double b0, b1;       /* logit P(denied) = b0 + b1 * size */
	double se0, se1;     /* standard errors (inverse Fisher information) */
	double z0, z1, p0, p1; /* Wald z and two-sided p-values */
	double odds_ratio, or_lo, or_hi; /* exp(b1) and its 95% Wald interval */
	double deviance, null_deviance;
	int iterations;
	char note[300];      /* plain words when status is not FIT_OK */
};

#define STATS_MAX_ITER 50

/* Fit the model on BINS (any order).  Always fills FIT; the numbers mean
 * something only when FIT->status == FIT_OK. */
void stats_logit(const struct size_bin *bins, size_t k, struct logit_fit *fit);

/* P(denied) at SIZE under a usable fit. */
double stats_logit_p(const struct logit_fit *fit, double size);

/* Cochran–Armitage chi-square for trend (1 df) with the sizes as scores,
 * as R's prop.trend.test(d, n, score = size).  -1 when undefined (fewer
 * than two sizes, or no variation in the outcome). */
int stats_trend(const struct size_bin *bins, size_t k, double *chi2, double *p);

struct optimal_row {
	uint32_t size;
	double mean_rate;      /* cents per line */
	double p_denied;       /* fitted, or observed when the fit is unusable */
	double per_session;    /* cents: mean_rate * size * (1 - p_denied) */
	double net;            /* per_session - cost (cents) */
};

struct optimal {
	struct optimal_row *rows; /* one per bin with a price, by size */
	size_t nrows;
	uint32_t best_size;       /* 0 when no row */
	uint32_t break_even_size; /* smallest size with net >= 0; 0 = none or no cost */
	bool fitted;              /* p_denied from the model (else observed) */
	int64_t cost;             /* cents per session; 0 = not given */
};

/* ROWS is caller-provided with room for K rows. */
void stats_optimal(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, int64_t cost_cents,
		   struct optimal_row *rows, struct optimal *out);

/* A few sentences for a practice owner, into BUF. */
void stats_summary(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, double chi2, double p_trend,
		   bool trend_ok, const struct optimal *opt, char *buf,
		   size_t size);

/* sizes.csv, model.csv and optimal.csv into DIR (docs/outputs.md, stats). */
int stats_write(const char *dir, const struct size_bin *bins, size_t k,
		const struct logit_fit *fit, double chi2, double p_trend,
		bool trend_ok, const struct optimal *opt, struct gr_err *err);

#endif
