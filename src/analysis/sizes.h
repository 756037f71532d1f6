/* sizes.h — the statistics' input and the whole size analysis.
 *
 * A line counts when it is attended, in scope, and its status is paid or
 * denied.  Its size is its session's attended count (pending and unbilled
 * attendees count toward the size).  The model and the optimum use the
 * lines that no session rule (rules_session: group size, minutes,
 * modality) predicts denied; every adjudicated line is in the observed
 * columns.  The payer mix is each known payer's share of the priced
 * adjudicated lines and the mean expected amount of its lines. */
#ifndef GR_SIZES_H
#define GR_SIZES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "billing/ledger.h"
#include "analysis/stats.h"
#include "analysis/tally.h"

/* Whether line LN counts: attended, in scope S, paid or denied. */
bool sizes_adjudicated(const struct roster *r, const struct scope *s,
		       const struct line *ln);

/* Bins for every observed size, in increasing size, and the payer mix,
 * allocated in A. */
int sizes_collect(const struct ledger *l, const struct scope *s,
		  struct size_bin **bins, size_t *nbins, struct payer_mix *mix,
		  struct arena *a, struct gr_err *err);

/* Everything `grouprev stats` computes, for the files, stdout and the
 * report's charts. */
struct size_analysis {
	struct size_bin *bins;
	size_t nbins;
	struct payer_mix mix;
	struct logit_fit fit;
	double chi2, p_trend;
	bool trend_ok;
	struct optimal opt;
	char summary[2048];
};

/* Collect, fit, test and rank; COST_CENTS per session (0 = none).
 * Writes sizes.csv, model.csv and optimal.csv into OUTDIR when it is not
 * NULL. */
int sizes_analyse(const struct ledger *l, const struct scope *s,
		  int64_t cost_cents, const char *outdir, struct size_analysis *an,
		  struct arena *a, struct gr_err *err);

#endif
