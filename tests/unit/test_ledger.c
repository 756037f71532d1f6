/* test_ledger.c — pricing and the rule table.  Prices worked by hand from
 * the test rate table (tests/unit/fixtures/rt: MCR office
 * $28.14 with LCSW at 0.75; MCD $24.31; MCR 90785 has no rate). */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "billing/ledger.h"
#include "billing/rules.h"

#define RT "tests/unit/fixtures/rt"

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
	    roster_load_buffer(&w->ro, "t.csv", csv, strlen(csv), &w->a, &w->rej, NULL, &err) ||
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

static const struct line *L(struct world *w, size_t i)
{
	return roster_line(&w->ro, i);
}

static void test_pricing(void **state)
{
	struct world w;

	(void)state;
	assert_int_equal(build(&w,
		"session_id,date,group_id,clinician_id,credential,member_id,payer_id,attended,addon,pos\n"
		"S,2025-05-05,G,C,LCSW,A,MCR,Y,,11\n"     /* 0.75 x 28.14 = 21.105 -> 21.11 */
		"S,2025-05-05,G,C,LCSW,B,MCD,Y,,11\n"     /* MCD has no share: 24.31 */
		"S,2025-05-05,G,C,LCSW,C,MCR,N,,11\n"     /* absent: never priced */
		"S,2025-05-05,G,C,LCSW,D,XYZ,Y,,11\n"     /* unknown payer */
		"S,2025-05-05,G,C,LCSW,E,MCR,Y,90785,11\n" /* 90785 has no rate */
		"T,2026-02-02,G,C,PhD,A,MCR,Y,,53\n"      /* MCR ends 2025: no rate */
		"T,2026-02-02,G,C,PhD,B,MCR,Y,,53\n"), 0);
	struct line_price pr;
	ledger_price(&w.l, L(&w, 0), &pr);
	assert_int_equal(pr.expected, 2111);
	assert_int_equal(pr.low, 2019);  /* 26.92 x 0.75 = 20.19 */
	assert_int_equal(pr.high, 2458); /* 32.77 x 0.75 = 24.5775 */
	assert_true(L(&w, 0)->flags & LINE_PRICED);
	assert_int_equal(ledger_expected(&w.l, L(&w, 1)), 2431);
	assert_int_equal(ledger_expected(&w.l, L(&w, 2)), 0);
	assert_false(L(&w, 2)->flags & LINE_PRICED);
	assert_int_equal(L(&w, 2)->issues, 0);
	assert_false(L(&w, 3)->flags & LINE_PRICED);
	assert_int_equal(L(&w, 3)->issues, 1u << RULE_UNKNOWN_PAYER);
	assert_true(L(&w, 4)->flags & LINE_PRICED);
	assert_int_equal(ledger_expected(&w.l, L(&w, 4)), 2111);
	assert_true(L(&w, 4)->issues & (1u << RULE_NO_RATE));
	assert_false(L(&w, 5)->flags & LINE_PRICED);
	assert_true(L(&w, 5)->issues & (1u << RULE_NO_RATE));
	/* Session S: 4 attended; MCR's maximum is 4, MCD's minimum 3: no
	 * size flag.  The file has no note, diagnosis, modality, modifiers or
	 * auth column: those rules are not run, and say so. */
	assert_false(L(&w, 0)->issues & (1u << RULE_MAX_GROUP));
	assert_true(w.l.unchecked & (1u << RULE_NOTE));
	assert_true(w.l.unchecked & (1u << RULE_DIAGNOSIS));
	assert_true(w.l.unchecked & (1u << RULE_TELEHEALTH_MODIFIER));
	assert_false(w.l.unchecked & (1u << RULE_CREDENTIAL));
	assert_false(L(&w, 1)->issues & (1u << RULE_NOTE));
	done(&w);
}

/* The table: every rule id of inputs.md "Rule ids", in bit order, with a
 * reason code of the form GROUP-CODE and a reason. */
static void test_rule_table(void **state)
{
	static const char *const ids[RULE_COUNT] = {
		"unknown_payer", "no_rate", "min_group", "max_group", "min_minutes",
		"require_hq", "telehealth_modifier", "telehealth_not_covered",
		"audio_only_modifier", "audio_only_not_covered", "max_per_week",
		"max_per_day", "credential", "diagnosis", "note", "auth",
		"not_psychotherapy",
	};
	char buf[400];

	(void)state;
	for (int i = 0; i < RULE_COUNT; i++) {
		const struct rule *r = &rules_table[i];
		assert_int_equal(r->id, i);
		assert_string_equal(r->name, ids[i]);
		assert_ptr_equal(rules_by_name(ids[i]), r);
		assert_true(strlen(r->carc) >= 4 && r->carc[2] == '-' &&
			    (!strncmp(r->carc, "CO", 2) || !strncmp(r->carc, "PR", 2)));
		assert_true(r->reason && *r->reason && r->check);
	}
	assert_null(rules_by_name("nope"));
	rules_format_ids((1u << RULE_MIN_GROUP) | (1u << RULE_NOTE), buf, sizeof buf);
	assert_string_equal(buf, "min_group;note");
	rules_format_ids(0, buf, sizeof buf);
	assert_string_equal(buf, "");
	/* Whole names only. */
	assert_true(rules_not_psychotherapy("psychoeducation"));
	assert_true(rules_not_psychotherapy(" Support Group "));
	assert_true(rules_not_psychotherapy("Psychoeducation for families"));
	assert_false(rules_not_psychotherapy("social anxiety"));
	assert_false(rules_not_psychotherapy("supportive psychotherapy"));
	assert_false(rules_not_psychotherapy("DBT skills"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_pricing),
		cmocka_unit_test(test_rule_table),
	};
	return cmocka_run_group_tests_name("ledger", tests, NULL, NULL);
}
