/* arena.c — a bump allocator over a list of chunks, and growable arrays.
 *
 * A batch run allocates many small things (interned strings, payer rows,
 * reasons for rejected rows) and frees them all at once at the end, so a
 * bump allocator removes every ownership question for them.
 */
#include "core/arena.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct arena_chunk {
	struct arena_chunk *next;
	size_t size; /* usable bytes after the header */
	size_t used;
	/* data follows, 16-byte aligned because the header is 32 bytes */
	_Alignas(16) unsigned char data[];
};

#define CHUNK_MIN (64u * 1024u)

void arena_init(struct arena *a)
{
	a->head = NULL;
	a->used_bytes = 0;
}

/* N bytes aligned to ALIGN (1 or 16), not cleared. */
static void *take(struct arena *a, size_t n, size_t align)
{
	struct arena_chunk *c = a->head;
	size_t need = (n + align - 1) & ~(align - 1);
	size_t at = c ? (c->used + align - 1) & ~(align - 1) : 0;

	if (need < n)
		return NULL; /* overflow */
	if (!c || at > c->size || c->size - at < need) {
		size_t size = need > CHUNK_MIN ? need : CHUNK_MIN;

		if (size > SIZE_MAX - sizeof *c)
			return NULL;
		c = malloc(sizeof *c + size);
		if (!c)
			return NULL;
		c->size = size;
		c->used = 0;
		c->next = a->head;
		a->head = c;
		a->used_bytes += size;
		at = 0;
	}
	void *p = c->data + at;
	c->used = at + need;
	return p;
}

void *arena_alloc(struct arena *a, size_t n)
{
	void *p = take(a, n, 16);

	if (p)
		memset(p, 0, n);
	return p;
}

char *arena_strndup(struct arena *a, const char *s, size_t n)
{
	/* Text needs no alignment: a million session ids of ten bytes take
	 * 11 MB instead of 16. */
	char *p = n + 1 ? take(a, n + 1, 1) : NULL;

	if (!p)
		return NULL;
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *arena_strdup(struct arena *a, const char *s)
{
	return arena_strndup(a, s, strlen(s));
}

char *arena_printf(struct arena *a, const char *fmt, ...)
{
	va_list ap;
	char small[256];
	int n;

	va_start(ap, fmt);
	n = vsnprintf(small, sizeof small, fmt, ap);
	va_end(ap);
	if (n < 0)
		return NULL;
	if ((size_t)n < sizeof small)
		return arena_strndup(a, small, (size_t)n);
	char *p = arena_alloc(a, (size_t)n + 1);
	if (!p)
		return NULL;
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	return p;
}

void arena_release(struct arena *a)
{
	struct arena_chunk *c = a->head;

	while (c) {
		struct arena_chunk *next = c->next;
		free(c);
		c = next;
	}
	a->head = NULL;
	a->used_bytes = 0;
}

void vec_init(struct vec *v, size_t elem)
{
	v->data = NULL;
	v->len = 0;
	v->cap = 0;
	v->elem = elem;
}

int vec_reserve(struct vec *v, size_t cap)
{
	if (cap <= v->cap)
		return 0;
	if (cap > SIZE_MAX / v->elem)
		return -1;
	void *p = realloc(v->data, cap * v->elem);
	if (!p)
		return -1;
	v->data = p;
	v->cap = cap;
	return 0;
}

void *vec_push(struct vec *v)
{
	if (v->len == v->cap &&
	    vec_reserve(v, v->cap ? v->cap * 2 : 64) != 0)
		return NULL;
	void *p = (unsigned char *)v->data + v->len * v->elem;
	memset(p, 0, v->elem);
	v->len++;
	return p;
}

void vec_free(struct vec *v)
{
	free(v->data);
	v->data = NULL;
	v->len = v->cap = 0;
}
