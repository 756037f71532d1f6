/* test_match.c — remittance lines to attendance lines: the order of the
 * rules, a member's two sessions of one day, add-ons, secondary payments,
 * what is written into the lines.  Inputs are written here; the expected
 * matches and cents are worked out in the comments. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "billing/match.h"
#include "model/rejects.h"

#define ISA "ISA*00*          *00*          *ZZ*A              *ZZ*B              *250801*0930*^*00501*000000007*0*P*:~" \
	"GS*HP*A*B*20250801*0930*7*X*005010X221A1~"

struct fx {
	struct arena a;
	struct roster r;
	struct rejects rej;
	struct remit rm;
	struct match m;
};

static struct fx *setup_fx(const char *att, const char *era)
{
	struct fx *f = calloc(1, sizeof *f);
	struct gr_err err;
	arena_init(&f->a);
	rejects_init(&f->rej, &f->a);
	if (roster_load_buffer(&f->r, "att.csv", att, strlen(att), &f->a, &f->rej, NULL,
			       &err) != 0)
		fail_msg("roster: %s", err.msg);
	remit_init(&f->rm, &f->a);
	if (remit_read_buffer(&f->rm, "m.835", era, strlen(era), &err) != 0 ||
	    remit_settle(&f->rm, &err) != 0)
		fail_msg("remit: %s", err.msg);
	if (match_run(&f->m, &f->rm, &f->r, NULL, &f->a, &err) != 0 ||
	    match_apply(&f->m, &f->r, &err) != 0)
		fail_msg("match: %s", err.msg);
	return f;
}

static void drop(struct fx *f)
{
	match_free(&f->m);
	remit_free(&f->rm);
	roster_free(&f->r);
	rejects_free(&f->rej);
	arena_release(&f->a);
	free(f);
}

/* Attendance lines (physical lines 2..6):
 *   2 S1 M1 2025-07-07 claim_id C1, line_ref L1
 *   3 S1 M2 2025-07-07 claim_id C2
 *   4 S2 M1 2025-07-07 (a second group the same day)
 *   5 S1 M3 2025-07-07 status paid, paid 10.00
 *   6 S2 M4 2025-07-07 addon 90785 */
static const char att[] =
	"session_id,date,group_id,clinician_id,member_id,payer_id,attended,addon,status,paid,claim_id,line_ref\n"
	"S1,2025-07-07,G1,C1,M1,P,Y,,,,C1,L1\n"
	"S1,2025-07-07,G1,C1,M2,P,Y,,,,C2,\n"
	"S2,2025-07-07,G2,C1,M1,P,Y,,,,,\n"
	"S1,2025-07-07,G1,C1,M3,P,Y,,paid,10.00,,\n"
	"S2,2025-07-07,G2,C1,M4,P,Y,90785,,,,\n";

static void test_rules(void **state)
{
	/* Claims, in order:
	 * X1: REF*6R L1 but CLP01 C2: rule 1 wins -> line 2.
	 * C2: claim_id + date -> line 3.
	 * X3 and X4: both M1 on 2025-07-07, no other key: rule 3; the first
	 *   takes line 2? No: line 2 is taken by claim X1, so X3 -> line 4,
	 *   and X4 (a third claim) finds both taken -> the first, line 2.
	 * X5: M3, paid 0 with PR 20.00: status patient -> line 5, where the
	 *   attendance said paid 10.00: a paid conflict, not a status one.
	 * X6: M4, 90853 paid 30.00 + 90785 paid 5.00 -> line 6 paid 35.00.
	 * X6 again as secondary (CLP02 2): 7.00 more -> 42.00. */
	const char *era = ISA
		"ST*835*1~BPR*I*110*C*NON************20250801~TRN*1*T1*9~"
		"CLP*X1*1*50*40~NM1*QC*1*A*B****MI*M9~SVC*HC:90853*50*40**1~DTM*472*20250707~CAS*CO*45*10~REF*6R*L1~"
		"CLP*C2*4*50*0~NM1*QC*1*A*B****MI*M9~SVC*HC:90853*50*0**1~DTM*472*20250707~CAS*CO*50*50~"
		"CLP*X3*1*50*20~NM1*QC*1*A*B****MI*M1~SVC*HC:90853*50*20**1~DTM*472*20250707~CAS*CO*45*30~"
		"CLP*X4*1*50*15~NM1*QC*1*A*B****MI*M1~SVC*HC:90853*50*15**1~DTM*472*20250707~CAS*CO*45*35~"
		"CLP*X5*1*50*0*20~NM1*QC*1*A*B****MI*M3~SVC*HC:90853*50*0**1~DTM*472*20250707~CAS*CO*45*30~CAS*PR*1*20~"
		"CLP*X6*1*70*35~NM1*QC*1*A*B****MI*M4~SVC*HC:90853*50*30**1~DTM*472*20250707~CAS*CO*45*20~"
		"SVC*HC:90785*20*5**1~DTM*472*20250707~CAS*CO*45*15~"
		"SE*39*1~"
		"ST*835*2~BPR*I*7*C*NON************20250810~TRN*1*T2*8~"
		"CLP*X6*2*50*7~NM1*QC*1*A*B****MI*M4~SVC*HC:90853*50*7**1~DTM*472*20250707~CAS*OA*23*43~"
		"SE*9*2~GE*2*7~IEA*1*000000007~";
	struct fx *f = setup_fx(att, era);
	const struct match *m = &f->m;
	(void)state;
	assert_int_equal(f->rm.lines.len, 8);
	assert_int_equal(f->rm.problems.len, 0);
	int want_line[8] = { 0, 1, 2, 0, 3, 4, 4, 4 };
	int want_how[8] = { MATCH_LINE_REF, MATCH_CLAIM, MATCH_MEMBER, MATCH_MEMBER,
			    MATCH_MEMBER, MATCH_MEMBER, MATCH_ADDON, MATCH_MEMBER };
	for (int i = 0; i < 8; i++) {
		assert_int_equal(m->res[i].line, want_line[i]);
		assert_int_equal(m->res[i].how, want_how[i]);
	}
	assert_int_equal(m->by_rule[MATCH_LINE_REF], 1);
	assert_int_equal(m->by_rule[MATCH_CLAIM], 1);
	assert_int_equal(m->by_rule[MATCH_MEMBER], 5);
	assert_int_equal(m->addons, 1);
	assert_int_equal(m->unmatched, 0);

	/* Line 2 (index 0): X1 (paid 40, date 2025-08-01) and X4 (15, same
	 * date, read later): the later in reading order stands. */
	const struct applied *ap = match_applied(m, 0);
	assert_non_null(ap);
	assert_int_equal(ap->o.paid, 1500);
	/* Line 3: denied. */
	assert_int_equal(roster_line(&f->r, 1)->status, STATUS_DENIED);
	assert_int_equal(roster_line(&f->r, 1)->paid, 0);
	assert_string_equal(strpool_str(&f->r.carcs, roster_line(&f->r, 1)->carc), "CO-50");
	/* Line 5: patient -> paid status, paid 0, patient_resp 20. */
	ap = match_applied(m, 3);
	assert_int_equal(ap->o.status, OUTCOME_PATIENT);
	assert_int_equal(roster_line(&f->r, 3)->status, STATUS_PAID);
	assert_int_equal(ap->o.patient_resp, 2000);
	assert_int_equal(m->conflicts.len, 1);
	assert_int_equal(m->paid_conflicts, 1);
	assert_int_equal(m->status_conflicts, 0);
	assert_string_equal(VEC_AT(&m->conflicts, struct conflict, 0).what,
			    "paid: attendance 10.00, remittance 0.00");
	/* Line 6: 30 + 5 (add-on) + 7 (secondary) = 42.00; allowed 30 + 5;
	 * paid_date the secondary's 2025-08-10 (20310). */
	ap = match_applied(m, 4);
	assert_int_equal(ap->o.paid, 4200);
	assert_int_equal(ap->o.allowed, 3500);
	assert_int_equal(ap->o.paid_date, 20310);
	assert_int_equal(roster_line(&f->r, 4)->paid, 4200);
	/* First-pass history: line 2's first adjudication (X1) paid; line 3
	 * (C2) was denied and nothing else came. */
	assert_false(match_applied(m, 0)->first_denied);
	assert_true(match_applied(m, 1)->first_denied);
	drop(f);
}

static void test_first_pass(void **state)
{
	/* C2 (line 3) is denied on 2025-08-20 in the file's second
	 * transaction and paid 45.00 on 2025-08-01 in its first: reading
	 * order is not time order.  The latest (the denial) stands; the
	 * earliest (the payment) was the first pass, so not a first-pass
	 * denial.  C1 (line 2): denied 2025-08-01, paid 40.00 on resubmission
	 * 2025-08-20: paid stands, and it is a first-pass denial. */
	const char *era = ISA
		"ST*835*1~BPR*I*45*C*NON************20250801~TRN*1*T1*9~"
		"CLP*C2*1*50*45~NM1*QC*1*A*B****MI*M2~SVC*HC:90853*50*45**1~DTM*472*20250707~CAS*CO*45*5~"
		"CLP*C1*4*50*0~NM1*QC*1*A*B****MI*M1~SVC*HC:90853*50*0**1~DTM*472*20250707~CAS*CO*16*50~"
		"SE*14*1~"
		"ST*835*2~BPR*I*40*C*NON************20250820~TRN*1*T2*9~"
		"CLP*C2*4*50*0~NM1*QC*1*A*B****MI*M2~SVC*HC:90853*50*0**1~DTM*472*20250707~CAS*CO*50*50~"
		"CLP*C1*1*50*40~NM1*QC*1*A*B****MI*M1~SVC*HC:90853*50*40**1~DTM*472*20250707~CAS*CO*45*10~"
		"SE*14*2~GE*2*7~IEA*1*000000007~";
	struct fx *f = setup_fx(att, era);
	const struct match *m = &f->m;
	(void)state;
	assert_int_equal(f->rm.problems.len, 0);
	const struct applied *c1 = match_applied(m, 0), *c2 = match_applied(m, 1);
	assert_non_null(c1);
	assert_non_null(c2);
	assert_int_equal(c1->o.status, OUTCOME_PAID);
	assert_int_equal(c1->o.paid, 4000);
	assert_int_equal(c1->o.paid_date, 20320); /* 2025-08-20 */
	assert_true(c1->first_denied);
	assert_int_equal(c2->o.status, OUTCOME_DENIED);
	assert_int_equal(c2->o.paid_date, 20320);
	assert_false(c2->first_denied);
	drop(f);
}

static void test_unmatched(void **state)
{
	/* A 90853 for a member with no line that day, a 90834, and an add-on
	 * alone in its claim. */
	const char *era = ISA
		"ST*835*1~BPR*I*0*C*NON************20250801~TRN*1*T1*9~"
		"CLP*Y1*1*50*0*50~NM1*QC*1*A*B****MI*M1~SVC*HC:90853*50*0**1~DTM*472*20250708~CAS*PR*1*50~"
		"CLP*Y2*1*50*0*50~NM1*QC*1*A*B****MI*M1~SVC*HC:90834*50*0**1~DTM*472*20250707~CAS*PR*1*50~"
		"CLP*Y3*4*20*0~NM1*QC*1*A*B****MI*M4~SVC*HC:90785*20*0**1~DTM*472*20250707~CAS*CO*107*20~"
		"SE*19*1~GE*1*7~IEA*1*000000007~";
	struct fx *f = setup_fx(att, era);
	const struct match *m = &f->m;
	char buf[300];
	(void)state;
	assert_int_equal(m->unmatched, 2);
	assert_int_equal(m->other_lines, 1);
	assert_string_equal(match_label(m, &f->r, 0, buf, sizeof buf),
			    "unmatched: no attended line with this line_ref, claim_id Y1 or member id on 2025-07-08");
	assert_string_equal(match_label(m, &f->r, 1, buf, sizeof buf), "other code");
	assert_string_equal(match_label(m, &f->r, 2, buf, sizeof buf),
			    "unmatched: add-on 90785 without a matched 90853 line of the same date in its claim");
	assert_int_equal(m->applied.len, 0);
	/* untouched: line 5 keeps the attendance file's paid 10.00, and the
	 * outcome record the attendance columns fill says so */
	assert_int_equal(roster_line(&f->r, 3)->paid, 1000);
	struct outcome o;
	outcome_of_line(&f->r, roster_line(&f->r, 3), &o);
	assert_int_equal(o.status, OUTCOME_PAID);
	assert_int_equal(o.paid, 1000);
	assert_true(o.allowed == OUTCOME_UNKNOWN);
	assert_string_equal(o.carc, "");
	assert_int_equal(o.service_date, 20276); /* 2025-07-07 */
	outcome_of_line(&f->r, roster_line(&f->r, 0), &o);
	assert_int_equal(o.status, OUTCOME_NONE);
	assert_true(o.paid == OUTCOME_UNKNOWN);
	drop(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_rules),
		cmocka_unit_test(test_unmatched),
		cmocka_unit_test(test_first_pass),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
