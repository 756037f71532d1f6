/* schema.c — the attendance columns and vocabularies (schema.h). */
#include "model/schema.h"

#include <string.h>
#include <strings.h>

#include "core/value.h"

const struct schema_col schema_columns[MAP_NCOLS] = {
	[ATT_SESSION] = { "session_id", true, TYPE_TEXT, 0 },
	[ATT_DATE] = { "date", true, TYPE_DATE, 0 },
	[ATT_GROUP] = { "group_id", true, TYPE_TEXT, 0 },
	[ATT_CLINICIAN] = { "clinician_id", true, TYPE_TEXT, 0 },
	[ATT_MEMBER] = { "member_id", true, TYPE_TEXT, 0 },
	[ATT_PAYER] = { "payer_id", true, TYPE_TEXT, 0 },
	[ATT_ATTENDED] = { "attended", true, TYPE_BOOL, 0 },
	[ATT_GROUP_TYPE] = { "group_type", false, TYPE_TEXT, COL_GROUP_TYPE },
	[ATT_CREDENTIAL] = { "credential", false, TYPE_TEXT, COL_CREDENTIAL },
	[ATT_MINUTES] = { "minutes", false, TYPE_INT, COL_MINUTES },
	[ATT_MODALITY] = { "modality", false, TYPE_MODALITY, COL_MODALITY },
	[ATT_POS] = { "pos", false, TYPE_POS, COL_POS },
	[ATT_AUTH] = { "auth_id", false, TYPE_TEXT, COL_AUTH },
	[ATT_DIAGNOSIS] = { "diagnosis", false, TYPE_TEXT, COL_DIAGNOSIS },
	[ATT_MODIFIERS] = { "modifiers", false, TYPE_TEXT, COL_MODIFIERS },
	[ATT_NOTE] = { "note", false, TYPE_BOOL, COL_NOTE },
	[ATT_ADDON] = { "addon", false, TYPE_TEXT, COL_ADDON },
	[ATT_STATUS] = { "status", false, TYPE_STATUS, COL_STATUS },
	[ATT_PAID] = { "paid", false, TYPE_MONEY, COL_PAID },
	[ATT_CARC] = { "carc", false, TYPE_TEXT, COL_CARC },
	[ATT_CLAIM_ID] = { "claim_id", false, TYPE_TEXT, COL_CLAIM_ID },
	[ATT_LINE_REF] = { "line_ref", false, TYPE_TEXT, COL_LINE_REF },
	[ATT_INSURED_ID] = { "insured_id", false, TYPE_TEXT, COL_INSURED_ID },
	[ATT_CHARGE] = { "charge", false, TYPE_MONEY, COL_CHARGE },
	[ATT_BILLED] = { "billed", false, TYPE_DATE, COL_BILLED },
	[ATT_PAID_DATE] = { "paid_date", false, TYPE_DATE, COL_PAID_DATE },
	[ATT_PATIENT_PAID] = { "patient_paid", false, TYPE_MONEY, COL_PATIENT_PAID },
	[MAP_START] = { "start", false, TYPE_TIME, 0 },
	[MAP_CODE] = { "code", false, TYPE_TEXT, 0 },
};

int schema_find(const char *name)
{
	for (int c = 0; c < MAP_NCOLS; c++)
		if (strcasecmp(name, schema_columns[c].name) == 0)
			return c;
	return -1;
}

const char *schema_name_of_bit(uint32_t bit)
{
	for (int c = 0; c < ATT_NCOLS; c++)
		if (schema_columns[c].bit & bit)
			return schema_columns[c].name;
	return "?";
}

struct word {
	const char *name;
	size_t len;
	uint8_t value;
};
#define WORD(s, v) { s, sizeof s - 1, v }

/* The spellings of the modality column (inputs.md names the first of
 * each; the others are what EHR exports and people write). */
static const struct word modalities[] = {
	WORD("in_person", MODALITY_IN_PERSON),
	WORD("in-person", MODALITY_IN_PERSON),
	WORD("in person", MODALITY_IN_PERSON),
	WORD("office", MODALITY_IN_PERSON),
	WORD("telehealth", MODALITY_TELEHEALTH),
	WORD("video", MODALITY_TELEHEALTH),
	WORD("audio_video", MODALITY_TELEHEALTH),
	WORD("audio-video", MODALITY_TELEHEALTH),
	WORD("audio_only", MODALITY_AUDIO_ONLY),
	WORD("audio-only", MODALITY_AUDIO_ONLY),
	WORD("audio only", MODALITY_AUDIO_ONLY),
	WORD("phone", MODALITY_AUDIO_ONLY),
	WORD("telephone", MODALITY_AUDIO_ONLY),
};

static const struct word statuses[] = {
	WORD("paid", STATUS_PAID),
	WORD("denied", STATUS_DENIED),
	WORD("pending", STATUS_PENDING),
};

static int lookup(const struct word *w, size_t nw, const char *s, size_t n,
		  uint8_t *out)
{
	for (size_t i = 0; i < nw; i++)
		if (w[i].len == n && value_ascii_ieq(s, w[i].name, n)) {
			*out = w[i].value;
			return 0;
		}
	return -1;
}

int schema_modality(const char *s, size_t n, uint8_t *out)
{
	if (!n) {
		*out = MODALITY_UNKNOWN;
		return 0;
	}
	return lookup(modalities, sizeof modalities / sizeof modalities[0], s, n, out);
}

int schema_status(const char *s, size_t n, uint8_t *out)
{
	if (!n) {
		*out = STATUS_NONE;
		return 0;
	}
	return lookup(statuses, sizeof statuses / sizeof statuses[0], s, n, out);
}
