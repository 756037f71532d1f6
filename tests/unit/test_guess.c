/* test_guess.c — `map --guess` (model/guess.h) on small exports whose
 * right map is known by construction: the separator, the day-first
 * dates, the 24-hour times, the usual header names, the attendance
 * words, a word it cannot know; and the proposed map is always one the
 * reader accepts, even for headers and words a key file cannot hold as
 * they are. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/colmap.h"
#include "model/export.h"
#include "model/guess.h"

static char *guess(const char *csv)
{
	char *out = NULL;
	struct gr_err err;
	if (guess_map_buffer("export.csv", csv, strlen(csv), NULL, &out, &err) != 0)
		fail_msg("guess failed: %s", err.msg);
	return out;
}

#define HAS(text, line)                                                      \
	do {                                                                 \
		if (!strstr(text, "\n" line "\n"))                           \
			fail_msg("the guess has no line '%s':\n%s", line, text); \
	} while (0)

/* Tab-separated, DD/MM/YYYY (13/01 cannot be month-first), HH:MM. */
static void test_tab_dmy(void **state)
{
	(void)state;
	char *g = guess("Patient ID\tTherapist\tPayor\tProgram\tSession Date\tTime\t"
			"CPT Code\tAttendance\n"
			"P1\tKim\tMCR\tDBT\t13/01/2025\t09:00\t90853\tAttended\n"
			"P2\tKim\tMCR\tDBT\t13/01/2025\t09:00\t90853\tAbsent\n"
			"P3\tKim\tMCR\tDBT\t13/01/2025\t09:00\t90853\tRescheduled Twice\n"
			"P1\tKim\tMCR\t\t14/01/2025\t15:30\t90834\tAttended\n");
	HAS(g, "delimiter = tab");
	HAS(g, "date_format = DD/MM/YYYY");
	HAS(g, "time_format = HH:MM");
	HAS(g, "member_id = Patient ID");
	HAS(g, "clinician_id = Therapist");
	HAS(g, "payer_id = Payor");
	HAS(g, "group_id = Program");
	HAS(g, "date = Session Date");
	HAS(g, "start = Time");
	HAS(g, "code = CPT Code");
	HAS(g, "attended = Attendance");
	HAS(g, "Attended = Y");
	HAS(g, "Absent = N");
	assert_non_null(strstr(g, "\n# Rescheduled Twice = ?"));
	assert_null(strstr(g, "P1")); /* no member id printed */
	/* Without rate tables no payer name is known to be an id. */
	assert_non_null(strstr(g, "\n# MCR = ?"));
	free(g);
}

/* A map the reader accepts whatever the export's text: a header with a
 * backslash and one with a leading '#', a status word holding '=' and
 * one starting '['. */
static void test_always_a_map(void **state)
{
	struct arena a;
	struct colmap m;
	struct gr_err err;
	static const char csv[] =
		"Client\\ID,Clinician,Insurance,Group,Date,Status,#notes\n"
		"C1,K,MCR,G,2025-01-06,Show,x\n"
		"C2,K,MCR,G,2025-01-06,a=b,x\n"
		"C3,K,MCR,G,2025-01-06,[odd],x\n";

	(void)state;
	char *g = guess(csv);
	arena_init(&a);
	if (colmap_parse(&m, "guess.ini", g, strlen(g), &a, &err) != 0)
		fail_msg("the guess does not parse: %s\n%s", err.msg, g);
	/* The backslash header is written escaped and reads back as it is. */
	HAS(g, "member_id = Client\\\\ID");
	assert_non_null(strstr(g, "'a=b' cannot be a key of a map"));
	struct roster r;
	struct rejects rej;
	rejects_init(&rej, &a);
	assert_int_equal(export_load_buffer(&r, "export.csv", csv, sizeof csv - 1, &m, NULL,
					    &a, &rej, &err), 0);
	/* Show is read; a=b and [odd] are rejected naming [values attended]. */
	assert_int_equal(r.rows_used, 1);
	assert_int_equal(r.rows_rejected, 2);
	assert_non_null(strstr(VEC_AT(&rej.items, struct reject, 0).reason,
			       "[values attended]"));
	roster_free(&r);
	rejects_free(&rej);
	arena_release(&a);
	free(g);
}

/* No usual name: a column is still found by its values. */
static void test_by_shape(void **state)
{
	(void)state;
	char *g = guess("Client ID,Clinician,Insurance,Group,When,Svc,Kept\n"
			"C1,K,MCR,G,01/06/2025,90853,Show\n"
			"C2,K,MCR,G,01/06/2025,90853,No Show\n");
	HAS(g, "date = When");
	HAS(g, "code = Svc");
	HAS(g, "attended = Kept");
	assert_non_null(strstr(g, "# When: not a usual name, but 2 of 2 values read as dates"));
	free(g);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tab_dmy),
		cmocka_unit_test(test_always_a_map),
		cmocka_unit_test(test_by_shape),
	};
	return cmocka_run_group_tests_name("guess", tests, NULL, NULL);
}
