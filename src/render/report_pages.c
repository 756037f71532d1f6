/* report_pages.c — the report's pages: key figures, payers, programs and
 * clinicians, denials and findings, group size, projection, appendix.
 * Each page draws sums from the aggregation layer (analysis/tally.h);
 * a table longer than the page continues on the next (report_table).
 */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/project_view.h"
#include "billing/rules.h"
#include "billing/run.h"
#include "core/value.h"
#include "render/report_int.h"

static double per(int64_t num, uint64_t den)
{
	return den ? (double)num / (double)den : NAN;
}

/* "up 12.5% on the quarter before"; every quarter in scope has none. */
static void change(const struct data *d, double cur, double prev, bool have_prev,
		   char *buf, size_t n)
{
	if (d->all) {
		snprintf(buf, n, "every quarter of the file");
		return;
	}
	if (!have_prev || prev == 0 || !isfinite(cur) || !isfinite(prev)) {
		snprintf(buf, n, "no earlier quarter to compare");
		return;
	}
	double pct = (cur - prev) / fabs(prev) * 100.0;
	snprintf(buf, n, "%s %.1f%% on the quarter before", pct >= 0 ? "up" : "down", fabs(pct));
}

/* Whole dollars, for projections whose cents mean nothing. */
static void dollars0(double dollars, char *buf, size_t n)
{
	chart_format(dollars, FMT_DOLLARS, 0, buf, n);
}

/* A card's figure: a count, cents, a share or a decimal. */
enum fig_kind { FIG_COUNT, FIG_CENTS, FIG_SHARE, FIG_DECIMAL };

/* ---- page 1: key figures ------------------------------------------------ */

int report_page_summary(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = report_theme_of(d);
	const struct tally_row *c = d->cur, *p = d->prev;
	char q[64], buf[800], v[64], sub[96];
	double y = MARGIN;

	snprintf(q, sizeof q, "%s", d->period);
	y += chart_text(cr, t, MARGIN, y, BODY_W, 0, 20, true, &t->ink,
			"Group psychotherapy revenue report");
	snprintf(buf, sizeof buf, "%s %s  ·  CPT 90853 group psychotherapy  ·  "
		 "%s", d->all ? "Every quarter," : "Quarter", q, d->in->attendance);
	y += chart_text(cr, t, MARGIN, y + 4, BODY_W, 0, t->text_size + 1, false,
			&t->muted, buf) + 8;
	snprintf(sub, sizeof sub, "All figures for %s", q);
	y = report_basis(cr, d, y, sub) + 8;
	if (d->empty) {
		/* An empty scope is said in words, not only with zeros. */
		snprintf(buf, sizeof buf, "No sessions in %s: the file has no attended "
			 "or absent row dated in %s, so every figure below is zero.  "
			 "Check the quarter asked for against the dates of the file.", q,
			 d->all ? "any quarter" : "this quarter");
		y = report_para(cr, d, y, buf);
	}

	static const struct tally_row zero;
	if (!c)
		c = &zero;
	bool hp = p != NULL;
	if (!p)
		p = &zero;
	double w = (BODY_W - 3 * 10) / 4, h = 58;
	/* Amounts are cents; shares and means are ratios of counts. */
	struct {
		const char *label;
		double cur, prev;
		enum fig_kind kind;
	} figs[8] = {
		{ "Sessions", (double)c->sessions, (double)p->sessions, FIG_COUNT },
		{ "Attended lines", (double)c->lines, (double)p->lines, FIG_COUNT },
		{ "Expected revenue", (double)c->expected, (double)p->expected, FIG_CENTS },
		{ "Paid so far", (double)c->paid, (double)p->paid, FIG_CENTS },
		{ "Denial rate", per((int64_t)c->denied, c->adjudicated),
		  per((int64_t)p->denied, p->adjudicated), FIG_SHARE },
		{ "Dollars at risk", (double)c->at_risk, (double)p->at_risk, FIG_CENTS },
		{ "Mean group size", per((int64_t)c->lines, c->sessions),
		  per((int64_t)p->lines, p->sessions), FIG_DECIMAL },
		{ "Revenue per session", per(c->expected, c->sessions),
		  per(p->expected, p->sessions), FIG_CENTS },
	};
	for (int i = 0; i < 8; i++) {
		double x = MARGIN + (i % 4) * (w + 10), cy = y + (i / 4) * (h + 10);
		if (!isfinite(figs[i].cur))
			snprintf(v, sizeof v, "n/a");
		else if (figs[i].kind == FIG_COUNT)
			snprintf(v, sizeof v, "%.0f", figs[i].cur);
		else if (figs[i].kind == FIG_CENTS)
			report_cents((int64_t)llround(figs[i].cur), v);
		else if (figs[i].kind == FIG_SHARE)
			snprintf(v, sizeof v, "%.1f%%", figs[i].cur * 100);
		else
			snprintf(v, sizeof v, "%.1f", figs[i].cur);
		change(d, figs[i].cur, figs[i].prev, hp, sub, sizeof sub);
		report_card(cr, d, x, cy, w, h, figs[i].label, v, sub);
	}
	y += 2 * (h + 10) + 6;
	if (c->minute_sessions && c->minute_sessions == c->sessions && c->minutes) {
		report_cents((int64_t)llround((double)c->expected * 60.0 / (double)c->minutes), v);
		snprintf(buf, sizeof buf, "Expected revenue per clinician hour of group: %s "
			 "(from session lengths).", v);
		y = report_para(cr, d, y, buf);
	}
	/* In brief. */
	char e[64], pd[64], risk[64];
	report_cents(c->expected, e);
	report_cents(c->paid, pd);
	report_cents(c->at_risk, risk);
	snprintf(buf, sizeof buf,
		 "In %s the practice ran %llu group sessions with %llu billable "
		 "attendances, worth %s at the payers' expected rates; %s has been "
		 "paid so far.  The pre-submission check flags %llu lines, worth %s, "
		 "that a payer would most likely deny as they stand — fix them before "
		 "the claims go out (page 4, and the command grouprev check).",
		 q, (unsigned long long)c->sessions, (unsigned long long)c->lines, e, pd,
		 (unsigned long long)c->flagged, risk);
	y = report_heading(cr, d, y + 4, "In brief");
	y = report_para(cr, d, y, buf);

	return report_chart_payers(cr, d, MARGIN, y + 6, BODY_W, PAGE_BOTTOM - y - 6);
}

/* ---- page 2: payers and the trend -------------------------------------- */

static void payer_cells(struct cells *c, const char *name, const struct tally_row *x)
{
	char lo[64], hi[64];

	cells_row(c);
	cells_set(c, 0, "%s", name);
	cells_set(c, 1, "%llu", (unsigned long long)x->lines);
	cells_cents(c, 2, x->expected);
	report_cents(x->low, lo);
	report_cents(x->high, hi);
	cells_set(c, 3, "%s–%s", lo, hi);
	cells_cents(c, 4, x->paid);
	cells_rate(c, 5, x->denied, x->adjudicated);
	cells_set(c, 6, "%llu", (unsigned long long)x->flagged);
	cells_cents(c, 7, x->at_risk);
}

int report_page_payers(cairo_t *cr, struct data *d)
{
	const struct tally *tl = d->in->tally;
	char q[64], buf[200];
	static const char *const hdr[] = { "payer", "lines", "expected", "range (low–high)",
					   "paid", "denial rate", "flagged", "at risk" };
	static const bool num[] = { false, true, true, true, true, true, true, true };
	struct cells c;

	snprintf(q, sizeof q, "%s", d->period);
	snprintf(buf, sizeof buf, "Revenue by payer, %s", q);
	double y = report_heading(cr, d, MARGIN, buf);
	char what[96];
	snprintf(what, sizeof what, "Attended lines of %s", q);
	y = report_basis(cr, d, y, what) + 2;
	/* The scope's rows; its total is the scope's row of the aggregation
	 * layer, so it covers every payer of the scope. */
	cells_init(&c, 8);
	for (uint32_t i = 0; i < d->nprows; i++)
		payer_cells(&c, strpool_str(&d->r->payers, d->prows[i].key), &d->prows[i]);
	(void)tl;
	static const struct tally_row none;
	payer_cells(&c, "Total", d->cur ? d->cur : &none);
	const char *const *ptr = cells_ptrs(&c);
	if (!ptr) {
		cells_free(&c);
		return -1;
	}
	struct chart_table tb = { hdr, 8, ptr, c.nrows, num, true };
	y = report_table(cr, d, y, &tb, buf) + 6;
	cells_free(&c);
	y = report_para(cr, d, y, "The range is what the same lines would bring at the low and "
			"high ends of each payer's rates (for Medicare, the spread between "
			"localities).  The denial rate counts denied lines among those the "
			"payer has answered (paid or denied).");
	if (PAGE_BOTTOM - y - 8 < 200)
		y = report_new_page(cr, d);
	return report_chart_trend(cr, d, MARGIN, y + 8, BODY_W, PAGE_BOTTOM - y - 8);
}

/* ---- page 3: programs and clinicians -------------------------------------- */

static double program_table(cairo_t *cr, struct data *d, double y,
			    const struct tally_row *rows, uint32_t nrows,
			    const struct strpool *names, const char *what)
{
	const char *hdr[] = { what, "sessions", "mean size", "attendance", "expected",
			      "per session", "paid", "denial rate" };
	static const bool num[] = { false, true, true, true, true, true, true, true };
	const struct tally_row **order = report_by_expected(rows, nrows);
	struct cells c;
	size_t n = 0;

	if (!order)
		return y;
	cells_init(&c, 8);
	for (uint32_t i = 0; i < nrows && n < MAX_TABLE_ROWS; i++, n++) {
		const struct tally_row *x = order[i];
		cells_row(&c);
		cells_set(&c, 0, "%s", strpool_str(names, x->key));
		cells_set(&c, 1, "%llu", (unsigned long long)x->sessions);
		cells_set(&c, 2, "%.1f", x->sessions ? (double)x->lines / x->sessions : 0.0);
		cells_set(&c, 3, "%.0f%%", x->rows ? 100.0 * x->lines / x->rows : 0.0);
		cells_cents(&c, 4, x->expected);
		cells_cents(&c, 5, x->sessions
			    ? (int64_t)llround((double)x->expected / x->sessions) : 0);
		cells_cents(&c, 6, x->paid);
		cells_rate(&c, 7, x->denied, x->adjudicated);
	}
	free(order);
	const char *const *ptr = cells_ptrs(&c);
	if (ptr) {
		struct chart_table tb = { hdr, 8, ptr, c.nrows, num, false };
		y = report_table(cr, d, y, &tb, "Group programs and clinicians") + 4;
	}
	cells_free(&c);
	if (nrows > n) {
		char buf[160];
		snprintf(buf, sizeof buf, "… and %u more, in the CSV table.", nrows - (unsigned)n);
		y = report_para(cr, d, y, buf);
	}
	return y + 6;
}

int report_page_programs(cairo_t *cr, struct data *d)
{
	const struct tally *tl = d->in->tally;
	char buf[200];

	double y = report_heading(cr, d, MARGIN, "Group programs and clinicians");
	snprintf(buf, sizeof buf, "Sessions of %s", d->period);
	y = report_basis(cr, d, y, buf) + 2;
	y = program_table(cr, d, y, tl->groups, tl->ngroups, &d->r->groups, "group program");
	y = program_table(cr, d, y, tl->clinicians, tl->nclinicians, &d->r->clinicians,
			  "clinician");

	double h = PAGE_BOTTOM - y;
	if (h < 150)
		h = 150;
	return report_chart_programs(cr, d, MARGIN, y, BODY_W, h);
}

/* ---- page 4: denials and findings -------------------------------------- */

int report_page_denials(cairo_t *cr, struct data *d)
{
	char buf[400];

	double y = report_heading(cr, d, MARGIN, "Denials and pre-submission findings");
	snprintf(buf, sizeof buf, "Sessions of %s", d->period);
	y = report_basis(cr, d, y, buf) + 2;
	y = report_para(cr, d, y, "Left: the reason codes (CARC) payers gave on denied lines, most "
			"frequent first.  Right: what the pre-submission check finds in the same "
			"lines, with the expected dollars each rule puts at risk.  The rules and "
			"their sources are in docs/rules.md.");
	double h = 300;
	if (report_chart_reasons(cr, d, MARGIN, y, BODY_W / 2 - 8, h) ||
	    report_chart_findings(cr, d, MARGIN + BODY_W / 2 + 8, y, BODY_W / 2 - 8, h))
		return -1;
	y += h + 14;
	/* The rules table with counts. */
	static const char *const hdr[] = { "rule", "code", "lines", "at risk", "what it means" };
	static const bool num[] = { false, false, true, true, false };
	struct cells c;
	cells_init(&c, 5);
	for (size_t i = 0; i < d->nrules; i++) {
		const struct rule *ru = rules_by_name(d->rules[i].name);
		cells_row(&c);
		cells_set(&c, 0, "%s", ru->name);
		cells_set(&c, 1, "%s%s%s", ru->carc, ru->rarc ? " " : "", ru->rarc ? ru->rarc : "");
		cells_set(&c, 2, "%llu", (unsigned long long)d->rules[i].n);
		cells_cents(&c, 3, d->rules[i].cents);
		cells_set(&c, 4, "%s", ru->reason);
	}
	const char *const *ptr = cells_ptrs(&c);
	if (d->nrules && ptr) {
		struct chart_table tb = { hdr, 5, ptr, c.nrows, num, false };
		report_table(cr, d, y, &tb, "Denials and pre-submission findings");
	}
	cells_free(&c);
	return ptr ? 0 : -1;
}

/* ---- page 5: group size ------------------------------------------------ */

int report_page_sizes(cairo_t *cr, struct data *d)
{
	const struct size_analysis *an = d->in->sizes;
	char buf[200];

	double y = report_heading(cr, d, MARGIN, "Group size and denials");
	snprintf(buf, sizeof buf, "Adjudicated lines of %s", d->period);
	y = report_basis(cr, d, y, buf) + 2;
	/* The summary's paragraphs (findings, then advice) one by one. */
	for (const char *t = an->summary; *t;) {
		const char *nl = strchr(t, '\n');
		size_t len = nl ? (size_t)(nl - t) : strlen(t);
		char para[2048];
		snprintf(para, sizeof para, "%.*s", (int)len, t);
		y = report_para(cr, d, y, para);
		t += len + (nl != NULL);
	}
	if (report_chart_sizes(cr, d, MARGIN, y + 4, BODY_W, 300))
		return -1;
	y += 314;
	static const char *const hdr[] = { "size", "sessions", "adjudicated", "denied",
					   "rate used", "95% interval", "per session",
					   "95% range", "" };
	static const bool num[] = { true, true, true, true, true, true, true, true, false };
	struct cells c;
	char lo[64], hi[64];
	cells_init(&c, 9);
	/* One row per size: every adjudicated line, then the rate the advice
	 * uses (lines no session rule predicts denied, or the fitted rate),
	 * the revenue per session after denials and payer limits and its
	 * range, and what the advice made of the size. */
	for (size_t k = 0; k < an->opt.nrows; k++) {
		const struct optimal_row *o = &an->opt.rows[k];
		const struct size_bin *b = NULL;
		for (size_t i = 0; i < an->nbins; i++)
			if (an->bins[i].size == o->size)
				b = &an->bins[i];
		if (!b)
			continue;
		cells_row(&c);
		cells_set(&c, 0, "%u", b->size);
		cells_set(&c, 1, "%llu", (unsigned long long)b->sessions);
		cells_set(&c, 2, "%llu", (unsigned long long)b->all_n);
		cells_set(&c, 3, "%llu", (unsigned long long)b->all_d);
		if (o->has_p) {
			cells_set(&c, 4, "%.1f%%", 100.0 * o->p_denied);
			cells_set(&c, 5, "%.1f%%–%.1f%%", 100 * o->p_lo, 100 * o->p_hi);
		} else {
			cells_set(&c, 4, "–");
			cells_set(&c, 5, "–");
		}
		if (isfinite(o->per_session)) {
			cells_cents(&c, 6, (int64_t)llround(o->per_session));
			report_cents((int64_t)llround(o->lo), lo);
			report_cents((int64_t)llround(o->hi), hi);
			cells_set(&c, 7, "%s–%s", lo, hi);
		} else {
			cells_set(&c, 6, "–");
			cells_set(&c, 7, "–");
		}
		cells_set(&c, 8, "%s", o->size == an->opt.best_size ? "best"
			  : o->tied ? "tied with the best"
			  : o->paying_share == 0 ? "no payer pays"
			  : !o->enough ? "too little data" : "");
	}
	const char *const *ptr = cells_ptrs(&c);
	if (ptr) {
		struct chart_table tb = { hdr, 9, ptr, c.nrows, num, false };
		y = report_table(cr, d, y, &tb, "Group size and denials") + 6;
	}
	cells_free(&c);
	if (ptr)
		report_para(cr, d, y, "Rate used: the denial rate of the lines that no payer "
			    "rule on group size, minutes or modality already predicts "
			    "denied (those rules are applied as rules), observed or from "
			    "the fitted model as the text says.  Per session: size x the "
			    "payer mix's rate for the payers that pay at that size x (1 - "
			    "rate); the range from the rate's 95% interval.  Whether payer, "
			    "modality or program drive denials rather than size: grouprev "
			    "stats writes covariates.csv (docs/statistics.md).");
	return ptr ? 0 : -1;
}

/* ---- projection ------------------------------------------------------------ */

int report_page_projection(cairo_t *cr, struct data *d)
{
	const struct project_view *pv = d->in->plan;
	char buf[1600], a[64], b[64], c[64];

	if (!pv)
		return 0;
	double y = report_heading(cr, d, MARGIN, "Projection of the planned programs");
	report_cents((int64_t)llround(pv->total.mean * 100), a);
	report_cents((int64_t)llround(pv->total.p5 * 100), b);
	report_cents((int64_t)llround(pv->total.p95 * 100), c);
	snprintf(buf, sizeof buf, "Simulated %zu times (generator %s, seed %lu).  "
		 "Expected revenue of the plan: %s on average; in 90 of 100 runs between "
		 "%s and %s.  %s", pv->nsamples, pv->generator, pv->seed, a, b, c,
		 pv->denial_model);
	y = report_para(cr, d, y, buf);
	static const char *const hdr[] = { "group", "sessions", "mean", "P5", "P50", "P95",
					   "exact mean", "cost", "net", "break-even",
					   "P(loss)" };
	static const bool num[] = { false, true, true, true, true, true, true, true, true, true,
				    true };
	struct cells cl;
	char v[64];
	cells_init(&cl, 11);
	for (size_t i = 0; i <= pv->ngroups; i++) {
		const struct project_view_group *g = i < pv->ngroups ? &pv->groups[i] : &pv->total;
		const double money[] = { g->mean, g->p5, g->p50, g->p95, g->analytic,
					 g->cost, g->net };
		cells_row(&cl);
		cells_set(&cl, 0, "%s", i < pv->ngroups ? g->group : "Total");
		cells_set(&cl, 1, "%u", g->sessions);
		for (size_t k = 0; k < sizeof money / sizeof money[0]; k++) {
			dollars0(money[k], v, sizeof v);
			cells_set(&cl, 2 + k, "%s", v);
		}
		if (i == pv->ngroups)
			cells_set(&cl, 9, "–");
		else if (g->break_even && g->break_even_hi > g->break_even)
			cells_set(&cl, 9, "%u–%u", g->break_even, g->break_even_hi);
		else if (g->break_even)
			cells_set(&cl, 9, "%u members", g->break_even);
		else
			cells_set(&cl, 9, "not reached");
		if (isfinite(g->p_loss))
			cells_set(&cl, 10, "%.0f%%", 100.0 * g->p_loss);
		else
			cells_set(&cl, 10, "–");
	}
	const char *const *ptr = cells_ptrs(&cl);
	if (!ptr) {
		cells_free(&cl);
		return -1;
	}
	struct chart_table tb = { hdr, 11, ptr, cl.nrows, num, true };
	y = report_table(cr, d, y, &tb, "Projection of the planned programs") + 6;
	cells_free(&cl);
	y = report_para(cr, d, y, "P5, P50 and P95: 5 in 100 runs earned less than P5, half less "
			"than P50, 95 in 100 less than P95.  The exact mean is computed without "
			"simulation; it should agree with the simulated mean.  Each member keeps "
			"one payer for the period; dropout, an uncertain attendance rate and the "
			"denial model's own uncertainty widen the range (docs/projection.md).  "
			"Break-even: the enrolments at which the expected revenue per session "
			"covers its cost (it can end again above the payers' group-size caps).  "
			"P(loss): the share of runs whose revenue is below the cost.");
	if (PAGE_BOTTOM - y - 6 < 200)
		y = report_new_page(cr, d);
	return report_chart_projection(cr, d, MARGIN, y + 6, BODY_W, PAGE_BOTTOM - y - 6);
}

/* ---- appendix ------------------------------------------------------------ */

/* Rows of the appendix's first table of rejected rows; all are in rejects.csv. */
#define APPENDIX_REJECTS 10

/* The data-quality paragraph of an export read through a column map
 * (model/export.h): rows read = used + skipped + rejected, and the
 * skipped rows by code.  Returns the new y, or -1 on out of memory. */
static double appendix_export(cairo_t *cr, struct data *d, double y,
			      const char *title)
{
	const struct roster *r = d->r;
	const struct roster_export *x = &r->exp;
	char buf[900];
	struct cells c;

	snprintf(buf, sizeof buf, "Data quality.  %s, an export read through a column "
		 "map: %zu rows read = %zu used + %zu skipped + %zu rejected%s.  Used "
		 "rows are the 90853 attendance lines%s%s.  Skipped rows are "
		 "appointments of other codes (not group psychotherapy), counted by code "
		 "below.", d->in->attendance, r->rows_read, r->rows_used, x->skipped,
		 r->rows_rejected, r->empty_lines ? " (empty lines skipped)" : "",
		 x->addon_rows ? " and the add-on rows joined to them" : "",
		 x->sessions_made ? "; the export has no session id, so each session is "
				    "the rows of one date, start time, clinician and group"
				  : "");
	y = report_para(cr, d, y, buf);
	if (x->skips.len) {
		static const char *const hdr[] = { "code", "rows skipped" };
		static const bool num[] = { false, true };
		cells_init(&c, 2);
		for (size_t i = 0; i < x->skips.len; i++) {
			const struct roster_skip *sk = &VEC_AT(&x->skips, struct roster_skip, i);
			cells_row(&c);
			cells_set(&c, 0, "%s", sk->code);
			cells_set(&c, 1, "%zu", sk->rows);
		}
		cells_row(&c);
		cells_set(&c, 0, "Total");
		cells_set(&c, 1, "%zu", x->skipped);
		const char *const *ptr = cells_ptrs(&c);
		if (ptr) {
			struct chart_table tb = { hdr, 2, ptr, c.nrows, num, true };
			y = report_table(cr, d, y, &tb, title) + 6;
		}
		cells_free(&c);
		if (!ptr)
			return -1;
	}
	return report_para(cr, d, y, "Every rejected row is listed with its line and "
			   "reason in rejects.csv; the first ones:");
}

int report_page_appendix(cairo_t *cr, struct data *d)
{
	const struct run *run = d->in->run;
	const struct roster *r = d->r;
	const char *title = "Appendix: data, rates and definitions";
	char buf[700];
	struct cells c;

	double y = report_heading(cr, d, MARGIN, title);
	if (r->exp.mapped) {
		y = appendix_export(cr, d, y, title);
		if (y < 0)
			return -1;
	} else {
		snprintf(buf, sizeof buf, "Data quality.  %s: %zu rows read = %zu used + "
			 "%zu rejected%s.  Every rejected row is listed with its line and "
			 "reason in rejects.csv; the first ones:", d->in->attendance,
			 r->rows_read, r->rows_used, r->rows_rejected,
			 r->empty_lines ? " (empty lines skipped)" : "");
		y = report_para(cr, d, y, buf);
	}
	size_t nrej = run->rejects.items.len, k;
	static const char *const hdr[] = { "line", "reason" };
	static const bool num[] = { true, false };
	cells_init(&c, 2);
	for (k = 0; k < nrej && k < APPENDIX_REJECTS; k++) {
		const struct reject *x = &VEC_AT(&run->rejects.items, struct reject, k);
		cells_row(&c);
		cells_set(&c, 0, "%zu", x->line);
		cells_set(&c, 1, "%s", x->reason);
	}
	const char *const *ptr = cells_ptrs(&c);
	if (k && ptr) {
		struct chart_table tb = { hdr, 2, ptr, c.nrows, num, false };
		y = report_table(cr, d, y, &tb, title) + 6;
	}
	cells_free(&c);
	if (!ptr)
		return -1;
	if (nrej > k) {
		snprintf(buf, sizeof buf, "… and %zu more in rejects.csv.", nrej - k);
		y = report_para(cr, d, y, buf);
	}
	for (int i = 0; i < RULE_COUNT; i++)
		if (run->ledger.unchecked & (1u << i)) {
			snprintf(buf, sizeof buf, "Rule %s was not checked: the attendance file "
				 "has no column it needs.", rules_table[i].name);
			y = report_para(cr, d, y, buf);
		}
	snprintf(buf, sizeof buf, "Rate tables.  %s (sources of every figure: the "
		 "README.md beside payers.csv).  Payers and their rules:",
		 run->rates.dir);
	y = report_para(cr, d, y + 4, buf);
	static const char *const ph[] = { "payer", "name", "class", "size",
					  "video", "phone", "auth" };
	static const bool pn[] = { false, false, false, false, false, false, false };
	cells_init(&c, 7);
	for (uint32_t i = 0; i < run->rates.npayers; i++) {
		const struct payer *p = &run->rates.payers[i];
		cells_row(&c);
		cells_set(&c, 0, "%s", p->id);
		cells_set(&c, 1, "%s", p->name);
		cells_set(&c, 2, "%s", rates_class_name(p->cls));
		if (p->max_group)
			cells_set(&c, 3, "%u–%u", p->min_group, p->max_group);
		else
			cells_set(&c, 3, "%u or more", p->min_group);
		const struct tele_policy *tp[2] = { &p->telehealth, &p->audio_only };
		for (int j = 0; j < 2; j++)
			cells_set(&c, 4 + (size_t)j, "%s", tp[j]->rule == TELE_NOT_COVERED
				  ? "not covered" : tp[j]->rule == TELE_MODIFIER
				  ? tp[j]->modifier : "no modifier");
		cells_set(&c, 6, "%s", p->needs_auth ? "required" : "–");
	}
	ptr = cells_ptrs(&c);
	if (ptr) {
		struct chart_table pt = { ph, 7, ptr, c.nrows, pn, false };
		y = report_table(cr, d, y, &pt, title) + 8;
	}
	cells_free(&c);
	if (!ptr)
		return -1;
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
	if (PAGE_BOTTOM - y < 220)
		y = report_new_page(cr, d);
	y = report_heading(cr, d, y + 4, "How the figures are computed");
	for (size_t i = 0; i < sizeof defs / sizeof defs[0]; i++)
		y = report_para(cr, d, y, defs[i]);
	if (d->in->remit)
		y = report_para(cr, d, y, "With remittances: a line an 835 pays takes its status, "
				"paid amount and reason code from the payer's remittance instead of "
				"the file's columns (a line whose allowed amount went to the patient "
				"counts as paid: adjudicated, not denied); docs/remittances.md.");
	if (d->in->ar)
		report_receivables_defs(cr, d, y);
	return 0;
}
