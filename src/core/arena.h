/* arena.h — the run's memory.
 *
 * Ownership rule for the whole program (docs/design.md):
 * - results — what one module hands to another (pools, rate tables,
 *   tallies, statistics) — belong to the run's arena, released once at
 *   the end of the command;
 * - large growable arrays (the lines of a ten-million-row file) live in a
 *   struct vec (see below), freed by their owner's _free function;
 * - scratch memory is malloc'ed and freed inside the one function that
 *   needs it (a sort order, a map, a page's table cells).
 * No function frees its arguments.
 */
#ifndef GR_ARENA_H
#define GR_ARENA_H

#include <stddef.h>

struct arena_chunk;

struct arena {
	struct arena_chunk *head;
	size_t used_bytes; /* sum of chunk sizes, for the memory report */
};

void arena_init(struct arena *a);
/* Zeroed, 16-byte aligned memory, or NULL when the system is out of memory. */
void *arena_alloc(struct arena *a, size_t n);
/* Copy of S[0..N) with a terminating NUL, or NULL on out of memory. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_strdup(struct arena *a, const char *s);
/* printf into the arena; NULL on out of memory. */
char *arena_printf(struct arena *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
void arena_release(struct arena *a);

/* A growable array of fixed-size elements, grown by doubling.
 * vec_push returns a pointer to the new (zeroed) element or NULL on out of
 * memory; pointers into the array are invalidated by the next push. */
struct vec {
	void *data;
	size_t len;
	size_t cap;
	size_t elem;
};

void vec_init(struct vec *v, size_t elem);
void *vec_push(struct vec *v);
int vec_reserve(struct vec *v, size_t cap);
void vec_free(struct vec *v);
#define VEC_AT(v, type, i) (((type *)(v)->data)[i])

#endif
