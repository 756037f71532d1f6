/* glm.h — logistic regression (binomial family, logit link) on grouped
 * counts, for any design matrix, by iteratively reweighted least squares.
 *
 * Both models of the size analysis use it: denial on group size
 * (stats.h) and denial on size, payer class, modality, over-cap and
 * program (covariates.h).  The algorithm is R's glm.fit: start from
 * mu = (d + 0.5) / (n + 1), solve the weighted normal equations by
 * Cholesky (GSL) each step, stop when the deviance changes by less than
 * 1e-12 relative, at most GLM_MAX_ITER steps.  A column that is a linear
 * combination of earlier ones (at the starting weights, relative
 * tolerance 1e-7 as R's QR) is aliased: not estimated, its cells NAN, as
 * R's NA.  docs/statistics.md has the formulas.
 *
 * GSL's error handler must be off (main.c turns it off; the unit tests
 * too): a matrix that is not positive definite is then a GLM_SINGULAR
 * result, not an abort.
 */
#ifndef GR_GLM_H
#define GR_GLM_H

#include <stdbool.h>
#include <stddef.h>

#define GLM_MAX_ITER 50

enum glm_status {
	GLM_OK,
	GLM_NO_CONVERGENCE, /* the deviance still moved after GLM_MAX_ITER steps */
	GLM_BOUNDARY,       /* a fitted rate reached 0 or 1 (within 1e-8):
	                     * (quasi-)separation, coefficients unbounded */
	GLM_SINGULAR,       /* the weighted normal equations could not be solved */
	GLM_NO_MEMORY
};

struct glm_fit {
	enum glm_status status;
	size_t p;        /* columns of the design */
	size_t rank;     /* columns estimated */
	double *beta;    /* [p]; NAN when aliased */
	double *se;      /* [p]; sqrt of the diagonal of cov */
	double *cov;     /* [p * p] row-major: (X'WX)^-1 at the estimate,
	                  * NAN in an aliased row or column */
	bool *aliased;   /* [p] */
	double deviance;      /* residual deviance */
	double null_deviance; /* of the intercept-only model (rate D/N) */
	size_t nobs;          /* rows with n > 0 */
	int iterations;
};

/* Allocate FIT's arrays for P columns (0, or -1 when out of memory). */
int glm_alloc(struct glm_fit *fit, size_t p);
void glm_free(struct glm_fit *fit);

/* Fit rows i = 0..NOBS-1: X[i * p .. i * p + p - 1] (the first column
 * should be the intercept), N[i] trials, D[i] of them denied.  Rows with
 * N = 0 are ignored.  FIT must come from glm_alloc(P). */
void glm_logit(const double *X, const double *n, const double *d, size_t nobs,
	       size_t p, struct glm_fit *fit);

/* The linear predictor x'beta and its standard error sqrt(x' cov x) at
 * a design row X (aliased columns left out). */
double glm_eta(const struct glm_fit *fit, const double *x);
double glm_eta_se(const struct glm_fit *fit, const double *x);

/* The binomial deviance of D of N at rate MU (0 log 0 = 0). */
double glm_dev_term(double d, double n, double mu);

#endif
