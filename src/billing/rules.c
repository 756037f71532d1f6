/* rules.c — the pre-submission rule table.
 *
 * The predicted codes follow ../shared/domain.md section 8.3 (and 4.2 for
 * the code texts): what a payer would most likely put on the remittance,
 * with a remark code where one fits.  docs/rules.md explains each choice.
 */
#include "billing/rules.h"

#include "core/value.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#define WHY(...) do { if (why) snprintf(why, whylen, __VA_ARGS__); } while (0)

static const char *payer_label(const struct payer *p)
{
	return p->id;
}

static bool is_telehealth(const struct line *ln)
{
	/* POS 02 and 10 are the telehealth places of service: a line that
	 * says so is telehealth even when the modality column is empty. */
	return ln->modality == MODALITY_TELEHEALTH ||
	       (ln->modality == MODALITY_UNKNOWN && (ln->pos == 2 || ln->pos == 10));
}

static bool check_unknown_payer(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (c->payer)
		return false;
	WHY("payer '%s' is not in payers.csv: the line cannot be priced or checked",
	    strpool_str(&c->roster->payers, c->line->payer));
	return true;
}

static bool check_no_rate(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer)
		return false;
	if (c->priced && (c->line->flags & LINE_ADDON_UNPRICED)) {
		WHY("no rate for add-on %s for %s on the date of service: the add-on "
		    "is not in the expected amount",
		    strpool_str(&c->roster->addons, c->line->addon),
		    payer_label(c->payer));
		return true;
	}
	if (c->priced)
		return false;
	WHY("no 90853 rate for %s in force on the date of service: add the period "
	    "to rates.csv or check the contract", payer_label(c->payer));
	return true;
}

/* The session-level tests, one copy each: the line checks below and
 * rules_session (the projection, the size analysis) both call them. */
static bool below_min_group(const struct payer *p, uint32_t size)
{
	return size < p->min_group;
}

static bool above_max_group(const struct payer *p, uint32_t size)
{
	return p->max_group && size > p->max_group;
}

static bool too_short(const struct payer *p, uint32_t minutes)
{
	return p->min_minutes && minutes && minutes < p->min_minutes;
}

static bool not_covered(const struct tele_policy *tp)
{
	return tp->rule == TELE_NOT_COVERED;
}

static bool check_min_group(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !below_min_group(c->payer, c->session->size))
		return false;
	WHY("group of %u is below %s's minimum of %u", c->session->size,
	    payer_label(c->payer), c->payer->min_group);
	return true;
}

static bool check_max_group(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !above_max_group(c->payer, c->session->size))
		return false;
	WHY("group of %u is above %s's maximum of %u", c->session->size,
	    payer_label(c->payer), c->payer->max_group);
	return true;
}

static bool check_min_minutes(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !too_short(c->payer, c->line->minutes))
		return false;
	WHY("session of %u minutes is shorter than %s's minimum of %u",
	    c->line->minutes, payer_label(c->payer), c->payer->min_minutes);
	return true;
}

static bool check_require_hq(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !c->payer->require_hq || (c->line->modifiers & MOD_HQ))
		return false;
	WHY("%s requires modifier HQ (group setting) and the line has none",
	    payer_label(c->payer));
	return true;
}

static bool tele_modifier(const struct rule_ctx *c, const struct tele_policy *tp,
			  bool applies, const char *mode, char *why, size_t whylen)
{
	if (!c->payer || !applies || tp->rule != TELE_MODIFIER)
		return false;
	uint16_t bit = roster_modifier_bit(tp->modifier, strlen(tp->modifier));
	if (c->line->modifiers & bit)
		return false;
	WHY("%s line without modifier %s, which %s requires", mode, tp->modifier,
	    payer_label(c->payer));
	return true;
}

static bool tele_not_covered(const struct rule_ctx *c, const struct tele_policy *tp,
			     bool applies, const char *mode, char *why,
			     size_t whylen)
{
	if (!c->payer || !applies || !not_covered(tp))
		return false;
	WHY("%s does not cover %s group psychotherapy", payer_label(c->payer), mode);
	return true;
}

static bool check_tele_modifier(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer)
		return false;
	return tele_modifier(c, &c->payer->telehealth, is_telehealth(c->line),
			     "telehealth (audio-video)", why, whylen);
}

static bool check_tele_not_covered(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer)
		return false;
	return tele_not_covered(c, &c->payer->telehealth,
				is_telehealth(c->line),
				"telehealth (audio-video)", why, whylen);
}

static bool check_audio_modifier(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer)
		return false;
	return tele_modifier(c, &c->payer->audio_only,
			     c->line->modality == MODALITY_AUDIO_ONLY,
			     "audio-only", why, whylen);
}

static bool check_audio_not_covered(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer)
		return false;
	return tele_not_covered(c, &c->payer->audio_only,
				c->line->modality == MODALITY_AUDIO_ONLY,
				"audio-only", why, whylen);
}

static const char *ordinal(uint32_t n)
{
	if (n % 100 >= 11 && n % 100 <= 13)
		return "th";
	return n % 10 == 1 ? "st" : n % 10 == 2 ? "nd" : n % 10 == 3 ? "rd" : "th";
}

static bool check_max_per_week(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !c->payer->max_per_week || c->week_rank <= c->payer->max_per_week)
		return false;
	char monday[16];
	value_format_date(c->session->date - value_weekday(c->session->date), monday);
	WHY("%u%s group session for this member in the week of Monday %s; %s "
	    "pays at most %u a week", c->week_rank, ordinal(c->week_rank), monday,
	    payer_label(c->payer), c->payer->max_per_week);
	return true;
}

static bool check_max_per_day(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !c->payer->max_per_day || c->day_rank <= c->payer->max_per_day)
		return false;
	char day[16];
	value_format_date(c->session->date, day);
	WHY("%u%s group session for this member on %s; %s pays at most %u a day",
	    c->day_rank, ordinal(c->day_rank), day, payer_label(c->payer),
	    c->payer->max_per_day);
	return true;
}

static bool check_credential(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || c->line->credential == NO_ID8)
		return false;
	const char *lic = strpool_str(&c->roster->credentials, c->line->credential);
	if (rates_credentialed(c->payer, lic))
		return false;
	WHY("%s does not credential %s clinicians for group psychotherapy",
	    payer_label(c->payer), lic);
	return true;
}

static bool check_diagnosis(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !c->payer->needs_diagnosis ||
	    (c->line->flags & LINE_HAS_DIAGNOSIS))
		return false;
	WHY("no diagnosis on file for this member");
	return true;
}

static bool check_note(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !c->payer->needs_note || (c->line->flags & LINE_HAS_NOTE))
		return false;
	WHY("no individualized progress note on file for this member and session");
	return true;
}

static bool check_auth(const struct rule_ctx *c, char *why, size_t whylen)
{
	if (!c->payer || !c->payer->needs_auth || (c->line->flags & LINE_HAS_AUTH))
		return false;
	WHY("%s requires a prior authorization and none is on file",
	    payer_label(c->payer));
	return true;
}

bool rules_not_psychotherapy(const char *group_type)
{
	/* Whole names only: "social anxiety" or "supportive psychotherapy"
	 * are psychotherapy; "support group" or "psychoeducation" are not
	 * (domain.md 3.1: education, socialisation and support groups without
	 * a psychotherapeutic process are not 90853). */
	static const char *const names[] = {
		"psychoeducation", "psychoeducational", "psycho-education",
		"education", "educational", "social", "socialization",
		"socialisation", "social group", "support", "support group",
		"peer support", "recreation", "recreational",
	};
	char buf[64];
	size_t n = 0;

	while (*group_type && isspace((unsigned char)*group_type))
		group_type++;
	for (; group_type[n] && n + 1 < sizeof buf; n++)
		buf[n] = (char)tolower((unsigned char)group_type[n]);
	while (n && isspace((unsigned char)buf[n - 1]))
		n--;
	buf[n] = '\0';
	if (strncmp(buf, "psychoeducation", 15) == 0 && !strstr(buf, "therapy"))
		return true;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcmp(buf, names[i]) == 0)
			return true;
	return false;
}

static bool check_not_psychotherapy(const struct rule_ctx *c, char *why,
				    size_t whylen)
{
	if (c->line->group_type == NO_ID8)
		return false;
	const char *t = strpool_str(&c->roster->group_types, c->line->group_type);
	if (c->not_psychotherapy ? !c->not_psychotherapy[c->line->group_type]
				 : !rules_not_psychotherapy(t))
		return false;
	WHY("group type '%s' is not psychotherapy: education, social and support "
	    "groups are not billable as 90853", t);
	return true;
}

const struct rule rules_table[RULE_COUNT] = {
	{ RULE_UNKNOWN_PAYER, "unknown_payer", "CO-109", NULL, "payer_id",
	  "payer not in the rate tables", 0, check_unknown_payer },
	{ RULE_NO_RATE, "no_rate", "CO-96", "N130", "rates.csv",
	  "no rate in force on the date of service", 0, check_no_rate },
	{ RULE_MIN_GROUP, "min_group", "CO-50", "N115", "min_group",
	  "group smaller than the payer's minimum", 0, check_min_group },
	{ RULE_MAX_GROUP, "max_group", "CO-50", "N115", "max_group",
	  "group larger than the payer's maximum", 0, check_max_group },
	{ RULE_MIN_MINUTES, "min_minutes", "CO-50", "N115", "min_minutes",
	  "session shorter than the payer's minimum", COL_MINUTES, check_min_minutes },
	{ RULE_REQUIRE_HQ, "require_hq", "CO-4", "N822", "require_hq",
	  "modifier HQ (group setting) missing", COL_MODIFIERS, check_require_hq },
	{ RULE_TELEHEALTH_MODIFIER, "telehealth_modifier", "CO-4", "N822",
	  "telehealth_modifier", "telehealth modifier missing",
	  COL_MODALITY | COL_MODIFIERS, check_tele_modifier },
	{ RULE_TELEHEALTH_NOT_COVERED, "telehealth_not_covered", "CO-96", "N130",
	  "telehealth_modifier", "payer does not cover telehealth groups",
	  COL_MODALITY, check_tele_not_covered },
	{ RULE_AUDIO_ONLY_MODIFIER, "audio_only_modifier", "CO-4", "N822",
	  "audio_only_modifier", "audio-only modifier missing",
	  COL_MODALITY | COL_MODIFIERS, check_audio_modifier },
	{ RULE_AUDIO_ONLY_NOT_COVERED, "audio_only_not_covered", "CO-96", "N130",
	  "audio_only_modifier", "payer does not cover audio-only groups",
	  COL_MODALITY, check_audio_not_covered },
	{ RULE_MAX_PER_WEEK, "max_per_week", "CO-119", "N640", "max_per_week",
	  "more sessions in one week than the payer pays", 0, check_max_per_week },
	{ RULE_MAX_PER_DAY, "max_per_day", "CO-151", "N362", "max_per_day",
	  "more than one group on the same day", 0, check_max_per_day },
	{ RULE_CREDENTIAL, "credential", "CO-185", "N95", "credentials",
	  "clinician's licence not credentialed by the payer", COL_CREDENTIAL,
	  check_credential },
	{ RULE_DIAGNOSIS, "diagnosis", "CO-16", "M76", "needs_diagnosis",
	  "no diagnosis for the member", COL_DIAGNOSIS, check_diagnosis },
	{ RULE_NOTE, "note", "CO-16", "M127", "needs_note",
	  "no individualized note for the member", COL_NOTE, check_note },
	{ RULE_AUTH, "auth", "CO-197", NULL, "needs_auth",
	  "prior authorization missing", COL_AUTH, check_auth },
	{ RULE_NOT_PSYCHOTHERAPY, "not_psychotherapy", "CO-96", "N657", "group_type",
	  "service is not psychotherapy", COL_GROUP_TYPE, check_not_psychotherapy },
};

const struct rule *rules_by_name(const char *name)
{
	for (int i = 0; i < RULE_COUNT; i++)
		if (strcmp(rules_table[i].name, name) == 0)
			return &rules_table[i];
	return NULL;
}

uint32_t rules_session(const struct payer *p, uint32_t size, uint32_t minutes,
		       enum modality m)
{
	uint32_t bits = 0;

	if (below_min_group(p, size))
		bits |= 1u << RULE_MIN_GROUP;
	if (above_max_group(p, size))
		bits |= 1u << RULE_MAX_GROUP;
	if (too_short(p, minutes))
		bits |= 1u << RULE_MIN_MINUTES;
	if (m == MODALITY_TELEHEALTH && not_covered(&p->telehealth))
		bits |= 1u << RULE_TELEHEALTH_NOT_COVERED;
	if (m == MODALITY_AUDIO_ONLY && not_covered(&p->audio_only))
		bits |= 1u << RULE_AUDIO_ONLY_NOT_COVERED;
	return bits;
}

uint32_t rules_run(const struct rule_ctx *c)
{
	uint32_t bits = 0;

	/* An unknown payer makes every payer rule moot: one finding says it. */
	if (!c->payer)
		return 1u << RULE_UNKNOWN_PAYER;
	for (int i = 0; i < RULE_COUNT; i++)
		if (rules_table[i].check(c, NULL, 0))
			bits |= 1u << i;
	return bits;
}

void rules_format_ids(uint32_t issues, char *buf, size_t size)
{
	size_t k = 0;

	if (size)
		buf[0] = '\0';
	/* Only the bits set (most lines have none): claims.csv asks per line. */
	for (uint32_t rest = issues & ((1u << RULE_COUNT) - 1); rest; rest &= rest - 1) {
		int i = __builtin_ctz(rest);
		size_t n = strlen(rules_table[i].name) + (k ? 1 : 0);
		if (k + n >= size)
			break;
		if (k)
			buf[k] = ';';
		memcpy(buf + k + (k ? 1 : 0), rules_table[i].name, n - (k ? 1 : 0));
		k += n;
		buf[k] = '\0';
	}
}
