/* run.h — what every command loads: the rate tables, the roster and the
 * priced ledger, with one arena and one list of rejected rows.
 */
#ifndef GR_RUN_H
#define GR_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "core/arena.h"
#include "core/error.h"
#include "billing/ledger.h"
#include "model/rates.h"
#include "model/roster.h"
#include "model/scope.h"

/* Wall-clock seconds of the stages, printed with GROUPREV_TIMING=1 (the
 * benchmark reads them; docs/performance.md). */
struct run_timing {
	double load, price, tally, write;
};

struct run {
	struct arena arena;
	struct rates rates;
	struct roster roster;
	struct rejects rejects;
	struct ledger ledger;
	struct scope scope;
	struct run_timing timing;
	unsigned threads; /* the parser threads of run_load's tuning:
	                   * pricing and claims.csv share them */
};

/* Monotonic seconds, for the stage timings. */
double run_now(void);

/* Load RATES_DIR (the commands find the default one, cmd/cli.h) and
 * ATTENDANCE, price and
 * check.  A broken rate table fails with every broken row of it in
 * run->rejects.  QUARTER NULL = every quarter.  TUNE (NULL = one thread) says
 * how to parse: the threads, which also price and write claims.csv, and
 * an optional progress callback (the commands choose them, cmd/cli.h). */
int run_load(struct run *run, const char *attendance, const char *rates_dir,
	     const char *quarter, const struct load_tuning *tune,
	     struct gr_err *err);
void run_free(struct run *run);

#endif
