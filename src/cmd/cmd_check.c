/* cmd_check.c — `grouprev check`: the pre-submission scrub.
 *
 * One output line per attended line that a payer rule predicts will be
 * denied, in file order, then the findings summed by rule and by payer
 * with the dollars at risk — a billing manager's to-do list. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/tally.h"
#include "billing/rules.h"
#include "billing/run.h"
#include "analysis/notes_run.h"
#include "cmd/cli_notes.h"
#include "cmd/cli.h"
#include "cmd/commands.h"
#include "core/value.h"
#include "io/csvout.h"

static void check_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev check ATTENDANCE.csv [--map FILE] [--rates DIR] [--quarter Q] [--csv FILE]\n"
"                      [--redact-key KEYFILE]\n"
"\n"
"Pre-submission check: runs every payer rule on every attended line and\n"
"prints the lines a payer would most likely deny, with the claim adjustment\n"
"reason code (CARC) it would return, so they can be fixed before the claims\n"
"go out.  Absent members are never billed and never checked.  ATTENDANCE.csv\n"
"'-' is the standard input.  Every rejected row is printed on stderr.\n"
"\n"
"  FILE:LINE: RULE (CARC): reason\n"
"\n"
"Rules (each driven by a column of payers.csv; see docs/rules.md):\n");
	for (int i = 0; i < RULE_COUNT; i++)
		fprintf(f, "  %-24s %-7s %s\n", rules_table[i].name, rules_table[i].carc,
			rules_table[i].reason);
	fprintf(f,
"\n"
"Options:\n"
"  --rates DIR      rate-table folder (default: the shipped rate-tables/)\n"
"  --map FILE       read ATTENDANCE through a column map: an EHR export with\n"
"                   its own headers and words (docs/exports.md)\n"
"  --quarter Q      only sessions of quarter Q, e.g. 2026Q3\n"
"  --csv FILE       also write the findings as CSV (one row per finding,\n"
"                   with the member id, for the billing team)\n"
"  --notes FILE     also audit the members' progress notes (notes.csv): no\n"
"                   note, identical, cloned, not individual, copied forward,\n"
"                   missing participation/response/plan (docs/notes.md)\n"
"  --note-similarity X  shingle similarity counted as cloned or copied\n"
"                   forward (default 0.8)\n"
"  --note-min-words N   fewest words a member's own part may have (default 15)\n"
"  --note-shared X  share of a session's notes a passage must be in to be\n"
"                   the group's shared text (default 0.75)\n"
"  --note-shingle K words per shingle (default 2)\n"
"  --note-elements FILE the element word lists (default note-elements.conf\n"
"                   beside the rate tables)\n"
"  --redact-key KEYFILE\n"
"                   member ids in the CSV replaced by pseudonyms keyed by\n"
"                   KEYFILE (created, mode 0600, when missing): the same key\n"
"                   gives a member the same pseudonym in every run\n"
"  --redact         the same; needs --redact-key\n"
"  -h, --help       this help\n"
"\n"
"Exit status: 0 nothing found; 1 lines predicted to be denied or rows\n"
"rejected; 2 the input could not be used.\n");
}

/* One row of --csv: the line, the finding and, when PRICED, the expected
 * amount at risk (payer rules and the notes audit write the same row). */
static void finding_row(struct csvw *w, const struct roster *r, const struct line *ln,
			const struct pseudonyms *redacted, const char *date,
			const char *name, const char *carc, const char *rarc,
			const char *why, bool priced, int64_t amount)
{
	const struct session *ss = roster_session(r, ln->session);

	csvw_str(w, r->path);
	csvw_int(w, ln->src_line);
	csvw_str(w, strpool_str(&r->session_ids, ss->sid));
	csvw_str(w, date);
	csvw_str(w, strpool_str(&r->payers, ln->payer));
	csvw_str(w, pseudonym_of(redacted, r, ln->member));
	csvw_str(w, name);
	csvw_str(w, carc);
	csvw_str(w, rarc ? rarc : "");
	csvw_str(w, why);
	if (priced)
		csvw_cents(w, amount);
	else
		csvw_empty(w);
	csvw_end(w);
}

int cmd_check(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "rates", required_argument, NULL, 'r' },
		{ "map", required_argument, NULL, 'm' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "csv", required_argument, NULL, 'c' },
		{ "redact", no_argument, NULL, 'R' },
		{ "notes", required_argument, NULL, 'N' },
		{ "note-elements", required_argument, NULL, 'E' },
		{ "note-similarity", required_argument, NULL, 'n' },
		{ "note-min-words", required_argument, NULL, 'n' },
		{ "note-shared", required_argument, NULL, 'n' },
		{ "note-shingle", required_argument, NULL, 'n' },
		{ "redact-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rates = NULL, *map = NULL, *quarter = NULL, *csv = NULL;
	bool redact = false;
	const char *key_path = NULL;
	struct pseudonyms ps;
	const struct pseudonyms *redacted = NULL;
	struct run run;
	struct csvw w;
	bool csv_open = false;
	int c, rc = GR_EXIT_FATAL;
	struct tally t;
	uint64_t findings = 0;
	const char *notes = NULL, *elements = NULL;
	struct notes_opts nopt = NOTES_OPTS_DEFAULT;
	struct notes_run nr = { .loaded = false };
	uint64_t doc_lines = 0;
	int oi = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, &oi)) != -1) {
		switch (c) {
		case 'r': rates = optarg; break;
		case 'm': map = optarg; break;
		case 'q': quarter = optarg; break;
		case 'c': csv = optarg; break;
		case 'R': redact = true; break;
		case 'N': notes = optarg; break;
		case 'E': elements = optarg; break;
		case 'n':
			if (notes_opt_set(&nopt, opts[oi].name, optarg, err) != 0)
				return GR_EXIT_FATAL;
			break;
		case 'K': key_path = optarg; break;
		case 'h': check_usage(stdout); return GR_EXIT_OK;
		default:
			return cli_usage(err, "check", "unknown or incomplete option '%s'",
					 argv[optind - 1]);
		}
	}
	if (optind != argc - 1)
		return cli_usage(err, "check", "give exactly one attendance file");
	if (redact && !key_path)
		return cli_usage(err, "check", CLI_REDACT_NEEDS_KEY);
	struct cli_out co = { .lock_fd = -1 };
	if (cli_load_map(&run, argv[optind], map, rates, quarter, err) != 0 ||
	    cli_pseudonyms(key_path, &run, &ps, &redacted, err) != 0)
		goto out;
	if (notes && cli_notes_load(&nr, &run, notes, elements, &nopt, err) != 0)
		goto out;
	const struct roster *r = &run.roster;
	char shown[1024]; /* the file name as messages quote it */
	cli_visible(r->path, shown, sizeof shown);
	/* Every sum below comes from the aggregation layer, the same as the
	 * report's and the CSV tables'. */
	if (tally_build_threads(&t, &run.ledger, &run.scope, run.threads, &run.arena,
				err) != 0)
		goto out;
	const char *inputs[] = { run.roster.path, run.rates.payers_path,
				 run.rates.rates_path, key_path };
	if (cli_out_begin(&co, "check", NULL, inputs, 4, err) != 0)
		goto out;
	if (csv) {
		if (cli_out_check(&co, csv, err) != 0 || csvw_open(&w, csv, err) != 0)
			goto out;
		csv_open = true;
		csvw_header(&w, "file,line,session_id,date,payer_id,member_id,rule,carc,"
				"rarc,reason,expected");
	}
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		const struct session *ss = roster_session(r, ln->session);
		if (!(ln->flags & LINE_ATTENDED) || !scope_has(&run.scope, ss))
			continue;
		uint8_t nb = nr.loaded ? notes_line_findings(&nr.audit, i) : 0;
		if (ln->issues & (1u << RULE_NOTE))
			nb &= (uint8_t)~(1u << NOTE_MISSING); /* the payer rule says it */
		if (!ln->issues && !nb)
			continue;
		struct rule_ctx ctx;
		char why[300], date[16], vis[1300];
		int64_t amount = ledger_expected(&run.ledger, ln);
		ledger_rule_ctx(&run.ledger, i, &ctx);
		value_format_date(ss->date, date);
		printf("%s:%u:", shown, ln->src_line);
		bool first = true;
		for (int k = 0; k < RULE_COUNT; k++) {
			if (!(ln->issues & (1u << k)))
				continue;
			const struct rule *ru = &rules_table[k];
			ru->check(&ctx, why, sizeof why);
			printf("%s %s (%s): %s", first ? "" : ";", ru->name, ru->carc,
			       cli_visible(why, vis, sizeof vis));
			first = false;
			if (csv_open)
				finding_row(&w, r, ln, redacted, date, ru->name, ru->carc,
					    ru->rarc, why, ln->flags & LINE_PRICED, amount);
		}
		/* The documentation audit: a risk found in the notes, counted
		 * apart from the payer rules (spec/notes.md). */
		doc_lines += nb != 0;
		for (int k = 0; k < NOTE_RULE_COUNT; k++) {
			if (!(nb & (1u << k)))
				continue;
			const struct note_rule_info *nu = &note_rules[k];
			notes_reason(&nr.audit, i, (enum note_rule)k, why, sizeof why);
			printf("%s %s (%s): %s", first ? "" : ";", nu->name, nu->carc,
			       cli_visible(why, vis, sizeof vis));
			first = false;
			if (csv_open) /* a documentation risk, not a priced denial */
				finding_row(&w, r, ln, redacted, date, nu->name, nu->carc,
					    nu->rarc, why, false, 0);
		}
		putchar('\n');
	}
	if (csv_open) {
		csv_open = false;
		if (csvw_commit(&w, err) != 0)
			goto out;
	}
	if (cli_out_publish(&co, err) != 0)
		goto out;

	char money[64];
	for (int k = 0; k < RULE_COUNT; k++)
		findings += t.rules[k].lines;
	if (t.total.flagged) {
		printf("\nFindings by rule                    CARC     lines     at risk\n");
		for (int k = 0; k < RULE_COUNT; k++) {
			if (!t.rules[k].lines)
				continue;
			value_format_dollars(t.rules[k].at_risk, money);
			printf("  %-32s  %-7s %6llu %11s\n", rules_table[k].name,
			       rules_table[k].carc, (unsigned long long)t.rules[k].lines,
			       money);
		}
		printf("\nFlagged lines by payer                      lines     at risk\n");
		for (uint32_t p = 0; p < t.npayers; p++) {
			const struct tally_row *x = &t.payers[p];
			if (!x->flagged)
				continue;
			value_format_dollars(x->at_risk, money);
			printf("  %-40s  %6llu %11s\n", strpool_str(&r->payers, x->key),
			       (unsigned long long)x->flagged, money);
		}
		printf("\n");
	}
	if (nr.loaded) {
		/* The audit's own counts (analysis/notes.h), as on the report. */
		const struct notes_audit *na = &nr.audit;
		if (doc_lines) {
			printf("\nDocumentation findings (%s)%*sCARC     lines\n", notes,
			       (int)(strlen(notes) < 20 ? 20 - strlen(notes) : 1), "");
			for (int k = 0; k < NOTE_RULE_COUNT; k++)
				if (na->by_rule[k])
					printf("  %-32s  %-7s %6zu\n", note_rules[k].name,
					       note_rules[k].carc, na->by_rule[k]);
			printf("\n");
		}
		printf("%zu of %zu attended lines have an individualized note; %zu with "
		       "documentation findings\n", na->individualized, na->attended,
		       na->attended - na->individualized);
	}
	char nf[48];
	value_format_dollars(t.total.at_risk, money);
	printf("%llu of %llu attended lines flagged (%s); %s expected "
	       "at risk\n", (unsigned long long)t.total.flagged,
	       (unsigned long long)t.total.lines,
	       cli_plural(findings, "finding", nf, sizeof nf), money);
	/* check writes no folder: every rejected row goes to stderr. */
	cli_notices(&run, stderr, SIZE_MAX, NULL);
	if (nr.loaded) {
		notes_run_print(&nr, stderr);
		if (getenv("GROUPREV_TIMING"))
			fprintf(stderr, "timing: notes read %.3f s, audit %.3f s\n",
				nr.t_read, nr.t_audit);
	}
	rc = t.total.flagged || doc_lines || run.rejects.items.len ? GR_EXIT_FINDINGS
								    : GR_EXIT_OK;
out:
	if (csv_open)
		csvw_abort(&w);
	cli_out_end(&co);
	notes_run_free(&nr);
	run_free(&run);
	return rc;
}
