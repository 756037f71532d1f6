/* receivables.c — aging, key figures and scorecard over ar_line_facts.
 *
 * Each figure is an accumulator fed line by line (ar_build feeds them all
 * in one pass); each asks ar_line_facts what a line is and ar_state_on
 * where it stands.  No other code here reads a line's columns, so
 * remittances can change what a line is in one place.
 */
#include "analysis/receivables.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
#include "billing/match.h"
#include "core/par.h"
#include "core/value.h"

/* ---- one line ------------------------------------------------------------ */

void ar_line_facts(const struct ledger *l, size_t i, struct ar_facts *f)
{
	const struct roster *r = l->roster;
	const struct line *ln = roster_line(r, i);
	const struct line_ar *a = roster_line_ar(r, i);

	memset(f, 0, sizeof *f);
	f->attended = ln->flags & LINE_ATTENDED;
	if (!f->attended)
		return;
	f->priced = ln->flags & LINE_PRICED;
	f->clean = ln->issues == 0;
	f->status = ln->status;
	f->addon = ln->addon;
	f->payer = ln->payer;
	f->dos = roster_session(r, ln->session)->date;
	f->expected = f->priced ? ledger_expected(l, ln) : 0;
	f->paid = (ln->flags & LINE_HAS_PAID) ? ln->paid : 0;
	f->billed = f->dos;
	f->adjudicated = AR_NONE;
	f->has_charge = f->priced;
	f->charge = f->expected;
	if (a) {
		if (a->charge != AR_NONE) {
			f->has_charge = true;
			f->charge = a->charge;
		}
		if (r->columns & COL_BILLED) {
			f->billed_given = a->billed != AR_NONE;
			/* An empty cell is work not billed yet, unless the payer
			 * has already paid or denied it: then it was billed, on
			 * a day not given (its date of service stands in). */
			if (f->billed_given || (f->status != STATUS_PAID &&
						f->status != STATUS_DENIED))
				f->billed = a->billed;
		}
		f->adjudicated = a->paid_date;
		if (r->columns & COL_PATIENT_PAID) {
			f->patient_known = true;
			f->patient_paid = a->patient_paid == AR_NONE ? 0 : a->patient_paid;
		}
	}
	if (f->status == STATUS_PAID && f->priced && f->expected > f->paid)
		f->patient_resp = f->expected - f->paid;
	f->first_denied = f->status == STATUS_DENIED;
	/* The payer's own words, where an 835 adjudicated the line: match_apply
	 * has already written its status and paid into the line. */
	const struct applied *ap = match_applied(l->remit, i);
	if (ap) {
		f->first_denied = ap->first_denied;
		if (ap->o.paid_date != OUTCOME_NO_DATE)
			f->adjudicated = ap->o.paid_date;
		f->patient_resp = f->status == STATUS_PAID ? ap->o.patient_resp : 0;
		/* A paid line's CO adjustments are the contract's write-down
		 * (CO-45, sequestration's CO-253); a denied line's CO is the
		 * denial itself (CO-50, CO-197...), which the net collection
		 * rate exists to count as not collected. */
		f->contractual = f->status == STATUS_PAID ? ap->o.contractual : 0;
		if (!(r->columns & COL_CHARGE) && ap->o.charge != OUTCOME_UNKNOWN) {
			f->has_charge = true;
			f->charge = ap->o.charge;
		}
	}
	f->allowed = f->paid + f->patient_resp;
	if (ap && f->status == STATUS_PAID && ap->o.allowed != OUTCOME_UNKNOWN)
		f->allowed = ap->o.allowed;
}

enum ar_state ar_state_on(const struct ar_facts *f, int32_t as_of)
{
	if (!f->attended || f->dos > as_of || f->billed == AR_NONE ||
	    f->billed > as_of)
		return AR_NOT_YET;
	if ((f->status == STATUS_PAID || f->status == STATUS_DENIED) &&
	    (f->adjudicated == AR_NONE || f->adjudicated <= as_of))
		return f->status == STATUS_PAID ? AR_PAID : AR_DENIED;
	return AR_OPEN;
}

int32_t ar_default_as_of(const struct ledger *l, const struct scope *s)
{
	const struct roster *r = l->roster;
	int32_t as_of = 0;

	for (size_t i = 0; i < r->sessions.len; i++) {
		const struct session *ss = roster_session(r, i);
		if (scope_has(s, ss) && ss->date > as_of)
			as_of = ss->date;
	}
	if (!r->ar.len && !l->remit)
		return as_of;
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line_ar *a = roster_line_ar(r, i);
		const struct applied *ap = match_applied(l->remit, i);
		if (!scope_has(s, roster_session(r, roster_line(r, i)->session)))
			continue;
		if (a && a->billed != AR_NONE && a->billed > as_of)
			as_of = a->billed;
		if (a && a->paid_date != AR_NONE && a->paid_date > as_of)
			as_of = a->paid_date;
		if (ap && ap->o.paid_date != OUTCOME_NO_DATE && ap->o.paid_date > as_of)
			as_of = ap->o.paid_date;
	}
	return as_of;
}

/* ---- aging ------------------------------------------------------------------ */

const char *const ar_bucket_names[AR_BUCKETS] = { "0-30", "31-60", "61-90",
						  "91-120", "121+" };

int ar_bucket(int32_t days)
{
	if (days <= 30)
		return 0;
	if (days <= 60)
		return 1;
	if (days <= 90)
		return 2;
	if (days <= 120)
		return 3;
	return 4;
}

/* What line F adds to the aging on AS_OF: the row kind, the amount, and
 * the age from BASIS.  false when it adds nothing.  One definition for
 * aging.csv and the A/R key figures, so they agree to the cent. */
static bool aged(const struct ar_facts *f, int32_t as_of, enum ar_basis basis,
		 enum ar_kind *kind, int64_t *amount, int32_t *age)
{
	enum ar_state st = ar_state_on(f, as_of);

	*age = as_of - (basis == AR_BASIS_BILLED ? f->billed : f->dos);
	switch (st) {
	case AR_OPEN:
		*kind = AR_KIND_PAYER;
		*amount = f->expected;
		return true;
	case AR_DENIED:
		*kind = AR_KIND_DENIED;
		*amount = f->expected;
		return true;
	case AR_PAID:
		/* The patient owes the share not yet paid; an overpayment is
		 * not a negative debt of the patient. */
		if (!f->patient_known || f->patient_resp <= f->patient_paid)
			return false;
		*kind = AR_KIND_PATIENT;
		*amount = f->patient_resp - f->patient_paid;
		return true;
	default:
		return false;
	}
}

/* Aging as lines are added: rows [0, np) the payers, np the patients, and
 * (np, 2np] the payers' denied lines. */
struct aging_acc {
	const struct roster *r;
	struct aging *out;
	size_t np;
	struct ar_row *acc;
};

static int aging_start(struct aging_acc *g, const struct roster *r, int32_t as_of,
		       enum ar_basis basis, struct aging *out)
{
	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	out->basis = basis;
	g->r = r;
	g->out = out;
	g->np = r->payers.count;
	g->acc = calloc(2 * g->np + 1, sizeof *g->acc);
	return g->acc ? 0 : -1;
}

static void aging_add(struct aging_acc *g, const struct ar_facts *f)
{
	struct aging *out = g->out;
	int32_t as_of = out->as_of;
	enum ar_kind kind;
	int64_t amount;
	int32_t age;

	if (f->attended && f->dos <= as_of && (f->billed == AR_NONE || f->billed > as_of)) {
		out->unbilled_lines++;
		out->unbilled += f->expected;
		return;
	}
	if (!aged(f, as_of, out->basis, &kind, &amount, &age))
		return;
	struct ar_row *row = kind == AR_KIND_PAYER ? &g->acc[f->payer]
		: kind == AR_KIND_PATIENT ? &g->acc[g->np] : &g->acc[g->np + 1 + f->payer];
	row->lines++;
	if (kind != AR_KIND_PATIENT && !f->priced) {
		row->unpriced++;
		return;
	}
	int b = ar_bucket(age);
	row->bucket[b] += amount;
	row->total += amount;
	if (kind != AR_KIND_DENIED) {
		out->balance += amount;
		if (b >= 3)
			out->over_90 += amount;
	}
}

/* The rows into A, in the order of struct aging; frees G. */
static int aging_finish(struct aging_acc *g, struct arena *a)
{
	struct aging *out = g->out;
	size_t np = g->np;
	bool patient_known = g->r->columns & COL_PATIENT_PAID;

	if (!g->acc)
		return -1;
	out->rows = arena_alloc(a, (2 * np + 1) * sizeof *out->rows);
	if (!out->rows) {
		free(g->acc);
		return -1;
	}
	for (size_t k = 0; k < 2 * np + 1; k++) {
		struct ar_row *row = &g->acc[k];
		bool patient = k == np;
		if (patient ? !patient_known : !row->lines)
			continue;
		row->kind = patient ? AR_KIND_PATIENT : k < np ? AR_KIND_PAYER
							       : AR_KIND_DENIED;
		row->payer = patient ? 0 : (uint32_t)(k < np ? k : k - np - 1);
		out->rows[out->nrows++] = *row;
	}
	free(g->acc);
	return 0;
}

int ar_aging(const struct ledger *l, int32_t as_of, enum ar_basis basis,
	     struct arena *a, struct aging *out, struct gr_err *err)
{
	const struct roster *r = l->roster;
	struct aging_acc g;
	struct ar_facts f;

	if (aging_start(&g, r, as_of, basis, out) != 0)
		return gr_fail(err, r->path, 0, "out of memory");
	for (size_t i = 0; i < r->lines.len; i++) {
		ar_line_facts(l, i, &f);
		aging_add(&g, &f);
	}
	return aging_finish(&g, a) ? gr_fail(err, r->path, 0, "out of memory") : 0;
}

/* ---- key figures ------------------------------------------------------------ */

const struct kpi_def kpi_defs[KPI_COUNT] = {
	{ "days_in_ar", "Days in A/R",
	  "outstanding / (charges of the 90 days up to the as-of date / 90)",
	  KPI_DAYS_AR, true },
	{ "net_collection_rate", "Net collection rate",
	  "paid by payers and patients / (charges - contractual adjustments), "
	  "adjudicated lines", KPI_MONEY_RATIO, false },
	{ "gross_collection_rate", "Gross collection rate",
	  "paid by payers and patients / charges, billed lines", KPI_MONEY_RATIO,
	  false },
	{ "first_pass_denial_rate", "First-pass denial rate",
	  "lines denied on their first adjudication / adjudicated lines",
	  KPI_COUNT_RATIO, true },
	{ "clean_claim_rate", "Clean-claim rate",
	  "billed lines with no pre-submission finding / billed lines",
	  KPI_COUNT_RATIO, false },
	{ "ar_over_90", "A/R over 90 days",
	  "outstanding more than 90 days after the date of service / outstanding",
	  KPI_MONEY_RATIO, true },
	{ "median_days_to_pay", "Median days to pay",
	  "median of payment date - date of service, paid lines with a payment date",
	  KPI_MEDIAN, true },
	{ "median_days_billed_to_pay", "Median days from billing to payment",
	  "median of payment date - billed date, paid lines with both dates",
	  KPI_MEDIAN, true },
};

int32_t ar_focus_quarter(const struct roster *r, const struct scope *s)
{
	int32_t q = INT32_MIN;

	if (!s->all)
		return s->quarter;
	for (size_t i = 0; i < r->sessions.len; i++) {
		int32_t k = value_quarter(roster_session(r, i)->date);
		q = k > q ? k : q;
	}
	return r->sessions.len ? q : 0;
}

/* The first day of quarter key Q: month 3 * (Q % 4) + 1 of year Q / 4. */
static int32_t quarter_start(int32_t q)
{
	/* Floor division: key -1 (before a file without lines) is year -1. */
	int32_t y = q >= 0 ? q / 4 : -((-q + 3) / 4);
	return value_days_from_civil(y, (unsigned)(q - 4 * y) * 3 + 1, 1);
}

int32_t ar_previous_as_of(int32_t quarter, int32_t as_of)
{
	int32_t end = quarter_start(quarter) - 1;
	return end < as_of ? end : as_of;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* Days, gathered before their median. */
struct delays {
	int32_t *v;
	size_t n, cap;
	bool oom;
};

static void delay_push(struct delays *d, int32_t days)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		int32_t *v = realloc(d->v, cap * sizeof *v);
		if (!v) {
			d->oom = true;
			return;
		}
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = days;
}

/* Median of D's days (sorted here), NaN when there are none. */
static double median_days(struct delays *d)
{
	size_t n = d->n;
	int32_t *v = d->v;

	if (!n)
		return NAN;
	qsort(v, n, sizeof *v, cmp_i32);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + (double)v[n / 2]) / 2.0;
}

static void ratio(struct kpi_value *k, int64_t num, int64_t den)
{
	k->num = num;
	k->den = den;
	k->defined = den > 0;
	k->value = k->defined ? (double)num / (double)den : NAN;
}

/* One quarter's figures as lines are added. */
struct kpi_acc {
	struct kpi_set *out;
	int32_t q_from, q_to; /* the quarter's first and last day */
	int64_t balance, over_90, charges_90;
	int64_t received, net_den, gross_den;
	int64_t adjudicated, denied, billed, clean;
	struct delays from_dos, from_billed;
};

static void kpi_start(struct kpi_acc *k, const struct roster *r, int32_t quarter,
		      int32_t as_of, struct kpi_set *out)
{
	memset(k, 0, sizeof *k);
	memset(out, 0, sizeof *out);
	out->no_lines = r->sessions.len == 0;
	out->quarter = quarter;
	out->as_of = as_of;
	k->out = out;
	/* Days, not value_quarter per line: a comparison is all it takes. */
	k->q_from = quarter_start(quarter);
	k->q_to = quarter_start(quarter + 1) - 1;
}

static void kpi_add(struct kpi_acc *k, const struct ar_facts *f)
{
	int32_t as_of = k->out->as_of;
	enum ar_kind kind;
	int64_t amount;
	int32_t age;

	if (!f->attended || f->dos > as_of)
		return;
	/* The balance on the as-of date, from every quarter. */
	if (aged(f, as_of, AR_BASIS_SERVICE, &kind, &amount, &age) &&
	    kind != AR_KIND_DENIED && (kind == AR_KIND_PATIENT || f->priced)) {
		k->balance += amount;
		if (ar_bucket(age) >= 3)
			k->over_90 += amount;
	}
	if (f->has_charge && as_of - f->dos < 90)
		k->charges_90 += f->charge;
	/* The rates, from the lines of service of the quarter. */
	if (f->dos < k->q_from || f->dos > k->q_to)
		return;
	enum ar_state st = ar_state_on(f, as_of);
	if (st == AR_NOT_YET)
		return;
	k->billed++;
	k->clean += f->clean;
	if (f->has_charge)
		k->gross_den += f->charge;
	if (st == AR_OPEN)
		return;
	k->adjudicated++;
	k->denied += f->first_denied;
	if (f->has_charge) {
		k->received += f->paid + f->patient_paid;
		k->net_den += f->charge - f->contractual;
	}
	if (st == AR_PAID && f->adjudicated != AR_NONE) {
		delay_push(&k->from_dos, f->adjudicated - f->dos);
		if (f->billed_given)
			delay_push(&k->from_billed, f->adjudicated - f->billed);
	}
}

/* The figures into K's kpi_set; frees K.  -1 when out of memory. */
static int kpi_finish(struct kpi_acc *k)
{
	struct kpi_value *v = k->out->v;
	int rc = k->from_dos.oom || k->from_billed.oom ? -1 : 0;

	v[KPI_DAYS_IN_AR].num = k->balance;
	v[KPI_DAYS_IN_AR].den = k->charges_90;
	v[KPI_DAYS_IN_AR].defined = k->charges_90 > 0;
	v[KPI_DAYS_IN_AR].value = k->charges_90 > 0
		? (double)k->balance / ((double)k->charges_90 / 90.0) : NAN;
	ratio(&v[KPI_NET_COLLECTION], k->received, k->net_den);
	ratio(&v[KPI_GROSS_COLLECTION], k->received, k->gross_den);
	/* The attendance file gives a line one adjudication, so each denial
	 * is its first; with 835s a line denied first and paid on
	 * resubmission counts too (ar_facts.first_denied). */
	ratio(&v[KPI_FIRST_PASS_DENIAL], k->denied, k->adjudicated);
	ratio(&v[KPI_CLEAN_CLAIM], k->clean, k->billed);
	ratio(&v[KPI_AR_OVER_90], k->over_90, k->balance);
	v[KPI_MEDIAN_DAYS_TO_PAY].den = (int64_t)k->from_dos.n;
	v[KPI_MEDIAN_DAYS_TO_PAY].value = median_days(&k->from_dos);
	v[KPI_MEDIAN_DAYS_TO_PAY].defined = k->from_dos.n > 0;
	v[KPI_MEDIAN_BILLED_TO_PAY].den = (int64_t)k->from_billed.n;
	v[KPI_MEDIAN_BILLED_TO_PAY].value = median_days(&k->from_billed);
	v[KPI_MEDIAN_BILLED_TO_PAY].defined = k->from_billed.n > 0;
	free(k->from_dos.v);
	free(k->from_billed.v);
	return rc;
}

int ar_kpis(const struct ledger *l, int32_t quarter, int32_t as_of,
	    struct kpi_set *out, struct gr_err *err)
{
	const struct roster *r = l->roster;
	struct kpi_acc k;
	struct ar_facts f;

	kpi_start(&k, r, quarter, as_of, out);
	for (size_t i = 0; i < r->lines.len; i++) {
		ar_line_facts(l, i, &f);
		kpi_add(&k, &f);
	}
	return kpi_finish(&k) ? gr_fail(err, r->path, 0, "out of memory") : 0;
}

/* ---- scorecard ---------------------------------------------------------------- */

/* Mean paid per adjudicated line; a row with none ranks last. */
static double mean_paid(const struct ar_score *s)
{
	return s->adjudicated ? (double)s->paid / (double)s->adjudicated : -1.0;
}

/* A total order, so the ranking does not depend on the file's order: the
 * roster (CTX) gives the payer ids that break the last ties. */
static int cmp_score(const void *a, const void *b, void *ctx)
{
	const struct ar_score *x = a, *y = b;
	const struct roster *r = ctx;
	double px = mean_paid(x), py = mean_paid(y);

	if (px != py)
		return px > py ? -1 : 1;
	/* Then the faster payer; a row with no known delay after. */
	double dx = isnan(x->median_days) ? INFINITY : x->median_days;
	double dy = isnan(y->median_days) ? INFINITY : y->median_days;
	if (dx != dy)
		return dx < dy ? -1 : 1;
	int c = strcmp(strpool_str(&r->payers, x->payer), strpool_str(&r->payers, y->payer));
	if (c)
		return c;
	return x->addon < y->addon ? -1 : x->addon > y->addon;
}

/* The scorecard as lines are added: rows [0, np) are the payers, then a
 * row per payer x add-on in the order first seen (slot[payer * 256 +
 * addon] = its index, -1 = none yet). */
struct score_acc {
	const struct roster *r;
	const struct scope *s;
	struct scorecard *out;
	int32_t as_of;
	size_t np, nrows, cap;
	int32_t *slot;
	struct ar_score *rows;
	struct delays *dl;
	bool oom;
};

static int score_start(struct score_acc *c, const struct roster *r,
		       const struct scope *s, int32_t as_of, struct scorecard *out)
{
	memset(c, 0, sizeof *c);
	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	c->r = r;
	c->s = s;
	c->out = out;
	c->as_of = as_of;
	c->np = r->payers.count;
	c->nrows = c->cap = c->np;
	c->slot = malloc((c->np * 256 + 1) * sizeof *c->slot);
	c->rows = calloc(c->cap + 1, sizeof *c->rows);
	c->dl = calloc(c->cap + 1, sizeof *c->dl);
	if (!c->slot || !c->rows || !c->dl)
		return -1;
	for (size_t k = 0; k < c->np * 256; k++)
		c->slot[k] = -1;
	for (size_t k = 0; k < c->np; k++) {
		c->rows[k].payer = (uint32_t)k;
		c->rows[k].addon = NO_ID8;
	}
	return 0;
}

/* The payer x code row of F, made on first sight; -1 when out of memory. */
static ptrdiff_t code_row(struct score_acc *c, const struct ar_facts *f)
{
	size_t key = (size_t)f->payer * 256 + f->addon;

	if (c->slot[key] >= 0)
		return c->slot[key];
	if (c->nrows == c->cap) {
		size_t cap = c->cap * 2 + 16;
		struct ar_score *rows = realloc(c->rows, (cap + 1) * sizeof *rows);
		if (rows)
			c->rows = rows;
		struct delays *dl = realloc(c->dl, (cap + 1) * sizeof *dl);
		if (dl)
			c->dl = dl;
		if (!rows || !dl)
			return -1;
		c->cap = cap;
	}
	memset(&c->rows[c->nrows], 0, sizeof *c->rows);
	memset(&c->dl[c->nrows], 0, sizeof *c->dl);
	c->rows[c->nrows].by_code = true;
	c->rows[c->nrows].payer = f->payer;
	c->rows[c->nrows].addon = f->addon;
	c->slot[key] = (int32_t)c->nrows;
	return (ptrdiff_t)c->nrows++;
}

static void score_add(struct score_acc *c, size_t i, const struct ar_facts *f)
{
	if (!f->attended ||
	    !scope_has(c->s, roster_session(c->r, roster_line(c->r, i)->session)))
		return;
	enum ar_state st = ar_state_on(f, c->as_of);
	if (st == AR_NOT_YET)
		return;
	ptrdiff_t cr = code_row(c, f);
	if (cr < 0) {
		c->oom = true;
		return;
	}
	size_t idx[2] = { f->payer, (size_t)cr };
	for (int k = 0; k < 2; k++) {
		struct ar_score *x = &c->rows[idx[k]];
		x->lines++;
		if (!f->priced)
			continue;
		x->priced++;
		x->expected += f->expected;
		if (st == AR_OPEN)
			continue;
		x->adjudicated++;
		x->adj_expected += f->expected;
		x->paid += f->paid;
		x->patient_paid += f->patient_paid;
		if (st == AR_DENIED) {
			x->denied++;
			continue;
		}
		x->paid_lines++;
		x->patient_resp += f->patient_resp;
		x->allowed += f->allowed;
		if (f->adjudicated != AR_NONE)
			delay_push(&c->dl[idx[k]], f->adjudicated - f->dos);
	}
}

/* Rows with lines into A, ranked; frees C.  -1 when out of memory. */
static int score_finish(struct score_acc *c, struct arena *a)
{
	struct scorecard *out = c->out;
	int rc = c->oom || !c->rows || !c->dl || !c->slot ? -1 : 0;

	if (rc == 0 && !(out->rows = arena_alloc(a, (c->nrows + 1) * sizeof *out->rows)))
		rc = -1;
	for (size_t k = 0; rc == 0 && k < c->nrows; k++) {
		struct ar_score *x = &c->rows[k];
		if (c->dl[k].oom)
			rc = -1;
		if (!x->lines)
			continue;
		if (stats_wilson(x->denied, x->adjudicated, &x->denial_lo,
				 &x->denial_hi) != 0)
			x->denial_lo = x->denial_hi = NAN;
		x->timed = c->dl[k].n;
		x->median_days = median_days(&c->dl[k]);
		out->rows[out->nrows++] = *x;
		if (!x->by_code)
			out->npayers++;
	}
	if (rc == 0) {
		/* Payer rows come first, so each part is ranked alone. */
		qsort_r(out->rows, out->npayers, sizeof *out->rows, cmp_score,
			(void *)c->r);
		qsort_r(out->rows + out->npayers, out->nrows - out->npayers,
			sizeof *out->rows, cmp_score, (void *)c->r);
		for (size_t i = 0; i < out->nrows; i++)
			out->rows[i].rank = (uint32_t)(i < out->npayers ? i + 1
								       : i - out->npayers + 1);
	}
	for (size_t k = 0; c->dl && k < c->nrows; k++)
		free(c->dl[k].v);
	free(c->dl);
	free(c->rows);
	free(c->slot);
	return rc;
}

int ar_scorecard(const struct ledger *l, const struct scope *s, int32_t as_of,
		 struct arena *a, struct scorecard *out, struct gr_err *err)
{
	const struct roster *r = l->roster;
	struct score_acc c;
	struct ar_facts f;

	if (score_start(&c, r, s, as_of, out) == 0)
		for (size_t i = 0; i < r->lines.len; i++) {
			ar_line_facts(l, i, &f);
			score_add(&c, i, &f);
		}
	return score_finish(&c, a) ? gr_fail(err, r->path, 0, "out of memory") : 0;
}

/* ---- all of it ----------------------------------------------------------------- */

/* One range of lines' accumulators: ar_build runs ranges on several
 * threads and adds them up.  Every figure is a sum, a count or a median
 * of the days gathered, and the scorecard's rows are ranked by a total
 * order, so the result is the one of a single pass whatever the ranges. */
struct ar_part {
	bool started, ok;
	struct aging_acc g;
	struct kpi_acc kc, kp;
	struct score_acc c;
	/* Where a range other than the first writes its totals. */
	struct aging aging;
	struct kpi_set cur, prev;
	struct scorecard score;
};

struct ar_job {
	const struct ledger *l;
	const struct scope *s;
	int32_t as_of, q;
	enum ar_basis basis;
	struct ar_result *out;
	struct ar_part *parts;
};

static int ar_range(void *ctx, size_t from, size_t to, unsigned part)
{
	struct ar_job *j = ctx;
	struct ar_part *p = &j->parts[part];
	const struct roster *r = j->l->roster;
	struct ar_facts f;
	/* The first range's totals are the result's. */
	struct aging *ag = part ? &p->aging : &j->out->aging;
	struct kpi_set *cur = part ? &p->cur : &j->out->cur;
	struct kpi_set *prev = part ? &p->prev : &j->out->prev;
	struct scorecard *sc = part ? &p->score : &j->out->score;

	p->started = true;
	kpi_start(&p->kc, r, j->q, j->as_of, cur);
	kpi_start(&p->kp, r, j->q - 1, ar_previous_as_of(j->q, j->as_of), prev);
	p->ok = aging_start(&p->g, r, j->as_of, j->basis, ag) == 0;
	p->ok = score_start(&p->c, r, j->s, j->as_of, sc) == 0 && p->ok;
	for (size_t i = from; p->ok && i < to; i++) {
		ar_line_facts(j->l, i, &f);
		aging_add(&p->g, &f);
		kpi_add(&p->kc, &f);
		kpi_add(&p->kp, &f);
		score_add(&p->c, i, &f);
	}
	return 0;
}

static void delays_join(struct delays *to, const struct delays *from)
{
	to->oom |= from->oom;
	for (size_t k = 0; k < from->n && !to->oom; k++)
		delay_push(to, from->v[k]);
}

static void kpi_join(struct kpi_acc *to, const struct kpi_acc *from)
{
	to->balance += from->balance;
	to->over_90 += from->over_90;
	to->charges_90 += from->charges_90;
	to->received += from->received;
	to->net_den += from->net_den;
	to->gross_den += from->gross_den;
	to->adjudicated += from->adjudicated;
	to->denied += from->denied;
	to->billed += from->billed;
	to->clean += from->clean;
	delays_join(&to->from_dos, &from->from_dos);
	delays_join(&to->from_billed, &from->from_billed);
}

static void aging_join(struct aging_acc *to, const struct aging_acc *from)
{
	for (size_t k = 0; k < 2 * to->np + 1; k++) {
		struct ar_row *x = &to->acc[k];
		const struct ar_row *y = &from->acc[k];
		for (int b = 0; b < AR_BUCKETS; b++)
			x->bucket[b] += y->bucket[b];
		x->total += y->total;
		x->lines += y->lines;
		x->unpriced += y->unpriced;
	}
	to->out->balance += from->out->balance;
	to->out->over_90 += from->out->over_90;
	to->out->unbilled_lines += from->out->unbilled_lines;
	to->out->unbilled += from->out->unbilled;
}

/* The sums of score_add; what score_finish derives is not summed. */
static void score_join(struct score_acc *to, const struct score_acc *from)
{
	to->oom |= from->oom;
	for (size_t k = 0; k < from->nrows && !to->oom; k++) {
		const struct ar_score *y = &from->rows[k];
		ptrdiff_t at = (ptrdiff_t)k;
		if (y->by_code) {
			struct ar_facts key = { .payer = y->payer, .addon = y->addon };
			if ((at = code_row(to, &key)) < 0) {
				to->oom = true;
				break;
			}
		}
		struct ar_score *x = &to->rows[at];
		x->lines += y->lines;
		x->priced += y->priced;
		x->adjudicated += y->adjudicated;
		x->denied += y->denied;
		x->paid_lines += y->paid_lines;
		x->expected += y->expected;
		x->adj_expected += y->adj_expected;
		x->allowed += y->allowed;
		x->paid += y->paid;
		x->patient_resp += y->patient_resp;
		x->patient_paid += y->patient_paid;
		delays_join(&to->dl[at], &from->dl[k]);
	}
}

/* Ranges of at least this many lines: below it a thread costs more than
 * it saves. */
#define AR_MIN_RANGE 16384

int ar_build(const struct ledger *l, const struct scope *s, int32_t as_of,
	     enum ar_basis basis, unsigned threads, struct arena *a,
	     struct ar_result *out, struct gr_err *err)
{
	const struct roster *r = l->roster;
	unsigned nt = threads ? threads : 1;
	struct ar_part *parts = calloc(nt, sizeof *parts);
	struct ar_job j = { l, s, as_of, ar_focus_quarter(r, s), basis, out, parts };
	bool ok = parts != NULL;

	/* One pass over the lines for all of it: a line's facts are read
	 * once; ten million lines took half a second on one thread. */
	memset(out, 0, sizeof *out);
	if (ok)
		ok = par_for(nt, r->lines.len, AR_MIN_RANGE, ar_range, &j) == 0;
	if (ok && !parts[0].started)
		ar_range(&j, 0, 0, 0); /* no lines: the empty tables */
	for (unsigned k = 0; ok && k < nt; k++)
		ok = !parts[k].started || parts[k].ok;
	for (unsigned k = 1; ok && k < nt; k++) {
		if (!parts[k].started)
			continue;
		aging_join(&parts[0].g, &parts[k].g);
		kpi_join(&parts[0].kc, &parts[k].kc);
		kpi_join(&parts[0].kp, &parts[k].kp);
		score_join(&parts[0].c, &parts[k].c);
	}
	if (parts && parts[0].started) {
		ok = aging_finish(&parts[0].g, a) == 0 && ok;
		ok = kpi_finish(&parts[0].kc) == 0 && ok;
		ok = kpi_finish(&parts[0].kp) == 0 && ok;
		ok = score_finish(&parts[0].c, a) == 0 && ok;
	}
	/* The other ranges' accumulators: their memory only. */
	for (unsigned k = 1; parts && k < nt; k++) {
		struct ar_part *p = &parts[k];
		if (!p->started)
			continue;
		free(p->g.acc);
		free(p->kc.from_dos.v);
		free(p->kc.from_billed.v);
		free(p->kp.from_dos.v);
		free(p->kp.from_billed.v);
		for (size_t i = 0; p->c.dl && i < p->c.nrows; i++)
			free(p->c.dl[i].v);
		free(p->c.dl);
		free(p->c.rows);
		free(p->c.slot);
	}
	free(parts);
	return ok ? 0 : gr_fail(err, r->path, 0, "out of memory");
}
