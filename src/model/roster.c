/* roster.c — attendance.csv rows into lines and sessions.
 *
 * A row's values are checked before its session is created, so a
 * rejected row never creates a session, and session index == session id.
 */
#include "model/roster.h"

#include <ctype.h>
#include <stddef.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/value.h"

_Static_assert(sizeof(struct line) == 36, "a line is 36 bytes (issue 7 budget)");

/* ---- rejects ---------------------------------------------------------- */

/* ---- (session, member) set -------------------------------------------- */

struct pair_slot {
	uint64_t key; /* (session << 32 | member) + 1; 0 = empty */
	uint32_t line;
};

/* Duplicate members are found without a hash lookup for the usual file,
 * whose rows of one session are contiguous: the new row is compared with
 * the session's block of lines just before it.  A session whose rows are
 * interleaved with another's is moved into the hash set once, when that
 * first happens, and looked up there from then on. */
struct index {
	struct pair_slot *slots;
	size_t nslots, used;
	struct vec start; /* uint32 per session: index of its first line,
	                   * high bit set once the session is in the set */
};

#define HASHED 0x80000000u

static uint64_t mix64(uint64_t x)
{
	x ^= x >> 33;
	x *= 0xff51afd7ed558ccdULL;
	x ^= x >> 33;
	x *= 0xc4ceb9fe1a85ec53ULL;
	x ^= x >> 33;
	return x;
}

static struct pair_slot *pair_find(struct index *ix, uint64_t key)
{
	size_t mask = ix->nslots - 1;

	for (size_t i = mix64(key) & mask;; i = (i + 1) & mask)
		if (ix->slots[i].key == key || ix->slots[i].key == 0)
			return &ix->slots[i];
}

static int pair_grow(struct index *ix)
{
	size_t n = ix->nslots ? ix->nslots * 2 : 1024;
	struct pair_slot *old = ix->slots;
	size_t oldn = ix->nslots;

	ix->slots = calloc(n, sizeof *ix->slots);
	if (!ix->slots) {
		ix->slots = old;
		return -1;
	}
	ix->nslots = n;
	for (size_t i = 0; i < oldn; i++)
		if (old[i].key)
			*pair_find(ix, old[i].key) = old[i];
	free(old);
	return 0;
}

static int pair_insert(struct index *ix, uint32_t sid, uint32_t member,
		       uint32_t line)
{
	if ((ix->used + 1) * 2 > ix->nslots && pair_grow(ix))
		return -1;
	uint64_t key = (((uint64_t)sid << 32) | member) + 1;
	struct pair_slot *ps = pair_find(ix, key);
	if (!ps->key) {
		ps->key = key;
		ps->line = line;
		ix->used++;
	}
	return 0;
}

/* The line on which MEMBER already appears in session SID, in *LINE (0 =
 * not there; MEMBER = UINT32_MAX, a member never seen, is never there).
 * -1 on out of memory. */
static int find_member(const struct roster *r, struct index *ix, uint32_t sid,
		       uint32_t member, uint32_t *line)
{
	uint32_t *st = &VEC_AT(&ix->start, uint32_t, sid);
	const struct session *s = roster_session(r, sid);
	size_t n = r->lines.len;

	*line = 0;
	if (!(*st & HASHED)) {
		size_t first = *st;
		if (n && roster_line(r, n - 1)->session == sid) {
			/* Still contiguous: its lines are [first, n). */
			if (member == UINT32_MAX)
				return 0;
			for (size_t i = first; i < n; i++)
				if (roster_line(r, i)->member == member) {
					*line = roster_line(r, i)->src_line;
					return 0;
				}
			return 0;
		}
		/* Interleaved from now on: move its block into the set. */
		for (size_t i = first; i < first + s->rows; i++) {
			const struct line *ln = roster_line(r, i);
			if (pair_insert(ix, sid, ln->member, ln->src_line) != 0)
				return -1;
		}
		*st |= HASHED;
	}
	if (!ix->nslots || member == UINT32_MAX)
		return 0;
	uint64_t key = (((uint64_t)sid << 32) | member) + 1;
	struct pair_slot *ps = pair_find(ix, key);
	if (ps->key)
		*line = ps->line;
	return 0;
}

/* ---- columns ------------------------------------------------------------ */

/* The loader's columns: the schema's attendance columns (model/schema.h),
 * in its order, so a column index is an enum att_col. */
static void load_cols(struct load_col cols[ATT_NCOLS])
{
	for (int k = 0; k < ATT_NCOLS; k++)
		cols[k] = (struct load_col){ schema_columns[k].name,
					     schema_columns[k].required };
}

/* The id the column had on the row before.  A session's rows repeat its
 * id, licence and group type, and many repeat the payer: comparing with
 * the string before is much cheaper than a hash lookup, and interning on
 * the calling thread is what the parallel load waits for (issue 20). */
struct memo {
	const char *str; /* the id's string in its pool, NULL = none yet */
	size_t len;
	uint32_t id;
};

enum { MEMO_SESSION, MEMO_CREDENTIAL, MEMO_ADDON, MEMO_GROUP_TYPE, MEMO_CARC,
       MEMO_PAYER, MEMO_N };

struct ctx {
	struct roster *r;
	struct rejects *rej;
	struct index *ix;
	struct memo memo[MEMO_N];
	uint64_t required; /* bit k: column k must not be empty (required_cols) */
};

/* The required columns as bits, asked once per load: prep_row looked at
 * every column's schema entry of every row. */
static uint64_t required_cols(void)
{
	_Static_assert(ATT_NCOLS <= 64, "the required columns fit a word");
	uint64_t m = 0;
	for (int k = 0; k < ATT_NCOLS; k++)
		if (schema_columns[k].required)
			m |= UINT64_C(1) << k;
	return m;
}

/* Whether S[0..LEN) is the string of M's id (S holds no NUL). */
static bool memo_hit(const struct memo *m, const char *s, size_t len, uint32_t *id)
{
	/* The length first: most strings that differ differ in it. */
	if (!m->str || m->len != len || memcmp(m->str, s, len) != 0)
		return false;
	*id = m->id;
	return true;
}

/* M is now id ID of P, whose string is LEN bytes long. */
static void memo_set(struct memo *m, const struct strpool *p, uint32_t id, size_t len)
{
	m->str = strpool_str(p, id);
	m->len = len;
	m->id = id;
}

uint8_t roster_modifier_bit(const char *m, size_t n)
{
	static const struct { const char *name; uint8_t bit; } known[] = {
		{ "95", MOD_95 }, { "GT", MOD_GT }, { "93", MOD_93 }, { "FQ", MOD_FQ },
		{ "HQ", MOD_HQ }, { "59", MOD_59 }, { "XE", MOD_XE },
	};
	/* Every modifier is two characters. */
	for (size_t i = 0; n == 2 && i < sizeof known / sizeof known[0]; i++)
		if (value_ascii_ieq(m, known[i].name, 2))
			return known[i].bit;
	return MOD_OTHER;
}

static bool modifier_sep(char c)
{
	return c == ' ' || c == ';' || c == ',' || c == '\t';
}

static uint8_t parse_modifiers(const char *s)
{
	uint8_t bits = 0;
	const char *p = s;

	while (*p) {
		while (*p && modifier_sep(*p))
			p++;
		const char *w = p;
		while (*p && !modifier_sep(*p))
			p++;
		if (p == w)
			break;
		bits |= roster_modifier_bit(w, (size_t)(p - w));
	}
	return bits;
}

/* What a row's values are, checked on the thread that parsed it
 * (load_prep_fn): everything of a line that needs no interning. */
struct row_values {
	int32_t date, paid;
	/* The pool hash of the member id, computed here off the calling
	 * thread, which looks it up on every row (strpool_hash); a session
	 * id is looked up only when it changes. */
	uint32_t member_hash;
	struct line_ar ar;
	uint16_t minutes;
	uint8_t modifiers, pos, modality, status, flags;
};

/* The columns on_row reads as text: ids to intern, and the date for the
 * message about a session whose rows disagree. */
#define KEEP(c) (UINT64_C(1) << (c))
static const uint64_t keep_cols =
	KEEP(ATT_SESSION) | KEEP(ATT_DATE) | KEEP(ATT_GROUP) | KEEP(ATT_CLINICIAN) |
	KEEP(ATT_MEMBER) | KEEP(ATT_PAYER) | KEEP(ATT_GROUP_TYPE) | KEEP(ATT_CREDENTIAL) |
	KEEP(ATT_ADDON) | KEEP(ATT_CARC) | KEEP(ATT_CLAIM_ID) | KEEP(ATT_LINE_REF) |
	KEEP(ATT_INSURED_ID);

#define PREP_REJECT(...) return snprintf(why, whylen, __VA_ARGS__), 1

/* An optional money cell of column C into *OUT (cents, 0 .. INT32_MAX/2);
 * AR_NONE when empty.  NULL, or the reason in WHY. */
static const char *ar_money(const struct load_row *row, int c, int32_t *out,
			    char *why, size_t whylen)
{
	const char *bad;
	int64_t cents;

	*out = AR_NONE;
	if (!row->len[c])
		return NULL;
	if ((bad = value_money(row->v[c], &cents)))
		return snprintf(why, whylen, "column '%s': %s ('%s')", schema_columns[c].name,
				bad, row->v[c]), why;
	if (cents < 0)
		return snprintf(why, whylen, "column '%s': negative amount ('%s')",
				schema_columns[c].name, row->v[c]), why;
	if (cents > INT32_MAX / 2)
		return snprintf(why, whylen, "column '%s': amount too large for one "
				"line ('%s')", schema_columns[c].name, row->v[c]), why;
	*out = (int32_t)cents;
	return NULL;
}

static const char *ar_date(const struct load_row *row, int c, int32_t *out,
			   char *why, size_t whylen)
{
	const char *bad;

	*out = AR_NONE;
	if (!row->len[c])
		return NULL;
	if ((bad = value_date(row->v[c], out)))
		return snprintf(why, whylen, "column '%s': %s ('%s')", schema_columns[c].name,
				bad, row->v[c]), why;
	return NULL;
}

/* The receivables cells (receivables.md) into X->ar, checked against the
 * row's date and status: a claim is billed on or after its date of
 * service and paid on or after it was billed, and only a paid or denied
 * line has a payment date.  NULL, or the reason in WHY. */
static const char *prep_ar(const struct load_row *row, struct row_values *x,
			   bool attended, char *why, size_t whylen)
{
	const char *const *v = row->v;
	struct line_ar *a = &x->ar;
	const char *bad;
	char d[16];

	if ((bad = ar_money(row, ATT_CHARGE, &a->charge, why, whylen)) ||
	    (bad = ar_date(row, ATT_BILLED, &a->billed, why, whylen)) ||
	    (bad = ar_date(row, ATT_PAID_DATE, &a->paid_date, why, whylen)) ||
	    (bad = ar_money(row, ATT_PATIENT_PAID, &a->patient_paid, why, whylen)))
		return bad;
	if (a->billed == AR_NONE && a->paid_date == AR_NONE)
		return NULL; /* no date to check (every row of most files) */
	if (a->billed != AR_NONE && a->billed < x->date)
		return value_format_date(x->date, d),
		       snprintf(why, whylen, "column 'billed': %s is before the date "
				"of service %s", v[ATT_BILLED], d), why;
	if (a->paid_date != AR_NONE && a->paid_date < x->date)
		return value_format_date(x->date, d),
		       snprintf(why, whylen, "column 'paid_date': %s is before the "
				"date of service %s", v[ATT_PAID_DATE], d), why;
	if (a->paid_date != AR_NONE && a->billed != AR_NONE &&
	    a->paid_date < a->billed)
		return snprintf(why, whylen, "column 'paid_date': %s is before the "
				"billed date %s", v[ATT_PAID_DATE], v[ATT_BILLED]), why;
	if (a->paid_date != AR_NONE && x->status != STATUS_PAID &&
	    x->status != STATUS_DENIED)
		return snprintf(why, whylen, "column 'paid_date': %s given but the "
				"status is '%s', not paid or denied", v[ATT_PAID_DATE],
				v[ATT_STATUS]), why;
	if (!attended && a->billed != AR_NONE)
		return snprintf(why, whylen, "marked absent (attended = %s) but has a "
				"billed date: absent members are never billed",
				v[ATT_ATTENDED]), why;
	return NULL;
}

static int prep_row(const void *ctx, const struct load_row *row, void *out,
		    char *why, size_t whylen)
{
	const char *const *v = row->v;
	struct row_values x;
	const char *bad;
	bool attended, b;
	uint64_t u;

	memset(&x, 0, sizeof x);
	for (uint64_t m = ((const struct ctx *)ctx)->required; m; m &= m - 1) {
		int k = __builtin_ctzll(m);
		if (!row->len[k])
			PREP_REJECT("column '%s' is empty", schema_columns[k].name);
	}
	if ((bad = value_date(v[ATT_DATE], &x.date)))
		PREP_REJECT("column 'date': %s ('%s')", bad, v[ATT_DATE]);
	if ((bad = value_bool(v[ATT_ATTENDED], &attended)))
		PREP_REJECT("column 'attended': %s ('%s')", bad, v[ATT_ATTENDED]);
	if (row->len[ATT_MINUTES]) {
		if ((bad = value_uint(v[ATT_MINUTES], 1440, &u)))
			PREP_REJECT("column 'minutes': %s ('%s')", bad, v[ATT_MINUTES]);
		x.minutes = (uint16_t)u;
	}
	if (schema_modality(v[ATT_MODALITY], row->len[ATT_MODALITY], &x.modality))
		PREP_REJECT("column 'modality': '%s' is not " SCHEMA_MODALITY_WORDS,
			    v[ATT_MODALITY]);
	x.pos = POS_NONE;
	if (row->len[ATT_POS]) {
		if (row->len[ATT_POS] > 2 || value_uint(v[ATT_POS], 99, &u))
			PREP_REJECT("column 'pos': '%s' is not a place-of-service code "
				    "(two digits, e.g. 11 or 02)", v[ATT_POS]);
		x.pos = (uint8_t)u;
	}
	if (row->len[ATT_NOTE]) {
		if ((bad = value_bool(v[ATT_NOTE], &b)))
			PREP_REJECT("column 'note': %s ('%s')", bad, v[ATT_NOTE]);
		if (b)
			x.flags |= LINE_HAS_NOTE;
	}
	if (schema_status(v[ATT_STATUS], row->len[ATT_STATUS], &x.status))
		PREP_REJECT("column 'status': '%s' is not " SCHEMA_STATUS_WORDS,
			    v[ATT_STATUS]);
	if (row->len[ATT_PAID]) {
		int64_t cents;
		if ((bad = value_money(v[ATT_PAID], &cents)))
			PREP_REJECT("column 'paid': %s ('%s')", bad, v[ATT_PAID]);
		if (cents > INT32_MAX / 2 || cents < -(INT32_MAX / 2))
			PREP_REJECT("column 'paid': amount too large for one line ('%s')",
				    v[ATT_PAID]);
		/* A paid line's amount is what was paid for it: a negative one
		 * would lower the totals without a word.  On another line a
		 * negative amount is a take-back, summed and said (cmd/cli.c). */
		if (cents < 0 && x.status == STATUS_PAID)
			PREP_REJECT("column 'paid': negative amount on a paid line ('%s'): "
				    "give what was paid for the line, 0.00 or more; a "
				    "take-back goes on a line that is not 'paid'", v[ATT_PAID]);
		x.paid = (int32_t)cents;
		x.flags |= LINE_HAS_PAID;
	}
	if ((bad = prep_ar(row, &x, attended, why, whylen)))
		return 1;
	if (!attended && (x.status == STATUS_PAID || x.status == STATUS_DENIED))
		PREP_REJECT("marked absent (attended = %s) but has claim status '%s': "
			    "absent members are never billed", v[ATT_ATTENDED], v[ATT_STATUS]);
	if (attended)
		x.flags |= LINE_ATTENDED;
	if (row->len[ATT_DIAGNOSIS])
		x.flags |= LINE_HAS_DIAGNOSIS;
	if (row->len[ATT_AUTH])
		x.flags |= LINE_HAS_AUTH;
	x.modifiers = parse_modifiers(v[ATT_MODIFIERS]);
	x.member_hash = strpool_hash(v[ATT_MEMBER], row->len[ATT_MEMBER]);
	memcpy(out, &x, sizeof x);
	return 0;
}

#define REJECT(...)                                                          \
	return rejects_add(c->rej, r->path, row->line, __VA_ARGS__) ? oom(err, r, row) \
								    : (r->rows_rejected++, 0)

static int oom(struct gr_err *err, struct roster *r, const struct load_row *row)
{
	return gr_fail(err, r->path, row->line, "out of memory");
}

/* Intern into a pool whose ids must fit LIMIT (a narrow line field). */
static int intern_small(struct strpool *p, struct memo *m, const char *s, size_t len,
			uint32_t limit, uint32_t *id)
{
	if (memo_hit(m, s, len, id))
		return 0;
	if (strpool_find(p, s, len, id) != 0) {
		if (p->count >= limit)
			return 1;
		if (strpool_intern(p, s, len, id))
			return -1;
	}
	memo_set(m, p, *id, len);
	return 0;
}

/* The rest of a row, in file order on the calling thread: ids, sessions
 * and duplicates (prep_row has checked its values). */
static int on_row(void *vctx, const struct load_row *row, struct gr_err *err)
{
	struct ctx *c = vctx;
	struct roster *r = c->r;
	const char *const *v = row->v;
	struct row_values x;
	struct line ln;

	memcpy(&x, row->prep, sizeof x);
	memset(&ln, 0, sizeof ln);
	ln.paid = x.paid;
	ln.minutes = x.minutes;
	ln.modifiers = x.modifiers;
	ln.pos = x.pos;
	ln.modality = x.modality;
	ln.status = x.status;
	ln.flags = x.flags;
	int32_t date = x.date;
	bool attended = x.flags & LINE_ATTENDED;

	/* Session agreement and duplicates. */
	uint32_t sid, group, clin, member = 0;
	bool new_session = !memo_hit(&c->memo[MEMO_SESSION], v[ATT_SESSION],
				     row->len[ATT_SESSION], &sid) &&
			   strpool_find(&r->session_ids, v[ATT_SESSION],
					row->len[ATT_SESSION], &sid) != 0;
	if (!new_session)
		memo_set(&c->memo[MEMO_SESSION], &r->session_ids, sid,
			 row->len[ATT_SESSION]);
	bool known_member = strpool_find_hashed(&r->members, v[ATT_MEMBER],
						row->len[ATT_MEMBER], x.member_hash,
						&member) == 0;
	if (!new_session) {
		const struct session *s = roster_session(r, sid);
		const char *field = NULL, *want = NULL, *got = NULL;
		char dbuf[16];
		if (s->date != date) {
			field = "date";
			value_format_date(s->date, dbuf);
			want = dbuf;
			got = v[ATT_DATE];
		} else if (strcmp(strpool_str(&r->groups, s->group), v[ATT_GROUP]) != 0) {
			field = "group_id";
			want = strpool_str(&r->groups, s->group);
			got = v[ATT_GROUP];
		} else if (strcmp(strpool_str(&r->clinicians, s->clinician),
				  v[ATT_CLINICIAN]) != 0) {
			field = "clinician_id";
			want = strpool_str(&r->clinicians, s->clinician);
			got = v[ATT_CLINICIAN];
		}
		if (field)
			REJECT("session '%s' has %s '%s' (line %u) but this row says "
			       "'%s'", v[ATT_SESSION], field, want, s->first_line, got);
		{
			/* Runs for every row of a known session, even a new
			 * member, so that the session moves into the set as
			 * soon as its rows stop being contiguous. */
			uint32_t dup_line = 0;
			if (find_member(r, c->ix, sid, known_member ? member : UINT32_MAX,
					&dup_line) < 0)
				return oom(err, r, row);
			if (dup_line)
				REJECT("member already listed in session '%s' on line %u: "
				       "a member is billed once per session", v[ATT_SESSION],
				       dup_line);
		}
	}

	/* Narrow fields: ids must fit the line's 8- or 16-bit field (a few
	 * hundred licences or add-ons at most in any real practice; more
	 * means a wrong column).  A row refused here may leave a string in a
	 * pool, which no output ever lists. */
	/* Static, the pools by their place in the roster: built on the
	 * stack, the table cost a tenth of this function. */
	static const struct {
		int col;
		size_t pool; /* offsetof(struct roster, the pool) */
		uint32_t limit;
		const char *what;
	} narrow[] = {
		{ ATT_CREDENTIAL, offsetof(struct roster, credentials), NO_ID8, "licences" },
		{ ATT_ADDON, offsetof(struct roster, addons), NO_ID8, "add-on codes" },
		{ ATT_GROUP_TYPE, offsetof(struct roster, group_types), NO_ID8, "group types" },
		{ ATT_CARC, offsetof(struct roster, carcs), NO_ID16, "reason codes" },
		{ ATT_PAYER, offsetof(struct roster, payers), NO_ID16, "payers" },
	};
	_Static_assert(MEMO_PAYER - MEMO_CREDENTIAL == 4, "a memo per narrow column");
	uint32_t ids[5];
	for (size_t k = 0; k < 5; k++) {
		int rc;
		ids[k] = narrow[k].limit; /* the "none" value of the field */
		if (!row->len[narrow[k].col])
			continue;
		struct strpool *pool = (struct strpool *)(void *)((char *)r + narrow[k].pool);
		rc = intern_small(pool, &c->memo[MEMO_CREDENTIAL + k],
				  v[narrow[k].col], row->len[narrow[k].col],
				  narrow[k].limit, &ids[k]);
		if (rc < 0)
			return oom(err, r, row);
		if (rc)
			REJECT("column '%s': more than %u different %s",
			       schema_columns[narrow[k].col].name, narrow[k].limit,
			       narrow[k].what);
	}
	ln.credential = (uint8_t)ids[0];
	ln.addon = (uint8_t)ids[1];
	ln.group_type = (uint8_t)ids[2];
	ln.carc = (uint16_t)ids[3];
	ln.payer = (uint16_t)ids[4];

	if (!known_member &&
	    strpool_intern_hashed(&r->members, v[ATT_MEMBER], row->len[ATT_MEMBER],
				  x.member_hash, &member))
		return oom(err, r, row);
	if (new_session) {
		struct session *s;
		if (strpool_intern(&r->session_ids, v[ATT_SESSION], row->len[ATT_SESSION],
				   &sid) ||
		    strpool_intern(&r->groups, v[ATT_GROUP], row->len[ATT_GROUP], &group) ||
		    strpool_intern(&r->clinicians, v[ATT_CLINICIAN], row->len[ATT_CLINICIAN],
				   &clin) ||
		    !(s = vec_push(&r->sessions)))
			return oom(err, r, row);
		s->sid = sid;
		s->group = group;
		s->clinician = clin;
		s->date = date;
		s->first_line = (uint32_t)row->line;
		memo_set(&c->memo[MEMO_SESSION], &r->session_ids, sid,
			 row->len[ATT_SESSION]);
	}
	struct session *s = roster_session(r, sid);
	s->rows++;
	if (attended)
		s->size++;

	if (new_session) {
		uint32_t *st = vec_push(&c->ix->start);
		if (!st)
			return oom(err, r, row);
		*st = (uint32_t)r->lines.len;
	} else if ((VEC_AT(&c->ix->start, uint32_t, sid) & HASHED) &&
		   pair_insert(c->ix, sid, member, (uint32_t)row->line) != 0) {
		return oom(err, r, row);
	}

	ln.src_line = (uint32_t)row->line;
	ln.session = sid;
	ln.member = member;
	if (row->present[ATT_CLAIM_ID] || row->present[ATT_LINE_REF] ||
	    row->present[ATT_INSURED_ID]) {
		/* Remittance keys, beside the line (roster.h). */
		uint32_t key[3] = { NO_KEY, NO_KEY, NO_KEY };
		for (int k = 0; k < 3; k++)
			if (row->len[ATT_CLAIM_ID + k] &&
			    strpool_intern(&r->remit_keys, v[ATT_CLAIM_ID + k],
					   row->len[ATT_CLAIM_ID + k], &key[k]))
				return oom(err, r, row);
		struct line_keys *lk = vec_push(&r->keys);
		if (!lk)
			return oom(err, r, row);
		*lk = (struct line_keys){ key[0], key[1], key[2] };
	}
	struct line *dst = vec_push(&r->lines);
	if (!dst)
		return oom(err, r, row);
	*dst = ln;
	if (row->present[ATT_CHARGE] || row->present[ATT_BILLED] ||
	    row->present[ATT_PAID_DATE] || row->present[ATT_PATIENT_PAID]) {
		struct line_ar *a = vec_push(&r->ar);
		if (!a)
			return oom(err, r, row);
		*a = x.ar;
	}
	r->rows_used++;
	return 0;
}

static int on_reject(void *vctx, size_t line, const char *reason)
{
	struct ctx *c = vctx;

	c->r->rows_rejected++;
	return rejects_add(c->rej, c->r->path, line, "%s", reason);
}

#define NPOOLS 10

/* Every string pool of R, for what is done to all of them. */
static void pools_of(struct roster *r, struct strpool *p[NPOOLS])
{
	struct strpool *all[NPOOLS] = { &r->session_ids, &r->groups, &r->clinicians,
					&r->members, &r->payers, &r->carcs,
					&r->group_types, &r->credentials, &r->addons,
					&r->remit_keys };
	memcpy(p, all, sizeof all);
}

static void roster_init(struct roster *r, const char *path, struct arena *a)
{
	struct strpool *pools[NPOOLS];

	memset(r, 0, sizeof *r);
	r->path = path;
	r->arena = a;
	vec_init(&r->lines, sizeof(struct line));
	vec_init(&r->sessions, sizeof(struct session));
	vec_init(&r->exp.skips, sizeof(struct roster_skip));
	vec_init(&r->ar, sizeof(struct line_ar));
	vec_init(&r->keys, sizeof(struct line_keys));
	pools_of(r, pools);
	for (size_t i = 0; i < NPOOLS; i++)
		strpool_init(pools[i], a);
}

static int finish(struct roster *r, struct index *ix, const struct load_stats *st,
		  int rc)
{
	struct strpool *pools[NPOOLS];

	free(ix->slots);
	ix->slots = NULL;
	vec_free(&ix->start);
	if (rc != 0)
		return rc;
	r->rows_read = st->records;
	r->empty_lines = st->empty_lines;
	/* Every id is in: nothing looks a string up again. */
	pools_of(r, pools);
	for (size_t i = 0; i < NPOOLS; i++)
		if (pools[i] != &r->carcs) /* remittances add codes (billing/match) */
			strpool_seal(pools[i]);
	snprintf(r->ignored_columns, sizeof r->ignored_columns, "%s", st->ignored);
	for (int k = 0; k < ATT_NCOLS; k++)
		if (st->present[k])
			r->columns |= schema_columns[k].bit;
	return 0;
}

/* PATH read from disk, or BUF when it is not NULL. */
static int load_roster(struct roster *r, const char *path, const char *buf,
		       size_t len, struct arena *a, struct rejects *rej,
		       const struct load_tuning *tune, struct gr_err *err)
{
	struct index ix = { 0 };
	struct ctx c = { .r = r, .rej = rej, .ix = &ix, .required = required_cols() };

	vec_init(&ix.start, sizeof(uint32_t));
	struct load_col cols[ATT_NCOLS];
	load_cols(cols);
	struct load_spec spec = { path, cols, ATT_NCOLS, on_row, on_reject, &c, tune,
				  prep_row, sizeof(struct row_values), keep_cols, 0 };
	struct load_stats st;

	roster_init(r, path, a);
	return finish(r, &ix, &st, buf ? load_csv_buffer(&spec, buf, len, &st, err)
				       : load_csv(&spec, &st, err));
}

int roster_load(struct roster *r, const char *path, struct arena *a,
		struct rejects *rej, const struct load_tuning *tune,
		struct gr_err *err)
{
	return load_roster(r, path, NULL, 0, a, rej, tune, err);
}

int roster_load_buffer(struct roster *r, const char *path, const char *buf,
		       size_t len, struct arena *a, struct rejects *rej,
		       const struct load_tuning *tune, struct gr_err *err)
{
	return load_roster(r, path, buf ? buf : "", len, a, rej, tune, err);
}

struct roster_feed {
	struct index ix;
	struct ctx c;
	union {
		max_align_t align;
		char bytes[sizeof(struct row_values)];
	} prep;
};

struct roster_feed *roster_feed_begin(struct roster *r, const char *path,
				      struct arena *a, struct rejects *rej)
{
	struct roster_feed *f = calloc(1, sizeof *f);

	roster_init(r, path, a);
	if (!f)
		return NULL;
	vec_init(&f->ix.start, sizeof(uint32_t));
	f->c = (struct ctx){ .r = r, .rej = rej, .ix = &f->ix, .required = required_cols() };
	return f;
}

int roster_feed_row(struct roster_feed *f, const struct load_row *row,
		    struct gr_err *err)
{
	struct roster *r = f->c.r;
	char why[512];
	struct load_row x = *row;
	size_t used = r->rows_used;

	if (prep_row(&f->c, row, f->prep.bytes, why, sizeof why))
		return on_reject(&f->c, row->line, why) ? oom(err, r, row) : 0;
	x.prep = f->prep.bytes;
	if (on_row(&f->c, &x, err) != 0)
		return -1;
	return r->rows_used > used;
}

int roster_feed_reject(struct roster_feed *f, size_t line, const char *reason)
{
	return on_reject(&f->c, line, reason);
}

void roster_feed_end(struct roster_feed *f, size_t records, size_t empty_lines,
		     const bool present[ATT_NCOLS], const char *ignored)
{
	struct load_stats st;

	memset(&st, 0, sizeof st);
	st.records = records;
	st.empty_lines = empty_lines;
	memcpy(st.present, present, ATT_NCOLS * sizeof *present);
	snprintf(st.ignored, sizeof st.ignored, "%s", ignored ? ignored : "");
	finish(f->c.r, &f->ix, &st, 0);
	free(f);
}

void roster_free(struct roster *r)
{
	struct strpool *pools[NPOOLS];

	vec_free(&r->exp.skips);
	vec_free(&r->lines);
	vec_free(&r->sessions);
	vec_free(&r->ar);
	vec_free(&r->keys);
	pools_of(r, pools);
	for (size_t i = 0; i < NPOOLS; i++)
		strpool_free(pools[i]);
}
