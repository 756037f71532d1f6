/* tables.c — the report's CSV tables, written through csvout. */
#include "render/tables.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/csvout.h"
#include "analysis/notes.h"
#include "billing/rules.h"
#include "core/value.h"

int64_t tables_div_round(int64_t a, int64_t b)
{
	if (a >= 0)
		return (a + b / 2) / b;
	return -((-a + b / 2) / b);
}

static int open_in(struct csvw *w, const char *dir, const char *name,
		   struct gr_err *err)
{
	char path[1024];

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return csvw_open(w, path, err);
}

static void rate_cell(struct csvw *w, uint64_t num, uint64_t den)
{
	if (den)
		csvw_fixed(w, (double)num / (double)den, 4);
	else
		csvw_empty(w);
}

int tables_write_summary(const char *dir, const struct tally *t,
			 const struct roster *r, struct gr_err *err)
{
	struct csvw w;
	char q[16];

	if (open_in(&w, dir, "summary.csv", err))
		return -1;
	csvw_header(&w, t->outcomes
			? "quarter,payer_id,lines,expected,low,high,paid,adjudicated,"
			  "denied,denial_rate,flagged,unpriced,at_risk,patient_resp,contractual"
			: "quarter,payer_id,lines,expected,low,high,paid,adjudicated,"
			  "denied,denial_rate,flagged,unpriced,at_risk");
	for (uint32_t i = 0; i < t->nsummary; i++) {
		const struct tally_row *x = &t->summary[i];
		value_format_quarter(x->quarter, q);
		csvw_str(&w, q);
		csvw_str(&w, strpool_str(&r->payers, x->key));
		csvw_int(&w, (int64_t)x->lines);
		csvw_cents(&w, x->expected);
		csvw_cents(&w, x->low);
		csvw_cents(&w, x->high);
		csvw_cents(&w, x->paid);
		csvw_int(&w, (int64_t)x->adjudicated);
		csvw_int(&w, (int64_t)x->denied);
		rate_cell(&w, x->denied, x->adjudicated);
		csvw_int(&w, (int64_t)x->flagged);
		csvw_int(&w, (int64_t)x->unpriced);
		csvw_cents(&w, x->at_risk);
		if (t->outcomes) {
			csvw_cents(&w, x->patient_resp);
			csvw_cents(&w, x->contractual);
		}
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}

static void program_row(struct csvw *w, const struct tally_row *x,
			const char *name)
{
	csvw_str(w, name);
	csvw_int(w, (int64_t)x->sessions);
	if (x->sessions)
		csvw_fixed(w, (double)x->lines / (double)x->sessions, 2);
	else
		csvw_empty(w);
	rate_cell(w, x->lines, x->rows);
	csvw_cents(w, x->expected);
	if (x->sessions)
		csvw_cents(w, tables_div_round(x->expected, (int64_t)x->sessions));
	else
		csvw_empty(w);
	csvw_cents(w, x->paid);
	rate_cell(w, x->denied, x->adjudicated);
	csvw_int(w, (int64_t)x->lines);
	csvw_int(w, (int64_t)x->adjudicated);
	csvw_int(w, (int64_t)x->denied);
	csvw_int(w, (int64_t)x->flagged);
	csvw_int(w, (int64_t)x->unpriced);
	/* Per clinician hour only when every session has its length. */
	if (x->minutes && x->minute_sessions == x->sessions)
		csvw_cents(w, tables_div_round(x->expected * 60, (int64_t)x->minutes));
	else
		csvw_empty(w);
	csvw_end(w);
}

#define PROGRAM_COLUMNS "sessions,mean_size,attendance_rate,expected," \
	"expected_per_session,paid,denial_rate,lines,adjudicated,denied,flagged," \
	"unpriced,expected_per_hour"

int tables_write_groups(const char *dir, const struct tally *t,
			const struct roster *r, struct gr_err *err)
{
	struct csvw w;

	if (open_in(&w, dir, "groups.csv", err))
		return -1;
	csvw_header(&w, "group_id," PROGRAM_COLUMNS);
	for (uint32_t i = 0; i < t->ngroups; i++)
		program_row(&w, &t->groups[i], strpool_str(&r->groups, t->groups[i].key));
	return csvw_commit(&w, err);
}

int tables_write_clinicians(const char *dir, const struct tally *t,
			    const struct roster *r, struct gr_err *err)
{
	struct csvw w;

	if (open_in(&w, dir, "clinicians.csv", err))
		return -1;
	csvw_header(&w, "clinician_id," PROGRAM_COLUMNS);
	for (uint32_t i = 0; i < t->nclinicians; i++)
		program_row(&w, &t->clinicians[i],
			    strpool_str(&r->clinicians, t->clinicians[i].key));
	return csvw_commit(&w, err);
}

/* claims.csv is a row per attended line: at ten million lines most of
 * the writing time.  Blocks of lines are formatted in memory on every
 * thread and written in file order (csvw_blocks), so the file is the same
 * byte for byte whatever the number of threads. */
#define CLAIMS_BLOCK 16384u /* lines: about 1.4 MB of text per thread */

/* The cells of a pool's strings, measured once: LEN[id] is the length
 * of string ID when it is written as it is (csvw_plain), SIZE_MAX when
 * csvw_str must quote or neutralise it.  Scanning each id of each line
 * for bytes to quote was the largest part of formatting claims.csv. */
struct pool_cells {
	const struct strpool *p;
	size_t *len;
};

static int pool_cells_init(struct pool_cells *c, const struct strpool *p)
{
	c->p = p;
	c->len = malloc((p->count ? p->count : 1) * sizeof *c->len);
	if (!c->len)
		return -1;
	for (uint32_t id = 0; id < p->count; id++)
		c->len[id] = csvw_plain_len(strpool_str(p, id));
	return 0;
}

static void pool_cell(struct csvw *w, const struct pool_cells *c, uint32_t id)
{
	size_t n = c->len[id];

	if (n != SIZE_MAX)
		csvw_plain(w, strpool_str(c->p, id), n);
	else
		csvw_str(w, strpool_str(c->p, id));
}

enum { CELL_SESSION, CELL_GROUP, CELL_CLINICIAN, CELL_MEMBER, CELL_PAYER, NCELLS };

struct claims_job {
	const struct ledger *l;
	const struct scope *s;
	const struct pseudonyms *redact;
	const struct match *m; /* remittances given: six more columns */
	const struct notes_audit *notes; /* NULL: no --notes */
	struct pool_cells cells[NCELLS]; /* CELL_MEMBER unused when redacting */
};

/* allowed,patient_resp,carc,rarc,check,paid_date of line I; empty cells
 * when no remittance pays it. */
static void remit_cells(struct csvw *w, const struct match *m, size_t i)
{
	const struct applied *ap = match_applied(m, i);
	char d[16];
	if (!ap) {
		for (int k = 0; k < 6; k++)
			csvw_empty(w);
		return;
	}
	csvw_cents(w, ap->o.allowed);
	csvw_cents(w, ap->o.patient_resp);
	csvw_str(w, ap->o.carc);
	csvw_str(w, ap->o.rarc);
	csvw_str(w, ap->check);
	if (ap->o.paid_date != OUTCOME_NO_DATE) {
		value_format_date(ap->o.paid_date, d);
		csvw_str(w, d);
	} else {
		csvw_empty(w);
	}
}

/* The three price cells of a line, "expected,low,high", kept by what
 * the price depends on (the rates in force, the payer and the licence):
 * a practice's lines share a few dozen prices, and pricing and printing
 * three amounts a line was a third of claims.csv's time. */
struct price_memo {
	uint64_t key; /* price_key + 1, 0 = empty */
	size_t len;
	char text[3 * 24];
};
enum { PRICE_MEMOS = 256 };

static uint64_t price_key(const struct line *ln)
{
	return (uint64_t)ln->rate | (uint64_t)ln->addon_rate << 16 |
	       (uint64_t)ln->payer << 32 | (uint64_t)ln->credential << 48;
}

static const struct price_memo *price_cells(const struct ledger *l,
					    const struct line *ln,
					    struct price_memo *memo)
{
	uint64_t key = price_key(ln) + 1;
	struct price_memo *m = &memo[(key * 0x9e3779b97f4a7c15ULL) >> 56];

	if (m->key != key) {
		struct line_price pr;
		char e[32], lo[32], hi[32];
		ledger_price(l, ln, &pr);
		value_format_cents(pr.expected, e);
		value_format_cents(pr.low, lo);
		value_format_cents(pr.high, hi);
		m->len = (size_t)snprintf(m->text, sizeof m->text, "%s,%s,%s", e, lo, hi);
		m->key = key;
	}
	return m;
}

static int format_claims(void *ctx, size_t block, struct csvw *w)
{
	static const char *const status_name[] = { "", "paid", "denied", "pending" };
	static const size_t status_len[] = { 0, 4, 6, 7 };
	const struct claims_job *j = ctx;
	const struct roster *r = j->l->roster;
	char buf[400], date[16], quarter[16];
	size_t date_len = 0, quarter_len = 0;
	uint32_t shown = UINT32_MAX; /* the session whose date is in DATE */
	struct price_memo *memo = calloc(PRICE_MEMOS, sizeof *memo);

	if (!memo)
		return -1;
	size_t from = block * CLAIMS_BLOCK;
	size_t to = r->lines.len - from < CLAIMS_BLOCK ? r->lines.len : from + CLAIMS_BLOCK;

	for (size_t i = from; i < to; i++) {
		const struct line *ln = roster_line(r, i);
		const struct session *ss = roster_session(r, ln->session);
		if (!(ln->flags & LINE_ATTENDED) || !scope_has(j->s, ss))
			continue;
		csvw_int(w, ln->src_line);
		pool_cell(w, &j->cells[CELL_SESSION], ss->sid);
		if (ln->session != shown) {
			/* A session's lines are usually together. */
			value_format_date(ss->date, date);
			value_format_quarter(value_quarter(ss->date), quarter);
			date_len = csvw_plain_len(date);
			quarter_len = csvw_plain_len(quarter);
			shown = ln->session;
		}
		if (date_len != SIZE_MAX)
			csvw_plain(w, date, date_len);
		else
			csvw_str(w, date);
		if (quarter_len != SIZE_MAX)
			csvw_plain(w, quarter, quarter_len);
		else
			csvw_str(w, quarter);
		pool_cell(w, &j->cells[CELL_GROUP], ss->group);
		pool_cell(w, &j->cells[CELL_CLINICIAN], ss->clinician);
		if (j->redact)
			csvw_str(w, pseudonym_of(j->redact, r, ln->member));
		else
			pool_cell(w, &j->cells[CELL_MEMBER], ln->member);
		pool_cell(w, &j->cells[CELL_PAYER], ln->payer);
		csvw_int(w, ss->size);
		if (ln->flags & LINE_PRICED) {
			const struct price_memo *pm = price_cells(j->l, ln, memo);
			csvw_plain(w, pm->text, pm->len);
		} else {
			/* Unpriced is empty, never 0.00 (inputs.md). */
			csvw_empty(w);
			csvw_empty(w);
			csvw_empty(w);
		}
		csvw_plain(w, status_name[ln->status & 3], status_len[ln->status & 3]);
		if (ln->flags & LINE_HAS_PAID)
			csvw_cents(w, ln->paid);
		else
			csvw_empty(w);
		rules_format_ids(ln->issues, buf, sizeof buf);
		if (j->notes) {
			/* The audit's findings after the payer rules'; `note`
			 * once when both say it. */
			uint8_t nb = notes_line_findings(j->notes, i);
			if (ln->issues & (1u << RULE_NOTE))
				nb &= (uint8_t)~(1u << NOTE_MISSING);
			size_t used = strlen(buf);
			if (nb && used + 2 < sizeof buf) {
				if (used)
					buf[used++] = ';';
				notes_format_ids(nb, buf + used, sizeof buf - used);
			}
		}
		csvw_str(w, buf);
		if (j->m)
			remit_cells(w, j->m, i);
		csvw_end(w);
	}
	free(memo);
	return w->oom ? -1 : 0;
}

int tables_write_claims(const char *dir, const struct ledger *l,
			const struct scope *s, const struct pseudonyms *redact,
			unsigned threads, struct gr_err *err)
{
	return tables_write_claims_notes(dir, l, s, redact, threads, NULL, NULL, err);
}

int tables_write_claims_remit(const char *dir, const struct ledger *l,
			      const struct scope *s, const struct pseudonyms *redact,
			      unsigned threads, const struct match *m, struct gr_err *err)
{
	return tables_write_claims_notes(dir, l, s, redact, threads, m, NULL, err);
}

/* claims.csv of JOB's N lines, its pools' cells measured. */
static int claims_write(const char *dir, struct claims_job *job, size_t n,
			unsigned threads, struct gr_err *err)
{
	const struct match *m = job->m;
	struct csvw w;

	if (open_in(&w, dir, "claims.csv", err))
		return -1;
	csvw_header(&w, m ? "line,session_id,date,quarter,group_id,clinician_id,member_id,"
			    "payer_id,group_size,expected,low,high,status,paid,issues,"
			    "allowed,patient_resp,carc,rarc,check,paid_date"
			  : "line,session_id,date,quarter,group_id,clinician_id,member_id,"
			    "payer_id,group_size,expected,low,high,status,paid,issues");
	if (csvw_blocks(&w, (n + CLAIMS_BLOCK - 1) / CLAIMS_BLOCK, threads,
			format_claims, job) != 0) {
		csvw_abort(&w);
		return gr_fail(err, dir, 0, "out of memory writing claims.csv");
	}
	return csvw_commit(&w, err);
}

int tables_write_claims_notes(const char *dir, const struct ledger *l,
			      const struct scope *s, const struct pseudonyms *redact,
			      unsigned threads, const struct match *m,
			      const struct notes_audit *notes, struct gr_err *err)
{
	const struct roster *r = l->roster;
	size_t n = r->lines.len;
	struct claims_job job = { l, s, redact, m, notes, { { 0 } } };
	const struct strpool *pools[NCELLS] = { &r->session_ids, &r->groups,
						&r->clinicians, &r->members, &r->payers };
	int rc = 0;

	for (int k = 0; k < NCELLS && rc == 0; k++)
		if (!(k == CELL_MEMBER && redact))
			rc = pool_cells_init(&job.cells[k], pools[k]);
	if (rc == 0)
		rc = claims_write(dir, &job, n, threads, err);
	else
		rc = gr_fail(err, dir, 0, "out of memory writing claims.csv");
	for (int k = 0; k < NCELLS; k++)
		free(job.cells[k].len);
	return rc;
}

int tables_write_rejects(const char *dir, const struct rejects *rej,
			 struct gr_err *err)
{
	struct csvw w;

	if (open_in(&w, dir, "rejects.csv", err))
		return -1;
	csvw_header(&w, "file,line,reason");
	for (size_t i = 0; i < rej->items.len; i++) {
		const struct reject *x = &VEC_AT(&rej->items, struct reject, i);
		csvw_str(&w, x->file);
		csvw_int(&w, (int64_t)x->line);
		csvw_str(&w, x->reason);
		csvw_end(&w);
	}
	return csvw_commit(&w, err);
}
