/* csvout.h — the one CSV writer of every output.
 *
 * Cells are quoted when they hold a comma, quote, CR or LF (RFC 4180).
 * Text cells that a spreadsheet would run as a formula — starting with
 * '=', '+', '-', '@', TAB or CR — are neutralised by a leading apostrophe,
 * except a plain number such as "-12.50", which stays a number.  Numeric
 * cells written through csvw_cents/csvw_int/csvw_fixed are never touched.
 */
#ifndef GR_CSVOUT_H
#define GR_CSVOUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/error.h"
#include "io/outfile.h"

struct csvw {
	struct outfile out;
	bool row_started;
	bool mem;   /* a block in memory (csvw_blocks), not a file */
	bool oom;   /* a part ran out of memory: its cells are lost */
	char *buf;  /* cells are formatted here and written a megabyte at a
	             * time: stdio's per-call cost was most of claims.csv's */
	size_t len, cap;
	int werr;   /* errno of the first failed write, reported at commit */
};

int csvw_open(struct csvw *w, const char *path, struct gr_err *err);
/* Rows of block B, formatted into PART (already empty).  0, or -1. */
typedef int (*csvw_block_fn)(void *ctx, size_t b, struct csvw *part);
/* Blocks 0 .. NBLOCKS-1 in that order, formatted on THREADS threads; into
 * a regular file each block is written at its place as soon as the
 * blocks before it are formatted, so writing overlaps formatting.  The
 * file is the same for any THREADS.  -1 when a block failed (out of
 * memory); a write error shows at csvw_commit. */
int csvw_blocks(struct csvw *w, size_t nblocks, unsigned threads,
		csvw_block_fn fn, void *ctx);
/* A header line from a comma-separated list of names. */
void csvw_header(struct csvw *w, const char *names);
void csvw_str(struct csvw *w, const char *s);
/* The length of S when csvw_str writes it as it is (nothing to quote or
 * neutralise), else SIZE_MAX: a caller writing the same strings many
 * times (claims.csv's ids) asks once per string, then uses csvw_plain. */
size_t csvw_plain_len(const char *s);
/* A cell of N bytes at S that csvw_plain_len found plain, or several
 * such cells already joined by commas (claims.csv keeps the prices it
 * writes most, three cells, as one string). */
void csvw_plain(struct csvw *w, const char *s, size_t n);
void csvw_cents(struct csvw *w, int64_t cents);
void csvw_int(struct csvw *w, int64_t v);
/* A double with DECIMALS decimals; NaN/inf give an empty cell. */
void csvw_fixed(struct csvw *w, double v, int decimals);
/* V with DIGITS significant digits ("%.*g": scientific notation below
 * 1e-4 and for large magnitudes); empty when V is not finite. */
void csvw_sig(struct csvw *w, double v, int digits);
void csvw_empty(struct csvw *w);
void csvw_end(struct csvw *w);
int csvw_commit(struct csvw *w, struct gr_err *err);
void csvw_abort(struct csvw *w);

/* The neutralised, quoted form of S as it would be written (tests). */
size_t csvw_escape(const char *s, char *buf, size_t size);

#endif
