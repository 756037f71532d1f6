/* outfile.h — output files that appear whole or not at all.
 *
 * Every output is written to a temporary name in the destination folder
 * (mode 0600, as the outputs hold protected health information) and
 * renamed into place by outfile_commit, so an interrupted or failed run
 * never leaves a half-written file under the final name.
 */
#ifndef GR_OUTFILE_H
#define GR_OUTFILE_H

#include <stdbool.h>
#include <stdio.h>

#include "core/error.h"

struct outfile {
	char path[1024]; /* final name */
	char tmp[1040];  /* temporary name, empty when none is open */
	FILE *f;         /* stream on tmp (NULL for outfile_reserve) */
	bool direct;     /* the target is a device or pipe: written in place */
};

/* Delete the temporary files of an interrupted run (SIGINT, SIGTERM,
 * SIGHUP) before dying.  main() calls it once. */
void outfile_install_signals(void);

/* Create a temporary file beside PATH and open a stream on it. */
int outfile_open(struct outfile *o, const char *path, struct gr_err *err);
/* Create a temporary name beside PATH but leave writing to the caller (a
 * cairo surface writes by file name); the file exists, empty, mode 0600. */
int outfile_reserve(struct outfile *o, const char *path, struct gr_err *err);
/* Flush, check for write errors (a full disk shows here), close, rename. */
int outfile_commit(struct outfile *o, struct gr_err *err);
/* Close and delete the temporary file; safe to call twice. */
void outfile_abort(struct outfile *o);

/* A run's outputs appear together.  After outfile_hold, outfile_commit
 * checks and closes a file but leaves it under its temporary name;
 * outfile_publish then renames every held file into place at once (with
 * signals blocked, so an interrupt cannot split the set), and
 * outfile_discard deletes them instead (a later step failed).  Both end
 * the hold.  outfile_held lists the final paths held so far (up to MAX
 * into PATHS) and returns how many there are. */
void outfile_hold(void);
size_t outfile_held(const char **paths, size_t max);
int outfile_publish(struct gr_err *err);
void outfile_discard(void);

/* Create DIR and any missing parent folders (mode 0700). */
int outfile_mkdir(const char *dir, struct gr_err *err);

#endif
