/* project.h — Monte Carlo projection of planned group programs.
 *
 * One run is one period of one program.  Per run: the denial model's
 * parameters are drawn from their estimated uncertainty (when it is
 * given), the attendance rate from its Beta (when the plan gives an
 * attendance_sd), and each planned member's payer once from the mix — a
 * member keeps an insurance for the period.  Per session: members still
 * enrolled leave with the plan's dropout chance (from the second session
 * on), each remaining member attends with the run's attendance rate, a
 * payer pays for its attendees unless a session rule of the check
 * (rules_session: group size, minutes, modality) refuses the session,
 * and each paid line is denied with the model's p(K) at the session's
 * size K.  Amounts: the payer's rate in force on the start date
 * (expected, or a triangular draw over low–expected–high per line).
 * Every program has its own MT19937 stream seeded from the master seed,
 * so a program's figures do not depend on the others.
 * docs/projection.md has the formulas.
 */
#ifndef GR_PROJECT_H
#define GR_PROJECT_H

#include <stdbool.h>
#include <stddef.h>

#include "core/error.h"
#include "model/plan.h"
#include "analysis/project_view.h"
#include "model/rates.h"
#include "analysis/sizes.h"

#define PROJECT_DEFAULT_SEED 20261122UL
#define PROJECT_DEFAULT_RUNS 10000
/* Break-even enrolments are searched up to this many members. */
#define PROJECT_MAX_ENROL 60

enum denial_kind {
	DENIAL_NONE,   /* no line denied */
	DENIAL_LOGIT,  /* logit p(k) = b0 + b1 k */
	DENIAL_TABLE   /* p(k) from observed counts d[k] of n[k] */
};

/* How paid lines are denied.  The model must come from lines that the
 * session rules do not already predict denied (sizes.h), since the
 * projection applies those rules itself. */
struct denial_model {
	enum denial_kind kind;
	double b0, b1;
	/* LOGIT: the covariance of (b0, b1); drawn per run from the
	 * bivariate normal when DRAW is set (and the matrix is not zero). */
	double v00, v01, v11;
	/* TABLE, for sizes 0..maxk: d[k] of n[k]; a size with fewer than
	 * min_lines lines uses the pooled D of N.  Drawn per run from
	 * Beta(d + 1/2, n - d + 1/2) when DRAW is set, else d / n. */
	const double *d, *n;
	uint32_t maxk;
	double pooled_d, pooled_n;
	uint64_t min_lines;
	bool draw;
};

struct project_opts {
	size_t runs;
	unsigned long seed;
	bool range;          /* triangular draw over low-expected-high */
	struct denial_model denial;
};

struct project_result {
	struct project_view_group *groups; /* ngroups, then the plan's TOTAL */
	size_t ngroups;
	struct project_view_group total;
	double *total_runs;  /* sorted total revenue per run, dollars */
	double *sd;          /* per group, then total: sd of revenue over runs */
	size_t runs;
	unsigned long seed;
};

/* The denial model of a history's size analysis AN (sizes.h: fitted on
 * the lines no session rule predicts denied, so applying the rules and
 * the model counts no cause twice): the straight-line logit with its
 * covariance when it fits; the observed rate of each size with at least
 * STATS_MIN_LINES lines (the pooled rate for other sizes) when its lack
 * of fit is rejected or it cannot be fitted; no denials when nothing was
 * adjudicated.  DRAW: draw the parameters per run from their
 * uncertainty.  TEXT says which in words, naming SOURCE ("this report's
 * lines", a file name).  Tables in A. */
int project_denial_from(const struct size_analysis *an, bool draw, const char *source,
			struct denial_model *m, char *text, size_t size, struct arena *a);

/* Run the simulation.  Allocations are owned by RES: project_free. */
int project_run(const struct plan *p, const struct rates *r,
		const struct project_opts *o, struct project_result *res,
		struct gr_err *err);
void project_free(struct project_result *res);

/* The exact expected revenue of G over its period with ENROLLED members
 * (dollars): the dropout, the attendance rate's Beta (64-point
 * Gauss–Legendre) and the denial model's uncertainty (E p(k): normal
 * quadrature of the logistic, or the Beta mean) taken into account.
 * A member's fixed payer does not change the mean, only the spread. */
double project_period_mean(const struct plan_group *g, const struct rates *r,
			   const struct project_opts *o, uint32_t enrolled);

/* The same per session (period mean / sessions). */
double project_session_mean(const struct plan_group *g, const struct rates *r,
			    const struct project_opts *o, uint32_t enrolled);

/* E p(k) under the model (its mean over the parameter uncertainty when
 * drawn; the point value when not). */
double project_p_denied(const struct denial_model *m, uint32_t k);

/* A triangular draw over [lo, hi] with mode m from a uniform U in [0, 1)
 * (inverse CDF; exposed for tests). */
double project_triangular(double lo, double m, double hi, double u);


/* The report's view of a result (pointers into RES). */
void project_view_of(const struct project_result *res, const char *denial_text,
		     struct project_view *pv);

/* projection.csv into DIR. */
int project_write_csv(const char *dir, const struct project_result *res,
		      struct gr_err *err);

#endif
