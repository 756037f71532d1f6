/* remit_sums.c — see remit_sums.h. */
#include "analysis/remit_sums.h"

#include <stdlib.h>
#include <string.h>

static void add(struct remit_payer_sum *x, const struct outcome *o)
{
	x->lines++;
	x->charge += o->charge;
	x->paid += o->paid;
	x->patient_resp += o->patient_resp;
	x->contractual += o->contractual;
	x->other_adj += o->other_adj;
}

int remit_sums_build(struct remit_sums *s, const struct remit *rm,
		     struct gr_err *err)
{
	size_t np = rm->payments.len;
	memset(s, 0, sizeof *s);
	s->total.payer = "Total";
	/* Payments are few (one per check): a linear search per payment. */
	size_t *of = malloc((np + 1) * sizeof *of);
	s->payers = calloc(np + 1, sizeof *s->payers);
	if (!of || !s->payers) {
		free(of);
		return gr_fail(err, NULL, 0, "out of memory");
	}
	for (size_t i = 0; i < np; i++) {
		const struct remit_payment *p = remit_payment_at(rm, i);
		const char *id = p->payer_id[0] ? p->payer_id : p->payer_name;
		size_t k;
		for (k = 0; k < s->npayers; k++)
			if (!strcmp(s->payers[k].payer, id))
				break;
		if (k == s->npayers)
			s->payers[s->npayers++].payer = id;
		s->payers[k].payments++;
		s->total.payments++;
		of[i] = k;
		if (!p->balanced)
			s->unbalanced_payments++;
		s->bpr += p->total;
		s->claims_paid += p->claims_paid;
		s->plb += p->plb;
	}
	for (size_t i = 0; i < rm->lines.len; i++) {
		const struct remit_line *l = remit_line_at(rm, i);
		const struct remit_claim *c = remit_claim_at(rm, l->claim);
		add(&s->payers[of[c->payment]], &l->o);
		add(&s->total, &l->o);
	}
	for (size_t i = 0; i < rm->problems.len; i++) {
		if (VEC_AT(&rm->problems, struct remit_problem, i).kind == PROBLEM_BALANCE)
			s->balance_failures++;
		else
			s->read_problems++;
	}
	free(of);
	return 0;
}

void remit_sums_free(struct remit_sums *s)
{
	free(s->payers);
	s->payers = NULL;
}
