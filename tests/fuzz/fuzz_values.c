/* libFuzzer target: the cell parsers.  Invariants: a parsed amount prints
 * back to an amount that parses to the same cents; a parsed date prints
 * back to the same day; nothing crashes on any bytes. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/value.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[128], buf[64];
	int64_t cents, again;
	int32_t days, d2, bp, q;
	bool b;
	uint64_t u;
	double x;

	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (!value_money(s, &cents)) {
		value_format_cents(cents, buf);
		if (value_money(buf, &again) || again != cents)
			abort();
		value_format_dollars(cents, buf);
		if (value_money(buf, &again) || again != cents)
			abort();
	}
	if (!value_date(s, &days)) {
		value_format_date(days, buf);
		if (value_date(buf, &d2) || d2 != days)
			abort();
		(void)value_iso_week(days);
		value_format_quarter(value_quarter(days), buf);
		if (value_parse_quarter(buf, &q) || q != value_quarter(days))
			abort();
	}
	(void)value_bool(s, &b);
	(void)value_uint(s, 1000000, &u);
	if (!value_share(s, &bp) && (bp < 0 || bp > 99999))
		abort();
	if (!value_unit_interval(s, &x) && !(x >= 0 && x <= 1))
		abort();
	(void)value_parse_quarter(s, &q);
	return 0;
}
