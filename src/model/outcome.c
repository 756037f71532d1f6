/* outcome.c — the claim outcome record (outcome.h). */
#include "model/outcome.h"

#include "model/roster.h"

const char *outcome_status_name(uint8_t s)
{
	static const char *const names[] = { "", "paid", "patient", "denied",
					     "pending" };
	return s < sizeof names / sizeof names[0] ? names[s] : "";
}

void outcome_of_line(const struct roster *r, const struct line *ln,
		     struct outcome *o)
{
	static const uint8_t status[4] = { OUTCOME_NONE, OUTCOME_PAID, OUTCOME_DENIED,
					   OUTCOME_PENDING };
	o->charge = o->allowed = o->patient_resp = OUTCOME_UNKNOWN;
	o->contractual = o->other_adj = OUTCOME_UNKNOWN;
	o->paid = (ln->flags & LINE_HAS_PAID) ? ln->paid : OUTCOME_UNKNOWN;
	o->status = status[ln->status & 3];
	o->carc = ln->carc == NO_ID16 ? "" : strpool_str(&r->carcs, ln->carc);
	o->rarc = "";
	o->paid_date = OUTCOME_NO_DATE;
	o->service_date = roster_session(r, ln->session)->date;
}
