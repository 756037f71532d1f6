/* sizes.c — bin adjudicated lines by group size for the statistics. */
#include "analysis/sizes.h"

#include <stdlib.h>
#include <string.h>

#include "billing/rules.h"

bool sizes_adjudicated(const struct roster *r, const struct scope *s,
		       const struct line *ln)
{
	return (ln->flags & LINE_ATTENDED) && scope_has(s, roster_session(r, ln->session)) &&
	       (ln->status == STATUS_PAID || ln->status == STATUS_DENIED);
}

/* Each known payer's share of the priced adjudicated lines and the mean
 * expected amount of its lines. */
static int collect_mix(const struct ledger *l, const struct scope *s,
		       struct payer_mix *mix, struct arena *a, struct gr_err *err)
{
	const struct roster *r = l->roster;
	uint32_t np = l->rates->npayers;
	uint64_t *cnt = calloc(np ? np : 1, sizeof *cnt);
	int64_t *sum = calloc(np ? np : 1, sizeof *sum);
	size_t used = 0;

	memset(mix, 0, sizeof *mix);
	if (!cnt || !sum) {
		free(cnt);
		free(sum);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		if (!sizes_adjudicated(r, s, ln) || !(ln->flags & LINE_PRICED))
			continue;
		const struct payer *p = ledger_payer(l, ln);
		if (!p)
			continue;
		size_t j = (size_t)(p - l->rates->payers);
		cnt[j]++;
		sum[j] += ledger_expected(l, ln);
		mix->lines++;
	}
	for (uint32_t j = 0; j < np; j++)
		used += cnt[j] != 0;
	struct mix_share *m = arena_alloc(a, (used ? used : 1) * sizeof *m);
	if (!m) {
		free(cnt);
		free(sum);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	used = 0;
	for (uint32_t j = 0; j < np; j++) {
		if (!cnt[j])
			continue;
		m[used].payer = &l->rates->payers[j];
		m[used].share = (double)cnt[j] / (double)mix->lines;
		m[used].rate = (double)sum[j] / (double)cnt[j];
		used++;
	}
	mix->s = m;
	mix->n = used;
	free(cnt);
	free(sum);
	return 0;
}

int sizes_collect(const struct ledger *l, const struct scope *s,
		  struct size_bin **bins, size_t *nbins, struct payer_mix *mix,
		  struct arena *a, struct gr_err *err)
{
	const struct roster *r = l->roster;
	uint32_t max = 0;
	size_t n = 0;

	for (size_t i = 0; i < r->sessions.len; i++)
		if (roster_session(r, i)->size > max)
			max = roster_session(r, i)->size;
	struct size_bin *all = calloc((size_t)max + 1, sizeof *all);
	/* A session counts once, however its lines are spread in the file. */
	uint8_t *counted = calloc(r->sessions.len + 1, 1);
	if (!all || !counted) {
		free(all);
		free(counted);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		const struct session *ss = roster_session(r, ln->session);
		if (!sizes_adjudicated(r, s, ln))
			continue;
		struct size_bin *b = &all[ss->size];
		bool denied = ln->status == STATUS_DENIED;
		b->size = ss->size;
		b->all_n++;
		b->all_d += denied;
		/* A line a session rule already predicts denied is the payer's
		 * policy: the optimum applies it as a rule (stats_pays), so the
		 * denial rate must not count it a second time. */
		if (!(ln->issues & RULES_SESSION_BITS)) {
			b->n++;
			b->d += denied;
		}
		if (!counted[ln->session]) {
			counted[ln->session] = 1;
			b->sessions++;
		}
	}
	free(counted);
	for (uint32_t k = 0; k <= max; k++)
		if (all[k].all_n)
			n++;
	*bins = arena_alloc(a, (n ? n : 1) * sizeof **bins);
	if (!*bins) {
		free(all);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	n = 0;
	for (uint32_t k = 0; k <= max; k++)
		if (all[k].all_n)
			(*bins)[n++] = all[k];
	*nbins = n;
	free(all);
	return collect_mix(l, s, mix, a, err);
}

int sizes_analyse(const struct ledger *l, const struct scope *s,
		  int64_t cost_cents, const char *outdir, struct size_analysis *an,
		  struct arena *a, struct gr_err *err)
{
	memset(an, 0, sizeof *an);
	if (sizes_collect(l, s, &an->bins, &an->nbins, &an->mix, a, err) != 0)
		return -1;
	stats_logit(an->bins, an->nbins, &an->fit);
	an->trend_ok = stats_trend(an->bins, an->nbins, &an->chi2, &an->p_trend) == 0;
	struct optimal_row *rows = arena_alloc(a, (an->nbins + 1) * sizeof *rows);
	if (!rows)
		return gr_fail(err, l->roster->path, 0, "out of memory");
	stats_optimal(an->bins, an->nbins, &an->fit, &an->mix, cost_cents, rows, &an->opt);
	stats_summary(an->bins, an->nbins, &an->fit, an->chi2, an->p_trend,
		      an->trend_ok, &an->mix, &an->opt, an->summary, sizeof an->summary);
	if (outdir && stats_write(outdir, an->bins, an->nbins, &an->fit, an->chi2,
				  an->p_trend, an->trend_ok, &an->opt, err) != 0)
		return -1;
	return 0;
}
