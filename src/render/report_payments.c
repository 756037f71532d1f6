/* report_payments.c — the payments page of `report --remit`: each check
 * or EFT and how it reconciles, the patient's share beside the payer's,
 * the service lines no attendance line took, and every problem found in
 * the files.  Sums come from analysis/remit_sums.h and the payments'
 * own totals (model/remit.h); no member id or name is drawn.
 */
#include <stdio.h>
#include <string.h>

#include "analysis/remit_sums.h"
#include "billing/match.h"
#include "core/value.h"
#include "model/remit.h"
#include "render/report_int.h"

static void payment_rows(struct cells *c, const struct remit *rm,
			 const struct remit_sums *s)
{
	char d[16];
	for (size_t i = 0; i < rm->payments.len; i++) {
		const struct remit_payment *p = remit_payment_at(rm, i);
		cells_row(c);
		cells_set(c, 0, "%s", p->check[0] ? p->check : "(no TRN)");
		if (p->date != OUTCOME_NO_DATE) {
			value_format_date(p->date, d);
			cells_set(c, 1, "%s", d);
		} else {
			cells_set(c, 1, "–");
		}
		cells_set(c, 2, "%s", p->payer_id[0] ? p->payer_id : p->payer_name);
		cells_set(c, 3, "%zu", p->nclaims);
		cells_cents(c, 4, p->total);
		cells_cents(c, 5, p->claims_paid);
		cells_cents(c, 6, p->plb);
		if (p->balanced) {
			cells_set(c, 7, "yes");
		} else {
			char off[64];
			report_cents(p->total - (p->claims_paid - p->plb), off);
			cells_set(c, 7, "no: off by %s", off);
		}
	}
	cells_row(c);
	cells_set(c, 0, "Total");
	cells_set(c, 1, " ");
	cells_set(c, 2, "%zu payments", rm->payments.len);
	cells_set(c, 3, " ");
	cells_cents(c, 4, s->bpr);
	cells_cents(c, 5, s->claims_paid);
	cells_cents(c, 6, s->plb);
	cells_set(c, 7, "%zu do not", s->unbalanced_payments);
}

static void share_row(struct cells *c, const struct remit_payer_sum *x)
{
	cells_row(c);
	cells_set(c, 0, "%s", x->payer);
	cells_set(c, 1, "%zu", x->lines);
	cells_cents(c, 2, x->charge);
	cells_cents(c, 3, x->paid);
	cells_cents(c, 4, x->patient_resp);
	cells_cents(c, 5, x->contractual);
	cells_cents(c, 6, x->other_adj);
}

/* Draw one table built in C; 0, or -1 when out of memory. */
static int table(cairo_t *cr, struct data *d, double *y, struct cells *c,
		 const char *const *hdr, const bool *num, bool total, const char *cont)
{
	const char *const *ptr = cells_ptrs(c);
	if (!ptr)
		return -1;
	if (c->nrows) {
		struct chart_table tb = { hdr, c->ncols, ptr, c->nrows, num, total };
		*y = report_table(cr, d, *y, &tb, cont) + 8;
	}
	return 0;
}

int report_page_payments(cairo_t *cr, struct data *d)
{
	const struct remit *rm = d->in->remit;
	const struct match *m = d->in->match;
	struct remit_sums s;
	struct cells c;
	char buf[700], a[64], b[64];
	int rc = -1;

	if (remit_sums_build(&s, rm, NULL) != 0)
		return -1;
	double y = report_heading(cr, d, MARGIN, "Payments: the payers' remittances");
	y += 4; /* payments are by payment date, every quarter: no date-of-service line */
	report_cents(s.total.paid, a);
	report_cents(s.total.patient_resp, b);
	snprintf(buf, sizeof buf,
		 "Every payment read, whatever quarter it pays.  %zu remittance files, "
		 "%zu of %zu transactions used: %zu service lines, "
		 "%s paid by the payers and %s left to the patients.  A payment "
		 "reconciles when its total (BPR02) equals the claims it pays minus "
		 "the provider-level adjustments (PLB; a negative PLB, such as "
		 "interest, adds to the payment).",
		 rm->files, rm->transactions_used, rm->transactions, rm->lines.len, a, b);
	y = report_para(cr, d, y, buf);

	y = report_para(cr, d, y, "The patient's share beside the payer's, by payer: every "
			"service line read, net of reversals.");
	static const char *const sh[] = { "payer", "lines", "charged", "paid by payer",
					  "patient share", "contractual", "other adj." };
	static const bool sn[] = { false, true, true, true, true, true, true };
	cells_init(&c, 7);
	for (size_t i = 0; i < s.npayers; i++)
		share_row(&c, &s.payers[i]);
	share_row(&c, &s.total);
	if (table(cr, d, &y, &c, sh, sn, true, "Patient's share beside the payer's") != 0)
		goto out;
	cells_free(&c);

	/* Lines no attendance line took, with the reason (no member id). */
	static const char *const uh[] = { "where", "code", "date of service", "paid",
					  "why not matched" };
	static const bool un[] = { false, false, false, true, false };
	cells_init(&c, 5);
	for (size_t i = 0; m && i < rm->lines.len; i++) {
		if (m->res[i].how != MATCH_NONE)
			continue;
		const struct remit_line *l = remit_line_at(rm, i);
		const struct remit_claim *cl = remit_claim_at(rm, l->claim);
		char dd[16] = "–";
		if (l->o.service_date != OUTCOME_NO_DATE)
			value_format_date(l->o.service_date, dd);
		cells_row(&c);
		cells_set(&c, 0, "%s:segment %zu", remit_payment_at(rm, cl->payment)->file,
			  l->segment);
		cells_set(&c, 1, "%s", l->code);
		cells_set(&c, 2, "%s", dd);
		cells_cents(&c, 3, l->o.paid);
		cells_set(&c, 4, "%s", m->res[i].why ? m->res[i].why : "");
	}
	snprintf(buf, sizeof buf,
		 "Matched to attendance lines: %zu by line_ref, %zu by claim_id and date, "
		 "%zu by member and date; %zu add-on lines joined their 90853 line; %zu lines "
		 "of other codes counted; %zu lines of reversals and reversed claims.  %zu "
		 "lines unmatched%s.  %zu attendance lines disagreed with their remittance "
		 "(%zu in status, %zu in paid): the remittance was used.",
		 m->by_rule[MATCH_LINE_REF], m->by_rule[MATCH_CLAIM], m->by_rule[MATCH_MEMBER],
		 m->addons, m->other_lines, m->reversal_lines, m->unmatched,
		 m->unmatched ? ", listed below" : "", m->conflicts.len, m->status_conflicts,
		 m->paid_conflicts);
	if (y > PAGE_BOTTOM - 80)
		y = report_new_page(cr, d);
	y = report_para(cr, d, y, buf);
	if (table(cr, d, &y, &c, uh, un, false, "Unmatched service lines") != 0)
		goto out;
	cells_free(&c);

	/* Attendance lines whose own status or paid the remittance replaced. */
	static const char *const ch[] = { "attendance line", "remittance", "what differed" };
	static const bool cn[] = { true, false, false };
	cells_init(&c, 3);
	for (size_t i = 0; m && i < m->conflicts.len; i++) {
		const struct conflict *x = &VEC_AT(&m->conflicts, struct conflict, i);
		const struct remit_line *l = remit_line_at(rm, x->remit_line);
		cells_row(&c);
		cells_set(&c, 0, "%u", roster_line(d->r, x->line)->src_line);
		cells_set(&c, 1, "%s:segment %zu",
			  remit_payment_at(rm, remit_claim_at(rm, l->claim)->payment)->file,
			  l->segment);
		cells_set(&c, 2, "%s", x->what);
	}
	if (table(cr, d, &y, &c, ch, cn, false, "Conflicts with the attendance file") != 0)
		goto out;
	cells_free(&c);

	static const char *const eh[] = { "where", "kind", "what" };
	static const bool en[] = { false, false, false };
	cells_init(&c, 3);
	for (size_t i = 0; i < rm->problems.len; i++) {
		const struct remit_problem *p = &VEC_AT(&rm->problems, struct remit_problem, i);
		cells_row(&c);
		if (p->segment)
			cells_set(&c, 0, "%s:segment %zu (%s)", p->file, p->segment, p->id);
		else
			cells_set(&c, 0, "%s", p->file);
		cells_set(&c, 1, "%s", p->kind == PROBLEM_BALANCE ? "balancing" : "reading");
		cells_set(&c, 2, "%s", p->msg);
	}
	snprintf(buf, sizeof buf, "%zu balancing failures and %zu reading problems%s.",
		 s.balance_failures, s.read_problems,
		 rm->problems.len ? " (remit_problems.csv has them too)" : "");
	if (y > PAGE_BOTTOM - 80)
		y = report_new_page(cr, d);
	y = report_para(cr, d, y, buf);
	if (table(cr, d, &y, &c, eh, en, false, "Problems in the remittances") != 0)
		goto out;
	cells_free(&c);

	static const char *const ph[] = { "check / EFT", "date", "payer", "claims",
					  "total (BPR02)", "claims paid", "PLB", "reconciles" };
	static const bool pn[] = { false, false, false, true, true, true, true, false };
	cells_init(&c, 8);
	payment_rows(&c, rm, &s);
	if (y > PAGE_BOTTOM - 80)
		y = report_new_page(cr, d);
	y = report_para(cr, d, y, "Each payment (check or EFT), in the order read:");
	if (table(cr, d, &y, &c, ph, pn, true, "Payments") != 0)
		goto out;

	rc = 0;
out:
	cells_free(&c);
	remit_sums_free(&s);
	return rc;
}
