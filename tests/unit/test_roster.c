/* test_roster.c — attendance.csv into lines and sessions (roster.h)
 * against docs/inputs.md: sessions grouped by session_id whatever the row
 * order, group size = attended rows, a session defined by its first
 * accepted row, the same member once per session (also when the rows of
 * two sessions interleave), interned ids in first-seen order, the narrow
 * columns' limits (255 licences, add-ons and group types; 65,535 payers
 * and reason codes) and every reason a row is rejected, with its line.
 * Every expected value is counted by hand from the literal inputs below;
 * line numbers are physical, header = 1 (inputs.md). */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "model/pseudonym.h"
#include "model/roster.h"

struct world {
	struct arena a;
	struct roster r;
	struct rejects rej;
	struct gr_err err;
	int rc;
};

static void load_tuned(struct world *w, const char *csv, size_t len,
		       const struct load_tuning *tu)
{
	memset(w, 0, sizeof *w);
	arena_init(&w->a);
	rejects_init(&w->rej, &w->a);
	w->rc = roster_load_buffer(&w->r, "att.csv", csv, len, &w->a, &w->rej, tu,
				   &w->err);
}

static void load(struct world *w, const char *csv)
{
	load_tuned(w, csv, strlen(csv), NULL);
	if (w->rc != 0)
		fail_msg("load failed: %s", w->err.msg);
}

static void done(struct world *w)
{
	roster_free(&w->r);
	rejects_free(&w->rej);
	arena_release(&w->a);
}

static const struct reject *rej_at(const struct world *w, size_t i)
{
	assert_true(i < w->rej.items.len);
	return &VEC_AT(&w->rej.items, struct reject, i);
}

static const char *str(const struct strpool *p, uint32_t id)
{
	return strpool_str(p, id);
}

/* B's roster and rejects are A's, to the byte. */
static void assert_same(const struct world *a, const struct world *b)
{
	assert_int_equal(b->r.rows_read, a->r.rows_read);
	assert_int_equal(b->r.empty_lines, a->r.empty_lines);
	assert_int_equal(b->r.columns, a->r.columns);
	assert_int_equal(b->r.lines.len, a->r.lines.len);
	assert_memory_equal(b->r.lines.data, a->r.lines.data,
			    a->r.lines.len * sizeof(struct line));
	assert_int_equal(b->r.sessions.len, a->r.sessions.len);
	assert_memory_equal(b->r.sessions.data, a->r.sessions.data,
			    a->r.sessions.len * sizeof(struct session));
	assert_int_equal(b->rej.items.len, a->rej.items.len);
	for (size_t i = 0; i < a->rej.items.len; i++) {
		assert_int_equal(rej_at(b, i)->line, rej_at(a, i)->line);
		assert_string_equal(rej_at(b, i)->reason, rej_at(a, i)->reason);
	}
	for (uint32_t i = 0; i < a->r.members.count; i++)
		assert_string_equal(str(&b->r.members, i), str(&a->r.members, i));
}

/* Reject I is on LINE of att.csv and its reason holds each of the
 * NULL-terminated fragments (the column and the value named). */
static void assert_reject(const struct world *w, size_t i, size_t line, ...)
{
	const struct reject *x = rej_at(w, i);
	va_list ap;

	assert_string_equal(x->file, "att.csv");
	if (x->line != line)
		fail_msg("reject %zu is on line %zu (%s), want line %zu", i, x->line,
			 x->reason, line);
	va_start(ap, line);
	for (const char *frag; (frag = va_arg(ap, const char *));)
		if (!strstr(x->reason, frag))
			fail_msg("line %zu: reason '%s' lacks '%s'", line, x->reason, frag);
	va_end(ap);
}

#define H7 "session_id,date,group_id,clinician_id,member_id,payer_id,attended\n"

/* 2025-05-05 is day 20213 since 1970-01-01: 2025-01-01 is 20089
 * (55 years, 14 of them leap: 55 x 365 + 14), plus 31 + 28 + 31 + 30 + 4. */
#define D20250505 20213

static void test_sessions_grouped(void **state)
{
	struct world w;

	(void)state;
	load(&w, H7
	     "S1,2025-05-05,G1,C1,M1,MCR,Y\n"   /* 2 */
	     "S1,2025-05-05,G1,C1,M2,MCD,Y\n"   /* 3 */
	     "S2,2025-05-06,G2,C2,M1,MCR,Y\n"   /* 4: M1 again, another session */
	     "S1,2025-05-05,G1,C1,M3,MCR,N\n"   /* 5: S1 again after S2, absent */
	     "\n"                               /* 6: empty, skipped */
	     "S2,2025-05-06,G2,C2,M4,COM,yes\n" /* 7 */
	     "S3,2025-05-05,G1,C1,M2,MCD,no\n"); /* 8: only an absent row */
	assert_int_equal(w.rej.items.len, 0);
	assert_int_equal(w.r.rows_read, 6);
	assert_int_equal(w.r.rows_used, 6);
	assert_int_equal(w.r.rows_rejected, 0);
	assert_int_equal(w.r.empty_lines, 1);
	assert_int_equal(w.r.columns, 0); /* no optional column */

	/* Three sessions in first-seen order; size = attended rows, rows =
	 * every accepted row (S1: M1, M2 attended, M3 absent). */
	static const struct { const char *sid, *group, *clin; int32_t date;
		uint32_t first, size, rows; } want[3] = {
		{ "S1", "G1", "C1", D20250505, 2, 2, 3 },
		{ "S2", "G2", "C2", D20250505 + 1, 4, 2, 2 },
		{ "S3", "G1", "C1", D20250505, 8, 0, 1 },
	};
	assert_int_equal(w.r.sessions.len, 3);
	for (uint32_t i = 0; i < 3; i++) {
		const struct session *s = roster_session(&w.r, i);
		assert_string_equal(str(&w.r.session_ids, s->sid), want[i].sid);
		assert_string_equal(str(&w.r.groups, s->group), want[i].group);
		assert_string_equal(str(&w.r.clinicians, s->clinician), want[i].clin);
		assert_int_equal(s->date, want[i].date);
		assert_int_equal(s->first_line, want[i].first);
		assert_int_equal(s->size, want[i].size);
		assert_int_equal(s->rows, want[i].rows);
	}
	/* Lines in file order with their physical line, session and member. */
	static const struct { uint32_t src, session; const char *member, *payer;
		bool attended; } lines[6] = {
		{ 2, 0, "M1", "MCR", true }, { 3, 0, "M2", "MCD", true },
		{ 4, 1, "M1", "MCR", true }, { 5, 0, "M3", "MCR", false },
		{ 7, 1, "M4", "COM", true }, { 8, 2, "M2", "MCD", false },
	};
	assert_int_equal(w.r.lines.len, 6);
	for (size_t i = 0; i < 6; i++) {
		const struct line *ln = roster_line(&w.r, i);
		assert_int_equal(ln->src_line, lines[i].src);
		assert_int_equal(ln->session, lines[i].session);
		assert_string_equal(str(&w.r.members, ln->member), lines[i].member);
		assert_string_equal(str(&w.r.payers, ln->payer), lines[i].payer);
		assert_int_equal((ln->flags & LINE_ATTENDED) != 0, lines[i].attended);
		/* No optional column: nothing but attendance. */
		assert_int_equal(ln->flags & ~LINE_ATTENDED, 0);
		assert_int_equal(ln->status, STATUS_NONE);
		assert_int_equal(ln->modality, MODALITY_UNKNOWN);
		assert_int_equal(ln->pos, POS_NONE);
		assert_int_equal(ln->minutes, 0);
		assert_int_equal(ln->modifiers, 0);
		assert_int_equal(ln->credential, NO_ID8);
		assert_int_equal(ln->addon, NO_ID8);
		assert_int_equal(ln->group_type, NO_ID8);
		assert_int_equal(ln->carc, NO_ID16);
	}
	done(&w);
}

/* Ids are dense and in first-seen order (strpool.h), one per distinct
 * string whatever its session; the redacted label numbers members the
 * same way (roster.h: "member-000042", first-seen order). */
static void test_interning(void **state)
{
	struct world w;

	(void)state;
	load(&w, H7
	     "A,2025-05-05,G,C,zoe,P2,Y\n"
	     "A,2025-05-05,G,C,amy,P1,Y\n"
	     "B,2025-05-12,G,C,amy,P2,Y\n"
	     "B,2025-05-12,G,C,Zoe,P1,Y\n"); /* ids are case-sensitive */
	assert_int_equal(w.r.members.count, 3);
	assert_int_equal(w.r.payers.count, 2);
	assert_int_equal(w.r.groups.count, 1);
	assert_int_equal(w.r.clinicians.count, 1);
	assert_int_equal(w.r.session_ids.count, 2);
	static const uint32_t member[4] = { 0, 1, 1, 2 }, payer[4] = { 0, 1, 0, 1 };
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(roster_line(&w.r, i)->member, member[i]);
		assert_int_equal(roster_line(&w.r, i)->payer, payer[i]);
	}
	assert_string_equal(str(&w.r.members, 0), "zoe");
	assert_string_equal(str(&w.r.members, 2), "Zoe");
	assert_string_equal(str(&w.r.payers, 0), "P2");
	assert_string_equal(pseudonym_of(NULL, &w.r, 1), "amy");
	/* Keyed pseudonyms (issue 19): HMAC-SHA-256 under the key 00 01 ...
	 * 1f, the first 16 hex digits, computed apart with Python's hmac:
	 * hmac.new(bytes(range(32)), b"zoe", hashlib.sha256).hexdigest()[:16] */
	unsigned char key[PSEUDONYM_KEY_BYTES];
	for (int i = 0; i < PSEUDONYM_KEY_BYTES; i++)
		key[i] = (unsigned char)i;
	struct pseudonyms ps;
	assert_int_equal(pseudonyms_build(&ps, &w.r, key, &w.a, &w.err), 0);
	assert_string_equal(pseudonym_of(&ps, &w.r, 0), "member-a6da3139b983e9c8");
	assert_string_equal(pseudonym_of(&ps, &w.r, 1), "member-13a72607da30aaf5");

	done(&w);
}

static const char optional_csv[] =
	"Session_ID , date,group_id,clinician_id,member_id,payer_id,attended,"
	"group_type,credential,minutes,modality,pos,auth_id,diagnosis,modifiers,"
	"note,addon,status,paid,carc,extra\n"
	/* 2 */ "S,2025-05-05,G,C,M1,MCR,Y,CBT,LCSW,60,video,02,A9,F33.1,"
	"\"95;hq, GT xx\",Y,90785,paid,\"$1,204.50\",,x\n"
	/* 3 */ "S,05/05/2025,G,C,M2,MCR,Y,CBT,PhD,1440,phone,7,,,93,n,,denied,0,CO-50,x\n"
	/* 4 */ "S,2025-05-05,G,C,M3,MCD,N,,,,in_person,,,,,,,pending,,,x\n"
	/* 5 */ "S,2025-05-05,G,C,M4,MCD,Y,DBT,LCSW,,,,,,,,,,-12.50,CO-50,x\n";

/* Every optional column read into the line (inputs.md). */
static void test_optional_columns(void **state)
{
	struct world w;

	(void)state;
	load(&w, optional_csv);
	assert_int_equal(w.rej.items.len, 0);
	assert_int_equal(w.r.columns, (1u << 13) - 1); /* all 13 COL_* bits */
	assert_string_equal(w.r.ignored_columns, "extra");
	assert_int_equal(w.r.sessions.len, 1); /* 05/05/2025 is 2025-05-05 */
	assert_int_equal(roster_session(&w.r, 0)->size, 3);

	const struct line *a = roster_line(&w.r, 0), *b = roster_line(&w.r, 1),
			  *c = roster_line(&w.r, 2), *d = roster_line(&w.r, 3);
	assert_int_equal(a->minutes, 60);
	assert_int_equal(a->modality, MODALITY_TELEHEALTH);
	assert_int_equal(a->pos, 2);
	assert_int_equal(a->modifiers, MOD_95 | MOD_HQ | MOD_GT | MOD_OTHER);
	assert_int_equal(a->flags, LINE_ATTENDED | LINE_HAS_DIAGNOSIS | LINE_HAS_NOTE |
				   LINE_HAS_AUTH | LINE_HAS_PAID);
	assert_int_equal(a->status, STATUS_PAID);
	assert_int_equal(a->paid, 120450);
	assert_string_equal(str(&w.r.group_types, a->group_type), "CBT");
	assert_string_equal(str(&w.r.credentials, a->credential), "LCSW");
	assert_string_equal(str(&w.r.addons, a->addon), "90785");
	assert_int_equal(a->carc, NO_ID16);

	assert_int_equal(b->minutes, 1440);
	assert_int_equal(b->modality, MODALITY_AUDIO_ONLY);
	assert_int_equal(b->pos, 7);
	assert_int_equal(b->modifiers, MOD_93);
	assert_int_equal(b->flags, LINE_ATTENDED | LINE_HAS_PAID); /* note n */
	assert_int_equal(b->status, STATUS_DENIED);
	assert_int_equal(b->paid, 0);
	assert_int_equal(b->group_type, a->group_type);
	assert_string_equal(str(&w.r.credentials, b->credential), "PhD");
	assert_string_equal(str(&w.r.carcs, b->carc), "CO-50");
	assert_int_equal(b->addon, NO_ID8);

	assert_int_equal(c->modality, MODALITY_IN_PERSON);
	assert_int_equal(c->flags, 0); /* absent, nothing on file */
	assert_int_equal(c->status, STATUS_PENDING);
	assert_int_equal(c->group_type, NO_ID8);
	assert_int_equal(c->credential, NO_ID8);

	assert_int_equal(d->modality, MODALITY_UNKNOWN);
	assert_int_equal(d->pos, POS_NONE);
	assert_int_equal(d->paid, -1250); /* a take-back */
	assert_int_equal(d->credential, a->credential);
	assert_int_equal(d->carc, b->carc);
	assert_int_equal(w.r.group_types.count, 2);
	assert_int_equal(w.r.credentials.count, 2);
	done(&w);
}

/* A session is its first accepted row; a later row with another date,
 * group or clinician is rejected naming the value, the line that set it
 * and the row's value; the date is compared first, then the group, then
 * the clinician; and a member listed twice is rejected naming the first
 * line.  Rejected rows create nothing. */
static void test_disagreeing_rows(void **state)
{
	struct world w;

	(void)state;
	load(&w, H7
	     "S,2025-05-05,G,C,M1,MCR,Y\n"  /* 2 defines S */
	     "S,2025-05-06,G,C,M2,MCR,Y\n"  /* 3 date */
	     "S,2025-05-05,H,C,M3,MCR,Y\n"  /* 4 group */
	     "S,2025-05-05,G,D,M4,MCR,Y\n"  /* 5 clinician */
	     "S,2025-05-06,H,D,M5,MCR,Y\n"  /* 6 all three: date named */
	     "S,2025-05-05,H,D,M5,MCR,Y\n"  /* 7 group and clinician: group */
	     "S,05/05/2025,G,C,M6,MCR,Y\n"  /* 8 the same day: accepted */
	     "S,2025-05-05,G,C,M1,MCR,N\n"  /* 9 M1 again (absent too) */
	     "S,2025-05-06,G,C,M1,MCR,Y\n"  /* 10 date before duplicate */
	     "S,2025-05-05,G,C,M2,MCD,Y\n"  /* 11 M2's row 3 was rejected: new */
	     "T,2025-05-05,H,D,M1,MCR,Y\n"); /* 12 another session: fine */
	assert_int_equal(w.rej.items.len, 7);
	assert_reject(&w, 0, 3, "session 'S' has date '2025-05-05' (line 2) but this "
		      "row says '2025-05-06'", NULL);
	assert_reject(&w, 1, 4, "session 'S' has group_id 'G' (line 2) but this row "
		      "says 'H'", NULL);
	assert_reject(&w, 2, 5, "session 'S' has clinician_id 'C' (line 2) but this "
		      "row says 'D'", NULL);
	assert_reject(&w, 3, 6, "has date '2025-05-05'", NULL);
	assert_reject(&w, 4, 7, "has group_id 'G'", NULL);
	assert_reject(&w, 5, 9, "member already listed in session 'S' on line 2", NULL);
	assert_reject(&w, 6, 10, "has date", NULL);
	assert_int_equal(w.r.rows_read, 11);
	assert_int_equal(w.r.rows_used, 4);
	assert_int_equal(w.r.rows_rejected, 7);
	assert_int_equal(w.r.sessions.len, 2);
	const struct session *s = roster_session(&w.r, 0);
	assert_int_equal(s->size, 3); /* M1, M6, M2 */
	assert_int_equal(s->rows, 3);
	assert_int_equal(roster_line(&w.r, 2)->src_line, 11);
	assert_int_equal(w.r.members.count, 3); /* M1 M6 M2: M3-M5 never used */
	done(&w);
}

/* The rows of two sessions alternate, 700 members each, so the
 * (session, member) pairs move into the hash set and it grows past its
 * first 1,024 slots (half full at 512); then every member is listed again
 * in each session and each repeat must name its first line. */
static void test_duplicates_interleaved(void **state)
{
	enum { N = 700 };
	GString *csv = g_string_new(NULL);
	struct world w;

	(void)state;
	g_string_append(csv, H7);
	/* Line 2 + 2k: S1's member k; line 3 + 2k: S2's member k. */
	for (int k = 0; k < N; k++)
		g_string_append_printf(csv, "S1,2025-05-05,G,C,M%d,MCR,Y\n"
			"S2,2025-05-05,G,C,M%d,MCR,Y\n", k, k);
	/* Then lines 2 + 2N + 2k and 3 + 2N + 2k repeat them. */
	for (int k = 0; k < N; k++)
		g_string_append_printf(csv, "S1,2025-05-05,G,C,M%d,MCR,N\n"
			"S2,2025-05-05,G,C,M%d,MCR,Y\n", k, k);
	/* A contiguous session with one repeat: line 2 + 4N + 2. */
	g_string_append(csv, "S3,2025-05-06,G,C,X,MCR,Y\n"
		"S3,2025-05-06,G,C,Y,MCR,Y\n"
		"S3,2025-05-06,G,C,X,MCR,Y\n");
	load_tuned(&w, csv->str, csv->len, NULL);
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.rej.items.len, 2 * N + 1);
	for (int k = 0; k < N; k++) {
		char want[64];
		snprintf(want, sizeof want, "in session 'S1' on line %d:", 2 + 2 * k);
		assert_reject(&w, 2 * (size_t)k, 2 + 2 * N + 2 * (size_t)k, want, NULL);
		snprintf(want, sizeof want, "in session 'S2' on line %d:", 3 + 2 * k);
		assert_reject(&w, 2 * (size_t)k + 1, 3 + 2 * N + 2 * (size_t)k, want, NULL);
	}
	assert_reject(&w, 2 * N, 4 * N + 4, "in session 'S3' on line ", NULL);
	char want[64];
	snprintf(want, sizeof want, "on line %d:", 4 * N + 2);
	assert_reject(&w, 2 * N, 4 * N + 4, want, NULL);
	assert_int_equal(roster_session(&w.r, 0)->size, N);
	assert_int_equal(roster_session(&w.r, 1)->size, N);
	assert_int_equal(roster_session(&w.r, 2)->size, 2);
	assert_int_equal(w.r.rows_used, 2 * N + 2);
	done(&w);
	g_string_free(csv, TRUE);
}

#define HALL "session_id,date,group_id,clinician_id,member_id,payer_id,attended," \
	"minutes,modality,pos,note,status,paid\n"

static const char rejection_csv[] = HALL
	/* 2 */ ",2025-05-05,G,C,M,P,Y,,,,,,\n"
	/* 3 */ "S,,G,C,M,P,Y,,,,,,\n"
	/* 4 */ "S,2025-05-05,,C,M,P,Y,,,,,,\n"
	/* 5 */ "S,2025-05-05,G,,M,P,Y,,,,,,\n"
	/* 6 */ "S,2025-05-05,G,C,,P,Y,,,,,,\n"
	/* 7 */ "S,2025-05-05,G,C,M,,Y,,,,,,\n"
	/* 8 */ "S,2025-05-05,G,C,M,P,,,,,,,\n"
	/* 9 */ "S,2025-02-30,G,C,M,P,Y,,,,,,\n"
	/* 10 */ "S,tomorrow,G,C,M,P,Y,,,,,,\n"
	/* 11 */ "S,2025-05-05,G,C,M,P,maybe,,,,,,\n"
	/* 12 */ "S,2025-05-05,G,C,M,P,Y,1441,,,,,\n"
	/* 13 */ "S,2025-05-05,G,C,M,P,Y,an hour,,,,,\n"
	/* 14 */ "S,2025-05-05,G,C,M,P,Y,,hologram,,,,\n"
	/* 15 */ "S,2025-05-05,G,C,M,P,Y,,,011,,,\n"
	/* 16 */ "S,2025-05-05,G,C,M,P,Y,,,1a,,,\n"
	/* 17 */ "S,2025-05-05,G,C,M,P,Y,,,,perhaps,,\n"
	/* 18 */ "S,2025-05-05,G,C,M,P,Y,,,,,approved,\n"
	/* 19 */ "S,2025-05-05,G,C,M,P,Y,,,,,,27.431\n"
	/* 20 */ "S,2025-05-05,G,C,M,P,Y,,,,,,\"$20,000,000.00\"\n"
	/* 21 */ "S,2025-05-05,G,C,M,P,N,,,,,paid,\n"
	/* 22 */ "S,2025-05-05,G,C,M,P,no,,,,,Denied,\n"
	/* 23 */ "S,2025-05-05,G,C,M,P,Y,,,\n"
	/* 24 */ "S,2025-05-05,G,C,M,P,Y,,,,,,,extra\n"
	/* 25 */ "S,\"2025-05-05\nx\",G,C,M,P,Y,,,,,,\n" /* a quoted line break */
	/* 27: accepted, at the limits */
	"S,2025-05-05,G,C,M,P,N,1440,telehealth,99,0,pending,\"-$10,737,418.23\"\n";

/* Every reason a row is refused, each on its line, naming the column and
 * the value (inputs.md: "rejected with its file, line number and reason"). */
static void test_every_rejection(void **state)
{
	struct world w;

	(void)state;
	load(&w, rejection_csv);
	static const char *const required[7] = {
		"session_id", "date", "group_id", "clinician_id", "member_id",
		"payer_id", "attended",
	};
	size_t i = 0;
	for (; i < 7; i++) {
		char want[64];
		snprintf(want, sizeof want, "column '%s' is empty", required[i]);
		assert_reject(&w, i, 2 + i, want, NULL);
	}
	assert_reject(&w, i++, 9, "column 'date'", "no such day", "'2025-02-30'", NULL);
	assert_reject(&w, i++, 10, "column 'date'", "'tomorrow'", NULL);
	assert_reject(&w, i++, 11, "column 'attended'", "'maybe'", NULL);
	assert_reject(&w, i++, 12, "column 'minutes'", "'1441'", NULL);
	assert_reject(&w, i++, 13, "column 'minutes'", "'an hour'", NULL);
	assert_reject(&w, i++, 14, "column 'modality'", "'hologram'", NULL);
	assert_reject(&w, i++, 15, "column 'pos'", "'011'", NULL);
	assert_reject(&w, i++, 16, "column 'pos'", "'1a'", NULL);
	assert_reject(&w, i++, 17, "column 'note'", "'perhaps'", NULL);
	assert_reject(&w, i++, 18, "column 'status'", "'approved'", NULL);
	assert_reject(&w, i++, 19, "column 'paid'", "more than 2 decimals", "'27.431'", NULL);
	assert_reject(&w, i++, 20, "column 'paid'", "too large", NULL);
	assert_reject(&w, i++, 21, "absent", "'paid'", NULL);
	assert_reject(&w, i++, 22, "absent", "'Denied'", NULL);
	assert_reject(&w, i++, 23, "10 fields, the header has 13", NULL);
	assert_reject(&w, i++, 24, "14 fields, the header has 13", NULL);
	assert_reject(&w, i++, 25, "column 'date'", NULL);
	assert_int_equal(w.rej.items.len, i);
	assert_int_equal(w.r.rows_read, i + 1);
	assert_int_equal(w.r.rows_rejected, i);
	assert_int_equal(w.r.rows_used, 1);
	const struct line *ln = roster_line(&w.r, 0);
	assert_int_equal(ln->src_line, 27);
	assert_int_equal(ln->minutes, 1440);
	assert_int_equal(ln->pos, 99);
	assert_int_equal(ln->paid, -1073741823); /* -(INT32_MAX / 2) cents */
	assert_int_equal(w.r.sessions.len, 1);
	assert_int_equal(roster_session(&w.r, 0)->first_line, 27);
	done(&w);
}

/* The first of the 256 different values of a one-byte column is refused
 * with its line; a value already seen still loads afterwards. */
static void narrow_one_byte(const char *column, const char *what)
{
	GString *csv = g_string_new(NULL);
	struct world w;

	g_string_append_printf(csv, "session_id,date,group_id,clinician_id,member_id,"
		"payer_id,attended,%s\n", column);
	/* Lines 2-256: values v0..v254, each in a session of its own. */
	for (int k = 0; k <= 255; k++)
		g_string_append_printf(csv, "S%d,2025-05-05,G,C,M,P,Y,v%d\n", k, k);
	g_string_append(csv, "S,2025-05-05,G,C,M,P,Y,v7\n");
	load_tuned(&w, csv->str, csv->len, NULL);
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.rej.items.len, 1);
	char want[96];
	snprintf(want, sizeof want, "column '%s': more than 255 different %s", column,
		 what);
	assert_reject(&w, 0, 257, want, NULL);
	assert_int_equal(w.r.rows_used, 256);
	assert_int_equal(roster_line(&w.r, 254)->src_line, 256);
	assert_int_equal(roster_line(&w.r, 255)->src_line, 258);
	done(&w);
	g_string_free(csv, TRUE);
}

static void test_narrow_one_byte(void **state)
{
	(void)state;
	narrow_one_byte("credential", "licences");
	narrow_one_byte("addon", "add-on codes");
	narrow_one_byte("group_type", "group types");
}

/* 65,535 payers and 65,535 reason codes load; the row that brings the
 * 65,536th of either is refused (the reason code is checked first); a
 * row with both known loads. */
static void test_narrow_two_bytes(void **state)
{
	enum { N = 65535 };
	GString *csv = g_string_new(NULL);
	struct world w;

	(void)state;
	g_string_append(csv, "session_id,date,group_id,clinician_id,member_id,"
		"payer_id,attended,carc\n");
	/* Lines 2 .. N + 1: payer Pk and code Kk. */
	for (int k = 0; k < N; k++)
		g_string_append_printf(csv, "S%d,2025-05-05,G,C,M,P%d,Y,K%d\n",
			k, k, k);
	g_string_append(csv, "A,2025-05-05,G,C,M,Pnew,Y,Knew\n" /* N + 2 */
		"B,2025-05-05,G,C,M,Pnew,Y,K1\n"   /* N + 3 */
		"C,2025-05-05,G,C,M,P1,Y,Knew\n"   /* N + 4 */
		"D,2025-05-05,G,C,M,P9,Y,K9\n");   /* N + 5 */
		load_tuned(&w, csv->str, csv->len, NULL);
	assert_int_equal(w.rc, 0);
	assert_int_equal(w.rej.items.len, 3);
	assert_reject(&w, 0, N + 2, "column 'carc': more than 65535 different reason codes", NULL);
	assert_reject(&w, 1, N + 3, "column 'payer_id': more than 65535 different payers", NULL);
	assert_reject(&w, 2, N + 4, "column 'carc': more than 65535", NULL);
	assert_int_equal(w.r.rows_used, N + 1);
	const struct line *last = roster_line(&w.r, N);
	assert_int_equal(last->src_line, N + 5);
	assert_int_equal(last->payer, 9);
	assert_int_equal(last->carc, 9);
	assert_int_equal(roster_line(&w.r, N - 1)->payer, N - 1);
	done(&w);
	g_string_free(csv, TRUE);
}

/* A missing required column stops the load, naming the file and column
 * (inputs.md). */
static void test_missing_column(void **state)
{
	static const char csv[] = "session_id,date,group_id,clinician_id,payer_id,attended\n"
				  "S,2025-05-05,G,C,P,Y\n";
	struct world w;

	(void)state;
	load_tuned(&w, csv, sizeof csv - 1, NULL);
	assert_int_equal(w.rc, -1);
	assert_string_equal(w.err.file, "att.csv");
	assert_non_null(strstr(w.err.msg, "member_id"));
	done(&w);
}

/* Parsed on two threads in parts of 64 bytes, interleaved sessions,
 * duplicates and bad rows come out exactly as on one thread. */
static void test_parallel_same(void **state)
{
	GString *csv = g_string_new(NULL);
	struct world one, two;
	struct load_tuning tu = { .threads = 2, .chunk = 64, .min_parallel = 1 };

	(void)state;
	g_string_append(csv, H7);
	for (int k = 0; k < 300; k++)
		g_string_append_printf(csv, "S%d,2025-05-0%d,G%d,C,M%d,P%d,%s\n",
			k % 7, 1 + k % 7, k % 7, k % 40, k % 3,
			k % 11 == 0 ? "bad" : k % 5 ? "Y" : "N");
	load_tuned(&one, csv->str, csv->len, NULL);
	load_tuned(&two, csv->str, csv->len, &tu);
	assert_int_equal(one.rc, 0);
	assert_int_equal(two.rc, 0);
	/* 300 rows k = 0..299: 28 with attended "bad" (k = 0, 11, ..., 297).
	 * Row k is session k % 7 and member k % 40, so a pair repeats after
	 * lcm(7, 40) = 280 rows: rows 280-299 repeat rows 0-19, and are
	 * duplicates unless they are bad themselves (286, 297) or repeat a
	 * bad row (280 repeats 0, 291 repeats 11): 16 duplicates. */
	assert_int_equal(one.r.rows_read, 300);
	assert_int_equal(one.rej.items.len, 28 + 16);
	assert_int_equal(one.r.lines.len, 300 - 44);
	assert_same(&one, &two);
	done(&two);
	/* And through libcsv alone (load.h: the reference parser), the same. */
	tu = (struct load_tuning){ .libcsv_only = true };
	load_tuned(&two, csv->str, csv->len, &tu);
	assert_same(&one, &two);
	done(&one);
	done(&two);
	g_string_free(csv, TRUE);
}

/* The inputs of test_optional_columns and test_every_rejection (quoted
 * fields, a quoted line break, wrong field counts) and a padded file give
 * the same roster, rejects and member ids through the scanner of records
 * without a quote and through libcsv alone (load.h). */
static void test_scanner_same(void **state)
{
	/* Padding around unquoted values, tabs, CRLF, a byte-order mark,
	 * doubled quotes and quoted commas, cells left empty at the end. */
	static const char padded[] =
		"\xef\xbb\xbfsession_id,date,group_id,clinician_id,member_id,payer_id,"
		"attended,modifiers,carc\r\n"
		" S1 , 2025-05-05 ,G,C,\tM1,MCR, Y ,95 HQ ,\r\n"
		"S1,2025-05-05,G,C,\"M \"\"2\"\"\",MCR,Y,\"95, GT\",CO-4\r\n"
		"S1,2025-05-05,G,C,M3 ,MCR,Y,,\r\n"
		"S2,2025-05-06,G,C, ,MCR,Y,,\r\n"
		"S2,2025-05-06,G,C,M1,MCR,Y\r\n";
	const char *const texts[3] = { optional_csv, rejection_csv, padded };
	struct load_tuning lib = { .libcsv_only = true };
	struct world one, two;

	(void)state;
	for (int i = 0; i < 3; i++) {
		load(&one, texts[i]);
		load_tuned(&two, texts[i], strlen(texts[i]), &lib);
		assert_int_equal(two.rc, 0);
		assert_same(&one, &two);
		if (texts[i] == padded) {
			/* libcsv trims spaces and tabs around an unquoted value,
			 * so line 5's member is empty; line 6 has 7 fields. */
			assert_int_equal(one.r.rows_used, 3);
			assert_string_equal(str(&one.r.members, 0), "M1");
			assert_string_equal(str(&one.r.members, 1), "M \"2\"");
			assert_string_equal(str(&one.r.members, 2), "M3");
			assert_int_equal(roster_line(&one.r, 1)->modifiers, MOD_95 | MOD_GT);
			assert_reject(&one, 0, 5, "column 'member_id' is empty", NULL);
			assert_reject(&one, 1, 6, "7 fields, the header has 9", NULL);
		}
		done(&one);
		done(&two);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sessions_grouped),
		cmocka_unit_test(test_interning),
		cmocka_unit_test(test_optional_columns),
		cmocka_unit_test(test_disagreeing_rows),
		cmocka_unit_test(test_duplicates_interleaved),
		cmocka_unit_test(test_every_rejection),
		cmocka_unit_test(test_narrow_one_byte),
		cmocka_unit_test(test_narrow_two_bytes),
		cmocka_unit_test(test_missing_column),
		cmocka_unit_test(test_parallel_same),
		cmocka_unit_test(test_scanner_same),
	};
	return cmocka_run_group_tests_name("roster", tests, NULL, NULL);
}
