/* csvout.c — RFC 4180 output with formula-injection neutralising. */
#include "csvout.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "value.h"

#define CSVW_BUF (1u << 20)

int csvw_open(struct csvw *w, const char *path, struct gr_err *err)
{
	memset(w, 0, sizeof *w);
	if (!(w->buf = malloc(CSVW_BUF)))
		return gr_fail(err, path, 0, "out of memory");
	w->cap = CSVW_BUF;
	if (outfile_open(&w->out, path, err) != 0) {
		free(w->buf);
		w->buf = NULL;
		return -1;
	}
	return 0;
}

void csvw_mem_init(struct csvw *w)
{
	memset(w, 0, sizeof *w);
	w->mem = true;
}

void csvw_mem_clear(struct csvw *w)
{
	w->len = 0;
	w->oom = false;
	w->row_started = false;
}

void csvw_mem_free(struct csvw *w)
{
	free(w->buf);
	csvw_mem_init(w);
}

/* Room for N more bytes in a memory part. */
static bool mem_room(struct csvw *w, size_t n)
{
	if (w->oom)
		return false;
	size_t cap = w->cap ? w->cap : CSVW_BUF;
	while (cap < w->len + n)
		cap *= 2;
	char *b = cap != w->cap ? realloc(w->buf, cap) : w->buf;
	if (!b) {
		w->oom = true;
		return false;
	}
	w->buf = b;
	w->cap = cap;
	return true;
}

static void flush(struct csvw *w)
{
	/* A write error shows at commit (ferror), like every stdio error. */
	if (w->len)
		fwrite(w->buf, 1, w->len, w->out.f);
	w->len = 0;
}

static void emit(struct csvw *w, const char *s, size_t n)
{
	if (w->len + n > w->cap) {
		if (w->mem) {
			if (!mem_room(w, n))
				return;
		} else {
			flush(w);
			if (n > w->cap) {
				fwrite(s, 1, n, w->out.f);
				return;
			}
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void emit_c(struct csvw *w, char c)
{
	if (w->len < w->cap)
		w->buf[w->len++] = c;
	else
		emit(w, &c, 1);
}

int csvw_append(struct csvw *w, const struct csvw *part)
{
	if (part->oom)
		return -1;
	if (part->len) /* an empty part has no buffer at all */
		emit(w, part->buf, part->len);
	return 0;
}

/* Decimal digits of V into the end of BUF; returns the first digit.
 * printf's general machinery was a third of a 1M-line report's time. */
static char *utoa_end(uint64_t v, char *end)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

/* "-12.50", "+3", "1e5" are numbers a spreadsheet reads as numbers, not
 * formulas: only a sign, digits, one point and an exponent. */
static bool plain_number(const char *s)
{
	const char *p = s;
	bool digits = false;

	if (*p == '-' || *p == '+')
		p++;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits = true;
		}
	}
	return digits && *p == '\0';
}

size_t csvw_escape(const char *s, char *buf, size_t size)
{
	bool neutral = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
			s[0] == '\t' || s[0] == '\r') && !plain_number(s);
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	size_t k = 0;

#define PUT(c) do { if (k + 1 < size) buf[k] = (c); k++; } while (0)
	if (quote)
		PUT('"');
	if (neutral)
		PUT('\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			PUT('"');
		PUT(*p);
	}
	if (quote)
		PUT('"');
#undef PUT
	if (size)
		buf[k < size ? k : size - 1] = '\0';
	return k;
}

static void sep(struct csvw *w)
{
	if (w->row_started)
		emit_c(w, ',');
	w->row_started = true;
}

void csvw_header(struct csvw *w, const char *names)
{
	emit(w, names, strlen(names));
	emit_c(w, '\n');
}

void csvw_str(struct csvw *w, const char *s)
{
	char small[512];
	size_t n;

	sep(w);
	if (!s)
		return;
	/* Most cells need neither quoting nor neutralising. */
	if (!strchr("=+-@\t\r", s[0]) && !strpbrk(s, ",\"\r\n")) {
		emit(w, s, strlen(s));
		return;
	}
	n = csvw_escape(s, small, sizeof small);
	if (n < sizeof small) {
		emit(w, small, n);
		return;
	}
	/* Rare long cell: escape straight to the stream. */
	bool neutral = small[0] == '\'' || (small[0] == '"' && small[1] == '\'');
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		emit_c(w, '"');
	if (neutral)
		emit_c(w, '\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			emit_c(w, '"');
		emit_c(w, *p);
	}
	if (quote)
		emit_c(w, '"');
}

void csvw_cents(struct csvw *w, int64_t cents)
{
	char buf[32], *end = buf + sizeof buf, *p;
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;

	sep(w);
	p = end;
	*--p = (char)('0' + a % 10);
	*--p = (char)('0' + a / 10 % 10);
	*--p = '.';
	p = utoa_end(a / 100, p);
	if (cents < 0)
		*--p = '-';
	emit(w, p, (size_t)(end - p));
}

void csvw_int(struct csvw *w, int64_t v)
{
	char buf[32], *end = buf + sizeof buf, *p;
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	sep(w);
	p = utoa_end(a, end);
	if (v < 0)
		*--p = '-';
	emit(w, p, (size_t)(end - p));
}

void csvw_fixed(struct csvw *w, double v, int decimals)
{
	sep(w);
	if (isfinite(v)) {
		/* Avoid printing "-0.000000" for a value that rounds to zero. */
		double scale = pow(10.0, decimals);
		if (fabs(v) * scale < 0.5)
			v = 0.0;
		char buf[512]; /* DBL_MAX with decimals fits */
		int n = snprintf(buf, sizeof buf, "%.*f", decimals, v);
		if (n > 0 && (size_t)n < sizeof buf)
			emit(w, buf, (size_t)n);
	}
}

void csvw_empty(struct csvw *w)
{
	sep(w);
}

void csvw_end(struct csvw *w)
{
	emit_c(w, '\n');
	w->row_started = false;
}

int csvw_commit(struct csvw *w, struct gr_err *err)
{
	flush(w);
	free(w->buf);
	w->buf = NULL;
	return outfile_commit(&w->out, err);
}

void csvw_abort(struct csvw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = 0;
	outfile_abort(&w->out);
}
