/* test_export.c — an EHR export read through a column map
 * (model/export.h): the map checked before the export, encodings,
 * delimiters, date and time formats, Excel's text guard, [values]
 * translation, code filtering with add-on rows, and inferred sessions.
 * Every expected line, id and count below was worked out by hand from
 * the little exports in this file and ../shared/spec/exports.md. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "io/colmap.h"
#include "model/export.h"

#define RT "tests/unit/fixtures/export"

struct fixture {
	struct arena a;
	struct rates rt;
	struct rejects rej;
	struct roster r;
	struct gr_err err;
	bool loaded;
};

static int setup(void **state)
{
	struct fixture *f = calloc(1, sizeof *f);
	arena_init(&f->a);
	if (rates_load(&f->rt, RT, &f->a, &f->err) != 0)
		return -1;
	rejects_init(&f->rej, &f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;
	if (f->loaded)
		roster_free(&f->r);
	rejects_free(&f->rej);
	arena_release(&f->a);
	free(f);
	return 0;
}

static int load(struct fixture *f, const char *map, const char *csv)
{
	struct colmap m;

	memset(&f->err, 0, sizeof f->err);
	if (colmap_parse(&m, "map.ini", map, strlen(map), &f->a, &f->err) != 0)
		return -1;
	int rc = export_load_buffer(&f->r, "export.csv", csv, strlen(csv), &m, &f->rt,
				    &f->a, &f->rej, &f->err);
	f->loaded = true;
	return rc;
}

static const char *sid_of(struct fixture *f, size_t line_index)
{
	const struct line *ln = roster_line(&f->r, line_index);
	return strpool_str(&f->r.session_ids, roster_session(&f->r, ln->session)->sid);
}

static const char *reject_at(struct fixture *f, size_t line)
{
	for (size_t i = 0; i < f->rej.items.len; i++) {
		const struct reject *x = &VEC_AT(&f->rej.items, struct reject, i);
		if (x->line == line)
			return x->reason;
	}
	return NULL;
}

#define ASSERT_REJECT(f, line, text)                                         \
	do {                                                                 \
		const char *why_ = reject_at(f, line);                       \
		if (!why_ || !strstr(why_, text))                            \
			fail_msg("line %d: '%s' does not say '%s'", line,    \
				 why_ ? why_ : "(not rejected)", text);      \
	} while (0)

/* The spec's example map (exports.md), with ; and its formats. */
static const char spec_map[] =
	"[file]\n"                                    /* 1 */
	"delimiter = ;\n"                             /* 2 */
	"date_format = MM/DD/YYYY\n"                  /* 3 */
	"time_format = h:mm AM\n"                     /* 4 */
	"[columns]\n"                                 /* 5 */
	"date = Date of Service\n"                    /* 6 */
	"member_id = Client ID\n"                     /* 7 */
	"clinician_id = Clinician\n"                  /* 8 */
	"payer_id = Primary Insurance\n"              /* 9 */
	"group_id = Group Name\n"                     /* 10 */
	"start = Start Time\n"                        /* 11 */
	"code = Service Code\n"                       /* 12 */
	"attended = Status\n"                         /* 13 */
	"minutes = Duration\n"                        /* 14 */
	"[values attended]\n"                         /* 15 */
	"Show = Y\n"                                  /* 16 */
	"No Show = N\n"                               /* 17 */
	"Late Cancel = N\n"                           /* 18 */
	"[values payer_id]\n"                         /* 19 */
	"Medicare = MCR\n";                           /* 20 */

#define HEAD "Date of Service;Client ID;Clinician;Primary Insurance;Group Name;" \
	     "Start Time;Service Code;Status;Duration\n"

/* Mixed codes, add-on rows, an untranslated word, two sessions of one
 * group on one day, a member alone at a time slot. */
static void test_codes_addons_sessions(void **state)
{
	struct fixture *f = *state;
	static const char csv[] = HEAD
		/* 2 */ "01/06/2025;=\"00123\";Dr A;Medicare;DBT;9:00 AM;90853;Show;60\n"
		/* 3 */ "01/06/2025;\"=\"\"00124\"\"\";Dr A;medicare ;DBT;9:00 AM;90853;show;60\n"
		/* 4 */ "01/06/2025;00124;Dr A;Medicare;DBT;9:00 AM;90785;Show;60\n"
		/* 5 */ "01/06/2025;00125;Dr A;Medicare;DBT;9:00 AM;90853;No Show;60\n"
		/* 6 */ "01/06/2025;00126;Dr A;Medicare;DBT;9:00 AM;90834;Whatever;60\n"
		/* 7 */ "01/06/2025;00127;Dr A;Medicare;DBT;9:00 AM;90853;Late Cancelled;60\n"
		/* 8 */ "01/06/2025;00123;Dr A;Medicare;DBT;2:00 PM;90853;Show;60\n"
		/* 9 */ "01/06/2025;00199;Dr A;Medicare;DBT;2:00 PM;90785;Show;60\n"
		/* 10 */ "01/07/2025;00123;Dr A;Medicare;DBT;9:00 AM;90791;Show;60\n"
		/* 11 */ "01/07/2025;00123;Dr A;Medicare;DBT;9:00 AM;90834;Show;60\n";
	assert_int_equal(load(f, spec_map, csv), 0);
	struct roster *r = &f->r;
	/* 10 rows: lines 2, 3, 5, 8 used (4 lines), add-on row 4 used,
	 * 6, 10, 11 skipped, 7 and 9 rejected. */
	assert_int_equal(r->rows_read, 10);
	assert_int_equal(r->lines.len, 4);
	assert_int_equal(r->rows_used, 5);
	assert_int_equal(r->exp.addon_rows, 1);
	assert_int_equal(r->exp.skipped, 3);
	assert_int_equal(r->rows_rejected, 2);
	assert_int_equal(r->rows_read, r->rows_used + r->exp.skipped + r->rows_rejected);
	/* Skipped by code, first seen first: 90834 (lines 6, 11), 90791. */
	assert_int_equal(r->exp.skips.len, 2);
	assert_string_equal(VEC_AT(&r->exp.skips, struct roster_skip, 0).code, "90834");
	assert_int_equal(VEC_AT(&r->exp.skips, struct roster_skip, 0).rows, 2);
	assert_string_equal(VEC_AT(&r->exp.skips, struct roster_skip, 1).code, "90791");
	assert_int_equal(VEC_AT(&r->exp.skips, struct roster_skip, 1).rows, 1);
	ASSERT_REJECT(f, 7, "'Late Cancelled' has no translation: add it to [values attended]");
	ASSERT_REJECT(f, 9, "add-on 90785 has no 90853 row for this member on 2025-01-06");
	/* Two sessions of DBT on 2025-01-06, at 9:00 and 14:00. */
	assert_int_equal(r->sessions.len, 2);
	assert_true(r->exp.sessions_made);
	assert_string_equal(sid_of(f, 0), "DBT-20250106-0900");
	assert_string_equal(sid_of(f, 3), "DBT-20250106-1400");
	/* Excel's guard, both ways, and the translated, trimmed payer. */
	assert_string_equal(strpool_str(&r->members, roster_line(r, 0)->member), "00123");
	assert_string_equal(strpool_str(&r->members, roster_line(r, 1)->member), "00124");
	assert_string_equal(strpool_str(&r->payers, roster_line(r, 1)->payer), "MCR");
	/* The 9:00 session: 00123 and 00124 attended, 00125 absent: size 2;
	 * the 14:00 one is 00123 alone: a group of one. */
	assert_int_equal(roster_session(r, 0)->size, 2);
	assert_int_equal(roster_session(r, 0)->rows, 3);
	assert_int_equal(roster_session(r, 1)->size, 1);
	/* The add-on row on line 4 is 00124's line's addon. */
	assert_int_equal(roster_line(r, 0)->addon, NO_ID8);
	assert_string_equal(strpool_str(&r->addons, roster_line(r, 1)->addon), "90785");
	assert_true(r->columns & COL_ADDON);
	assert_true(r->columns & COL_MINUTES);
	assert_int_equal(roster_line(r, 1)->minutes, 60);
}

/* Two clinicians at the same group, date and time: each id gets the
 * clinician; without start the id has no time. */
static void test_made_ids(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[columns]\nmember_id = client\nclinician_id = provider\n"
		"payer_id = plan\ngroup_id = group\nattended = present\n"
		"start = time\n";
	static const char csv[] =
		"date,client,provider,plan,group,present,time\n"
		"2025-03-03,M1,C1,MCR,G,Y,13:30\n"
		"2025-03-03,M2,C2,MCR,G,Y,1:30 PM\n"
		"2025-03-03,M3,C1,MCR,G,Y,13:30:00\n"
		"2025-03-03,M4,C1,MCR,H,Y,12:05 AM\n";
	assert_int_equal(load(f, map, csv), 0);
	assert_int_equal(f->r.sessions.len, 3);
	assert_string_equal(sid_of(f, 0), "G-20250303-1330-C1");
	assert_string_equal(sid_of(f, 1), "G-20250303-1330-C2");
	assert_string_equal(sid_of(f, 2), "G-20250303-1330-C1");
	assert_string_equal(sid_of(f, 3), "H-20250303-0005");
	assert_int_equal(roster_session(&f->r, 0)->size, 2);
}

/* No session id and no group: a clinician's weekly slot is the group.
 * 2025-03-03 is a Monday (value_weekday's 0 = Monday; a calendar says
 * so too). */
static void test_made_groups(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[columns]\nmember_id = client\nclinician_id = provider\n"
		"payer_id = plan\nattended = present\nstart = time\n";
	static const char csv[] =
		"date,client,provider,plan,present,time\n"
		"2025-03-03,M1,LEE,MCR,Y,9:00 AM\n"
		"2025-03-03,M2,LEE,MCR,Y,9:00 AM\n"
		"2025-03-10,M1,LEE,MCR,Y,9:00 AM\n"
		"2025-03-04,M1,LEE,MCR,Y,6:30 PM\n";
	assert_int_equal(load(f, map, csv), 0);
	assert_true(f->r.exp.groups_made);
	assert_int_equal(f->r.groups.count, 2);
	assert_string_equal(strpool_str(&f->r.groups, 0), "LEE-MON-0900");
	assert_string_equal(strpool_str(&f->r.groups, 1), "LEE-TUE-1830");
	assert_string_equal(sid_of(f, 0), "LEE-MON-0900-20250303-0900");
	assert_string_equal(sid_of(f, 2), "LEE-MON-0900-20250310-0900");
	assert_int_equal(f->r.sessions.len, 3);
	assert_true(f->r.columns == 0); /* no optional column */
}

static void test_no_start_day_sessions(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[file]\ndate_format = DD/MM/YYYY\n[columns]\nmember_id = client\n"
		"clinician_id = provider\npayer_id = plan\ngroup_id = group\n"
		"attended = present\n";
	static const char csv[] =
		"date,client,provider,plan,group,present\n"
		"03/02/2025,M1,C1,MCR,G,Y\n"     /* 3 February */
		"03/02/2025,M2,C1,MCR,G,Y\n"
		"2025-02-03,M3,C1,MCR,G,Y\n"     /* 4: not DD/MM/YYYY */
		"31/02/2025,M4,C1,MCR,G,Y\n";    /* 5: no such day */
	assert_int_equal(load(f, map, csv), 0);
	assert_int_equal(f->r.sessions.len, 1);
	assert_string_equal(sid_of(f, 0), "G-20250203");
	ASSERT_REJECT(f, 4, "is not written DD/MM/YYYY (the map's date_format, line 2)");
	ASSERT_REJECT(f, 5, "no such day in that month");
}

/* A ';' file whose rows hold no quote at all, and a comma inside a
 * field: the loader's plain-record scanner splits at commas only, so
 * such rows must go to libcsv with the map's delimiter (found when main's
 * scanner was merged). */
static void test_semicolon_no_quotes(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[file]\ndelimiter = ;\n[columns]\nmember_id = client\n"
		"clinician_id = provider\npayer_id = plan\ngroup_id = group\n"
		"attended = present\n";
	static const char csv[] =
		"date;client;provider;plan;group;present\n"
		"2025-03-03;M1;Smith, J;MCR;G;Y\n"
		"2025-03-03;M2;Smith, J;MCR;G;Y\n";
	assert_int_equal(load(f, map, csv), 0);
	assert_int_equal(f->r.rows_used, 2);
	assert_string_equal(strpool_str(&f->r.clinicians, 0), "Smith, J");
	assert_string_equal(sid_of(f, 1), "G-20250303");
}

/* windows-1252: é is 0xE9; 0x81 is not a character there. */
static void test_windows_1252(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[file]\nencoding = windows-1252\n[columns]\n"
		"session_id = Session\nmember_id = client\nclinician_id = provider\n"
		"payer_id = plan\ngroup_id = group\nattended = present\n";
	static const char csv[] =
		"Session,date,client,provider,plan,group,present\n"
		"S1,2025-03-03,M1,Jos\xe9,MCR,G,Y\n"
		"S1,2025-03-03,M2,Jos\xe9,MCR,G,Y\n"
		"S1,2025-03-03,M3,Jos\x81,MCR,G,Y\n";
	assert_int_equal(load(f, map, csv), 0);
	assert_int_equal(f->r.lines.len, 2);
	assert_false(f->r.exp.sessions_made);
	assert_string_equal(strpool_str(&f->r.clinicians, 0), "Jos\xc3\xa9");
	ASSERT_REJECT(f, 4, "byte 0x81 (line 4, byte 21) is not a character in windows-1252");

	/* In the header it stops the load: the encoding is likely wrong. */
	roster_free(&f->r);
	f->loaded = false;
	static const char bad_header[] = "Sessio\x81n,date\nS1,2025-03-03\n";
	assert_int_equal(load(f, map, bad_header), -1);
	assert_int_equal(f->err.line, 1);
	assert_non_null(strstr(f->err.msg, "byte 0x81 (byte 7) of the header is not a "
					   "character in windows-1252"));
}

/* Without an encoding key, a file that is not UTF-8 is named. */
static void test_encoding_guess(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[columns]\nmember_id = client\nclinician_id = provider\n"
		"payer_id = plan\ngroup_id = group\nattended = present\n";
	static const char csv[] =
		"date,client,provider,plan,group,present\n"
		"2025-03-03,M1,C1,MCR,G,Y\n"
		"2025-03-03,M2,Jos\xe9,MCR,G,Y\n";
	assert_int_equal(load(f, map, csv), 0);
	assert_string_equal(f->r.exp.guess, "windows-1252");
	assert_int_equal(f->r.exp.guess_line, 3);
	ASSERT_REJECT(f, 3, "set `encoding = windows-1252` in the map's [file] group");
}

/* The map is checked whole before the export: each error names its line. */
static void test_map_errors(void **state)
{
	struct fixture *f = *state;
	static const struct { const char *map; size_t line; const char *says; } cases[] = {
		{ "[columns]\nmember_id = client\ndatee = x\n", 3, "key 'datee' is not a grouprev column" },
		{ "[columns]\nmember_id = Client Number\n", 2,
		  "member_id = Client Number: export.csv has no column 'Client Number'" },
		/* Without a session id the group may be made; with one it is needed. */
		{ "[columns]\nmember_id = client\n", 1, "export.csv has no column for 'clinician_id'" },
		{ "[columns]\nmember_id = client\nsession_id = plan\n", 1,
		  "export.csv has no column for 'group_id'" },
		{ "[file]\ntime_format = 24h\n[columns]\n", 2, "time_format '24h'" },
		{ "[file]\nencoding = UTF-32\n[columns]\n", 2, "keep ASCII" },
		{ "[file]\ndelimiter = ;;\n[columns]\n", 2, "not one character" },
		{ "[file]\nquote = '\n[columns]\n", 2, "unknown key 'quote' in [file]" },
		{ "[colums]\n", 1, "unknown group [colums]" },
		{ "[values attended]\nShow = Y\nSHOW = N\n[columns]\n", 3, "translated twice" },
		{ "[columns]\nmember_id = client\nclinician_id = CLIENT\n", 3,
		  "already mapped to 'member_id' on line 2" },
		{ "[file]\n", 0, "no [columns] group" },
	};
	static const char csv[] = "date,client,provider,plan,group,present\n"
				  "2025-03-03,M1,C1,MCR,G,Y\n";
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		roster_free(&f->r);
		f->loaded = false;
		assert_int_equal(load(f, cases[i].map, csv), -1);
		if (f->err.line != cases[i].line || !strstr(f->err.msg, cases[i].says) ||
		    strcmp(f->err.file, "map.ini"))
			fail_msg("case %zu: %s:%zu '%s', want line %zu '%s'", i, f->err.file,
				 f->err.line, f->err.msg, cases[i].line, cases[i].says);
		/* Nothing of the export was read. */
		assert_int_equal(f->r.rows_read, 0);
		assert_int_equal(f->rej.items.len, 0);
	}
}

/* Times: the map's format is kept; without it every spelling reads. */
static void test_times(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[file]\ntime_format = HH:MM\n[columns]\nmember_id = client\n"
		"clinician_id = provider\npayer_id = plan\ngroup_id = group\n"
		"attended = present\nstart = time\n";
	static const char csv[] =
		"date,client,provider,plan,group,present,time\n"
		"2025-03-03,M1,C1,MCR,G,Y,09:00\n"
		"2025-03-03,M2,C1,MCR,G,Y,9:00 AM\n"   /* 3: AM with HH:MM */
		"2025-03-03,M3,C1,MCR,G,Y,24:00\n"     /* 4 */
		"2025-03-03,M4,C1,MCR,G,Y,\n"          /* 5: empty start */
		"2025-03-03,M5,C1,MCR,G,Y,9:60\n";     /* 6 */
	assert_int_equal(load(f, map, csv), 0);
	assert_int_equal(f->r.lines.len, 1);
	assert_string_equal(sid_of(f, 0), "G-20250303-0900");
	ASSERT_REJECT(f, 3, "has AM/PM, but the map's time_format is HH:MM");
	ASSERT_REJECT(f, 4, "hour above 23");
	ASSERT_REJECT(f, 5, "column 'start' is empty");
	ASSERT_REJECT(f, 6, "minutes above 59");
}

/* Status and modality words through [values], and the vocabulary. */
static void test_vocabulary_words(void **state)
{
	struct fixture *f = *state;
	static const char map[] =
		"[columns]\nmember_id = client\nclinician_id = provider\n"
		"payer_id = plan\ngroup_id = group\nattended = present\n"
		"modality = Location\nsession_id = appt\n"
		"[values modality]\nVideo Office = telehealth\nMain Office = in_person\n"
		"Garden = outdoors\n";
	static const char csv[] =
		"appt,date,client,provider,plan,group,present,Location,status\n"
		"S,2025-03-03,M1,C1,MCR,G,yes,Video Office,\n"
		"S,2025-03-03,M2,C1,MCR,G,Y,main office,paid\n"
		"S,2025-03-03,M3,C1,MCR,G,Y,Garden,\n"        /* 4 */
		"S,2025-03-03,M4,C1,MCR,G,Y,Moon,\n"          /* 5 */
		"S,2025-03-03,M5,C1,MCR,G,Y,video,settled\n"; /* 6 */
	assert_int_equal(load(f, map, csv), 0);
	assert_int_equal(f->r.lines.len, 2);
	assert_int_equal(roster_line(&f->r, 0)->modality, MODALITY_TELEHEALTH);
	assert_int_equal(roster_line(&f->r, 1)->modality, MODALITY_IN_PERSON);
	assert_int_equal(roster_line(&f->r, 1)->status, STATUS_PAID);
	ASSERT_REJECT(f, 4, "[values modality] (line 9) translates this row's word to 'outdoors'");
	ASSERT_REJECT(f, 5, "'Moon' has no translation: add it to [values modality]");
	ASSERT_REJECT(f, 6, "'settled' has no translation: add it to [values status]");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_codes_addons_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_ids, setup, teardown),
		cmocka_unit_test_setup_teardown(test_made_groups, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_start_day_sessions, setup, teardown),
		cmocka_unit_test_setup_teardown(test_semicolon_no_quotes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_windows_1252, setup, teardown),
		cmocka_unit_test_setup_teardown(test_encoding_guess, setup, teardown),
		cmocka_unit_test_setup_teardown(test_map_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_times, setup, teardown),
		cmocka_unit_test_setup_teardown(test_vocabulary_words, setup, teardown),
	};
	return cmocka_run_group_tests_name("export", tests, NULL, NULL);
}
