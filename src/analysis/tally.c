/* tally.c — sums by quarter x payer, group program and clinician.
 *
 * One pass over the lines adds each line to its three rows and to the
 * total, so the tables reconcile by construction: every table's money
 * columns sum to the same total, to the cent.
 */
#include "analysis/tally.h"

#include <stdlib.h>
#include <string.h>

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
		break;
	case STATUS_DENIED:
		t->adjudicated++;
		t->denied++;
		break;
	case STATUS_PENDING:
		t->pending++;
		break;
	default:
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

/* Keep rows that saw any line in scope, sorted by quarter then name. */
static struct tally_row *compact(struct tally_row *rows, uint32_t n,
				 const struct strpool *pool, uint32_t *out_n,
				 struct arena *a)
{
	uint32_t k = 0;
	struct tally_row *out = arena_alloc(a, (n ? n : 1) * sizeof *out);

	if (!out)
		return NULL;
	for (uint32_t i = 0; i < n; i++)
		if (rows[i].rows)
			out[k++] = rows[i];
	struct sort_ctx ctx = { pool };
	qsort_r(out, k, sizeof *out, cmp_by_name, &ctx);
	*out_n = k;
	return out;
}

int tally_build(struct tally *t, const struct ledger *l, const struct scope *s,
		struct arena *a, struct gr_err *err)
{
	const struct roster *r = l->roster;
	size_t nsess = r->sessions.len, nlines = r->lines.len;
	uint32_t ng = r->groups.count, nc = r->clinicians.count;
	struct tally_row *groups = calloc(ng ? ng : 1, sizeof *groups);
	struct tally_row *clins = calloc(nc ? nc : 1, sizeof *clins);
	uint16_t *minutes = calloc(nsess ? nsess : 1, sizeof *minutes);
	struct vec summary;
	struct qmap m = { 0 };
	int rc = -1;

	memset(t, 0, sizeof *t);
	vec_init(&summary, sizeof(struct tally_row));
	m.nslots = 64;
	while (m.nslots < 4 * (size_t)r->payers.count + 64)
		m.nslots *= 2;
	m.keys = calloc(m.nslots, sizeof *m.keys);
	m.rows = calloc(m.nslots, sizeof *m.rows);
	if (!groups || !clins || !minutes || !m.keys || !m.rows) {
		gr_fail(err, r->path, 0, "out of memory");
		goto out;
	}
	for (uint32_t i = 0; i < ng; i++)
		groups[i].key = i;
	for (uint32_t i = 0; i < nc; i++)
		clins[i].key = i;

	for (size_t i = 0; i < nlines; i++) {
		const struct line *ln = roster_line(r, i);
		const struct session *ss = roster_session(r, ln->session);
		if (!scope_has(s, ss))
			continue;
		if (!minutes[ln->session] && ln->minutes)
			minutes[ln->session] = ln->minutes;
		int32_t q = value_quarter(ss->date);
		uint64_t key = qkey(q, ln->payer);
		size_t slot = qslot(&m, key);
		if (!m.keys[slot]) {
			struct tally_row *row = vec_push(&summary);
			if (!row) {
				gr_fail(err, r->path, 0, "out of memory");
				goto out;
			}
			row->quarter = q;
			row->key = ln->payer;
			m.keys[slot] = key;
			m.rows[slot] = (uint32_t)(summary.len - 1);
			if (++m.used * 2 > m.nslots) {
				/* Grow: rehash every key into a table twice the size. */
				struct qmap g = { 0 };
				g.nslots = m.nslots * 2;
				g.keys = calloc(g.nslots, sizeof *g.keys);
				g.rows = calloc(g.nslots, sizeof *g.rows);
				if (!g.keys || !g.rows) {
					free(g.keys);
					free(g.rows);
					gr_fail(err, r->path, 0, "out of memory");
					goto out;
				}
				for (size_t j = 0; j < m.nslots; j++)
					if (m.keys[j]) {
						size_t gs = qslot(&g, m.keys[j]);
						g.keys[gs] = m.keys[j];
						g.rows[gs] = m.rows[j];
					}
				g.used = m.used;
				free(m.keys);
				free(m.rows);
				m = g;
				slot = qslot(&m, key);
			}
		}
		struct line_price pr;
		ledger_price(l, ln, &pr);
		add_line(&VEC_AT(&summary, struct tally_row, m.rows[slot]), ln, &pr);
		add_line(&groups[ss->group], ln, &pr);
		add_line(&clins[ss->clinician], ln, &pr);
		add_line(&t->total, ln, &pr);
	}
	for (size_t i = 0; i < nsess; i++) {
		const struct session *ss = roster_session(r, i);
		if (!scope_has(s, ss))
			continue;
		add_session(&groups[ss->group], minutes[i]);
		add_session(&clins[ss->clinician], minutes[i]);
		add_session(&t->total, minutes[i]);
	}
	if (!(t->summary = compact(summary.data, (uint32_t)summary.len, &r->payers,
				   &t->nsummary, a)) ||
	    !(t->groups = compact(groups, ng, &r->groups, &t->ngroups, a)) ||
	    !(t->clinicians = compact(clins, nc, &r->clinicians, &t->nclinicians, a))) {
		gr_fail(err, r->path, 0, "out of memory");
		goto out;
	}
	rc = 0;
out:
	free(groups);
	free(clins);
	free(minutes);
	free(m.keys);
	free(m.rows);
	vec_free(&summary);
	return rc;
}
