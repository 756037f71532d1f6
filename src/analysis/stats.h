/* stats.h — group size versus denial: Wilson intervals, the logistic
 * regression of denial on size (glm.h) with its lack-of-fit test, the
 * Cochran–Armitage trend test, and the group size that earns the most
 * per session once every payer's group-size limits are applied.  Pure
 * functions over size bins and a payer mix; the formulas and when the
 * tool declines to advise are in docs/statistics.md.
 */
#ifndef GR_STATS_H
#define GR_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "model/rates.h"

/* One observed group size.  The model and the optimum use N and D: the
 * adjudicated lines that no session rule (rules_session: group size,
 * minutes, modality) already predicts denied — those denials are the
 * payer's policy, applied as rules, not a propensity to fit. */
struct size_bin {
	uint32_t size;          /* attended members in the session */
	uint64_t sessions;      /* sessions of this size with an adjudicated line */
	uint64_t n;             /* adjudicated lines the model uses */
	uint64_t d;             /* of those, denied */
	uint64_t all_n, all_d;  /* every adjudicated line of this size, denied */
};

/* The practice's (or a plan's) payers: each payer's share of the lines
 * and what it pays for one (cents, after the credential share). */
struct mix_share {
	const struct payer *payer;
	double share;   /* of the mix's lines; the shares sum to 1 */
	double rate;    /* cents per line */
};

struct payer_mix {
	const struct mix_share *s;
	size_t n;
	uint64_t lines; /* lines the shares come from (0 = no mix) */
};

/* Minimum data before a size can be called best (docs/statistics.md). */
#define STATS_MIN_SESSIONS 5
#define STATS_MIN_LINES 30
/* The lack-of-fit test rejects the straight-line model below this p. */
#define STATS_LOF_ALPHA 0.05

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
	double cov01;        /* their covariance */
	double z0, z1, p0, p1; /* Wald z and two-sided p-values */
	double odds_ratio, or_lo, or_hi; /* exp(b1) and its 95% Wald interval */
	double deviance, null_deviance;
	/* Lack of fit against size as a factor (the saturated model of the
	 * grouped counts): the deviance on (sizes - 2) degrees of freedom. */
	int lof_df;
	double lof_p;
	bool lof_rejected;   /* lof_p < STATS_LOF_ALPHA */
	int iterations;
	uint32_t sizes;      /* sizes with a line the model uses */
	char note[300];      /* plain words when status is not FIT_OK */
};

/* Fit the model on BINS (any order).  Always fills FIT; the numbers mean
 * something only when FIT->status == FIT_OK. */
void stats_logit(const struct size_bin *bins, size_t k, struct logit_fit *fit);

/* P(denied) at SIZE under a usable fit, and its 95% interval (Wald on
 * the logit scale: eta +- z * sqrt(V00 + 2 s V01 + s^2 V11)). */
double stats_logit_p(const struct logit_fit *fit, double size);
void stats_logit_interval(const struct logit_fit *fit, double size, double *lo,
			  double *hi);

/* The Pearson residual (d - n mu) / sqrt(n mu (1 - mu)) of bin B. */
double stats_pearson(const struct logit_fit *fit, const struct size_bin *b);

/* "p = 0.0039" (two significant digits), or "p < 1e-300" when the
 * p-value underflows to 0; into BUF, which is returned. */
const char *stats_p_text(double p, char buf[32]);

/* Cochran–Armitage chi-square for trend (1 df) with the sizes as scores,
 * as R's prop.trend.test(d, n, score = size).  -1 when undefined (fewer
 * than two sizes, or no variation in the outcome). */
int stats_trend(const struct size_bin *bins, size_t k, double *chi2, double *p);

/* Whether payer P pays a session of SIZE members (its group-size rules;
 * rules_session). */
bool stats_pays(const struct payer *p, uint32_t size);

enum opt_basis {
	BASIS_FITTED,        /* the straight-line model fits: fitted rates */
	BASIS_LACK_OF_FIT,   /* it was rejected: observed rates, Wilson */
	BASIS_NO_MODEL       /* no model: observed rates, Wilson */
};

struct optimal_row {
	uint32_t size;
	uint64_t sessions, n;  /* as the bin */
	double paying_share;   /* share of the mix whose payer pays at SIZE */
	double mean_rate;      /* cents per line of the mix: sum share * rate * pays */
	bool has_p;            /* a denial rate is known at SIZE */
	double p_denied, p_lo, p_hi;
	double per_session;    /* cents: size * mean_rate * (1 - p_denied) */
	double lo, hi;         /* cents: the same at p_hi and p_lo */
	double net;            /* per_session - cost (cents) */
	bool enough;           /* STATS_MIN_SESSIONS and STATS_MIN_LINES met */
	bool tied;             /* its interval overlaps the best's */
};

struct optimal {
	struct optimal_row *rows; /* one per bin, by size */
	size_t nrows;
	enum opt_basis basis;
	uint32_t best_size;       /* 0: no size has enough data (or no mix) */
	size_t ntied;             /* other sizes tied with the best */
	/* The best size every payer of the mix pays for (0 = none with
	 * enough data), and what the payers that refuse BEST_SIZE cost there:
	 * what their lines would have earned (cents per session). */
	uint32_t all_pay_size;
	double cap_cost;
	int64_t cost;             /* cents per session; 0 = not given */
};

/* ROWS is caller-provided with room for K rows.  MIX says who pays
 * what; FIT (when usable and not rejected) gives the denial rates,
 * otherwise the observed rates of the bins. */
void stats_optimal(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, const struct payer_mix *mix,
		   int64_t cost_cents, struct optimal_row *rows, struct optimal *out);

/* The model's basis in words: "fitted on 2,867 of 2,955 adjudicated
 * lines; the 88 that a session rule predicts denied ... are left to the
 * rules". */
void stats_basis_text(const struct size_bin *bins, size_t k, char *buf, size_t size);

/* Sentences for a practice owner, into BUF: what the data show, what the
 * tests found, the advice and why (docs/statistics.md). */
void stats_summary(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, double chi2, double p_trend,
		   bool trend_ok, const struct payer_mix *mix,
		   const struct optimal *opt, char *buf, size_t size);

/* sizes.csv, model.csv and optimal.csv into DIR (docs/outputs.md, stats). */
int stats_write(const char *dir, const struct size_bin *bins, size_t k,
		const struct logit_fit *fit, double chi2, double p_trend,
		bool trend_ok, const struct optimal *opt, struct gr_err *err);

#endif
