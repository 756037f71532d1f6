/* small.h — the small practice of tests/unit/fixtures/small/attendance.csv,
 * loaded and priced, for the aggregation tests (test_tally, test_tables,
 * test_sizes).
 *
 * Priced with tests/unit/fixtures/rt (fixtures/README.md): MCR office
 * 28.14 (low 26.92, high 32.77) in 2024-2025 only, LCSW paid 0.75; MCD
 * 24.31 (15.20, 30.39), 60 minutes or more; COM 41.88 (31.69, 53.58).
 * The file has minutes and credential but no modality, modifiers,
 * diagnosis, note, auth or group type: only the size, minute, weekly,
 * daily, credential, payer and rate rules run.  By hand, line by line
 * (physical line: session, member, payer; price in cents; status, paid;
 * the rules it breaks):
 *
 *   2  S1 2025-02-03 G1 C1 PhD  A MCR  2814 2692 3277  paid 22.06
 *   3  S1                       B MCR  2814 2692 3277  denied 0.00, no code
 *   4  S1                       C MCD  2431 1520 3039  pending
 *   5  S1                       D MCR  absent: not priced, not checked
 *   6  S2 2025-02-10 G1 C2 LCSW A MCR  2111 2019 2458  paid 16.55
 *        (0.75 x 28.14 = 21.105 -> 21.11; 20.19; 24.5775 -> 24.58)
 *   7  S2                       E MCD  2431 1520 3039  denied 0.00, CO-50
 *        min_minutes (45 < MCD's 60)
 *   8  S2                       F XYZ  unpriced        denied CO-109, no paid
 *        unknown_payer
 *   9  S3 2025-04-07 G2 C1 PhD  A MCR  2814 2692 3277  paid 22.06
 *  10  S3                       G COM  4188 3169 5358  paid 41.88
 *  11  S4 2025-04-07 G3 C2 LPC  A MCR  2814 2692 3277  (no status)
 *        max_per_day (A's second MCR group that day, MCR pays 1) and
 *        credential (LPC is not in MCR's PhD LCSW; LPC has no share)
 *  12  S4                       H COM  4188 3169 5358
 *  13  S5 2026-01-05 G2 C1 PhD  I MCR  unpriced: no_rate (MCR ends 2025)
 *  14  S5                       J MCR  unpriced: no_rate
 *  15  S6 2025-02-30: rejected (no such day)
 *
 * Sessions: S1 size 3 (rows 4), 60 min; S2 size 3, 45 min; S3 size 2, no
 * minutes; S4 size 2, 90 min; S5 size 2, 60 min.  No group breaks a size
 * limit (MCR 2-4, MCD 3 or more, COM 2 or more).
 */
#ifndef GR_TEST_SMALL_H
#define GR_TEST_SMALL_H

#include <string.h>

#include "testutil.h"
#include "billing/ledger.h"
#include "model/scope.h"

#define SMALL_CSV "tests/unit/fixtures/small/attendance.csv"
#define SMALL_RT "tests/unit/fixtures/rt"

struct small {
	struct arena a;
	struct rates rates;
	struct roster r;
	struct rejects rej;
	struct ledger l;
};

static inline void small_load(struct small *w)
{
	struct gr_err err;

	memset(w, 0, sizeof *w);
	arena_init(&w->a);
	rejects_init(&w->rej, &w->a);
	if (rates_load(&w->rates, SMALL_RT, &w->a, &err) ||
	    roster_load(&w->r, SMALL_CSV, &w->a, &w->rej, NULL, &err) ||
	    ledger_build(&w->l, &w->r, &w->rates, 1, &w->a, &err))
		fail_msg("%s:%zu: %s", err.file, err.line, err.msg);
	assert_int_equal(w->r.rows_used, 13);
	assert_int_equal(w->rej.items.len, 1);
}

static inline void small_free(struct small *w)
{
	ledger_free(&w->l);
	roster_free(&w->r);
	rejects_free(&w->rej);
	arena_release(&w->a);
}

/* The scope of the quarter holding the date YYYY-MM-DD. */
static inline struct scope small_quarter(const char *day)
{
	struct scope s = { false, 0 };
	int32_t d;

	assert_null(value_date(day, &d));
	s.quarter = value_quarter(d);
	return s;
}

#endif
