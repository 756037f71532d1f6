/* report.c — the quarterly PDF report (Letter, several pages) and the
 * same charts as standalone files.
 *
 * Data is gathered once into small arrays (per quarter, per month, per
 * payer, per reason code), then each page draws from them.  Tables that
 * could be long (groups, clinicians) show the largest rows and say how
 * many more are in the CSV files.
 */
#include "render/report.h"

#include <cairo-pdf.h>
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/outfile.h"
#include "analysis/project_view.h"
#include "billing/rules.h"
#include "core/value.h"

#define PAGE_W 612.0
#define PAGE_H 792.0
#define MARGIN 50.0
#define BODY_W (PAGE_W - 2 * MARGIN)
#define MAX_TABLE_ROWS 14

struct qstat {
	int32_t q;
	uint64_t sessions, lines, adjudicated, denied, flagged, minutes, minute_sessions;
	int64_t expected, paid, at_risk;
};

struct payer_bar {
	uint32_t payer; /* roster payer id */
	double by_status[4]; /* dollars: paid, denied, pending, not billed */
};

struct month {
	int32_t key; /* year * 12 + month - 1 */
	double expected, paid;
};

struct count {
	const char *name;
	uint64_t n;
	double dollars;
};

struct data {
	const struct report_input *in;
	const struct roster *r;
	struct qstat *q;
	size_t nq;
	int32_t focus, first_q, last_q;
	const struct qstat *cur, *prev;
	struct payer_bar *payers;
	size_t npayers;
	struct month *months;
	size_t nmonths;
	struct count carcs[64];
	size_t ncarcs;
	uint64_t denied_lines; /* all of them, for the Pareto shares */
	struct count rules[RULE_COUNT];
	size_t nrules;
	char period[64];   /* of the tables in scope */
	char as_of[16];
	int pages, page;
};

/* ---- gathering ------------------------------------------------------------ */

static struct qstat *qfind(struct data *d, int32_t q)
{
	for (size_t i = 0; i < d->nq; i++)
		if (d->q[i].q == q)
			return &d->q[i];
	return NULL;
}

static int cmp_q(const void *a, const void *b)
{
	const struct qstat *x = a, *y = b;
	return x->q < y->q ? -1 : x->q > y->q;
}

static int cmp_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int cmp_dollars(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->dollars != y->dollars)
		return x->dollars > y->dollars ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int gather(struct data *d, const struct report_input *in)
{
	const struct roster *r = &in->run->roster;
	const struct scope *sc = &in->run->scope;
	size_t nl = r->lines.len, ns = r->sessions.len;
	uint16_t *smin = calloc(ns + 1, sizeof *smin);

	memset(d, 0, sizeof *d);
	d->in = in;
	d->r = r;
	d->q = calloc(64, sizeof *d->q);
	d->payers = calloc(r->payers.count + 1, sizeof *d->payers);
	d->months = calloc(32, sizeof *d->months);
	if (!smin || !d->q || !d->payers || !d->months) {
		free(smin);
		return -1;
	}
	int32_t maxq = INT32_MIN, minq = INT32_MAX;
	int32_t mmin = INT32_MAX, mmax = INT32_MIN;
	for (size_t i = 0; i < ns; i++) {
		int32_t q = value_quarter(roster_session(r, i)->date);
		maxq = q > maxq ? q : maxq;
		minq = q < minq ? q : minq;
		int y;
		unsigned m, dd;
		value_civil_from_days(roster_session(r, i)->date, &y, &m, &dd);
		int32_t mk = y * 12 + (int32_t)m - 1;
		mmin = mk < mmin ? mk : mmin;
		mmax = mk > mmax ? mk : mmax;
	}
	if (ns == 0) /* every row rejected: pages say so with zeros */
		maxq = minq = mmin = mmax = 0;
	d->focus = sc->all ? maxq : sc->quarter;
	d->first_q = sc->all ? minq : sc->quarter;
	d->last_q = d->focus;
	/* At most 64 quarters and 32 months are drawn: the most recent. */
	if (maxq - minq >= 64)
		minq = maxq - 63;
	if (mmax - mmin >= 24)
		mmin = mmax - 23;
	for (int32_t q = minq; q <= maxq && ns; q++)
		d->q[d->nq++].q = q;
	for (int32_t m = mmin; m <= mmax && ns; m++)
		d->months[d->nmonths++].key = m;
	for (size_t i = 0; i < nl; i++) {
		const struct line *ln = roster_line(r, i);
		if (!smin[ln->session] && ln->minutes)
			smin[ln->session] = ln->minutes;
	}
	for (size_t i = 0; i < ns; i++) {
		struct qstat *q = qfind(d, value_quarter(roster_session(r, i)->date));
		if (!q)
			continue;
		q->sessions++;
		if (smin[i]) {
			q->minutes += smin[i];
			q->minute_sessions++;
		}
	}
	free(smin);
	for (size_t i = 0; i < nl; i++) {
		const struct line *ln = roster_line(r, i);
		const struct session *s = roster_session(r, ln->session);
		if (!(ln->flags & LINE_ATTENDED))
			continue;
		int32_t qk = value_quarter(s->date);
		struct qstat *q = qfind(d, qk);
		int64_t cents = ledger_expected(&in->run->ledger, ln);
		double e = (double)cents / 100.0;
		if (q) {
			q->lines++;
			q->expected += cents;
			q->paid += (ln->flags & LINE_HAS_PAID) ? ln->paid : 0;
			if (ln->status == STATUS_PAID || ln->status == STATUS_DENIED)
				q->adjudicated++;
			if (ln->status == STATUS_DENIED)
				q->denied++;
			if (ln->issues) {
				q->flagged++;
				q->at_risk += cents;
			}
		}
		int y;
		unsigned m, dd;
		value_civil_from_days(s->date, &y, &m, &dd);
		int32_t mk = y * 12 + (int32_t)m - 1;
		if (d->nmonths && mk >= d->months[0].key) {
			struct month *mo = &d->months[mk - d->months[0].key];
			mo->expected += e;
			mo->paid += (ln->flags & LINE_HAS_PAID) ? ln->paid / 100.0 : 0;
		}
		if (qk == d->focus) {
			struct payer_bar *pb = &d->payers[ln->payer];
			int k = ln->status == STATUS_PAID ? 0 : ln->status == STATUS_DENIED ? 1
				: ln->status == STATUS_PENDING ? 2 : 3;
			pb->by_status[k] += e;
		}
		if (!scope_has(sc, s))
			continue;
		if (ln->status == STATUS_DENIED) {
			d->denied_lines++;
			const char *c = ln->carc == NO_ID16 ? "(no code given)"
							    : strpool_str(&r->carcs, ln->carc);
			size_t k;
			for (k = 0; k < d->ncarcs; k++)
				if (!strcmp(d->carcs[k].name, c))
					break;
			if (k == d->ncarcs && d->ncarcs < 64)
				d->carcs[d->ncarcs++].name = c;
			if (k < 64) {
				d->carcs[k].n++;
				d->carcs[k].dollars += e;
			}
		}
		for (int k = 0; k < RULE_COUNT; k++)
			if (ln->issues & (1u << k)) {
				d->rules[k].name = rules_table[k].name;
				d->rules[k].n++;
				d->rules[k].dollars += e;
			}
	}
	qsort(d->q, d->nq, sizeof *d->q, cmp_q);
	qsort(d->carcs, d->ncarcs, sizeof *d->carcs, cmp_count);
	for (int k = 0; k < RULE_COUNT; k++)
		if (d->rules[k].n)
			d->rules[d->nrules++] = d->rules[k];
	qsort(d->rules, d->nrules, sizeof *d->rules, cmp_count);
	for (uint32_t p = 0; p < r->payers.count; p++)
		d->payers[p].payer = p;
	d->npayers = r->payers.count;
	d->cur = qfind(d, d->focus);
	d->prev = qfind(d, d->focus - 1);
	char a[16], b[16];
	value_format_quarter(d->first_q, a);
	value_format_quarter(d->last_q, b);
	if (d->first_q == d->last_q)
		snprintf(d->period, sizeof d->period, "%s", a);
	else
		snprintf(d->period, sizeof d->period, "%s to %s", a, b);
	value_format_date(in->as_of, d->as_of);
	return 0;
}

static void release(struct data *d)
{
	free(d->q);
	free(d->payers);
	free(d->months);
}

/* ---- page furniture ------------------------------------------------------------ */

static const struct chart_theme *TH(const struct data *d)
{
	return d->in->theme;
}

static double heading(cairo_t *cr, const struct data *d, double y, const char *text)
{
	const struct chart_theme *t = TH(d);
	double h = chart_text(cr, t, MARGIN, y, BODY_W, 0, 14, true, &t->ink, text);
	cairo_set_source_rgb(cr, t->accent.r, t->accent.g, t->accent.b);
	cairo_rectangle(cr, MARGIN, y + h + 2, 36, 2);
	cairo_fill(cr);
	return y + h + 12;
}

static double para(cairo_t *cr, const struct data *d, double y, const char *text)
{
	const struct chart_theme *t = TH(d);
	return y + chart_text(cr, t, MARGIN, y, BODY_W, 0, t->text_size, false,
			      &t->ink, text) + 8;
}

static double basis(cairo_t *cr, const struct data *d, double y, const char *what)
{
	const struct chart_theme *t = TH(d);
	char buf[256];
	snprintf(buf, sizeof buf, "%s  ·  by date of service  ·  as of %s", what, d->as_of);
	return y + chart_text(cr, t, MARGIN, y, BODY_W, 0, t->small_size, false,
			      &t->muted, buf) + 4;
}

static void footer(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = TH(d);
	char buf[200];

	d->page++;
	snprintf(buf, sizeof buf, "grouprev · group psychotherapy (CPT 90853) · %s", d->in->attendance);
	chart_text(cr, t, MARGIN, PAGE_H - 34, BODY_W * 0.8, 0, t->small_size, false,
		   &t->muted, buf);
	snprintf(buf, sizeof buf, "page %d of %d", d->page, d->pages);
	chart_text(cr, t, PAGE_W - MARGIN, PAGE_H - 34, 0, 2, t->small_size, false,
		   &t->muted, buf);
}

/* Copy S into BUF of N bytes, cut if it must be (never for money). */
static void put(char *buf, size_t n, const char *s)
{
	size_t k = strlen(s);
	if (k >= n) {
		k = n - 1;
		while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
			k--; /* never cut a UTF-8 character in two */
	}
	memcpy(buf, s, k);
	buf[k] = '\0';
}

static void money(double dollars, char *buf, size_t n)
{
	char b[64];
	value_format_dollars((int64_t)llround(dollars * 100), b);
	put(buf, n, b);
}

/* Whole dollars, for projections whose cents mean nothing. */
static void dollars0(double dollars, char *buf, size_t n)
{
	char b[64];
	chart_format(dollars, FMT_DOLLARS, 0, b, sizeof b);
	put(buf, n, b);
}

static void cents_str(int64_t c, char *buf, size_t n)
{
	char b[64];
	value_format_dollars(c, b);
	put(buf, n, b);
}

static void rate_str(uint64_t num, uint64_t den, char *buf, size_t n)
{
	if (den)
		snprintf(buf, n, "%.1f%%", 100.0 * (double)num / (double)den);
	else
		put(buf, n, "–");
}

/* "▲ 12.5% on 2026Q2" */
static void change(double cur, double prev, bool have_prev, char *buf, size_t n)
{
	if (!have_prev || prev == 0 || !isfinite(cur) || !isfinite(prev)) {
		snprintf(buf, n, "no earlier quarter to compare");
		return;
	}
	double pct = (cur - prev) / fabs(prev) * 100.0;
	snprintf(buf, n, "%s %.1f%% on the quarter before", pct >= 0 ? "up" : "down", fabs(pct));
}

/* ---- page 1: key figures ------------------------------------------------ */

static void card(cairo_t *cr, const struct data *d, double x, double y, double w,
		 double h, const char *label, const char *value, const char *sub)
{
	const struct chart_theme *t = TH(d);
	cairo_set_source_rgb(cr, 0.955, 0.962, 0.972);
	cairo_rectangle(cr, x, y, w, h);
	cairo_fill(cr);
	cairo_set_source_rgb(cr, t->accent.r, t->accent.g, t->accent.b);
	cairo_rectangle(cr, x, y, 3, h);
	cairo_fill(cr);
	chart_text(cr, t, x + 10, y + 7, w - 14, 0, t->small_size, false, &t->muted, label);
	chart_text(cr, t, x + 10, y + 19, w - 14, 0, 15, true, &t->ink, value);
	chart_text(cr, t, x + 10, y + h - 16, w - 14, 0, t->small_size - 0.5, false,
		   &t->muted, sub);
}

static double per(int64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : NAN;
}

static int cmp_expected(const void *a, const void *b)
{
	const struct tally_row *x = *(const struct tally_row *const *)a;
	const struct tally_row *y = *(const struct tally_row *const *)b;
	if (x->expected != y->expected)
		return x->expected > y->expected ? -1 : 1;
	return x->key < y->key ? -1 : x->key > y->key;
}

/* ---- the charts ------------------------------------------------------------
 * Each draws into the box it is given: a page places it among its text,
 * and --charts gives it a surface of its own (CHART_W x CHART_H points,
 * 7.5 x 4.5 inches, the width of the report's body). */
typedef int (*chart_fn)(cairo_t *cr, struct data *d, double x, double y, double w,
			double h);
#define CHART_W 540.0
#define CHART_H 324.0
#define CHART_PAD 18.0

/* 1. Expected revenue by payer in the quarter, stacked by claim status. */
static int chart_payers(cairo_t *cr, struct data *d, double x, double y, double w,
			double h)
{
	char q[16], buf[200];

	if (d->nq)
		value_format_quarter(d->focus, q);
	else
		snprintf(q, sizeof q, "(none)");
	const char *cats[64];
	double vals[4][64];
	size_t n = 0;
	for (size_t i = 0; i < d->npayers && n < 64; i++) {
		const struct payer_bar *pb = &d->payers[i];
		if (pb->by_status[0] + pb->by_status[1] + pb->by_status[2] + pb->by_status[3] <= 0)
			continue;
		cats[n] = strpool_str(&d->r->payers, pb->payer);
		for (int s = 0; s < 4; s++)
			vals[s][n] = pb->by_status[s];
		n++;
	}
	snprintf(buf, sizeof buf, "Expected revenue by payer in %s, by claim status", q);
	struct chart_bars b = { buf, "expected revenue", "Each bar is the expected "
		"amount of the payer's attended lines (rates in force on the date of "
		"service); its parts show how much of it is already paid, denied, "
		"pending, or not yet billed.", cats, n, { "paid", "denied", "pending",
		"not yet billed" }, { vals[0], vals[1], vals[2], vals[3] }, { 2, 3, 1, 4 },
		4, true, false, FMT_DOLLARS, NULL };
	return chart_bars(cr, TH(d), x, y, w, h, &b);
}


/* 2. Monthly revenue: expected and paid. */
static int chart_trend(cairo_t *cr, struct data *d, double x, double y, double w,
		       double h)
{
	static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
					   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
	char labels[32][16];
	const char *cats[32];
	double ex[32], pa[32];
	for (size_t i = 0; i < d->nmonths; i++) {
		snprintf(labels[i], 16, "%s %02d", mon[d->months[i].key % 12],
			 d->months[i].key / 12 % 100);
		cats[i] = labels[i];
		ex[i] = d->months[i].expected;
		pa[i] = d->months[i].paid;
	}
	struct chart_lines l = { "Monthly revenue: expected and paid", "dollars",
		"By month of the date of service.  Paid trails expected while claims "
		"are pending; recent months fill in as remittances arrive.", cats,
		d->nmonths, { "expected", "paid" }, { ex, pa }, { 0, 2 }, 2, FMT_DOLLARS };
	return chart_lines(cr, TH(d), x, y, w, h, &l);
}


/* 3. Expected revenue per session by group program, with mean size. */
static int chart_programs(cairo_t *cr, struct data *d, double x, double y, double w,
			  double h)
{
	const struct tally *tl = d->in->tally;
	const struct tally_row **order = malloc((tl->ngroups + 1) * sizeof *order);
	char labels[MAX_TABLE_ROWS][96];
	const char *cats[MAX_TABLE_ROWS];
	double v[MAX_TABLE_ROWS];
	size_t n = 0;
	if (!order)
		return -1;
	for (uint32_t i = 0; i < tl->ngroups; i++)
		order[i] = &tl->groups[i];
	qsort(order, tl->ngroups, sizeof *order, cmp_expected);
	for (uint32_t i = 0; i < tl->ngroups && n < MAX_TABLE_ROWS; i++, n++) {
		const struct tally_row *g = order[i];
		snprintf(labels[n], sizeof labels[n], "%s (mean %.1f members)",
			 strpool_str(&d->r->groups, g->key),
			 g->sessions ? (double)g->lines / g->sessions : 0.0);
		cats[n] = labels[n];
		v[n] = g->sessions ? g->expected / 100.0 / g->sessions : 0;
	}
	free(order);
	struct chart_bars b = { "Expected revenue per session, by group program", NULL,
		"Expected amount of a session's attended lines, averaged over the "
		"program's sessions; the mean group size is in brackets.", cats, n,
		{ "per session" }, { v }, { 0 }, 1, false, true, FMT_DOLLARS, NULL };
	return chart_bars(cr, TH(d), x, y, w, h, &b);
}

/* 4. Denied lines by reason code: a Pareto chart. */
static int chart_reasons(cairo_t *cr, struct data *d, double x, double y, double w,
			 double h)
{
	const char *cats[16];
	double v[16];
	size_t n = 0;

	/* Pareto: most frequent first, each bar labelled with its count and
	 * the share of all denied lines that it and the codes above it
	 * explain. */
	char labels[16][48];
	const char *lp[16];
	uint64_t cum = 0;
	for (size_t i = 0; i < d->ncarcs && n < 12; i++, n++) {
		cats[n] = d->carcs[i].name;
		v[n] = (double)d->carcs[i].n;
		cum += d->carcs[i].n;
		snprintf(labels[n], sizeof labels[n], "%" PRIu64 " \u00b7 %.0f%%",
			 d->carcs[i].n, 100.0 * (double)cum / (double)d->denied_lines);
		lp[n] = labels[n];
	}
	struct chart_bars a = { "Denied lines by reason code", NULL,
		n ? "Beside each bar: its lines \u00b7 the cumulative share of all denied "
		    "lines." : "No denied lines in this period.", cats, n, { "lines" },
		{ v }, { 3 }, 1, false, true, FMT_NUMBER, lp };
	return chart_bars(cr, TH(d), x, y, w, h, &a);
}

/* 5. Pre-submission findings by rule, with the dollars at risk. */
static int chart_findings(cairo_t *cr, struct data *d, double x, double y, double w,
			  double h)
{
	const char *rc[RULE_COUNT];
	double rv[RULE_COUNT];
	size_t m = 0;
	/* The chart is ordered by what it shows, dollars at risk (the table
	 * below keeps the order by lines). */
	struct count by_dollars[RULE_COUNT];
	memcpy(by_dollars, d->rules, d->nrules * sizeof *by_dollars);
	qsort(by_dollars, d->nrules, sizeof *by_dollars, cmp_dollars);
	for (size_t i = 0; i < d->nrules; i++, m++) {
		rc[m] = by_dollars[i].name;
		rv[m] = by_dollars[i].dollars;
	}
	struct chart_bars b = { "Findings by rule: dollars at risk", NULL,
		m ? NULL : "Nothing flagged: every line passes the payers' rules.", rc, m,
		{ "at risk" }, { rv }, { 1 }, 1, false, true, FMT_DOLLARS, NULL };
	return chart_bars(cr, TH(d), x, y, w, h, &b);
}

/* 6. Denial rate by group size: Wilson intervals and the logistic curve. */
static int chart_sizes(cairo_t *cr, struct data *d, double x, double y, double w,
		       double h)
{
	const struct size_analysis *an = d->in->sizes;
	double xs[128], ys[128], lo[128], hi[128], cx[101], cy[101];
	size_t n = 0, nc = 0;

	for (size_t i = 0; i < an->nbins && n < 128; i++) {
		const struct size_bin *b = &an->bins[i];
		if (!b->n)
			continue;
		xs[n] = b->size;
		ys[n] = (double)b->d / b->n;
		stats_wilson(b->d, b->n, &lo[n], &hi[n]);
		n++;
	}
	if (an->fit.status == FIT_OK && n) {
		double a = xs[0], z = xs[n - 1];
		for (int i = 0; i <= 100; i++) {
			cx[nc] = a + (z - a) * i / 100.0;
			cy[nc] = stats_logit_p(&an->fit, cx[nc]);
			nc++;
		}
	}
	struct chart_points p = { "Denial rate by group size", "members who attended the session",
		"denial rate", an->fit.status == FIT_OK
			? "Dots: the share of adjudicated lines denied at each group size; "
			  "bars: 95% Wilson intervals (wide where few lines were seen); "
			  "line: the fitted logistic model."
			: "Dots: the share of adjudicated lines denied at each group size; "
			  "bars: 95% Wilson intervals.  No model is drawn: see the text above.",
		xs, ys, lo, hi, n, cx, cy, nc, "observed rate, 95% interval",
		nc ? "fitted model" : NULL, FMT_PERCENT };
	return chart_points(cr, TH(d), x, y, w, h, &p);
}

/* 7. The distribution of the plan's simulated revenue, P5/P50/P95 marked. */
static int chart_projection(cairo_t *cr, struct data *d, double x, double y, double w,
			    double h)
{
	const struct project_view *pv = d->in->plan;

	double marks[3] = { pv->total.p5, pv->total.p50, pv->total.p95 };
	static const char *const ml[3] = { "P5", "P50", "P95" };
	struct chart_hist hg = { "Distribution of the plan's total revenue",
		"total revenue of the plan over the period", "Each bar: the share of "
		"simulated runs whose total revenue fell in that range.", pv->samples,
		pv->nsamples, 40, marks, ml, 3, FMT_DOLLARS };
	return chart_hist(cr, TH(d), x, y, w, h, &hg);
}


static int page_summary(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = TH(d);
	const struct qstat *c = d->cur, *p = d->prev;
	char q[16], buf[512], v[64], sub[96];
	double y = MARGIN;

	if (d->nq)
		value_format_quarter(d->focus, q);
	else
		snprintf(q, sizeof q, "(none)");
	y += chart_text(cr, t, MARGIN, y, BODY_W, 0, 20, true, &t->ink,
			"Group psychotherapy revenue report");
	snprintf(buf, sizeof buf, "Quarter %s  ·  CPT 90853 group psychotherapy  ·  "
		 "%s", q, d->in->attendance);
	y += chart_text(cr, t, MARGIN, y + 4, BODY_W, 0, t->text_size + 1, false,
			&t->muted, buf) + 8;
	y = basis(cr, d, y, "All figures for the quarter") + 8;

	struct qstat zero = { 0 };
	if (!c)
		c = &zero;
	bool hp = p != NULL;
	if (!p)
		p = &zero;
	double w = (BODY_W - 3 * 10) / 4, h = 58;
	struct {
		const char *label;
		double cur, prev;
		int kind; /* 0 count, 1 dollars, 2 percent, 3 decimal */
	} figs[8] = {
		{ "Sessions", (double)c->sessions, (double)p->sessions, 0 },
		{ "Attended lines", (double)c->lines, (double)p->lines, 0 },
		{ "Expected revenue", c->expected / 100.0, p->expected / 100.0, 1 },
		{ "Paid so far", c->paid / 100.0, p->paid / 100.0, 1 },
		{ "Denial rate", per((int64_t)c->denied, c->adjudicated),
		  per((int64_t)p->denied, p->adjudicated), 2 },
		{ "Dollars at risk", c->at_risk / 100.0, p->at_risk / 100.0, 1 },
		{ "Mean group size", per((int64_t)c->lines, c->sessions),
		  per((int64_t)p->lines, p->sessions), 3 },
		{ "Revenue per session", per(c->expected, c->sessions) / 100.0,
		  per(p->expected, p->sessions) / 100.0, 1 },
	};
	for (int i = 0; i < 8; i++) {
		double x = MARGIN + (i % 4) * (w + 10), cy = y + (i / 4) * (h + 10);
		if (!isfinite(figs[i].cur))
			snprintf(v, sizeof v, "n/a");
		else if (figs[i].kind == 0)
			snprintf(v, sizeof v, "%.0f", figs[i].cur);
		else if (figs[i].kind == 1)
			money(figs[i].cur, v, sizeof v);
		else if (figs[i].kind == 2)
			snprintf(v, sizeof v, "%.1f%%", figs[i].cur * 100);
		else
			snprintf(v, sizeof v, "%.1f", figs[i].cur);
		change(figs[i].cur, figs[i].prev, hp, sub, sizeof sub);
		card(cr, d, x, cy, w, h, figs[i].label, v, sub);
	}
	y += 2 * (h + 10) + 6;
	if (c->minute_sessions && c->minute_sessions == c->sessions && c->minutes) {
		money(c->expected / 100.0 * 60.0 / (double)c->minutes, v, sizeof v);
		snprintf(buf, sizeof buf, "Expected revenue per clinician hour of group: %s "
			 "(from session lengths).", v);
		y = para(cr, d, y, buf);
	}
	/* In brief. */
	char e[64], pd[64], risk[64];
	money(c->expected / 100.0, e, sizeof e);
	money(c->paid / 100.0, pd, sizeof pd);
	money(c->at_risk / 100.0, risk, sizeof risk);
	snprintf(buf, sizeof buf,
		 "In %s the practice ran %llu group sessions with %llu billable "
		 "attendances, worth %s at the payers' expected rates; %s has been "
		 "paid so far.  The pre-submission check flags %llu lines, worth %s, "
		 "that a payer would most likely deny as they stand — fix them before "
		 "the claims go out (page 4 and `grouprev check`).",
		 q, (unsigned long long)c->sessions, (unsigned long long)c->lines, e, pd,
		 (unsigned long long)c->flagged, risk);
	y = heading(cr, d, y + 4, "In brief");
	y = para(cr, d, y, buf);

	return chart_payers(cr, d, MARGIN, y + 6, BODY_W, PAGE_H - 60 - y - 6);
}

/* ---- page 2: payers and the trend -------------------------------------- */

static int page_payers(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = TH(d);
	const struct tally *tl = d->in->tally;
	char q[16], buf[200];
	static const char *const hdr[] = { "payer", "lines", "expected", "range (low–high)",
					   "paid", "denial rate", "flagged", "at risk" };
	static const bool num[] = { false, true, true, true, true, true, true, true };
	char cells[40][8][48];
	const char *ptr[41 * 8];
	size_t n = 0;
	struct tally_row tot = { 0 };

	value_format_quarter(d->focus, q);
	snprintf(buf, sizeof buf, "Revenue by payer, %s", q);
	double y = heading(cr, d, MARGIN, buf);
	y = basis(cr, d, y, "Attended lines of the quarter") + 2;
	for (uint32_t i = 0; i < tl->nsummary && n < 39; i++) {
		const struct tally_row *x = &tl->summary[i];
		if (x->quarter != d->focus)
			continue;
		tot.lines += x->lines;
		tot.expected += x->expected;
		tot.low += x->low;
		tot.high += x->high;
		tot.paid += x->paid;
		tot.adjudicated += x->adjudicated;
		tot.denied += x->denied;
		tot.flagged += x->flagged;
		tot.at_risk += x->at_risk;
		const struct tally_row *rows[1] = { x };
		(void)rows;
		snprintf(cells[n][0], 48, "%s", strpool_str(&d->r->payers, x->key));
		n++;
		snprintf(cells[n - 1][1], 48, "%llu", (unsigned long long)x->lines);
		cents_str(x->expected, cells[n - 1][2], 48);
		char lo[48], hi[48];
		cents_str(x->low, lo, sizeof lo);
		cents_str(x->high, hi, sizeof hi);
		snprintf(buf, sizeof buf, "%s–%s", lo, hi);
		put(cells[n - 1][3], 48, buf);
		cents_str(x->paid, cells[n - 1][4], 48);
		rate_str(x->denied, x->adjudicated, cells[n - 1][5], 48);
		snprintf(cells[n - 1][6], 48, "%llu", (unsigned long long)x->flagged);
		cents_str(x->at_risk, cells[n - 1][7], 48);
	}
	snprintf(cells[n][0], 48, "Total");
	snprintf(cells[n][1], 48, "%llu", (unsigned long long)tot.lines);
	cents_str(tot.expected, cells[n][2], 48);
	char lo[48], hi[48];
	cents_str(tot.low, lo, sizeof lo);
	cents_str(tot.high, hi, sizeof hi);
	snprintf(buf, sizeof buf, "%s–%s", lo, hi);
	put(cells[n][3], 48, buf);
	cents_str(tot.paid, cells[n][4], 48);
	rate_str(tot.denied, tot.adjudicated, cells[n][5], 48);
	snprintf(cells[n][6], 48, "%llu", (unsigned long long)tot.flagged);
	cents_str(tot.at_risk, cells[n][7], 48);
	n++;
	for (size_t r = 0; r < n; r++)
		for (int c = 0; c < 8; c++)
			ptr[r * 8 + c] = cells[r][c];
	struct chart_table tb = { hdr, 8, ptr, n, num, true };
	y += chart_table(cr, t, MARGIN, y, BODY_W, &tb) + 6;
	y = para(cr, d, y, "The range is what the same lines would bring at the low and "
		 "high ends of each payer's rates (for Medicare, the spread between "
		 "localities).  The denial rate counts denied lines among those the "
		 "payer has answered (paid or denied).");

	return chart_trend(cr, d, MARGIN, y + 8, BODY_W, PAGE_H - 60 - y - 8);
}

/* ---- page 3: programs and clinicians -------------------------------------- */

static double program_table(cairo_t *cr, struct data *d, double y,
			    const struct tally_row *rows, uint32_t nrows,
			    const struct strpool *names, const char *what)
{
	const struct chart_theme *t = TH(d);
	const char *hdr[] = { what, "sessions", "mean size", "attendance", "expected",
			      "per session", "paid", "denial rate" };
	static const bool num[] = { false, true, true, true, true, true, true, true };
	const struct tally_row **order = malloc((nrows + 1) * sizeof *order);
	char cells[MAX_TABLE_ROWS + 1][8][48];
	const char *ptr[(MAX_TABLE_ROWS + 1) * 8];
	size_t n = 0;

	if (!order)
		return y;
	for (uint32_t i = 0; i < nrows; i++)
		order[i] = &rows[i];
	qsort(order, nrows, sizeof *order, cmp_expected);
	for (uint32_t i = 0; i < nrows && n < MAX_TABLE_ROWS; i++, n++) {
		const struct tally_row *x = order[i];
		put(cells[n][0], 48, strpool_str(names, x->key));
		snprintf(cells[n][1], 48, "%llu", (unsigned long long)x->sessions);
		snprintf(cells[n][2], 48, "%.1f", x->sessions ? (double)x->lines / x->sessions : 0.0);
		snprintf(cells[n][3], 48, "%.0f%%", x->rows ? 100.0 * x->lines / x->rows : 0.0);
		cents_str(x->expected, cells[n][4], 48);
		cents_str(x->sessions ? (int64_t)llround((double)x->expected / x->sessions) : 0,
			  cells[n][5], 48);
		cents_str(x->paid, cells[n][6], 48);
		rate_str(x->denied, x->adjudicated, cells[n][7], 48);
	}
	for (size_t r = 0; r < n; r++)
		for (int c = 0; c < 8; c++)
			ptr[r * 8 + c] = cells[r][c];
	struct chart_table tb = { hdr, 8, ptr, n, num, false };
	y += chart_table(cr, t, MARGIN, y, BODY_W, &tb) + 4;
	if (nrows > n) {
		char buf[160];
		snprintf(buf, sizeof buf, "… and %u more, in the CSV table.", nrows - (unsigned)n);
		y = para(cr, d, y, buf);
	}
	free(order);
	return y + 6;
}

static int page_programs(cairo_t *cr, struct data *d)
{
	const struct tally *tl = d->in->tally;
	char buf[200];

	double y = heading(cr, d, MARGIN, "Group programs and clinicians");
	snprintf(buf, sizeof buf, "Sessions of %s", d->period);
	y = basis(cr, d, y, buf) + 2;
	y = program_table(cr, d, y, tl->groups, tl->ngroups, &d->r->groups, "group program");
	y = program_table(cr, d, y, tl->clinicians, tl->nclinicians, &d->r->clinicians,
			  "clinician");

	double h = PAGE_H - 60 - y;
	if (h < 150)
		h = 150;
	return chart_programs(cr, d, MARGIN, y, BODY_W, h);
}

/* ---- page 4: denials and findings -------------------------------------- */

static int page_denials(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = TH(d);
	char buf[400];

	double y = heading(cr, d, MARGIN, "Denials and pre-submission findings");
	snprintf(buf, sizeof buf, "Sessions of %s", d->period);
	y = basis(cr, d, y, buf) + 2;
	y = para(cr, d, y, "Left: the reason codes (CARC) payers gave on denied lines, most "
		 "frequent first.  Right: what the pre-submission check finds in the same "
		 "lines, with the expected dollars each rule puts at risk.  The rules and "
		 "their sources are in docs/rules.md.");
	double h = 300;
	if (chart_reasons(cr, d, MARGIN, y, BODY_W / 2 - 8, h) ||
	    chart_findings(cr, d, MARGIN + BODY_W / 2 + 8, y, BODY_W / 2 - 8, h))
		return -1;
	y += h + 14;
	/* The rules table with counts. */
	static const char *const hdr[] = { "rule", "code", "lines", "at risk", "what it means" };
	static const bool num[] = { false, false, true, true, false };
	char cells[RULE_COUNT][5][160];
	const char *ptr[RULE_COUNT * 5];
	for (size_t i = 0; i < d->nrules; i++) {
		const struct rule *ru = rules_by_name(d->rules[i].name);
		snprintf(cells[i][0], 160, "%s", ru->name);
		snprintf(cells[i][1], 160, "%s%s%s", ru->carc, ru->rarc ? " " : "",
			 ru->rarc ? ru->rarc : "");
		snprintf(cells[i][2], 160, "%llu", (unsigned long long)d->rules[i].n);
		money(d->rules[i].dollars, cells[i][3], 160);
		snprintf(cells[i][4], 160, "%s", ru->reason);
		for (int c = 0; c < 5; c++)
			ptr[i * 5 + c] = cells[i][c];
	}
	if (d->nrules) {
		struct chart_table tb = { hdr, 5, ptr, d->nrules, num, false };
		chart_table(cr, t, MARGIN, y, BODY_W, &tb);
	}
	return 0;
}

/* ---- page 5: group size ------------------------------------------------ */

static int page_sizes(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = TH(d);
	const struct size_analysis *an = d->in->sizes;
	char buf[200];

	double y = heading(cr, d, MARGIN, "Group size and denials");
	snprintf(buf, sizeof buf, "Adjudicated lines of %s", d->period);
	y = basis(cr, d, y, buf) + 2;
	y = para(cr, d, y, an->summary);
	if (chart_sizes(cr, d, MARGIN, y + 4, BODY_W, 300))
		return -1;
	y += 314;
	static const char *const hdr[] = { "size", "sessions", "adjudicated", "denied",
					   "rate", "95% interval", "per session after denials" };
	static const bool num[] = { true, true, true, true, true, true, true };
	char cells[24][7][48];
	const char *ptr[24 * 7];
	size_t r = 0;
	for (size_t i = 0; i < an->nbins && r < 24; i++, r++) {
		const struct size_bin *b = &an->bins[i];
		double l, h;
		stats_wilson(b->d, b->n, &l, &h);
		snprintf(cells[r][0], 48, "%u", b->size);
		snprintf(cells[r][1], 48, "%llu", (unsigned long long)b->sessions);
		snprintf(cells[r][2], 48, "%llu", (unsigned long long)b->n);
		snprintf(cells[r][3], 48, "%llu", (unsigned long long)b->d);
		snprintf(cells[r][4], 48, "%.1f%%", b->n ? 100.0 * b->d / b->n : 0.0);
		snprintf(cells[r][5], 48, "%.1f%%–%.1f%%", 100 * l, 100 * h);
		put(cells[r][6], 48, "–");
		for (size_t k = 0; k < an->opt.nrows; k++)
			if (an->opt.rows[k].size == b->size)
				money(an->opt.rows[k].per_session / 100.0, cells[r][6], 48);
		for (int c = 0; c < 7; c++)
			ptr[r * 7 + c] = cells[r][c];
	}
	struct chart_table tb = { hdr, 7, ptr, r, num, false };
	chart_table(cr, t, MARGIN, y, BODY_W, &tb);
	return 0;
}

/* ---- projection ------------------------------------------------------------ */

static int project_view_page(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = TH(d);
	const struct project_view *pv = d->in->plan;
	char buf[600], a[64], b[64], c[64];

	if (!pv)
		return 0;
	double y = heading(cr, d, MARGIN, "Projection of the planned programs");
	money(pv->total.mean, a, sizeof a);
	money(pv->total.p5, b, sizeof b);
	money(pv->total.p95, c, sizeof c);
	snprintf(buf, sizeof buf, "Simulated %zu times (generator %s, seed %lu).  "
		 "Expected revenue of the plan: %s on average; in 90 of 100 runs between "
		 "%s and %s.  %s", pv->nsamples, pv->generator, pv->seed, a, b, c,
		 pv->denial_model);
	y = para(cr, d, y, buf);
	static const char *const hdr[] = { "group", "sessions", "mean", "P5", "P50", "P95",
					   "exact mean", "cost", "net", "break-even" };
	static const bool num[] = { false, true, true, true, true, true, true, true, true, true };
	char cells[MAX_TABLE_ROWS + 1][10][48];
	const char *ptr[(MAX_TABLE_ROWS + 1) * 10];
	size_t n = 0;
	for (size_t i = 0; i <= pv->ngroups && n <= MAX_TABLE_ROWS; i++) {
		const struct project_view_group *g = i < pv->ngroups ? &pv->groups[i] : &pv->total;
		if (i < pv->ngroups && n == MAX_TABLE_ROWS)
			continue;
		put(cells[n][0], 48, i < pv->ngroups ? g->group : "Total");
		snprintf(cells[n][1], 48, "%u", g->sessions);
		dollars0(g->mean, cells[n][2], 48);
		dollars0(g->p5, cells[n][3], 48);
		dollars0(g->p50, cells[n][4], 48);
		dollars0(g->p95, cells[n][5], 48);
		dollars0(g->analytic, cells[n][6], 48);
		dollars0(g->cost, cells[n][7], 48);
		dollars0(g->net, cells[n][8], 48);
		if (i == pv->ngroups)
			put(cells[n][9], 48, "–");
		else if (g->break_even)
			snprintf(cells[n][9], 48, "%u members", g->break_even);
		else
			snprintf(cells[n][9], 48, "not reached");
		for (int k = 0; k < 10; k++)
			ptr[n * 10 + k] = cells[n][k];
		n++;
	}
	struct chart_table tb = { hdr, 10, ptr, n, num, true };
	y += chart_table(cr, t, MARGIN, y, BODY_W, &tb) + 6;
	y = para(cr, d, y, "P5, P50 and P95: 5 in 100 runs earned less than P5, half less "
		 "than P50, 95 in 100 less than P95.  The exact mean is computed without "
		 "simulation; it should agree with the simulated mean.  Break-even: the "
		 "smallest enrolment at which the expected net per session is not negative.");
	return chart_projection(cr, d, MARGIN, y + 6, BODY_W, PAGE_H - 60 - y - 6);
}

/* ---- appendix ------------------------------------------------------------ */

static int page_appendix(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = TH(d);
	const struct run *run = d->in->run;
	const struct roster *r = d->r;
	char buf[700];

	double y = heading(cr, d, MARGIN, "Appendix: data, rates and definitions");
	snprintf(buf, sizeof buf, "Data quality.  %s: %zu rows read = %zu used + %zu "
		 "rejected%s.  Every rejected row is listed with its line and reason in "
		 "rejects.csv; the first ones:", d->in->attendance, r->rows_read,
		 r->rows_used, r->rows_rejected,
		 r->empty_lines ? " (empty lines skipped)" : "");
	y = para(cr, d, y, buf);
	size_t nrej = run->rejects.items.len;
	static const char *const hdr[] = { "line", "reason" };
	static const bool num[] = { true, false };
	char cells[10][2][320];
	const char *ptr[20];
	size_t k;
	for (k = 0; k < nrej && k < 10; k++) {
		const struct reject *x = &VEC_AT(&run->rejects.items, struct reject, k);
		snprintf(cells[k][0], 320, "%zu", x->line);
		snprintf(cells[k][1], 320, "%s", x->reason);
		for (int c = 0; c < 2; c++)
			ptr[k * 2 + c] = cells[k][c];
	}
	if (k) {
		struct chart_table tb = { hdr, 2, ptr, k, num, false };
		y += chart_table(cr, t, MARGIN, y, BODY_W, &tb) + 6;
	}
	if (nrej > k) {
		snprintf(buf, sizeof buf, "… and %zu more in rejects.csv.", nrej - k);
		y = para(cr, d, y, buf);
	}
	for (int i = 0; i < RULE_COUNT; i++)
		if (run->ledger.unchecked & (1u << i)) {
			snprintf(buf, sizeof buf, "Rule %s was not checked: the attendance file "
				 "has no column it needs.", rules_table[i].name);
			y = para(cr, d, y, buf);
		}
	snprintf(buf, sizeof buf, "Rate tables.  %s (sources of every figure: the "
		 "README.md beside payers.csv).  Payers and their rules:",
		 run->rates.dir);
	y = para(cr, d, y + 4, buf);
	static const char *const ph[] = { "payer", "name", "class", "size",
					  "video", "phone", "auth" };
	static const bool pn[] = { false, false, false, false, false, false, false };
	static char pc[20][7][96];
	const char *pp[20 * 7];
	size_t np = 0;
	for (uint32_t i = 0; i < run->rates.npayers && np < 20; i++, np++) {
		const struct payer *p = &run->rates.payers[i];
		snprintf(pc[np][0], 96, "%s", p->id);
		snprintf(pc[np][1], 96, "%s", p->name);
		snprintf(pc[np][2], 96, "%s", rates_class_name(p->cls));
		if (p->max_group)
			snprintf(pc[np][3], 96, "%u–%u", p->min_group, p->max_group);
		else
			snprintf(pc[np][3], 96, "%u or more", p->min_group);
		const struct tele_policy *tp[2] = { &p->telehealth, &p->audio_only };
		for (int j = 0; j < 2; j++)
			snprintf(pc[np][4 + j], 96, "%s", tp[j]->rule == TELE_NOT_COVERED
				 ? "not covered" : tp[j]->rule == TELE_MODIFIER
				 ? tp[j]->modifier : "no modifier");
		snprintf(pc[np][6], 96, "%s", p->needs_auth ? "required" : "–");
		for (int c = 0; c < 7; c++)
			pp[np * 7 + c] = pc[np][c];
	}
	struct chart_table pt = { ph, 7, pp, np, pn, false };
	y += chart_table(cr, t, MARGIN, y, BODY_W, &pt) + 8;
	y = heading(cr, d, y + 4, "How the figures are computed");
	static const char *const defs[] = {
		"Attended line: one member present at one session; only these are billed.  "
		"A session's group size is its number of attended lines.",
		"Expected revenue: for each attended line, the payer's 90853 rate in force on "
		"the date of service for the office or facility setting (from the place of "
		"service), times the payer's share for the clinician's licence, rounded to the "
		"cent, plus any add-on code; summed in whole cents.  Low and high use the "
		"rate table's low and high amounts.  A line with an unknown payer or no rate "
		"is left unpriced and counted apart, never as $0.",
		"Paid: the amounts in the file's paid column.  Denial rate: denied lines / "
		"lines with status paid or denied.",
		"Flagged and dollars at risk: lines that break at least one payer rule "
		"(docs/rules.md), and their expected amount.",
		"Group-size statistics: 95% Wilson intervals; logistic regression of denial "
		"on group size; Cochran–Armitage trend test (docs/statistics.md).",
	};
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
		y = para(cr, d, y, defs[i]);
	return 0;
}

/* ---- assembling ------------------------------------------------------------ */

typedef int (*page_fn)(cairo_t *, struct data *);

int report_write_pdf(const struct report_input *in, const char *path,
		     struct gr_err *err)
{
	struct data d;
	struct outfile o;
	page_fn pages[] = { page_summary, page_payers, page_programs, page_denials,
			    page_sizes, project_view_page, page_appendix };
	size_t np = sizeof pages / sizeof pages[0];
	int rc = -1;

	if (gather(&d, in) != 0) {
		release(&d);
		return gr_fail(err, path, 0, "out of memory");
	}
	d.pages = (int)np - (in->plan ? 0 : 1);
	if (outfile_reserve(&o, path, err) != 0) {
		release(&d);
		return -1;
	}
	cairo_surface_t *s = chart_surface(o.tmp, "pdf", PAGE_W, PAGE_H, err);
	if (!s)
		goto out;
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE,
				       "Group psychotherapy revenue report");
	cairo_t *cr = cairo_create(s);
	for (size_t i = 0; i < np; i++) {
		if (pages[i] == project_view_page && !in->plan)
			continue;
		if (pages[i](cr, &d) != 0 || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
			gr_fail(err, path, 0, "cannot draw page %d: %s", d.page + 1,
				cairo_status_to_string(cairo_status(cr)));
			cairo_destroy(cr);
			cairo_surface_destroy(s);
			goto out;
		}
		footer(cr, &d);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	if (chart_surface_finish(s, o.tmp, "pdf", err) != 0)
		goto out;
	rc = outfile_commit(&o, err);
out:
	if (rc != 0)
		outfile_abort(&o);
	release(&d);
	return rc;
}

int report_write_charts(const struct report_input *in, const char *dir,
			const char *format, struct gr_err *err)
{
	/* Each chart alone, on a surface of its own: the same drawing as in
	 * the report, in a box of CHART_W x CHART_H points. */
	static const struct { const char *name; chart_fn fn; } charts[] = {
		{ "1-revenue-by-payer", chart_payers },
		{ "2-monthly-trend", chart_trend },
		{ "3-programs", chart_programs },
		{ "4-denial-reasons", chart_reasons },
		{ "5-findings", chart_findings },
		{ "6-group-size", chart_sizes },
		{ "7-projection", chart_projection },
	};
	struct data d;
	char path[1024];
	int rc = 0;

	if (gather(&d, in) != 0) {
		release(&d);
		return gr_fail(err, dir, 0, "out of memory");
	}
	if (outfile_mkdir(dir, err) != 0) {
		release(&d);
		return -1;
	}
	for (size_t i = 0; i < sizeof charts / sizeof charts[0] && rc == 0; i++) {
		struct outfile o;
		if (charts[i].fn == chart_projection && !in->plan)
			continue;
		snprintf(path, sizeof path, "%s/chart-%s.%s", dir, charts[i].name, format);
		if (outfile_reserve(&o, path, err) != 0) {
			rc = -1;
			break;
		}
		cairo_surface_t *s = chart_surface(o.tmp, format, CHART_W, CHART_H, err);
		if (!s) {
			outfile_abort(&o);
			rc = -1;
			break;
		}
		cairo_t *cr = cairo_create(s);
		if (!strcmp(format, "png")) {
			cairo_scale(cr, 2, 2);
			cairo_set_source_rgb(cr, 1, 1, 1);
			cairo_paint(cr);
		}
		rc = charts[i].fn(cr, &d, CHART_PAD, CHART_PAD, CHART_W - 2 * CHART_PAD,
				  CHART_H - 2 * CHART_PAD);
		cairo_destroy(cr);
		if (rc == 0)
			rc = chart_surface_finish(s, o.tmp, format, err);
		else
			cairo_surface_destroy(s);
		rc = rc == 0 ? outfile_commit(&o, err) : (outfile_abort(&o), -1);
	}
	release(&d);
	return rc;
}

int report_theme(struct chart_theme *th, const char *path, struct gr_err *err)
{
	char buf[1100], rates[1024];

	chart_theme_defaults(th);
	if (path)
		return chart_theme_load(th, path, err);
	run_default_rates(rates, sizeof rates);
	snprintf(buf, sizeof buf, "%s/../charts/theme.conf", rates);
	return chart_theme_load(th, buf, err);
}

/* One page drawn by FN on its own PDF. */
static int single_page(struct data *d, page_fn fn, const char *title,
		       const char *path, struct gr_err *err)
{
	struct outfile o;
	int rc = -1;

	d->pages = 1;
	if (outfile_reserve(&o, path, err) != 0)
		return -1;
	cairo_surface_t *s = chart_surface(o.tmp, "pdf", PAGE_W, PAGE_H, err);
	if (!s) {
		outfile_abort(&o);
		return -1;
	}
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_t *cr = cairo_create(s);
	bool drawn = fn(cr, d) == 0 && cairo_status(cr) == CAIRO_STATUS_SUCCESS;
	if (drawn) {
		footer(cr, d);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	if (!drawn) {
		cairo_surface_destroy(s);
		gr_fail(err, path, 0, "cannot draw the page");
	} else if (chart_surface_finish(s, o.tmp, "pdf", err) == 0) {
		rc = outfile_commit(&o, err);
	}
	if (rc != 0)
		outfile_abort(&o);
	return rc;
}

int report_write_projection_pdf(const struct project_view *pv,
				const struct chart_theme *theme, const char *plan_file,
				const char *path, struct gr_err *err)
{
	struct report_input in;
	struct data d;

	memset(&in, 0, sizeof in);
	memset(&d, 0, sizeof d);
	in.plan = pv;
	in.theme = theme;
	in.attendance = plan_file;
	d.in = &in;
	return single_page(&d, project_view_page, "Projection of planned group programs",
			   path, err);
}

int report_write_sizes_pdf(const struct run *run, const struct size_analysis *an,
			   const struct chart_theme *theme, const char *attendance,
			   const char *path, struct gr_err *err)
{
	struct report_input in;
	struct data d;
	struct tally empty;

	memset(&in, 0, sizeof in);
	memset(&empty, 0, sizeof empty);
	in.run = run;
	in.tally = &empty;
	in.sizes = an;
	in.attendance = attendance;
	in.theme = theme;
	for (size_t i = 0; i < run->roster.sessions.len; i++) {
		const struct session *s = roster_session(&run->roster, i);
		if (scope_has(&run->scope, s) && s->date > in.as_of)
			in.as_of = s->date;
	}
	if (gather(&d, &in) != 0) {
		release(&d);
		return gr_fail(err, path, 0, "out of memory");
	}
	int rc = single_page(&d, page_sizes, "Group size and denials", path, err);
	release(&d);
	return rc;
}
