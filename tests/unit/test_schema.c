/* test_schema.c — the one attendance schema and its vocabularies
 * (model/schema.h), and that every reader uses them: attendance.csv and
 * plan.csv accept the same modality words (issue 13: `video` used to be
 * read in one and refused in the other).
 *
 * Expected names, order and required flags are typed from the table of
 * ../shared/spec/inputs.md ("attendance.csv: one row per member per
 * session"), not from schema.c.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "model/plan.h"
#include "model/roster.h"
#include "model/schema.h"

#define RT "tests/unit/fixtures/schema"

static void test_columns_as_in_inputs_md(void **state)
{
	(void)state;
	/* inputs.md, in its order; "yes" in the required column. */
	static const struct { const char *name; bool required; } want[] = {
		{ "session_id", true }, { "date", true }, { "group_id", true },
		{ "clinician_id", true }, { "member_id", true }, { "payer_id", true },
		{ "attended", true }, { "group_type", false }, { "credential", false },
		{ "minutes", false }, { "modality", false }, { "pos", false },
		{ "auth_id", false }, { "diagnosis", false }, { "modifiers", false },
		{ "note", false }, { "addon", false }, { "status", false },
		{ "paid", false }, { "carc", false },
	};
	assert_true(ATT_NCOLS >= sizeof want / sizeof want[0]);
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		assert_string_equal(schema_columns[i].name, want[i].name);
		assert_int_equal(schema_columns[i].required, want[i].required);
		/* Every optional column has its own COL_* bit, and the bit
		 * names it back (the run's "rule not checked" notice). */
		if (!want[i].required)
			assert_string_equal(schema_name_of_bit(schema_columns[i].bit),
					    want[i].name);
		else
			assert_int_equal(schema_columns[i].bit, 0);
		assert_int_equal(schema_find(want[i].name), (int)i);
	}
	/* exports.md: the map-only columns start and code. */
	assert_int_equal(schema_find("start"), MAP_START);
	assert_int_equal(schema_find("CODE"), MAP_CODE);
	assert_false(schema_columns[MAP_START].required);
	assert_int_equal(schema_find("no_such_column"), -1);
	assert_string_equal(schema_name_of_bit(0), "?");
}

static void test_vocabularies(void **state)
{
	uint8_t m = 99;

	(void)state;
	/* inputs.md: in_person, telehealth (audio-video), audio_only. */
	assert_int_equal(schema_modality("in_person", 9, &m), 0);
	assert_int_equal(m, MODALITY_IN_PERSON);
	assert_int_equal(schema_modality("Video", 5, &m), 0);
	assert_int_equal(m, MODALITY_TELEHEALTH);
	assert_int_equal(schema_modality("AUDIO_ONLY", 10, &m), 0);
	assert_int_equal(m, MODALITY_AUDIO_ONLY);
	assert_int_equal(schema_modality("", 0, &m), 0);
	assert_int_equal(m, MODALITY_UNKNOWN);
	/* Only N bytes count: "telehealthX" cut at 10 is telehealth. */
	assert_int_equal(schema_modality("telehealthX", 10, &m), 0);
	assert_int_equal(m, MODALITY_TELEHEALTH);
	assert_int_equal(schema_modality("telehealthX", 11, &m), -1);
	assert_int_equal(schema_modality("hybrid", 6, &m), -1);

	assert_int_equal(schema_status("Paid", 4, &m), 0);
	assert_int_equal(m, STATUS_PAID);
	assert_int_equal(schema_status("denied", 6, &m), 0);
	assert_int_equal(m, STATUS_DENIED);
	assert_int_equal(schema_status("PENDING", 7, &m), 0);
	assert_int_equal(m, STATUS_PENDING);
	assert_int_equal(schema_status("", 0, &m), 0);
	assert_int_equal(m, STATUS_NONE);
	assert_int_equal(schema_status("rejected", 8, &m), -1);
}

static char *write_tmp(const char *text)
{
	static char path[64];
	snprintf(path, sizeof path, "/tmp/grouprev-schema-XXXXXX");
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");
	fputs(text, fp);
	fclose(fp);
	return path;
}

/* The same modality words in attendance.csv and plan.csv. */
static void test_readers_share_modality(void **state)
{
	struct arena a;
	struct rates rt;
	struct rejects rej;
	struct gr_err err;
	struct plan p;
	struct roster r;

	(void)state;
	arena_init(&a);
	assert_int_equal(rates_load(&rt, RT, &a, &err), 0);
	rejects_init(&rej, &a);
	char *path = write_tmp(
		"group_id,sessions,enrolled,attendance_rate,payer_mix,modality,start\n"
		"V,12,8,0.8,MCR:1,video,2025-01-06\n"
		"P,12,8,0.8,MCR:1,phone,2025-01-06\n"
		"E,12,8,0.8,MCR:1,,2025-01-06\n"
		"X,12,8,0.8,MCR:1,hologram,2025-01-06\n");
	assert_int_equal(plan_load(&p, path, &rt, INT32_MIN, &a, &rej, &err), 0);
	unlink(path);
	assert_int_equal(p.ngroups, 3);
	assert_int_equal(p.groups[0].modality, MODALITY_TELEHEALTH);
	assert_int_equal(p.groups[1].modality, MODALITY_AUDIO_ONLY);
	assert_int_equal(p.groups[2].modality, MODALITY_IN_PERSON); /* plan default */
	assert_int_equal(rej.items.len, 1);
	const struct reject *x = &VEC_AT(&rej.items, struct reject, 0);
	assert_int_equal(x->line, 5);
	assert_non_null(strstr(x->reason, "'hologram' is not in_person, telehealth or audio_only"));

	static const char att[] =
		"session_id,date,group_id,clinician_id,member_id,payer_id,attended,modality\n"
		"S1,2025-01-06,G,C,M1,MCR,Y,video\n"
		"S1,2025-01-06,G,C,M2,MCR,Y,phone\n"
		"S1,2025-01-06,G,C,M3,MCR,Y,\n"
		"S1,2025-01-06,G,C,M4,MCR,Y,hologram\n";
	assert_int_equal(roster_load_buffer(&r, "att.csv", att, sizeof att - 1, &a, &rej,
					    NULL, &err), 0);
	assert_int_equal(r.rows_used, 3);
	assert_int_equal(roster_line(&r, 0)->modality, MODALITY_TELEHEALTH);
	assert_int_equal(roster_line(&r, 1)->modality, MODALITY_AUDIO_ONLY);
	assert_int_equal(roster_line(&r, 2)->modality, MODALITY_UNKNOWN); /* attendance default */
	assert_int_equal(rej.items.len, 2);
	x = &VEC_AT(&rej.items, struct reject, 1);
	assert_int_equal(x->line, 5);
	assert_non_null(strstr(x->reason, "'hologram' is not in_person, telehealth or audio_only"));
	assert_true(r.columns & COL_MODALITY);
	assert_false(r.columns & COL_STATUS);
	roster_free(&r);
	rejects_free(&rej);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_columns_as_in_inputs_md),
		cmocka_unit_test(test_vocabularies),
		cmocka_unit_test(test_readers_share_modality),
	};
	return cmocka_run_group_tests_name("schema", tests, NULL, NULL);
}
