/* test_load.c — the CSV loader against the input contract (inputs.md):
 * BOM, CRLF, quoting, physical line numbers, header matching, and every
 * kind of bad record rejected with its line.  Expected lines counted by
 * hand from the literal inputs below. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/load.h"

struct got {
	size_t n, lines[16], nrej, rej_lines[16];
	char a[16][80], b[16][80], reason[16][160];
};

static int on_row(void *ctx, const struct load_row *row, struct gr_err *err)
{
	struct got *g = ctx;
	(void)err;
	if (g->n < 16) {
		g->lines[g->n] = row->line;
		snprintf(g->a[g->n], 80, "%s", row->v[0]);
		snprintf(g->b[g->n], 80, "%s", row->v[1]);
	}
	g->n++;
	return 0;
}

static int on_reject(void *ctx, size_t line, const char *reason)
{
	struct got *g = ctx;
	if (g->nrej < 16) {
		g->rej_lines[g->nrej] = line;
		snprintf(g->reason[g->nrej], 160, "%s", reason);
	}
	g->nrej++;
	return 0;
}

static const struct load_col cols[3] = { { "a", true }, { "b", true }, { "c", false } };

static int load(const char *text, size_t len, struct got *g, struct load_stats *st,
		struct gr_err *err)
{
	struct load_spec spec = { .path = "t.csv", .cols = cols, .ncols = 3,
				  .row = on_row, .reject = on_reject, .ctx = g };
	memset(g, 0, sizeof *g);
	return load_csv_buffer(&spec, text, len, st, err);
}

#define LOAD(text) load(text, sizeof(text) - 1, &g, &st, &err)

/* Every event as text, to compare a parallel load with the one-thread
 * load byte for byte. */
struct trace {
	char *s;
	size_t len, cap;
};

static void trace_add(struct trace *t, const char *text)
{
	size_t n = strlen(text);
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		t->s = realloc(t->s, t->cap);
		assert_non_null(t->s);
	}
	memcpy(t->s + t->len, text, n + 1);
	t->len += n;
}

static int trace_row(void *ctx, const struct load_row *row, struct gr_err *err)
{
	char buf[512];
	(void)err;
	snprintf(buf, sizeof buf, "R%zu[%s|%s|%s]\n", row->line, row->v[0], row->v[1],
		 row->v[2]);
	trace_add(ctx, buf);
	return 0;
}

static int trace_reject(void *ctx, size_t line, const char *reason)
{
	char buf[512];
	snprintf(buf, sizeof buf, "J%zu %s\n", line, reason);
	trace_add(ctx, buf);
	return 0;
}

static void trace_load_delim(const char *text, const struct load_tuning *tu,
			     struct trace *t, struct load_stats *st, char delim)
{
	struct load_spec spec = { .path = "t.csv", .cols = cols, .ncols = 3,
				  .row = trace_row, .reject = trace_reject, .ctx = t,
				  .tune = tu, .delim = delim };
	struct gr_err err;
	t->len = 0;
	trace_add(t, "");
	assert_int_equal(load_csv_buffer(&spec, text, strlen(text), st, &err), 0);
}

static void trace_load(const char *text, const struct load_tuning *tu,
		       struct trace *t, struct load_stats *st)
{
	struct load_spec spec = { .path = "t.csv", .cols = cols, .ncols = 3,
				  .row = trace_row, .reject = trace_reject, .ctx = t,
				  .tune = tu };
	struct gr_err err;
	t->len = 0;
	trace_add(t, "");
	assert_int_equal(load_csv_buffer(&spec, text, strlen(text), st, &err), 0);
}

/* TEXT loaded on 2 to 4 threads with parts of 1 to 40 bytes gives the
 * events and counts ONE and S1 of the one-thread load. */
static void assert_same_in_parts(const char *text, const struct trace *one,
				 const struct load_stats *s1)
{
	struct trace par = { 0 };
	struct load_stats s2;

	for (unsigned threads = 2; threads <= 4; threads++)
		for (size_t chunk = 1; chunk <= 40; chunk++) {
			struct load_tuning tu = { threads, chunk, 1, NULL, NULL, false };
			trace_load(text, &tu, &par, &s2);
			assert_string_equal(par.s, one->s);
			assert_int_equal(s2.records, s1->records);
			assert_int_equal(s2.rejected, s1->rejected);
			assert_int_equal(s2.empty_lines, s1->empty_lines);
		}
	free(par.s);
}

/* A file cut into parts of 1 to 40 bytes (most part starts fall inside
 * records, several inside the quoted field of lines 2-4 and the
 * unterminated one of lines 11-12) on 2 to 4 workers gives exactly the
 * events and counts of one thread; those are checked by hand first. */
static void test_parallel_same(void **state)
{
	static const char text[] =
		"a,b,c\n"          /* 1 header */
		"1,\"x\ny\nz\",q\n"  /* 2-4: one record */
		"\n"               /* 5 empty */
		"2,two,3\r\n"      /* 6 */
		"3,\"bad\"x,4\n"    /* 7 misplaced quote */
		"4,four\n"         /* 8 two fields */
		"5,\"five\",5\r"    /* 9 lone CR */
		"6,six,6\n"        /* 10 */
		"7,\"open\n"       /* 11-12 unterminated */
		"8,eight,8\n";
	struct trace one = { 0 };
	struct load_stats s1;

	(void)state;
	trace_load(text, NULL, &one, &s1);
	assert_string_equal(one.s,
		"R2[1|x\ny\nz|q]\n"
		"R6[2|two|3]\n"
		"J7 misplaced quote (a quote inside a field must be doubled and the field quoted)\n"
		"J8 2 fields, the header has 3\n"
		"R9[5|five|5]\n"
		"R10[6|six|6]\n"
		"J11 unterminated quoted field (the quote opened on this line never "
		"closes; lines 11-12 were read as one field)\n");
	assert_int_equal(s1.records, 7);
	assert_int_equal(s1.rejected, 3);
	assert_int_equal(s1.empty_lines, 1);
	assert_same_in_parts(text, &one, &s1);
	free(one.s);
}

/* Quoted fields on one line are cut by looking at the quotes only; every
 * shape that is not a plain "...", field goes through the byte-by-byte
 * walk.  Expected rows follow RFC 4180 by hand: a doubled quote is one
 * quote, a quoted line break belongs to the field, a quote after the
 * closing one or within a plain field is the misplaced-quote reject (and
 * such a quote opens nothing: line 8's record goes on to line 9), quotes
 * at the start of the line, between commas and at its end open and close
 * fields. */
static void test_quoted_lines(void **state)
{
	static const char text[] =
		"a,b,c\n"              /* 1 header */
		"\"q1\",\"q2\",x\n"      /* 2 quotes open and close fields */
		"\"\",y,\"\"\r\n"        /* 3 empty quoted fields, CRLF */
		"\"d\"\"q\",e,\"f,g\"\n"  /* 4 doubled quote, quoted comma */
		"\"m\nn\",o,p\n"         /* 5-6 line break inside quotes */
		"x,\"y\"z,1\n"          /* 7 text after the closing quote */
		"r\"s,\",t\n\",u\n"       /* 8-9 a quote inside a plain field is
		                          * not one that opens: the next one does,
		                          * and its field runs on to line 9 */
		"\"v\",w,\"x\"\n";       /* 10 */
	struct trace one = { 0 };
	struct load_stats s1;

	(void)state;
	trace_load(text, NULL, &one, &s1);
	assert_string_equal(one.s,
		"R2[q1|q2|x]\n"
		"R3[|y|]\n"
		"R4[d\"q|e|f,g]\n"
		"R5[m\nn|o|p]\n"
		"J7 misplaced quote (a quote inside a field must be doubled and the field quoted)\n"
		"J8 misplaced quote (a quote inside a field must be doubled and the field quoted)\n"
		"R10[v|w|x]\n");
	assert_same_in_parts(text, &one, &s1);
	free(one.s);
}

static void test_basics(void **state)
{
	struct got g;
	struct load_stats st;
	struct gr_err err;

	(void)state;
	/* BOM, CRLF, header in another order with case and spaces, an
	 * unknown column, an empty line (line 3), a quoted comma, quote and
	 * newline (record on lines 4-5), then line 6. */
	assert_int_equal(LOAD("\xEF\xBB\xBF B ,Extra,A\r\n1,x,2\r\n\r\n\"a,\"\"b\"\"\nc\",y,3\r\nq,z,w"), 0);
	assert_int_equal(g.n, 3);
	assert_int_equal(g.lines[0], 2);
	assert_string_equal(g.a[0], "2");
	assert_string_equal(g.b[0], "1");
	assert_int_equal(g.lines[1], 4);
	assert_string_equal(g.b[1], "a,\"b\"\nc");
	assert_int_equal(g.lines[2], 6);
	assert_string_equal(g.a[2], "w");
	assert_int_equal(st.empty_lines, 1);
	assert_int_equal(st.records, 3);
	assert_string_equal(st.ignored, "extra");
	assert_true(st.present[0] && st.present[1] && !st.present[2]);
	/* Lone CR line ends. */
	assert_int_equal(LOAD("a,b\r1,2\r3,4\r"), 0);
	assert_int_equal(g.n, 2);
	assert_int_equal(g.lines[1], 3);
	/* Header only: no rows, no error. */
	assert_int_equal(LOAD("a,b\n"), 0);
	assert_int_equal(g.n, 0);
}

static void test_header_errors(void **state)
{
	struct got g;
	struct load_stats st;
	struct gr_err err;

	(void)state;
	assert_int_equal(LOAD("a,c\n1,2\n"), -1);
	assert_non_null(strstr(err.msg, "missing required column 'b'"));
	assert_int_equal(LOAD("a,b,A\n1,2,3\n"), -1);
	assert_non_null(strstr(err.msg, "'a' appears twice"));
	assert_int_equal(LOAD(""), -1);
	assert_non_null(strstr(err.msg, "empty"));
	assert_int_equal(LOAD("\n\n"), -1);
}

static void test_bad_records(void **state)
{
	struct got g;
	struct load_stats st;
	struct gr_err err;

	(void)state;
	/* Line 2 short, line 3 a stray quote (the next rows survive), line 4
	 * NUL, line 5 invalid UTF-8, line 6 only separators, line 7 good,
	 * line 8 opens a quote that never closes (to the end, line 9). */
	static const char text[] = "a,b\n1\nx\"y,2\n3,\0\n4,\xC3\x28\n,\n5,6\n\"7,8\n9,10\n";
	assert_int_equal(load(text, sizeof text - 1, &g, &st, &err), 0);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.lines[0], 7);
	assert_int_equal(g.nrej, 6);
	const size_t want[6] = { 2, 3, 4, 5, 6, 8 };
	const char *why[6] = { "1 field, the header has 2", "quote", "NUL",
			       "invalid UTF-8", "only empty fields", "unterminated" };
	for (int i = 0; i < 6; i++) {
		assert_int_equal(g.rej_lines[i], want[i]);
		if (!strstr(g.reason[i], why[i]))
			fail_msg("line %zu: '%s' lacks '%s'", want[i], g.reason[i], why[i]);
	}
	assert_int_equal(st.records, 7);
	assert_int_equal(st.rejected, 6);
	/* An unterminated quote names the lines it swallowed: 8 and 9. */
	assert_non_null(strstr(g.reason[5], "lines 8-9"));
}

/* The loader looks at a line once, sixteen bytes at a time, for the
 * bytes that need a check (a NUL, a byte of 0x80 or more, a CR, a quote),
 * and skips the checks a line does not need; libcsv's path and the
 * scanner's share that pass, so the differential tests cannot see it miss
 * one.  Here each such byte is put at every position of a 44-byte row (in
 * each sixteen-byte block, at block ends and in the tail, next to the line
 * end), and the outcome is the one the input contract gives, worked out
 * from the row itself. */
/* ROW (45 bytes) after the header's N bytes of TEXT: refused, for WANT. */
static void refused_for(char *text, size_t n, const char *row, const char *want)
{
	struct got g;
	struct load_stats st;
	struct gr_err err;

	memcpy(text + n, row, 45);
	assert_int_equal(load(text, n + 45, &g, &st, &err), 0);
	assert_int_equal(g.n, 0);
	assert_int_equal(g.nrej, 1);
	if (!strstr(g.reason[0], want))
		fail_msg("want '%s', got '%s'", want, g.reason[0]);
}

static void test_checks_at_every_position(void **state)
{
	struct got g;
	struct load_stats st;
	struct gr_err err;
	char text[128], row[64];

	(void)state;
	for (size_t p = 0; p < 42; p++) {
		/* 42 x's and ",z": the special byte replaces the x at P. */
		memset(row, 'x', 42);
		memcpy(row + 42, ",z\n", 4);
		char want[64];

		row[p] = '\0';
		size_t n = (size_t)snprintf(text, sizeof text, "a,b\n");
		memcpy(text + n, row, 45);
		assert_int_equal(load(text, n + 45, &g, &st, &err), 0);
		assert_int_equal(g.n, 0);
		assert_int_equal(g.nrej, 1);
		assert_int_equal(g.rej_lines[0], 2);
		assert_non_null(strstr(g.reason[0], "NUL byte in the row"));

		row[p] = (char)0xff; /* never in UTF-8 */
		snprintf(want, sizeof want, "invalid UTF-8 at byte %zu of the row", p + 1);
		refused_for(text, n, row, want);

		if (p + 3 <= 42) {
			/* U+00E9 is taken; U+FEFF inside a value is refused. */
			memset(row, 'x', 42);
			memcpy(row + p, "\xc3\xa9", 2);
			memcpy(text + n, row, 45);
			assert_int_equal(load(text, n + 45, &g, &st, &err), 0);
			assert_int_equal(g.n, 1);
			assert_int_equal(g.nrej, 0);
			assert_int_equal(strlen(g.a[0]), 42);
			memcpy(row + p, "\xef\xbb\xbf", 3);
			snprintf(want, sizeof want, "(U+FEFF) at byte %zu of the row", p + 1);
			refused_for(text, n, row, want);
		}

		/* A lone CR ends a record: x...x (one field, refused) on line
		 * 2, then x...x,z taken on line 3; at the start, an empty line. */
		memset(row, 'x', 42);
		row[p] = '\r';
		memcpy(text + n, row, 45);
		assert_int_equal(load(text, n + 45, &g, &st, &err), 0);
		assert_int_equal(g.n, 1);
		assert_int_equal(g.lines[0], 3);
		assert_int_equal(strlen(g.a[0]), 41 - p);
		assert_string_equal(g.b[0], "z");
		assert_int_equal(g.nrej, p ? 1 : 0);
		assert_int_equal(st.empty_lines, p ? 0 : 1);

		/* A quote inside a plain field: refused (strict quoting); at
		 * the start it opens a field that never closes. */
		row[p] = '"';
		memcpy(text + n, row, 45);
		assert_int_equal(load(text, n + 45, &g, &st, &err), 0);
		assert_int_equal(g.n, 0);
		assert_int_equal(g.nrej, 1);
		assert_non_null(strstr(g.reason[0], p ? "misplaced quote" : "unterminated"));
	}
}

static void test_field_limit(void **state)
{
	struct got g;
	struct load_stats st;
	struct gr_err err;
	size_t n = LOAD_MAX_FIELD + 100;
	char *text = malloc(n + 32);

	(void)state;
	memcpy(text, "a,b\nx,", 6);
	memset(text + 6, 'z', LOAD_MAX_FIELD + 1);
	memcpy(text + 6 + LOAD_MAX_FIELD + 1, "\n1,2\n", 5);
	assert_int_equal(load(text, 6 + LOAD_MAX_FIELD + 1 + 5, &g, &st, &err), 0);
	assert_int_equal(g.nrej, 1);
	assert_non_null(strstr(g.reason[0], "64 KiB"));
	assert_int_equal(g.n, 1);
	assert_int_equal(g.lines[0], 3);
	free(text);
}

static void test_files(void **state)
{
	struct got g;
	struct load_stats st;
	struct gr_err err;
	struct load_spec spec = { .path = "/nonexistent/x.csv", .cols = cols,
				  .ncols = 3, .row = on_row, .reject = on_reject,
				  .ctx = &g };

	(void)state;
	assert_int_equal(load_csv(&spec, &st, &err), -1);
	assert_non_null(strstr(err.msg, "cannot open"));
	spec.path = "/tmp";
	assert_int_equal(load_csv(&spec, &st, &err), -1);
	assert_non_null(strstr(err.msg, "folder"));
}

/* TEXT read by the scanner gives libcsv's events and counts (libcsv
 * parsing every record is the reference, load_tuning.libcsv_only); the
 * scanner's trace is left in *SCAN for the hand-counted checks; returns
 * the records read. */
static size_t same_as_libcsv(const char *text, char delim, struct trace *scan)
{
	struct load_tuning ref = { 1, 0, 0, NULL, NULL, true };
	struct trace a = { 0 };
	struct load_stats s1, s2;

	trace_load_delim(text, &ref, &a, &s1, delim);
	trace_load_delim(text, NULL, scan, &s2, delim);
	assert_string_equal(scan->s, a.s);
	assert_int_equal(s2.records, s1.records);
	assert_int_equal(s2.rejected, s1.rejected);
	free(a.s);
	return s2.records;
}

/* The scanner (plain records split in place) against libcsv, the
 * reference: the same rows, values, rejections and reasons for records
 * built to sit on every edge of the scanner — blanks and tabs around
 * fields, fields of blanks only, a record of blanks only (libcsv: no field
 * at all, so "0 fields"), empty fields at both ends, commas at every
 * offset of the 8-byte words, a field just over 64 KiB, 513 fields, CRLF.
 * The expectation is libcsv's own output (trace with libcsv_only), and the
 * hand-counted figures below pin a few of them. */
static void test_scanner_same_as_libcsv(void **state)
{
	(void)state;
	struct trace b = { 0 };
	size_t big = 64 * 1024 + 1;
	size_t cap = 3 * big + 8192 + LOAD_MAX_FIELDS;
	char *text = malloc(cap);
	assert_non_null(text);
	size_t n = (size_t)snprintf(text, cap,
		"a,b,c\n"
		" 1 , two\t,\t3\n"   /* trimmed: 1|two|3 */
		"   ,  ,\t\n"          /* three empty fields: "only empty fields" */
		"  \t \n"              /* no field at all (libcsv): 0 fields */
		",,\n"                  /* only empty fields */
		"x,,\n"                 /* x|| */
		"1234567,12345678,123456789\r\n"
		"a,b,c,d\n"             /* 4 fields */
		"1,2\n"                 /* 2 fields */
		",x,\n");
	/* commas at every offset of a word */
	for (int k = 0; k < 16; k++) {
		for (int j = 0; j < k; j++)
			text[n++] = 'p';
		n += (size_t)snprintf(text + n, cap - n, ",q,r\n");
	}
	/* a field over 64 KiB */
	text[n++] = '1';
	text[n++] = ',';
	memset(text + n, 'z', big);
	n += big;
	n += (size_t)snprintf(text + n, cap - n, ",3\n");
	/* LOAD_MAX_FIELDS + 1 fields (issue 19 raised the limit from 512) */
	for (unsigned k = 0; k < LOAD_MAX_FIELDS; k++)
		text[n++] = ',';
	text[n++] = '\n';
	text[n] = '\0';

	size_t records = same_as_libcsv(text, ',', &b);
	/* Line 2, counted by hand: the blanks and tab around each field go. */
	assert_non_null(strstr(b.s, "R2[1|two|3]\n"));
	assert_non_null(strstr(b.s, "J4 0 fields, the header has 3\n"));
	assert_non_null(strstr(b.s, "R6[x||]\n"));
	assert_non_null(strstr(b.s, "a field is longer than 64 KiB"));
	assert_non_null(strstr(b.s, "more than 16384 fields"));
	/* 12 data records before the 16 word-offset rows, 2 after. */
	assert_int_equal(records, 9 + 16 + 2);
	free(text);
	free(b.s);
}

/* Records with simple quotes (split_quoted) against libcsv: quoted
 * fields with commas, blanks and tabs inside (kept), blanks outside
 * unquoted fields (trimmed), empty quoted fields, a quoted field last,
 * a trailing comma; and records that are not simple, which libcsv
 * still parses: a doubled quote, a blank before or after the quotes, a
 * quote inside a plain field, a quoted line break, a stray CR. */
static void test_quoted_scanner_same_as_libcsv(void **state)
{
	(void)state;
	struct trace b = { 0 };
	static const char text[] =
		"a,b,c\n"
		"\"x, y\",2,3\n"            /* R2 */
		" 1 ,\" two \",\t3\t\n"   /* R3: 1| two |3 */
		"\"\",\"\",\"\"\n"      /* R4: only empty fields */
		"1,2,\"\t,\"\n"            /* R5 */
		"\"a\",b,\n"                /* R6: a|b| */
		"\"a\",\"b\"\n"           /* R7: 2 fields */
		"\"a\"\"b\",c,d\n"        /* R8: a doubled quote */
		" \"a\",b,c\n"              /* R9: a blank before the quote */
		"\"a\" ,b,c\n"              /* R10: a blank after it */
		"a\"b,c,d\n"                 /* R11: a quote inside a plain field */
		"\"a\nb\",c,d\n"           /* R12-13: a quoted line break */
		"\"a\rb\",c,d\n"           /* R14: a CR inside quotes */
		"\"a\",b,c\r\n"            /* R15: CRLF */
		"\"unclosed,b,c\n";          /* R16: never closes */

	same_as_libcsv(text, ',', &b);
	assert_non_null(strstr(b.s, "R2[x, y|2|3]\n"));
	assert_non_null(strstr(b.s, "R3[1| two |3]\n"));
	assert_non_null(strstr(b.s, "R6[a|b|]\n"));
	free(b.s);
}

/* A column map's other delimiters through the scanner against libcsv:
 * ';' and '|' (a comma is then a plain character), plain and simply
 * quoted records, blanks and tabs around fields; a tab-delimited file
 * stays libcsv's (its trimming and its delimiter are the same byte). */
static void test_other_delimiters_same_as_libcsv(void **state)
{
	(void)state;
	static const char *const texts[] = {
		"a;b;c\n"
		" 1 ; two\t;\t3\n"       /* R2: 1|two|3 */
		"x,y;2;3\n"                /* R3: a comma is a character */
		";;\n"                     /* only empty fields */
		"1234567;12345678;123456789\r\n"
		"\"p;q\";2;3\n"          /* R6: a quoted delimiter */
		"\"a\"\"b\";c;d\n"     /* a doubled quote: libcsv's */
		"a;b;c;d\n",               /* 4 fields */
		"a|b|c\n"
		"1|2|3\n"
		" \"x|y\" |2|3\n"
		"p,q|r;s|t\n",
		"a\tb\tc\n"
		"1\t2\t3\n"
		" 1 \t 2\t3\n",
	};
	static const char delims[] = { ';', '|', '\t' };
	for (int k = 0; k < 3; k++) {
		struct trace b = { 0 };
		same_as_libcsv(texts[k], delims[k], &b);
		if (k == 0) {
			assert_non_null(strstr(b.s, "R2[1|two|3]\n"));
			assert_non_null(strstr(b.s, "R3[x,y|2|3]\n"));
			assert_non_null(strstr(b.s, "R6[p;q|2|3]\n"));
		}
		free(b.s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_other_delimiters_same_as_libcsv),
		cmocka_unit_test(test_basics),
		cmocka_unit_test(test_quoted_scanner_same_as_libcsv),
		cmocka_unit_test(test_parallel_same),
		cmocka_unit_test(test_scanner_same_as_libcsv),
		cmocka_unit_test(test_quoted_lines),
		cmocka_unit_test(test_header_errors),
		cmocka_unit_test(test_bad_records),
		cmocka_unit_test(test_field_limit),
		cmocka_unit_test(test_checks_at_every_position),
		cmocka_unit_test(test_files),
	};
	return cmocka_run_group_tests_name("load", tests, NULL, NULL);
}
