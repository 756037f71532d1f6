/* x12.h — reading ASC X12 files into segments (the only code that knows
 * X12 syntax: separators, envelopes, composites, X12 numbers and dates).
 *
 * A file holds one or more interchanges (ISA ... IEA), each one or more
 * functional groups (GS ... GE), each one or more transaction sets
 * (ST ... SE).  The separators are read from each ISA, which is 106 bytes
 * of fixed width: the element separator is its 4th byte, the repetition
 * separator ISA11, the component separator ISA16 and the segment
 * terminator the byte right after ISA16.  CR and LF after a terminator are
 * ignored, so files with and without line breaks read the same.
 *
 * x12_read checks the envelopes (SE01 segments, GE01 transactions, IEA01
 * groups, and the control numbers that pair ST/SE, GS/GE, ISA/IEA) and
 * hands the segments of each transaction set to the caller: BEGIN at ST,
 * SEGMENT for every segment between ST and SE, END at SE with COMPLETE
 * true, or with COMPLETE false when the transaction is cut off or broken
 * (the caller then discards what it built).  Everything wrong that does
 * not stop the reading goes to PROBLEM with its position.
 *
 * Positions are segment numbers: N counts the file's segments from 1
 * (the ISA is segment 1), whatever the line breaks.  Messages are written
 * "FILE:segment N (ID): text" (x12_where).
 *
 * x12_read returns X12_REFUSED (-2) with ERR filled when the file cannot
 * be used at all: it cannot be read, it is not an X12 file, or it is X12
 * of another kind than the caller asked for (KIND; "an 837 claim file, not
 * a remittance"); -1 when memory ran out or a callback returned -1; 0
 * otherwise.
 */
#ifndef GR_X12_H
#define GR_X12_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

#define X12_REFUSED (-2)

/* Elements of one segment beyond these are a problem, not data. */
#define X12_MAX_ELEMENTS 64u
/* Components of one composite element handed out by x12_components. */
#define X12_MAX_COMPONENTS 16u

struct x12_seps {
	char element, repetition, component, terminator;
};

/* A segment id as one number, so that a handler is chosen by a switch
 * instead of comparing strings: X12_ID('C', 'L', 'P'); a two-letter id
 * has 0 as its third letter (X12_ID('L', 'Q', 0)). */
#define X12_ID(a, b, c) \
	((uint32_t)(unsigned char)(a) << 16 | (uint32_t)(unsigned char)(b) << 8 | \
	 (uint32_t)(unsigned char)(c))

/* One segment.  el[0] is the segment id ("CLP"), el[1..nel] its
 * elements, each NUL-terminated; an element beyond nel reads as "" via
 * x12_el.  The strings live until the callback returns. */
struct x12_seg {
	size_t index; /* 1-based segment number in the file */
	size_t nel;   /* elements after the id */
	char *const *el;
	const struct x12_seps *seps;
	uint32_t id;  /* el[0] as X12_ID packs it */
};

/* The transaction set being read. */
struct x12_tx {
	const char *file;
	size_t st_index;    /* segment number of its ST */
	const char *control; /* ST02 */
	const char *version; /* GS08 of its group */
	const char *sender;  /* GS02 */
};

struct x12_reader {
	const char *kind;          /* ST01 wanted: "835" */
	const char *const *versions; /* GS08 accepted, NULL-terminated */
	const char *what;          /* what KIND is, for messages: "remittance" */
	void *ctx;
	int (*begin)(void *ctx, const struct x12_tx *tx, struct gr_err *err);
	int (*segment)(void *ctx, const struct x12_seg *seg, struct gr_err *err);
	int (*end)(void *ctx, const struct x12_tx *tx, bool complete,
		   struct gr_err *err);
	/* A problem at segment SEG (ID, possibly "" when the bytes do not
	 * form a segment id): MSG is a short sentence in git's form. */
	int (*problem)(void *ctx, const char *file, size_t seg, const char *id,
		       const char *msg, struct gr_err *err);
	/* Optional: every segment cut, envelopes included, before it is
	 * handled (tools/x12dump, the cross-check with X12::Parser). */
	int (*each)(void *ctx, const struct x12_seg *seg, struct gr_err *err);
};

/* Counts of one file, for the run's summary. */
struct x12_stats {
	size_t segments;     /* segments read, envelopes included */
	size_t interchanges;
	size_t groups;
	size_t transactions; /* ST seen */
	size_t complete;     /* of those, ended by a matching SE */
	size_t problems;     /* PROBLEM calls */
};

/* Read the file at PATH. */
int x12_read(const struct x12_reader *r, const char *path,
	     struct x12_stats *st, struct gr_err *err);
/* The same over BUF[0..LEN) (tests, fuzzing); PATH is used in messages.
 * BUF is not changed. */
int x12_read_buffer(const struct x12_reader *r, const char *path,
		    const char *buf, size_t len, struct x12_stats *st,
		    struct gr_err *err);

/* Element I of SEG, "" when the segment has fewer. */
static inline const char *x12_el(const struct x12_seg *seg, size_t i)
{
	return i <= seg->nel ? seg->el[i] : "";
}

/* Split element S (a composite such as "HC:90853:95") at the component
 * separator into OUT[0..n), copies in BUF of BUFSIZE bytes; returns n (at
 * most MAX).  Some payers write '>' inside SVC01 although ISA16 is ':';
 * when S holds no component separator but does hold '>', '>' is used. */
size_t x12_components(const char *s, const struct x12_seps *seps,
		      char *buf, size_t bufsize, const char **out, size_t max);

/* An X12 decimal number of dollars ("120", "-9.5", ".75", "1.50") ->
 * cents, exactly.  NULL on success, else a short reason ("more than 2
 * decimals").  At most $90 trillion either way. */
const char *x12_amount(const char *s, int64_t *cents);
/* An X12 date CCYYMMDD -> days since 1970-01-01, calendar checked
 * (20250230 refused), years 1900-2199. */
const char *x12_date(const char *s, int32_t *days);
/* A non-negative decimal count ("12", "1.0" for units) -> integer; NULL
 * on success.  Fractions other than .0 are refused. */
const char *x12_count(const char *s, uint64_t max, uint64_t *out);

/* "FILE:segment N (ID)" into BUF: the position every message starts with. */
void x12_where(char *buf, size_t size, const char *file, size_t seg,
	       const char *id);

#endif
