/* guess.h — a proposed column map for an EHR export, from its header and
 * first rows (`grouprev map --guess`; ../shared/spec/exports.md).
 *
 * The guess looks at the bytes (UTF-8 or the likely legacy encoding),
 * the header line (which separator it uses), each header's name (the
 * words EHR exports use for a date of service, a client, a clinician, a
 * payer, a CPT code ...) and the values of the first rows (which column
 * reads as dates, and in which spelling; as times of day; as CPT codes;
 * as a few attendance words).  Every proposed line is preceded by a
 * comment saying which header it came from and why.  What it cannot
 * know is left as a commented line with `?` for the user to fill in
 * (a payer name with no payer id in the rate tables, an attendance word
 * it does not recognise, a required column no header looks like), so
 * the map as printed is always a valid map, and loading an export with
 * it says what is still missing.
 *
 * No member id, name or note text is ever printed: only headers, and
 * the values of vocabulary columns (attendance and claim words,
 * modality, payer names, CPT codes).
 */
#ifndef GR_GUESS_H
#define GR_GUESS_H

#include <stddef.h>

#include "core/error.h"
#include "model/rates.h"

/* Rows looked at: a year of a practice's appointments, so that words
 * used only late in the file (claims still pending) are seen too. */
#define GUESS_ROWS 20000

/* The proposed map for the export at PATH, as text in *OUT (malloc; the
 * caller frees it).  RATES (may be NULL) turns payer names into payer
 * ids and says which codes are add-ons.  Fails when the file cannot be
 * read or has no header. */
int guess_map(const char *path, const struct rates *rates, char **out,
	      struct gr_err *err);
/* The same from BUF[0..LEN) (tests, fuzzing). */
int guess_map_buffer(const char *path, const char *buf, size_t len,
		     const struct rates *rates, char **out, struct gr_err *err);

#endif
