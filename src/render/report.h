/* report.h — the quarterly PDF report and the standalone charts.
 *
 * The report focuses on one quarter (--quarter, or the latest quarter in
 * the file) and compares it with the quarter before.  Every page says its
 * date basis (date of service) and the as-of date.  No member id is ever
 * drawn: the report works from sums, payers, groups and clinicians only.
 */
#ifndef GR_REPORT_H
#define GR_REPORT_H

#include "render/chart.h"
#include "core/error.h"
#include "billing/run.h"
#include "analysis/sizes.h"
#include "analysis/tally.h"
#include "analysis/receivables.h"

struct project_view; /* the projection page's data, when --plan is given */
struct notes_audit;  /* the documentation audit's, when --notes is given */
struct remit;
struct match;

struct report_input {
	const struct run *run;
	const struct tally *tally;         /* in scope */
	const struct size_analysis *sizes; /* in scope */
	const struct project_view *plan;   /* NULL: no projection page */
	const char *attendance;            /* the file name, for the title */
	int32_t as_of;                     /* days; the last date of service by default */
	const struct chart_theme *theme;
	const struct notes_audit *notes;   /* NULL: no documentation audit page */
	const struct ar_result *ar;        /* NULL: no receivables pages */
	const struct remit *remit;         /* --remit: the payments page; else NULL */
	const struct match *match;
};

/* Write the multi-page PDF to PATH (through a temporary file). */
int report_write_pdf(const struct report_input *in, const char *path,
		     struct gr_err *err);

/* Each chart alone into DIR as chart-N-name.FORMAT (pdf, png or svg). */
int report_write_charts(const struct report_input *in, const char *dir,
			const char *format, struct gr_err *err);

/* The chart theme: the built-in defaults, with PATH's settings over them
 * (a missing PATH leaves the defaults; NULL = the defaults alone).  The
 * commands choose PATH (cmd/cli.h: cli_theme). */
int report_theme(struct chart_theme *th, const char *path, struct gr_err *err);

/* The group-size chart and table alone on one page (grouprev stats). */
int report_write_sizes_pdf(const struct run *run, const struct size_analysis *an,
			   const struct chart_theme *theme, const char *attendance,
			   const char *path, struct gr_err *err);

/* The projection alone on one page (grouprev project). */
int report_write_projection_pdf(const struct project_view *pv,
				const struct chart_theme *theme, const char *plan_file,
				const char *path, struct gr_err *err);

#endif
