/* cmd_map.c — `grouprev map --guess EXPORT.csv`: a proposed column map
 * for an EHR export, on stdout (model/guess.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmd/commands.h"
#include "cmd/cli.h"
#include "model/guess.h"

static void map_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev map --guess EXPORT.csv [--rates DIR] > map.ini\n"
"\n"
"Proposes a column map for an appointments export of your EHR: which of its\n"
"columns is the date of service, the client, the clinician, the payer, the\n"
"group, the start time, the CPT code and the attendance status; its encoding,\n"
"separator, date and time spellings; and what its attendance, modality and\n"
"payer words mean to grouprev.  Each line says which header it came from and\n"
"why.  Check it, fill in each '?', save it, then:\n"
"\n"
"  grouprev report EXPORT.csv --map map.ini\n"
"\n"
"Options:\n"
"  --guess          propose a map from the export's header and first %d rows\n"
"  --rates DIR      rate tables whose payer ids and add-on codes the map uses\n"
"                   (default: the shipped rate-tables/)\n"
"  -h, --help       this help\n"
"\n"
"No member id or name is printed: only headers and the words of the\n"
"attendance, claim, modality, payer and code columns.  docs/exports.md\n"
"shows the whole way, step by step.\n", GUESS_ROWS);
}

int cmd_map(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "guess", no_argument, NULL, 'g' },
		{ "rates", required_argument, NULL, 'r' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *rates_dir = NULL;
	bool guess = false;
	int c;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'g': guess = true; break;
		case 'r': rates_dir = optarg; break;
		case 'h': map_usage(stdout); return GR_EXIT_OK;
		default:
			map_usage(stderr);
			gr_fail(err, NULL, 0, "map: unknown or incomplete option '%s'",
				argv[optind - 1]);
			return GR_EXIT_FATAL;
		}
	}
	if (!guess || optind != argc - 1)
		return cli_usage(err, "map", "give --guess and exactly one export file");
	struct arena a;
	struct rates rt;
	char dflt[1024], *text = NULL;
	int rc = GR_EXIT_FATAL;

	arena_init(&a);
	if (cli_rates_dir(rates_dir, dflt, sizeof dflt, err) == 0 &&
	    rates_load(&rt, dflt, &a, err) == 0 &&
	    guess_map(cli_input(argv[optind]), &rt, &text, err) == 0) {
		fputs(text, stdout);
		rc = GR_EXIT_OK;
	}
	free(text);
	arena_release(&a);
	return rc;
}
