/* test_csvout.c — RFC 4180 quoting and formula neutralising, checked
 * against the exact bytes written; files are 0600 and no temporary file
 * remains. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "io/csvout.h"

static void esc(const char *in, const char *want)
{
	char b[128];
	csvw_escape(in, b, sizeof b);
	if (strcmp(b, want))
		fail_msg("escape(%s) = %s, want %s", in, b, want);
}

static void test_escape(void **state)
{
	(void)state;
	esc("plain", "plain");
	esc("a,b", "\"a,b\"");
	esc("say \"hi\"", "\"say \"\"hi\"\"\"");
	esc("two\nlines", "\"two\nlines\"");
	esc("=1+1", "'=1+1");
	esc("+C1", "'+C1");
	esc("-x", "'-x");
	esc("@SUM(A1)", "'@SUM(A1)");
	esc("\tM2", "'\tM2");
	esc("\rM2", "\"'\rM2\"");
	esc("=HYPERLINK(\"x\",\"y\")", "\"'=HYPERLINK(\"\"x\"\",\"\"y\"\")\"");
	esc("-12.50", "-12.50"); /* a plain number stays a number */
	esc("+3", "+3");
	esc("-", "'-");
	esc("", "");
}

static void test_file(void **state)
{
	char dir[] = "/tmp/grouprev-csv-XXXXXX", path[128], buf[256];
	struct csvw w;
	struct gr_err err;
	struct stat st;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.csv", dir);
	assert_int_equal(csvw_open(&w, path, &err), 0);
	csvw_header(&w, "a,b,c,d,e");
	csvw_str(&w, "=x");
	csvw_cents(&w, -5);
	csvw_int(&w, 1234567);
	csvw_fixed(&w, -0.0000001, 4);
	csvw_empty(&w);
	csvw_end(&w);
	csvw_cents(&w, 123456789);
	csvw_str(&w, "a,b");
	csvw_fixed(&w, 0.125, 2);
	csvw_str(&w, NULL);
	csvw_str(&w, "z");
	csvw_end(&w);
	assert_int_equal(csvw_commit(&w, &err), 0);
	FILE *f = fopen(path, "r");
	size_t n = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[n] = '\0';
	/* 0.125 to 2 decimals is 0.12 or 0.13 by printf's rounding of the
	 * binary double 0.125 (exactly representable: round-half-even, 0.12). */
	assert_string_equal(buf, "a,b,c,d,e\n'=x,-0.05,1234567,0.0000,\n"
				 "1234567.89,\"a,b\",0.12,,z\n");
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* An aborted file leaves nothing, not even its temporary name. */
	snprintf(path, sizeof path, "%s/u.csv", dir);
	assert_int_equal(csvw_open(&w, path, &err), 0);
	csvw_str(&w, "x");
	csvw_abort(&w);
	assert_int_not_equal(stat(path, &st), 0);
	DIR *d = opendir(dir);
	struct dirent *e;
	int files = 0;
	while ((e = readdir(d)))
		if (e->d_name[0] != '.')
			files++;
	closedir(d);
	assert_int_equal(files, 1); /* t.csv only */
	snprintf(path, sizeof path, "%s/t.csv", dir);
	unlink(path);
	rmdir(dir);
}

/* Block B holds B % 5 rows "B,k" (some blocks empty, sizes differ), so
 * a block written at the wrong offset or out of order shows. */
static int block_rows(void *ctx, size_t b, struct csvw *part)
{
	const size_t *fail_at = ctx;
	if (b == *fail_at)
		return -1;
	for (size_t k = 0; k < b % 5; k++) {
		csvw_int(part, (int64_t)b);
		csvw_int(part, (int64_t)k);
		csvw_end(part);
	}
	return 0;
}

static char *slurp(const char *path, size_t *n)
{
	FILE *f = fopen(path, "r");
	char *buf = malloc(1 << 16);
	assert_non_null(f);
	assert_non_null(buf);
	*n = fread(buf, 1, (1 << 16) - 1, f);
	buf[*n] = '\0';
	fclose(f);
	return buf;
}

/* csvw_blocks gives the rows of the blocks in order, whatever the number
 * of threads; the expected file is built here row by row with snprintf. */
static void test_blocks(void **state)
{
	char dir[] = "/tmp/grouprev-blk-XXXXXX", path[128];
	static char want[1 << 16];
	struct csvw w;
	struct gr_err err;
	size_t never = SIZE_MAX, n;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/b.csv", dir);
	for (size_t nblocks = 0; nblocks <= 23; nblocks += 23) {
		size_t k = (size_t)snprintf(want, sizeof want, "h\n");
		for (size_t b = 0; b < nblocks; b++)
			for (size_t r = 0; r < b % 5; r++)
				k += (size_t)snprintf(want + k, sizeof want - k, "%zu,%zu\n", b, r);
		for (unsigned t = 1; t <= 4; t++) {
			assert_int_equal(csvw_open(&w, path, &err), 0);
			csvw_header(&w, "h");
			assert_int_equal(csvw_blocks(&w, nblocks, t, block_rows, &never), 0);
			csvw_header(&w, "end");
			assert_int_equal(csvw_commit(&w, &err), 0);
			char *got = slurp(path, &n);
			assert_int_equal(n, k + 4);
			assert_memory_equal(got, want, k);
			assert_string_equal(got + k, "end\n");
			free(got);
		}
	}
	/* A failing block stops the others without hanging. */
	size_t fail_at = 7;
	for (unsigned t = 1; t <= 4; t++) {
		assert_int_equal(csvw_open(&w, path, &err), 0);
		assert_int_equal(csvw_blocks(&w, 23, t, block_rows, &fail_at), -1);
		csvw_abort(&w);
	}
	unlink(path);
	rmdir(dir);
}

/* The whole file written by FN, read back into BUF. */
static void written(void (*fn)(struct csvw *), char *buf, size_t size)
{
	char dir[] = "/tmp/grouprev-csv-XXXXXX", path[128];
	struct csvw w;
	struct gr_err err;

	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/t.csv", dir);
	assert_int_equal(csvw_open(&w, path, &err), 0);
	fn(&w);
	assert_int_equal(csvw_commit(&w, &err), 0);
	FILE *f = fopen(path, "r");
	assert_non_null(f);
	size_t n = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[n] = '\0';
	unlink(path);
	rmdir(dir);
}

/* Numbers of every length and sign, the edges of int64 among them. */
static const int64_t numbers[] = {
	0, 1, -1, 5, -5, 9, 10, 99, 100, -100, 101, 999, 1000, 12345, -12345,
	99999, 100000, 1234567, 10000000, 99999999, 123456789012LL,
	INT32_MAX, INT32_MIN, 999999999999999999LL, INT64_MAX, INT64_MIN,
	INT64_MIN + 1,
};
#define NNUM (sizeof numbers / sizeof numbers[0])

static void write_numbers(struct csvw *w)
{
	for (size_t i = 0; i < NNUM; i++) {
		csvw_int(w, numbers[i]);
		csvw_cents(w, numbers[i]);
		csvw_end(w);
	}
}

/* csvw_int and csvw_cents (digits two at a time, copied by words) give
 * what printf gives. */
static void test_numbers(void **state)
{
	char got[4096], want[4096];
	size_t k = 0;

	(void)state;
	written(write_numbers, got, sizeof got);
	for (size_t i = 0; i < NNUM; i++) {
		int64_t v = numbers[i];
		uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
		k += (size_t)snprintf(want + k, sizeof want - k, "%lld,%s%llu.%02llu\n",
				      (long long)v, v < 0 ? "-" : "",
				      (unsigned long long)(a / 100),
				      (unsigned long long)(a % 100));
	}
	assert_string_equal(got, want);
}

static const char *const cells[] = {
	"", "a", "ab", "abc", "abcd", "abcde", "S0001234", "2026-01-02", "2026Q1",
	"sixteen_bytes_xx", "seventeen_bytes_x", "a much longer cell than sixteen bytes",
	"a,b", "say \"hi\"", "=1+1", "-12.50", "-x", "\tM2", "line\nbreak", "+3",
};
#define NCELL (sizeof cells / sizeof cells[0])

static void write_plain(struct csvw *w)
{
	for (size_t i = 0; i < NCELL; i++) {
		size_t n = csvw_plain_len(cells[i]);
		if (n != SIZE_MAX)
			csvw_plain(w, cells[i], n);
		else
			csvw_str(w, cells[i]);
	}
	csvw_end(w);
}

static void write_str(struct csvw *w)
{
	for (size_t i = 0; i < NCELL; i++)
		csvw_str(w, cells[i]);
	csvw_end(w);
}

/* A cell csvw_plain_len calls plain is written by csvw_plain as csvw_str
 * writes it; the others are not plain. */
static void test_plain(void **state)
{
	char a[1024], b[1024], e[128];

	(void)state;
	written(write_plain, a, sizeof a);
	written(write_str, b, sizeof b);
	assert_string_equal(a, b);
	for (size_t i = 0; i < NCELL; i++) {
		size_t n = csvw_plain_len(cells[i]);
		csvw_escape(cells[i], e, sizeof e);
		if (n != SIZE_MAX) {
			assert_int_equal(n, strlen(cells[i]));
			assert_string_equal(e, cells[i]);
		} else {
			/* Not plain: quoted or neutralised, or a plain
			 * number left to csvw_str's own look. */
			assert_true(strcmp(e, cells[i]) != 0 || cells[i][0] == '-' ||
				    cells[i][0] == '+');
		}
	}
	assert_int_equal(csvw_plain_len(NULL), SIZE_MAX);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_blocks),
		cmocka_unit_test(test_numbers),
		cmocka_unit_test(test_plain),
	};
	return cmocka_run_group_tests_name("csvout", tests, NULL, NULL);
}
