/* strpool.c — string interning with open addressing (linear probing).
 *
 * The table stores id + 1 per slot and is kept at most half full, so a
 * lookup touches one or two slots on average; the id arrays grow by
 * doubling.  Strings live in the arena; the tables are malloc'd because
 * they are resized.
 */
#include "strpool.h"

#include <stdlib.h>
#include <string.h>

/* FNV-1a: simple, good enough spread for short identifiers. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 16777619u;
	}
	return h;
}

void strpool_init(struct strpool *p, struct arena *a)
{
	memset(p, 0, sizeof *p);
	p->arena = a;
}

static int grow_slots(struct strpool *p)
{
	uint32_t n = p->nslots ? p->nslots * 2 : 64;
	uint32_t *slots;

	if (n < p->nslots)
		return -1;
	slots = calloc(n, sizeof *slots);
	if (!slots)
		return -1;
	for (uint32_t id = 0; id < p->count; id++) {
		uint32_t i = p->hash[id] & (n - 1);
		while (slots[i])
			i = (i + 1) & (n - 1);
		slots[i] = id + 1;
	}
	free(p->slots);
	p->slots = slots;
	p->nslots = n;
	return 0;
}

int strpool_find(const struct strpool *p, const char *s, size_t len,
		 uint32_t *id)
{
	if (!p->nslots)
		return -1;
	uint32_t h = hash_bytes(s, len);
	for (uint32_t i = h & (p->nslots - 1);; i = (i + 1) & (p->nslots - 1)) {
		uint32_t v = p->slots[i];
		if (!v)
			return -1;
		if (p->hash[v - 1] == h && strncmp(p->str[v - 1], s, len) == 0 &&
		    p->str[v - 1][len] == '\0') {
			*id = v - 1;
			return 0;
		}
	}
}

int strpool_intern(struct strpool *p, const char *s, size_t len, uint32_t *id)
{
	if (strpool_find(p, s, len, id) == 0)
		return 0;
	if (p->count == UINT32_MAX - 1)
		return -1;
	if ((uint64_t)(p->count + 1) * 2 > p->nslots && grow_slots(p) != 0)
		return -1;
	if (p->count == p->cap) {
		uint32_t cap = p->cap ? p->cap * 2 : 32;
		char **str = realloc(p->str, (size_t)cap * sizeof *str);
		if (!str)
			return -1;
		p->str = str;
		uint32_t *hash = realloc(p->hash, (size_t)cap * sizeof *hash);
		if (!hash)
			return -1;
		p->hash = hash;
		p->cap = cap;
	}
	char *copy = arena_strndup(p->arena, s, len);
	if (!copy)
		return -1;
	uint32_t h = hash_bytes(s, len);
	uint32_t i = h & (p->nslots - 1);
	while (p->slots[i])
		i = (i + 1) & (p->nslots - 1);
	p->slots[i] = p->count + 1;
	p->str[p->count] = copy;
	p->hash[p->count] = h;
	*id = p->count++;
	return 0;
}

void strpool_free(struct strpool *p)
{
	free(p->str);
	free(p->hash);
	free(p->slots);
	p->str = NULL;
	p->hash = NULL;
	p->slots = NULL;
	p->count = p->cap = p->nslots = 0;
}
