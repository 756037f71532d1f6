/* tally.h — the aggregation layer: every sum an output shows.
 *
 * One call sums the priced lines by quarter x payer, by payer, by group
 * program and by clinician, by denial reason code and by payer rule (the
 * lines in scope), and by quarter and by month (every line of the file,
 * whatever the scope, so that a page can compare with the quarter before
 * and draw a trend).  Money is int64 cents end to end, so every table,
 * every page and `grouprev check` sum to the same totals to the cent.
 * Nothing is capped: every payer, code and month has its row.  Results
 * live in the arena given to tally_build.
 */
#ifndef GR_TALLY_H
#define GR_TALLY_H

#include <stdint.h>

#include "billing/ledger.h"
#include "billing/match.h"
#include "model/roster.h"
#include "model/scope.h"
#include "billing/rules.h"
#include "core/value.h"

/* The state of a line's claim, for expected revenue split by state. */
enum tally_state {
	TALLY_PAID,
	TALLY_DENIED,
	TALLY_PENDING,
	TALLY_UNBILLED, /* no status yet */
	TALLY_STATES
};

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
	int64_t by_state[TALLY_STATES]; /* expected, by enum tally_state */
	/* with remittances (tally_add_outcomes): the standing outcomes' sums */
	int64_t patient_resp, contractual;
};

/* Denied lines in scope by the reason code the payer gave. */
struct tally_code {
	uint32_t carc;     /* id in roster.carcs, NO_ID16 = no code given */
	const char *name;  /* the code, or "(no code given)" */
	uint64_t lines;
	int64_t expected;
};

/* Flagged lines in scope by payer rule (a line may break several). */
struct tally_rule {
	uint64_t lines;
	int64_t at_risk; /* expected of those lines */
};

/* Attended lines by month of service, every month from the first to the
 * last of the file (months without lines have zeros). */
struct tally_month {
	int32_t month; /* year * 12 + month - 1 */
	int64_t expected, paid;
};

struct tally {
	struct tally_row *summary; /* sorted by quarter, then payer id */
	uint32_t nsummary;
	struct tally_row *groups;  /* sorted by group id */
	uint32_t ngroups;
	struct tally_row *clinicians; /* sorted by clinician id */
	uint32_t nclinicians;
	struct tally_row *payers;  /* in scope, by payer id (first-seen order) */
	uint32_t npayers;
	struct tally_code *carcs;  /* most lines first, then by code */
	uint32_t ncarcs;
	struct tally_rule rules[RULE_COUNT]; /* by enum rule_id */
	struct tally_row total;
	bool outcomes; /* tally_add_outcomes ran: summary.csv has its columns */
	/* Whatever the scope: */
	struct tally_row *quarters; /* quarters with sessions, in order; key unused */
	uint32_t nquarters;
	struct tally_month *months;
	uint32_t nmonths;
};

int tally_build(struct tally *t, const struct ledger *l, const struct scope *s,
		struct arena *a, struct gr_err *err);
/* The same on THREADS threads (1 or more), each summing a range of the
 * lines; the sums are added in order and are integers, so the result is
 * the same for any THREADS. */
int tally_build_threads(struct tally *t, const struct ledger *l, const struct scope *s,
			unsigned threads, struct arena *a, struct gr_err *err);
/* Add the patient's share and the contractual adjustments of the lines
 * M's remittances pay to T's summary rows and total (tally_outcomes.c). */
void tally_add_outcomes(struct tally *t, const struct ledger *l,
			const struct scope *s, const struct match *m);

/* The row of quarter Q in t->quarters, or NULL when it had no session. */
const struct tally_row *tally_quarter(const struct tally *t, int32_t q);

#endif
