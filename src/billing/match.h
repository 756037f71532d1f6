/* match.h — which attendance line each remittance service line pays, and
 * the outcome that then stands for that line (remittance.md, "Matching").
 *
 * A 90853 service line matches, in this order: the attended line whose
 * line_ref equals its REF*6R; else the line whose claim_id equals CLP01
 * on the same date of service; else the line whose insured_id (or
 * member_id when attendance.csv has no insured_id column) equals the
 * claim's insured or patient member id on the same date, of the same
 * payer when payers.csv gives a payer whose remit_id is the 835's payer
 * id.  An add-on line (90785, or a code of the attendance addon column)
 * joins the 90853 line of its claim.  Other codes are counted by code.
 *
 * For each matched attendance line the adjudication that stands is the
 * primary one with the latest payment date (reading order breaks ties),
 * reversed claims and reversals left out; secondary payments (CLP02 2,
 * 3, 20, 21) add to its paid, and the patient's share is what the last
 * payer left.  match_apply then writes that outcome's status, paid and
 * first reason code into the roster's lines (patient -> paid: adjudicated,
 * not denied), so every table and statistic uses it; where the attendance
 * file gave a different status or paid amount, the remittance wins and
 * the difference is listed in conflicts.
 */
#ifndef GR_MATCH_H
#define GR_MATCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "model/outcome.h"
#include "model/rates.h"
#include "model/remit.h"
#include "model/roster.h"

enum match_how {
	MATCH_NONE = 0,   /* unmatched: why says why */
	MATCH_LINE_REF,   /* rule 1 */
	MATCH_CLAIM,      /* rule 2 */
	MATCH_MEMBER,     /* rule 3 */
	MATCH_ADDON,      /* joined its 90853 line */
	MATCH_OTHER_CODE, /* not 90853 nor an add-on: counted */
	MATCH_REVERSAL,   /* a reversal claim's line */
	MATCH_REVERSED    /* a line of a claim a reversal cancelled */
};

/* One per remittance service line. */
struct match_result {
	int32_t line;    /* roster line index; -1 none */
	uint8_t how;     /* enum match_how */
	const char *why; /* for MATCH_NONE: the reason; else NULL */
};

/* The outcome standing for one attendance line. */
struct applied {
	struct outcome o;
	uint32_t line;       /* roster line index */
	uint32_t remit_line; /* the primary adjudication that stands */
	const char *check;   /* its TRN02 */
	bool first_denied;   /* the line's first primary adjudication (earliest
	                      * payment date, reading order breaks ties) was a
	                      * denial, whatever stands now: a first-pass
	                      * denial (receivables.md) */
};

struct conflict {
	uint32_t line;       /* roster line index */
	uint32_t remit_line;
	const char *what;    /* "status paid, remittance denied" */
};

struct code_count {
	const char *code;
	size_t lines;
	int64_t paid;
};

struct match {
	const struct remit *rm;
	struct match_result *res; /* [rm->lines.len] */
	int32_t *applied_of;      /* [roster lines]: index in applied, -1 */
	struct vec applied;       /* struct applied, in roster line order */
	struct vec conflicts;     /* struct conflict, in roster line order */
	struct vec other_codes;   /* struct code_count, in first-seen order */
	size_t by_rule[4];        /* [MATCH_LINE_REF..MATCH_MEMBER] */
	size_t addons, other_lines, unmatched, reversal_lines;
	size_t status_conflicts, paid_conflicts;
	bool attendance;          /* a roster was given */
};

/* Match RM's lines against R (NULL: nothing is matched, every line is
 * "no attendance file") with RATES' remit_id (NULL: no payer check). */
int match_run(struct match *m, const struct remit *rm, const struct roster *r,
	      const struct rates *rates, struct arena *a, struct gr_err *err);
/* Write the standing outcomes into R's lines (status, paid, carc). */
int match_apply(const struct match *m, struct roster *r, struct gr_err *err);
void match_free(struct match *m);

/* The remit.csv "match" cell of remittance line I: the attendance line
 * number, or "unmatched: REASON", "reversal of FILE:segment N", ... */
const char *match_label(const struct match *m, const struct roster *r,
			size_t i, char *buf, size_t size);

static inline const struct applied *match_applied(const struct match *m,
						  size_t roster_line)
{
	if (!m || !m->applied_of || m->applied_of[roster_line] < 0)
		return NULL;
	return &((const struct applied *)m->applied.data)[m->applied_of[roster_line]];
}

#endif
