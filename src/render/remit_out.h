/* remit_out.h — the CSV tables of remittances: remit.csv, one row per
 * service line read (remittance.md, "Outputs"), and remit_problems.csv,
 * every problem the reading and balancing reported.
 */
#ifndef GR_REMIT_OUT_H
#define GR_REMIT_OUT_H

#include <stdbool.h>

#include "core/error.h"
#include "billing/match.h"
#include "model/remit.h"
#include "model/roster.h"

/* R may be NULL (no attendance file).  KEY (the --redact-key, NULL = ids
 * as they are) replaces every insured id by its keyed pseudonym
 * (model/pseudonym.h): an id that is also an attendance member_id gets
 * the same pseudonym as in claims.csv. */
int remit_write_csv(const char *dir, const struct remit *rm,
		    const struct match *m, const struct roster *r,
		    const unsigned char *key, struct gr_err *err);
/* Every problem, then every conflict with the attendance file (M and R
 * may be NULL: none). */
int remit_write_problems(const char *dir, const struct remit *rm,
			 const struct match *m, const struct roster *r,
			 struct gr_err *err);

#endif
