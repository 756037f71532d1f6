/* gensample_era.h — the sample generator's X12 835 writer: the
 * remittances the payers would send for the adjudicated lines of an
 * attendance file the generator wrote.  No randomness: every amount
 * follows from the line (its paid amount, payer, reason code and line
 * number), so the attendance file's random stream is untouched and the
 * same seed gives the same bytes.
 */
#ifndef GENSAMPLE_ERA_H
#define GENSAMPLE_ERA_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* The practice's fee for each billed code, cents (the SVC02 charge, and
 * the attendance file's charge column: $75.00, $95.00 with the add-on;
 * above every payer's allowed amount, as fees are; not a payer rate). */
#define ERA_FEE_90853 7500
#define ERA_FEE_90785 2000

/* One adjudicated attendance line. */
struct era_line {
	int32_t day;        /* date of service */
	int32_t paid;       /* cents the payer paid (0 when denied) */
	uint32_t line;      /* its line in attendance.csv: the claim number */
	long long member;   /* member number (M<number>) */
	uint8_t payer;      /* index into the payer table */
	uint8_t denied;
	uint8_t addon;      /* a 90785 was billed with it */
	char carc[8];       /* "CO-50" when denied */
	char mods[12];      /* "HQ 95" as in attendance.csv */
	int32_t pay;        /* payment (or denial) date, the attendance file's
	                     * paid_date; 0: the writer's own (pay_day) */
};

struct era {
	struct era_line *v;
	size_t n, cap;
};

int era_add(struct era *e, const struct era_line *l);
void era_free(struct era *e);

struct era_payer {
	const char *id, *name;
	const char *filing; /* CLP06: MB Medicare Part B, MC Medicaid, CI, 12 ... */
	int medicare;       /* coinsurance 20% and 2% sequestration (CO-253) */
	int copay;          /* cents of copay on some lines (PR-3), 0 none */
	int coins_pct;      /* out-of-network coinsurance (PR-2), 0 none */
};

/* What payer P pays on attendance line LINE of RATE cents, the payer's
 * allowed amount (gensample.c's allowed()): out of network the amount
 * less its coinsurance, a commercial copay on one line in five, else all
 * of it; Medicare's RATE is already its payment (80% after the 20%
 * coinsurance, less the 2% sequestration, domain.md 4.2).  The 835 writer
 * works back from the payment to the allowed amount and the patient's
 * share (within a cent), so a line's expected rate, its paid amount and
 * its 835 agree. */
int64_t era_paid_of(const struct era_payer *p, uint32_t line, int64_t rate);
/* The patient's share of line L in the 835 of payer P: the sum of its
 * service lines' PR adjustments, cents (0 for a denied line).  The
 * attendance file's patient_paid is drawn from it, so the two agree. */
int64_t era_patient_share(const struct era_payer *p, const struct era_line *l);

/* The demo: DIR/<PAYER>-<YYYYQn>.835, one file per payer and quarter of
 * payment, one transaction (check or EFT) per payment date. */
int era_write_demo(const struct era *e, const struct era_payer *payers,
		   int npayers, const char *dir);
/* The benchmark: every line into F, one interchange, transactions of
 * about 2,000 claims per payer. */
int era_write_bench(const struct era *e, const struct era_payer *payers,
		    int npayers, FILE *f);

#endif
