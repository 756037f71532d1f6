/* remit_out.c — remit.csv and remit_problems.csv (remit_out.h). */
#include "render/remit_out.h"

#include <stdio.h>

#include "io/csvout.h"
#include "core/value.h"
#include "model/pseudonym.h"

static int open_in(struct csvw *w, const char *dir, const char *name,
		   struct gr_err *err)
{
	char path[1024];
	snprintf(path, sizeof path, "%s/%s", dir, name);
	return csvw_open(w, path, err);
}

static void date_cell(struct csvw *w, int32_t d)
{
	char b[16];
	if (d == OUTCOME_NO_DATE) {
		csvw_empty(w);
		return;
	}
	value_format_date(d, b);
	csvw_str(w, b);
}

int remit_write_csv(const char *dir, const struct remit *rm,
		    const struct match *m, const struct roster *r,
		    const unsigned char *key, struct gr_err *err)
{
	struct csvw w;
	char buf[700], label[24];

	if (open_in(&w, dir, "remit.csv", err))
		return -1;
	csvw_header(&w, "file,segment,check,payment_date,payer,claim_id,claim_status,"
			"payer_claim_id,insured_id,service_date,code,modifiers,units,"
			"charge,allowed,paid,patient_resp,contractual,other_adj,status,"
			"carc,rarc,match,balance");
	for (size_t i = 0; i < rm->lines.len; i++) {
		const struct remit_line *l = remit_line_at(rm, i);
		const struct remit_claim *c = remit_claim_at(rm, l->claim);
		const struct remit_payment *p = remit_payment_at(rm, c->payment);
		csvw_str(&w, p->file);
		csvw_int(&w, (int64_t)l->segment);
		csvw_str(&w, p->check);
		date_cell(&w, p->date);
		csvw_str(&w, p->payer_id[0] ? p->payer_id : p->payer_name);
		csvw_str(&w, c->claim_id);
		csvw_str(&w, c->status);
		csvw_str(&w, c->payer_claim_id);
		if (key && c->insured_id[0]) {
			/* Keyed by the id itself: the same person's id gets the
			 * same pseudonym here as in claims.csv. */
			pseudonym_make(key, c->insured_id, label);
			csvw_str(&w, label);
		} else {
			csvw_str(&w, c->insured_id);
		}
		date_cell(&w, l->o.service_date);
		csvw_str(&w, l->code);
		csvw_str(&w, l->modifiers);
		csvw_int(&w, l->units);
		csvw_cents(&w, l->o.charge);
		csvw_cents(&w, l->o.allowed);
		csvw_cents(&w, l->o.paid);
		csvw_cents(&w, l->o.patient_resp);
		csvw_cents(&w, l->o.contractual);
		csvw_cents(&w, l->o.other_adj);
		csvw_str(&w, c->role == ROLE_REVERSAL ? "reversal"
			     : outcome_status_name(l->o.status));
		csvw_str(&w, l->o.carc);
		csvw_str(&w, l->o.rarc);
		csvw_str(&w, match_label(m, r, i, buf, sizeof buf));
		csvw_str(&w, l->balance);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}

int remit_write_problems(const char *dir, const struct remit *rm,
			 const struct match *m, const struct roster *r,
			 struct gr_err *err)
{
	struct csvw w;

	if (open_in(&w, dir, "remit_problems.csv", err))
		return -1;
	csvw_header(&w, "file,segment,segment_id,kind,problem");
	for (size_t i = 0; i < rm->problems.len; i++) {
		const struct remit_problem *p = &VEC_AT(&rm->problems, struct remit_problem, i);
		csvw_str(&w, p->file);
		csvw_int(&w, (int64_t)p->segment);
		csvw_str(&w, p->id);
		csvw_str(&w, p->kind == PROBLEM_BALANCE ? "balance" : "read");
		csvw_str(&w, p->msg);
		csvw_end(&w);
	}
	for (size_t i = 0; m && r && i < m->conflicts.len; i++) {
		const struct conflict *x = &VEC_AT(&m->conflicts, struct conflict, i);
		const struct remit_line *l = remit_line_at(rm, x->remit_line);
		const struct remit_claim *c = remit_claim_at(rm, l->claim);
		char msg[300];
		snprintf(msg, sizeof msg, "attendance line %u: %s; the remittance was used",
			 roster_line(r, x->line)->src_line, x->what);
		csvw_str(&w, remit_payment_at(rm, c->payment)->file);
		csvw_int(&w, (int64_t)l->segment);
		csvw_str(&w, "SVC");
		csvw_str(&w, "conflict");
		csvw_str(&w, msg);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}
