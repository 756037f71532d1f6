/* test_rules.c — the 17 payer rules against a file of cases.
 *
 * Each line of tests/unit/fixtures/rules/cases.txt is an attendance row,
 * its surroundings (group size, the member's other sessions, missing
 * columns) and the rule ids with the reason and remark codes the ledger
 * must find on it; the file's header gives the format and the comment of
 * each block the reason for its expectations (docs/rules.md, domain.md).
 * This program turns each case into a small attendance.csv, loads and
 * prices it against the cases' own rate table, and compares the row's
 * line.issues and the codes of its rules with the expectation, and asks
 * each rule that fired for the reason `check` prints.  Every
 * case is checked before the test fails, so one run lists every mismatch;
 * and every rule must fire in at least one case.
 */
#include <glib.h>
#include <stdlib.h>
#include <string.h>

#include "testutil.h"
#include "billing/ledger.h"
#include "billing/rules.h"

#define DIR "tests/unit/fixtures/rules"
#define MAX_OTHERS 8

/* The attendance columns a case writes, in the file's order. */
enum {
	C_SESSION, C_DATE, C_GROUP, C_CLINICIAN, C_MEMBER, C_PAYER, C_ATTENDED,
	C_GROUP_TYPE, C_CREDENTIAL, C_MINUTES, C_MODALITY, C_POS, C_AUTH,
	C_DIAGNOSIS, C_MODIFIERS, C_NOTE, C_ADDON, NCOLS
};
static const char *const col_name[NCOLS] = {
	"session_id", "date", "group_id", "clinician_id", "member_id", "payer_id",
	"attended", "group_type", "credential", "minutes", "modality", "pos",
	"auth_id", "diagnosis", "modifiers", "note", "addon",
};
/* The clean row of the file's header: no payer of the folder flags it. */
static const char *const defaults[NCOLS] = {
	"T", "2025-05-07", "G", "C", "M", "", "Y", "", "PhD", "90", "in_person",
	"11", "A1", "F33.1", "HQ", "Y", "",
};

struct other {
	char date[16], payer[16];
};

struct rcase {
	char name[64];
	size_t line;              /* in cases.txt */
	char v[NCOLS][64];
	unsigned size, absent;
	struct other before[MAX_OTHERS], after[MAX_OTHERS];
	size_t nbefore, nafter;
	unsigned drop;            /* bit per column left out */
	uint32_t want;            /* rule bits */
	char carc[RULE_COUNT][16], rarc[RULE_COUNT][16];
};

static char *trim(char *s)
{
	while (*s == ' ' || *s == '\t')
		s++;
	char *e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = '\0';
	return s;
}

static int col_of(const char *key)
{
	if (strcmp(key, "payer") == 0)
		return C_PAYER;
	for (int k = C_ATTENDED; k < NCOLS; k++)
		if (strcmp(key, col_name[k]) == 0)
			return k;
	return strcmp(key, "date") == 0 ? C_DATE : -1;
}

/* "D D@P ..." into OUT; the payer defaults to the row's. */
static int parse_others(char *s, struct other *out, size_t *n)
{
	for (char *w = strtok(s, " "); w; w = strtok(NULL, " ")) {
		if (*n == MAX_OTHERS)
			return -1;
		char *at = strchr(w, '@');
		if (at)
			*at++ = '\0';
		snprintf(out[*n].date, sizeof out[*n].date, "%s", w);
		snprintf(out[*n].payer, sizeof out[*n].payer, "%s", at ? at : "");
		(*n)++;
	}
	return 0;
}

/* One line of cases.txt into C; a message in WHY when it is malformed. */
static int parse_case(char *text, size_t line, struct rcase *c, char *why,
		      size_t whylen)
{
	char *bar1 = strchr(text, '|'), *bar2 = bar1 ? strchr(bar1 + 1, '|') : NULL;

	memset(c, 0, sizeof *c);
	c->line = line;
	c->size = 3;
	for (int k = 0; k < NCOLS; k++)
		snprintf(c->v[k], sizeof c->v[k], "%s", defaults[k]);
	if (!bar2 || strchr(bar2 + 1, '|')) {
		snprintf(why, whylen, "not NAME | KEYS | EXPECTED");
		return -1;
	}
	*bar1 = *bar2 = '\0';
	snprintf(c->name, sizeof c->name, "%s", trim(text));
	char *keys = bar1 + 1, *save = NULL;
	for (char *kv = strtok_r(keys, ";", &save); kv; kv = strtok_r(NULL, ";", &save)) {
		char *eq = strchr(kv, '=');
		if (!eq) {
			snprintf(why, whylen, "'%s' is not KEY=VALUE", trim(kv));
			return -1;
		}
		*eq = '\0';
		char *key = trim(kv), *val = trim(eq + 1);
		int k = col_of(key);
		if (k >= 0)
			snprintf(c->v[k], sizeof c->v[k], "%s", val);
		else if (strcmp(key, "size") == 0)
			c->size = (unsigned)atoi(val);
		else if (strcmp(key, "absent") == 0)
			c->absent = (unsigned)atoi(val);
		else if (strcmp(key, "before") == 0 || strcmp(key, "after") == 0) {
			bool b = key[0] == 'b';
			if (parse_others(val, b ? c->before : c->after,
					 b ? &c->nbefore : &c->nafter)) {
				snprintf(why, whylen, "more than %d dates", MAX_OTHERS);
				return -1;
			}
		} else if (strcmp(key, "drop") == 0) {
			for (char *w = strtok(val, " "); w; w = strtok(NULL, " ")) {
				int d = col_of(w);
				if (d < C_GROUP_TYPE) {
					snprintf(why, whylen, "cannot drop '%s'", w);
					return -1;
				}
				c->drop |= 1u << d;
			}
		} else {
			snprintf(why, whylen, "unknown key '%s'", key);
			return -1;
		}
	}
	char *exp = trim(bar2 + 1);
	if (strcmp(exp, "-") == 0)
		return 0;
	for (char *w = strtok_r(exp, " ", &save); w; w = strtok_r(NULL, " ", &save)) {
		char *eq = strchr(w, '='), *sl = eq ? strchr(eq, '/') : NULL;
		if (!sl) {
			snprintf(why, whylen, "'%s' is not RULE=CARC/RARC", w);
			return -1;
		}
		*eq = *sl = '\0';
		const struct rule *r = rules_by_name(w);
		if (!r) {
			snprintf(why, whylen, "no rule '%s'", w);
			return -1;
		}
		c->want |= 1u << r->id;
		snprintf(c->carc[r->id], sizeof c->carc[0], "%s", eq + 1);
		snprintf(c->rarc[r->id], sizeof c->rarc[0], "%s", sl + 1);
	}
	return 0;
}

/* One CSV row of C's values with the given overrides; every cell
 * quoted, as modifiers may hold commas. */
static void put_row(GString *csv, const struct rcase *c, const char *session,
		    const char *member, const char *date, const char *payer,
		    const char *attended)
{
	const char *sep = "";

	for (int k = 0; k < NCOLS; k++) {
		if (c->drop & (1u << k))
			continue;
		const char *v = k == C_SESSION ? session : k == C_MEMBER ? member :
				k == C_DATE && date ? date :
				k == C_PAYER && payer && *payer ? payer :
				k == C_ATTENDED && attended ? attended : c->v[k];
		g_string_append_printf(csv, "%s\"%s\"", sep, v);
		sep = ",";
	}
	g_string_append_c(csv, '\n');
}

/* The case's attendance.csv: the member's sessions before, the row, the
 * rest of its session, the member's sessions after.  *ROW is the row's
 * physical line. */
static GString *build_csv(const struct rcase *c, size_t *row)
{
	GString *csv = g_string_new(NULL);
	bool attended = c->v[C_ATTENDED][0] == 'Y' || c->v[C_ATTENDED][0] == 'y';
	char id[32];
	const char *sep = "";

	for (int k = 0; k < NCOLS; k++)
		if (!(c->drop & (1u << k))) {
			g_string_append_printf(csv, "%s%s", sep, col_name[k]);
			sep = ",";
		}
	g_string_append_c(csv, '\n');
	for (size_t i = 0; i < c->nbefore; i++) {
		snprintf(id, sizeof id, "B%zu", i);
		put_row(csv, c, id, "M", c->before[i].date, c->before[i].payer, "Y");
	}
	*row = 2 + c->nbefore;
	put_row(csv, c, "T", "M", NULL, NULL, NULL);
	for (unsigned i = attended ? 1 : 0; i < c->size; i++) {
		snprintf(id, sizeof id, "F%u", i);
		put_row(csv, c, "T", id, NULL, NULL, "Y");
	}
	for (unsigned i = 0; i < c->absent; i++) {
		snprintf(id, sizeof id, "A%u", i);
		put_row(csv, c, "T", id, NULL, NULL, "N");
	}
	for (size_t i = 0; i < c->nafter; i++) {
		snprintf(id, sizeof id, "X%zu", i);
		put_row(csv, c, id, "M", c->after[i].date, c->after[i].payer, "Y");
	}
	return csv;
}

/* Run case C; 0 when the ledger finds what it expects, else a message. */
static int run_case(const struct rates *rt, const struct rcase *c, char *msg,
		    size_t msglen)
{
	struct arena a;
	struct roster ro;
	struct rejects rej;
	struct ledger l;
	struct gr_err err;
	size_t row;
	GString *csv = build_csv(c, &row);
	int rc = -1;

	memset(&l, 0, sizeof l);
	arena_init(&a);
	rejects_init(&rej, &a);
	if (roster_load_buffer(&ro, "case.csv", csv->str, csv->len, &a, &rej, NULL, &err) ||
	    ledger_build(&l, &ro, rt, 1, &a, &err)) {
		snprintf(msg, msglen, "load: %s", err.msg);
		goto out;
	}
	if (rej.items.len) {
		const struct reject *x = &VEC_AT(&rej.items, struct reject, 0);
		snprintf(msg, msglen, "the case's file has a rejected row (line %zu: %s)",
			 x->line, x->reason);
		goto out;
	}
	const struct line *ln = NULL;
	size_t at = 0;
	for (size_t i = 0; i < ro.lines.len; i++)
		if (roster_line(&ro, i)->src_line == row)
			ln = roster_line(&ro, (at = i));
	if (!ln) {
		snprintf(msg, msglen, "row %zu not loaded", row);
		goto out;
	}
	if (ln->issues != c->want) {
		char got[400], want[400];
		rules_format_ids(ln->issues, got, sizeof got);
		rules_format_ids(c->want, want, sizeof want);
		snprintf(msg, msglen, "found '%s', expected '%s'", got, want);
		goto out;
	}
	for (int i = 0; i < RULE_COUNT; i++) {
		if (!(c->want & (1u << i)))
			continue;
		const struct rule *r = &rules_table[i];
		const char *rarc = r->rarc ? r->rarc : "-";
		if (strcmp(r->carc, c->carc[i]) || strcmp(rarc, c->rarc[i])) {
			snprintf(msg, msglen, "%s predicts %s/%s, expected %s/%s", r->name,
				 r->carc, rarc, c->carc[i], c->rarc[i]);
			goto out;
		}
	}
	/* What `check` prints: each finding's own reason, from the same
	 * check asked for its words (rules.h). */
	if (ln->issues && !(ln->issues & (1u << RULE_UNKNOWN_PAYER))) {
		struct rule_ctx rc_;
		ledger_rule_ctx(&l, at, &rc_);
		for (int i = 0; i < RULE_COUNT; i++) {
			char why[400] = "";
			if (l.unchecked & (1u << i))
				continue;
			bool hit = rules_table[i].check(&rc_, why, sizeof why);
			if (hit != ((ln->issues >> i) & 1) || (hit && !why[0])) {
				snprintf(msg, msglen, "%s asked for its reason says %s ('%s')",
					 rules_table[i].name, hit ? "broken" : "kept", why);
				goto out;
			}
		}
	}
	rc = 0;
out:
	/* roster_load_buffer sets the roster up before it reads, so it can
	 * always be freed. */
	ledger_free(&l);
	roster_free(&ro);
	rejects_free(&rej);
	arena_release(&a);
	g_string_free(csv, TRUE);
	return rc;
}

static void test_cases(void **state)
{
	struct arena a;
	struct rates rt;
	struct gr_err err;
	FILE *f = fopen(DIR "/cases.txt", "r");
	char text[1024], msg[2048];
	size_t line = 0, ncases = 0, failed = 0;
	unsigned fired[RULE_COUNT] = { 0 };
	char names[256][64];

	(void)state;
	assert_non_null(f);
	arena_init(&a);
	if (rates_load(&rt, DIR, &a, &err) != 0)
		fail_msg("%s: %s", DIR, err.msg);
	while (fgets(text, sizeof text, f)) {
		struct rcase c;
		line++;
		char *t = trim(text);
		if (!*t || *t == '#')
			continue;
		if (parse_case(t, line, &c, msg, sizeof msg) != 0)
			fail_msg("cases.txt:%zu: %s", line, msg);
		for (size_t i = 0; i < ncases && i < 256; i++)
			if (strcmp(names[i], c.name) == 0)
				fail_msg("cases.txt:%zu: case '%s' twice", line, c.name);
		if (ncases < 256)
			snprintf(names[ncases], sizeof names[0], "%s", c.name);
		ncases++;
		for (int i = 0; i < RULE_COUNT; i++)
			if (c.want & (1u << i))
				fired[i]++;
		if (run_case(&rt, &c, msg, sizeof msg) != 0) {
			print_error("cases.txt:%zu: %s: %s\n", c.line, c.name, msg);
			failed++;
		}
	}
	fclose(f);
	arena_release(&a);
	print_message("rule cases: %zu checked, %zu failed\n", ncases, failed);
	for (int i = 0; i < RULE_COUNT; i++)
		if (!fired[i])
			fail_msg("no case expects rule '%s'", rules_table[i].name);
	assert_true(ncases >= 2 * RULE_COUNT);
	assert_int_equal(failed, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
	};
	return cmocka_run_group_tests_name("rules", tests, NULL, NULL);
}
