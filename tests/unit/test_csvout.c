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

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_file),
		cmocka_unit_test(test_blocks),
	};
	return cmocka_run_group_tests_name("csvout", tests, NULL, NULL);
}
