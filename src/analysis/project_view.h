/* project_view.h — what the report's projection page and chart need from
 * a projection (filled by the project module; plain numbers, dollars). */
#ifndef GR_PROJECT_VIEW_H
#define GR_PROJECT_VIEW_H

#include <stddef.h>
#include <stdint.h>

struct project_view_group {
	const char *group;
	uint32_t sessions;
	double mean, p5, p50, p95; /* revenue over the period, dollars */
	double analytic;           /* closed-form expected revenue */
	double cost, net;          /* cost and mean net, dollars */
	uint32_t break_even;       /* members: the smallest enrolment whose
	                            * expected revenue covers the cost; 0 =
	                            * none up to PROJECT_MAX_ENROL (or no cost) */
	uint32_t break_even_hi;    /* the largest of that run of enrolments
	                            * (revenue falls again above the caps) */
	uint32_t best_enrol;       /* the enrolment up to PROJECT_MAX_ENROL with the
	                            * most expected revenue per session; 0 when it
	                            * still rises at the bound */
	double p_loss;             /* share of runs whose revenue is below the
	                            * cost; NAN without a cost */
};

struct project_view {
	const struct project_view_group *groups;
	size_t ngroups;
	struct project_view_group total;
	const double *samples;     /* total revenue of each run, sorted, dollars */
	size_t nsamples;
	unsigned long seed;
	const char *generator;
	const char *denial_model;  /* how denials were drawn, in words */
};

#endif
