/* glm.c — binomial logit IRLS on grouped counts (see glm.h).
 *
 * Scratch (working weights, the reduced normal equations) is malloc'ed
 * and freed inside glm_logit; the results live in the arrays of
 * glm_alloc.
 */
#include "analysis/glm.h"

#include <float.h>
#include <gsl/gsl_linalg.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

int glm_alloc(struct glm_fit *f, size_t p)
{
	memset(f, 0, sizeof *f);
	f->p = p;
	f->beta = calloc(p ? p : 1, sizeof *f->beta);
	f->se = calloc(p ? p : 1, sizeof *f->se);
	f->cov = calloc(p ? p * p : 1, sizeof *f->cov);
	f->aliased = calloc(p ? p : 1, sizeof *f->aliased);
	if (!f->beta || !f->se || !f->cov || !f->aliased) {
		glm_free(f);
		return -1;
	}
	return 0;
}

void glm_free(struct glm_fit *f)
{
	free(f->beta);
	free(f->se);
	free(f->cov);
	free(f->aliased);
	memset(f, 0, sizeof *f);
}

double glm_dev_term(double d, double n, double mu)
{
	double a = d > 0 ? d * log(d / (n * mu)) : 0.0;
	double b = n - d > 0 ? (n - d) * log((n - d) / (n * (1.0 - mu))) : 0.0;
	return 2.0 * (a + b);
}

static double inv_logit(double eta)
{
	return 1.0 / (1.0 + exp(-eta));
}

/* Which columns are linear combinations of earlier ones, at weights W:
 * modified Gram-Schmidt on sqrt(W) X, a column whose remainder has less
 * than 1e-7 of its own norm is aliased (R's dqrdc2 tolerance). */
static int find_aliased(const double *X, const double *w, const unsigned char *use,
			size_t nobs, size_t p, bool *aliased)
{
	double *q = malloc((nobs ? nobs : 1) * (p ? p : 1) * sizeof *q);
	double *v = malloc((nobs ? nobs : 1) * sizeof *v);
	size_t kept = 0;

	if (!q || !v) {
		free(q);
		free(v);
		return -1;
	}
	for (size_t j = 0; j < p; j++) {
		double norm0 = 0, norm = 0;
		for (size_t i = 0; i < nobs; i++) {
			v[i] = use[i] ? sqrt(w[i]) * X[i * p + j] : 0.0;
			norm0 += v[i] * v[i];
		}
		for (size_t c = 0; c < kept; c++) {
			double dot = 0;
			for (size_t i = 0; i < nobs; i++)
				dot += q[c * nobs + i] * v[i];
			for (size_t i = 0; i < nobs; i++)
				v[i] -= dot * q[c * nobs + i];
		}
		for (size_t i = 0; i < nobs; i++)
			norm += v[i] * v[i];
		aliased[j] = !(norm0 > 0) || sqrt(norm) < 1e-7 * sqrt(norm0);
		if (aliased[j])
			continue;
		for (size_t i = 0; i < nobs; i++)
			q[kept * nobs + i] = v[i] / sqrt(norm);
		kept++;
	}
	free(q);
	free(v);
	return 0;
}

/* A = X_r' W X_r and r = X_r' W z over the estimated columns. */
static void normal_eq(const double *X, const double *w, const double *z,
		      const unsigned char *use, size_t nobs, size_t p,
		      const size_t *col, size_t rank, gsl_matrix *A, gsl_vector *r)
{
	gsl_matrix_set_zero(A);
	gsl_vector_set_zero(r);
	for (size_t i = 0; i < nobs; i++) {
		if (!use[i])
			continue;
		const double *x = X + i * p;
		for (size_t a = 0; a < rank; a++) {
			double xa = w[i] * x[col[a]];
			*gsl_vector_ptr(r, a) += xa * z[i];
			for (size_t b = 0; b <= a; b++)
				*gsl_matrix_ptr(A, a, b) += xa * x[col[b]];
		}
	}
	for (size_t a = 0; a < rank; a++)
		for (size_t b = 0; b < a; b++)
			gsl_matrix_set(A, b, a, gsl_matrix_get(A, a, b));
}

/* Weights and working response at linear predictors ETA. */
static void working(const double *eta, const double *n, const double *d,
		    const unsigned char *use, size_t nobs, double *w, double *z)
{
	for (size_t i = 0; i < nobs; i++) {
		if (!use[i])
			continue;
		double mu = inv_logit(eta[i]);
		/* R's binomial()$mu.eta keeps the derivative above DBL_EPSILON. */
		double v = fmax(mu * (1.0 - mu), DBL_EPSILON);
		w[i] = n[i] * v;
		z[i] = eta[i] + (d[i] / n[i] - mu) / v;
	}
}

static double deviance_at(const double *eta, const double *n, const double *d,
			  const unsigned char *use, size_t nobs)
{
	double dev = 0;
	for (size_t i = 0; i < nobs; i++)
		if (use[i])
			dev += glm_dev_term(d[i], n[i], inv_logit(eta[i]));
	return dev;
}

void glm_logit(const double *X, const double *n, const double *d, size_t nobs,
	       size_t p, struct glm_fit *f)
{
	size_t m = nobs ? nobs : 1;
	double *eta = calloc(m, sizeof *eta), *w = calloc(m, sizeof *w);
	double *z = calloc(m, sizeof *z);
	unsigned char *use = calloc(m, 1);
	size_t *col = malloc((p ? p : 1) * sizeof *col);
	gsl_matrix *A = NULL;
	gsl_vector *r = NULL, *beta = NULL;
	double N = 0, D = 0;

	f->status = GLM_NO_MEMORY;
	f->iterations = 0;
	f->nobs = 0;
	f->rank = 0;
	for (size_t j = 0; j < p; j++) {
		f->beta[j] = f->se[j] = NAN;
		for (size_t k = 0; k < p; k++)
			f->cov[j * p + k] = NAN;
	}
	if (!eta || !w || !z || !use || !col)
		goto out;
	for (size_t i = 0; i < nobs; i++) {
		use[i] = n[i] > 0;
		if (!use[i])
			continue;
		f->nobs++;
		N += n[i];
		D += d[i];
		/* R's binomial()$initialize: mustart = (n y + 0.5) / (n + 1). */
		double mu = (d[i] + 0.5) / (n[i] + 1.0);
		eta[i] = log(mu / (1.0 - mu));
	}
	f->null_deviance = 0;
	for (size_t i = 0; i < nobs; i++)
		if (use[i])
			f->null_deviance += glm_dev_term(d[i], n[i], D / N);
	working(eta, n, d, use, nobs, w, z);
	if (find_aliased(X, w, use, nobs, p, f->aliased) != 0)
		goto out;
	for (size_t j = 0; j < p; j++)
		if (!f->aliased[j])
			col[f->rank++] = j;
	f->status = GLM_SINGULAR;
	if (!f->rank)
		goto out;
	A = gsl_matrix_alloc(f->rank, f->rank);
	r = gsl_vector_alloc(f->rank);
	beta = gsl_vector_alloc(f->rank);
	if (!A || !r || !beta) {
		f->status = GLM_NO_MEMORY;
		goto out;
	}
	double dev_old = deviance_at(eta, n, d, use, nobs), dev = dev_old;
	bool converged = false;
	for (f->iterations = 1; f->iterations <= GLM_MAX_ITER; f->iterations++) {
		working(eta, n, d, use, nobs, w, z);
		normal_eq(X, w, z, use, nobs, p, col, f->rank, A, r);
		if (gsl_linalg_cholesky_decomp1(A) != 0 ||
		    gsl_linalg_cholesky_solve(A, r, beta) != 0)
			goto out;
		for (size_t i = 0; i < nobs; i++) {
			if (!use[i])
				continue;
			double e = 0;
			for (size_t a = 0; a < f->rank; a++)
				e += X[i * p + col[a]] * gsl_vector_get(beta, a);
			eta[i] = e;
		}
		dev = deviance_at(eta, n, d, use, nobs);
		/* R's glm.fit criterion, with epsilon 1e-12 for 1e-8. */
		if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < 1e-12) {
			converged = true;
			break;
		}
		dev_old = dev;
	}
	if (!converged) {
		f->status = GLM_NO_CONVERGENCE;
		goto out;
	}
	for (size_t i = 0; i < nobs; i++) {
		double mu = inv_logit(eta[i]);
		if (use[i] && (mu < 1e-8 || mu > 1.0 - 1e-8)) {
			f->status = GLM_BOUNDARY;
			goto out;
		}
	}
	/* The covariance from the information at the estimate itself: one
	 * more evaluation of the weights (docs/statistics.md). */
	working(eta, n, d, use, nobs, w, z);
	normal_eq(X, w, z, use, nobs, p, col, f->rank, A, r);
	if (gsl_linalg_cholesky_decomp1(A) != 0 || gsl_linalg_cholesky_invert(A) != 0)
		goto out;
	for (size_t a = 0; a < f->rank; a++) {
		f->beta[col[a]] = gsl_vector_get(beta, a);
		for (size_t b = 0; b < f->rank; b++)
			f->cov[col[a] * p + col[b]] = gsl_matrix_get(A, a, b);
		f->se[col[a]] = sqrt(gsl_matrix_get(A, a, a));
	}
	f->deviance = dev;
	f->status = GLM_OK;
out:
	gsl_matrix_free(A);
	gsl_vector_free(r);
	gsl_vector_free(beta);
	free(eta);
	free(w);
	free(z);
	free(use);
	free(col);
}

double glm_eta(const struct glm_fit *f, const double *x)
{
	double e = 0;
	for (size_t j = 0; j < f->p; j++)
		if (!f->aliased[j])
			e += x[j] * f->beta[j];
	return e;
}

double glm_eta_se(const struct glm_fit *f, const double *x)
{
	double v = 0;
	for (size_t a = 0; a < f->p; a++)
		for (size_t b = 0; b < f->p; b++)
			if (!f->aliased[a] && !f->aliased[b])
				v += x[a] * f->cov[a * f->p + b] * x[b];
	return sqrt(fmax(v, 0.0));
}
