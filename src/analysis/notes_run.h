/* notes_run.h — the documentation audit as the commands run it: read
 * --notes and the element lists, audit against the run's roster, keep
 * the result for check output, claims.csv and the report.
 */
#ifndef GR_NOTES_RUN_H
#define GR_NOTES_RUN_H

#include <stdbool.h>
#include <stdio.h>

#include "analysis/notes.h"
#include "billing/run.h"
#include "model/elements.h"
#include "model/notefile.h"

struct notes_run {
	struct notefile nf;
	struct elements el;
	struct notes_audit audit;
	bool loaded;
	double t_read, t_audit; /* wall seconds (GROUPREV_TIMING) */
};

/* Where the element lists are: ELEMENTS when given, else
 * note-elements.conf beside the rate tables the run read (RATES_USED,
 * e.g. "dir/payers.csv", is one of their files) when it is there, else
 * in SHIPPED_DIR, the shipped rate-table folder (NULL or "" = none). */
void notes_elements_path(char *buf, size_t size, const char *elements,
			 const char *rates_used, const char *shipped_dir);

/* Read NOTES and the element lists and audit them against RUN (its
 * roster, scope and rejects).  Fatal problems return -1 with ERR. */
int notes_run_load(struct notes_run *nr, struct run *run, const char *notes,
		   const char *elements, const char *shipped_dir,
		   const struct notes_opts *o, struct gr_err *err);
void notes_run_free(struct notes_run *nr);

/* The end-of-run notice: notes read = used + refused (+ outside the
 * quarter), and the audit's counts.  No text, no member id. */
void notes_run_print(const struct notes_run *nr, FILE *f);

#endif
