/* report_charts.c — the report's seven domain charts, drawn from the
 * aggregation layer's sums (analysis/tally.h) and the group-size analysis.
 * Dollars reach the chart layer as doubles only here, as positions to
 * draw; every amount was summed in cents.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/project_view.h"
#include "core/value.h"
#include "render/report_int.h"

static double dollars(int64_t cents)
{
	return (double)cents / 100.0;
}

static int cmp_key(const void *a, const void *b)
{
	const struct tally_row *x = *(const struct tally_row *const *)a;
	const struct tally_row *y = *(const struct tally_row *const *)b;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* 1. Expected revenue by payer in the quarter, stacked by claim status. */
int report_chart_payers(cairo_t *cr, struct data *d, double x, double y, double w,
			double h)
{
	const struct tally *tl = d->in->tally;
	char q[64], buf[200];

	snprintf(q, sizeof q, "%s", d->period);
	/* The scope's payers, in the order the file first names them. */
	const struct tally_row **rows = malloc((tl->nsummary + 1) * sizeof *rows);
	const char **cats = malloc((tl->nsummary + 1) * sizeof *cats);
	double *vals = malloc(4 * (tl->nsummary + 1) * sizeof *vals);
	size_t n = 0, m = 0;
	if (!rows || !cats || !vals) {
		free(rows);
		free(cats);
		free(vals);
		return -1;
	}
	for (uint32_t i = 0; i < d->nprows; i++)
		rows[m++] = &d->prows[i];
	qsort(rows, m, sizeof *rows, cmp_key);
	size_t stride = tl->nsummary + 1;
	for (size_t i = 0; i < m; i++) {
		const int64_t *st = rows[i]->by_state;
		if (st[TALLY_PAID] + st[TALLY_DENIED] + st[TALLY_PENDING] + st[TALLY_UNBILLED] <= 0)
			continue;
		cats[n] = strpool_str(&d->r->payers, rows[i]->key);
		for (int s = 0; s < TALLY_STATES; s++)
			vals[(size_t)s * stride + n] = dollars(st[s]);
		n++;
	}
	snprintf(buf, sizeof buf, "Expected revenue by payer in %s, by claim status", q);
	struct chart_bars b = { buf, "expected revenue", "Each bar is the expected "
		"amount of the payer's attended lines (rates in force on the date of "
		"service); its parts show how much of it is already paid, denied, "
		"pending, or not yet billed.", cats, n, { "paid", "denied", "pending",
		"not yet billed" }, { vals, vals + stride, vals + 2 * stride, vals + 3 * stride },
		{ 2, 3, 1, 4 }, 4, true, false, FMT_DOLLARS, NULL };
	int rc = chart_bars(cr, report_theme_of(d), x, y, w, h, &b);
	free(rows);
	free(cats);
	free(vals);
	return rc;
}

/* 2. Monthly revenue: expected and paid, the last 24 months. */
#define TREND_MONTHS 24
int report_chart_trend(cairo_t *cr, struct data *d, double x, double y, double w,
		       double h)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	const struct tally *tl = d->in->tally;
	char labels[TREND_MONTHS][16], note[300];
	const char *cats[TREND_MONTHS];
	double ex[TREND_MONTHS], pa[TREND_MONTHS];
	uint32_t from = tl->nmonths > TREND_MONTHS ? tl->nmonths - TREND_MONTHS : 0;
	size_t n = 0;

	for (uint32_t i = from; i < tl->nmonths; i++, n++) {
		const struct tally_month *mo = &tl->months[i];
		snprintf(labels[n], 16, "%s %02d", mon[mo->month % 12], mo->month / 12 % 100);
		cats[n] = labels[n];
		ex[n] = dollars(mo->expected);
		pa[n] = dollars(mo->paid);
	}
	snprintf(note, sizeof note, "By month of the date of service.  Paid trails "
		 "expected while claims are pending; recent months fill in as "
		 "remittances arrive.%s", from ? "  The last 24 months of the file." : "");
	struct chart_lines l = { "Monthly revenue: expected and paid", "dollars", note,
		cats, n, { "expected", "paid" }, { ex, pa }, { 0, 2 }, 2, FMT_DOLLARS };
	return chart_lines(cr, report_theme_of(d), x, y, w, h, &l);
}

static int cmp_expected(const void *a, const void *b)
{
	const struct tally_row *x = *(const struct tally_row *const *)a;
	const struct tally_row *y = *(const struct tally_row *const *)b;
	if (x->expected != y->expected)
		return x->expected > y->expected ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

const struct tally_row **report_by_expected(const struct tally_row *rows, uint32_t n)
{
	const struct tally_row **order = malloc((n + 1) * sizeof *order);
	if (!order)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		order[i] = &rows[i];
	qsort(order, n, sizeof *order, cmp_expected);
	return order;
}

/* 3. Expected revenue per session by group program, with mean size: the
 * programs of the table above it (the MAX_TABLE_ROWS largest). */
int report_chart_programs(cairo_t *cr, struct data *d, double x, double y, double w,
			  double h)
{
	const struct tally *tl = d->in->tally;
	const struct tally_row **order = report_by_expected(tl->groups, tl->ngroups);
	char labels[MAX_TABLE_ROWS][96];
	const char *cats[MAX_TABLE_ROWS];
	double v[MAX_TABLE_ROWS];
	size_t n = 0;
	if (!order)
		return -1;
	for (uint32_t i = 0; i < tl->ngroups && n < MAX_TABLE_ROWS; i++, n++) {
		const struct tally_row *g = order[i];
		snprintf(labels[n], sizeof labels[n], "%s (mean %.1f members)",
			 strpool_str(&d->r->groups, g->key),
			 g->sessions ? (double)g->lines / g->sessions : 0.0);
		cats[n] = labels[n];
		v[n] = g->sessions ? dollars(g->expected) / g->sessions : 0;
	}
	free(order);
	struct chart_bars b = { "Expected revenue per session, by group program", NULL,
		"Expected amount of a session's attended lines, averaged over the "
		"program's sessions; the mean group size is in brackets.", cats, n,
		{ "per session" }, { v }, { 0 }, 1, false, true, FMT_DOLLARS, NULL };
	return chart_bars(cr, report_theme_of(d), x, y, w, h, &b);
}

/* 4. Denied lines by reason code: a Pareto chart of the 12 most frequent
 * (the shares are of every denied line). */
#define PARETO_BARS 12
int report_chart_reasons(cairo_t *cr, struct data *d, double x, double y, double w,
			 double h)
{
	const struct tally *tl = d->in->tally;
	const char *cats[PARETO_BARS];
	double v[PARETO_BARS];
	char labels[PARETO_BARS][48];
	const char *lp[PARETO_BARS];
	char note[200];
	uint64_t cum = 0;
	size_t n = 0;

	/* Pareto: most frequent first, each bar labelled with its count and
	 * the share of all denied lines that it and the codes above it
	 * explain. */
	for (uint32_t i = 0; i < tl->ncarcs && n < PARETO_BARS; i++, n++) {
		cats[n] = tl->carcs[i].name;
		v[n] = (double)tl->carcs[i].lines;
		cum += tl->carcs[i].lines;
		snprintf(labels[n], sizeof labels[n], "%" PRIu64 " \u00b7 %.0f%%",
			 tl->carcs[i].lines, 100.0 * (double)cum / (double)tl->total.denied);
		lp[n] = labels[n];
	}
	if (!n)
		snprintf(note, sizeof note, "No denied lines in this period.");
	else if (tl->ncarcs > n)
		snprintf(note, sizeof note, "Beside each bar: its lines \u00b7 the cumulative "
			 "share of all denied lines.  %u less frequent codes are not drawn.",
			 tl->ncarcs - (unsigned)n);
	else
		snprintf(note, sizeof note, "Beside each bar: its lines \u00b7 the cumulative "
			 "share of all denied lines.");
	struct chart_bars a = { "Denied lines by reason code", NULL, note, cats, n,
		{ "lines" }, { v }, { 3 }, 1, false, true, FMT_NUMBER, lp };
	return chart_bars(cr, report_theme_of(d), x, y, w, h, &a);
}

static int cmp_cents(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->cents != y->cents)
		return x->cents > y->cents ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* 5. Pre-submission findings by rule, with the dollars at risk. */
int report_chart_findings(cairo_t *cr, struct data *d, double x, double y, double w,
			  double h)
{
	const char *rc[RULE_COUNT];
	double rv[RULE_COUNT];
	size_t m = 0;
	/* The chart is ordered by what it shows, dollars at risk (the table
	 * below keeps the order by lines). */
	struct count by_cents[RULE_COUNT];
	memcpy(by_cents, d->rules, d->nrules * sizeof *by_cents);
	qsort(by_cents, d->nrules, sizeof *by_cents, cmp_cents);
	for (size_t i = 0; i < d->nrules; i++, m++) {
		rc[m] = by_cents[i].name;
		rv[m] = dollars(by_cents[i].cents);
	}
	struct chart_bars b = { "Findings by rule: dollars at risk", NULL,
		m ? NULL : "Nothing flagged: every line passes the payers' rules.", rc, m,
		{ "at risk" }, { rv }, { 1 }, 1, false, true, FMT_DOLLARS, NULL };
	return chart_bars(cr, report_theme_of(d), x, y, w, h, &b);
}

/* 6. Denial rate by group size: Wilson intervals and the logistic curve. */
int report_chart_sizes(cairo_t *cr, struct data *d, double x, double y, double w,
		       double h)
{
	const struct size_analysis *an = d->in->sizes;
	size_t cap = an->nbins + 1;
	double *xs = malloc(4 * cap * sizeof *xs), cx[101], cy[101];
	size_t n = 0, nc = 0;

	if (!xs)
		return -1;
	double *ys = xs + cap, *lo = ys + cap, *hi = lo + cap;
	for (size_t i = 0; i < an->nbins; i++) {
		const struct size_bin *b = &an->bins[i];
		if (!b->n)
			continue;
		xs[n] = b->size;
		ys[n] = (double)b->d / b->n;
		stats_wilson(b->d, b->n, &lo[n], &hi[n]);
		n++;
	}
	bool line = an->fit.status == FIT_OK && !an->fit.lof_rejected;
	if (line && n) {
		double a = xs[0], z = xs[n - 1];
		for (int i = 0; i <= 100; i++) {
			cx[nc] = a + (z - a) * i / 100.0;
			cy[nc] = stats_logit_p(&an->fit, cx[nc]);
			nc++;
		}
	}
	struct chart_points p = { "Denial rate by group size", "members who attended the session",
		"denial rate", line
			? "Dots: the share of lines denied at each group size, leaving out "
			  "lines a payer's session rule predicts denied; bars: 95% Wilson "
			  "intervals (wide where few lines were seen); line: the fitted "
			  "logistic model."
			: an->fit.status == FIT_OK
			? "Dots: the share of lines denied at each group size, leaving out "
			  "lines a payer's session rule predicts denied; bars: 95% Wilson "
			  "intervals.  No line is drawn: a straight line on the log-odds "
			  "scale does not fit these rates (lack of fit, see the text)."
			: "Dots: the share of lines denied at each group size, leaving out "
			  "lines a payer's session rule predicts denied; bars: 95% Wilson "
			  "intervals.  No model is drawn: see the text above.",
		xs, ys, lo, hi, n, cx, cy, nc, "observed rate, 95% interval",
		nc ? "fitted model" : NULL, FMT_PERCENT, NULL, NULL };
	int rc = chart_points(cr, report_theme_of(d), x, y, w, h, &p);
	free(xs);
	return rc;
}

/* 7. The distribution of the plan's simulated revenue, P5/P50/P95 marked. */
int report_chart_projection(cairo_t *cr, struct data *d, double x, double y, double w,
			    double h)
{
	const struct project_view *pv = d->in->plan;

	double marks[3] = { pv->total.p5, pv->total.p50, pv->total.p95 };
	static const char *const ml[3] = { "P5", "P50", "P95" };
	struct chart_hist hg = { "Distribution of the plan's total revenue",
		"total revenue of the plan over the period", "Each bar: the share of "
		"simulated runs whose total revenue fell in that range.", pv->samples,
		pv->nsamples, 40, marks, ml, 3, FMT_DOLLARS };
	return chart_hist(cr, report_theme_of(d), x, y, w, h, &hg);
}
