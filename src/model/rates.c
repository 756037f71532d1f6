/* rates.c — payers.csv and rates.csv into a lookup table.
 *
 * Rate rows are sorted by payer, code, setting and first date, so the row
 * in force on a date is found by binary search, and two periods of the
 * same key overlap exactly when a row starts on or before the end of the
 * row before it (periods include both ends).
 */
#include "model/rates.h"

#include <ctype.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "io/load.h"
#include "core/value.h"

static const char *const class_names[PAYER_CLASS_COUNT] = {
	"medicare", "medicare_advantage", "medicaid", "commercial",
	"self_pay", "eap", "other"
};

const char *rates_class_name(enum payer_class c)
{
	return c < PAYER_CLASS_COUNT ? class_names[c] : "other";
}

/* Every broken row of both files is found in one run (rates.h): a row's
 * checks fill ERR as usual, and the row's handler moves that message to
 * the list of broken rows and reads on. */
struct table_ctx {
	struct rates *r;
	struct arena *a;
	const char *path;
	struct vec rows; /* struct rate while reading rates.csv */
	struct rejects *broken;
	struct gr_err first; /* the first broken row */
	size_t nbroken;
	struct vec bad_payers; /* const char *: ids of broken payers.csv rows */
	bool oom;
};

/* FILE must outlive the list: it is one of the rates struct's paths. */
static int add_broken(struct table_ctx *t, const char *file, size_t line,
		      const char *msg)
{
	if (t->nbroken++ == 0) {
		snprintf(t->first.file, sizeof t->first.file, "%s", file);
		t->first.line = line;
		snprintf(t->first.msg, sizeof t->first.msg, "%s", msg);
	}
	if (t->broken && rejects_add(t->broken, file, line, "%s", msg) != 0) {
		t->oom = true;
		return -1;
	}
	return 0;
}

static int on_reject(void *ctx, size_t line, const char *reason)
{
	struct table_ctx *t = ctx;

	return add_broken(t, t->path, line, reason);
}

/* A row handler's error: out of memory stops the load, anything else is
 * one broken row. */
static int row_failed(struct table_ctx *t, struct gr_err *err)
{
	if (t->oom || strcmp(err->msg, "out of memory") == 0)
		return -1;
	return add_broken(t, t->path, err->line, err->msg);
}

static bool payer_was_broken(const struct table_ctx *t, const char *id)
{
	for (size_t i = 0; i < t->bad_payers.len; i++)
		if (strcasecmp(VEC_AT(&t->bad_payers, const char *, i), id) == 0)
			return true;
	return false;
}

static char *upper_dup(struct arena *a, const char *s, size_t n)
{
	char *p = arena_strndup(a, s, n);

	if (p)
		for (char *q = p; *q; q++)
			*q = (char)toupper((unsigned char)*q);
	return p;
}

/* Split S on spaces (and commas or semicolons) into upper-case words. */
static int split_words(struct arena *a, const char *s, const char ***out,
		       uint32_t *n)
{
	uint32_t count = 0;
	const char *p = s;

	while (*p) {
		while (*p && strchr(" ,;\t", *p))
			p++;
		if (!*p)
			break;
		count++;
		while (*p && !strchr(" ,;\t", *p))
			p++;
	}
	*n = count;
	*out = NULL;
	if (!count)
		return 0;
	*out = arena_alloc(a, count * sizeof **out);
	if (!*out)
		return -1;
	count = 0;
	p = s;
	while (*p) {
		while (*p && strchr(" ,;\t", *p))
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && !strchr(" ,;\t", *p))
			p++;
		if (!((*out)[count++] = upper_dup(a, w, (size_t)(p - w))))
			return -1;
	}
	return 0;
}

enum {
	P_ID, P_NAME, P_CLASS, P_MIN_GROUP, P_MAX_GROUP, P_MIN_MINUTES,
	P_REQUIRE_HQ, P_TELE, P_AUDIO, P_PER_WEEK, P_CREDENTIALS, P_NEEDS_DX,
	P_NEEDS_NOTE, P_NEEDS_AUTH, P_PER_DAY, P_SHARE, P_REMIT_ID, P_NCOLS
};

static const struct load_col payer_cols[P_NCOLS] = {
	{ "payer_id", true }, { "name", true }, { "class", true },
	{ "min_group", false }, { "max_group", false }, { "min_minutes", false },
	{ "require_hq", false }, { "telehealth_modifier", false },
	{ "audio_only_modifier", false }, { "max_per_week", false },
	{ "credentials", false }, { "needs_diagnosis", false },
	{ "needs_note", false }, { "needs_auth", false }, { "max_per_day", false },
	{ "credential_share", false }, { "remit_id", false },
};

static int opt_uint(struct table_ctx *t, const struct load_row *row, int col,
		    uint32_t dflt, uint32_t *out, struct gr_err *err)
{
	uint64_t v;
	const char *why;

	if (!row->len[col]) {
		*out = dflt;
		return 0;
	}
	if ((why = value_uint(row->v[col], 100000, &v)))
		return gr_fail(err, t->path, row->line, "column '%s': %s ('%s')",
			       payer_cols[col].name, why, row->v[col]);
	*out = (uint32_t)v;
	return 0;
}

static int opt_bool(struct table_ctx *t, const struct load_row *row, int col,
		    bool dflt, bool *out, struct gr_err *err)
{
	const char *why;

	if (!row->len[col]) {
		*out = dflt;
		return 0;
	}
	if ((why = value_bool(row->v[col], out)))
		return gr_fail(err, t->path, row->line, "column '%s': %s ('%s')",
			       payer_cols[col].name, why, row->v[col]);
	return 0;
}

static int tele_policy(struct table_ctx *t, const struct load_row *row, int col,
		       struct tele_policy *tp, struct gr_err *err)
{
	const char *s = row->v[col];

	memset(tp, 0, sizeof *tp);
	if (!row->len[col]) {
		tp->rule = TELE_NO_MODIFIER;
		return 0;
	}
	if (strcasecmp(s, "none") == 0) {
		tp->rule = TELE_NOT_COVERED;
		return 0;
	}
	if (row->len[col] >= sizeof tp->modifier)
		return gr_fail(err, t->path, row->line,
			       "column '%s': '%s' is not a modifier (use e.g. 95, GT, 93, "
			       "FQ, or none)", payer_cols[col].name, s);
	tp->rule = TELE_MODIFIER;
	for (size_t i = 0; s[i]; i++) {
		if (!isalnum((unsigned char)s[i]))
			return gr_fail(err, t->path, row->line,
				       "column '%s': '%s' is not a modifier (use e.g. 95, "
				       "GT, 93, FQ, or none)", payer_cols[col].name, s);
		tp->modifier[i] = (char)toupper((unsigned char)s[i]);
	}
	return 0;
}

static int parse_shares(struct table_ctx *t, const struct load_row *row,
			struct payer *p, struct gr_err *err)
{
	const char **words;
	uint32_t n;

	if (split_words(t->a, row->v[P_SHARE], &words, &n) != 0)
		return gr_fail(err, t->path, row->line, "out of memory");
	p->nshares = n;
	if (!n)
		return 0;
	p->shares = arena_alloc(t->a, n * sizeof *p->shares);
	if (!p->shares)
		return gr_fail(err, t->path, row->line, "out of memory");
	for (uint32_t i = 0; i < n; i++) {
		const char *colon = strchr(words[i], ':');
		const char *why;
		if (!colon || colon == words[i])
			return gr_fail(err, t->path, row->line,
				       "column 'credential_share': '%s' is not LICENCE:SHARE "
				       "(e.g. LCSW:0.75)", words[i]);
		p->shares[i].licence = arena_strndup(t->a, words[i],
						     (size_t)(colon - words[i]));
		if (!p->shares[i].licence)
			return gr_fail(err, t->path, row->line, "out of memory");
		if ((why = value_share(colon + 1, &p->shares[i].bp)))
			return gr_fail(err, t->path, row->line,
				       "column 'credential_share': %s ('%s')", why, words[i]);
		/* A share is the part of the rate paid for a licence: a payer
		 * never pays more than its rate (docs/rules.md). */
		if (p->shares[i].bp > 10000)
			return gr_fail(err, t->path, row->line,
				       "column 'credential_share': a share above 1 would "
				       "price a line above the rate ('%s'; use 0 to 1)",
				       words[i]);
	}
	return 0;
}

static int payer_row(void *ctx, const struct load_row *row, struct gr_err *err)
{
	struct table_ctx *t = ctx;
	struct rates *r = t->r;
	struct payer *p;
	int cls = -1;

	if (!row->len[P_ID])
		return gr_fail(err, t->path, row->line, "column 'payer_id' is empty");
	if (rates_find_payer(r, row->v[P_ID]) >= 0)
		return gr_fail(err, t->path, row->line,
			       "payer '%s' is listed twice", row->v[P_ID]);
	for (int c = 0; c < PAYER_CLASS_COUNT; c++)
		if (strcasecmp(row->v[P_CLASS], class_names[c]) == 0)
			cls = c;
	if (cls < 0)
		return gr_fail(err, t->path, row->line,
			       "column 'class': '%s' is not one of medicare, "
			       "medicare_advantage, medicaid, commercial, self_pay, eap, "
			       "other", row->v[P_CLASS]);
	if (r->npayers >= 0xfffe)
		return gr_fail(err, t->path, row->line, "more than 65534 payers");
	struct payer *grown = realloc(r->payers, (r->npayers + 1) * sizeof *grown);
	if (!grown)
		return gr_fail(err, t->path, row->line, "out of memory");
	r->payers = grown;
	p = &r->payers[r->npayers];
	memset(p, 0, sizeof *p);
	p->id = arena_strdup(t->a, row->v[P_ID]);
	p->name = arena_strdup(t->a, row->len[P_NAME] ? row->v[P_NAME] : row->v[P_ID]);
	if (!p->id || !p->name)
		return gr_fail(err, t->path, row->line, "out of memory");
	p->cls = (enum payer_class)cls;
	p->line = row->line;
	p->remit_id = arena_strdup(t->a, row->v[P_REMIT_ID]);
	if (!p->remit_id)
		return gr_fail(err, t->path, row->line, "out of memory");
	if (opt_uint(t, row, P_MIN_GROUP, 2, &p->min_group, err) ||
	    opt_uint(t, row, P_MAX_GROUP, 0, &p->max_group, err) ||
	    opt_uint(t, row, P_MIN_MINUTES, 0, &p->min_minutes, err) ||
	    opt_bool(t, row, P_REQUIRE_HQ, false, &p->require_hq, err) ||
	    tele_policy(t, row, P_TELE, &p->telehealth, err) ||
	    tele_policy(t, row, P_AUDIO, &p->audio_only, err) ||
	    opt_uint(t, row, P_PER_WEEK, 0, &p->max_per_week, err) ||
	    opt_bool(t, row, P_NEEDS_DX, true, &p->needs_diagnosis, err) ||
	    opt_bool(t, row, P_NEEDS_NOTE, true, &p->needs_note, err) ||
	    opt_bool(t, row, P_NEEDS_AUTH, false, &p->needs_auth, err) ||
	    opt_uint(t, row, P_PER_DAY, 1, &p->max_per_day, err) ||
	    parse_shares(t, row, p, err))
		return -1;
	if (p->max_group && p->max_group < p->min_group)
		return gr_fail(err, t->path, row->line,
			       "max_group %u is below min_group %u", p->max_group,
			       p->min_group);
	if (split_words(t->a, row->v[P_CREDENTIALS], &p->credentials,
			&p->ncredentials) != 0)
		return gr_fail(err, t->path, row->line, "out of memory");
	r->npayers++;
	return 0;
}

static int on_payer(void *ctx, const struct load_row *row, struct gr_err *err)
{
	struct table_ctx *t = ctx;

	if (payer_row(ctx, row, err) == 0)
		return 0;
	/* The rates of a broken payer are not reported again as "not in
	 * payers.csv". */
	const char **id = vec_push(&t->bad_payers);
	if (!id || !(*id = arena_strdup(t->a, row->v[P_ID])))
		return gr_fail(err, t->path, row->line, "out of memory");
	return row_failed(t, err);
}

enum { R_PAYER, R_CODE, R_SETTING, R_FROM, R_TO, R_LOW, R_EXPECTED, R_HIGH, R_NCOLS };

static const struct load_col rate_cols[R_NCOLS] = {
	{ "payer_id", true }, { "code", true }, { "setting", false },
	{ "from", true }, { "to", false }, { "low", true }, { "expected", true },
	{ "high", true },
};

static int money_col(struct table_ctx *t, const struct load_row *row, int col,
		     int64_t *out, struct gr_err *err)
{
	const char *why = value_money(row->v[col], out);

	if (why)
		return gr_fail(err, t->path, row->line, "column '%s': %s ('%s')",
			       rate_cols[col].name, why, row->v[col]);
	if (*out < 0)
		return gr_fail(err, t->path, row->line, "column '%s': negative amount",
			       rate_cols[col].name);
	return 0;
}

/* A CPT or HCPCS code: five digits (90853), four digits and F, T or U
 * (category II and III), or a letter and four digits (level II). */
static bool code_ok(const char *s, size_t n)
{
	int digits = 0;

	if (n != 5)
		return false;
	for (size_t i = 0; i < 5; i++)
		digits += isdigit((unsigned char)s[i]) != 0;
	if (digits == 5)
		return true;
	if (digits != 4)
		return false;
	return (isupper((unsigned char)s[0]) && isdigit((unsigned char)s[4])) ||
	       (isdigit((unsigned char)s[0]) && strchr("FTU", s[4]) && s[4]);
}

static int rate_row(struct table_ctx *t, const struct load_row *row,
		    struct rate *rt, struct gr_err *err)
{
	int payer = rates_find_payer(t->r, row->v[R_PAYER]);
	const char *why;

	if (payer < 0)
		return gr_fail(err, t->path, row->line,
			       "payer '%s' is not in payers.csv", row->v[R_PAYER]);
	if (!row->len[R_CODE])
		return gr_fail(err, t->path, row->line, "column 'code' is empty");
	if (!code_ok(row->v[R_CODE], row->len[R_CODE]))
		return gr_fail(err, t->path, row->line, "column 'code': '%s' is not a "
			       "CPT or HCPCS code (five characters, e.g. 90853)",
			       row->v[R_CODE]);
	rt->payer = (uint32_t)payer;
	rt->line = row->line;
	rt->code = arena_strdup(t->a, row->v[R_CODE]);
	if (!rt->code)
		return gr_fail(err, t->path, row->line, "out of memory");
	if (!row->len[R_SETTING])
		rt->setting = SETTING_ANY;
	else if (strcasecmp(row->v[R_SETTING], "office") == 0)
		rt->setting = SETTING_OFFICE;
	else if (strcasecmp(row->v[R_SETTING], "facility") == 0)
		rt->setting = SETTING_FACILITY;
	else
		return gr_fail(err, t->path, row->line,
			       "column 'setting': '%s' is not office, facility or empty",
			       row->v[R_SETTING]);
	if ((why = value_date(row->v[R_FROM], &rt->from)))
		return gr_fail(err, t->path, row->line, "column 'from': %s ('%s')", why,
			       row->v[R_FROM]);
	rt->to = INT32_MAX;
	if (row->len[R_TO] && (why = value_date(row->v[R_TO], &rt->to)))
		return gr_fail(err, t->path, row->line, "column 'to': %s ('%s')", why,
			       row->v[R_TO]);
	if (rt->to < rt->from)
		return gr_fail(err, t->path, row->line, "'to' %s is before 'from' %s",
			       row->v[R_TO], row->v[R_FROM]);
	if (money_col(t, row, R_LOW, &rt->low, err) ||
	    money_col(t, row, R_EXPECTED, &rt->expected, err) ||
	    money_col(t, row, R_HIGH, &rt->high, err))
		return -1;
	if (!(rt->low <= rt->expected && rt->expected <= rt->high))
		return gr_fail(err, t->path, row->line,
			       "low <= expected <= high does not hold (%s, %s, %s)",
			       row->v[R_LOW], row->v[R_EXPECTED], row->v[R_HIGH]);
	if (rt->expected > INT32_MAX / 4 || rt->high > INT32_MAX / 4)
		return gr_fail(err, t->path, row->line, "amount too large for a line");
	/* An unknown price is left unpriced and flagged, never $0.00
	 * (README): a zero rate would price lines at nothing silently. */
	if (rt->expected == 0)
		return gr_fail(err, t->path, row->line, "column 'expected': a rate of "
			       "0.00 would price every line at nothing; leave the "
			       "payer without a rate for this code (its lines are "
			       "then flagged no_rate)");
	return 0;
}

static int on_rate(void *ctx, const struct load_row *row, struct gr_err *err)
{
	struct table_ctx *t = ctx;
	struct rate rt;

	memset(&rt, 0, sizeof rt);
	if (rate_row(t, row, &rt, err) == 0) {
		struct rate *dst = vec_push(&t->rows);
		if (!dst)
			return gr_fail(err, t->path, row->line, "out of memory");
		*dst = rt;
		return 0;
	}
	if (rates_find_payer(t->r, row->v[R_PAYER]) < 0 &&
	    payer_was_broken(t, row->v[R_PAYER]))
		return 0;
	return row_failed(t, err);
}

static int cmp_rate(const void *a, const void *b)
{
	const struct rate *x = a, *y = b;
	int c;

	if (x->payer != y->payer)
		return x->payer < y->payer ? -1 : 1;
	if ((c = strcmp(x->code, y->code)))
		return c;
	if (x->setting != y->setting)
		return x->setting < y->setting ? -1 : 1;
	if (x->from != y->from)
		return x->from < y->from ? -1 : 1;
	return x->line < y->line ? -1 : (x->line > y->line);
}

/* The slot of PAYER, CODE, SETTING in R's group table: its group's, or
 * the empty one where it would go. */
static uint32_t group_slot(const struct rates *r, uint32_t payer, const char *code,
			   enum rate_setting setting)
{
	/* FNV-1a over the code (a few bytes), mixed with payer and setting. */
	uint64_t h = 0xcbf29ce484222325ULL;
	for (const unsigned char *p = (const unsigned char *)code; *p; p++)
		h = (h ^ *p) * 0x100000001b3ULL;
	h = (h ^ ((uint64_t)payer << 2 | (uint64_t)setting)) * 0x9e3779b97f4a7c15ULL;
	uint32_t mask = r->nslots - 1, i = (uint32_t)(h >> 32) & mask;
	for (;; i = (i + 1) & mask) {
		uint32_t g = r->slots[i];
		if (!g)
			return i;
		const struct rate_group *x = &r->groups[g - 1];
		if (x->payer == payer && x->setting == setting && strcmp(x->code, code) == 0)
			return i;
	}
}

/* R's groups of rows and their hash table (struct rates), in A.  The
 * rows are sorted, so a group's rows are together. */
static int index_groups(struct rates *r, struct arena *a)
{
	uint32_t ng = 0;

	for (uint32_t i = 0; i < r->nrates; i++)
		if (!i || r->rates[i].payer != r->rates[i - 1].payer ||
		    r->rates[i].setting != r->rates[i - 1].setting ||
		    strcmp(r->rates[i].code, r->rates[i - 1].code) != 0)
			ng++;
	r->groups = NULL;
	r->slots = NULL;
	r->nslots = 0;
	if (!ng)
		return 0;
	uint32_t nslots = 16;
	while (nslots < 2 * ng)
		nslots *= 2;
	r->groups = arena_alloc(a, ng * sizeof *r->groups);
	r->slots = arena_alloc(a, nslots * sizeof *r->slots);
	if (!r->groups || !r->slots)
		return -1;
	memset(r->slots, 0, nslots * sizeof *r->slots);
	r->nslots = nslots;
	ng = 0;
	for (uint32_t i = 0; i < r->nrates; i++) {
		const struct rate *q = &r->rates[i];
		struct rate_group *g = ng ? &r->groups[ng - 1] : NULL;
		if (g && g->payer == q->payer && g->setting == q->setting &&
		    strcmp(g->code, q->code) == 0) {
			g->n++;
			continue;
		}
		r->groups[ng] = (struct rate_group){ q->payer, q->setting, q->code, i, 1 };
		r->slots[group_slot(r, q->payer, q->code, q->setting)] = ++ng;
	}
	return 0;
}

static int load_table(struct table_ctx *t, const char *path,
		      const struct load_col *cols, size_t ncols, load_row_fn fn,
		      struct gr_err *err)
{
	struct load_spec spec = { .path = path, .cols = cols, .ncols = ncols,
				  .row = fn, .reject = on_reject, .ctx = t };
	struct load_stats st;

	t->path = path;
	if (load_csv(&spec, &st, err) != 0)
		return -1;
	if (t->oom)
		return gr_fail(err, path, 0, "out of memory");
	return 0;
}

int rates_load(struct rates *r, const char *dir, struct arena *a,
	       struct gr_err *err)
{
	return rates_load_all(r, dir, a, NULL, err);
}

int rates_load_all(struct rates *r, const char *dir, struct arena *a,
		   struct rejects *broken, struct gr_err *err)
{
	struct table_ctx t;
	char date1[16], date2[16];
	int rc = -1;

	memset(r, 0, sizeof *r);
	memset(&t, 0, sizeof t);
	t.r = r;
	t.a = a;
	t.broken = broken;
	vec_init(&t.rows, sizeof(struct rate));
	vec_init(&t.bad_payers, sizeof(const char *));
	snprintf(r->dir, sizeof r->dir, "%s", dir);
	snprintf(r->payers_path, sizeof r->payers_path, "%s/payers.csv", dir);
	snprintf(r->rates_path, sizeof r->rates_path, "%s/rates.csv", dir);

	if (load_table(&t, r->payers_path, payer_cols, P_NCOLS, on_payer, err) != 0)
		goto out;
	if (r->npayers == 0 && !t.nbroken) {
		gr_fail(err, r->payers_path, 0, "no payers in the table");
		goto out;
	}
	if (load_table(&t, r->rates_path, rate_cols, R_NCOLS, on_rate, err) != 0)
		goto out;
	if (t.rows.len > 1)
		qsort(t.rows.data, t.rows.len, sizeof(struct rate), cmp_rate);
	r->nrates = (uint32_t)t.rows.len;
	r->rates = arena_alloc(a, (t.rows.len ? t.rows.len : 1) * sizeof *r->rates);
	if (!r->rates) {
		gr_fail(err, r->rates_path, 0, "out of memory");
		goto out;
	}
	if (t.rows.len)
		memcpy(r->rates, t.rows.data, t.rows.len * sizeof *r->rates);
	if (index_groups(r, a) != 0) {
		gr_fail(err, r->rates_path, 0, "out of memory");
		goto out;
	}
	for (uint32_t i = 1; i < r->nrates; i++) {
		const struct rate *p = &r->rates[i - 1], *q = &r->rates[i];
		if (p->payer == q->payer && p->setting == q->setting &&
		    strcmp(p->code, q->code) == 0 && q->from <= p->to) {
			static const char *const sname[] = { "any setting", "office",
							     "facility" };
			value_format_date(q->from, date1);
			if (p->to == INT32_MAX)
				snprintf(date2, sizeof date2, "never");
			else
				value_format_date(p->to, date2);
			char msg[400];
			snprintf(msg, sizeof msg, "period starting %s overlaps the period "
				 "on line %zu (payer '%s', code %s, %s), which ends %s: "
				 "periods include both ends", date1, p->line,
				 r->payers[q->payer].id, q->code, sname[q->setting], date2);
			if (add_broken(&t, r->rates_path, q->line, msg) != 0) {
				gr_fail(err, r->rates_path, 0, "out of memory");
				goto out;
			}
		}
	}
	if (t.nbroken == 1) {
		*err = t.first;
		goto out;
	}
	if (t.nbroken > 1) {
		gr_fail(err, t.first.file, t.first.line, "%s (and %zu more broken rows "
			"in the rate tables)", t.first.msg, t.nbroken - 1);
		goto out;
	}
	rc = 0;
out:
	vec_free(&t.rows);
	vec_free(&t.bad_payers);
	if (rc != 0) {
		free(r->payers);
		r->payers = NULL;
		r->npayers = 0;
	} else {
		/* Keep the payer array in the arena so the caller frees nothing. */
		struct payer *p = arena_alloc(a, r->npayers * sizeof *p);
		if (!p) {
			free(r->payers);
			r->payers = NULL;
			return gr_fail(err, r->payers_path, 0, "out of memory");
		}
		memcpy(p, r->payers, r->npayers * sizeof *p);
		free(r->payers);
		r->payers = p;
	}
	return rc;
}

int rates_find_payer(const struct rates *r, const char *id)
{
	size_t n;

	while (isspace((unsigned char)*id))
		id++;
	n = strlen(id);
	while (n && isspace((unsigned char)id[n - 1]))
		n--;
	for (uint32_t i = 0; i < r->npayers; i++)
		if (strncasecmp(r->payers[i].id, id, n) == 0 && !r->payers[i].id[n])
			return (int)i;
	return -1;
}

enum rate_setting rates_setting_for_pos(int pos)
{
	switch (pos) {
	case 2: case 19: case 21: case 22: case 23: case 24: case 26: case 31:
	case 34: case 41: case 42: case 51: case 52: case 53: case 56: case 61:
		return SETTING_FACILITY;
	default:
		return SETTING_OFFICE;
	}
}

/* The row among BASE[0..N) (one payer, code and setting, sorted by from)
 * whose period holds DAY. */
static const struct rate *in_force(const struct rate *base, size_t n, int32_t day)
{
	size_t lo = 0, hi = n;

	/* First row with from > day; the candidate is the one before it. */
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		if (base[mid].from <= day)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return NULL;
	const struct rate *c = &base[lo - 1];
	return day <= c->to ? c : NULL;
}

static const struct rate *lookup_setting(const struct rates *r, uint32_t payer,
					 const char *code,
					 enum rate_setting setting, int32_t day)
{
	/* The rows of (payer, code, setting) by hash: a binary search over
	 * the whole table compared codes with strcmp at every step. */
	if (!r->nslots)
		return NULL;
	uint32_t g = r->slots[group_slot(r, payer, code, setting)];
	if (!g)
		return NULL;
	const struct rate_group *x = &r->groups[g - 1];
	return in_force(&r->rates[x->lo], x->n, day);
}

const struct rate *rates_lookup(const struct rates *r, uint32_t payer,
				const char *code, enum rate_setting setting,
				int32_t day)
{
	const struct rate *exact = NULL;

	if (setting != SETTING_ANY)
		exact = lookup_setting(r, payer, code, setting, day);
	return exact ? exact : lookup_setting(r, payer, code, SETTING_ANY, day);
}

int32_t rates_share(const struct payer *p, const char *licence)
{
	if (!licence || !*licence)
		return 10000;
	for (uint32_t i = 0; i < p->nshares; i++)
		if (strcasecmp(p->shares[i].licence, licence) == 0)
			return p->shares[i].bp;
	return 10000;
}

bool rates_credentialed(const struct payer *p, const char *licence)
{
	if (!p->ncredentials)
		return true;
	if (!licence || !*licence)
		return true; /* unknown licence: not checkable, see rules.c */
	/* Asked once per line (rules.c): the first byte, folded as
	 * strcasecmp folds letters (in the C locale), rules out most of the
	 * list without a call.  Bytes that differ here differ there too. */
	unsigned char first = (unsigned char)licence[0] | 0x20;
	for (uint32_t i = 0; i < p->ncredentials; i++)
		if (((unsigned char)p->credentials[i][0] | 0x20) == first &&
		    strcasecmp(p->credentials[i], licence) == 0)
			return true;
	return false;
}
