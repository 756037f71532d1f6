/* outcome.h — what a payer decided about one billed line: the claim
 * outcome, kept apart from the attendance line.
 *
 * One struct outcome is one adjudication.  An 835 service line fills every
 * field (model/remit.h); the attendance file's own status, paid and carc
 * columns fill status, paid and a one-code carc list and leave the rest
 * unknown (OUTCOME_UNKNOWN amounts, no dates).  Amounts are cents.
 */
#ifndef GR_OUTCOME_H
#define GR_OUTCOME_H

#include <stdbool.h>
#include <stdint.h>

enum outcome_status {
	OUTCOME_NONE = 0, /* not adjudicated (no remittance, no status) */
	OUTCOME_PAID,     /* the payer paid something */
	OUTCOME_PATIENT,  /* paid 0, the allowed amount went to the patient
	                   * (deductible, coinsurance): adjudicated, not denied */
	OUTCOME_DENIED,   /* claim status 4, or paid 0 with no patient share */
	OUTCOME_PENDING   /* the attendance file says pending */
};

/* An amount not given (the attendance file has no allowed amount). */
#define OUTCOME_UNKNOWN INT64_MIN
/* A date not given. */
#define OUTCOME_NO_DATE INT32_MIN

struct outcome {
	int64_t charge;       /* SVC02 */
	int64_t paid;         /* SVC03 (plus secondary payments) */
	int64_t allowed;      /* AMT*B6, else paid + patient_resp */
	int64_t patient_resp; /* sum of PR adjustments */
	int64_t contractual;  /* sum of CO adjustments */
	int64_t other_adj;    /* sum of OA, PI and CR adjustments */
	const char *carc;     /* "CO-45;OA-23": CO/OA/PI reason codes, largest
	                       * amount first; "" = none */
	const char *rarc;     /* remark codes in the order given; "" = none */
	int32_t paid_date;    /* BPR16, days; OUTCOME_NO_DATE = none */
	int32_t service_date; /* days; OUTCOME_NO_DATE = none */
	uint8_t status;       /* enum outcome_status */
};

/* "paid", "patient", "denied", "pending", "" for OUTCOME_NONE. */
const char *outcome_status_name(uint8_t status);

struct roster;
struct line;
/* The outcome the attendance file itself gives line LN of R (its status,
 * paid and carc columns): status and paid, the carc as a one-code list;
 * allowed, the adjustments and the charge OUTCOME_UNKNOWN, no dates.
 * The other half of the record an 835 line fills (model/remit.h). */
void outcome_of_line(const struct roster *r, const struct line *ln,
		     struct outcome *o);
/* Paid, patient and denied are adjudicated; only denied is a denial. */
static inline bool outcome_adjudicated(uint8_t s)
{
	return s == OUTCOME_PAID || s == OUTCOME_PATIENT || s == OUTCOME_DENIED;
}

#endif
