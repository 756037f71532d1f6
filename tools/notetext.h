/* notetext.h — group psychotherapy progress notes for the generators
 * (tools/gensample.c: the demo practice's notes, the labelled set of
 * tests/notes/ and the benchmark's notes).
 *
 * A note is a group paragraph shared by the session (topic, interventions,
 * what the members did) and a member's own part: participation, response
 * and plan sentences drawn from phrase banks modelled on the examples of
 * ../shared/seeds/ 003 (the two sample addenda and the phrase list under
 * "Efficient Workflow"), so that individualized notes share phrases the
 * way phrase-bank notes do.  The defects the audit looks for are built
 * from these parts: thin notes, copies, clones with a few words changed,
 * a member's earlier part copied forward, a part without one element.
 *
 * Header-only (static functions), libc only, deterministic: the same
 * seed gives the same bytes.
 */
#ifndef GR_NOTETEXT_H
#define GR_NOTETEXT_H

#include <stdint.h>
#include <stdio.h>
#include <string.h>

struct nt_rng {
	uint64_t s;
};

static uint64_t nt_next(struct nt_rng *r)
{
	uint64_t z = (r->s += 0x9e3779b97f4a7c15ULL);
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

static int nt_pick(struct nt_rng *r, int n)
{
	return (int)((nt_next(r) >> 11) * 0x1.0p-53 * n);
}

static double nt_unif(struct nt_rng *r)
{
	return (double)(nt_next(r) >> 11) * 0x1.0p-53;
}

#define NT_PICK(r, a) (a)[nt_pick(r, (int)(sizeof(a) / sizeof((a)[0])))]

/* A text buffer; appends past the end are dropped. */
struct nt_buf {
	char s[8192];
	size_t n;
};

static void nt_clear(struct nt_buf *b)
{
	b->n = 0;
	b->s[0] = '\0';
}

static void nt_cat(struct nt_buf *b, const char *t)
{
	size_t k = strlen(t);
	if (b->n + k + 1 > sizeof b->s)
		k = sizeof b->s - b->n - 1;
	memcpy(b->s + b->n, t, k);
	b->n += k;
	b->s[b->n] = '\0';
}

/* Append TEMPLATE with {N} = the member's first name (or "Client"),
 * {P} = the pronoun (capitalised), {p} = lower case, {X} = SLOT. */
static void nt_fill(struct nt_buf *b, const char *tmpl, const char *name,
		    const char *pron, const char *slot)
{
	char cap[16];
	snprintf(cap, sizeof cap, "%s", pron);
	if (cap[0] >= 'a' && cap[0] <= 'z')
		cap[0] = (char)(cap[0] - 'a' + 'A');
	for (const char *p = tmpl; *p; p++) {
		if (p[0] == '{' && p[1] && p[2] == '}') {
			const char *s = p[1] == 'N' ? name : p[1] == 'P' ? cap
				      : p[1] == 'p' ? pron : slot ? slot : "";
			nt_cat(b, s);
			p += 2;
			continue;
		}
		char c[2] = { *p, 0 };
		nt_cat(b, c);
	}
}

/* ---- names ------------------------------------------------------------- */

static const char *const nt_first[] = {
	"Maria", "James", "Aisha", "Daniel", "Sofia", "Kevin", "Linh", "Marcus",
	"Priya", "Tyler", "Rosa", "Andre", "Mei", "Jordan", "Fatima", "Logan",
	"Grace", "Omar", "Hannah", "Luis", "Keisha", "Ethan", "Nadia", "Caleb",
	"Yuki", "Brandon", "Leah", "Mateo", "Chloe", "Darius", "Elena", "Noah",
	"Zoe", "Samuel", "Ines", "Trevor", "Amara", "Victor", "Paige", "Ravi",
};
static const char *const nt_last[] = {
	"Lopez", "Nguyen", "Smith", "Okafor", "Chen", "Garcia", "Patel", "Johnson",
	"Kim", "Brown", "Rivera", "Williams", "Haddad", "Martin", "Davis", "Silva",
	"Clark", "Ahmed", "Lewis", "Walker", "Young", "Torres", "Hall", "Reyes",
};
static const char *const nt_pronouns[] = { "she", "he", "they" };

/* A member's name and pronoun, fixed by KEY (a hash of the member id). */
static void nt_member(uint64_t key, const char **first, const char **last,
		      const char **pron)
{
	struct nt_rng r = { key ^ 0x6e616d65ULL };
	*first = NT_PICK(&r, nt_first);
	*last = NT_PICK(&r, nt_last);
	*pron = NT_PICK(&r, nt_pronouns);
}

static uint64_t nt_key(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* ---- the group paragraph ---------------------------------------------- */

enum nt_program { NT_DBT, NT_CBT, NT_RP, NT_ANX, NT_TRAUMA, NT_PSYED, NT_NPROG };

static int nt_program_of(const char *group_type)
{
	if (strstr(group_type, "DBT"))
		return NT_DBT;
	if (strstr(group_type, "CBT"))
		return NT_CBT;
	if (strstr(group_type, "relapse"))
		return NT_RP;
	if (strstr(group_type, "anxiety"))
		return NT_ANX;
	if (strstr(group_type, "trauma"))
		return NT_TRAUMA;
	return NT_PSYED;
}

static const char *const nt_topics[NT_NPROG][6] = {
	{ "distress tolerance skills, TIPP and self-soothing",
	  "emotion regulation and checking the facts", "interpersonal effectiveness "
	  "using DEAR MAN", "mindfulness of current emotion", "radical acceptance",
	  "opposite action for shame and avoidance" },
	{ "behavioral activation and activity scheduling", "identifying cognitive "
	  "distortions", "cognitive restructuring of self-critical thoughts",
	  "coping with depressive withdrawal", "problem solving on low-energy days",
	  "rumination and attention shifting" },
	{ "trigger identification and high-risk situations", "craving management "
	  "and urge surfing", "refusal skills", "building a sober support network",
	  "managing work stress without substances", "lapse versus relapse" },
	{ "coping with anticipatory anxiety and avoidance", "worry postponement",
	  "building an exposure hierarchy", "interoceptive exposure for panic",
	  "challenging catastrophic predictions", "safety behaviors and their cost" },
	{ "grounding skills for intrusive memories", "safety and stabilization",
	  "trauma-related guilt and shame", "sleep and nightmares after trauma",
	  "trust and boundaries in relationships", "window of tolerance" },
	{ "the stress response and sleep hygiene", "understanding medication "
	  "adherence", "communication skills in families", "recognizing early "
	  "warning signs", "healthy routines", "using community resources" },
};

static const char *const nt_interventions[] = {
	"a check-in on the week's skills practice", "psychoeducation on avoidance "
	"cycles", "guided peer feedback", "a brief mindfulness exercise",
	"CBT-based cognitive restructuring", "role-play of the skill in pairs",
	"a chain analysis of a recent problem behavior", "motivational interviewing "
	"strategies", "a grounding exercise", "a worksheet review",
	"process-oriented reflection", "skills coaching", "a values card sort",
	"a thought record completed together",
};

static const char *const nt_activities[] = {
	"practiced identifying one barrier and one coping response",
	"role-played the skill in pairs and gave each other feedback",
	"each named one high-risk situation anticipated this week",
	"completed a thought record on a recent stressful event",
	"shared examples from the past week and linked them to the skill",
	"rehearsed the skill and discussed where it would be hard to use",
};

static const char *const nt_group_tmpl[] = {
	"Group psychotherapy focused on {X}. Therapist facilitated ",
	"Group addressed {X}. Interventions included ",
	"Session topic: {X}. The therapist used ",
	"Today's group worked on {X}. Therapist provided ",
};

static void nt_group_paragraph(struct nt_rng *r, int program, struct nt_buf *b)
{
	const char *topic = nt_topics[program][nt_pick(r, 6)];
	int a = nt_pick(r, 14), c = nt_pick(r, 14), d = nt_pick(r, 14);
	while (c == a)
		c = nt_pick(r, 14);
	while (d == a || d == c)
		d = nt_pick(r, 14);
	nt_fill(b, NT_PICK(r, nt_group_tmpl), "", "", topic);
	nt_cat(b, nt_interventions[a]);
	nt_cat(b, ", ");
	nt_cat(b, nt_interventions[c]);
	nt_cat(b, " and ");
	nt_cat(b, nt_interventions[d]);
	nt_cat(b, ". Members ");
	nt_cat(b, NT_PICK(r, nt_activities));
	nt_cat(b, ". ");
}

/* ---- the member's own part ---------------------------------------------- */

static const char *const nt_particip[] = {
	"{N} arrived on time and participated {X}. ",
	"{N} was engaged, made eye contact, and offered supportive feedback to peers. ",
	"{N} contributed {X} during the discussion and remained attentive. ",
	"{N} was quiet for most of the session and needed redirection twice, but "
	"joined the role-play. ",
	"{N} shared an example about {X} with the group. ",
	"{N} listened attentively and volunteered to demonstrate the skill. ",
	"{N} participated in the pair exercise and asked peers for feedback. ",
	"{N} left the room briefly, returned, and engaged in the closing round. ",
	"{N} joined late, apologized, and participated {X} once settled. ",
	"{N} spoke up during check-in and described {X} in some detail. ",
	"{N} interacted with two peers during the pair work and stayed on task. ",
	"{N} was withdrawn at first, then contributed {X} after the break. ",
	"{N} took part in the exercise but kept answers short. ",
	"{N} challenged a peer's all-or-nothing statement respectfully. ",
	"{N} practiced the skill aloud {X} and accepted corrective feedback. ",
	"{N} disclosed a recent conflict and asked the group for ideas. ",
};
static const char *const nt_adverbs[] = {
	"actively", "intermittently", "with prompting", "throughout the session",
	"more than in earlier weeks", "cautiously",
};
static const char *const nt_counts[] = { "twice", "three times", "once",
					 "several times", "four times" };
static const char *const nt_contexts[] = {
	"a conflict with a roommate", "a difficult shift at work", "a visit with family",
	"a missed appointment", "a weekend alone", "a phone call with a parent",
	"a job interview", "a crowded bus ride", "a disagreement with a partner",
	"a court date", "a child's school meeting", "the anniversary of a loss",
	"a night without sleep", "an argument with a sibling", "a medical appointment",
	"a late rent payment", "a party where others were drinking",
};

static const char *const nt_response[] = {
	"{P} reported {X} this week and identified avoidance as a contributor. ",
	"{N} presented with {X} affect and described the week as difficult. ",
	"{P} endorsed self-critical thoughts and, with prompts, reframed one of them "
	"as {X}. ",
	"{N} demonstrated insight into {X} and reported a small improvement. ",
	"{P} stated the discussion increased willingness to {X}. ",
	"{N} appeared {X} when discussing the topic and acknowledged feeling stuck. ",
	"{P} identified a trigger chain linking {X} to urges to isolate. ",
	"{P} rated distress at 7/10 at check-in and 4/10 after {X}. ",
	"{P} described {X} and linked it to the skill practiced in group. ",
	"{N} expressed frustration about {X} but was able to name one coping step. ",
	"{P} recognized that {X} has kept the low mood going. ",
	"{P} reported using the skill once this week with partial success. ",
	"{N} became tearful when discussing {X} and accepted support from peers. ",
	"{P} noted fewer urges since the last session and credited {X}. ",
	"{N} minimized {X} at first, then acknowledged its effect on sleep. ",
	"{P} denied cravings this week and reported stable mood. ",
};
static const char *const nt_symptoms[] = {
	"increased cravings after work stress", "low mood and poor sleep",
	"two panic episodes at the grocery store", "intrusive memories at night",
	"urges to self-isolate", "irritability with family", "racing thoughts before bed",
	"less worry about money", "fewer nightmares", "skipping meals",
	"oversleeping on weekends", "a lapse on Saturday", "guilt after an argument",
	"more energy in the mornings", "tension headaches",
};
static const char *const nt_affects[] = { "constricted", "anxious", "tearful",
					  "bright", "flat", "guarded" };
static const char *const nt_reframes[] = {
	"a mistake rather than a failure", "one bad day, not a pattern",
	"something to practice rather than fix",
};
static const char *const nt_insights[] = {
	"how avoidance keeps the fear going", "the link between sleep and mood",
	"the pattern of saying yes to avoid conflict", "early signs of a lapse",
};
static const char *const nt_actions[] = {
	"complete one behavioral activation task", "try the skill at work",
	"call a support person before using", "stay through the exposure",
};
static const char *const nt_appear[] = { "tense", "calmer", "withdrawn",
					 "animated", "restless" };
static const char *const nt_exercises[] = { "the grounding exercise",
					    "paced breathing", "the body scan",
					    "the five senses exercise", "cold water and paced breathing",
					    "the urge surfing script", "a walk at lunch" };

static const char *const nt_plan[] = {
	"Plan: continue weekly group; practice {X} before next session. ",
	"{P} agreed to try {X} before the next group. ",
	"Will continue group and review {X} next week. ",
	"Homework: {X}. Next session will build on this skill. ",
	"Follow up with the individual therapist about sleep; continue group as "
	"scheduled. ",
	"{P} will call a sponsor when cravings rise and report back next week. ",
	"Treatment plan goal of reduced avoidance remains; {p} will practice {X}. ",
	"Next group: {p} will report on {X}. ",
	"Continue group; the individual therapist will be updated about {X}. ",
	"{P} will try {X} and bring the worksheet to the next session. ",
	"Plan is to repeat {X} on two days and rate distress before and after. ",
	"Goal for the week: {X}. Return to group next Tuesday. ",
	"{P} agreed to a referral for a medication review; continue weekly group. ",
};
static const char *const nt_homework[] = {
	"urge surfing twice a day", "one pleasant activity daily", "a daily thought "
	"record", "the exposure step agreed in group", "the DEAR MAN script with a "
	"coworker", "the grounding skill at bedtime", "a short walk each morning",
	"two entries in the mood log", "the second step of the hierarchy",
	"one call to a sober friend", "a sleep diary", "the self-soothe kit",
};

static const char *const nt_safety[] = {
	"No acute safety concerns observed during session. ",
	"{P} denied suicidal ideation, intent or plan. ",
	"Denied SI/HI; no safety concerns noted. ",
};

/* Which sentences a member part has. */
enum { NT_PARTICIPATION = 1, NT_RESPONSE = 2, NT_PLAN = 4, NT_ALL = 7 };

static const char *nt_slot_particip(struct nt_rng *r, int t)
{
	switch (t) {
	case 0: case 8: return NT_PICK(r, nt_adverbs);
	case 2: return NT_PICK(r, nt_counts);
	case 4: case 9: return NT_PICK(r, nt_contexts);
	case 11: case 14: return NT_PICK(r, nt_counts);
	default: return NULL;
	}
}

static const char *nt_slot_response(struct nt_rng *r, int t)
{
	switch (t) {
	case 0: case 6: return NT_PICK(r, nt_symptoms);
	case 1: return NT_PICK(r, nt_affects);
	case 2: return NT_PICK(r, nt_reframes);
	case 3: return NT_PICK(r, nt_insights);
	case 4: return NT_PICK(r, nt_actions);
	case 5: return NT_PICK(r, nt_appear);
	case 7: case 13: return NT_PICK(r, nt_exercises);
	case 8: case 9: case 12: case 14: return NT_PICK(r, nt_contexts);
	case 10: return NT_PICK(r, nt_insights);
	default: return NULL;
	}
}

/* The member's own part with the sentences of ELEMENTS; NAME is how the
 * note names the member (first name, "Client" or "Member"). */
static void nt_member_part(struct nt_rng *r, const char *name, const char *pron,
			   unsigned elements, struct nt_buf *b)
{
	if (elements & NT_PARTICIPATION) {
		int t = nt_pick(r, (int)(sizeof nt_particip / sizeof nt_particip[0]));
		nt_fill(b, nt_particip[t], name, pron, nt_slot_particip(r, t));
	}
	if (elements & NT_RESPONSE) {
		int n = 1 + (nt_unif(r) < 0.5);
		int t0 = -1;
		for (int k = 0; k < n; k++) {
			int t = nt_pick(r, (int)(sizeof nt_response / sizeof nt_response[0]));
			if (t == t0)
				continue;
			t0 = t;
			nt_fill(b, nt_response[t], name, pron, nt_slot_response(r, t));
		}
	}
	if (nt_unif(r) < 0.4)
		nt_fill(b, NT_PICK(r, nt_safety), name, pron, NULL);
	if (elements & NT_PLAN)
		nt_fill(b, NT_PICK(r, nt_plan), name, pron, NT_PICK(r, nt_homework));
}

/* Very short but complete: 15 to 22 words with all three elements. */
static const char *const nt_short[] = {
	"{N} participated actively, reported {X} this week, and will practice paced "
	"breathing daily before next session. ",
	"{N} engaged in the role-play, identified {X} as a trigger, and agreed to "
	"call a support person before the next group. ",
	"{N} shared a recent setback, stated that {X} was improving, and plans to "
	"complete one pleasant activity daily until next week. ",
	"{N} contributed twice, reported {X} since last week, and will use urge "
	"surfing at work; continue weekly group. ",
};
static const char *const nt_short_slot[] = {
	"less worry about work", "better sleep", "a calmer weekend", "fewer cravings",
	"more energy", "a hard week at home", "two good days", "less tension",
	"a fight with a friend", "the drive to work", "sleep", "mood", "appetite",
};

/* Thin: attendance, not psychotherapy (seeds 003: "client attended group
 * and was appropriate"). */
static const char *const nt_thin[] = {
	"{N} attended group and was appropriate. ",
	"Client attended and participated in group. ",
	"{N} was present for the full session. ",
	"Member attended group. Tolerated session well. ",
	"{N} participated in group discussion. Continue plan. ",
	"Attended. No concerns. ",
};

/* A clinician's light edit of a copied part: change one to three details
 * (a word from the table to its alternative), or add a word when none is
 * there. */
static const char *const nt_swaps[][2] = {
	{ "actively", "intermittently" }, { "twice", "three times" },
	{ "low", "flat" }, { "work", "home" }, { "poor", "restless" },
	{ "anxious", "guarded" }, { "tearful", "flat" }, { "small", "modest" },
	{ "difficult", "hard" }, { "daily", "nightly" }, { "bus", "train" },
	{ "roommate", "neighbor" }, { "family", "friends" }, { "7/10", "6/10" },
	{ "4/10", "3/10" }, { "stuck", "discouraged" }, { "once", "twice" },
};

/* Copy SRC into DST of SIZE bytes, cut to fit. */
static void nt_copy(char *dst, size_t size, const char *src)
{
	size_t k = strlen(src);
	if (k >= size)
		k = size - 1;
	memcpy(dst, src, k);
	dst[k] = '\0';
}

static void nt_edit(struct nt_rng *r, const char *src, int edits, struct nt_buf *b)
{
	struct nt_buf t, o;
	int done = 0;
	nt_clear(&t);
	nt_cat(&t, src);
	for (int e = 0; e < edits; e++) {
		int start = nt_pick(r, (int)(sizeof nt_swaps / sizeof nt_swaps[0]));
		for (size_t k = 0; k < sizeof nt_swaps / sizeof nt_swaps[0]; k++) {
			size_t s = ((size_t)start + k) % (sizeof nt_swaps / sizeof nt_swaps[0]);
			char *at = strstr(t.s, nt_swaps[s][0]);
			size_t ol = strlen(nt_swaps[s][0]);
			if (!at || (at > t.s && at[-1] != ' ') ||
			    (at[ol] != ' ' && at[ol] != ',' && at[ol] != '.' && at[ol] != ';'))
				continue;
			nt_clear(&o);
			*at = '\0';
			nt_cat(&o, t.s);
			nt_cat(&o, nt_swaps[s][1]);
			nt_cat(&o, at + ol);
			t = o;
			done++;
			break;
		}
	}
	if (!done) {
		/* Nothing to swap: the clinician adds a word after the first. */
		char *sp = strchr(t.s, ' ');
		nt_clear(&o);
		if (sp) {
			*sp = '\0';
			nt_cat(&o, t.s);
			nt_cat(&o, " today ");
			nt_cat(&o, sp + 1);
		} else {
			nt_cat(&o, t.s);
			nt_cat(&o, " today");
		}
		t = o;
	}
	nt_cat(b, t.s);
}

/* A CSV field, quoted (notes hold commas and may hold quotes). */
static void nt_csv(FILE *f, const char *s)
{
	fputc('"', f);
	for (; *s; s++) {
		if (*s == '"')
			fputc('"', f);
		fputc(*s, f);
	}
	fputc('"', f);
}

#endif
