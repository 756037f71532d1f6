/* report.c — the report's drivers: the quarterly PDF (Letter, several
 * pages), the same charts as standalone files, the one-page PDFs of
 * `stats` and `project`, and the theme lookup.
 *
 * The pages (report_pages.c) and charts (report_charts.c) draw sums of
 * the aggregation layer (analysis/tally.h); this file only picks the
 * focus quarter, orders the rule list and runs the pages.  A long table
 * continues on the next page, so the page count is known only after
 * drawing: a PDF that ran over is drawn a second time with its count.
 */
#include "render/report.h"

#include <cairo-pdf.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "billing/rules.h"
#include "core/value.h"
#include "io/outfile.h"
#include "render/report_int.h"

/* --charts: each chart alone in a box of CHART_W x CHART_H points (7.5 x
 * 4.5 inches, the width of the report's body). */
#define CHART_W 540.0
#define CHART_H 324.0
#define CHART_PAD 18.0

static int cmp_count(const void *a, const void *b)
{
	const struct count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Everything the pages need beyond the tally: the scope (--quarter's
 * quarter, or every quarter of the file: the same as the CSV tables'),
 * its name, its sums and payer rows, and the rules that flagged lines,
 * most lines first. */
static int gather(struct data *d, const struct report_input *in)
{
	const struct roster *r = &in->run->roster;
	const struct scope *sc = &in->run->scope;
	const struct tally *tl = in->tally;
	size_t ns = r->sessions.len;

	memset(d, 0, sizeof *d);
	d->in = in;
	d->r = r;
	d->rules = calloc(RULE_COUNT, sizeof *d->rules);
	if (!d->rules)
		return -1;
	int32_t maxq = INT32_MIN, minq = INT32_MAX;
	for (size_t i = 0; i < ns; i++) {
		int32_t q = value_quarter(roster_session(r, i)->date);
		maxq = q > maxq ? q : maxq;
		minq = q < minq ? q : minq;
	}
	if (ns == 0) /* every row rejected: pages say so with zeros */
		maxq = minq = 0;
	d->have_q = ns > 0;
	/* One scope for every page, the same as the CSV tables': the quarter
	 * of --quarter, or every quarter of the file. */
	d->all = sc->all;
	d->focus = sc->all ? maxq : sc->quarter;
	d->first_q = sc->all ? minq : sc->quarter;
	d->last_q = d->focus;
	d->empty = true;
	for (size_t i = 0; i < ns && d->empty; i++)
		if (scope_has(sc, roster_session(r, i)))
			d->empty = false;
	if (sc->all) {
		d->cur = &tl->total;
		d->prev = NULL;
		d->prows = tl->payers;
		d->nprows = tl->npayers;
	} else {
		d->cur = tally_quarter(tl, d->focus);
		d->prev = tally_quarter(tl, d->focus - 1);
		/* summary is sorted by quarter: the focus quarter's rows are
		 * one run of it. */
		uint32_t i = 0;
		while (i < tl->nsummary && tl->summary[i].quarter != d->focus)
			i++;
		d->prows = tl->summary + i;
		while (i < tl->nsummary && tl->summary[i].quarter == d->focus)
			i++, d->nprows++;
	}
	for (int k = 0; k < RULE_COUNT; k++)
		if (tl->rules[k].lines)
			d->rules[d->nrules++] = (struct count){ rules_table[k].name,
				tl->rules[k].lines, tl->rules[k].at_risk };
	qsort(d->rules, d->nrules, sizeof *d->rules, cmp_count);
	char a[16], b[16];
	value_format_quarter(d->first_q, a);
	value_format_quarter(d->last_q, b);
	if (!d->have_q && sc->all)
		snprintf(d->period, sizeof d->period, "no quarter");
	else if (d->first_q == d->last_q)
		snprintf(d->period, sizeof d->period, "%s", a);
	else
		snprintf(d->period, sizeof d->period, "%s to %s", a, b);
	if (d->empty)
		snprintf(d->as_of, sizeof d->as_of, "— (no sessions)");
	else
		value_format_date(in->as_of, d->as_of);
	return 0;
}

static void release(struct data *d)
{
	free(d->rules);
}

/* ---- assembling ------------------------------------------------------------ */

/* Draw PAGES (N of them, NULL entries skipped) onto S; 0 or -1. */
static int draw_pages(cairo_surface_t *s, struct data *d, const page_fn *pages, size_t n,
		      const char *path, struct gr_err *err)
{
	cairo_t *cr = cairo_create(s);
	int rc = 0;

	d->page = 0;
	for (size_t i = 0; i < n && rc == 0; i++) {
		if (!pages[i])
			continue;
		if (pages[i](cr, d) != 0 || cairo_status(cr) != CAIRO_STATUS_SUCCESS) {
			gr_fail(err, path, 0, "cannot draw page %d: %s", d->page + 1,
				cairo_status_to_string(cairo_status(cr)));
			rc = -1;
			break;
		}
		report_footer(cr, d);
		cairo_show_page(cr);
	}
	cairo_destroy(cr);
	return rc;
}

/* PAGES onto a PDF at PATH titled TITLE, through a temporary file.  Each
 * page function is one page unless a table continues on the next; the
 * count in "page N of M" is known only once drawn, so when a page ran
 * over, the PDF is drawn again with the count it found. */
static int write_pages(struct data *d, const page_fn *pages, size_t n, const char *title,
		       const char *path, struct gr_err *err)
{
	d->pages = 0;
	for (size_t i = 0; i < n; i++)
		d->pages += pages[i] != NULL;
	for (int attempt = 0; attempt < 2; attempt++) {
		struct outfile o;
		if (outfile_reserve(&o, path, err) != 0)
			return -1;
		cairo_surface_t *s = chart_surface(o.tmp, "pdf", PAGE_W, PAGE_H, err);
		if (!s) {
			outfile_abort(&o);
			return -1;
		}
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
		if (draw_pages(s, d, pages, n, path, err) != 0) {
			cairo_surface_destroy(s);
			outfile_abort(&o);
			return -1;
		}
		if (d->page != d->pages && attempt == 0) {
			cairo_surface_destroy(s);
			outfile_abort(&o);
			d->pages = d->page;
			continue;
		}
		if (chart_surface_finish(s, o.tmp, "pdf", err) != 0) {
			outfile_abort(&o);
			return -1;
		}
		return outfile_commit(&o, err);
	}
	return gr_fail(err, path, 0, "the report's page count did not settle");
}

int report_write_pdf(const struct report_input *in, const char *path,
		     struct gr_err *err)
{
	struct data d;
	page_fn pages[] = { report_page_summary, report_page_payers,
			    in->ar ? report_page_receivables : NULL,
			    in->ar ? report_page_scorecard : NULL, report_page_programs,
			    report_page_denials, report_page_sizes,
			    in->plan ? report_page_projection : NULL,
			    in->remit ? report_page_payments : NULL,
			    in->notes ? report_page_notes : NULL, report_page_appendix };

	if (gather(&d, in) != 0) {
		release(&d);
		return gr_fail(err, path, 0, "out of memory");
	}
	int rc = write_pages(&d, pages, sizeof pages / sizeof pages[0],
			     "Group psychotherapy revenue report", path, err);
	release(&d);
	return rc;
}

int report_write_charts(const struct report_input *in, const char *dir,
			const char *format, struct gr_err *err)
{
	/* Each chart alone, on a surface of its own: the same drawing as in
	 * the report, in a box of CHART_W x CHART_H points. */
	static const struct { const char *name; chart_fn fn; } charts[] = {
		{ "1-revenue-by-payer", report_chart_payers },
		{ "2-monthly-trend", report_chart_trend },
		{ "3-programs", report_chart_programs },
		{ "4-denial-reasons", report_chart_reasons },
		{ "5-findings", report_chart_findings },
		{ "6-group-size", report_chart_sizes },
		{ "7-projection", report_chart_projection },
		{ "8-aging", report_chart_aging },
		{ "9-pay-speed", report_chart_pay_speed },
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
		if (charts[i].fn == report_chart_projection && !in->plan)
			continue;
		if ((charts[i].fn == report_chart_aging ||
		     charts[i].fn == report_chart_pay_speed) && !in->ar)
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
	chart_theme_defaults(th);
	return path ? chart_theme_load(th, path, err) : 0;
}

/* One page drawn by FN on its own PDF (it may continue on more). */
static int single_page(struct data *d, page_fn fn, const char *title,
		       const char *path, struct gr_err *err)
{
	return write_pages(d, &fn, 1, title, path, err);
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
	return single_page(&d, report_page_projection, "Projection of planned group programs",
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
	in.as_of = ar_default_as_of(&run->ledger, &run->scope);
	if (gather(&d, &in) != 0) {
		release(&d);
		return gr_fail(err, path, 0, "out of memory");
	}
	int rc = single_page(&d, report_page_sizes, "Group size and denials", path, err);
	release(&d);
	return rc;
}
