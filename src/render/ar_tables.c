/* ar_tables.c — aging.csv, kpi.csv and scorecard.csv through csvout. */
#include "render/ar_tables.h"

#include <math.h>
#include <stdio.h>

#include "io/csvout.h"
#include "render/tables.h"
#include "core/value.h"

static int open_in(struct csvw *w, const char *dir, const char *name,
		   struct gr_err *err)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return csvw_open(w, path, err);
}

static void date_cell(struct csvw *w, int32_t days)
{
	char d[16];

	value_format_date(days, d);
	csvw_str(w, d);
}

int ar_write_aging(const char *dir, const struct aging *ag,
		   const struct roster *r, struct gr_err *err)
{
	static const char *const kinds[] = { "payer", "patient", "denied_open" };
	struct csvw w;

	if (open_in(&w, dir, "aging.csv", err))
		return -1;
	csvw_header(&w, "kind,payer_id,basis,as_of,0-30,31-60,61-90,91-120,121+,"
			"total,lines,unpriced");
	for (size_t i = 0; i < ag->nrows; i++) {
		const struct ar_row *x = &ag->rows[i];
		csvw_str(&w, kinds[x->kind]);
		if (x->kind == AR_KIND_PATIENT)
			csvw_empty(&w);
		else
			csvw_str(&w, strpool_str(&r->payers, x->payer));
		csvw_str(&w, ag->basis == AR_BASIS_BILLED ? "billed" : "service");
		date_cell(&w, ag->as_of);
		for (int b = 0; b < AR_BUCKETS; b++)
			csvw_cents(&w, x->bucket[b]);
		csvw_cents(&w, x->total);
		csvw_int(&w, (int64_t)x->lines);
		csvw_int(&w, (int64_t)x->unpriced);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}

static void kpi_value_cell(struct csvw *w, const struct kpi_def *d,
			   const struct kpi_value *v)
{
	if (!v->defined)
		csvw_empty(w);
	else if (d->kind == KPI_DAYS_AR || d->kind == KPI_MEDIAN)
		csvw_fixed(w, v->value, 1);
	else
		csvw_fixed(w, v->value, 4);
}

int ar_write_kpi(const char *dir, const struct kpi_set *cur,
		 const struct kpi_set *prev, struct gr_err *err)
{
	struct csvw w;
	char q[16];

	if (open_in(&w, dir, "kpi.csv", err))
		return -1;
	csvw_header(&w, "kpi,value,numerator,denominator,formula,quarter,as_of,"
			"previous_value,previous_as_of");
	value_format_quarter(cur->quarter, q);
	for (int k = 0; k < KPI_COUNT; k++) {
		const struct kpi_def *d = &kpi_defs[k];
		const struct kpi_value *v = &cur->v[k];
		csvw_str(&w, d->name);
		kpi_value_cell(&w, d, v);
		switch (d->kind) {
		case KPI_COUNT_RATIO:
			csvw_int(&w, v->num);
			csvw_int(&w, v->den);
			break;
		case KPI_MEDIAN:
			csvw_empty(&w);
			csvw_int(&w, v->den);
			break;
		default:
			csvw_cents(&w, v->num);
			csvw_cents(&w, v->den);
		}
		csvw_str(&w, d->formula);
		/* No line at all: no quarter, and none before it. */
		csvw_str(&w, cur->no_lines ? "" : q);
		date_cell(&w, cur->as_of);
		kpi_value_cell(&w, d, &prev->v[k]);
		if (cur->no_lines)
			csvw_empty(&w);
		else
			date_cell(&w, prev->as_of);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}

void ar_code_label(const struct roster *r, const struct ar_score *s, char *buf,
		   size_t size)
{
	if (!s->by_code)
		snprintf(buf, size, "%s", "");
	else if (s->addon == NO_ID8)
		snprintf(buf, size, "90853");
	else
		snprintf(buf, size, "90853+%s", strpool_str(&r->addons, s->addon));
}

static void share_cell(struct csvw *w, int64_t num, int64_t den)
{
	if (den > 0)
		csvw_fixed(w, (double)num / (double)den, 4);
	else
		csvw_empty(w);
}

static void mean_cell(struct csvw *w, int64_t cents, uint64_t n)
{
	if (n)
		csvw_cents(w, tables_div_round(cents, (int64_t)n));
	else
		csvw_empty(w);
}

int ar_write_scorecard(const char *dir, const struct scorecard *sc,
		       const struct roster *r, struct gr_err *err)
{
	struct csvw w;
	char code[300];

	if (open_in(&w, dir, "scorecard.csv", err))
		return -1;
	csvw_header(&w, "kind,rank,payer_id,code,lines,priced,adjudicated,denied,"
			"mean_expected,mean_allowed,mean_paid,patient_share,"
			"denial_rate,denial_lo,denial_hi,median_days_to_pay,"
			"share_received,as_of");
	for (size_t i = 0; i < sc->nrows; i++) {
		const struct ar_score *x = &sc->rows[i];
		csvw_str(&w, x->by_code ? "payer_code" : "payer");
		csvw_int(&w, x->rank);
		csvw_str(&w, strpool_str(&r->payers, x->payer));
		ar_code_label(r, x, code, sizeof code);
		csvw_str(&w, code);
		csvw_int(&w, (int64_t)x->lines);
		csvw_int(&w, (int64_t)x->priced);
		csvw_int(&w, (int64_t)x->adjudicated);
		csvw_int(&w, (int64_t)x->denied);
		mean_cell(&w, x->expected, x->priced);
		mean_cell(&w, x->allowed, x->adjudicated);
		mean_cell(&w, x->paid, x->adjudicated);
		share_cell(&w, x->patient_resp, x->allowed);
		share_cell(&w, (int64_t)x->denied, (int64_t)x->adjudicated);
		csvw_fixed(&w, x->denial_lo, 4);
		csvw_fixed(&w, x->denial_hi, 4);
		csvw_fixed(&w, x->median_days, 1);
		share_cell(&w, x->paid + x->patient_paid, x->adj_expected);
		date_cell(&w, sc->as_of);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}
