/* value.h — parsing and printing the cell values of the input formats.
 *
 * Each parser takes a NUL-terminated cell, already stripped of the quoting
 * by the CSV loader, and returns NULL on success or a short static reason
 * ("more than 2 decimals") that the caller puts after the column name.
 * Money is integer cents, never a binary float.  Dates are days since
 * 1970-01-01 in the proleptic Gregorian calendar.
 */
#ifndef GR_VALUE_H
#define GR_VALUE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* "27.43", "$1,204.00", "-5", "27.5" -> cents.  Thousands separators must
 * be every three digits; at most 2 decimals; at most $90 trillion. */
const char *value_money(const char *s, int64_t *cents);
/* YYYY-MM-DD or MM/DD/YYYY (M and D may have one digit), years 1900-2199,
 * with real calendar checks (2025-02-30 and 2023-02-29 are refused). */
const char *value_date(const char *s, int32_t *days);
/* Y/N, yes/no, true/false, 1/0, any case. */
const char *value_bool(const char *s, bool *b);
/* Non-negative decimal integer that fits in 0..max. */
const char *value_uint(const char *s, uint64_t max, uint64_t *out);
/* A fraction 0..1 with at most 4 decimals -> parts per 10,000 (0.75 -> 7500). */
const char *value_share(const char *s, int32_t *bp);
/* A probability or rate 0..1 as a double (plan attendance rates). */
const char *value_unit_interval(const char *s, double *out);

/* Whether A[0..N) and B[0..N) are the same but for the case of ASCII
 * letters: strncasecmp in the C locale on N bytes that hold no NUL,
 * inline (the vocabularies' words are looked up on every row). */
static inline bool value_ascii_ieq(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x == y)
			continue;
		x = (unsigned)(x - 'A') < 26u ? (unsigned char)(x | 0x20) : x;
		y = (unsigned)(y - 'A') < 26u ? (unsigned char)(y | 0x20) : y;
		if (x != y)
			return false;
	}
	return true;
}

/* Cents -> "-1234.56" (no currency sign, no separators: CSV form). */
void value_format_cents(int64_t cents, char buf[32]);
/* Cents -> "$1,234.56" (report form). */
void value_format_dollars(int64_t cents, char buf[64]);
/* Days -> "YYYY-MM-DD". */
void value_format_date(int32_t days, char buf[16]);

/* Calendar helpers.  days_from_civil/civil_from_days follow Howard
 * Hinnant's public-domain algorithms (chrono-Compatible Low-Level Date
 * Algorithms). */
int32_t value_days_from_civil(int y, unsigned m, unsigned d);
void value_civil_from_days(int32_t days, int *y, unsigned *m, unsigned *d);
/* Quarter key: year * 4 + (quarter - 1); printed "2025Q3". */
int32_t value_quarter(int32_t days);
void value_format_quarter(int32_t q, char buf[16]);
/* "2025Q3" (or "2025-Q3", "2025q3") -> quarter key. */
const char *value_parse_quarter(const char *s, int32_t *q);
/* ISO-8601 week key (Monday-Sunday weeks; the week holding the year's
 * first Thursday is week 1): iso_year * 64 + week, so keys sort in time. */
int32_t value_iso_week(int32_t days);
/* 0 = Monday ... 6 = Sunday */
int value_weekday(int32_t days);

/* Round A * BP / 10000 half-up (half away from zero) to an integer:
 * the credential share of an amount in cents. */
int64_t value_apply_share(int64_t cents, int32_t bp);

#endif
