/* tally.h — sums of priced lines by quarter x payer, by group program and
 * by clinician.  Money is int64 cents end to end, so every table sums to
 * the same totals to the cent.
 */
#ifndef GR_TALLY_H
#define GR_TALLY_H

#include <stdint.h>

#include "billing/ledger.h"
#include "billing/match.h"
#include "model/roster.h"
#include "model/scope.h"
#include "core/value.h"

struct tally_row {
	int32_t quarter;  /* summary: quarter key; groups/clinicians: unused */
	uint32_t key;     /* payer, group or clinician id in the roster pools */
	uint64_t rows;    /* accepted rows, attended or absent */
	uint64_t lines;   /* attended rows */
	uint64_t sessions;
	uint64_t priced, unpriced, flagged;
	uint64_t adjudicated, denied, paid_lines, pending;
	int64_t expected, low, high, paid;
	int64_t at_risk; /* expected of flagged, priced lines */
	uint64_t minutes; /* sum of session minutes (sessions with minutes) */
	uint64_t minute_sessions;
	/* with remittances (tally_add_outcomes): the standing outcomes' sums */
	int64_t patient_resp, contractual;
};

struct tally {
	struct tally_row *summary; /* sorted by quarter, then payer id */
	uint32_t nsummary;
	struct tally_row *groups;  /* sorted by group id */
	uint32_t ngroups;
	struct tally_row *clinicians; /* sorted by clinician id */
	uint32_t nclinicians;
	struct tally_row total;
	bool outcomes; /* tally_add_outcomes ran: summary.csv has its columns */
};

int tally_build(struct tally *t, const struct ledger *l, const struct scope *s,
		struct arena *a, struct gr_err *err);
/* Add the patient's share and the contractual adjustments of the lines
 * M's remittances pay to T's summary rows and total (tally_outcomes.c). */
void tally_add_outcomes(struct tally *t, const struct ledger *l,
			const struct scope *s, const struct match *m);

#endif
