/* match.c — remittance service lines to attendance lines (match.h).
 *
 * The ids of the attended lines (line_ref, claim_id, the insured or
 * member id) are numbered by their text in a string pool of this module
 * (each roster string once), and three open-addressing tables are keyed
 * by numbers: line_ref; claim_id + date; member + date.  An 835's id is
 * looked up in the pool once, then its key in the table: no key strings
 * are built, hashed or compared.  Lines sharing a key are chained in
 * file order through next[], so the first line that passes the payer
 * check is taken.
 */
#include "billing/match.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/strpool.h"
#include "core/value.h"

#define ADDON_CODE "90785"
#define PRIMARY_CODE "90853"

/* A key — an id's number in struct tables' pool and a day (0 for
 * line_ref, which has no date) — with the first line under it.  Twelve
 * bytes: the member table of a year's attendance is 12 MB, not 32. */
struct slot {
	uint32_t id;  /* number + 1; 0 = empty */
	int32_t date;
	int32_t head;
};

/* Open addressing, linear probing, at most three quarters full: a lookup
 * reads one or two adjacent slots. */
struct keytab {
	struct slot *slots;
	size_t mask; /* slots - 1, a power of two minus one */
	size_t n;    /* keys in it */
};

/* Lines are matched, and put in the tables, with the slot of the line
 * this many lines later already asked of memory: a table is far larger
 * than the caches and a key's slot can be anywhere in it, so each lookup
 * would otherwise wait for memory on its own. */
#define AHEAD 8

/* The keys of one line (0: none). */
struct keys3 {
	uint64_t ref, claim, member;
};

struct tables {
	struct arena scratch; /* the ids' text: scratch, released with the tables */
	struct strpool ids;   /* the attended lines' ids by text */
	struct keytab ref, claim, member;
	int32_t *next_ref, *next_claim, *next_member;
	int32_t *rates_payer; /* roster payer id -> rates payer index, -1 */
	const char **taken;   /* roster line -> CLP01 of the first claim that
	                       * matched it by rule 2 or 3, NULL */
	int32_t payment;      /* the payment whose payer check is in checked, */
	bool checked;         /* -1 none (a payment's lines come together) */
};

static uint64_t key_of(uint32_t id, int32_t date)
{
	return (uint64_t)(id + 1u) << 32 | (uint32_t)date;
}

static size_t key_hash(uint64_t k)
{
	k ^= k >> 33;
	k *= 0xff51afd7ed558ccdULL;
	k ^= k >> 33;
	return (size_t)k;
}

/* Room for N keys. */
static int keytab_init(struct keytab *t, size_t n)
{
	size_t size = 64;
	while (size - size / 4 < n)
		size *= 2;
	t->slots = calloc(size, sizeof *t->slots);
	t->mask = size - 1;
	return t->slots ? 0 : -1;
}

/* Ask memory for the slot of KEY (not 0) in T ahead of its lookup.  A
 * macro: GCC 12 takes a function around __builtin_prefetch for one
 * without effects and drops its calls. */
#if defined(__GNUC__)
#define PREFETCH_KEY(t, key)                                                   \
	do {                                                                   \
		if (key)                                                       \
			__builtin_prefetch(&(t)->slots[key_hash(key) & (t)->mask]); \
	} while (0)
#else
#define PREFETCH_KEY(t, key) ((void)(t), (void)(key))
#endif

/* The slot of KEY: its own, or the empty one where it would go. */
static struct slot *keytab_slot(const struct keytab *t, uint64_t key)
{
	uint32_t id = (uint32_t)(key >> 32);
	int32_t date = (int32_t)(uint32_t)key;
	for (size_t i = key_hash(key) & t->mask;; i = (i + 1) & t->mask) {
		struct slot *sl = &t->slots[i];
		if ((sl->id == id && sl->date == date) || !sl->id)
			return sl;
	}
}

/* Put line I under KEY, before the lines already there: called for the
 * lines from the last to the first, it chains each key's in file order. */
static void chain(struct keytab *t, int32_t *next, uint64_t key, int32_t i)
{
	struct slot *sl = keytab_slot(t, key);
	if (!sl->id) {
		*sl = (struct slot){ (uint32_t)(key >> 32), (int32_t)(uint32_t)key, -1 };
		t->n++;
	}
	next[i] = sl->head;
	sl->head = i;
}

static int32_t first(const struct keytab *t, uint64_t key)
{
	if (!t->slots || !t->n)
		return -1;
	const struct slot *sl = keytab_slot(t, key);
	return sl->id ? sl->head : -1;
}

/* The number of the attended lines' id S, or -1 when no line has it. */
static int64_t id_of(const struct tables *t, const char *s)
{
	uint32_t id;
	return strpool_find(&t->ids, s, strlen(s), &id) == 0 ? (int64_t)id : -1;
}

/* The pool number of string ID of roster pool P, through CACHE (one
 * entry per id of P, UINT32_MAX until first asked): the roster's strings
 * are each hashed once, not once per line. */
static int number(struct tables *t, const struct strpool *p, uint32_t *cache,
		  uint32_t id, uint32_t *out)
{
	if (cache[id] == UINT32_MAX) {
		const char *s = strpool_str(p, id);
		if (strpool_intern(&t->ids, s, strlen(s), &cache[id]) != 0)
			return -1;
	}
	*out = cache[id];
	return 0;
}

static uint32_t *unnumbered(uint32_t n)
{
	uint32_t *c = malloc(((size_t)n + 1) * sizeof *c);
	if (c)
		memset(c, 0xff, ((size_t)n + 1) * sizeof *c);
	return c;
}

static int build_tables(struct tables *t, const struct roster *r,
			const struct rates *rates)
{
	size_t n = r->lines.len;
	bool keys = r->keys.len == n && n > 0;
	bool insured = keys && (r->columns & COL_INSURED_ID);
	uint32_t *by_key = unnumbered(r->remit_keys.count);
	uint32_t *by_member = unnumbered(r->members.count);
	/* The keys of every line, then the tables in one pass: the member
	 * key always, the others only with the columns. */
	uint64_t *mk = calloc(n + 1, sizeof *mk);
	uint64_t *rk = keys ? calloc(n + 1, sizeof *rk) : NULL;
	uint64_t *ck = keys ? calloc(n + 1, sizeof *ck) : NULL;
	int rc = -1;
	arena_init(&t->scratch);
	strpool_init(&t->ids, &t->scratch);
	t->payment = -1;
	t->next_ref = malloc((n + 1) * sizeof(int32_t));
	t->next_claim = malloc((n + 1) * sizeof(int32_t));
	t->next_member = malloc((n + 1) * sizeof(int32_t));
	t->rates_payer = malloc((r->payers.count + 1) * sizeof(int32_t));
	t->taken = calloc(n + 1, sizeof *t->taken);
	if (!t->next_ref || !t->next_claim || !t->next_member || !t->rates_payer ||
	    !t->taken || !by_key || !by_member || !mk || (keys && (!rk || !ck)) ||
	    keytab_init(&t->member, n) != 0 ||
	    keytab_init(&t->ref, keys ? n : 0) != 0 ||
	    keytab_init(&t->claim, keys ? n : 0) != 0)
		goto out;
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
		uint32_t id;
		if (k && k->line_ref != NO_KEY) {
			if (number(t, &r->remit_keys, by_key, k->line_ref, &id) != 0)
				goto out;
			rk[i] = key_of(id, 0);
		}
		if (k && k->claim_id != NO_KEY) {
			if (number(t, &r->remit_keys, by_key, k->claim_id, &id) != 0)
				goto out;
			ck[i] = key_of(id, date);
		}
		/* The insured id, or the member id when the cell is empty. */
		if (insured && k->insured_id != NO_KEY) {
			if (number(t, &r->remit_keys, by_key, k->insured_id, &id) != 0)
				goto out;
		} else if (number(t, &r->members, by_member, ln->member, &id) != 0) {
			goto out;
		}
		mk[i] = key_of(id, date);
	}
	/* From the last line to the first (see chain). */
	for (size_t i = n; i-- > 0;) {
		if (i >= AHEAD) {
			PREFETCH_KEY(&t->member, mk[i - AHEAD]);
			if (keys) {
				PREFETCH_KEY(&t->ref, rk[i - AHEAD]);
				PREFETCH_KEY(&t->claim, ck[i - AHEAD]);
			}
		}
		if (keys && rk[i])
			chain(&t->ref, t->next_ref, rk[i], (int32_t)i);
		if (keys && ck[i])
			chain(&t->claim, t->next_claim, ck[i], (int32_t)i);
		if (mk[i])
			chain(&t->member, t->next_member, mk[i], (int32_t)i);
	}
	rc = 0;
out:
	free(by_key);
	free(by_member);
	free(mk);
	free(rk);
	free(ck);
	return rc;
}

static void free_tables(struct tables *t)
{
	strpool_free(&t->ids);
	arena_release(&t->scratch);
	free(t->ref.slots);
	free(t->claim.slots);
	free(t->member.slots);
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

/* What a remittance line is to the matching, a byte a line, so that the
 * passes over the lines read this rather than the lines. */
enum { KIND_OTHER = 0, KIND_PRIMARY = 1, KIND_ADDON = 2, KIND_SECONDARY = 4 };

/* The keys of the 90853 line L of claim C in T's tables, 0 where it has
 * none or no attended line has its id (the member key is the insured's;
 * the patient's, when another, is looked up by match_primary). */
static struct keys3 keys_of(const struct tables *t, const struct remit_line *l,
			    const struct remit_claim *c)
{
	struct keys3 k = { 0, 0, 0 };
	int64_t id;
	int32_t date = l->o.service_date;
	if (t->ref.n && l->line_ref[0] && (id = id_of(t, l->line_ref)) >= 0)
		k.ref = key_of((uint32_t)id, 0);
	if (date == OUTCOME_NO_DATE)
		return k;
	if (t->claim.n && (id = id_of(t, c->claim_id)) >= 0)
		k.claim = key_of((uint32_t)id, date);
	if (t->member.n && c->insured_id[0] && (id = id_of(t, c->insured_id)) >= 0)
		k.member = key_of((uint32_t)id, date);
	return k;
}

/* Rules 1-3 for the 90853 line L of claim C, whose keys are KEYS. */
static void match_primary(struct match *m, struct tables *t,
			  const struct roster *r, const struct rates *rates,
			  const struct remit_line *l, const struct remit_claim *c,
			  const struct keys3 *keys, struct match_result *res,
			  struct arena *a)
{
	const struct remit_payment *p = remit_payment_at(m->rm, c->payment);
	int32_t i;
	int64_t id;
	if (keys->ref && (i = first(&t->ref, keys->ref)) >= 0) {
		*res = (struct match_result){ i, MATCH_LINE_REF, NULL };
		if (!t->taken[i])
			t->taken[i] = c->claim_id;
		return;
	}
	if (l->o.service_date == OUTCOME_NO_DATE) {
		res->why = "no date of service";
		return;
	}
	bool seen = false, other_payer = false;
	if (keys->claim && (i = take(t, t->next_claim, first(&t->claim, keys->claim),
				  c->claim_id, NULL, NULL, &seen)) >= 0) {
		*res = (struct match_result){ i, MATCH_CLAIM, NULL };
		if (!t->taken[i])
			t->taken[i] = c->claim_id;
		return;
	}
	/* Whether some payer has the payment's payer id, once a payment. */
	if (t->payment != (int32_t)c->payment) {
		t->payment = (int32_t)c->payment;
		t->checked = false;
		for (size_t k = 0; rates && p->payer_id[0] && k < rates->npayers; k++)
			if (!strcmp(rates->payers[k].remit_id, p->payer_id))
				t->checked = true;
	}
	struct payer_check pc = { t, r, rates, t->checked, p->payer_id };
	const char *ids[2] = { c->insured_id, c->patient_id };
	for (int w = 0; w < 2; w++) {
		if (!ids[w][0] || (w == 1 && !strcmp(ids[0], ids[1])))
			continue;
		seen = false;
		uint64_t key = w == 0 ? keys->member
			       : (id = id_of(t, ids[w])) >= 0
			       ? key_of((uint32_t)id, l->o.service_date) : 0;
		i = key ? take(t, t->next_member, first(&t->member, key), c->claim_id,
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
	char what[200];
	size_t n = 0;
	what[0] = '\0';
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
		  const uint8_t *kind, struct arena *a)
{
	const struct remit *rm = m->rm;
	size_t nl = rm->lines.len, nr = r->lines.len, standing = 0;
	int32_t *prim = malloc((nr + 1) * sizeof *prim);
	int32_t *sec = malloc((nr + 1) * sizeof *sec); /* latest secondary */
	int32_t *earliest = malloc((nr + 1) * sizeof *earliest); /* earliest primary */
	bool secondaries = false;
	int rc = -1;
	if (!prim || !sec || !earliest)
		goto out;
	for (size_t i = 0; i < nr; i++)
		prim[i] = sec[i] = earliest[i] = -1;
	for (size_t i = 0; i < nl; i++) {
		const struct match_result *x = &m->res[i];
		if (x->how < MATCH_LINE_REF || x->how > MATCH_MEMBER)
			continue;
		int32_t *slot = kind[i] & KIND_SECONDARY ? sec : prim;
		secondaries = secondaries || slot == sec;
		if (slot[x->line] < 0)
			standing += prim[x->line] < 0 && sec[x->line] < 0;
		if (slot[x->line] < 0 || later(rm, (uint32_t)i, (uint32_t)slot[x->line]))
			slot[x->line] = (int32_t)i;
		if (slot == prim && (earliest[x->line] < 0 ||
				     later(rm, (uint32_t)earliest[x->line], (uint32_t)i)))
			earliest[x->line] = (int32_t)i;
	}
	/* Their number is known: no growing (and copying) of the array. */
	if (vec_reserve(&m->applied, standing) != 0)
		goto out;
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
		/* A primary 90853 line adds nothing here (it is the winner or
		 * a later primary's loser): only add-ons and secondaries do. */
		if (x->line < 0 || m->applied_of[x->line] < 0 ||
		    (x->how != MATCH_ADDON && !(kind[i] & KIND_SECONDARY)))
			continue;
		const struct remit_line *l = remit_line_at(rm, i);
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
	for (size_t li = 0; secondaries && li < nr; li++) {
		if (prim[li] < 0 || sec[li] < 0)
			continue;
		struct applied *ap = &VEC_AT(&m->applied, struct applied, m->applied_of[li]);
		const struct remit_line *sl = remit_line_at(rm, (size_t)sec[li]);
		const struct remit_claim *sc = remit_claim_at(rm, sl->claim);
		ap->o.patient_resp = sl->o.patient_resp;
		/* An add-on's 90853 line is in its own claim (match_run), so
		 * only that claim's lines can be add-ons of this one. */
		for (uint32_t k = 0; k < sc->nlines; k++) {
			size_t i = sc->first_line + k;
			if (m->res[i].how == MATCH_ADDON && parent[i] == sec[li])
				ap->o.patient_resp += remit_line_at(rm, i)->o.patient_resp;
		}
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
	uint8_t *kind = malloc(nl + 1);
	struct keys3 *ahead = r ? calloc(nl + 1, sizeof *ahead) : NULL;
	int rc = -1;

	memset(m, 0, sizeof *m);
	m->rm = rm;
	m->attendance = r != NULL;
	vec_init(&m->applied, sizeof(struct applied));
	vec_init(&m->conflicts, sizeof(struct conflict));
	vec_init(&m->other_codes, sizeof(struct code_count));
	m->res = calloc(nl + 1, sizeof *m->res);
	parent = malloc((nl + 1) * sizeof *parent);
	if (!m->res || !parent || !kind || (r && !ahead))
		goto oom;
	if (r) {
		m->applied_of = malloc((r->lines.len + 1) * sizeof *m->applied_of);
		if (!m->applied_of || build_tables(&t, r, rates) != 0)
			goto oom;
		for (size_t i = 0; i < r->lines.len; i++)
			m->applied_of[i] = -1;
	}
	/* What each line is, and the keys of the 90853 lines to be matched,
	 * in one pass over the lines. */
	const char *last_code = NULL;
	uint8_t last_kind = KIND_OTHER;
	for (size_t i = 0; i < nl; i++) {
		const struct remit_line *l = remit_line_at(rm, i);
		const struct remit_claim *c = remit_claim_at(rm, l->claim);
		m->res[i] = (struct match_result){ -1, MATCH_NONE, NULL };
		parent[i] = -1;
		/* Codes are kept once while they repeat (model/remit.c): the
		 * same pointer is the same code. */
		if (l->code != last_code) {
			last_code = l->code;
			last_kind = !strcmp(l->code, PRIMARY_CODE) ? KIND_PRIMARY
				    : is_addon(r, l->code) ? KIND_ADDON : KIND_OTHER;
		}
		kind[i] = (uint8_t)(last_kind | (c->role == ROLE_SECONDARY ? KIND_SECONDARY : 0));
		if (r && last_kind == KIND_PRIMARY && c->role != ROLE_REVERSAL &&
		    c->reversed_by < 0)
			ahead[i] = keys_of(&t, l, c);
	}
	/* 90853 lines first, then the add-ons join them. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < nl; i++) {
			if (pass == 0 && r && i + AHEAD < nl) {
				PREFETCH_KEY(&t.ref, ahead[i + AHEAD].ref);
				PREFETCH_KEY(&t.claim, ahead[i + AHEAD].claim);
				PREFETCH_KEY(&t.member, ahead[i + AHEAD].member);
			}
			if ((kind[i] & (KIND_PRIMARY | KIND_ADDON)) !=
			    (pass == 0 ? KIND_PRIMARY : KIND_ADDON))
				continue;
			bool primary = pass == 0;
			const struct remit_line *l = remit_line_at(rm, i);
			const struct remit_claim *c = remit_claim_at(rm, l->claim);
			struct match_result *x = &m->res[i];
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
				match_primary(m, &t, r, rates, l, c, &ahead[i], x, a);
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
		struct match_result *x = &m->res[i];
		if (!(kind[i] & (KIND_PRIMARY | KIND_ADDON)) && x->how == MATCH_NONE &&
		    !x->why) {
			const struct remit_line *l = remit_line_at(rm, i);
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
	if (r && settle(m, r, parent, kind, a) != 0)
		goto oom;
	rc = 0;
	goto out;
oom:
	gr_fail(err, NULL, 0, "out of memory matching the remittances");
out:
	free(parent);
	free(kind);
	free(ahead);
	free_tables(&t);
	return rc;
}

int match_apply(const struct match *m, struct roster *r, struct gr_err *err)
{
	/* CARC lists are kept once while they repeat (model/remit.c): the
	 * list of the line before is interned already. */
	const char *last = NULL;
	uint16_t last_id = NO_ID16;
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
		if (ap->o.carc == last) {
			ln->carc = last_id;
			continue;
		}
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
		last = ap->o.carc;
		last_id = ln->carc;
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
