/* stats.c — the statistics of group size versus denial.
 *
 * The logistic model has one covariate, so each IRLS step is a 2x2
 * weighted least-squares solve done in closed form; GSL supplies the
 * normal and chi-square distributions.  Degenerate data is detected
 * before fitting (no data, one size, no or all denials, separation) and
 * after (no convergence, fitted probabilities at 0 or 1), and the result
 * then says so instead of presenting coefficients.
 */
#include "analysis/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvout.h"
#include "core/value.h"

/* z for a two-sided 95% interval: gsl_cdf_ugaussian_Pinv(0.975). */
static double z95(void)
{
	return gsl_cdf_ugaussian_Pinv(0.975);
}

int stats_wilson(uint64_t d, uint64_t n, double *lo, double *hi)
{
	if (n == 0 || d > n) {
		*lo = *hi = NAN;
		return -1;
	}
	double z = z95(), nn = (double)n, p = (double)d / nn;
	double denom = 1.0 + z * z / nn;
	double centre = (p + z * z / (2.0 * nn)) / denom;
	double half = z * sqrt(p * (1.0 - p) / nn + z * z / (4.0 * nn * nn)) / denom;
	/* At p = 0 the lower bound is 0 in exact arithmetic (centre = half);
	 * say so exactly rather than print -1e-17.  Likewise 1 at p = 1. */
	*lo = d == 0 ? 0.0 : fmax(0.0, centre - half);
	*hi = d == n ? 1.0 : fmin(1.0, centre + half);
	return 0;
}

/* d*log(d/(n*mu)) with 0*log(0) = 0. */
static double xlogx_ratio(double x, double y)
{
	return x > 0 ? x * log(x / y) : 0.0;
}

static double deviance(const struct size_bin *b, size_t k, double b0, double b1)
{
	double dev = 0;

	for (size_t i = 0; i < k; i++) {
		double n = (double)b[i].n, d = (double)b[i].d;
		if (!b[i].n)
			continue;
		double mu = 1.0 / (1.0 + exp(-(b0 + b1 * b[i].size)));
		dev += 2.0 * (xlogx_ratio(d, n * mu) + xlogx_ratio(n - d, n * (1.0 - mu)));
	}
	return dev;
}

/* The weighted normal equations at (b0, b1): A = X'WX, r = X'Wz. */
static void normal_eq(const struct size_bin *b, size_t k, double b0, double b1,
		      double A[3], double r[2])
{
	A[0] = A[1] = A[2] = r[0] = r[1] = 0;
	for (size_t i = 0; i < k; i++) {
		if (!b[i].n)
			continue;
		double s = b[i].size, n = (double)b[i].n, d = (double)b[i].d;
		double eta = b0 + b1 * s, mu = 1.0 / (1.0 + exp(-eta));
		double v = mu * (1.0 - mu), w = n * v;
		double z = eta + (d / n - mu) / v; /* working response */
		A[0] += w;
		A[1] += w * s;
		A[2] += w * s * s;
		r[0] += w * z;
		r[1] += w * z * s;
	}
}

static int cmp_bin(const void *x, const void *y)
{
	const struct size_bin *a = x, *b = y;
	return a->size < b->size ? -1 : a->size > b->size;
}

/* Complete or quasi-complete separation with one covariate: some cut of
 * the sorted sizes has only non-denied lines on one side and only denied
 * lines on the other (the bin at the cut may be mixed). */
static bool separated(const struct size_bin *b, size_t k)
{
	for (int dir = 0; dir < 2; dir++) {
		for (size_t j = 0; j < k; j++) {
			bool ok = true;
			for (size_t i = 0; i < k && ok; i++) {
				if (i == j)
					continue;
				bool low_side = i < j;
				bool want_none = dir == 0 ? low_side : !low_side;
				if (want_none ? b[i].d != 0 : b[i].d != b[i].n)
					ok = false;
			}
			if (ok)
				return true;
		}
	}
	return false;
}

static void fail(struct logit_fit *f, enum fit_status st, const char *note)
{
	f->status = st;
	snprintf(f->note, sizeof f->note, "%s", note);
}

void stats_logit(const struct size_bin *bins, size_t k, struct logit_fit *fit)
{
	struct size_bin *b;
	uint64_t N = 0, D = 0;
	size_t m = 0;

	memset(fit, 0, sizeof *fit);
	fit->b0 = fit->b1 = NAN;
	b = malloc((k ? k : 1) * sizeof *b);
	if (!b) {
		fail(fit, FIT_NO_DATA, "out of memory");
		return;
	}
	for (size_t i = 0; i < k; i++)
		if (bins[i].n)
			b[m++] = bins[i];
	qsort(b, m, sizeof *b, cmp_bin);
	for (size_t i = 0; i < m; i++) {
		N += b[i].n;
		D += b[i].d;
	}
	if (N == 0) {
		fail(fit, FIT_NO_DATA, "No paid or denied lines yet: the relation between "
		     "group size and denial cannot be estimated");
		goto out;
	}
	if (m < 2) {
		fail(fit, FIT_ONE_SIZE, "Every adjudicated line comes from groups of the "
		     "same size: a trend over group size cannot be estimated");
		goto out;
	}
	if (D == 0) {
		fail(fit, FIT_NO_DENIALS, "No line has been denied: there is no denial "
		     "rate to relate to group size");
		goto out;
	}
	if (D == N) {
		fail(fit, FIT_ALL_DENIED, "Every adjudicated line was denied: the trend "
		     "over group size cannot be estimated");
		goto out;
	}
	if (separated(b, m)) {
		fail(fit, FIT_SEPARATION, "Denials fall entirely on one side of a group "
		     "size (separation): the model's coefficients would be infinite, "
		     "so only the observed rates are reported");
		goto out;
	}

	double b0 = log((double)D / (double)(N - D)), b1 = 0.0;
	double dev_old = deviance(b, m, b0, b1), A[3], r[2];
	fit->null_deviance = dev_old;
	bool converged = false;
	for (fit->iterations = 1; fit->iterations <= STATS_MAX_ITER; fit->iterations++) {
		normal_eq(b, m, b0, b1, A, r);
		double det = A[0] * A[2] - A[1] * A[1];
		if (!(det > 0) || !isfinite(det))
			break;
		b0 = (A[2] * r[0] - A[1] * r[1]) / det;
		b1 = (A[0] * r[1] - A[1] * r[0]) / det;
		double dev = deviance(b, m, b0, b1);
		/* R's glm criterion, tighter: |dev - old| / (|dev| + 0.1). */
		if (fabs(dev - dev_old) / (fabs(dev) + 0.1) < 1e-12) {
			dev_old = dev;
			converged = true;
			break;
		}
		dev_old = dev;
	}
	if (!converged) {
		fail(fit, FIT_NO_CONVERGENCE, "The model did not converge: only the "
		     "observed rates are reported");
		goto out;
	}
	/* Standard errors from the information at the estimate itself (one
	 * more evaluation of the weights, see docs/statistics.md). */
	normal_eq(b, m, b0, b1, A, r);
	double det = A[0] * A[2] - A[1] * A[1];
	for (size_t i = 0; i < m; i++) {
		double mu = 1.0 / (1.0 + exp(-(b0 + b1 * b[i].size)));
		if (mu < 1e-8 || mu > 1.0 - 1e-8 || !(det > 0)) {
			fail(fit, FIT_SEPARATION, "Fitted probabilities reach 0 or 1: "
			     "the data nearly separate by group size, so only the "
			     "observed rates are reported");
			goto out;
		}
	}
	fit->status = FIT_OK;
	fit->b0 = b0;
	fit->b1 = b1;
	fit->se0 = sqrt(A[2] / det);
	fit->se1 = sqrt(A[0] / det);
	fit->z0 = b0 / fit->se0;
	fit->z1 = b1 / fit->se1;
	fit->p0 = 2.0 * gsl_cdf_ugaussian_Q(fabs(fit->z0));
	fit->p1 = 2.0 * gsl_cdf_ugaussian_Q(fabs(fit->z1));
	fit->odds_ratio = exp(b1);
	fit->or_lo = exp(b1 - z95() * fit->se1);
	fit->or_hi = exp(b1 + z95() * fit->se1);
	fit->deviance = dev_old;
out:
	free(b);
}

double stats_logit_p(const struct logit_fit *fit, double size)
{
	return 1.0 / (1.0 + exp(-(fit->b0 + fit->b1 * size)));
}

int stats_trend(const struct size_bin *b, size_t k, double *chi2, double *p)
{
	double N = 0, D = 0, S = 0, sizes = 0;

	*chi2 = *p = NAN;
	for (size_t i = 0; i < k; i++) {
		if (!b[i].n)
			continue;
		N += (double)b[i].n;
		D += (double)b[i].d;
		S += (double)b[i].n * b[i].size;
		sizes++;
	}
	if (sizes < 2 || D == 0 || D == N)
		return -1;
	/* prop.trend.test: the weighted regression sum of squares of the
	 * proportions on the scores, weights n / (p (1 - p)):
	 * chi2 = [sum d_i (s_i - s_bar)]^2 / (p (1 - p) sum n_i (s_i - s_bar)^2). */
	double pbar = D / N, sbar = S / N, num = 0, den = 0;
	for (size_t i = 0; i < k; i++) {
		if (!b[i].n)
			continue;
		double ds = b[i].size - sbar;
		num += (double)b[i].d * ds;
		den += (double)b[i].n * ds * ds;
	}
	if (!(den > 0))
		return -1;
	*chi2 = num * num / (pbar * (1.0 - pbar) * den);
	*p = gsl_cdf_chisq_Q(*chi2, 1.0);
	return 0;
}

void stats_optimal(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, int64_t cost_cents,
		   struct optimal_row *rows, struct optimal *out)
{
	memset(out, 0, sizeof *out);
	out->rows = rows;
	out->fitted = fit->status == FIT_OK;
	out->cost = cost_cents;
	for (size_t i = 0; i < k; i++) {
		const struct size_bin *b = &bins[i];
		if (!b->priced || !b->n)
			continue;
		struct optimal_row *o = &rows[out->nrows++];
		o->size = b->size;
		o->mean_rate = (double)b->rate_cents_sum / (double)b->priced;
		o->p_denied = out->fitted ? stats_logit_p(fit, b->size)
					  : (double)b->d / (double)b->n;
		o->per_session = o->mean_rate * b->size * (1.0 - o->p_denied);
		o->net = o->per_session - (double)cost_cents;
	}
	/* By size, whatever the order of the bins. */
	for (size_t i = 1; i < out->nrows; i++)
		for (size_t j = i; j > 0 && rows[j - 1].size > rows[j].size; j--) {
			struct optimal_row t = rows[j];
			rows[j] = rows[j - 1];
			rows[j - 1] = t;
		}
	double best = -INFINITY;
	for (size_t i = 0; i < out->nrows; i++) {
		if (rows[i].per_session > best) {
			best = rows[i].per_session;
			out->best_size = rows[i].size;
		}
		if (cost_cents > 0 && !out->break_even_size && rows[i].net >= 0)
			out->break_even_size = rows[i].size;
	}
}

void stats_summary(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, double chi2, double p_trend,
		   bool trend_ok, const struct optimal *opt, char *buf,
		   size_t size)
{
	uint64_t N = 0, D = 0;
	size_t n = 0;

	for (size_t i = 0; i < k; i++) {
		N += bins[i].n;
		D += bins[i].d;
	}
	int w = 0;
	if (N)
		w = snprintf(buf, size, "%llu of %llu adjudicated lines were denied "
			     "(%.1f%%). ", (unsigned long long)D, (unsigned long long)N,
			     100.0 * (double)D / (double)N);
	else if (size)
		buf[0] = '\0';
	if (w > 0)
		n = (size_t)w < size ? (size_t)w : size;
	if (fit->status != FIT_OK) {
		w = snprintf(buf + n, size - n, "%s.", fit->note);
	} else {
		double pct = (fit->odds_ratio - 1.0) * 100.0;
		w = snprintf(buf + n, size - n,
			     "Each extra member in a group %s the odds of a denial by "
			     "%.0f%% (95%% interval %+.0f%% to %+.0f%%, p = %.3g)%s",
			     pct >= 0 ? "raises" : "lowers", fabs(pct),
			     (fit->or_lo - 1.0) * 100.0, (fit->or_hi - 1.0) * 100.0,
			     fit->p1,
			     fit->p1 < 0.05 ? "; " : ", which could be chance; ");
		if (w > 0)
			n += (size_t)w < size - n ? (size_t)w : size - n;
		if (trend_ok)
			w = snprintf(buf + n, size - n, "the trend test agrees "
				     "(chi-square %.2f, p = %.3g).", chi2, p_trend);
	}
	if (w > 0)
		n += (size_t)w < size - n ? (size_t)w : size - n;
	if (opt->best_size && n < size) {
		char money[64];
		double best = 0;
		for (size_t i = 0; i < opt->nrows; i++)
			if (opt->rows[i].size == opt->best_size)
				best = opt->rows[i].per_session;
		value_format_dollars((int64_t)llround(best), money);
		snprintf(buf + n, size - n, " Among the sizes seen, groups of %u earn "
			 "the most per session after denials: %s.", opt->best_size, money);
	}
}

static void cell_or_empty(struct csvw *w, bool ok, double v, int dec)
{
	if (ok)
		csvw_fixed(w, v, dec);
	else
		csvw_empty(w);
}

int stats_write(const char *dir, const struct size_bin *bins, size_t k,
		const struct logit_fit *fit, double chi2, double p_trend,
		bool trend_ok, const struct optimal *opt, struct gr_err *err)
{
	struct csvw w;
	char path[1024];
	bool ok = fit->status == FIT_OK;

	snprintf(path, sizeof path, "%s/sizes.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "size,sessions,adjudicated,denied,rate,wilson_lo,wilson_hi");
	for (size_t i = 0; i < k; i++) {
		double lo, hi;
		bool has = stats_wilson(bins[i].d, bins[i].n, &lo, &hi) == 0;
		csvw_int(&w, bins[i].size);
		csvw_int(&w, (int64_t)bins[i].sessions);
		csvw_int(&w, (int64_t)bins[i].n);
		csvw_int(&w, (int64_t)bins[i].d);
		cell_or_empty(&w, has, has ? (double)bins[i].d / (double)bins[i].n : 0, 6);
		cell_or_empty(&w, has, lo, 6);
		cell_or_empty(&w, has, hi, 6);
		csvw_end(&w);
	}
	if (csvw_commit(&w, err))
		return -1;

	snprintf(path, sizeof path, "%s/model.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "term,estimate,std_error,z,p_value,lo,hi,note");
	const struct { const char *t; double est, se, z, p; } terms[] = {
		{ "intercept", fit->b0, fit->se0, fit->z0, fit->p0 },
		{ "size", fit->b1, fit->se1, fit->z1, fit->p1 },
	};
	for (int i = 0; i < 2; i++) {
		csvw_str(&w, terms[i].t);
		cell_or_empty(&w, ok, terms[i].est, 6);
		cell_or_empty(&w, ok, terms[i].se, 6);
		cell_or_empty(&w, ok, terms[i].z, 4);
		cell_or_empty(&w, ok, terms[i].p, 6);
		csvw_empty(&w);
		csvw_empty(&w);
		csvw_empty(&w);
		csvw_end(&w);
	}
	csvw_str(&w, "odds_ratio_per_member");
	cell_or_empty(&w, ok, fit->odds_ratio, 6);
	csvw_empty(&w);
	csvw_empty(&w);
	csvw_empty(&w);
	cell_or_empty(&w, ok, fit->or_lo, 6);
	cell_or_empty(&w, ok, fit->or_hi, 6);
	csvw_empty(&w);
	csvw_end(&w);
	csvw_str(&w, "trend_chi2");
	cell_or_empty(&w, trend_ok, chi2, 4);
	csvw_empty(&w);
	csvw_empty(&w);
	cell_or_empty(&w, trend_ok, p_trend, 6);
	csvw_empty(&w);
	csvw_empty(&w);
	csvw_str(&w, trend_ok ? "Cochran-Armitage test, scores = group sizes"
			      : "not defined: fewer than two sizes, or no variation in denial");
	csvw_end(&w);
	csvw_str(&w, "deviance");
	cell_or_empty(&w, ok, fit->deviance, 4);
	for (int i = 0; i < 5; i++)
		csvw_empty(&w);
	char note[96];
	snprintf(note, sizeof note, "null deviance %.4f; %d iterations",
		 fit->null_deviance, fit->iterations);
	csvw_str(&w, ok ? note : "");
	csvw_end(&w);
	csvw_str(&w, "note");
	for (int i = 0; i < 6; i++)
		csvw_empty(&w);
	csvw_str(&w, ok ? "logit P(denied) = intercept + size * group size; "
			  "95% Wald intervals" : fit->note);
	csvw_end(&w);
	if (csvw_commit(&w, err))
		return -1;

	snprintf(path, sizeof path, "%s/optimal.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "size,mean_rate,p_denied,expected_per_session,cost,"
			"net_per_session,best,break_even,basis");
	for (size_t i = 0; i < opt->nrows; i++) {
		const struct optimal_row *o = &opt->rows[i];
		csvw_int(&w, o->size);
		csvw_cents(&w, llround(o->mean_rate));
		csvw_fixed(&w, o->p_denied, 6);
		csvw_cents(&w, llround(o->per_session));
		if (opt->cost) {
			csvw_cents(&w, opt->cost);
			csvw_cents(&w, llround(o->net));
		} else {
			csvw_empty(&w);
			csvw_empty(&w);
		}
		csvw_str(&w, o->size == opt->best_size ? "Y" : "");
		csvw_str(&w, opt->cost && o->size == opt->break_even_size ? "Y" : "");
		csvw_str(&w, opt->fitted ? "fitted" : "observed");
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}
