/* covariates.h — is it group size, or something else, that drives
 * denials?  Denial rates by payer class, modality or program
 * (`stats --by`), and one logistic model of denial on size, over-cap,
 * payer class, modality and program together (covariates.csv).
 *
 * Lines: attended, in scope, paid or denied (as sizes.h).  The model
 * takes every such line of a known payer — the cap denials stay in, with
 * the "above this payer's cap" term as their covariate, so that the
 * size term means "more members, more denials" at a given cap status.
 * Each factor's reference level is its most frequent (ties: the first
 * in byte order), the other levels in byte order, as R's relevel of a
 * factor; a level that is a combination of earlier columns is aliased
 * (glm.h).  docs/statistics.md has the reading.
 */
#ifndef GR_COVARIATES_H
#define GR_COVARIATES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "analysis/glm.h"
#include "billing/ledger.h"
#include "core/error.h"
#include "model/scope.h"

enum cov_by { BY_NONE, BY_PAYER_CLASS, BY_MODALITY, BY_GROUP };

/* "payer_class", "modality" or "group"; -1 otherwise. */
int covariates_parse_by(const char *s, enum cov_by *by);
const char *covariates_by_name(enum cov_by by);

struct cov_level {
	const char *name;
	uint64_t n, d;             /* adjudicated lines, denied */
	uint64_t model_n, model_d; /* of those, without a session rule */
};

struct cov_table {
	enum cov_by by;
	struct cov_level *levels;  /* in byte order of the names */
	size_t nlevels;
};

/* Denial rates by BY (not BY_NONE); levels in A. */
int covariates_table(const struct ledger *l, const struct scope *s, enum cov_by by,
		     struct cov_table *t, struct arena *a, struct gr_err *err);

/* by_<name>.csv into DIR: level, lines, denied, rate and its Wilson
 * interval, then the same for the lines without a session rule. */
int covariates_write_table(const char *dir, const struct cov_table *t,
			   struct gr_err *err);

struct cov_term {
	const char *name;   /* "size", "over_cap", "payer_class=medicaid", ... */
	double est, se, z, p;
	bool aliased;
};

struct cov_model {
	enum glm_status status;
	struct cov_term *terms;
	size_t nterms;
	double deviance, null_deviance;
	size_t df_resid;
	int iterations;
	uint64_t lines;          /* lines in the model */
	uint64_t unknown_payer;  /* adjudicated lines left out: payer unknown */
	const char *ref_class, *ref_modality, *ref_program;
	uint32_t programs;       /* programs with a line in the model */
	bool program_in;         /* programs <= COV_MAX_PROGRAMS: in the model */
};

/* At most this many programs enter the model as columns; with more the
 * model leaves program out and says so (the normal equations grow with
 * the square of the columns). */
#define COV_MAX_PROGRAMS 60

/* Fit the model; terms in A. */
int covariates_model(const struct ledger *l, const struct scope *s,
		     struct cov_model *m, struct arena *a, struct gr_err *err);

/* covariates.csv into DIR: term, estimate, std_error, z, p_value,
 * odds_ratio, or_lo, or_hi, note; then deviance rows and the reference
 * levels. */
int covariates_write_model(const char *dir, const struct cov_model *m,
			   struct gr_err *err);

/* One or two sentences: size's and over-cap's odds ratios, or why there
 * is no model. */
void covariates_summary(const struct cov_model *m, char *buf, size_t size);

#endif
