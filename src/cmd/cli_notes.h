/* cli_notes.h — --notes for check and report: the notes and the element
 * lists read with the environment's rate-table folder, and the audit run.
 */
#ifndef GR_CLI_NOTES_H
#define GR_CLI_NOTES_H

#include "analysis/notes_run.h"
#include "billing/run.h"
#include "core/error.h"

/* notes_run_load with NOTES through cli_input ("-" = standard input) and
 * the shipped element lists found where the shipped rate tables are
 * (cli_rates_dir) when neither --note-elements nor the --rates folder
 * has them. */
int cli_notes_load(struct notes_run *nr, struct run *run, const char *notes,
		   const char *elements, const struct notes_opts *o,
		   struct gr_err *err);

#endif
