/* test_x12.c — the X12 segment reader: separators, envelopes, positions,
 * cut-off transactions, X12 numbers and dates.
 *
 * Fixtures are tests/remit/NAME.835 (hand-written; tests/remit/README.md says
 * what each holds).  Segment counts and ids were counted by hand in the
 * files (basic.835 is 45 lines, one segment a line) and agree with
 * X12::Parser (tests/remit/crosscheck.pl).  Day numbers are from Python:
 * (date(2024,2,29) - date(1970,1,1)).days = 19782.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/x12.h"

#define MAXSEG 128

struct rec {
	char seg[MAXSEG][96]; /* "ID|e1|e2..." cut at 95 bytes */
	size_t index[MAXSEG];
	size_t nseg;
	size_t begins, ends_complete, ends_broken;
	char problems[16][700];
	size_t nproblems;
};

static int on_begin(void *ctx, const struct x12_tx *tx, struct gr_err *err)
{
	(void)err;
	(void)tx;
	((struct rec *)ctx)->begins++;
	return 0;
}

static int on_segment(void *ctx, const struct x12_seg *s, struct gr_err *err)
{
	struct rec *r = ctx;
	(void)err;
	if (r->nseg == MAXSEG)
		return 0;
	char *o = r->seg[r->nseg];
	size_t n = (size_t)snprintf(o, 96, "%s", s->el[0]);
	for (size_t i = 1; i <= s->nel && n < 95; i++)
		n += (size_t)snprintf(o + n, 96 - n, "|%s", s->el[i]);
	r->index[r->nseg++] = s->index;
	return 0;
}

static int on_end(void *ctx, const struct x12_tx *tx, bool complete,
		  struct gr_err *err)
{
	struct rec *r = ctx;
	(void)err;
	(void)tx;
	if (complete)
		r->ends_complete++;
	else
		r->ends_broken++;
	return 0;
}

static int on_problem(void *ctx, const char *file, size_t seg, const char *id,
		      const char *msg, struct gr_err *err)
{
	struct rec *r = ctx;
	(void)err;
	if (r->nproblems < 16) {
		char where[200];
		x12_where(where, sizeof where, file, seg, id);
		snprintf(r->problems[r->nproblems], 700, "%s: %s", where, msg);
	}
	r->nproblems++;
	return 0;
}

static const char *const v835[] = { "005010X221A1", "005010X221", NULL };

static int read_path(struct rec *r, const char *path, struct x12_stats *st,
		     struct gr_err *err)
{
	struct x12_reader rd = { "835", v835, "remittance", r, on_begin,
				 on_segment, on_end, on_problem, NULL };
	memset(r, 0, sizeof *r);
	return x12_read(&rd, path, st, err);
}

static int read_buf(struct rec *r, const char *buf, struct x12_stats *st,
		    struct gr_err *err)
{
	struct x12_reader rd = { "835", v835, "remittance", r, on_begin,
				 on_segment, on_end, on_problem, NULL };
	memset(r, 0, sizeof *r);
	return x12_read_buffer(&rd, "mem.835", buf, strlen(buf), st, err);
}

static void test_basic(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	(void)state;
	assert_int_equal(read_path(r, "tests/remit/basic.835", &st, &err), 0);
	/* 45 segments: ISA GS ST, 39 body, SE GE IEA. */
	assert_int_equal(st.segments, 45);
	assert_int_equal(st.interchanges, 1);
	assert_int_equal(st.groups, 1);
	assert_int_equal(st.transactions, 1);
	assert_int_equal(st.complete, 1);
	assert_int_equal(st.problems, 0);
	assert_int_equal(r->nseg, 39);
	assert_string_equal(r->seg[0], "BPR|I|71.81|C|ACH|CCP|01|999999999|DA|123456|1512345678||01|999988880|DA|98765|20250801");
	assert_int_equal(r->index[0], 4);
	assert_string_equal(r->seg[13], "SVC|HC:90853|120.00|58.02||1");
	assert_int_equal(r->index[13], 17);
	assert_string_equal(r->seg[38], "PLB|1234567893|20251231|L6:INT0001|-1.25");
	free(r);
}

/* The same file with | ! } # as separators and no line breaks reads as
 * the same segments, except that the composites keep their own '}'. */
static void test_odd_separators(void **state)
{
	struct rec *a = malloc(sizeof *a), *b = malloc(sizeof *b);
	struct x12_stats st;
	struct gr_err err;
	(void)state;
	assert_int_equal(read_path(a, "tests/remit/basic.835", &st, &err), 0);
	assert_int_equal(read_path(b, "tests/remit/odd_separators.835", &st, &err), 0);
	assert_int_equal(st.segments, 45);
	assert_int_equal(st.problems, 0);
	assert_int_equal(b->nseg, a->nseg);
	for (size_t i = 0; i < a->nseg; i++) {
		for (char *c = b->seg[i]; *c; c++)
			if (*c == '}')
				*c = ':';
		assert_string_equal(b->seg[i], a->seg[i]);
		assert_int_equal(b->index[i], a->index[i]);
	}
	free(a);
	free(b);
}

static void test_components(void **state)
{
	struct x12_seps s = { '*', '^', ':', '~' };
	char buf[64];
	const char *c[8];
	(void)state;
	assert_int_equal(x12_components("HC:90853:95:HQ", &s, buf, sizeof buf, c, 8), 4);
	assert_string_equal(c[1], "90853");
	assert_string_equal(c[3], "HQ");
	/* '>' where ISA16 is ':' (seen in public samples, domain.md 8.4) */
	assert_int_equal(x12_components("HC>90853>95", &s, buf, sizeof buf, c, 8), 3);
	assert_string_equal(c[2], "95");
	assert_int_equal(x12_components("L6", &s, buf, sizeof buf, c, 8), 1);
	assert_string_equal(c[0], "L6");
}

static void test_truncated(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	(void)state;
	/* basic.835 cut after its 24th line: the transaction has no SE. */
	assert_int_equal(read_path(r, "tests/remit/truncated.835", &st, &err), 0);
	assert_int_equal(st.segments, 24);
	assert_int_equal(r->begins, 1);
	assert_int_equal(r->ends_complete, 0);
	assert_int_equal(r->ends_broken, 1);
	assert_int_equal(r->nproblems, 3); /* the ST, the GS and the ISA */
	assert_string_equal(r->problems[0],
		"tests/remit/truncated.835:segment 3 (ST): transaction 0001 is cut off: the file ends at segment 24 (end of file) before its SE; not used");
	free(r);
}

static void test_837(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	char msg[1200];
	(void)state;
	assert_int_equal(read_path(r, "tests/remit/claim837.835", &st, &err), X12_REFUSED);
	gr_err_format(&err, msg, sizeof msg);
	assert_string_equal(msg, "tests/remit/claim837.835:segment 2 (GS): an 837 claim file, not a remittance");
	free(r);
}

#define ISA(e, r, c, t) \
	"ISA" e "00" e "          " e "00" e "          " e "ZZ" e "A              " \
	e "ZZ" e "B              " e "250801" e "0930" e r e "00501" e "000000007" \
	e "0" e "P" e c t

static void test_counts(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	(void)state;
	/* SE01 says 4 (there are 3), SE02 differs, GE01 says 2 (1), IEA01
	 * says 3 (1), IEA02 differs. */
	const char *g = ISA("*", "^", ":", "~")
		"GS*HP*A*B*20250801*0930*7*X*005010X221~\r\n"
		"ST*835*0001~BPR*I*0*C*NON************20250801~SE*4*0002~"
		"GE*2*7~IEA*3*000000008~";
	assert_int_equal(read_buf(r, g, &st, &err), 0);
	assert_int_equal(st.segments, 7);
	assert_int_equal(st.complete, 1);
	assert_int_equal(r->nproblems, 5);
	assert_string_equal(r->problems[0], "mem.835:segment 5 (SE): SE01 says 4 segments, there are 3");
	assert_string_equal(r->problems[1], "mem.835:segment 5 (SE): SE02 control number '0002' does not match ST02's '0001'");
	assert_string_equal(r->problems[2], "mem.835:segment 6 (GE): GE01 says 2 transaction sets, there are 1");
	assert_string_equal(r->problems[3], "mem.835:segment 7 (IEA): IEA01 says 3 functional groups, there are 1");
	assert_string_equal(r->problems[4], "mem.835:segment 7 (IEA): IEA02 control number '000000008' does not match ISA13's '000000007'");
	free(r);
}

static void test_several_interchanges(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	(void)state;
	/* Two interchanges with different separators, two groups in the
	 * first, two transactions in the second group. */
	const char *g = ISA("*", "^", ":", "~")
		"GS*HP*A*B*20250801*0930*1*X*005010X221A1~ST*835*1~LX*1~SE*3*1~GE*1*1~"
		"GS*HP*A*B*20250801*0930*2*X*005010X221A1~ST*835*2~LX*2~SE*3*2~"
		"ST*835*3~LX*3~SE*3*3~GE*2*2~IEA*2*000000007~\n"
		ISA("|", "!", "}", "\n")
		"GS|HP|A|B|20250801|0930|3|X|005010X221A1\nST|835|4\nLX|4\nSE|3|4\nGE|1|3\nIEA|1|000000007\n";
	assert_int_equal(read_buf(r, g, &st, &err), 0);
	assert_int_equal(st.interchanges, 2);
	assert_int_equal(st.groups, 3);
	assert_int_equal(st.transactions, 4);
	assert_int_equal(st.complete, 4);
	assert_int_equal(r->nproblems, 0);
	assert_int_equal(r->nseg, 4);
	assert_string_equal(r->seg[3], "LX|4");
	assert_int_equal(r->index[3], 19); /* 15 in the first, then ISA GS ST LX */
	free(r);
}

/* The line feed as terminator, and the file saved with CR LF: the CRs
 * are not part of the values. */
static void test_lf_terminator_crlf(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	(void)state;
	const char *g = ISA("*", "^", ":", "\n")
		"\r\nGS*HP*A*B*20250801*0930*3*X*005010X221A1\r\nST*835*4\r\nLX*4\r\nSE*3*4\r\n"
		"GE*1*3\r\nIEA*1*000000007\r\n";
	assert_int_equal(read_buf(r, g, &st, &err), 0);
	assert_int_equal(st.complete, 1);
	assert_int_equal(r->nproblems, 0);
	assert_string_equal(r->seg[0], "LX|4");
	free(r);
}

static void test_not_x12(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	char msg[1200];
	(void)state;
	assert_int_equal(read_buf(r, "date,amount\n2025-01-01,3\n", &st, &err), X12_REFUSED);
	gr_err_format(&err, msg, sizeof msg);
	assert_string_equal(msg, "mem.835: not an X12 file: it does not start with an ISA segment");
	assert_int_equal(read_buf(r, "ISA*00*short~", &st, &err), X12_REFUSED);
	gr_err_format(&err, msg, sizeof msg);
	assert_string_equal(msg, "mem.835:segment 1 (ISA): the ISA segment is shorter than its fixed 106 bytes");
	assert_int_equal(read_buf(r, "", &st, &err), X12_REFUSED);
	/* 4010 remittance: refused by version */
	const char *old = ISA("*", "U", ":", "~")
		"GS*HP*A*B*20250801*0930*1*X*004010X091A1~ST*835*1~SE*2*1~GE*1*1~IEA*1*000000007~";
	assert_int_equal(read_buf(r, old, &st, &err), X12_REFUSED);
	gr_err_format(&err, msg, sizeof msg);
	assert_string_equal(msg, "mem.835:segment 1 (ISA): an ISA separator is a letter, digit, space or NUL");
	free(r);
}

static void test_broken_segment(void **state)
{
	struct rec *r = malloc(sizeof *r);
	struct x12_stats st;
	struct gr_err err;
	(void)state;
	/* A segment id of lower-case bytes breaks its transaction; the next
	 * transaction is still used. */
	const char *g = ISA("*", "^", ":", "~")
		"GS*HP*A*B*20250801*0930*1*X*005010X221A1~ST*835*1~lx*1~SE*3*1~"
		"ST*835*2~LX*2~SE*3*2~GE*2*1~IEA*1*000000007~";
	assert_int_equal(read_buf(r, g, &st, &err), 0);
	assert_int_equal(st.transactions, 2);
	assert_int_equal(st.complete, 1);
	assert_int_equal(r->ends_broken, 1);
	assert_int_equal(r->nproblems, 1);
	assert_string_equal(r->problems[0], "mem.835:segment 4 (lx): 'lx' is not a segment id; the transaction is not used");
	free(r);
}

static int64_t cents(const char *s)
{
	int64_t c = -999999;
	const char *why = x12_amount(s, &c);
	if (why)
		fail_msg("'%s' refused: %s", s, why);
	return c;
}

static void test_amounts(void **state)
{
	int64_t c;
	(void)state;
	assert_int_equal(cents("120"), 12000);
	assert_int_equal(cents("120.00"), 12000);
	assert_int_equal(cents("-9.5"), -950);
	assert_int_equal(cents(".75"), 75);
	assert_int_equal(cents("-.05"), -5);
	assert_int_equal(cents("1.500"), 150); /* trailing zeros are exact */
	assert_int_equal(cents("0"), 0);
	assert_int_equal(cents("90000000000000"), 9000000000000000LL);
	assert_non_null(x12_amount("1.505", &c));
	assert_non_null(x12_amount("", &c));
	assert_non_null(x12_amount("-", &c));
	assert_non_null(x12_amount(".", &c));
	assert_non_null(x12_amount("1e3", &c));
	assert_non_null(x12_amount("12.3.4", &c));
	assert_non_null(x12_amount(" 12", &c));
	assert_non_null(x12_amount("+12", &c));
	assert_non_null(x12_amount("$12", &c));
	assert_non_null(x12_amount("1,200", &c));
	assert_non_null(x12_amount("90000000000001", &c));
	assert_non_null(x12_amount("99999999999999999999999", &c));
}

static void test_dates(void **state)
{
	int32_t d;
	uint64_t u;
	(void)state;
	assert_null(x12_date("20240229", &d));
	assert_int_equal(d, 19782);
	assert_null(x12_date("19700101", &d));
	assert_int_equal(d, 0);
	assert_non_null(x12_date("20230229", &d));
	assert_non_null(x12_date("20250230", &d));
	assert_non_null(x12_date("20251301", &d));
	assert_non_null(x12_date("2025010", &d));
	assert_non_null(x12_date("202501011", &d));
	assert_non_null(x12_date("2025-1-01", &d));
	assert_non_null(x12_date("18991231", &d));
	assert_null(x12_count("2", 99, &u));
	assert_int_equal(u, 2);
	assert_null(x12_count("1.0", 99, &u));
	assert_int_equal(u, 1);
	assert_non_null(x12_count("1.5", 99, &u));
	assert_non_null(x12_count("100", 99, &u));
	assert_non_null(x12_count("-1", 99, &u));
	assert_non_null(x12_count("", 99, &u));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_basic),
		cmocka_unit_test(test_odd_separators),
		cmocka_unit_test(test_components),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_837),
		cmocka_unit_test(test_counts),
		cmocka_unit_test(test_several_interchanges),
		cmocka_unit_test(test_lf_terminator_crlf),
		cmocka_unit_test(test_not_x12),
		cmocka_unit_test(test_broken_segment),
		cmocka_unit_test(test_amounts),
		cmocka_unit_test(test_dates),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
