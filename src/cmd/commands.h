/* commands.h — one function per subcommand; main.c only dispatches.
 * Each returns an exit status (enum gr_exit) and prints its own results;
 * errors are printed by the shared helper in main.c via gr_err. */
#ifndef GR_COMMANDS_H
#define GR_COMMANDS_H

#include "core/error.h"

int cmd_report(int argc, char **argv, struct gr_err *err);
int cmd_check(int argc, char **argv, struct gr_err *err);
int cmd_stats(int argc, char **argv, struct gr_err *err);
int cmd_project(int argc, char **argv, struct gr_err *err);
int cmd_map(int argc, char **argv, struct gr_err *err);

#endif
