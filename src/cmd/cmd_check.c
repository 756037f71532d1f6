/* cmd_check.c — `grouprev check`: the pre-submission scrub.
 *
 * One output line per attended line that a payer rule predicts will be
 * denied, in file order, then the findings summed by rule and by payer
 * with the dollars at risk — a billing manager's to-do list. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "io/csvout.h"
#include "billing/rules.h"
#include "billing/run.h"
#include "core/value.h"

static void check_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev check ATTENDANCE.csv [--map FILE] [--rates DIR] [--quarter Q] [--csv FILE]\n"
"\n"
"Pre-submission check: runs every payer rule on every attended line and\n"
"prints the lines a payer would most likely deny, with the claim adjustment\n"
"reason code (CARC) it would return, so they can be fixed before the claims\n"
"go out.  Absent members are never billed and never checked.\n"
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
"  --redact         member ids in the CSV replaced by stable pseudonyms\n"
"  -h, --help       this help\n"
"\n"
"Exit status: 0 nothing found; 1 lines predicted to be denied or rows\n"
"rejected; 2 the input could not be used.\n");
}

struct agg {
	uint64_t lines;
	int64_t at_risk;
};

int cmd_check(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "rates", required_argument, NULL, 'r' },
		{ "map", required_argument, NULL, 'M' },
		{ "quarter", required_argument, NULL, 'q' },
		{ "csv", required_argument, NULL, 'c' },
		{ "redact", no_argument, NULL, 'R' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rates = NULL, *map = NULL, *quarter = NULL, *csv = NULL;
	bool redact = false;
	struct run run;
	struct csvw w;
	bool csv_open = false;
	int c, rc = GR_EXIT_FATAL;
	struct agg by_rule[RULE_COUNT];
	struct agg *by_payer = NULL;
	uint64_t attended = 0, flagged = 0, findings = 0;
	int64_t at_risk = 0;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'r': rates = optarg; break;
		case 'M': map = optarg; break;
		case 'q': quarter = optarg; break;
		case 'c': csv = optarg; break;
		case 'R': redact = true; break;
		case 'h': check_usage(stdout); return GR_EXIT_OK;
		default:
			check_usage(stderr);
			gr_fail(err, NULL, 0, "check: unknown or incomplete option '%s'",
				argv[optind - 1]);
			return GR_EXIT_FATAL;
		}
	}
	if (optind != argc - 1) {
		check_usage(stderr);
		gr_fail(err, NULL, 0, "check: give exactly one attendance file");
		return GR_EXIT_FATAL;
	}
	memset(by_rule, 0, sizeof by_rule);
	if (run_load_map(&run, argv[optind], map, rates, quarter, err) != 0)
		goto out;
	const struct roster *r = &run.roster;
	by_payer = calloc(r->payers.count + 1, sizeof *by_payer);
	if (!by_payer) {
		gr_fail(err, NULL, 0, "out of memory");
		goto out;
	}
	if (csv) {
		if (csvw_open(&w, csv, err) != 0)
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
		attended++;
		if (!ln->issues)
			continue;
		struct rule_ctx ctx;
		char why[300], date[16];
		int64_t amount = ledger_expected(&run.ledger, ln);
		ledger_rule_ctx(&run.ledger, i, &ctx);
		value_format_date(ss->date, date);
		flagged++;
		at_risk += amount;
		by_payer[ln->payer].lines++;
		by_payer[ln->payer].at_risk += amount;
		printf("%s:%u:", r->path, ln->src_line);
		bool first = true;
		for (int k = 0; k < RULE_COUNT; k++) {
			if (!(ln->issues & (1u << k)))
				continue;
			const struct rule *ru = &rules_table[k];
			ru->check(&ctx, why, sizeof why);
			printf("%s %s (%s): %s", first ? "" : ";", ru->name, ru->carc, why);
			first = false;
			findings++;
			by_rule[k].lines++;
			by_rule[k].at_risk += amount;
			if (csv_open) {
				csvw_str(&w, r->path);
				csvw_int(&w, ln->src_line);
				csvw_str(&w, strpool_str(&r->session_ids, ss->sid));
				csvw_str(&w, date);
				csvw_str(&w, strpool_str(&r->payers, ln->payer));
				char label[32];
				csvw_str(&w, roster_member_label(r, ln->member, redact, label));
				csvw_str(&w, ru->name);
				csvw_str(&w, ru->carc);
				csvw_str(&w, ru->rarc ? ru->rarc : "");
				csvw_str(&w, why);
				if (ln->flags & LINE_PRICED)
					csvw_cents(&w, amount);
				else
					csvw_empty(&w);
				csvw_end(&w);
			}
		}
		putchar('\n');
	}
	if (csv_open) {
		csv_open = false;
		if (csvw_commit(&w, err) != 0)
			goto out;
	}

	char money[64];
	if (flagged) {
		printf("\nFindings by rule                    CARC     lines     at risk\n");
		for (int k = 0; k < RULE_COUNT; k++) {
			if (!by_rule[k].lines)
				continue;
			value_format_dollars(by_rule[k].at_risk, money);
			printf("  %-32s  %-7s %6llu %11s\n", rules_table[k].name,
			       rules_table[k].carc, (unsigned long long)by_rule[k].lines,
			       money);
		}
		printf("\nFlagged lines by payer                      lines     at risk\n");
		for (uint32_t p = 0; p < r->payers.count; p++) {
			if (!by_payer[p].lines)
				continue;
			value_format_dollars(by_payer[p].at_risk, money);
			printf("  %-40s  %6llu %11s\n", strpool_str(&r->payers, p),
			       (unsigned long long)by_payer[p].lines, money);
		}
		printf("\n");
	}
	value_format_dollars(at_risk, money);
	printf("%llu of %llu attended lines flagged (%llu findings); %s expected "
	       "at risk\n", (unsigned long long)flagged,
	       (unsigned long long)attended, (unsigned long long)findings, money);
	run_print_notices(&run, stderr, 10);
	rc = flagged || run.rejects.items.len ? GR_EXIT_FINDINGS : GR_EXIT_OK;
out:
	if (csv_open)
		csvw_abort(&w);
	free(by_payer);
	run_free(&run);
	return rc;
}
