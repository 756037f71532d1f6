/* cli.h — what the commands share above the model: the environment
 * (GROUPREV_RATES, GROUPREV_THREADS), the progress line of a large load,
 * the end-of-load notices, usage errors, and the output folder of a run.
 *
 * The output folder (struct cli_out): a run takes a lock on it (flock on
 * DIR/.grouprev.lock, waiting with a notice while another run holds it),
 * writes every output under a temporary name, and publishes them all at
 * once at the end (io/outfile.h's hold), so a folder never mixes the
 * files of two runs.  A run never replaces one of its own inputs (same
 * device and inode).  The names it wrote are kept in
 * DIR/.grouprev-outputs.COMMAND; an output an earlier run of the same
 * command wrote into DIR and this run did not (e.g. projection.csv of a
 * report with --plan) is removed, with a notice.
 */
#ifndef GR_CLI_H
#define GR_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/types.h>

#include "billing/run.h"
#include "render/chart.h"
#include "core/error.h"
#include "model/pseudonym.h"

/* The path to open for a command-line file name: "-" is the standard
 * input (/dev/stdin); anything else is itself. */
const char *cli_input(const char *path);

/* Print "grouprev CMD: MESSAGE" and one line pointing to CMD --help on
 * stderr, and return GR_EXIT_FATAL (ERR is left empty: nothing more is
 * printed). */
int cli_usage(struct gr_err *err, const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The rate-table folder: GIVEN (--rates) when not NULL; else
 * $GROUPREV_RATES; else rate-tables/ beside the program or one folder up
 * (a build tree); else share/grouprev/rate-tables one folder up from the
 * program (where `make install PREFIX=X` puts them, wherever X is); else
 * the one of the build's PREFIX; else ./rate-tables.  None found: an
 * error listing every folder searched. */
int cli_rates_dir(const char *given, char *buf, size_t size, struct gr_err *err);

/* After a failed rates_load_all: print every broken row of BROKEN and
 * sum them up in ERR (one broken row stays ERR alone).  Returns -1. */
int cli_rates_failed(const struct rejects *broken, struct gr_err *err);

/* The chart theme: GIVEN (--theme), else charts/theme.conf beside the
 * default rate-table folder (a source tree), else the built-in defaults. */
int cli_theme(struct chart_theme *th, const char *given, struct gr_err *err);

/* run_load with the environment: the rate folder above, the parser
 * threads (GROUPREV_THREADS, else one per core up to 8), and a progress
 * line on a terminal for a file of 64 MB or more.  ATTENDANCE "-" is the
 * standard input. */
int cli_load(struct run *run, const char *attendance, const char *rates,
	     const char *quarter, struct gr_err *err);

/* The end-of-load notices on F: the first MAX rejected rows (all of them
 * when MAX is SIZE_MAX) and, when there are more, where the rest are
 * (REJECTS_AT, e.g. "out/rejects.csv"); ignored columns; unchecked
 * rules; rows read = used + rejected. */
void cli_notices(const struct run *run, FILE *f, size_t max,
		 const char *rejects_at);

/* The run's scope in words, for summary lines: "2025Q3", or "every
 * quarter, 2025Q1 to 2026Q1" (or "every quarter (no sessions)").
 * Returns BUF. */
const char *cli_scope_name(const struct run *run, char *buf, size_t size);

/* A message quoted for a terminal: control characters (an escape
 * sequence in a field) as \xHH, so the text cannot move the cursor or
 * change colours.  Returns BUF. */
const char *cli_visible(const char *s, char *buf, size_t size);

/* --redact-key FILE: the practice's key for keyed pseudonyms
 * (model/pseudonym.h), 64 hex digits on one line.  A missing FILE is
 * created (mode 0600) with a key from the system's random source, and
 * the run says so: the same key must be given again for the same
 * pseudonyms.  A key that others can read is used, with a note. */
int cli_redact_key(const char *path, unsigned char key[PSEUDONYM_KEY_BYTES],
		   struct gr_err *err);

/* The pseudonyms of RUN's members under KEYFILE (cli_redact_key) into
 * PS, and *USE = PS; with no KEYFILE, *USE = NULL (ids as they are). */
int cli_pseudonyms(const char *keyfile, struct run *run, struct pseudonyms *ps,
		   const struct pseudonyms **use, struct gr_err *err);

/* The usage error of --redact without --redact-key. */
#define CLI_REDACT_NEEDS_KEY \
	"--redact needs --redact-key KEYFILE (the practice's key that keeps " \
	"pseudonyms the same)"

#define CLI_MAX_INPUTS 8

struct cli_out {
	char dir[1024];   /* the output folder, without trailing slashes;
	                   * empty for a command without one (check --csv) */
	char command[32]; /* whose outputs: each command keeps its own list */
	int lock_fd;
	size_t ninputs;
	dev_t dev[CLI_MAX_INPUTS];
	ino_t ino[CLI_MAX_INPUTS];
};

/* Start a run of COMMAND's outputs: remember the inputs (paths that do not
 * exist are skipped; NULL ends the list early), create DIR (NULL = no
 * folder) and lock it, and hold every output until cli_out_publish.  An
 * output is stale when the same command wrote it into DIR last time and
 * not this time: `stats` into a report's folder leaves report.pdf. */
int cli_out_begin(struct cli_out *o, const char *command, const char *dir,
		  const char *const *inputs, size_t ninputs, struct gr_err *err);
/* Refuse (before writing it) an output PATH that is one of the inputs. */
int cli_out_check(const struct cli_out *o, const char *path, struct gr_err *err);
/* Put every held output in place (each checked against the inputs
 * first), record their names, remove stale outputs, unlock. */
int cli_out_publish(struct cli_out *o, struct gr_err *err);
/* Delete every held output and unlock; safe after publish. */
void cli_out_end(struct cli_out *o);

/* "1 session" or "2 sessions": N and WORD with an s unless N is 1. */
const char *cli_plural(unsigned long long n, const char *word, char *buf,
		       size_t size);

#endif
