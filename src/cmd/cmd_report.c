/* cmd_report.c — `grouprev report`: the quarterly revenue tables (and,
 * as the modules arrive, the statistics and the PDF). */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/chart.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "io/csvout.h"
#include "io/outfile.h"
#include "model/plan.h"
#include "analysis/project.h"
#include "render/report.h"
#include "billing/run.h"
#include "analysis/notes_run.h"
#include "cmd/cli_notes.h"
#include "analysis/sizes.h"
#include "render/tables.h"
#include "render/ar_tables.h"
#include "analysis/receivables.h"
#include "render/remit_out.h"
#include "core/value.h"

static void report_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev report ATTENDANCE.csv [--map FILE] [--rates DIR] [--quarter Q] [--out DIR]\n"
"\n"
"The quarterly revenue report of your group programs.  Every attended row is\n"
"priced with the rate in force on its date of service (payer, code, office or\n"
"facility setting, the clinician's credential share, plus add-ons) and checked\n"
"against the payer's rules.\n"
"\n"
"Options:\n"
"  --rates DIR      rate-table folder holding payers.csv and rates.csv\n"
"                   (default: the shipped rate-tables/)\n"
"  --map FILE       read ATTENDANCE through a column map: an EHR export with\n"
"                   its own headers and words (docs/exports.md)\n"
"  --quarter Q      only sessions of quarter Q, written like 2026Q3\n"
"                   (default: every quarter in the file; the PDF, the tables\n"
"                   and the summary line all cover the same quarters)\n"
"  --out DIR        where to write the outputs (default: out/)\n"
"  --as-of DATE     the day receivables are measured on, printed on the report\n"
"                   and the tables (default: the latest date of service, billed\n"
"                   date or payment date of the lines and of the --remit 835s;\n"
"                   never today's date)\n"
"  --aging-basis B  age outstanding lines from the date of 'service' (default)\n"
"                   or from the 'billed' date\n"
"  --charts DIR     also write each chart alone into DIR\n"
"  --format FMT     format of those charts: pdf (default), png or svg\n"
"  --theme FILE     fonts and colours of the charts (default charts/theme.conf)\n"
"  --plan PLAN.csv  add a page projecting these planned programs (and\n"
"                   projection.csv), denials from this file's own history\n"
"  --notes FILE     audit the members' progress notes too (notes.csv): a page\n"
"                   of the report and the findings in claims.csv's issues;\n"
"                   --note-similarity, --note-min-words, --note-shared,\n"
"                   --note-shingle, --note-elements as for 'grouprev check'\n"
"  --redact-key KEYFILE\n"
"                   replace member ids in every output by pseudonyms keyed by\n"
"                   KEYFILE (member-3f9a..., HMAC-SHA-256; created, mode 0600,\n"
"                   when missing), for reports that leave the office: the same\n"
"                   key gives a member the same pseudonym in every run\n"
"  --redact         the same; needs --redact-key\n"
"  --remit PATH     the payers' 835 remittances (a file or a folder; may be\n"
"                   given more than once): the status, paid amount and reason\n"
"                   codes of the lines they pay come from them, and the\n"
"                   receivables take their payment dates, patient shares and\n"
"                   adjustments and count a denial paid on resubmission as a\n"
"                   first-pass denial (docs/receivables.md); claims.csv\n"
"                   gains allowed,patient_resp,carc,rarc,check,paid_date and\n"
"                   summary.csv patient_resp,contractual; remit.csv,\n"
"                   remit_problems.csv and a payments page are added (see\n"
"                   'grouprev remit')\n"
"  -h, --help       this help\n"
"\n"
"Writes into DIR:\n"
"  report.pdf       the quarterly report to hand over: key figures with the\n"
"                   change from the quarter before, payers, receivables (the\n"
"                   collection figures and aging) and the payer scorecard, the\n"
"                   monthly trend, group programs and clinicians, denials and\n"
"                   pre-submission findings, group size versus denial, and an\n"
"                   appendix\n"
"  summary.csv      one row per quarter and payer: lines, expected/low/high,\n"
"                   paid, adjudicated, denied, denial rate, flagged lines\n"
"  groups.csv       one row per group program: sessions, mean group size,\n"
"                   attendance rate, expected (total and per session), paid\n"
"  clinicians.csv   the same per clinician\n"
"  claims.csv       one row per attended line with its price and predicted issues\n"
"  rejects.csv      every input row not used, with its line and the reason\n"
"  aging.csv        outstanding per payer, the patients' share and denied lines\n"
"                   in buckets of 0-30, 31-60, 61-90, 91-120 and 121+ days\n"
"  kpi.csv          days in A/R, net and gross collection rate, first-pass\n"
"                   denial rate, clean-claim rate, A/R over 90 days, median\n"
"                   days to pay, each with its formula\n"
"  scorecard.csv    per payer and per payer x billed code: mean expected,\n"
"                   allowed and paid per member-session, denial rate with its\n"
"                   95%% interval, median days to pay, ranked\n"
"  sizes.csv, model.csv, optimal.csv\n"
"                   group size versus denial rate (see 'grouprev stats --help')\n"
"\n"
"A large file (millions of lines) is read, priced and written on every\n"
"processor; set GROUPREV_THREADS=1 to use one.  The outputs are the same\n"
"either way.  On a terminal a progress line shows how far the reading is.\n"
"\n"
"Money is in dollars with two decimals, summed from whole cents, so the\n"
"tables reconcile to the cent.  A line whose payer or rate is unknown is left\n"
"unpriced (empty, never $0.00) and flagged unknown_payer or no_rate.\n"
"\n"
"Exit status: 0 done; 1 done, but some rows were rejected (see rejects.csv);\n"
"2 the input could not be used.\n");
}

/* The projection page of --plan: the plan (loaded before anything is
 * written) projected with the denial model fitted on this report's own
 * history, default runs and seed. */
static int plan_page(struct run *run, const struct size_analysis *an,
		     const struct plan *plan, const char *out,
		     struct project_result *res, struct project_view *pv,
		     char *denial, size_t dsize, struct gr_err *err)
{
	struct project_opts o = { .runs = PROJECT_DEFAULT_RUNS,
				  .seed = PROJECT_DEFAULT_SEED };

	if (project_denial_from(an, true, "this report's lines", &o.denial, denial,
				dsize, &run->arena) != 0)
		return gr_fail(err, NULL, 0, "out of memory");
	if (project_run(plan, &run->rates, &o, res, err) != 0 ||
	    project_write_csv(out, res, err) != 0)
		return -1;
	project_view_of(res, denial, pv);
	return 0;
}

static int write_report(struct run *run, const struct tally *t,
			const struct size_analysis *an, const struct ar_result *ar,
			const char *attendance, const char *out, int32_t as_of,
			const char *charts,
			const char *format, const struct chart_theme *th,
			const struct plan *plan, const struct remit *rm,
			const struct match *m, const struct notes_audit *notes,
			struct gr_err *err)
{
	struct report_input in;
	struct project_result res;
	struct project_view pv;
	char path[1100], denial[1000];
	int rc = -1;

	memset(&in, 0, sizeof in);
	memset(&res, 0, sizeof res);
	if (plan) {
		if (plan_page(run, an, plan, out, &res, &pv, denial, sizeof denial,
			      err) != 0)
			goto out;
		in.plan = &pv;
	}
	in.run = run;
	in.tally = t;
	in.sizes = an;
	in.attendance = attendance;
	in.theme = th;
	in.as_of = as_of;
	in.ar = ar;
	in.remit = rm;
	in.match = m;
	in.notes = notes;
	snprintf(path, sizeof path, "%s/report.pdf", out);
	if (report_write_pdf(&in, path, err) != 0)
		goto out;
	if (charts && report_write_charts(&in, charts, format, err) != 0)
		goto out;
	rc = 0;
out:
	project_free(&res);
	return rc;
}

int cmd_report(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "rates", required_argument, NULL, 'r' },
		{ "map", required_argument, NULL, 'm' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "out", required_argument, NULL, 'o' },
		{ "redact", no_argument, NULL, 'R' },
		{ "redact-key", required_argument, NULL, 'K' },
		{ "as-of", required_argument, NULL, 'a' },
		{ "charts", required_argument, NULL, 'C' },
		{ "format", required_argument, NULL, 'F' },
		{ "theme", required_argument, NULL, 'T' },
		{ "plan", required_argument, NULL, 'P' },
		{ "notes", required_argument, NULL, 'N' },
		{ "note-elements", required_argument, NULL, 'E' },
		{ "note-similarity", required_argument, NULL, 'n' },
		{ "note-min-words", required_argument, NULL, 'n' },
		{ "note-shared", required_argument, NULL, 'n' },
		{ "note-shingle", required_argument, NULL, 'n' },
		{ "aging-basis", required_argument, NULL, 'B' },
		{ "remit", required_argument, NULL, 'M' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rates = NULL, *map = NULL, *quarter = NULL, *out = "out";
	bool redact = false;
	const char *key_path = NULL;
	struct pseudonyms ps;
	const struct pseudonyms *redacted = NULL;
	const char *as_of = NULL, *charts = NULL, *format = "pdf", *theme_path = NULL;
	const char *plan_path = NULL, *why, *basis_name = "service";
	struct run run;
	struct tally t;
	struct size_analysis an;
	struct chart_theme th;
	struct plan plan;
	struct cli_out co = { .lock_fd = -1 };
	int32_t as_of_day = 0;
	int c, rc = GR_EXIT_FATAL;
	const char *remits[argc > 0 ? argc : 1]; /* --remit, at most one per argument */
	size_t nremit = 0;
	struct remit rm;
	struct match m;
	unsigned char key[PSEUDONYM_KEY_BYTES];

	memset(&m, 0, sizeof m);
	memset(&rm, 0, sizeof rm);

	const char *notes = NULL, *elements = NULL;
	struct notes_opts nopt = NOTES_OPTS_DEFAULT;
	struct notes_run nr = { .loaded = false };
	int oi = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, &oi)) != -1) {
		switch (c) {
		case 'r': rates = optarg; break;
		case 'm': map = optarg; break;
		case 'q': quarter = optarg; break;
		case 'o': out = optarg; break;
		case 'R': redact = true; break;
		case 'K': key_path = optarg; break;
		case 'a': as_of = optarg; break;
		case 'C': charts = optarg; break;
		case 'F': format = optarg; break;
		case 'T': theme_path = optarg; break;
		case 'P': plan_path = optarg; break;
		case 'N': notes = optarg; break;
		case 'E': elements = optarg; break;
		case 'n':
			if (notes_opt_set(&nopt, opts[oi].name, optarg, err) != 0)
				return GR_EXIT_FATAL;
			break;
		case 'B': basis_name = optarg; break;
		case 'M': remits[nremit++] = optarg; break;
		case 'h': report_usage(stdout); return GR_EXIT_OK;
		default:
			return cli_usage(err, "report", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage(err, "report", "give exactly one attendance file");
	/* Every option and input is checked before anything is written: a
	 * mistake in the last option must not leave a folder half of this
	 * run and half of the one before. */
	if (as_of && (why = value_date(as_of, &as_of_day)))
		return gr_fail(err, NULL, 0, "--as-of: %s ('%s')", why, as_of), GR_EXIT_FATAL;
	enum ar_basis aging_basis = AR_BASIS_SERVICE;
	if (!strcmp(basis_name, "billed"))
		aging_basis = AR_BASIS_BILLED;
	else if (strcmp(basis_name, "service"))
		return gr_fail(err, NULL, 0, "--aging-basis: '%s' is not service or "
			       "billed", basis_name), GR_EXIT_FATAL;
	if (!chart_format_ok(format))
		return gr_fail(err, NULL, 0, "--format: unknown chart format '%s' (use "
			       "pdf, png or svg)", format), GR_EXIT_FATAL;
	/* The shipped theme may be missing (defaults); a theme asked for may not. */
	if (theme_path && access(theme_path, R_OK) != 0)
		return gr_fail(err, theme_path, 0, "--theme: cannot read: %s",
			       strerror(errno)), GR_EXIT_FATAL;
	if (chart_fonts_ready(err) != 0 || cli_theme(&th, theme_path, err) != 0)
		return GR_EXIT_FATAL;
	if (redact && !key_path)
		return cli_usage(err, "report", CLI_REDACT_NEEDS_KEY);
	if (cli_load_map(&run, argv[optind], map, rates, quarter, err) != 0 ||
	    cli_pseudonyms(key_path, &run, &ps, &redacted, err) != 0 ||
	    (nremit && key_path && cli_redact_key(key_path, key, err) != 0))
		goto out;
	if (nremit && cmd_remit_apply(&run, &rm, &m, remits, nremit, err) != 0)
		goto out;
	if (notes && cli_notes_load(&nr, &run, notes, elements, &nopt, err) != 0)
		goto out;
	size_t before = run.rejects.items.len;
	const char *basis = NULL;
	int32_t start = plan_default_start(&run.roster, &run.rates, &basis);
	if (plan_path && plan_load(&plan, cli_input(plan_path), &run.rates, start,
				   &run.arena, &run.rejects, err) != 0)
		goto out;
	if (plan_path && plan.defaulted && start != INT32_MIN) {
		char d[16];
		value_format_date(start, d);
		fprintf(stderr, "%s: note: %zu plan row%s without a start date start%s on "
			"%s, %s\n", plan_path, plan.defaulted, plan.defaulted == 1 ? "" : "s",
			plan.defaulted == 1 ? "s" : "", d, basis);
	}
	size_t refused = run.rejects.items.len - before;
	/* Unless told, as of the latest date the lines give: the same input
	 * gives the same report, whenever it is run. */
	char as_of_str[16];
	if (!as_of)
		as_of_day = ar_default_as_of(&run.ledger, &run.scope);
	value_format_date(as_of_day, as_of_str);
	if (!as_of)
		fprintf(stderr, "%s: note: as of %s, the latest date in the lines "
			"(--as-of to choose)\n", argv[optind], as_of_str);
	struct ar_result ar;
	const char *given[] = { run.roster.path, run.rates.payers_path,
				run.rates.rates_path, plan_path, theme_path, key_path,
				notes, elements };
	/* The inputs given, without the options left out (a NULL would end
	 * the list there). */
	const char *inputs[8];
	size_t ninputs = 0;
	for (size_t i = 0; i < 8; i++)
		if (given[i])
			inputs[ninputs++] = given[i];
	if (cli_out_begin(&co, "report", out, inputs, ninputs, err) != 0)
		goto out;
	out = co.dir;
	double t0 = run_now();
	if (tally_build_threads(&t, &run.ledger, &run.scope, run.threads, &run.arena,
				err) != 0)
		goto out;
	if (nremit)
		tally_add_outcomes(&t, &run.ledger, &run.scope, &m);
	double t1 = run_now();
	if (tables_write_summary(out, &t, &run.roster, err) != 0 ||
	    tables_write_groups(out, &t, &run.roster, err) != 0 ||
	    tables_write_clinicians(out, &t, &run.roster, err) != 0 ||
	    tables_write_claims_notes(out, &run.ledger, &run.scope, redacted,
				      run.threads, nremit ? &m : NULL,
				      nr.loaded ? &nr.audit : NULL, err) != 0 ||
	    tables_write_rejects(out, &run.rejects, err) != 0 ||
	    (nremit && (remit_write_csv(out, &rm, &m, &run.roster,
					redacted ? key : NULL, err) != 0 ||
			remit_write_problems(out, &rm, &m, &run.roster, err) != 0)) ||
	    sizes_analyse(&run.ledger, &run.scope, 0, out, &an, &run.arena, err) != 0)
		goto out;
	if (ar_build(&run.ledger, &run.scope, as_of_day, aging_basis, run.threads,
		     &run.arena, &ar, err) != 0 ||
	    ar_write_aging(out, &ar.aging, &run.roster, err) != 0 ||
	    ar_write_kpi(out, &ar.cur, &ar.prev, err) != 0 ||
	    ar_write_scorecard(out, &ar.score, &run.roster, err) != 0)
		goto out;
	double t2 = run_now();
	/* The font library starts a thread for each new font it draws with
	 * and aborts when it cannot: ask again, now that the data are loaded,
	 * whether there is room, so a tight memory limit ends with a message
	 * (and the outputs discarded) rather than an abort. */
	if (chart_fonts_ready(err) != 0)
		goto out;
	if (write_report(&run, &t, &an, &ar, argv[optind], out, as_of_day, charts, format,
			 &th, plan_path ? &plan : NULL, nremit ? &rm : NULL,
			 nremit ? &m : NULL, nr.loaded ? &nr.audit : NULL, err) != 0 ||
	    cli_out_publish(&co, err) != 0)
		goto out;
	double t3 = run_now();

	run.timing.tally = t1 - t0;
	run.timing.write = t2 - t1;
	char rej[1100];
	snprintf(rej, sizeof rej, "%s/rejects.csv", out);
	cli_notices(&run, stderr, 10, rej);
	if (nr.loaded) {
		notes_run_print(&nr, stderr);
		if (getenv("GROUPREV_TIMING"))
			fprintf(stderr, "timing: notes read %.3f s, audit %.3f s\n",
				nr.t_read, nr.t_audit);
	}
	if (nremit)
		cmd_remit_notices(&rm, &m, stderr, 10);
	if (getenv("GROUPREV_TIMING"))
		fprintf(stderr, "timing: load %.3f s, price+check %.3f s, tally %.3f s, "
			"write %.3f s, pdf %.3f s\n", run.timing.load, run.timing.price,
			run.timing.tally, t2 - t1, t3 - t2);
	char e[64], p[64], risk[64], ns[48], scope[64];
	value_format_dollars(t.total.expected, e);
	value_format_dollars(t.total.paid, p);
	value_format_dollars(t.total.at_risk, risk);
	printf("%s: %s, %llu attended lines: expected %s, paid %s; "
	       "%llu lines flagged (%s at risk), %llu unpriced\n",
	       cli_scope_name(&run, scope, sizeof scope),
	       cli_plural(t.total.sessions, "session", ns, sizeof ns),
	       (unsigned long long)t.total.lines,
	       e, p, (unsigned long long)t.total.flagged, risk,
	       (unsigned long long)t.total.unpriced);
	printf("%s\n", an.summary);
	printf("wrote %s/report.pdf, summary.csv, groups.csv, clinicians.csv, "
	       "claims.csv, rejects.csv, sizes.csv, model.csv, optimal.csv\n", out);
	value_format_dollars(ar.aging.balance, e);
	printf("wrote %s/aging.csv, kpi.csv, scorecard.csv: %s outstanding as of %s\n",
	       out, e, as_of_str);
	if (plan_path)
		printf("wrote %s/projection.csv (%s projected; %zu plan rows refused)\n",
		       out, plan_path, refused);
	if (charts)
		printf("wrote the charts into %s/ as %s\n", charts, format);
	if (nr.loaded)
		printf("notes: %zu of %zu attended lines have an individualized note "
		       "(%s audited; findings in claims.csv and the report)\n",
		       nr.audit.individualized, nr.audit.attended, notes);
	if (nremit) {
		cmd_remit_summary(&rm, &m, stdout);
		printf("wrote %s/remit.csv, remit_problems.csv\n", out);
	}
	rc = run.rejects.items.len || (nremit && (rm.problems.len || m.unmatched ||
						   m.conflicts.len))
		     ? GR_EXIT_FINDINGS : GR_EXIT_OK;
out:
	match_free(&m);
	remit_free(&rm);
	cli_out_end(&co);
	notes_run_free(&nr);
	run_free(&run);
	return rc;
}
