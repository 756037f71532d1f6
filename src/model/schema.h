/* schema.h — the canonical attendance.csv columns and the words of its
 * vocabularies, in one table that every reader uses: the attendance
 * loader (model/roster.c), plan.csv (model/plan.c), the notices of the
 * run (billing/run.c) and the column maps (model/export.c).
 *
 * The contract is ../shared/spec/inputs.md (attendance.csv) and
 * ../shared/spec/exports.md (the map-only columns `start` and `code`).
 * A column added to attendance.csv is one line in schema.c and one enum
 * constant here, before ATT_NCOLS.
 */
#ifndef GR_SCHEMA_H
#define GR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Claim outcome (status column).  STATUS_NONE = not yet billed. */
enum line_status { STATUS_NONE = 0, STATUS_PAID, STATUS_DENIED, STATUS_PENDING };
/* How the session was held (modality column). */
enum modality { MODALITY_UNKNOWN = 0, MODALITY_IN_PERSON, MODALITY_TELEHEALTH,
		MODALITY_AUDIO_ONLY };

/* attendance.csv columns, in the order of inputs.md. */
enum att_col {
	ATT_SESSION, ATT_DATE, ATT_GROUP, ATT_CLINICIAN, ATT_MEMBER, ATT_PAYER,
	ATT_ATTENDED, ATT_GROUP_TYPE, ATT_CREDENTIAL, ATT_MINUTES, ATT_MODALITY,
	ATT_POS, ATT_AUTH, ATT_DIAGNOSIS, ATT_MODIFIERS, ATT_NOTE, ATT_ADDON,
	ATT_STATUS, ATT_PAID, ATT_CARC,
	/* the keys a remittance is matched by (remittance.md) */
	ATT_CLAIM_ID, ATT_LINE_REF, ATT_INSURED_ID,
	/* the receivables columns (receivables.md) */
	ATT_CHARGE, ATT_BILLED, ATT_PAID_DATE, ATT_PATIENT_PAID,
	ATT_NCOLS
};

/* Columns only an export read through a map has (exports.md): they are
 * numbered after the attendance columns. */
enum map_col { MAP_START = ATT_NCOLS, MAP_CODE, MAP_NCOLS };

/* Which optional columns attendance.csv had: a rule whose column is
 * missing cannot be checked, and the run says so once. */
enum {
	COL_GROUP_TYPE = 1u << 0, COL_CREDENTIAL = 1u << 1, COL_MINUTES = 1u << 2,
	COL_MODALITY = 1u << 3, COL_POS = 1u << 4, COL_AUTH = 1u << 5,
	COL_DIAGNOSIS = 1u << 6, COL_MODIFIERS = 1u << 7, COL_NOTE = 1u << 8,
	COL_ADDON = 1u << 9, COL_STATUS = 1u << 10, COL_PAID = 1u << 11,
	COL_CARC = 1u << 12,
	COL_CLAIM_ID = 1u << 13, COL_LINE_REF = 1u << 14, COL_INSURED_ID = 1u << 15,
	COL_CHARGE = 1u << 16, COL_BILLED = 1u << 17, COL_PAID_DATE = 1u << 18,
	COL_PATIENT_PAID = 1u << 19
};

enum schema_type {
	TYPE_TEXT,     /* any text */
	TYPE_DATE,     /* value_date */
	TYPE_BOOL,     /* value_bool */
	TYPE_INT,      /* value_uint */
	TYPE_MONEY,    /* value_money */
	TYPE_MODALITY, /* schema_modality */
	TYPE_STATUS,   /* schema_status */
	TYPE_POS,      /* a place-of-service code, two digits */
	TYPE_TIME      /* a time of day (map-only `start`) */
};

struct schema_col {
	const char *name;      /* lower case, as in the header */
	bool required;
	enum schema_type type;
	uint32_t bit;          /* COL_* bit of an optional column, 0 otherwise */
};

/* schema_columns[c] for c < MAP_NCOLS: attendance.csv, then the map-only
 * columns (never required). */
extern const struct schema_col schema_columns[MAP_NCOLS];

/* The column named NAME (any case), or -1. */
int schema_find(const char *name);
/* The name of the optional column whose COL_* bit is BIT (one bit), or
 * "?". */
const char *schema_name_of_bit(uint32_t bit);

/* The vocabularies.  Each takes a value of N bytes, matched in any case,
 * and returns 0 with the value in *OUT, or -1 when the word is not
 * known.  An empty value is MODALITY_UNKNOWN / STATUS_NONE. */
int schema_modality(const char *s, size_t n, uint8_t *out);
int schema_status(const char *s, size_t n, uint8_t *out);
/* The accepted spellings, for messages: "in_person, telehealth or
 * audio_only" and "paid, denied, pending or empty". */
#define SCHEMA_MODALITY_WORDS "in_person, telehealth or audio_only"
#define SCHEMA_STATUS_WORDS "paid, denied, pending or empty"

#endif
