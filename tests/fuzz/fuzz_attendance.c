/* libFuzzer target: attendance.csv through the loader and the roster.
 * Invariants checked on every input: the loader never crashes or leaks,
 * and every data record is used or rejected (rows read = used + rejected). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"
#include "roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct arena a;
	struct roster r;
	struct rejects rej;
	struct gr_err err;

	arena_init(&a);
	rejects_init(&rej, &a);
	if (roster_load_buffer(&r, "fuzz.csv", (const char *)data, size, &a, &rej,
			       &err) == 0) {
		if (r.rows_read != r.rows_used + r.rows_rejected)
			abort();
		if (rej.items.len != r.rows_rejected)
			abort();
	}
	roster_free(&r);
	rejects_free(&rej);
	arena_release(&a);
	return 0;
}
