/* cmd_stats.c — `grouprev stats`: group size versus denial rate. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "render/chart.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "io/outfile.h"
#include "render/report.h"
#include "billing/run.h"
#include "analysis/covariates.h"
#include "analysis/sizes.h"
#include "render/tables.h"
#include "core/value.h"

static void stats_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev stats ATTENDANCE.csv [--rates DIR] [--quarter Q] [--cost AMOUNT]\n"
"                      [--by payer_class|modality|group] [--out DIR]\n"
"\n"
"Do bigger groups get denied more, how sure is that, and which group size\n"
"earns the most per session after denials?  Uses the attended lines whose\n"
"status is paid or denied; a line's group size is the number of members who\n"
"attended its session.\n"
"\n"
"Options:\n"
"  --rates DIR      rate-table folder (default: the shipped rate-tables/)\n"
"  --quarter Q      only sessions of quarter Q, e.g. 2026Q3\n"
"  --cost AMOUNT    clinician and room cost of one session, e.g. 250.00: adds\n"
"                   the net per session and the break-even group size\n"
"  --by WHAT        also the denial rate by payer_class, modality or group\n"
"                   (program), into by_WHAT.csv\n"
"  --out DIR        where to write the files (default: out/)\n"
"  --remit PATH     835 remittances (file or folder, repeatable): the lines\n"
"                   they pay take their status from them ('patient' counts\n"
"                   as adjudicated, not denied)\n"
"  -h, --help       this help\n"
"\n"
"Writes into DIR:\n"
"  sizes.csv        per group size: sessions, adjudicated and denied lines,\n"
"                   denial rate and its 95%% Wilson interval\n"
"  model.csv        logistic regression of denial on group size (estimates,\n"
"                   standard errors, z, p-values), the odds ratio per extra\n"
"                   member with its 95%% interval, the Cochran-Armitage trend\n"
"                   test; a note row says when the data cannot support a fit\n"
"  optimal.csv      expected revenue per session after denials and payer\n"
"                   limits for each size with its 95%% range, the best size,\n"
"                   the sizes tied with it, and with --cost the net\n"
"  covariates.csv   one model of denial on size, over-cap, payer class,\n"
"                   modality and program together\n"
"  sizes.pdf        the chart: denial rate by size with its intervals and the\n"
"                   fitted curve, and the table\n"
"  rejects.csv      every input row not used, with its line and the reason\n"
"\n"
"How to read them: docs/statistics.md.\n");
}

int cmd_stats(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "rates", required_argument, NULL, 'r' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "cost", required_argument, NULL, 'c' },
		{ "out", required_argument, NULL, 'o' },
		{ "remit", required_argument, NULL, 'M' },
		{ "by", required_argument, NULL, 'b' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rates = NULL, *quarter = NULL, *out = "out", *why;
	int64_t cost = 0;
	enum cov_by by = BY_NONE;
	struct run run;
	struct size_analysis an;
	int c, rc = GR_EXIT_FATAL;
	const char *remits[argc > 0 ? argc : 1]; /* --remit, at most one per argument */
	size_t nremit = 0;
	struct remit rm;
	struct match m;

	memset(&m, 0, sizeof m);
	memset(&rm, 0, sizeof rm);

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rates = optarg; break;
		case 'q': quarter = optarg; break;
		case 'o': out = optarg; break;
		case 'M': remits[nremit++] = optarg; break;
		case 'b':
			if (covariates_parse_by(optarg, &by) != 0) {
				gr_fail(err, NULL, 0, "--by: '%s' is not payer_class, modality "
					"or group", optarg);
				return GR_EXIT_FATAL;
			}
			break;
		case 'c':
			if ((why = value_money(optarg, &cost)) || cost < 0) {
				gr_fail(err, NULL, 0, "--cost: %s ('%s')",
					why ? why : "negative amount", optarg);
				return GR_EXIT_FATAL;
			}
			break;
		case 'h': stats_usage(stdout); return GR_EXIT_OK;
		default:
			return cli_usage(err, "stats", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage(err, "stats", "give exactly one attendance file");
	struct cli_out co = { .lock_fd = -1 };
	struct chart_theme th;
	if (chart_fonts_ready(err) != 0)
		return GR_EXIT_FATAL;
	if (cli_load(&run, argv[optind], rates, quarter, err) != 0 ||
	    cli_theme(&th, NULL, err) != 0)
		goto out;
	if (nremit && cmd_remit_apply(&run, &rm, &m, remits, nremit, err) != 0)
		goto out;
	const char *inputs[] = { run.roster.path, run.rates.payers_path,
				 run.rates.rates_path };
	if (cli_out_begin(&co, "stats", out, inputs, 3, err) != 0)
		goto out;
	out = co.dir;
	char pdf[1100], rej[1100];
	snprintf(pdf, sizeof pdf, "%s/sizes.pdf", out);
	snprintf(rej, sizeof rej, "%s/rejects.csv", out);
	struct cov_model cm;
	struct cov_table ct;
	char cov_text[400];
	if (sizes_analyse(&run.ledger, &run.scope, cost, out, &an, &run.arena, err) != 0 ||
	    covariates_model(&run.ledger, &run.scope, &cm, &run.arena, err) != 0 ||
	    covariates_write_model(out, &cm, err) != 0 ||
	    (by != BY_NONE &&
	     (covariates_table(&run.ledger, &run.scope, by, &ct, &run.arena, err) != 0 ||
	      covariates_write_table(out, &ct, err) != 0)) ||
	    report_write_sizes_pdf(&run, &an, &th, argv[optind], pdf, err) != 0 ||
	    tables_write_rejects(out, &run.rejects, err) != 0 ||
	    cli_out_publish(&co, err) != 0)
		goto out;
	cli_notices(&run, stderr, 10, rej);
	if (nremit)
		cmd_remit_notices(&rm, &m, stderr, 10);
	if (an.fit.status != FIT_OK)
		fprintf(stderr, "%s: note: %s\n", run.roster.path, an.fit.note);
	covariates_summary(&cm, cov_text, sizeof cov_text);
	printf("%s\n%s\n", an.summary, cov_text);
	if (by != BY_NONE) {
		printf("%-24s %12s %8s %8s %17s\n", covariates_by_name(by), "adjudicated",
		       "denied", "rate", "95% interval");
		for (size_t i = 0; i < ct.nlevels; i++) {
			double lo, hi;
			stats_wilson(ct.levels[i].d, ct.levels[i].n, &lo, &hi);
			printf("%-24s %12llu %8llu %7.1f%% %7.1f%%-%5.1f%%\n", ct.levels[i].name,
			       (unsigned long long)ct.levels[i].n,
			       (unsigned long long)ct.levels[i].d,
			       100.0 * (double)ct.levels[i].d / (double)ct.levels[i].n,
			       100 * lo, 100 * hi);
		}
	}
	printf("wrote %s/sizes.csv, model.csv, optimal.csv, covariates.csv%s%s%s, "
	       "sizes.pdf, rejects.csv\n", out, by != BY_NONE ? ", by_" : "",
	       by != BY_NONE ? covariates_by_name(by) : "", by != BY_NONE ? ".csv" : "");
	if (nremit)
		cmd_remit_summary(&rm, &m, stdout);
	rc = run.rejects.items.len || (nremit && (rm.problems.len || m.unmatched ||
						   m.conflicts.len))
		     ? GR_EXIT_FINDINGS : GR_EXIT_OK;
out:
	match_free(&m);
	remit_free(&rm);
	cli_out_end(&co);
	run_free(&run);
	return rc;
}
