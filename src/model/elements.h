/* elements.h — the words that show each required element of a member's
 * note: participation, response, plan (spec/notes.md).
 *
 * The lists are a GKeyFile the practice can edit, shipped beside the rate
 * tables (rate-tables/note-elements.conf; its README says where each
 * element comes from).  One group per element; every key of a group is a
 * ;-separated list of its words or phrases (the key's name only labels
 * the list for a reader).  Each term is normalised like
 * note text (core/words.h), so case, accents written as compatibility
 * characters and punctuation do not matter; a phrase matches its words in
 * sequence.  A term written "!phrase" is an exception: the words of the
 * phrase never count for that element where the phrase appears (a
 * safety statement's "intent or plan" is not a plan).  An element with
 * no terms, an unknown group, or a
 * term of more than ELEMENT_MAX_WORDS words is an error naming the file
 * and the group.
 */
#ifndef GR_ELEMENTS_H
#define GR_ELEMENTS_H

#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

enum note_element { ELEMENT_PARTICIPATION, ELEMENT_RESPONSE, ELEMENT_PLAN,
		    ELEMENT_COUNT };

#define ELEMENT_MAX_WORDS 6

struct element_term {
	uint64_t w[ELEMENT_MAX_WORDS];
	uint8_t n;        /* words */
	uint8_t element;  /* enum note_element */
	uint8_t exclude;  /* an exception ("!phrase") */
};

struct elements {
	struct element_term *terms; /* sorted by first word */
	size_t nterms;
	size_t per[ELEMENT_COUNT];  /* terms of each element, exceptions left out */
	/* First word -> index of its first term, open addressing (0 = empty):
	 * a note's word is looked up with one probe, usually to an empty
	 * slot. */
	uint64_t *ix_key;
	uint32_t *ix_at;
	size_t ix_mask;
	char path[512];
};

extern const char *const element_names[ELEMENT_COUNT];

/* Read the element lists from PATH. */
int elements_load(struct elements *e, const char *path, struct gr_err *err);
/* The same from a buffer (tests, fuzzing); PATH is used in messages. */
int elements_load_buffer(struct elements *e, const char *path, const char *buf,
			 size_t len, struct gr_err *err);
void elements_free(struct elements *e);

/* Mark in BITS[i] (1 << element) every element one of whose terms
 * matches words of W (N words) that include W[i], unless an exception of
 * that element also covers W[i].  BITS is zeroed first. */
void elements_mark(const struct elements *e, const uint64_t *w, size_t n,
		   uint8_t *bits);

#endif
