/* export.h — a practice's own EHR export read as attendance.csv through a
 * column map (../shared/spec/exports.md).
 *
 * The map (read by io/colmap.h) is checked whole before a row of the
 * export is read: an unknown group or key, a bad format name or
 * encoding, a column mapped to a header the export lacks, or a required
 * column neither mapped nor in the export stops the load with the map's
 * line.  Then the export is converted to UTF-8 (io/recode.h), its cells
 * cleaned (surrounding spaces, Excel's ="..." guard), translated
 * ([values COLUMN]) and converted (the map's date and time formats), and
 * every row is one of:
 *
 *   - a 90853 row (or every row, without a `code` column): an attendance
 *     line, checked by the roster exactly as a row of attendance.csv;
 *   - an add-on row (90785, or any other code of the rate tables) for the
 *     same member, date and start as a 90853 row: that line's `addon`;
 *   - a row of another code: skipped, counted by code;
 *   - rejected, with its line and the reason (an unconvertible byte, a
 *     status word the map does not translate, an add-on with no 90853
 *     row, ...).
 *
 * Without a session_id, rows of the same date, start, clinician and
 * group are one session, with the id GROUP-YYYYMMDD-HHMM (GROUP-YYYYMMDD
 * without a start column), and -CLINICIAN appended when two clinicians'
 * sessions would otherwise share an id.  With no group column either,
 * each clinician's weekly time slot is the group: CLINICIAN-DAY-HHMM
 * (C-LEE-MON-0900), CLINICIAN-DAY without a start column.
 */
#ifndef GR_EXPORT_H
#define GR_EXPORT_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "io/colmap.h"
#include "model/rates.h"
#include "model/roster.h"

/* The date and time spellings of a map's [file] date_format and
 * time_format; DF_ANY and TF_ANY when the map names none. */
enum date_fmt { DF_ANY, DF_MDY, DF_YMD, DF_DMY, DF_YMD_SLASH };
enum time_fmt { TF_ANY, TF_12, TF_24 };

/* S written in FMT (DF_ANY: YYYY-MM-DD or M/D/YYYY) into days since
 * 1970-01-01: NULL, export_not_in_format when S is not written that
 * way, or a reason ("no such day in that month"). */
extern const char export_not_in_format[];
const char *export_date(enum date_fmt fmt, const char *s, int32_t *days);
/* "9:00 AM", "9:00AM", "13:30", "9:00:00", "09:00:00 PM" as FMT allows,
 * into minutes after midnight: NULL or a reason. */
const char *export_time(enum time_fmt fmt, const char *s, int *minutes);

/* A cell as a map reads it, in place: surrounding spaces removed, and
 * Excel's text guard ="..." (written inside quotes) taken off. */
void export_clean_cell(const char **s, size_t *n);

/* Read the export at PATH through MAP into R (the rate tables RATES say
 * which codes are add-ons).  Fatal errors (the map, a missing file) return
 * -1 with ERR naming the map's line or the file. */
int export_load(struct roster *r, const char *path, const struct colmap *map,
		const struct rates *rates, struct arena *a, struct rejects *rej,
		struct gr_err *err);
/* The same from BUF[0..LEN) (tests, fuzzing). */
int export_load_buffer(struct roster *r, const char *path, const char *buf,
		       size_t len, const struct colmap *map,
		       const struct rates *rates, struct arena *a,
		       struct rejects *rej, struct gr_err *err);

#endif
