/* rules.h — the payer rules of the pre-submission check, as one table.
 *
 * Each rule has a stable id (used in claims.csv, check output and the
 * report), the claim adjustment reason code a payer would most likely
 * return, a remark code where one fits, the payers.csv column that drives
 * it, a one-line reason for a billing manager, and a check function.
 * Adding a rule is adding an enum value and a row in rules.c.
 * The bit order of enum rule_id is the order of line.issues.
 */
#ifndef GR_RULES_H
#define GR_RULES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/rates.h"
#include "model/roster.h"

enum rule_id {
	RULE_UNKNOWN_PAYER,
	RULE_NO_RATE,
	RULE_MIN_GROUP,
	RULE_MAX_GROUP,
	RULE_MIN_MINUTES,
	RULE_REQUIRE_HQ,
	RULE_TELEHEALTH_MODIFIER,
	RULE_TELEHEALTH_NOT_COVERED,
	RULE_AUDIO_ONLY_MODIFIER,
	RULE_AUDIO_ONLY_NOT_COVERED,
	RULE_MAX_PER_WEEK,
	RULE_MAX_PER_DAY,
	RULE_CREDENTIAL,
	RULE_DIAGNOSIS,
	RULE_NOTE,
	RULE_AUTH,
	RULE_NOT_PSYCHOTHERAPY,
	RULE_COUNT
};

/* What a check sees: one attended line with its session and payer. */
struct rule_ctx {
	const struct roster *roster;
	const struct line *line;
	const struct session *session;
	const struct payer *payer; /* NULL when the payer is unknown */
	bool priced;               /* a rate was found */
	uint32_t week_rank;        /* 1-based rank of this line among the
	                            * member's lines with this payer in its ISO
	                            * week, in date then file order */
	uint32_t day_rank;         /* the same within its date of service */
	const bool *not_psychotherapy; /* per group_type id, decided once
	                                * (ledger); NULL = from the name */
};

struct rule {
	enum rule_id id;
	const char *name;   /* stable id, e.g. "max_group" */
	const char *carc;   /* e.g. "CO-50" */
	const char *rarc;   /* e.g. "N115", or NULL */
	const char *column; /* payers.csv / attendance.csv column that drives it */
	const char *reason; /* one line for a billing manager */
	/* Optional attendance.csv column (COL_* bit) without which the rule
	 * cannot be checked; 0 = always checkable. */
	uint32_t needs_column;
	/* True when the line breaks the rule.  When WHY is not NULL, write
	 * the specific reason ("group of 14 is above MCR's maximum of 12"). */
	bool (*check)(const struct rule_ctx *c, char *why, size_t whylen);
};

extern const struct rule rules_table[RULE_COUNT];

/* line.issues has a bit per rule and 17 bits. */
_Static_assert(RULE_COUNT <= 17, "a new rule needs a wider line.issues");

const struct rule *rules_by_name(const char *name);

/* Evaluate every rule on C; returns the bit set of rules broken. */
uint32_t rules_run(const struct rule_ctx *c);

/* The rules that a session's own facts decide for payer P — its size
 * (min_group, max_group), its MINUTES (min_minutes; 0 = not given) and its
 * modality M (telehealth_not_covered, audio_only_not_covered) — with the
 * same tests as the line checks.  Returns the bit set of those broken.
 * The projection (a planned session) and the size analysis (which lines
 * the rules already predict denied) call this, so each rule has one copy. */
uint32_t rules_session(const struct payer *p, uint32_t size, uint32_t minutes,
		       enum modality m);

/* The bits rules_session can set. */
#define RULES_SESSION_BITS ((1u << RULE_MIN_GROUP) | (1u << RULE_MAX_GROUP) | \
			    (1u << RULE_MIN_MINUTES) | \
			    (1u << RULE_TELEHEALTH_NOT_COVERED) | \
			    (1u << RULE_AUDIO_ONLY_NOT_COVERED))

/* "min_group;max_group" for a bit set, into BUF. */
void rules_format_ids(uint32_t issues, char *buf, size_t size);

/* Whether a group_type names a service that is not psychotherapy
 * (psychoeducation, education, social, support without psychotherapy). */
bool rules_not_psychotherapy(const char *group_type);

#endif
