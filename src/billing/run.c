/* run.c — the load, price and check steps every command shares. */
#include "billing/run.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "billing/rules.h"
#include "core/value.h"

#ifndef GR_DATADIR
#define GR_DATADIR "/usr/local/share/grouprev"
#endif

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

void run_default_rates(char *buf, size_t size)
{
	const char *env = getenv("GROUPREV_RATES");
	char exe[PATH_MAX];
	ssize_t n;

	if (env && *env) {
		snprintf(buf, size, "%s", env);
		return;
	}
	/* A program run from the source tree (./grouprev or build/grouprev)
	 * finds the tables of that tree. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			snprintf(buf, size, "%s/rate-tables", exe);
			if (is_dir(buf))
				return;
			snprintf(buf, size, "%s/../rate-tables", exe);
			if (is_dir(buf))
				return;
		}
	}
	snprintf(buf, size, "%s/rate-tables", GR_DATADIR);
	if (is_dir(buf))
		return;
	snprintf(buf, size, "rate-tables");
}

/* The parser threads: GROUPREV_THREADS, else one per core (at most 8;
 * more would only wait on the thread that hands rows over in order). */
static int parser_threads(unsigned *threads, struct gr_err *err)
{
	const char *env = getenv("GROUPREV_THREADS");
	char *end;
	long n;

	if (env && *env) {
		n = strtol(env, &end, 10);
		if (*end || n < 1 || n > 64)
			return gr_fail(err, NULL, 0, "GROUPREV_THREADS must be a whole "
				       "number from 1 to 64 (it is '%s')", env);
		*threads = (unsigned)n;
		return 0;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	*threads = n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
	return 0;
}

/* A progress line while a large file loads, on a terminal only: a log
 * or a pipe gets nothing. */
struct progress {
	const char *path;
	double t0, last;
	bool shown;
};

#define PROGRESS_MIN_BYTES (64.0 * 1024 * 1024)

static void show_progress(void *ctx, size_t done, size_t total, size_t records)
{
	struct progress *pg = ctx;
	double now = run_now(), el = now - pg->t0;

	if (now - pg->last < 0.25 || el <= 0)
		return;
	pg->last = now;
	pg->shown = true;
	double rate = (double)done / el, left = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "\r%s: %.0f of %.0f MB, %zu rows, %.0f MB/s, ", pg->path,
		(double)done / 1e6, (double)total / 1e6, records, rate / 1e6);
	if (left < 1)
		fputs("under a second left\033[K", stderr);
	else
		fprintf(stderr, "about %.0f s left\033[K", left);
}

int run_load(struct run *run, const char *attendance, const char *rates_dir,
	     const char *quarter, struct gr_err *err)
{
	char dflt[PATH_MAX];
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
	if (!rates_dir) {
		run_default_rates(dflt, sizeof dflt);
		rates_dir = dflt;
	}
	if (!is_dir(rates_dir))
		return gr_fail(err, rates_dir, 0,
			       "rate-table folder not found (it must hold payers.csv "
			       "and rates.csv)");
	if (rates_load(&run->rates, rates_dir, &run->arena, err) != 0)
		return -1;
	double t0 = run_now();
	struct progress pg = { attendance, t0, t0, false };
	struct load_tuning tune = { 1, 0, 0, NULL, &pg, false };
	if (parser_threads(&tune.threads, err) != 0)
		return -1;
	run->threads = tune.threads;
	struct stat st;
	if (isatty(STDERR_FILENO) && stat(attendance, &st) == 0 &&
	    (double)st.st_size >= PROGRESS_MIN_BYTES)
		tune.progress = show_progress;
	int rc = roster_load(&run->roster, attendance, &run->arena, &run->rejects,
			     &tune, err);
	if (pg.shown)
		fputs("\r\033[K", stderr);
	if (rc != 0)
		return -1;
	double t1 = run_now();
	if (ledger_build(&run->ledger, &run->roster, &run->rates, tune.threads,
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

static const char *column_of(uint32_t col)
{
	static const struct { uint32_t bit; const char *name; } names[] = {
		{ COL_GROUP_TYPE, "group_type" }, { COL_CREDENTIAL, "credential" },
		{ COL_MINUTES, "minutes" }, { COL_MODALITY, "modality" },
		{ COL_POS, "pos" }, { COL_AUTH, "auth_id" },
		{ COL_DIAGNOSIS, "diagnosis" }, { COL_MODIFIERS, "modifiers" },
		{ COL_NOTE, "note" }, { COL_ADDON, "addon" }, { COL_STATUS, "status" },
		{ COL_PAID, "paid" }, { COL_CARC, "carc" },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (col & names[i].bit)
			return names[i].name;
	return "?";
}

void run_print_notices(const struct run *run, FILE *f, size_t max_rejects)
{
	const struct roster *r = &run->roster;
	size_t nrej = run->rejects.items.len;

	for (size_t i = 0; i < nrej && i < max_rejects; i++) {
		const struct reject *x = &VEC_AT(&run->rejects.items, struct reject, i);
		fprintf(f, "%s:%zu: rejected: %s\n", x->file, x->line, x->reason);
	}
	if (nrej > max_rejects)
		fprintf(f, "... and %zu more rejected rows (all are in rejects.csv)\n",
			nrej - max_rejects);
	if (r->ignored_columns[0])
		fprintf(f, "%s: note: ignored unknown columns: %s\n", r->path,
			r->ignored_columns);
	for (int i = 0; i < RULE_COUNT; i++) {
		if (!(run->ledger.unchecked & (1u << i)))
			continue;
		uint32_t missing = rules_table[i].needs_column & ~r->columns;
		if ((r->columns & COL_POS) && missing == COL_MODALITY)
			continue;
		fprintf(f, "%s: note: rule '%s' not checked: the file has no '%s' column\n",
			r->path, rules_table[i].name, column_of(missing));
	}
	fprintf(f, "%s: %zu rows read = %zu used + %zu rejected",
		r->path, r->rows_read, r->rows_used, r->rows_rejected);
	if (r->empty_lines)
		fprintf(f, " (%zu empty lines skipped)", r->empty_lines);
	fputc('\n', f);
}
