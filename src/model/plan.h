/* plan.h — plan.csv: the group programs a practice is planning.
 *
 * A row that cannot be projected — shares that do not sum to 1, an
 * unknown payer, a rate outside 0..1, counts that are not positive, no
 * rate in force on its start date — is refused with its line and reason
 * (into the same list as rejected attendance rows) and left out. */
#ifndef GR_PLAN_H
#define GR_PLAN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "model/rates.h"
#include "model/rejects.h"
#include "model/roster.h" /* enum modality */

struct plan_share {
	uint32_t payer;        /* index into rates.payers */
	int32_t bp;            /* share in parts per 10,000 */
	const struct rate *rate; /* 90853 rate in force on the start date */
};

struct plan_group {
	const char *id;
	size_t line;
	uint32_t sessions, enrolled;
	double attendance;     /* probability a rostered member attends */
	double attendance_sd;  /* its uncertainty (0 = exact) */
	double dropout;        /* chance a member leaves before each later session */
	struct plan_share *mix;
	uint32_t nmix;
	int64_t cost;          /* cents per session, 0 = not given */
	uint32_t minutes;      /* 0 = not given */
	uint8_t modality;      /* enum modality */
	int32_t start;         /* days */
};

struct plan {
	struct plan_group *groups;
	size_t ngroups;
	size_t rows_read;
	size_t defaulted; /* rows given DEFAULT_START (no 'start'), projected
	                   * or refused */
};

/* DEFAULT_START (days, or INT32_MIN for none) is used for rows without a
 * start date. */
int plan_load(struct plan *p, const char *path, const struct rates *r,
	      int32_t default_start, struct arena *a, struct rejects *rej,
	      struct gr_err *err);

/* The start of plan rows without one when --start is not given (the
 * column is optional in the contract): the day after the last date of
 * service in HISTORY (the period that follows it; NULL or no sessions =
 * none), else the first day of the rate table's latest period (the
 * latest 'from' of a 90853 rate).  *BASIS says which, in words for the
 * run's notice.  INT32_MIN when there is neither. */
int32_t plan_default_start(const struct roster *history, const struct rates *r,
			   const char **basis);

#endif
