/* value.c — cell values: money as integer cents, checked dates, booleans.
 *
 * Everything here is exact integer arithmetic: a binary float never holds
 * money, and a date is a day number, so quarters, ISO weeks and periods
 * are comparisons of integers.
 */
#include "core/value.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Quoted cells keep their spaces (RFC 4180); values ignore them. */
/* isspace of the C locale (grouprev never sets another), without a call. */
static inline bool is_space(unsigned char c)
{
	return c == ' ' || (c >= '\t' && c <= '\r');
}

static inline bool is_digit(char c)
{
	return c >= '0' && c <= '9';
}

static void trim(const char **s, size_t *len)
{
	const char *p = *s;
	size_t n = strlen(p);

	while (n && is_space((unsigned char)*p)) {
		p++;
		n--;
	}
	while (n && is_space((unsigned char)p[n - 1]))
		n--;
	*s = p;
	*len = n;
}

const char *value_money(const char *s, int64_t *cents)
{
	size_t n, i = 0;
	bool neg = false, dollar = false;
	int64_t whole = 0;
	int digits = 0, group = 0, frac = 0, fdigits = 0;
	bool commas = false;

	trim(&s, &n);
	if (n == 0)
		return "empty amount";
	if (s[i] == '-') {
		neg = true;
		i++;
	}
	if (i < n && s[i] == '$') {
		dollar = true;
		i++;
	}
	if (!neg && i < n && s[i] == '-') { /* "$-5.00" */
		neg = true;
		i++;
	}
	(void)dollar;
	for (; i < n && (is_digit(s[i]) || s[i] == ','); i++) {
		if (s[i] == ',') {
			/* thousands separators: 1-3 digits first, then groups of 3 */
			if (digits == 0 || (commas ? group != 3 : group > 3))
				return "misplaced thousands separator";
			commas = true;
			group = 0;
			continue;
		}
		if (digits >= 14)
			return "amount too large";
		whole = whole * 10 + (s[i] - '0');
		digits++;
		group++;
	}
	if (commas && group != 3)
		return "misplaced thousands separator";
	if (i < n && s[i] == '.') {
		i++;
		for (; i < n && is_digit(s[i]); i++) {
			if (++fdigits > 2)
				return "more than 2 decimals";
			frac = frac * 10 + (s[i] - '0');
		}
		if (fdigits == 1)
			frac *= 10;
	}
	if (i != n)
		return "not an amount";
	if (digits == 0 && fdigits == 0)
		return "not an amount";
	*cents = (whole * 100 + frac) * (neg ? -1 : 1);
	return NULL;
}

static bool is_leap(int y)
{
	return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}

static unsigned days_in_month(int y, unsigned m)
{
	static const unsigned dm[12] = { 31, 28, 31, 30, 31, 30,
					 31, 31, 30, 31, 30, 31 };
	return m == 2 && is_leap(y) ? 29 : dm[m - 1];
}

/* Reads 1..maxd digits; returns the count read, 0 when none. */
static int read_num(const char *s, int mind, int maxd, int *out)
{
	int v = 0, k = 0;

	while (k < maxd && is_digit(s[k])) {
		v = v * 10 + (s[k] - '0');
		k++;
	}
	if (k < mind)
		return 0;
	*out = v;
	return k;
}

const char *value_date(const char *s, int32_t *days)
{
	size_t n;
	int y, m, d, k;
	char buf[16];

	/* Almost every date is exactly YYYY-MM-DD: read it in place. */
	if (is_digit(s[0]) && is_digit(s[1]) && is_digit(s[2]) && is_digit(s[3]) &&
	    s[4] == '-' && is_digit(s[5]) && is_digit(s[6]) && s[7] == '-' &&
	    is_digit(s[8]) && is_digit(s[9]) && s[10] == '\0') {
		y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
		m = (s[5] - '0') * 10 + (s[6] - '0');
		d = (s[8] - '0') * 10 + (s[9] - '0');
		goto check;
	}
	trim(&s, &n);
	if (n == 0)
		return "empty date";
	if (n >= sizeof buf)
		return "not a date (use YYYY-MM-DD)";
	memcpy(buf, s, n);
	buf[n] = '\0';
	s = buf;
	if (n == 10 && s[4] == '-' && s[7] == '-') {
		if (read_num(s, 4, 4, &y) != 4 || read_num(s + 5, 2, 2, &m) != 2 ||
		    read_num(s + 8, 2, 2, &d) != 2)
			return "not a date (use YYYY-MM-DD)";
	} else if (strchr(s, '/')) {
		const char *p = s;
		if (!(k = read_num(p, 1, 2, &m)) || p[k] != '/')
			return "not a date (use YYYY-MM-DD or MM/DD/YYYY)";
		p += k + 1;
		if (!(k = read_num(p, 1, 2, &d)) || p[k] != '/')
			return "not a date (use YYYY-MM-DD or MM/DD/YYYY)";
		p += k + 1;
		if (read_num(p, 4, 4, &y) != 4 || p[4] != '\0')
			return "not a date (use YYYY-MM-DD or MM/DD/YYYY)";
	} else {
		return "not a date (use YYYY-MM-DD)";
	}
check:
	if (y < 1900 || y > 2199)
		return "year outside 1900-2199";
	if (m < 1 || m > 12)
		return "month outside 1-12";
	if (d < 1 || (unsigned)d > days_in_month(y, (unsigned)m))
		return "no such day in that month";
	*days = value_days_from_civil(y, (unsigned)m, (unsigned)d);
	return NULL;
}

const char *value_bool(const char *s, bool *b)
{
	size_t n;
	static const char *const yes[] = { "y", "yes", "true", "1" };
	static const char *const no[] = { "n", "no", "false", "0" };

	/* The usual Y or N first. */
	if (s[0] && !s[1]) {
		if (s[0] == 'Y' || s[0] == 'y' || s[0] == '1') {
			*b = true;
			return NULL;
		}
		if (s[0] == 'N' || s[0] == 'n' || s[0] == '0') {
			*b = false;
			return NULL;
		}
	}
	trim(&s, &n);
	for (size_t i = 0; i < 4; i++) {
		if (strlen(yes[i]) == n && strncasecmp(s, yes[i], n) == 0) {
			*b = true;
			return NULL;
		}
		if (strlen(no[i]) == n && strncasecmp(s, no[i], n) == 0) {
			*b = false;
			return NULL;
		}
	}
	return "not a yes/no value (use Y or N)";
}

const char *value_uint(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	size_t i = 0, digits = 0;

	/* In one pass, without trim's strlen: blanks, digits, blanks. */
	while (is_space((unsigned char)s[i]))
		i++;
	for (; is_digit(s[i]); i++, digits++) {
		uint64_t t;
		if (__builtin_mul_overflow(v, 10, &t) ||
		    __builtin_add_overflow(t, (uint64_t)(s[i] - '0'), &t) || t > max)
			return "number too large";
		v = t;
	}
	while (is_space((unsigned char)s[i]))
		i++;
	if (s[i])
		return "not a whole number";
	if (!digits)
		return "empty number";
	*out = v;
	return NULL;
}

const char *value_share(const char *s, int32_t *bp)
{
	size_t n, i = 0;
	int32_t whole = 0, frac = 0, fd = 0, wd = 0;

	trim(&s, &n);
	for (; i < n && is_digit(s[i]); i++) {
		if (++wd > 1)
			return "share above 9.9999";
		whole = s[i] - '0';
	}
	if (i < n && s[i] == '.') {
		for (i++; i < n && is_digit(s[i]); i++) {
			if (++fd > 4)
				return "share with more than 4 decimals";
			frac = frac * 10 + (s[i] - '0');
		}
	}
	if (i != n || (wd == 0 && fd == 0))
		return "not a share (use e.g. 0.75)";
	while (fd++ < 4)
		frac *= 10;
	*bp = whole * 10000 + frac;
	return NULL;
}

const char *value_unit_interval(const char *s, double *out)
{
	size_t n;
	char buf[64], *end;

	trim(&s, &n);
	if (n == 0 || n >= sizeof buf)
		return "not a number between 0 and 1";
	memcpy(buf, s, n);
	buf[n] = '\0';
	errno = 0;
	double v = strtod(buf, &end);
	if (errno || *end || !(v >= 0.0 && v <= 1.0) || !isdigit((unsigned char)buf[0]))
		return "not a number between 0 and 1";
	*out = v;
	return NULL;
}

void value_format_cents(int64_t cents, char buf[32])
{
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	snprintf(buf, 32, "%s%llu.%02llu", cents < 0 ? "-" : "",
		 (unsigned long long)(a / 100), (unsigned long long)(a % 100));
}

void value_format_dollars(int64_t cents, char buf[64])
{
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;
	char digits[32], grouped[48];
	int nd = snprintf(digits, sizeof digits, "%llu", (unsigned long long)(a / 100));
	int k = 0;

	for (int i = 0; i < nd; i++) {
		if (i && (nd - i) % 3 == 0)
			grouped[k++] = ',';
		grouped[k++] = digits[i];
	}
	grouped[k] = '\0';
	snprintf(buf, 64, "%s$%s.%02llu", cents < 0 ? "-" : "", grouped,
		 (unsigned long long)(a % 100));
}

int32_t value_days_from_civil(int y, unsigned m, unsigned d)
{
	y -= m <= 2;
	const int era = (y >= 0 ? y : y - 399) / 400;
	const unsigned yoe = (unsigned)(y - era * 400);
	const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int32_t)doe - 719468;
}

void value_civil_from_days(int32_t z, int *y, unsigned *m, unsigned *d)
{
	z += 719468;
	const int era = (z >= 0 ? z : z - 146096) / 146097;
	const unsigned doe = (unsigned)(z - era * 146097);
	const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	const int yy = (int)yoe + era * 400;
	const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	const unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

void value_format_date(int32_t days, char buf[16])
{
	int y;
	unsigned m, d;

	value_civil_from_days(days, &y, &m, &d);
	if (y < 0 || y > 9999) {
		snprintf(buf, 16, "%04d-%02u-%02u", y, m, d);
		return;
	}
	/* By hand: claims.csv formats a date per line. */
	buf[0] = (char)('0' + y / 1000);
	buf[1] = (char)('0' + y / 100 % 10);
	buf[2] = (char)('0' + y / 10 % 10);
	buf[3] = (char)('0' + y % 10);
	buf[4] = '-';
	buf[5] = (char)('0' + m / 10);
	buf[6] = (char)('0' + m % 10);
	buf[7] = '-';
	buf[8] = (char)('0' + d / 10);
	buf[9] = (char)('0' + d % 10);
	buf[10] = '\0';
}

int32_t value_quarter(int32_t days)
{
	int y;
	unsigned m, d;

	value_civil_from_days(days, &y, &m, &d);
	return y * 4 + (int32_t)((m - 1) / 3);
}

void value_format_quarter(int32_t q, char buf[16])
{
	if (q < 0 || q / 4 > 9999) {
		snprintf(buf, 16, "%dQ%d", q / 4, q % 4 + 1);
		return;
	}
	/* By hand, as dates are: snprintf was a thousand instructions, once
	 * per session of claims.csv.  "%d" has no leading zeros. */
	int y = q / 4;
	char *p = buf;
	if (y >= 1000)
		*p++ = (char)('0' + y / 1000);
	if (y >= 100)
		*p++ = (char)('0' + y / 100 % 10);
	if (y >= 10)
		*p++ = (char)('0' + y / 10 % 10);
	*p++ = (char)('0' + y % 10);
	*p++ = 'Q';
	*p++ = (char)('1' + q % 4);
	*p = '\0';
}

const char *value_parse_quarter(const char *s, int32_t *q)
{
	int y, k;

	if (read_num(s, 4, 4, &y) != 4)
		return "not a quarter (use e.g. 2025Q3)";
	k = 4;
	if (s[k] == '-')
		k++;
	if ((s[k] != 'Q' && s[k] != 'q') || s[k + 1] < '1' || s[k + 1] > '4' ||
	    s[k + 2] != '\0')
		return "not a quarter (use e.g. 2025Q3)";
	if (y < 1900 || y > 2199)
		return "year outside 1900-2199";
	*q = y * 4 + (s[k + 1] - '1');
	return NULL;
}

int value_weekday(int32_t days)
{
	/* 1970-01-01 was a Thursday (3 when Monday is 0). */
	int w = (int)((days + 3) % 7);
	return w < 0 ? w + 7 : w;
}

int32_t value_iso_week(int32_t days)
{
	int32_t thursday = days - value_weekday(days) + 3;
	int y;
	unsigned m, d;

	value_civil_from_days(thursday, &y, &m, &d);
	int32_t week = (thursday - value_days_from_civil(y, 1, 1)) / 7 + 1;
	return y * 64 + week;
}

int64_t value_apply_share(int64_t cents, int32_t bp)
{
	if (bp == 10000)
		return cents;
	if (cents >= 0)
		return (cents * bp + 5000) / 10000;
	return -((-cents * bp + 5000) / 10000);
}
