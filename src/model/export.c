/* export.c — an EHR export through a column map (export.h).
 *
 * Two passes: the export is read whole into rows of cleaned,
 * translated values (the loader, one thread: an export is thousands of
 * rows, not millions), because an add-on row may come before its 90853
 * row and a made session id depends on every row of its time slot; then
 * the rows are handed to the roster in file order (roster_feed_*), which
 * checks them as it checks attendance.csv.
 */
#include "model/export.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/value.h"
#include "io/load.h"
#include "io/recode.h"
#include "model/schema.h"

static const struct { const char *name; enum date_fmt f; } date_fmts[] = {
	{ "MM/DD/YYYY", DF_MDY }, { "M/D/YYYY", DF_MDY }, { "YYYY-MM-DD", DF_YMD },
	{ "DD/MM/YYYY", DF_DMY }, { "YYYY/MM/DD", DF_YMD_SLASH },
};
static const struct { const char *name; enum time_fmt f; } time_fmts[] = {
	{ "h:mm AM", TF_12 }, { "HH:MM", TF_24 },
};

struct word {
	const char *from; /* the export's word, lower case, trimmed */
	const char *to;
	size_t len;       /* of from */
};

/* What the map says, checked. */
struct xmap {
	const struct colmap *m;
	const char *encoding; /* NULL = UTF-8 */
	char delim;
	enum date_fmt date_fmt;
	const char *date_fmt_name;
	enum time_fmt time_fmt;
	size_t date_fmt_line, time_fmt_line, columns_line;
	const char *header[MAP_NCOLS];  /* lower case; NULL = not mapped */
	const char *as_written[MAP_NCOLS];
	size_t line[MAP_NCOLS];         /* map line of the mapping */
	struct word *words[MAP_NCOLS];  /* [values COLUMN], NULL-terminated */
	size_t nwords[MAP_NCOLS];
	size_t values_line[MAP_NCOLS];
	bool read[MAP_NCOLS];           /* the column is read from the export */
	bool infer;                     /* no session_id: sessions inferred */
	bool make_group;                /* no group either: each clinician's
	                                 * weekly time slot is the group */
};

static char *lower_trim(struct arena *a, const char *s)
{
	size_t n = strlen(s);
	while (n && g_ascii_isspace(*s)) {
		s++;
		n--;
	}
	while (n && g_ascii_isspace(s[n - 1]))
		n--;
	char *out = arena_strndup(a, s, n);
	if (out)
		for (char *p = out; *p; p++)
			*p = g_ascii_tolower(*p);
	return out;
}

static int fail_oom(struct gr_err *err, const char *path)
{
	return gr_fail(err, path, 0, "out of memory");
}

static int read_file_group(struct xmap *x, const struct colmap_group *g,
			   struct gr_err *err)
{
	const struct colmap *m = x->m;

	for (size_t i = g->first; i < g->first + g->count; i++) {
		const struct colmap_item *it = &m->items[i];
		const char *v = it->value, *why;
		if (!strcmp(it->key, "encoding")) {
			if (recode_usable(v, &why) != 0)
				return gr_fail(err, m->path, it->line, "encoding '%s': %s",
					       v, why);
			x->encoding = recode_is_utf8(v) ? NULL : v;
		} else if (!strcmp(it->key, "delimiter")) {
			if (!strcasecmp(v, "tab"))
				x->delim = '\t';
			else if (strlen(v) == 1 && v[0] != '"' && v[0] != '\n' &&
				 v[0] != '\r' && v[0] != '=' && (unsigned char)v[0] < 0x80)
				x->delim = v[0];
			else
				return gr_fail(err, m->path, it->line, "delimiter '%s' is "
					       "not one character (`,`, `;`, `|`, or tab)", v);
		} else if (!strcmp(it->key, "date_format")) {
			size_t k;
			for (k = 0; k < sizeof date_fmts / sizeof date_fmts[0]; k++)
				if (!strcasecmp(v, date_fmts[k].name))
					break;
			if (k == sizeof date_fmts / sizeof date_fmts[0])
				return gr_fail(err, m->path, it->line, "date_format '%s' is "
					       "not MM/DD/YYYY, YYYY-MM-DD, M/D/YYYY, DD/MM/YYYY "
					       "or YYYY/MM/DD", v);
			x->date_fmt = date_fmts[k].f;
			x->date_fmt_name = date_fmts[k].name;
			x->date_fmt_line = it->line;
		} else if (!strcmp(it->key, "time_format")) {
			size_t k;
			for (k = 0; k < sizeof time_fmts / sizeof time_fmts[0]; k++)
				if (!strcasecmp(v, time_fmts[k].name))
					break;
			if (k == sizeof time_fmts / sizeof time_fmts[0])
				return gr_fail(err, m->path, it->line, "time_format '%s' is "
					       "not h:mm AM or HH:MM", v);
			x->time_fmt = time_fmts[k].f;
			x->time_fmt_line = it->line;
		} else {
			return gr_fail(err, m->path, it->line, "unknown key '%s' in [file] "
				       "(its keys are encoding, delimiter, date_format and "
				       "time_format)", it->key);
		}
	}
	return 0;
}

static int unknown_column(const struct colmap *m, size_t line, const char *what,
			  const char *name, struct gr_err *err)
{
	char list[1024];
	size_t n = 0;

	for (int c = 0; c < MAP_NCOLS && n < sizeof list; c++)
		n += (size_t)snprintf(list + n, sizeof list - n, "%s%s", c ? ", " : "",
				      schema_columns[c].name);
	return gr_fail(err, m->path, line, "%s '%s' is not a grouprev column (they "
		       "are %s)", what, name, list);
}

/* The map's groups and keys into X, every error with its line. */
static int read_map(struct xmap *x, const struct colmap *m, struct arena *a,
		    struct gr_err *err)
{
	memset(x, 0, sizeof *x);
	x->m = m;
	x->delim = ',';
	const struct colmap_group *cols = NULL;
	for (size_t gi = 0; gi < m->ngroups; gi++) {
		const struct colmap_group *g = &m->groups[gi];
		if (!strcmp(g->name, "file")) {
			if (read_file_group(x, g, err) != 0)
				return -1;
		} else if (!strcmp(g->name, "columns")) {
			cols = g;
		} else if (!strncmp(g->name, "values ", 7)) {
			const char *col = g->name + 7;
			while (*col == ' ')
				col++;
			int c = schema_find(col);
			if (c < 0)
				return unknown_column(m, g->line, "[values COLUMN]: column",
						      col, err);
			x->values_line[c] = g->line;
			x->words[c] = arena_alloc(a, (g->count + 1) * sizeof *x->words[c]);
			if (!x->words[c])
				return fail_oom(err, m->path);
			for (size_t i = g->first; i < g->first + g->count; i++) {
				const struct colmap_item *it = &m->items[i];
				char *from = lower_trim(a, it->key);
				if (!from)
					return fail_oom(err, m->path);
				for (size_t k = 0; k < x->nwords[c]; k++)
					if (!strcmp(x->words[c][k].from, from))
						return gr_fail(err, m->path, it->line, "'%s' is "
							       "translated twice in [%s] (words "
							       "match in any case)", it->key, g->name);
				x->words[c][x->nwords[c]++] = (struct word){ from, it->value,
									     strlen(from) };
			}
		} else {
			return gr_fail(err, m->path, g->line, "unknown group [%s] (a map "
				       "has [file], [columns] and [values COLUMN] groups)",
				       g->name);
		}
	}
	if (!cols)
		return gr_fail(err, m->path, 0, "the map has no [columns] group: it "
			       "says which header of the export holds each grouprev "
			       "column (date = Date of Service, ...)");
	x->columns_line = cols->line;
	for (size_t i = cols->first; i < cols->first + cols->count; i++) {
		const struct colmap_item *it = &m->items[i];
		int c = schema_find(it->key);
		if (c < 0)
			return unknown_column(m, it->line, "key", it->key, err);
		if (!it->value[0])
			return gr_fail(err, m->path, it->line, "column '%s' is mapped to "
				       "an empty header name", it->key);
		char *h = lower_trim(a, it->value);
		if (!h)
			return fail_oom(err, m->path);
		for (int k = 0; k < MAP_NCOLS; k++)
			if (x->header[k] && !strcmp(x->header[k], h))
				return gr_fail(err, m->path, it->line, "header '%s' is "
					       "already mapped to '%s' on line %zu: one "
					       "header feeds one column", it->value,
					       schema_columns[k].name, x->line[k]);
		x->header[c] = h;
		x->as_written[c] = it->value;
		x->line[c] = it->line;
	}
	return 0;
}

/* The mapping against the export's header: every mapped header is
 * there, every required column can be read. */
static int check_header(struct xmap *x, const char *path, char **names,
			size_t nnames, struct gr_err *err)
{
	const struct colmap *m = x->m;

	for (int c = 0; c < MAP_NCOLS; c++) {
		if (x->header[c]) {
			size_t k;
			for (k = 0; k < nnames; k++)
				if (!strcmp(names[k], x->header[c]))
					break;
			if (k == nnames) {
				char list[600];
				size_t n = 0;
				for (k = 0; k < nnames && n < sizeof list; k++)
					n += (size_t)snprintf(list + n, sizeof list - n,
							      "%s'%s'", k ? ", " : "", names[k]);
				return gr_fail(err, m->path, x->line[c], "%s = %s: %s has no "
					       "column '%s' (its header has %s)",
					       schema_columns[c].name, x->as_written[c], path,
					       x->as_written[c], list);
			}
			x->read[c] = true;
			continue;
		}
		/* Not mapped: read under its own name, unless that header is
		 * mapped to another column (attended = Status shadows
		 * grouprev's own status column). */
		bool shadowed = false, there = false;
		for (int k = 0; k < MAP_NCOLS; k++)
			if (x->header[k] && !strcmp(x->header[k], schema_columns[c].name))
				shadowed = true;
		for (size_t k = 0; k < nnames; k++)
			if (!strcmp(names[k], schema_columns[c].name))
				there = true;
		x->read[c] = there && !shadowed;
	}
	x->infer = !x->read[ATT_SESSION];
	x->make_group = x->infer && !x->read[ATT_GROUP];
	for (int c = 0; c < ATT_NCOLS; c++)
		if (schema_columns[c].required && !x->read[c] && c != ATT_SESSION &&
		    !(c == ATT_GROUP && x->make_group))
			return gr_fail(err, m->path, x->columns_line, "%s has no column "
				       "for '%s': map one in [columns] (%s = the export's "
				       "header)", path, schema_columns[c].name,
				       schema_columns[c].name);
	return 0;
}

/* ---- values ------------------------------------------------------------- */

enum kind { ROW_LINE, ROW_ADDON, ROW_SKIP, ROW_REJECTED };

/* A row kept until the whole export is read (the sessions and the add-ons
 * need every row): its cells in one block, and pointers to the few that
 * the later passes read or replace.  About 90 bytes and the text, where a
 * pointer and a length for each of the 30 columns were 390. */
struct xrow {
	size_t line;
	char *cells;              /* the MAP_NCOLS cells, cleaned and translated,
	                           * each NUL-terminated, in column order */
	const char *member, *clinician, *code; /* in cells */
	const char *group;        /* the cell, or the group made (make_group) */
	const char *session;      /* the cell, or the session id made */
	const char *addon;        /* the cell, or the add-on row's code joined */
	int32_t date;
	int start;                /* minutes after midnight; -1 = none */
	uint32_t target;          /* ROW_ADDON joined: index of its 90853 row */
	uint8_t kind;             /* enum kind */
	bool iso_date;            /* the date cell is fed as date, YYYY-MM-DD (a
	                           * map's date_format), not as written */
	bool joined;
	bool used;                /* ROW_LINE: the roster took it */
};

struct xctx {
	struct xmap *x;
	const struct rates *rates;
	struct roster *r;
	struct roster_feed *feed;
	struct arena *a;
	const char *path;
	struct vec rows;          /* struct xrow */
	const struct recoded *rc;
	size_t next_bad;          /* first recode_bad not yet reported */
	struct gr_err *err;
};

void export_clean_cell(const char **s, size_t *n)
{
	while (*n && g_ascii_isspace(**s)) {
		(*s)++;
		(*n)--;
	}
	while (*n && g_ascii_isspace((*s)[*n - 1]))
		(*n)--;
	/* Excel's guard inside a quoted field ("=""00123""" reads
	 * ="00123"); bare ones were unquoted by recode_unguard. */
	if (*n >= 3 && (*s)[0] == '=' && (*s)[1] == '"' && (*s)[*n - 1] == '"') {
		*s += 2;
		*n -= 3;
	}
}

static const char *translate(const struct xmap *x, int c, const char *s, size_t n,
			     bool *hit)
{
	*hit = false;
	for (size_t k = 0; k < x->nwords[c]; k++) {
		const char *w = x->words[c][k].from;
		if (x->words[c][k].len == n && !g_ascii_strncasecmp(w, s, n)) {
			*hit = true;
			return x->words[c][k].to;
		}
	}
	return NULL;
}

static int read_num(const char *s, int min, int max, int *v, const char **end)
{
	int k = 0, n = 0;
	while (k < max && s[k] >= '0' && s[k] <= '9')
		n = n * 10 + (s[k++] - '0');
	if (k < min)
		return -1;
	*v = n;
	*end = s + k;
	return 0;
}

/* V (0 <= V < 10^N) as N digits, leading zeros, at P. */
static void put_digits(char *p, int v, int n)
{
	for (int i = n - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
}

const char export_not_in_format[] = "not in the format";

const char *export_date(enum date_fmt fmt, const char *s, int32_t *days)
{
	if (fmt == DF_ANY)
		return value_date(s, days);
	int a, b, c;
	const char *p = s;
	char sep = fmt == DF_YMD ? '-' : '/';
	bool year_first = fmt == DF_YMD || fmt == DF_YMD_SLASH;
	if (read_num(p, year_first ? 4 : 1, year_first ? 4 : 2, &a, &p) || *p++ != sep ||
	    read_num(p, 1, 2, &b, &p) || *p++ != sep ||
	    read_num(p, year_first ? 1 : 4, year_first ? 2 : 4, &c, &p) || *p)
		return export_not_in_format;
	int y = year_first ? a : c;
	int mo = fmt == DF_DMY ? b : year_first ? b : a;
	int d = fmt == DF_DMY ? a : year_first ? c : b;
	/* As "%04d-%02d-%02d" (the numbers have at most 4 and 2 digits),
	 * without a printf a row. */
	char iso[11];
	put_digits(iso, y, 4);
	iso[4] = '-';
	put_digits(iso + 5, mo, 2);
	iso[7] = '-';
	put_digits(iso + 8, d, 2);
	iso[10] = '\0';
	return value_date(iso, days);
}

const char *export_time(enum time_fmt fmt, const char *s, int *minutes)
{
	int h, m, sec = 0;
	const char *p = s;

	if (read_num(p, 1, 2, &h, &p) || *p++ != ':' || read_num(p, 2, 2, &m, &p))
		return "not a time of day (e.g. 9:00 AM or 13:30)";
	if (*p == ':' && (read_num(p + 1, 2, 2, &sec, &p) || sec > 59))
		return "not a time of day (e.g. 9:00 AM or 13:30)";
	while (*p == ' ')
		p++;
	int half = -1; /* 0 = AM, 1 = PM */
	if (*p) {
		if (!g_ascii_strcasecmp(p, "am") || !g_ascii_strcasecmp(p, "a.m."))
			half = 0;
		else if (!g_ascii_strcasecmp(p, "pm") || !g_ascii_strcasecmp(p, "p.m."))
			half = 1;
		else
			return "not a time of day (e.g. 9:00 AM or 13:30)";
	}
	if (m > 59)
		return "minutes above 59";
	if (half >= 0) {
		if (fmt == TF_24)
			return "has AM/PM, but the map's time_format is HH:MM";
		if (h < 1 || h > 12)
			return "hour outside 1-12 with AM/PM";
		h = h % 12 + (half ? 12 : 0);
	} else {
		if (fmt == TF_12)
			return "has no AM/PM, but the map's time_format is h:mm AM";
		if (h > 23)
			return "hour above 23";
	}
	*minutes = h * 60 + m;
	return NULL;
}

/* Codes priced as add-ons: 90785, and every code of the rate tables
 * other than 90853 (inputs.md: rates.csv holds 90853 and its add-ons). */
static bool is_addon(const struct rates *rt, const char *code)
{
	if (!strcmp(code, "90785"))
		return true;
	for (uint32_t i = 0; rt && i < rt->nrates; i++)
		if (strcmp(rt->rates[i].code, "90853") && !strcmp(rt->rates[i].code, code))
			return true;
	return false;
}

static int count_skip(struct roster *r, const char *code)
{
	struct roster_skip *sk = r->exp.skips.data;
	for (size_t i = 0; i < r->exp.skips.len; i++)
		if (!strcmp(sk[i].code, code)) {
			sk[i].rows++;
			return 0;
		}
	struct roster_skip *n = vec_push(&r->exp.skips);
	if (!n || !(n->code = arena_strdup(r->arena, code)))
		return -1;
	n->rows = 1;
	return 0;
}

#define REJECT_ROW(...)                                                        \
	do {                                                                   \
		char why_[640];                                                \
		snprintf(why_, sizeof why_, __VA_ARGS__);                      \
		return roster_feed_reject(c->feed, row->line, why_)            \
			       ? gr_fail(err, c->path, row->line, "out of memory") \
			       : 0;                                            \
	} while (0)

/* A vocabulary column's value that is not a word grouprev knows: the
 * message names the word and the map group to add it to. */
static int check_vocab(const struct xmap *x, int col, const char *v, size_t n,
		       bool translated, char *why, size_t whylen)
{
	uint8_t u;
	bool b;
	const char *hint = col == ATT_ATTENDED || col == ATT_NOTE ? "Y or N"
			   : col == ATT_MODALITY ? SCHEMA_MODALITY_WORDS
			   : SCHEMA_STATUS_WORDS;
	int ok = schema_columns[col].type == TYPE_BOOL ? value_bool(v, &b) == NULL
		 : schema_columns[col].type == TYPE_MODALITY ? schema_modality(v, n, &u) == 0
		 : schema_status(v, n, &u) == 0;
	if (ok)
		return 0;
	const char *name = schema_columns[col].name;
	if (translated)
		snprintf(why, whylen, "column '%s': the map's [values %s] (line %zu) "
			 "translates this row's word to '%s', which is not %s", name,
			 name, x->values_line[col], v, hint);
	else
		snprintf(why, whylen, "column '%s': the export's word '%s' has no "
			 "translation: add it to [values %s] in the map (%s = %s)",
			 name, v, name, v, hint);
	return 1;
}

static int on_export_row(void *vctx, const struct load_row *row, struct gr_err *err)
{
	struct xctx *c = vctx;
	const struct xmap *x = c->x;
	struct xrow xr;
	char why[512], iso[16];
	const char *v[MAP_NCOLS];
	size_t len[MAP_NCOLS], total = 0;

	memset(&xr, 0, sizeof xr);
	xr.line = row->line;
	xr.start = -1;
	bool translated[MAP_NCOLS] = { false };
	for (int k = 0; k < MAP_NCOLS; k++) {
		const char *s = row->v[k];
		size_t n = row->len[k];
		export_clean_cell(&s, &n);
		const char *t = translate(x, k, s, n, &translated[k]);
		if (t) {
			s = t;
			n = strlen(t);
		}
		v[k] = s;
		len[k] = n;
		total += n + 1;
	}
	/* One block for the row's cells, each ending in its NUL. */
	char *cells = arena_alloc(c->a, total), *p = cells;
	if (!cells)
		return gr_fail(err, c->path, row->line, "out of memory");
	for (int k = 0; k < MAP_NCOLS; k++) {
		memcpy(p, v[k], len[k]);
		p[len[k]] = '\0';
		v[k] = p;
		p += len[k] + 1;
	}
	xr.cells = cells;
	xr.kind = ROW_LINE;
	if (x->read[MAP_CODE]) {
		const char *code = v[MAP_CODE];
		if (!*code)
			REJECT_ROW("column 'code' (%s) is empty: it says which rows are "
				   "90853", x->as_written[MAP_CODE] ? x->as_written[MAP_CODE]
								  : "code");
		if (strcmp(code, "90853")) {
			if (!is_addon(c->rates, code)) {
				/* Not group psychotherapy: skipped and counted,
				 * before its other values matter. */
				c->r->exp.skipped++;
				return count_skip(c->r, code)
					       ? gr_fail(err, c->path, row->line, "out of memory")
					       : 0;
			}
			xr.kind = ROW_ADDON;
		}
	}
	if (!*v[ATT_DATE])
		REJECT_ROW("column 'date' is empty");
	if (x->date_fmt != DF_ANY) {
		const char *bad = export_date(x->date_fmt, v[ATT_DATE], &xr.date);
		if (bad == export_not_in_format)
			REJECT_ROW("column 'date': '%s' is not written %s (the map's "
				   "date_format, line %zu)", v[ATT_DATE],
				   x->date_fmt_name, x->date_fmt_line);
		if (bad)
			REJECT_ROW("column 'date': %s ('%s')", bad, v[ATT_DATE]);
		value_format_date(xr.date, iso);
		v[ATT_DATE] = iso; /* fed as YYYY-MM-DD (feed_rows) */
		len[ATT_DATE] = strlen(iso);
		xr.iso_date = true;
	} else {
		const char *bad = value_date(v[ATT_DATE], &xr.date);
		if (bad)
			REJECT_ROW("column 'date': %s ('%s'; a map's date_format reads "
				   "other spellings)", bad, v[ATT_DATE]);
	}
	if (x->read[MAP_START] && *v[MAP_START]) {
		const char *bad = export_time(x->time_fmt, v[MAP_START], &xr.start);
		if (bad && x->time_fmt != TF_ANY)
			REJECT_ROW("column 'start': %s ('%s'; time_format on map line %zu)",
				   bad, v[MAP_START], x->time_fmt_line);
		if (bad)
			REJECT_ROW("column 'start': %s ('%s')", bad, v[MAP_START]);
	} else if (x->read[MAP_START] && x->infer) {
		REJECT_ROW("column 'start' is empty: the session is found by its "
			   "date, start, clinician and group");
	}
	if (x->make_group && xr.kind == ROW_LINE) {
		/* exports.md: the group "when mapped".  Without one, a
		 * clinician's weekly slot is the program: C-LEE-MON-0900. */
		static const char *const wd[] = { "MON", "TUE", "WED", "THU", "FRI",
						  "SAT", "SUN" };
		const char *g = xr.start >= 0
			? arena_printf(c->a, "%s-%s-%02d%02d", v[ATT_CLINICIAN],
				       wd[value_weekday(xr.date)], xr.start / 60,
				       xr.start % 60)
			: arena_printf(c->a, "%s-%s", v[ATT_CLINICIAN],
				       wd[value_weekday(xr.date)]);
		if (!g)
			return gr_fail(err, c->path, row->line, "out of memory");
		v[ATT_GROUP] = g;
		len[ATT_GROUP] = strlen(g);
	}
	if (xr.kind == ROW_LINE) {
		static const int vocab[] = { ATT_ATTENDED, ATT_NOTE, ATT_MODALITY,
					     ATT_STATUS };
		for (size_t i = 0; i < sizeof vocab / sizeof vocab[0]; i++) {
			int k = vocab[i];
			if (!x->read[k] || !len[k])
				continue;
			if (check_vocab(x, k, v[k], len[k], translated[k], why,
					sizeof why))
				REJECT_ROW("%s", why);
		}
	} else if (!*v[ATT_MEMBER]) {
		REJECT_ROW("column 'member_id' is empty (an add-on row is joined to "
			   "its member's 90853 row)");
	}
	xr.member = v[ATT_MEMBER];
	xr.clinician = v[ATT_CLINICIAN];
	xr.code = v[MAP_CODE];
	xr.group = v[ATT_GROUP];
	xr.session = v[ATT_SESSION];
	xr.addon = v[ATT_ADDON];
	struct xrow *dst = vec_push(&c->rows);
	if (!dst)
		return gr_fail(err, c->path, row->line, "out of memory");
	*dst = xr;
	return 0;
}

/* A row the loader refused.  A row holding a byte the encoding could not
 * convert reaches here as a NUL-byte row (io/recode.h): say which byte. */
static int on_export_reject(void *vctx, size_t line, const char *reason)
{
	struct xctx *c = vctx;
	const struct recoded *rc = c->rc;
	char msg[600];

	while (c->next_bad < rc->nbad && rc->bad[c->next_bad].line < line)
		c->next_bad++;
	if (c->next_bad < rc->nbad &&
	    (rc->bad[c->next_bad].line == line || !strncmp(reason, "NUL byte", 8))) {
		const struct recode_bad *b = &rc->bad[c->next_bad];
		if (b->value)
			snprintf(msg, sizeof msg, "byte 0x%02X (line %zu, byte %zu) is not "
				 "a character in %s: the row cannot be read", b->value,
				 b->line, b->byte, c->x->encoding);
		else
			snprintf(msg, sizeof msg, "NUL byte (line %zu, byte %zu): is this "
				 "a text export?", b->line, b->byte);
		while (c->next_bad < rc->nbad && rc->bad[c->next_bad].line == b->line)
			c->next_bad++;
		reason = msg;
	} else if (rc->guess && !strncmp(reason, "invalid UTF-8", 13)) {
		snprintf(msg, sizeof msg, "%s; the export looks like %s: set "
			 "`encoding = %s` in the map's [file] group", reason, rc->guess,
			 rc->guess);
		reason = msg;
	}
	return roster_feed_reject(c->feed, line, reason);
}

/* ---- after the whole file: add-ons, sessions, the roster -------------- */

/* S, then each "-" + digits (or the separator SEP) of PARTS: the ids
 * and keys of this file, made without a printf a row.  Each part is
 * {value, width}: width 0 writes the number as it is (with its sign),
 * width W pads it to W digits (0 <= value < 10^W). */
struct part {
	int value, width;
};

/* The length of S joined with PARTS: at most this. */
static size_t parts_room(size_t n, size_t np)
{
	return n + np * 13 + 1;
}

/* S[0..N) then the parts into OUT (parts_room bytes); returns the length. */
static size_t put_parts(char *out, const char *s, size_t n, char sep,
			const struct part *parts, size_t np)
{
	char *p = out;
	memcpy(p, s, n);
	p += n;
	for (size_t i = 0; i < np; i++) {
		int v = parts[i].value, w = parts[i].width;
		if (sep)
			*p++ = sep;
		if (w) {
			put_digits(p, v, w);
			p += w;
			continue;
		}
		char tmp[12];
		int k = 0;
		unsigned u = v < 0 ? 0u - (unsigned)v : (unsigned)v;
		do
			tmp[k++] = (char)('0' + u % 10);
		while ((u /= 10));
		if (v < 0)
			*p++ = '-';
		while (k)
			*p++ = tmp[--k];
	}
	*p = '\0';
	return (size_t)(p - out);
}

/* An add-on row's join key: its member, date and start.  A key, not a
 * string made of them: only the add-on rows' keys are kept, and a line
 * asks with one on the stack (a string a row was 80 MB at a million). */
struct jkey {
	const char *member;
	int32_t date;
	int start;
	size_t line; /* the first 90853 row with this key + 1; 0 = none */
};

static guint jkey_hash(gconstpointer p)
{
	const struct jkey *k = p;
	return g_str_hash(k->member) * 31u + (guint)k->date * 131u + (guint)k->start;
}

static gboolean jkey_equal(gconstpointer a, gconstpointer b)
{
	const struct jkey *x = a, *y = b;
	return x->date == y->date && x->start == y->start && !strcmp(x->member, y->member);
}

static int join_addons(struct xctx *c, struct gr_err *err)
{
	struct xrow *rows = c->rows.data;
	GHashTable *want = g_hash_table_new(jkey_hash, jkey_equal);
	size_t addons = 0;
	int rc = 0;

	/* The add-on rows' keys, then the first 90853 row of each: the same
	 * as looking each add-on up among every row's key. */
	for (size_t i = 0; i < c->rows.len; i++) {
		const struct xrow *xr = &rows[i];
		if (xr->kind != ROW_ADDON)
			continue;
		struct jkey k = { xr->member, xr->date, xr->start, 0 };
		addons++;
		if (g_hash_table_contains(want, &k))
			continue;
		struct jkey *n = arena_alloc(c->a, sizeof *n);
		if (!n) {
			rc = fail_oom(err, c->path);
			goto out;
		}
		*n = k;
		g_hash_table_add(want, n);
	}
	for (size_t i = 0; addons && i < c->rows.len; i++) {
		const struct xrow *xr = &rows[i];
		if (xr->kind != ROW_LINE)
			continue;
		struct jkey k = { xr->member, xr->date, xr->start, 0 };
		struct jkey *n = g_hash_table_lookup(want, &k);
		if (n && !n->line)
			n->line = i + 1;
	}
	for (size_t i = 0; addons && i < c->rows.len; i++) {
		struct xrow *xr = &rows[i];
		if (xr->kind != ROW_ADDON)
			continue;
		struct jkey k = { xr->member, xr->date, xr->start, 0 };
		const struct jkey *n = g_hash_table_lookup(want, &k);
		size_t t = n ? n->line : 0;
		char why[512], when[16];
		value_format_date(xr->date, when);
		if (!t) {
			snprintf(why, sizeof why, "add-on %s has no 90853 row for this "
				 "member on %s%s (or that row was rejected): an add-on is "
				 "billed with its 90853 line", xr->code, when,
				 xr->start >= 0 ? " at that time" : "");
		} else if (*rows[t - 1].addon) {
			snprintf(why, sizeof why, "the 90853 row on line %zu already has "
				 "add-on %s: one add-on is recorded per line",
				 rows[t - 1].line, rows[t - 1].addon);
		} else {
			rows[t - 1].addon = xr->code;
			xr->target = (uint32_t)(t - 1);
			xr->joined = true;
			continue;
		}
		xr->kind = ROW_REJECTED;
		if (roster_feed_reject(c->feed, xr->line, why)) {
			rc = fail_oom(err, c->path);
			goto out;
		}
	}
out:
	g_hash_table_destroy(want);
	return rc;
}

/* GROUP-YYYYMMDD-HHMM for each 90853 row; -CLINICIAN where two
 * clinicians' sessions would share an id. */
static int make_sessions(struct xctx *c, struct gr_err *err)
{
	struct xrow *rows = c->rows.data;
	/* base id -> the first clinician seen with it, or "" once a second
	 * one is: those ids get the clinician. */
	GHashTable *owner = g_hash_table_new(g_str_hash, g_str_equal);
	char **base = calloc(c->rows.len + 1, sizeof *base);
	char *scratch = NULL; /* a row's base id, before it is looked up */
	size_t room = 0;
	int rc = 0;

	if (!base) {
		rc = fail_oom(err, c->path);
		goto out;
	}
	for (size_t i = 0; i < c->rows.len; i++) {
		struct xrow *xr = &rows[i];
		if (xr->kind != ROW_LINE)
			continue;
		int y;
		unsigned mo, d;
		value_civil_from_days(xr->date, &y, &mo, &d);
		/* GROUP-YYYYMMDD-HHMM, or GROUP-YYYYMMDD without a start. */
		const struct part ymd[1] = { { y * 10000 + (int)mo * 100 + (int)d, 8 } };
		const struct part hm[2] = { { y * 10000 + (int)mo * 100 + (int)d, 8 },
					    { xr->start / 60 * 100 + xr->start % 60, 4 } };
		size_t n = strlen(xr->group), want = parts_room(n, 2);
		if (want > room) {
			char *b = realloc(scratch, want);
			if (!b) {
				rc = fail_oom(err, c->path);
				goto out;
			}
			scratch = b;
			room = want;
		}
		size_t len = xr->start >= 0 ? put_parts(scratch, xr->group, n, '-', hm, 2)
					    : put_parts(scratch, xr->group, n, '-', ymd, 1);
		/* One string a session, not a row: its rows share it. */
		gpointer key, who;
		if (g_hash_table_lookup_extended(owner, scratch, &key, &who)) {
			base[i] = key;
			if (*(const char *)who && strcmp(who, xr->clinician))
				g_hash_table_insert(owner, key, (gpointer)"");
			continue;
		}
		if (!(base[i] = arena_strndup(c->a, scratch, len))) {
			rc = fail_oom(err, c->path);
			goto out;
		}
		g_hash_table_insert(owner, base[i], (gpointer)xr->clinician);
	}
	for (size_t i = 0; i < c->rows.len; i++) {
		struct xrow *xr = &rows[i];
		if (xr->kind != ROW_LINE)
			continue;
		const char *who = g_hash_table_lookup(owner, base[i]);
		const char *id = *who ? base[i]
				      : arena_printf(c->a, "%s-%s", base[i],
						     xr->clinician);
		if (!id) {
			rc = fail_oom(err, c->path);
			goto out;
		}
		xr->session = id;
	}
out:
	free(scratch);
	free(base);
	g_hash_table_destroy(owner);
	return rc;
}

static int feed_rows(struct xctx *c, struct gr_err *err)
{
	struct xrow *rows = c->rows.data;
	bool present[MAP_NCOLS];

	for (int k = 0; k < MAP_NCOLS; k++)
		present[k] = c->x->read[k];
	for (size_t i = 0; i < c->rows.len; i++) {
		struct xrow *xr = &rows[i];
		if (xr->kind != ROW_LINE)
			continue;
		/* The row's cells back from its block, then the values the
		 * later passes made. */
		const char *v[MAP_NCOLS];
		size_t len[MAP_NCOLS];
		char iso[16];
		const char *p = xr->cells;
		for (int k = 0; k < MAP_NCOLS; k++) {
			v[k] = p;
			len[k] = strlen(p);
			p += len[k] + 1;
		}
		if (xr->iso_date) {
			value_format_date(xr->date, iso);
			v[ATT_DATE] = iso;
			len[ATT_DATE] = strlen(iso);
		}
		v[ATT_GROUP] = xr->group;
		v[ATT_SESSION] = xr->session;
		v[ATT_ADDON] = xr->addon;
		len[ATT_GROUP] = strlen(xr->group);
		len[ATT_SESSION] = strlen(xr->session);
		len[ATT_ADDON] = strlen(xr->addon);
		struct load_row row = { xr->line, ATT_NCOLS, v, len, present, NULL };
		int rc = roster_feed_row(c->feed, &row, err);
		if (rc < 0)
			return -1;
		xr->used = rc == 1;
	}
	for (size_t i = 0; i < c->rows.len; i++) {
		struct xrow *xr = &rows[i];
		if (xr->kind != ROW_ADDON || !xr->joined)
			continue;
		if (rows[xr->target].used) {
			/* Used: it set its line's addon (no line of its own). */
			c->r->rows_used++;
			c->r->exp.addon_rows++;
			continue;
		}
		char why[256];
		snprintf(why, sizeof why, "add-on %s: its 90853 row on line %zu was "
			 "rejected", xr->code, rows[xr->target].line);
		if (roster_feed_reject(c->feed, xr->line, why))
			return fail_oom(err, c->path);
	}
	return 0;
}

static int load_converted(struct roster *r, const char *path, struct recoded *rc,
			  struct xmap *x, const struct rates *rates, struct arena *a,
			  struct rejects *rej, struct gr_err *err)
{
	struct load_col cols[MAP_NCOLS];
	char **names = NULL;
	size_t nnames = 0;
	struct load_stats st;
	int ret = -1;

	/* UTF-16 read as bytes is NULs between letters: say what it is and
	 * the map key that reads it, before the loader sees NUL bytes. */
	if (!x->encoding && rc->guess && !strncmp(rc->guess, "UTF-16", 6))
		return gr_fail(err, path, 0, "this export is UTF-16 (%s-endian): set "
			       "`encoding = %s` in the map's [file] group",
			       rc->guess[6] == 'L' ? "little" : "big", rc->guess);
	if (rc->nbad && rc->bad[0].line == 1 && rc->bad[0].value)
		return gr_fail(err, path, 1, "byte 0x%02X (byte %zu) of the header is not "
			       "a character in %s: is that the export's encoding?",
			       rc->bad[0].value, rc->bad[0].byte, x->encoding);
	recode_unguard(rc->buf, &rc->len, x->delim);
	struct load_spec hs = { .path = path, .cols = cols, .ncols = 0, .delim = x->delim };
	if (load_csv_header(&hs, rc->buf, rc->len, false, &names, &nnames, err) != 0)
		return -1;
	ret = check_header(x, path, names, nnames, err);
	load_header_free(names, nnames);
	if (ret != 0)
		return -1;
	/* Every column is optional to the loader: the map check has made
	 * sure the required ones are there.  A column not read gets a name
	 * no header can have (headers are matched in lower case). */
	for (int k = 0; k < MAP_NCOLS; k++)
		cols[k] = (struct load_col){ !x->read[k] ? "NOT READ"
					     : x->header[k] ? x->header[k]
							    : schema_columns[k].name,
					     false };

	struct xctx c = { x, rates, r, NULL, a, path, { 0 }, rc, 0, err };
	vec_init(&c.rows, sizeof(struct xrow));
	/* A row a line: room for them all at once, rather than doubling
	 * (up to twice the room, and both copies during the move). */
	size_t lines = 1;
	for (const char *p = rc->buf, *e = rc->buf + rc->len;
	     (p = memchr(p, '\n', (size_t)(e - p))); p++)
		lines++;
	if (vec_reserve(&c.rows, lines) != 0)
		return fail_oom(err, path);
	if (!(c.feed = roster_feed_begin(r, path, a, rej)))
		return fail_oom(err, path);
	r->exp.mapped = true;
	r->exp.sessions_made = x->infer;
	r->exp.groups_made = x->make_group;
	r->exp.guess = rc->guess;
	r->exp.guess_line = rc->guess_line;
	struct load_spec spec = { .path = path, .cols = cols, .ncols = MAP_NCOLS,
				  .row = on_export_row, .reject = on_export_reject,
				  .ctx = &c, .delim = x->delim };
	/* The rows hold copies of their cells: the text is not read again,
	 * and its pages go back as the reading passes them (at a million
	 * rows the text was 150 MB resident beside the rows made of it). */
	ret = load_csv_buffer_drop(&spec, rc->buf, rc->len, &st, err);
	free(rc->buf);
	rc->buf = NULL;
	rc->len = 0;
	if (ret == 0)
		ret = join_addons(&c, err);
	if (ret == 0 && x->infer)
		ret = make_sessions(&c, err);
	if (ret == 0)
		ret = feed_rows(&c, err);
	bool present[ATT_NCOLS];
	for (int k = 0; k < ATT_NCOLS; k++)
		present[k] = x->read[k];
	present[ATT_SESSION] = true;
	present[ATT_GROUP] = true;
	if (x->read[MAP_CODE])
		present[ATT_ADDON] = true; /* add-on rows are the addon column */
	roster_feed_end(c.feed, ret == 0 ? st.records : 0, ret == 0 ? st.empty_lines : 0,
			present, ret == 0 ? st.ignored : "");
	vec_free(&c.rows);
	return ret;
}

int export_load_buffer(struct roster *r, const char *path, const char *buf,
		       size_t len, const struct colmap *map,
		       const struct rates *rates, struct arena *a,
		       struct rejects *rej, struct gr_err *err)
{
	struct xmap x;
	struct recoded rc;

	memset(r, 0, sizeof *r);
	if (read_map(&x, map, a, err) != 0)
		return -1;
	if (len == 0)
		return gr_fail(err, path, 0, "the file is empty: a header line is needed");
	if (recode_buffer(path, buf, len, x.encoding, &rc, err) != 0)
		return -1;
	int ret = load_converted(r, path, &rc, &x, rates, a, rej, err);
	recoded_free(&rc);
	return ret;
}

int export_load(struct roster *r, const char *path, const struct colmap *map,
		const struct rates *rates, struct arena *a, struct rejects *rej,
		struct gr_err *err)
{
	struct xmap x;
	struct recoded rc;

	memset(r, 0, sizeof *r);
	if (read_map(&x, map, a, err) != 0)
		return -1;
	if (recode_file(path, x.encoding, &rc, err) != 0)
		return -1;
	int ret = load_converted(r, path, &rc, &x, rates, a, rej, err);
	recoded_free(&rc);
	return ret;
}
