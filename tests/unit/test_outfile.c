/* test_outfile.c — atomic outputs, and a run's outputs held and put in
 * place together (issue 19, item 5): nothing under a final name until
 * outfile_publish, nothing at all after outfile_discard, no temporary file
 * left either way. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "testutil.h"
#include "io/outfile.h"

static char dir[64];

static int setup(void **state)
{
	(void)state;
	snprintf(dir, sizeof dir, "/tmp/grouprev-outfile-XXXXXX");
	return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char p[512];

	(void)state;
	while (d && (e = readdir(d)))
		if (e->d_name[0] != '.') {
			snprintf(p, sizeof p, "%s/%s", dir, e->d_name);
			unlink(p);
		}
	if (d)
		closedir(d);
	rmdir(dir);
	return 0;
}

/* The names in DIR, sorted, joined by spaces. */
static void listing(char *buf, size_t size)
{
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort);
	size_t k = 0;

	buf[0] = '\0';
	for (int i = 0; i < n; i++) {
		if (names[i]->d_name[0] != '.')
			k += (size_t)snprintf(buf + k, size - k, "%s%s", k ? " " : "",
					      names[i]->d_name);
		free(names[i]);
	}
	free(names);
}

static void write_one(const char *name, const char *text)
{
	struct outfile o;
	struct gr_err err;
	char path[512];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	assert_int_equal(outfile_open(&o, path, &err), 0);
	fputs(text, o.f);
	assert_int_equal(outfile_commit(&o, &err), 0);
}

static void test_held_then_published(void **state)
{
	struct gr_err err;
	const char *held[4];
	char got[512];
	struct stat st;

	(void)state;
	write_one("a.csv", "old a\n"); /* an earlier run's file */
	outfile_hold();
	write_one("a.csv", "new a\n");
	write_one("b.csv", "new b\n");
	/* Both complete, neither in place: a.csv is still the old one. */
	assert_int_equal(outfile_held(held, 4), 2);
	assert_non_null(strstr(held[0], "/a.csv"));
	assert_non_null(strstr(held[1], "/b.csv"));
	snprintf(got, sizeof got, "%s/a.csv", dir);
	FILE *f = fopen(got, "r");
	assert_non_null(f);
	assert_non_null(fgets(got, sizeof got, f));
	fclose(f);
	assert_string_equal(got, "old a\n");
	snprintf(got, sizeof got, "%s/b.csv", dir);
	assert_int_not_equal(stat(got, &st), 0);
	assert_int_equal(outfile_publish(&err), 0);
	listing(got, sizeof got);
	assert_string_equal(got, "a.csv b.csv"); /* no temporary name left */
	snprintf(got, sizeof got, "%s/b.csv", dir);
	assert_int_equal(stat(got, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	/* The hold has ended: the next commit renames at once. */
	assert_int_equal(outfile_held(held, 4), 0);
	write_one("c.csv", "c\n");
	listing(got, sizeof got);
	assert_string_equal(got, "a.csv b.csv c.csv");
}

static void test_held_then_discarded(void **state)
{
	char got[512];

	(void)state;
	outfile_hold();
	write_one("d.csv", "d\n");
	write_one("e.csv", "e\n");
	outfile_discard();
	listing(got, sizeof got);
	assert_string_equal(got, "a.csv b.csv c.csv"); /* as before the run */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_held_then_published),
		cmocka_unit_test(test_held_then_discarded),
	};
	return cmocka_run_group_tests_name("outfile", tests, setup, teardown);
}
