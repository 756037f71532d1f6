/* notes.h — the documentation audit: which members' notes an auditor
 * would call cloned or not individual (spec/notes.md, docs/notes.md).
 *
 * Each note of notes.csv is matched to its attended line (session_id and
 * member_id); a note with no attended line, for an absent member, or a
 * second note for the same line is refused into the rejects with its
 * file and line.  Then, session by session:
 *
 *  - the text the session's notes share (the group paragraph) is every
 *    run of SPAN or more words found word for word in at least
 *    max(2, ceil(SHARED x n)) of the session's n notes; the member's own
 *    name and id are left out of the words first;
 *  - the member-specific part of a note is what remains;
 *  - findings: note (no note or no words), note_identical (member parts,
 *    or whole notes, equal), note_cloned (Jaccard similarity of the
 *    member parts' word SHINGLE-shingles at or above SIMILARITY),
 *    note_not_individual (member part under MIN_WORDS words),
 *    note_copied_forward (the share of the member part's shingles found
 *    in one of the member's HISTORY notes of earlier dates is at or above
 *    SIMILARITY), note_elements (no term of an element in the member
 *    part).
 *
 * Everything is done on word hashes (core/words.h): no text is kept, and
 * a finding names the other note by its notes.csv line and session, with
 * the similarity — never its words.  Findings are kept per note; lines of
 * the run's scope are counted.  The result does not depend on the order
 * of the files' rows beyond which of two notes for one line is first.
 */
#ifndef GR_NOTES_H
#define GR_NOTES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "model/elements.h"
#include "model/notefile.h"
#include "model/roster.h"
#include "model/scope.h"

enum note_rule {
	NOTE_MISSING,        /* "note" */
	NOTE_IDENTICAL,
	NOTE_CLONED,
	NOTE_NOT_INDIVIDUAL,
	NOTE_COPIED_FORWARD,
	NOTE_ELEMENTS,
	NOTE_RULE_COUNT
};

struct note_rule_info {
	const char *name;   /* stable id, e.g. "note_cloned" */
	const char *carc;   /* the adjustment a payer gives after a record review */
	const char *rarc;   /* remark code, or NULL */
	const char *reason; /* one line for a clinical director */
	const char *fix;    /* what to do about it */
};

extern const struct note_rule_info note_rules[NOTE_RULE_COUNT];

struct notes_opts {
	double similarity;  /* --note-similarity, default 0.8 */
	unsigned min_words; /* --note-min-words, default 15 */
	double shared;      /* --note-shared, default 0.75 */
	unsigned shingle;   /* --note-shingle, default 2 (docs/notes.md) */
	unsigned span;      /* words of a shared run, 8 */
	unsigned history;   /* earlier notes of the member compared, 12 */
	unsigned threads;   /* sessions audited on this many threads (1 = the
	                     * calling thread); the result is the same */
};

#define NOTES_OPTS_DEFAULT { 0.8, 15, 0.75, 2, 8, 12, 1 }

/* Why a note was not used. */
enum note_state { NS_USED, NS_UNMATCHED, NS_ABSENT, NS_DUPLICATE };

struct note_verdict {
	uint32_t line_index;  /* roster line, NOTE_NONE when not used */
	uint32_t own_words;   /* words of the member-specific part */
	uint32_t like;        /* a note of its session it is identical to
	                       * (note index), NOTE_NONE */
	uint32_t clone;       /* the note of its session it is most alike
	                       * without being identical, NOTE_NONE */
	uint32_t earlier;     /* the earlier note it was copied from, NOTE_NONE */
	float clone_sim, earlier_sim;
	uint8_t findings;     /* 1 << enum note_rule */
	uint8_t missing;      /* 1 << enum note_element not found */
	uint8_t state;        /* enum note_state */
};

/* The audit's counts over the attended lines in scope of one clinician or
 * group program (or all of them). */
struct notes_count {
	size_t lines;          /* attended lines */
	size_t with_note;      /* with a note of at least one word */
	size_t individualized; /* with a note and no finding */
	size_t by_rule[NOTE_RULE_COUNT]; /* lines with each finding */
};

struct notes_audit {
	const struct roster *roster;
	const struct notefile *nf;
	struct notes_opts opts;
	uint32_t *line_note;        /* roster line -> note index, NOTE_NONE */
	struct note_verdict *v;     /* per note */
	/* Counts over attended lines in scope: */
	size_t attended, with_note, individualized;
	size_t by_rule[NOTE_RULE_COUNT];
	/* The same by roster clinician id and by roster group id. */
	struct notes_count *clinicians, *groups;
	uint32_t nclinicians, ngroups;
	/* Notes not used: */
	size_t unmatched, absent, duplicate, out_of_scope;
};

/* Audit the notes NF against roster R (every attended line, for the
 * copy-forward history; counts and findings for scope S).  Refused notes
 * go to REJ.  Returns -1 with ERR on out of memory only. */
int notes_audit_run(struct notes_audit *a, const struct notefile *nf,
		    const struct elements *el, const struct roster *r,
		    const struct scope *s, const struct notes_opts *o,
		    struct rejects *rej, struct gr_err *err);
void notes_audit_free(struct notes_audit *a);

/* The finding bits of roster line I (attended lines in scope; 0 else). */
uint8_t notes_line_findings(const struct notes_audit *a, size_t i);

/* The specific reason of finding K on roster line I, for check output:
 * positions, counts and similarities only. */
void notes_reason(const struct notes_audit *a, size_t i, enum note_rule k,
		  char *buf, size_t size);

/* "note_cloned;note_elements" for finding bits, into BUF. */
void notes_format_ids(uint8_t bits, char *buf, size_t size);

/* Set option NAME (without the leading "--") from VALUE: 0, or -1 with
 * ERR when the name is not a notes option (1 is returned then, ERR
 * untouched) or the value is out of range. */
int notes_opt_set(struct notes_opts *o, const char *name, const char *value,
		  struct gr_err *err);

#endif
