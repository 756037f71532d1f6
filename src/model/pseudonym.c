/* pseudonym.c — keyed pseudonyms of member ids (pseudonym.h), with
 * GLib's HMAC rather than a hash of our own. */
#include "model/pseudonym.h"

#include <glib.h>
#include <string.h>

void pseudonym_make(const unsigned char key[PSEUDONYM_KEY_BYTES], const char *id,
		    char buf[24])
{
	GHmac *h = g_hmac_new(G_CHECKSUM_SHA256, key, PSEUDONYM_KEY_BYTES);

	g_hmac_update(h, (const guchar *)id, (gssize)strlen(id));
	/* 64 bits of the digest: two members of one practice share a
	 * pseudonym with a chance of about n^2 / 2^65 (1 in 10^10 for
	 * 100,000 members). */
	memcpy(buf, "member-", 7);
	memcpy(buf + 7, g_hmac_get_string(h), 16);
	buf[23] = '\0';
	g_hmac_unref(h);
}

int pseudonyms_build(struct pseudonyms *p, const struct roster *r,
		     const unsigned char key[PSEUDONYM_KEY_BYTES], struct arena *a,
		     struct gr_err *err)
{
	p->count = r->members.count;
	p->label = arena_alloc(a, ((size_t)p->count + 1) * sizeof *p->label);
	if (!p->label)
		return gr_fail(err, NULL, 0, "out of memory");
	for (uint32_t i = 0; i < p->count; i++) {
		char buf[24];
		pseudonym_make(key, strpool_str(&r->members, i), buf);
		if (!(p->label[i] = arena_strdup(a, buf)))
			return gr_fail(err, NULL, 0, "out of memory");
	}
	return 0;
}

const char *pseudonym_of(const struct pseudonyms *p, const struct roster *r,
			 uint32_t member)
{
	return p ? p->label[member] : strpool_str(&r->members, member);
}

static int hexval(int c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
	       : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

int pseudonym_key_parse(const char *text, size_t n,
			unsigned char key[PSEUDONYM_KEY_BYTES])
{
	if (n < 2 * PSEUDONYM_KEY_BYTES ||
	    (n > 2 * PSEUDONYM_KEY_BYTES && text[2 * PSEUDONYM_KEY_BYTES] != '\n'))
		return -1;
	for (int i = 0; i < PSEUDONYM_KEY_BYTES; i++) {
		int hi = hexval((unsigned char)text[2 * i]);
		int lo = hexval((unsigned char)text[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		key[i] = (unsigned char)(hi << 4 | lo);
	}
	return 0;
}
