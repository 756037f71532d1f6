/* tables.h — the CSV tables of `grouprev report` (docs/outputs.md): summary,
 * groups, clinicians, claims and rejects.  Column names and meanings are
 * the spec's; extra columns come after them. */
#ifndef GR_TABLES_H
#define GR_TABLES_H

#include "core/error.h"
#include "billing/ledger.h"
#include "model/pseudonym.h"
#include "model/roster.h"
#include "analysis/tally.h"
#include "billing/match.h"

int tables_write_summary(const char *dir, const struct tally *t,
			 const struct roster *r, struct gr_err *err);
int tables_write_groups(const char *dir, const struct tally *t,
			const struct roster *r, struct gr_err *err);
int tables_write_clinicians(const char *dir, const struct tally *t,
			    const struct roster *r, struct gr_err *err);
/* REDACT (NULL = none): member ids replaced by their keyed pseudonyms.
 * THREADS format blocks of lines at once; the file does not depend on
 * how many. */
int tables_write_claims(const char *dir, const struct ledger *l,
			const struct scope *s, const struct pseudonyms *redact,
			unsigned threads,
			struct gr_err *err);
/* The same with remittances (M not NULL): six more columns at the end,
 * allowed,patient_resp,carc,rarc,check,paid_date (remittance.md). */
int tables_write_claims_remit(const char *dir, const struct ledger *l,
			      const struct scope *s, const struct pseudonyms *redact,
			      unsigned threads, const struct match *m, struct gr_err *err);
int tables_write_rejects(const char *dir, const struct rejects *rej,
			 struct gr_err *err);

/* a / b rounded half-up, for non-negative b > 0 (per-session money). */
int64_t tables_div_round(int64_t a, int64_t b);

#endif
