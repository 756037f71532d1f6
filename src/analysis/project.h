/* project.h — Monte Carlo projection of planned group programs.
 *
 * Per session: attendees ~ Binomial(enrolled, attendance rate); the
 * attendees' payers ~ Multinomial(attendees, payer mix); each payer's
 * lines earn the rate in force on the group's start date (expected, or a
 * triangular draw over low–expected–high per line) unless the payer's
 * rules refuse the session (group size, minutes, modality); each line is
 * denied with probability logistic(b0 + b1 * attendees) when a denial
 * model is given.  Every group has its own MT19937 stream seeded from the
 * master seed, so a group's figures do not depend on the others.
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

#define PROJECT_DEFAULT_SEED 20261122UL
#define PROJECT_DEFAULT_RUNS 10000

struct project_opts {
	size_t runs;
	unsigned long seed;
	bool range;          /* triangular draw over low-expected-high */
	bool denial;         /* a denial model is given */
	double b0, b1;
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

/* Run the simulation.  Allocations are owned by RES: project_free. */
int project_run(const struct plan *p, const struct rates *r,
		const struct project_opts *o, struct project_result *res,
		struct gr_err *err);
void project_free(struct project_result *res);

/* The exact expected revenue of one session of G (dollars). */
double project_session_mean(const struct plan_group *g, const struct rates *r,
			    const struct project_opts *o, uint32_t enrolled);

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
