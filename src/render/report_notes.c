/* report_notes.c — the documentation audit's page (--notes): the share of
 * attended lines with an individualized note by clinician and by group
 * program, the findings by rule and what to fix.  Counts only: the audit
 * keeps no note text (analysis/notes.h) and no member id is drawn.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "analysis/notes.h"
#include "render/report_int.h"

/* Rows of one table: every clinician or group program with lines in
 * scope, in the roster's first-seen order. */
static double count_table(cairo_t *cr, struct data *d, double y,
			  const struct notes_count *rows, uint32_t n,
			  const struct strpool *names, const char *what,
			  const struct notes_count *total)
{
	const char *hdr[] = { what, "attended lines", "with a note", "individualized",
			      "share", "findings" };
	static const bool num[] = { false, true, true, true, true, true };
	struct cells c;

	cells_init(&c, 6);
	for (uint32_t i = 0; i <= n; i++) {
		const struct notes_count *x = i < n ? &rows[i] : total;
		if (i < n && !x->lines)
			continue;
		size_t f = 0;
		for (int k = 0; k < NOTE_RULE_COUNT; k++)
			f += x->by_rule[k];
		cells_row(&c);
		cells_set(&c, 0, "%s", i < n ? strpool_str(names, i) : "all");
		cells_set(&c, 1, "%zu", x->lines);
		cells_set(&c, 2, "%zu", x->with_note);
		cells_set(&c, 3, "%zu", x->individualized);
		cells_rate(&c, 4, x->individualized, x->lines);
		cells_set(&c, 5, "%zu", f);
	}
	const char *const *ptr = cells_ptrs(&c);
	if (ptr) {
		struct chart_table tb = { hdr, 6, ptr, c.nrows, num, true };
		y = report_table(cr, d, y, &tb, "Documentation audit") + 10;
	}
	cells_free(&c);
	return ptr ? y : -1;
}

/* Share individualized by clinician, as bars. */
static int share_chart(cairo_t *cr, struct data *d, double y, double h)
{
	const struct notes_audit *a = d->in->notes;
	const char **cats = calloc(a->nclinicians + 1, sizeof *cats);
	double *v = calloc(a->nclinicians + 1, sizeof *v);
	size_t n = 0;
	int rc = -1;

	if (!cats || !v)
		goto out;
	for (uint32_t i = 0; i < a->nclinicians; i++) {
		if (!a->clinicians[i].lines)
			continue;
		cats[n] = strpool_str(&d->r->clinicians, i);
		v[n++] = (double)a->clinicians[i].individualized /
			 (double)a->clinicians[i].lines;
	}
	struct chart_bars b = { "Attended lines with an individualized note, by clinician",
		NULL, "Individualized: a note on file whose member's own part has none of "
		"the findings below.", cats, n, { "individualized" }, { v }, { 2 }, 1,
		false, true, FMT_PERCENT, NULL };
	rc = n ? chart_bars(cr, report_theme_of(d), MARGIN, y, BODY_W, h, &b) : 0;
out:
	free(cats);
	free(v);
	return rc;
}

int report_page_notes(cairo_t *cr, struct data *d)
{
	const struct notes_audit *a = d->in->notes;
	char buf[800];
	struct notes_count total;

	memset(&total, 0, sizeof total);
	total.lines = a->attended;
	total.with_note = a->with_note;
	total.individualized = a->individualized;
	memcpy(total.by_rule, a->by_rule, sizeof total.by_rule);

	double y = report_heading(cr, d, MARGIN, "Documentation audit: members' notes");
	snprintf(buf, sizeof buf, "Attended lines of %s", d->period);
	y = report_basis(cr, d, y, buf) + 2;
	snprintf(buf, sizeof buf, "Of %zu attended lines, %zu (%.1f%%) have an "
		 "individualized note: a note on file whose member's own part (what is "
		 "left after the text the session's notes share) is not the same as or "
		 "nearly the same as another member's, not copied from the member's "
		 "earlier note, has at least %u words and shows participation, response "
		 "and plan.  These are documentation risks found in the notes' words, "
		 "counted apart from the payer rules; no note text appears in this "
		 "report.  The method and its measured accuracy are in docs/notes.md.",
		 a->attended, a->individualized,
		 a->attended ? 100.0 * (double)a->individualized / (double)a->attended : 0.0,
		 a->opts.min_words);
	y = report_para(cr, d, y, buf) + 4;

	/* What to fix first: the findings by rule. */
	static const char *const hdr[] = { "finding", "code", "lines", "what to fix" };
	static const bool num[] = { false, false, true, false };
	struct cells c;
	cells_init(&c, 4);
	for (int k = 0; k < NOTE_RULE_COUNT; k++) {
		const struct note_rule_info *nu = &note_rules[k];
		cells_row(&c);
		cells_set(&c, 0, "%s", nu->name);
		cells_set(&c, 1, "%s%s%s", nu->carc, nu->rarc ? " " : "", nu->rarc ? nu->rarc : "");
		cells_set(&c, 2, "%zu", a->by_rule[k]);
		cells_set(&c, 3, "%s", nu->fix);
	}
	const char *const *ptr = cells_ptrs(&c);
	if (!ptr) {
		cells_free(&c);
		return -1;
	}
	struct chart_table tb = { hdr, 4, ptr, c.nrows, num, false };
	y = report_table(cr, d, y, &tb, "Documentation audit");
	cells_free(&c);
	snprintf(buf, sizeof buf, "A line can have several findings.  Thresholds: "
		 "similarity %.2f on word %u-shingles, at least %u words of the "
		 "member's own, shared text in %.0f%% of a session's notes.  "
		 "grouprev check --notes lists each line with the note it resembles.",
		 a->opts.similarity, a->opts.shingle, a->opts.min_words,
		 100.0 * a->opts.shared);
	y = report_para(cr, d, y + 6, buf) + 8;

	double h = 40.0 + 12.0 * a->nclinicians;
	if (h > 150)
		h = 150;
	if (y + h > PAGE_BOTTOM)
		y = report_new_page(cr, d);
	if (share_chart(cr, d, y, h) != 0)
		return -1;
	y += h + 12;
	if ((y = count_table(cr, d, y, a->clinicians, a->nclinicians, &d->r->clinicians,
			     "clinician", &total)) < 0 ||
	    (y = count_table(cr, d, y, a->groups, a->ngroups, &d->r->groups,
			     "group program", &total)) < 0)
		return -1;
	return 0;
}
