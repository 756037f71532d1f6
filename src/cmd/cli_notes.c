/* cli_notes.c — --notes for check and report (cli_notes.h). */
#include "cmd/cli_notes.h"

#include "cmd/cli.h"

int cli_notes_load(struct notes_run *nr, struct run *run, const char *notes,
		   const char *elements, const struct notes_opts *o,
		   struct gr_err *err)
{
	char shipped[1024];
	struct gr_err none;

	/* No shipped folder is no error here: the lists may be beside the
	 * --rates tables or given; if they are nowhere, reading them says so. */
	if (cli_rates_dir(NULL, shipped, sizeof shipped, &none) != 0)
		shipped[0] = '\0';
	return notes_run_load(nr, run, cli_input(notes), elements, shipped, o, err);
}
