/* test_remit.c — what the service lines of an 835 mean: amounts, status,
 * reason and remark lists, dates, balancing, reversals.  Every expected
 * cent is worked out by hand in tests/remit/README.md, fixture by
 * fixture; day numbers from Python ((date(2025,7,7) - date(1970,1,1)).days
 * = 20276). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/x12.h"
#include "model/remit.h"

struct fx {
	struct arena a;
	struct remit rm;
};

static struct fx *load(const char *const *paths)
{
	struct fx *f = malloc(sizeof *f);
	struct gr_err err;
	arena_init(&f->a);
	remit_init(&f->rm, &f->a);
	for (; *paths; paths++)
		if (remit_read(&f->rm, *paths, &err) != 0)
			fail_msg("%s: %s", *paths, err.msg);
	if (remit_settle(&f->rm, &err) != 0)
		fail_msg("settle: %s", err.msg);
	return f;
}

static void drop(struct fx *f)
{
	remit_free(&f->rm);
	arena_release(&f->a);
	free(f);
}

static size_t problems(const struct remit *rm, uint8_t kind)
{
	size_t n = 0;
	for (size_t i = 0; i < rm->problems.len; i++)
		n += VEC_AT(&rm->problems, struct remit_problem, i).kind == kind;
	return n;
}

static void test_basic(void **state)
{
	static const char *const p[] = { "tests/remit/basic.835", NULL };
	struct fx *f = load(p);
	struct remit *rm = &f->rm;
	(void)state;
	assert_int_equal(rm->payments.len, 1);
	assert_int_equal(rm->claims.len, 3);
	assert_int_equal(rm->lines.len, 4);
	assert_int_equal(rm->problems.len, 0);
	const struct remit_payment *pay = remit_payment_at(rm, 0);
	assert_string_equal(pay->check, "EFT0001");
	assert_string_equal(pay->method, "ACH");
	assert_string_equal(pay->payer_id, "MCR01");
	assert_string_equal(pay->payer_name, "MEDICARE PART B");
	assert_string_equal(pay->payee_npi, "1234567893");
	assert_int_equal(pay->total, 7181);
	assert_int_equal(pay->claims_paid, 7056);
	assert_int_equal(pay->plb, -125);
	assert_true(pay->balanced);
	assert_int_equal(pay->date, 20301); /* 2025-08-01 */

	const struct remit_line *l = remit_line_at(rm, 0);
	assert_string_equal(l->code, "90853");
	assert_string_equal(l->modifiers, "");
	assert_string_equal(l->line_ref, "L1");
	assert_int_equal(l->segment, 17);
	assert_int_equal(l->o.charge, 12000);
	assert_int_equal(l->o.paid, 5802);
	assert_int_equal(l->o.allowed, 7400);
	assert_int_equal(l->o.patient_resp, 1480);
	assert_int_equal(l->o.contractual, 4718);
	assert_int_equal(l->o.other_adj, 0);
	assert_int_equal(l->o.status, OUTCOME_PAID);
	assert_string_equal(l->o.carc, "CO-45;CO-253");
	assert_string_equal(l->o.rarc, "");
	assert_int_equal(l->o.service_date, 20276); /* 2025-07-07 */
	assert_int_equal(l->o.paid_date, 20301);
	assert_string_equal(l->balance, "ok");

	l = remit_line_at(rm, 1);
	assert_string_equal(l->code, "90785");
	assert_int_equal(l->o.paid, 1254);
	assert_int_equal(l->o.allowed, 1600);
	assert_int_equal(l->o.contractual, 1426);

	l = remit_line_at(rm, 2);
	assert_string_equal(l->modifiers, "95");
	assert_int_equal(l->o.status, OUTCOME_DENIED);
	assert_string_equal(l->o.carc, "CO-50");
	assert_string_equal(l->o.rarc, "N115");
	assert_int_equal(l->o.service_date, 20277); /* claim DTM*232 2025-07-08 */
	assert_int_equal(l->o.allowed, 0);

	l = remit_line_at(rm, 3);
	assert_int_equal(l->o.status, OUTCOME_PATIENT);
	assert_int_equal(l->o.allowed, 7400);
	assert_int_equal(l->o.patient_resp, 7400);
	assert_int_equal(l->o.contractual, 4600);
	const struct remit_claim *c = remit_claim_at(rm, l->claim);
	assert_string_equal(c->claim_id, "C1003");
	assert_string_equal(c->patient_id, "M0003");
	assert_string_equal(c->insured_id, "M0003A");
	assert_string_equal(c->payer_claim_id, "PCN0003");
	drop(f);
}

/* No line breaks and other separators: the same records. */
static void test_odd_separators(void **state)
{
	static const char *const p[] = { "tests/remit/odd_separators.835", NULL };
	struct fx *f = load(p);
	(void)state;
	assert_int_equal(f->rm.lines.len, 4);
	assert_int_equal(f->rm.problems.len, 0);
	assert_string_equal(remit_line_at(&f->rm, 0)->o.carc, "CO-45;CO-253");
	assert_string_equal(remit_line_at(&f->rm, 2)->modifiers, "95");
	assert_int_equal(remit_payment_at(&f->rm, 0)->plb, -125);
	drop(f);
}

static void test_cas(void **state)
{
	static const char *const p[] = { "tests/remit/cas_negative.835", NULL };
	struct fx *f = load(p);
	struct remit *rm = &f->rm;
	(void)state;
	const struct remit_line *l = remit_line_at(rm, 0);
	assert_string_equal(l->modifiers, "HQ");
	assert_int_equal(l->o.paid, 6100);
	assert_int_equal(l->o.contractual, 3100);  /* 25 + 1 + 5 */
	assert_int_equal(l->o.other_adj, -900);    /* OA-94 -9.00 */
	assert_int_equal(l->o.patient_resp, 1700);
	assert_int_equal(l->o.allowed, 7800);      /* AMT*B6 */
	assert_string_equal(l->o.carc, "CO-45;CO-A2;CO-253;OA-94");
	assert_string_equal(l->o.rarc, "N130;M127");
	assert_int_equal(l->o.service_date, 20285); /* claim DTM*232 2025-07-16 */
	assert_string_equal(l->balance, "ok"); /* 100 - 39 = 61 */
	const struct remit_claim *c = remit_claim_at(rm, 0);
	assert_int_equal(c->cas, 1000); /* OA-23 12.00, OA-94 -2.00 */
	assert_true(c->balanced);       /* 100 - 10 - 39 = 51 */

	/* Denied at claim level: the line takes the claim's codes, and its
	 * own balance fails (100 charged, nothing adjusted on the line). */
	l = remit_line_at(rm, 1);
	assert_int_equal(l->o.status, OUTCOME_DENIED);
	assert_string_equal(l->o.carc, "CO-29");
	assert_string_equal(l->balance, "line: charge 100.00 - adjustments 0.00 = 100.00, paid 0.00");
	assert_true(remit_claim_at(rm, 1)->balanced);
	assert_int_equal(problems(rm, PROBLEM_BALANCE), 1);
	drop(f);
}

static void test_balance_fail(void **state)
{
	static const char *const p[] = { "tests/remit/balance_fail.835", NULL };
	struct fx *f = load(p);
	struct remit *rm = &f->rm;
	(void)state;
	assert_int_equal(rm->lines.len, 1);
	assert_int_equal(problems(rm, PROBLEM_BALANCE), 3);
	assert_string_equal(remit_line_at(rm, 0)->balance,
		"line: charge 120.00 - adjustments 30.00 = 90.00, paid 80.00; "
		"claim: charge 120.00 - adjustments 30.00 = 90.00, paid 85.00");
	const struct remit_problem *pr = &VEC_AT(&rm->problems, struct remit_problem, 2);
	assert_int_equal(pr->segment, 3);
	assert_string_equal(pr->msg,
		"payment EFT4001 does not balance: BPR02 100.00, claims paid 85.00 - provider adjustments 0.00 = 85.00");
	assert_false(remit_payment_at(rm, 0)->balanced);
	/* no REF*2U: the payer id is TRN03 */
	assert_string_equal(remit_payment_at(rm, 0)->payer_id, "1512345678");
	drop(f);
}

static void test_reversal(void **state)
{
	/* The reversal file first: the order of files does not matter, the
	 * payment dates do. */
	static const char *const p[] = { "tests/remit/reversal_2.835",
					 "tests/remit/reversal_1.835", NULL };
	struct fx *f = load(p);
	struct remit *rm = &f->rm;
	(void)state;
	assert_int_equal(rm->claims.len, 3);
	const struct remit_claim *rev = remit_claim_at(rm, 0);
	const struct remit_claim *cor = remit_claim_at(rm, 1);
	const struct remit_claim *orig = remit_claim_at(rm, 2);
	assert_int_equal(rev->role, ROLE_REVERSAL);
	assert_int_equal(rev->reverses, 2);
	assert_int_equal(orig->reversed_by, 0);
	assert_int_equal(cor->reversed_by, -1);
	assert_int_equal(remit_line_at(rm, 0)->o.paid, -9000);
	assert_int_equal(remit_line_at(rm, 1)->o.paid, 10000);
	assert_int_equal(remit_line_at(rm, 1)->o.allowed, 12000);
	assert_int_equal(remit_payment_at(rm, 0)->total, 1000);
	assert_true(remit_payment_at(rm, 0)->balanced); /* -90 + 100 = 10 */
	assert_int_equal(rm->problems.len, 0);
	drop(f);
}

static void test_refused(void **state)
{
	struct arena a;
	struct remit rm;
	struct gr_err err;
	(void)state;
	arena_init(&a);
	remit_init(&rm, &a);
	assert_int_equal(remit_read(&rm, "tests/remit/basic.835", &err), 0);
	assert_int_equal(remit_read(&rm, "tests/remit/claim837.835", &err), X12_REFUSED);
	assert_string_equal(err.msg, "an 837 claim file, not a remittance");
	/* the refused file added nothing */
	assert_int_equal(rm.lines.len, 4);
	assert_int_equal(rm.files, 1);
	/* cut off: nothing of it is used, three problems */
	assert_int_equal(remit_read(&rm, "tests/remit/truncated.835", &err), 0);
	assert_int_equal(rm.lines.len, 4);
	assert_int_equal(rm.payments.len, 1);
	assert_int_equal(rm.problems.len, 3);
	assert_int_equal(rm.transactions, 2);
	assert_int_equal(rm.transactions_used, 1);
	remit_free(&rm);
	arena_release(&a);
}

static void test_bad_values(void **state)
{
	struct arena a;
	struct remit rm;
	struct gr_err err;
	(void)state;
	arena_init(&a);
	remit_init(&rm, &a);
	/* An amount with three decimals and a date that does not exist:
	 * the first problem makes the transaction unusable. */
	const char *f =
		"ISA*00*          *00*          *ZZ*A              *ZZ*B              *250801*0930*^*00501*000000007*0*P*:~"
		"GS*HP*A*B*20250801*0930*7*X*005010X221A1~ST*835*1~"
		"BPR*I*10.005*C*NON************20250801~CLP*X*1*1*1~SE*4*1~"
		"ST*835*2~BPR*I*0*C*NON************20250230~SE*3*2~GE*2*7~IEA*1*000000007~";
	assert_int_equal(remit_read_buffer(&rm, "mem.835", f, strlen(f), &err), 0);
	assert_int_equal(rm.payments.len, 0);
	assert_int_equal(rm.problems.len, 2);
	const struct remit_problem *p = &VEC_AT(&rm.problems, struct remit_problem, 0);
	assert_int_equal(p->segment, 4);
	assert_string_equal(p->id, "BPR");
	assert_string_equal(p->msg, "BPR02 '10.005' is not an amount: more than 2 decimals; the transaction is not used");
	p = &VEC_AT(&rm.problems, struct remit_problem, 1);
	assert_string_equal(p->msg, "BPR16 '20250230' is not a date: no such date; the transaction is not used");
	remit_free(&rm);
	arena_release(&a);
}

/* Found by fuzz_x12 (tests/fuzz/corpus/x12/regress-long-modifiers.835):
 * modifiers longer than 64 bytes together overflowed the buffer they
 * were joined in.  Four modifiers of 60 bytes come back whole. */
static void test_long_modifiers(void **state)
{
	struct arena a;
	struct remit rm;
	struct gr_err err;
	char m[61], f[1200];
	(void)state;
	memset(m, 'M', 60);
	m[60] = '\0';
	snprintf(f, sizeof f,
		 "ISA*00*          *00*          *ZZ*A              *ZZ*B              *250801*0930*^*00501*000000007*0*P*:~"
		 "GS*HP*A*B*20250801*0930*7*X*005010X221A1~ST*835*1~"
		 "BPR*I*10*C*NON************20250801~CLP*X*1*10*10~"
		 "SVC*HC:90853:%s:%s:%s:%s*10*10~DTM*472*20250801~SE*6*1~GE*1*7~IEA*1*000000007~",
		 m, m, m, m);
	arena_init(&a);
	remit_init(&rm, &a);
	assert_int_equal(remit_read_buffer(&rm, "mem.835", f, strlen(f), &err), 0);
	assert_int_equal(rm.lines.len, 1);
	assert_int_equal(strlen(remit_line_at(&rm, 0)->modifiers), 4 * 60 + 3);
	assert_int_equal(rm.problems.len, 0);
	remit_free(&rm);
	arena_release(&a);
}

/* Found by fuzz_x12 (tests/fuzz/corpus/x12/regress-short-date.835): a
 * date element shorter than eight bytes (here a DTM*472 with none) was
 * compared with the date read before over eight bytes.  It is refused as
 * before, and the same date after it still reads. */
static void test_short_date(void **state)
{
	struct arena a;
	struct remit rm;
	struct gr_err err;
	(void)state;
	const char *f =
		"ISA*00*          *00*          *ZZ*A              *ZZ*B              *250801*0930*^*00501*000000007*0*P*:~"
		"GS*HP*A*B*20250801*0930*7*X*005010X221A1~ST*835*1~"
		"BPR*I*10*C*NON************20250801~CLP*X*1*10*10~"
		"SVC*HC:90853*10*10~DTM*472~SE*6*1~"
		"ST*835*2~BPR*I*10*C*NON************20250801~CLP*Y*1*10*10~"
		"SVC*HC:90853*10*10~DTM*472*2025080~SE*6*2~"
		"ST*835*3~BPR*I*10*C*NON************20250801~CLP*Z*1*10*10~"
		"SVC*HC:90853*10*10~DTM*472*20250801~SE*6*3~GE*3*7~IEA*1*000000007~";
	arena_init(&a);
	remit_init(&rm, &a);
	assert_int_equal(remit_read_buffer(&rm, "mem.835", f, strlen(f), &err), 0);
	assert_int_equal(rm.payments.len, 1);
	assert_int_equal(rm.lines.len, 1);
	assert_int_equal(remit_line_at(&rm, 0)->o.service_date,
			 remit_payment_at(&rm, 0)->date);
	assert_int_equal(rm.problems.len, 2);
	assert_string_equal(VEC_AT(&rm.problems, struct remit_problem, 0).msg,
			    "DTM02 '' is not a date: not a date CCYYMMDD; the transaction is not used");
	assert_string_equal(VEC_AT(&rm.problems, struct remit_problem, 1).msg,
			    "DTM02 '2025080' is not a date: not a date CCYYMMDD; the transaction is not used");
	remit_free(&rm);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_odd_separators),
		cmocka_unit_test(test_cas),
		cmocka_unit_test(test_balance_fail),
		cmocka_unit_test(test_reversal),
		cmocka_unit_test(test_refused),
		cmocka_unit_test(test_bad_values),
		cmocka_unit_test(test_long_modifiers),
		cmocka_unit_test(test_short_date),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
