/* remit_sums.h — the sums of the payments page: every service line read,
 * by payer (net: a reversal's negative amounts cancel the line it
 * reverses), in integer cents.  Payments' own totals (BPR02, claims, PLB)
 * are in model/remit.h; this is the one place that adds lines up.
 */
#ifndef GR_REMIT_SUMS_H
#define GR_REMIT_SUMS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "billing/match.h"
#include "model/remit.h"

struct remit_payer_sum {
	const char *payer;  /* payer id (REF*2U or TRN03), else its name */
	size_t payments, lines;
	int64_t charge, paid, patient_resp, contractual, other_adj;
};

struct remit_sums {
	struct remit_payer_sum *payers; /* by payer, first-seen order */
	size_t npayers;
	struct remit_payer_sum total;
	size_t balance_failures, read_problems, unbalanced_payments;
	int64_t bpr, claims_paid, plb; /* sums of the payments' own totals */
};

int remit_sums_build(struct remit_sums *s, const struct remit *rm,
		     struct gr_err *err);
void remit_sums_free(struct remit_sums *s);

#endif
