/* rejects.h — the rows a run could not use, from any of its inputs, each
 * with its file, line and reason.  Every input row is used, skipped with a
 * count, or listed here; rejects.csv and the report's appendix are written
 * from this list.
 */
#ifndef GR_REJECTS_H
#define GR_REJECTS_H

#include <stddef.h>

#include "core/arena.h"

struct reject {
	const char *file;
	size_t line;
	const char *reason;
};

/* Rows not used, in the order found, from any input of the run. */
struct rejects {
	struct vec items; /* struct reject */
	struct arena *arena;
};

void rejects_init(struct rejects *r, struct arena *a);
int rejects_add(struct rejects *r, const char *file, size_t line,
		const char *fmt, ...) __attribute__((format(printf, 4, 5)));
/* Sort by file then line (stable), for rejects.csv. */
void rejects_sort(struct rejects *r);
void rejects_free(struct rejects *r);

#endif
