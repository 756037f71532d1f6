/* receivables.h — A/R aging, the collection figures and the payer
 * scorecard (spec receivables.md; every table and formula is in
 * docs/receivables.md).
 *
 * Everything here reads a line's dates and amounts through ar_line_facts,
 * the one accessor: the attendance columns (status, paid, charge, billed,
 * paid_date, patient_paid) and the ledger's price, and, for a line an 835
 * adjudicated (ledger.remit, billing/match.h), the payer's own payment
 * date, patient share, contractual adjustment, allowed amount, charge
 * (when the file has no charge column) and first-pass history.
 *
 * Receivables are a balance on a day, the as-of date: a line counts when
 * its date of service (and billed date) is on or before it, and it is
 * adjudicated on that day when its status is paid or denied and its
 * payment date, when known, is not after it.  Aging looks at every line
 * of the file (what is owed does not depend on --quarter); the collection
 * rates and the scorecard at the lines of service of a quarter or scope.
 * Money is int64 cents throughout.
 */
#ifndef GR_RECEIVABLES_H
#define GR_RECEIVABLES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "billing/ledger.h"
#include "model/scope.h"

/* ---- one line ------------------------------------------------------------ */

/* What receivables know of line I (attended lines; others have
 * attended = false and nothing else set). */
struct ar_facts {
	bool attended;
	bool priced;        /* expected is known (ledger) */
	bool has_charge;    /* charge is known: the charge column, else the
	                     * expected amount of a priced line */
	bool billed_given;  /* the billed date comes from a billed column */
	bool patient_known; /* what the patient paid is known (patient_paid) */
	bool clean;         /* no pre-submission finding (rules.h) */
	bool first_denied;  /* its first adjudication was a denial: with an
	                     * 835 history the earliest primary one, else its
	                     * status */
	uint8_t status;     /* enum line_status */
	uint8_t addon;      /* roster addon id, NO_ID8 = none */
	uint16_t payer;     /* roster payer id */
	int32_t dos;        /* date of service, days */
	int32_t billed;     /* billed date; AR_NONE = not billed yet.  Without
	                     * a billed column, or with an empty cell on a paid
	                     * or denied line, it is the date of service */
	int32_t adjudicated; /* payment (or denial) date; AR_NONE = not known */
	int64_t expected;   /* cents; 0 when not priced */
	int64_t charge;     /* cents; 0 when not known */
	int64_t paid;       /* by the payer, cents */
	int64_t patient_resp; /* the patient's share of a paid line, cents: an
	                       * 835's PR adjustments; without one its expected
	                       * (allowed) amount less what the payer paid,
	                       * never below 0 */
	int64_t allowed;      /* of a paid line, cents: the 835's allowed amount
	                       * (AMT*B6, else paid + PR); without one paid +
	                       * patient_resp */
	int64_t patient_paid; /* cents; 0 when not known */
	int64_t contractual;  /* contractual adjustment (the 835's CO), cents:
	                       * 0 without remittances */
};

void ar_line_facts(const struct ledger *l, size_t i, struct ar_facts *f);

/* Where line F stands on day AS_OF. */
enum ar_state {
	AR_NOT_YET,   /* dated after AS_OF, or not billed by then */
	AR_OPEN,      /* billed, not adjudicated: the payer owes it */
	AR_PAID,      /* adjudicated, paid */
	AR_DENIED     /* adjudicated, denied */
};
enum ar_state ar_state_on(const struct ar_facts *f, int32_t as_of);

/* The day the receivables are measured on when --as-of is not given: the
 * latest date of service, billed date or payment date (the attendance
 * file's or an 835's) of the lines in scope S (0 when there are none).
 * Never the clock. */
int32_t ar_default_as_of(const struct ledger *l, const struct scope *s);

/* ---- aging ------------------------------------------------------------------ */

#define AR_BUCKETS 5
/* "0-30", "31-60", "61-90", "91-120", "121+" */
extern const char *const ar_bucket_names[AR_BUCKETS];
/* Bucket of an age in days (>= 0): day 30 is in 0-30, day 31 in 31-60. */
int ar_bucket(int32_t days);

enum ar_basis { AR_BASIS_SERVICE, AR_BASIS_BILLED };
enum ar_kind { AR_KIND_PAYER, AR_KIND_PATIENT, AR_KIND_DENIED };

struct ar_row {
	enum ar_kind kind;
	uint32_t payer;       /* roster payer id; unused for the patient row */
	int64_t bucket[AR_BUCKETS];
	int64_t total;        /* = sum of bucket[] */
	uint64_t lines;       /* lines in the row, priced or not */
	uint64_t unpriced;    /* of those, without a price: counted, not summed */
};

struct aging {
	int32_t as_of;
	enum ar_basis basis;
	struct ar_row *rows;  /* payer rows by payer id, the patient row (when
	                       * patient_paid is known), denied rows by payer */
	size_t nrows;
	int64_t balance;      /* outstanding: the payer rows' and the patient
	                       * row's totals (denied lines apart) */
	int64_t over_90;      /* of that, older than 90 days */
	uint64_t unbilled_lines; /* dated on or before AS_OF, not billed yet */
	int64_t unbilled;     /* their expected amount */
};

/* Every attended line of L as of AS_OF.  Rows in A. */
int ar_aging(const struct ledger *l, int32_t as_of, enum ar_basis basis,
	     struct arena *a, struct aging *out, struct gr_err *err);

/* ---- key figures ------------------------------------------------------------ */

enum {
	KPI_DAYS_IN_AR, KPI_NET_COLLECTION, KPI_GROSS_COLLECTION,
	KPI_FIRST_PASS_DENIAL, KPI_CLEAN_CLAIM, KPI_AR_OVER_90,
	KPI_MEDIAN_DAYS_TO_PAY, KPI_MEDIAN_BILLED_TO_PAY, KPI_COUNT
};
enum kpi_kind {
	KPI_MONEY_RATIO, /* num / den, both cents */
	KPI_COUNT_RATIO, /* num / den, both lines */
	KPI_DAYS_AR,     /* num cents / (den cents / 90) */
	KPI_MEDIAN       /* value in days; den = lines */
};
struct kpi_def {
	const char *name;    /* kpi.csv */
	const char *label;   /* the report */
	const char *formula; /* kpi.csv and the appendix */
	enum kpi_kind kind;
	bool lower_is_better;
};
extern const struct kpi_def kpi_defs[KPI_COUNT];

struct kpi_value {
	bool defined;        /* false: a zero denominator (no data) */
	double value;        /* a ratio 0..1, or days */
	int64_t num, den;
};
struct kpi_set {
	bool no_lines;       /* the roster has no session at all: no quarter */
	int32_t quarter;     /* quarter key of the lines of service */
	int32_t as_of;
	struct kpi_value v[KPI_COUNT];
};

/* The quarter the report focuses on: scope S's, or the latest quarter
 * with a session (0 when none). */
int32_t ar_focus_quarter(const struct roster *r, const struct scope *s);
/* The as-of date of the quarter before: the last day of quarter Q - 1,
 * or AS_OF when that is earlier. */
int32_t ar_previous_as_of(int32_t quarter, int32_t as_of);
/* The figures of the lines of service of QUARTER as of AS_OF. */
int ar_kpis(const struct ledger *l, int32_t quarter, int32_t as_of,
	    struct kpi_set *out, struct gr_err *err);

/* ---- scorecard ---------------------------------------------------------------- */

struct ar_score {
	bool by_code;          /* a payer x billed code row */
	uint32_t payer;        /* roster payer id */
	uint8_t addon;         /* roster addon id, NO_ID8 = 90853 alone */
	uint32_t rank;         /* 1 = pays most per member-session */
	uint64_t lines;        /* billed lines in scope, dated by AS_OF */
	uint64_t priced;       /* of those, priced */
	uint64_t adjudicated, denied, paid_lines;
	int64_t expected;      /* of the priced lines */
	int64_t adj_expected;  /* expected of the priced adjudicated lines */
	int64_t allowed;       /* of adjudicated lines: paid + patient share */
	int64_t paid;          /* by the payer, adjudicated lines */
	int64_t patient_resp, patient_paid;
	double denial_lo, denial_hi; /* 95% Wilson, NaN when none adjudicated */
	double median_days;    /* date of service to payment, NaN = none known */
	uint64_t timed;        /* paid lines with a payment date */
};

struct scorecard {
	int32_t as_of;
	struct ar_score *rows; /* payer rows by rank, then payer x code rows
	                        * by rank */
	size_t nrows, npayers;
};

/* The lines of service in scope S, billed by AS_OF.  Rows in A. */
int ar_scorecard(const struct ledger *l, const struct scope *s, int32_t as_of,
		 struct arena *a, struct scorecard *out, struct gr_err *err);

/* ---- all of it ----------------------------------------------------------------- */

/* What the receivables tables and report pages show for one as-of date. */
struct ar_result {
	struct aging aging;
	struct kpi_set cur;   /* the focus quarter as of AS_OF */
	struct kpi_set prev;  /* the quarter before, as of its last day */
	struct scorecard score;
};

/* All of it in one pass over the lines, cut into ranges on THREADS
 * threads (0 or 1: the calling thread only); the result is the same for
 * any number of threads.  Rows in A. */
int ar_build(const struct ledger *l, const struct scope *s, int32_t as_of,
	     enum ar_basis basis, unsigned threads, struct arena *a,
	     struct ar_result *out, struct gr_err *err);

#endif
