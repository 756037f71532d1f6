/* report_receivables.c — the report's receivables pages: the collection
 * key figures with the change from the quarter before, the aging table and
 * chart, the payer scorecard ("who pays best") with its chart of paid per
 * member-session against days to pay, and the formulas for the appendix.
 * Every figure comes from analysis/receivables.h (struct ar_result); this
 * file only lays it out.
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/value.h"
#include "render/ar_tables.h"
#include "render/tables.h"
#include "render/report_int.h"

static double dollars(int64_t cents)
{
	return (double)cents / 100.0;
}

int report_payer_color(const struct data *d, uint32_t payer)
{
	/* By the payer's place in payers.csv, the practice's own list, so a
	 * payer has the same colour whatever the attendance file's order. */
	int32_t k = d->in->run->ledger.payer_index[payer];
	return k < 0 ? CHART_PALETTE - 1 : (int)(k % (CHART_PALETTE - 1));
}

/* ---- page: key figures and aging --------------------------------------- */

/* The card's change line: points for a rate, days for days, percent for
 * money, as the quarter before stood on its last day. */
static void ar_change(const struct kpi_def *def, const struct kpi_value *cur,
		      const struct kpi_value *prev, char *buf, size_t n)
{
	if (!cur->defined || !prev->defined) {
		snprintf(buf, n, "no earlier quarter to compare");
		return;
	}
	double dv = cur->value - prev->value;
	if (def->kind == KPI_DAYS_AR || def->kind == KPI_MEDIAN)
		snprintf(buf, n, "%s %.1f days on the quarter before",
			 dv >= 0 ? "up" : "down", fabs(dv));
	else
		snprintf(buf, n, "%s %.1f points on the quarter before",
			 dv >= 0 ? "up" : "down", fabs(dv) * 100);
}

static void kpi_text(const struct kpi_def *def, const struct kpi_value *v, char *buf,
		     size_t n)
{
	if (!v->defined)
		snprintf(buf, n, "n/a");
	else if (def->kind == KPI_DAYS_AR || def->kind == KPI_MEDIAN)
		snprintf(buf, n, "%.1f days", v->value);
	else
		snprintf(buf, n, "%.1f%%", v->value * 100);
}

static const char *payer_name(const struct data *d, const struct ar_row *x)
{
	return x->kind == AR_KIND_PATIENT ? "patients" : strpool_str(&d->r->payers, x->payer);
}

/* "To chase first: OON $978.65 and BCBSMA $1,172.64 owed more than 30
 * days." — the payers (not the patients) with the most owed past 30
 * days, at most three, into BUF; empty when nothing is that old. */
static void chase_text(const struct data *d, const struct aging *ag, char *buf,
		       size_t n)
{
	const struct ar_row *top[3] = { NULL, NULL, NULL };
	int64_t amt[3] = { 0, 0, 0 };

	for (size_t i = 0; i < ag->nrows; i++) {
		const struct ar_row *x = &ag->rows[i];
		if (x->kind != AR_KIND_PAYER)
			continue;
		int64_t late = x->total - x->bucket[0];
		/* Insert into the top three, largest first (ties: row order,
		 * which is the payer id's). */
		for (int k = 0; k < 3; k++)
			if (late > 0 && late > amt[k]) {
				for (int j = 2; j > k; j--) {
					top[j] = top[j - 1];
					amt[j] = amt[j - 1];
				}
				top[k] = x;
				amt[k] = late;
				break;
			}
	}
	buf[0] = '\0';
	if (!top[0])
		return;
	size_t len = (size_t)snprintf(buf, n, "To chase first (owed more than 30 days): ");
	for (int k = 0; k < 3 && top[k] && len < n; k++) {
		char c[64];
		report_cents(amt[k], c);
		len += (size_t)snprintf(buf + len, n - len, "%s%s %s", k ? ", " : "",
					payer_name(d, top[k]), c);
	}
	if (len < n)
		snprintf(buf + len, n - len, ".");
}

/* Outstanding by payer and age: stacked bars, one series per bucket. */
int report_chart_aging(cairo_t *cr, struct data *d, double x, double y, double w,
		       double h)
{
	const struct aging *ag = &d->in->ar->aging;
	const char **cats = malloc((ag->nrows + 1) * sizeof *cats);
	double *vals = malloc(AR_BUCKETS * (ag->nrows + 1) * sizeof *vals);
	size_t n = 0, stride = ag->nrows + 1;
	char title[160];

	if (!cats || !vals) {
		free(cats);
		free(vals);
		return -1;
	}
	for (size_t i = 0; i < ag->nrows; i++) {
		const struct ar_row *r = &ag->rows[i];
		if (r->kind == AR_KIND_DENIED || r->total <= 0)
			continue;
		cats[n] = payer_name(d, r);
		for (int b = 0; b < AR_BUCKETS; b++)
			vals[(size_t)b * stride + n] = dollars(r->bucket[b]);
		n++;
	}
	snprintf(title, sizeof title, "Outstanding on %s by payer and age", d->as_of);
	struct chart_bars b = { title, "outstanding",
		"Each bar is what the payer (or the patients) still owes on the as-of "
		"date; its parts are days since the date of service.  Denied lines are "
		"not in it.", cats, n,
		{ "0-30 days", "31-60", "61-90", "91-120", "121+" },
		{ vals, vals + stride, vals + 2 * stride, vals + 3 * stride, vals + 4 * stride },
		{ 2, 4, 1, 3, 7 }, AR_BUCKETS, true, true, FMT_DOLLARS, NULL };
	int rc = n ? chart_bars(cr, report_theme_of(d), x, y, w, h, &b) : 0;
	free(cats);
	free(vals);
	return rc;
}

static void aging_cells(struct cells *c, const char *name, const struct ar_row *x)
{
	cells_row(c);
	cells_set(c, 0, "%s", name);
	for (int b = 0; b < AR_BUCKETS; b++)
		cells_cents(c, 1 + (size_t)b, x->bucket[b]);
	cells_cents(c, 6, x->total);
	cells_set(c, 7, "%llu", (unsigned long long)x->lines);
}

int report_page_receivables(cairo_t *cr, struct data *d)
{
	const struct ar_result *ar = d->in->ar;
	const struct aging *ag = &ar->aging;
	char q[16], pq[16], buf[600], v[64], sub[96];
	static const char *const hdr[] = { "payer", "0-30", "31-60", "61-90", "91-120",
					   "121+", "total", "lines" };
	static const bool num[] = { false, true, true, true, true, true, true, true };

	value_format_quarter(ar->cur.quarter, q);
	value_format_quarter(ar->prev.quarter, pq);
	if (ar->cur.no_lines) {
		snprintf(q, sizeof q, "(none)");
		snprintf(pq, sizeof pq, "(none)");
	}
	double y = report_heading(cr, d, MARGIN, "Receivables: what is owed and how it is "
				  "collected");
	snprintf(buf, sizeof buf, "Balances on the as-of date; rates for the lines of %s "
		 "(%s as of its last day in the comparison)", q, pq);
	y = report_basis(cr, d, y, buf) + 6;

	/* Eight cards: the balance, then the key figures of kpi.csv. */
	static const int order[7] = { KPI_DAYS_IN_AR, KPI_AR_OVER_90,
				      KPI_MEDIAN_DAYS_TO_PAY, KPI_NET_COLLECTION,
				      KPI_GROSS_COLLECTION, KPI_FIRST_PASS_DENIAL,
				      KPI_CLEAN_CLAIM };
	double w = (BODY_W - 3 * 10) / 4, h = 58;
	for (int i = 0; i < 8; i++) {
		double x = MARGIN + (i % 4) * (w + 10), cy = y + (i / 4) * (h + 10);
		if (i == 0) {
			const struct kpi_value *c = &ar->cur.v[KPI_DAYS_IN_AR];
			const struct kpi_value *p = &ar->prev.v[KPI_DAYS_IN_AR];
			report_cents(c->num, v);
			if (p->num) {
				double pct = (double)(c->num - p->num) / fabs((double)p->num) * 100;
				snprintf(sub, sizeof sub, "%s %.1f%% on the quarter before",
					 pct >= 0 ? "up" : "down", fabs(pct));
			} else {
				snprintf(sub, sizeof sub, "no earlier quarter to compare");
			}
			report_card(cr, d, x, cy, w, h, "Outstanding", v, sub);
			continue;
		}
		const struct kpi_def *def = &kpi_defs[order[i - 1]];
		kpi_text(def, &ar->cur.v[order[i - 1]], v, sizeof v);
		ar_change(def, &ar->cur.v[order[i - 1]], &ar->prev.v[order[i - 1]], sub,
			  sizeof sub);
		report_card(cr, d, x, cy, w, h, def->label, v, sub);
	}
	y += 2 * (h + 10) + 4;

	y = report_heading(cr, d, y, "Aging of what is owed");
	char bal[64], wip[64];
	report_cents(ag->balance, bal);
	report_cents(ag->unbilled, wip);
	snprintf(buf, sizeof buf, "%s is outstanding on %s: open claims at their expected "
		 "amounts%s, aged from the %s.  Denied lines are listed apart, not as money "
		 "the payer will pay.  %llu attended lines worth %s are not billed yet (work "
		 "in progress) and not counted.  Every table: aging.csv.", bal, d->as_of,
		 (d->r->columns & COL_PATIENT_PAID) ? " and the patients' unpaid share" : "",
		 ag->basis == AR_BASIS_BILLED ? "billed date" : "date of service",
		 (unsigned long long)ag->unbilled_lines, wip);
	y = report_para(cr, d, y, buf);
	chase_text(d, ag, buf, sizeof buf);
	if (buf[0])
		y = report_para(cr, d, y - 4, buf);
	struct cells c;
	struct ar_row total = { .kind = AR_KIND_PAYER };
	uint64_t unpriced = 0;
	cells_init(&c, 8);
	for (size_t i = 0; i < ag->nrows; i++) {
		const struct ar_row *x = &ag->rows[i];
		if (x->kind == AR_KIND_DENIED)
			continue;
		aging_cells(&c, payer_name(d, x), x);
		for (int b = 0; b < AR_BUCKETS; b++)
			total.bucket[b] += x->bucket[b];
		total.total += x->total;
		total.lines += x->lines;
		unpriced += x->unpriced;
	}
	aging_cells(&c, "total outstanding", &total);
	const char *const *cp = cells_ptrs(&c);
	if (!cp) {
		cells_free(&c);
		return -1;
	}
	struct chart_table tb = { hdr, 8, cp, c.nrows, num, true };
	y = report_table(cr, d, y, &tb, "Aging of what is owed") + 6;
	cells_free(&c);
	if (unpriced) {
		snprintf(buf, sizeof buf, "%llu of those lines have no price (unknown payer "
			 "or no rate) and are counted, not summed.", (unsigned long long)unpriced);
		y = report_para(cr, d, y, buf);
	}
	cells_init(&c, 8);
	for (size_t i = 0; i < ag->nrows; i++)
		if (ag->rows[i].kind == AR_KIND_DENIED)
			aging_cells(&c, payer_name(d, &ag->rows[i]), &ag->rows[i]);
	if (c.nrows) {
		static const char *const dh[] = { "denied, payer", "0-30", "31-60", "61-90",
						  "91-120", "121+", "total", "lines" };
		if (!(cp = cells_ptrs(&c))) {
			cells_free(&c);
			return -1;
		}
		struct chart_table dt = { dh, 8, cp, c.nrows, num, false };
		y = report_table(cr, d, y + 2, &dt, "Denied lines") + 6;
	}
	cells_free(&c);
	if (PAGE_BOTTOM - y < 170)
		y = report_new_page(cr, d);
	return report_chart_aging(cr, d, MARGIN, y + 4, BODY_W, PAGE_BOTTOM - y - 4);
}

/* ---- page: the scorecard --------------------------------------------------- */

/* Paid per member-session against median days to pay, a point per payer
 * with a known delay, in the payer's colour. */
int report_chart_pay_speed(cairo_t *cr, struct data *d, double x, double y, double w,
			   double h)
{
	const struct scorecard *sc = &d->in->ar->score;
	size_t n = 0, cap = sc->npayers + 1;
	double *xs = malloc(cap * sizeof *xs), *ys = malloc(cap * sizeof *ys);
	int *colors = malloc(cap * sizeof *colors);
	const char **labels = malloc(cap * sizeof *labels);
	int rc = -1;

	if (!xs || !ys || !colors || !labels)
		goto out;
	for (size_t i = 0; i < sc->npayers; i++) {
		const struct ar_score *s = &sc->rows[i];
		if (!s->adjudicated || isnan(s->median_days))
			continue;
		xs[n] = s->median_days;
		ys[n] = dollars(s->paid) / (double)s->adjudicated;
		colors[n] = report_payer_color(d, s->payer);
		labels[n] = strpool_str(&d->r->payers, s->payer);
		n++;
	}
	static const char *const title = "Who pays best and fastest: paid per "
		"member-session against days to pay";
	if (!n) {
		/* No axes without a point: say why instead. */
		const struct chart_theme *t = report_theme_of(d);
		double th = chart_text(cr, t, x, y, w, 0, t->title_size, true, &t->ink, title);
		chart_text(cr, t, x, y + th + 6, w, 0, t->text_size, false, &t->muted,
			   "No payer has a paid line with a payment date (the paid_date "
			   "column, or an 835's), so there is no time to pay to draw.");
		rc = cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
		goto out;
	}
	struct chart_points p = { title, "median days from the date of service to payment",
		"paid per member-session", "One dot per payer, in the payer's colour: "
		"up is more money per member-session once adjudicated (denials count as "
		"$0), left is faster.  Payers without payment dates are in the table only.",
		xs, ys, NULL, NULL, n, NULL, NULL, 0, NULL, NULL, FMT_DOLLARS, colors, labels };
	rc = chart_points(cr, report_theme_of(d), x, y, w, h, &p);
out:
	free(xs);
	free(ys);
	free(colors);
	free(labels);
	return rc;
}

static void score_cells(struct cells *c, const struct data *d, const struct ar_score *s)
{
	char code[300];

	cells_row(c);
	cells_set(c, 0, "%u", s->rank);
	cells_set(c, 1, "%s", strpool_str(&d->r->payers, s->payer));
	ar_code_label(d->r, s, code, sizeof code);
	cells_set(c, 2, "%s", s->by_code ? code : "all");
	cells_set(c, 3, "%llu", (unsigned long long)s->lines);
	if (s->priced)
		cells_cents(c, 4, tables_div_round(s->expected, (int64_t)s->priced));
	else
		cells_set(c, 4, "–");
	if (s->adjudicated) {
		cells_cents(c, 5, tables_div_round(s->paid, (int64_t)s->adjudicated));
		cells_set(c, 7, "%.1f%% (%.1f–%.1f)", 100.0 * (double)s->denied /
			  (double)s->adjudicated, 100 * s->denial_lo, 100 * s->denial_hi);
	} else {
		cells_set(c, 5, "–");
		cells_set(c, 7, "–");
	}
	if (s->allowed > 0)
		cells_set(c, 6, "%.1f%%", 100.0 * (double)s->patient_resp / (double)s->allowed);
	else
		cells_set(c, 6, "–");
	if (isnan(s->median_days))
		cells_set(c, 8, "–");
	else
		cells_set(c, 8, "%.1f", s->median_days);
	if (s->adj_expected > 0)
		cells_set(c, 9, "%.1f%%", 100.0 * (double)(s->paid + s->patient_paid) /
			  (double)s->adj_expected);
	else
		cells_set(c, 9, "–");
}

int report_page_scorecard(cairo_t *cr, struct data *d)
{
	const struct scorecard *sc = &d->in->ar->score;
	static const char *const hdr[] = { "rank", "payer", "code", "lines", "expected",
					   "paid", "patient", "denied (95% CI)", "days",
					   "received" };
	static const bool num[] = { true, false, false, true, true, true, true, true,
				    true, true };
	char buf[600];
	struct cells c;

	double y = report_heading(cr, d, MARGIN, "Who pays best: the payer scorecard");
	y = report_basis(cr, d, y, "Billed lines of the period, adjudication as of the "
			 "as-of date") + 4;
	snprintf(buf, sizeof buf, "Per member-session (one attended line), %s: expected "
		 "at the payer's rate; paid by the payer once adjudicated, denials counting "
		 "$0 — the ranking; the patient's share of the allowed amount; the denial "
		 "rate with its 95%% Wilson interval; median days from the date of service "
		 "to payment; and the share of the expected amount received from payer and "
		 "patient.  Every row, and each payer by billed code: scorecard.csv.",
		 d->period);
	y = report_para(cr, d, y, buf);
	for (int part = 0; part < 2; part++) {
		size_t from = part ? sc->npayers : 0, to = part ? sc->nrows : sc->npayers;
		cells_init(&c, 10);
		for (size_t i = from; i < to; i++)
			score_cells(&c, d, &sc->rows[i]);
		const char *const *cp = cells_ptrs(&c);
		if (!cp) {
			cells_free(&c);
			return -1;
		}
		if (part)
			y = report_heading(cr, d, y + 4, "By billed code");
		struct chart_table tb = { hdr, 10, cp, c.nrows, num, false };
		if (c.nrows)
			y = report_table(cr, d, y, &tb, part ? "By billed code"
							 : "Who pays best") + 6;
		cells_free(&c);
		if (!part) {
			/* The chart, or the line saying why there is none. */
			double ch = 60;
			for (size_t i = 0; i < sc->npayers; i++)
				if (sc->rows[i].adjudicated && !isnan(sc->rows[i].median_days))
					ch = 230;
			if (PAGE_BOTTOM - y < ch)
				y = report_new_page(cr, d);
			if (report_chart_pay_speed(cr, d, MARGIN, y + 4, BODY_W, ch) != 0)
				return -1;
			y += ch + 10;
		}
	}
	return 0;
}

/* ---- appendix ------------------------------------------------------------------ */

double report_receivables_defs(cairo_t *cr, struct data *d, double y)
{
	static const char *const hdr[] = { "figure", "formula" };
	static const bool num[] = { false, false };
	const char *title = "How the receivables figures are computed";
	char buf[700];
	struct cells c;

	if (PAGE_BOTTOM - y < 120)
		y = report_new_page(cr, d);
	y = report_heading(cr, d, y + 4, title);
	snprintf(buf, sizeof buf, "As of %s (--as-of; by default the latest date of "
		 "service, billed date or payment date of the lines).  On that day a line "
		 "is outstanding when it was billed and is not adjudicated (paid or denied "
		 "with a payment date not after it); charges are the charge column, else "
		 "the expected amount; without remittances contractual adjustments are 0 "
		 "and every denial is a first-pass denial (docs/receivables.md).", d->as_of);
	y = report_para(cr, d, y, buf);
	cells_init(&c, 2);
	for (int k = 0; k < KPI_COUNT; k++) {
		cells_row(&c);
		cells_set(&c, 0, "%s", kpi_defs[k].label);
		cells_set(&c, 1, "%s", kpi_defs[k].formula);
	}
	const char *const *cp = cells_ptrs(&c);
	if (cp) {
		struct chart_table tb = { hdr, 2, cp, c.nrows, num, false };
		y = report_table(cr, d, y, &tb, title) + 6;
	}
	cells_free(&c);
	return y;
}
