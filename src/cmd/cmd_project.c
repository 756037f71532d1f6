/* cmd_project.c — `grouprev project`: what planned group programs should
 * bring, as a range. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "io/outfile.h"
#include "model/plan.h"
#include "analysis/project.h"
#include "render/report.h"
#include "billing/run.h"
#include "analysis/sizes.h"
#include "render/tables.h"
#include "core/value.h"

static void project_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev project PLAN.csv [--rates DIR]\n"
"                        [--history ATTENDANCE.csv | --denial-model B0,B1]\n"
"                        [--amounts expected|range] [--parameters drawn|fixed]\n"
"                        [--runs N] [--seed S]\n"
"                        [--start DATE] [--out DIR]\n"
"\n"
"What will the planned group programs bring over the period, as a range?\n"
"Each plan row is one program: sessions, members enrolled, the chance a member\n"
"attends, the payer mix, the cost of a session.  grouprev simulates the period\n"
"many times: who attends each session, which payers they have, which lines a\n"
"payer refuses (group too small or too large, session too short, modality not\n"
"covered) or denies, and adds up the revenue.\n"
"\n"
"Options:\n"
"  --rates DIR          rate-table folder (default: the shipped rate-tables/)\n"
"  --history FILE       fit the denial model on this attendance history\n"
"                       (denial rate by group size, as 'grouprev stats')\n"
"  --denial-model B0,B1 or give it: P(denied) = 1 / (1 + exp(-(B0 + B1 * size)))\n"
"                       or B0,B1,V00,V01,V11 with the covariance of the two\n"
"                       (with neither: no denials, and the outputs say so)\n"
"  --parameters MODE    drawn (default): each run draws the denial model's\n"
"                       parameters from their uncertainty (the history's fit,\n"
"                       or the given covariance); fixed: at their estimates\n"
"  --amounts MODE       expected (default): each line earns the payer's expected\n"
"                       rate; range: a draw between its low and high rate\n"
"  --runs N             simulated periods (default 10000)\n"
"  --seed S             random seed (default 20261122): the same seed and inputs\n"
"                       always give the same figures\n"
"  --start DATE         start date for plan rows without one (selects the rates;\n"
"                       default: the day after the history's last date of\n"
"                       service, else the start of the rate table's latest\n"
"                       period; the run says which)\n"
"  --out DIR            where to write (default: out/)\n"
"  -h, --help           this help\n"
"\n"
"Each member keeps one payer for the period; the optional plan columns\n"
"dropout (chance a member leaves before each later session, default 0) and\n"
"attendance_sd (uncertainty of the attendance rate, default 0) widen the range.\n"
"\n"
"Writes projection.csv (per program and TOTAL: mean, P5, P50, P95 of revenue,\n"
"cost, mean net, break-even enrolments as a range, the enrolment that earns\n"
"the most per session, the probability of a loss, the exact mean beside the\n"
"simulated one, the runs, seed and generator), projection.pdf and rejects.csv (the\n"
"history's rejected rows and the refused plan rows).  How to read them:\n"
"docs/projection.md.  PLAN.csv or the history may be '-', the standard input.\n"
"\n"
"Exit status: 0 done; 1 done, but plan rows were refused; 2 unusable input.\n");
}

/* "B0,B1" or "B0,B1,V00,V01,V11" (the covariance of the two). */
static int parse_model(const char *s, double v[5], int *nv)
{
	const char *t = s;
	char *end;

	*nv = 0;
	for (;;) {
		errno = 0;
		double x = strtod(t, &end);
		if (errno || end == t || !isfinite(x) || *nv == 5)
			return -1;
		v[(*nv)++] = x;
		if (*end == '\0')
			break;
		if (*end != ',')
			return -1;
		t = end + 1;
	}
	return *nv == 2 || *nv == 5 ? 0 : -1;
}

int cmd_project(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "rates", required_argument, NULL, 'r' },
		{ "history", required_argument, NULL, 'H' },
		{ "denial-model", required_argument, NULL, 'd' },
		{ "amounts", required_argument, NULL, 'a' },
		{ "parameters", required_argument, NULL, 'P' },
		{ "runs", required_argument, NULL, 'n' },
		{ "seed", required_argument, NULL, 's' },
		{ "start", required_argument, NULL, 'S' },
		{ "out", required_argument, NULL, 'o' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rates_dir = NULL, *history = NULL, *model = NULL, *out = "out", *why;
	struct project_opts o = { .runs = PROJECT_DEFAULT_RUNS,
				  .seed = PROJECT_DEFAULT_SEED };
	bool draw = true;
	int32_t start = INT32_MIN;
	uint64_t u;
	int c, rc = GR_EXIT_FATAL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rates_dir = optarg; break;
		case 'H': history = optarg; break;
		case 'd': model = optarg; break;
		case 'o': out = optarg; break;
		case 'a':
			if (!strcmp(optarg, "range"))
				o.range = true;
			else if (strcmp(optarg, "expected")) {
				gr_fail(err, NULL, 0, "--amounts: '%s' is not expected or range", optarg);
				return GR_EXIT_FATAL;
			}
			break;
		case 'P':
			if (!strcmp(optarg, "fixed"))
				draw = false;
			else if (strcmp(optarg, "drawn")) {
				gr_fail(err, NULL, 0, "--parameters: '%s' is not drawn or fixed",
					optarg);
				return GR_EXIT_FATAL;
			}
			break;
		case 'n':
			if ((why = value_uint(optarg, 10000000, &u)) || u < 2) {
				gr_fail(err, NULL, 0, "--runs: %s ('%s')",
					why ? why : "at least 2 runs", optarg);
				return GR_EXIT_FATAL;
			}
			o.runs = (size_t)u;
			break;
		case 's':
			if ((why = value_uint(optarg, 4294967295ULL, &u)) || u == 0) {
				gr_fail(err, NULL, 0, "--seed: %s ('%s')",
					why ? why : "use a seed above 0", optarg);
				return GR_EXIT_FATAL;
			}
			o.seed = (unsigned long)u;
			break;
		case 'S':
			if ((why = value_date(optarg, &start))) {
				gr_fail(err, NULL, 0, "--start: %s ('%s')", why, optarg);
				return GR_EXIT_FATAL;
			}
			break;
		case 'h': project_usage(stdout); return GR_EXIT_OK;
		default:
			return cli_usage(err, "project", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage(err, "project", "give exactly one plan file");
	if (history && model)
		return cli_usage(err, "project", "give --history or --denial-model, not both");
	if (history && !strcmp(history, "-") && !strcmp(argv[optind], "-"))
		return cli_usage(err, "project", "only one of the plan and the history "
				 "can be the standard input");
	char denial[1000];
	snprintf(denial, sizeof denial, "No denial model was given: the figures assume "
		 "no line is denied.");
	if (model) {
		double v[5];
		int nv;
		if (parse_model(model, v, &nv) != 0) {
			gr_fail(err, NULL, 0, "--denial-model: '%s' is not B0,B1 or "
				"B0,B1,V00,V01,V11 (e.g. -3.5,0.18)", model);
			return GR_EXIT_FATAL;
		}
		o.denial.kind = DENIAL_LOGIT;
		o.denial.b0 = v[0];
		o.denial.b1 = v[1];
		if (nv == 5) {
			o.denial.v00 = v[2];
			o.denial.v01 = v[3];
			o.denial.v11 = v[4];
		}
		o.denial.draw = draw && nv == 5;
		snprintf(denial, sizeof denial, "Denials drawn from the given model: logit "
			 "P(denied) = %g + %g x group size%s.", v[0], v[1],
			 o.denial.draw ? ", parameters drawn per run from the given covariance"
				       : "");
	}

	struct run run;
	struct plan plan;
	struct project_result res;
	struct cli_out co = { .lock_fd = -1 };
	struct chart_theme th;
	memset(&res, 0, sizeof res);
	if (chart_fonts_ready(err) != 0 || cli_theme(&th, NULL, err) != 0)
		return GR_EXIT_FATAL;
	/* The history (or an empty run) carries the rates, arena and rejects. */
	if (history) {
		struct size_analysis an;
		if (cli_load(&run, history, rates_dir, NULL, err) != 0 ||
		    sizes_analyse(&run.ledger, &run.scope, 0, NULL, &an, &run.arena, err) != 0)
			goto out;
		if (project_denial_from(&an, draw, history, &o.denial, denial,
					sizeof denial, &run.arena) != 0) {
			gr_fail(err, history, 0, "out of memory");
			goto out;
		}
		if (an.fit.status != FIT_OK)
			fprintf(stderr, "%s: note: %s\n", history, an.fit.note);
	} else {
		char dir[PATH_MAX];
		memset(&run, 0, sizeof run);
		arena_init(&run.arena);
		rejects_init(&run.rejects, &run.arena);
		if (cli_rates_dir(rates_dir, dir, sizeof dir, err) != 0)
			goto out;
		if (rates_load_all(&run.rates, dir, &run.arena, &run.rejects, err) != 0) {
			cli_rates_failed(&run.rejects, err);
			goto out;
		}
	}
	size_t before = run.rejects.items.len;
	const char *basis = NULL;
	if (start == INT32_MIN)
		start = plan_default_start(history ? &run.roster : NULL, &run.rates, &basis);
	const char *plan_file = cli_input(argv[optind]);
	if (plan_load(&plan, plan_file, &run.rates, start, &run.arena, &run.rejects,
		      err) != 0)
		goto out;
	size_t refused = run.rejects.items.len - before;
	char vis[2048];
	/* The history's rejected rows: the first ten here, all in rejects.csv. */
	for (size_t i = 0; i < before && i < 10; i++) {
		const struct reject *x = &VEC_AT(&run.rejects.items, struct reject, i);
		char file[1024];
		fprintf(stderr, "%s:%zu: rejected: %s\n", cli_visible(x->file, file, sizeof file),
			x->line, cli_visible(x->reason, vis, sizeof vis));
	}
	if (before > 10)
		fprintf(stderr, "... and %zu more rejected rows of the history (all "
			"are in rejects.csv)\n", before - 10);
	if (history)
		fprintf(stderr, "%s: %zu rows read = %zu used + %zu rejected\n",
			run.roster.path, run.roster.rows_read, run.roster.rows_used,
			run.roster.rows_rejected);
	for (size_t i = before; i < run.rejects.items.len; i++) {
		const struct reject *x = &VEC_AT(&run.rejects.items, struct reject, i);
		char file[1024];
		fprintf(stderr, "%s:%zu: refused: %s\n", cli_visible(x->file, file, sizeof file),
			x->line, cli_visible(x->reason, vis, sizeof vis));
	}
	if (basis && plan.defaulted && start != INT32_MIN) {
		char d[16];
		value_format_date(start, d);
		fprintf(stderr, "%s: note: %zu plan row%s without a start date start%s on "
			"%s, %s (give --start to choose)\n", plan_file, plan.defaulted,
			plan.defaulted == 1 ? "" : "s", plan.defaulted == 1 ? "s" : "",
			d, basis);
	}
	fprintf(stderr, "%s: %zu plan rows read = %zu projected + %zu refused\n",
		plan_file, plan.rows_read, plan.ngroups, refused);
	const char *inputs[] = { plan_file, history ? run.roster.path : NULL,
				 run.rates.payers_path, run.rates.rates_path };
	if (cli_out_begin(&co, "project", out, inputs, 4, err) != 0)
		goto out;
	out = co.dir;
	rejects_sort(&run.rejects);
	if (project_run(&plan, &run.rates, &o, &res, err) != 0 ||
	    project_write_csv(out, &res, err) != 0 ||
	    tables_write_rejects(out, &run.rejects, err) != 0)
		goto out;
	struct project_view pv;
	char path[1100];
	project_view_of(&res, denial, &pv);
	snprintf(path, sizeof path, "%s/projection.pdf", out);
	if (report_write_projection_pdf(&pv, &th, argv[optind], path, err) != 0 ||
	    cli_out_publish(&co, err) != 0)
		goto out;

	printf("%-22s %8s %12s %12s %12s %12s %12s %10s %5s %7s\n", "group", "sessions",
	       "mean", "exact mean", "P5", "P95", "net", "break-even", "best", "P(loss)");
	for (size_t i = 0; i <= res.ngroups; i++) {
		const struct project_view_group *g = i < res.ngroups ? &res.groups[i] : &res.total;
		char be[32] = "", pl[16] = "", bst[16] = "";
		if (i < res.ngroups && g->best_enrol)
			snprintf(bst, sizeof bst, "%u", g->best_enrol);
		if (i < res.ngroups && g->break_even)
			snprintf(be, sizeof be, "%u-%u", g->break_even, g->break_even_hi);
		else if (i < res.ngroups)
			snprintf(be, sizeof be, "never");
		if (isfinite(g->p_loss))
			snprintf(pl, sizeof pl, "%.1f%%", 100.0 * g->p_loss);
		printf("%-22s %8u %12.2f %12.2f %12.2f %12.2f %12.2f %10s %5s %7s\n", g->group,
		       g->sessions, g->mean, g->analytic, g->p5, g->p95, g->net, be, bst, pl);
	}
	printf("%zu runs, generator mt19937, seed %lu.  %s\n", res.runs, res.seed, denial);
	printf("wrote %s/projection.csv, projection.pdf, rejects.csv\n", out);
	rc = run.rejects.items.len ? GR_EXIT_FINDINGS : GR_EXIT_OK;
out:
	cli_out_end(&co);
	project_free(&res);
	run_free(&run);
	return rc;
}
