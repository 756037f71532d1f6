/* cmd_report.c — `grouprev report`: the quarterly revenue tables (and,
 * as the modules arrive, the statistics and the PDF). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "commands.h"
#include "csvout.h"
#include "outfile.h"
#include "run.h"
#include "sizes.h"
#include "tables.h"
#include "value.h"

static void report_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev report ATTENDANCE.csv [--rates DIR] [--quarter Q] [--out DIR]\n"
"\n"
"The quarterly revenue report of your group programs.  Every attended row is\n"
"priced with the rate in force on its date of service (payer, code, office or\n"
"facility setting, the clinician's credential share, plus add-ons) and checked\n"
"against the payer's rules.\n"
"\n"
"Options:\n"
"  --rates DIR      rate-table folder holding payers.csv and rates.csv\n"
"                   (default: the shipped rate-tables/)\n"
"  --quarter Q      only sessions of quarter Q, written like 2026Q3\n"
"                   (default: every quarter in the file)\n"
"  --out DIR        where to write the outputs (default: out/)\n"
"  --redact         replace member ids in every output by stable pseudonyms\n"
"                   (member-000001, ...), for reports that leave the office\n"
"  -h, --help       this help\n"
"\n"
"Writes into DIR:\n"
"  summary.csv      one row per quarter and payer: lines, expected/low/high,\n"
"                   paid, adjudicated, denied, denial rate, flagged lines\n"
"  groups.csv       one row per group program: sessions, mean group size,\n"
"                   attendance rate, expected (total and per session), paid\n"
"  clinicians.csv   the same per clinician\n"
"  claims.csv       one row per attended line with its price and predicted issues\n"
"  rejects.csv      every input row not used, with its line and the reason\n"
"  sizes.csv, model.csv, optimal.csv\n"
"                   group size versus denial rate (see 'grouprev stats --help')\n"
"\n"
"Money is in dollars with two decimals, summed from whole cents, so the\n"
"tables reconcile to the cent.  A line whose payer or rate is unknown is left\n"
"unpriced (empty, never $0.00) and flagged unknown_payer or no_rate.\n"
"\n"
"Exit status: 0 done; 1 done, but some rows were rejected (see rejects.csv);\n"
"2 the input could not be used.\n");
}

int cmd_report(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "rates", required_argument, NULL, 'r' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "out", required_argument, NULL, 'o' },
		{ "redact", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rates = NULL, *quarter = NULL, *out = "out";
	bool redact = false;
	struct run run;
	struct tally t;
	struct size_analysis an;
	int c, rc = GR_EXIT_FATAL;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rates = optarg; break;
		case 'q': quarter = optarg; break;
		case 'o': out = optarg; break;
		case 'R': redact = true; break;
		case 'h': report_usage(stdout); return GR_EXIT_OK;
		default:
			report_usage(stderr);
			return gr_fail(err, NULL, 0, "report: unknown or incomplete option '%s'",
				       argv[optind - 1]), GR_EXIT_FATAL;
		}
	}
	if (optind != argc - 1) {
		report_usage(stderr);
		gr_fail(err, NULL, 0, "report: give exactly one attendance file");
		return GR_EXIT_FATAL;
	}
	if (run_load(&run, argv[optind], rates, quarter, err) != 0)
		goto out;
	double t0 = run_now();
	if (outfile_mkdir(out, err) != 0 ||
	    tally_build(&t, &run.ledger, &run.scope, &run.arena, err) != 0)
		goto out;
	double t1 = run_now();
	if (tables_write_summary(out, &t, &run.roster, err) != 0 ||
	    tables_write_groups(out, &t, &run.roster, err) != 0 ||
	    tables_write_clinicians(out, &t, &run.roster, err) != 0 ||
	    tables_write_claims(out, &run.ledger, &run.scope, redact, err) != 0 ||
	    tables_write_rejects(out, &run.rejects, err) != 0 ||
	    sizes_analyse(&run.ledger, &run.scope, 0, out, &an, &run.arena, err) != 0)
		goto out;

	run.timing.tally = t1 - t0;
	run.timing.write = run_now() - t1;
	run_print_notices(&run, stderr, 10);
	if (getenv("GROUPREV_TIMING"))
		fprintf(stderr, "timing: load %.3f s, price+check %.3f s, tally %.3f s, "
			"write %.3f s\n", run.timing.load, run.timing.price,
			run.timing.tally, run.timing.write);
	char e[64], p[64], risk[64];
	value_format_dollars(t.total.expected, e);
	value_format_dollars(t.total.paid, p);
	value_format_dollars(t.total.at_risk, risk);
	printf("%llu sessions, %llu attended lines: expected %s, paid %s; "
	       "%llu lines flagged (%s at risk), %llu unpriced\n",
	       (unsigned long long)t.total.sessions, (unsigned long long)t.total.lines,
	       e, p, (unsigned long long)t.total.flagged, risk,
	       (unsigned long long)t.total.unpriced);
	printf("%s\n", an.summary);
	printf("wrote %s/summary.csv, groups.csv, clinicians.csv, claims.csv, "
	       "rejects.csv, sizes.csv, model.csv, optimal.csv\n", out);
	rc = run.rejects.items.len ? GR_EXIT_FINDINGS : GR_EXIT_OK;
out:
	run_free(&run);
	return rc;
}
