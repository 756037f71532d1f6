/* test_tables.c — the CSV tables of `report` (outputs.md) on the small
 * practice of small.h: summary, groups, clinicians, claims (also
 * redacted and on several threads) and rejects, each compared byte for
 * byte with a table written by hand from small.h's line table and the
 * sums of test_tally.c.  Money is cents shown with two decimals; rates
 * have four decimals; an empty cell where a rate has no denominator or a
 * line no price (outputs.md, inputs.md). */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "small.h"
#include "analysis/tally.h"
#include "render/tables.h"

static char *slurp(const char *dir, const char *name)
{
	char path[512];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	FILE *f = fopen(path, "rb");
	if (!f)
		fail_msg("%s was not written", path);
	assert_int_equal(fstat(fileno(f), &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600); /* outputs are 0600 */
	char *s = calloc(1, (size_t)st.st_size + 1);
	assert_non_null(s);
	assert_int_equal(fread(s, 1, (size_t)st.st_size, f), (size_t)st.st_size);
	fclose(f);
	unlink(path);
	return s;
}

static void assert_file(const char *dir, const char *name, const char *want)
{
	char *got = slurp(dir, name);
	if (strcmp(got, want) != 0)
		fail_msg("%s differs:\n--- got\n%s--- want\n%s", name, got, want);
	free(got);
}

struct fixture {
	struct small w;
	struct tally t;
	char dir[64];
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	struct gr_err err;
	struct scope all = { true, 0 };

	if (!f)
		return -1;
	small_load(&f->w);
	if (tally_build(&f->t, &f->w.l, &all, &f->w.a, &err) != 0)
		return -1;
	snprintf(f->dir, sizeof f->dir, "/tmp/gr-tables-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	static const char *const names[] = { "summary.csv", "groups.csv",
		"clinicians.csv", "claims.csv", "rejects.csv" };
	char path[512];

	/* A failed comparison leaves its file behind. */
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		snprintf(path, sizeof path, "%s/%s", f->dir, names[i]);
		unlink(path);
	}
	rmdir(f->dir);
	small_free(&f->w);
	free(f);
	return 0;
}

/* The sums of test_tally.c's summary rows; denial_rate = denied /
 * adjudicated: 1/1, 1/3 = 0.3333, 1/1, 0/1, 0/1, and empty for 0/0. */
static void test_summary(void **state)
{
	struct fixture *f = *state;
	struct gr_err err;

	assert_int_equal(tables_write_summary(f->dir, &f->t, &f->w.r, &err), 0);
	assert_file(f->dir, "summary.csv",
		"quarter,payer_id,lines,expected,low,high,paid,adjudicated,denied,"
		"denial_rate,flagged,unpriced,at_risk\n"
		"2025Q1,MCD,2,48.62,30.40,60.78,0.00,1,1,1.0000,1,0,24.31\n"
		"2025Q1,MCR,3,77.39,74.03,90.12,38.61,3,1,0.3333,0,0,0.00\n"
		"2025Q1,XYZ,1,0.00,0.00,0.00,0.00,1,1,1.0000,1,1,0.00\n"
		"2025Q2,COM,2,83.76,63.38,107.16,41.88,1,0,0.0000,0,0,0.00\n"
		"2025Q2,MCR,2,56.28,53.84,65.54,22.06,1,0,0.0000,1,0,28.14\n"
		"2026Q1,MCR,2,0.00,0.00,0.00,0.00,0,0,,2,2,0.00\n");
}

/* Per program: mean_size = lines / sessions; attendance_rate = lines /
 * rows (absent rows count); expected_per_session = expected / sessions
 * rounded half-up; expected_per_hour = expected x 60 / minutes, only when
 * every session has its minutes.
 *   G1: 6/2 = 3.00; 6/7 = 0.8571; 12601/2 = 6300.5 -> 63.01;
 *       3/5 = 0.6000; 12601 x 60 / 105 = 7200.57 -> 72.01
 *   G2: 4/2 = 2.00; 4/4; 7002/2 = 35.01; 0/2; S3 has no minutes: empty
 *   G3: 2/1; 2/2; 70.02; 0/0: empty; 7002 x 60 / 90 = 4668 -> 46.68
 *   C1: 7/3 = 2.33; 7/8 = 0.8750; 15061/3 = 5020.33 -> 50.20; 1/4; S3
 *       has no minutes: empty
 *   C2: 5/2 = 2.50; 5/5; 11544/2 = 57.72; 2/3 = 0.6667;
 *       11544 x 60 / 135 = 5130.67 -> 51.31 */
static void test_programs(void **state)
{
	struct fixture *f = *state;
	struct gr_err err;
	static const char cols[] = "sessions,mean_size,attendance_rate,expected,"
		"expected_per_session,paid,denial_rate,lines,adjudicated,denied,flagged,"
		"unpriced,expected_per_hour\n";
	char want[1024];

	assert_int_equal(tables_write_groups(f->dir, &f->t, &f->w.r, &err), 0);
	snprintf(want, sizeof want, "group_id,%s"
		 "G1,2,3.00,0.8571,126.01,63.01,38.61,0.6000,6,5,3,2,1,72.01\n"
		 "G2,2,2.00,1.0000,70.02,35.01,63.94,0.0000,4,2,0,2,2,\n"
		 "G3,1,2.00,1.0000,70.02,70.02,0.00,,2,0,0,1,0,46.68\n", cols);
	assert_file(f->dir, "groups.csv", want);

	assert_int_equal(tables_write_clinicians(f->dir, &f->t, &f->w.r, &err), 0);
	snprintf(want, sizeof want, "clinician_id,%s"
		 "C1,3,2.33,0.8750,150.61,50.20,86.00,0.2500,7,4,1,2,2,\n"
		 "C2,2,2.50,1.0000,115.44,57.72,16.55,0.6667,5,3,2,3,1,51.31\n", cols);
	assert_file(f->dir, "clinicians.csv", want);
}

#define CLAIMS_HEADER "line,session_id,date,quarter,group_id,clinician_id," \
	"member_id,payer_id,group_size,expected,low,high,status,paid,issues\n"

/* A row per attended line, in file order (line 5 is absent), with
 * small.h's prices, empty money cells for unpriced lines and the rule ids
 * in bit order (max_per_day before credential: rules.h). */
static const char claims[] = CLAIMS_HEADER
	"2,S1,2025-02-03,2025Q1,G1,C1,%s,MCR,3,28.14,26.92,32.77,paid,22.06,\n"
	"3,S1,2025-02-03,2025Q1,G1,C1,%s,MCR,3,28.14,26.92,32.77,denied,0.00,\n"
	"4,S1,2025-02-03,2025Q1,G1,C1,%s,MCD,3,24.31,15.20,30.39,pending,,\n"
	"6,S2,2025-02-10,2025Q1,G1,C2,%s,MCR,3,21.11,20.19,24.58,paid,16.55,\n"
	"7,S2,2025-02-10,2025Q1,G1,C2,%s,MCD,3,24.31,15.20,30.39,denied,0.00,min_minutes\n"
	"8,S2,2025-02-10,2025Q1,G1,C2,%s,XYZ,3,,,,denied,,unknown_payer\n"
	"9,S3,2025-04-07,2025Q2,G2,C1,%s,MCR,2,28.14,26.92,32.77,paid,22.06,\n"
	"10,S3,2025-04-07,2025Q2,G2,C1,%s,COM,2,41.88,31.69,53.58,paid,41.88,\n"
	"11,S4,2025-04-07,2025Q2,G3,C2,%s,MCR,2,28.14,26.92,32.77,,,max_per_day;credential\n"
	"12,S4,2025-04-07,2025Q2,G3,C2,%s,COM,2,41.88,31.69,53.58,,,\n"
	"13,S5,2026-01-05,2026Q1,G2,C1,%s,MCR,2,,,,,,no_rate\n"
	"14,S5,2026-01-05,2026Q1,G2,C1,%s,MCR,2,,,,,,no_rate\n";

static void test_claims(void **state)
{
	struct fixture *f = *state;
	struct gr_err err;
	struct scope all = { true, 0 };
	char want[4096];

	assert_int_equal(tables_write_claims(f->dir, &f->w.l, &all, NULL, 1, &err), 0);
	snprintf(want, sizeof want, claims, "A", "B", "C", "A", "E", "F", "A", "G",
		 "A", "H", "I", "J");
	assert_file(f->dir, "claims.csv", want);

	/* The same on three threads. */
	assert_int_equal(tables_write_claims(f->dir, &f->w.l, &all, NULL, 3, &err), 0);
	assert_file(f->dir, "claims.csv", want);

	/* Redacted: keyed pseudonyms (issue 19), HMAC-SHA-256 of each id under
	 * the key 00 01 ... 1f, first 16 hex digits, computed apart with
	 * Python: hmac.new(bytes(range(32)), b"A", hashlib.sha256).hexdigest(). */
	unsigned char key[PSEUDONYM_KEY_BYTES];
	for (int i = 0; i < PSEUDONYM_KEY_BYTES; i++)
		key[i] = (unsigned char)i;
	struct pseudonyms ps;
	assert_int_equal(pseudonyms_build(&ps, &f->w.r, key, &f->w.a, &err), 0);
	assert_int_equal(tables_write_claims(f->dir, &f->w.l, &all, &ps, 1, &err), 0);
	snprintf(want, sizeof want, claims, "member-ec0626c760e7ad3e",
		 "member-ef2a09b50b6c62b2", "member-5e5ec15157d03bd8",
		 "member-ec0626c760e7ad3e", "member-072857557a793bc0",
		 "member-80fc056e8a7054a4", "member-ec0626c760e7ad3e",
		 "member-906e85d53aae70ad", "member-ec0626c760e7ad3e",
		 "member-4774729c9a28b929", "member-30028742c7f5f214",
		 "member-6d8797fbbc12069c");
	assert_file(f->dir, "claims.csv", want);

	/* One quarter: only its lines. */
	struct scope q = small_quarter("2026-02-01");
	assert_int_equal(tables_write_claims(f->dir, &f->w.l, &q, NULL, 1, &err), 0);
	assert_file(f->dir, "claims.csv", CLAIMS_HEADER
		    "13,S5,2026-01-05,2026Q1,G2,C1,I,MCR,2,,,,,,no_rate\n"
		    "14,S5,2026-01-05,2026Q1,G2,C1,J,MCR,2,,,,,,no_rate\n");
}

/* Line 15's impossible date, named with the file's path as given. */
static void test_rejects(void **state)
{
	struct fixture *f = *state;
	struct gr_err err;

	assert_int_equal(tables_write_rejects(f->dir, &f->w.rej, &err), 0);
	assert_file(f->dir, "rejects.csv", "file,line,reason\n"
		    SMALL_CSV ",15,column 'date': no such day in that month "
		    "('2025-02-30')\n");
}

/* Half-up, and symmetric for negative amounts (a take-back). */
static void test_div_round(void **state)
{
	(void)state;
	assert_int_equal(tables_div_round(12601, 2), 6301); /* 6300.5 */
	assert_int_equal(tables_div_round(15061, 3), 5020); /* 5020.33 */
	assert_int_equal(tables_div_round(20, 3), 7);       /* 6.67 */
	assert_int_equal(tables_div_round(0, 7), 0);
	assert_int_equal(tables_div_round(-5, 2), -3);      /* -2.5 */
	assert_int_equal(tables_div_round(-4, 3), -1);      /* -1.33 */
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_summary),
		cmocka_unit_test(test_programs),
		cmocka_unit_test(test_claims),
		cmocka_unit_test(test_rejects),
		cmocka_unit_test(test_div_round),
	};
	return cmocka_run_group_tests_name("tables", tests, setup, teardown);
}
