/* plan.c — read plan.csv through the loader and check every row. */
#include "model/plan.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/load.h"
#include "core/value.h"

enum { P_GROUP, P_SESSIONS, P_ENROLLED, P_RATE, P_MIX, P_COST, P_MINUTES,
       P_MODALITY, P_START, P_DROPOUT, P_ATT_SD, P_NCOLS };

static const struct load_col cols[P_NCOLS] = {
	{ "group_id", true }, { "sessions", true }, { "enrolled", true },
	{ "attendance_rate", true }, { "payer_mix", true },
	{ "cost_per_session", false }, { "minutes", false }, { "modality", false },
	{ "start", false }, { "dropout", false }, { "attendance_sd", false },
};

struct ctx {
	struct plan *p;
	const struct rates *r;
	int32_t default_start;
	struct arena *a;
	struct rejects *rej;
	const char *path;
	struct vec groups;
};

#define REFUSE(...)                                                        \
	return rejects_add(c->rej, c->path, row->line, __VA_ARGS__)          \
		       ? gr_fail(err, c->path, row->line, "out of memory") : 0

static int on_row(void *vctx, const struct load_row *row, struct gr_err *err)
{
	struct ctx *c = vctx;
	struct plan_group g;
	const char *why, *const *v = row->v;
	uint64_t u;

	memset(&g, 0, sizeof g);
	g.line = row->line;
	if (!row->len[P_GROUP])
		REFUSE("column 'group_id' is empty");
	if ((why = value_uint(v[P_SESSIONS], 100000, &u)) || u == 0)
		REFUSE("column 'sessions': %s ('%s')", why ? why : "must be at least 1",
		       v[P_SESSIONS]);
	g.sessions = (uint32_t)u;
	if ((why = value_uint(v[P_ENROLLED], 1000, &u)) || u == 0)
		REFUSE("column 'enrolled': %s ('%s')", why ? why : "must be at least 1",
		       v[P_ENROLLED]);
	g.enrolled = (uint32_t)u;
	if ((why = value_unit_interval(v[P_RATE], &g.attendance)))
		REFUSE("column 'attendance_rate': %s ('%s')", why, v[P_RATE]);
	/* dropout: the chance a member leaves before each session after the
	 * first (default 0); attendance_sd: the uncertainty of the attendance
	 * rate, drawn once per run from a Beta of that mean and sd (default
	 * 0: the rate is exact).  docs/projection.md. */
	if (row->len[P_DROPOUT] &&
	    ((why = value_unit_interval(v[P_DROPOUT], &g.dropout)) || g.dropout >= 1))
		REFUSE("column 'dropout': %s ('%s')", why ? why : "must be below 1",
		       v[P_DROPOUT]);
	if (row->len[P_ATT_SD]) {
		if ((why = value_unit_interval(v[P_ATT_SD], &g.attendance_sd)))
			REFUSE("column 'attendance_sd': %s ('%s')", why, v[P_ATT_SD]);
		double m = g.attendance, var = g.attendance_sd * g.attendance_sd;
		/* Beta(a, b) with a, b >= 1 (a density without a pole at 0 or
		 * 1): var <= m (1 - m) min(m, 1 - m) / (1 + min(m, 1 - m)). */
		double lim = m * (1 - m) * fmin(m, 1 - m) / (1 + fmin(m, 1 - m));
		if (g.attendance_sd > 0 && !(var <= lim))
			REFUSE("column 'attendance_sd': %s is too wide for an attendance "
			       "rate of %s (at most %.4f)", v[P_ATT_SD], v[P_RATE], sqrt(lim));
	}
	if (row->len[P_COST]) {
		if ((why = value_money(v[P_COST], &g.cost)) || g.cost < 0)
			REFUSE("column 'cost_per_session': %s ('%s')",
			       why ? why : "negative amount", v[P_COST]);
	}
	if (row->len[P_MINUTES]) {
		if ((why = value_uint(v[P_MINUTES], 1440, &u)))
			REFUSE("column 'minutes': %s ('%s')", why, v[P_MINUTES]);
		g.minutes = (uint32_t)u;
	}
	if (!row->len[P_MODALITY] || !strcasecmp(v[P_MODALITY], "in_person"))
		g.modality = MODALITY_IN_PERSON;
	else if (!strcasecmp(v[P_MODALITY], "telehealth"))
		g.modality = MODALITY_TELEHEALTH;
	else if (!strcasecmp(v[P_MODALITY], "audio_only"))
		g.modality = MODALITY_AUDIO_ONLY;
	else
		REFUSE("column 'modality': '%s' is not in_person, telehealth or audio_only",
		       v[P_MODALITY]);
	g.start = c->default_start;
	if (row->len[P_START] && (why = value_date(v[P_START], &g.start)))
		REFUSE("column 'start': %s ('%s')", why, v[P_START]);
	c->p->defaulted += !row->len[P_START];
	if (g.start == INT32_MIN)
		REFUSE("no start date: give one in the 'start' column or with --start "
		       "(it selects the rates in force)");

	/* payer_mix: PAYER:share pairs separated by ';', shares summing to 1. */
	char buf[1024];
	int32_t sum = 0;
	snprintf(buf, sizeof buf, "%s", v[P_MIX]);
	struct plan_share mix[64];
	uint32_t n = 0;
	for (char *save = NULL, *tok = strtok_r(buf, ";", &save); tok;
	     tok = strtok_r(NULL, ";", &save)) {
		char *colon = strchr(tok, ':');
		while (*tok == ' ')
			tok++;
		if (!colon || n == 64)
			REFUSE("column 'payer_mix': '%s' is not PAYER:share (e.g. MCR:0.4)", tok);
		*colon = '\0';
		for (char *e = colon - 1; e >= tok && *e == ' '; e--)
			*e = '\0';
		int p = rates_find_payer(c->r, tok);
		if (p < 0)
			REFUSE("column 'payer_mix': payer '%s' is not in the rate tables", tok);
		for (uint32_t k = 0; k < n; k++)
			if (mix[k].payer == (uint32_t)p)
				REFUSE("column 'payer_mix': payer '%s' is listed twice", tok);
		if ((why = value_share(colon + 1, &mix[n].bp)) || mix[n].bp > 10000)
			REFUSE("column 'payer_mix': share of '%s': %s", tok,
			       why ? why : "above 1");
		mix[n].payer = (uint32_t)p;
		mix[n].rate = rates_lookup(c->r, (uint32_t)p, "90853",
					   SETTING_OFFICE, g.start);
		if (!mix[n].rate) {
			char d[16];
			value_format_date(g.start, d);
			REFUSE("no 90853 rate for payer '%s' in force on %s", tok, d);
		}
		sum += mix[n].bp;
		n++;
	}
	if (n == 0)
		REFUSE("column 'payer_mix' is empty");
	if (sum != 10000)
		REFUSE("column 'payer_mix': shares sum to %d.%04d, not 1", sum / 10000,
		       sum % 10000);
	struct plan_group *dst = vec_push(&c->groups);
	if (!dst || !(g.id = arena_strdup(c->a, v[P_GROUP])) ||
	    !(g.mix = arena_alloc(c->a, n * sizeof *g.mix)))
		return gr_fail(err, c->path, row->line, "out of memory");
	memcpy(g.mix, mix, n * sizeof *mix);
	g.nmix = n;
	*dst = g;
	return 0;
}

static int on_reject(void *vctx, size_t line, const char *reason)
{
	struct ctx *c = vctx;
	return rejects_add(c->rej, c->path, line, "%s", reason);
}

int plan_load(struct plan *p, const char *path, const struct rates *r,
	      int32_t default_start, struct arena *a, struct rejects *rej,
	      struct gr_err *err)
{
	struct ctx c = { p, r, default_start, a, rej, path, { 0 } };
	struct load_spec spec = { .path = path, .cols = cols, .ncols = P_NCOLS,
				  .row = on_row, .reject = on_reject, .ctx = &c };
	struct load_stats st;

	memset(p, 0, sizeof *p);
	vec_init(&c.groups, sizeof(struct plan_group));
	int rc = load_csv(&spec, &st, err);
	if (rc == 0) {
		p->rows_read = st.records;
		p->ngroups = c.groups.len;
		p->groups = arena_alloc(a, (c.groups.len + 1) * sizeof *p->groups);
		if (!p->groups)
			rc = gr_fail(err, path, 0, "out of memory");
		else if (c.groups.len)
			memcpy(p->groups, c.groups.data, c.groups.len * sizeof *p->groups);
	}
	vec_free(&c.groups);
	return rc;
}

int32_t plan_default_start(const struct roster *history, const struct rates *r,
			   const char **basis)
{
	int32_t last = INT32_MIN;

	if (history)
		for (size_t i = 0; i < history->sessions.len; i++) {
			int32_t d = roster_session(history, i)->date;
			last = d > last ? d : last;
		}
	if (last != INT32_MIN) {
		*basis = "the day after the history's last date of service";
		return last + 1;
	}
	for (uint32_t i = 0; i < r->nrates; i++)
		if (!strcmp(r->rates[i].code, "90853") && r->rates[i].from > last)
			last = r->rates[i].from;
	*basis = "the first day of the rate table's latest period";
	return last;
}
