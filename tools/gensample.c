/* gensample.c — a seeded, deterministic generator of attendance files.
 *
 *   gensample --seed S --out DIR          the demo practice: DIR/attendance.csv
 *                                         and DIR/plan.csv
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

/* The practice's own fee for a line: $75.00, $90.00 with the 90785 add-on
 * (the demo practice's fee schedule, above every payer's rate, as fees
 * are; not a payer rate). */
static long long fee_cents(const char *addon)
{
	return addon[0] ? 9000 : 7500;
}

/* The four receivables cells of one attended line into BUF, drawn from
 * AR (a stream of its own, so the other columns stay as they were):
 * billed 1-7 days after the session, never after EXPORT (else not billed
 * yet when its status is empty); adjudicated lines posted after the
 * payer's delay, by EXPORT; the patient pays the allowed amount less the
 * payer's payment (Medicare: the 20% coinsurance) on most paid lines. */
static void ar_cells(struct rng *ar, int32_t day, int32_t export_day, int payer,
		     const char *status, double allowed_amt, long long paid_c,
		     const char *addon, char *buf, size_t size)
{
	char billed[16] = "", posted[16] = "", patient[32] = "";
	int32_t b = day + 1 + pick(ar, 7);

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
		date_str(b + d, 0, posted);
	}
	if (!strcmp(status, "paid") && unif(ar) < 0.8) {
		long long share = payer == MCR ? llround(allowed_amt / (0.8 * 0.98) * 20.0)
					       : llround(allowed_amt * 100.0) - paid_c;
		if (share < 0)
			share = 0;
		snprintf(patient, sizeof patient, "%lld.%02lld", share / 100, share % 100);
	}
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
				char pos[4], mods[16] = "", paid[16] = "", carc[8] = "";
				char arc[96] = ",,,";
				double allowed_amt = 0;
				long long paid_c = 0;
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
						allowed_amt = a;
						a *= 0.97 + 0.03 * unif(&r);
						snprintf(paid, sizeof paid, "%.2f", a);
						paid_c = llround(a * 100.0);
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
				if (came[k])
					ar_cells(&ar, day, last, m->payer, status, allowed_amt,
						 paid_c, addon, arc, sizeof arc);
				/* The deliberate mistakes, at fixed places. */
				char row_date[16];
				snprintf(row_date, sizeof row_date, "%s", date);
				if (session_no == 40 && k == 1)
					payer = "BCBS-MA";
				if (session_no == 77 && k == 2)
					snprintf(row_date, sizeof row_date, "2026-02-30");
				if (session_no == 120 && k == 3)
					clin = "C-EVANS";
				if (session_no >= 150 && !three_decimals && paid[0] && came[k]) {
					strcat(paid, "5"); /* 3 decimals */
					three_decimals = 1;
				}
				if (session_no == 190 && k == 4)
					snprintf(mins, sizeof mins, "sixty");
				if (session_no == 260 && k == 2) {
					/* A row cut short by a spreadsheet edit. */
					fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,%s\n", sid, row_date,
						p->id, p->type, clin, c->licence, m->id, payer,
						came[k] ? "Y" : "N");
					continue;
				}
				fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s\n",
					sid, row_date, p->id, p->type, clin, c->licence, m->id,
					payer, came[k] ? "Y" : "N", mins, modality, pos, auth, dx,
					mods, note, addon, came[k] ? status : "",
					came[k] ? paid : "", came[k] ? carc : "", arc);
				if (session_no == 200 && k == 1) {
					/* The same member entered twice. */
					line++;
					fprintf(f, "%s,%s,%s,\"%s\",%s,%s,%s,%s,Y,%s,%s,%s,%s,%s,%s,%s,,,,,,,,\n",
						sid, row_date, p->id, p->type, clin, c->licence, m->id,
						payer, mins, modality, pos, auth, dx, mods, note);
				}
			}
		}
	}
	if (fclose(f) != 0) {
		perror(path);
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
		 FILE *f, struct era *era)
{
	struct rng r = { seed };
	struct rng ar = { seed ^ 0x5eceab1e5ULL }; /* the receivables columns */
	static char buf[1 << 20];
	long long written = 0;
	int32_t first = value_days_from_civil(2025, 1, 6);

	setvbuf(f, buf, _IOFBF, sizeof buf);
	header(f, receivables);
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
				char paid[16] = "", arc[100] = "";
				double a = 0;
				if (came[k]) {
					double pd = 1.0 / (1.0 + exp(-(-3.6 + 0.17 * size)));
					if (unif(&r) < pd) {
						status = "denied";
						carc = "CO-50";
					} else {
						status = "paid";
						a = allowed(payers[k], day, c->licence, 0);
						snprintf(paid, sizeof paid, "%.2f", a);
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
				if (receivables) {
					arc[0] = ',';
					if (came[k])
						ar_cells(&ar, day, first + 7 * 60, payers[k], status,
							 a, llround(a * 100.0), "", arc + 1,
							 sizeof arc - 1);
					else
						snprintf(arc, sizeof arc, ",,,,");
				}
				int mcd = payers[k] == MCD || payers[k] == MCDCA;
				fprintf(f, excel && !strpbrk(p->type, ",\"")
					? "P%lld-%d,%s,P%lld,%s,%s-%lld,%s,M%lld,%s,%s,%d,in_person,11,%s,%s,%s,%s,,%s,%s,%s%s\n"
					: "P%lld-%d,%s,P%lld,\"%s\",%s-%lld,%s,M%lld,%s,%s,%d,in_person,11,%s,%s,%s,%s,,%s,%s,%s%s\n",
					g, w, date, g, p->type, c->id, g / 40, c->licence,
					base + k, payer_id[payers[k]], came[k] ? "Y" : "N",
					p->minutes, mcd || payers[k] == BCBSMA ? "PA-1" : "",
					clean || unif(&r) > 0.01 ? diagnoses[k % 10] : "",
					mcd ? "HQ" : "", "Y", status, paid, carc, arc);
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
	      "                 [--attendance FILE] [--remit FILE]\n"
	      "\n"
	      "The first form writes the demo practice (DIR/attendance.csv, DIR/plan.csv,\n"
	      "and the payers' 835 remittances for its adjudicated lines in DIR/remit/);\n"
	      "the second streams about N attendance rows for benchmarks (stdout unless\n"
	      "--attendance names a file); --clean leaves out missing diagnoses; --excel\n"
	      "quotes only the fields that need it, as Excel and EHR exports do; --remit\n"
	      "also writes the 835 of the paid and denied rows into FILE; --receivables\n"
	      "adds charge, billed, paid_date and patient_paid.\n"
	      "The same seed always gives the same bytes.\n", f);
}

int main(int argc, char **argv)
{
	uint64_t seed = 20261;
	const char *out = NULL, *att = NULL, *remit = NULL;
	long long n = -1;
	int clean = 0, excel = 0, receivables = 0;

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
		else if (!strcmp(argv[i], "--receivables"))
			receivables = 1;
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
		int rc = lines(seed, n, clean, excel, receivables, f, remit ? &era : NULL);
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
