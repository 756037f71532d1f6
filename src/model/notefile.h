/* notefile.h — notes.csv: the members' progress notes, as words.
 *
 * One row per member per session (spec/notes.md): session_id, member_id
 * and text required; member_name, author and signed optional.  The text
 * is never kept: each row's text, and its member_name and member_id, are
 * turned into normalised word hashes (core/words.h) as the row is read,
 * so nothing this module holds, returns or reports contains note text.
 * A row that cannot be used is refused into the run's rejects with its
 * file, line and column only — never a value of the row.
 *
 * Matching notes to attendance lines (and refusing a second note for the
 * same session and member) is the audit's job (analysis/notes.h).
 */
#ifndef GR_NOTEFILE_H
#define GR_NOTEFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/error.h"
#include "core/strpool.h"
#include "io/load.h"
#include "model/rejects.h"

#define NOTE_NONE UINT32_MAX

struct note {
	uint32_t line;      /* physical line in notes.csv where the row starts */
	uint32_t session;   /* id in notefile.session_ids */
	uint32_t member;    /* id in notefile.members */
	uint32_t author;    /* id in notefile.authors, NOTE_NONE = not given */
	int32_t signed_on;  /* days since 1970-01-01, INT32_MIN = not given */
	uint32_t nwords;    /* words of the text */
	uint32_t nself;     /* words of member_name and member_id */
	size_t words;       /* offset of the text's words in notefile.words */
	size_t self;        /* offset of the name and id words in notefile.words */
};

struct notefile {
	const char *path;
	struct vec notes;   /* struct note, in file order */
	struct vec words;   /* uint64_t word hashes of every note, back to back */
	struct strpool session_ids, members, authors;
	size_t rows_read;   /* data records, excluding empty lines */
	size_t rows_rejected;
	size_t empty_lines;
	bool has_name, has_author, has_signed;
	char ignored_columns[512];
};

/* Read PATH (or, when BUF is not NULL, BUF[0..LEN) under the name PATH).
 * Rows that cannot be used go to REJ.  Fatal problems (file missing, a
 * required column missing, out of memory) return -1 with ERR filled.
 * TUNE (NULL = one thread) parses a large file on several cores. */
int notefile_load(struct notefile *nf, const char *path, const char *buf,
		  size_t len, struct arena *a, struct rejects *rej,
		  const struct load_tuning *tune, struct gr_err *err);
void notefile_free(struct notefile *nf);

static inline const struct note *notefile_note(const struct notefile *nf, size_t i)
{
	return &((const struct note *)nf->notes.data)[i];
}
static inline const uint64_t *notefile_words(const struct notefile *nf, size_t off)
{
	return (const uint64_t *)nf->words.data + off;
}

#endif
