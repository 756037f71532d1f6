/* test_tally.c — the aggregation layer (tally.h) on the small practice of
 * small.h: sums by quarter x payer, group, clinician and payer, by claim
 * state, reason code and rule, by quarter and month; every figure added
 * up by hand from the line table there (cents). */
#include "small.h"
#include "analysis/tally.h"
#include "billing/run.h"

/* Every counter and sum of a row, in the order of struct tally_row. */
struct want {
	const char *quarter, *key;
	uint64_t rows, lines, sessions, priced, unpriced, flagged;
	uint64_t adjudicated, denied, paid_lines, pending;
	int64_t expected, low, high, paid, at_risk;
	uint64_t minutes, minute_sessions;
};

static void assert_row(const struct tally_row *x, const struct strpool *pool,
		       const struct want *w)
{
	char q[16];

	if (w->quarter) {
		value_format_quarter(x->quarter, q);
		assert_string_equal(q, w->quarter);
	}
	if (w->key)
		assert_string_equal(strpool_str(pool, x->key), w->key);
	assert_int_equal(x->rows, w->rows);
	assert_int_equal(x->lines, w->lines);
	assert_int_equal(x->sessions, w->sessions);
	assert_int_equal(x->priced, w->priced);
	assert_int_equal(x->unpriced, w->unpriced);
	assert_int_equal(x->flagged, w->flagged);
	assert_int_equal(x->adjudicated, w->adjudicated);
	assert_int_equal(x->denied, w->denied);
	assert_int_equal(x->paid_lines, w->paid_lines);
	assert_int_equal(x->pending, w->pending);
	assert_int_equal(x->expected, w->expected);
	assert_int_equal(x->low, w->low);
	assert_int_equal(x->high, w->high);
	assert_int_equal(x->paid, w->paid);
	assert_int_equal(x->at_risk, w->at_risk);
	assert_int_equal(x->minutes, w->minutes);
	assert_int_equal(x->minute_sessions, w->minute_sessions);
}

static void test_all_quarters(void **state)
{
	struct small w;
	struct tally t;
	struct gr_err err;
	struct scope all = { true, 0 };

	(void)state;
	small_load(&w);
	assert_int_equal(tally_build(&t, &w.l, &all, &w.a, &err), 0);

	/* Quarter x payer, by quarter then payer id.  Summary rows count no
	 * sessions (a session may have several payers). */
	static const struct want summary[6] = {
		/* lines 4, 7: 2431 x 2; low 1520 x 2; high 3039 x 2; 7 denied
		 * (paid 0.00), 4 pending; 7 flagged, at risk 2431 */
		{ "2025Q1", "MCD", 2, 2, 0, 2, 0, 1, 1, 1, 0, 1,
		  4862, 3040, 6078, 0, 2431, 0, 0 },
		/* lines 2, 3, 6 (and 5 absent): 2814 + 2814 + 2111; low 2692 +
		 * 2692 + 2019; high 3277 + 3277 + 2458; paid 22.06 + 0 + 16.55 */
		{ "2025Q1", "MCR", 4, 3, 0, 3, 0, 0, 3, 1, 2, 0,
		  7739, 7403, 9012, 3861, 0, 0, 0 },
		/* line 8: unpriced, denied, flagged; an unpriced line adds 0 */
		{ "2025Q1", "XYZ", 1, 1, 0, 0, 1, 1, 1, 1, 0, 0,
		  0, 0, 0, 0, 0, 0, 0 },
		/* lines 10, 12: 4188 x 2; 3169 x 2; 5358 x 2; paid 41.88 */
		{ "2025Q2", "COM", 2, 2, 0, 2, 0, 0, 1, 0, 1, 0,
		  8376, 6338, 10716, 4188, 0, 0, 0 },
		/* lines 9, 11: 2814 x 2; line 11 flagged: at risk 2814 */
		{ "2025Q2", "MCR", 2, 2, 0, 2, 0, 1, 1, 0, 1, 0,
		  5628, 5384, 6554, 2206, 2814, 0, 0 },
		/* lines 13, 14: no rate in 2026, both flagged */
		{ "2026Q1", "MCR", 2, 2, 0, 0, 2, 2, 0, 0, 0, 0,
		  0, 0, 0, 0, 0, 0, 0 },
	};
	assert_int_equal(t.nsummary, 6);
	for (uint32_t i = 0; i < 6; i++)
		assert_row(&t.summary[i], &w.r.payers, &summary[i]);

	static const struct want groups[3] = {
		/* G1 = S1 + S2, lines 2-8: 2814 + 2814 + 2431 + 2111 + 2431;
		 * low 2692 + 2692 + 1520 + 2019 + 1520; high 3277 + 3277 +
		 * 3039 + 2458 + 3039; paid 22.06 + 16.55; adjudicated 2, 3, 6,
		 * 7, 8 (denied 3, 7, 8); minutes 60 + 45 */
		{ NULL, "G1", 7, 6, 2, 5, 1, 2, 5, 3, 2, 1,
		  12601, 10443, 15090, 3861, 2431, 105, 2 },
		/* G2 = S3 + S5, lines 9, 10, 13, 14: 2814 + 4188; 2692 + 3169;
		 * 3277 + 5358; paid 22.06 + 41.88; S3 has no minutes */
		{ NULL, "G2", 4, 4, 2, 2, 2, 2, 2, 0, 2, 0,
		  7002, 5861, 8635, 6394, 0, 60, 1 },
		/* G3 = S4, lines 11, 12 */
		{ NULL, "G3", 2, 2, 1, 2, 0, 1, 0, 0, 0, 0,
		  7002, 5861, 8635, 0, 2814, 90, 1 },
	};
	assert_int_equal(t.ngroups, 3);
	for (uint32_t i = 0; i < 3; i++)
		assert_row(&t.groups[i], &w.r.groups, &groups[i]);

	static const struct want clinicians[2] = {
		/* C1 = S1, S3, S5: lines 2-5, 9, 10, 13, 14: 2814 + 2814 +
		 * 2431 + 2814 + 4188; 2692 x 3 + 1520 + 3169; 3277 x 3 + 3039
		 * + 5358; paid 22.06 + 0 + 22.06 + 41.88; minutes 60 + 60 */
		{ NULL, "C1", 8, 7, 3, 5, 2, 2, 4, 1, 3, 1,
		  15061, 12765, 18228, 8600, 0, 120, 2 },
		/* C2 = S2, S4: lines 6-8, 11, 12: 2111 + 2431 + 2814 + 4188;
		 * 2019 + 1520 + 2692 + 3169; 2458 + 3039 + 3277 + 5358; at
		 * risk 2431 + 2814; minutes 45 + 90 */
		{ NULL, "C2", 5, 5, 2, 4, 1, 3, 3, 2, 1, 0,
		  11544, 9400, 14132, 1655, 5245, 135, 2 },
	};
	assert_int_equal(t.nclinicians, 2);
	for (uint32_t i = 0; i < 2; i++)
		assert_row(&t.clinicians[i], &w.r.clinicians, &clinicians[i]);

	/* The total: every accepted row once (13), attended 12, priced 9,
	 * 5 sessions, 255 minutes over the 4 sessions that have them;
	 * expected 4862 + 7739 + 8376 + 5628, equal to both G1 + G2 + G3
	 * and C1 + C2. */
	static const struct want total = { NULL, NULL, 13, 12, 5, 9, 3, 5, 7, 3, 4, 1,
					   26605, 22165, 32360, 10255, 5245, 255, 4 };
	assert_row(&t.total, NULL, &total);
	small_free(&w);
}

/* One quarter: only its lines and sessions, and only the groups and
 * clinicians that had one. */
static void test_one_quarter(void **state)
{
	struct small w;
	struct tally t;
	struct gr_err err;

	(void)state;
	small_load(&w);
	struct scope q2 = small_quarter("2025-05-01");
	assert_int_equal(tally_build(&t, &w.l, &q2, &w.a, &err), 0);
	assert_int_equal(t.nsummary, 2);
	assert_string_equal(strpool_str(&w.r.payers, t.summary[0].key), "COM");
	assert_string_equal(strpool_str(&w.r.payers, t.summary[1].key), "MCR");
	assert_int_equal(t.summary[1].expected, 5628);
	/* G1 had no session in Q2; G2 only S3 (lines 9, 10, no minutes). */
	assert_int_equal(t.ngroups, 2);
	static const struct want g2 = { NULL, "G2", 2, 2, 1, 2, 0, 0, 2, 0, 2, 0,
					7002, 5861, 8635, 6394, 0, 0, 0 };
	assert_row(&t.groups[0], &w.r.groups, &g2);
	assert_string_equal(strpool_str(&w.r.groups, t.groups[1].key), "G3");
	/* C1: S3; C2: S4. */
	assert_int_equal(t.nclinicians, 2);
	assert_int_equal(t.clinicians[0].expected, 7002);
	assert_int_equal(t.clinicians[1].expected, 7002);
	/* 8376 + 5628; sessions S3, S4; minutes only S4's 90. */
	static const struct want total = { NULL, NULL, 4, 4, 2, 4, 0, 1, 2, 0, 2, 0,
					   14004, 11722, 17270, 6394, 2814, 90, 1 };
	assert_row(&t.total, NULL, &total);

	/* A quarter with no line: empty tables, a zero total. */
	struct scope q3 = small_quarter("2025-08-01");
	assert_int_equal(tally_build(&t, &w.l, &q3, &w.a, &err), 0);
	assert_int_equal(t.nsummary, 0);
	assert_int_equal(t.ngroups, 0);
	assert_int_equal(t.nclinicians, 0);
	assert_int_equal(t.total.rows, 0);
	small_free(&w);
}

/* Expected by the state of the claim (paid, denied, pending, no status)
 * of row X: A, B, C, D in cents. */
static void assert_states(const struct tally_row *x, int64_t paid, int64_t denied,
			  int64_t pending, int64_t unbilled)
{
	assert_int_equal(x->by_state[TALLY_PAID], paid);
	assert_int_equal(x->by_state[TALLY_DENIED], denied);
	assert_int_equal(x->by_state[TALLY_PENDING], pending);
	assert_int_equal(x->by_state[TALLY_UNBILLED], unbilled);
}

/* The other sums of the aggregation layer: by payer, by state, by reason
 * code and rule (in scope), and by quarter and month (every line). */
static void test_payers_codes_rules(void **state)
{
	struct small w;
	struct tally t;
	struct gr_err err;
	struct scope all = { true, 0 };

	(void)state;
	small_load(&w);
	assert_int_equal(tally_build(&t, &w.l, &all, &w.a, &err), 0);

	/* By payer in first-seen order: MCR (line 2), MCD (4), XYZ (8), COM
	 * (10).  MCR = lines 2, 3, 5 (absent), 6, 9, 11, 13, 14: priced 2,
	 * 3, 6, 9, 11: 2814 x 4 + 2111; 2692 x 4 + 2019; 3277 x 4 + 2458;
	 * paid 22.06 + 0 + 16.55 + 22.06; flagged 11, 13, 14. */
	static const struct want payers[4] = {
		{ NULL, "MCR", 8, 7, 0, 5, 2, 3, 4, 1, 3, 0,
		  13367, 12787, 15566, 6067, 2814, 0, 0 },
		{ NULL, "MCD", 2, 2, 0, 2, 0, 1, 1, 1, 0, 1,
		  4862, 3040, 6078, 0, 2431, 0, 0 },
		{ NULL, "XYZ", 1, 1, 0, 0, 1, 1, 1, 1, 0, 0,
		  0, 0, 0, 0, 0, 0, 0 },
		{ NULL, "COM", 2, 2, 0, 2, 0, 0, 1, 0, 1, 0,
		  8376, 6338, 10716, 4188, 0, 0, 0 },
	};
	assert_int_equal(t.npayers, 4);
	for (uint32_t i = 0; i < 4; i++)
		assert_row(&t.payers[i], &w.r.payers, &payers[i]);
	/* MCR: paid 2, 6, 9 = 2814 + 2111 + 2814; denied 3; unbilled 11 (13
	 * and 14 are unpriced: 0).  MCD: denied 7, pending 4.  COM: paid
	 * 10, unbilled 12.  The absent line 5 is in no state. */
	assert_states(&t.payers[0], 7739, 2814, 0, 2814);
	assert_states(&t.payers[1], 0, 2431, 2431, 0);
	assert_states(&t.payers[2], 0, 0, 0, 0);
	assert_states(&t.payers[3], 4188, 0, 0, 4188);
	/* The total: paid 7739 + 4188; denied 2814 + 2431; pending 2431;
	 * unbilled 2814 + 4188: 26605 in all, the total expected. */
	assert_states(&t.total, 11927, 5245, 2431, 7002);
	/* G1 = lines 2-8: paid 2814 + 2111, denied 2814 + 2431 + 0. */
	assert_states(&t.groups[0], 4925, 5245, 2431, 0);

	/* Denied lines by reason code: line 3 has none (2814), line 7
	 * CO-50 (2431), line 8 CO-109 (unpriced: 0); one line each, so by
	 * name: "(" sorts before "C", and "CO-1" before "CO-5". */
	assert_int_equal(t.ncarcs, 3);
	assert_string_equal(t.carcs[0].name, "(no code given)");
	assert_int_equal(t.carcs[0].carc, NO_ID16);
	assert_int_equal(t.carcs[0].lines, 1);
	assert_int_equal(t.carcs[0].expected, 2814);
	assert_string_equal(t.carcs[1].name, "CO-109");
	assert_int_equal(t.carcs[1].expected, 0);
	assert_string_equal(t.carcs[2].name, "CO-50");
	assert_string_equal(strpool_str(&w.r.carcs, t.carcs[2].carc), "CO-50");
	assert_int_equal(t.carcs[2].lines, 1);
	assert_int_equal(t.carcs[2].expected, 2431);

	/* Flagged lines by rule (small.h): line 11 counts under two rules. */
	for (int k = 0; k < RULE_COUNT; k++) {
		uint64_t lines = 0;
		int64_t risk = 0;
		switch (k) {
		case RULE_MIN_MINUTES: lines = 1; risk = 2431; break; /* 7 */
		case RULE_UNKNOWN_PAYER: lines = 1; break;            /* 8 */
		case RULE_MAX_PER_DAY: lines = 1; risk = 2814; break; /* 11 */
		case RULE_CREDENTIAL: lines = 1; risk = 2814; break;  /* 11 */
		case RULE_NO_RATE: lines = 2; break;                  /* 13, 14 */
		default: break;
		}
		if (t.rules[k].lines != lines || t.rules[k].at_risk != risk)
			fail_msg("rule %s: %lu lines, %ld at risk; want %lu, %ld",
				 rules_table[k].name, (unsigned long)t.rules[k].lines,
				 (long)t.rules[k].at_risk, (unsigned long)lines, (long)risk);
	}
	small_free(&w);
}

/* Quarters and months cover the whole file whatever the scope; the
 * scoped sums (payers, codes, rules) follow the scope. */
static void test_periods(void **state)
{
	struct small w;
	struct tally t;
	struct gr_err err;
	struct scope scopes[2] = { { true, 0 }, small_quarter("2025-05-01") };

	(void)state;
	small_load(&w);
	for (int sc = 0; sc < 2; sc++) {
		assert_int_equal(tally_build(&t, &w.l, &scopes[sc], &w.a, &err), 0);
		/* Quarters with a session: 2025Q1 = S1 + S2 (= G1's row),
		 * 2025Q2 = S3 + S4 (= the Q2 total of test_one_quarter),
		 * 2026Q1 = S5; 2025Q3 and Q4 had none. */
		static const struct want q[3] = {
			{ "2025Q1", NULL, 7, 6, 2, 5, 1, 2, 5, 3, 2, 1,
			  12601, 10443, 15090, 3861, 2431, 105, 2 },
			{ "2025Q2", NULL, 4, 4, 2, 4, 0, 1, 2, 0, 2, 0,
			  14004, 11722, 17270, 6394, 2814, 90, 1 },
			{ "2026Q1", NULL, 2, 2, 1, 0, 2, 2, 0, 0, 0, 0,
			  0, 0, 0, 0, 0, 60, 1 },
		};
		assert_int_equal(t.nquarters, 3);
		for (uint32_t i = 0; i < 3; i++)
			assert_row(&t.quarters[i], NULL, &q[i]);
		assert_ptr_equal(tally_quarter(&t, t.quarters[1].quarter), &t.quarters[1]);
		assert_null(tally_quarter(&t, small_quarter("2025-08-01").quarter));
		/* Every month from February 2025 (2025 x 12 + 1) to January
		 * 2026: February holds lines 2-8 (12601; paid 38.61), April
		 * lines 9-12 (14004; paid 22.06 + 41.88), the rest nothing. */
		assert_int_equal(t.nmonths, 12);
		for (uint32_t i = 0; i < 12; i++) {
			assert_int_equal(t.months[i].month, 2025 * 12 + 1 + (int32_t)i);
			assert_int_equal(t.months[i].expected, i == 0 ? 12601 : i == 2 ? 14004 : 0);
			assert_int_equal(t.months[i].paid, i == 0 ? 3861 : i == 2 ? 6394 : 0);
		}
	}
	/* The last build was 2025Q2's: payers MCR (9, 11) and COM (10, 12)
	 * in id order, no denied line, line 11's two rules. */
	assert_int_equal(t.npayers, 2);
	assert_string_equal(strpool_str(&w.r.payers, t.payers[0].key), "MCR");
	assert_int_equal(t.payers[0].expected, 5628);
	assert_string_equal(strpool_str(&w.r.payers, t.payers[1].key), "COM");
	assert_int_equal(t.ncarcs, 0);
	assert_int_equal(t.rules[RULE_CREDENTIAL].lines, 1);
	assert_int_equal(t.rules[RULE_NO_RATE].lines, 0);
	assert_int_equal(t.rules[RULE_MIN_MINUTES].lines, 0);
	small_free(&w);
}

static void same_rows(const struct tally_row *a, const struct tally_row *b, uint32_t n)
{
	/* struct tally_row has no padding: its bytes are its figures. */
	if (n)
		assert_memory_equal(a, b, n * sizeof *a);
}

/* The demo practice (4,155 lines, cut into ranges of a thousand or more)
 * tallied on 2 to 5 threads: every row, code, rule, quarter and month the
 * same as on one thread, in every scope. */
static void test_threads_same(void **state)
{
	struct run run;
	struct gr_err err;
	struct scope scopes[] = { { true, 0 }, { false, 2025 * 4 + 3 } };

	(void)state;
	assert_int_equal(run_load(&run, "samples/attendance.csv", "rate-tables", NULL, NULL,
				  &err), 0);
	assert_true(run.roster.lines.len > 4000);
	for (size_t sc = 0; sc < sizeof scopes / sizeof scopes[0]; sc++) {
		struct tally one, many;
		assert_int_equal(tally_build(&one, &run.ledger, &scopes[sc], &run.arena, &err), 0);
		assert_true(one.nsummary > 1);
		for (unsigned th = 2; th <= 5; th++) {
			assert_int_equal(tally_build_threads(&many, &run.ledger, &scopes[sc], th,
							     &run.arena, &err), 0);
			assert_int_equal(many.nsummary, one.nsummary);
			same_rows(many.summary, one.summary, one.nsummary);
			assert_int_equal(many.ngroups, one.ngroups);
			same_rows(many.groups, one.groups, one.ngroups);
			assert_int_equal(many.nclinicians, one.nclinicians);
			same_rows(many.clinicians, one.clinicians, one.nclinicians);
			assert_int_equal(many.npayers, one.npayers);
			same_rows(many.payers, one.payers, one.npayers);
			same_rows(&many.total, &one.total, 1);
			assert_int_equal(many.nquarters, one.nquarters);
			same_rows(many.quarters, one.quarters, one.nquarters);
			assert_int_equal(many.ncarcs, one.ncarcs);
			for (uint32_t i = 0; i < one.ncarcs; i++) {
				assert_int_equal(many.carcs[i].carc, one.carcs[i].carc);
				assert_string_equal(many.carcs[i].name, one.carcs[i].name);
				assert_int_equal(many.carcs[i].lines, one.carcs[i].lines);
				assert_int_equal(many.carcs[i].expected, one.carcs[i].expected);
			}
			for (int k = 0; k < RULE_COUNT; k++) {
				assert_int_equal(many.rules[k].lines, one.rules[k].lines);
				assert_int_equal(many.rules[k].at_risk, one.rules[k].at_risk);
			}
			assert_int_equal(many.nmonths, one.nmonths);
			for (uint32_t i = 0; i < one.nmonths; i++) {
				assert_int_equal(many.months[i].month, one.months[i].month);
				assert_int_equal(many.months[i].expected, one.months[i].expected);
				assert_int_equal(many.months[i].paid, one.months[i].paid);
			}
		}
	}
	run_free(&run);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_all_quarters),
		cmocka_unit_test(test_one_quarter),
		cmocka_unit_test(test_payers_codes_rules),
		cmocka_unit_test(test_periods),
		cmocka_unit_test(test_threads_same),
	};
	return cmocka_run_group_tests_name("tally", tests, NULL, NULL);
}
