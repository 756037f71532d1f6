/* pseudonym.h — member ids replaced by keyed pseudonyms (--redact).
 *
 * A member's pseudonym is "member-" and the first 16 hex digits of
 * HMAC-SHA-256(key, member id): the same id under the same key gives the
 * same pseudonym in every run, file and quarter, so redacted reports can
 * be compared over time, and without the key a pseudonym cannot be turned
 * back into an id, nor a guessed id checked against it.  The key is the
 * practice's secret (cmd/cli.h reads or creates the key file); whoever
 * holds it can test guesses, so it never leaves the billing office with
 * the reports (docs/inputs.md, "Redaction").
 */
#ifndef GR_PSEUDONYM_H
#define GR_PSEUDONYM_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "model/roster.h"

#define PSEUDONYM_KEY_BYTES 32

struct pseudonyms {
	const char **label; /* by member id of the roster */
	uint32_t count;
};

/* One pseudonym per member of R, in A. */
int pseudonyms_build(struct pseudonyms *p, const struct roster *r,
		     const unsigned char key[PSEUDONYM_KEY_BYTES], struct arena *a,
		     struct gr_err *err);

/* The member id to print: the id itself when P is NULL, else its
 * pseudonym. */
const char *pseudonym_of(const struct pseudonyms *p, const struct roster *r,
			 uint32_t member);

/* The pseudonym of ID under KEY into BUF (24 bytes: "member-" + 16 hex). */
void pseudonym_make(const unsigned char key[PSEUDONYM_KEY_BYTES], const char *id,
		    char buf[24]);

/* The key file's text: 64 hex digits (either case), then nothing or a
 * line break and anything after it.  0, with the key in KEY; -1 when TEXT
 * (N bytes) is not a key. */
int pseudonym_key_parse(const char *text, size_t n,
			unsigned char key[PSEUDONYM_KEY_BYTES]);

#endif
