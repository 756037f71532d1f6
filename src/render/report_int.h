/* report_int.h — what the report's drivers, pages and charts share; not
 * for use outside src/render/report*.c.
 *
 * The report reads every sum from the aggregation layer (analysis/tally.h)
 * and draws it; nothing here adds money up.  A page draws at the cursor of
 * a struct data and may break onto further pages (report_new_page), so a
 * long table continues on the next page instead of being cut.
 */
#ifndef GR_REPORT_INT_H
#define GR_REPORT_INT_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/tally.h"
#include "render/chart.h"
#include "render/report.h"

#define PAGE_W 612.0
#define PAGE_H 792.0
#define MARGIN 50.0
#define BODY_W (PAGE_W - 2 * MARGIN)
#define PAGE_BOTTOM (PAGE_H - 60) /* below it: the footer */
#define MAX_TABLE_ROWS 14         /* of the group and clinician tables */

/* A label and its count and amount, for the reason-code and rule lists. */
struct count {
	const char *name;
	uint64_t n;
	int64_t cents;
};

struct data {
	const struct report_input *in;
	const struct roster *r;
	bool have_q;                 /* the file has sessions */
	bool all;                    /* every quarter is in scope (no --quarter) */
	bool empty;                  /* no session in scope */
	int32_t focus, first_q, last_q;
	const struct tally_row *cur, *prev; /* the scope's sums, and the quarter
	                                     * before it (NULL for every quarter) */
	const struct tally_row *prows; /* the scope's rows by payer */
	uint32_t nprows;
	struct count *rules;         /* rules that flagged lines, most lines first */
	size_t nrules;
	char period[64];             /* the scope: "2025Q3", "2025Q1 to 2026Q1" */
	char as_of[40];
	int pages, page;             /* page is the number of pages finished */
};

/* ---- page furniture (report_page.c) ---- */
const struct chart_theme *report_theme_of(const struct data *d);
double report_heading(cairo_t *cr, const struct data *d, double y, const char *text);
double report_para(cairo_t *cr, const struct data *d, double y, const char *text);
/* The small line under a heading: what, date basis, as-of date. */
double report_basis(cairo_t *cr, const struct data *d, double y, const char *what);
void report_footer(cairo_t *cr, struct data *d);
/* Finish this page (footer) and start the next; returns the top y. */
double report_new_page(cairo_t *cr, struct data *d);
/* A key-figure card. */
void report_card(cairo_t *cr, const struct data *d, double x, double y, double w,
		 double h, const char *label, const char *value, const char *sub);
/* Draw TB at Y; rows that do not fit continue on further pages under the
 * heading "CONT (continued)".  Returns the y below the table. */
double report_table(cairo_t *cr, struct data *d, double y, const struct chart_table *tb,
		    const char *cont);

/* Cells of a table built row by row: NCOLS strings a row, any number of
 * rows, each cell formatted into its own allocation. */
struct cells {
	size_t ncols, nrows, cap;
	char **cell;
	bool failed; /* out of memory: cells_ptrs returns NULL */
};
void cells_init(struct cells *c, size_t ncols);
/* Set cell COL of the current row (printf-style); a new row starts with
 * cells_row. */
void cells_row(struct cells *c);
void cells_set(struct cells *c, size_t col, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void cells_cents(struct cells *c, size_t col, int64_t cents);
/* NUM of DEN as a percentage with one decimal, "–" when DEN is 0. */
void cells_rate(struct cells *c, size_t col, uint64_t num, uint64_t den);
/* The cells row-major, for struct chart_table; NULL when out of memory. */
const char *const *cells_ptrs(struct cells *c);
void cells_free(struct cells *c);

/* "$1,234.56" into BUF (64 bytes). */
void report_cents(int64_t cents, char buf[64]);

/* ---- the charts (report_charts.c) ----
 * Each draws into the box it is given: a page places it among its text,
 * and --charts gives it a surface of its own. */
typedef int (*chart_fn)(cairo_t *cr, struct data *d, double x, double y, double w,
			double h);
int report_chart_payers(cairo_t *cr, struct data *d, double x, double y, double w, double h);
int report_chart_trend(cairo_t *cr, struct data *d, double x, double y, double w, double h);
int report_chart_programs(cairo_t *cr, struct data *d, double x, double y, double w, double h);
int report_chart_reasons(cairo_t *cr, struct data *d, double x, double y, double w, double h);
int report_chart_findings(cairo_t *cr, struct data *d, double x, double y, double w, double h);
int report_chart_sizes(cairo_t *cr, struct data *d, double x, double y, double w, double h);
int report_chart_projection(cairo_t *cr, struct data *d, double x, double y, double w, double h);
/* Group or clinician rows by expected revenue, largest first (a malloc'd
 * array of pointers the caller frees). */
const struct tally_row **report_by_expected(const struct tally_row *rows, uint32_t n);

/* ---- the pages (report_pages.c) ---- */
typedef int (*page_fn)(cairo_t *, struct data *);
int report_page_summary(cairo_t *cr, struct data *d);
int report_page_payers(cairo_t *cr, struct data *d);
int report_page_programs(cairo_t *cr, struct data *d);
int report_page_denials(cairo_t *cr, struct data *d);
int report_page_sizes(cairo_t *cr, struct data *d);
int report_page_projection(cairo_t *cr, struct data *d);
int report_page_appendix(cairo_t *cr, struct data *d);
/* The documentation audit (report_notes.c), when --notes is given. */
int report_page_notes(cairo_t *cr, struct data *d);
/* The payments page of --remit (report_payments.c). */
int report_page_payments(cairo_t *cr, struct data *d);

/* ---- the receivables pages (report_receivables.c), when in->ar ---- */
int report_page_receivables(cairo_t *cr, struct data *d);
int report_page_scorecard(cairo_t *cr, struct data *d);
int report_chart_aging(cairo_t *cr, struct data *d, double x, double y, double w, double h);
int report_chart_pay_speed(cairo_t *cr, struct data *d, double x, double y, double w,
			   double h);
/* The formulas of the key figures, for the appendix; returns the y below. */
double report_receivables_defs(cairo_t *cr, struct data *d, double y);
/* A payer's palette index on every chart (by its place in payers.csv). */
int report_payer_color(const struct data *d, uint32_t payer);

#endif
