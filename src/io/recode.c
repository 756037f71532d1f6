/* recode.c — exports in legacy encodings into UTF-8 (recode.h). */
#include "io/recode.h"

#include <errno.h>
#include <glib.h>
#include <iconv.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int recode_is_utf8(const char *encoding)
{
	return !encoding || !strcasecmp(encoding, "utf-8") || !strcasecmp(encoding, "utf8");
}

/* Convert IN[0..N) with CD into a fresh buffer; -1 on a conversion
 * failure or out of memory. */
static int convert_all(iconv_t cd, const char *in, size_t n, char *out, size_t cap,
		       size_t *outlen)
{
	char *ip = (char *)in, *op = out;
	size_t il = n, ol = cap;

	iconv(cd, NULL, NULL, NULL, NULL);
	if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1)
		return -1;
	if (iconv(cd, NULL, NULL, &op, &ol) == (size_t)-1)
		return -1;
	*outlen = (size_t)(op - out);
	return 0;
}

/* "UTF-16LE" or "UTF-16BE" when BUF starts as UTF-16 does: a byte-order
 * mark, or ASCII with a NUL beside every byte (the loader's own test,
 * io/load.c); else NULL. */
static const char *utf16_guess(const char *buf, size_t len)
{
	if (len >= 2 && (!memcmp(buf, "\xFF\xFE", 2) ||
			 (len >= 4 && buf[0] && !buf[1] && buf[2] && !buf[3])))
		return "UTF-16LE";
	if (len >= 2 && (!memcmp(buf, "\xFE\xFF", 2) ||
			 (len >= 4 && !buf[0] && buf[1] && !buf[2] && buf[3])))
		return "UTF-16BE";
	return NULL;
}

/* The UTF-16 family (Excel's "Unicode Text", some report servers): two
 * bytes a unit, so lines are cut on the unit 0x000A, not on the byte.
 * 1 for such an ENCODING, with the byte order and the length of a
 * byte-order mark at the start of BUF to skip; 0 for any other.  "UTF-16"
 * and "UCS-2" take the order from the mark, else from where the NULs of
 * ASCII text fall, else little-endian, as Windows writes it. */
static int utf16_of(const char *encoding, const char *buf, size_t len, int *le,
		    size_t *skip)
{
	static const struct { const char *name; int order; } names[] = {
		{ "utf-16", 0 }, { "utf16", 0 }, { "ucs-2", 0 }, { "ucs2", 0 },
		{ "utf-16le", 1 }, { "utf16le", 1 }, { "ucs-2le", 1 },
		{ "utf-16be", -1 }, { "utf16be", -1 }, { "ucs-2be", -1 },
	};
	const unsigned char *b = (const unsigned char *)buf;
	int order = 2;

	if (!encoding)
		return 0;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (!strcasecmp(encoding, names[i].name))
			order = names[i].order;
	if (order == 2)
		return 0;
	int bom = len >= 2 ? (b[0] == 0xFF && b[1] == 0xFE ? 1 : b[0] == 0xFE && b[1] == 0xFF ? -1 : 0)
			   : 0;
	if (order == 0) {
		const char *g = len ? utf16_guess(buf, len) : NULL;
		order = bom ? bom : g && g[6] == 'B' ? -1 : 1;
	}
	*le = order > 0;
	*skip = bom == order ? 2 : 0;
	return 1;
}

int recode_usable(const char *encoding, const char **why)
{
	int le;
	size_t skip;

	if (utf16_of(encoding, NULL, 0, &le, &skip))
		return 0;
	/* The bytes the cutter and the parser look for, and some text. */
	static const char probe[] = "\n\r,;\t\"= AZaz09:/-.$";
	char out[64];
	size_t n;

	if (recode_is_utf8(encoding))
		return 0;
	iconv_t cd = iconv_open("UTF-8", encoding);
	if (cd == (iconv_t)-1) {
		*why = "iconv does not know this encoding (`iconv -l` lists them; "
		       "windows-1252 is what Excel on Windows writes)";
		return -1;
	}
	int rc = convert_all(cd, probe, sizeof probe - 1, out, sizeof out, &n);
	iconv_close(cd);
	if (rc != 0 || n != sizeof probe - 1 || memcmp(out, probe, n) != 0) {
		*why = "only encodings that keep ASCII as it is (windows-1252, "
		       "ISO-8859-1, ...) can be read: save the export as UTF-8";
		return -1;
	}
	return 0;
}

static int add_bad(struct recoded *r, size_t *cap, size_t line, size_t byte,
		   unsigned char v)
{
	if (r->nbad == *cap) {
		size_t nc = *cap ? *cap * 2 : 16;
		struct recode_bad *b = realloc(r->bad, nc * sizeof *b);
		if (!b)
			return -1;
		r->bad = b;
		*cap = nc;
	}
	r->bad[r->nbad++] = (struct recode_bad){ line, byte, v };
	return 0;
}

static void guess_encoding(const char *buf, size_t len, struct recoded *out)
{
	const char *p = buf, *end = buf + len;

	if ((out->guess = utf16_guess(buf, len))) {
		out->guess_line = 1;
		return;
	}

	/* A NUL byte is the loader's matter, not an encoding's: skip it. */
	while (p < buf + len && !g_utf8_validate(p, (gssize)(buf + len - p), &end) &&
	       *end == '\0')
		p = end + 1;
	if (p >= buf + len || end == buf + len)
		return;
	size_t line = 1;
	for (const char *q = buf; q < end; q++)
		line += *q == '\n';
	out->guess_line = line;
	/* What Excel on Windows writes.  ISO-8859-1 differs from it only in
	 * 0x80-0x9F, control characters no export means; a byte there that
	 * windows-1252 leaves undefined is a damaged row, not another
	 * encoding. */
	out->guess = "windows-1252";
}

/* The end of the line starting at P (after its line break, or END): the
 * byte '\n', or for units of two bytes (W 2) the unit 0x000A in order LE. */
static const char *line_end(const char *p, const char *end, size_t w, int le)
{
	if (w == 1) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		return nl ? nl + 1 : end;
	}
	for (; end - p >= 2; p += 2)
		if (p[le ? 0 : 1] == '\n' && p[le ? 1 : 0] == '\0')
			return p + 2;
	return end;
}

int recode_buffer(const char *path, const char *buf, size_t len,
		  const char *encoding, struct recoded *out, struct gr_err *err)
{
	const char *why;
	size_t badcap = 0;

	memset(out, 0, sizeof *out);
	if (recode_is_utf8(encoding)) {
		if (!(out->buf = malloc(len + 1)))
			return gr_fail(err, path, 0, "out of memory");
		memcpy(out->buf, buf, len);
		out->buf[len] = '\0';
		out->len = len;
		if (!encoding)
			guess_encoding(buf, len, out);
		return 0;
	}
	if (recode_usable(encoding, &why) != 0)
		return gr_fail(err, path, 0, "encoding '%s': %s", encoding, why);
	/* The width of a unit: 1 byte, or 2 for UTF-16 in the order found. */
	int le = 1;
	size_t w = 1, skip = 0;
	const char *u16 = utf16_guess(buf, len);
	if (utf16_of(encoding, buf, len, &le, &skip)) {
		w = 2;
		encoding = le ? "UTF-16LE" : "UTF-16BE";
	} else if (u16) {
		/* Read byte by byte it would be NULs between letters. */
		return gr_fail(err, path, 0, "the file is UTF-16 (%s-endian), not %s: set "
			       "`encoding = %s`", u16[6] == 'L' ? "little" : "big",
			       encoding, u16);
	}
	iconv_t cd = iconv_open("UTF-8", encoding);
	if (cd == (iconv_t)-1)
		return gr_fail(err, path, 0, "encoding '%s': %s", encoding, strerror(errno));
	/* One byte of an 8-bit encoding is at most 3 bytes of UTF-8 (the
	 * Basic Multilingual Plane); 4 leaves room for any. */
	size_t cap = len > (SIZE_MAX - 16) / 4 ? 0 : len * 4 + 16;
	if (!cap || !(out->buf = malloc(cap))) {
		iconv_close(cd);
		return gr_fail(err, path, 0, "out of memory");
	}
	char *op = out->buf;
	size_t ol = cap - 1, line = 1;
	const char *p = buf + skip, *end = buf + len;
	while (p < end) {
		const char *e = line_end(p, end, w, le), *ls = p;
		iconv(cd, NULL, NULL, NULL, NULL);
		while (p < e) {
			char *ip = (char *)p;
			size_t il = (size_t)(e - p);
			if (iconv(cd, &ip, &il, &op, &ol) != (size_t)-1) {
				p = ip;
				break;
			}
			p = ip;
			if (errno == E2BIG) /* cannot happen with 4 bytes a byte */
				break;
			/* EILSEQ or a sequence cut by the line end (EINVAL):
			 * the byte becomes a NUL, the loader's sign of a bad
			 * row, and conversion goes on after it. */
			/* The byte that tells: of a UTF-16 unit its high byte
			 * (0xD8-0xDF for a lone surrogate). */
			unsigned char v = (unsigned char)(w == 2 && e - p >= 2 ? p[le ? 1 : 0] : *p);
			if (add_bad(out, &badcap, line, (size_t)(p - ls) + 1, v) != 0 || ol == 0)
				goto oom;
			*op++ = '\0';
			ol--;
			p += (size_t)(e - p) < w ? (size_t)(e - p) : w; /* a unit */
			iconv(cd, NULL, NULL, NULL, NULL);
		}
		/* A NUL the file itself holds (a zero unit) is listed too. */
		for (const char *q = ls; q + w <= e; q += w)
			if (!q[0] && (w == 1 || !q[1]) &&
			    add_bad(out, &badcap, line, (size_t)(q - ls) + 1, 0) != 0)
				goto oom;
		p = e;
		line++;
	}
	iconv_close(cd);
	out->len = (size_t)(op - out->buf);
	out->buf[out->len] = '\0';
	return 0;
oom:
	iconv_close(cd);
	recoded_free(out);
	return gr_fail(err, path, 0, "out of memory");
}

int recode_file(const char *path, const char *encoding, struct recoded *out,
		struct gr_err *err)
{
	gchar *text = NULL;
	gsize len = 0;
	GError *ge = NULL;

	memset(out, 0, sizeof *out);
	if (!g_file_get_contents(path, &text, &len, &ge)) {
		int rc = gr_fail(err, path, 0, "cannot read: %s", ge->message);
		g_error_free(ge);
		return rc;
	}
	if (len == 0) {
		g_free(text);
		return gr_fail(err, path, 0, "the file is empty: a header line is needed");
	}
	if (recode_is_utf8(encoding)) {
		/* Nothing to convert: the file's own buffer (NUL-terminated by
		 * GLib, and from malloc: g_malloc is the system's since GLib
		 * 2.46) is the text, rather than a second copy of it. */
		out->buf = text;
		out->len = len;
		if (!encoding)
			guess_encoding(text, len, out);
		return 0;
	}
	int rc = recode_buffer(path, text, len, encoding, out, err);
	g_free(text);
	return rc;
}

void recoded_free(struct recoded *r)
{
	free(r->buf);
	free(r->bad);
	memset(r, 0, sizeof *r);
}

void recode_unguard(char *buf, size_t *len, char delim)
{
	size_t r = 0, w = 0, n = *len;
	bool start = true; /* at the start of a field */
	bool ends[256] = { false }; /* the bytes that end a field */

	ends[(unsigned char)delim] = ends['\n'] = ends['\r'] = true;

	/* Runs are moved at once (memmove: the text only ever moves left);
	 * the states are those of RFC 4180: a quote opens a field only at
	 * its start, and a doubled quote inside one is a quote. */
	while (r < n) {
		if (start && buf[r] == '=' && r + 1 < n && buf[r + 1] == '"') {
			r++; /* drop the '=': the field is quoted from here */
			continue;
		}
		size_t e;
		if (start && buf[r] == '"') {
			e = r + 1;
			for (;;) {
				const char *q = memchr(buf + e, '"', n - e);
				if (!q) {
					e = n;
					break;
				}
				e = (size_t)(q - buf) + 1;
				if (e < n && buf[e] == '"') {
					e++; /* a doubled quote: still inside */
					continue;
				}
				break;
			}
			start = false;
		} else {
			for (e = r; e < n && !ends[(unsigned char)buf[e]]; e++)
				;
			start = e < n;
			if (start)
				e++; /* the separator or line break ends the field */
		}
		if (w != r)
			memmove(buf + w, buf + r, e - r);
		w += e - r;
		r = e;
	}
	*len = w;
	if (w < n)
		buf[w] = '\0';
}
