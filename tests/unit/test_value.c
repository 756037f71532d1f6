/* test_value.c — money, dates, booleans, shares.  Expected values: by
 * hand, and from Python (datetime for day numbers and ISO weeks,
 * Decimal ROUND_HALF_UP for credential shares), as noted per case. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "core/value.h"

static int64_t money(const char *s)
{
	int64_t c = -999999;
	const char *why = value_money(s, &c);
	if (why)
		fail_msg("'%s' refused: %s", s, why);
	return c;
}

static void test_money(void **state)
{
	int64_t c;

	(void)state;
	assert_int_equal(money("27.43"), 2743);
	assert_int_equal(money("$1,204.00"), 120400);
	assert_int_equal(money("27.5"), 2750);
	assert_int_equal(money("27"), 2700);
	assert_int_equal(money(" 3.05 "), 305);
	assert_int_equal(money("-5.00"), -500);
	assert_int_equal(money("$-5.00"), -500);
	assert_int_equal(money("-$5"), -500);
	assert_int_equal(money("1,234,567.89"), 123456789);
	assert_int_equal(money("0.07"), 7);
	assert_non_null(value_money("27.431", &c));   /* 3 decimals */
	assert_non_null(value_money("1,2345", &c));   /* bad grouping */
	assert_non_null(value_money("12,34.00", &c));
	assert_non_null(value_money(",123", &c));
	assert_non_null(value_money("", &c));
	assert_non_null(value_money("abc", &c));
	assert_non_null(value_money("1.2.3", &c));
	assert_non_null(value_money("$", &c));
	assert_non_null(value_money("123456789012345", &c)); /* too large */
}

static void test_money_format(void **state)
{
	char b[64];

	(void)state;
	value_format_cents(2111, b);
	assert_string_equal(b, "21.11");
	value_format_cents(-5, b);
	assert_string_equal(b, "-0.05");
	value_format_cents(0, b);
	assert_string_equal(b, "0.00");
	value_format_dollars(123456789, b);
	assert_string_equal(b, "$1,234,567.89");
	value_format_dollars(-100000, b);
	assert_string_equal(b, "-$1,000.00");
	value_format_dollars(99, b);
	assert_string_equal(b, "$0.99");
}

/* Day numbers from python: (date(y,m,d) - date(1970,1,1)).days. */
static void test_dates(void **state)
{
	int32_t d;
	int y;
	unsigned m, dd;

	(void)state;
	static const struct { const char *s; int32_t days; } ok[] = {
		{ "1970-01-01", 0 }, { "2000-03-01", 11017 }, { "2024-02-29", 19782 },
		{ "1900-01-01", -25567 }, { "2199-12-31", 84005 }, { "2025-07-04", 20273 },
		{ "07/04/2025", 20273 }, { "7/4/2025", 20273 }, { " 2025-07-04 ", 20273 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		assert_null(value_date(ok[i].s, &d));
		assert_int_equal(d, ok[i].days);
	}
	static const char *const bad[] = { "2025-02-30", "2023-02-29", "1900-02-29",
					   "2025-13-01", "2025-00-10", "2025-1-5",
					   "13/01/2025", "2025/01/05", "1899-12-31",
					   "2200-01-01", "", "yesterday", "2025-01-05x" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if (!value_date(bad[i], &d))
			fail_msg("'%s' accepted as a date", bad[i]);
	/* Every day 1900-2199 round-trips through civil_from_days. */
	for (int32_t x = -25567; x <= 84005; x++) {
		char b[16];
		value_civil_from_days(x, &y, &m, &dd);
		assert_int_equal(value_days_from_civil(y, m, dd), x);
		value_format_date(x, b);
		assert_null(value_date(b, &d));
		assert_int_equal(d, x);
	}
}

/* ISO weeks and weekdays from python's isocalendar() and weekday(). */
static void test_weeks_quarters(void **state)
{
	int32_t d, q;
	char b[16];

	(void)state;
	static const struct { const char *s; int year, week, wd; } w[] = {
		{ "2020-12-31", 2020, 53, 3 }, { "2021-01-03", 2020, 53, 6 },
		{ "2021-01-04", 2021, 1, 0 }, { "2024-12-30", 2025, 1, 0 },
		{ "2024-12-29", 2024, 52, 6 }, { "2026-01-01", 2026, 1, 3 },
	};
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		value_date(w[i].s, &d);
		assert_int_equal(value_iso_week(d), w[i].year * 64 + w[i].week);
		assert_int_equal(value_weekday(d), w[i].wd);
	}
	value_date("2025-09-30", &d);
	value_format_quarter(value_quarter(d), b);
	assert_string_equal(b, "2025Q3");
	value_date("2025-10-01", &d);
	value_format_quarter(value_quarter(d), b);
	assert_string_equal(b, "2025Q4");
	/* By hand as printf's "%dQ%d" would write it, every year length. */
	static const int32_t qs[] = { 0, 3, 4, 39, 40, 399, 400, 3999, 4000,
				      2026 * 4 + 3, 9999 * 4 + 3, 10000 * 4, -1, -5,
				      INT32_MAX, INT32_MIN };
	for (size_t i = 0; i < sizeof qs / sizeof qs[0]; i++) {
		char want[32];
		snprintf(want, sizeof want, "%dQ%d", qs[i] / 4, qs[i] % 4 + 1);
		value_format_quarter(qs[i], b);
		assert_string_equal(b, want);
	}
	assert_null(value_parse_quarter("2026Q3", &q));
	assert_int_equal(q, 2026 * 4 + 2);
	assert_null(value_parse_quarter("2026-q1", &q));
	assert_non_null(value_parse_quarter("2026Q5", &q));
	assert_non_null(value_parse_quarter("26Q1", &q));
}

/* value_uint as it was before it read its text in one pass (trim, then
 * a digit at a time against (max - digit) / 10): the reference the new
 * one must agree with, message for message. */
static const char *old_uint(const char *s, uint64_t max, uint64_t *out)
{
	size_t n = strlen(s);
	uint64_t v = 0;

	while (n && (*s == ' ' || (*s >= '\t' && *s <= '\r'))) {
		s++;
		n--;
	}
	while (n && (s[n - 1] == ' ' || (s[n - 1] >= '\t' && s[n - 1] <= '\r')))
		n--;
	if (n == 0)
		return "empty number";
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return "not a whole number";
		unsigned dgt = (unsigned)(s[i] - '0');
		if (v > (max - dgt) / 10)
			return "number too large";
		v = v * 10 + dgt;
	}
	*out = v;
	return NULL;
}

/* Every string of up to five characters from digits, blanks, a tab, a
 * letter and a sign, and numbers at the edges of several limits, give
 * the old function's message and value. */
static void test_uint_same_as_before(void **state)
{
	static const char alpha[] = "0195 \tx-";
	static const uint64_t maxes[] = { 9, 99, 1440, 100000, UINT64_MAX };
	static const char *const edges[] = {
		"18446744073709551615", "18446744073709551616", "18446744073709551610",
		"1844674407370955161", "99999999999999999999", " 00000000000000000000001 ",
		"1441", "1440", "100", "099", "100001", "9 ", " 9", "1 2",
	};
	char s[8];

	(void)state;
	for (size_t m = 0; m < sizeof maxes / sizeof maxes[0]; m++) {
		for (size_t len = 0; len <= 5; len++) {
			size_t total = 1;
			for (size_t k = 0; k < len; k++)
				total *= sizeof alpha - 1;
			for (size_t code = 0; code < total; code++) {
				size_t c = code;
				for (size_t k = 0; k < len; k++, c /= sizeof alpha - 1)
					s[k] = alpha[c % (sizeof alpha - 1)];
				s[len] = '\0';
				uint64_t a = 7, b = 7;
				const char *x = old_uint(s, maxes[m], &a), *y = value_uint(s, maxes[m], &b);
				if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)) || a != b)
					fail_msg("'%s' max %llu: '%s' %llu against '%s' %llu", s,
						 (unsigned long long)maxes[m], x ? x : "ok",
						 (unsigned long long)a, y ? y : "ok",
						 (unsigned long long)b);
			}
		}
		for (size_t e = 0; e < sizeof edges / sizeof edges[0]; e++) {
			uint64_t a = 7, b = 7;
			const char *x = old_uint(edges[e], maxes[m], &a);
			const char *y = value_uint(edges[e], maxes[m], &b);
			if ((x == NULL) != (y == NULL) || (x && strcmp(x, y)) || a != b)
				fail_msg("'%s' max %llu: '%s' against '%s'", edges[e],
					 (unsigned long long)maxes[m], x ? x : "ok", y ? y : "ok");
		}
	}
}

static void test_bools_ints_shares(void **state)
{
	bool b;
	uint64_t u;
	int32_t bp;
	double x;

	(void)state;
	static const char *const yes[] = { "Y", "yes", "TRUE", "1", " y " };
	static const char *const no[] = { "n", "No", "false", "0" };
	for (size_t i = 0; i < 5; i++)
		assert_true(!value_bool(yes[i], &b) && b);
	for (size_t i = 0; i < 4; i++)
		assert_true(!value_bool(no[i], &b) && !b);
	assert_non_null(value_bool("maybe", &b));
	assert_non_null(value_bool("", &b));
	assert_true(!value_uint("60", 1440, &u) && u == 60);
	assert_non_null(value_uint("1441", 1440, &u));
	assert_non_null(value_uint("-1", 1440, &u));
	assert_non_null(value_uint("sixty", 1440, &u));
	assert_non_null(value_uint("18446744073709551616", UINT64_MAX, &u));
	assert_true(!value_share("0.75", &bp) && bp == 7500);
	assert_true(!value_share("0.8500", &bp) && bp == 8500);
	assert_true(!value_share("1", &bp) && bp == 10000);
	assert_true(!value_share(".5", &bp) && bp == 5000);
	assert_non_null(value_share("0.12345", &bp));
	assert_non_null(value_share("75%", &bp));
	assert_true(!value_unit_interval("0.82", &x) && x == 0.82);
	assert_non_null(value_unit_interval("1.2", &x));
	assert_non_null(value_unit_interval("-0.1", &x));
	assert_non_null(value_unit_interval("nan", &x));
}

/* Python: Decimal(c) * Decimal(share), ROUND_HALF_UP (half away from 0). */
static void test_apply_share(void **state)
{
	(void)state;
	assert_int_equal(value_apply_share(2814, 7500), 2111); /* 2110.5 */
	assert_int_equal(value_apply_share(2814, 8500), 2392); /* 2391.9 */
	assert_int_equal(value_apply_share(1423, 7500), 1067); /* 1067.25 */
	assert_int_equal(value_apply_share(3039, 8500), 2583); /* 2583.15 */
	assert_int_equal(value_apply_share(3039, 7500), 2279); /* 2279.25 */
	assert_int_equal(value_apply_share(-2814, 7500), -2111);
	assert_int_equal(value_apply_share(2814, 10000), 2814);
	assert_int_equal(value_apply_share(2814, 0), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_money),
		cmocka_unit_test(test_uint_same_as_before),
		cmocka_unit_test(test_money_format),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_weeks_quarters),
		cmocka_unit_test(test_bools_ints_shares),
		cmocka_unit_test(test_apply_share),
	};
	return cmocka_run_group_tests_name("value", tests, NULL, NULL);
}
