/* libFuzzer target: attendance.csv through the loader and the roster.
 * Invariants checked on every input: the loader never crashes or leaks,
 * every data record is used or rejected (rows read = used + rejected),
 * and a parallel load (two workers, parts of a quarter of the input, so
 * part starts fall inside records and quoted fields) and a load with
 * every record through libcsv (no scanner) give exactly the lines,
 * sessions and rejects of the one-thread load. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "model/roster.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct result {
	struct arena a;
	struct roster r;
	struct rejects rej;
	struct gr_err err;
	int rc;
};

static void load(struct result *x, const uint8_t *data, size_t size,
		 const struct load_tuning *tu)
{
	arena_init(&x->a);
	rejects_init(&x->rej, &x->a);
	x->rc = roster_load_buffer(&x->r, "fuzz.csv", (const char *)data, size, &x->a,
				   &x->rej, tu, &x->err);
	if (x->rc == 0 && (x->r.rows_read != x->r.rows_used + x->r.rows_rejected ||
			   x->rej.items.len != x->r.rows_rejected))
		abort();
}

static void release(struct result *x)
{
	roster_free(&x->r);
	rejects_free(&x->rej);
	arena_release(&x->a);
}

static void same(const struct result *x, const struct result *y)
{
	if (x->rc != y->rc)
		abort();
	if (x->rc != 0)
		return;
	const struct roster *r = &x->r, *s = &y->r;
	if (r->rows_read != s->rows_read || r->rows_used != s->rows_used ||
	    r->empty_lines != s->empty_lines || r->lines.len != s->lines.len ||
	    r->sessions.len != s->sessions.len || r->columns != s->columns ||
	    x->rej.items.len != y->rej.items.len)
		abort();
	if (r->lines.len &&
	    memcmp(r->lines.data, s->lines.data, r->lines.len * sizeof(struct line)))
		abort();
	if (r->sessions.len && memcmp(r->sessions.data, s->sessions.data,
				      r->sessions.len * sizeof(struct session)))
		abort();
	for (size_t i = 0; i < x->rej.items.len; i++) {
		const struct reject *a = &VEC_AT(&x->rej.items, struct reject, i);
		const struct reject *b = &VEC_AT(&y->rej.items, struct reject, i);
		if (a->line != b->line || strcmp(a->reason, b->reason) != 0)
			abort();
	}
	for (uint32_t i = 0; i < r->members.count; i++)
		if (strcmp(strpool_str(&r->members, i), strpool_str(&s->members, i)))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct result one, two, ref;
	struct load_tuning tu = { 2, size / 4 + 1, 1, NULL, NULL, false };
	struct load_tuning libcsv = { 1, 0, 0, NULL, NULL, true };

	load(&one, data, size, NULL);
	load(&two, data, size, &tu);
	load(&ref, data, size, &libcsv);
	same(&one, &two);
	same(&one, &ref);
	release(&one);
	release(&two);
	release(&ref);
	return 0;
}
