/* gensample.c — a seeded, deterministic generator of attendance files.
 *
 *   gensample --seed S --out DIR          the demo practice: DIR/attendance.csv,
 *                                         DIR/plan.csv, and the same practice as
 *                                         its EHR would export it,
 *                                         DIR/exports/demo-export.csv
 *   gensample --seed S --lines N [--clean] [--excel] [--attendance FILE]
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

	fputs(HEADER, f);
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
				char pos[4], mods[16] = "", paid[16] = "", carc[8] = "";
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
						snprintf(paid, sizeof paid, "%.2f", a);
					}
					/* What the payer's 835 says about it. */
					struct era_line el = { day, 0, (uint32_t)line, atoll(m->id + 1),
							       (uint8_t)m->payer, paid[0] == '\0',
							       addon[0] != '\0', "", "" };
					int64_t pc = 0;
					if (paid[0])
						value_money(paid, &pc);
					el.paid = (int32_t)pc;
					snprintf(el.carc, sizeof el.carc, "%s", carc);
					snprintf(el.mods, sizeof el.mods, "%s", mods);
					if (era_add(&era, &el) != 0) {
						perror("gensample");
						return 1;
					}
				} else if (came[k]) {
					status = unif(&r) < 0.7 ? "pending" : "";
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
				fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
					sid, row_date, p->id, p->type, clin, c->licence, m->id,
					payer, came[k] ? "Y" : "N", mins, modality, pos, auth, dx,
					mods, note, addon, came[k] ? status : "",
					came[k] ? paid : "", came[k] ? carc : "");
				if (session_no == 200 && k == 1) {
					/* The same member entered twice. */
					line++;
					fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,Y,%s,%s,%s,%s,%s,%s,%s,,,,\n",
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
 * row, as the demo file does. */
static int lines(uint64_t seed, long long n, int clean, int excel, FILE *f,
		 struct era *era)
{
	struct rng r = { seed };
	static char buf[1 << 20];
	long long written = 0;
	int32_t first = value_days_from_civil(2025, 1, 6);

	setvbuf(f, buf, _IOFBF, sizeof buf);
	fputs(HEADER, f);
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
				char paid[16] = "";
				if (came[k]) {
					double pd = 1.0 / (1.0 + exp(-(-3.6 + 0.17 * size)));
					if (unif(&r) < pd) {
						status = "denied";
						carc = "CO-50";
					} else {
						status = "paid";
						snprintf(paid, sizeof paid, "%.2f",
							 allowed(payers[k], day, c->licence, 0));
					}
					if (era) {
						struct era_line el = { day, 0, (uint32_t)(written + 2),
								       base + k, (uint8_t)payers[k],
								       paid[0] == '\0', 0, "", "" };
						int64_t pc = 0;
						if (paid[0])
							value_money(paid, &pc);
						el.paid = (int32_t)pc;
						snprintf(el.carc, sizeof el.carc, "%s", carc);
						if (payers[k] == MCD || payers[k] == MCDCA)
							snprintf(el.mods, sizeof el.mods, "HQ");
						if (era_add(era, &el) != 0)
							return 1;
					}
				}
				int mcd = payers[k] == MCD || payers[k] == MCDCA;
				fprintf(f, excel && !strpbrk(p->type, ",\"")
					? "P%lld-%d,%s,P%lld,%s,%s-%lld,%s,M%lld,%s,%s,%d,in_person,11,%s,%s,%s,%s,,%s,%s,%s\n"
					: "P%lld-%d,%s,P%lld,\"%s\",%s-%lld,%s,M%lld,%s,%s,%d,in_person,11,%s,%s,%s,%s,,%s,%s,%s\n",
					g, w, date, g, p->type, c->id, g / 40, c->licence,
					base + k, payer_id[payers[k]], came[k] ? "Y" : "N",
					p->minutes, mcd || payers[k] == BCBSMA ? "PA-1" : "",
					clean || unif(&r) > 0.01 ? diagnoses[k % 10] : "",
					mcd ? "HQ" : "", "Y", status, paid, carc);
				written++;
			}
		}
	}
	return fflush(f) == 0 ? 0 : 1;
}

static void usage(FILE *f)
{
	fputs("usage: gensample --seed S --out DIR\n"
	      "       gensample --seed S --lines N [--clean] [--excel] [--attendance FILE]\n"
	      "                 [--remit FILE]\n"
	      "\n"
	      "The first form writes the demo practice (DIR/attendance.csv, DIR/plan.csv,\n"
	      "and the payers' 835 remittances for its adjudicated lines in DIR/remit/);\n"
	      "the second streams about N attendance rows for benchmarks (stdout unless\n"
	      "--attendance names a file); --clean leaves out missing diagnoses; --excel\n"
	      "quotes only the fields that need it, as Excel and EHR exports do; --remit\n"
	      "also writes the 835 of the paid and denied rows into FILE.\n"
	      "The same seed always gives the same bytes.\n", f);
}

int main(int argc, char **argv)
{
	uint64_t seed = 20261;
	const char *out = NULL, *att = NULL, *remit = NULL;
	long long n = -1;
	int clean = 0, excel = 0;

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
		else if (!strcmp(argv[i], "--clean"))
			clean = 1;
		else if (!strcmp(argv[i], "--excel"))
			excel = 1;
		else if (!strcmp(argv[i], "--help")) {
			usage(stdout);
			return 0;
		} else {
			usage(stderr);
			return 2;
		}
	}
	if (out)
		return demo(seed, out);
	if (n > 0) {
		FILE *f = att ? fopen(att, "w") : stdout;
		if (!f) {
			perror(att);
			return 1;
		}
		struct era era = { 0 };
		int rc = lines(seed, n, clean, excel, f, remit ? &era : NULL);
		if (att && fclose(f) != 0)
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
