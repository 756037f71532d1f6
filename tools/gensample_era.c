/* gensample_era.c — X12 835 remittances for generated attendance lines
 * (gensample_era.h).
 *
 * Each attended, adjudicated line is one claim (CLP01 = "C" + its line in
 * attendance.csv) with a 90853 service line, and a 90785 line when an
 * add-on was billed.  Amounts, all whole cents and balanced by
 * construction (charge − adjustments = paid at every level):
 * - paid lines: charge the practice's fee, ERA_FEE_90853 (90785:
 *   ERA_FEE_90785); Medicare: allowed = paid /
 *   0.784 (80% after the patient's 20% coinsurance PR-2, less 2%
 *   sequestration CO-253, domain.md 4.2), the rest of the charge CO-45;
 *   commercial: a PR-3 copay on one line in five; out of network: PR-2
 *   coinsurance; Medicaid: allowed = paid.
 * - denied lines: the attendance file's code for the whole charge (CLP02 4
 *   on even lines, 1 with a zero-paid line on odd ones) and the RARC that
 *   goes with it (domain.md 8.3).
 * A Medicare check now and then carries interest (PLB L6, negative: it
 * adds to the payment).
 */
#include "gensample_era.h"

#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "core/value.h"

int era_add(struct era *e, const struct era_line *l)
{
	if (e->n == e->cap) {
		size_t cap = e->cap ? e->cap * 2 : 1024;
		struct era_line *v = realloc(e->v, cap * sizeof *v);
		if (!v)
			return -1;
		e->v = v;
		e->cap = cap;
	}
	e->v[e->n++] = *l;
	return 0;
}

void era_free(struct era *e)
{
	free(e->v);
	e->v = NULL;
	e->n = e->cap = 0;
}

struct w {
	FILE *f;
	int segs; /* of the open transaction, ST and SE included */
};

static void seg(struct w *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void seg(struct w *w, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	vfprintf(w->f, fmt, ap);
	va_end(ap);
	fputs("~\n", w->f);
	w->segs++;
}

static void cents(int64_t c, char buf[32])
{
	value_format_cents(c, buf);
}

static void ymd(int32_t day, char buf[16])
{
	int y;
	unsigned m, d;
	value_civil_from_days(day, &y, &m, &d);
	snprintf(buf, 16, "%04d%02u%02u", y, m, d);
}

/* The service lines of one claim: amounts in cents. */
struct svc {
	const char *code;
	int32_t charge, paid, allowed, co45, seq, pr;
	int pr_reason; /* 1 deductible, 2 coinsurance, 3 copay */
};

static int svcs_of(const struct era_payer *p, const struct era_line *l, struct svc s[2])
{
	int n = l->addon ? 2 : 1;
	int32_t addon_paid = l->addon && !l->denied ? l->paid / 3 : 0;
	for (int k = 0; k < n; k++) {
		struct svc *x = &s[k];
		memset(x, 0, sizeof *x);
		x->code = k ? "90785" : "90853";
		x->charge = k ? ERA_FEE_90785 : ERA_FEE_90853;
		if (l->denied)
			continue;
		x->paid = k ? addon_paid : l->paid - addon_paid;
		if (p->medicare) {
			/* paid = allowed x 0.8 x 0.98 */
			x->allowed = (int32_t)((x->paid * 1000LL + 392) / 784);
			x->pr = (int32_t)((x->allowed * 2LL + 5) / 10);
			x->pr_reason = 2;
			x->seq = x->allowed - x->pr - x->paid;
		} else if (p->copay && (l->line % 5) == 0 && k == 0) {
			x->pr = p->copay;
			x->pr_reason = 3;
			x->allowed = x->paid + x->pr;
		} else if (p->coins_pct) {
			x->pr = (int32_t)((x->paid * (int64_t)p->coins_pct + 50) / (100 - p->coins_pct));
			x->pr_reason = 2;
			x->allowed = x->paid + x->pr;
		} else {
			x->allowed = x->paid;
		}
		if (x->allowed > x->charge)
			x->charge = x->allowed; /* never bill below the allowed amount */
		x->co45 = x->charge - x->allowed;
	}
	return n;
}

int64_t era_paid_of(const struct era_payer *p, uint32_t line, int64_t rate)
{
	if (p->medicare)
		return rate;
	if (p->copay && line % 5 == 0)
		return rate > p->copay ? rate - p->copay : 0;
	if (p->coins_pct)
		return (rate * (100 - p->coins_pct) + 50) / 100;
	return rate;
}

/* What the payer paid on line L's service lines and what it left the
 * patient, cents. */
static void svc_totals(const struct era_payer *p, const struct era_line *l,
		       int64_t *paid, int64_t *pr)
{
	struct svc s[2];
	int n = svcs_of(p, l, s);
	*paid = *pr = 0;
	for (int k = 0; k < n; k++) {
		*paid += s[k].paid;
		*pr += s[k].pr;
	}
}

int64_t era_patient_share(const struct era_payer *p, const struct era_line *l)
{
	int64_t paid, pr;
	svc_totals(p, l, &paid, &pr);
	return pr;
}

static const char *rarc_of(const char *reason, int medicare)
{
	static const struct { const char *reason, *rarc; } t[] = {
		{ "16", "M127" }, { "197", "N54" }, { "4", "N822" }, { "185", "N95" },
		{ "96", "N130" }, { "5", "M77" }, { "151", "N362" },
	};
	if (!strcmp(reason, "50"))
		return medicare ? "N115" : "N130";
	for (size_t i = 0; i < sizeof t / sizeof t[0]; i++)
		if (!strcmp(reason, t[i].reason))
			return t[i].rarc;
	return NULL;
}

static void write_claim(struct w *w, const struct era_payer *p, const struct era_line *l)
{
	struct svc s[2];
	int n = svcs_of(p, l, s);
	int64_t charge = 0, paid = 0, pr = 0;
	char a[32], b[32], c[32], d[16];
	for (int k = 0; k < n; k++) {
		charge += s[k].charge;
		paid += s[k].paid;
		pr += s[k].pr;
	}
	const char *reason = l->denied ? strchr(l->carc, '-') + 1 : "";
	const char *group = "CO";
	char grp[3] = "CO";
	if (l->denied && strlen(l->carc) > 2) {
		memcpy(grp, l->carc, 2);
		group = grp;
	}
	int claim_denied = l->denied && (l->line % 2) == 0;
	cents(charge, a);
	cents(paid, b);
	cents(pr, c);
	ymd(l->day, d);
	seg(w, "CLP*C%u*%s*%s*%s*%s*%s*%s%010u", l->line, claim_denied ? "4" : "1", a, b, c,
	    p->filing, p->id, l->line);
	seg(w, "NM1*QC*1*PATIENT*M%lld****MI*M%lld", l->member, l->member);
	seg(w, "DTM*232*%s", d);
	for (int k = 0; k < n; k++) {
		const struct svc *x = &s[k];
		char mods[32] = "";
		/* "HQ 95" -> ":HQ:95" on the 90853 line */
		if (k == 0)
			for (const char *m = l->mods; *m;) {
				size_t len = strcspn(m, " ");
				if (len && strlen(mods) + len + 1 < sizeof mods) {
					strcat(mods, ":");
					strncat(mods, m, len);
				}
				m += len + (m[len] == ' ');
			}
		cents(x->charge, a);
		cents(x->paid, b);
		seg(w, "SVC*HC:%s%s*%s*%s**1", x->code, mods, a, b);
		seg(w, "DTM*472*%s", d);
		if (l->denied) {
			seg(w, "CAS*%s*%s*%s", group, reason, a);
			const char *rarc = rarc_of(reason, p->medicare);
			if (rarc)
				seg(w, "LQ*HE*%s", rarc);
			continue;
		}
		cents(x->co45, a);
		if (x->seq) {
			cents(x->seq, c);
			seg(w, "CAS*CO*45*%s**253*%s", a, c);
		} else if (x->co45) {
			seg(w, "CAS*CO*45*%s", a);
		}
		if (x->pr) {
			cents(x->pr, c);
			seg(w, "CAS*PR*%d*%s", x->pr_reason, c);
		}
		cents(x->allowed, a);
		seg(w, "AMT*B6*%s", a);
	}
}

static int64_t claim_paid(const struct era_payer *p, const struct era_line *l)
{
	int64_t paid, pr;
	svc_totals(p, l, &paid, &pr);
	return paid;
}

/* One transaction: the check or EFT CHECK of PAY for lines LS[0..N). */
static void write_tx(FILE *f, const struct era_payer *p, const struct era_line *const *ls,
		     size_t n, int32_t pay, int ctl, int interest)
{
	struct w w = { f, 0 };
	int64_t total = 0, plb = interest ? -(int64_t)(n * 7) : 0;
	char t[32], d[16], check[32];
	for (size_t i = 0; i < n; i++)
		total += claim_paid(p, ls[i]);
	cents(total - plb, t);
	ymd(pay, d);
	snprintf(check, sizeof check, "%s%s%04d", p->id, d, ctl);
	seg(&w, "ST*835*%04d", ctl);
	seg(&w, "BPR*I*%s*C*%s*CCP*01*011000015*DA*0001234567*1234567890**01*021000021*DA*9876543210*%s",
	    t, total - plb > 0 ? "ACH" : "NON", d);
	seg(&w, "TRN*1*%s*1%09d", check, 100000000 + (int)(strlen(p->id) * 7919));
	seg(&w, "DTM*405*%s", d);
	seg(&w, "N1*PR*%s", p->name);
	seg(&w, "N3*PO BOX 1000");
	seg(&w, "N4*BOSTON*MA*02101");
	seg(&w, "REF*2U*%s", p->id);
	seg(&w, "N1*PE*GOOD GROUPS BEHAVIORAL HEALTH*XX*1234567893");
	seg(&w, "LX*1");
	for (size_t i = 0; i < n; i++)
		write_claim(&w, p, ls[i]);
	if (plb) {
		char y[16], a[32];
		int yy;
		unsigned m, dd;
		value_civil_from_days(pay, &yy, &m, &dd);
		snprintf(y, sizeof y, "%04d1231", yy);
		cents(plb, a);
		seg(&w, "PLB*1234567893*%s*L6:%s*%s", y, check, a);
	}
	w.segs++;
	fprintf(f, "SE*%d*%04d~\n", w.segs, ctl);
}

static void open_interchange(FILE *f, const struct era_payer *p, int32_t day, int ctl)
{
	int y;
	unsigned m, d;
	value_civil_from_days(day, &y, &m, &d);
	fprintf(f, "ISA*00*          *00*          *ZZ*%-15.15s*ZZ*%-15.15s*%02d%02u%02u*1200*^*00501*%09d*0*P*:~\n",
		p->id, "GOODGROUPS", y % 100, m, d, ctl);
	fprintf(f, "GS*HP*%s*GOODGROUPS*%04d%02u%02u*1200*%d*X*005010X221A1~\n", p->id, y, m, d,
		ctl);
}

static void close_interchange(FILE *f, int txs, int ctl)
{
	fprintf(f, "GE*%d*%d~\nIEA*1*%09d~\n", txs, ctl, ctl);
}

/* When the payer pays a line: the attendance file's paid_date when the
 * generator wrote one; else two to four weeks after the date of service,
 * on a Friday, a member's lines of one day on the same day, so they come
 * in the order of the attendance file. */
static int32_t pay_day(const struct era_line *l)
{
	if (l->pay)
		return l->pay;
	int32_t pay = l->day + 17 + (int32_t)(l->member % 3) * 7;
	while (value_weekday(pay) != 4)
		pay++;
	return pay;
}

struct keyed {
	const struct era_line *l;
	int32_t pay;
};

static int cmp_keyed(const void *a, const void *b)
{
	const struct keyed *x = a, *y = b;
	if (x->l->payer != y->l->payer)
		return x->l->payer < y->l->payer ? -1 : 1;
	if (x->pay != y->pay)
		return x->pay < y->pay ? -1 : 1;
	return x->l->line < y->l->line ? -1 : x->l->line > y->l->line;
}

int era_write_demo(const struct era *e, const struct era_payer *payers, int npayers,
		   const char *dir)
{
	struct keyed *k = malloc((e->n + 1) * sizeof *k);
	const struct era_line **ls = malloc((e->n + 1) * sizeof *ls);
	int ctl = 1000, rc = 0;
	if (!k || !ls) {
		free(k);
		free(ls);
		return 1;
	}
	for (size_t i = 0; i < e->n; i++)
		k[i] = (struct keyed){ &e->v[i], pay_day(&e->v[i]) };
	qsort(k, e->n, sizeof *k, cmp_keyed);
	for (size_t i = 0; i < e->n && rc == 0;) {
		/* One file: one payer, one quarter of payment. */
		int payer = k[i].l->payer;
		int32_t q = value_quarter(k[i].pay);
		size_t j = i;
		while (j < e->n && k[j].l->payer == payer && value_quarter(k[j].pay) == q)
			j++;
		if (payer >= npayers) {
			i = j;
			continue;
		}
		char qs[16], path[1100];
		value_format_quarter(q, qs);
		snprintf(path, sizeof path, "%s/%s-%s.835", dir, payers[payer].id, qs);
		FILE *f = fopen(path, "w");
		if (!f) {
			perror(path);
			rc = 1;
			break;
		}
		int ictl = ++ctl, txs = 0;
		open_interchange(f, &payers[payer], k[i].pay, ictl);
		for (size_t a = i; a < j;) {
			size_t b = a, n = 0;
			while (b < j && k[b].pay == k[a].pay)
				ls[n++] = k[b++].l;
			txs++;
			write_tx(f, &payers[payer], ls, n, k[a].pay, txs,
				 payers[payer].medicare && txs % 5 == 0);
			a = b;
		}
		close_interchange(f, txs, ictl);
		if (fclose(f) != 0) {
			perror(path);
			rc = 1;
		}
		i = j;
	}
	free(k);
	free(ls);
	return rc;
}

int era_write_bench(const struct era *e, const struct era_payer *payers, int npayers,
		    FILE *f)
{
	enum { CHUNK = 2000 };
	const struct era_line **ls = malloc(CHUNK * sizeof *ls);
	if (!ls)
		return 1;
	int txs = 0;
	open_interchange(f, &payers[0], e->n ? e->v[0].day : 0, 1);
	for (int p = 0; p < npayers; p++) {
		size_t n = 0;
		for (size_t i = 0; i <= e->n; i++) {
			if (i < e->n && e->v[i].payer == p)
				ls[n++] = &e->v[i];
			if (n && (n == CHUNK || i == e->n)) {
				txs++;
				write_tx(f, &payers[p], ls, n, pay_day(ls[0]), txs % 10000,
					 payers[p].medicare && txs % 5 == 0);
				n = 0;
			}
		}
	}
	close_interchange(f, txs, 1);
	free(ls);
	return fflush(f) == 0 ? 0 : 1;
}
