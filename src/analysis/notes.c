/* notes.c — the documentation audit (notes.h, docs/notes.md). */
#include "analysis/notes.h"

#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/par.h"
#include "core/value.h"
#include "core/words.h"

/* CO-16 with M127 is what the payer rule `note` already returns for a
 * missing record (rules.c; domain.md 4.2-4.3).  A record that exists but
 * does not show individual psychotherapy is, after a review, a service
 * "not deemed a medical necessity": CO-50 [I, domain.md 4.2]; domain.md
 * has no confirmed remark code for insufficient documentation, so none
 * is given. */
const struct note_rule_info note_rules[NOTE_RULE_COUNT] = {
	{ "note", "CO-16", "M127", "no progress note for the member",
	  "write the member's note, or add the row the export left out" },
	{ "note_identical", "CO-50", NULL,
	  "the member's part of the note is the same as another member's",
	  "rewrite each member's part with that member's own participation, "
	  "response and plan" },
	{ "note_cloned", "CO-50", NULL,
	  "the member's part of the note is nearly the same as another member's",
	  "rewrite the cloned parts so each says what this member did and said" },
	{ "note_not_individual", "CO-50", NULL,
	  "the note has too little of its own beyond the group paragraph",
	  "add the member's own participation, response and plan to the group "
	  "paragraph" },
	{ "note_copied_forward", "CO-50", NULL,
	  "the member's part repeats one of their notes of an earlier session",
	  "write what happened for the member in this session, not the last" },
	{ "note_elements", "CO-50", NULL,
	  "the member's part does not show participation, response or plan",
	  "add the missing element: how the member took part, how they "
	  "responded, the plan" },
};

/* ---- options ----------------------------------------------------------- */

int notes_opt_set(struct notes_opts *o, const char *name, const char *value,
		  struct gr_err *err)
{
	char *end;
	double d;
	unsigned long u;

	if (!strcmp(name, "note-similarity") || !strcmp(name, "note-shared")) {
		d = strtod(value, &end);
		if (end == value || *end || !(d > 0.0 && d <= 1.0))
			return gr_fail(err, NULL, 0, "--%s must be a number above 0 and at "
				       "most 1 (it is '%s')", name, value);
		if (name[5] == 's' && name[6] == 'i')
			o->similarity = d;
		else
			o->shared = d;
		return 0;
	}
	if (!strcmp(name, "note-min-words") || !strcmp(name, "note-shingle")) {
		int shingle = name[5] == 's';
		u = strtoul(value, &end, 10);
		if (end == value || *end || value[0] == '-' ||
		    u > (shingle ? 8ul : 1000ul) || (shingle && u < 1))
			return gr_fail(err, NULL, 0, "--%s must be a whole number from %d "
				       "to %d (it is '%s')", name, shingle, shingle ? 8 : 1000,
				       value);
		if (shingle)
			o->shingle = (unsigned)u;
		else
			o->min_words = (unsigned)u;
		return 0;
	}
	return 1;
}

/* ---- small helpers ----------------------------------------------------- */

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

/* Sort S[0..N) (TMP: room for N more) and drop repeats; the new length.
 * Four passes of an 8-bit radix sort: a note's few hundred shingles sort
 * in a few microseconds, several times faster than qsort's calls. */
static size_t sort_unique(uint32_t *s, uint32_t *tmp, size_t n)
{
	size_t m = 0;

	if (n < 2)
		return n;
	if (n <= 32) {
		for (size_t i = 1; i < n; i++) {
			uint32_t x = s[i];
			size_t j = i;
			for (; j > 0 && s[j - 1] > x; j--)
				s[j] = s[j - 1];
			s[j] = x;
		}
	} else {
		uint32_t *from = s, *to = tmp;
		for (unsigned shift = 0; shift < 32; shift += 8) {
			size_t count[257] = { 0 };
			for (size_t i = 0; i < n; i++)
				count[((from[i] >> shift) & 0xffu) + 1]++;
			for (size_t b = 0; b < 256; b++)
				count[b + 1] += count[b];
			for (size_t i = 0; i < n; i++)
				to[count[(from[i] >> shift) & 0xffu]++] = from[i];
			uint32_t *t = from;
			from = to;
			to = t;
		}
		/* Four passes: the sorted keys are back in S. */
	}
	for (size_t i = 0; i < n; i++)
		if (i == 0 || s[i] != s[m - 1])
			s[m++] = s[i];
	return m;
}

/* Room for NEED elements in V, growing by doubling (vec_reserve grows to
 * exactly what it is asked). */
static int reserve(struct vec *v, size_t need)
{
	if (need <= v->cap)
		return 0;
	return vec_reserve(v, need > 2 * v->cap ? need : 2 * v->cap);
}

/* |A ∩ B| when it is at least NEED; once the elements of A left cannot
 * bring it there, a smaller count (the merge stops early: most pairs of
 * notes are far from alike, and this is most of the audit's time). */
static size_t common_at_least(const uint32_t *a, size_t na, const uint32_t *b,
			      size_t nb, size_t need)
{
	size_t i = 0, j = 0, c = 0;

	while (i < na && j < nb) {
		if (c + (na - i) < need || c + (nb - j) < need)
			return c;
		if (a[i] < b[j])
			i++;
		else if (a[i] > b[j])
			j++;
		else
			c++, i++, j++;
	}
	return c;
}

/* ---- (session, member) -> note --------------------------------------- */

struct pairmap {
	uint64_t *keys; /* session << 32 | member, plus one; 0 = empty */
	uint32_t *val;
	size_t mask;
};

static int pairmap_init(struct pairmap *m, size_t n)
{
	size_t cap = 16;
	while (cap < 2 * n)
		cap *= 2;
	m->keys = calloc(cap, sizeof *m->keys);
	m->val = malloc(cap * sizeof *m->val);
	m->mask = cap - 1;
	return m->keys && m->val ? 0 : -1;
}

/* The slot of KEY: its value's index, found or empty. */
static size_t pairmap_slot(const struct pairmap *m, uint64_t key)
{
	size_t i = mix64(key) & m->mask;
	while (m->keys[i] && m->keys[i] != key + 1)
		i = (i + 1) & m->mask;
	return i;
}

static void pairmap_free(struct pairmap *m)
{
	free(m->keys);
	free(m->val);
}

/* ---- per-note shingle sets -------------------------------------------- */

/* Shingle hashes kept after a session is done, for copy-forward: each
 * note's sets are in the hash list of the part (thread) that did its
 * session. */
struct sets {
	size_t *own_at, *all_at; /* per note: offset in its part's list */
	uint32_t *own_n, *all_n;
	uint8_t *part_of;        /* per note: the part */
};

/* The hash of the K words at W: the first 32 bits of their sequence
 * hash.  A run shorter than K is one shingle of its own length. */
/* Hash of a sequence of words, for equality within a session. */
static uint64_t seq_hash(const uint64_t *w, size_t n)
{
	uint64_t h = n;
	for (size_t i = 0; i < n; i++)
		h = h * 0x9e3779b97f4a7c15ULL + w[i];
	return mix64(h);
}

static uint32_t shingle_hash(const uint64_t *w, size_t k)
{
	uint64_t h = k;
	for (size_t i = 0; i < k; i++)
		h = h * 0x9e3779b97f4a7c15ULL + w[i];
	return (uint32_t)(mix64(h) >> 32);
}

/* Append the K-shingles of the run W[0..N) to OUT. */
static int add_shingles(struct vec *out, const uint64_t *w, size_t n, unsigned k)
{
	if (n == 0)
		return 0;
	if (n < k) {
		uint32_t *p = vec_push(out);
		if (!p)
			return -1;
		*p = shingle_hash(w, n);
		return 0;
	}
	if (reserve(out, out->len + n - k + 1) != 0)
		return -1;
	for (size_t i = 0; i + k <= n; i++)
		VEC_AT(out, uint32_t, out->len++) = shingle_hash(w + i, k);
	return 0;
}

/* ---- one session ------------------------------------------------------ */

/* Scratch space reused from session to session. */
struct scratch {
	struct vec words;   /* uint64_t: the session's notes without own names */
	struct vec at;      /* size_t per note: offset in words */
	struct vec len;     /* size_t per note */
	struct vec shared;  /* uint8_t per word: inside a shared run */
	struct vec el;      /* uint8_t per word: element bits */
	struct vec own;     /* uint64_t: one note's member part */
	uint64_t *tab_key;  /* span-shingle -> notes that hold it */
	uint32_t *tab_cnt, *tab_last;
	size_t tab_cap;     /* allocated */
	size_t tab_mask;    /* of the part this session uses */
	struct vec sort_tmp; /* uint32_t: room for the radix sort */
};

static int tab_ready(struct scratch *s, size_t items)
{
	size_t cap = 64;
	while (cap < 2 * items)
		cap *= 2;
	s->tab_mask = cap - 1;
	if (cap > s->tab_cap) {
		free(s->tab_key);
		free(s->tab_cnt);
		free(s->tab_last);
		s->tab_key = malloc(cap * sizeof *s->tab_key);
		s->tab_cnt = malloc(cap * sizeof *s->tab_cnt);
		s->tab_last = malloc(cap * sizeof *s->tab_last);
		s->tab_cap = cap;
		if (!s->tab_key || !s->tab_cnt || !s->tab_last)
			return -1;
	}
	memset(s->tab_key, 0, cap * sizeof *s->tab_key);
	return 0;
}

static size_t tab_slot(const struct scratch *s, uint64_t h)
{
	size_t mask = s->tab_mask, i;
	if (h == 0)
		h = 1; /* 0 marks an empty slot */
	i = mix64(h) & mask;
	while (s->tab_key[i] && s->tab_key[i] != h)
		i = (i + 1) & mask;
	return i;
}

/* Rolling hash of SPAN word hashes: sum of w[p+i] * B^(SPAN-1-i). */
#define ROLL_B 0x9e3779b97f4a7c15ULL

struct dated {
	int32_t date;
	uint32_t line;  /* notes.csv line, for a stable order on one date */
	uint32_t note;
};

/* One thread's share of the audit: its scratch space and the shingle
 * sets of the sessions it did. */
struct part {
	struct scratch s;
	struct vec h; /* uint32_t */
};

#define AUDIT_PARTS 16

struct audit {
	struct notes_audit *a;
	const struct elements *el;
	const struct notefile *nf;
	const struct roster *r;
	struct sets sets;
	struct part part[AUDIT_PARTS];
	const uint32_t *order, *start; /* notes by session; session i's end */
	struct dated *d;               /* used notes by member, for copy-forward */
	const uint32_t *mstart;        /* member i's end in d */
};

static const uint32_t *own_set(const struct audit *au, uint32_t note)
{
	return (const uint32_t *)au->part[au->sets.part_of[note]].h.data +
	       au->sets.own_at[note];
}

static const uint32_t *all_set(const struct audit *au, uint32_t note)
{
	return (const uint32_t *)au->part[au->sets.part_of[note]].h.data +
	       au->sets.all_at[note];
}

/* Whether word W is one of the note's own name and id words. */
static bool is_self(const uint64_t *self, uint32_t n, uint64_t w)
{
	for (uint32_t i = 0; i < n; i++)
		if (self[i] == w)
			return true;
	return false;
}

static int session_audit(struct audit *au, unsigned part, const uint32_t *notes,
			 size_t n)
{
	struct notes_audit *a = au->a;
	struct scratch *s = &au->part[part].s;
	struct vec *hv = &au->part[part].h;
	const struct notefile *nf = au->nf;
	const struct notes_opts *o = &a->opts;
	size_t total = 0, nonempty = 0;
	uint64_t *own_h = NULL, *all_h = NULL;
	int rc = -1;

	/* 1. Each note's words without its member's own name and id. */
	s->words.len = s->at.len = s->len.len = 0;
	for (size_t j = 0; j < n; j++) {
		const struct note *nt = notefile_note(nf, notes[j]);
		const uint64_t *w = notefile_words(nf, nt->words);
		const uint64_t *self = notefile_words(nf, nt->self);
		size_t *at = vec_push(&s->at), *len = vec_push(&s->len);
		if (!at || !len || reserve(&s->words, s->words.len + nt->nwords) != 0)
			goto out;
		*at = s->words.len;
		for (uint32_t i = 0; i < nt->nwords; i++)
			if (!is_self(self, nt->nself, w[i]))
				VEC_AT(&s->words, uint64_t, s->words.len++) = w[i];
		*len = s->words.len - *at;
		total += *len;
		nonempty += nt->nwords > 0;
	}
	const uint64_t *W = s->words.data;
	const size_t *AT = s->at.data, *LEN = s->len.data;

	/* 2. The shared runs: SPAN-word shingles in at least T notes. */
	if (reserve(&s->shared, total + 1) != 0 || reserve(&s->el, total + 1) != 0)
		goto out;
	uint8_t *shared = s->shared.data, *el = s->el.data;
	memset(shared, 0, total);
	size_t t = (size_t)ceil(o->shared * (double)nonempty - 1e-9);
	if (t < 2)
		t = 2;
	size_t span = o->span;
	uint64_t top = 1; /* B^(span-1) */
	for (size_t i = 1; i < span; i++)
		top *= ROLL_B;
	if (nonempty >= 2 && total >= span) {
		if (tab_ready(s, total) != 0)
			goto out;
		for (int pass = 0; pass < 2; pass++)
			for (size_t j = 0; j < n; j++) {
				const uint64_t *w = W + AT[j];
				size_t L = LEN[j];
				if (L < span)
					continue;
				uint64_t h = 0;
				for (size_t i = 0; i < span; i++)
					h = h * ROLL_B + w[i];
				for (size_t p = 0;; p++) {
					size_t slot = tab_slot(s, h);
					if (pass == 0) {
						if (!s->tab_key[slot]) {
							s->tab_key[slot] = h ? h : 1;
							s->tab_cnt[slot] = 1;
							s->tab_last[slot] = (uint32_t)j;
						} else if (s->tab_last[slot] != j) {
							s->tab_cnt[slot]++;
							s->tab_last[slot] = (uint32_t)j;
						}
					} else if (s->tab_cnt[slot] >= t) {
						memset(shared + AT[j] + p, 1, span);
					}
					if (p + span >= L)
						break;
					h = (h - w[p] * top) * ROLL_B + w[p + span];
				}
			}
	}

	/* 3. Per note: member part, its sets and hashes, elements. */
	own_h = malloc(n * sizeof *own_h);
	all_h = malloc(n * sizeof *all_h);
	if (!own_h || !all_h)
		goto out;
	for (size_t j = 0; j < n; j++) {
		struct note_verdict *v = &a->v[notes[j]];
		const uint64_t *w = W + AT[j];
		size_t L = LEN[j];
		const uint8_t *sh = shared + AT[j];
		uint8_t present = 0;

		s->own.len = 0;
		if (reserve(&s->own, L + 1) != 0)
			goto out;
		uint64_t *own = s->own.data;
		size_t no = 0;
		au->sets.part_of[notes[j]] = (uint8_t)part;
		au->sets.own_at[notes[j]] = hv->len;
		for (size_t i = 0; i < L;) {
			if (sh[i]) {
				i++;
				continue;
			}
			size_t b = i;
			while (i < L && !sh[i])
				own[no++] = w[i++];
			if (add_shingles(hv, w + b, i - b, o->shingle) != 0)
				goto out;
		}
		size_t at = au->sets.own_at[notes[j]];
		if (reserve(&s->sort_tmp, hv->len - at + L + 1) != 0)
			goto out;
		au->sets.own_n[notes[j]] = (uint32_t)sort_unique(
			(uint32_t *)hv->data + at, s->sort_tmp.data, hv->len - at);
		hv->len = at + au->sets.own_n[notes[j]];
		au->sets.all_at[notes[j]] = hv->len;
		if (add_shingles(hv, w, L, o->shingle) != 0)
			goto out;
		at = au->sets.all_at[notes[j]];
		au->sets.all_n[notes[j]] = (uint32_t)sort_unique(
			(uint32_t *)hv->data + at, s->sort_tmp.data, hv->len - at);
		hv->len = at + au->sets.all_n[notes[j]];

		/* The elements are looked for in the member's part alone. */
		elements_mark(au->el, own, no, el);
		for (size_t i = 0; i < no; i++)
			present |= el[i];
		own_h[j] = seq_hash(own, no);
		all_h[j] = seq_hash(w, L);
		v->own_words = (uint32_t)no;
		if (notefile_note(nf, notes[j])->nwords == 0) {
			v->findings |= 1u << NOTE_MISSING;
			continue;
		}
		if (no < o->min_words)
			v->findings |= 1u << NOTE_NOT_INDIVIDUAL;
		v->missing = (uint8_t)(~present & ((1u << ELEMENT_COUNT) - 1));
		if (v->missing)
			v->findings |= 1u << NOTE_ELEMENTS;
	}

	/* 4. Pairs within the session: identical, then cloned.  Each pair
	 * once; both notes are told. */
	for (size_t j = 0; j < n; j++) {
		if (notefile_note(nf, notes[j])->nwords == 0)
			continue;
		struct note_verdict *vj = &a->v[notes[j]];
		for (size_t i = j + 1; i < n; i++) {
			if (notefile_note(nf, notes[i])->nwords == 0)
				continue;
			struct note_verdict *vi = &a->v[notes[i]];
			bool same = (vj->own_words && vj->own_words == vi->own_words &&
				     own_h[i] == own_h[j]) ||
				    (LEN[j] && LEN[j] == LEN[i] && all_h[i] == all_h[j]);
			if (same) {
				/* The first identical note of the session is named. */
				if (!(vj->findings & (1u << NOTE_IDENTICAL))) {
					vj->findings |= 1u << NOTE_IDENTICAL;
					vj->like = notes[i];
				}
				if (!(vi->findings & (1u << NOTE_IDENTICAL))) {
					vi->findings |= 1u << NOTE_IDENTICAL;
					vi->like = notes[j];
				}
				continue;
			}
			if (!vj->own_words || !vi->own_words)
				continue;
			size_t na = au->sets.own_n[notes[j]], nb = au->sets.own_n[notes[i]];
			/* Jaccard c / (na + nb - c) >= s needs c >= s (na + nb) / (1 + s). */
			double th = o->similarity - 1e-9;
			size_t need = (size_t)ceil(th * (double)(na + nb) / (1.0 + th) - 1e-9);
			size_t c = common_at_least(own_set(au, notes[j]), na,
						   own_set(au, notes[i]), nb, need);
			if (c < need)
				continue;
			double sim = (double)c / (double)(na + nb - c);
			if (sim < th)
				continue;
			if ((float)sim > vj->clone_sim) {
				vj->findings |= 1u << NOTE_CLONED;
				vj->clone = notes[i];
				vj->clone_sim = (float)sim;
			}
			if ((float)sim > vi->clone_sim) {
				vi->findings |= 1u << NOTE_CLONED;
				vi->clone = notes[j];
				vi->clone_sim = (float)sim;
			}
		}
	}
	rc = 0;
out:
	free(own_h);
	free(all_h);
	return rc;
}

/* ---- copy-forward ------------------------------------------------------ */

static int cmp_dated(const void *x, const void *y)
{
	const struct dated *a = x, *b = y;
	if (a->date != b->date)
		return a->date < b->date ? -1 : 1;
	return a->line < b->line ? -1 : a->line > b->line;
}

static void copied_forward(struct audit *au, struct dated *d, size_t n)
{
	struct notes_audit *a = au->a;

	qsort(d, n, sizeof *d, cmp_dated);
	for (size_t c = 0; c < n; c++) {
		struct note_verdict *v = &a->v[d[c].note];
		size_t no = au->sets.own_n[d[c].note];
		if (!v->own_words || !no)
			continue;
		const uint32_t *own = own_set(au, d[c].note);
		size_t seen = 0;
		/* The latest earlier notes first, so that of equal similarities
		 * the closest in time is named. */
		for (size_t e = c; e-- > 0 && seen < a->opts.history;) {
			if (d[e].date == d[c].date)
				continue;
			seen++;
			double th = a->opts.similarity - 1e-9;
			size_t need = (size_t)ceil(th * (double)no - 1e-9);
			size_t k = common_at_least(own, no, all_set(au, d[e].note),
						   au->sets.all_n[d[e].note], need);
			double sim = (double)k / (double)no;
			if (k >= need && sim >= th && (float)sim > v->earlier_sim) {
				v->findings |= 1u << NOTE_COPIED_FORWARD;
				v->earlier = d[e].note;
				v->earlier_sim = (float)sim;
			}
		}
	}
}

/* Sessions [BEGIN, END) on one thread (par.h): each session's notes are
 * its own, so threads never write the same verdict. */
static int sessions_part(void *ctx, size_t begin, size_t end, unsigned part)
{
	struct audit *au = ctx;
	for (size_t i = begin; i < end; i++) {
		size_t from = i ? au->start[i - 1] : 0;
		if (au->start[i] > from &&
		    session_audit(au, part, au->order + from, au->start[i] - from) != 0)
			return -1;
	}
	return 0;
}

/* Members [BEGIN, END): each member's notes are its own. */
static int members_part(void *ctx, size_t begin, size_t end, unsigned part)
{
	struct audit *au = ctx;
	(void)part;
	for (size_t i = begin; i < end; i++) {
		size_t from = i ? au->mstart[i - 1] : 0;
		if (au->mstart[i] > from + 1)
			copied_forward(au, au->d + from, au->mstart[i] - from);
	}
	return 0;
}

/* ---- the run ------------------------------------------------------------ */

static int refuse(struct rejects *rej, const struct notefile *nf, uint32_t line,
		  struct gr_err *err, const char *fmt, ...)
	__attribute__((format(printf, 5, 6)));

static int refuse(struct rejects *rej, const struct notefile *nf, uint32_t line,
		  struct gr_err *err, const char *fmt, ...)
{
	char msg[400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	if (rejects_add(rej, nf->path, line, "%s", msg) != 0)
		return gr_fail(err, nf->path, line, "out of memory");
	return 0;
}

static int match(struct notes_audit *a, const struct notefile *nf,
		 const struct roster *r, struct rejects *rej, struct gr_err *err)
{
	size_t nn = nf->notes.len;
	struct pairmap m;
	int rc = -1;

	if (pairmap_init(&m, nn) != 0)
		goto oom;
	for (size_t k = 0; k < nn; k++) {
		const struct note *nt = notefile_note(nf, k);
		uint64_t key = (uint64_t)nt->session << 32 | nt->member;
		size_t slot = pairmap_slot(&m, key);
		a->v[k].line_index = NOTE_NONE;
		a->v[k].like = a->v[k].clone = a->v[k].earlier = NOTE_NONE;
		if (m.keys[slot]) {
			a->v[k].state = NS_DUPLICATE;
			a->duplicate++;
			if (refuse(rej, nf, nt->line, err, "a second note for this session "
				   "and member (the first is line %u); not used",
				   notefile_note(nf, m.val[slot])->line) != 0)
				goto out;
			continue;
		}
		m.keys[slot] = key + 1;
		m.val[slot] = (uint32_t)k;
		a->v[k].state = NS_UNMATCHED;
	}
	/* Every roster line looks its note up: the session's id in the notes
	 * once per session. */
	uint32_t cached_session = UINT32_MAX, nsid = 0;
	bool have_sid = false;
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		a->line_note[i] = NOTE_NONE;
		if (ln->session != cached_session) {
			const char *sid = strpool_str(&r->session_ids,
						      roster_session(r, ln->session)->sid);
			have_sid = strpool_find(&nf->session_ids, sid, strlen(sid), &nsid) == 0;
			cached_session = ln->session;
		}
		if (!have_sid)
			continue;
		const char *mid = strpool_str(&r->members, ln->member);
		uint32_t nmid;
		if (strpool_find(&nf->members, mid, strlen(mid), &nmid) != 0)
			continue;
		size_t slot = pairmap_slot(&m, (uint64_t)nsid << 32 | nmid);
		if (!m.keys[slot])
			continue;
		uint32_t k = m.val[slot];
		if (!(ln->flags & LINE_ATTENDED)) {
			a->v[k].state = NS_ABSENT;
			continue;
		}
		a->v[k].state = NS_USED;
		a->v[k].line_index = (uint32_t)i;
		a->line_note[i] = k;
	}
	for (size_t k = 0; k < nn; k++) {
		const struct note *nt = notefile_note(nf, k);
		if (a->v[k].state == NS_UNMATCHED) {
			a->unmatched++;
			if (refuse(rej, nf, nt->line, err, "no line in %s for this session "
				   "and member; not used", r->path) != 0)
				goto out;
		} else if (a->v[k].state == NS_ABSENT) {
			a->absent++;
			if (refuse(rej, nf, nt->line, err, "the member is marked absent in "
				   "this session in %s; not used", r->path) != 0)
				goto out;
		}
	}
	rc = 0;
	goto out;
oom:
	gr_fail(err, nf->path, 0, "out of memory");
out:
	pairmap_free(&m);
	return rc;
}

int notes_audit_run(struct notes_audit *a, const struct notefile *nf,
		    const struct elements *el, const struct roster *r,
		    const struct scope *sc, const struct notes_opts *o,
		    struct rejects *rej, struct gr_err *err)
{
	size_t nn = nf->notes.len, ns = r->sessions.len;
	struct audit au;
	uint32_t *start = NULL, *order = NULL;
	struct dated *d = NULL;
	int rc = -1;

	memset(a, 0, sizeof *a);
	memset(&au, 0, sizeof au);
	a->roster = r;
	a->nf = nf;
	a->opts = *o;
	au.a = a;
	au.el = el;
	au.nf = nf;
	au.r = r;
	a->line_note = malloc((r->lines.len + 1) * sizeof *a->line_note);
	a->v = calloc(nn + 1, sizeof *a->v);
	au.sets.own_at = malloc((nn + 1) * sizeof(size_t));
	au.sets.all_at = malloc((nn + 1) * sizeof(size_t));
	au.sets.own_n = calloc(nn + 1, sizeof(uint32_t));
	au.sets.all_n = calloc(nn + 1, sizeof(uint32_t));
	au.sets.part_of = calloc(nn + 1, 1);
	start = calloc(ns + 2, sizeof *start);
	order = malloc((nn + 1) * sizeof *order);
	unsigned threads = o->threads < 1 ? 1 : o->threads > AUDIT_PARTS ? AUDIT_PARTS
										: o->threads;
	bool room = true;
	for (unsigned t = 0; t < AUDIT_PARTS; t++) {
		struct part *pt = &au.part[t];
		vec_init(&pt->h, sizeof(uint32_t));
		vec_init(&pt->s.words, sizeof(uint64_t));
		vec_init(&pt->s.at, sizeof(size_t));
		vec_init(&pt->s.len, sizeof(size_t));
		vec_init(&pt->s.shared, 1);
		vec_init(&pt->s.el, 1);
		vec_init(&pt->s.own, sizeof(uint64_t));
		vec_init(&pt->s.sort_tmp, sizeof(uint32_t));
		/* Room up front, so no pointer below is ever NULL plus an
		 * offset. */
		if (t < threads && (vec_reserve(&pt->h, 1024) ||
				    vec_reserve(&pt->s.words, 1024) ||
				    vec_reserve(&pt->s.own, 1024)))
			room = false;
	}
	if (!a->line_note || !a->v || !au.sets.own_at || !au.sets.all_at ||
	    !au.sets.own_n || !au.sets.all_n || !au.sets.part_of || !start || !order ||
	    !room)
		goto oom;
	if (match(a, nf, r, rej, err) != 0)
		goto out;

	/* The used notes grouped by session (a counting sort). */
	for (size_t k = 0; k < nn; k++)
		if (a->v[k].state == NS_USED)
			start[roster_line(r, a->v[k].line_index)->session + 1]++;
	for (size_t i = 0; i < ns; i++)
		start[i + 1] += start[i];
	for (size_t k = 0; k < nn; k++)
		if (a->v[k].state == NS_USED)
			order[start[roster_line(r, a->v[k].line_index)->session]++] =
				(uint32_t)k;
	/* start[i] is now the end of session i's block. */
	au.order = order;
	au.start = start;
	if (par_for(threads, ns, 8, sessions_part, &au) != 0)
		goto oom;

	/* Copy-forward, member by member (a counting sort by member). */
	size_t nm = r->members.count;
	uint32_t *mstart = calloc(nm + 2, sizeof *mstart);
	d = malloc((nn + 1) * sizeof *d);
	if (!mstart || !d) {
		free(mstart);
		goto oom;
	}
	for (size_t k = 0; k < nn; k++)
		if (a->v[k].state == NS_USED)
			mstart[roster_line(r, a->v[k].line_index)->member + 1]++;
	for (size_t i = 0; i < nm; i++)
		mstart[i + 1] += mstart[i];
	for (size_t k = 0; k < nn; k++) {
		if (a->v[k].state != NS_USED)
			continue;
		const struct line *ln = roster_line(r, a->v[k].line_index);
		struct dated *x = &d[mstart[ln->member]++];
		x->date = roster_session(r, ln->session)->date;
		x->line = notefile_note(nf, k)->line;
		x->note = (uint32_t)k;
	}
	au.d = d;
	au.mstart = mstart;
	par_for(threads, nm, 8, members_part, &au);
	free(mstart);

	/* Counts over the attended lines in scope. */
	a->nclinicians = r->clinicians.count;
	a->ngroups = r->groups.count;
	a->clinicians = calloc(a->nclinicians + 1, sizeof *a->clinicians);
	a->groups = calloc(a->ngroups + 1, sizeof *a->groups);
	if (!a->clinicians || !a->groups)
		goto oom;
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		if (!(ln->flags & LINE_ATTENDED))
			continue;
		if (!scope_has(sc, roster_session(r, ln->session))) {
			if (a->line_note[i] != NOTE_NONE) {
				a->out_of_scope++;
				a->line_note[i] = NOTE_NONE; /* history only */
			}
			continue;
		}
		const struct session *ss = roster_session(r, ln->session);
		uint8_t f = notes_line_findings(a, i);
		bool noted = a->line_note[i] != NOTE_NONE &&
			     notefile_note(nf, a->line_note[i])->nwords;
		struct notes_count *to[2] = { &a->clinicians[ss->clinician],
					      &a->groups[ss->group] };
		a->attended++;
		a->with_note += noted;
		a->individualized += !f;
		for (int k = 0; k < NOTE_RULE_COUNT; k++)
			a->by_rule[k] += (f >> k) & 1u;
		for (int t = 0; t < 2; t++) {
			to[t]->lines++;
			to[t]->with_note += noted;
			to[t]->individualized += !f;
			for (int k = 0; k < NOTE_RULE_COUNT; k++)
				to[t]->by_rule[k] += (f >> k) & 1u;
		}
	}
	rc = 0;
	goto out;
oom:
	gr_fail(err, nf->path, 0, "out of memory auditing the notes");
out:
	free(start);
	free(order);
	free(d);
	free(au.sets.own_at);
	free(au.sets.all_at);
	free(au.sets.own_n);
	free(au.sets.all_n);
	free(au.sets.part_of);
	for (unsigned t = 0; t < AUDIT_PARTS; t++) {
		struct part *pt = &au.part[t];
		vec_free(&pt->h);
		vec_free(&pt->s.words);
		vec_free(&pt->s.at);
		vec_free(&pt->s.len);
		vec_free(&pt->s.shared);
		vec_free(&pt->s.el);
		vec_free(&pt->s.own);
		vec_free(&pt->s.sort_tmp);
		free(pt->s.tab_key);
		free(pt->s.tab_cnt);
		free(pt->s.tab_last);
	}
	if (rc != 0)
		notes_audit_free(a);
	return rc;
}

void notes_audit_free(struct notes_audit *a)
{
	free(a->line_note);
	free(a->v);
	free(a->clinicians);
	free(a->groups);
	a->line_note = NULL;
	a->v = NULL;
	a->clinicians = a->groups = NULL;
}

uint8_t notes_line_findings(const struct notes_audit *a, size_t i)
{
	const struct line *ln = roster_line(a->roster, i);

	if (!(ln->flags & LINE_ATTENDED))
		return 0;
	uint32_t k = a->line_note[i];
	if (k == NOTE_NONE) {
		/* Out of scope lines had their note cleared: they are not
		 * counted, and callers only ask about lines in scope. */
		return 1u << NOTE_MISSING;
	}
	return a->v[k].findings;
}

void notes_format_ids(uint8_t bits, char *buf, size_t size)
{
	size_t used = 0;

	if (size)
		buf[0] = '\0';
	for (int k = 0; k < NOTE_RULE_COUNT; k++) {
		if (!(bits & (1u << k)))
			continue;
		int w = snprintf(buf + used, size - used, "%s%s", used ? ";" : "",
				 note_rules[k].name);
		if (w < 0 || (size_t)w >= size - used)
			return;
		used += (size_t)w;
	}
}

/* "line 12 (session S)" of note K. */
static void other(const struct notes_audit *a, uint32_t k, char *buf, size_t size)
{
	const struct note *nt = notefile_note(a->nf, k);
	snprintf(buf, size, "%s line %u (session %s)", a->nf->path, nt->line,
		 strpool_str(&a->nf->session_ids, nt->session));
}

void notes_reason(const struct notes_audit *a, size_t i, enum note_rule k,
		  char *buf, size_t size)
{
	uint32_t n = a->line_note[i];
	char o[700];

	if (n == NOTE_NONE) {
		snprintf(buf, size, "no note in %s for this member and session", a->nf->path);
		return;
	}
	const struct note_verdict *v = &a->v[n];
	const struct note *nt = notefile_note(a->nf, n);
	switch (k) {
	case NOTE_MISSING:
		snprintf(buf, size, "the note (%s line %u) has no words", a->nf->path,
			 nt->line);
		break;
	case NOTE_IDENTICAL:
		other(a, v->like, o, sizeof o);
		snprintf(buf, size, "the member's part of the note (line %u) is the same "
			 "as the note of %s", nt->line, o);
		break;
	case NOTE_CLONED:
		other(a, v->clone, o, sizeof o);
		snprintf(buf, size, "the member's part of the note (line %u) is %.2f "
			 "alike with the note of %s (word %u-shingles; threshold %.2f)",
			 nt->line, (double)v->clone_sim, o, a->opts.shingle, a->opts.similarity);
		break;
	case NOTE_NOT_INDIVIDUAL:
		snprintf(buf, size, "the note (line %u) has %u word%s of its own beyond "
			 "the text the session's notes share (minimum %u)", nt->line,
			 v->own_words, v->own_words == 1 ? "" : "s", a->opts.min_words);
		break;
	case NOTE_COPIED_FORWARD: {
		char date[16] = "";
		if (a->v[v->earlier].line_index != NOTE_NONE)
			value_format_date(roster_session(a->roster,
				roster_line(a->roster, a->v[v->earlier].line_index)->session)->date,
				date);
		other(a, v->earlier, o, sizeof o);
		snprintf(buf, size, "%.2f of the member's part of the note (line %u) is "
			 "in their note of %s, %s (threshold %.2f)", (double)v->earlier_sim,
			 nt->line, date, o, a->opts.similarity);
		break;
	}
	case NOTE_ELEMENTS: {
		char names[64] = "";
		for (int e = 0; e < ELEMENT_COUNT; e++)
			if (v->missing & (1u << e)) {
				size_t u = strlen(names);
				snprintf(names + u, sizeof names - u, "%s%s", u ? ", " : "",
					 element_names[e]);
			}
		snprintf(buf, size, "no word of %s in the member's part of the note "
			 "(line %u)", names, nt->line);
		break;
	}
	case NOTE_RULE_COUNT:
		buf[0] = '\0';
	}
}
