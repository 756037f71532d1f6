/* roster.h — attendance.csv as compact lines grouped into sessions.
 *
 * One struct line per accepted row (attended or absent), one struct
 * session per distinct session_id.  Strings are interned (strpool.h), so a
 * line is a fixed 36-byte record of ids and flags.  A session is defined
 * by its first accepted row; a later row whose date, group or clinician
 * disagrees, or that repeats a member already in the session, is rejected
 * with that reason.  Group size = attended lines of the session.
 */
#ifndef GR_ROSTER_H
#define GR_ROSTER_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "io/load.h"
#include "model/rejects.h"
#include "core/strpool.h"
#include "model/schema.h"

/* Modifier bits (modifiers column). */
enum {
	MOD_95 = 1u << 0, MOD_GT = 1u << 1, MOD_93 = 1u << 2, MOD_FQ = 1u << 3,
	MOD_HQ = 1u << 4, MOD_59 = 1u << 5, MOD_XE = 1u << 6,
	MOD_OTHER = 1u << 7 /* any modifier not listed above */
};

/* line.flags */
enum {
	LINE_ATTENDED = 1u << 0,
	LINE_HAS_DIAGNOSIS = 1u << 1,
	LINE_HAS_NOTE = 1u << 2,
	LINE_HAS_AUTH = 1u << 3,
	LINE_HAS_PAID = 1u << 4,
	LINE_PRICED = 1u << 5, /* set by the ledger when a rate was found */
	LINE_ADDON_UNPRICED = 1u << 6 /* the add-on code has no rate in force */
};

#define POS_NONE 0xffu
#define NO_ID16 0xffffu
#define NO_ID8 0xffu

/* 36 bytes.  Amounts are not stored: the ledger records which rate
 * applies (rate, addon_rate) and ledger_price derives the cents from it;
 * small values share one word.  Ten million lines fit the memory budget
 * of issue 7 (48 bytes a line in all). */
struct line {
	uint32_t src_line; /* physical line in attendance.csv */
	uint32_t session;  /* index into roster.sessions */
	uint32_t member;   /* id in roster.members */
	uint32_t issues : 17;  /* bit i set = rule i predicts a denial (rules.h) */
	uint32_t minutes : 11; /* 0 = not given; at most 1440 */
	uint32_t modality : 2; /* enum modality */
	uint32_t status : 2;   /* enum line_status */
	int32_t paid;      /* cents; valid when LINE_HAS_PAID */
	uint16_t payer;      /* id in roster.payers (not the rate table index) */
	uint16_t carc;       /* id in roster.carcs, NO_ID16 = none */
	uint16_t rate;       /* set by the ledger: index in rates.rates of the
	                      * 90853 rate in force, NO_ID16 = none */
	uint16_t addon_rate; /* the same for the add-on code */
	uint8_t modifiers;   /* MOD_* bits */
	uint8_t group_type;  /* id in roster.group_types, NO_ID8 = none */
	uint8_t week_rank;   /* set by the ledger for attended lines: 1-based
	                      * rank among the member's lines with this payer
	                      * in the ISO week, in date then file order;
	                      * counted up to 255, more than a week can hold */
	uint8_t day_rank;    /* the same within the date of service */
	uint8_t credential;  /* id in roster.credentials, NO_ID8 = none */
	uint8_t addon;       /* id in roster.addons, NO_ID8 = none */
	uint8_t pos;         /* 0..99, POS_NONE = not given */
	uint8_t flags;       /* LINE_* bits */
};

struct session {
	uint32_t sid;       /* id in roster.session_ids */
	uint32_t group;     /* id in roster.groups */
	uint32_t clinician; /* id in roster.clinicians */
	int32_t date;       /* days since 1970-01-01 */
	uint32_t first_line; /* physical line of the defining row */
	uint32_t size;      /* attended members */
	uint32_t rows;      /* accepted rows, attended or absent */
};

/* Rows of one CPT code that an export read through a column map
 * (model/export.h) held and that are not group psychotherapy. */
struct roster_skip {
	const char *code;
	size_t rows;
};

/* What reading an export through a map adds to the counts; all zero for
 * attendance.csv.  rows_read = rows_used + skipped + rows_rejected. */
struct roster_export {
	bool mapped;
	size_t skipped;       /* rows of other codes, not attendance lines */
	struct vec skips;     /* struct roster_skip, by code, first seen first */
	size_t addon_rows;    /* add-on rows joined to their 90853 line;
	                       * counted in rows_used, not in lines */
	bool sessions_made;   /* no session_id: sessions inferred */
	bool groups_made;     /* no group_id either: CLINICIAN-DAY-HHMM */
	const char *guess;    /* not UTF-8 and no encoding in the map: the
	                       * likely encoding, first seen on guess_line */
	size_t guess_line;
};

/* A line's remittance keys: ids in roster.remit_keys, NO_KEY = empty.
 * Kept beside the lines (roster.keys[i] is line i's) only when the file
 * has one of the columns claim_id, line_ref, insured_id. */
#define NO_KEY UINT32_MAX
struct line_keys {
	uint32_t claim_id, line_ref, insured_id;
};

#define COL_AR_ANY (COL_CHARGE | COL_BILLED | COL_PAID_DATE | COL_PATIENT_PAID)

/* A line's receivables values (charge, billed, paid_date, patient_paid),
 * kept beside the lines rather than in them: a line stays 36 bytes, and
 * a file without these columns stores none.  AR_NONE = not given. */
#define AR_NONE INT32_MIN
struct line_ar {
	int32_t charge;       /* cents, >= 0 */
	int32_t billed;       /* days; on or after the date of service */
	int32_t paid_date;    /* days; on or after the date of service and the
	                       * billed date; only on paid or denied lines */
	int32_t patient_paid; /* cents, >= 0 */
};

struct roster {
	const char *path;
	struct arena *arena;
	struct vec lines;    /* struct line, in file order */
	struct vec sessions; /* struct session, in first-seen order */
	struct strpool session_ids, groups, clinicians, members, payers, carcs,
		group_types, credentials, addons, remit_keys;
	struct vec ar;       /* struct line_ar per line (same index) when the
	                      * file has a receivables column, else empty */
	struct vec keys;     /* struct line_keys, empty without the columns */
	uint32_t columns;    /* COL_* bits (model/schema.h) of optional columns present */
	size_t rows_read;    /* data records, excluding empty lines */
	size_t rows_used;
	size_t rows_rejected;
	size_t empty_lines;
	char ignored_columns[512];
	void *index; /* internal: session and (session, member) lookup */
	struct roster_export exp; /* read through a column map: what else
	                           * happened to the export's rows */
};

/* Read PATH into R.  Rows that cannot be used go to REJ.  Fatal errors
 * (missing file or required column, out of memory) return -1.  TUNE
 * (NULL = one thread) parses a large file on several cores; the result
 * is the same. */
int roster_load(struct roster *r, const char *path, struct arena *a,
		struct rejects *rej, const struct load_tuning *tune,
		struct gr_err *err);
/* The same from a buffer (tests, fuzzing). */
int roster_load_buffer(struct roster *r, const char *path, const char *buf,
		       size_t len, struct arena *a, struct rejects *rej,
		       const struct load_tuning *tune, struct gr_err *err);
void roster_free(struct roster *r);

/* Rows built by another reader (model/export.c, an EHR export through a
 * column map), handed over in file order with the columns of enum
 * att_col, are checked and added exactly as rows of attendance.csv. */
struct roster_feed;
/* Start R (as roster_load does); NULL on out of memory. */
struct roster_feed *roster_feed_begin(struct roster *r, const char *path,
				      struct arena *a, struct rejects *rej);
/* One row: 1 used, 0 rejected (in REJ with its reason), -1 fatal. */
int roster_feed_row(struct roster_feed *f, const struct load_row *row,
		    struct gr_err *err);
/* A row the other reader refused: counted and listed; -1 out of memory. */
int roster_feed_reject(struct roster_feed *f, size_t line, const char *reason);
/* Done: RECORDS data records were read, PRESENT[c] tells which columns
 * the file had, IGNORED the header names no column used.  Frees F. */
void roster_feed_end(struct roster_feed *f, size_t records, size_t empty_lines,
		     const bool present[ATT_NCOLS], const char *ignored);

/* MOD_* bit of a modifier name of N bytes (any case); MOD_OTHER when it
 * is not one the rules track. */
uint8_t roster_modifier_bit(const char *m, size_t n);

static inline struct line *roster_line(const struct roster *r, size_t i)
{
	return &((struct line *)r->lines.data)[i];
}
/* Line I's receivables values, or NULL when the file has none. */
static inline const struct line_ar *roster_line_ar(const struct roster *r,
						   size_t i)
{
	return r->ar.len ? &((const struct line_ar *)r->ar.data)[i] : NULL;
}
static inline struct session *roster_session(const struct roster *r, size_t i)
{
	return &((struct session *)r->sessions.data)[i];
}

#endif
