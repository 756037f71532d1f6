/* report_page.c — the report's page furniture: headings, paragraphs, the
 * date-basis line, footers, key-figure cards, tables that continue on the
 * next page, and the cells those tables are built from.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/value.h"
#include "render/report_int.h"

const struct chart_theme *report_theme_of(const struct data *d)
{
	return d->in->theme;
}

double report_heading(cairo_t *cr, const struct data *d, double y, const char *text)
{
	const struct chart_theme *t = report_theme_of(d);
	double h = chart_text(cr, t, MARGIN, y, BODY_W, 0, 14, true, &t->ink, text);
	cairo_set_source_rgb(cr, t->accent.r, t->accent.g, t->accent.b);
	cairo_rectangle(cr, MARGIN, y + h + 2, 36, 2);
	cairo_fill(cr);
	return y + h + 12;
}

double report_para(cairo_t *cr, const struct data *d, double y, const char *text)
{
	const struct chart_theme *t = report_theme_of(d);
	return y + chart_text(cr, t, MARGIN, y, BODY_W, 0, t->text_size, false,
			      &t->ink, text) + 8;
}

double report_basis(cairo_t *cr, const struct data *d, double y, const char *what)
{
	const struct chart_theme *t = report_theme_of(d);
	char buf[256];
	snprintf(buf, sizeof buf, "%s  ·  by date of service  ·  as of %s", what, d->as_of);
	return y + chart_text(cr, t, MARGIN, y, BODY_W, 0, t->small_size, false,
			      &t->muted, buf) + 4;
}

void report_footer(cairo_t *cr, struct data *d)
{
	const struct chart_theme *t = report_theme_of(d);
	char buf[200];

	d->page++;
	snprintf(buf, sizeof buf, "grouprev · group psychotherapy (CPT 90853) · %s", d->in->attendance);
	chart_text(cr, t, MARGIN, PAGE_H - 34, BODY_W * 0.8, 0, t->small_size, false,
		   &t->muted, buf);
	snprintf(buf, sizeof buf, "page %d of %d", d->page, d->pages);
	chart_text(cr, t, PAGE_W - MARGIN, PAGE_H - 34, 0, 2, t->small_size, false,
		   &t->muted, buf);
}

double report_new_page(cairo_t *cr, struct data *d)
{
	report_footer(cr, d);
	cairo_show_page(cr);
	return MARGIN;
}

void report_card(cairo_t *cr, const struct data *d, double x, double y, double w,
		 double h, const char *label, const char *value, const char *sub)
{
	const struct chart_theme *t = report_theme_of(d);
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

double report_table(cairo_t *cr, struct data *d, double y, const struct chart_table *tb,
		    const char *cont)
{
	const struct chart_theme *t = report_theme_of(d);
	size_t first = 0, next;
	char buf[200];

	for (;;) {
		y += chart_table_part(cr, t, MARGIN, y, BODY_W, tb, first,
				      PAGE_BOTTOM - y, &next);
		if (next >= tb->nrows)
			return y;
		y = report_new_page(cr, d);
		snprintf(buf, sizeof buf, "%s (continued)", cont);
		y = report_heading(cr, d, y, buf);
		first = next;
	}
}

void report_cents(int64_t cents, char buf[64])
{
	value_format_dollars(cents, buf);
}

/* ---- cells ---------------------------------------------------------------- */

void cells_init(struct cells *c, size_t ncols)
{
	memset(c, 0, sizeof *c);
	c->ncols = ncols;
}

void cells_row(struct cells *c)
{
	if (c->failed)
		return;
	if (c->nrows == c->cap) {
		size_t cap = c->cap ? 2 * c->cap : 16;
		char **p = realloc(c->cell, cap * c->ncols * sizeof *p);
		if (!p) {
			c->failed = true;
			return;
		}
		c->cell = p;
		c->cap = cap;
	}
	for (size_t k = 0; k < c->ncols; k++)
		c->cell[c->nrows * c->ncols + k] = NULL;
	c->nrows++;
}

static void cells_put(struct cells *c, size_t col, char *s)
{
	if (c->failed || !c->nrows || col >= c->ncols || !s) {
		if (!s)
			c->failed = true;
		free(s);
		return;
	}
	char **slot = &c->cell[(c->nrows - 1) * c->ncols + col];
	free(*slot);
	*slot = s;
}

void cells_set(struct cells *c, size_t col, const char *fmt, ...)
{
	va_list ap;
	char *s;

	va_start(ap, fmt);
	if (vasprintf(&s, fmt, ap) < 0)
		s = NULL;
	va_end(ap);
	cells_put(c, col, s);
}

void cells_cents(struct cells *c, size_t col, int64_t cents)
{
	char b[64];
	report_cents(cents, b);
	cells_set(c, col, "%s", b);
}

void cells_rate(struct cells *c, size_t col, uint64_t num, uint64_t den)
{
	if (den)
		cells_set(c, col, "%.1f%%", 100.0 * (double)num / (double)den);
	else
		cells_set(c, col, "–");
}

const char *const *cells_ptrs(struct cells *c)
{
	static const char *const none[1] = { "" };

	if (c->failed)
		return NULL;
	if (!c->nrows)
		return none;
	for (size_t i = 0; i < c->nrows * c->ncols; i++)
		if (!c->cell[i] && !(c->cell[i] = strdup(""))) {
			c->failed = true;
			return NULL;
		}
	return (const char *const *)c->cell;
}

void cells_free(struct cells *c)
{
	if (c->cell)
		for (size_t i = 0; i < c->nrows * c->ncols; i++)
			free(c->cell[i]);
	free(c->cell);
	memset(c, 0, sizeof *c);
}
