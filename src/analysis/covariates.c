/* covariates.c — denial by payer class, modality and program, and the
 * multi-covariate model (see covariates.h).
 *
 * The lines are grouped into covariate patterns (size, over-cap, class,
 * modality, program) in a GLib hash table, so the model's rows are the
 * patterns, not the lines: a ten-million-line file has a few thousand.
 * Scratch is malloc'ed and freed here; results live in the arena.
 */
#include "analysis/covariates.h"

#include <glib.h>
#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/sizes.h"
#include "analysis/stats.h"
#include "billing/rules.h"
#include "io/csvout.h"

/* The canonical modality names of attendance.csv (inputs.md); a line
 * without one is "unknown". */
static const char *const modality_names[4] = { "unknown", "in_person", "telehealth",
					       "audio_only" };

static const char *const by_names[] = { "", "payer_class", "modality", "group" };

int covariates_parse_by(const char *s, enum cov_by *by)
{
	for (int i = 1; i < 4; i++)
		if (strcmp(s, by_names[i]) == 0) {
			*by = (enum cov_by)i;
			return 0;
		}
	return -1;
}

const char *covariates_by_name(enum cov_by by)
{
	return by_names[by];
}

static const char *class_of(const struct ledger *l, const struct line *ln)
{
	const struct payer *p = ledger_payer(l, ln);
	return p ? rates_class_name(p->cls) : "unknown payer";
}

static const char *level_of(const struct ledger *l, enum cov_by by, const struct line *ln)
{
	const struct roster *r = l->roster;
	switch (by) {
	case BY_PAYER_CLASS:
		return class_of(l, ln);
	case BY_MODALITY:
		return modality_names[ln->modality & 3];
	case BY_GROUP:
		return strpool_str(&r->groups, roster_session(r, ln->session)->group);
	case BY_NONE:
		break;
	}
	return "";
}

static int cmp_level(const void *x, const void *y)
{
	return strcmp(((const struct cov_level *)x)->name, ((const struct cov_level *)y)->name);
}

int covariates_table(const struct ledger *l, const struct scope *s, enum cov_by by,
		     struct cov_table *t, struct arena *a, struct gr_err *err)
{
	const struct roster *r = l->roster;
	/* name -> index into the level list; names are pool or static strings. */
	GHashTable *idx = g_hash_table_new(g_str_hash, g_str_equal);
	GArray *lv = g_array_new(FALSE, TRUE, sizeof(struct cov_level));

	memset(t, 0, sizeof *t);
	t->by = by;
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		if (!sizes_adjudicated(r, s, ln))
			continue;
		const char *name = level_of(l, by, ln);
		gpointer v;
		size_t k;
		if (g_hash_table_lookup_extended(idx, name, NULL, &v)) {
			k = GPOINTER_TO_SIZE(v);
		} else {
			struct cov_level z = { .name = name };
			k = lv->len;
			g_array_append_val(lv, z);
			g_hash_table_insert(idx, (gpointer)name, GSIZE_TO_POINTER(k));
		}
		struct cov_level *c = &g_array_index(lv, struct cov_level, k);
		bool denied = ln->status == STATUS_DENIED;
		c->n++;
		c->d += denied;
		if (!(ln->issues & RULES_SESSION_BITS)) {
			c->model_n++;
			c->model_d += denied;
		}
	}
	g_hash_table_destroy(idx);
	t->nlevels = lv->len;
	t->levels = arena_alloc(a, (lv->len ? lv->len : 1) * sizeof *t->levels);
	if (!t->levels) {
		g_array_free(lv, TRUE);
		return gr_fail(err, r->path, 0, "out of memory");
	}
	if (lv->len)
		memcpy(t->levels, lv->data, lv->len * sizeof *t->levels);
	g_array_free(lv, TRUE);
	qsort(t->levels, t->nlevels, sizeof *t->levels, cmp_level);
	return 0;
}

static void rate_cells(struct csvw *w, uint64_t d, uint64_t n)
{
	double lo, hi;
	bool has = stats_wilson(d, n, &lo, &hi) == 0;

	csvw_int(w, (int64_t)n);
	csvw_int(w, (int64_t)d);
	if (!has) {
		csvw_empty(w);
		csvw_empty(w);
		csvw_empty(w);
		return;
	}
	csvw_sig(w, (double)d / (double)n, 12);
	csvw_sig(w, lo, 12);
	csvw_sig(w, hi, 12);
}

int covariates_write_table(const char *dir, const struct cov_table *t,
			   struct gr_err *err)
{
	struct csvw w;
	char path[1024], hdr[300];

	snprintf(path, sizeof path, "%s/by_%s.csv", dir, by_names[t->by]);
	if (csvw_open(&w, path, err))
		return -1;
	snprintf(hdr, sizeof hdr, "%s,adjudicated,denied,rate,wilson_lo,wilson_hi,"
		 "model_lines,model_denied,model_rate,model_wilson_lo,model_wilson_hi",
		 by_names[t->by]);
	csvw_header(&w, hdr);
	for (size_t i = 0; i < t->nlevels; i++) {
		csvw_str(&w, t->levels[i].name);
		rate_cells(&w, t->levels[i].d, t->levels[i].n);
		rate_cells(&w, t->levels[i].model_d, t->levels[i].model_n);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}

/* ---- the model ---------------------------------------------------------- */

/* One covariate pattern and its counts. */
struct pattern {
	uint32_t size, over, cls, mod, group;
	double n, d;
};

static int cmp_pattern(const void *x, const void *y)
{
	const struct pattern *a = x, *b = y;
	const uint32_t ka[5] = { a->size, a->over, a->cls, a->mod, a->group };
	const uint32_t kb[5] = { b->size, b->over, b->cls, b->mod, b->group };
	for (int i = 0; i < 5; i++)
		if (ka[i] != kb[i])
			return ka[i] < kb[i] ? -1 : 1;
	return 0;
}

/* A factor: level names, counts, the reference and the column of each
 * other level (byte order of the names), -1 for the reference. */
struct factor {
	const char **name;
	double *count;
	int *col;
	uint32_t n;
	uint32_t ref;
};

static int factor_init(struct factor *f, uint32_t n)
{
	f->n = n;
	f->name = calloc(n ? n : 1, sizeof *f->name);
	f->count = calloc(n ? n : 1, sizeof *f->count);
	f->col = calloc(n ? n : 1, sizeof *f->col);
	return f->name && f->count && f->col ? 0 : -1;
}

static void factor_free(struct factor *f)
{
	free(f->name);
	free(f->count);
	free(f->col);
}

/* Reference = most frequent (ties: first by name); the other levels
 * with lines get columns FIRST, FIRST + 1, ... in name order.  Returns
 * the next free column. */
static int factor_columns(struct factor *f, int first)
{
	bool have = false;
	for (uint32_t i = 0; i < f->n; i++) {
		f->col[i] = -1;
		if (!(f->count[i] > 0))
			continue;
		if (!have || f->count[i] > f->count[f->ref] ||
		    (f->count[i] == f->count[f->ref] && strcmp(f->name[i], f->name[f->ref]) < 0))
			f->ref = i;
		have = true;
	}
	for (;;) {
		int next = -1;
		for (uint32_t i = 0; i < f->n; i++)
			if (f->count[i] > 0 && i != f->ref && f->col[i] < 0 &&
			    (next < 0 || strcmp(f->name[i], f->name[next]) < 0))
				next = (int)i;
		if (next < 0)
			return first;
		f->col[next] = first++;
	}
}

static guint pattern_hash(gconstpointer p)
{
	const struct pattern *x = p;
	return ((x->size * 31u + x->over) * 31u + x->cls) * 131u + x->mod * 7919u +
	       x->group * 104729u;
}

static gboolean pattern_equal(gconstpointer a, gconstpointer b)
{
	return cmp_pattern(a, b) == 0;
}

int covariates_model(const struct ledger *l, const struct scope *s,
		     struct cov_model *m, struct arena *a, struct gr_err *err)
{
	const struct roster *r = l->roster;
	GHashTable *pats = g_hash_table_new_full(pattern_hash, pattern_equal, g_free, NULL);
	struct factor fc = { 0 }, fm = { 0 }, fg = { 0 };
	struct pattern *rows = NULL;
	double *X = NULL, *n = NULL, *d = NULL;
	struct glm_fit g = { 0 };
	size_t np = 0;
	int rc = -1;

	memset(m, 0, sizeof *m);
	m->status = GLM_SINGULAR;
	if (factor_init(&fc, PAYER_CLASS_COUNT + 1) || factor_init(&fm, 4) ||
	    factor_init(&fg, r->groups.count))
		goto nomem;
	for (uint32_t i = 0; i <= PAYER_CLASS_COUNT; i++)
		fc.name[i] = rates_class_name((enum payer_class)i);
	for (uint32_t i = 0; i < 4; i++)
		fm.name[i] = modality_names[i];
	for (uint32_t i = 0; i < fg.n; i++)
		fg.name[i] = strpool_str(&r->groups, i);
	/* How many programs have a line: one column each is affordable up
	 * to COV_MAX_PROGRAMS (the normal equations grow with their square);
	 * beyond, program leaves the model and the outputs say so. */
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		if (sizes_adjudicated(r, s, ln) && ledger_payer(l, ln))
			fg.count[roster_session(r, ln->session)->group] = 1;
	}
	for (uint32_t i = 0; i < fg.n; i++) {
		m->programs += fg.count[i] > 0;
		fg.count[i] = 0;
	}
	m->program_in = m->programs <= COV_MAX_PROGRAMS;
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		if (!sizes_adjudicated(r, s, ln))
			continue;
		const struct payer *p = ledger_payer(l, ln);
		if (!p) {
			m->unknown_payer++;
			continue;
		}
		const struct session *ss = roster_session(r, ln->session);
		struct pattern key = { ss->size, p->max_group && ss->size > p->max_group,
				       (uint32_t)p->cls, ln->modality & 3u,
				       m->program_in ? ss->group : 0, 0, 0 };
		struct pattern *x = g_hash_table_lookup(pats, &key);
		if (!x) {
			x = g_memdup2(&key, sizeof key);
			g_hash_table_add(pats, x);
		}
		x->n++;
		x->d += ln->status == STATUS_DENIED;
		fc.count[key.cls]++;
		fm.count[key.mod]++;
		if (m->program_in)
			fg.count[key.group]++;
		m->lines++;
	}
	np = g_hash_table_size(pats);
	rows = malloc((np ? np : 1) * sizeof *rows);
	if (!rows)
		goto nomem;
	GHashTableIter it;
	gpointer k;
	size_t j = 0;
	g_hash_table_iter_init(&it, pats);
	while (g_hash_table_iter_next(&it, &k, NULL))
		rows[j++] = *(struct pattern *)k;
	qsort(rows, np, sizeof *rows, cmp_pattern);

	int p = factor_columns(&fg, factor_columns(&fm, factor_columns(&fc, 3)));
	m->nterms = (size_t)p;
	m->terms = arena_alloc(a, (size_t)p * sizeof *m->terms);
	if (!m->terms)
		goto nomem;
	m->terms[0].name = "intercept";
	m->terms[1].name = "size";
	m->terms[2].name = "over_cap";
	const struct { struct factor *f; const char *label; } fs[3] = {
		{ &fc, "payer_class" }, { &fm, "modality" }, { &fg, "program" } };
	for (int q = 0; q < 3; q++)
		for (uint32_t i = 0; i < fs[q].f->n; i++) {
			int c = fs[q].f->col[i];
			if (c < 0)
				continue;
			size_t len = strlen(fs[q].label) + strlen(fs[q].f->name[i]) + 2;
			char *nm = arena_alloc(a, len);
			if (!nm)
				goto nomem;
			snprintf(nm, len, "%s=%s", fs[q].label, fs[q].f->name[i]);
			m->terms[c].name = nm;
		}
	m->ref_class = m->lines ? fc.name[fc.ref] : NULL;
	m->ref_modality = m->lines ? fm.name[fm.ref] : NULL;
	m->ref_program = m->lines && m->program_in ? fg.name[fg.ref] : NULL;

	X = calloc((np ? np : 1) * (size_t)p, sizeof *X);
	n = malloc((np ? np : 1) * sizeof *n);
	d = malloc((np ? np : 1) * sizeof *d);
	if (!X || !n || !d || glm_alloc(&g, (size_t)p) != 0)
		goto nomem;
	for (size_t i = 0; i < np; i++) {
		double *x = X + i * (size_t)p;
		x[0] = 1;
		x[1] = rows[i].size;
		x[2] = rows[i].over;
		if (fc.col[rows[i].cls] >= 0)
			x[fc.col[rows[i].cls]] = 1;
		if (fm.col[rows[i].mod] >= 0)
			x[fm.col[rows[i].mod]] = 1;
		if (fg.col[rows[i].group] >= 0)
			x[fg.col[rows[i].group]] = 1;
		n[i] = rows[i].n;
		d[i] = rows[i].d;
	}
	glm_logit(X, n, d, np, (size_t)p, &g);
	m->status = m->lines ? g.status : GLM_SINGULAR;
	/* The deviance of the lines themselves, -2 log L of the 0/1 outcomes
	 * (R's glm on the lines); the patterns' deviance differs from it by a
	 * constant, not by the fit. */
	double D = 0, N = 0;
	for (size_t i = 0; i < np; i++) {
		D += d[i];
		N += n[i];
	}
	m->deviance = m->null_deviance = 0;
	for (size_t i = 0; g.status == GLM_OK && i < np; i++) {
		double mu = 1.0 / (1.0 + exp(-glm_eta(&g, X + i * (size_t)p))), pb = D / N;
		m->deviance -= 2.0 * (d[i] * log(mu) + (n[i] - d[i]) * log1p(-mu));
		m->null_deviance -= 2.0 * ((d[i] > 0 ? d[i] * log(pb) : 0) +
					   (n[i] - d[i] > 0 ? (n[i] - d[i]) * log1p(-pb) : 0));
	}
	m->iterations = g.iterations;
	/* Residual df of the model on the lines (R's on binary data): lines
	 * minus estimated columns. */
	m->df_resid = m->lines > g.rank ? (size_t)m->lines - g.rank : 0;
	for (int c = 0; c < p; c++) {
		struct cov_term *t = &m->terms[c];
		t->aliased = g.aliased[c];
		t->est = g.beta[c];
		t->se = g.se[c];
		t->z = t->est / t->se;
		t->p = 2.0 * gsl_cdf_ugaussian_Q(fabs(t->z));
	}
	rc = 0;
	goto out;
nomem:
	rc = gr_fail(err, r->path, 0, "out of memory");
out:
	glm_free(&g);
	free(X);
	free(n);
	free(d);
	free(rows);
	factor_free(&fc);
	factor_free(&fm);
	factor_free(&fg);
	g_hash_table_destroy(pats);
	return rc;
}

static const char *status_note(enum glm_status st)
{
	switch (st) {
	case GLM_OK:
		return "";
	case GLM_NO_CONVERGENCE:
		return "the model did not converge: no coefficient is reported";
	case GLM_BOUNDARY:
		return "fitted rates reach 0 or 1 (some covariate pattern separates "
		       "denied from paid lines): the coefficients would be infinite, "
		       "so none is reported";
	case GLM_SINGULAR:
		return "no model: too few lines, or no variation in denial or in the "
		       "covariates";
	case GLM_NO_MEMORY:
		break;
	}
	return "out of memory";
}

int covariates_write_model(const char *dir, const struct cov_model *m,
			   struct gr_err *err)
{
	struct csvw w;
	char path[1024], note[300];
	bool ok = m->status == GLM_OK;
	double z = gsl_cdf_ugaussian_Pinv(0.975);

	snprintf(path, sizeof path, "%s/covariates.csv", dir);
	if (csvw_open(&w, path, err))
		return -1;
	csvw_header(&w, "term,estimate,std_error,z,p_value,odds_ratio,or_lo,or_hi,note");
	for (size_t i = 0; i < m->nterms; i++) {
		const struct cov_term *t = &m->terms[i];
		bool v = ok && !t->aliased;
		csvw_str(&w, t->name);
		for (int c = 0; c < 4; c++) {
			double x = c == 0 ? t->est : c == 1 ? t->se : c == 2 ? t->z : t->p;
			if (v)
				csvw_sig(&w, x, 12);
			else
				csvw_empty(&w);
		}
		for (int c = 0; c < 3; c++) {
			double x = t->est + (c == 1 ? -z : c == 2 ? z : 0) * t->se;
			if (v && i > 0)
				csvw_sig(&w, exp(x), 12);
			else
				csvw_empty(&w);
		}
		csvw_str(&w, ok && t->aliased ? "aliased: a combination of the terms "
			 "above (not estimable), as R's NA" : "");
		csvw_end(&w);
	}
	const struct { const char *term; double v; bool show; } rows[] = {
		{ "deviance", m->deviance, ok },
		{ "null_deviance", m->null_deviance, ok },
		{ "df_residual", (double)m->df_resid, ok },
		{ "lines", (double)m->lines, true },
		{ "lines_unknown_payer", (double)m->unknown_payer, true },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		csvw_str(&w, rows[i].term);
		if (rows[i].show)
			csvw_sig(&w, rows[i].v, 12);
		else
			csvw_empty(&w);
		for (int c = 0; c < 6; c++)
			csvw_empty(&w);
		csvw_str(&w, i == 4 ? "left out: their payer is not in payers.csv" : "");
		csvw_end(&w);
	}
	if (m->program_in)
		snprintf(note, sizeof note, "reference levels: payer_class %s, modality %s, "
			 "program %s", m->ref_class ? m->ref_class : "-",
			 m->ref_modality ? m->ref_modality : "-",
			 m->ref_program ? m->ref_program : "-");
	else
		snprintf(note, sizeof note, "reference levels: payer_class %s, modality %s; "
			 "program is not in the model: %u programs are more than %d "
			 "columns can carry (stats --by group lists each)",
			 m->ref_class ? m->ref_class : "-",
			 m->ref_modality ? m->ref_modality : "-", m->programs,
			 COV_MAX_PROGRAMS);
	csvw_str(&w, "reference");
	for (int c = 0; c < 7; c++)
		csvw_empty(&w);
	csvw_str(&w, note);
	csvw_end(&w);
	csvw_str(&w, "note");
	for (int c = 0; c < 7; c++)
		csvw_empty(&w);
	csvw_str(&w, !ok ? status_note(m->status)
		 : m->program_in ? "logit P(denied) = intercept + size x group size + "
				   "over_cap (1 when the group is above this payer's "
				   "max_group) + payer class + modality + program; every "
				   "adjudicated line of a known payer; 95% Wald intervals; "
				   "a p-value of 0 is below 1e-308"
		 : "logit P(denied) = intercept + size x group size + over_cap (1 when "
		   "the group is above this payer's max_group) + payer class + "
		   "modality; every adjudicated line of a known payer; 95% Wald "
		   "intervals; a p-value of 0 is below 1e-308");
	csvw_end(&w);
	return csvw_commit(&w, err);
}

void covariates_summary(const struct cov_model *m, char *buf, size_t size)
{
	if (m->status != GLM_OK || m->nterms < 3 || m->terms[1].aliased) {
		snprintf(buf, size, "Size, cap, payer class, modality and program together: %s.",
			 m->status == GLM_OK ? "size is aliased with the other terms"
					     : status_note(m->status));
		return;
	}
	double z = gsl_cdf_ugaussian_Pinv(0.975);
	const struct cov_term *s = &m->terms[1], *c = &m->terms[2];
	char pt[32];
	int n = snprintf(buf, size, "With cap, payer class, modality%s held "
			 "fixed, each extra member multiplies the odds of a denial by %.3f "
			 "(95%% interval %.3f-%.3f, %s)",
			 m->program_in ? " and program" : " (not program: too many)", exp(s->est),
			 exp(s->est - z * s->se), exp(s->est + z * s->se), stats_p_text(s->p, pt));
	if (n < 0 || (size_t)n >= size)
		return;
	if (!c->aliased)
		snprintf(buf + n, size - (size_t)n, "; a group above its payer's cap "
			 "multiplies them by %.1f (%.1f-%.1f).", exp(c->est),
			 exp(c->est - z * c->se), exp(c->est + z * c->se));
	else
		snprintf(buf + n, size - (size_t)n, ".");
}
