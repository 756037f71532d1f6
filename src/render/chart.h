/* chart.h — a small plotting layer on cairo, text through Pango.
 *
 * Everything draws on a cairo context inside a rectangle given in points,
 * so one chart can go on a report page or alone on a PDF, PNG or SVG
 * surface.  Text is measured before it is placed.  Data strings are set
 * with pango_layout_set_text, never as markup.
 */
#ifndef GR_CHART_H
#define GR_CHART_H

#include <cairo.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "core/error.h"

#define CHART_MAX_SERIES 8
#define CHART_PALETTE 8

struct rgb {
	double r, g, b;
};

/* Fonts, sizes and colours; chart_theme_defaults() then, optionally,
 * chart_theme_load() of charts/theme.conf. */
struct chart_theme {
	char font[64];
	double title_size, text_size, small_size;
	struct rgb ink, muted, grid, accent;
	struct rgb palette[CHART_PALETTE]; /* Okabe–Ito: colour-blind safe */
	double line_width;
};

void chart_theme_defaults(struct chart_theme *t);
/* `key = value` lines, `#` comments; unknown keys and bad values are an
 * error naming the line.  A missing file is not an error (defaults stay). */
int chart_theme_load(struct chart_theme *t, const char *path, struct gr_err *err);
/* The same from an open file F (tests, fuzzing: fmemopen); PATH names it
 * in errors. */
int chart_theme_read(struct chart_theme *t, const char *path, FILE *f,
		     struct gr_err *err);

/* Nice axis ticks.  Postconditions for lo <= hi (finite):
 *   first <= lo and last >= hi (the ticks cover the data);
 *   step = m * 10^k with m in {1, 2, 5};
 *   count = (last - first) / step + 1, between 2 and target + 3;
 *   lo == hi is widened to a unit-sized range around it (or [0, 1] at 0). */
struct chart_ticks {
	double first, last, step;
	int count;
	int decimals; /* for labels: enough to tell ticks apart */
};
void chart_nice_ticks(double lo, double hi, int target, struct chart_ticks *t);

enum chart_fmt { FMT_NUMBER, FMT_DOLLARS, FMT_PERCENT };
/* "$1,500", "12.5%", "3" — decimals as the tick step needs. */
void chart_format(double v, enum chart_fmt fmt, int decimals, char *buf, size_t size);

/* Load the fonts once, before the data: Pango starts its font threads
 * and caches then, and GLib aborts the program if it cannot (it has no
 * out-of-memory error).  Done while memory is plentiful, a later
 * shortage is met by grouprev's own code, which reports it.  First it
 * checks that threads and memory can be had at all, and returns -1 with
 * ERR filled if not, rather than let GLib abort. */
int chart_fonts_ready(struct gr_err *err);

/* Text. ALIGN: 0 left, 1 centre, 2 right. Returns the height drawn (pt). */
double chart_text(cairo_t *cr, const struct chart_theme *t, double x, double y,
		  double width, int align, double size, bool bold,
		  const struct rgb *color, const char *text);
void chart_text_size(cairo_t *cr, const struct chart_theme *t, double size,
		     bool bold, const char *text, double *w, double *h);

/* Bars: NCAT categories × NSERIES series, grouped or stacked. */
struct chart_bars {
	const char *title, *y_title, *note;
	const char *const *categories;
	size_t ncat;
	const char *series[CHART_MAX_SERIES];
	const double *values[CHART_MAX_SERIES]; /* values[s][c] */
	int color[CHART_MAX_SERIES];            /* palette index per series */
	size_t nseries;
	bool stacked;
	bool horizontal; /* categories down the left, for long names */
	enum chart_fmt fmt;
	/* Horizontal, one series: the text beside each bar instead of the
	 * formatted value (a Pareto chart's "378 · 59%"); NULL = the value. */
	const char *const *value_labels;
};
int chart_bars(cairo_t *cr, const struct chart_theme *t, double x, double y,
	       double w, double h, const struct chart_bars *b);

/* Lines over categories (months), with markers. */
struct chart_lines {
	const char *title, *y_title, *note;
	const char *const *categories;
	size_t ncat;
	const char *series[CHART_MAX_SERIES];
	const double *values[CHART_MAX_SERIES]; /* NAN = no point */
	int color[CHART_MAX_SERIES];
	size_t nseries;
	enum chart_fmt fmt;
};
int chart_lines(cairo_t *cr, const struct chart_theme *t, double x, double y,
		double w, double h, const struct chart_lines *l);

/* Points with interval bars on a numeric x axis, and an optional curve. */
struct chart_points {
	const char *title, *x_title, *y_title, *note;
	const double *x, *y, *lo, *hi; /* n points; lo/hi may be NULL */
	size_t n;
	const double *curve_x, *curve_y; /* ncurve points, may be 0 */
	size_t ncurve;
	const char *point_label, *curve_label; /* legend */
	enum chart_fmt y_fmt;
	/* Optional, per point: a palette index (a payer keeps its colour on
	 * every chart) and a label drawn beside the point.  NULL: the first
	 * palette colour, no labels. */
	const int *colors;
	const char *const *labels;
};
int chart_points(cairo_t *cr, const struct chart_theme *t, double x, double y,
		 double w, double h, const struct chart_points *p);

/* A histogram of SORTED values with labelled vertical markers. */
struct chart_hist {
	const char *title, *x_title, *note;
	const double *values; /* sorted ascending */
	size_t n;
	int bins;
	const double *marks;
	const char *const *mark_labels;
	size_t nmarks;
	enum chart_fmt fmt;
};
int chart_hist(cairo_t *cr, const struct chart_theme *t, double x, double y,
	       double w, double h, const struct chart_hist *hg);

/* A table: a header row, then rows; NUMERIC[c] right-aligns column c.
 * Column widths are measured.  Returns the height used. */
struct chart_table {
	const char *const *header;
	size_t ncols;
	const char *const *cells; /* nrows * ncols, row-major */
	size_t nrows;
	const bool *numeric;
	bool last_row_total; /* bold, with a rule above */
};
double chart_table(cairo_t *cr, const struct chart_theme *t, double x, double y,
		   double w, const struct chart_table *tb);
/* Part of a table, for one that continues on the next page: the header,
 * then rows from FIRST on while they fit in MAX_H points (at least one).
 * Column widths are those of the whole table, so the parts line up.
 * Sets *NEXT to the first row not drawn (tb->nrows when done); returns
 * the height drawn. */
double chart_table_part(cairo_t *cr, const struct chart_theme *t, double x, double y,
			double w, const struct chart_table *tb, size_t first,
			double max_h, size_t *next);

/* A surface for one chart alone: FORMAT "pdf", "png" or "svg"; W and H in
 * points (PNG at 2 pixels per point).  PDF creation date fixed for
 * reproducible files. */
cairo_surface_t *chart_surface(const char *path, const char *format, double w,
			       double h, struct gr_err *err);
/* Finish and check the surface; PNG is written here. */
int chart_surface_finish(cairo_surface_t *s, const char *path, const char *format,
			 struct gr_err *err);

/* Whether FORMAT is one chart_surface draws: pdf, png or svg. */
bool chart_format_ok(const char *format);

#endif
