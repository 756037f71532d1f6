/* gensample.c — a seeded, deterministic generator of attendance files.
 *
 *   gensample --seed S --out DIR          the demo practice: DIR/attendance.csv,
 *                                         DIR/plan.csv, DIR/notes.csv, and the same
 *                                         practice as its EHR would export it,
 *                                         DIR/exports/demo-export.csv
 *   gensample --seed S --lines N [--clean] [--excel] [--receivables]
 *                                         [--attendance FILE]
 *                                         N rows of the same shape, for
 *                                         benchmarks (stdout by default)
 *
 * The demo practice runs nine weekly group programs from 2025-10-01 to
 * 2026-09-30 with realistic rosters, payers, telehealth, absences,
 * outcomes, and a few deliberate mistakes that grouprev must report
 * (samples/README.md lists them).  Same seed, same bytes: the PRNG is
 * splitmix64 and nothing depends on the clock or the locale.
 *
 * Plain C11 with libc only, so it builds before any dependency is
 * installed.
 */
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/value.h" /* dates: the same calendar as grouprev */
#include "notetext.h"     /* progress notes */
#include "gensample_era.h"   /* the payers' 835 remittances */
#include <sys/stat.h>

struct rng {
	uint64_t s;
};

static uint64_t next(struct rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static double unif(struct rng *r)
{
	return (double)(next(r) >> 11) * 0x1.0p-53;
}

static int pick(struct rng *r, int n)
{
	return (int)(unif(r) * n);
}

static int weekday(int32_t days) /* 0 = Monday */
{
	int w = (int)((days + 3) % 7);
	return w < 0 ? w + 7 : w;
}

/* ---- the practice ------------------------------------------------------ */

enum { MCR, MCD, MCDCA, BCBSMA, OON, NPAYERS };
static const char *const payer_id[NPAYERS] = { "MCR", "MCD", "MCD-CA", "BCBSMA", "OON" };

/* The payers as their 835s name them (gensample_era.h). */
static const struct era_payer era_payers[NPAYERS] = {
	{ "MCR", "MEDICARE PART B", "MB", 1, 0, 0 },
	{ "MCD", "MASSHEALTH", "MC", 0, 0, 0 },
	{ "MCD-CA", "MEDI-CAL", "MC", 0, 0, 0 },
	{ "BCBSMA", "BLUE CROSS BLUE SHIELD OF MA", "12", 0, 2000, 0 },
	{ "OON", "OUT OF NETWORK PLAN", "CI", 0, 0, 30 },
};

struct clinician {
	const char *id, *licence;
};

static const struct clinician clinicians[] = {
	{ "C-ALVAREZ", "PhD" }, { "C-BROOKS", "LCSW" }, { "C-CHEN", "LPC" },
	{ "C-DIAZ", "LMFT" }, { "C-EVANS", "PsyD" }, { "C-FOSTER", "LMSW" },
	{ "C-GUPTA", "NP" },
};

enum mode { IN_PERSON, TELE, MIXED_AUDIO };

struct program {
	const char *id, *type;
	int clinician, weekday, minutes, pos, roster;
	enum mode mode;
	double attend;
	int medi_cal; /* roster mostly MCD-CA */
};

static const struct program programs[] = {
	{ "DBT-MON-AM", "DBT skills", 0, 0, 90, 11, 11, IN_PERSON, 0.84, 0 },
	{ "CBT-TUE-PM", "CBT depression", 1, 1, 60, 11, 9, IN_PERSON, 0.82, 0 },
	{ "RP-WED-EVE", "relapse prevention", 2, 2, 60, 11, 14, IN_PERSON, 0.80, 0 },
	{ "ANX-THU-TELE", "anxiety", 3, 3, 60, 10, 9, TELE, 0.86, 0 },
	{ "TRAUMA-FRI", "trauma recovery, adults", 4, 4, 75, 11, 8, IN_PERSON, 0.88, 0 },
	{ "PSYED-MON-PM", "psychoeducation", 5, 0, 60, 53, 8, IN_PERSON, 0.75, 0 },
	{ "DBT-CA-TUE", "DBT skills", 0, 1, 90, 11, 9, IN_PERSON, 0.80, 1 },
	{ "CBT-WED-AM", "CBT depression", 6, 2, 60, 11, 8, IN_PERSON, 0.83, 0 },
	{ "RP-THU-EVE", "relapse prevention", 1, 3, 60, 10, 10, MIXED_AUDIO, 0.78, 0 },
};
#define NPROGRAMS (int)(sizeof programs / sizeof programs[0])

static const char *const diagnoses[] = {
	"F32.1", "F33.1", "F41.1", "F43.10", "F10.20", "F32.9", "F41.1;F32.9",
	"F43.12", "F60.3", "F11.20",
};

struct member {
	char id[16];
	int payer;
	const char *dx;
	char auth[16]; /* empty = none on file */
};

/* Allowed amount used to write realistic `paid` figures; the generator
 * does not price anything grouprev reports. */
static double allowed(int payer, int32_t day, const char *licence, int facility)
{
	double mcr = day >= value_days_from_civil(2026, 1, 1) ? (facility ? 24.38 : 30.39)
							: (facility ? 24.26 : 28.14);
	switch (payer) {
	case MCR:
		if (!strcmp(licence, "LCSW") || !strcmp(licence, "LPC") ||
		    !strcmp(licence, "LMFT"))
			mcr *= 0.75;
		else if (!strcmp(licence, "NP"))
			mcr *= 0.85;
		return mcr * 0.8 * 0.98; /* Medicare's 80%, less sequestration */
	case MCD:
	case MCDCA:
		return 24.31;
	case BCBSMA:
		return 41.88;
	default:
		return 42.55;
	}
}

struct out {
	FILE *f;
};

static void date_str(int32_t day, int us, char buf[16])
{
	int y;
	unsigned m, d;

	value_civil_from_days(day, &y, &m, &d);
	if (us)
		snprintf(buf, 16, "%02u/%02u/%04d", m, d, y);
	else
		snprintf(buf, 16, "%04d-%02u-%02u", y, m, d);
}

static const char HEADER[] =
	"session_id,date,group_id,group_type,clinician_id,credential,member_id,"
	"payer_id,attended,minutes,modality,pos,auth_id,diagnosis,modifiers,note,"
	"addon,status,paid,carc\n";

/* The receivables columns (docs/receivables.md), after HEADER's. */
static const char AR_HEADER[] = ",charge,billed,paid_date,patient_paid\n";

static void header(FILE *f, int receivables)
{
	fwrite(HEADER, 1, sizeof HEADER - 2, f); /* without its newline */
	fputs(receivables ? AR_HEADER : "\n", f);
}

/* Payment delays after billing, days: [min, max] per payer, so that the
 * scorecard has fast and slow payers (illustrative, not a payer's rule);
 * one claim in 25 sits 90-180 days (lost, then resubmitted). */
static const int pay_delay[NPAYERS][2] = {
	{ 12, 24 }, /* MCR */
	{ 25, 45 }, /* MCD */
	{ 30, 60 }, /* MCD-CA */
	{ 16, 35 }, /* BCBSMA */
	{ 35, 75 }, /* OON */
};

/* The practice's own fee for a line: $75.00, $95.00 with the 90785 add-on
 * (the demo practice's fee schedule, ERA_FEE_*: the 835s bill the same). */
static long long fee_cents(const char *addon)
{
	return addon[0] ? ERA_FEE_90853 + ERA_FEE_90785 : ERA_FEE_90853;
}

/* The four receivables cells of one attended line into BUF, drawn from
 * AR (a stream of its own, so the other columns stay as they were):
 * billed 1-7 days after the session, never after EXPORT (else not billed
 * yet when its status is empty); adjudicated lines posted after the
 * payer's delay, on the payer's Friday check run, by EXPORT (*POSTED_DAY,
 * 0 when not posted); on most paid lines the patient has paid SHARE, the
 * patient's share the payer's 835 gives the line (era_patient_share). */
static void ar_cells(struct rng *ar, int32_t day, int32_t export_day, int payer,
		     const char *status, long long share, const char *addon,
		     char *buf, size_t size, int32_t *posted_day)
{
	char billed[16] = "", posted[16] = "", patient[32] = "";
	int32_t b = day + 1 + pick(ar, 7);

	*posted_day = 0;
	if (b > export_day)
		b = export_day;
	if (status[0])
		date_str(b, 0, billed);
	if (!strcmp(status, "paid") || !strcmp(status, "denied")) {
		int lo = pay_delay[payer][0], hi = pay_delay[payer][1];
		if (unif(ar) < 0.04) { /* a claim that sat: lost, then resubmitted */
			lo = 90;
			hi = 180;
		}
		int32_t room = export_day - b;
		if (hi > room)
			hi = room;
		int32_t d = hi <= lo ? (room < lo ? room : lo) : lo + pick(ar, hi - lo + 1);
		int32_t p = b + d;
		while (value_weekday(p) != 4 && p < export_day)
			p++;
		*posted_day = p;
		date_str(p, 0, posted);
	}
	if (!strcmp(status, "paid") && unif(ar) < 0.8)
		snprintf(patient, sizeof patient, "%lld.%02lld", share / 100, share % 100);
	long long fee = fee_cents(addon);
	snprintf(buf, size, "%lld.%02lld,%s,%s,%s", fee / 100, fee % 100, billed, posted,
		 patient);
}

/* Holidays the practice is closed (US federal, within the year). */
static int closed(int32_t day)
{
	static const int h[][3] = { { 2025, 11, 27 }, { 2025, 12, 25 },
				    { 2026, 1, 1 }, { 2026, 1, 19 }, { 2026, 5, 25 },
				    { 2026, 7, 3 }, { 2026, 9, 7 }, { 2025, 11, 11 } };
	for (size_t i = 0; i < sizeof h / sizeof h[0]; i++)
		if (day == value_days_from_civil(h[i][0], (unsigned)h[i][1], (unsigned)h[i][2]))
			return 1;
	return 0;
}

static int choose_payer(struct rng *r, int medi_cal)
{
	double u = unif(r);
	if (medi_cal)
		return u < 0.8 ? MCDCA : u < 0.9 ? MCR : BCBSMA;
	return u < 0.36 ? MCR : u < 0.56 ? MCD : u < 0.88 ? BCBSMA : OON;
}

/* ---- progress notes (tools/notetext.h) --------------------------------- */

/* The demo's attended rows, captured as attendance.csv is written, so the
 * notes can be written afterwards from a generator of their own: the
 * attendance file does not change with them. */
struct demo_row {
	char sid[48], mid[16];
	int g;
	int32_t day;
};

static struct demo_row *demo_rows;
static size_t demo_nrows, demo_caprows;

static void demo_row_add(const char *sid, const char *mid, int g, int32_t day)
{
	if (demo_nrows == demo_caprows) {
		demo_caprows = demo_caprows ? 2 * demo_caprows : 4096;
		demo_rows = realloc(demo_rows, demo_caprows * sizeof *demo_rows);
		if (!demo_rows) {
			perror("gensample");
			exit(1);
		}
	}
	struct demo_row *x = &demo_rows[demo_nrows++];
	nt_copy(x->sid, sizeof x->sid, sid);
	nt_copy(x->mid, sizeof x->mid, mid);
	x->g = g;
	x->day = day;
}

/* The label bits of tests/notes/labels.csv: the audit's findings, in the
 * order of its rules (analysis/notes.h). */
enum { L_NOTE = 1, L_IDENT = 2, L_CLONE = 4, L_THIN = 8, L_FWD = 16, L_ELEM = 32 };
static const char *const label_names[] = { "note", "note_identical", "note_cloned",
	"note_not_individual", "note_copied_forward", "note_elements" };

/* One member's note in a session being written.  OWN holds the member's
 * part with \001 where the member's first name goes, so that a copy
 * given to another member carries that member's name. */
struct nnote {
	char own[4096], whole[8192];
	unsigned labels;
	int written, complete, has_text;
	int whole_copy; /* the whole earlier note: its own part is not OWN */
};

static void put_name(const char *own, const char *first, struct nt_buf *b)
{
	for (const char *p = own; *p; p++) {
		if (*p == '\001') {
			nt_cat(b, first);
			continue;
		}
		char c[2] = { *p, 0 };
		nt_cat(b, c);
	}
}

/* The member's part: complete, short, missing ELEMENTS, or thin. */
static void own_part(struct nt_rng *r, const char *pron, unsigned elements, int kind,
		     char *out, size_t size)
{
	struct nt_buf b;
	nt_clear(&b);
	const char *name = nt_unif(r) < 0.75 ? "\001" : nt_unif(r) < 0.7 ? "Client" : "Member";
	if (kind == 1)
		nt_fill(&b, NT_PICK(r, nt_short), name, pron, NT_PICK(r, nt_short_slot));
	else if (kind == 2)
		nt_fill(&b, NT_PICK(r, nt_thin), name, pron, NULL);
	else
		nt_member_part(r, name, pron, elements, &b);
	snprintf(out, size, "%s", b.s);
}

/* One session's notes.  DEFECTS scales the defect rates (1 = the
 * labelled set's, lower for the demo).  PREV: the members' last notes,
 * for copy-forward. */
static void session_notes(struct nt_rng *r, int program, int n, const char **pron,
			  struct nnote *cur, struct nnote *prev, double defects)
{
	struct nt_buf g;
	nt_clear(&g);
	nt_group_paragraph(r, program, &g);
	for (int k = 0; k < n; k++) {
		struct nnote *x = &cur[k];
		double u = nt_unif(r) / defects;
		int src = -1;
		for (int t = 0; t < 8 && k > 0; t++) {
			int s = nt_pick(r, k);
			if (cur[s].complete && cur[s].written) {
				src = s;
				break;
			}
		}
		memset(x, 0, sizeof *x);
		x->written = 1;
		x->has_text = 1;
		if (u < 0.03) {
			x->written = 0; /* no note row */
			x->labels = L_NOTE;
			continue;
		}
		if (u < 0.04) {
			x->has_text = 0; /* an empty note */
			x->labels = L_NOTE;
			continue;
		}
		if (u < 0.10) {
			own_part(r, pron[k], 0, 2, x->own, sizeof x->own);
			x->labels = L_THIN | L_ELEM;
		} else if (u < 0.15 && src >= 0) {
			snprintf(x->own, sizeof x->own, "%s", cur[src].own);
			x->labels = L_IDENT;
			cur[src].labels |= L_IDENT;
			x->complete = 1;
		} else if (u < 0.21 && src >= 0) {
			struct nt_buf b;
			nt_clear(&b);
			nt_edit(r, cur[src].own, 1 + nt_pick(r, 3), &b);
			snprintf(x->own, sizeof x->own, "%s", b.s);
			x->labels = L_CLONE;
			cur[src].labels |= L_CLONE;
			x->complete = 1;
		} else if (u < 0.27 && prev && prev[k].complete && prev[k].has_text) {
			x->labels = L_FWD;
			x->complete = 1;
			if (nt_unif(r) < 0.5) {
				/* The whole earlier note, group paragraph and all:
				 * last week's paragraph is this note's own text now,
				 * so it is no source for a copy within the session. */
				snprintf(x->whole, sizeof x->whole, "%s", prev[k].whole);
				snprintf(x->own, sizeof x->own, "%s", prev[k].own);
				x->whole_copy = 1;
				x->complete = 0;
				continue;
			}
			snprintf(x->own, sizeof x->own, "%s", prev[k].own);
		} else if (u < 0.35) {
			unsigned drop = 1u << nt_pick(r, 3);
			own_part(r, pron[k], NT_ALL & ~drop, 0, x->own, sizeof x->own);
			x->labels = L_ELEM;
		} else if (u < 0.43) {
			own_part(r, pron[k], NT_ALL, 1, x->own, sizeof x->own);
			x->complete = 1;
		} else {
			own_part(r, pron[k], NT_ALL, 0, x->own, sizeof x->own);
			x->complete = 1;
		}
		snprintf(x->whole, sizeof x->whole, "%s%s", g.s, x->own);
	}
	/* Two members' parts that came out the same are identical whatever
	 * the dice meant (two thin notes from one phrase, say); and a note
	 * the same as a cloned one is as much a clone. */
	for (int a = 0; a < n; a++)
		for (int b = a + 1; b < n; b++)
			if (cur[a].written && cur[b].written && cur[a].has_text &&
			    cur[b].has_text && cur[a].whole_copy == cur[b].whole_copy &&
			    !strcmp(cur[a].whole_copy ? cur[a].whole : cur[a].own,
				    cur[b].whole_copy ? cur[b].whole : cur[b].own)) {
				unsigned c = (cur[a].labels | cur[b].labels) & L_CLONE;
				cur[a].labels |= L_IDENT | c;
				cur[b].labels |= L_IDENT | c;
			}
}

static void write_note(FILE *f, const char *sid, const char *mid, const char *first,
		       const char *last, const char *author, int32_t signed_day,
		       const struct nnote *x)
{
	struct nt_buf b;
	char name[80], d[16];
	nt_clear(&b);
	if (x->has_text)
		put_name(x->whole, first, &b);
	snprintf(name, sizeof name, "%s %s", first, last);
	date_str(signed_day, 0, d);
	fprintf(f, "%s,%s,%s,%s,%s,", sid, mid, name, author, d);
	nt_csv(f, b.s);
	fputc('\n', f);
}

/* tests/notes/: about 340 attended lines of five programs over eight
 * weeks, every note labelled with the findings it was built to have. */
static int labelled(uint64_t seed, const char *dir)
{
	struct nt_rng r = { seed ^ 0x4c4142454cULL };
	char path[1024];
	FILE *fa, *fn, *fl;
	enum { NP = 5, NR = 10, NW = 8 };
	struct nnote *prev = calloc(NP * NR, sizeof *prev), *cur = calloc(NR, sizeof *cur);
	/* Every earlier part of each member: a part that came out the same
	 * as one of them is copied forward whatever the dice meant. */
	static char hist[NP][NR][NW][4096];
	const char *first[NP][NR], *last[NP][NR], *pron[NP][NR];

	snprintf(path, sizeof path, "%s/attendance.csv", dir);
	fa = fopen(path, "w");
	snprintf(path, sizeof path, "%s/notes.csv", dir);
	fn = fopen(path, "w");
	snprintf(path, sizeof path, "%s/labels.csv", dir);
	fl = fopen(path, "w");
	if (!fa || !fn || !fl || !prev || !cur) {
		perror(dir);
		return 1;
	}
	fputs("session_id,date,group_id,group_type,clinician_id,member_id,payer_id,"
	      "attended\n", fa);
	fputs("session_id,member_id,member_name,author,signed,text\n", fn);
	fputs("line,session_id,member_id,labels\n", fl);
	for (int g = 0; g < NP; g++)
		for (int k = 0; k < NR; k++) {
			char mid[16];
			snprintf(mid, sizeof mid, "L%d%02d", g, k);
			nt_member(nt_key(mid), &first[g][k], &last[g][k], &pron[g][k]);
		}
	/* Two members of one group with the same first name. */
	first[1][0] = first[1][1] = "Maria";
	first[3][2] = first[3][5] = "James";
	long line = 1;
	int32_t start = value_days_from_civil(2026, 1, 5);
	for (int w = 0; w < NW; w++)
		for (int g = 0; g < NP; g++) {
			const struct program *p = &programs[g];
			int32_t day = start + 7 * w + p->weekday;
			char sid[32], date[16];
			int came[NR], idx[NR], n = 0;
			const char *pr[NR];
			snprintf(sid, sizeof sid, "%s-W%d", p->id, w + 1);
			date_str(day, 0, date);
			for (int k = 0; k < NR; k++)
				if ((came[k] = nt_unif(&r) < 0.86)) {
					idx[n] = k;
					pr[n++] = pron[g][k];
				}
			struct nnote pv[NR];
			for (int j = 0; j < n; j++)
				pv[j] = prev[g * NR + idx[j]];
			session_notes(&r, nt_program_of(p->type), n, pr, cur, w ? pv : NULL, 1.0);
			for (int k = 0, j = 0; k < NR; k++) {
				char mid[16];
				snprintf(mid, sizeof mid, "L%d%02d", g, k);
				line++;
				fprintf(fa, "%s,%s,%s,\"%s\",%s,%s,MCR,%s\n", sid, date, p->id,
					p->type, clinicians[p->clinician].id, mid,
					came[k] ? "Y" : "N");
				if (!came[k])
					continue;
				struct nnote *x = &cur[j++];
				for (int e = 0; e < w && x->written && x->has_text; e++)
					if (!strcmp(hist[g][k][e], x->own))
						x->labels |= L_FWD;
				nt_copy(hist[g][k][w], sizeof hist[g][k][w],
					x->written && x->has_text ? x->own : "");
				if (x->written)
					write_note(fn, sid, mid, first[g][k], last[g][k],
						   clinicians[p->clinician].id, day + 1, x);
				fprintf(fl, "%ld,%s,%s,", line, sid, mid);
				for (int b = 0, sep = 0; b < 6; b++)
					if (x->labels & (1u << b)) {
						fprintf(fl, "%s%s", sep++ ? ";" : "", label_names[b]);
					}
				fputc('\n', fl);
				prev[g * NR + k] = *x;
			}
		}
	free(prev);
	free(cur);
	int rc = 0;
	if (fclose(fa) || fclose(fn) || fclose(fl)) {
		perror(dir);
		rc = 1;
	}
	return rc;
}

/* samples/notes.csv for the demo practice's attended rows: mostly
 * individualized notes, a few defects of each kind (0.15 of the
 * labelled set's rates).  A generator of its own, seeded from SEED. */
static int demo_notes(uint64_t seed, const char *dir)
{
	struct nt_rng r = { seed ^ 0x4e4f544553ULL };
	char path[1024];
	snprintf(path, sizeof path, "%s/notes.csv", dir);
	FILE *f = fopen(path, "w");
	struct nnote *prev = calloc(NPROGRAMS * 16, sizeof *prev);
	struct nnote cur[16], pv[16];
	if (!f || !prev) {
		perror(path);
		return 1;
	}
	fputs("session_id,member_id,member_name,author,signed,text\n", f);
	for (size_t i = 0; i < demo_nrows;) {
		size_t j = i;
		while (j < demo_nrows && !strcmp(demo_rows[j].sid, demo_rows[i].sid))
			j++;
		int g = demo_rows[i].g, n = (int)(j - i);
		const char *first[16], *last[16], *pron[16];
		int slot[16];
		for (int k = 0; k < n && k < 16; k++) {
			nt_member(nt_key(demo_rows[i + k].mid), &first[k], &last[k], &pron[k]);
			/* The member's place in the roster: its id's order. */
			slot[k] = (int)(nt_key(demo_rows[i + k].mid) % 16);
			pv[k] = prev[g * 16 + slot[k]];
		}
		if (n > 16)
			n = 16;
		session_notes(&r, nt_program_of(programs[g].type), n, pron, cur, pv, 0.15);
		for (int k = 0; k < n; k++) {
			if (cur[k].written)
				write_note(f, demo_rows[i + k].sid, demo_rows[i + k].mid,
					   first[k], last[k], clinicians[programs[g].clinician].id,
					   demo_rows[i + k].day + (int32_t)nt_pick(&r, 3), &cur[k]);
			prev[g * 16 + slot[k]] = cur[k];
		}
		i = j;
	}
	free(prev);
	free(demo_rows);
	demo_rows = NULL;
	demo_nrows = demo_caprows = 0;
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	return 0;
}

/* For the benchmark: DIR/attendance.csv and DIR/notes.csv of N notes of
 * about 2 KB (three group paragraphs and a long member part), sessions of
 * eight members, weekly. */
static int bench_notes(uint64_t seed, long long n, const char *dir)
{
	struct nt_rng r = { seed ^ 0x42454e4348ULL };
	char path[1024];
	static char b1[1 << 20], b2[1 << 20];
	snprintf(path, sizeof path, "%s/attendance.csv", dir);
	FILE *fa = fopen(path, "w");
	snprintf(path, sizeof path, "%s/notes.csv", dir);
	FILE *fn = fopen(path, "w");
	if (!fa || !fn) {
		perror(dir);
		return 1;
	}
	setvbuf(fa, b1, _IOFBF, sizeof b1);
	setvbuf(fn, b2, _IOFBF, sizeof b2);
	fputs("session_id,date,group_id,clinician_id,member_id,payer_id,attended\n", fa);
	fputs("session_id,member_id,member_name,author,text\n", fn);
	int32_t start = value_days_from_civil(2025, 1, 6);
	long long written = 0;
	for (long long g = 0; written < n; g++) {
		int program = (int)(g % 5);
		const char *first[8], *last[8], *pron[8];
		char mid[8][24];
		for (int k = 0; k < 8; k++) {
			snprintf(mid[k], sizeof mid[k], "B%lld-%d", g, k);
			nt_member(nt_key(mid[k]), &first[k], &last[k], &pron[k]);
		}
		for (int w = 0; w < 52 && written < n; w++) {
			char sid[48], date[16];
			struct nt_buf gp, own;
			snprintf(sid, sizeof sid, "S%lld-%d", g, w);
			date_str(start + 7 * w + (int32_t)(g % 5), 0, date);
			nt_clear(&gp);
			for (int p = 0; p < 3; p++)
				nt_group_paragraph(&r, program, &gp);
			for (int k = 0; k < 8 && written < n; k++, written++) {
				fprintf(fa, "%s,%s,G%lld,C%lld,%s,MCR,Y\n", sid, date, g, g % 40,
					mid[k]);
				nt_clear(&own);
				nt_member_part(&r, first[k], pron[k], NT_ALL, &own);
				while (gp.n + own.n < 1900)
					nt_member_part(&r, first[k], pron[k], NT_RESPONSE, &own);
				fprintf(fn, "%s,%s,%s %s,C%lld,\"%s%s\"\n", sid, mid[k], first[k],
					last[k], g % 40, gp.s, own.s);
			}
		}
	}
	int rc = 0;
	if (fclose(fa) || fclose(fn)) {
		perror(dir);
		rc = 1;
	}
	return rc;
}

/* ---- the demo as an EHR export ------------------------------------------ */

/* The same practice as its EHR exports it (samples/maps/demo.ini reads it,
 * ../shared/spec/exports.md): one row per member per appointment, no
 * session id, the EHR's names and words, windows-1252 bytes, ';' between
 * fields and CRLF line ends as Excel on Windows saves it, MM/DD/YYYY and
 * 9:00 AM.  Row N of the export is row N of attendance.csv (so every line
 * number agrees); the add-on (90785) rows and the individual-therapy
 * (90834) and intake (90791) appointments that an export holds too come
 * after them.  Nothing here draws from the random stream: attendance.csv
 * stays the same bytes. */

/* Start times of the programs (minutes after midnight), in programs[]
 * order. */
static const int starts[] = { 9 * 60, 14 * 60, 18 * 60, 11 * 60, 10 * 60,
			      13 * 60, 9 * 60 + 30, 10 * 60, 18 * 60 + 30 };

/* The clinicians' names in the EHR, windows-1252 bytes (0xC1 Á, 0xED í). */
static const char *const clinician_names[] = {
	"Dr. Mar\xed" "a \xc1" "lvarez", "Dana Brooks", "Wei Chen",
	"Sof\xed" "a D\xed" "az",
	"Dr. Owen Evans", "Jamie Foster", "Priya Gupta",
};

/* The programs' names in the EHR (0x96 is windows-1252's en dash). */
static const char *const program_names[] = {
	"DBT Skills \x96 Mon AM", "CBT for Depression \x96 Tue PM",
	"Relapse Prevention \x96 Wed Eve", "Anxiety (Telehealth) \x96 Thu",
	"Trauma Recovery \x96 Fri", "Psychoeducation \x96 Mon PM",
	"DBT Skills (Medi-Cal) \x96 Tue", "CBT for Depression \x96 Wed AM",
	"Relapse Prevention \x96 Thu Eve",
};

static const char *const payer_names[NPAYERS] = {
	"Medicare", "Medicaid", "Medi-Cal", "Blue Cross Blue Shield of Massachusetts",
	"Out-of-Network",
};

static const char EXPORT_HEADER[] =
	"Date of Service;Start Time;Client ID;Clinician;Credential;Primary Insurance;"
	"Group Name;Group Type;Service Code;Status;Duration;Location;Place of Service;"
	"Authorization;Diagnosis;Modifiers;Progress Note;Claim Status;Insurance Paid;"
	"Denial Code\r\n";

static void time_str(int minutes, char buf[16])
{
	int h = minutes / 60 % 24, m = minutes % 60;
	snprintf(buf, 16, "%d:%02d %s", h % 12 ? h % 12 : 12, m, h < 12 ? "AM" : "PM");
}

/* One export row: the fields of attendance row in the EHR's words.  NF
 * < 20 cuts the row short (the spreadsheet edit of attendance.csv). */
struct xrow {
	const char *date, *start, *member, *clin, *licence, *payer, *group, *type,
		*code, *attended, *minutes, *modality, *pos, *auth, *dx, *mods, *note,
		*status, *paid, *carc;
};

static void put_export(FILE *f, const struct xrow *x, int nf, long line)
{
	static const char *const absent[] = { "No Show", "Late Cancel", "Cancelled" };
	const char *status = !strcmp(x->attended, "Y") ? "Show" : absent[line % 3];
	const char *loc = !strcmp(x->modality, "telehealth") ? "Video Office"
			  : !strcmp(x->modality, "audio_only") ? "Telephone" : "Main Office";
	const char *claim = !strcmp(x->status, "paid") ? "Paid"
			    : !strcmp(x->status, "denied") ? "Denied"
			    : !strcmp(x->status, "pending") ? "Submitted" : "";
	const char *f20[20] = { x->date, x->start, x->member, x->clin, x->licence,
				x->payer, x->group, x->type, x->code, status, x->minutes,
				loc, x->pos, x->auth, x->dx, x->mods,
				!strcmp(x->note, "Y") ? "Signed" : "Not Signed", claim,
				x->paid, x->carc };
	for (int i = 0; i < nf; i++) {
		const char *v = f20[i];
		if (i)
			fputc(';', f);
		if (i == 2)
			fprintf(f, "=\"%s\"", v); /* Excel's guard on an id */
		else if (strpbrk(v, ";\",") || i == 6 || i == 7)
			fprintf(f, "\"%s\"", v);
		else
			fputs(v, f);
	}
	fputs("\r\n", f);
}

/* ---- demo -------------------------------------------------------------- */

static int demo(uint64_t seed, const char *dir)
{
	struct rng r = { seed };
	struct rng ar = { seed ^ 0x5eceab1e5ULL }; /* the receivables columns */
	char path[1024];
	struct member mem[NPROGRAMS][16];
	int nextid = 10000;

	struct era era = { 0 };
	snprintf(path, sizeof path, "%s/attendance.csv", dir);
	FILE *f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	snprintf(path, sizeof path, "%s/exports", dir);
	mkdir(path, 0777);
	snprintf(path, sizeof path, "%s/exports/demo-export.csv", dir);
	FILE *xf = fopen(path, "wb"), *extra = tmpfile();
	if (!xf || !extra) {
		perror(path);
		return 1;
	}
	fputs(EXPORT_HEADER, xf);
	for (int g = 0; g < NPROGRAMS; g++)
		for (int k = 0; k < programs[g].roster; k++) {
			struct member *m = &mem[g][k];
			snprintf(m->id, sizeof m->id, "M%d", nextid);
			nextid += 1 + pick(&r, 7);
			m->payer = choose_payer(&r, programs[g].medi_cal);
			m->dx = diagnoses[pick(&r, 10)];
			m->auth[0] = '\0';
			if (m->payer == MCD || m->payer == MCDCA || m->payer == BCBSMA)
				snprintf(m->auth, sizeof m->auth, "PA-%06d",
					 (int)(next(&r) % 900000) + 100000);
		}
	/* Deliberate data: one DBT member also attends the Monday
	 * psychoeducation group (two groups, one day: max_per_day), a Medicaid
	 * member whose authorization was never entered, and a payer id typed
	 * by hand in one row. */
	mem[5][0] = mem[0][0];
	mem[5][0].payer = MCR;
	mem[0][0].payer = MCR;
	mem[1][2].payer = MCD;
	mem[1][2].auth[0] = '\0';

	header(f, 1);
	long line = 1;
	int32_t first = value_days_from_civil(2025, 10, 1), last = value_days_from_civil(2026, 9, 30);
	int32_t adjudicated_until = value_days_from_civil(2026, 8, 15);
	int session_no = 0, three_decimals = 0;
	for (int32_t day = first; day <= last; day++) {
		for (int g = 0; g < NPROGRAMS; g++) {
			const struct program *p = &programs[g];
			if (weekday(day) != p->weekday || closed(day))
				continue;
			/* The psychoeducation group is a new program from April. */
			if (g == 5 && day < value_days_from_civil(2026, 4, 1))
				continue;
			session_no++;
			const struct clinician *c = &clinicians[p->clinician];
			char date[16], sid[48];
			/* Three sessions arrive from an EHR export in US dates. */
			int us = session_no % 97 == 13;
			date_str(day, us, date);
			{
				char iso[16];
				date_str(day, 0, iso);
				snprintf(sid, sizeof sid, "%s-%c%c%c%c%c%c%c%c", p->id, iso[0],
					 iso[1], iso[2], iso[3], iso[5], iso[6], iso[8], iso[9]);
			}
			int minutes = p->minutes;
			if (p->medi_cal && session_no % 11 == 5)
				minutes = 80; /* ran short: Medi-Cal pays 90+ only */
			/* Who came: decide first, so outcomes can use the size. */
			int came[16], size = 0;
			for (int k = 0; k < p->roster; k++) {
				came[k] = unif(&r) < p->attend;
				size += came[k];
			}
			for (int k = 0; k < p->roster; k++) {
				struct member *m = &mem[g][k];
				line++;
				const char *modality = "in_person", *payer = payer_id[m->payer];
				char pos[4], mods[16] = "", paid[32] = "", carc[8] = "";
				char arc[96] = ",,,";
				size_t added = SIZE_MAX; /* its line in era, if any */
				long long share = 0;
				const char *status = "", *note = "Y", *dx = m->dx, *addon = "";
				const char *auth = m->auth, *clin = c->id;
				int pos_code = p->pos, defect = 0;
				char mins[8];

				snprintf(mins, sizeof mins, "%d", minutes);
				if (p->mode == TELE ||
				    (p->mode == MIXED_AUDIO && unif(&r) < 0.6))
					modality = "telehealth";
				else if (p->mode == MIXED_AUDIO)
					modality = unif(&r) < 0.5 ? "audio_only" : "in_person";
				if (!strcmp(modality, "in_person") && pos_code == 10)
					pos_code = 11;
				snprintf(pos, sizeof pos, "%02d", pos_code);
				if (m->payer == MCD || m->payer == MCDCA) {
					strcat(mods, "HQ");
					if (unif(&r) < 0.02) {
						mods[0] = '\0'; /* HQ forgotten */
						defect = 4;
					}
				}
				if (!strcmp(modality, "telehealth") && m->payer != MCR) {
					if (unif(&r) < 0.04)
						defect = 4; /* 95 forgotten */
					else
						strcat(mods, mods[0] ? " 95" : "95");
				}
				if (!strcmp(modality, "audio_only")) {
					if (m->payer == OON)
						defect = 96; /* not covered */
					if (unif(&r) < 0.05)
						defect = 4;
					else
						strcat(mods, mods[0] ? " 93" : "93");
				}
				if (unif(&r) < 0.015) {
					dx = "";
					defect = 16;
				}
				if (unif(&r) < 0.03) {
					note = "N";
					defect = 16;
				}
				if (auth[0] == '\0' && (m->payer == MCD || m->payer == MCDCA ||
							m->payer == BCBSMA))
					defect = 197;
				if (p->medi_cal && (size > 8 || minutes < 90) && m->payer == MCDCA)
					defect = 50;
				if (size > 12 && m->payer != MCDCA)
					defect = 50;
				if (g == 5 && m->payer == MCR)
					defect = 185; /* LMSW not credentialed by Medicare */
				if (g == 5)
					defect = defect ? defect : 96; /* psychoeducation */
				/* Interactive complexity, on Medicare lines: the only
				 * payer whose 90785 rate the shipped tables know. */
				if (m->payer == MCR && unif(&r) < 0.05)
					addon = "90785";
				if (came[k] && day <= adjudicated_until) {
					/* Denial odds rise with group size, and a defect
					 * the payer can see is usually denied. */
					double lp = -3.6 + 0.17 * size;
					double pd = defect ? 0.85 : 1.0 / (1.0 + exp(-lp));
					if (unif(&r) < pd) {
						status = "denied";
						/* The code the payer would give for the defect. */
						snprintf(carc, sizeof carc, "CO-%d", defect ? defect : 50);
					} else {
						status = "paid";
						double a = allowed(m->payer, day, c->licence,
								   pos_code == 53 || pos_code == 2);
						a *= 0.97 + 0.03 * unif(&r);
						long long pc = era_paid_of(&era_payers[m->payer],
									   (uint32_t)line,
									   llround(a * 100.0));
						snprintf(paid, sizeof paid, "%lld.%02lld", pc / 100,
							 pc % 100);
					}
					/* What the payer's 835 says about it. */
					struct era_line el = { day, 0, (uint32_t)line, atoll(m->id + 1),
							       (uint8_t)m->payer, paid[0] == '\0',
							       addon[0] != '\0', "", "", 0 };
					int64_t pc = 0;
					if (paid[0])
						value_money(paid, &pc);
					el.paid = (int32_t)pc;
					snprintf(el.carc, sizeof el.carc, "%s", carc);
					snprintf(el.mods, sizeof el.mods, "%s", mods);
					share = era_patient_share(&era_payers[m->payer], &el);
					added = era.n;
					if (era_add(&era, &el) != 0) {
						perror("gensample");
						return 1;
					}
				} else if (came[k]) {
					status = unif(&r) < 0.7 ? "pending" : "";
				}
				if (came[k]) {
					int32_t posted;
					ar_cells(&ar, day, last, m->payer, status, share, addon,
						 arc, sizeof arc, &posted);
					/* The 835 pays it on the day the file says. */
					if (added != SIZE_MAX)
						era.v[added].pay = posted;
				}
				/* The deliberate mistakes, at fixed places; the
				 * export makes each its own way (a clinician
				 * cannot disagree with a session id it has
				 * not got: its row has a mistyped start). */
				char row_date[16], xdate[16], xstart[16];
				snprintf(row_date, sizeof row_date, "%s", date);
				date_str(day, 1, xdate);
				time_str(starts[g], xstart);
				const char *xpayer = payer_names[m->payer];
				int mistake = 0;
				if (session_no == 40 && k == 1)
					payer = xpayer = "BCBS-MA";
				if (session_no == 77 && k == 2) {
					snprintf(row_date, sizeof row_date, "2026-02-30");
					snprintf(xdate, sizeof xdate, "02/30/2026");
					mistake = 1;
				}
				if (session_no == 120 && k == 3) {
					clin = "C-EVANS";
					snprintf(xstart, sizeof xstart, "%d:0O PM", starts[g] / 60 - 12);
					mistake = 1;
				}
				if (session_no >= 150 && !three_decimals && paid[0] && came[k]) {
					strcat(paid, "5"); /* 3 decimals */
					three_decimals = 1;
					mistake = 1;
				}
				if (session_no == 190 && k == 4) {
					snprintf(mins, sizeof mins, "sixty");
					mistake = 1;
				}
				struct xrow xr = { xdate, xstart, m->id, clinician_names[p->clinician],
						   c->licence, xpayer, program_names[g], p->type,
						   "90853", came[k] ? "Y" : "N", mins, modality, pos,
						   auth, dx, mods, note, came[k] ? status : "",
						   came[k] ? paid : "", came[k] ? carc : "" };
				if (session_no == 260 && k == 2) {
					/* A row cut short by a spreadsheet edit. */
					fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,%s\n", sid, row_date,
						p->id, p->type, clin, c->licence, m->id, payer,
						came[k] ? "Y" : "N");
					put_export(xf, &xr, 9, line);
					continue;
				}
				put_export(xf, &xr, 20, line);
				if (addon[0] && !mistake) {
					struct xrow a = xr;
					a.code = addon;
					a.status = a.paid = a.carc = "";
					put_export(extra, &a, 20, line);
				}
				/* Appointments of other codes, in the same export:
				 * an individual session two hours later, and now
				 * and then an intake. */
				if (line % 23 == 0 && !mistake) {
					struct xrow o = xr;
					char later[16];
					time_str(starts[g] + 120, later);
					o.start = later;
					o.group = o.type = "";
					o.code = line % 69 == 0 ? "90791" : "90834";
					o.attended = "Y";
					o.mods = o.status = o.paid = o.carc = "";
					put_export(extra, &o, 20, line);
				}
				fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
					sid, row_date, p->id, p->type, clin, c->licence, m->id,
					payer, came[k] ? "Y" : "N", mins, modality, pos, auth, dx,
					mods, note, addon, came[k] ? status : "",
					came[k] ? paid : "", came[k] ? carc : "", arc);
				if (came[k])
					demo_row_add(sid, m->id, g, day);
				if (session_no == 200 && k == 1) {
					/* The same member entered twice. */
					line++;
					fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,Y,%s,%s,%s,%s,%s,%s,%s,,,,,,,,\n",
						sid, row_date, p->id, p->type, clin, c->licence, m->id,
						payer, mins, modality, pos, auth, dx, mods, note);
					struct xrow d = xr;
					d.attended = "Y";
					d.status = d.paid = d.carc = "";
					put_export(xf, &d, 20, line);
				}
			}
		}
	}
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	/* The other appointments after the attendance rows. */
	rewind(extra);
	for (int ch; (ch = fgetc(extra)) != EOF;)
		fputc(ch, xf);
	fclose(extra);
	if (fclose(xf) != 0) {
		perror("demo-export.csv");
		return 1;
	}

	snprintf(path, sizeof path, "%s/plan.csv", dir);
	f = fopen(path, "w");
	if (!f) {
		perror(path);
		return 1;
	}
	fputs("group_id,sessions,enrolled,attendance_rate,payer_mix,cost_per_session,"
	      "minutes,modality,start\n"
	      "DBT-NEW-THU,12,10,0.82,MCR:0.4;MCD:0.3;BCBSMA:0.3,260.00,90,in_person,2026-10-01\n"
	      "ANX-TELE-SAT,12,9,0.85,BCBSMA:0.6;OON:0.2;MCR:0.2,180.00,60,telehealth,2026-10-03\n"
	      "RP-WED-EVE,13,12,0.80,MCR:0.45;MCD:0.25;BCBSMA:0.3,210.00,60,in_person,2026-10-07\n"
	      "DBT-CA-TUE,13,9,0.80,MCD-CA:0.8;MCR:0.1;BCBSMA:0.1,300.00,90,in_person,2026-10-06\n",
	      f);
	if (fclose(f) != 0) {
		perror(path);
		return 1;
	}
	/* The remittances for the adjudicated lines: samples/remit/. */
	snprintf(path, sizeof path, "%s/remit", dir);
	mkdir(path, 0755);
	int rc = era_write_demo(&era, era_payers, NPAYERS, path);
	era_free(&era);
	return rc;
}

/* ---- benchmark files -------------------------------------------------- */

/* About N rows of the demo's shape: many practices' weekly groups of
 * 6–12 present members over a year, outcomes included.  --clean leaves out
 * every defect, so all tools parse the same data.  --excel quotes a field
 * only when it must be (a comma, quote or line break in it), as Excel and
 * the EHR exports write CSV; otherwise the group type is quoted on every
 * row, as the demo file does.  --receivables adds the four receivables
 * columns. */
static int lines(uint64_t seed, long long n, int clean, int excel, int receivables,
		 FILE *f, struct era *era, FILE *xf)
{
	struct rng r = { seed };
	struct rng ar = { seed ^ 0x5eceab1e5ULL }; /* the receivables columns */
	static char buf[1 << 20];
	long long written = 0;
	int32_t first = value_days_from_civil(2025, 1, 6);

	setvbuf(f, buf, _IOFBF, sizeof buf);
	header(f, receivables);
	if (xf)
		fputs(EXPORT_HEADER, xf);
	for (long long g = 0; written < n; g++) {
		const struct program *p = &programs[g % NPROGRAMS];
		int roster = 6 + pick(&r, 9);
		long long base = 100000 + g * 16;
		int payers[16];
		for (int k = 0; k < roster; k++)
			payers[k] = choose_payer(&r, p->medi_cal);
		const struct clinician *c = &clinicians[g % 7];
		for (int w = 0; w < 52 && written < n; w++) {
			int32_t day = first + 7 * w + (int32_t)(g % 5);
			char date[16];
			date_str(day, 0, date);
			int size = 0, came[16];
			for (int k = 0; k < roster; k++)
				size += came[k] = unif(&r) < p->attend;
			for (int k = 0; k < roster && written < n; k++) {
				const char *status = "", *carc = "";
				char paid[32] = "", arc[100] = "";
				double a = 0;
				long long share = 0;
				if (came[k]) {
					double pd = 1.0 / (1.0 + exp(-(-3.6 + 0.17 * size)));
					if (unif(&r) < pd) {
						status = "denied";
						carc = "CO-50";
					} else {
						status = "paid";
						a = allowed(payers[k], day, c->licence, 0);
						long long pc = era_paid_of(&era_payers[payers[k]],
									   (uint32_t)(written + 2),
									   llround(a * 100.0));
						snprintf(paid, sizeof paid, "%lld.%02lld", pc / 100,
							 pc % 100);
					}
					struct era_line el = { day, 0, (uint32_t)(written + 2),
							       base + k, (uint8_t)payers[k],
							       paid[0] == '\0', 0, "", "", 0 };
					int64_t pc = 0;
					if (paid[0])
						value_money(paid, &pc);
					el.paid = (int32_t)pc;
					snprintf(el.carc, sizeof el.carc, "%s", carc);
					if (payers[k] == MCD || payers[k] == MCDCA)
						snprintf(el.mods, sizeof el.mods, "HQ");
					share = era_patient_share(&era_payers[payers[k]], &el);
					/* The benchmark's 835 pays a transaction of 2,000
					 * lines on one day (era_write_bench), so its
					 * dates are its own, not paid_date's. */
					if (era && era_add(era, &el) != 0)
						return 1;
				}
				if (receivables) {
					int32_t posted;
					arc[0] = ',';
					if (came[k])
						ar_cells(&ar, day, first + 7 * 60, payers[k], status,
							 share, "", arc + 1, sizeof arc - 1, &posted);
					else
						snprintf(arc, sizeof arc, ",,,,");
				}
				int mcd = payers[k] == MCD || payers[k] == MCDCA;
				const char *dx = clean || unif(&r) > 0.01 ? diagnoses[k % 10] : "";
				fprintf(f, excel && !strpbrk(p->type, ",\"")
					? "P%lld-%d,%s,P%lld,%s,%s-%lld,%s,M%lld,%s,%s,%d,in_person,11,%s,%s,%s,%s,,%s,%s,%s%s\n"
					: "P%lld-%d,%s,P%lld,\"%s\",%s-%lld,%s,M%lld,%s,%s,%d,in_person,11,%s,%s,%s,%s,,%s,%s,%s%s\n",
					g, w, date, g, p->type, c->id, g / 40, c->licence,
					base + k, payer_id[payers[k]], came[k] ? "Y" : "N",
					p->minutes, mcd || payers[k] == BCBSMA ? "PA-1" : "",
					dx, mcd ? "HQ" : "", "Y", status, paid, carc, arc);
				if (xf) {
					/* The same row as the EHR exports it (bench/export-map.ini
					 * reads it): no session id, a start time per group. */
					char xdate[16], xstart[16], mid[24], cid[32], gid[24], mins[8];
					date_str(day, 1, xdate);
					time_str(9 * 60 + (int)(g % 10) * 30, xstart);
					snprintf(mid, sizeof mid, "M%lld", base + k);
					snprintf(cid, sizeof cid, "%s-%lld", c->id, g / 40);
					snprintf(gid, sizeof gid, "P%lld", g);
					snprintf(mins, sizeof mins, "%d", p->minutes);
					struct xrow xr = { xdate, xstart, mid, cid, c->licence,
							   payer_names[payers[k]], gid, p->type, "90853",
							   came[k] ? "Y" : "N", mins, "in_person", "11",
							   mcd || payers[k] == BCBSMA ? "PA-1" : "",
							   dx, mcd ? "HQ" : "", "Y", status, paid, carc };
					put_export(xf, &xr, 20, (long)(written + 2));
				}
				written++;
			}
		}
	}
	return fflush(f) == 0 ? 0 : 1;
}

static void usage(FILE *f)
{
	fputs("usage: gensample --seed S --out DIR\n"
	      "       gensample --seed S --lines N [--clean] [--excel] [--receivables]\n"
	      "                 [--attendance FILE] [--remit FILE] [--export FILE]\n"
	      "       gensample --seed S --labelled-notes DIR\n"
	      "       gensample --seed S --bench-notes N --out DIR\n"
	      "\n"
	      "The first form writes the demo practice (DIR/attendance.csv, DIR/plan.csv,\n"
	      "and the payers' 835 remittances for its adjudicated lines in DIR/remit/);\n"
	      "the second streams about N attendance rows for benchmarks (stdout unless\n"
	      "--attendance names a file); --clean leaves out missing diagnoses; --excel\n"
	      "quotes only the fields that need it, as Excel and EHR exports do; --remit\n"
	      "also writes the 835 of the paid and denied rows into FILE; --export writes\n"
	      "the same rows as an EHR export into FILE (bench/export-map.ini reads it);\n"
	      "--receivables adds charge, billed, paid_date and patient_paid.\n"
	      "The demo also gets DIR/notes.csv.  --labelled-notes writes the notes\n"
	      "audit's labelled set (attendance.csv, notes.csv, labels.csv: the\n"
	      "findings each note was built to have); --bench-notes N writes N notes\n"
	      "of about 2 KB and their attendance.csv for the benchmark.\n"
	      "The same seed always gives the same bytes.\n", f);
}

int main(int argc, char **argv)
{
	uint64_t seed = 20261;
	const char *out = NULL, *att = NULL, *remit = NULL, *export = NULL;
	long long n = -1, bench_n = -1;
	int clean = 0, excel = 0, receivables = 0;
	const char *labelled_dir = NULL;

	for (int i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--seed") && i + 1 < argc)
			seed = strtoull(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--out") && i + 1 < argc)
			out = argv[++i];
		else if (!strcmp(argv[i], "--lines") && i + 1 < argc)
			n = strtoll(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--attendance") && i + 1 < argc)
			att = argv[++i];
		else if (!strcmp(argv[i], "--remit") && i + 1 < argc)
			remit = argv[++i];
		else if (!strcmp(argv[i], "--export") && i + 1 < argc)
			export = argv[++i];
		else if (!strcmp(argv[i], "--clean"))
			clean = 1;
		else if (!strcmp(argv[i], "--receivables"))
			receivables = 1;
		else if (!strcmp(argv[i], "--excel"))
			excel = 1;
		else if (!strcmp(argv[i], "--labelled-notes") && i + 1 < argc)
			labelled_dir = argv[++i];
		else if (!strcmp(argv[i], "--bench-notes") && i + 1 < argc)
			bench_n = strtoll(argv[++i], NULL, 10);
		else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (labelled_dir)
		return labelled(seed, labelled_dir);
	if (bench_n > 0 && out)
		return bench_notes(seed, bench_n, out);
	if (out)
		return demo(seed, out) || demo_notes(seed, out);
	if (n > 0) {
		FILE *f = att ? fopen(att, "w") : stdout;
		if (!f) {
			perror(att);
			return 1;
		}
		struct era era = { 0 };
		FILE *xf = export ? fopen(export, "w") : NULL;
		if (export && !xf) {
			perror(export);
			return 1;
		}
		int rc = lines(seed, n, clean, excel, receivables, f, remit ? &era : NULL, xf);
		if (att && fclose(f) != 0)
			rc = 1;
		if (xf && fclose(xf) != 0)
			rc = 1;
		if (remit && rc == 0) {
			FILE *r = fopen(remit, "w");
			rc = !r || era_write_bench(&era, era_payers, NPAYERS, r) != 0;
			if (r && fclose(r) != 0)
				rc = 1;
		}
		era_free(&era);
		return rc;
	}
	usage(stderr);
	return 2;
}
