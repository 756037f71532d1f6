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
	unsigned threads; /* GROUPREV_THREADS or one per core: parsing,
	                   * pricing and claims.csv share them */
};

/* Monotonic seconds, for the stage timings. */
double run_now(void);

/* Load RATES_DIR (NULL = the shipped tables) and ATTENDANCE, price and
 * check.  QUARTER NULL = every quarter. */
int run_load(struct run *run, const char *attendance, const char *rates_dir,
	     const char *quarter, struct gr_err *err);
/* The same, reading ATTENDANCE through the column map at MAP (an EHR
 * export; model/export.h); MAP NULL = attendance.csv as it is. */
int run_load_map(struct run *run, const char *attendance, const char *map,
		 const char *rates_dir, const char *quarter, struct gr_err *err);
void run_free(struct run *run);

/* The default rate-table folder into BUF: $GROUPREV_RATES, else
 * rate-tables/ beside the program (a build tree), else the installed
 * share/grouprev/rate-tables, else ./rate-tables. */
void run_default_rates(char *buf, size_t size);

/* Print the standard end-of-load notices to F: rows read = used +
 * rejected, the first rejected rows, ignored columns, unchecked rules. */
void run_print_notices(const struct run *run, FILE *f, size_t max_rejects);

#endif
