/* test_receivables.c — the receivables columns of attendance.csv, aging,
 * the key figures and the scorecard.  Every expected figure is worked out
 * by hand in the comment beside it, from the test rate table
 * tests/e2e/cases/check_group_size/rt (MCD $24.31 for any setting; MCR
 * office $28.14, LCSW at 0.75 = $21.11; COM $41.88). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "billing/ledger.h"
#include "analysis/receivables.h"
#include "core/value.h"

#define RT "tests/e2e/cases/check_group_size/rt"

struct world {
	struct arena a;
	struct rates r;
	struct roster ro;
	struct rejects rej;
	struct ledger l;
};

static int build(struct world *w, const char *csv)
{
	struct gr_err err;

	memset(w, 0, sizeof *w);
	arena_init(&w->a);
	rejects_init(&w->rej, &w->a);
	if (rates_load(&w->r, RT, &w->a, &err) ||
	    roster_load_buffer(&w->ro, "t.csv", csv, strlen(csv), &w->a, &w->rej,
			       NULL, &err) ||
	    ledger_build(&w->l, &w->ro, &w->r, 1, &w->a, &err))
		return -1;
	return 0;
}

static void done(struct world *w)
{
	ledger_free(&w->l);
	roster_free(&w->ro);
	rejects_free(&w->rej);
	arena_release(&w->a);
}

static int32_t D(const char *s)
{
	int32_t d;
	assert_null(value_date(s, &d));
	return d;
}

static const char *reason(struct world *w, size_t k)
{
	return VEC_AT(&w->rej.items, struct reject, k).reason;
}

#define HDR "session_id,date,group_id,clinician_id,member_id,payer_id,attended," \
	    "status,paid,charge,billed,paid_date,patient_paid\n"

/* Each bad value rejects its row with the column and the reason; good
 * values are kept beside the line in cents and days. */
static void test_columns(void **state)
{
	struct world w;

	(void)state;
	assert_int_equal(build(&w, HDR
		"S,2025-03-03,G,C,A,MCD,Y,paid,20.00,$60.00,2025-03-04,03/20/2025,2.5\n" /* 2 */
		"S,2025-03-03,G,C,B,MCD,Y,,,,,,\n"                              /* 3 */
		"S,2025-03-03,G,C,D,MCD,Y,,,6x,,,\n"                            /* 4 */
		"S,2025-03-03,G,C,E,MCD,Y,,,1.234,,,\n"                         /* 5 */
		"S,2025-03-03,G,C,F,MCD,Y,,,-1.00,,,\n"                         /* 6 */
		"S,2025-03-03,G,C,H,MCD,Y,,,,2025-02-29,,\n"                    /* 7 */
		"S,2025-03-03,G,C,I,MCD,Y,,,,2025-03-02,,\n"                    /* 8 */
		"S,2025-03-03,G,C,J,MCD,Y,paid,1,,,2025-03-01,\n"               /* 9 */
		"S,2025-03-03,G,C,K,MCD,Y,paid,1,,2025-03-10,2025-03-09,\n"     /* 10 */
		"S,2025-03-03,G,C,L,MCD,Y,pending,,,2025-03-10,2025-03-11,\n"   /* 11 */
		"S,2025-03-03,G,C,M,MCD,N,,,,2025-03-10,,\n"                    /* 12 */
		"S,2025-03-03,G,C,N,MCD,Y,paid,1,,,,x\n"                        /* 13 */
		"S,2025-03-03,G,C,O,MCD,Y,denied,0,,2025-03-03,2025-03-03,\n"), 0); /* 14 */
	assert_int_equal(w.ro.rows_used, 3);
	assert_int_equal(w.ro.rows_rejected, 10);
	assert_int_equal(w.rej.items.len, 10);
	static const struct { size_t line; const char *text; } want[] = {
		{ 4, "column 'charge': not an amount ('6x')" },
		{ 5, "column 'charge': more than 2 decimals ('1.234')" },
		{ 6, "column 'charge': negative amount ('-1.00')" },
		{ 7, "column 'billed': no such day in that month ('2025-02-29')" },
		{ 8, "column 'billed': 2025-03-02 is before the date of service 2025-03-03" },
		{ 9, "column 'paid_date': 2025-03-01 is before the date of service 2025-03-03" },
		{ 10, "column 'paid_date': 2025-03-09 is before the billed date 2025-03-10" },
		{ 11, "column 'paid_date': 2025-03-11 given but the status is 'pending', "
		      "not paid or denied" },
		{ 12, "marked absent (attended = N) but has a billed date: absent "
		      "members are never billed" },
		{ 13, "column 'patient_paid': not an amount ('x')" },
	};
	for (size_t k = 0; k < sizeof want / sizeof want[0]; k++) {
		assert_int_equal(VEC_AT(&w.rej.items, struct reject, k).line, want[k].line);
		assert_string_equal(reason(&w, k), want[k].text);
	}
	assert_true((w.ro.columns & COL_AR_ANY) == COL_AR_ANY);
	const struct line_ar *a = roster_line_ar(&w.ro, 0);
	assert_non_null(a);
	assert_int_equal(a->charge, 6000);
	assert_int_equal(a->billed, D("2025-03-04"));
	assert_int_equal(a->paid_date, D("2025-03-20"));
	assert_int_equal(a->patient_paid, 250);
	a = roster_line_ar(&w.ro, 1); /* all empty */
	assert_int_equal(a->charge, AR_NONE);
	assert_int_equal(a->billed, AR_NONE);
	assert_int_equal(a->paid_date, AR_NONE);
	assert_int_equal(a->patient_paid, AR_NONE);
	a = roster_line_ar(&w.ro, 2); /* denied, billed and posted on its day */
	assert_int_equal(a->billed, D("2025-03-03"));
	assert_int_equal(a->paid_date, D("2025-03-03"));
	done(&w);

	/* Without the columns nothing is stored beside the lines. */
	assert_int_equal(build(&w, "session_id,date,group_id,clinician_id,member_id,"
			 "payer_id,attended\nS,2025-03-03,G,C,A,MCD,Y\n"), 0);
	assert_null(roster_line_ar(&w.ro, 0));
	assert_int_equal(w.ro.columns & COL_AR_ANY, 0);
	done(&w);
}

static void test_buckets(void **state)
{
	(void)state;
	/* receivables.md: day 30 is in 0-30, day 31 in 31-60, and so on. */
	static const struct { int32_t days; int b; } edges[] = {
		{ 0, 0 }, { 30, 0 }, { 31, 1 }, { 60, 1 }, { 61, 2 }, { 90, 2 },
		{ 91, 3 }, { 120, 3 }, { 121, 4 }, { 4000, 4 },
	};
	for (size_t i = 0; i < sizeof edges / sizeof edges[0]; i++)
		assert_int_equal(ar_bucket(edges[i].days), edges[i].b);
	assert_string_equal(ar_bucket_names[0], "0-30");
	assert_string_equal(ar_bucket_names[4], "121+");
}

static const struct ar_row *row_of(const struct aging *ag, enum ar_kind kind,
				   const struct roster *r, const char *payer)
{
	for (size_t i = 0; i < ag->nrows; i++)
		if (ag->rows[i].kind == kind &&
		    (kind == AR_KIND_PATIENT ||
		     !strcmp(strpool_str(&r->payers, ag->rows[i].payer), payer)))
			return &ag->rows[i];
	fail_msg("no %d row for %s", kind, payer ? payer : "patients");
	return NULL;
}

static void assert_buckets(const struct ar_row *x, int64_t b0, int64_t b1,
			   int64_t b2, int64_t b3, int64_t b4)
{
	int64_t want[AR_BUCKETS] = { b0, b1, b2, b3, b4 };
	int64_t sum = 0;
	for (int b = 0; b < AR_BUCKETS; b++) {
		assert_int_equal(x->bucket[b], want[b]);
		sum += want[b];
	}
	assert_int_equal(x->total, sum);
}

/* Open lines aged from the date of service, as of 2025-06-30, one at each
 * bucket edge.  Days back from 2025-06-30: 30 = 05-31, 31 = 05-30, 60 =
 * 05-01, 61 = 04-30, 90 = 04-01, 91 = 03-31, 120 = 03-02, 121 = 03-01
 * (June 30 days, May 31, April 30).  MCD $24.31, COM $41.88 a line. */
static void test_aging_edges(void **state)
{
	struct world w;
	struct aging ag;
	struct gr_err err;

	(void)state;
	assert_int_equal(build(&w,
		"session_id,date,group_id,clinician_id,member_id,payer_id,attended\n"
		"D0,2025-06-30,G,C,A,MCD,Y\n"
		"D30,2025-05-31,G,C,A,COM,Y\n"
		"D31,2025-05-30,G,C,A,MCD,Y\n"
		"D60,2025-05-01,G,C,A,MCD,Y\n"
		"D61,2025-04-30,G,C,A,COM,Y\n"
		"D90,2025-04-01,G,C,A,MCD,Y\n"
		"D91,2025-03-31,G,C,A,MCD,Y\n"
		"D120,2025-03-02,G,C,A,COM,Y\n"
		"D121,2025-03-01,G,C,A,MCD,Y\n"
		"LATE,2025-07-01,G,C,A,MCD,Y\n"   /* after the as-of date */
		"ABS,2025-06-01,G,C,B,MCD,N\n"), 0); /* absent: never billed */
	assert_int_equal(ar_aging(&w.l, D("2025-06-30"), AR_BASIS_SERVICE, &w.a, &ag,
				  &err), 0);
	assert_int_equal(ag.nrows, 2);
	const struct ar_row *mcd = row_of(&ag, AR_KIND_PAYER, &w.ro, "MCD");
	const struct ar_row *com = row_of(&ag, AR_KIND_PAYER, &w.ro, "COM");
	/* MCD: day 0; days 31 and 60; day 90; day 91; day 121. */
	assert_buckets(mcd, 2431, 4862, 2431, 2431, 2431);
	assert_int_equal(mcd->total, 14586); /* 6 x 24.31 */
	assert_int_equal(mcd->lines, 6);
	/* COM: day 30; day 61; day 120. */
	assert_buckets(com, 4188, 0, 4188, 4188, 0);
	assert_int_equal(ag.balance, 14586 + 12564);  /* $271.50 */
	assert_int_equal(ag.over_90, 2431 * 2 + 4188); /* days 91, 121, 120 */
	assert_int_equal(ag.unbilled_lines, 0);
	/* One day later the day-0 line is 1 day old and LATE is day 0. */
	assert_int_equal(ar_aging(&w.l, D("2025-07-01"), AR_BASIS_SERVICE, &w.a, &ag,
				  &err), 0);
	mcd = row_of(&ag, AR_KIND_PAYER, &w.ro, "MCD");
	/* 0-30: 07-01, 06-30; 31-60: 05-31(COM), so MCD 05-30 (32) and
	 * 05-01 (61 -> 61-90); 04-01 is 91; 03-31 is 92; 03-01 is 122. */
	assert_buckets(mcd, 4862, 2431, 2431, 4862, 2431);
	done(&w);
}

/* Billed dates, payment dates and what patients paid, as of 2025-06-30:
 *   L1 MCD paid 20.00 on 06-20, patient paid 1.00: patient owes
 *      24.31 - 20.00 - 1.00 = 3.31 (service day 29, billed day 25);
 *   L2 MCD paid, but posted 07-10, after the as-of date: still open,
 *      24.31 (service day 121, billed 04-15: day 76);
 *   L3 not billed; L4 billed 07-02, after: both work in progress;
 *   L5 COM denied, posted 05-01: denied apart, 41.88 (days 90 / 89);
 *   L6 COM denied but posted 07-05: open for the payer, 41.88;
 *   L7 MCD paid 14.31, nothing from the patient: owes 10.00 (day 0). */
static void test_aging_billed(void **state)
{
	struct world w;
	struct aging ag;
	struct gr_err err;

	(void)state;
	assert_int_equal(build(&w, HDR
		"S1,2025-06-01,G,C,A,MCD,Y,paid,20.00,,2025-06-05,2025-06-20,1.00\n"
		"S2,2025-03-01,G,C,A,MCD,Y,paid,20.00,,2025-04-15,2025-07-10,\n"
		"S3,2025-05-01,G,C,A,MCD,Y,,,,,,\n"
		"S3,2025-05-01,G,C,B,MCD,Y,pending,,,2025-07-02,,\n"
		"S5,2025-04-01,G,C,A,COM,Y,denied,0,,2025-04-02,2025-05-01,\n"
		"S5,2025-04-01,G,C,B,COM,Y,denied,0,,2025-04-02,2025-07-05,\n"
		"S7,2025-06-30,G,C,A,MCD,Y,paid,14.31,,2025-06-30,2025-06-30,\n"), 0);
	assert_int_equal(w.ro.rows_rejected, 0);
	assert_int_equal(ar_aging(&w.l, D("2025-06-30"), AR_BASIS_SERVICE, &w.a, &ag,
				  &err), 0);
	assert_int_equal(ag.nrows, 4); /* MCD, COM, patients, COM denied */
	assert_int_equal(ag.rows[0].kind, AR_KIND_PAYER);
	assert_int_equal(ag.rows[2].kind, AR_KIND_PATIENT);
	assert_int_equal(ag.rows[3].kind, AR_KIND_DENIED);
	assert_buckets(row_of(&ag, AR_KIND_PAYER, &w.ro, "MCD"), 0, 0, 0, 0, 2431);
	assert_buckets(row_of(&ag, AR_KIND_PAYER, &w.ro, "COM"), 0, 0, 4188, 0, 0);
	assert_buckets(row_of(&ag, AR_KIND_PATIENT, &w.ro, NULL), 1331, 0, 0, 0, 0);
	assert_int_equal(row_of(&ag, AR_KIND_PATIENT, &w.ro, NULL)->lines, 2);
	assert_buckets(row_of(&ag, AR_KIND_DENIED, &w.ro, "COM"), 0, 0, 4188, 0, 0);
	assert_int_equal(ag.balance, 2431 + 4188 + 1331); /* $79.50; denied apart */
	assert_int_equal(ag.over_90, 2431);
	assert_int_equal(ag.unbilled_lines, 2);
	assert_int_equal(ag.unbilled, 2 * 2431);
	/* From the billed date: L2 is 76 days old, L5 and L6 89. */
	assert_int_equal(ar_aging(&w.l, D("2025-06-30"), AR_BASIS_BILLED, &w.a, &ag,
				  &err), 0);
	assert_buckets(row_of(&ag, AR_KIND_PAYER, &w.ro, "MCD"), 0, 0, 2431, 0, 0);
	assert_buckets(row_of(&ag, AR_KIND_PAYER, &w.ro, "COM"), 0, 0, 4188, 0, 0);
	assert_buckets(row_of(&ag, AR_KIND_PATIENT, &w.ro, NULL), 1331, 0, 0, 0, 0);
	assert_buckets(row_of(&ag, AR_KIND_DENIED, &w.ro, "COM"), 0, 0, 4188, 0, 0);
	assert_int_equal(ag.balance, 7950);
	/* The default as-of date is the latest date given: L2's payment. */
	struct scope all = { true, 0 };
	assert_int_equal(ar_default_as_of(&w.l, &all), D("2025-07-10"));
	/* With --quarter 2025Q2, the latest date of its lines: L7's service
	 * and payment on 06-30, L6's posting on 07-05 (L2 is of Q1, L4's
	 * billed 07-02 is earlier). */
	struct scope q2 = { false, 2025 * 4 + 1 }, q1 = { false, 2025 * 4 };
	assert_int_equal(ar_default_as_of(&w.l, &q2), D("2025-07-05"));
	assert_int_equal(ar_default_as_of(&w.l, &q1), D("2025-07-10"));
	done(&w);
}

/* The key figures of 2025Q2 as of 2025-06-30, all COM ($41.88 a line):
 *   S0 03-15 (Q1): e1 open (day 107); e2 paid 35.00 on 04-20, patient 6.88
 *   S1 04-10: a1 paid 35.00 on 05-10 (billed 04-11), patient paid 6.88;
 *             a2 denied, posted 05-01
 *   S2 05-20: b1 paid 30.00 on 06-15 (billed 05-21), patient owes 11.88;
 *             b2 pending (day 41)
 *   S3 06-20: c1 open, alone in its session: flagged (COM minimum 2)
 *   S4 06-25: d1 not billed, no charge (charge = expected 41.88);
 *             d2 paid 41.88 on 06-29 (billed 06-26)
 * Charges $60.00 but d1. */
#define KPI_CASE HDR \
	"S0,2025-03-15,G,C,E1,COM,Y,,,60.00,2025-03-16,,\n" \
	"S0,2025-03-15,G,C,E2,COM,Y,paid,35.00,60.00,2025-03-16,2025-04-20,6.88\n" \
	"S1,2025-04-10,G,C,A1,COM,Y,paid,35.00,60.00,2025-04-11,2025-05-10,6.88\n" \
	"S1,2025-04-10,G,C,A2,COM,Y,denied,0,60.00,2025-04-11,2025-05-01,\n" \
	"S2,2025-05-20,G,C,B1,COM,Y,paid,30.00,60.00,2025-05-21,2025-06-15,\n" \
	"S2,2025-05-20,G,C,B2,COM,Y,pending,,60.00,2025-05-21,,\n" \
	"S3,2025-06-20,G,C,C1,COM,Y,,,60.00,2025-06-21,,\n" \
	"S4,2025-06-25,G,C,D1,COM,Y,,,,,,\n" \
	"S4,2025-06-25,G,C,D2,COM,Y,paid,41.88,60.00,2025-06-26,2025-06-29,0\n"

static void test_kpis(void **state)
{
	struct world w;
	struct kpi_set k;
	struct aging ag;
	struct gr_err err;
	struct scope all = { true, 0 };

	(void)state;
	assert_int_equal(build(&w, KPI_CASE), 0);
	assert_int_equal(w.ro.rows_rejected, 0);
	int32_t q = ar_focus_quarter(&w.ro, &all);
	char qs[16];
	value_format_quarter(q, qs);
	assert_string_equal(qs, "2025Q2");
	assert_int_equal(ar_kpis(&w.l, q, D("2025-06-30"), &k, &err), 0);
	const struct kpi_value *v = k.v;
	/* Outstanding: b1's patient 11.88 + b2 + c1 + e1 = 137.52.  Charges
	 * dated 04-02 .. 06-30: 6 x 60.00 + d1's 41.88 = 401.88.
	 * 137.52 / (401.88 / 90) = 30.7973. */
	assert_int_equal(v[KPI_DAYS_IN_AR].num, 13752);
	assert_int_equal(v[KPI_DAYS_IN_AR].den, 40188);
	assert_close(v[KPI_DAYS_IN_AR].value, 137.52 * 90 / 401.88, 1e-12);
	assert_close(v[KPI_DAYS_IN_AR].value, 30.7973, 1e-5);
	/* Adjudicated Q2 lines a1, a2, b1, d2: received 41.88 + 0 + 30.00 +
	 * 41.88 = 113.76 over charges 240.00; billed lines' charges 360.00. */
	assert_int_equal(v[KPI_NET_COLLECTION].num, 11376);
	assert_int_equal(v[KPI_NET_COLLECTION].den, 24000);
	assert_close(v[KPI_NET_COLLECTION].value, 0.474, 1e-12);
	assert_int_equal(v[KPI_GROSS_COLLECTION].num, 11376);
	assert_int_equal(v[KPI_GROSS_COLLECTION].den, 36000);
	assert_close(v[KPI_GROSS_COLLECTION].value, 0.316, 1e-12);
	/* 1 of 4 adjudicated denied; 5 of 6 billed clean (c1 flagged). */
	assert_int_equal(v[KPI_FIRST_PASS_DENIAL].num, 1);
	assert_int_equal(v[KPI_FIRST_PASS_DENIAL].den, 4);
	assert_int_equal(v[KPI_CLEAN_CLAIM].num, 5);
	assert_int_equal(v[KPI_CLEAN_CLAIM].den, 6);
	/* Over 90 days: e1 alone, 41.88 of 137.52. */
	assert_int_equal(v[KPI_AR_OVER_90].num, 4188);
	assert_int_equal(v[KPI_AR_OVER_90].den, 13752);
	/* Days to pay a1 30, b1 26, d2 4 -> 26; from billing 29, 25, 3 -> 25. */
	assert_int_equal(v[KPI_MEDIAN_DAYS_TO_PAY].den, 3);
	assert_close(v[KPI_MEDIAN_DAYS_TO_PAY].value, 26, 0);
	assert_close(v[KPI_MEDIAN_BILLED_TO_PAY].value, 25, 0);
	/* The aging of the same day has the same balance, to the cent. */
	assert_int_equal(ar_aging(&w.l, D("2025-06-30"), AR_BASIS_SERVICE, &w.a, &ag,
				  &err), 0);
	assert_int_equal(ag.balance, v[KPI_DAYS_IN_AR].num);

	/* The quarter before, as of its last day 2025-03-31: e2's payment
	 * (04-20) had not come, so e1 and e2 are open: 83.76 over charges of
	 * 120.00 in 90 days -> 62.82 days; nothing adjudicated. */
	int32_t pa = ar_previous_as_of(q, D("2025-06-30"));
	assert_int_equal(pa, D("2025-03-31"));
	assert_int_equal(ar_previous_as_of(q, D("2025-03-20")), D("2025-03-20"));
	assert_int_equal(ar_kpis(&w.l, q - 1, pa, &k, &err), 0);
	assert_int_equal(v[KPI_DAYS_IN_AR].num, 8376);
	assert_int_equal(v[KPI_DAYS_IN_AR].den, 12000);
	assert_close(v[KPI_DAYS_IN_AR].value, 62.82, 1e-9);
	assert_false(v[KPI_NET_COLLECTION].defined);
	assert_false(v[KPI_FIRST_PASS_DENIAL].defined);
	assert_false(v[KPI_MEDIAN_DAYS_TO_PAY].defined);
	assert_int_equal(v[KPI_GROSS_COLLECTION].num, 0);
	assert_int_equal(v[KPI_GROSS_COLLECTION].den, 12000);
	assert_int_equal(v[KPI_CLEAN_CLAIM].num, 2);
	assert_int_equal(v[KPI_AR_OVER_90].num, 0);
	done(&w);
}

/* The scorecard of KPI_CASE, every quarter, as of 2025-06-30: 8 billed
 * lines (d1 is not), adjudicated a1 a2 b1 d2 e2, paid 35 + 0 + 30 +
 * 41.88 + 35 = 141.88; patient shares 6.88 + 11.88 + 0 + 6.88 = 25.64;
 * patients paid 13.76. */
static void test_scorecard(void **state)
{
	struct world w;
	struct scorecard sc;
	struct gr_err err;
	struct scope all = { true, 0 };

	(void)state;
	assert_int_equal(build(&w, KPI_CASE), 0);
	assert_int_equal(ar_scorecard(&w.l, &all, D("2025-06-30"), &w.a, &sc, &err), 0);
	assert_int_equal(sc.nrows, 2);
	assert_int_equal(sc.npayers, 1);
	for (size_t i = 0; i < 2; i++) {
		const struct ar_score *x = &sc.rows[i];
		assert_int_equal(x->by_code, i == 1);
		assert_int_equal(x->rank, 1);
		assert_int_equal(x->addon, NO_ID8);
		assert_int_equal(x->lines, 8);
		assert_int_equal(x->priced, 8);
		assert_int_equal(x->expected, 8 * 4188);
		assert_int_equal(x->adjudicated, 5);
		assert_int_equal(x->denied, 1);
		assert_int_equal(x->paid, 14188);
		assert_int_equal(x->patient_resp, 2564);
		assert_int_equal(x->allowed, 14188 + 2564);
		assert_int_equal(x->patient_paid, 1376);
		assert_int_equal(x->adj_expected, 5 * 4188);
		/* Wilson 95% for 1 of 5: 0.0362 to 0.6245 (Newcombe 1998,
		 * table I, example 1/5... computed: centre (0.2 + 1.9208/5) /
		 * 1.7683, half-width 1.96 sqrt(0.032 + 0.0384) / 1.7683). */
		assert_close(x->denial_lo, 0.036224, 1e-4);
		assert_close(x->denial_hi, 0.624464, 1e-4);
		/* Days to pay 4, 26, 30, 36 (e2: 03-15 to 04-20). */
		assert_close(x->median_days, 28, 0);
		assert_int_equal(x->timed, 4);
	}
	done(&w);
}

/* ar_build on 2 to 4 threads adds up ranges of the lines: every figure
 * must be bit for bit the one of a single pass (the reference is the
 * one-thread run; the single-pass figures themselves are worked by hand in
 * the tests above).  40,000 lines of three payers over two quarters, with
 * every status, payment dates, patient payments and charges, so that each
 * aging bucket, key figure and scorecard row (payer and payer x code) has
 * lines from several ranges. */
static void test_threads_same(void **state)
{
	static const char *const payers[] = { "MCD", "MCR", "COM", "XYZ" };
	static const char *const statuses[] = { "paid", "denied", "pending", "" };
	size_t cap = 48000 * 96, n = 0;
	char *csv = malloc(cap);
	struct world w;
	struct gr_err err;
	struct scope all = { true, 0 };

	(void)state;
	assert_non_null(csv);
	n += (size_t)snprintf(csv + n, cap - n, "%s", HDR);
	for (unsigned i = 0; i < 40000; i++) {
		/* Independent choices from the bits of a multiplicative hash. */
		unsigned x = i * 2654435761u;
		unsigned day = i / 400, month = 4 + day / 28, dom = 1 + day % 28;
		const char *st = statuses[(x >> 8) % 4];
		bool settled = !strcmp(st, "paid") || !strcmp(st, "denied");
		char pay[16] = "", paid[16] = "", billed[16] = "", pp[16] = "", charge[16] = "";
		if (settled) {
			snprintf(pay, sizeof pay, "2025-%02u-%02u", month + 1 + (x >> 12) % 3, dom);
			snprintf(paid, sizeof paid, "%u.%02u", 10 + (x >> 14) % 20, (x >> 20) % 100);
		}
		if ((x >> 16) % 5)
			snprintf(billed, sizeof billed, "2025-%02u-%02u", month, dom);
		if (settled && (x >> 18) % 3 == 0)
			snprintf(pp, sizeof pp, "%u.%02u", 1 + (x >> 22) % 6, (x >> 10) % 100);
		if ((x >> 24) % 11)
			snprintf(charge, sizeof charge, "%u.00", 60 + (x >> 26) % 4);
		n += (size_t)snprintf(csv + n, cap - n,
				      "S%u,2025-%02u-%02u,G%u,C,M%u,%s,Y,%s,%s,%s,%s,%s,%s\n",
				      i / 8, month, dom, (i / 8) % 3, i, payers[(x >> 4) % 4], st,
				      strcmp(st, "pending") ? paid : "", charge, billed, pay, pp);
	}
	assert_int_equal(build(&w, csv), 0);
	free(csv);
	if (w.ro.rows_rejected)
		fail_msg("%s", reason(&w, 0));
	int32_t as_of = D("2025-08-15");
	struct ar_result one, many;
	assert_int_equal(ar_build(&w.l, &all, as_of, AR_BASIS_SERVICE, 1, &w.a, &one, &err), 0);
	assert_true(one.aging.nrows > 4);
	assert_true(one.score.nrows > 4);
	assert_true(one.cur.v[KPI_MEDIAN_DAYS_TO_PAY].defined);
	for (unsigned t = 2; t <= 4; t++) {
		assert_int_equal(ar_build(&w.l, &all, as_of, AR_BASIS_SERVICE, t, &w.a, &many,
					  &err), 0);
		assert_int_equal(many.aging.nrows, one.aging.nrows);
		assert_memory_equal(many.aging.rows, one.aging.rows,
				    one.aging.nrows * sizeof *one.aging.rows);
		assert_int_equal(many.aging.balance, one.aging.balance);
		assert_int_equal(many.aging.over_90, one.aging.over_90);
		assert_int_equal(many.aging.unbilled_lines, one.aging.unbilled_lines);
		assert_int_equal(many.aging.unbilled, one.aging.unbilled);
		assert_memory_equal(&many.cur, &one.cur, sizeof one.cur);
		assert_memory_equal(&many.prev, &one.prev, sizeof one.prev);
		assert_int_equal(many.score.nrows, one.score.nrows);
		assert_int_equal(many.score.npayers, one.score.npayers);
		assert_memory_equal(many.score.rows, one.score.rows,
				    one.score.nrows * sizeof *one.score.rows);
	}
	done(&w);
}

/* A file whose every row is rejected: no quarter, nothing owed, every
 * rate undefined (empty in kpi.csv, n/a on the page), nothing ranked. */
static void test_no_lines(void **state)
{
	struct world w;
	struct ar_result ar;
	struct gr_err err;
	struct scope all = { true, 0 }, q3 = { false, 2025 * 4 + 2 };

	(void)state;
	assert_int_equal(build(&w, HDR "S,2025-02-30,G,C,A,MCD,Y,,,,,,\n"), 0);
	assert_int_equal(w.ro.rows_rejected, 1);
	assert_int_equal(ar_default_as_of(&w.l, &all), 0);
	assert_int_equal(ar_build(&w.l, &all, 0, AR_BASIS_SERVICE, 1, &w.a, &ar, &err), 0);
	assert_true(ar.cur.no_lines);
	assert_int_equal(ar.aging.nrows, 1); /* the patients' row, at zero */
	assert_int_equal(ar.aging.rows[0].kind, AR_KIND_PATIENT);
	assert_int_equal(ar.aging.balance, 0);
	for (int k = 0; k < KPI_COUNT; k++)
		assert_false(ar.cur.v[k].defined);
	assert_int_equal(ar.score.nrows, 0);
	/* --quarter picks the focus quarter whatever the file holds. */
	assert_int_equal(ar_focus_quarter(&w.ro, &q3), 2025 * 4 + 2);
	done(&w);
}

/* With a billed column, an empty cell is work not billed yet — but a line
 * the payer already paid or denied was billed: on its date of service,
 * for want of the day.  As of 2025-06-30, MCD $24.31 a line. */
static void test_billed_empty(void **state)
{
	struct world w;
	struct aging ag;
	struct kpi_set k;
	struct gr_err err;

	(void)state;
	assert_int_equal(build(&w, HDR
		"S1,2025-06-01,G,C,A,MCD,Y,paid,20.00,,,2025-06-20,\n"   /* paid */
		"S1,2025-06-01,G,C,B,MCD,Y,denied,0,,,2025-06-21,\n"     /* denied */
		"S1,2025-06-01,G,C,D,MCD,Y,pending,,,,,\n"               /* not billed */
		"S1,2025-06-01,G,C,E,MCD,Y,,,,2025-06-02,,\n"), 0);      /* open */
	assert_int_equal(ar_aging(&w.l, D("2025-06-30"), AR_BASIS_SERVICE, &w.a, &ag,
				  &err), 0);
	assert_int_equal(ag.unbilled_lines, 1);
	assert_int_equal(ag.unbilled, 2431);
	assert_buckets(row_of(&ag, AR_KIND_PAYER, &w.ro, "MCD"), 2431, 0, 0, 0, 0);
	assert_buckets(row_of(&ag, AR_KIND_DENIED, &w.ro, "MCD"), 2431, 0, 0, 0, 0);
	/* The patient owes 24.31 - 20.00 = 4.31 (patient_paid empty). */
	assert_buckets(row_of(&ag, AR_KIND_PATIENT, &w.ro, NULL), 431, 0, 0, 0, 0);
	assert_int_equal(ar_kpis(&w.l, 2025 * 4 + 1, D("2025-06-30"), &k, &err), 0);
	assert_int_equal(k.v[KPI_CLEAN_CLAIM].den, 3);       /* A, B, E billed */
	assert_int_equal(k.v[KPI_FIRST_PASS_DENIAL].den, 2); /* A, B */
	assert_close(k.v[KPI_MEDIAN_DAYS_TO_PAY].value, 19, 0); /* 06-01 -> 06-20 */
	assert_false(k.v[KPI_MEDIAN_BILLED_TO_PAY].defined); /* no billed day */
	done(&w);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
		cmocka_unit_test(test_buckets),
		cmocka_unit_test(test_aging_edges),
		cmocka_unit_test(test_aging_billed),
		cmocka_unit_test(test_kpis),
		cmocka_unit_test(test_scorecard),
		cmocka_unit_test(test_no_lines),
		cmocka_unit_test(test_threads_same),
		cmocka_unit_test(test_billed_empty),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
