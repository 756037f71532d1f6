/* csvout.c — RFC 4180 output with formula-injection neutralising. */
#include "csvout.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "value.h"

int csvw_open(struct csvw *w, const char *path, struct gr_err *err)
{
	w->row_started = false;
	if (outfile_open(&w->out, path, err) != 0)
		return -1;
	/* claims.csv has a row per line: a large buffer halves the calls. */
	setvbuf(w->out.f, NULL, _IOFBF, 1 << 20);
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
		fputc(',', w->out.f);
	w->row_started = true;
}

void csvw_header(struct csvw *w, const char *names)
{
	fputs(names, w->out.f);
	fputc('\n', w->out.f);
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
		fputs(s, w->out.f);
		return;
	}
	n = csvw_escape(s, small, sizeof small);
	if (n < sizeof small) {
		fwrite(small, 1, n, w->out.f);
		return;
	}
	/* Rare long cell: escape straight to the stream. */
	bool neutral = small[0] == '\'' || (small[0] == '"' && small[1] == '\'');
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		fputc('"', w->out.f);
	if (neutral)
		fputc('\'', w->out.f);
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			fputc('"', w->out.f);
		fputc(*p, w->out.f);
	}
	if (quote)
		fputc('"', w->out.f);
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
	fwrite(p, 1, (size_t)(end - p), w->out.f);
}

void csvw_int(struct csvw *w, int64_t v)
{
	char buf[32], *end = buf + sizeof buf, *p;
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	sep(w);
	p = utoa_end(a, end);
	if (v < 0)
		*--p = '-';
	fwrite(p, 1, (size_t)(end - p), w->out.f);
}

void csvw_fixed(struct csvw *w, double v, int decimals)
{
	sep(w);
	if (isfinite(v)) {
		/* Avoid printing "-0.000000" for a value that rounds to zero. */
		double scale = pow(10.0, decimals);
		if (fabs(v) * scale < 0.5)
			v = 0.0;
		fprintf(w->out.f, "%.*f", decimals, v);
	}
}

void csvw_empty(struct csvw *w)
{
	sep(w);
}

void csvw_end(struct csvw *w)
{
	fputc('\n', w->out.f);
	w->row_started = false;
}

int csvw_commit(struct csvw *w, struct gr_err *err)
{
	return outfile_commit(&w->out, err);
}

void csvw_abort(struct csvw *w)
{
	outfile_abort(&w->out);
}
