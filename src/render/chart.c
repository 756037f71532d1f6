/* chart.c — axes with nice ticks, bars, lines, points with intervals,
 * histograms, legends and tables on any cairo context.
 *
 * Layout rule: measure every label with Pango first, then size the
 * margins from what was measured, then draw.  Nothing is placed at a
 * guessed offset, so long payer or group names never overlap.
 */
#include "render/chart.h"

#include <cairo-pdf.h>
#include <cairo-svg.h>
#include <ctype.h>
#include <math.h>
#include <pthread.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- theme ------------------------------------------------------------ */

static struct rgb hex(unsigned v)
{
	return (struct rgb){ ((v >> 16) & 255) / 255.0, ((v >> 8) & 255) / 255.0,
			     (v & 255) / 255.0 };
}

void chart_theme_defaults(struct chart_theme *t)
{
	/* Okabe & Ito (2008), "Color Universal Design": distinguishable with
	 * the common colour-vision deficiencies; black moved last. */
	static const unsigned okabe_ito[CHART_PALETTE] = {
		0x0072B2, 0xE69F00, 0x009E73, 0xD55E00,
		0x56B4E9, 0xCC79A7, 0xF0E442, 0x000000,
	};
	memset(t, 0, sizeof *t);
	snprintf(t->font, sizeof t->font, "DejaVu Sans");
	t->title_size = 11;
	t->text_size = 8.5;
	t->small_size = 7;
	t->ink = hex(0x222222);
	t->muted = hex(0x666666);
	t->grid = hex(0xDDDDDD);
	t->accent = hex(0x0072B2);
	for (int i = 0; i < CHART_PALETTE; i++)
		t->palette[i] = hex(okabe_ito[i]);
	t->line_width = 1.5;
}

static int parse_color(const char *s, struct rgb *c)
{
	char *end;
	if (*s == '#')
		s++;
	if (strlen(s) != 6)
		return -1;
	unsigned long v = strtoul(s, &end, 16);
	if (*end)
		return -1;
	*c = hex((unsigned)v);
	return 0;
}

int chart_theme_load(struct chart_theme *t, const char *path, struct gr_err *err)
{
	FILE *f = fopen(path, "r");

	if (!f)
		return 0; /* defaults */
	int rc = chart_theme_read(t, path, f, err);
	fclose(f);
	return rc;
}

int chart_theme_read(struct chart_theme *t, const char *path, FILE *f,
		     struct gr_err *err)
{
	char line[256];
	size_t no = 0;

	while (fgets(line, sizeof line, f)) {
		char *k = line, *v, *e;
		no++;
		while (isspace((unsigned char)*k))
			k++;
		if (!*k || *k == '#')
			continue;
		if (!(v = strchr(k, '=')))
			return gr_fail(err, path, no, "expected 'key = value'");
		*v++ = '\0';
		while (isspace((unsigned char)*v))
			v++;
		/* A comment after the value starts with whitespace then '#';
		 * a colour such as #222222 is the value itself. */
		for (e = v + 1; *v && *e; e++)
			if (*e == '#' && isspace((unsigned char)e[-1])) {
				*e = '\0';
				break;
			}
		for (e = v + strlen(v); e > v && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		for (e = k + strlen(k); e > k && isspace((unsigned char)e[-1]); e--)
			;
		*e = '\0';
		int bad = 0;
		if (!strcmp(k, "font"))
			snprintf(t->font, sizeof t->font, "%s", v);
		else if (!strcmp(k, "title_size"))
			bad = (t->title_size = atof(v)) <= 0;
		else if (!strcmp(k, "text_size"))
			bad = (t->text_size = atof(v)) <= 0;
		else if (!strcmp(k, "small_size"))
			bad = (t->small_size = atof(v)) <= 0;
		else if (!strcmp(k, "line_width"))
			bad = (t->line_width = atof(v)) <= 0;
		else if (!strcmp(k, "ink"))
			bad = parse_color(v, &t->ink);
		else if (!strcmp(k, "muted"))
			bad = parse_color(v, &t->muted);
		else if (!strcmp(k, "grid"))
			bad = parse_color(v, &t->grid);
		else if (!strcmp(k, "accent"))
			bad = parse_color(v, &t->accent);
		else if (!strncmp(k, "palette", 7) && k[7] >= '1' && k[7] <= '8' && !k[8])
			bad = parse_color(v, &t->palette[k[7] - '1']);
		else
			return gr_fail(err, path, no, "unknown key '%s'", k);
		if (bad)
			return gr_fail(err, path, no, "bad value '%s' for '%s'", v, k);
	}
	return 0;
}

/* ---- numbers ------------------------------------------------------------ */

void chart_nice_ticks(double lo, double hi, int target, struct chart_ticks *t)
{
	if (target < 2)
		target = 2;
	if (!isfinite(lo) || !isfinite(hi)) {
		lo = 0;
		hi = 1;
	}
	if (hi < lo) {
		double x = lo;
		lo = hi;
		hi = x;
	}
	if (hi == lo) {
		/* One value: show it in the middle of a range around it. */
		double half = lo == 0 ? 0.5 : fabs(lo) * 0.5;
		lo -= half;
		hi += half;
		if (lo < 0 && hi - half >= 0 && hi - half == 0)
			lo = 0;
	}
	double rough = (hi - lo) / target;
	double mag = pow(10.0, floor(log10(rough)));
	double norm = rough / mag;
	double m = norm <= 1 ? 1 : norm <= 2 ? 2 : norm <= 5 ? 5 : 10;
	t->step = m * mag;
	/* Multiples of the step around the data, corrected by one step when
	 * the division rounded across a multiple: the products themselves
	 * must bracket lo and hi (an epsilon here once lifted -0.0003 to 0). */
	double kf = floor(lo / t->step), kl = ceil(hi / t->step);
	if ((kf + 1) * t->step <= lo)
		kf += 1;
	if (kf * t->step > lo)
		kf -= 1;
	if ((kl - 1) * t->step >= hi)
		kl -= 1;
	if (kl * t->step < hi)
		kl += 1;
	t->first = kf * t->step;
	t->last = kl * t->step;
	t->count = (int)llround((t->last - t->first) / t->step) + 1;
	if (t->count < 2) {
		t->last = t->first + t->step;
		t->count = 2;
	}
	int d = (int)-floor(log10(t->step) + 1e-9);
	t->decimals = d > 0 ? d : 0;
}

void chart_format(double v, enum chart_fmt fmt, int decimals, char *buf, size_t size)
{
	char num[64], grouped[96];
	bool neg = v < 0;

	if (fmt == FMT_PERCENT) {
		v *= 100.0;
		decimals = decimals > 2 ? decimals - 2 : 0;
	}
	if (decimals > 6)
		decimals = 6;
	snprintf(num, sizeof num, "%.*f", decimals, fabs(v));
	if (fmt == FMT_PERCENT) {
		snprintf(buf, size, "%s%s%%", neg && atof(num) != 0 ? "-" : "", num);
		return;
	}
	/* Thousands separators on the whole part. */
	char *dot = strchr(num, '.');
	size_t whole = dot ? (size_t)(dot - num) : strlen(num), k = 0;
	for (size_t i = 0; i < whole; i++) {
		if (i && (whole - i) % 3 == 0)
			grouped[k++] = ',';
		grouped[k++] = num[i];
	}
	snprintf(grouped + k, sizeof grouped - k, "%s", dot ? dot : "");
	snprintf(buf, size, "%s%s%s", neg && atof(num) != 0 ? "-" : "",
		 fmt == FMT_DOLLARS ? "$" : "", grouped);
}

/* ---- text ------------------------------------------------------------ */

static PangoLayout *layout(cairo_t *cr, const struct chart_theme *t, double size,
			   bool bold, const char *text, double width)
{
	PangoLayout *l = pango_cairo_create_layout(cr);
	PangoFontDescription *fd = pango_font_description_new();

	pango_font_description_set_family(fd, t->font);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_layout_set_font_description(l, fd);
	pango_font_description_free(fd);
	if (width > 0) {
		pango_layout_set_width(l, (int)(width * PANGO_SCALE));
		pango_layout_set_wrap(l, PANGO_WRAP_WORD_CHAR);
	}
	pango_layout_set_text(l, text ? text : "", -1);
	return l;
}

static void *idle(void *arg)
{
	return arg;
}

int chart_fonts_ready(struct gr_err *err)
{
	struct chart_theme t;
	double w, h;
	pthread_t th[2];
	int started = 0;

	/* What GLib will ask for: threads with the default stack, and a
	 * few megabytes for the font caches. */
	while (started < 2 && pthread_create(&th[started], NULL, idle, NULL) == 0)
		started++;
	for (int i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	void *room = malloc(32u << 20);
	free(room);
	if (started < 2 || !room)
		return gr_fail(err, NULL, 0, "out of memory: cannot start the font "
			       "library that draws the PDF");
	chart_theme_defaults(&t);
	cairo_surface_t *s = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1);
	cairo_t *cr = cairo_create(s);
	if (cairo_status(cr) == CAIRO_STATUS_SUCCESS) {
		chart_text_size(cr, &t, 10, false, "$0.00", &w, &h);
		chart_text_size(cr, &t, 10, true, "$0.00", &w, &h);
	}
	cairo_destroy(cr);
	cairo_surface_destroy(s);
	return 0;
}

void chart_text_size(cairo_t *cr, const struct chart_theme *t, double size,
		     bool bold, const char *text, double *w, double *h)
{
	PangoLayout *l = layout(cr, t, size, bold, text, 0);
	int pw, ph;

	pango_layout_get_size(l, &pw, &ph);
	*w = (double)pw / PANGO_SCALE;
	*h = (double)ph / PANGO_SCALE;
	g_object_unref(l);
}

double chart_text(cairo_t *cr, const struct chart_theme *t, double x, double y,
		  double width, int align, double size, bool bold,
		  const struct rgb *color, const char *text)
{
	PangoLayout *l = layout(cr, t, size, bold, text, width);
	int pw, ph;

	if (width > 0)
		pango_layout_set_alignment(l, align == 1 ? PANGO_ALIGN_CENTER
					   : align == 2 ? PANGO_ALIGN_RIGHT
							: PANGO_ALIGN_LEFT);
	pango_layout_get_size(l, &pw, &ph);
	double dx = 0;
	if (width <= 0 && align == 1)
		dx = -(double)pw / PANGO_SCALE / 2;
	else if (width <= 0 && align == 2)
		dx = -(double)pw / PANGO_SCALE;
	cairo_set_source_rgb(cr, color->r, color->g, color->b);
	cairo_move_to(cr, x + dx, y);
	pango_cairo_show_layout(cr, l);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE;
}

/* ---- shared frame: title, legend, axes ----------------------------------- */

struct frame {
	double x, y, w, h;   /* plot area */
	double lo, hi;       /* y range */
	struct chart_ticks ticks;
	enum chart_fmt fmt;
};

static void set(cairo_t *cr, const struct rgb *c)
{
	cairo_set_source_rgb(cr, c->r, c->g, c->b);
}

/* Title at the top, legend under it; returns the y where the plot starts. */
static double title_legend(cairo_t *cr, const struct chart_theme *t, double x,
			   double y, double w, const char *title,
			   const char *const *names, const int *colors, size_t n,
			   const bool *is_line)
{
	double cy = y;

	if (title && *title)
		cy += chart_text(cr, t, x, cy, w, 0, t->title_size, true, &t->ink, title) + 4;
	if (n > 1 || (n == 1 && names[0] && is_line)) {
		double lx = x, lh = 0;
		for (size_t i = 0; i < n; i++) {
			double tw, th;
			if (!names[i])
				continue;
			chart_text_size(cr, t, t->small_size, false, names[i], &tw, &th);
			if (lx + 14 + tw > x + w && lx > x) {
				lx = x;
				cy += lh + 3;
			}
			set(cr, &t->palette[colors[i] % CHART_PALETTE]);
			if (is_line && is_line[i]) {
				cairo_set_line_width(cr, t->line_width);
				cairo_move_to(cr, lx, cy + th / 2);
				cairo_line_to(cr, lx + 10, cy + th / 2);
				cairo_stroke(cr);
			} else {
				cairo_rectangle(cr, lx, cy + th / 2 - 4, 9, 8);
				cairo_fill(cr);
			}
			chart_text(cr, t, lx + 13, cy, 0, 0, t->small_size, false, &t->ink,
				   names[i]);
			lx += 13 + tw + 12;
			lh = th;
		}
		cy += lh + 6;
	}
	return cy;
}

/* Y axis with gridlines and labels; fixes the plot area's left edge. */
static void y_axis(cairo_t *cr, const struct chart_theme *t, struct frame *f,
		   const char *y_title)
{
	char buf[64];
	double maxw = 0, tw, th;

	chart_nice_ticks(f->lo, f->hi, 5, &f->ticks);
	for (int i = 0; i < f->ticks.count; i++) {
		chart_format(f->ticks.first + i * f->ticks.step, f->fmt, f->ticks.decimals,
			     buf, sizeof buf);
		chart_text_size(cr, t, t->small_size, false, buf, &tw, &th);
		if (tw > maxw)
			maxw = tw;
	}
	double left = maxw + 6;
	if (y_title && *y_title) {
		chart_text_size(cr, t, t->small_size, false, y_title, &tw, &th);
		cairo_save(cr);
		cairo_translate(cr, f->x, f->y + f->h / 2);
		cairo_rotate(cr, -M_PI / 2);
		chart_text(cr, t, 0, 0, 0, 1, t->small_size, false, &t->muted, y_title);
		cairo_restore(cr);
		left += th + 4;
	}
	f->x += left;
	f->w -= left;
	for (int i = 0; i < f->ticks.count; i++) {
		double v = f->ticks.first + i * f->ticks.step;
		double py = f->y + f->h - (v - f->ticks.first) /
			(f->ticks.last - f->ticks.first) * f->h;
		set(cr, &t->grid);
		cairo_set_line_width(cr, 0.5);
		cairo_move_to(cr, f->x, floor(py) + 0.25);
		cairo_line_to(cr, f->x + f->w, floor(py) + 0.25);
		cairo_stroke(cr);
		chart_format(v, f->fmt, f->ticks.decimals, buf, sizeof buf);
		chart_text_size(cr, t, t->small_size, false, buf, &tw, &th);
		chart_text(cr, t, f->x - 4, py - th / 2, 0, 2, t->small_size, false,
			   &t->muted, buf);
	}
	f->lo = f->ticks.first;
	f->hi = f->ticks.last;
}

static double ymap(const struct frame *f, double v)
{
	return f->y + f->h - (v - f->lo) / (f->hi - f->lo) * f->h;
}

/* Height of the tallest category label wrapped to SLOT points. */
static double cat_label_height(cairo_t *cr, const struct chart_theme *t,
			       const char *const *cats, size_t n, double slot)
{
	double maxh = 0;
	for (size_t i = 0; i < n; i++) {
		PangoLayout *l = layout(cr, t, t->small_size, false, cats[i], slot);
		int pw, ph;
		pango_layout_get_size(l, &pw, &ph);
		if ((double)ph / PANGO_SCALE > maxh)
			maxh = (double)ph / PANGO_SCALE;
		g_object_unref(l);
	}
	return maxh;
}

static double note_height(cairo_t *cr, const struct chart_theme *t, double w,
			  const char *note)
{
	if (!note || !*note)
		return 0;
	PangoLayout *l = layout(cr, t, t->small_size, false, note, w);
	int pw, ph;
	pango_layout_get_size(l, &pw, &ph);
	g_object_unref(l);
	return (double)ph / PANGO_SCALE + 4;
}

static int status_of(cairo_t *cr)
{
	return cairo_status(cr) == CAIRO_STATUS_SUCCESS ? 0 : -1;
}

/* ---- bars ------------------------------------------------------------ */

static int hbars(cairo_t *cr, const struct chart_theme *t, double x, double y,
		 double w, double h, const struct chart_bars *b, double top)
{
	double labw = 0, tw, th, maxv = 0;
	char buf[64];

	for (size_t c = 0; c < b->ncat; c++) {
		chart_text_size(cr, t, t->small_size, false, b->categories[c], &tw, &th);
		if (tw > labw)
			labw = tw;
		double sum = 0;
		for (size_t s = 0; s < b->nseries; s++) {
			double v = b->values[s][c];
			if (b->stacked)
				sum += v > 0 ? v : 0;
			else if (v > maxv)
				maxv = v;
		}
		if (b->stacked && sum > maxv)
			maxv = sum;
	}
	if (labw > w * 0.4)
		labw = w * 0.4;
	double bottom = y + h - note_height(cr, t, w, b->note);
	struct chart_ticks tk;
	chart_nice_ticks(0, maxv > 0 ? maxv : 1, 4, &tk);
	double px = x + labw + 8, pw = w - labw - 8 - 40, axis_h = t->small_size + 6;
	double slot = (bottom - axis_h - top) / (b->ncat ? (double)b->ncat : 1.0);
	for (int i = 0; i < tk.count; i++) {
		double v = tk.first + i * tk.step, gx = px + (v - tk.first) / (tk.last - tk.first) * pw;
		set(cr, &t->grid);
		cairo_set_line_width(cr, 0.5);
		cairo_move_to(cr, gx, top);
		cairo_line_to(cr, gx, bottom - axis_h);
		cairo_stroke(cr);
		chart_format(v, b->fmt, tk.decimals, buf, sizeof buf);
		chart_text(cr, t, gx, bottom - axis_h + 2, 0, 1, t->small_size, false,
			   &t->muted, buf);
	}
	for (size_t c = 0; c < b->ncat; c++) {
		double cy = top + c * slot, bh = slot * 0.65, by = cy + (slot - bh) / 2;
		PangoLayout *l = layout(cr, t, t->small_size, false, b->categories[c], labw);
		pango_layout_set_alignment(l, PANGO_ALIGN_RIGHT);
		pango_layout_set_height(l, -2);
		pango_layout_set_ellipsize(l, PANGO_ELLIPSIZE_END);
		int lw, lh;
		pango_layout_get_size(l, &lw, &lh);
		set(cr, &t->ink);
		cairo_move_to(cr, x, cy + slot / 2 - (double)lh / PANGO_SCALE / 2);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
		double bx = px, total = 0;
		for (size_t s = 0; s < b->nseries; s++) {
			double v = b->values[s][c];
			if (!(v > 0))
				continue;
			double len = v / (tk.last - tk.first) * pw;
			double sy = b->stacked ? by : by + bh / (double)b->nseries * s;
			double sh = b->stacked ? bh : bh / (double)b->nseries;
			set(cr, &t->palette[b->color[s] % CHART_PALETTE]);
			cairo_rectangle(cr, b->stacked ? bx : px, sy, len, sh);
			cairo_fill(cr);
			if (b->stacked)
				bx += len;
			total = b->stacked ? total + v : v;
			if (!b->stacked) {
				chart_format(v, b->fmt, 0, buf, sizeof buf);
				const char *text = b->value_labels && b->nseries == 1 &&
							   b->value_labels[c]
						   ? b->value_labels[c] : buf;
				chart_text(cr, t, px + len + 3, sy + sh / 2 - t->small_size * 0.7,
					   0, 0, t->small_size, false, &t->ink, text);
			}
		}
		if (b->stacked) {
			chart_format(total, b->fmt, 0, buf, sizeof buf);
			chart_text(cr, t, bx + 3, by + bh / 2 - t->small_size * 0.7, 0, 0,
				   t->small_size, false, &t->ink, buf);
		}
	}
	if (b->note && *b->note)
		chart_text(cr, t, x, bottom + 2, w, 0, t->small_size, false, &t->muted, b->note);
	return status_of(cr);
}

int chart_bars(cairo_t *cr, const struct chart_theme *t, double x, double y,
	       double w, double h, const struct chart_bars *b)
{
	double top = title_legend(cr, t, x, y, w, b->title, b->series, b->color,
				  b->nseries, NULL);
	if (b->horizontal)
		return hbars(cr, t, x, y, w, h, b, top);

	struct frame f = { x, top, w, 0, 0, 0, { 0, 0, 0, 0, 0 }, b->fmt };
	double bottom = y + h - note_height(cr, t, w, b->note);
	double slot_guess = (w - 60) / (b->ncat ? (double)b->ncat : 1.0);
	double labh = cat_label_height(cr, t, b->categories, b->ncat, slot_guess - 4);
	f.h = bottom - top - labh - 6;
	for (size_t c = 0; c < b->ncat; c++) {
		double sum = 0;
		for (size_t s = 0; s < b->nseries; s++) {
			double v = b->values[s][c];
			if (b->stacked)
				sum += v > 0 ? v : 0;
			else if (v > f.hi)
				f.hi = v;
		}
		if (b->stacked && sum > f.hi)
			f.hi = sum;
	}
	if (f.hi <= 0)
		f.hi = 1;
	y_axis(cr, t, &f, b->y_title);
	double slot = f.w / (b->ncat ? (double)b->ncat : 1.0);
	for (size_t c = 0; c < b->ncat; c++) {
		double cx = f.x + c * slot, group = slot * 0.7, acc = 0;
		for (size_t s = 0; s < b->nseries; s++) {
			double v = b->values[s][c];
			if (!(v > 0))
				continue;
			/* Stacked: from the running total up; grouped: from 0. */
			double y0 = ymap(&f, b->stacked ? acc : 0);
			double y1 = ymap(&f, b->stacked ? acc + v : v);
			double bw = b->stacked ? group : group / (double)b->nseries;
			double bx = cx + (slot - group) / 2 + (b->stacked ? 0 : bw * s);
			set(cr, &t->palette[b->color[s] % CHART_PALETTE]);
			cairo_rectangle(cr, bx, y1, bw * 0.92, y0 - y1);
			cairo_fill(cr);
			acc += v;
		}
		PangoLayout *l = layout(cr, t, t->small_size, false, b->categories[c], slot - 4);
		pango_layout_set_alignment(l, PANGO_ALIGN_CENTER);
		set(cr, &t->ink);
		cairo_move_to(cr, cx + 2, f.y + f.h + 4);
		pango_cairo_show_layout(cr, l);
		g_object_unref(l);
	}
	set(cr, &t->muted);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, f.x, f.y + f.h);
	cairo_line_to(cr, f.x + f.w, f.y + f.h);
	cairo_stroke(cr);
	if (b->note && *b->note)
		chart_text(cr, t, x, bottom + 2, w, 0, t->small_size, false, &t->muted, b->note);
	return status_of(cr);
}

/* ---- lines ------------------------------------------------------------ */

int chart_lines(cairo_t *cr, const struct chart_theme *t, double x, double y,
		double w, double h, const struct chart_lines *l)
{
	bool is_line[CHART_MAX_SERIES];
	for (size_t s = 0; s < CHART_MAX_SERIES; s++)
		is_line[s] = true;
	double top = title_legend(cr, t, x, y, w, l->title, l->series, l->color,
				  l->nseries, is_line);
	struct frame f = { x, top, w, 0, 0, 0, { 0, 0, 0, 0, 0 }, l->fmt };
	double bottom = y + h - note_height(cr, t, w, l->note);
	double slot = (w - 60) / (l->ncat ? (double)l->ncat : 1.0);
	double labh = cat_label_height(cr, t, l->categories, l->ncat, slot);
	f.h = bottom - top - labh - 6;
	for (size_t s = 0; s < l->nseries; s++)
		for (size_t c = 0; c < l->ncat; c++)
			if (l->values[s][c] > f.hi)
				f.hi = l->values[s][c];
	if (f.hi <= 0)
		f.hi = 1;
	y_axis(cr, t, &f, l->y_title);
	slot = f.w / (l->ncat ? (double)l->ncat : 1.0);
	for (size_t c = 0; c < l->ncat; c++) {
		PangoLayout *pl = layout(cr, t, t->small_size, false, l->categories[c], slot);
		pango_layout_set_alignment(pl, PANGO_ALIGN_CENTER);
		set(cr, &t->ink);
		cairo_move_to(cr, f.x + c * slot, f.y + f.h + 4);
		pango_cairo_show_layout(cr, pl);
		g_object_unref(pl);
	}
	for (size_t s = 0; s < l->nseries; s++) {
		set(cr, &t->palette[l->color[s] % CHART_PALETTE]);
		cairo_set_line_width(cr, t->line_width);
		bool pen = false;
		for (size_t c = 0; c < l->ncat; c++) {
			double v = l->values[s][c];
			if (!isfinite(v)) {
				pen = false;
				continue;
			}
			double px = f.x + (c + 0.5) * slot, py = ymap(&f, v);
			if (pen)
				cairo_line_to(cr, px, py);
			else
				cairo_move_to(cr, px, py);
			pen = true;
		}
		cairo_stroke(cr);
		for (size_t c = 0; c < l->ncat; c++) {
			double v = l->values[s][c];
			if (!isfinite(v))
				continue;
			cairo_arc(cr, f.x + (c + 0.5) * slot, ymap(&f, v), 2.2, 0, 2 * M_PI);
			cairo_fill(cr);
		}
	}
	if (l->note && *l->note)
		chart_text(cr, t, x, bottom + 2, w, 0, t->small_size, false, &t->muted, l->note);
	return status_of(cr);
}

/* ---- points with intervals ------------------------------------------------ */

int chart_points(cairo_t *cr, const struct chart_theme *t, double x, double y,
		 double w, double h, const struct chart_points *p)
{
	const char *names[2] = { p->point_label, p->curve_label };
	int colors[2] = { 0, 3 };
	bool is_line[2] = { false, true };
	size_t nl = p->ncurve ? 2 : 1;
	double top = title_legend(cr, t, x, y, w, p->title, names, colors, nl, is_line);
	struct frame f = { x, top, w, 0, 0, 0, { 0, 0, 0, 0, 0 }, p->y_fmt };
	double bottom = y + h - note_height(cr, t, w, p->note);
	double xt_h = t->small_size + 4 + (p->x_title ? t->small_size + 6 : 0);
	char buf[64];

	f.h = bottom - top - xt_h - 4;
	f.lo = 0;
	for (size_t i = 0; i < p->n; i++) {
		double v = p->hi ? p->hi[i] : p->y[i];
		if (v > f.hi)
			f.hi = v;
	}
	for (size_t i = 0; i < p->ncurve; i++)
		if (p->curve_y[i] > f.hi)
			f.hi = p->curve_y[i];
	if (f.hi <= 0)
		f.hi = 1;
	y_axis(cr, t, &f, p->y_title);
	double xmin = INFINITY, xmax = -INFINITY;
	for (size_t i = 0; i < p->n; i++) {
		xmin = fmin(xmin, p->x[i]);
		xmax = fmax(xmax, p->x[i]);
	}
	if (!isfinite(xmin)) {
		xmin = 0;
		xmax = 1;
	}
	xmin -= 0.5;
	xmax += 0.5;
	struct chart_ticks xt;
	chart_nice_ticks(xmin, xmax, 8, &xt);
	if (xt.step < 1) {
		xt.step = 1;
		xt.decimals = 0;
	}
#define XMAP(v) (f.x + ((v) - xmin) / (xmax - xmin) * f.w)
	/* Ticks on multiples of the step (22, 27, ... would be hard to read). */
	for (double v = ceil(xmin / xt.step) * xt.step; v <= xmax; v += xt.step) {
		snprintf(buf, sizeof buf, "%.0f", v);
		chart_text(cr, t, XMAP(v), f.y + f.h + 3, 0, 1, t->small_size, false,
			   &t->muted, buf);
	}
	if (p->x_title)
		chart_text(cr, t, f.x + f.w / 2, f.y + f.h + t->small_size + 8, 0, 1,
			   t->small_size, false, &t->muted, p->x_title);
	set(cr, &t->muted);
	cairo_set_line_width(cr, 0.8);
	cairo_move_to(cr, f.x, f.y + f.h);
	cairo_line_to(cr, f.x + f.w, f.y + f.h);
	cairo_stroke(cr);
	if (p->ncurve) {
		set(cr, &t->palette[3]);
		cairo_set_line_width(cr, t->line_width);
		for (size_t i = 0; i < p->ncurve; i++) {
			double px = XMAP(p->curve_x[i]), py = ymap(&f, p->curve_y[i]);
			if (i)
				cairo_line_to(cr, px, py);
			else
				cairo_move_to(cr, px, py);
		}
		cairo_stroke(cr);
	}
	set(cr, &t->palette[0]);
	for (size_t i = 0; i < p->n; i++) {
		double px = XMAP(p->x[i]);
		if (p->colors)
			set(cr, &t->palette[p->colors[i] % CHART_PALETTE]);
		if (p->lo && p->hi && isfinite(p->lo[i]) && isfinite(p->hi[i])) {
			cairo_set_line_width(cr, 1);
			cairo_move_to(cr, px, ymap(&f, p->lo[i]));
			cairo_line_to(cr, px, ymap(&f, p->hi[i]));
			cairo_move_to(cr, px - 3, ymap(&f, p->lo[i]));
			cairo_line_to(cr, px + 3, ymap(&f, p->lo[i]));
			cairo_move_to(cr, px - 3, ymap(&f, p->hi[i]));
			cairo_line_to(cr, px + 3, ymap(&f, p->hi[i]));
			cairo_stroke(cr);
		}
		if (p->labels) /* the label's text left a current point */
			cairo_new_path(cr);
		cairo_arc(cr, px, ymap(&f, p->y[i]), p->colors ? 4.0 : 2.8, 0, 2 * M_PI);
		cairo_fill(cr);
		if (p->labels && p->labels[i]) {
			/* Right of the dot, or left of it at the right edge. */
			double lw, lh;
			chart_text_size(cr, t, t->small_size, false, p->labels[i], &lw, &lh);
			double lx = px + 6 + lw > f.x + f.w ? px - 6 - lw : px + 6;
			chart_text(cr, t, lx, ymap(&f, p->y[i]) - lh / 2, 0, 0,
				   t->small_size, false, &t->ink, p->labels[i]);
			set(cr, &t->palette[p->colors ? p->colors[i] % CHART_PALETTE : 0]);
		}
	}
#undef XMAP
	if (p->note && *p->note)
		chart_text(cr, t, x, bottom + 2, w, 0, t->small_size, false, &t->muted, p->note);
	return status_of(cr);
}

/* ---- histogram ------------------------------------------------------------ */

int chart_hist(cairo_t *cr, const struct chart_theme *t, double x, double y,
	       double w, double h, const struct chart_hist *hg)
{
	double top = title_legend(cr, t, x, y, w, hg->title, NULL, NULL, 0, NULL);
	double bottom = y + h - note_height(cr, t, w, hg->note);
	struct frame f = { x, top + t->small_size + 6, w, 0, 0, 0, { 0, 0, 0, 0, 0 },
			   FMT_NUMBER };
	char buf[64];
	int nb = hg->bins > 0 ? hg->bins : 30;

	if (hg->n == 0)
		return status_of(cr);
	double lo = hg->values[0], hi = hg->values[hg->n - 1];
	struct chart_ticks xt;
	chart_nice_ticks(lo, hi, 6, &xt);
	lo = xt.first;
	hi = xt.last;
	size_t *count = calloc((size_t)nb, sizeof *count);
	if (!count)
		return -1;
	for (size_t i = 0; i < hg->n; i++) {
		int k = (int)((hg->values[i] - lo) / (hi - lo) * nb);
		count[k < 0 ? 0 : k >= nb ? nb - 1 : k]++;
	}
	size_t maxc = 1;
	for (int k = 0; k < nb; k++)
		if (count[k] > maxc)
			maxc = count[k];
	f.h = bottom - f.y - 2 * t->small_size - 12;
	f.hi = (double)maxc / (double)hg->n;
	f.fmt = FMT_PERCENT;
	y_axis(cr, t, &f, "share of runs");
	double bw = f.w / nb;
	set(cr, &t->palette[4]);
	for (int k = 0; k < nb; k++) {
		double v = (double)count[k] / (double)hg->n, py = ymap(&f, v);
		cairo_rectangle(cr, f.x + k * bw + 0.5, py, bw - 1, f.y + f.h - py);
		cairo_fill(cr);
	}
	free(count);
	for (int i = 0; i < xt.count; i++) {
		double v = xt.first + i * xt.step;
		chart_format(v, hg->fmt, xt.decimals, buf, sizeof buf);
		chart_text(cr, t, f.x + (v - lo) / (hi - lo) * f.w, f.y + f.h + 3, 0, 1,
			   t->small_size, false, &t->muted, buf);
	}
	if (hg->x_title)
		chart_text(cr, t, f.x + f.w / 2, f.y + f.h + t->small_size + 8, 0, 1,
			   t->small_size, false, &t->muted, hg->x_title);
	for (size_t m = 0; m < hg->nmarks; m++) {
		double px = f.x + (hg->marks[m] - lo) / (hi - lo) * f.w;
		set(cr, &t->palette[3]);
		cairo_set_line_width(cr, 1.2);
		cairo_move_to(cr, px, f.y - 2);
		cairo_line_to(cr, px, f.y + f.h);
		cairo_stroke(cr);
		chart_text(cr, t, px, f.y - t->small_size - 6, 0, 1, t->small_size, true,
			   &t->ink, hg->mark_labels[m]);
	}
	if (hg->note && *hg->note)
		chart_text(cr, t, x, bottom + 2, w, 0, t->small_size, false, &t->muted, hg->note);
	return status_of(cr);
}

/* ---- table ------------------------------------------------------------ */

double chart_table(cairo_t *cr, const struct chart_theme *t, double x, double y,
		   double w, const struct chart_table *tb)
{
	size_t next;
	return chart_table_part(cr, t, x, y, w, tb, 0, INFINITY, &next);
}

double chart_table_part(cairo_t *cr, const struct chart_theme *t, double x, double y,
			double w, const struct chart_table *tb, size_t first,
			double max_h, size_t *next)
{
	double colw[32] = { 0 }, total = 0, tw, th, pad = 6, cy = y;
	size_t nc = tb->ncols < 32 ? tb->ncols : 32;
	double size = t->small_size + 0.5;

	double minw[32];
	for (size_t c = 0; c < nc; c++) {
		chart_text_size(cr, t, size, true, tb->header[c], &tw, &th);
		colw[c] = tw;
		minw[c] = fmin(tw, 70) + 2 * pad;
		for (size_t r = 0; r < tb->nrows; r++) {
			bool bold = tb->last_row_total && r + 1 == tb->nrows;
			chart_text_size(cr, t, size, bold, tb->cells[r * tb->ncols + c], &tw, &th);
			if (tw > colw[c])
				colw[c] = tw;
		}
		colw[c] += 2 * pad;
		total += colw[c];
	}
	/* Too wide: take the room from the widest text column first (a long
	 * name wraps), then the next, never below its header's width, so
	 * short words are not broken. */
	while (total > w + 0.01) {
		size_t widest = nc;
		for (size_t c = 0; c < nc; c++)
			if (!tb->numeric[c] && colw[c] > minw[c] + 0.5 &&
			    (widest == nc || colw[c] > colw[widest]))
				widest = c;
		if (widest == nc)
			break;
		double cut = fmin(total - w, colw[widest] - minw[widest]);
		colw[widest] -= cut;
		total -= cut;
	}
	if (total < w)
		colw[0] += w - total; /* spread the slack over the first column */
	/* r is 0 for the header, then 1 + the index of each data row. */
	*next = tb->nrows;
	for (size_t r = 0; r <= tb->nrows; r = r ? r + 1 : first + 1) {
		const char *const *row = r ? tb->cells + (r - 1) * tb->ncols : tb->header;
		bool bold = r == 0 || (tb->last_row_total && r == tb->nrows);
		double rh = 0, cx = x;
		for (size_t c = 0; c < nc; c++) {
			PangoLayout *l = layout(cr, t, size, bold, row[c], colw[c] - 2 * pad);
			int pw, ph;
			pango_layout_get_size(l, &pw, &ph);
			rh = fmax(rh, (double)ph / PANGO_SCALE);
			g_object_unref(l);
		}
		rh += 5;
		if (r > first + 1 && cy + rh > y + max_h) {
			*next = r - 1; /* the rest goes on the next page */
			break;
		}
		if (r > 0 && r % 2 == 0) {
			cairo_set_source_rgb(cr, 0.955, 0.962, 0.972);
			cairo_rectangle(cr, x, cy, w, rh);
			cairo_fill(cr);
		}
		if (bold && r) {
			set(cr, &t->muted);
			cairo_set_line_width(cr, 0.6);
			cairo_move_to(cr, x, cy);
			cairo_line_to(cr, x + w, cy);
			cairo_stroke(cr);
		}
		for (size_t c = 0; c < nc; c++) {
			chart_text(cr, t, cx + pad, cy + 2.5, colw[c] - 2 * pad,
				   tb->numeric[c] ? 2 : 0, size, bold, r ? &t->ink : &t->ink,
				   row[c]);
			cx += colw[c];
		}
		cy += rh;
		if (r == 0) {
			set(cr, &t->ink);
			cairo_set_line_width(cr, 0.8);
			cairo_move_to(cr, x, cy);
			cairo_line_to(cr, x + w, cy);
			cairo_stroke(cr);
		}
	}
	return cy - y;
}

/* ---- surfaces ------------------------------------------------------------ */

bool chart_format_ok(const char *format)
{
	return !strcmp(format, "pdf") || !strcmp(format, "svg") || !strcmp(format, "png");
}

cairo_surface_t *chart_surface(const char *path, const char *format, double w,
			       double h, struct gr_err *err)
{
	cairo_surface_t *s;

	if (!strcmp(format, "pdf")) {
		s = cairo_pdf_surface_create(path, w, h);
		/* A fixed date: the same inputs give the same bytes. */
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATE_DATE,
					       "2026-01-01T00:00:00");
		cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "grouprev");
	} else if (!strcmp(format, "svg")) {
		s = cairo_svg_surface_create(path, w, h);
	} else if (!strcmp(format, "png")) {
		s = cairo_image_surface_create(CAIRO_FORMAT_RGB24, (int)(w * 2), (int)(h * 2));
	} else {
		gr_fail(err, path, 0, "unknown chart format '%s' (use pdf, png or svg)", format);
		return NULL;
	}
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		gr_fail(err, path, 0, "cannot create the chart file: %s",
			cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return NULL;
	}
	return s;
}

int chart_surface_finish(cairo_surface_t *s, const char *path, const char *format,
			 struct gr_err *err)
{
	cairo_status_t st;

	if (!strcmp(format, "png"))
		st = cairo_surface_write_to_png(s, path);
	else {
		cairo_surface_finish(s);
		st = cairo_surface_status(s);
	}
	cairo_surface_destroy(s);
	if (st != CAIRO_STATUS_SUCCESS)
		return gr_fail(err, path, 0, "cannot write the chart: %s",
			       cairo_status_to_string(st));
	return 0;
}
