/* roster.c — attendance.csv rows into lines and sessions.
 *
 * A row's values are checked before its session is created, so a
 * rejected row never creates a session, and session index == session id.
 */
#include "model/roster.h"

#include <ctype.h>
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

enum {
	C_SESSION, C_DATE, C_GROUP, C_CLINICIAN, C_MEMBER, C_PAYER, C_ATTENDED,
	C_GROUP_TYPE, C_CREDENTIAL, C_MINUTES, C_MODALITY, C_POS, C_AUTH,
	C_DIAGNOSIS, C_MODIFIERS, C_NOTE, C_ADDON, C_STATUS, C_PAID, C_CARC,
	C_CHARGE, C_BILLED, C_PAID_DATE, C_PATIENT_PAID,
	C_CLAIM_ID, C_LINE_REF, C_INSURED_ID, C_NCOLS
};

static const struct load_col cols[C_NCOLS] = {
	{ "session_id", true }, { "date", true }, { "group_id", true },
	{ "clinician_id", true }, { "member_id", true }, { "payer_id", true },
	{ "attended", true }, { "group_type", false }, { "credential", false },
	{ "minutes", false }, { "modality", false }, { "pos", false },
	{ "auth_id", false }, { "diagnosis", false }, { "modifiers", false },
	{ "note", false }, { "addon", false }, { "status", false },
	{ "paid", false }, { "carc", false },
	{ "charge", false }, { "billed", false }, { "paid_date", false },
	{ "patient_paid", false },
	{ "claim_id", false }, { "line_ref", false }, { "insured_id", false },
};

/* Optional column -> COL_* bit. */
static const struct { int col; uint32_t bit; } optional_bits[] = {
	{ C_GROUP_TYPE, COL_GROUP_TYPE }, { C_CREDENTIAL, COL_CREDENTIAL },
	{ C_MINUTES, COL_MINUTES }, { C_MODALITY, COL_MODALITY },
	{ C_POS, COL_POS }, { C_AUTH, COL_AUTH }, { C_DIAGNOSIS, COL_DIAGNOSIS },
	{ C_MODIFIERS, COL_MODIFIERS }, { C_NOTE, COL_NOTE },
	{ C_ADDON, COL_ADDON }, { C_STATUS, COL_STATUS }, { C_PAID, COL_PAID },
	{ C_CARC, COL_CARC }, { C_CHARGE, COL_CHARGE }, { C_BILLED, COL_BILLED },
	{ C_PAID_DATE, COL_PAID_DATE }, { C_PATIENT_PAID, COL_PATIENT_PAID },
	{ C_CLAIM_ID, COL_CLAIM_ID },
	{ C_LINE_REF, COL_LINE_REF }, { C_INSURED_ID, COL_INSURED_ID },
};

struct ctx {
	struct roster *r;
	struct rejects *rej;
	struct index *ix;
};

static int parse_modality(const char *s, uint8_t *m)
{
	static const struct { const char *name; size_t len; uint8_t m; } names[] = {
#define NAME(s) s, sizeof s - 1
		{ NAME("in_person"), MODALITY_IN_PERSON },
		{ NAME("in-person"), MODALITY_IN_PERSON },
		{ NAME("in person"), MODALITY_IN_PERSON },
		{ NAME("office"), MODALITY_IN_PERSON },
		{ NAME("telehealth"), MODALITY_TELEHEALTH },
		{ NAME("video"), MODALITY_TELEHEALTH },
		{ NAME("audio_video"), MODALITY_TELEHEALTH },
		{ NAME("audio-video"), MODALITY_TELEHEALTH },
		{ NAME("audio_only"), MODALITY_AUDIO_ONLY },
		{ NAME("audio-only"), MODALITY_AUDIO_ONLY },
		{ NAME("audio only"), MODALITY_AUDIO_ONLY },
		{ NAME("phone"), MODALITY_AUDIO_ONLY },
		{ NAME("telephone"), MODALITY_AUDIO_ONLY },
#undef NAME
	};
	if (!*s) {
		*m = MODALITY_UNKNOWN;
		return 0;
	}
	size_t n = strlen(s);
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].len == n && strcasecmp(s, names[i].name) == 0) {
			*m = names[i].m;
			return 0;
		}
	return -1;
}

uint8_t roster_modifier_bit(const char *m, size_t n)
{
	static const struct { const char *name; uint8_t bit; } known[] = {
		{ "95", MOD_95 }, { "GT", MOD_GT }, { "93", MOD_93 }, { "FQ", MOD_FQ },
		{ "HQ", MOD_HQ }, { "59", MOD_59 }, { "XE", MOD_XE },
	};
	for (size_t i = 0; i < sizeof known / sizeof known[0]; i++)
		if (strlen(known[i].name) == n && strncasecmp(m, known[i].name, n) == 0)
			return known[i].bit;
	return MOD_OTHER;
}

static uint8_t parse_modifiers(const char *s)
{
	uint8_t bits = 0;
	const char *p = s;

	while (*p) {
		while (*p && strchr(" ;,\t", *p))
			p++;
		const char *w = p;
		while (*p && !strchr(" ;,\t", *p))
			p++;
		if (p == w)
			break;
		bits |= roster_modifier_bit(w, (size_t)(p - w));
	}
	return bits;
}

static int parse_status(const char *s, uint8_t *st)
{
	if (!*s)
		*st = STATUS_NONE;
	else if (strcasecmp(s, "paid") == 0)
		*st = STATUS_PAID;
	else if (strcasecmp(s, "denied") == 0)
		*st = STATUS_DENIED;
	else if (strcasecmp(s, "pending") == 0)
		*st = STATUS_PENDING;
	else
		return -1;
	return 0;
}

/* What a row's values are, checked on the thread that parsed it
 * (load_prep_fn): everything of a line that needs no interning. */
struct row_values {
	int32_t date, paid;
	struct line_ar ar;
	uint16_t minutes;
	uint8_t modifiers, pos, modality, status, flags;
};

/* The columns on_row reads as text: ids to intern, and the date for the
 * message about a session whose rows disagree. */
#define KEEP(c) (UINT64_C(1) << (c))
static const uint64_t keep_cols =
	KEEP(C_SESSION) | KEEP(C_DATE) | KEEP(C_GROUP) | KEEP(C_CLINICIAN) |
	KEEP(C_MEMBER) | KEEP(C_PAYER) | KEEP(C_GROUP_TYPE) | KEEP(C_CREDENTIAL) |
	KEEP(C_ADDON) | KEEP(C_CARC) | KEEP(C_CLAIM_ID) | KEEP(C_LINE_REF) |
	KEEP(C_INSURED_ID);

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
		return snprintf(why, whylen, "column '%s': %s ('%s')", cols[c].name,
				bad, row->v[c]), why;
	if (cents < 0)
		return snprintf(why, whylen, "column '%s': negative amount ('%s')",
				cols[c].name, row->v[c]), why;
	if (cents > INT32_MAX / 2)
		return snprintf(why, whylen, "column '%s': amount too large for one "
				"line ('%s')", cols[c].name, row->v[c]), why;
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
		return snprintf(why, whylen, "column '%s': %s ('%s')", cols[c].name,
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

	if ((bad = ar_money(row, C_CHARGE, &a->charge, why, whylen)) ||
	    (bad = ar_date(row, C_BILLED, &a->billed, why, whylen)) ||
	    (bad = ar_date(row, C_PAID_DATE, &a->paid_date, why, whylen)) ||
	    (bad = ar_money(row, C_PATIENT_PAID, &a->patient_paid, why, whylen)))
		return bad;
	if (a->billed == AR_NONE && a->paid_date == AR_NONE)
		return NULL; /* no date to check (every row of most files) */
	if (a->billed != AR_NONE && a->billed < x->date)
		return value_format_date(x->date, d),
		       snprintf(why, whylen, "column 'billed': %s is before the date "
				"of service %s", v[C_BILLED], d), why;
	if (a->paid_date != AR_NONE && a->paid_date < x->date)
		return value_format_date(x->date, d),
		       snprintf(why, whylen, "column 'paid_date': %s is before the "
				"date of service %s", v[C_PAID_DATE], d), why;
	if (a->paid_date != AR_NONE && a->billed != AR_NONE &&
	    a->paid_date < a->billed)
		return snprintf(why, whylen, "column 'paid_date': %s is before the "
				"billed date %s", v[C_PAID_DATE], v[C_BILLED]), why;
	if (a->paid_date != AR_NONE && x->status != STATUS_PAID &&
	    x->status != STATUS_DENIED)
		return snprintf(why, whylen, "column 'paid_date': %s given but the "
				"status is '%s', not paid or denied", v[C_PAID_DATE],
				v[C_STATUS]), why;
	if (!attended && a->billed != AR_NONE)
		return snprintf(why, whylen, "marked absent (attended = %s) but has a "
				"billed date: absent members are never billed",
				v[C_ATTENDED]), why;
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

	(void)ctx;
	memset(&x, 0, sizeof x);
	for (int k = C_SESSION; k <= C_ATTENDED; k++)
		if (!row->len[k])
			PREP_REJECT("column '%s' is empty", cols[k].name);
	if ((bad = value_date(v[C_DATE], &x.date)))
		PREP_REJECT("column 'date': %s ('%s')", bad, v[C_DATE]);
	if ((bad = value_bool(v[C_ATTENDED], &attended)))
		PREP_REJECT("column 'attended': %s ('%s')", bad, v[C_ATTENDED]);
	if (row->len[C_MINUTES]) {
		if ((bad = value_uint(v[C_MINUTES], 1440, &u)))
			PREP_REJECT("column 'minutes': %s ('%s')", bad, v[C_MINUTES]);
		x.minutes = (uint16_t)u;
	}
	if (parse_modality(v[C_MODALITY], &x.modality))
		PREP_REJECT("column 'modality': '%s' is not in_person, telehealth or "
			    "audio_only", v[C_MODALITY]);
	x.pos = POS_NONE;
	if (row->len[C_POS]) {
		if (row->len[C_POS] > 2 || value_uint(v[C_POS], 99, &u))
			PREP_REJECT("column 'pos': '%s' is not a place-of-service code "
				    "(two digits, e.g. 11 or 02)", v[C_POS]);
		x.pos = (uint8_t)u;
	}
	if (row->len[C_NOTE]) {
		if ((bad = value_bool(v[C_NOTE], &b)))
			PREP_REJECT("column 'note': %s ('%s')", bad, v[C_NOTE]);
		if (b)
			x.flags |= LINE_HAS_NOTE;
	}
	if (parse_status(v[C_STATUS], &x.status))
		PREP_REJECT("column 'status': '%s' is not paid, denied, pending or empty",
			    v[C_STATUS]);
	if (row->len[C_PAID]) {
		int64_t cents;
		if ((bad = value_money(v[C_PAID], &cents)))
			PREP_REJECT("column 'paid': %s ('%s')", bad, v[C_PAID]);
		if (cents > INT32_MAX / 2 || cents < -(INT32_MAX / 2))
			PREP_REJECT("column 'paid': amount too large for one line ('%s')",
				    v[C_PAID]);
		/* A paid line's amount is what was paid for it: a negative one
		 * would lower the totals without a word.  On another line a
		 * negative amount is a take-back, summed and said (cmd/cli.c). */
		if (cents < 0 && x.status == STATUS_PAID)
			PREP_REJECT("column 'paid': negative amount on a paid line ('%s'): "
				    "give what was paid for the line, 0.00 or more; a "
				    "take-back goes on a line that is not 'paid'", v[C_PAID]);
		x.paid = (int32_t)cents;
		x.flags |= LINE_HAS_PAID;
	}
	if ((bad = prep_ar(row, &x, attended, why, whylen)))
		return 1;
	if (!attended && (x.status == STATUS_PAID || x.status == STATUS_DENIED))
		PREP_REJECT("marked absent (attended = %s) but has claim status '%s': "
			    "absent members are never billed", v[C_ATTENDED], v[C_STATUS]);
	if (attended)
		x.flags |= LINE_ATTENDED;
	if (row->len[C_DIAGNOSIS])
		x.flags |= LINE_HAS_DIAGNOSIS;
	if (row->len[C_AUTH])
		x.flags |= LINE_HAS_AUTH;
	x.modifiers = parse_modifiers(v[C_MODIFIERS]);
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
static int intern_small(struct strpool *p, const char *s, size_t len,
			uint32_t limit, uint32_t *id)
{
	if (strpool_find(p, s, len, id) == 0)
		return 0;
	if (p->count >= limit)
		return 1;
	return strpool_intern(p, s, len, id) ? -1 : 0;
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
	bool new_session = strpool_find(&r->session_ids, v[C_SESSION],
					row->len[C_SESSION], &sid) != 0;
	bool known_member = strpool_find(&r->members, v[C_MEMBER],
					 row->len[C_MEMBER], &member) == 0;
	if (!new_session) {
		const struct session *s = roster_session(r, sid);
		const char *field = NULL, *want = NULL, *got = NULL;
		char dbuf[16];
		if (s->date != date) {
			field = "date";
			value_format_date(s->date, dbuf);
			want = dbuf;
			got = v[C_DATE];
		} else if (strcmp(strpool_str(&r->groups, s->group), v[C_GROUP]) != 0) {
			field = "group_id";
			want = strpool_str(&r->groups, s->group);
			got = v[C_GROUP];
		} else if (strcmp(strpool_str(&r->clinicians, s->clinician),
				  v[C_CLINICIAN]) != 0) {
			field = "clinician_id";
			want = strpool_str(&r->clinicians, s->clinician);
			got = v[C_CLINICIAN];
		}
		if (field)
			REJECT("session '%s' has %s '%s' (line %u) but this row says "
			       "'%s'", v[C_SESSION], field, want, s->first_line, got);
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
				       "a member is billed once per session", v[C_SESSION],
				       dup_line);
		}
	}

	/* Narrow fields: ids must fit the line's 8- or 16-bit field (a few
	 * hundred licences or add-ons at most in any real practice; more
	 * means a wrong column).  A row refused here may leave a string in a
	 * pool, which no output ever lists. */
	const struct {
		int col;
		struct strpool *pool;
		uint32_t limit;
		const char *what;
	} narrow[] = {
		{ C_CREDENTIAL, &r->credentials, NO_ID8, "licences" },
		{ C_ADDON, &r->addons, NO_ID8, "add-on codes" },
		{ C_GROUP_TYPE, &r->group_types, NO_ID8, "group types" },
		{ C_CARC, &r->carcs, NO_ID16, "reason codes" },
		{ C_PAYER, &r->payers, NO_ID16, "payers" },
	};
	uint32_t ids[5];
	for (size_t k = 0; k < 5; k++) {
		int rc;
		ids[k] = narrow[k].limit; /* the "none" value of the field */
		if (!row->len[narrow[k].col])
			continue;
		rc = intern_small(narrow[k].pool, v[narrow[k].col],
				  row->len[narrow[k].col], narrow[k].limit, &ids[k]);
		if (rc < 0)
			return oom(err, r, row);
		if (rc)
			REJECT("column '%s': more than %u different %s",
			       cols[narrow[k].col].name, narrow[k].limit,
			       narrow[k].what);
	}
	ln.credential = (uint8_t)ids[0];
	ln.addon = (uint8_t)ids[1];
	ln.group_type = (uint8_t)ids[2];
	ln.carc = (uint16_t)ids[3];
	ln.payer = (uint16_t)ids[4];

	if (strpool_intern(&r->members, v[C_MEMBER], row->len[C_MEMBER], &member))
		return oom(err, r, row);
	if (new_session) {
		struct session *s;
		if (strpool_intern(&r->session_ids, v[C_SESSION], row->len[C_SESSION],
				   &sid) ||
		    strpool_intern(&r->groups, v[C_GROUP], row->len[C_GROUP], &group) ||
		    strpool_intern(&r->clinicians, v[C_CLINICIAN], row->len[C_CLINICIAN],
				   &clin) ||
		    !(s = vec_push(&r->sessions)))
			return oom(err, r, row);
		s->sid = sid;
		s->group = group;
		s->clinician = clin;
		s->date = date;
		s->first_line = (uint32_t)row->line;
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
	if (row->present[C_CLAIM_ID] || row->present[C_LINE_REF] ||
	    row->present[C_INSURED_ID]) {
		/* Remittance keys, beside the line (roster.h). */
		uint32_t key[3] = { NO_KEY, NO_KEY, NO_KEY };
		for (int k = 0; k < 3; k++)
			if (row->len[C_CLAIM_ID + k] &&
			    strpool_intern(&r->remit_keys, v[C_CLAIM_ID + k],
					   row->len[C_CLAIM_ID + k], &key[k]))
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
	if (row->present[C_CHARGE] || row->present[C_BILLED] ||
	    row->present[C_PAID_DATE] || row->present[C_PATIENT_PAID]) {
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
	for (size_t i = 0; i < sizeof optional_bits / sizeof optional_bits[0]; i++)
		if (st->present[optional_bits[i].col])
			r->columns |= optional_bits[i].bit;
	return 0;
}

/* PATH read from disk, or BUF when it is not NULL. */
static int load_roster(struct roster *r, const char *path, const char *buf,
		       size_t len, struct arena *a, struct rejects *rej,
		       const struct load_tuning *tune, struct gr_err *err)
{
	struct index ix = { 0 };
	struct ctx c = { r, rej, &ix };

	vec_init(&ix.start, sizeof(uint32_t));
	struct load_spec spec = { path, cols, C_NCOLS, on_row, on_reject, &c, tune,
				  prep_row, sizeof(struct row_values), keep_cols };
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

void roster_free(struct roster *r)
{
	struct strpool *pools[NPOOLS];

	vec_free(&r->lines);
	vec_free(&r->sessions);
	vec_free(&r->ar);
	vec_free(&r->keys);
	pools_of(r, pools);
	for (size_t i = 0; i < NPOOLS; i++)
		strpool_free(pools[i]);
}
