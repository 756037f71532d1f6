/* ledger.h — prices every attended line and runs the payer rules on it.
 *
 * Price of a line = the 90853 rate in force for its payer, date and
 * setting (from its pos), times the payer's credential share for the
 * clinician's licence, rounded half-up to the cent, plus the same for its
 * add-on code.  A line whose payer is not in payers.csv or that has no
 * rate period is left unpriced (LINE_PRICED clear) and flagged
 * unknown_payer / no_rate: never priced at zero.  Absent lines are neither
 * priced nor checked.
 */
#ifndef GR_LEDGER_H
#define GR_LEDGER_H

#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "model/rates.h"
#include "model/roster.h"
#include "billing/rules.h"

struct match;

struct ledger {
	struct roster *roster;
	const struct rates *rates;
	int32_t *payer_index; /* roster payer id -> rates payer index, -1 unknown */
	int32_t *share;       /* [rates payer index * share_stride + licence]:
	                       * credential share in basis points; licence =
	                       * roster credential id, or share_stride - 1 for
	                       * none */
	uint32_t share_stride;
	bool *not_psychotherapy; /* per roster group_type id (rules.h) */
	uint32_t unchecked;   /* RULE bits that could not be checked because
	                       * attendance.csv lacks the column they need */
	const struct match *remit; /* the 835s' standing outcomes of the lines
	                            * (billing/match.h), or NULL: set by whoever
	                            * matched them (cmd_remit_apply), read by
	                            * the receivables (ar_line_facts) */
};

/* The amounts of a priced line, in cents. */
struct line_price {
	int64_t expected, low, high;
};

/* Price and check every line of R.  Fills line.rate/addon_rate/issues,
 * LINE_PRICED and LINE_ADDON_UNPRICED.  THREADS (1 or more) share the
 * lines; the result does not depend on how many. */
int ledger_build(struct ledger *l, struct roster *r, const struct rates *rates,
		 unsigned threads, struct arena *a, struct gr_err *err);

/* Nothing to free today (the tables are in the arena, the ranks in the
 * lines); kept so that callers need not know. */
void ledger_free(struct ledger *l);

/* Line LN's amounts: the rate in force times the credential share,
 * rounded half-up to the cent, plus the same for its add-on; all zero
 * when the line is not priced. */
void ledger_price(const struct ledger *l, const struct line *ln,
		  struct line_price *p);
/* Its expected amount alone (0 when not priced). */
int64_t ledger_expected(const struct ledger *l, const struct line *ln);

/* The rule context of line I (attended lines only). */
void ledger_rule_ctx(const struct ledger *l, size_t i, struct rule_ctx *c);

/* The payer of line I in the rate table, or NULL when unknown. */
const struct payer *ledger_payer(const struct ledger *l, const struct line *ln);

#endif
