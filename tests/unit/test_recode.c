/* test_recode.c — exports into UTF-8 (io/recode.h): windows-1252 bytes
 * (0xE9 é = C3 A9 in UTF-8, per the Unicode mapping of cp1252), the
 * undefined byte 0x81 and a NUL each become a NUL listed with its line
 * and byte, the likely encoding of a file that is not UTF-8, which
 * encodings can be read, and Excel's ="..." guard. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/recode.h"

/* The K-th byte recode could not convert: on LINE, at BYTE, VALUE. */
static void assert_bad(const struct recoded *rc, size_t k, size_t line, size_t byte,
		       unsigned value)
{
	assert_true(k < rc->nbad);
	assert_int_equal(rc->bad[k].line, line);
	assert_int_equal(rc->bad[k].byte, byte);
	assert_int_equal(rc->bad[k].value, value);
}

static void test_windows_1252(void **state)
{
	struct recoded rc;
	struct gr_err err;
	/* line 1: café; line 2: 0x81 at byte 3; line 3: a NUL at byte 2. */
	static const char in[] = "caf\xe9\nab\x81x\nq\0r\n";

	(void)state;
	assert_int_equal(recode_buffer("x.csv", in, sizeof in - 1, "windows-1252", &rc,
				       &err), 0);
	assert_int_equal(rc.len, 15); /* "caf" C3 A9 "\n" (6) "ab" 00 "x\n" (5) "q" 00 "r\n" (4) */
	assert_memory_equal(rc.buf, "caf\xc3\xa9\nab\0x\nq\0r\n", 15);
	assert_int_equal(rc.nbad, 2);
	assert_bad(&rc, 0, 2, 3, 0x81);
	assert_bad(&rc, 1, 3, 2, 0);
	assert_null(rc.guess);
	recoded_free(&rc);
}

static void test_guess(void **state)
{
	struct recoded rc;
	struct gr_err err;
	static const char utf8[] = "caf\xc3\xa9\nok\n";
	static const char latin[] = "a\nb\nJos\xe9\n";

	(void)state;
	assert_int_equal(recode_buffer("x.csv", utf8, sizeof utf8 - 1, NULL, &rc, &err), 0);
	assert_null(rc.guess);
	assert_memory_equal(rc.buf, utf8, sizeof utf8 - 1);
	recoded_free(&rc);
	assert_int_equal(recode_buffer("x.csv", latin, sizeof latin - 1, NULL, &rc, &err), 0);
	assert_string_equal(rc.guess, "windows-1252");
	assert_int_equal(rc.guess_line, 3);
	recoded_free(&rc);
	/* A NUL is the loader's matter, not an encoding's. */
	assert_int_equal(recode_buffer("x.csv", "a\0b\n", 4, NULL, &rc, &err), 0);
	assert_null(rc.guess);
	recoded_free(&rc);
}

static void test_utf16(void **state)
{
	struct recoded rc;
	struct gr_err err;
	/* UTF-16LE with its mark (what Excel's "Unicode Text" writes), by
	 * the code units of the Unicode standard: line 1 "a,é" CR LF (é is
	 * U+00E9 = C3 A9 in UTF-8); line 2 "x", a lone high surrogate U+D800
	 * (bytes 3-4 of the line: 00 D8), "y" LF; line 3 a zero unit between
	 * "q" and "r", LF; then one odd byte 0x41 (line 4, byte 1). */
	static const char le[] = "\xFF\xFE" "a\0,\0\xE9\0\r\0\n\0"
				 "x\0\0\xD8y\0\n\0" "q\0\0\0r\0\n\0" "A";
	(void)state;
	assert_int_equal(recode_buffer("u.csv", le, sizeof le - 1, "UTF-16", &rc, &err), 0);
	/* "a,é\r\n" (6) "x" 00 "y\n" (4) "q" 00 "r\n" (4) 00 (1) */
	assert_int_equal(rc.len, 15);
	assert_memory_equal(rc.buf, "a,\xC3\xA9\r\nx\0y\nq\0r\n\0", 15);
	assert_int_equal(rc.nbad, 3);
	assert_bad(&rc, 0, 2, 3, 0xD8);
	assert_bad(&rc, 1, 3, 3, 0);
	assert_bad(&rc, 2, 4, 1, 0x41);
	recoded_free(&rc);
	/* Big-endian without a mark: "UTF-16" finds the order from the NULs;
	 * "UTF-16BE" says it. */
	static const char be[] = "\0a\0,\0b\0\n";
	assert_int_equal(recode_buffer("u.csv", be, sizeof be - 1, "UTF-16", &rc, &err), 0);
	assert_int_equal(rc.len, 4);
	assert_memory_equal(rc.buf, "a,b\n", 4);
	assert_int_equal(rc.nbad, 0);
	recoded_free(&rc);
	assert_int_equal(recode_buffer("u.csv", be, sizeof be - 1, "UTF-16BE", &rc, &err), 0);
	assert_memory_equal(rc.buf, "a,b\n", 4);
	recoded_free(&rc);
	/* Without an encoding: the guess.  With an 8-bit one: refused,
	 * naming the key. */
	assert_int_equal(recode_buffer("u.csv", le, sizeof le - 1, NULL, &rc, &err), 0);
	assert_string_equal(rc.guess, "UTF-16LE");
	recoded_free(&rc);
	assert_int_equal(recode_buffer("u.csv", be, sizeof be - 1, NULL, &rc, &err), 0);
	assert_string_equal(rc.guess, "UTF-16BE");
	recoded_free(&rc);
	assert_int_equal(recode_buffer("u.csv", le, sizeof le - 1, "windows-1252", &rc, &err), -1);
	assert_string_equal(err.msg, "the file is UTF-16 (little-endian), not windows-1252: "
			    "set `encoding = UTF-16LE`");
}

/* The first recode_unguard, a byte at a time through its three states,
 * kept here as the reference the run-at-once version must match. */
static void ref_unguard(char *buf, size_t *len, char delim)
{
	size_t r = 0, w = 0, n = *len;
	enum { START, PLAIN, QUOTED } st = START;

	while (r < n) {
		char c = buf[r];
		if (st == START && c == '=' && r + 1 < n && buf[r + 1] == '"') {
			r++;
			continue;
		}
		buf[w++] = c;
		r++;
		switch (st) {
		case START:
		case PLAIN:
			if (c == delim || c == '\n' || c == '\r')
				st = START;
			else if (c == '"' && st == START)
				st = QUOTED;
			else
				st = PLAIN;
			break;
		case QUOTED:
			if (c == '"') {
				if (r < n && buf[r] == '"')
					buf[w++] = buf[r++];
				else
					st = PLAIN;
			}
			break;
		}
	}
	*len = w;
	if (w < n)
		buf[w] = '\0';
}

static void test_unguard_same_as_reference(void **state)
{
	/* 200,000 strings of up to 24 bytes over the bytes that matter,
	 * from a fixed linear congruential sequence (Knuth's MMIX constants). */
	static const char alphabet[] = "=\",;\n\ra";
	uint64_t x = 20261201;
	(void)state;
	for (int t = 0; t < 200000; t++) {
		char a[32], b[32];
		x = x * 6364136223846793005ULL + 1442695040888963407ULL;
		size_t n = (size_t)(x >> 59) % 25;
		for (size_t i = 0; i < n; i++) {
			x = x * 6364136223846793005ULL + 1442695040888963407ULL;
			a[i] = b[i] = alphabet[(x >> 33) % (sizeof alphabet - 1)];
		}
		a[n] = b[n] = '\0';
		size_t na = n, nb = n;
		char delim = t % 2 ? ';' : ',';
		recode_unguard(a, &na, delim);
		ref_unguard(b, &nb, delim);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na);
	}
}

static void test_usable(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(recode_usable("windows-1252", &why), 0);
	assert_int_equal(recode_usable("ISO-8859-1", &why), 0);
	assert_int_equal(recode_usable("utf-8", &why), 0);
	assert_true(recode_is_utf8("UTF8"));
	assert_int_equal(recode_usable("UTF-16", &why), 0);
	assert_int_equal(recode_usable("utf-16le", &why), 0);
	assert_int_equal(recode_usable("UCS-2BE", &why), 0);
	assert_int_equal(recode_usable("UTF-32", &why), -1);
	assert_non_null(strstr(why, "keep ASCII"));
	assert_int_equal(recode_usable("no-such-encoding", &why), -1);
	assert_non_null(strstr(why, "iconv does not know"));
}

static void test_unguard(void **state)
{
	static const struct { const char *in, *out; char delim; } cases[] = {
		{ "a,=\"00123\",b\n", "a,\"00123\",b\n", ',' },
		{ "=\"1\",x\n=\"2\",y\n", "\"1\",x\n\"2\",y\n", ',' },   /* each line start */
		{ "a;=\"0\";b\r\n", "a;\"0\";b\r\n", ';' },
		{ "x=\"1\",y\n", "x=\"1\",y\n", ',' },                   /* not at a field start */
		{ "\"a,=\"\"b\"\"\",c\n", "\"a,=\"\"b\"\"\",c\n", ',' }, /* inside quotes */
		{ "a;=\"0\",b\n", "a;\"0\",b\n", ';' },
		{ "a,=\"0\",b\n", "a,=\"0\",b\n", ';' },                 /* ',' is no field break */
	};

	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char buf[64];
		size_t n = strlen(cases[i].in);
		memcpy(buf, cases[i].in, n + 1);
		recode_unguard(buf, &n, cases[i].delim);
		if (n != strlen(cases[i].out) || memcmp(buf, cases[i].out, n))
			fail_msg("case %zu: '%.*s'", i, (int)n, buf);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_windows_1252),
		cmocka_unit_test(test_guess),
		cmocka_unit_test(test_utf16),
		cmocka_unit_test(test_usable),
		cmocka_unit_test(test_unguard),
		cmocka_unit_test(test_unguard_same_as_reference),
	};
	return cmocka_run_group_tests_name("recode", tests, NULL, NULL);
}
