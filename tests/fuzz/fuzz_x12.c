/* libFuzzer target: X12 835 remittances, through the segment reader and
 * the meaning layer (model/remit.h), from a buffer.  Any bytes must end in
 * 0 (used, problems listed) or a refusal with a message; never a crash,
 * a hang or a record that points outside the arrays.  After reading,
 * every service line belongs to a claim of a used payment, a payment's
 * line count is the number of its lines, and the matching without an
 * attendance file gives every line a label (a reason when unmatched). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "billing/match.h"
#include "model/remit.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct remit rm;
	struct gr_err err;
	arena_init(&a);
	remit_init(&rm, &a);
	int rc = remit_read_buffer(&rm, "fuzz.835", (const char *)data, size, &err);
	if (rc != 0) {
		if (!err.msg[0])
			abort();
		if (rm.lines.len || rm.claims.len || rm.payments.len)
			abort(); /* a refused file adds nothing */
	} else {
		if (remit_settle(&rm, &err) != 0)
			abort();
		size_t lines = 0;
		for (size_t i = 0; i < rm.payments.len; i++)
			lines += remit_payment_at(&rm, i)->nlines;
		if (lines != rm.lines.len || rm.transactions_used != rm.payments.len)
			abort();
		for (size_t i = 0; i < rm.lines.len; i++) {
			const struct remit_line *ln = remit_line_at(&rm, i);
			if (ln->claim >= rm.claims.len || !ln->balance || !ln->o.carc ||
			    !ln->o.rarc || !outcome_adjudicated(ln->o.status))
				abort();
			const struct remit_claim *c = remit_claim_at(&rm, ln->claim);
			if (c->payment >= rm.payments.len || i < c->first_line ||
			    i >= c->first_line + c->nlines)
				abort();
		}
		struct match m;
		char label[700];
		if (match_run(&m, &rm, NULL, NULL, &a, &err) != 0)
			abort();
		for (size_t i = 0; i < rm.lines.len; i++)
			if ((m.res[i].how == MATCH_NONE && !m.res[i].why) ||
			    !match_label(&m, NULL, i, label, sizeof label)[0])
				abort();
		match_free(&m);
		for (size_t i = 0; i < rm.problems.len; i++) {
			const struct remit_problem *p =
				&VEC_AT(&rm.problems, struct remit_problem, i);
			if (!p->msg || !p->msg[0] || !p->id)
				abort();
		}
	}
	remit_free(&rm);
	arena_release(&a);
	return 0;
}
