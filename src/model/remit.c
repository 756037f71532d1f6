/* remit.c — 835 segments -> payments, claims and service lines (remit.h).
 *
 * The reader (io/x12.h) hands over the segments of one transaction; a
 * switch on the packed segment id (X12_ID) picks its handler.  Records of the transaction
 * are appended to the remit's arrays as they are read, and dropped again
 * (the arrays cut back to where the transaction began) when the reader
 * says it was cut off or a value in it could not be read: only complete,
 * readable transactions count.  A service line is finished when the next
 * line, claim or the trailer starts; a claim when the next claim or the
 * trailer starts; the payment at SE.
 */
#include "model/remit.h"

#include <glib.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/value.h"
#include "io/x12.h"

static const char *const versions_835[] = { "005010X221A1", "005010X221", NULL };

enum loop { LOOP_HEADER = 0, LOOP_PAYER, LOOP_PAYEE, LOOP_CLAIM, LOOP_LINE,
	    LOOP_TRAILER };

struct adj {
	char group[3];
	char reason[6];
	int64_t amount;
};

/* Strings are copied into blocks taken from the arena, so that a copy is
 * a memcpy and a pointer bump, not a call per string. */
#define STR_BLOCK (256u * 1024u)

/* Values that repeat on nearly every line (the procedure code, its
 * qualifier and modifiers, the claim status, the CARC and RARC lists) are
 * kept once: a small table by hash holds the last string of each slot. */
#define REPEAT_SLOTS 64u
#define REPEAT_MAX 64u /* longer strings are copied, not looked up */

struct repeat {
	const char *s;
	size_t len;
};

struct build {
	struct remit *rm;
	const char *file;    /* arena copy */
	size_t marks[4];     /* payments, claims, lines, plbs at ST */
	bool in_tx, bad, have_bpr;
	int loop;
	int32_t claim;       /* open claim index, -1 */
	int32_t line;        /* open line index, -1 */
	struct vec ladj;     /* struct adj of the open line */
	struct vec cadj;     /* struct adj of the open claim (claim level) */
	int64_t line_cas_sum; /* sum of line CAS of the open claim */
	bool have_b6;
	int64_t b6;
	int32_t d472, d150;
	char rarc[256];
	struct gr_err *err;
	char *str, *str_end;  /* the free part of the current string block */
	struct repeat repeat[REPEAT_SLOTS];
	char last_date[9];    /* the CCYYMMDD read last ("" none), and its */
	int32_t last_days;    /* day: a payment's dates repeat line after line */
};

const char *remit_cents(int64_t c, char buf[32])
{
	value_format_cents(c, buf);
	return buf;
}

void remit_init(struct remit *rm, struct arena *a)
{
	memset(rm, 0, sizeof *rm);
	rm->arena = a;
	vec_init(&rm->payments, sizeof(struct remit_payment));
	vec_init(&rm->claims, sizeof(struct remit_claim));
	vec_init(&rm->lines, sizeof(struct remit_line));
	vec_init(&rm->plbs, sizeof(struct remit_plb));
	vec_init(&rm->problems, sizeof(struct remit_problem));
}

void remit_free(struct remit *rm)
{
	vec_free(&rm->payments);
	vec_free(&rm->claims);
	vec_free(&rm->lines);
	vec_free(&rm->plbs);
	vec_free(&rm->problems);
}

static int oom(struct build *b)
{
	return gr_fail(b->err, b->file, 0, "out of memory reading the remittance");
}

int remit_add_problem(struct remit *rm, const char *file, size_t seg,
		      const char *id, uint8_t kind, const char *msg,
		      struct gr_err *err)
{
	struct remit_problem *p = vec_push(&rm->problems);
	if (!p)
		return gr_fail(err, file, 0, "out of memory reading the remittance");
	p->file = file;
	p->segment = seg;
	p->id = arena_strdup(rm->arena, id);
	p->msg = arena_strdup(rm->arena, msg);
	p->kind = kind;
	if (!p->id || !p->msg)
		return gr_fail(err, file, 0, "out of memory reading the remittance");
	return 0;
}

static int report(struct build *b, const struct x12_seg *s, uint8_t kind,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int report(struct build *b, const struct x12_seg *s, uint8_t kind,
		  const char *fmt, ...)
{
	char msg[600];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	return remit_add_problem(b->rm, b->file, s->index, s->el[0], kind, msg, b->err);
}

/* A value that cannot be read makes the transaction unusable. */
static int bad_value(struct build *b, const struct x12_seg *s, size_t i,
		     const char *what, const char *why)
{
	b->bad = true;
	return report(b, s, PROBLEM_READ,
		      "%s%02zu '%s' is not %s: %s; the transaction is not used",
		      s->el[0], i, x12_el(s, i), what, why);
}

static int amount(struct build *b, const struct x12_seg *s, size_t i,
		  bool required, int64_t *out)
{
	const char *v = x12_el(s, i);
	*out = 0;
	if (!*v) {
		if (!required)
			return 0;
		b->bad = true;
		return report(b, s, PROBLEM_READ,
			      "%s%02zu (an amount) is missing; the transaction is not used",
			      s->el[0], i);
	}
	const char *why = x12_amount(v, out);
	return why ? bad_value(b, s, i, "an amount", why) : 0;
}

static int date(struct build *b, const struct x12_seg *s, size_t i, int32_t *out)
{
	const char *v = x12_el(s, i);
	/* The same text as the date before is the same day.  strncmp stops
	 * at V's end: a shorter element is never read past (a fuzzer found
	 * the 8-byte memcmp that was here reading beyond an empty one). */
	if (b->last_date[0] && strncmp(v, b->last_date, sizeof b->last_date) == 0) {
		*out = b->last_days;
		return 0;
	}
	const char *why = x12_date(v, out);
	if (why)
		return bad_value(b, s, i, "a date", why);
	memcpy(b->last_date, v, 9); /* x12_date took exactly 8 digits */
	b->last_days = *out;
	return 0;
}

/* S[0..N) with a NUL, in the current string block. */
static const char *copy_n(struct build *b, const char *s, size_t n)
{
	if (n == 0)
		return "";
	if ((size_t)(b->str_end - b->str) <= n) {
		size_t size = n + 1 > STR_BLOCK ? n + 1 : STR_BLOCK;
		char *blk = arena_alloc(b->rm->arena, size);
		if (!blk)
			return NULL;
		b->str = blk;
		b->str_end = blk + size;
	}
	char *p = b->str;
	memcpy(p, s, n);
	p[n] = '\0';
	b->str += n + 1;
	return p;
}

static const char *copy_str(struct build *b, const char *s)
{
	return copy_n(b, s, strlen(s));
}

/* S[0..N) kept once while it repeats (see REPEAT_SLOTS). */
static const char *keep_n(struct build *b, const char *s, size_t n)
{
	if (n == 0 || n > REPEAT_MAX)
		return copy_n(b, s, n);
	uint32_t h = 2166136261u;
	for (size_t i = 0; i < n; i++)
		h = (h ^ (unsigned char)s[i]) * 16777619u;
	struct repeat *r = &b->repeat[(h ^ h >> 16) & (REPEAT_SLOTS - 1)];
	if (r->s && r->len == n && memcmp(r->s, s, n) == 0)
		return r->s;
	const char *c = copy_n(b, s, n);
	if (c)
		*r = (struct repeat){ c, n };
	return c;
}

static const char *keep_str(struct build *b, const char *s)
{
	return keep_n(b, s, strlen(s));
}

/* A two-letter group code ("CO") as one number, to compare it at once. */
static inline uint32_t group2(const char *g)
{
	return (uint32_t)(unsigned char)g[0] << 8 | (unsigned char)g[1];
}

#define GROUP(a, b) ((uint32_t)(a) << 8 | (uint32_t)(b))

static struct remit_payment *cur_payment(struct build *b)
{
	return remit_payment_at(b->rm, b->rm->payments.len - 1);
}

static bool in_claim(const struct build *b)
{
	return b->claim >= 0 && (b->loop == LOOP_CLAIM || b->loop == LOOP_LINE);
}

/* --- finishing a line, a claim, a payment -------------------------------- */

static int cmp_adj(const void *a, const void *b)
{
	const struct adj *x = a, *y = b;
	return x->amount < y->amount ? 1 : x->amount > y->amount ? -1 : 0;
}

/* The few adjustments of a line are summed on the stack; more than this
 * many (a claim with a long list) in malloc'ed memory. */
#define ADJ_STACK 16u

/* CO/OA/PI codes of ADJ[0..N) as "CO-45;OA-23", largest amount first (a
 * code given twice counts once, with its sum), into the arena. */
static const char *carc_list(struct build *b, const struct adj *adj, size_t n)
{
	struct adj stack[ADJ_STACK];
	struct adj *sum = n > ADJ_STACK ? malloc(n * sizeof *sum) : stack;
	size_t k = 0;
	if (!sum)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		uint32_t g = group2(adj[i].group);
		if (g != GROUP('C', 'O') && g != GROUP('O', 'A') && g != GROUP('P', 'I'))
			continue;
		size_t j;
		for (j = 0; j < k; j++)
			if (group2(sum[j].group) == g &&
			    !strcmp(sum[j].reason, adj[i].reason))
				break;
		if (j == k)
			sum[k++] = adj[i];
		else
			sum[j].amount += adj[i].amount;
	}
	/* qsort is not stable: ties keep the order given by a final pass
	 * that is stable (insertion sort; lists are a handful long). */
	for (size_t i = 1; i < k; i++)
		for (size_t j = i; j > 0 && cmp_adj(&sum[j - 1], &sum[j]) > 0; j--) {
			struct adj t = sum[j];
			sum[j] = sum[j - 1];
			sum[j - 1] = t;
		}
	if (k == 0) {
		if (sum != stack)
			free(sum);
		return "";
	}
	/* Each code is at most 2 + 1 + 5 bytes and a ';'. */
	char small[ADJ_STACK * 9 + 1];
	char *out = k <= ADJ_STACK ? small : malloc(k * 9 + 1);
	const char *kept = NULL;
	if (out) {
		char *p = out;
		for (size_t i = 0; i < k; i++) {
			size_t r = strlen(sum[i].reason);
			if (i)
				*p++ = ';';
			memcpy(p, sum[i].group, 2);
			p += 2;
			*p++ = '-';
			memcpy(p, sum[i].reason, r);
			p += r;
		}
		kept = keep_n(b, out, (size_t)(p - out));
		if (out != small)
			free(out);
	}
	if (sum != stack)
		free(sum);
	return kept;
}

static int finish_line(struct build *b)
{
	if (b->line < 0)
		return 0;
	struct remit_line *ln = remit_line_at(b->rm, (size_t)b->line);
	struct remit_claim *cl = remit_claim_at(b->rm, ln->claim);
	const struct adj *adj = b->ladj.data;
	size_t n = b->ladj.len;
	int64_t pr = 0, co = 0, other = 0, all = 0;
	for (size_t i = 0; i < n; i++) {
		all += adj[i].amount;
		uint32_t g = group2(adj[i].group);
		if (g == GROUP('P', 'R'))
			pr += adj[i].amount;
		else if (g == GROUP('C', 'O'))
			co += adj[i].amount;
		else
			other += adj[i].amount;
	}
	struct outcome *o = &ln->o;
	o->patient_resp = pr;
	o->contractual = co;
	o->other_adj = other;
	o->allowed = b->have_b6 ? b->b6 : o->paid + pr;
	if (cl->status[0] == '4' && cl->status[1] == '\0')
		o->status = OUTCOME_DENIED;
	else if (o->paid == 0 && pr == 0)
		o->status = OUTCOME_DENIED;
	else if (o->paid == 0)
		o->status = OUTCOME_PATIENT;
	else
		o->status = OUTCOME_PAID;
	o->carc = carc_list(b, adj, n);
	if (o->carc && !o->carc[0])
		o->carc = cl->claim_carc; /* a claim adjusted as a whole */
	o->rarc = keep_str(b, b->rarc);
	o->service_date = b->d472 != OUTCOME_NO_DATE ? b->d472
			  : b->d150 != OUTCOME_NO_DATE ? b->d150 : cl->date;
	if (!o->carc || !o->rarc)
		return oom(b);
	b->line_cas_sum += all;
	if (o->charge - all != o->paid) {
		char c1[32], c2[32], c3[32], c4[32];
		ln->balance = arena_printf(b->rm->arena,
			"line: charge %s - adjustments %s = %s, paid %s",
			remit_cents(o->charge, c1), remit_cents(all, c2),
			remit_cents(o->charge - all, c3), remit_cents(o->paid, c4));
		if (!ln->balance)
			return oom(b);
		char where[16];
		snprintf(where, sizeof where, "SVC");
		char msg[300];
		snprintf(msg, sizeof msg, "service line does not balance: %s", ln->balance);
		if (remit_add_problem(b->rm, b->file, ln->segment, where, PROBLEM_BALANCE,
				msg, b->err) != 0)
			return -1;
	} else {
		ln->balance = "ok";
	}
	if (o->service_date == OUTCOME_NO_DATE) {
		char msg[200];
		snprintf(msg, sizeof msg,
			 "service line has no date (no DTM*472 and no claim DTM*232)");
		if (remit_add_problem(b->rm, b->file, ln->segment, "SVC", PROBLEM_READ, msg,
				b->err) != 0)
			return -1;
	}
	b->line = -1;
	return 0;
}

static int finish_claim(struct build *b)
{
	if (finish_line(b) != 0)
		return -1;
	if (b->claim < 0)
		return 0;
	struct remit_claim *cl = remit_claim_at(b->rm, (size_t)b->claim);
	cl->balanced = true;
	if (cl->nlines > 0 && cl->charge - cl->cas - b->line_cas_sum != cl->paid) {
		char c1[32], c2[32], c3[32], c4[32];
		const char *why = arena_printf(b->rm->arena,
			"claim: charge %s - adjustments %s = %s, paid %s",
			remit_cents(cl->charge, c1),
			remit_cents(cl->cas + b->line_cas_sum, c2),
			remit_cents(cl->charge - cl->cas - b->line_cas_sum, c3),
			remit_cents(cl->paid, c4));
		if (!why)
			return oom(b);
		cl->balanced = false;
		for (uint32_t i = 0; i < cl->nlines; i++) {
			struct remit_line *ln = remit_line_at(b->rm, cl->first_line + i);
			ln->balance = strcmp(ln->balance, "ok") == 0 ? why
				: arena_printf(b->rm->arena, "%s; %s", ln->balance, why);
			if (!ln->balance)
				return oom(b);
		}
		char msg[300];
		snprintf(msg, sizeof msg, "claim %s does not balance: %s", cl->claim_id, why);
		if (remit_add_problem(b->rm, b->file, cl->segment, "CLP", PROBLEM_BALANCE, msg,
				b->err) != 0)
			return -1;
	}
	if (cl->nlines == 0) {
		char c1[32], msg[300];
		snprintf(msg, sizeof msg,
			 "claim %s has no service lines: its paid %s counts toward the payment, not toward any line",
			 cl->claim_id, remit_cents(cl->paid, c1));
		if (remit_add_problem(b->rm, b->file, cl->segment, "CLP", PROBLEM_READ, msg,
				b->err) != 0)
			return -1;
	}
	b->claim = -1;
	return 0;
}

/* --- segment handlers ------------------------------------------------------ */

static int h_bpr(struct build *b, const struct x12_seg *s)
{
	struct remit_payment *p = cur_payment(b);
	b->have_bpr = true;
	if (amount(b, s, 2, true, &p->total) != 0)
		return -1;
	p->method = keep_str(b, x12_el(s, 4));
	if (*x12_el(s, 16) && date(b, s, 16, &p->date) != 0)
		return -1;
	return p->method ? 0 : oom(b);
}

static int h_trn(struct build *b, const struct x12_seg *s)
{
	struct remit_payment *p = cur_payment(b);
	if (strcmp(x12_el(s, 1), "1") != 0 || p->check[0])
		return 0; /* TRN*1 is the payment's trace; others are not */
	p->check = copy_str(b, x12_el(s, 2));
	if (!p->payer_id[0])
		p->payer_id = copy_str(b, x12_el(s, 3));
	return p->check && p->payer_id ? 0 : oom(b);
}

static int h_n1(struct build *b, const struct x12_seg *s)
{
	struct remit_payment *p = cur_payment(b);
	const char *who = x12_el(s, 1);
	if (b->loop > LOOP_PAYEE)
		return 0; /* N1 inside a claim: not one the spec reads */
	if (!strcmp(who, "PR")) {
		b->loop = LOOP_PAYER;
		p->payer_name = copy_str(b, x12_el(s, 2));
	} else if (!strcmp(who, "PE")) {
		b->loop = LOOP_PAYEE;
		if (!strcmp(x12_el(s, 3), "XX"))
			p->payee_npi = copy_str(b, x12_el(s, 4));
	}
	return p->payer_name && p->payee_npi ? 0 : oom(b);
}

static int h_ref(struct build *b, const struct x12_seg *s)
{
	const char *q = x12_el(s, 1);
	if (b->loop == LOOP_PAYER && !strcmp(q, "2U")) {
		struct remit_payment *p = cur_payment(b);
		p->payer_id = copy_str(b, x12_el(s, 2));
		return p->payer_id ? 0 : oom(b);
	}
	if (b->loop == LOOP_LINE && b->line >= 0 && !strcmp(q, "6R")) {
		struct remit_line *ln = remit_line_at(b->rm, (size_t)b->line);
		ln->line_ref = copy_str(b, x12_el(s, 2));
		return ln->line_ref ? 0 : oom(b);
	}
	return 0;
}

static int h_clp(struct build *b, const struct x12_seg *s)
{
	if (finish_claim(b) != 0)
		return -1;
	struct remit_claim *cl = vec_push(&b->rm->claims);
	if (!cl)
		return oom(b);
	b->claim = (int32_t)(b->rm->claims.len - 1);
	b->loop = LOOP_CLAIM;
	b->ladj.len = b->cadj.len = 0;
	b->line_cas_sum = 0;
	cl->payment = (uint32_t)(b->rm->payments.len - 1);
	cl->segment = s->index;
	cl->claim_id = copy_str(b, x12_el(s, 1));
	cl->status = keep_str(b, x12_el(s, 2));
	cl->payer_claim_id = copy_str(b, x12_el(s, 7));
	cl->patient_id = cl->insured_id = "";
	cl->claim_carc = "";
	cl->date = OUTCOME_NO_DATE;
	cl->first_line = (uint32_t)b->rm->lines.len;
	cl->reversed_by = cl->reverses = -1;
	if (!cl->claim_id || !cl->status || !cl->payer_claim_id)
		return oom(b);
	if (!cl->claim_id[0]) {
		b->bad = true;
		return report(b, s, PROBLEM_READ,
			      "CLP01 (the patient control number) is missing; the transaction is not used");
	}
	const char *st = cl->status;
	cl->role = !strcmp(st, "22") ? ROLE_REVERSAL
		   : (!strcmp(st, "2") || !strcmp(st, "3") || !strcmp(st, "20") ||
		      !strcmp(st, "21")) ? ROLE_SECONDARY : ROLE_PRIMARY;
	cur_payment(b)->nclaims++;
	if (amount(b, s, 3, true, &cl->charge) != 0 ||
	    amount(b, s, 4, true, &cl->paid) != 0 ||
	    amount(b, s, 5, false, &cl->patient_resp) != 0)
		return -1;
	cur_payment(b)->claims_paid += cl->paid;
	return 0;
}

static int h_nm1(struct build *b, const struct x12_seg *s)
{
	if (!in_claim(b))
		return 0;
	struct remit_claim *cl = remit_claim_at(b->rm, (size_t)b->claim);
	const char *who = x12_el(s, 1);
	if (!strcmp(who, "QC")) {
		cl->patient_id = copy_str(b, x12_el(s, 9));
		if (cl->patient_id && !cl->insured_id[0])
			cl->insured_id = cl->patient_id;
	} else if (!strcmp(who, "IL")) {
		cl->insured_id = copy_str(b, x12_el(s, 9));
	}
	return cl->patient_id && cl->insured_id ? 0 : oom(b);
}

static int h_dtm(struct build *b, const struct x12_seg *s)
{
	const char *q = x12_el(s, 1);
	int32_t d;
	if (b->loop == LOOP_LINE && b->line >= 0) {
		if (!strcmp(q, "472"))
			return date(b, s, 2, &b->d472);
		if (!strcmp(q, "150"))
			return date(b, s, 2, &b->d150);
		if (!strcmp(q, "151"))
			return date(b, s, 2, &d);
		return 0;
	}
	if (b->loop == LOOP_CLAIM && b->claim >= 0) {
		struct remit_claim *cl = remit_claim_at(b->rm, (size_t)b->claim);
		if (!strcmp(q, "232"))
			return date(b, s, 2, &cl->date);
		if (!strcmp(q, "233"))
			return date(b, s, 2, &d);
	}
	return 0;
}

static int h_svc(struct build *b, const struct x12_seg *s)
{
	if (b->claim < 0 || b->loop < LOOP_CLAIM || b->loop > LOOP_LINE) {
		b->bad = true;
		return report(b, s, PROBLEM_READ,
			      "service line outside a claim; the transaction is not used");
	}
	if (finish_line(b) != 0)
		return -1;
	struct remit_line *ln = vec_push(&b->rm->lines);
	if (!ln)
		return oom(b);
	struct remit_claim *cl = remit_claim_at(b->rm, (size_t)b->claim);
	b->line = (int32_t)(b->rm->lines.len - 1);
	b->loop = LOOP_LINE;
	b->ladj.len = 0;
	b->have_b6 = false;
	b->d472 = b->d150 = OUTCOME_NO_DATE;
	b->rarc[0] = '\0';
	cl->nlines++;
	cur_payment(b)->nlines++;
	ln->claim = (uint32_t)b->claim;
	ln->segment = s->index;
	ln->line_ref = "";
	ln->balance = "ok";
	ln->o.paid_date = cur_payment(b)->date;
	char buf[256];
	const char *c[X12_MAX_COMPONENTS];
	size_t nc = x12_components(x12_el(s, 1), s->seps, buf, sizeof buf, c,
				   X12_MAX_COMPONENTS);
	if (nc < 2 || !c[1][0]) {
		b->bad = true;
		return report(b, s, PROBLEM_READ,
			      "SVC01 '%s' has no procedure code; the transaction is not used",
			      x12_el(s, 1));
	}
	ln->qualifier = keep_str(b, c[0]);
	ln->code = keep_str(b, c[1]);
	/* The components came from BUF, so joined again they fit a buffer
	 * of its size (a fuzzer found the overflow of a smaller one). */
	char mods[sizeof buf];
	size_t ml = 0;
	mods[0] = '\0';
	for (size_t i = 2; i < nc && i < 6; i++) {
		size_t len = strlen(c[i]);
		if (!len || ml + len + 2 > sizeof mods)
			continue;
		if (ml)
			mods[ml++] = ':';
		memcpy(mods + ml, c[i], len);
		ml += len;
		mods[ml] = '\0';
	}
	ln->modifiers = keep_n(b, mods, ml);
	if (!ln->qualifier || !ln->code || !ln->modifiers)
		return oom(b);
	if (amount(b, s, 2, true, &ln->o.charge) != 0 ||
	    amount(b, s, 3, true, &ln->o.paid) != 0)
		return -1;
	ln->units = 1;
	if (*x12_el(s, 5)) {
		uint64_t u;
		const char *why = x12_count(x12_el(s, 5), 9999, &u);
		if (why)
			return bad_value(b, s, 5, "a number of units", why);
		ln->units = (uint32_t)u;
	}
	return 0;
}

static int h_cas(struct build *b, const struct x12_seg *s)
{
	struct vec *v;
	if (b->loop == LOOP_LINE && b->line >= 0)
		v = &b->ladj;
	else if (b->loop == LOOP_CLAIM && b->claim >= 0)
		v = &b->cadj;
	else
		return report(b, s, PROBLEM_READ,
			      "CAS outside a claim or service line; skipped");
	const char *g = x12_el(s, 1);
	uint32_t g2 = g[0] && g[1] && !g[2] ? group2(g) : 0;
	if (g2 != GROUP('C', 'O') && g2 != GROUP('P', 'R') && g2 != GROUP('O', 'A') &&
	    g2 != GROUP('P', 'I') && g2 != GROUP('C', 'R')) {
		b->bad = true;
		return report(b, s, PROBLEM_READ,
			      "CAS01 '%s' is not a group code (CO, PR, OA, PI, CR); the transaction is not used",
			      g);
	}
	size_t ntrip = 0;
	for (size_t k = 0; k < 6; k++) {
		size_t i = 2 + 3 * k;
		const char *reason = x12_el(s, i);
		if (!reason[0]) {
			if (x12_el(s, i + 1)[0]) {
				b->bad = true;
				return report(b, s, PROBLEM_READ,
					      "CAS%02zu has an amount without a reason code; the transaction is not used",
					      i + 1);
			}
			continue;
		}
		size_t rlen = strlen(reason);
		if (rlen > 5) {
			b->bad = true;
			return report(b, s, PROBLEM_READ,
				      "CAS%02zu '%s' is not a reason code; the transaction is not used",
				      i, reason);
		}
		struct adj *a = vec_push(v);
		if (!a)
			return oom(b);
		/* Both checked above: a two-letter group, a reason of at most
		 * five bytes (snprintf here was a fifth of reading a CAS). */
		memcpy(a->group, g, 3);
		memcpy(a->reason, reason, rlen + 1);
		if (amount(b, s, i + 1, true, &a->amount) != 0)
			return -1;
		ntrip++;
		if (v == &b->cadj) {
			struct remit_claim *cl = remit_claim_at(b->rm, (size_t)b->claim);
			cl->cas += a->amount;
		}
	}
	if (ntrip == 0) {
		b->bad = true;
		return report(b, s, PROBLEM_READ,
			      "CAS has no reason code; the transaction is not used");
	}
	if (v == &b->cadj) {
		struct remit_claim *cl = remit_claim_at(b->rm, (size_t)b->claim);
		cl->claim_carc = carc_list(b, b->cadj.data, b->cadj.len);
		if (!cl->claim_carc)
			return oom(b);
	}
	return 0;
}

static int h_amt(struct build *b, const struct x12_seg *s)
{
	if (b->loop != LOOP_LINE || b->line < 0 || strcmp(x12_el(s, 1), "B6"))
		return 0;
	b->have_b6 = true;
	return amount(b, s, 2, true, &b->b6);
}

static int h_lq(struct build *b, const struct x12_seg *s)
{
	if (b->loop != LOOP_LINE || b->line < 0 || strcmp(x12_el(s, 1), "HE"))
		return 0;
	const char *code = x12_el(s, 2);
	size_t have = strlen(b->rarc);
	if (!code[0])
		return 0;
	/* The same remark twice is one remark. */
	for (const char *p = b->rarc; *p;) {
		size_t n = strcspn(p, ";");
		if (n == strlen(code) && !strncmp(p, code, n))
			return 0;
		p += n + (p[n] == ';');
	}
	if (have + strlen(code) + 2 > sizeof b->rarc)
		return report(b, s, PROBLEM_READ,
			      "more remark codes than a line can list; '%s' left out", code);
	snprintf(b->rarc + have, sizeof b->rarc - have, "%s%s", have ? ";" : "", code);
	return 0;
}

static int h_plb(struct build *b, const struct x12_seg *s)
{
	if (finish_claim(b) != 0)
		return -1;
	b->loop = LOOP_TRAILER;
	struct remit_payment *p = cur_payment(b);
	for (size_t k = 0; k < 6; k++) {
		size_t i = 3 + 2 * k;
		const char *comp = x12_el(s, i);
		if (!comp[0])
			continue;
		char buf[128];
		const char *c[X12_MAX_COMPONENTS];
		size_t nc = x12_components(comp, s->seps, buf, sizeof buf, c, 2);
		struct remit_plb *x = vec_push(&b->rm->plbs);
		if (!x)
			return oom(b);
		x->payment = (uint32_t)(b->rm->payments.len - 1);
		x->reason = copy_str(b, c[0]);
		x->ref = copy_str(b, nc > 1 ? c[1] : "");
		if (!x->reason || !x->ref)
			return oom(b);
		if (amount(b, s, i + 1, true, &x->amount) != 0)
			return -1;
		p = cur_payment(b);
		p->plb += x->amount;
		p->nplb++;
	}
	return 0;
}

/* --- reader callbacks ------------------------------------------------------ */

static int on_begin(void *ctx, const struct x12_tx *tx, struct gr_err *err)
{
	struct build *b = ctx;
	struct remit *rm = b->rm;
	b->err = err;
	b->marks[0] = rm->payments.len;
	b->marks[1] = rm->claims.len;
	b->marks[2] = rm->lines.len;
	b->marks[3] = rm->plbs.len;
	b->in_tx = true;
	b->bad = b->have_bpr = false;
	b->loop = LOOP_HEADER;
	b->claim = b->line = -1;
	struct remit_payment *p = vec_push(&rm->payments);
	if (!p)
		return oom(b);
	p->file = b->file;
	p->segment = tx->st_index;
	p->check = p->method = p->payer_id = p->payer_name = p->payee_npi = "";
	p->date = OUTCOME_NO_DATE;
	return 0;
}

static int on_segment(void *ctx, const struct x12_seg *s, struct gr_err *err)
{
	struct build *b = ctx;
	b->err = err;
	if (b->bad)
		return 0;
	switch (s->id) {
	case X12_ID('B', 'P', 'R'): return h_bpr(b, s);
	case X12_ID('T', 'R', 'N'): return h_trn(b, s);
	case X12_ID('N', '1', 0): return h_n1(b, s);
	case X12_ID('R', 'E', 'F'): return h_ref(b, s);
	case X12_ID('C', 'L', 'P'): return h_clp(b, s);
	case X12_ID('N', 'M', '1'): return h_nm1(b, s);
	case X12_ID('D', 'T', 'M'): return h_dtm(b, s);
	case X12_ID('S', 'V', 'C'): return h_svc(b, s);
	case X12_ID('C', 'A', 'S'): return h_cas(b, s);
	case X12_ID('A', 'M', 'T'): return h_amt(b, s);
	case X12_ID('L', 'Q', 0): return h_lq(b, s);
	case X12_ID('P', 'L', 'B'): return h_plb(b, s);
	default: return 0; /* other segments are skipped (remittance.md) */
	}
}

static void cut_back(struct build *b)
{
	b->rm->payments.len = b->marks[0];
	b->rm->claims.len = b->marks[1];
	b->rm->lines.len = b->marks[2];
	b->rm->plbs.len = b->marks[3];
}

static int on_end(void *ctx, const struct x12_tx *tx, bool complete,
		  struct gr_err *err)
{
	struct build *b = ctx;
	b->err = err;
	b->in_tx = false;
	if (complete && !b->bad && finish_claim(b) != 0)
		return -1;
	if (complete && !b->bad && !b->have_bpr) {
		b->bad = true;
		if (remit_add_problem(b->rm, b->file, tx->st_index, "ST", PROBLEM_READ,
				"the transaction has no BPR (payment) segment; not used",
				err) != 0)
			return -1;
	}
	if (!complete || b->bad) {
		cut_back(b);
		return 0;
	}
	struct remit_payment *p = cur_payment(b);
	p->balanced = p->total == p->claims_paid - p->plb;
	if (!p->balanced) {
		char c1[32], c2[32], c3[32], c4[32], msg[300];
		snprintf(msg, sizeof msg,
			 "payment %s does not balance: BPR02 %s, claims paid %s - provider adjustments %s = %s",
			 p->check, remit_cents(p->total, c1), remit_cents(p->claims_paid, c2),
			 remit_cents(p->plb, c3), remit_cents(p->claims_paid - p->plb, c4));
		if (remit_add_problem(b->rm, b->file, tx->st_index, "ST", PROBLEM_BALANCE, msg,
				err) != 0)
			return -1;
	}
	b->rm->transactions_used++;
	return 0;
}

static int on_problem(void *ctx, const char *file, size_t seg, const char *id,
		      const char *msg, struct gr_err *err)
{
	struct build *b = ctx;
	(void)file;
	return remit_add_problem(b->rm, b->file, seg, id, PROBLEM_READ, msg, err);
}

static int read_any(struct remit *rm, const char *path, const char *buf,
		    size_t len, struct gr_err *err)
{
	struct build b = { .rm = rm, .err = err, .claim = -1, .line = -1 };
	struct x12_reader r = { "835", versions_835, "remittance", &b,
				on_begin, on_segment, on_end, on_problem, NULL };
	struct x12_stats st;
	size_t marks[5] = { rm->payments.len, rm->claims.len, rm->lines.len,
			    rm->plbs.len, rm->problems.len };
	size_t used = rm->transactions_used;
	b.file = arena_strdup(rm->arena, path);
	if (!b.file)
		return gr_fail(err, path, 0, "out of memory reading the remittance");
	vec_init(&b.ladj, sizeof(struct adj));
	vec_init(&b.cadj, sizeof(struct adj));
	int rc = buf ? x12_read_buffer(&r, b.file, buf, len, &st, err)
		     : x12_read(&r, b.file, &st, err);
	vec_free(&b.ladj);
	vec_free(&b.cadj);
	if (rc != 0) {
		/* A file that cannot be used adds nothing. */
		rm->payments.len = marks[0];
		rm->claims.len = marks[1];
		rm->lines.len = marks[2];
		rm->plbs.len = marks[3];
		rm->problems.len = marks[4];
		rm->transactions_used = used;
		return rc < 0 ? rc : -1;
	}
	rm->files++;
	rm->segments += st.segments;
	rm->transactions += st.transactions;
	return 0;
}

int remit_read(struct remit *rm, const char *path, struct gr_err *err)
{
	return read_any(rm, path, NULL, 0, err);
}

int remit_read_buffer(struct remit *rm, const char *path, const char *buf,
		      size_t len, struct gr_err *err)
{
	return read_any(rm, path, buf ? buf : "", len, err);
}

/* --- reversals --------------------------------------------------------------- */

static int32_t claim_date(const struct remit *rm, const struct remit_claim *c)
{
	return remit_payment_at(rm, c->payment)->date;
}

static const char *claim_payer(const struct remit *rm, const struct remit_claim *c)
{
	const struct remit_payment *p = remit_payment_at(rm, c->payment);
	return p->payer_id[0] ? p->payer_id : p->payer_name;
}

/* A before B in time: payment date, then reading order. */
static bool before(const struct remit *rm, size_t a, size_t b)
{
	int32_t da = claim_date(rm, remit_claim_at(rm, a));
	int32_t db = claim_date(rm, remit_claim_at(rm, b));
	return da != db ? da < db : a < b;
}

/* Claims under KEY (payer + claim number), chained in reading order. */
static void index_claim(GHashTable *h, int32_t *next, char *key, int32_t i)
{
	gpointer v = g_hash_table_lookup(h, key);
	next[i] = v ? GPOINTER_TO_INT(v) - 1 : -1;
	g_hash_table_insert(h, key, GINT_TO_POINTER(i + 1));
}

/* Keep B in *BEST when it is a later candidate than *BEST. */
static void consider(const struct remit *rm, size_t rev, int32_t j, int32_t *best)
{
	const struct remit_claim *c = remit_claim_at(rm, (size_t)j);
	if (c->reversed_by >= 0 || !before(rm, (size_t)j, rev))
		return;
	if (*best < 0 || before(rm, (size_t)*best, (size_t)j))
		*best = j;
}

int remit_settle(struct remit *rm, struct gr_err *err)
{
	size_t n = rm->claims.len, reversals = 0;
	for (size_t j = 0; j < n; j++)
		reversals += remit_claim_at(rm, j)->role == ROLE_REVERSAL;
	if (!reversals)
		return 0;
	/* Non-reversal claims by payer + payer claim number and by payer +
	 * patient control number: a year of remittances has hundreds of
	 * thousands of claims, so no reversal scans them all. */
	GHashTable *by_pcn = g_hash_table_new(g_str_hash, g_str_equal);
	GHashTable *by_id = g_hash_table_new(g_str_hash, g_str_equal);
	int32_t *next_pcn = malloc((n + 1) * sizeof *next_pcn);
	int32_t *next_id = malloc((n + 1) * sizeof *next_id);
	int rc = -1;
	if (!next_pcn || !next_id)
		goto oom;
	for (size_t j = 0; j < n; j++) {
		const struct remit_claim *c = remit_claim_at(rm, j);
		if (c->role == ROLE_REVERSAL)
			continue;
		const char *payer = claim_payer(rm, c);
		char *k = arena_printf(rm->arena, "%s\x1f%s", payer, c->claim_id);
		if (!k)
			goto oom;
		index_claim(by_id, next_id, k, (int32_t)j);
		if (c->payer_claim_id[0]) {
			k = arena_printf(rm->arena, "%s\x1f%s", payer, c->payer_claim_id);
			if (!k)
				goto oom;
			index_claim(by_pcn, next_pcn, k, (int32_t)j);
		}
	}
	for (size_t i = 0; i < n; i++) {
		struct remit_claim *rv = remit_claim_at(rm, i);
		if (rv->role != ROLE_REVERSAL)
			continue;
		const char *payer = claim_payer(rm, rv);
		int32_t best = -1;
		char key[600];
		/* Same payer claim number when both have one, else the same
		 * patient control number. */
		if (rv->payer_claim_id[0]) {
			snprintf(key, sizeof key, "%s\x1f%s", payer, rv->payer_claim_id);
			for (int32_t j = GPOINTER_TO_INT(g_hash_table_lookup(by_pcn, key)) - 1;
			     j >= 0; j = next_pcn[j])
				consider(rm, i, j, &best);
		}
		snprintf(key, sizeof key, "%s\x1f%s", payer, rv->claim_id);
		for (int32_t j = GPOINTER_TO_INT(g_hash_table_lookup(by_id, key)) - 1; j >= 0;
		     j = next_id[j])
			if (!rv->payer_claim_id[0] || !remit_claim_at(rm, (size_t)j)->payer_claim_id[0])
				consider(rm, i, j, &best);
		if (best >= 0) {
			rv->reverses = best;
			remit_claim_at(rm, (size_t)best)->reversed_by = (int32_t)i;
		} else {
			char msg[300];
			const struct remit_payment *p = remit_payment_at(rm, rv->payment);
			snprintf(msg, sizeof msg,
				 "reversal of claim %s matches no earlier adjudication of it in these files",
				 rv->claim_id);
			if (remit_add_problem(rm, p->file, rv->segment, "CLP", PROBLEM_READ, msg,
					err) != 0)
				goto out;
		}
	}
	rc = 0;
	goto out;
oom:
	gr_fail(err, NULL, 0, "out of memory settling the reversals");
out:
	g_hash_table_destroy(by_pcn);
	g_hash_table_destroy(by_id);
	free(next_pcn);
	free(next_id);
	return rc;
}
