/* test_covariates.c — the multi-covariate model and the --by tables on
 * the demo practice against R (tests/stats/demo.R, demo.out: glm on the
 * lines, relevel to the most frequent level), and aliasing by hand. */
#include <gsl/gsl_errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "testutil.h"
#include "analysis/covariates.h"
#include "billing/run.h"

static const struct cov_term *term(const struct cov_model *m, const char *name)
{
	for (size_t i = 0; i < m->nterms; i++)
		if (strcmp(m->terms[i].name, name) == 0)
			return &m->terms[i];
	fail_msg("no term %s", name);
	return NULL;
}

/* Load ROWS (a header and records) as an attendance file with the test
 * payers of stats_trend (COM: no size limit) into RUN; the temporary
 * folder is removed again. */
static void load_rows(struct run *run, const char *const *rows, size_t n)
{
	char dir[] = "/tmp/grouprev-cov-XXXXXX";
	char att[1100], cmd[1200];
	struct gr_err err;

	assert_non_null(mkdtemp(dir));
	snprintf(att, sizeof att, "%s/att.csv", dir);
	FILE *f = fopen(att, "w");
	assert_non_null(f);
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s\n", rows[i]);
	fclose(f);
	assert_int_equal(run_load(run, att, "tests/e2e/cases/stats_trend/rt", NULL, NULL, &err), 0);
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	assert_int_equal(system(cmd), 0);
}

/* demo.out, lines "multi ...": R's names rl(cls)medicaid and so on. */
static void test_demo_model(void **state)
{
	static const struct { const char *name; double est, se; } want[] = {
		{ "intercept", -2.17354203314, 0.55020480341 },
		{ "size", 0.064897718223, 0.0489211884001 },
		{ "over_cap", 2.88979447337, 0.308589575255 },
		{ "payer_class=medicaid", 0.375265489153, 0.143438120343 },
		{ "payer_class=medicare", -0.0792866982073, 0.131979136821 },
		{ "modality=audio_only", 0.460926751707, 0.423320909205 },
		{ "modality=telehealth", 0.0965103997128, 0.379244563239 },
		{ "program=ANX-THU-TELE", -0.288083549992, 0.455151514471 },
		{ "program=CBT-TUE-PM", 0.148890046736, 0.246264925551 },
		{ "program=CBT-WED-AM", -0.258723372798, 0.291555120747 },
		{ "program=DBT-CA-TUE", 0.114930702115, 0.283860126562 },
		{ "program=DBT-MON-AM", -0.246900231546, 0.208070673845 },
		{ "program=PSYED-MON-PM", 3.30841547164, 0.370318426841 },
		{ "program=RP-THU-EVE", -0.0490587193781, 0.380628488529 },
		{ "program=TRAUMA-FRI", -0.00167959633653, 0.271656858406 },
	};
	struct run run;
	struct gr_err err;
	struct cov_model m;

	(void)state;
	assert_int_equal(run_load(&run, "samples/attendance.csv", "rate-tables", NULL, NULL, &err), 0);
	assert_int_equal(covariates_model(&run.ledger, &run.scope, &m, &run.arena, &err), 0);
	assert_int_equal(m.status, GLM_OK);
	assert_int_equal(m.nterms, 15);
	for (size_t i = 0; i < 15; i++) {
		const struct cov_term *t = term(&m, want[i].name);
		assert_false(t->aliased);
		assert_close(t->est, want[i].est, 1e-6);
		assert_close(t->se, want[i].se, 1e-6);
	}
	/* "multi lines 2954 deviance 2653.74827042 null 3080.03983252 df 2939" */
	assert_int_equal(m.lines, 2954);
	assert_int_equal(m.unknown_payer, 1);
	assert_close(m.deviance, 2653.74827042, 1e-6);
	assert_close(m.null_deviance, 3080.03983252, 1e-6);
	assert_int_equal(m.df_resid, 2939);
	assert_string_equal(m.ref_class, "commercial");
	assert_string_equal(m.ref_modality, "in_person");
	assert_string_equal(m.ref_program, "RP-WED-EVE");

	/* demo.out, lines "by ...". */
	struct cov_table t;
	static const struct { const char *name; uint64_t n, d, mn, md; } by[] = {
		{ "commercial", 1413, 291, 1362, 253 }, { "medicaid", 699, 194, 648, 149 },
		{ "medicare", 842, 152, 818, 132 }, { "unknown payer", 1, 0, 1, 0 },
	};
	assert_int_equal(covariates_table(&run.ledger, &run.scope, BY_PAYER_CLASS, &t,
					  &run.arena, &err), 0);
	assert_int_equal(t.nlevels, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_string_equal(t.levels[i].name, by[i].name);
		assert_int_equal(t.levels[i].n, by[i].n);
		assert_int_equal(t.levels[i].d, by[i].d);
		assert_int_equal(t.levels[i].model_n, by[i].mn);
		assert_int_equal(t.levels[i].model_d, by[i].md);
	}
	run_free(&run);
}

/* Two programs, each in one modality: program B is telehealth exactly
 * when modality is telehealth, so the program column is a copy of the
 * modality column and is aliased (R: NA), while the rest is estimated.
 * The fit then equals the model without programs: with one binary
 * covariate besides size the MLE reproduces the observed log-odds. */
static void test_aliased(void **state)
{
	/* A: in person, sessions of 3 and 4; B: telehealth, of 3 and 4.
	 * Denials: A 1 of 7, B 3 of 7 — both sizes mixed. */
	static const char *const rows[] = {
		"session_id,date,group_id,clinician_id,member_id,payer_id,attended,status,"
		"modality",
		"A1,2025-03-03,A,C1,M1,COM,Y,denied,in_person",
		"A1,2025-03-03,A,C1,M2,COM,Y,paid,in_person",
		"A1,2025-03-03,A,C1,M3,COM,Y,paid,in_person",
		"A2,2025-03-10,A,C1,M1,COM,Y,paid,in_person",
		"A2,2025-03-10,A,C1,M2,COM,Y,paid,in_person",
		"A2,2025-03-10,A,C1,M3,COM,Y,paid,in_person",
		"A2,2025-03-10,A,C1,M4,COM,Y,paid,in_person",
		"B1,2025-03-04,B,C1,M5,COM,Y,denied,telehealth",
		"B1,2025-03-04,B,C1,M6,COM,Y,paid,telehealth",
		"B1,2025-03-04,B,C1,M7,COM,Y,paid,telehealth",
		"B2,2025-03-11,B,C1,M5,COM,Y,denied,telehealth",
		"B2,2025-03-11,B,C1,M6,COM,Y,denied,telehealth",
		"B2,2025-03-11,B,C1,M7,COM,Y,paid,telehealth",
		"B2,2025-03-11,B,C1,M8,COM,Y,paid,telehealth",
	};
	struct run run;
	struct gr_err err;
	struct cov_model m;

	(void)state;
	load_rows(&run, rows, sizeof rows / sizeof rows[0]);
	assert_int_equal(covariates_model(&run.ledger, &run.scope, &m, &run.arena, &err), 0);
	assert_int_equal(m.status, GLM_OK);
	/* intercept, size, over_cap (all 0: no information), modality=
	 * telehealth, program=B (a copy of the modality column): aliased. */
	assert_true(term(&m, "over_cap")->aliased);
	assert_false(term(&m, "modality=telehealth")->aliased);
	assert_true(term(&m, "program=B")->aliased);
	assert_false(term(&m, "size")->aliased);
	run_free(&run);
}

/* Nothing denied: the fitted rates run to 0, so no coefficient is
 * reported and the sentence says why. */
static void test_no_denials(void **state)
{
	static const char *const rows[] = {
		"session_id,date,group_id,clinician_id,member_id,payer_id,attended,status",
		"S1,2025-03-03,A,C1,M1,COM,Y,paid",
		"S1,2025-03-03,A,C1,M2,COM,Y,paid",
		"S2,2025-03-10,A,C1,M1,COM,Y,paid",
		"S2,2025-03-10,A,C1,M2,COM,Y,paid",
		"S2,2025-03-10,A,C1,M3,COM,Y,paid",
	};
	struct run run;
	struct gr_err err;
	struct cov_model m;
	char text[400];

	(void)state;
	load_rows(&run, rows, sizeof rows / sizeof rows[0]);
	assert_int_equal(covariates_model(&run.ledger, &run.scope, &m, &run.arena, &err), 0);
	assert_int_not_equal(m.status, GLM_OK);
	covariates_summary(&m, text, sizeof text);
	assert_null(strstr(text, "multiplies"));
	run_free(&run);
}

/* More programs than COV_MAX_PROGRAMS: program leaves the model (no
 * program= term), the rest is still fitted, and the reference row says
 * why.  61 programs, each with a session of 3 and one of 4, one denial
 * in every third session. */
static void test_too_many_programs(void **state)
{
	enum { G = COV_MAX_PROGRAMS + 1 };
	char *rows[1 + G * 7];
	size_t n = 0;
	struct run run;
	struct gr_err err;
	struct cov_model m;

	(void)state;
	rows[n++] = strdup("session_id,date,group_id,clinician_id,member_id,payer_id,"
			   "attended,status");
	for (int g = 0; g < G; g++)
		for (int k = 3; k <= 4; k++)
			for (int i = 0; i < k; i++) {
				char buf[200];
				bool den = i == 0 && (2 * g + k) % 3 == 0;
				snprintf(buf, sizeof buf, "P%d-%d,2025-03-%02d,P%d,C1,M%d,COM,Y,%s",
					 g, k, k, g, i, den ? "denied" : "paid");
				rows[n++] = strdup(buf);
			}
	load_rows(&run, (const char *const *)rows, n);
	for (size_t i = 0; i < n; i++)
		free(rows[i]);
	assert_int_equal(covariates_model(&run.ledger, &run.scope, &m, &run.arena, &err), 0);
	assert_int_equal(m.programs, G);
	assert_false(m.program_in);
	assert_null(m.ref_program);
	for (size_t i = 0; i < m.nterms; i++)
		assert_null(strstr(m.terms[i].name, "program="));
	assert_int_equal(m.status, GLM_OK);
	char text[400];
	covariates_summary(&m, text, sizeof text);
	assert_non_null(strstr(text, "not program"));
	run_free(&run);
}

int main(void)
{
	gsl_set_error_handler_off();
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_demo_model),
		cmocka_unit_test(test_aliased),
		cmocka_unit_test(test_no_denials),
		cmocka_unit_test(test_too_many_programs),
	};
	return cmocka_run_group_tests_name("covariates", tests, NULL, NULL);
}
