/* remit.h — the meaning of X12 835 remittances: payments (one per
 * transaction: a check or EFT), claims and service lines, with their
 * balancing.  The segments come from io/x12.h; this module knows which
 * segment says what (../shared/spec/remittance.md, "What a service line
 * means"), not how they are written.
 *
 * remit_read adds the complete transactions of one file; a transaction
 * cut off or broken adds nothing and is listed in problems.  After the
 * last file, remit_settle applies reversals (CLP02 22 cancels the earlier
 * adjudication of the same claim) and orders nothing else: lines stay in
 * file order.
 *
 * Patient names are never read; member ids are (insured_id, patient_id)
 * and are PHI, like attendance member_id.  Everything lives in ARENA.
 */
#ifndef GR_REMIT_H
#define GR_REMIT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "model/outcome.h"

/* One 835 transaction set: one check or EFT. */
struct remit_payment {
	const char *file;
	size_t segment;         /* its ST */
	const char *check;      /* TRN02 */
	const char *method;     /* BPR04: CHK, ACH, NON, ... */
	int32_t date;           /* BPR16, OUTCOME_NO_DATE when missing */
	const char *payer_id;   /* REF*2U in the payer loop, else TRN03 */
	const char *payer_name; /* N1*PR 02 */
	const char *payee_npi;  /* N1*PE 04 when N1*PE 03 is XX */
	int64_t total;          /* BPR02 */
	int64_t claims_paid;    /* sum of CLP04 */
	int64_t plb;            /* sum of PLB amounts (positive reduces) */
	size_t nclaims, nlines, nplb;
	bool balanced;          /* BPR02 = sum CLP04 - sum PLB */
};

/* Claim roles, from CLP02. */
enum remit_role {
	ROLE_PRIMARY = 0,  /* 1, 4, 19, 23 and anything else */
	ROLE_SECONDARY,    /* 2, 3, 20, 21: adds to paid, keeps the status */
	ROLE_REVERSAL      /* 22 */
};

struct remit_claim {
	uint32_t payment;       /* index in remit.payments */
	size_t segment;         /* its CLP */
	const char *claim_id;   /* CLP01 patient control number */
	const char *payer_claim_id; /* CLP07 */
	const char *status;     /* CLP02 as written */
	uint8_t role;           /* enum remit_role */
	int64_t charge, paid, patient_resp; /* CLP03, 04, 05 */
	int64_t cas;            /* sum of claim-level CAS */
	const char *patient_id; /* NM1*QC 09 */
	const char *insured_id; /* NM1*IL 09, else the patient's */
	int32_t date;           /* DTM*232, else OUTCOME_NO_DATE */
	uint32_t first_line, nlines; /* its service lines in remit.lines */
	const char *claim_carc; /* claim-level CO/OA/PI codes, "" none */
	bool balanced;
	int32_t reversed_by;    /* claim index of the reversal that cancels
	                         * it, or -1 */
	int32_t reverses;       /* for a reversal: the claim it cancels, -1 */
};

struct remit_line {
	struct outcome o;
	uint32_t claim;        /* index in remit.claims */
	size_t segment;        /* its SVC */
	const char *code;      /* SVC01-2: "90853" */
	const char *qualifier; /* SVC01-1: "HC" */
	const char *modifiers; /* SVC01-3..6 joined with ':' ("95:HQ"), "" */
	const char *line_ref;  /* REF*6R, "" */
	uint32_t units;        /* SVC05; 1 when not given */
	const char *balance;   /* "ok", or what does not balance */
};

/* Something in a file that was reported: a broken envelope, a bad value,
 * a balancing failure.  Never fatal. */
enum remit_problem_kind { PROBLEM_READ = 0, PROBLEM_BALANCE };

struct remit_problem {
	const char *file;
	size_t segment;
	const char *id;  /* segment id, "" when unknown */
	const char *msg;
	uint8_t kind;    /* enum remit_problem_kind */
};

/* A provider-level adjustment (PLB pair). */
struct remit_plb {
	uint32_t payment;
	const char *reason; /* PLB03-1 etc.: "L6", "WO" */
	const char *ref;    /* the composite's reference, "" */
	int64_t amount;
};

struct remit {
	struct arena *arena;
	struct vec payments; /* struct remit_payment */
	struct vec claims;   /* struct remit_claim */
	struct vec lines;    /* struct remit_line */
	struct vec plbs;     /* struct remit_plb */
	struct vec problems; /* struct remit_problem */
	size_t files, segments, transactions, transactions_used;
	size_t files_refused; /* in folders: files that are not 835s, skipped */
};

void remit_init(struct remit *rm, struct arena *a);
void remit_free(struct remit *rm);

/* Read one file.  X12_REFUSED (io/x12.h) when it cannot be used at all
 * (unreadable, not X12, not an 835: ERR says which, with the position),
 * -1 when memory ran out; the file then adds nothing, not even its
 * problems. */
int remit_read(struct remit *rm, const char *path, struct gr_err *err);
/* The same from a buffer (tests, fuzzing). */
int remit_read_buffer(struct remit *rm, const char *path, const char *buf,
		      size_t len, struct gr_err *err);

/* Add a problem (FILE and MSG are copied when they are not the remit's
 * own strings: MSG always; FILE is kept as given and must outlive RM). */
int remit_add_problem(struct remit *rm, const char *file, size_t seg,
		      const char *id, uint8_t kind, const char *msg,
		      struct gr_err *err);

/* Apply reversals once every file is read: each reversal claim cancels
 * the latest earlier non-reversal claim (by payment date, then reading
 * order) with the same payer claim control number, else the same patient
 * control number, of the same payer.  -1 on out of memory. */
int remit_settle(struct remit *rm, struct gr_err *err);

static inline struct remit_line *remit_line_at(const struct remit *rm, size_t i)
{
	return &((struct remit_line *)rm->lines.data)[i];
}
static inline struct remit_claim *remit_claim_at(const struct remit *rm, size_t i)
{
	return &((struct remit_claim *)rm->claims.data)[i];
}
static inline struct remit_payment *remit_payment_at(const struct remit *rm,
						     size_t i)
{
	return &((struct remit_payment *)rm->payments.data)[i];
}

/* Cents as "-12.30" for messages (the CSV form). */
const char *remit_cents(int64_t c, char buf[32]);

#endif
