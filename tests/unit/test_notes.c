/* test_notes.c — the notes audit: words (NFKC, case folding, word
 * boundaries), the element lists, notes.csv, and each finding on notes
 * written here whose expected findings and similarities are worked out
 * by hand in the comments. */
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "analysis/notes.h"
#include "analysis/notes_run.h"
#include "core/words.h"
#include "model/elements.h"
#include "model/notefile.h"
#include "model/roster.h"

/* ---- words ------------------------------------------------------------ */

static size_t split(const char *s, uint64_t *out, size_t max, int glib)
{
	struct vec v;
	vec_init(&v, sizeof(uint64_t));
	long n = glib ? words_split_glib(s, strlen(s), &v) : words_split(s, strlen(s), &v);
	assert_true(n >= 0);
	assert_true((size_t)n <= max);
	if (n)
		memcpy(out, v.data, (size_t)n * sizeof *out);
	vec_free(&v);
	return (size_t)n;
}

#define H(w) words_hash(w, strlen(w))

static void test_words_boundaries(void **state)
{
	uint64_t w[16];
	(void)state;
	/* Letters and digits make words; everything else separates them. */
	assert_int_equal(split("Client's MOOD,improved!  F41.1\r\nok", w, 16, 0), 7);
	assert_true(w[0] == H("client") && w[1] == H("s") && w[2] == H("mood"));
	assert_true(w[3] == H("improved") && w[4] == H("f41") && w[5] == H("1"));
	assert_true(w[6] == H("ok"));
	assert_int_equal(split("  ...  ", w, 16, 0), 0);
	assert_int_equal(split("", w, 16, 0), 0);
}

static void test_words_unicode(void **state)
{
	uint64_t a[8], b[8];
	(void)state;
	/* U+2019 after "Client" is punctuation: same words as ASCII "'". */
	assert_int_equal(split("Client\xe2\x80\x99s", a, 8, 0), 2);
	assert_true(a[0] == H("client") && a[1] == H("s"));
	/* Fullwidth letters (U+FF43 ...) are NFKC-equal to ASCII. */
	assert_int_equal(split("\xef\xbd\x83\xef\xbd\x8c\xef\xbd\x89\xef\xbd\x85\xef\xbd\x8e\xef\xbd\x94",
			       a, 8, 0), 1);
	assert_true(a[0] == H("client"));
	/* The ligature U+FB01 is "fi" under NFKC. */
	assert_int_equal(split("\xef\xac\x81ne", a, 8, 0), 1);
	assert_true(a[0] == H("fine"));
	/* Case folding: "STRASSE" and "stra\u00dfe" fold alike ("strasse"). */
	split("STRASSE", a, 8, 0);
	split("Stra\xc3\x9f" "e", b, 8, 0);
	assert_true(a[0] == b[0] && a[0] == H("strasse"));
	/* A decomposed e + U+0301 composes to U+00E9 ("é" = c3 a9). */
	split("Jose\xcc\x81", a, 8, 0);
	split("JOS\xc3\x89", b, 8, 0);
	assert_true(a[0] == b[0] && a[0] == H("jos\xc3\xa9"));
	/* Invalid UTF-8 separates words instead of failing. */
	assert_int_equal(split("ab\xff" "cd", a, 8, 0), 2);
	assert_true(a[0] == H("ab") && a[1] == H("cd"));
}

static void test_words_ascii_path_is_glib(void **state)
{
	uint64_t a[64], b[64];
	unsigned s = 7;
	char buf[128];
	(void)state;
	/* Random printable ASCII: the direct path gives GLib's words. */
	for (int t = 0; t < 2000; t++) {
		size_t n = (size_t)(t % 100);
		for (size_t i = 0; i < n; i++) {
			s = s * 1103515245u + 12345u;
			buf[i] = (char)(0x20 + (s >> 16) % 95);
		}
		buf[n] = '\0';
		size_t na = split(buf, a, 64, 0), nb = split(buf, b, 64, 1);
		assert_int_equal(na, nb);
		assert_memory_equal(a, b, na * sizeof *a);
	}
}

/* ---- element lists ----------------------------------------------------- */

static const char ELEMENTS[] =
	"[participation]\nwords=participated;eye contact\n"
	"[response]\nwords=reported;insight\n"
	"[plan]\nnext=next session;homework\n";

/* The audit's lists below: every note meant to show all three elements
 * has a word of each (checked by eye against the notes). */
static const char ELEMENTS_AUDIT[] =
	"[participation]\nwords=participated;engaged;shared;joined;described;eye contact\n"
	"[response]\nwords=reported;stated;insight;identified\n"
	"[plan]\nnext=next session;next group;homework;agreed to;plans;plan\n";

static void load_list(struct elements *e, const char *text)
{
	struct gr_err err;
	assert_int_equal(elements_load_buffer(e, "el.conf", text, strlen(text), &err), 0);
}

static void load_elements(struct elements *e)
{
	load_list(e, ELEMENTS);
}

static void test_elements(void **state)
{
	struct elements e;
	struct gr_err err;
	uint64_t w[16];
	uint8_t bits[16];
	(void)state;
	load_elements(&e);
	assert_int_equal(e.nterms, 6);
	/* "made eye contact, then homework before the next session" */
	size_t n = split("Made EYE contact; homework before the next session.", w, 16, 0);
	elements_mark(&e, w, n, bits);
	/* made eye contact homework before the next session
	 *  0    1     2       3       4     5    6     7   */
	uint8_t want[8] = { 0, 1, 1, 4, 0, 0, 4, 4 };
	assert_int_equal(n, 8);
	assert_memory_equal(bits, want, 8);
	/* "eye" alone is not the phrase. */
	n = split("eye", w, 16, 0);
	elements_mark(&e, w, n, bits);
	assert_int_equal(bits[0], 0);
	elements_free(&e);

	/* An exception clears its element where it appears, only there. */
	static const char exc[] = "[participation]\nw=joined\n[response]\nw=denied\n"
				  "[plan]\nw=plan;!intent or plan\n";
	load_list(&e, exc);
	assert_int_equal(e.per[ELEMENT_PLAN], 1);
	n = split("denied intent or plan; plan to rest", w, 16, 0);
	elements_mark(&e, w, n, bits);
	/* denied intent or plan plan to rest: only the second "plan". */
	uint8_t want2[7] = { 2, 0, 0, 0, 4, 0, 0 };
	assert_int_equal(n, 7);
	assert_memory_equal(bits, want2, 7);
	elements_free(&e);

	static const char none[] = "[participation]\nw=x\n[response]\nw=y\n";
	assert_int_equal(elements_load_buffer(&e, "el.conf", none, strlen(none), &err), -1);
	assert_non_null(strstr(err.msg, "[plan]"));
	static const char bad[] = "[plans]\nw=x\n";
	assert_int_equal(elements_load_buffer(&e, "el.conf", bad, strlen(bad), &err), -1);
	assert_non_null(strstr(err.msg, "unknown element"));
}

/* ---- notes.csv --------------------------------------------------------- */

static void test_notefile(void **state)
{
	struct arena a;
	struct rejects rej;
	struct notefile nf;
	struct gr_err err;
	(void)state;
	/* Line 2: a note over two physical lines (2-3); line 4: no session;
	 * line 5: a bad date; line 6 empty; line 7 a row without author. */
	static const char csv[] =
		"Session_ID,member_id,TEXT,signed,author,member_name\n"
		"S1,M1,\"Secret words here\nand more\",2026-01-05,C1,Ann Lee\n"
		",M2,Secret empty session,,C1,\n"
		"S1,M3,Secret bad date,2026-02-30,C1,\n"
		"\n"
		"S2,M1,Secret,,,\n";
	arena_init(&a);
	rejects_init(&rej, &a);
	assert_int_equal(notefile_load(&nf, "n.csv", csv, strlen(csv), &a, &rej, NULL,
				       &err), 0);
	assert_int_equal(nf.notes.len, 2);
	assert_int_equal(nf.rows_read, 4);
	assert_int_equal(nf.rows_rejected, 2);
	const struct note *n0 = notefile_note(&nf, 0), *n1 = notefile_note(&nf, 1);
	assert_int_equal(n0->line, 2);
	assert_int_equal(n0->nwords, 5);  /* secret words here and more */
	assert_int_equal(n0->nself, 3);   /* ann lee m1 */
	assert_int_equal(n0->signed_on, 20458); /* 2026-01-05: 56 years + 14 leap days */
	assert_int_equal(n1->line, 7);
	assert_int_equal(n1->author, NOTE_NONE);
	assert_int_equal(rej.items.len, 2);
	for (size_t i = 0; i < rej.items.len; i++) {
		const struct reject *x = &VEC_AT(&rej.items, struct reject, i);
		/* Never a value of the row in a message. */
		assert_null(strstr(x->reason, "Secret"));
		assert_null(strstr(x->reason, "2026"));
	}
	assert_int_equal(VEC_AT(&rej.items, struct reject, 0).line, 4);
	assert_int_equal(VEC_AT(&rej.items, struct reject, 1).line, 5);
	notefile_free(&nf);
	rejects_free(&rej);
	arena_release(&a);
}

/* ---- the audit --------------------------------------------------------- */

/* The group paragraph: 20 words, shared by every note of session A. */
#define G "Group psychotherapy focused on relapse prevention; the therapist reviewed " \
	  "trigger identification, craving management and coping planning with members. "
/* Member parts: 20 words or more, each with an element word of all three. */
#define P1 "Ann participated actively, reported cravings after work stress and " \
	   "identified a trigger chain; she will practice urge surfing before the next session."
#define P2 "Client engaged quietly, gave eye contact, stated that mood was low this week, " \
	   "and agreed to homework: call sponsor twice before the next session."

static const char ROSTER[] =
	"session_id,date,group_id,clinician_id,member_id,payer_id,attended\n"
	"A,2026-01-05,G1,C1,M1,MCR,Y\n"   /* line 2 */
	"A,2026-01-05,G1,C1,M2,MCR,Y\n"   /* 3 */
	"A,2026-01-05,G1,C1,M3,MCR,Y\n"   /* 4 */
	"A,2026-01-05,G1,C1,M4,MCR,Y\n"   /* 5 */
	"A,2026-01-05,G1,C1,M5,MCR,N\n"   /* 6 absent */
	"B,2026-01-12,G1,C1,M1,MCR,Y\n"   /* 7 */
	"B,2026-01-12,G1,C1,M2,MCR,Y\n"   /* 8 */
	"B,2026-01-12,G1,C1,M3,MCR,Y\n"   /* 9 */
	"C,2026-01-13,G2,C2,M6,MCR,Y\n"   /* 10 */
	"C,2026-01-13,G2,C2,M7,MCR,Y\n"   /* 11 */
	"C,2026-01-13,G2,C2,M8,MCR,Y\n"   /* 12 */
	"C,2026-01-13,G2,C2,M9,MCR,Y\n";  /* 13 */

/* Session C's member parts: 30 words; M7's differs from M6's in one
 * word in the middle (word 15, "fifteenx" for "fifteen").  With the
 * default 2-shingles each part has 29; the changed word is in 2 of them,
 * so 27 are common and the Jaccard similarity is 27 / (29 + 29 - 27) =
 * 27/31 = 0.871 >= 0.8: cloned.  (With 3-shingles: 25/31 = 0.806.) */
#define C30a "one two three four five six seven eight nine ten eleven twelve " \
	     "thirteen fourteen "
#define C30b " sixteen seventeen eighteen nineteen twenty participated reported " \
	     "plan alpha beta gamma delta epsilon zeta omega"

static const char NOTES[] =
	"session_id,member_id,member_name,text\n"
	/* 2: M1, own part P1 (names ignored). */
	"A,M1,Ann Lee,\"" G P1 "\"\n"
	/* 3: M2, own part P2. */
	"A,M2,Bo Ray,\"" G P2 "\"\n"
	/* 4: M3, Ann's part with the name changed: identical to line 2
	 * once each member's own name is ignored. */
	"A,M3,Cy Dee,\"" G "Cy participated actively, reported cravings after work "
	"stress and identified a trigger chain; she will practice urge surfing before "
	"the next session.\"\n"
	/* 5: M4, five words of its own: not individual (5 < 15); "reported"
	 * is a response word but there is no participation or plan word. */
	"A,M4,Di Fox,\"" G "Di reported feeling fine today.\"\n"
	/* 6: M5 is absent: refused. */
	"A,M5,,\"" G "Absent member note.\"\n"
	/* 7: M1 next week, new words. */
	"B,M1,Ann Lee,\"Group processed grief and loss with guided imagery and peer "
	"feedback on coping statements for the holidays. Ann shared a memory of her "
	"father, was tearful, identified guilt as the main barrier, and plans to "
	"write a letter before the next group.\"\n"
	/* 8: M2 next week: P2 again (copied forward: all of its shingles are
	 * in line 3, similarity 1.00). */
	"B,M2,Bo Ray,\"Group processed grief and loss with guided imagery and peer "
	"feedback on coping statements for the holidays. " P2 "\"\n"
	/* 9: M3 next week: a note of its own. */
	"B,M3,Cy Dee,\"Group processed grief and loss with guided imagery and peer "
	"feedback on coping statements for the holidays. Cy joined late, listened, "
	"and said little; reported poor sleep and irritability, and agreed to "
	"schedule a medication review with the prescriber this week.\"\n"
	/* 10-12: session C, no shared paragraph. */
	"C,M6,,\"" C30a "fifteen" C30b "\"\n"
	"C,M7,,\"" C30a "FIFTEENX" C30b "\"\n"
	"C,M8,,\"\"\n"
	/* 13: a third note of words of its own, so that what M6 and M7
	 * share is in 2 of 3 notes, below the 3 (ceil(0.75 x 3)) that make
	 * a passage the session's shared text. */
	"C,M9,,\"Client sat apart, declined to speak in the opening round, then "
	"described a panic episode on the bus and reported lower distress after "
	"breathing practice; plan to repeat the exercise daily.\"\n"
	/* 14: a second note for M6 in C: refused. */
	"C,M6,,\"again\"\n"
	/* 15: no such line. */
	"Z,M1,,\"nothing\"\n";

struct world {
	struct arena a;
	struct rejects rej;
	struct roster ro;
	struct notefile nf;
	struct elements el;
	struct notes_audit au;
};

static int setup(void **state)
{
	struct world *w = calloc(1, sizeof *w);
	struct gr_err err;
	struct scope all = { true, 0 };
	struct notes_opts o = NOTES_OPTS_DEFAULT;
	arena_init(&w->a);
	rejects_init(&w->rej, &w->a);
	load_list(&w->el, ELEMENTS_AUDIT);
	if (roster_load_buffer(&w->ro, "att.csv", ROSTER, strlen(ROSTER), &w->a, &w->rej,
			       NULL, &err) ||
	    notefile_load(&w->nf, "notes.csv", NOTES, strlen(NOTES), &w->a, &w->rej, NULL,
			  &err) ||
	    notes_audit_run(&w->au, &w->nf, &w->el, &w->ro, &all, &o, &w->rej, &err))
		return -1;
	*state = w;
	return 0;
}

static int teardown(void **state)
{
	struct world *w = *state;
	notes_audit_free(&w->au);
	notefile_free(&w->nf);
	elements_free(&w->el);
	roster_free(&w->ro);
	rejects_free(&w->rej);
	arena_release(&w->a);
	free(w);
	return 0;
}

/* Roster line index of attendance.csv line L (one row per line here). */
#define AT(l) ((size_t)(l) - 2)
#define F(k) (1u << (k))

static void test_audit_findings(void **state)
{
	struct world *w = *state;
	const struct notes_audit *a = &w->au;

	/* Session A: P1 and P2 are the member's own; line 4 repeats line 2. */
	assert_int_equal(notes_line_findings(a, AT(2)), F(NOTE_IDENTICAL));
	assert_int_equal(notes_line_findings(a, AT(3)), 0);
	assert_int_equal(notes_line_findings(a, AT(4)), F(NOTE_IDENTICAL));
	assert_int_equal(a->v[a->line_note[AT(4)]].like, 0); /* note 0 = line 2 */
	assert_int_equal(notes_line_findings(a, AT(5)),
			 F(NOTE_NOT_INDIVIDUAL) | F(NOTE_ELEMENTS));
	/* "di" is the name: "reported feeling fine today" = 4 words. */
	assert_int_equal(a->v[a->line_note[AT(5)]].own_words, 4);
	assert_int_equal(a->v[a->line_note[AT(5)]].missing,
			 (1u << ELEMENT_PARTICIPATION) | (1u << ELEMENT_PLAN));
	/* P1 without "Ann": 21 words, every one the member's own. */
	assert_int_equal(a->v[a->line_note[AT(2)]].own_words, 21);
	assert_int_equal(notes_line_findings(a, AT(6)), 0); /* absent */

	/* Session B: line 8 is P2 copied forward from line 3. */
	assert_int_equal(notes_line_findings(a, AT(7)), 0);
	assert_int_equal(notes_line_findings(a, AT(8)), F(NOTE_COPIED_FORWARD));
	const struct note_verdict *v8 = &a->v[a->line_note[AT(8)]];
	assert_int_equal(notefile_note(&w->nf, v8->earlier)->line, 3);
	assert_close(v8->earlier_sim, 1.0, 1e-6);
	assert_int_equal(notes_line_findings(a, AT(9)), 0);

	/* Session C: 27/31 alike (worked out above), and an empty note. */
	assert_int_equal(notes_line_findings(a, AT(10)), F(NOTE_CLONED));
	assert_int_equal(notes_line_findings(a, AT(11)), F(NOTE_CLONED));
	assert_close(a->v[a->line_note[AT(10)]].clone_sim, 27.0 / 31.0, 1e-6);
	assert_int_equal(notes_line_findings(a, AT(12)), F(NOTE_MISSING));
	assert_int_equal(notes_line_findings(a, AT(13)), 0);

	/* Counts: 11 attended lines; lines 3, 7, 9 and 13 have no finding. */
	assert_int_equal(a->attended, 11);
	assert_int_equal(a->individualized, 4);
	assert_int_equal(a->by_rule[NOTE_IDENTICAL], 2);
	assert_int_equal(a->by_rule[NOTE_CLONED], 2);
	assert_int_equal(a->by_rule[NOTE_MISSING], 1);
	assert_int_equal(a->unmatched, 1);
	assert_int_equal(a->absent, 1);
	assert_int_equal(a->duplicate, 1);
}

static void test_audit_reasons(void **state)
{
	struct world *w = *state;
	char buf[400];

	notes_reason(&w->au, AT(10), NOTE_CLONED, buf, sizeof buf);
	assert_string_equal(buf, "the member's part of the note (line 10) is 0.87 alike "
			    "with the note of notes.csv line 11 (session C) (word "
			    "2-shingles; threshold 0.80)");
	notes_reason(&w->au, AT(8), NOTE_COPIED_FORWARD, buf, sizeof buf);
	assert_string_equal(buf, "1.00 of the member's part of the note (line 8) is in "
			    "their note of 2026-01-05, notes.csv line 3 (session A) "
			    "(threshold 0.80)");
	notes_format_ids(F(NOTE_MISSING) | F(NOTE_ELEMENTS), buf, sizeof buf);
	assert_string_equal(buf, "note;note_elements");
	/* The refusals name lines, never text. */
	size_t found = 0;
	for (size_t i = 0; i < w->rej.items.len; i++) {
		const struct reject *x = &VEC_AT(&w->rej.items, struct reject, i);
		if (strcmp(x->file, "notes.csv"))
			continue;
		assert_null(strstr(x->reason, "again"));
		assert_null(strstr(x->reason, "nothing"));
		assert_null(strstr(x->reason, "Absent"));
		found |= 1u << x->line;
	}
	assert_int_equal(found, (1u << 6) | (1u << 14) | (1u << 15));
}

/* The same world with 3-shingles: session C's clone is 25/31 alike
 * (worked out beside C30a). */
static void test_audit_shingle3(void **state)
{
	struct world *w = *state;
	struct notes_audit au;
	struct gr_err err;
	struct scope all = { true, 0 };
	struct notes_opts o = NOTES_OPTS_DEFAULT;
	struct rejects rej;

	o.shingle = 3;
	o.threads = 2;
	rejects_init(&rej, &w->a);
	assert_int_equal(notes_audit_run(&au, &w->nf, &w->el, &w->ro, &all, &o, &rej,
					 &err), 0);
	assert_int_equal(notes_line_findings(&au, AT(10)), F(NOTE_CLONED));
	assert_close(au.v[au.line_note[AT(10)]].clone_sim, 25.0 / 31.0, 1e-6);
	/* Every other finding is the same as with 2-shingles. */
	for (size_t i = 0; i < w->ro.lines.len; i++)
		assert_int_equal(notes_line_findings(&au, i),
				 notes_line_findings(&w->au, i));
	notes_audit_free(&au);
	rejects_free(&rej);
}

/* Where the element lists are looked for. */
static void test_elements_path(void **state)
{
	char buf[256];
	(void)state;
	notes_elements_path(buf, sizeof buf, "mine.conf", "rt/payers.csv", "/shipped");
	assert_string_equal(buf, "mine.conf");
	/* tests/unit has no note-elements.conf beside a payers.csv of its
	 * own: the shipped folder's. */
	notes_elements_path(buf, sizeof buf, NULL, "tests/unit/payers.csv", "/shipped");
	assert_string_equal(buf, "/shipped/note-elements.conf");
	/* The shipped tables' folder has one: that one. */
	notes_elements_path(buf, sizeof buf, NULL, "rate-tables/payers.csv", "/shipped");
	assert_string_equal(buf, "rate-tables/note-elements.conf");
}

static void test_options(void **state)
{
	struct notes_opts o = NOTES_OPTS_DEFAULT;
	struct gr_err err;
	(void)state;
	assert_int_equal(notes_opt_set(&o, "note-similarity", "0.9", &err), 0);
	assert_close(o.similarity, 0.9, 0);
	assert_int_equal(notes_opt_set(&o, "note-shared", "0.5", &err), 0);
	assert_close(o.shared, 0.5, 0);
	assert_int_equal(notes_opt_set(&o, "note-min-words", "20", &err), 0);
	assert_int_equal(o.min_words, 20);
	assert_int_equal(notes_opt_set(&o, "note-shingle", "2", &err), 0);
	assert_int_equal(o.shingle, 2);
	assert_int_equal(notes_opt_set(&o, "note-similarity", "1.5", &err), -1);
	assert_int_equal(notes_opt_set(&o, "note-shingle", "0", &err), -1);
	assert_int_equal(notes_opt_set(&o, "note-min-words", "-1", &err), -1);
	assert_int_equal(notes_opt_set(&o, "rates", "x", &err), 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words_boundaries),
		cmocka_unit_test(test_words_unicode),
		cmocka_unit_test(test_words_ascii_path_is_glib),
		cmocka_unit_test(test_elements),
		cmocka_unit_test(test_notefile),
		cmocka_unit_test_setup_teardown(test_audit_findings, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_reasons, setup, teardown),
		cmocka_unit_test_setup_teardown(test_audit_shingle3, setup, teardown),
		cmocka_unit_test(test_elements_path),
		cmocka_unit_test(test_options),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
