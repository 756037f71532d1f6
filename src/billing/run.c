/* run.c — the load, price and check steps every command shares. */
#include "billing/run.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "billing/rules.h"
#include "core/value.h"

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int run_load(struct run *run, const char *attendance, const char *rates_dir,
	     const char *quarter, const struct load_tuning *tune,
	     struct gr_err *err)
{
	const char *why;

	memset(run, 0, sizeof *run);
	arena_init(&run->arena);
	rejects_init(&run->rejects, &run->arena);
	run->scope.all = true;
	if (quarter) {
		if ((why = value_parse_quarter(quarter, &run->scope.quarter)))
			return gr_fail(err, NULL, 0, "--quarter: %s ('%s')", why, quarter);
		run->scope.all = false;
	}
	if (!is_dir(rates_dir))
		return gr_fail(err, rates_dir, 0,
			       "rate-table folder not found (it must hold payers.csv "
			       "and rates.csv)");
	if (rates_load_all(&run->rates, rates_dir, &run->arena, &run->rejects,
			   err) != 0)
		return -1;
	double t0 = run_now();
	run->threads = tune && tune->threads ? tune->threads : 1;
	if (roster_load(&run->roster, attendance, &run->arena, &run->rejects,
			tune, err) != 0)
		return -1;
	double t1 = run_now();
	if (ledger_build(&run->ledger, &run->roster, &run->rates, run->threads,
			 &run->arena, err) != 0)
		return -1;
	run->timing.load = t1 - t0;
	run->timing.price = run_now() - t1;
	rejects_sort(&run->rejects);
	return 0;
}

double run_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

void run_free(struct run *run)
{
	ledger_free(&run->ledger);
	roster_free(&run->roster);
	rejects_free(&run->rejects);
	arena_release(&run->arena);
}
