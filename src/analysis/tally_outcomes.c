/* tally_outcomes.c — the remittance sums of summary.csv (tally.h): the
 * patient's share and the contractual adjustments of each quarter and
 * payer, from the outcomes that stand for the lines (billing/match.h).
 * Added to the rows tally_build made, so the lines counted are the same. */
#include "analysis/tally.h"

#include <string.h>

/* The summary row of quarter Q and payer P: rows are sorted by quarter,
 * then payer id (tally_build). */
static struct tally_row *find_row(struct tally *t, const struct roster *r,
				  int32_t q, uint32_t p)
{
	const char *name = strpool_str(&r->payers, p);
	uint32_t lo = 0, hi = t->nsummary;
	while (lo < hi) {
		uint32_t mid = lo + (hi - lo) / 2;
		struct tally_row *x = &t->summary[mid];
		int c = x->quarter != q ? (x->quarter < q ? -1 : 1)
					: strcmp(strpool_str(&r->payers, x->key), name);
		if (c == 0)
			return x;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

void tally_add_outcomes(struct tally *t, const struct ledger *l,
			const struct scope *s, const struct match *m)
{
	const struct roster *r = l->roster;
	t->outcomes = true;
	for (size_t k = 0; k < m->applied.len; k++) {
		const struct applied *ap = &VEC_AT(&m->applied, struct applied, k);
		const struct line *ln = roster_line(r, ap->line);
		const struct session *ss = roster_session(r, ln->session);
		if (!scope_has(s, ss))
			continue;
		struct tally_row *x = find_row(t, r, value_quarter(ss->date), ln->payer);
		if (x) {
			x->patient_resp += ap->o.patient_resp;
			x->contractual += ap->o.contractual;
		}
		t->total.patient_resp += ap->o.patient_resp;
		t->total.contractual += ap->o.contractual;
	}
}
