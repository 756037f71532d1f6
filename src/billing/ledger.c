/* ledger.c — price every attended line and run the payer rules on it. */
#include "billing/ledger.h"

#include <stdlib.h>
#include <string.h>

#include "core/par.h"
#include "core/value.h"

static const char CODE_90853[] = "90853";

/* Sort key for the weekly and daily counts: a member's lines with one
 * payer in date order, ties in file order (inputs.md: "flags the lines
 * after the first N in date order"). */
struct rank_key {
	uint32_t member;
	uint32_t payer;
	int32_t date;
	int32_t week; /* ISO week key, computed once per line */
	uint32_t src_line;
	uint32_t idx;
};

static int cmp_rank(const void *a, const void *b)
{
	const struct rank_key *x = a, *y = b;

	if (x->member != y->member)
		return x->member < y->member ? -1 : 1;
	if (x->payer != y->payer)
		return x->payer < y->payer ? -1 : 1;
	if (x->date != y->date)
		return x->date < y->date ? -1 : 1;
	return x->src_line < y->src_line ? -1 : x->src_line > y->src_line;
}

/* Sort one member's keys (already in file order) by payer, date, line:
 * insertion sort, as a member has tens of lines a year; qsort for the
 * rare long list. */
static void sort_member(struct rank_key *k, size_t n)
{
	size_t i = 1;

	/* Files are usually in date order: then there is nothing to do. */
	while (i < n && cmp_rank(&k[i - 1], &k[i]) <= 0)
		i++;
	if (i >= n)
		return;
	if (n > 64) {
		qsort(k, n, sizeof *k, cmp_rank);
		return;
	}
	for (i = 1; i < n; i++) {
		struct rank_key x = k[i];
		size_t j = i;
		while (j > 0 && cmp_rank(&k[j - 1], &x) > 0) {
			k[j] = k[j - 1];
			j--;
		}
		k[j] = x;
	}
}

/* Week and day ranks.  Lines are grouped by member with a counting sort
 * (ids are dense; a comparison sort of every line was a third of the
 * time of pricing a million lines), and each member's lines are sorted
 * by payer, date and line.  Members are taken in batches of about a
 * quarter of a thread's share of the lines: a batch lists the indices of
 * its own lines only (found by reading every line once), so the lists
 * never hold more than about one byte per line in all — the list of
 * every line at once was 4 bytes a line at the peak of a ten-million-line
 * run.  Members are independent, so batches run on several threads. */
struct ranking {
	struct ledger *l;
	const uint32_t *count; /* attended lines per member */
	const uint32_t *batch; /* batch b is members [batch[b], batch[b + 1]) */
	size_t max_lines;      /* the most lines and members of any batch */
	size_t max_members;
	/* The ISO week of each day from DAY0 (NWEEK days), or NULL: a file
	 * spans a few hundred days, and the week of every line, computed
	 * from its date, was a quarter of the ranking. */
	const int32_t *week;
	int32_t day0;
	size_t nweek;
};

static int32_t week_of(const struct ranking *rk, int32_t date)
{
	size_t k = (size_t)((int64_t)date - rk->day0);

	return rk->week && k < rk->nweek ? rk->week[k] : value_iso_week(date);
}

/* Rank one member's LEN lines, whose indices are RUN, in file order. */
static int rank_member(const struct ranking *rk, const uint32_t *run, size_t len,
		       struct rank_key **keys, size_t *cap)
{
	const struct roster *r = rk->l->roster;

	if (len > *cap) {
		struct rank_key *nk = realloc(*keys, len * sizeof *nk);
		if (!nk)
			return -1;
		*keys = nk;
		*cap = len;
	}
	struct rank_key *k = *keys;
	for (size_t j = 0; j < len; j++) {
		const struct line *ln = roster_line(r, run[j]);
		int32_t date = roster_session(r, ln->session)->date;
		k[j] = (struct rank_key){ ln->member, ln->payer, date,
			week_of(rk, date), ln->src_line, run[j] };
	}
	sort_member(k, len);
	uint32_t week_rank = 0, day_rank = 0;
	for (size_t j = 0; j < len; j++) {
		const struct rank_key *p = j ? &k[j - 1] : NULL, *q = &k[j];
		bool same = p && p->payer == q->payer;
		week_rank = same && p->week == q->week ? week_rank + 1 : 1;
		day_rank = same && p->date == q->date ? day_rank + 1 : 1;
		struct line *ln = roster_line(r, q->idx);
		ln->week_rank = week_rank > UINT8_MAX ? UINT8_MAX : (uint8_t)week_rank;
		ln->day_rank = day_rank > UINT8_MAX ? UINT8_MAX : (uint8_t)day_rank;
	}
	return 0;
}

static int rank_batches(void *ctx, size_t from, size_t to, unsigned part)
{
	const struct ranking *rk = ctx;
	const struct roster *r = rk->l->roster;
	size_t n = r->lines.len, kcap = 0;
	uint32_t *order = malloc((rk->max_lines + 1) * sizeof *order);
	size_t *first = malloc((rk->max_members + 1) * sizeof *first);
	struct rank_key *keys = NULL;
	int rc = order && first ? 0 : -1;

	(void)part;
	for (size_t b = from; b < to && rc == 0; b++) {
		uint32_t m0 = rk->batch[b], m1 = rk->batch[b + 1];
		size_t nb = m1 - m0;
		for (size_t j = 0, at = 0; j < nb; j++) {
			first[j] = at;
			at += rk->count[m0 + j];
		}
		for (size_t i = 0; i < n; i++) {
			const struct line *ln = roster_line(r, i);
			if ((ln->flags & LINE_ATTENDED) && ln->member >= m0 && ln->member < m1)
				order[first[ln->member - m0]++] = (uint32_t)i;
		}
		/* first[j] now ends member m0 + j's run, which starts where
		 * the one before ends. */
		for (size_t j = 0; j < nb && rc == 0; j++) {
			size_t start = j ? first[j - 1] : 0;
			rc = rank_member(rk, order + start, first[j] - start, &keys, &kcap);
		}
	}
	free(keys);
	free(first);
	free(order);
	return rc;
}

static int compute_ranks(struct ledger *l, unsigned threads, struct gr_err *err)
{
	struct roster *r = l->roster;
	size_t n = r->lines.len, attended = 0;
	uint32_t nm = r->members.count;
	uint32_t *count = calloc((size_t)nm + 1, sizeof *count);
	uint32_t *batch = malloc(((size_t)nm + 2) * sizeof *batch);
	int rc = -1;

	if (!count || !batch)
		goto out;
	for (size_t i = 0; i < n; i++) {
		const struct line *ln = roster_line(r, i);
		if (ln->flags & LINE_ATTENDED) {
			count[ln->member]++;
			attended++;
		}
	}
	size_t want = attended / (4 * (size_t)(threads ? threads : 1)) + 1, nb = 0;
	if (want < 65536)
		want = 65536;
	struct ranking rk = { l, count, batch, 0, 0, NULL, 0, 0 };
	/* The weeks of the days the sessions span, when that is not absurdly
	 * long (a date mistyped by a century goes to value_iso_week). */
	int32_t dmin = INT32_MAX, dmax = INT32_MIN;
	for (size_t i = 0; i < r->sessions.len; i++) {
		int32_t d = roster_session(r, i)->date;
		dmin = d < dmin ? d : dmin;
		dmax = d > dmax ? d : dmax;
	}
	int32_t *week = NULL;
	if (r->sessions.len && (int64_t)dmax - dmin < 4 * 366 &&
	    (week = malloc(((size_t)(dmax - dmin) + 1) * sizeof *week))) {
		for (int32_t d = dmin; d <= dmax; d++)
			week[d - dmin] = value_iso_week(d);
		rk.week = week;
		rk.day0 = dmin;
		rk.nweek = (size_t)(dmax - dmin) + 1;
	}
	batch[0] = 0;
	for (uint32_t m = 0, lines = 0; m < nm; m++) {
		lines += count[m];
		if (lines >= want || m + 1 == nm) {
			batch[++nb] = m + 1;
			if (lines > rk.max_lines)
				rk.max_lines = lines;
			if (m + 1 - batch[nb - 1] > rk.max_members)
				rk.max_members = m + 1 - batch[nb - 1];
			lines = 0;
		}
	}
	rc = par_for(threads, nb, 1, rank_batches, &rk);
	free(week);
out:
	free(batch);
	free(count);
	return rc ? gr_fail(err, r->path, 0, "out of memory") : 0;
}

/* Index in the rate table of CODE's rate in force, or NO_ID16. */
static uint16_t find_rate(const struct ledger *l, uint32_t payer, const char *code,
			  enum rate_setting setting, int32_t date)
{
	const struct rate *rt = rates_lookup(l->rates, payer, code, setting, date);

	return rt ? (uint16_t)(rt - l->rates->rates) : NO_ID16;
}

/* find_rate's answers, kept by their question: a session's lines ask
 * the same few (payer, code, setting, day), and the lookup hashed the
 * code's text each time. */
struct rate_memo {
	uint64_t key; /* 0 = empty */
	uint16_t rate;
};
enum { RATE_MEMOS = 128 };

static uint16_t memo_rate(const struct ledger *l, struct rate_memo *memo, uint32_t pidx,
			  uint32_t addon, enum rate_setting setting, int32_t date)
{
	const struct roster *r = l->roster;
	const char *code = addon == NO_ID8 ? CODE_90853 : strpool_str(&r->addons, addon);

	if (pidx >= 1u << 20) /* more payers than the key holds: not kept */
		return find_rate(l, pidx, code, setting, date);
	/* Bits 0-8 the code (0 = 90853, else the add-on id + 1), 9-11 the
	 * setting, 12-31 the payer, 32-63 the day. */
	uint64_t key = (uint64_t)(uint32_t)date << 32 | (uint64_t)pidx << 12 |
		       (uint64_t)setting << 9 | (addon == NO_ID8 ? 0 : addon + 1);
	struct rate_memo *m = &memo[((key + 1) * 0x9e3779b97f4a7c15ULL) >> 57];

	if (m->key != key + 1) {
		m->rate = find_rate(l, pidx, code, setting, date);
		m->key = key + 1;
	}
	return m->rate;
}

/* Price and check lines [FROM, TO): each line is written by one range
 * only, and reads nothing another range writes. */
static int price_lines(void *ctx, size_t from, size_t to, unsigned part)
{
	const struct ledger *l = ctx;
	struct roster *r = l->roster;
	struct rate_memo memo[RATE_MEMOS];

	(void)part;
	memset(memo, 0, sizeof memo);
	for (size_t i = from; i < to; i++) {
		struct line *ln = roster_line(r, i);
		const struct session *s = roster_session(r, ln->session);
		int32_t pidx = l->payer_index[ln->payer];

		ln->issues = 0;
		ln->flags &= (uint8_t)~(LINE_PRICED | LINE_ADDON_UNPRICED);
		ln->rate = ln->addon_rate = NO_ID16;
		if (!(ln->flags & LINE_ATTENDED))
			continue;
		if (pidx >= 0) {
			enum rate_setting setting = rates_setting_for_pos(
				ln->pos == POS_NONE ? -1 : ln->pos);
			ln->rate = memo_rate(l, memo, (uint32_t)pidx, NO_ID8, setting, s->date);
			if (ln->rate != NO_ID16) {
				ln->flags |= LINE_PRICED;
				if (ln->addon != NO_ID8) {
					ln->addon_rate = memo_rate(l, memo, (uint32_t)pidx,
								   ln->addon, setting, s->date);
					if (ln->addon_rate == NO_ID16)
						ln->flags |= LINE_ADDON_UNPRICED;
				}
			}
		}
		struct rule_ctx c;
		ledger_rule_ctx(l, i, &c);
		ln->issues = rules_run(&c) & ~l->unchecked;
	}
	return 0;
}

static int32_t share_of(const struct ledger *l, const struct line *ln)
{
	uint32_t lic = ln->credential == NO_ID8 ? l->share_stride - 1 : ln->credential;

	return l->share[(uint32_t)l->payer_index[ln->payer] * l->share_stride + lic];
}

void ledger_price(const struct ledger *l, const struct line *ln,
		  struct line_price *p)
{
	p->expected = p->low = p->high = 0;
	if (!(ln->flags & LINE_PRICED))
		return;
	int32_t sh = share_of(l, ln);
	const struct rate *rt = &l->rates->rates[ln->rate];
	p->expected = value_apply_share(rt->expected, sh);
	p->low = value_apply_share(rt->low, sh);
	p->high = value_apply_share(rt->high, sh);
	if (ln->addon_rate != NO_ID16) {
		rt = &l->rates->rates[ln->addon_rate];
		p->expected += value_apply_share(rt->expected, sh);
		p->low += value_apply_share(rt->low, sh);
		p->high += value_apply_share(rt->high, sh);
	}
}

/* ledger_price's expected alone: the receivables ask it of every line,
 * and the low and high ends were two thirds of the work. */
int64_t ledger_expected(const struct ledger *l, const struct line *ln)
{
	if (!(ln->flags & LINE_PRICED))
		return 0;
	int32_t sh = share_of(l, ln);
	int64_t e = value_apply_share(l->rates->rates[ln->rate].expected, sh);
	if (ln->addon_rate != NO_ID16)
		e += value_apply_share(l->rates->rates[ln->addon_rate].expected, sh);
	return e;
}

int ledger_build(struct ledger *l, struct roster *r, const struct rates *rates,
		 unsigned threads, struct arena *a, struct gr_err *err)
{
	size_t n = r->lines.len;

	memset(l, 0, sizeof *l);
	l->roster = r;
	l->rates = rates;
	l->payer_index = arena_alloc(a, (r->payers.count + 1) * sizeof *l->payer_index);
	l->share_stride = r->credentials.count + 1;
	l->share = arena_alloc(a, ((size_t)rates->npayers * l->share_stride + 1) *
				  sizeof *l->share);
	l->not_psychotherapy = arena_alloc(a, ((size_t)r->group_types.count + 1) *
					      sizeof *l->not_psychotherapy);
	if (!l->payer_index || !l->share ||
	    !l->not_psychotherapy) {
		ledger_free(l);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	/* A line stores the index of its rate in 16 bits, NO_ID16 = none. */
	if (rates->nrates > NO_ID16) {
		ledger_free(l);
		return gr_fail(err, rates->rates_path, 0, "more than %u rates, the most "
			       "grouprev holds: drop periods and codes no "
			       "attendance row needs",
			       NO_ID16);
	}
	for (uint32_t i = 0; i < r->payers.count; i++)
		l->payer_index[i] = rates_find_payer(rates, strpool_str(&r->payers, i));
	/* A group type's name is judged once, not on each of its lines. */
	for (uint32_t i = 0; i < r->group_types.count; i++)
		l->not_psychotherapy[i] = rules_not_psychotherapy(
			strpool_str(&r->group_types, i));
	for (uint32_t p = 0; p < rates->npayers; p++)
		for (uint32_t c = 0; c < l->share_stride; c++)
			l->share[p * l->share_stride + c] = rates_share(&rates->payers[p],
				c + 1 == l->share_stride ? NULL
							 : strpool_str(&r->credentials, c));

	/* A rule whose attendance column is missing would flag every line
	 * (no note column reads as "no note"), so it is not run at all and
	 * the run says it was not checked.  POS 02/10 tell telehealth too. */
	uint32_t cols = r->columns;
	if (cols & COL_POS)
		cols |= COL_MODALITY;
	for (int i = 0; i < RULE_COUNT; i++)
		if ((rules_table[i].needs_column & cols) != rules_table[i].needs_column)
			l->unchecked |= 1u << i;

	if (compute_ranks(l, threads, err) != 0) {
		ledger_free(l);
		return -1;
	}
	par_for(threads, n, 65536, price_lines, l);
	return 0;
}

void ledger_rule_ctx(const struct ledger *l, size_t i, struct rule_ctx *c)
{
	const struct line *ln = roster_line(l->roster, i);

	c->roster = l->roster;
	c->line = ln;
	c->session = roster_session(l->roster, ln->session);
	c->payer = ledger_payer(l, ln);
	c->priced = (ln->flags & LINE_PRICED) != 0;
	c->week_rank = ln->week_rank;
	c->day_rank = ln->day_rank;
	c->not_psychotherapy = l->not_psychotherapy;
}

const struct payer *ledger_payer(const struct ledger *l, const struct line *ln)
{
	int32_t p = l->payer_index[ln->payer];

	return p >= 0 ? &l->rates->payers[p] : NULL;
}

void ledger_free(struct ledger *l)
{
	/* Its tables are in the run's arena; the ranks are in the lines. */
	(void)l;
}
