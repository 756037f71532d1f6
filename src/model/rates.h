/* rates.h — the rate tables: payers.csv (who pays and by which rules) and
 * rates.csv (what each payer pays, by code, setting and period).
 *
 * A broken table is fatal: a bad row, an overlap between two periods of
 * the same payer, code and setting, or low > expected > high makes
 * rates_load return -1 naming the file and line, because pricing a quarter
 * from a table that is partly wrong gives a silently wrong total.  Both
 * files are read to the end first, so one run names every broken row.
 * Refused as well (decisions of issue 19, docs/inputs.md): a credential
 * share above 1 (a payer never pays more than its rate), an expected rate
 * of 0.00 (an unknown price is left unpriced, never $0.00), and a code
 * that is not five characters of a CPT or HCPCS code.
 */
#ifndef GR_RATES_H
#define GR_RATES_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "model/rejects.h"

enum payer_class {
	PAYER_MEDICARE,
	PAYER_MEDICARE_ADVANTAGE,
	PAYER_MEDICAID,
	PAYER_COMMERCIAL,
	PAYER_SELF_PAY,
	PAYER_EAP,
	PAYER_OTHER,
	PAYER_CLASS_COUNT
};

/* How a payer treats one telehealth mode. */
enum tele_rule {
	TELE_NO_MODIFIER = 0, /* covered, no modifier needed (empty cell) */
	TELE_MODIFIER,        /* covered with the modifier in `modifier` */
	TELE_NOT_COVERED      /* "none" */
};

struct tele_policy {
	enum tele_rule rule;
	char modifier[8]; /* upper case, e.g. "95", "GT", "93", "FQ" */
};

struct credential_share {
	const char *licence; /* upper case */
	int32_t bp;          /* parts per 10,000 of the rate */
};

struct payer {
	const char *id;
	const char *name;
	enum payer_class cls;
	size_t line;          /* line in payers.csv */
	uint32_t min_group;   /* default 2 */
	uint32_t max_group;   /* 0 = no limit */
	uint32_t min_minutes; /* 0 = none */
	bool require_hq;
	struct tele_policy telehealth;
	struct tele_policy audio_only;
	uint32_t max_per_week; /* 0 = no limit */
	uint32_t max_per_day;  /* default 1; 0 = no limit */
	const char **credentials; /* upper case; NULL/0 = any licence */
	uint32_t ncredentials;
	bool needs_diagnosis; /* default Y */
	bool needs_note;      /* default Y */
	bool needs_auth;      /* default N */
	struct credential_share *shares;
	uint32_t nshares;
	const char *remit_id; /* the payer's id in its 835s (REF*2U or TRN03),
	                       * "" = not given (optional column remit_id) */
};

enum rate_setting { SETTING_ANY = 0, SETTING_OFFICE, SETTING_FACILITY };

struct rate {
	uint32_t payer; /* index into rates.payers */
	const char *code;
	enum rate_setting setting;
	int32_t from, to; /* days; to = INT32_MAX when open-ended */
	int64_t low, expected, high; /* cents */
	size_t line;                 /* line in rates.csv */
};

/* The rows of one payer, code and setting: rates[lo .. lo + n). */
struct rate_group {
	uint32_t payer;
	enum rate_setting setting;
	const char *code;
	uint32_t lo, n;
};

struct rates {
	struct payer *payers; /* in file order */
	uint32_t npayers;
	struct rate *rates;   /* sorted by payer, code, setting, from */
	uint32_t nrates;
	/* Every (payer, code, setting) of RATES, found by hash (rates_lookup
	 * is asked for each line, twice with an add-on); NSLOTS is a power
	 * of two, or 0 when there is no row. */
	struct rate_group *groups;
	uint32_t *slots;  /* group index + 1, 0 = empty */
	uint32_t nslots;
	char dir[512];
	char payers_path[600];
	char rates_path[600];
};

/* Read DIR/payers.csv and DIR/rates.csv into R (allocated in A).  On
 * failure ERR names the first broken row, and how many more there are. */
int rates_load(struct rates *r, const char *dir, struct arena *a,
	       struct gr_err *err);
/* The same, and every broken row also goes to BROKEN (file, line,
 * reason) for the caller to show. */
int rates_load_all(struct rates *r, const char *dir, struct arena *a,
		   struct rejects *broken, struct gr_err *err);

/* Index of the payer with id ID, matched ignoring case and the spaces
 * around ID (as header names are), or -1. */
int rates_find_payer(const struct rates *r, const char *id);

/* The setting a CMS place-of-service code selects (see inputs.md):
 * facility for 02, 19, 21-24, 26, 31, 34, 41, 42, 51-53, 56, 61; office
 * otherwise and when POS is absent (pos < 0). */
enum rate_setting rates_setting_for_pos(int pos);

/* The rate row in force for PAYER, CODE, SETTING on DAY: a row of the
 * exact setting wins over a row for any setting.  NULL when none. */
const struct rate *rates_lookup(const struct rates *r, uint32_t payer,
				const char *code, enum rate_setting setting,
				int32_t day);

/* Parts per 10,000 the payer pays for LICENCE (10000 when not listed or
 * LICENCE is NULL/empty). */
int32_t rates_share(const struct payer *p, const char *licence);

/* Whether LICENCE is credentialed by P for 90853 (true when P lists none). */
bool rates_credentialed(const struct payer *p, const char *licence);

const char *rates_class_name(enum payer_class c);

#endif
