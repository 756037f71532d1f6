/* strpool.c — string interning with open addressing (linear probing).
 *
 * The table stores id + 1 per slot and is kept at most half full, so a
 * lookup touches one or two slots on average; the id arrays grow by
 * doubling.  Strings live in the arena; the tables are malloc'd because
 * they are resized.
 */
#include "core/strpool.h"

#include <stdlib.h>
#include <string.h>

/* Eight bytes at a time, each word mixed by a multiply (the finaliser of
 * MurmurHash3): a byte-at-a-time FNV-1a was the largest part of interning
 * the ten ids of every row.  Ids do not depend on the hash, only the
 * table's layout does. */
static uint32_t hash_bytes(const char *s, size_t len)
{
	uint64_t h = 0x9e3779b97f4a7c15ULL ^ len, w = 0;
	const char *p = s;
	size_t n = len;

	for (; n > 8; p += 8, n -= 8) {
		memcpy(&w, p, 8);
		h = (h ^ w) * 0xff51afd7ed558ccdULL;
		h ^= h >> 32;
	}
	/* The last one to eight bytes: the string's last word, overlapping
	 * the one before; in a short string its first and last four bytes
	 * (overlapping too), or the bytes one by one. */
	if (len >= 8) {
		memcpy(&w, s + len - 8, 8);
	} else if (len >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + len - 4, 4);
		w = (uint64_t)a << 32 | b;
	} else {
		for (size_t i = 0; i < n; i++)
			w |= (uint64_t)(unsigned char)p[i] << (8 * i);
	}
	h = (h ^ w) * 0xc4ceb9fe1a85ec53ULL;
	h ^= h >> 33;
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h;
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

uint32_t strpool_hash(const char *s, size_t len)
{
	return hash_bytes(s, len);
}

int strpool_find(const struct strpool *p, const char *s, size_t len,
		 uint32_t *id)
{
	return p->nslots ? strpool_find_hashed(p, s, len, hash_bytes(s, len), id) : -1;
}

int strpool_find_hashed(const struct strpool *p, const char *s, size_t len,
			uint32_t h, uint32_t *id)
{
	if (!p->nslots)
		return -1;
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
	return strpool_intern_hashed(p, s, len, hash_bytes(s, len), id);
}

int strpool_intern_hashed(struct strpool *p, const char *s, size_t len, uint32_t h,
			  uint32_t *id)
{
	if (strpool_find_hashed(p, s, len, h, id) == 0)
		return 0;
	if (p->count == UINT32_MAX - 1 || (p->count && !p->hash)) /* sealed */
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
	uint32_t i = h & (p->nslots - 1);
	while (p->slots[i])
		i = (i + 1) & (p->nslots - 1);
	p->slots[i] = p->count + 1;
	p->str[p->count] = copy;
	p->hash[p->count] = h;
	*id = p->count++;
	return 0;
}

void strpool_seal(struct strpool *p)
{
	free(p->hash);
	free(p->slots);
	p->hash = NULL;
	p->slots = NULL;
	p->nslots = 0;
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
