/* recode.h — an export's bytes into UTF-8 (glibc's iconv), line by line,
 * so a byte that cannot be converted spoils only its own row.
 *
 * The encodings read are those whose line breaks, quotes, digits and
 * separators are the ASCII bytes (windows-1252, ISO-8859-*, Mac Roman,
 * UTF-8 ...), and UTF-16 (UTF-16LE, UTF-16BE, or UTF-16 / UCS-2 with the
 * order from its byte-order mark, else from where the NULs of ASCII text
 * fall, else little-endian; the mark is dropped): a file is cut into lines (on the unit 0x000A for UTF-16)
 * before it is converted.  A byte that the encoding does not define (0x81
 * in windows-1252; a lone surrogate or a last odd byte in UTF-16), or a
 * NUL (a zero unit), becomes a NUL in the output — which the CSV loader
 * refuses in any row — and is listed in `bad` with its line, so the reader
 * can say which byte it was.
 */
#ifndef GR_RECODE_H
#define GR_RECODE_H

#include <stddef.h>

#include "core/error.h"

struct recode_bad {
	size_t line;        /* physical, 1-based */
	size_t byte;        /* 1-based byte of that line (after a UTF-16 mark) */
	unsigned char value; /* the byte; of a UTF-16 unit its high byte */
};

struct recoded {
	char *buf;          /* UTF-8 text (malloc) */
	size_t len;
	struct recode_bad *bad; /* in line order */
	size_t nbad;
	/* Without an encoding, a file that is not UTF-8: the encoding it
	 * most likely is ("UTF-16LE" or "UTF-16BE" for a file with their
	 * byte-order mark or ASCII between NULs, else "windows-1252", what
	 * Excel on Windows writes), and the first line that is not UTF-8. */
	const char *guess;
	size_t guess_line;
};

/* Whether ENCODING is one iconv knows (0) and one this reader can cut
 * into lines (ASCII-compatible); -1 with a reason in WHY otherwise. */
int recode_usable(const char *encoding, const char **why);
/* True for NULL and every spelling of UTF-8 (no conversion). */
int recode_is_utf8(const char *encoding);

/* BUF[0..LEN) (the export at PATH, for messages) in ENCODING (NULL =
 * UTF-8) into OUT.  Fails only on out of memory or an unusable
 * encoding. */
int recode_buffer(const char *path, const char *buf, size_t len,
		  const char *encoding, struct recoded *out, struct gr_err *err);
/* The same, reading PATH. */
int recode_file(const char *path, const char *encoding, struct recoded *out,
		struct gr_err *err);
void recoded_free(struct recoded *r);

/* Excel's text guard written outside quotes, `="00123"` at the start of
 * a field, becomes the quoted field `"00123"` (RFC 4180 has no place for
 * it, and the strict parser refuses it), in BUF[0..*LEN) in place; the
 * line breaks stay where they were.  Fields separated by DELIM. */
void recode_unguard(char *buf, size_t *len, char delim);

#endif
