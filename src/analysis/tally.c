/* tally.c — the aggregation layer (tally.h).
 *
 * One pass over the lines prices each line once and adds it to its rows
 * (quarter x payer, payer, group, clinician, reason code, rules, quarter,
 * month) and to the total, so the tables reconcile by construction: every
 * table's money columns sum to the same total, to the cent.
 */
#include "analysis/tally.h"

#include <stdlib.h>
#include <string.h>

#include "core/par.h"

/* Open-addressing map from (quarter, payer) to a summary row. */
struct qmap {
	uint64_t *keys; /* key + 1; 0 = empty */
	uint32_t *rows;
	size_t nslots;
	size_t used;
};

static uint64_t qkey(int32_t quarter, uint32_t payer)
{
	return ((uint64_t)(uint32_t)quarter << 32 | payer) + 1;
}

static size_t qslot(const struct qmap *m, uint64_t key)
{
	size_t mask = m->nslots - 1;
	size_t i = (size_t)((key * 0x9e3779b97f4a7c15ULL) >> 20) & mask;

	while (m->keys[i] && m->keys[i] != key)
		i = (i + 1) & mask;
	return i;
}

static void add_line(struct tally_row *t, const struct line *ln,
		     const struct line_price *pr)
{
	t->rows++;
	if (!(ln->flags & LINE_ATTENDED))
		return;
	t->lines++;
	if (ln->flags & LINE_PRICED) {
		t->priced++;
		t->expected += pr->expected;
		t->low += pr->low;
		t->high += pr->high;
		if (ln->issues)
			t->at_risk += pr->expected;
	} else {
		t->unpriced++;
	}
	if (ln->issues)
		t->flagged++;
	if (ln->flags & LINE_HAS_PAID)
		t->paid += ln->paid;
	switch (ln->status) {
	case STATUS_PAID:
		t->adjudicated++;
		t->paid_lines++;
		t->by_state[TALLY_PAID] += pr->expected;
		break;
	case STATUS_DENIED:
		t->adjudicated++;
		t->denied++;
		t->by_state[TALLY_DENIED] += pr->expected;
		break;
	case STATUS_PENDING:
		t->pending++;
		t->by_state[TALLY_PENDING] += pr->expected;
		break;
	default:
		t->by_state[TALLY_UNBILLED] += pr->expected;
		break;
	}
}

static void add_session(struct tally_row *t, uint32_t minutes)
{
	t->sessions++;
	if (minutes) {
		t->minutes += minutes;
		t->minute_sessions++;
	}
}

struct sort_ctx {
	const struct strpool *pool;
};

static int cmp_by_name(const void *a, const void *b, void *vctx)
{
	const struct strpool *pool = ((const struct sort_ctx *)vctx)->pool;
	const struct tally_row *x = a, *y = b;

	if (x->quarter != y->quarter)
		return x->quarter < y->quarter ? -1 : 1;
	return strcmp(strpool_str(pool, x->key), strpool_str(pool, y->key));
}

/* Keep rows that saw any line in scope, in id order. */
static struct tally_row *keep_seen(const struct tally_row *rows, uint32_t n,
				   uint32_t *out_n, struct arena *a)
{
	uint32_t k = 0;
	struct tally_row *out = arena_alloc(a, (n ? n : 1) * sizeof *out);

	if (!out)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		if (rows[i].rows)
			out[k++] = rows[i];
	*out_n = k;
	return out;
}

/* Keep rows that saw any line in scope, sorted by quarter then name. */
static struct tally_row *compact(struct tally_row *rows, uint32_t n,
				 const struct strpool *pool, uint32_t *out_n,
				 struct arena *a)
{
	struct tally_row *out = keep_seen(rows, n, out_n, a);
	struct sort_ctx ctx = { pool };

	if (out)
		qsort_r(out, *out_n, sizeof *out, cmp_by_name, &ctx);
	return out;
}

static int cmp_code(const void *a, const void *b)
{
	const struct tally_code *x = a, *y = b;

	if (x->lines != y->lines)
		return x->lines > y->lines ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Denied lines by code (COUNT codes, the last slot for "no code") into
 * t->carcs, most lines first. */
static int keep_codes(struct tally *t, const struct tally_code *codes, uint32_t count,
		      const struct strpool *names, struct arena *a)
{
	t->carcs = arena_alloc(a, (count + 1) * sizeof *t->carcs);
	if (!t->carcs)
		return -1;
	for (uint32_t i = 0; i <= count; i++) {
		if (!codes[i].lines)
			continue;
		struct tally_code *c = &t->carcs[t->ncarcs++];
		*c = codes[i];
		c->carc = i < count ? i : NO_ID16;
		c->name = i < count ? strpool_str(names, i) : "(no code given)";
	}
	qsort(t->carcs, t->ncarcs, sizeof *t->carcs, cmp_code);
	return 0;
}

static int32_t month_key(int32_t date)
{
	int y;
	unsigned m, d;

	value_civil_from_days(date, &y, &m, &d);
	return y * 12 + (int32_t)m - 1;
}

/* Quarters with sessions, and every month from the first to the last:
 * QROWS and MONTHS cover [Q0, ...] and [M0, ...] contiguously. */
static int keep_periods(struct tally *t, const struct tally_row *qrows, uint32_t nq,
			int32_t q0, struct tally_month *months, uint32_t nm,
			struct arena *a)
{
	t->quarters = arena_alloc(a, (nq ? nq : 1) * sizeof *t->quarters);
	t->months = arena_alloc(a, (nm ? nm : 1) * sizeof *t->months);
	if (!t->quarters || !t->months)
		return -1;
	for (uint32_t i = 0; i < nq; i++)
		if (qrows[i].sessions) {
			t->quarters[t->nquarters] = qrows[i];
			t->quarters[t->nquarters++].quarter = q0 + (int32_t)i;
		}
	memcpy(t->months, months, nm * sizeof *months);
	t->nmonths = nm;
	return 0;
}

const struct tally_row *tally_quarter(const struct tally *t, int32_t q)
{
	for (uint32_t i = 0; i < t->nquarters; i++)
		if (t->quarters[i].quarter == q)
			return &t->quarters[i];
	return NULL;
}

/* The summary row of (Q, PAYER) in M and SUMMARY, added when new; NULL
 * when memory ran out. */
static struct tally_row *summary_row(struct qmap *m, struct vec *summary, int32_t q,
				     uint32_t payer)
{
	uint64_t key = qkey(q, payer);
	size_t slot = qslot(m, key);

	if (m->keys[slot])
		return &VEC_AT(summary, struct tally_row, m->rows[slot]);
	struct tally_row *row = vec_push(summary);
	if (!row)
		return NULL;
	row->quarter = q;
	row->key = payer;
	m->keys[slot] = key;
	m->rows[slot] = (uint32_t)(summary->len - 1);
	if (++m->used * 2 > m->nslots) {
		/* Grow: rehash every key into a table twice the size. */
		struct qmap g = { 0 };
		g.nslots = m->nslots * 2;
		g.keys = calloc(g.nslots, sizeof *g.keys);
		g.rows = calloc(g.nslots, sizeof *g.rows);
		if (!g.keys || !g.rows) {
			free(g.keys);
			free(g.rows);
			return NULL;
		}
		for (size_t j = 0; j < m->nslots; j++)
			if (m->keys[j]) {
				size_t gs = qslot(&g, m->keys[j]);
				g.keys[gs] = m->keys[j];
				g.rows[gs] = m->rows[j];
			}
		g.used = m->used;
		free(m->keys);
		free(m->rows);
		*m = g;
	}
	return &VEC_AT(summary, struct tally_row, summary->len - 1);
}

/* The sums of one range of lines (tally_build cuts the lines into one
 * range per thread and adds the ranges' sums in order: every sum is an
 * integer, so the result is the same for any number of ranges). */
struct tally_part {
	struct tally_row *qrows;    /* NQ, every line whatever the scope */
	struct tally_month *months; /* NM */
	struct tally_row *groups, *clins, *payers;
	struct tally_code *codes;   /* NCODES + 1, the last for "no code" */
	struct tally_rule rules[RULE_COUNT];
	struct tally_row total;
	struct vec summary;         /* struct tally_row */
	struct qmap m;
};

struct tally_job {
	const struct ledger *l;
	const struct scope *s;
	int32_t q0, m0;
	uint32_t nq, nm, ng, nc, np, ncodes;
	struct tally_part *parts;
};

static void part_free(struct tally_part *p)
{
	free(p->qrows);
	free(p->months);
	free(p->groups);
	free(p->clins);
	free(p->payers);
	free(p->codes);
	free(p->m.keys);
	free(p->m.rows);
	vec_free(&p->summary);
}

static int part_init(struct tally_part *p, const struct tally_job *j)
{
	memset(p, 0, sizeof *p);
	vec_init(&p->summary, sizeof(struct tally_row));
	p->m.nslots = 64;
	while (p->m.nslots < 4 * (size_t)j->np + 64)
		p->m.nslots *= 2;
	p->m.keys = calloc(p->m.nslots, sizeof *p->m.keys);
	p->m.rows = calloc(p->m.nslots, sizeof *p->m.rows);
	p->qrows = calloc(j->nq ? j->nq : 1, sizeof *p->qrows);
	p->months = calloc(j->nm ? j->nm : 1, sizeof *p->months);
	p->groups = calloc(j->ng ? j->ng : 1, sizeof *p->groups);
	p->clins = calloc(j->nc ? j->nc : 1, sizeof *p->clins);
	p->payers = calloc(j->np ? j->np : 1, sizeof *p->payers);
	p->codes = calloc(j->ncodes + 1, sizeof *p->codes);
	return p->m.keys && p->m.rows && p->qrows && p->months && p->groups &&
	       p->clins && p->payers && p->codes ? 0 : -1;
}

static int tally_range(void *ctx, size_t from, size_t to, unsigned part)
{
	const struct tally_job *j = ctx;
	const struct roster *r = j->l->roster;
	struct tally_part *p = &j->parts[part];

	if (part_init(p, j) != 0)
		return -1;
	/* The quarter and month of the session before: a session's lines
	 * are usually together, and the two calendar conversions a line were
	 * a third of the pass. */
	uint32_t shown = UINT32_MAX;
	int32_t q = 0;
	struct tally_month *mo = NULL;
	for (size_t i = from; i < to; i++) {
		const struct line *ln = roster_line(r, i);
		const struct session *ss = roster_session(r, ln->session);
		if (ln->session != shown) {
			q = value_quarter(ss->date);
			mo = &p->months[month_key(ss->date) - j->m0];
			shown = ln->session;
		}
		struct line_price pr;
		ledger_price(j->l, ln, &pr);
		add_line(&p->qrows[q - j->q0], ln, &pr);
		if (ln->flags & LINE_ATTENDED) {
			mo->expected += pr.expected;
			if (ln->flags & LINE_HAS_PAID)
				mo->paid += ln->paid;
		}
		if (!scope_has(j->s, ss))
			continue;
		struct tally_row *row = summary_row(&p->m, &p->summary, q, ln->payer);
		if (!row)
			return -1;
		add_line(row, ln, &pr);
		add_line(&p->groups[ss->group], ln, &pr);
		add_line(&p->clins[ss->clinician], ln, &pr);
		add_line(&p->payers[ln->payer], ln, &pr);
		add_line(&p->total, ln, &pr);
		if (!(ln->flags & LINE_ATTENDED))
			continue;
		if (ln->status == STATUS_DENIED) {
			struct tally_code *c = &p->codes[ln->carc == NO_ID16 ? j->ncodes : ln->carc];
			c->lines++;
			c->expected += pr.expected;
		}
		for (uint32_t rest = ln->issues & ((1u << RULE_COUNT) - 1); rest;
		     rest &= rest - 1) {
			int k = __builtin_ctz(rest);
			p->rules[k].lines++;
			p->rules[k].at_risk += pr.expected;
		}
	}
	return 0;
}

/* Every sum of SRC into DST; their quarter and key stay DST's. */
static void row_add(struct tally_row *dst, const struct tally_row *src)
{
	_Static_assert(sizeof(struct tally_row) == 8 + 23 * 8,
		       "a new field of struct tally_row is added here too");
	dst->rows += src->rows;
	dst->lines += src->lines;
	dst->sessions += src->sessions;
	dst->priced += src->priced;
	dst->unpriced += src->unpriced;
	dst->flagged += src->flagged;
	dst->adjudicated += src->adjudicated;
	dst->denied += src->denied;
	dst->paid_lines += src->paid_lines;
	dst->pending += src->pending;
	dst->expected += src->expected;
	dst->low += src->low;
	dst->high += src->high;
	dst->paid += src->paid;
	dst->at_risk += src->at_risk;
	dst->minutes += src->minutes;
	dst->minute_sessions += src->minute_sessions;
	for (int k = 0; k < TALLY_STATES; k++)
		dst->by_state[k] += src->by_state[k];
	dst->patient_resp += src->patient_resp;
	dst->contractual += src->contractual;
}

int tally_build(struct tally *t, const struct ledger *l, const struct scope *s,
		struct arena *a, struct gr_err *err)
{
	return tally_build_threads(t, l, s, 1, a, err);
}

int tally_build_threads(struct tally *t, const struct ledger *l, const struct scope *s,
			unsigned threads, struct arena *a, struct gr_err *err)
{
	const struct roster *r = l->roster;
	size_t nsess = r->sessions.len, nlines = r->lines.len;
	uint32_t ng = r->groups.count, nc = r->clinicians.count, np = r->payers.count;
	uint32_t ncodes = r->carcs.count;
	struct tally_row *groups = calloc(ng ? ng : 1, sizeof *groups);
	struct tally_row *clins = calloc(nc ? nc : 1, sizeof *clins);
	struct tally_row *payers = calloc(np ? np : 1, sizeof *payers);
	struct tally_code *codes = calloc(ncodes + 1, sizeof *codes);
	uint16_t *minutes = calloc(nsess ? nsess : 1, sizeof *minutes);
	struct tally_row *qrows = NULL;
	struct tally_month *months = NULL;
	uint32_t nq = 0, nm = 0;
	int32_t q0 = 0, m0 = 0;
	struct vec summary;
	struct qmap m = { 0 };
	struct tally_part *parts = NULL;
	int rc = -1;

	if (threads < 1)
		threads = 1;
	memset(t, 0, sizeof *t);
	vec_init(&summary, sizeof(struct tally_row));
	m.nslots = 64;
	while (m.nslots < 4 * (size_t)r->payers.count + 64)
		m.nslots *= 2;
	m.keys = calloc(m.nslots, sizeof *m.keys);
	m.rows = calloc(m.nslots, sizeof *m.rows);
	parts = calloc(threads, sizeof *parts);
	if (!groups || !clins || !payers || !codes || !minutes || !m.keys || !m.rows ||
	    !parts) {
		gr_fail(err, r->path, 0, "out of memory");
		goto out;
	}
	for (unsigned k = 0; k < threads; k++)
		vec_init(&parts[k].summary, sizeof(struct tally_row));
	for (uint32_t i = 0; i < ng; i++)
		groups[i].key = i;
	for (uint32_t i = 0; i < nc; i++)
		clins[i].key = i;
	for (uint32_t i = 0; i < np; i++)
		payers[i].key = i;
	/* The quarters and months the file spans, whatever the scope. */
	if (nsess) {
		int32_t dmin = INT32_MAX, dmax = INT32_MIN;
		for (size_t i = 0; i < nsess; i++) {
			int32_t d = roster_session(r, i)->date;
			dmin = d < dmin ? d : dmin;
			dmax = d > dmax ? d : dmax;
		}
		q0 = value_quarter(dmin);
		nq = (uint32_t)(value_quarter(dmax) - q0 + 1);
		m0 = month_key(dmin);
		nm = (uint32_t)(month_key(dmax) - m0 + 1);
	}
	qrows = calloc(nq ? nq : 1, sizeof *qrows);
	months = calloc(nm ? nm : 1, sizeof *months);
	if (!qrows || !months) {
		gr_fail(err, r->path, 0, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < nm; i++)
		months[i].month = m0 + (int32_t)i;

	/* A session's minutes: the first line in file order that gives them. */
	for (size_t i = 0; i < nlines; i++) {
		const struct line *ln = roster_line(r, i);
		if (!minutes[ln->session] && ln->minutes)
			minutes[ln->session] = ln->minutes;
	}
	struct tally_job job = { l, s, q0, m0, nq, nm, ng, nc, np, ncodes, parts };
	/* Ranges of at least a thousand lines: a range costs its own rows
	 * and a thread start, nothing else (and the demo's file is cut too,
	 * so the unit test sees several ranges). */
	if (par_for(threads, nlines, 1024, tally_range, &job) != 0) {
		gr_fail(err, r->path, 0, "out of memory");
		goto out;
	}
	/* The ranges' sums, in order (a range par_for did not start has
	 * none: its arrays are NULL). */
	for (unsigned k = 0; k < threads; k++) {
		const struct tally_part *p = &parts[k];
		if (!p->qrows)
			continue;
		for (uint32_t i = 0; i < nq; i++)
			row_add(&qrows[i], &p->qrows[i]);
		for (uint32_t i = 0; i < nm; i++) {
			months[i].expected += p->months[i].expected;
			months[i].paid += p->months[i].paid;
		}
		for (uint32_t i = 0; i < ng; i++)
			row_add(&groups[i], &p->groups[i]);
		for (uint32_t i = 0; i < nc; i++)
			row_add(&clins[i], &p->clins[i]);
		for (uint32_t i = 0; i < np; i++)
			row_add(&payers[i], &p->payers[i]);
		for (uint32_t i = 0; i <= ncodes; i++) {
			codes[i].lines += p->codes[i].lines;
			codes[i].expected += p->codes[i].expected;
		}
		for (int i = 0; i < RULE_COUNT; i++) {
			t->rules[i].lines += p->rules[i].lines;
			t->rules[i].at_risk += p->rules[i].at_risk;
		}
		row_add(&t->total, &p->total);
		for (size_t i = 0; i < p->summary.len; i++) {
			const struct tally_row *x = &VEC_AT(&p->summary, struct tally_row, i);
			struct tally_row *row = summary_row(&m, &summary, x->quarter, x->key);
			if (!row) {
				gr_fail(err, r->path, 0, "out of memory");
				goto out;
			}
			row_add(row, x);
		}
	}
	for (size_t i = 0; i < nsess; i++) {
		const struct session *ss = roster_session(r, i);
		add_session(&qrows[value_quarter(ss->date) - q0], minutes[i]);
		if (!scope_has(s, ss))
			continue;
		add_session(&groups[ss->group], minutes[i]);
		add_session(&clins[ss->clinician], minutes[i]);
		add_session(&t->total, minutes[i]);
	}
	if (!(t->summary = compact(summary.data, (uint32_t)summary.len, &r->payers,
				   &t->nsummary, a)) ||
	    !(t->groups = compact(groups, ng, &r->groups, &t->ngroups, a)) ||
	    !(t->clinicians = compact(clins, nc, &r->clinicians, &t->nclinicians, a)) ||
	    !(t->payers = keep_seen(payers, np, &t->npayers, a)) ||
	    keep_codes(t, codes, ncodes, &r->carcs, a) != 0 ||
	    keep_periods(t, qrows, nq, q0, months, nm, a) != 0) {
		gr_fail(err, r->path, 0, "out of memory");
		goto out;
	}
	rc = 0;
out:
	if (parts)
		for (unsigned k = 0; k < threads; k++)
			part_free(&parts[k]);
	free(parts);
	free(groups);
	free(clins);
	free(payers);
	free(codes);
	free(qrows);
	free(months);
	free(minutes);
	free(m.keys);
	free(m.rows);
	vec_free(&summary);
	return rc;
}
