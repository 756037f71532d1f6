/* main.c — the grouprev command: parse the subcommand, call it, print its
 * error, choose the exit status.  Nothing else happens here. */
#include <gsl/gsl_errno.h>
#include <malloc.h>
#include <stdio.h>
#include <string.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "core/error.h"
#include "io/outfile.h"

#ifndef GR_VERSION
#define GR_VERSION "0.0.0"
#endif

struct command {
	const char *name;
	int (*fn)(int argc, char **argv, struct gr_err *err);
	const char *summary;
};

static const struct command commands[] = {
	{ "report", cmd_report, "quarterly revenue report: PDF and CSV tables" },
	{ "check", cmd_check, "pre-submission check: lines a payer would deny, and why" },
	{ "stats", cmd_stats, "group size versus denial rate, and the best group size" },
	{ "project", cmd_project, "projection of planned group programs, with a range" },
	{ "remit", cmd_remit, "read 835 remittances: every line's payment, reconciled" },
};

static void usage(FILE *f)
{
	fprintf(f,
"grouprev %s - revenue, denials and planning for group psychotherapy (CPT 90853)\n"
"\n"
"Usage: grouprev COMMAND [OPTIONS] FILE\n"
"\n"
"Commands:\n", GR_VERSION);
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
		fprintf(f, "  %-9s %s\n", commands[i].name, commands[i].summary);
	fprintf(f,
"\n"
"Run 'grouprev COMMAND --help' (or 'grouprev help COMMAND') for the options of\n"
"one command; 'grouprev --version' (-V) prints the version.  FILE '-' is the\n"
"standard input.\n"
"\n"
"Examples:\n"
"  grouprev report attendance.csv                 tables and report.pdf in out/\n"
"  grouprev report attendance.csv --quarter 2026Q3 --out q3\n"
"  grouprev check attendance.csv                  what to fix before submitting\n"
"  grouprev stats attendance.csv --cost 250       group size vs denials\n"
"  grouprev project plan.csv --history attendance.csv   next quarter's range\n"
"\n"
"Inputs: attendance.csv has one row per member per session (session_id, date,\n"
"group_id, clinician_id, member_id, payer_id, attended, and optional columns);\n"
"rate tables are a folder with payers.csv and rates.csv (default: the shipped\n"
"rate-tables/).  See docs/inputs.md or 'man grouprev'.\n"
"\n"
"Exit status: 0 success; 1 finished but found problems (rejected rows, or lines\n"
"predicted to be denied for 'check'); 2 usage error or unusable input.\n");
}

int main(int argc, char **argv)
{
	struct gr_err err;
	char msg[2048];

	/* GSL's default handler aborts; every GSL call's status is checked. */
	gsl_set_error_handler_off();
	/* One malloc arena for every thread: the parser threads allocate
	 * little, and each extra arena reserves 64 MB of address space, which
	 * under a memory limit left GLib (Pango's font threads) unable to
	 * start a thread, and GLib aborts where grouprev would report "out
	 * of memory" (tests/faults.sh). */
	mallopt(M_ARENA_MAX, 1);
	/* Buffers of a megabyte or more (parsed parts, claims.csv blocks) are
	 * mapped and given back when freed: glibc would otherwise raise this
	 * threshold after the first such free and keep later ones in its
	 * heap, about 15 MB more at the peak of a ten-million-line run. */
	mallopt(M_MMAP_THRESHOLD, 1024 * 1024);
	outfile_install_signals();
	memset(&err, 0, sizeof err);
	if (argc < 2) {
		fprintf(stderr, "grouprev: give a command: report, check, stats or project\n"
			"Run 'grouprev --help' for the commands.\n");
		return GR_EXIT_FATAL;
	}
	/* `grouprev help report` is `grouprev report --help`. */
	char help[] = "--help";
	if (strcmp(argv[1], "help") == 0 && argc == 3) {
		argv[1] = argv[2];
		argv[2] = help;
	} else if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
		   strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return GR_EXIT_OK;
	}
	if (strcmp(argv[1], "--version") == 0 || strcmp(argv[1], "-V") == 0) {
		printf("grouprev %s\n", GR_VERSION);
		return GR_EXIT_OK;
	}
	for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		int rc = commands[i].fn(argc - 1, argv + 1, &err);
		/* A full disk or closed pipe on stdout must not pass silently. */
		if (fflush(stdout) != 0 || ferror(stdout)) {
			fprintf(stderr, "grouprev: cannot write the standard output\n");
			return GR_EXIT_FATAL;
		}
		if (rc == GR_EXIT_FATAL && err.msg[0]) {
			/* "FILE:LINE: message" as docs/outputs.md says; a message
			 * about no file says who is speaking. */
			char vis[sizeof msg];
			gr_err_format(&err, msg, sizeof msg);
			fprintf(stderr, "%s%s\n", err.file[0] ? "" : "grouprev: ",
				cli_visible(msg, vis, sizeof vis));
		}
		return rc;
	}
	char vis[256];
	fprintf(stderr, "grouprev: unknown command '%s'\n",
		cli_visible(argv[1], vis, sizeof vis));
	fprintf(stderr, "Run 'grouprev --help' for the commands.\n");
	return GR_EXIT_FATAL;
}
