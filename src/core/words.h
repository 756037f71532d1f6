/* words.h — note text as a sequence of normalised words, over GLib.
 *
 * A word is a maximal run of letters and digits (g_unichar_isalnum; a
 * combining mark inside a run belongs to it) of the text after Unicode
 * NFKC normalisation and case folding (g_utf8_normalize, g_utf8_casefold,
 * then NFKC again, since folding can leave a string unnormalised).  So
 * "Client’s", "CLIENT'S" and "ｃｌｉｅｎｔ's" give the same two words
 * "client" "s"; punctuation, line breaks and spacing never matter.
 *
 * Each word is kept as a 64-bit hash of its normalised UTF-8 bytes, never
 * as text: the notes audit compares words, and nothing it keeps can be
 * turned back into a note.  With 64 bits, two distinct words of a
 * practice's vocabulary (10^5 of them) share a hash with probability
 * about 10^10 / 2^65, below 10^-9.
 *
 * Text that is all ASCII takes a direct path (NFKC and case folding of
 * ASCII are the identity and ASCII lower-casing); the result is the same
 * as the GLib path's, which the unit test and the fuzz target check.
 * Invalid UTF-8 is made valid first (g_utf8_make_valid: each bad byte
 * becomes U+FFFD, which is not a letter, so it separates words).
 */
#ifndef GR_WORDS_H
#define GR_WORDS_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

/* Append the word hashes of TEXT[0..LEN) to OUT (a struct vec of
 * uint64_t).  Returns the number of words appended, or -1 when out of
 * memory (OUT then holds what was appended before). */
long words_split(const char *text, size_t len, struct vec *out);

/* The same through GLib whatever the text, for the tests that hold the
 * ASCII path to it. */
long words_split_glib(const char *text, size_t len, struct vec *out);

/* The hash of one word already normalised (lower case ASCII, or the
 * NFKC-casefolded UTF-8 bytes). */
uint64_t words_hash(const char *word, size_t len);


#endif
