/* strpool.h — interning: each distinct string gets a small dense id.
 *
 * Lines hold ids, not strings, so a ten-million-line roster stores each
 * member, payer or group name once.  Ids are assigned 0, 1, 2, ... in
 * first-seen order, which keeps every output deterministic.
 * Strings are copied into the pool's arena.
 */
#ifndef GR_STRPOOL_H
#define GR_STRPOOL_H

#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"

struct strpool {
	struct arena *arena;
	char **str;      /* id -> NUL-terminated string */
	uint32_t *hash;  /* id -> hash, to grow the table without rehashing text */
	uint32_t count;
	uint32_t cap;    /* capacity of str/hash */
	uint32_t *slots; /* open addressing: id + 1, 0 = empty */
	uint32_t nslots; /* power of two */
};

void strpool_init(struct strpool *p, struct arena *a);
/* Id of S[0..LEN), adding it if new. Returns -1 on out of memory. */
int strpool_intern(struct strpool *p, const char *s, size_t len, uint32_t *id);
/* Id of S if present: 0 and *ID set, or -1 when absent. */
int strpool_find(const struct strpool *p, const char *s, size_t len, uint32_t *id);
/* The hash the pool files S[0..LEN) under, which any thread may compute
 * (it depends on the bytes only), and the two calls above given it: the
 * roster's parser threads hash each member id for the calling thread. */
uint32_t strpool_hash(const char *s, size_t len);
int strpool_find_hashed(const struct strpool *p, const char *s, size_t len,
			uint32_t h, uint32_t *id);
int strpool_intern_hashed(struct strpool *p, const char *s, size_t len, uint32_t h,
			  uint32_t *id);
static inline const char *strpool_str(const struct strpool *p, uint32_t id)
{
	return p->str[id];
}
/* Drop the lookup table once every string is in: from then on only
 * strpool_str may be used (strpool_find finds nothing).  The roster does
 * this after loading — the table of a million session ids is 12 MB. */
void strpool_seal(struct strpool *p);
void strpool_free(struct strpool *p);

#endif
