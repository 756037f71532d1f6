/* words.c — normalised words of a text (words.h). */
#include "core/words.h"

#include <glib.h>
#include <string.h>

/* FNV-1a over the bytes, then a finaliser (splitmix64's) so that short
 * words spread over all 64 bits. */
#define FNV_OFFSET 0xcbf29ce484222325ULL
#define FNV_PRIME 0x100000001b3ULL

static uint64_t finish(uint64_t h)
{
	h ^= h >> 30;
	h *= 0xbf58476d1ce4e5b9ULL;
	h ^= h >> 27;
	h *= 0x94d049bb133111ebULL;
	return h ^ (h >> 31);
}

uint64_t words_hash(const char *word, size_t len)
{
	uint64_t h = FNV_OFFSET;
	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)word[i];
		h *= FNV_PRIME;
	}
	return finish(h);
}


static int push(struct vec *out, uint64_t h)
{
	uint64_t *p = vec_push(out);
	if (!p)
		return -1;
	*p = h;
	return 0;
}

/* ASCII letters and digits, and lower case, without a call per byte:
 * the same as g_ascii_isalnum and g_ascii_tolower. */
static inline int ascii_alnum(unsigned char c)
{
	return (unsigned)(c - '0') < 10u || (unsigned)((c | 0x20) - 'a') < 26u;
}

static inline unsigned char ascii_lower(unsigned char c)
{
	return (unsigned)(c - 'A') < 26u ? (unsigned char)(c | 0x20) : c;
}

static long split_ascii(const char *s, size_t len, struct vec *out)
{
	long n = 0;
	size_t i = 0;

	while (i < len) {
		while (i < len && !ascii_alnum((unsigned char)s[i]))
			i++;
		if (i == len)
			break;
		uint64_t h = FNV_OFFSET;
		while (i < len && ascii_alnum((unsigned char)s[i])) {
			h ^= ascii_lower((unsigned char)s[i]);
			h *= FNV_PRIME;
			i++;
		}
		if (push(out, finish(h)) != 0)
			return -1;
		n++;
	}
	return n;
}

/* S is NUL-terminated valid UTF-8, already NFKC-casefolded. */
static long split_unicode(const char *s, struct vec *out)
{
	long n = 0;
	const char *p = s;

	while (*p) {
		gunichar c = g_utf8_get_char(p);
		if (!g_unichar_isalnum(c)) {
			p = g_utf8_next_char(p);
			continue;
		}
		uint64_t h = FNV_OFFSET;
		while (*p) {
			c = g_utf8_get_char(p);
			if (!g_unichar_isalnum(c) && !g_unichar_ismark(c))
				break;
			const char *q = g_utf8_next_char(p);
			for (; p < q; p++) {
				h ^= (unsigned char)*p;
				h *= FNV_PRIME;
			}
		}
		if (push(out, finish(h)) != 0)
			return -1;
		n++;
	}
	return n;
}

long words_split_glib(const char *text, size_t len, struct vec *out)
{
	gchar *valid = g_utf8_make_valid(text, (gssize)len);
	gchar *nfkc = g_utf8_normalize(valid, -1, G_NORMALIZE_NFKC);
	g_free(valid);
	if (!nfkc)
		return -1;
	gchar *folded = g_utf8_casefold(nfkc, -1);
	g_free(nfkc);
	gchar *again = g_utf8_normalize(folded, -1, G_NORMALIZE_NFKC);
	g_free(folded);
	if (!again)
		return -1;
	long n = split_unicode(again, out);
	g_free(again);
	return n;
}

long words_split(const char *text, size_t len, struct vec *out)
{
	for (size_t i = 0; i < len; i++)
		if ((unsigned char)text[i] >= 0x80)
			return words_split_glib(text, len, out);
	return split_ascii(text, len, out);
}
