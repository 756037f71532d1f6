/* libFuzzer target: a column map and an export through it (io/colmap.h,
 * io/recode.h, model/export.h), and `map --guess` on the export
 * (model/guess.h).  The input is the map's text, a NUL byte, then the
 * export's bytes (which may hold more NULs).  The map's [file] group
 * picks the encoding and delimiter, so the fuzzer reaches the converted
 * path (iconv, the Excel guard, a delimiter other than ',').
 *
 * Invariants on every input, besides no crash, leak or undefined
 * behaviour: a load that succeeds accounts for every row (rows read =
 * used + skipped + rejected, one rejects entry per rejected row, add-on
 * rows within the used, each skipped code counted at least once); and
 * the map `map --guess` proposes for the export is always a map the
 * reader accepts (it parses, and loading the export with it either
 * succeeds, with the same accounting, or fails naming the map). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "io/colmap.h"
#include "model/export.h"
#include "model/guess.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void load_and_check(const struct colmap *m, const char *buf, size_t len,
			   struct arena *a, int must_name_map)
{
	struct roster r;
	struct rejects rej;
	struct gr_err err;

	rejects_init(&rej, a);
	memset(&err, 0, sizeof err);
	int rc = export_load_buffer(&r, "fuzz.csv", buf, len, m, NULL, a, &rej, &err);
	if (rc == 0) {
		size_t skipped = 0;
		for (size_t i = 0; i < r.exp.skips.len; i++) {
			const struct roster_skip *sk = &VEC_AT(&r.exp.skips, struct roster_skip, i);
			if (!sk->rows)
				abort();
			skipped += sk->rows;
		}
		if (r.rows_read != r.rows_used + r.exp.skipped + r.rows_rejected ||
		    rej.items.len != r.rows_rejected || skipped != r.exp.skipped ||
		    r.exp.addon_rows > r.rows_used ||
		    r.lines.len + r.exp.addon_rows != r.rows_used)
			abort();
	} else if (must_name_map && strcmp(err.file, "guess.ini") &&
		   strcmp(err.file, "fuzz.csv")) {
		abort();
	}
	roster_free(&r);
	rejects_free(&rej);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *text = (const char *)data;
	const char *nul = memchr(text, '\0', size);
	size_t mlen = nul ? (size_t)(nul - text) : size;
	const char *buf = nul ? nul + 1 : "";
	size_t len = nul ? size - mlen - 1 : 0;
	struct arena a;
	struct colmap m;
	struct gr_err err;

	arena_init(&a);
	if (colmap_parse(&m, "fuzz.ini", text, mlen, &a, &err) == 0)
		load_and_check(&m, buf, len, &a, 0);

	char *guess = NULL;
	if (guess_map_buffer("fuzz.csv", buf, len, NULL, &guess, &err) == 0) {
		struct colmap g;
		if (colmap_parse(&g, "guess.ini", guess, strlen(guess), &a, &err) != 0)
			abort(); /* the guess is always a valid key file */
		load_and_check(&g, buf, len, &a, 1);
	}
	free(guess);
	arena_release(&a);
	return 0;
}
