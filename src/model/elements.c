/* elements.c — the element word lists (elements.h), read with GKeyFile. */
#include "model/elements.h"

#include <glib.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/words.h"

const char *const element_names[ELEMENT_COUNT] = { "participation", "response",
						    "plan" };

static size_t ix_home(uint64_t h, size_t mask)
{
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (size_t)h & mask;
}

/* The first-word index of the sorted terms. */
static int build_index(struct elements *e)
{
	size_t cap = 16;
	while (cap < 2 * e->nterms)
		cap *= 2;
	e->ix_key = calloc(cap, sizeof *e->ix_key);
	e->ix_at = calloc(cap, sizeof *e->ix_at);
	e->ix_mask = cap - 1;
	if (!e->ix_key || !e->ix_at)
		return -1;
	for (size_t t = 0; t < e->nterms; t++) {
		uint64_t k = e->terms[t].w[0];
		if (t > 0 && e->terms[t - 1].w[0] == k)
			continue;
		size_t i = ix_home(k, e->ix_mask);
		while (e->ix_key[i])
			i = (i + 1) & e->ix_mask;
		e->ix_key[i] = k;
		e->ix_at[i] = (uint32_t)t;
	}
	return 0;
}

/* Index of the first term whose first word is W, or nterms. */
static size_t first_term(const struct elements *e, uint64_t w)
{
	if (!w)
		return e->nterms; /* 0 marks an empty slot: no word hashes to it */
	for (size_t i = ix_home(w, e->ix_mask); e->ix_key[i]; i = (i + 1) & e->ix_mask)
		if (e->ix_key[i] == w)
			return e->ix_at[i];
	return e->nterms;
}

static int cmp_term(const void *a, const void *b)
{
	const struct element_term *x = a, *y = b;
	return x->w[0] < y->w[0] ? -1 : x->w[0] > y->w[0];
}

static int from_keyfile(struct elements *e, GKeyFile *kf, struct gr_err *err)
{
	gsize ngroups = 0;
	gchar **groups = g_key_file_get_groups(kf, &ngroups);
	struct vec terms;
	struct vec words;
	int rc = -1;

	vec_init(&terms, sizeof(struct element_term));
	vec_init(&words, sizeof(uint64_t));
	for (gsize g = 0; g < ngroups; g++) {
		int el = -1;
		for (int k = 0; k < ELEMENT_COUNT; k++)
			if (!strcmp(groups[g], element_names[k]))
				el = k;
		if (el < 0) {
			gr_fail(err, e->path, 0, "unknown element '[%s]' (the elements are "
				"[participation], [response] and [plan])", groups[g]);
			goto out;
		}
		gsize nkeys = 0;
		gchar **keys = g_key_file_get_keys(kf, groups[g], &nkeys, NULL);
		for (gsize key = 0; key < nkeys; key++) {
		gsize nlist = 0;
		gchar **list = g_key_file_get_string_list(kf, groups[g], keys[key],
							   &nlist, NULL);
		for (gsize i = 0; i < nlist; i++) {
			const char *term = list[i];
			bool exclude = false;
			while (*term == ' ')
				term++;
			if (*term == '!') {
				exclude = true;
				term++;
			}
			words.len = 0;
			long n = words_split(term, strlen(term), &words);
			if (n < 0) {
				g_strfreev(list);
				g_strfreev(keys);
				gr_fail(err, e->path, 0, "out of memory");
				goto out;
			}
			if (n == 0)
				continue; /* an empty item, e.g. after a trailing ';' */
			if (n > ELEMENT_MAX_WORDS) {
				gr_fail(err, e->path, 0, "[%s]: the term '%s' has more than %d "
					"words", groups[g], list[i], ELEMENT_MAX_WORDS);
				g_strfreev(list);
				g_strfreev(keys);
				goto out;
			}
			struct element_term *t = vec_push(&terms);
			if (!t) {
				g_strfreev(list);
				g_strfreev(keys);
				gr_fail(err, e->path, 0, "out of memory");
				goto out;
			}
			memcpy(t->w, words.data, (size_t)n * sizeof(uint64_t));
			t->n = (uint8_t)n;
			t->element = (uint8_t)el;
			t->exclude = exclude;
			if (!exclude)
				e->per[el]++;
		}
		g_strfreev(list);
		}
		g_strfreev(keys);
	}
	for (int k = 0; k < ELEMENT_COUNT; k++)
		if (!e->per[k]) {
			gr_fail(err, e->path, 0, "no terms for the element [%s]: give "
				"a key such as words=word;another phrase;...", element_names[k]);
			goto out;
		}
	qsort(terms.data, terms.len, sizeof(struct element_term), cmp_term);
	e->terms = terms.data;
	e->nterms = terms.len;
	terms.data = NULL;
	if (build_index(e) != 0) {
		gr_fail(err, e->path, 0, "out of memory");
		goto out;
	}
	rc = 0;
out:
	vec_free(&terms);
	vec_free(&words);
	g_strfreev(groups);
	return rc;
}

int elements_load_buffer(struct elements *e, const char *path, const char *buf,
			 size_t len, struct gr_err *err)
{
	GKeyFile *kf = g_key_file_new();
	GError *ge = NULL;
	int rc;

	memset(e, 0, sizeof *e);
	snprintf(e->path, sizeof e->path, "%s", path);
	if (!g_key_file_load_from_data(kf, buf, len, G_KEY_FILE_NONE, &ge)) {
		rc = gr_fail(err, e->path, 0, "not a key file: %s", ge->message);
		g_error_free(ge);
	} else {
		rc = from_keyfile(e, kf, err);
	}
	g_key_file_free(kf);
	return rc;
}

int elements_load(struct elements *e, const char *path, struct gr_err *err)
{
	gchar *buf = NULL;
	gsize len = 0;
	GError *ge = NULL;

	if (!g_file_get_contents(path, &buf, &len, &ge)) {
		memset(e, 0, sizeof *e);
		gr_fail(err, path, 0, "cannot read: %s", ge->message);
		g_error_free(ge);
		return -1;
	}
	int rc = elements_load_buffer(e, path, buf, len, err);
	g_free(buf);
	return rc;
}

void elements_free(struct elements *e)
{
	free(e->terms);
	free(e->ix_key);
	free(e->ix_at);
	e->terms = NULL;
	e->ix_key = NULL;
	e->ix_at = NULL;
	e->nterms = 0;
}

void elements_mark(const struct elements *e, const uint64_t *w, size_t n,
		   uint8_t *bits)
{
	if (n == 0)
		return;
	memset(bits, 0, n);
	/* Terms first, then the exceptions clear what they cover. */
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			/* The terms whose first word is w[i], one after another
			 * in the sorted list. */
			for (size_t t = first_term(e, w[i]); t < e->nterms && e->terms[t].w[0] == w[i]; t++) {
				const struct element_term *term = &e->terms[t];
				if (term->exclude != pass || term->n > n - i)
					continue;
				size_t k = 1;
				while (k < term->n && term->w[k] == w[i + k])
					k++;
				if (k < term->n)
					continue;
				uint8_t bit = (uint8_t)(1u << term->element);
				for (k = 0; k < term->n; k++) {
					if (pass == 0)
						bits[i + k] |= bit;
					else
						bits[i + k] &= (uint8_t)~bit;
				}
			}
		}
}
