/* load.h — reading one CSV file into typed rows (the only code that uses
 * libcsv).
 *
 * The loader maps the header to the columns a caller asks for (names
 * matched case-insensitively, surrounding spaces ignored, any order), and
 * calls ROW once per data record with the fields in the caller's column
 * order.  It counts physical lines itself (libcsv has none): a record is
 * reported at the line where it starts.  Records that cannot be parsed —
 * wrong field count, unterminated quote, NUL byte, invalid UTF-8, a
 * byte-order mark (U+FEFF) inside the row (files joined from several
 * exports), a field or record over the size limits — go to REJECT with
 * their line and a reason; the rest of the file is still read.  Empty
 * lines are skipped but counted.  A byte-order mark at the start of the
 * file or of a header name is not part of the name.  A UTF-16 file is
 * refused, with its encoding named.
 *
 * Fatal problems (file missing or unreadable, no header, a required column
 * missing, a duplicated column) make load_csv return -1 with ERR filled.
 */
#ifndef GR_LOAD_H
#define GR_LOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"

/* Hard limits: a record over these is rejected, not truncated. */
#define LOAD_MAX_FIELD (64u * 1024u)
#define LOAD_MAX_RECORD (1024u * 1024u)
#define LOAD_MAX_COLUMNS 512u   /* columns a caller may ask for */
#define LOAD_MAX_FIELDS 16384u  /* fields of one record: a wide export's
                                 * unknown columns are ignored, not refused */
#define LOAD_MAX_PREP 256u

struct load_col {
	const char *name; /* lower case */
	bool required;
};

struct load_row {
	size_t line;           /* physical line where the record starts */
	size_t ncols;          /* = number of columns the caller asked for */
	const char *const *v;  /* v[i]: NUL-terminated value of column i, or
	                        * "" when the file has no such column */
	const size_t *len;     /* len[i]: its length in bytes */
	const bool *present;   /* present[i]: the file has column i */
	const void *prep;      /* what PREP made of the row (load_spec), or NULL */
};

/* Return 0 to go on, -1 to stop the whole load (ERR already filled). */
typedef int (*load_row_fn)(void *ctx, const struct load_row *row,
			   struct gr_err *err);
/* A record the loader itself could not use.  Return -1 to stop (out of
 * memory recording it), 0 to go on. */
typedef int (*load_reject_fn)(void *ctx, size_t line, const char *reason);
/* The part of a row's handling that needs nothing shared — checking and
 * converting its values — done on the thread that parsed the row: a
 * worker, when the file is parsed on several cores, so that this work is
 * spread over the cores too.  It fills PREP_SIZE bytes at OUT, which ROW
 * then finds at row->prep, and returns 0; or it writes a reason into WHY
 * (WHYLEN bytes) and returns 1, and the row goes to REJECT and never to
 * ROW.  Several threads call it at once with the same CTX: it must only
 * read it. */
typedef int (*load_prep_fn)(const void *ctx, const struct load_row *row,
			    void *out, char *why, size_t whylen);

struct load_stats {
	size_t records;      /* data records seen (excluding header, empty lines) */
	size_t rejected;     /* of those, rejected by the loader itself */
	size_t empty_lines;  /* skipped */
	size_t bytes;
	char ignored[512];   /* "a, b" — unknown header names, for one notice;
	                      * "(column N has no name)" for an empty one, and
	                      * "... and N more" when they do not fit */
	bool present[LOAD_MAX_COLUMNS]; /* which requested columns the file has */
};

/* Progress of a large load: DONE of TOTAL bytes handed to the caller,
 * RECORDS data records so far.  Called on the caller's thread. */
typedef void (*load_progress_fn)(void *ctx, size_t done, size_t total,
				 size_t records);

/* Parsing a large file on several cores.  The file is cut into parts of
 * about CHUNK bytes at line breaks; THREADS workers parse the parts with
 * libcsv while the calling thread hands their rows, in file order, to
 * ROW and REJECT.  A part whose start turns out to be inside a quoted
 * field (a line break within quotes) is parsed again from where its
 * predecessor really ended, so the rows, rejects, line numbers and
 * statistics are exactly those of the one-thread path. */
struct load_tuning {
	unsigned threads;      /* parser threads; 0 or 1 = the calling thread only */
	size_t chunk;          /* bytes per part; 0 = LOAD_CHUNK */
	size_t min_parallel;   /* smaller inputs use one thread; 0 = 4 * chunk */
	load_progress_fn progress; /* optional */
	void *progress_ctx;
	bool libcsv_only;      /* every record through libcsv, the reference
	                        * parser, even those the scanner would split
	                        * (for the differential tests and fuzzing) */
};

#define LOAD_CHUNK (2u * 1024u * 1024u)

struct load_spec {
	const char *path;
	const struct load_col *cols;
	size_t ncols;
	load_row_fn row;
	load_reject_fn reject;
	void *ctx;
	const struct load_tuning *tune; /* NULL = one thread */
	load_prep_fn prep;              /* optional */
	size_t prep_size;               /* bytes PREP writes, at most 256 */
	uint64_t keep;  /* with PREP: bit k set = ROW reads the text of column
	                 * k (k < 64); the others reach ROW as "", which saves
	                 * handing their bytes from thread to thread.  0 = all */
	char delim;     /* field separator (libcsv's csv_set_delim); 0 = ',' */
};

int load_csv(const struct load_spec *spec, struct load_stats *stats,
	     struct gr_err *err);

/* The same, over a buffer already in memory (tests, fuzzing).  PATH is
 * used only in messages. */
int load_csv_buffer(const struct load_spec *spec, const char *buf,
		    size_t len, struct load_stats *stats, struct gr_err *err);

/* The same over the caller's own buffer, which is not read after the
 * load: its pages are returned to the system as the reading passes them
 * (they read as zeros after), so a file read into memory whole does not
 * stay resident beside what is made of it.  One thread (SPEC's tuning is
 * not used for this call's parallel load). */
int load_csv_buffer_drop(const struct load_spec *spec, char *buf, size_t len,
			 struct load_stats *stats, struct gr_err *err);

/* The header of BUF only, as SPEC (path, delim) reads it: *COUNT names
 * with surrounding spaces removed, lower case as columns are matched (or
 * AS_WRITTEN); free them with load_header_free.  The rows are not read.
 * Used to check a column map against a file before reading it. */
int load_csv_header(const struct load_spec *spec, const char *buf, size_t len,
		    bool as_written, char ***names, size_t *count, struct gr_err *err);
void load_header_free(char **names, size_t count);

#endif
