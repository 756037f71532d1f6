/* rejects.c — the list of rows not used (rejects.h). */
#include "model/rejects.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rejects_init(struct rejects *r, struct arena *a)
{
	vec_init(&r->items, sizeof(struct reject));
	r->arena = a;
}

int rejects_add(struct rejects *r, const char *file, size_t line,
		const char *fmt, ...)
{
	char msg[512];
	va_list ap;
	struct reject *x;

	va_start(ap, fmt);
	int n = vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* A reason quoting a long cell is cut, visibly: at a character
	 * boundary, ending in "...". */
	if (n >= (int)sizeof msg) {
		size_t end = sizeof msg - 4;
		while (end > 0 && ((unsigned char)msg[end] & 0xC0) == 0x80)
			end--;
		memcpy(msg + end, "...", 4);
	}
	if (!(x = vec_push(&r->items)))
		return -1;
	x->file = file;
	x->line = line;
	if (!(x->reason = arena_strdup(r->arena, msg)))
		return -1;
	return 0;
}

static int cmp_reject(const void *a, const void *b)
{
	const struct reject *x = a, *y = b;
	int c = strcmp(x->file, y->file);

	if (c)
		return c;
	return x->line < y->line ? -1 : x->line > y->line;
}

void rejects_sort(struct rejects *r)
{
	/* Lines within one file are unique per rejected record, so qsort's
	 * instability cannot reorder anything visible. */
	if (r->items.len > 1)
		qsort(r->items.data, r->items.len, sizeof(struct reject), cmp_reject);
}

void rejects_free(struct rejects *r)
{
	vec_free(&r->items);
}
