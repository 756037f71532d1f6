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
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/glm.h"
#include "billing/rules.h"
#include "core/value.h"
#include "io/csvout.h"

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
	double *X = NULL, *n = NULL, *d = NULL;
	struct glm_fit g = { 0 };
	uint64_t N = 0, D = 0;
	size_t m = 0;

	memset(fit, 0, sizeof *fit);
	fit->b0 = fit->b1 = NAN;
	fit->lof_p = NAN;
	b = malloc((k ? k : 1) * sizeof *b);
	if (!b) {
		fail(fit, FIT_NO_DATA, "out of memory");
		return;
	}
	for (size_t i = 0; i < k; i++)
		if (bins[i].n)
			b[m++] = bins[i];
	qsort(b, m, sizeof *b, cmp_bin);
	fit->sizes = (uint32_t)m;
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
	X = malloc(2 * m * sizeof *X);
	n = malloc(m * sizeof *n);
	d = malloc(m * sizeof *d);
	if (!X || !n || !d || glm_alloc(&g, 2) != 0) {
		fail(fit, FIT_NO_DATA, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < m; i++) {
		X[2 * i] = 1.0;
		X[2 * i + 1] = b[i].size;
		n[i] = (double)b[i].n;
		d[i] = (double)b[i].d;
	}
	glm_logit(X, n, d, m, 2, &g);
	fit->iterations = g.iterations;
	fit->null_deviance = g.null_deviance;
	if (g.status == GLM_NO_CONVERGENCE || g.status == GLM_SINGULAR ||
	    g.status == GLM_NO_MEMORY) {
		fail(fit, FIT_NO_CONVERGENCE, "The model did not converge: only the "
		     "observed rates are reported");
		goto out;
	}
	if (g.status == GLM_BOUNDARY) {
		fail(fit, FIT_SEPARATION, "Fitted probabilities reach 0 or 1: "
		     "the data nearly separate by group size, so only the "
		     "observed rates are reported");
		goto out;
	}
	fit->status = FIT_OK;
	fit->b0 = g.beta[0];
	fit->b1 = g.beta[1];
	fit->se0 = g.se[0];
	fit->se1 = g.se[1];
	fit->cov01 = g.cov[1];
	fit->z0 = fit->b0 / fit->se0;
	fit->z1 = fit->b1 / fit->se1;
	fit->p0 = 2.0 * gsl_cdf_ugaussian_Q(fabs(fit->z0));
	fit->p1 = 2.0 * gsl_cdf_ugaussian_Q(fabs(fit->z1));
	fit->odds_ratio = exp(fit->b1);
	fit->or_lo = exp(fit->b1 - z95() * fit->se1);
	fit->or_hi = exp(fit->b1 + z95() * fit->se1);
	fit->deviance = g.deviance;
	/* Against size as a factor (one rate per size, deviance 0): the
	 * residual deviance on m - 2 degrees of freedom.  Two sizes leave no
	 * degree of freedom: the line passes through both, nothing to test. */
	fit->lof_df = (int)m - 2;
	if (fit->lof_df > 0) {
		fit->lof_p = gsl_cdf_chisq_Q(fit->deviance, fit->lof_df);
		fit->lof_rejected = fit->lof_p < STATS_LOF_ALPHA;
	}
out:
	glm_free(&g);
	free(X);
	free(n);
	free(d);
	free(b);
}

double stats_logit_p(const struct logit_fit *fit, double size)
{
	return 1.0 / (1.0 + exp(-(fit->b0 + fit->b1 * size)));
}

void stats_logit_interval(const struct logit_fit *fit, double size, double *lo,
			  double *hi)
{
	double eta = fit->b0 + fit->b1 * size;
	double v = fit->se0 * fit->se0 + 2.0 * size * fit->cov01 +
		   size * size * fit->se1 * fit->se1;
	double h = z95() * sqrt(fmax(v, 0.0));
	*lo = 1.0 / (1.0 + exp(-(eta - h)));
	*hi = 1.0 / (1.0 + exp(-(eta + h)));
}

double stats_pearson(const struct logit_fit *fit, const struct size_bin *b)
{
	if (fit->status != FIT_OK || !b->n)
		return NAN;
	double mu = stats_logit_p(fit, b->size), n = (double)b->n;
	return ((double)b->d - n * mu) / sqrt(n * mu * (1.0 - mu));
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


bool stats_pays(const struct payer *p, uint32_t size)
{
	return !(rules_session(p, size, 0, MODALITY_UNKNOWN) &
		 ((1u << RULE_MIN_GROUP) | (1u << RULE_MAX_GROUP)));
}

static int cmp_row(const void *x, const void *y)
{
	const struct optimal_row *a = x, *b = y;
	return a->size < b->size ? -1 : a->size > b->size;
}

void stats_optimal(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, const struct payer_mix *mix,
		   int64_t cost_cents, struct optimal_row *rows, struct optimal *out)
{
	bool fitted = fit->status == FIT_OK && !fit->lof_rejected;

	memset(out, 0, sizeof *out);
	out->rows = rows;
	out->cost = cost_cents;
	out->basis = fitted ? BASIS_FITTED
		   : fit->status == FIT_OK ? BASIS_LACK_OF_FIT : BASIS_NO_MODEL;
	for (size_t i = 0; i < k; i++) {
		const struct size_bin *b = &bins[i];
		struct optimal_row *o = &rows[out->nrows++];
		memset(o, 0, sizeof *o);
		o->size = b->size;
		o->sessions = b->sessions;
		o->n = b->n;
		for (size_t j = 0; j < mix->n; j++)
			if (stats_pays(mix->s[j].payer, b->size)) {
				o->paying_share += mix->s[j].share;
				o->mean_rate += mix->s[j].share * mix->s[j].rate;
			}
		if (fitted) {
			o->has_p = true;
			o->p_denied = stats_logit_p(fit, b->size);
			stats_logit_interval(fit, b->size, &o->p_lo, &o->p_hi);
		} else if (b->n) {
			o->has_p = true;
			o->p_denied = (double)b->d / (double)b->n;
			stats_wilson(b->d, b->n, &o->p_lo, &o->p_hi);
		} else {
			o->p_denied = o->p_lo = o->p_hi = NAN;
		}
		double m = b->size * o->mean_rate;
		if (o->mean_rate == 0) {
			/* No payer of the mix pays at this size: nothing, whatever
			 * the denial rate. */
			o->per_session = o->lo = o->hi = 0;
		} else if (o->has_p) {
			o->per_session = m * (1.0 - o->p_denied);
			o->lo = m * (1.0 - o->p_hi);
			o->hi = m * (1.0 - o->p_lo);
		} else {
			o->per_session = o->lo = o->hi = NAN;
		}
		o->net = o->per_session - (double)cost_cents;
		o->enough = mix->lines > 0 && b->sessions >= STATS_MIN_SESSIONS &&
			    b->n >= STATS_MIN_LINES;
	}
	qsort(rows, out->nrows, sizeof *rows, cmp_row);
	const struct optimal_row *best = NULL, *all = NULL;
	for (size_t i = 0; i < out->nrows; i++) {
		const struct optimal_row *o = &rows[i];
		if (!o->enough || !(o->per_session > 0))
			continue;
		if (!best || o->per_session > best->per_session)
			best = o;
		if (o->paying_share > 1.0 - 1e-9 &&
		    (!all || o->per_session > all->per_session))
			all = o;
	}
	if (!best)
		return;
	out->best_size = best->size;
	out->all_pay_size = all ? all->size : 0;
	/* Ties: an interval that overlaps the best's. */
	for (size_t i = 0; i < out->nrows; i++) {
		struct optimal_row *o = &rows[i];
		if (o != best && o->enough && o->hi >= best->lo) {
			o->tied = true;
			out->ntied++;
		}
	}
	for (size_t j = 0; j < mix->n; j++)
		if (!stats_pays(mix->s[j].payer, best->size))
			out->cap_cost += best->size * mix->s[j].share * mix->s[j].rate *
					 (1.0 - best->p_denied);
}

/* Appending to a fixed buffer, cut short (never overrun) when full. */
struct sbuf {
	char *b;
	size_t size, n;
};

__attribute__((format(printf, 2, 3)))
static void add(struct sbuf *s, const char *fmt, ...)
{
	va_list ap;

	if (s->n + 1 >= s->size)
		return;
	va_start(ap, fmt);
	int w = vsnprintf(s->b + s->n, s->size - s->n, fmt, ap);
	va_end(ap);
	if (w > 0)
		s->n += (size_t)w < s->size - s->n ? (size_t)w : s->size - s->n - 1;
}

/* "10, 11 and 12" */
static void add_sizes(struct sbuf *s, const uint32_t *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		add(s, "%s%u", i == 0 ? "" : i + 1 == n ? " and " : ", ", v[i]);
}

static void add_money(struct sbuf *s, double cents)
{
	char m[64];
	value_format_dollars((int64_t)llround(cents), m);
	add(s, "%s", m);
}

void stats_basis_text(const struct size_bin *bins, size_t k, char *buf, size_t size)
{
	uint64_t all = 0, used = 0, all_d = 0, used_d = 0;
	struct sbuf s = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		all += bins[i].all_n;
		all_d += bins[i].all_d;
		used += bins[i].n;
		used_d += bins[i].d;
	}
	add(&s, "the model uses %llu of %llu adjudicated lines", (unsigned long long)used,
	    (unsigned long long)all);
	if (all > used)
		add(&s, "; the other %llu (%llu denied) break a session rule of their "
		    "payer (group size, minutes or modality): policy, applied as "
		    "rules, not a denial rate", (unsigned long long)(all - used),
		    (unsigned long long)(all_d - used_d));
}

/* The two sizes with the largest Pearson residuals, for the text. */
static void worst_residuals(const struct size_bin *bins, size_t k,
			    const struct logit_fit *fit, size_t w[2])
{
	w[0] = w[1] = k;
	for (size_t i = 0; i < k; i++) {
		double r = fabs(stats_pearson(fit, &bins[i]));
		if (!isfinite(r))
			continue;
		if (w[0] == k || r > fabs(stats_pearson(fit, &bins[w[0]]))) {
			w[1] = w[0];
			w[0] = i;
		} else if (w[1] == k || r > fabs(stats_pearson(fit, &bins[w[1]]))) {
			w[1] = i;
		}
	}
}

const char *stats_p_text(double p, char buf[32])
{
	/* Below the smallest double, 2 Phi(-|z|) is 0: say "below", not "0". */
	if (p < 1e-300)
		snprintf(buf, 32, "p < 1e-300");
	else
		snprintf(buf, 32, "p = %.2g", p);
	return buf;
}

static void summary_model(struct sbuf *s, const struct size_bin *bins, size_t k,
			  const struct logit_fit *fit, double chi2, double p_trend,
			  bool trend_ok)
{
	char pt[3][32];

	if (fit->status != FIT_OK) {
		add(s, " %s.", fit->note);
		return;
	}
	if (fit->lof_rejected) {
		size_t w[2];
		worst_residuals(bins, k, fit, w);
		add(s, " A straight line on the log-odds scale does not fit the denial "
		    "rates by size (lack of fit: deviance %.1f on %d degrees of freedom, "
		    "%s", fit->deviance, fit->lof_df, stats_p_text(fit->lof_p, pt[0]));
		for (int i = 0; i < 2; i++)
			if (w[i] < k)
				add(s, "%s%+.1f at %u", i ? ", " : "; largest Pearson residuals ",
				    stats_pearson(fit, &bins[w[i]]), bins[w[i]].size);
		add(s, "), so its slope (odds x%.3f per member) is no summary of these "
		    "data: the advice uses the observed rate at each size.",
		    fit->odds_ratio);
		return;
	}
	double pct = (fit->odds_ratio - 1.0) * 100.0;
	add(s, " Each extra member in a group %s the odds of a denial by %.0f%% "
	    "(95%% interval %+.0f%% to %+.0f%%, %s)%s", pct >= 0 ? "raises" : "lowers",
	    fabs(pct), (fit->or_lo - 1.0) * 100.0, (fit->or_hi - 1.0) * 100.0,
	    stats_p_text(fit->p1, pt[0]),
	    fit->p1 < 0.05 ? "" : ", which could be chance");
	if (fit->lof_df > 0)
		add(s, "; the straight-line model is not rejected against one rate per "
		    "size (deviance %.1f on %d degrees of freedom, %s).",
		    fit->deviance, fit->lof_df, stats_p_text(fit->lof_p, pt[1]));
	else
		add(s, "; with two sizes the line passes through both rates and its fit "
		    "cannot be tested.");
	/* The trend test is the score test of the same slope: the same
	 * evidence asked without the model, not a second opinion. */
	if (trend_ok && fit->lof_df > 0)
		add(s, " The Cochran-Armitage test asks the same question without the "
		    "model: chi-square %.2f, %s.", chi2, stats_p_text(p_trend, pt[2]));
}

static void summary_advice(struct sbuf *s, const struct payer_mix *mix,
			   const struct optimal *opt)
{
	uint32_t v[64];
	size_t nv = 0;

	if (!mix->lines) {
		add(s, " No adjudicated line has a known payer and a price, so no group "
		    "size can be recommended.");
		return;
	}
	if (!opt->best_size) {
		add(s, " No group size has enough data to be called best (at least %d "
		    "sessions and %d lines that the model uses), so none is "
		    "recommended.", STATS_MIN_SESSIONS, STATS_MIN_LINES);
		return;
	}
	const struct optimal_row *best = NULL;
	for (size_t i = 0; i < opt->nrows; i++)
		if (opt->rows[i].size == opt->best_size)
			best = &opt->rows[i];
	add(s, " Among the sizes with enough data (at least %d sessions and %d lines), "
	    "groups of %u earn the most per session after denials and payer limits: ",
	    STATS_MIN_SESSIONS, STATS_MIN_LINES, best->size);
	add_money(s, best->per_session);
	add(s, " (95%% range ");
	add_money(s, best->lo);
	add(s, "-");
	add_money(s, best->hi);
	add(s, ", %s).", opt->basis == BASIS_FITTED ? "from the fitted model"
						     : "from the observed denial rates");
	if (opt->ntied) {
		for (size_t i = 0; i < opt->nrows && nv < 64; i++)
			if (opt->rows[i].tied || &opt->rows[i] == best)
				v[nv++] = opt->rows[i].size;
		add(s, " ");
		add_sizes(s, v, nv);
		add(s, " cannot be told apart on these data.");
	}
	if (opt->cap_cost > 0) {
		add(s, " At %u,", best->size);
		size_t c = 0;
		for (size_t j = 0; j < mix->n; j++) {
			const struct mix_share *m = &mix->s[j];
			if (stats_pays(m->payer, best->size))
				continue;
			add(s, "%s %s (%.0f%% of the lines; group limit %u-%u)", c++ ? "," : "",
			    m->payer->id, 100.0 * m->share, m->payer->min_group,
			    m->payer->max_group);
		}
		add(s, " pay%s nothing: that costs ", c == 1 ? "s" : "");
		add_money(s, opt->cap_cost);
		add(s, " a session.");
		if (opt->all_pay_size) {
			for (size_t i = 0; i < opt->nrows; i++)
				if (opt->rows[i].size == opt->all_pay_size) {
					add(s, " The best size every payer pays for is %u: ",
					    opt->all_pay_size);
					add_money(s, opt->rows[i].per_session);
					add(s, ".");
				}
		}
	}
	nv = 0;
	for (size_t i = 0; i < opt->nrows && nv < 64; i++)
		if (opt->rows[i].paying_share == 0)
			v[nv++] = opt->rows[i].size;
	if (nv) {
		add(s, " No payer of the mix pays for groups of ");
		add_sizes(s, v, nv);
		add(s, ".");
	}
	nv = 0;
	for (size_t i = 0; i < opt->nrows && nv < 64; i++)
		if (!opt->rows[i].enough && opt->rows[i].paying_share > 0)
			v[nv++] = opt->rows[i].size;
	if (nv) {
		add(s, " Too little data to judge size%s ", nv > 1 ? "s" : "");
		add_sizes(s, v, nv);
		add(s, ".");
	}
	if (opt->cost) {
		nv = 0;
		for (size_t i = 0; i < opt->nrows && nv < 64; i++)
			if (opt->rows[i].enough && opt->rows[i].net >= 0)
				v[nv++] = opt->rows[i].size;
		add(s, " At ");
		add_money(s, (double)opt->cost);
		add(s, " a session, ");
		if (nv) {
			add(s, "size%s ", nv > 1 ? "s" : "");
			add_sizes(s, v, nv);
			add(s, " cover%s the cost.", nv > 1 ? "" : "s");
		} else {
			add(s, "no size with enough data covers the cost.");
		}
	}
}

void stats_summary(const struct size_bin *bins, size_t k,
		   const struct logit_fit *fit, double chi2, double p_trend,
		   bool trend_ok, const struct payer_mix *mix,
		   const struct optimal *opt, char *buf, size_t size)
{
	uint64_t N = 0, D = 0, n = 0, d = 0;
	struct sbuf s = { buf, size, 0 };

	if (size)
		buf[0] = '\0';
	for (size_t i = 0; i < k; i++) {
		N += bins[i].all_n;
		D += bins[i].all_d;
		n += bins[i].n;
		d += bins[i].d;
	}
	if (N)
		add(&s, "%llu of %llu adjudicated lines were denied (%.1f%%).",
		    (unsigned long long)D, (unsigned long long)N,
		    100.0 * (double)D / (double)N);
	if (N > n)
		add(&s, " %llu of them (%llu denied) broke a session rule of their payer "
		    "(most often a group above its size limit): that is policy, applied "
		    "as a rule below, so the model and the advice use the other %llu "
		    "lines (%llu denied).", (unsigned long long)(N - n),
		    (unsigned long long)(D - d), (unsigned long long)n,
		    (unsigned long long)d);
	summary_model(&s, bins, k, fit, chi2, p_trend, trend_ok);
	/* The advice is a paragraph of its own (a line break on stdout and
	 * in the report). */
	if (s.n)
		add(&s, "\n");
	size_t mark = s.n;
	summary_advice(&s, mix, opt);
	if (mark && s.n > mark && buf[mark] == ' ')
		memmove(buf + mark, buf + mark + 1, s.n - mark);
	/* Trim the leading space when the first sentence was left out. */
	if (s.n && buf[0] == ' ')
		memmove(buf, buf + 1, s.n);
}

/* Numbers in the statistics files: 12 significant digits, scientific
 * notation when small (a p-value of 5e-31 stays 5e-31). */
#define SIG 12

static void sig_or_empty(struct csvw *w, bool ok, double v)
{
	if (ok)
		csvw_sig(w, v, SIG);
	else
		csvw_empty(w);
}

static void empties(struct csvw *w, int n)
{
	for (int i = 0; i < n; i++)
		csvw_empty(w);
}

static int write_sizes(const char *dir, const struct size_bin *bins, size_t k,
		       const struct logit_fit *fit, struct gr_err *err)
{
	struct csvw w;
	char path[1024];
	bool ok = fit->status == FIT_OK;

	snprintf(path, sizeof path, "%s/sizes.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "size,sessions,adjudicated,denied,rate,wilson_lo,wilson_hi,"
			"model_lines,model_denied,model_rate,model_wilson_lo,"
			"model_wilson_hi,fitted,fitted_lo,fitted_hi,pearson_residual");
	for (size_t i = 0; i < k; i++) {
		const struct size_bin *b = &bins[i];
		double lo, hi, flo = NAN, fhi = NAN;
		csvw_int(&w, b->size);
		csvw_int(&w, (int64_t)b->sessions);
		for (int pass = 0; pass < 2; pass++) {
			uint64_t n = pass ? b->n : b->all_n, d = pass ? b->d : b->all_d;
			bool has = stats_wilson(d, n, &lo, &hi) == 0;
			csvw_int(&w, (int64_t)n);
			csvw_int(&w, (int64_t)d);
			sig_or_empty(&w, has, has ? (double)d / (double)n : 0);
			sig_or_empty(&w, has, lo);
			sig_or_empty(&w, has, hi);
		}
		if (ok)
			stats_logit_interval(fit, b->size, &flo, &fhi);
		sig_or_empty(&w, ok, ok ? stats_logit_p(fit, b->size) : 0);
		sig_or_empty(&w, ok, flo);
		sig_or_empty(&w, ok, fhi);
		sig_or_empty(&w, ok && b->n, stats_pearson(fit, b));
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}

/* One row of model.csv: term, estimate, std_error, z, p_value, lo, hi,
 * df, note (NAN = empty; DF < 0 = empty). */
static void model_row(struct csvw *w, const char *term, bool ok, double est,
		      double se, double z, double p, double lo, double hi, int df,
		      const char *note)
{
	csvw_str(w, term);
	sig_or_empty(w, ok && isfinite(est), est);
	sig_or_empty(w, ok && isfinite(se), se);
	sig_or_empty(w, ok && isfinite(z), z);
	sig_or_empty(w, ok && isfinite(p), p);
	sig_or_empty(w, ok && isfinite(lo), lo);
	sig_or_empty(w, ok && isfinite(hi), hi);
	if (ok && df >= 0)
		csvw_int(w, df);
	else
		csvw_empty(w);
	csvw_str(w, note ? note : "");
	csvw_end(w);
}

static int write_model(const char *dir, const struct size_bin *bins, size_t k,
		       const struct logit_fit *fit, double chi2, double p_trend,
		       bool trend_ok, struct gr_err *err)
{
	struct csvw w;
	char path[1024], note[400];
	bool ok = fit->status == FIT_OK;
	double z = z95();

	snprintf(path, sizeof path, "%s/model.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "term,estimate,std_error,z,p_value,lo,hi,df,note");
	model_row(&w, "intercept", ok, fit->b0, fit->se0, fit->z0, fit->p0,
		  fit->b0 - z * fit->se0, fit->b0 + z * fit->se0, -1, NULL);
	model_row(&w, "size", ok, fit->b1, fit->se1, fit->z1, fit->p1,
		  fit->b1 - z * fit->se1, fit->b1 + z * fit->se1, -1, NULL);
	model_row(&w, "odds_ratio_per_member", ok, fit->odds_ratio, NAN, NAN, NAN,
		  fit->or_lo, fit->or_hi, -1, NULL);
	model_row(&w, "cov(intercept,intercept)", ok, fit->se0 * fit->se0, NAN, NAN,
		  NAN, NAN, NAN, -1, NULL);
	model_row(&w, "cov(intercept,size)", ok, fit->cov01, NAN, NAN, NAN, NAN, NAN,
		  -1, NULL);
	model_row(&w, "cov(size,size)", ok, fit->se1 * fit->se1, NAN, NAN, NAN, NAN,
		  NAN, -1, NULL);
	model_row(&w, "trend_chi2", trend_ok, chi2, NAN, NAN, p_trend, NAN, NAN, 1,
		  trend_ok ? "Cochran-Armitage test, scores = group sizes: the score "
			     "test of the same slope, not a second opinion"
			   : "not defined: fewer than two sizes, or no variation in denial");
	snprintf(note, sizeof note, "null deviance on %u sizes; %d iterations",
		 fit->sizes, fit->iterations);
	model_row(&w, "null_deviance", ok, fit->null_deviance, NAN, NAN, NAN, NAN, NAN,
		  (int)fit->sizes - 1, ok ? note : NULL);
	if (fit->lof_df > 0)
		snprintf(note, sizeof note, "deviance of the straight line against size "
			 "as a factor (one rate per size): %s",
			 fit->lof_rejected ? "rejected at 0.05, so the advice uses the "
					     "observed rates with Wilson intervals"
					   : "not rejected at 0.05");
	else
		snprintf(note, sizeof note, "two sizes: no degree of freedom to test "
			 "the fit");
	model_row(&w, "lack_of_fit", ok, fit->deviance, NAN, NAN, fit->lof_p, NAN, NAN,
		  fit->lof_df, ok ? note : NULL);
	stats_basis_text(bins, k, note, sizeof note);
	model_row(&w, "basis", true, NAN, NAN, NAN, NAN, NAN, NAN, -1, note);
	model_row(&w, "note", true, NAN, NAN, NAN, NAN, NAN, NAN, -1,
		  ok ? "logit P(denied) = intercept + size * group size; 95% Wald "
		       "intervals; cov: the estimated covariance of the estimates"
		     : fit->note);
	return csvw_commit(&w, err);
}

static int write_optimal(const char *dir, const struct optimal *opt,
			 struct gr_err *err)
{
	struct csvw w;
	char path[1024];
	static const char *const basis[] = { "fitted", "observed (lack of fit)",
					     "observed (no model)" };

	snprintf(path, sizeof path, "%s/optimal.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "size,sessions,model_lines,paying_share,mean_rate,p_denied,"
			"p_lo,p_hi,expected_per_session,lo,hi,cost,net_per_session,"
			"enough_data,best,tied,covers_cost,basis");
	for (size_t i = 0; i < opt->nrows; i++) {
		const struct optimal_row *o = &opt->rows[i];
		bool val = isfinite(o->per_session);
		csvw_int(&w, o->size);
		csvw_int(&w, (int64_t)o->sessions);
		csvw_int(&w, (int64_t)o->n);
		csvw_sig(&w, o->paying_share, SIG);
		csvw_cents(&w, llround(o->mean_rate));
		sig_or_empty(&w, o->has_p, o->p_denied);
		sig_or_empty(&w, o->has_p, o->p_lo);
		sig_or_empty(&w, o->has_p, o->p_hi);
		if (val) {
			csvw_cents(&w, llround(o->per_session));
			csvw_cents(&w, llround(o->lo));
			csvw_cents(&w, llround(o->hi));
		} else {
			empties(&w, 3);
		}
		if (opt->cost && val) {
			csvw_cents(&w, opt->cost);
			csvw_cents(&w, llround(o->net));
		} else {
			empties(&w, 2);
		}
		csvw_str(&w, o->enough ? "Y" : "");
		csvw_str(&w, o->size == opt->best_size ? "Y" : "");
		csvw_str(&w, o->tied ? "Y" : "");
		csvw_str(&w, opt->cost && val && o->net >= 0 ? "Y" : "");
		csvw_str(&w, basis[opt->basis]);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}

int stats_write(const char *dir, const struct size_bin *bins, size_t k,
		const struct logit_fit *fit, double chi2, double p_trend,
		bool trend_ok, const struct optimal *opt, struct gr_err *err)
{
	if (write_sizes(dir, bins, k, fit, err) != 0 ||
	    write_model(dir, bins, k, fit, chi2, p_trend, trend_ok, err) != 0)
		return -1;
	return write_optimal(dir, opt, err);
}
