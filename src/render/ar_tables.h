/* ar_tables.h — the receivables tables of `grouprev report`:
 * aging.csv, kpi.csv and scorecard.csv (receivables.md; the columns and
 * formulas are in docs/receivables.md).  The spec's columns first, extra
 * columns after them; the as-of date on every row. */
#ifndef GR_AR_TABLES_H
#define GR_AR_TABLES_H

#include "core/error.h"
#include "analysis/receivables.h"
#include "model/roster.h"

int ar_write_aging(const char *dir, const struct aging *ag,
		   const struct roster *r, struct gr_err *err);
/* CUR: the focus quarter; PREV: the quarter before (its value and as-of
 * date in the extra columns). */
int ar_write_kpi(const char *dir, const struct kpi_set *cur,
		 const struct kpi_set *prev, struct gr_err *err);
int ar_write_scorecard(const char *dir, const struct scorecard *sc,
		       const struct roster *r, struct gr_err *err);

/* "90853" or "90853+90785": the billed codes of a scorecard row. */
void ar_code_label(const struct roster *r, const struct ar_score *s, char *buf,
		   size_t size);

#endif
