/* guess.c — a proposed column map from an export's header and first rows
 * (guess.h). */
#include "model/guess.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/value.h"
#include "io/load.h"
#include "io/recode.h"
#include "model/export.h"
#include "model/schema.h"

/* Header names EHR exports use for each grouprev column, written as
 * normalize() leaves them (lower case, words separated by one space).
 * A header equal to one of them is a strong match; KEY words are weaker
 * ones a header may merely contain. */
struct names {
	int col;
	const char *exact[14];
	const char *key[4];
};

static const struct names names[] = {
	{ ATT_SESSION, { "session id", "session", "group session id", "session number" }, { 0 } },
	{ ATT_DATE, { "date of service", "service date", "dos", "date", "appointment date",
		      "appt date", "session date", "date of service dos", "visit date" },
	  { "date" } },
	{ MAP_START, { "start time", "start", "time", "appointment time", "appt time",
		       "begin", "begin time", "session time" }, { "time" } },
	{ ATT_MEMBER, { "client id", "patient id", "member id", "client number",
			"patient number", "mrn", "chart number", "chart", "account number",
			"pid", "client", "patient", "member" }, { "client", "patient" } },
	{ ATT_CLINICIAN, { "clinician", "therapist", "provider", "rendering provider",
			   "counselor", "counsellor", "staff", "clinician name",
			   "provider name", "practitioner", "staff member" },
	  { "clinician", "therapist", "provider" } },
	{ ATT_PAYER, { "primary insurance", "insurance", "payer", "primary payer",
		       "insurance company", "plan", "carrier", "insurance name", "payor",
		       "insurance plan" }, { "insurance", "payer", "payor" } },
	{ ATT_GROUP, { "group name", "group", "program", "group id", "group program",
		       "program name" }, { "group" } },
	{ ATT_GROUP_TYPE, { "group type", "program type" }, { 0 } },
	{ MAP_CODE, { "cpt", "cpt code", "service code", "procedure code", "procedure",
		      "billing code", "code", "service", "hcpcs" }, { "cpt" } },
	{ ATT_ATTENDED, { "status", "attendance", "appointment status", "appt status",
			  "attended", "attendance status", "show status" },
	  { "attendance" } },
	{ ATT_MINUTES, { "duration", "minutes", "length", "duration min", "session length" },
	  { "duration", "minutes" } },
	{ ATT_MODALITY, { "location", "modality", "visit type", "telehealth", "session type",
			  "setting" }, { 0 } },
	{ ATT_POS, { "pos", "place of service", "pos code", "place of service code" }, { 0 } },
	{ ATT_DIAGNOSIS, { "diagnosis", "dx", "icd", "icd 10", "diagnosis code",
			   "diagnosis codes", "primary diagnosis" }, { "diagnosis" } },
	{ ATT_MODIFIERS, { "modifier", "modifiers", "mod", "cpt modifiers" }, { "modifier" } },
	{ ATT_CREDENTIAL, { "credential", "credentials", "license", "licence",
			    "clinician credential", "degree" }, { "credential" } },
	{ ATT_AUTH, { "authorization", "auth", "prior auth", "authorization number",
		      "auth number", "prior authorization", "auth id" }, { "authorization" } },
	{ ATT_NOTE, { "note", "progress note", "note status", "documentation",
		      "note signed" }, { 0 } },
	{ ATT_STATUS, { "claim status", "insurance status", "billing status" }, { 0 } },
	{ ATT_PAID, { "insurance paid", "paid", "payer paid", "ins paid", "amount paid" }, { 0 } },
	{ ATT_CARC, { "carc", "denial code", "denial reason", "adjustment reason",
		      "reason code" }, { 0 } },
	{ ATT_ADDON, { "add on", "addon", "add on code" }, { 0 } },
};
#define NNAMES (sizeof names / sizeof names[0])

/* Lower case; every run of characters that are not letters or digits is
 * one space; no space at the ends ("Date of Service (DOS)" -> "date of
 * service dos"). */
static void normalize(const char *s, char *out, size_t size)
{
	size_t k = 0;
	bool space = false;

	for (; *s && k + 2 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (g_ascii_isalnum(c) || c >= 0x80) {
			if (space && k)
				out[k++] = ' ';
			space = false;
			out[k++] = (char)g_ascii_tolower((char)c);
		} else {
			space = true;
		}
	}
	out[k] = '\0';
}

struct col {
	const char *header;   /* as written */
	char norm[128];
	const char **v;       /* values of the first rows */
	size_t nv;
	int taken;            /* grouprev column, or -1 */
	const char *why;      /* the reason, for the comment */
};

struct sample {
	struct col *cols;
	size_t ncols;
	size_t rows, cap;   /* rows sampled; room for at most cap */
	bool full;
	struct arena *a;
};

static int on_row(void *ctx, const struct load_row *row, struct gr_err *err)
{
	struct sample *s = ctx;

	if (s->rows == s->cap) {
		s->full = true;
		return gr_fail(err, NULL, 0, "enough rows");
	}
	for (size_t k = 0; k < s->ncols; k++) {
		const char *v = row->v[k];
		size_t n = row->len[k];
		export_clean_cell(&v, &n); /* as the map will read it */
		if (!(s->cols[k].v[s->rows] = arena_strndup(s->a, v, n)))
			return gr_fail(err, NULL, 0, "out of memory");
		s->cols[k].nv = s->rows + 1;
	}
	s->rows++;
	return 0;
}

static int on_reject(void *ctx, size_t line, const char *reason)
{
	(void)ctx;
	(void)line;
	(void)reason;
	return 0;
}

/* ---- value shapes ------------------------------------------------------- */

static size_t nonempty(const struct col *c)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nv; i++)
		n += c->v[i][0] != '\0';
	return n;
}

static size_t count_dates(const struct col *c, enum date_fmt f)
{
	size_t n = 0;
	int32_t d;
	for (size_t i = 0; i < c->nv; i++)
		n += c->v[i][0] && export_date(f, c->v[i], &d) == NULL;
	return n;
}

/* Values of C that read as times; *AMPM of them with AM or PM. */
static size_t count_times(const struct col *c, size_t *ampm)
{
	size_t n = 0;
	int m;
	*ampm = 0;
	for (size_t i = 0; i < c->nv; i++)
		if (c->v[i][0] && export_time(TF_ANY, c->v[i], &m) == NULL) {
			n++;
			*ampm += strpbrk(c->v[i], "AaPp") != NULL;
		}
	return n;
}

static bool is_code(const char *s)
{
	size_t n = strlen(s);
	if (n != 5)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!g_ascii_isalnum(s[i]))
			return false;
	return g_ascii_isdigit(s[1]) && g_ascii_isdigit(s[4]);
}

static size_t count_codes(const struct col *c, size_t *group)
{
	size_t n = 0;
	*group = 0;
	for (size_t i = 0; i < c->nv; i++)
		if (is_code(c->v[i])) {
			n++;
			*group += !strcmp(c->v[i], "90853");
		}
	return n;
}

static size_t count_ints(const struct col *c)
{
	size_t n = 0;
	uint64_t u;
	for (size_t i = 0; i < c->nv; i++)
		n += c->v[i][0] && value_uint(c->v[i], 1440, &u) == NULL && u > 0;
	return n;
}

/* The distinct values of C, first seen first (at most MAX). */
static size_t distinct(const struct col *c, const char **out, size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < c->nv; i++) {
		if (!c->v[i][0])
			continue;
		size_t k;
		for (k = 0; k < n; k++)
			if (!g_ascii_strcasecmp(out[k], c->v[i]))
				break;
		if (k == n) {
			if (n == max)
				return max + 1;
			out[n++] = c->v[i];
		}
	}
	return n;
}

/* Attendance words: what each most likely means. */
static const char *attendance_word(const char *w)
{
	static const char *const yes[] = { "show", "shown", "showed", "attended", "present",
					   "arrived", "kept", "completed", "checked out",
					   "checked in", "seen", "y", "yes", "true", "1" };
	static const char *const no[] = { "no show", "noshow", "cancelled", "canceled",
					  "late cancel", "late cancelled", "late canceled",
					  "late cancellation", "cancellation", "absent",
					  "missed", "excused", "rescheduled", "n", "no",
					  "false", "0", "did not attend", "dna" };
	char n[64];
	normalize(w, n, sizeof n);
	for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
		if (!strcmp(n, yes[i]))
			return "Y";
	for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
		if (!strcmp(n, no[i]))
			return "N";
	return NULL;
}

static const char *modality_word(const char *w)
{
	char n[64];
	normalize(w, n, sizeof n);
	if (strstr(n, "video") || strstr(n, "tele") || strstr(n, "virtual") ||
	    strstr(n, "zoom") || strstr(n, "online"))
		return "telehealth";
	if (strstr(n, "phone") || strstr(n, "audio"))
		return "audio_only";
	if (strstr(n, "office") || strstr(n, "clinic") || strstr(n, "in person") ||
	    strstr(n, "onsite"))
		return "in_person";
	return NULL;
}

static const char *status_word(const char *w)
{
	char n[64];
	normalize(w, n, sizeof n);
	if (strstr(n, "denied") || strstr(n, "rejected"))
		return "denied";
	if (strstr(n, "paid") || !strcmp(n, "closed"))
		return "paid";
	if (strstr(n, "submitted") || strstr(n, "billed") || strstr(n, "pending") ||
	    strstr(n, "sent") || strstr(n, "open"))
		return "pending";
	return NULL;
}

static const char *note_word(const char *w)
{
	bool b;
	char n[64];
	if (!value_bool(w, &b))
		return b ? "Y" : "N";
	normalize(w, n, sizeof n);
	if (!strncmp(n, "not ", 4) || !strncmp(n, "no ", 3) || strstr(n, "unsigned") ||
	    strstr(n, "missing") || strstr(n, "draft") ||
	    strstr(n, "incomplete") || strstr(n, "none"))
		return "N";
	if (strstr(n, "signed") || strstr(n, "complete") || strstr(n, "locked") ||
	    strstr(n, "done"))
		return "Y";
	return NULL;
}

/* ---- choosing ----------------------------------------------------------- */

/* How well header C names grouprev column NAMES->col: 3 exact, 1 a key
 * word, 0 not at all. */
static int name_score(const struct names *nm, const struct col *c)
{
	for (size_t i = 0; i < sizeof nm->exact / sizeof nm->exact[0] && nm->exact[i]; i++)
		if (!strcmp(c->norm, nm->exact[i]))
			return 3;
	for (size_t i = 0; i < sizeof nm->key / sizeof nm->key[0] && nm->key[i]; i++)
		if (strstr(c->norm, nm->key[i]))
			return 1;
	return 0;
}

/* Whether C's values fit grouprev column COL, with the reason in WHY. */
static bool values_fit(int col, const struct col *c, char *why, size_t n)
{
	size_t ne = nonempty(c);
	if (!ne) {
		snprintf(why, n, "its first rows are empty");
		return col != ATT_DATE && col != MAP_START && col != MAP_CODE &&
		       col != ATT_ATTENDED;
	}
	switch (col) {
	case ATT_DATE: {
		size_t best = 0;
		for (int f = DF_MDY; f <= DF_YMD_SLASH; f++) {
			size_t k = count_dates(c, (enum date_fmt)f);
			best = k > best ? k : best;
		}
		snprintf(why, n, "%zu of %zu values read as dates", best, ne);
		return best * 10 >= ne * 9;
	}
	case MAP_START: {
		size_t ampm, k = count_times(c, &ampm);
		snprintf(why, n, "%zu of %zu values read as times of day", k, ne);
		return k * 10 >= ne * 9;
	}
	case MAP_CODE: {
		size_t g, k = count_codes(c, &g);
		snprintf(why, n, "%zu of %zu values are CPT codes, %zu of them 90853", k, ne, g);
		return k * 10 >= ne * 9 && g;
	}
	case ATT_MINUTES: {
		size_t k = count_ints(c);
		snprintf(why, n, "%zu of %zu values are minutes", k, ne);
		return k * 10 >= ne * 9;
	}
	case ATT_ATTENDED: {
		const char *d[16];
		size_t nd = distinct(c, d, 15), known = 0;
		if (nd > 15) {
			snprintf(why, n, "more than 15 different values: not attendance words");
			return false;
		}
		for (size_t i = 0; i < nd; i++)
			known += attendance_word(d[i]) != NULL;
		snprintf(why, n, "%zu different words, %zu of them attendance words", nd, known);
		return known > 0;
	}
	default:
		snprintf(why, n, "%zu of its first %zu values are filled", ne, c->nv);
		return true;
	}
}

/* ---- writing the map ---------------------------------------------------- */

/* Text from the export, for a comment line: control characters (a line
 * break inside a quoted header) become spaces. */
static const char *flat(struct arena *a, const char *s)
{
	char *t = arena_strdup(a, s);
	for (char *p = t; p && *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			*p = ' ';
	return t ? t : "?";
}

/* A value as GKeyFile reads it back (g_key_file_get_string's escapes). */
static const char *escaped(struct arena *a, const char *s)
{
	GString *g = g_string_new(NULL);
	for (const char *p = s; *p; p++) {
		if (*p == '\\')
			g_string_append(g, "\\\\");
		else if (*p == '\n')
			g_string_append(g, "\\n");
		else if (*p == '\r')
			g_string_append(g, "\\r");
		else if (*p == '\t')
			g_string_append(g, "\\t");
		else if (*p == ' ' && p == s)
			g_string_append(g, "\\s");
		else
			g_string_append_c(g, *p);
	}
	char *t = arena_strdup(a, g->str);
	g_string_free(g, TRUE);
	return t ? t : "?";
}

/* Whether W can be a key of a key file as it is: keys have no escapes,
 * end at the first '=', and '[' ']' would be a locale suffix. */
static bool keyable(const char *w)
{
	if (!*w || *w == '#' || *w == ' ' || w[strlen(w) - 1] == ' ')
		return false;
	for (const char *p = w; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f || strchr("=[]", *p))
			return false;
	return true;
}

static void words_group(GString *o, struct arena *a, const char *name,
			const struct col *c, const char *(*meaning)(const char *),
			const char *choices,
			int (*known)(const char *s, size_t n, uint8_t *out))
{
	const char *d[64];
	size_t nd = distinct(c, d, 63);
	bool header = false;

	if (nd > 63)
		nd = 63;
	for (size_t i = 0; i < nd; i++) {
		uint8_t u;
		bool b;
		if (known ? known(d[i], strlen(d[i]), &u) == 0
			  : value_bool(d[i], &b) == NULL)
			continue; /* already a word grouprev reads */
		if (!header) {
			g_string_append_printf(o, "\n[values %s]\n# the words of '%s' in the "
					       "first rows; grouprev's are %s\n", name,
					       flat(a, c->header), choices);
			header = true;
		}
		const char *m = meaning(d[i]);
		if (!keyable(d[i]))
			g_string_append_printf(o, "# '%s' cannot be a key of a map (it has "
					       "'=', '[', ']' or a line break): rows with it "
					       "are rejected\n", flat(a, d[i]));
		else if (m)
			g_string_append_printf(o, "%s = %s\n", d[i], m);
		else
			g_string_append_printf(o, "# %s = ?   (not a word the guess knows: "
					       "decide, and remove the '#')\n", d[i]);
	}
}

/* A payer name from the export: the payer of RATES whose name starts with
 * it (one only), or NULL. */
static const char *payer_for(const struct rates *rt, const char *v, const char **name)
{
	char nv[128], np[256];
	const char *hit = NULL;
	int hits = 0;

	normalize(v, nv, sizeof nv);
	for (uint32_t i = 0; rt && i < rt->npayers; i++) {
		normalize(rt->payers[i].name, np, sizeof np);
		size_t n = strlen(nv);
		if (n && !strncmp(np, nv, n) && (np[n] == '\0' || np[n] == ' ')) {
			hit = rt->payers[i].id;
			*name = rt->payers[i].name;
			hits++;
		}
	}
	return hits == 1 ? hit : NULL;
}

static void payer_group(GString *o, struct arena *a, const struct col *c,
			const struct rates *rt)
{
	const char *d[64];
	size_t nd = distinct(c, d, 63);
	bool header = false;

	if (nd > 63)
		nd = 63;
	for (size_t i = 0; i < nd; i++) {
		if (rt && rates_find_payer(rt, d[i]) >= 0)
			continue; /* already a payer id */
		if (!header) {
			g_string_append_printf(o, "\n[values payer_id]\n# the payers of '%s' "
					       "in the first rows, as payer ids of the rate "
					       "tables (", flat(a, c->header));
			for (uint32_t k = 0; rt && k < rt->npayers; k++)
				g_string_append_printf(o, "%s%s", k ? ", " : "", rt->payers[k].id);
			g_string_append(o, ")\n");
			header = true;
		}
		const char *name = NULL, *id = payer_for(rt, d[i], &name);
		if (!keyable(d[i]))
			g_string_append_printf(o, "# '%s' cannot be a key of a map: its rows "
					       "keep it as the payer id\n", flat(a, d[i]));
		else if (id)
			g_string_append_printf(o, "# '%s' begins the rate tables' name '%s': "
					       "check\n%s = %s\n", d[i], name, d[i], id);
		else
			g_string_append_printf(o, "# %s = ?   (which payer_id?  remove the '#')\n",
					       d[i]);
	}
}

static void write_map(GString *o, const char *path, struct sample *s,
		      const struct col *by[MAP_NCOLS], const char *encoding,
		      size_t enc_line, char delim, const struct rates *rt)
{
	g_string_append_printf(o, "# Column map proposed by `grouprev map --guess %s`\n"
			       "# from its header and first %zu rows.  Check every line, "
			       "fill in each '?', then\n#   grouprev report %s --map THIS-FILE\n"
			       "# (docs/exports.md).\n", flat(s->a, path), s->rows,
			       flat(s->a, path));
	g_string_append(o, "\n[file]\n");
	if (encoding)
		g_string_append_printf(o, "# line %zu is not UTF-8; its bytes read as %s\n"
				       "encoding = %s\n", enc_line, encoding, encoding);
	if (delim != ',')
		g_string_append_printf(o, "# the header line is separated by '%s'\n"
				       "delimiter = %s\n", delim == '\t' ? "tab" : (char[]){ delim, 0 },
				       delim == '\t' ? "tab" : (char[]){ delim, 0 });
	if (by[ATT_DATE]) {
		const struct col *c = by[ATT_DATE];
		size_t ne = nonempty(c), best = 0;
		int bf = DF_ANY;
		static const int order[] = { DF_MDY, DF_YMD, DF_DMY, DF_YMD_SLASH };
		static const char *const fname[] = { [DF_MDY] = "MM/DD/YYYY",
						     [DF_YMD] = "YYYY-MM-DD",
						     [DF_DMY] = "DD/MM/YYYY",
						     [DF_YMD_SLASH] = "YYYY/MM/DD" };
		for (size_t i = 0; i < 4; i++) {
			size_t k = count_dates(c, (enum date_fmt)order[i]);
			if (k > best) {
				best = k;
				bf = order[i];
			}
		}
		if (bf != DF_ANY) {
			g_string_append_printf(o, "# %zu of %zu dates of '%s' read as %s", best,
					       ne, flat(s->a, c->header), fname[bf]);
			if (bf == DF_MDY && count_dates(c, DF_DMY) == best)
				g_string_append(o, " (and as DD/MM/YYYY too: check the "
						"export's setting)");
			g_string_append_printf(o, "\ndate_format = %s\n", fname[bf]);
		}
	}
	if (by[MAP_START]) {
		size_t ampm, n = count_times(by[MAP_START], &ampm);
		if (ampm == n || !ampm)
			g_string_append_printf(o, "# the times of '%s' %s AM/PM\n"
					       "time_format = %s\n", flat(s->a, by[MAP_START]->header),
					       ampm ? "have" : "have no",
					       ampm ? "h:mm AM" : "HH:MM");
		else
			g_string_append_printf(o, "# %zu of the %zu times of '%s' have AM/PM, "
					       "the others not: no time_format, so both are "
					       "read\n", ampm, n, flat(s->a, by[MAP_START]->header));
	}

	g_string_append(o, "\n[columns]\n");
	for (int k = 0; k < MAP_NCOLS; k++) {
		const struct col *c = by[k];
		const char *name = schema_columns[k].name;
		if (c) {
			g_string_append_printf(o, "# %s: %s\n%s = %s\n", flat(s->a, c->header),
					       c->why, name, escaped(s->a, c->header));
			continue;
		}
		if (k == ATT_SESSION)
			g_string_append(o, "# no session id: each session is the rows of one "
					"date, start, clinician and group\n");
		else if (schema_columns[k].required)
			g_string_append_printf(o, "# %s = ?   no header looks like it: name "
					       "the export's column and remove the '#'\n", name);
	}
	if (by[MAP_CODE]) {
		const char *d[32];
		size_t nd = distinct(by[MAP_CODE], d, 31);
		g_string_append(o, "# codes in the first rows:");
		for (size_t i = 0; i < nd && i < 31; i++) {
			size_t n = 0;
			for (size_t r = 0; r < by[MAP_CODE]->nv; r++)
				n += !strcmp(by[MAP_CODE]->v[r], d[i]);
			g_string_append_printf(o, "%s %s (%zu)", i ? "," : "", flat(s->a, d[i]), n);
		}
		g_string_append(o, "\n# 90853 rows are attendance lines, 90785 (and the rate "
				"tables' other codes) add-ons,\n# every other code is skipped "
				"and counted\n");
	}
	if (by[ATT_ATTENDED])
		words_group(o, s->a, "attended", by[ATT_ATTENDED], attendance_word, "Y and N", NULL);
	if (by[ATT_MODALITY])
		words_group(o, s->a, "modality", by[ATT_MODALITY], modality_word,
			    SCHEMA_MODALITY_WORDS, schema_modality);
	if (by[ATT_STATUS])
		words_group(o, s->a, "status", by[ATT_STATUS], status_word, SCHEMA_STATUS_WORDS,
			    schema_status);
	if (by[ATT_NOTE])
		words_group(o, s->a, "note", by[ATT_NOTE], note_word, "Y and N", NULL);
	if (by[ATT_PAYER])
		payer_group(o, s->a, by[ATT_PAYER], rt);
}

static int guess_converted(const char *path, struct recoded *rc, const char *encoding,
			   const struct rates *rt, char **out, struct gr_err *err)
{
	/* The separator: the one the header line uses most, outside quotes. */
	static const char seps[] = ",;\t|";
	size_t cnt[4] = { 0 };
	bool q = false;
	for (size_t i = 0; i < rc->len && rc->buf[i] != '\n'; i++) {
		char ch = rc->buf[i];
		if (ch == '"')
			q = !q;
		for (int k = 0; k < 4 && !q; k++)
			cnt[k] += ch == seps[k];
	}
	int best = 0;
	for (int k = 1; k < 4; k++)
		if (cnt[k] > cnt[best])
			best = k;
	char delim = seps[best];
	recode_unguard(rc->buf, &rc->len, delim);

	char **hdr = NULL;
	size_t nh = 0;
	struct load_spec hs = { .path = path, .delim = delim };
	if (load_csv_header(&hs, rc->buf, rc->len, true, &hdr, &nh, err) != 0)
		return -1;

	struct arena a;
	arena_init(&a);
	int ret = -1;
	struct sample s = { NULL, nh, 0, 0, false, &a };
	struct load_col *lc = arena_alloc(&a, (nh + 1) * sizeof *lc);
	s.cols = arena_alloc(&a, (nh + 1) * sizeof *s.cols);
	if (!lc || !s.cols) {
		gr_fail(err, path, 0, "out of memory");
		goto out;
	}
	/* Room for the rows there can be: no more than the lines. */
	size_t cap = 1;
	for (size_t i = 0; i < rc->len && cap < GUESS_ROWS; i++)
		cap += rc->buf[i] == '\n';
	s.cap = cap;
	for (size_t k = 0; k < nh; k++) {
		struct col *c = &s.cols[k];
		c->header = arena_strdup(&a, hdr[k]);
		c->v = arena_alloc(&a, cap * sizeof *c->v);
		c->taken = -1;
		if (!c->header || !c->v) {
			gr_fail(err, path, 0, "out of memory");
			goto out;
		}
		normalize(hdr[k], c->norm, sizeof c->norm);
		/* The loader matches lower-case names; a name seen before
		 * (a header given twice) is not read again. */
		char *low = g_ascii_strdown(hdr[k], -1);
		bool dup = false;
		for (size_t j = 0; j < k; j++)
			if (!g_ascii_strcasecmp(hdr[j], hdr[k]))
				dup = true;
		lc[k] = (struct load_col){ dup || !*low ? "NOT READ" : arena_strdup(&a, low),
					   false };
		g_free(low);
		if (!lc[k].name) {
			gr_fail(err, path, 0, "out of memory");
			goto out;
		}
	}
	struct load_spec spec = { .path = path, .cols = lc, .ncols = nh, .row = on_row,
				  .reject = on_reject, .ctx = &s, .delim = delim };
	struct load_stats st;
	if (load_csv_buffer(&spec, rc->buf, rc->len, &st, err) != 0 && !s.full)
		goto out;
	memset(err, 0, sizeof *err);

	/* Name matches first, best first; then value shapes for the columns
	 * grouprev needs most that no header named. */
	const struct col *by[MAP_NCOLS] = { NULL };
	char why[256];
	for (int score = 3; score >= 1; score -= 2)
		for (size_t i = 0; i < NNAMES; i++) {
			int col = names[i].col;
			if (by[col])
				continue;
			for (size_t k = 0; k < nh; k++) {
				struct col *c = &s.cols[k];
				if (c->taken >= 0 || name_score(&names[i], c) != score ||
				    !values_fit(col, c, why, sizeof why))
					continue;
				c->taken = col;
				c->why = arena_printf(&a, "%s header; %s",
						      score == 3 ? "a usual" : "a likely", why);
				by[col] = c;
				break;
			}
		}
	static const int by_shape[] = { ATT_DATE, MAP_START, MAP_CODE, ATT_ATTENDED };
	for (size_t i = 0; i < sizeof by_shape / sizeof by_shape[0]; i++) {
		int col = by_shape[i];
		for (size_t k = 0; k < nh && !by[col]; k++) {
			struct col *c = &s.cols[k];
			if (c->taken >= 0 || !values_fit(col, c, why, sizeof why))
				continue;
			c->taken = col;
			c->why = arena_printf(&a, "not a usual name, but %s", why);
			by[col] = c;
		}
	}
	for (int k = 0; k < MAP_NCOLS; k++)
		if (by[k] && !by[k]->why) {
			gr_fail(err, path, 0, "out of memory");
			goto out;
		}
	/* A column that is already named as grouprev names it needs no
	 * line, but one in the map does no harm and says it was seen. */
	GString *o = g_string_new(NULL);
	write_map(o, path, &s, by, encoding, rc->guess_line, delim, rt);
	*out = g_string_free(o, FALSE);
	ret = 0;
out:
	load_header_free(hdr, nh);
	arena_release(&a);
	return ret;
}

int guess_map_buffer(const char *path, const char *buf, size_t len,
		     const struct rates *rates, char **out, struct gr_err *err)
{
	struct recoded rc;
	const char *enc = NULL;

	*out = NULL;
	if (len == 0)
		return gr_fail(err, path, 0, "the file is empty: a header line is needed");
	if (recode_buffer(path, buf, len, NULL, &rc, err) != 0)
		return -1;
	if (rc.guess) {
		size_t line = rc.guess_line;
		enc = rc.guess;
		recoded_free(&rc);
		if (recode_buffer(path, buf, len, enc, &rc, err) != 0)
			return -1;
		rc.guess_line = line;
	}
	int ret = guess_converted(path, &rc, enc, rates, out, err);
	recoded_free(&rc);
	return ret;
}

int guess_map(const char *path, const struct rates *rates, char **out,
	      struct gr_err *err)
{
	gchar *text = NULL;
	gsize len = 0;
	GError *ge = NULL;

	*out = NULL;
	if (!g_file_get_contents(path, &text, &len, &ge)) {
		int rc = gr_fail(err, path, 0, "cannot read: %s", ge->message);
		g_error_free(ge);
		return rc;
	}
	int rc = guess_map_buffer(path, text, len, rates, out, err);
	g_free(text);
	return rc;
}
