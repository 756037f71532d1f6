/* commands.h — one function per subcommand; main.c only dispatches.
 * Each returns an exit status (enum gr_exit) and prints its own results;
 * errors are printed by the shared helper in main.c via gr_err. */
#ifndef GR_COMMANDS_H
#define GR_COMMANDS_H

#include <stdio.h>

#include "core/error.h"
#include "billing/match.h"
#include "billing/run.h"
#include "model/remit.h"

int cmd_report(int argc, char **argv, struct gr_err *err);
int cmd_check(int argc, char **argv, struct gr_err *err);
int cmd_stats(int argc, char **argv, struct gr_err *err);
int cmd_project(int argc, char **argv, struct gr_err *err);
int cmd_remit(int argc, char **argv, struct gr_err *err);

/* --remit on report and stats (cmd_remit.c).  Read PATHS (files, or
 * folders read in name order) into RM and settle reversals. */
int cmd_remit_read(struct remit *rm, const char *const *paths, size_t n,
		   struct gr_err *err);
/* Read PATHS into RM (in RUN's arena), match them to RUN's lines and
 * write the standing outcomes into them, before anything is summed. */
int cmd_remit_apply(struct run *run, struct remit *rm, struct match *m,
		    const char *const *paths, size_t n, struct gr_err *err);
/* The first MAX problems and the conflicts, on F. */
void cmd_remit_notices(const struct remit *rm, const struct match *m, FILE *f,
		       size_t max);
/* One or two lines of counts, on F. */
void cmd_remit_summary(const struct remit *rm, const struct match *m, FILE *f);

#endif
