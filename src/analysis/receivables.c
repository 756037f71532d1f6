/* receivables.c — aging, key figures and scorecard over ar_line_facts.
 *
 * Each figure is a pass over the lines that asks ar_line_facts what a
 * line is and ar_state_on where it stands; no other code here reads a
 * line's columns, so remittances can change what a line is in one place.
 */
#include "analysis/receivables.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/stats.h"
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
	if (!r->ar.len)
		return as_of;
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line_ar *a = roster_line_ar(r, i);
		if (!scope_has(s, roster_session(r, roster_line(r, i)->session)))
			continue;
		if (a->billed != AR_NONE && a->billed > as_of)
			as_of = a->billed;
		if (a->paid_date != AR_NONE && a->paid_date > as_of)
			as_of = a->paid_date;
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

int ar_aging(const struct ledger *l, int32_t as_of, enum ar_basis basis,
	     struct arena *a, struct aging *out, struct gr_err *err)
{
	const struct roster *r = l->roster;
	size_t np = r->payers.count;
	/* [0, np) payer rows, np the patient row, (np, 2np] denied rows */
	struct ar_row *acc = calloc(2 * np + 1, sizeof *acc);
	bool patient_known = r->columns & COL_PATIENT_PAID;

	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	out->basis = basis;
	if (!acc)
		return gr_fail(err, r->path, 0, "out of memory");
	for (size_t i = 0; i < r->lines.len; i++) {
		struct ar_facts f;
		enum ar_kind kind;
		int64_t amount;
		int32_t age;

		ar_line_facts(l, i, &f);
		if (f.attended && f.dos <= as_of &&
		    (f.billed == AR_NONE || f.billed > as_of)) {
			out->unbilled_lines++;
			out->unbilled += f.expected;
			continue;
		}
		if (!aged(&f, as_of, basis, &kind, &amount, &age))
			continue;
		struct ar_row *row = kind == AR_KIND_PAYER ? &acc[f.payer]
			: kind == AR_KIND_PATIENT ? &acc[np] : &acc[np + 1 + f.payer];
		row->lines++;
		if (kind != AR_KIND_PATIENT && !f.priced) {
			row->unpriced++;
			continue;
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
	out->rows = arena_alloc(a, (2 * np + 1) * sizeof *out->rows);
	if (!out->rows) {
		free(acc);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	for (size_t k = 0; k < 2 * np + 1; k++) {
		struct ar_row *row = &acc[k];
		bool patient = k == np;
		if (patient ? !patient_known : !row->lines)
			continue;
		row->kind = patient ? AR_KIND_PATIENT : k < np ? AR_KIND_PAYER
							       : AR_KIND_DENIED;
		row->payer = patient ? 0 : (uint32_t)(k < np ? k : k - np - 1);
		out->rows[out->nrows++] = *row;
	}
	free(acc);
	return 0;
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

int32_t ar_previous_as_of(int32_t quarter, int32_t as_of)
{
	/* Quarter key q starts on the first day of month 3 * (q % 4) + 1. */
	int32_t y = quarter / 4;
	unsigned m = (unsigned)(quarter % 4) * 3 + 1;
	int32_t end = value_days_from_civil(y, m, 1) - 1;
	return end < as_of ? end : as_of;
}

static int cmp_i32(const void *a, const void *b)
{
	int32_t x = *(const int32_t *)a, y = *(const int32_t *)b;
	return x < y ? -1 : x > y;
}

/* Median of N days (sorted here), NaN when N = 0. */
static double median_days(int32_t *v, size_t n)
{
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

int ar_kpis(const struct ledger *l, int32_t quarter, int32_t as_of,
	    struct kpi_set *out, struct gr_err *err)
{
	const struct roster *r = l->roster;
	int32_t *from_dos = malloc((r->lines.len + 1) * sizeof *from_dos);
	int32_t *from_billed = malloc((r->lines.len + 1) * sizeof *from_billed);
	size_t nd = 0, nb = 0;
	int64_t balance = 0, over_90 = 0, charges_90 = 0;
	int64_t received = 0, net_den = 0, gross_den = 0;
	int64_t adjudicated = 0, denied = 0, billed = 0, clean = 0;

	memset(out, 0, sizeof *out);
	out->no_lines = r->sessions.len == 0;
	out->quarter = quarter;
	out->as_of = as_of;
	if (!from_dos || !from_billed) {
		free(from_dos);
		free(from_billed);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	for (size_t i = 0; i < r->lines.len; i++) {
		struct ar_facts f;
		enum ar_kind kind;
		int64_t amount;
		int32_t age;

		ar_line_facts(l, i, &f);
		if (!f.attended || f.dos > as_of)
			continue;
		/* The balance on the as-of date, from every quarter. */
		if (aged(&f, as_of, AR_BASIS_SERVICE, &kind, &amount, &age) &&
		    kind != AR_KIND_DENIED && (kind == AR_KIND_PATIENT || f.priced)) {
			balance += amount;
			if (ar_bucket(age) >= 3)
				over_90 += amount;
		}
		if (f.has_charge && as_of - f.dos < 90)
			charges_90 += f.charge;
		/* The rates, from the lines of service of the quarter. */
		if (value_quarter(f.dos) != quarter)
			continue;
		enum ar_state st = ar_state_on(&f, as_of);
		if (st == AR_NOT_YET)
			continue;
		billed++;
		clean += f.clean;
		if (f.has_charge)
			gross_den += f.charge;
		if (st == AR_OPEN)
			continue;
		adjudicated++;
		denied += st == AR_DENIED;
		if (f.has_charge) {
			received += f.paid + f.patient_paid;
			net_den += f.charge - f.contractual;
		}
		if (st == AR_PAID && f.adjudicated != AR_NONE) {
			from_dos[nd++] = f.adjudicated - f.dos;
			if (f.billed_given)
				from_billed[nb++] = f.adjudicated - f.billed;
		}
	}
	struct kpi_value *v = out->v;
	v[KPI_DAYS_IN_AR].num = balance;
	v[KPI_DAYS_IN_AR].den = charges_90;
	v[KPI_DAYS_IN_AR].defined = charges_90 > 0;
	v[KPI_DAYS_IN_AR].value = charges_90 > 0
		? (double)balance / ((double)charges_90 / 90.0) : NAN;
	ratio(&v[KPI_NET_COLLECTION], received, net_den);
	ratio(&v[KPI_GROSS_COLLECTION], received, gross_den);
	/* The attendance file gives a line one adjudication, so each denial
	 * is its first; an 835 history can tell a later one apart. */
	ratio(&v[KPI_FIRST_PASS_DENIAL], denied, adjudicated);
	ratio(&v[KPI_CLEAN_CLAIM], clean, billed);
	ratio(&v[KPI_AR_OVER_90], over_90, balance);
	v[KPI_MEDIAN_DAYS_TO_PAY].den = (int64_t)nd;
	v[KPI_MEDIAN_DAYS_TO_PAY].value = median_days(from_dos, nd);
	v[KPI_MEDIAN_DAYS_TO_PAY].defined = nd > 0;
	v[KPI_MEDIAN_BILLED_TO_PAY].den = (int64_t)nb;
	v[KPI_MEDIAN_BILLED_TO_PAY].value = median_days(from_billed, nb);
	v[KPI_MEDIAN_BILLED_TO_PAY].defined = nb > 0;
	free(from_dos);
	free(from_billed);
	return 0;
}

/* ---- scorecard ---------------------------------------------------------------- */

/* Payment delays of one scorecard row, gathered before its median. */
struct delays {
	int32_t *v;
	size_t n, cap;
};

static int delay_push(struct delays *d, int32_t days)
{
	if (d->n == d->cap) {
		size_t cap = d->cap ? d->cap * 2 : 64;
		int32_t *v = realloc(d->v, cap * sizeof *v);
		if (!v)
			return -1;
		d->v = v;
		d->cap = cap;
	}
	d->v[d->n++] = days;
	return 0;
}

/* Mean paid per adjudicated line; a row with none ranks last. */
static double mean_paid(const struct ar_score *s)
{
	return s->adjudicated ? (double)s->paid / (double)s->adjudicated : -1.0;
}

/* The roster whose payer ids break ties (qsort has no context). */
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

/* Index of KEY in the sorted, distinct KEYS[0..N). */
static size_t key_index(const uint32_t *keys, size_t n, uint32_t key)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (keys[mid] < key)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The payer x billed code key of F: payer * 256 + add-on id (255 none). */
static uint32_t code_key(const struct ar_facts *f)
{
	return (uint32_t)f->payer * 256u + f->addon;
}

/* Whether line I of L counts in the scorecard, with its facts in F. */
static bool scored(const struct ledger *l, const struct scope *s, int32_t as_of,
		   size_t i, struct ar_facts *f, enum ar_state *st)
{
	const struct roster *r = l->roster;

	ar_line_facts(l, i, f);
	if (!f->attended ||
	    !scope_has(s, roster_session(r, roster_line(r, i)->session)))
		return false;
	*st = ar_state_on(f, as_of);
	return *st != AR_NOT_YET;
}

int ar_scorecard(const struct ledger *l, const struct scope *s, int32_t as_of,
		 struct arena *a, struct scorecard *out, struct gr_err *err)
{
	const struct roster *r = l->roster;
	size_t np = r->payers.count, nk = 0, nu = 0;
	/* A bit per possible payer x add-on key (at most 2 MB), not a key per
	 * line: a ten-million-line file costs no more than a small one. */
	uint8_t *seen = calloc(np * 256 / 8 + 1, 1);
	uint32_t *keys = NULL;
	struct ar_score *acc = NULL;
	struct delays *dl = NULL;
	struct ar_facts f;
	enum ar_state st;
	int rc = -1;

	memset(out, 0, sizeof *out);
	out->as_of = as_of;
	if (!seen)
		goto oom;
	/* The payer x code combinations present, in key order: rows [0, np)
	 * are the payers, np + k the k-th combination. */
	for (size_t i = 0; i < r->lines.len; i++)
		if (scored(l, s, as_of, i, &f, &st)) {
			uint32_t k = code_key(&f);
			if (!(seen[k / 8] & (1u << (k % 8)))) {
				seen[k / 8] |= (uint8_t)(1u << (k % 8));
				nu++;
			}
		}
	if (!(keys = malloc((nu + 1) * sizeof *keys)))
		goto oom;
	nu = 0;
	for (uint32_t k = 0; k < np * 256; k++)
		if (seen[k / 8] & (1u << (k % 8)))
			keys[nu++] = k;
	nk = np + nu;
	acc = calloc(nk + 1, sizeof *acc);
	dl = calloc(nk + 1, sizeof *dl);
	if (!acc || !dl)
		goto oom;
	for (size_t i = 0; i < r->lines.len; i++) {
		if (!scored(l, s, as_of, i, &f, &st))
			continue;
		size_t idx[2] = { f.payer, np + key_index(keys, nu, code_key(&f)) };
		for (int k = 0; k < 2; k++) {
			struct ar_score *x = &acc[idx[k]];
			x->lines++;
			if (!f.priced)
				continue;
			x->priced++;
			x->expected += f.expected;
			if (st == AR_OPEN)
				continue;
			x->adjudicated++;
			x->adj_expected += f.expected;
			x->paid += f.paid;
			x->patient_paid += f.patient_paid;
			if (st == AR_DENIED) {
				x->denied++;
				continue;
			}
			x->paid_lines++;
			x->patient_resp += f.patient_resp;
			x->allowed += f.paid + f.patient_resp;
			if (f.adjudicated != AR_NONE &&
			    delay_push(&dl[idx[k]], f.adjudicated - f.dos) != 0)
				goto oom;
		}
	}
	out->rows = arena_alloc(a, (nk + 1) * sizeof *out->rows);
	if (!out->rows)
		goto oom;
	for (size_t k = 0; k < nk; k++) {
		struct ar_score *x = &acc[k];
		if (!x->lines)
			continue;
		x->by_code = k >= np;
		x->payer = (uint32_t)(k < np ? k : keys[k - np] / 256);
		x->addon = (uint8_t)(k < np ? NO_ID8 : keys[k - np] % 256);
		if (stats_wilson(x->denied, x->adjudicated, &x->denial_lo,
				 &x->denial_hi) != 0)
			x->denial_lo = x->denial_hi = NAN;
		x->timed = dl[k].n;
		x->median_days = median_days(dl[k].v, dl[k].n);
		out->rows[out->nrows++] = *x;
		if (!x->by_code)
			out->npayers++;
	}
	/* Payer rows come first (k < np), so each part is ranked alone. */
	qsort_r(out->rows, out->npayers, sizeof *out->rows, cmp_score, (void *)r);
	qsort_r(out->rows + out->npayers, out->nrows - out->npayers,
		sizeof *out->rows, cmp_score, (void *)r);
	for (size_t i = 0; i < out->nrows; i++)
		out->rows[i].rank = (uint32_t)(i < out->npayers ? i + 1
							       : i - out->npayers + 1);
	rc = 0;
	goto done;
oom:
	gr_fail(err, r->path, 0, "out of memory");
done:
	if (dl)
		for (size_t k = 0; k < nk; k++)
			free(dl[k].v);
	free(dl);
	free(acc);
	free(keys);
	free(seen);
	return rc;
}

/* ---- all of it ----------------------------------------------------------------- */

int ar_build(const struct ledger *l, const struct scope *s, int32_t as_of,
	     enum ar_basis basis, struct arena *a, struct ar_result *out,
	     struct gr_err *err)
{
	int32_t q = ar_focus_quarter(l->roster, s);

	memset(out, 0, sizeof *out);
	if (ar_aging(l, as_of, basis, a, &out->aging, err) != 0 ||
	    ar_kpis(l, q, as_of, &out->cur, err) != 0 ||
	    ar_kpis(l, q - 1, ar_previous_as_of(q, as_of), &out->prev, err) != 0)
		return -1;
	return ar_scorecard(l, s, as_of, a, &out->score, err);
}
