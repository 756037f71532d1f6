/* match.c — remittance service lines to attendance lines (match.h).
 *
 * Three hash tables over the attended lines (GLib's GHashTable; keys in
 * the arena): line_ref; claim_id + date; member + date.  Lines sharing a
 * key are chained in file order through next[], so the first line that
 * passes the payer check is taken.
 */
#include "billing/match.h"

#include <glib.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/value.h"

#define ADDON_CODE "90785"
#define PRIMARY_CODE "90853"

struct tables {
	GHashTable *ref, *claim, *member;
	int32_t *next_ref, *next_claim, *next_member;
	int32_t *rates_payer; /* roster payer id -> rates payer index, -1 */
	const char **taken;   /* roster line -> CLP01 of the first claim that
	                       * matched it by rule 2 or 3, NULL */
};

/* ID, a unit separator and the day number into K (N + 10 bytes). */
static void fill_key(char *k, const char *id, size_t n, int32_t date)
{
	memcpy(k, id, n);
	k[n++] = '\x1f';
	uint32_t v = (uint32_t)date ^ 0x80000000u; /* negative days too */
	for (int i = 0; i < 8; i++, v >>= 4)
		k[n++] = "0123456789abcdef"[v & 15];
	k[n] = '\0';
}

/* The key of ID on DATE, a unit separator between them: no id can fake
 * another's key.  Kept in the arena (the tables' keys). */
static char *date_key(struct arena *a, const char *id, int32_t date)
{
	size_t n = strlen(id);
	char *k = arena_alloc(a, n + 10);
	if (k)
		fill_key(k, id, n, date);
	return k;
}

/* The same for a lookup: into BUF when it fits, else the arena. */
static char *lookup_key(struct arena *a, char *buf, size_t size, const char *id,
			int32_t date)
{
	size_t n = strlen(id);
	if (n + 10 > size)
		return date_key(a, id, date);
	fill_key(buf, id, n, date);
	return buf;
}

/* Put line I under KEY, after the lines already there. */
static void chain(GHashTable *h, int32_t *next, char *key, int32_t i)
{
	gpointer v = g_hash_table_lookup(h, key);
	next[i] = -1;
	if (!v) {
		g_hash_table_insert(h, key, GINT_TO_POINTER(i + 1));
		return;
	}
	int32_t j = GPOINTER_TO_INT(v) - 1;
	while (next[j] >= 0)
		j = next[j];
	next[j] = i;
}

static int32_t first(GHashTable *h, const char *key)
{
	return GPOINTER_TO_INT(g_hash_table_lookup(h, key)) - 1;
}

static const char *key_str(const struct roster *r, uint32_t id)
{
	return id == NO_KEY ? NULL : strpool_str(&r->remit_keys, id);
}

static int build_tables(struct tables *t, const struct roster *r,
			const struct rates *rates, struct arena *a)
{
	size_t n = r->lines.len;
	bool keys = r->keys.len == n && n > 0;
	bool insured = keys && (r->columns & COL_INSURED_ID);
	t->ref = g_hash_table_new(g_str_hash, g_str_equal);
	t->claim = g_hash_table_new(g_str_hash, g_str_equal);
	t->member = g_hash_table_new(g_str_hash, g_str_equal);
	t->next_ref = malloc((n + 1) * sizeof(int32_t));
	t->next_claim = malloc((n + 1) * sizeof(int32_t));
	t->next_member = malloc((n + 1) * sizeof(int32_t));
	t->rates_payer = malloc((r->payers.count + 1) * sizeof(int32_t));
	t->taken = calloc(n + 1, sizeof *t->taken);
	if (!t->next_ref || !t->next_claim || !t->next_member || !t->rates_payer ||
	    !t->taken)
		return -1;
	for (uint32_t p = 0; p < r->payers.count; p++) {
		t->rates_payer[p] = -1;
		for (size_t k = 0; rates && k < rates->npayers; k++)
			if (!strcmp(rates->payers[k].id, strpool_str(&r->payers, p)))
				t->rates_payer[p] = (int32_t)k;
	}
	for (size_t i = 0; i < n; i++) {
		const struct line *ln = roster_line(r, i);
		if (!(ln->flags & LINE_ATTENDED))
			continue;
		int32_t date = roster_session(r, ln->session)->date;
		const struct line_keys *k = keys ? &VEC_AT(&r->keys, struct line_keys, i) : NULL;
		const char *s;
		char *key;
		if (k && (s = key_str(r, k->line_ref))) {
			if (!(key = arena_strdup(a, s)))
				return -1;
			chain(t->ref, t->next_ref, key, (int32_t)i);
		}
		if (k && (s = key_str(r, k->claim_id))) {
			if (!(key = date_key(a, s, date)))
				return -1;
			chain(t->claim, t->next_claim, key, (int32_t)i);
		}
		s = insured ? key_str(r, k->insured_id) : NULL;
		if (!s)
			s = strpool_str(&r->members, ln->member);
		if (!(key = date_key(a, s, date)))
			return -1;
		chain(t->member, t->next_member, key, (int32_t)i);
	}
	return 0;
}

static void free_tables(struct tables *t)
{
	if (t->ref)
		g_hash_table_destroy(t->ref);
	if (t->claim)
		g_hash_table_destroy(t->claim);
	if (t->member)
		g_hash_table_destroy(t->member);
	free(t->next_ref);
	free(t->next_claim);
	free(t->next_member);
	free(t->rates_payer);
	free(t->taken);
}

/* Does line I belong to the payer of payment P?  Only checked when some
 * payer of payers.csv has P's payer id as its remit_id. */
static bool payer_ok(const struct tables *t, const struct roster *r,
		     const struct rates *rates, bool checked, const char *remit_id,
		     int32_t i)
{
	if (!checked)
		return true;
	int32_t k = t->rates_payer[roster_line(r, (size_t)i)->payer];
	return k >= 0 && !strcmp(rates->payers[k].remit_id, remit_id);
}

static bool is_addon(const struct roster *r, const char *code)
{
	if (!strcmp(code, ADDON_CODE))
		return true;
	for (uint32_t k = 0; r && k < r->addons.count; k++)
		if (!strcmp(strpool_str(&r->addons, k), code))
			return true;
	return false;
}

static int count_code(struct match *m, const char *code, int64_t paid)
{
	for (size_t i = 0; i < m->other_codes.len; i++) {
		struct code_count *c = &VEC_AT(&m->other_codes, struct code_count, i);
		if (!strcmp(c->code, code)) {
			c->lines++;
			c->paid += paid;
			return 0;
		}
	}
	struct code_count *c = vec_push(&m->other_codes);
	if (!c)
		return -1;
	*c = (struct code_count){ code, 1, paid };
	return 0;
}

/* The candidate to take from the chain at I: the first line no other
 * claim has taken (a member with two sessions on one day has two claims:
 * they go to the two lines in order), else the first; -1 when none
 * passes OK (payer check) — *SEEN tells whether any line was there. */
static int32_t take(const struct tables *t, const int32_t *next, int32_t i,
		    const char *claim_id, bool (*ok)(const void *, int32_t),
		    const void *okctx, bool *seen)
{
	int32_t any = -1;
	for (; i >= 0; i = next[i]) {
		*seen = true;
		if (ok && !ok(okctx, i))
			continue;
		if (!t->taken[i] || !strcmp(t->taken[i], claim_id))
			return i;
		if (any < 0)
			any = i;
	}
	return any;
}

struct payer_check {
	const struct tables *t;
	const struct roster *r;
	const struct rates *rates;
	bool checked;
	const char *remit_id;
};

static bool payer_fits(const void *ctx, int32_t i)
{
	const struct payer_check *pc = ctx;
	return payer_ok(pc->t, pc->r, pc->rates, pc->checked, pc->remit_id, i);
}

/* Rules 1-3 for the 90853 line L of claim C. */
static void match_primary(struct match *m, struct tables *t,
			  const struct roster *r, const struct rates *rates,
			  const struct remit_line *l, const struct remit_claim *c,
			  struct match_result *res, struct arena *a)
{
	const struct remit_payment *p = remit_payment_at(m->rm, c->payment);
	int32_t i;
	if (l->line_ref[0] && (i = first(t->ref, l->line_ref)) >= 0) {
		*res = (struct match_result){ i, MATCH_LINE_REF, NULL };
		if (!t->taken[i])
			t->taken[i] = c->claim_id;
		return;
	}
	if (l->o.service_date == OUTCOME_NO_DATE) {
		res->why = "no date of service";
		return;
	}
	char kbuf[128];
	char *key = lookup_key(a, kbuf, sizeof kbuf, c->claim_id, l->o.service_date);
	bool seen = false, other_payer = false;
	if (key && (i = take(t, t->next_claim, first(t->claim, key), c->claim_id, NULL,
			      NULL, &seen)) >= 0) {
		*res = (struct match_result){ i, MATCH_CLAIM, NULL };
		if (!t->taken[i])
			t->taken[i] = c->claim_id;
		return;
	}
	struct payer_check pc = { t, r, rates, false, p->payer_id };
	for (size_t k = 0; rates && p->payer_id[0] && k < rates->npayers; k++)
		if (!strcmp(rates->payers[k].remit_id, p->payer_id))
			pc.checked = true;
	const char *ids[2] = { c->insured_id, c->patient_id };
	for (int w = 0; w < 2; w++) {
		if (!ids[w][0] || (w == 1 && !strcmp(ids[0], ids[1])))
			continue;
		key = lookup_key(a, kbuf, sizeof kbuf, ids[w], l->o.service_date);
		seen = false;
		i = key ? take(t, t->next_member, first(t->member, key), c->claim_id,
			       payer_fits, &pc, &seen) : -1;
		if (i >= 0) {
			*res = (struct match_result){ i, MATCH_MEMBER, NULL };
			if (!t->taken[i])
				t->taken[i] = c->claim_id;
			return;
		}
		other_payer = other_payer || seen;
	}
	char d[16];
	value_format_date(l->o.service_date, d);
	res->why = other_payer
		? arena_printf(a, "the member's attended line of %s is of another payer than %s",
			       d, p->payer_id)
		: arena_printf(a, "no attended line with this line_ref, claim_id %s or member id on %s",
			       c->claim_id, d);
}

/* A before B: payment date, then reading order. */
static bool later(const struct remit *rm, uint32_t a, uint32_t b)
{
	int32_t da = remit_line_at(rm, a)->o.paid_date;
	int32_t db = remit_line_at(rm, b)->o.paid_date;
	return da != db ? da > db : a > b;
}

static void add_amounts(struct outcome *o, const struct outcome *x)
{
	o->charge += x->charge;
	o->paid += x->paid;
	o->allowed += x->allowed;
	o->patient_resp += x->patient_resp;
	o->contractual += x->contractual;
	o->other_adj += x->other_adj;
}

static int conflicts_of(struct match *m, const struct roster *r,
			const struct applied *ap, struct arena *a)
{
	const struct line *ln = roster_line(r, ap->line);
	static const char *const att_name[] = { "", "paid", "denied", "pending" };
	uint8_t st = ap->o.status == OUTCOME_DENIED ? STATUS_DENIED : STATUS_PAID;
	char what[200] = "";
	size_t n = 0;
	if (ln->status != STATUS_NONE && ln->status != st) {
		n += (size_t)snprintf(what + n, sizeof what - n,
				      "status: attendance %s, remittance %s",
				      att_name[ln->status & 3],
				      outcome_status_name(ap->o.status));
		m->status_conflicts++;
	}
	if ((ln->flags & LINE_HAS_PAID) && ln->paid != ap->o.paid) {
		char c1[32], c2[32];
		n += (size_t)snprintf(what + n, sizeof what - n,
				      "%spaid: attendance %s, remittance %s", n ? "; " : "",
				      remit_cents(ln->paid, c1), remit_cents(ap->o.paid, c2));
		m->paid_conflicts++;
	}
	if (!n)
		return 0;
	struct conflict *c = vec_push(&m->conflicts);
	if (!c)
		return -1;
	*c = (struct conflict){ ap->line, ap->remit_line, arena_strdup(a, what) };
	return c->what ? 0 : -1;
}

/* The standing outcome of every matched attendance line. */
static int settle(struct match *m, const struct roster *r, int32_t *parent,
		  struct arena *a)
{
	const struct remit *rm = m->rm;
	size_t nl = rm->lines.len, nr = r->lines.len;
	int32_t *prim = malloc((nr + 1) * sizeof *prim);
	int32_t *sec = malloc((nr + 1) * sizeof *sec); /* latest secondary */
	int32_t *earliest = malloc((nr + 1) * sizeof *earliest); /* earliest primary */
	int rc = -1;
	if (!prim || !sec || !earliest)
		goto out;
	for (size_t i = 0; i < nr; i++)
		prim[i] = sec[i] = earliest[i] = -1;
	for (size_t i = 0; i < nl; i++) {
		const struct match_result *x = &m->res[i];
		if (x->how < MATCH_LINE_REF || x->how > MATCH_MEMBER)
			continue;
		int32_t *slot = remit_claim_at(rm, remit_line_at(rm, i)->claim)->role ==
					ROLE_SECONDARY ? sec : prim;
		if (slot[x->line] < 0 || later(rm, (uint32_t)i, (uint32_t)slot[x->line]))
			slot[x->line] = (int32_t)i;
		if (slot == prim && (earliest[x->line] < 0 ||
				     later(rm, (uint32_t)earliest[x->line], (uint32_t)i)))
			earliest[x->line] = (int32_t)i;
	}
	for (size_t li = 0; li < nr; li++) {
		int32_t w = prim[li] >= 0 ? prim[li] : sec[li];
		if (w < 0)
			continue;
		struct applied *ap = vec_push(&m->applied);
		if (!ap)
			goto out;
		const struct remit_line *wl = remit_line_at(rm, (size_t)w);
		ap->o = wl->o;
		ap->line = (uint32_t)li;
		ap->remit_line = (uint32_t)w;
		ap->first_denied = earliest[li] >= 0
			? remit_line_at(rm, (size_t)earliest[li])->o.status == OUTCOME_DENIED
			: wl->o.status == OUTCOME_DENIED;
		ap->check = remit_payment_at(rm, remit_claim_at(rm, wl->claim)->payment)->check;
		m->applied_of[li] = (int32_t)(m->applied.len - 1);
	}
	/* Secondary payments and add-ons onto the standing outcomes. */
	for (size_t i = 0; i < nl; i++) {
		const struct match_result *x = &m->res[i];
		const struct remit_line *l = remit_line_at(rm, i);
		if (x->line < 0 || m->applied_of[x->line] < 0)
			continue;
		struct applied *ap = &VEC_AT(&m->applied, struct applied, m->applied_of[x->line]);
		int32_t base = x->how == MATCH_ADDON ? parent[i] : (int32_t)i;
		bool is_sec = remit_claim_at(rm, remit_line_at(rm, (size_t)base)->claim)->role ==
			      ROLE_SECONDARY;
		bool winner = (uint32_t)base == ap->remit_line;
		if (x->how == MATCH_ADDON && winner) {
			add_amounts(&ap->o, &l->o);
		} else if (is_sec && !winner) {
			ap->o.paid += l->o.paid;
		} else {
			continue;
		}
		if (l->o.paid_date > ap->o.paid_date)
			ap->o.paid_date = l->o.paid_date;
	}
	/* The patient's share is what the last payer left. */
	for (size_t li = 0; li < nr; li++) {
		if (prim[li] < 0 || sec[li] < 0)
			continue;
		struct applied *ap = &VEC_AT(&m->applied, struct applied, m->applied_of[li]);
		ap->o.patient_resp = remit_line_at(rm, (size_t)sec[li])->o.patient_resp;
		for (size_t i = 0; i < nl; i++)
			if (m->res[i].how == MATCH_ADDON && parent[i] == sec[li])
				ap->o.patient_resp += remit_line_at(rm, i)->o.patient_resp;
	}
	for (size_t k = 0; k < m->applied.len; k++)
		if (conflicts_of(m, r, &VEC_AT(&m->applied, struct applied, k), a) != 0)
			goto out;
	rc = 0;
out:
	free(prim);
	free(sec);
	free(earliest);
	return rc;
}

int match_run(struct match *m, const struct remit *rm, const struct roster *r,
	      const struct rates *rates, struct arena *a, struct gr_err *err)
{
	struct tables t = { 0 };
	size_t nl = rm->lines.len;
	int32_t *parent = NULL;
	int rc = -1;

	memset(m, 0, sizeof *m);
	m->rm = rm;
	m->attendance = r != NULL;
	vec_init(&m->applied, sizeof(struct applied));
	vec_init(&m->conflicts, sizeof(struct conflict));
	vec_init(&m->other_codes, sizeof(struct code_count));
	m->res = calloc(nl + 1, sizeof *m->res);
	parent = malloc((nl + 1) * sizeof *parent);
	if (!m->res || !parent)
		goto oom;
	if (r) {
		m->applied_of = malloc((r->lines.len + 1) * sizeof *m->applied_of);
		if (!m->applied_of || build_tables(&t, r, rates, a) != 0)
			goto oom;
		for (size_t i = 0; i < r->lines.len; i++)
			m->applied_of[i] = -1;
	}
	for (size_t i = 0; i < nl; i++) {
		m->res[i] = (struct match_result){ -1, MATCH_NONE, NULL };
		parent[i] = -1;
	}
	/* 90853 lines first, then the add-ons join them. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nl; i++) {
			const struct remit_line *l = remit_line_at(rm, i);
			const struct remit_claim *c = remit_claim_at(rm, l->claim);
			struct match_result *x = &m->res[i];
			bool primary = !strcmp(l->code, PRIMARY_CODE);
			bool addon = !primary && is_addon(r, l->code);
			if (pass == 0 ? !primary : !addon)
				continue;
			if (c->role == ROLE_REVERSAL) {
				if (c->reverses >= 0)
					x->how = MATCH_REVERSAL;
				else
					x->why = "a reversal of an adjudication not in these files";
				continue;
			}
			if (c->reversed_by >= 0) {
				x->how = MATCH_REVERSED;
				continue;
			}
			if (!r) {
				x->why = "no attendance file given";
				continue;
			}
			if (primary) {
				match_primary(m, &t, r, rates, l, c, x, a);
				if (x->how == MATCH_NONE && !x->why)
					goto oom;
				continue;
			}
			/* An add-on: the matched 90853 line of its claim, same date. */
			for (uint32_t k = 0; k < c->nlines; k++) {
				size_t j = c->first_line + k;
				const struct remit_line *pl = remit_line_at(rm, j);
				if (m->res[j].line >= 0 && !strcmp(pl->code, PRIMARY_CODE) &&
				    pl->o.service_date == l->o.service_date) {
					*x = (struct match_result){ m->res[j].line, MATCH_ADDON, NULL };
					parent[i] = (int32_t)j;
					break;
				}
			}
			if (x->how == MATCH_NONE)
				x->why = arena_printf(a, "add-on %s without a matched %s line of the same date in its claim",
						      l->code, PRIMARY_CODE);
		}
	for (size_t i = 0; i < nl; i++) {
		const struct remit_line *l = remit_line_at(rm, i);
		struct match_result *x = &m->res[i];
		if (strcmp(l->code, PRIMARY_CODE) && !is_addon(r, l->code) &&
		    x->how == MATCH_NONE && !x->why) {
			x->how = MATCH_OTHER_CODE;
			m->other_lines++;
			if (count_code(m, l->code, l->o.paid) != 0)
				goto oom;
			continue;
		}
		if (x->how >= MATCH_LINE_REF && x->how <= MATCH_MEMBER)
			m->by_rule[x->how]++;
		else if (x->how == MATCH_ADDON)
			m->addons++;
		else if (x->how == MATCH_REVERSAL || x->how == MATCH_REVERSED)
			m->reversal_lines++;
		else if (x->how == MATCH_NONE) {
			if (!x->why)
				goto oom;
			if (r) /* without an attendance file nothing could match */
				m->unmatched++;
		}
	}
	if (r && settle(m, r, parent, a) != 0)
		goto oom;
	rc = 0;
	goto out;
oom:
	gr_fail(err, NULL, 0, "out of memory matching the remittances");
out:
	free(parent);
	free_tables(&t);
	return rc;
}

int match_apply(const struct match *m, struct roster *r, struct gr_err *err)
{
	for (size_t k = 0; k < m->applied.len; k++) {
		const struct applied *ap = &VEC_AT(&m->applied, struct applied, k);
		struct line *ln = roster_line(r, ap->line);
		if (ap->o.paid > INT32_MAX / 2 || ap->o.paid < -(INT32_MAX / 2))
			return gr_fail(err, r->path, ln->src_line,
				       "the remittance pays this line more than one line can hold");
		ln->status = ap->o.status == OUTCOME_DENIED ? STATUS_DENIED : STATUS_PAID;
		ln->paid = (int32_t)ap->o.paid;
		ln->flags |= LINE_HAS_PAID;
		ln->carc = NO_ID16;
		size_t n = strcspn(ap->o.carc, ";");
		if (n) {
			uint32_t id;
			if (strpool_intern(&r->carcs, ap->o.carc, n, &id) != 0)
				return gr_fail(err, NULL, 0, "out of memory applying the remittances");
			if (id >= NO_ID16)
				return gr_fail(err, NULL, 0,
					       "more than %u different reason codes", NO_ID16);
			ln->carc = (uint16_t)id;
		}
	}
	return 0;
}

void match_free(struct match *m)
{
	free(m->res);
	free(m->applied_of);
	vec_free(&m->applied);
	vec_free(&m->conflicts);
	vec_free(&m->other_codes);
	m->res = NULL;
	m->applied_of = NULL;
}

const char *match_label(const struct match *m, const struct roster *r,
			size_t i, char *buf, size_t size)
{
	const struct match_result *x = &m->res[i];
	const struct remit *rm = m->rm;
	const struct remit_claim *c = remit_claim_at(rm, remit_line_at(rm, i)->claim);
	switch (x->how) {
	case MATCH_LINE_REF:
	case MATCH_CLAIM:
	case MATCH_MEMBER:
	case MATCH_ADDON:
		snprintf(buf, size, "%u", roster_line(r, (size_t)x->line)->src_line);
		break;
	case MATCH_OTHER_CODE:
		snprintf(buf, size, "other code");
		break;
	case MATCH_REVERSAL: {
		const struct remit_claim *o = remit_claim_at(rm, (size_t)c->reverses);
		snprintf(buf, size, "reversal of %s:segment %zu",
			 remit_payment_at(rm, o->payment)->file, o->segment);
		break;
	}
	case MATCH_REVERSED: {
		const struct remit_claim *o = remit_claim_at(rm, (size_t)c->reversed_by);
		snprintf(buf, size, "reversed by %s:segment %zu",
			 remit_payment_at(rm, o->payment)->file, o->segment);
		break;
	}
	default:
		snprintf(buf, size, "unmatched: %s", x->why ? x->why : "");
	}
	return buf;
}
