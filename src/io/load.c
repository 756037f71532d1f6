/* load.c — one CSV file into typed rows, with physical line numbers.
 *
 * libcsv parses fields but knows nothing of lines, and after a parse error
 * its state would swallow the rest of the file.  So the file is first cut
 * into records by a small state machine that follows RFC 4180 quoting
 * (a quote opens a quoted field only at the start of a field; "" inside a
 * quoted field is a quote) and counts physical lines as it goes.  Each
 * record is then parsed alone by libcsv in strict mode and the parser is
 * reset, so a bad record is rejected with its own line number and never
 * affects the next one.
 *
 * A large file is parsed on several cores (struct load_tuning): it is cut
 * into parts at line breaks, worker threads parse the parts into buffers
 * of rows, and the calling thread hands the rows to the caller in file
 * order.  A part start can be wrong only when a quoted field holds a line
 * break; it is checked against where the previous part really ended, and
 * a wrong part is parsed again, so the result is always that of one
 * thread.
 */
#include "io/load.h"

#include <csv.h>
#include <ctype.h>
#include <stdarg.h>
#include <stddef.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

/* One part of a file parsed by a worker: its rows and rejects as events
 * in OUT, with line numbers relative to BEGIN. */
struct part {
	size_t begin, end;   /* records that start in [begin, end) */
	size_t stop;         /* where the last of them really ended */
	size_t lines;        /* line breaks between begin and stop */
	size_t records, rejected, empty_lines;
	char *out;
	size_t outlen, outcap;
	bool done, failed;   /* failed: out of memory */
};

enum { EV_ROW = 'R', EV_REJECT = 'J', EV_UNTERMINATED = 'U' };

struct loader {
	const struct load_spec *spec;
	struct load_stats *stats;
	struct gr_err *err;
	struct csv_parser parser;

	/* Fields of the record being parsed, NUL-separated in buf. */
	char *buf;
	size_t buflen, bufcap;
	size_t *off, *flen;
	size_t nfields;       /* off and flen hold LOAD_MAX_FIELDS */
	const char *problem; /* first reason to reject this record, or NULL */

	/* Header mapping: file column -> requested column, or -1. */
	bool have_header;
	size_t file_cols;
	int *map;

	/* Row handed to the caller. */
	const char **v;
	size_t *len;
	bool *present;

	/* What the spec's PREP made of the row being handed over. */
	union {
		max_align_t align;
		char bytes[LOAD_MAX_PREP];
	} prep;

	/* The columns ROW reads as text (kept), in order: the events of a
	 * part carry only these, and are written and read by this list
	 * rather than by a test of every column of every row. */
	uint16_t kept_col[LOAD_MAX_COLUMNS];
	size_t nkept;
	/* The columns asked for that the file does not have (once the
	 * header is read): the only ones a row must set to "" itself. */
	uint16_t absent_col[LOAD_MAX_COLUMNS];
	size_t nabsent;

	bool libcsv_only;   /* load_tuning.libcsv_only */
	struct part *part;  /* a worker's part: events go there, not to the caller */
	bool header_only;   /* stop cutting once the header is read */
	char delim;         /* field separator (load_spec.delim, default ',') */
};

/* ---- events of a worker's part ----------------------------------------- */

/* Room for N more bytes at the end of the part's events, or NULL when
 * memory ran out. */
static char *reserve(struct part *p, size_t n)
{
	if (p->outlen + n > p->outcap) {
		size_t cap = p->outcap ? p->outcap : 1u << 16;
		while (cap < p->outlen + n)
			cap *= 2;
		char *b = realloc(p->out, cap);
		if (!b) {
			p->failed = true;
			return NULL;
		}
		p->out = b;
		p->outcap = cap;
	}
	char *w = p->out + p->outlen;
	p->outlen += n;
	return w;
}

static int put(struct part *p, const void *data, size_t n)
{
	char *w = n ? reserve(p, n) : NULL;

	if (n && !w)
		return -1;
	if (n)
		memcpy(w, data, n);
	return 0;
}

/* Whether ROW reads column K's text (load_spec.keep). */
static bool kept(const struct load_spec *sp, size_t k)
{
	return !sp->prep || !sp->keep || k >= 64 || (sp->keep >> k & 1);
}

/* A row event: the type, the line, the PREP bytes, then each kept column
 * as a 32-bit length, the bytes and a NUL, written with one reservation
 * (a put per piece was a tenth of the parallel load's time). */
static int put_row(struct part *p, const struct loader *L, size_t line)
{
	const struct load_spec *sp = L->spec;
	/* In locals: the stores through W may alias the loader. */
	const char *const *const vals = L->v;
	const size_t *const lens = L->len;
	const uint16_t *const kc = L->kept_col;
	const size_t nk = L->nkept;
	size_t need = 1 + sizeof line + (sp->prep ? sp->prep_size : 0);
	for (size_t j = 0; j < nk; j++)
		need += sizeof(uint32_t) + lens[kc[j]] + 1;
	/* Eight bytes of slack: a short field is copied a word at a time. */
	char *w = reserve(p, need + 8);
	if (!w)
		return -1;
	p->outlen -= 8;
	*w++ = EV_ROW;
	memcpy(w, &line, sizeof line);
	w += sizeof line;
	if (sp->prep) {
		memcpy(w, L->prep.bytes, sp->prep_size);
		w += sp->prep_size;
	}
	for (size_t j = 0; j < nk; j++) {
		size_t k = kc[j], n = lens[k];
		const char *v = vals[k];
		uint32_t n32 = (uint32_t)n;
		memcpy(w, &n32, sizeof n32);
		w += sizeof n32;
		/* An id or a date: the NUL-terminated text (N + 1 bytes) in
		 * one or two words, no call to memcpy.  The value's own NUL
		 * is always there to read, and the slack takes the rest. */
		if (n < 8) {
			/* A value in the record's buffer, which has eight
			 * bytes to spare (one_record): one word, cut after
			 * its N bytes, so its NUL follows.  An empty value
			 * may be a "" of the caller's: not read. */
			uint64_t x = 0;
			if (n) {
				memcpy(&x, v, 8);
				x &= ((uint64_t)1 << (8 * n)) - 1;
			}
			memcpy(w, &x, 8);
		} else if (n < 16) {
			uint64_t a, b;
			memcpy(&a, v, 8);
			memcpy(&b, v + n - 7, 8); /* the last 7 bytes and the NUL */
			memcpy(w, &a, 8);
			memcpy(w + n - 7, &b, 8);
		} else {
			memcpy(w, v, n + 1);
		}
		w += n + 1;
	}
	return 0;
}

static int put_head(struct part *p, char type, size_t line)
{
	return put(p, &type, 1) || put(p, &line, sizeof line) ? -1 : 0;
}

static int put_str(struct part *p, const char *s, size_t n)
{
	uint32_t n32 = (uint32_t)n;
	return put(p, &n32, sizeof n32) || put(p, s, n) || put(p, "", 1) ? -1 : 0;
}

static void unterminated_msg(char *buf, size_t size, size_t first, size_t last)
{
	snprintf(buf, size, "unterminated quoted field (the quote opened on this "
		 "line never closes; lines %zu-%zu were read as one field)",
		 first, last);
}

/* Whether a field of N bytes may join the record: the limits and their
 * messages, one copy for libcsv's fields and the scanners' (the
 * differential fuzz target compares the messages too). */
static inline bool field_fits(struct loader *L, size_t n)
{
	if (n > LOAD_MAX_FIELD) {
		L->problem = "a field is longer than 64 KiB";
		return false;
	}
	if (L->nfields >= LOAD_MAX_FIELDS) {
		L->problem = "more than 16384 fields";
		return false;
	}
	return true;
}

/* The scanners' field B[A..E), cut in place in the record's copy B. */
static inline bool keep_cut(struct loader *L, char *b, size_t a, size_t e)
{
	if (!field_fits(L, e - a))
		return false;
	b[e] = '\0';
	L->off[L->nfields] = a;
	L->flen[L->nfields] = e - a;
	L->nfields++;
	return true;
}

static void on_field(void *s, size_t n, void *data)
{
	struct loader *L = data;

	if (L->problem || !field_fits(L, n))
		return;
	/* Room was made before parsing (one_record): the fields of a record
	 * are never longer than the record, plus a NUL each. */
	if (n)
		memcpy(L->buf + L->buflen, s, n);
	L->buf[L->buflen + n] = '\0';
	L->off[L->nfields] = L->buflen;
	L->flen[L->nfields] = n;
	L->nfields++;
	L->buflen += n + 1;
}

static void on_record(int c, void *data)
{
	(void)c;
	(void)data;
	/* One record is parsed at a time, so the end of a record is known
	 * from the cut; nothing to do here. */
}

/* B[*A, *E) without the blanks and tabs at its ends, as libcsv trims a
 * plain field.  Both are at most ' ': one test says a field has nothing
 * to trim. */
static inline void trim_field(const char *b, size_t *a, size_t *e)
{
	if (*a < *e && (unsigned char)b[*a] <= ' ')
		while (*a < *e && (b[*a] == ' ' || b[*a] == '\t'))
			(*a)++;
	if (*e > *a && (unsigned char)b[*e - 1] <= ' ')
		while (*e > *a && (b[*e - 1] == ' ' || b[*e - 1] == '\t'))
			(*e)--;
}

/* The scanner.  A record without a quote character holds plain fields
 * only, which libcsv (strict mode) ends at each delimiter (a comma, or a map's ";" or "|") and trims of spaces
 * and tabs at both ends, and a record of nothing but spaces and tabs has
 * no field at all.  Splitting it in place, eight bytes at a time, gives
 * exactly libcsv's fields, several times faster than libcsv's byte-by-byte
 * callbacks, with on_field's limits and messages.  Records with a quote go to libcsv, the reference parser; the
 * differential fuzz target (tests/fuzz/fuzz_scanner.c) compares the two. */
static void split_plain(struct loader *L, const char *rec, size_t len)
{
	size_t k = 0;

	while (k < len && (rec[k] == ' ' || rec[k] == '\t'))
		k++;
	if (k == len)
		return;
	/* One copy of the record; each comma becomes the NUL ending its
	 * field, and a trimmed field gets its NUL where its text ends.  The
	 * field arrays and their count are kept in locals: every byte
	 * stored through B may, for the compiler, alias the loader, which
	 * made it reload them for every field. */
	char *const b = L->buf;
	size_t *const off = L->off, *const flen = L->flen;
	const char delim = L->delim;
	size_t nf = L->nfields;
	memcpy(b, rec, len);
	b[len] = '\0';
	L->buflen = len + 1;
	size_t start = 0, i = 0;
	size_t word = 0;
#if defined(__SSE2__)
	/* Bit j: byte WORD+j is the delimiter, sixteen bytes at a time. */
	enum { STEP = 16 };
	unsigned commas = 0;
	const __m128i dv = _mm_set1_epi8(delim);
#define COMMA_AT(m) ((size_t)__builtin_ctz(m))
#else
	/* Bit 8j+7: byte WORD+j is the delimiter, eight bytes at a time. */
	enum { STEP = 8 };
	uint64_t commas = 0;
	const uint64_t dmask = 0x0101010101010101ULL * (unsigned char)delim;
#define COMMA_AT(m) ((size_t)(__builtin_ctzll(m) >> 3))
#endif
	for (;;) {
		/* The next comma at or after START: the set bits of each word's
		 * comma mask (exact: no false positives), then the tail byte by
		 * byte. */
		while (!commas && word + STEP <= len) {
#if defined(__SSE2__)
			__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + word));
			commas = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, dv));
#else
			uint64_t w, x;
			memcpy(&w, b + word, 8);
			x = w ^ dmask;
			commas = ~(((x & 0x7f7f7f7f7f7f7f7fULL) + 0x7f7f7f7f7f7f7f7fULL) | x) &
				 0x8080808080808080ULL;
#endif
			if (!commas)
				word += STEP;
		}
		if (commas) {
			i = word + COMMA_AT(commas);
			commas &= commas - 1;
			if (!commas)
				word += STEP;
		} else {
			i = word > start ? word : start;
			while (i < len && b[i] != delim)
				i++;
			word = i + 1;
		}
		size_t a = start, e = i;
		trim_field(b, &a, &e);
		if (e - a > LOAD_MAX_FIELD || nf >= LOAD_MAX_FIELDS) {
			L->nfields = nf;
			(void)field_fits(L, e - a); /* sets the problem */
			return;
		}
		b[e] = '\0';
		off[nf] = a;
		flen[nf] = e - a;
		nf++;
		if (i >= len)
			break;
		start = i + 1;
	}
#undef COMMA_AT
	L->nfields = nf;
}

/* The first delimiter at or after I in B[0..LEN), or LEN. */
static inline size_t next_delim(const char *b, size_t i, size_t len, char delim)
{
#if defined(__SSE2__)
	const __m128i dv = _mm_set1_epi8(delim);
	for (; i + 16 <= len; i += 16) {
		__m128i x = _mm_loadu_si128((const __m128i *)(const void *)(b + i));
		unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(x, dv));
		if (m)
			return i + (size_t)__builtin_ctz(m);
	}
#endif
	while (i < len && b[i] != delim)
		i++;
	return i;
}

/* The scanner for a record whose quotes are all simple (quotes_simple:
 * each opens a field and closes just before a comma or the record's end)
 * and that holds no CR or LF: a quoted field is the bytes between its
 * quotes, untouched, as libcsv gives it; the others are plain fields,
 * trimmed as split_plain trims them.  Exports quote a text with a comma
 * ("trauma recovery, adults") and nothing else, and libcsv's
 * byte-by-byte callbacks made such a record cost ten plain ones.  As in
 * split_plain, the record is copied once and cut in place: a closing
 * quote, a comma or a trimmed blank becomes the NUL ending a field (a
 * copy and a memchr a field cost more than the fields, which are short). */
static void split_quoted(struct loader *L, const char *rec, size_t len)
{
	char *b = L->buf;
	size_t i = 0;

	memcpy(b, rec, len);
	b[len] = '\0';
	L->buflen = len + 1;
	for (;;) {
		size_t a, e, next;
		if (i < len && b[i] == '"') {
			/* The closing quote is there (quotes_simple). */
			const char *q = memchr(b + i + 1, '"', len - i - 1);
			a = i + 1;
			e = (size_t)(q - b);
			next = e + 1; /* the comma, or the end */
		} else {
			e = next_delim(b, i, len, L->delim);
			a = i;
			next = e; /* the comma, or the end */
			trim_field(b, &a, &e);
		}
		if (!keep_cut(L, b, a, e))
			return;
		if (next >= len)
			return;
		i = next + 1; /* past the comma */
	}
}

/* The columns asked for that the file lacks (loader.absent_col), from
 * L->present once the header is read. */
static void note_absent(struct loader *L)
{
	L->nabsent = 0;
	for (size_t k = 0; k < L->spec->ncols && k < LOAD_MAX_COLUMNS; k++)
		if (!L->present[k])
			L->absent_col[L->nabsent++] = (uint16_t)k;
}

/* RFC 3629 UTF-8: returns the offset of the first invalid byte or LEN.
 * *BOM is the offset of the first U+FEFF (a byte-order mark), or LEN:
 * found here, where only non-ASCII bytes are looked at, it costs an
 * ASCII file nothing. */
static size_t utf8_check(const unsigned char *s, size_t len, size_t *bom)
{
	size_t i = 0;

	*bom = len;
	while (i < len) {
		/* Eight ASCII bytes at a time: almost every byte of a real file. */
		uint64_t w;
		while (i + 8 <= len && (memcpy(&w, s + i, 8), !(w & 0x8080808080808080ULL)))
			i += 8;
		if (i >= len)
			break;
		unsigned c = s[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t n;
		unsigned min;
		if ((c & 0xe0) == 0xc0) {
			n = 1;
			min = 0x80;
			c &= 0x1f;
		} else if ((c & 0xf0) == 0xe0) {
			n = 2;
			min = 0x800;
			c &= 0x0f;
		} else if ((c & 0xf8) == 0xf0) {
			n = 3;
			min = 0x10000;
			c &= 0x07;
		} else {
			return i;
		}
		for (size_t k = 1; k <= n; k++) {
			if (i + k >= len || (s[i + k] & 0xc0) != 0x80)
				return i;
			c = (c << 6) | (s[i + k] & 0x3f);
		}
		if (c < min || c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
			return i;
		if (c == 0xfeff && *bom == len)
			*bom = i;
		i += n + 1;
	}
	return len;
}

static int reject(struct loader *L, size_t line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int reject(struct loader *L, size_t line, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	L->stats->rejected++;
	if (L->part)
		return put_head(L->part, EV_REJECT, line) ||
		       put_str(L->part, msg, strlen(msg)) ? -1 : 0;
	if (L->spec->reject && L->spec->reject(L->spec->ctx, line, msg) != 0)
		return gr_fail(L->err, L->spec->path, line, "out of memory");
	return 0;
}

static void lower_trim(const char *s, size_t n, char *out, size_t size)
{
	size_t k = 0;

	/* Spaces and byte-order marks (a second one where two exports were
	 * joined) are not part of a name. */
	for (;;) {
		if (n && isspace((unsigned char)*s)) {
			s++;
			n--;
		} else if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
		} else {
			break;
		}
	}
	while (n && isspace((unsigned char)s[n - 1]))
		n--;
	for (size_t i = 0; i < n && k + 1 < size; i++)
		out[k++] = (char)tolower((unsigned char)s[i]);
	out[k] = '\0';
}

static int take_header(struct loader *L, size_t line)
{
	const struct load_spec *sp = L->spec;
	char name[256];
	size_t ign = 0, more = 0;
	const size_t room_end = sizeof L->stats->ignored - 24; /* for "... and N more" */

	L->file_cols = L->nfields;
	L->map = malloc(L->nfields * sizeof *L->map);
	if (!L->map)
		return gr_fail(L->err, sp->path, line, "out of memory");
	for (size_t i = 0; i < L->nfields; i++) {
		lower_trim(L->buf + L->off[i], L->flen[i], name, sizeof name);
		L->map[i] = -1;
		for (size_t k = 0; k < sp->ncols; k++) {
			if (strcmp(name, sp->cols[k].name) != 0)
				continue;
			if (L->stats->present[k])
				return gr_fail(L->err, sp->path, line,
					       "column '%s' appears twice in the header",
					       sp->cols[k].name);
			L->stats->present[k] = true;
			L->map[i] = (int)k;
		}
		if (L->map[i] < 0) {
			/* Every column not used is named once, an empty name too. */
			size_t room = room_end - ign;
			char unnamed[48];
			snprintf(unnamed, sizeof unnamed, "(column %zu has no name)", i + 1);
			int w = more ? -1 : snprintf(L->stats->ignored + ign, room, "%s%s",
						     ign ? ", " : "",
						     name[0] ? name : unnamed);
			if (w > 0 && (size_t)w < room)
				ign += (size_t)w;
			else
				more++;
			L->stats->ignored[ign] = '\0';
		}
	}
	if (more)
		snprintf(L->stats->ignored + ign, sizeof L->stats->ignored - ign,
			 "%s... and %zu more", ign ? ", " : "", more);
	for (size_t k = 0; k < sp->ncols; k++)
		if (sp->cols[k].required && !L->stats->present[k])
			return gr_fail(L->err, sp->path, line,
				       "missing required column '%s'", sp->cols[k].name);
	L->have_header = true;
	note_absent(L);
	return 0;
}

static bool quotes_simple(const char *buf, size_t i, size_t body, char delim);

/* Classes of bytes in a record, found by one pass over its line
 * (line_scan): a record without one skips the check that looks for it. */
enum {
	LS_CR = 1,    /* a CR */
	LS_QUOTE = 2, /* a quote character */
	LS_NUL = 4,   /* a NUL byte */
	LS_HIGH = 8,  /* a byte of 0x80 or more: the UTF-8 to check */
	LS_ALL = 15,  /* not known: every check is made */
	/* The classes are exact, from a record that is a whole line: it
	 * holds no CR or LF, and its quotes, if any, are simple
	 * (quotes_simple). */
	LS_EXACT = 16,
};

/* Parse one cut record REC[0..LEN) that starts on LINE; CLS is what
 * record_end knows of its bytes. */
static int one_record(struct loader *L, const char *rec, size_t len,
		      size_t line, unsigned cls)
{
	const struct load_spec *sp = L->spec;
	size_t bad, bom;

	if (L->have_header)
		L->stats->records++;
	if (len > LOAD_MAX_RECORD)
		return L->have_header
			? reject(L, line, "row longer than 1 MiB")
			: gr_fail(L->err, sp->path, line, "header longer than 1 MiB");
	if ((cls & LS_NUL) && memchr(rec, '\0', len))
		return L->have_header
			? reject(L, line, "NUL byte in the row (is this a text CSV file?)")
			: gr_fail(L->err, sp->path, line,
				  "NUL byte in the header (is this a text CSV file?)");
	bom = len;
	if ((cls & LS_HIGH) &&
	    (bad = utf8_check((const unsigned char *)rec, len, &bom)) != len)
		return L->have_header
			? reject(L, line, "invalid UTF-8 at byte %zu of the row "
				 "(save the file as UTF-8)", bad + 1)
			: gr_fail(L->err, sp->path, line, "invalid UTF-8 in the header "
				  "(save the file as UTF-8)");
	/* Invisible, but part of the value: a session id with one would
	 * silently be another session. */
	if (bom != len && L->have_header)
		return reject(L, line, "byte-order mark (U+FEFF) at byte %zu of the "
			      "row, inside a value (was the file joined from several "
			      "exports? remove the mark)", bom + 1);

	L->nfields = 0;
	L->buflen = 0;
	L->problem = NULL;
	/* The fields, a NUL after each, and eight bytes more: put_row
	 * reads a short value as one word. */
	if (len + LOAD_MAX_FIELDS + 9 > L->bufcap) {
		size_t cap = L->bufcap ? L->bufcap : 4096;
		while (cap < len + LOAD_MAX_FIELDS + 9)
			cap *= 2;
		char *b = realloc(L->buf, cap);
		if (!b)
			return L->have_header ? reject(L, line, "out of memory")
					      : gr_fail(L->err, sp->path, line, "out of memory");
		L->buf = b;
		L->bufcap = cap;
	}
	/* The scanner splits at the delimiter (a column map's ';' or '|' as
	 * well as ','), but not at a blank or a tab, which libcsv would also
	 * take for the trimming around fields: those files are libcsv's. */
	bool scan = !L->libcsv_only && L->delim != ' ' && L->delim != '\t';
	bool exact = cls & LS_EXACT;
	if (scan && !((cls & LS_QUOTE) && (exact || memchr(rec, '"', len)))) {
		split_plain(L, rec, len);
	} else if (scan && (exact || (quotes_simple(rec, 0, len, L->delim) &&
				      !memchr(rec, '\n', len) && !memchr(rec, '\r', len)))) {
		split_quoted(L, rec, len);
	} else if (csv_parse(&L->parser, rec, len, on_field, on_record, L) < len) {
		/* A stray quote: discard the half-parsed row instead of
		 * flushing it (csv_fini would emit it). */
		L->problem = L->problem ? L->problem
					: "misplaced quote (a quote inside a field "
					  "must be doubled and the field quoted)";
		L->nfields = 0;
		csv_fini(&L->parser, NULL, NULL, NULL);
	} else if (csv_fini(&L->parser, on_field, on_record, L) != 0) {
		L->problem = L->problem ? L->problem : "malformed quoting";
	}
	if (L->problem) {
		if (!L->have_header)
			return gr_fail(L->err, sp->path, line, "header: %s", L->problem);
		return reject(L, line, "%s", L->problem);
	}
	if (!L->have_header)
		return take_header(L, line);

	if (L->nfields != L->file_cols) {
		bool all_empty = true;
		for (size_t i = 0; i < L->nfields; i++)
			if (L->flen[i])
				all_empty = false;
		if (all_empty && L->nfields > 1)
			return reject(L, line, "row has only empty fields");
		return reject(L, line, "%zu field%s, the header has %zu", L->nfields,
			      L->nfields == 1 ? "" : "s", L->file_cols);
	}
	/* Every column the file has is set from its field (the record has
	 * every field of the header); the others are "".  The test for a
	 * row of empty fields is made in the same loop.  In locals: a store
	 * through V may alias the loader (see split_plain). */
	const char **const v = L->v;
	size_t *const vlen = L->len;
	const size_t *const off = L->off, *const flen = L->flen;
	const int *const map = L->map;
	const char *const fb = L->buf;
	for (size_t j = 0; j < L->nabsent; j++) {
		v[L->absent_col[j]] = "";
		vlen[L->absent_col[j]] = 0;
	}
	size_t any = 0;
	for (size_t i = 0, nf = L->nfields; i < nf; i++) {
		int k = map[i];
		any |= flen[i];
		if (k >= 0) {
			v[k] = fb + off[i];
			vlen[k] = flen[i];
		}
	}
	if (!any)
		return reject(L, line, "row has only empty fields");
	struct load_row row = { line, sp->ncols, L->v, L->len, L->present, NULL };
	if (sp->prep) {
		char why[512];
		if (sp->prep(sp->ctx, &row, L->prep.bytes, why, sizeof why)) {
			/* The caller's reject, not the loader's: not counted in
			 * stats->rejected. */
			if (L->part)
				return put_head(L->part, EV_REJECT, line) ||
				       put_str(L->part, why, strlen(why)) ? -1 : 0;
			if (sp->reject && sp->reject(sp->ctx, line, why) != 0)
				return gr_fail(L->err, sp->path, line, "out of memory");
			return 0;
		}
		row.prep = L->prep.bytes;
	}
	if (L->part)
		return put_row(L->part, L, line);
	return sp->row(sp->ctx, &row, L->err);
}

/* The record cutter.  States follow what libcsv accepts in strict mode,
 * so that every record libcsv would parse is cut where libcsv ends it. */
enum cut { AT_FIELD, IN_PLAIN, IN_QUOTED, QUOTE_SEEN };

/* Whether the line [I, BODY) is one whole record by the state machine
 * below, seen from its quotes only: every quote opens a field (it starts
 * the line or follows a comma) and its closing quote is followed by a
 * comma or the end of the line.  A line with a doubled quote, a quote
 * inside a plain field, blanks around a quoted field or a quote that does
 * not close is left to the state machine.  Real files quote text such as
 * "DBT skills" on every line, where the byte-by-byte walk was the
 * loader's largest cost. */
static bool quotes_simple(const char *buf, size_t i, size_t body, char delim)
{
	const char *p = buf + i, *e = buf + body;

	while ((p = memchr(p, '"', (size_t)(e - p)))) {
		if (p != buf + i && p[-1] != delim)
			return false;
		const char *q = memchr(p + 1, '"', (size_t)(e - p - 1));
		if (!q || (q + 1 < e && q[1] != delim))
			return false;
		p = q + 1;
	}
	return true;
}

/* The classes of the bytes in P[0..16) that MASK marks (each a CR, a
 * quote or a NUL). */
static unsigned classes_of(const char *p, unsigned mask)
{
	unsigned c = 0;

	for (; mask; mask &= mask - 1) {
		char b = p[__builtin_ctz(mask)];
		c |= b == '\r' ? LS_CR : b == '"' ? LS_QUOTE : LS_NUL;
	}
	return c;
}

/* The first LF at or after I, or LEN when there is none; *CLS gets the
 * classes of the bytes before it (a CR wherever it is, the one of a CRLF
 * too).  One pass, sixteen bytes at a time where SSE2 is (every x86-64),
 * instead of a memchr for the line end, for a CR, for a quote and for a
 * NUL and a UTF-8 check of every line: together they were a third of
 * cutting a record. */
static size_t line_scan(const char *buf, size_t len, size_t i, unsigned *cls)
{
	unsigned c = 0;
#if defined(__SSE2__)
	const __m128i nl = _mm_set1_epi8('\n'), cr = _mm_set1_epi8('\r');
	const __m128i qu = _mm_set1_epi8('"'), z = _mm_setzero_si128();
	for (; i + 16 <= len; i += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)(buf + i));
		unsigned mn = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(v, nl));
		unsigned mh = (unsigned)_mm_movemask_epi8(v);
		unsigned ms = (unsigned)_mm_movemask_epi8(
			_mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, cr), _mm_cmpeq_epi8(v, qu)),
				     _mm_cmpeq_epi8(v, z)));
		if (mn) {
			unsigned before = (mn & -mn) - 1;
			mh &= before;
			ms &= before;
		}
		if (mh)
			c |= LS_HIGH;
		if (ms)
			c |= classes_of(buf + i, ms);
		if (mn) {
			*cls = c;
			return i + (size_t)__builtin_ctz(mn);
		}
	}
#endif
	for (; i < len && buf[i] != '\n'; i++) {
		unsigned char b = (unsigned char)buf[i];
		if (b >= 0x80)
			c |= LS_HIGH;
		else if (b == '\r')
			c |= LS_CR;
		else if (b == '"')
			c |= LS_QUOTE;
		else if (!b)
			c |= LS_NUL;
	}
	*cls = c;
	return i;
}

/* Where the record starting at I ends: its bytes are [I, *END) and the
 * next record starts at *NEXT; *LINE counts the line breaks passed, and
 * *CLS says which classes of bytes the record may hold (LS_ALL when not
 * known).  Returns false when a quoted field never closes (then *END =
 * *NEXT = LEN). */
static bool record_end(const char *buf, size_t len, size_t i, char delim,
		       size_t *line, size_t *end, size_t *next, unsigned *cls)
{
	/* Fast path: most lines hold no lone CR and only simply quoted
	 * fields, and then the record is simply the line. */
	unsigned seen;
	size_t e = line_scan(buf, len, i, &seen);
	if (e < len) {
		size_t body = e > i && buf[e - 1] == '\r' ? e - 1 : e;
		/* The CR found may be the CRLF's only. */
		if (!((seen & LS_CR) && memchr(buf + i, '\r', body - i)) &&
		    (!(seen & LS_QUOTE) || quotes_simple(buf, i, body, delim))) {
			(*line)++;
			*end = body;
			*next = e + 1;
			*cls = (seen & ~(unsigned)LS_CR) | LS_EXACT;
			return true;
		}
	}
	*cls = LS_ALL;
	enum cut st = AT_FIELD;
	for (; i < len; i++) {
		char c = buf[i];
		if (c == '\n' || c == '\r') {
			size_t term = (c == '\r' && i + 1 < len && buf[i + 1] == '\n') ? 2 : 1;
			(*line)++;
			if (st == IN_QUOTED) {
				i += term - 1;
				continue;
			}
			*end = i;
			*next = i + term;
			return true;
		}
		switch (st) {
		case AT_FIELD:
			if (c == '"')
				st = IN_QUOTED;
			else if (c != delim && c != ' ' && c != '\t')
				st = IN_PLAIN;
			break;
		case IN_PLAIN:
			if (c == delim)
				st = AT_FIELD;
			break;
		case IN_QUOTED:
			if (c == '"')
				st = QUOTE_SEEN;
			break;
		case QUOTE_SEEN:
			if (c == '"')
				st = IN_QUOTED;
			else if (c == delim)
				st = AT_FIELD;
			else if (c != ' ' && c != '\t')
				st = IN_PLAIN;
			break;
		}
	}
	*end = *next = len;
	return st != IN_QUOTED;
}

/* Cut and parse the records that start in [I, UNTIL), reading past
 * UNTIL to finish the last one; *LINE_IO counts line breaks and *STOP is
 * set to where the last record ended. */
static int cut_range(struct loader *L, const char *buf, size_t len, size_t i,
		     size_t until, size_t *line_io, size_t *stop)
{
	size_t line = *line_io;
	int rc = 0;

	while (i < until) {
		size_t start = i, start_line = line, end, next;
		unsigned cls;

		if (!record_end(buf, len, i, L->delim, &line, &end, &next, &cls)) {
			/* The quote never closed: everything from START to the end
			 * of the file is one broken record. */
			i = len;
			if (!L->have_header) {
				rc = gr_fail(L->err, L->spec->path, start_line,
					     "unterminated quoted field in the header");
				break;
			}
			L->stats->records++;
			/* The last line holding data: not the empty one after a
			 * final line break. */
			size_t last = len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')
					      ? line - 1 : line;
			if (L->part) {
				/* Line numbers are relative in a part: the message
				 * is written when they are known. */
				L->stats->rejected++;
				rc = put_head(L->part, EV_UNTERMINATED, start_line) ||
				     put(L->part, &last, sizeof last) ? -1 : 0;
			} else {
				char msg[256];
				unterminated_msg(msg, sizeof msg, start_line, last);
				rc = reject(L, start_line, "%s", msg);
			}
			break;
		}
		i = next;
		if (end == start) {
			L->stats->empty_lines++;
			continue;
		}
		if ((rc = one_record(L, buf + start, end - start, start_line, cls)))
			break;
		if (L->header_only && L->have_header)
			break;
	}
	*line_io = line;
	*stop = i;
	return rc;
}

static int loader_init(struct loader *L, const struct load_spec *spec,
		       struct load_stats *stats, struct gr_err *err)
{
	memset(L, 0, sizeof *L);
	L->spec = spec;
	L->libcsv_only = spec->tune && spec->tune->libcsv_only;
	L->stats = stats;
	L->err = err;
	if (csv_init(&L->parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return gr_fail(err, spec->path, 0, "cannot start the CSV parser");
	L->delim = spec->delim ? spec->delim : ',';
	for (size_t k = 0; k < spec->ncols && k < LOAD_MAX_COLUMNS; k++)
		if (kept(spec, k))
			L->kept_col[L->nkept++] = (uint16_t)k;
	csv_set_delim(&L->parser, (unsigned char)L->delim);
	L->v = calloc(spec->ncols + 1, sizeof *L->v);
	L->len = calloc(spec->ncols + 1, sizeof *L->len);
	L->off = malloc(LOAD_MAX_FIELDS * sizeof *L->off);
	L->flen = malloc(LOAD_MAX_FIELDS * sizeof *L->flen);
	if (!L->v || !L->len || !L->off || !L->flen)
		return gr_fail(err, spec->path, 0, "out of memory");
	L->present = stats->present;
	return 0;
}

static void loader_free(struct loader *L)
{
	csv_free(&L->parser);
	free(L->buf);
	free(L->off);
	free(L->flen);
	free(L->map);
	free(L->v);
	free(L->len);
}

/* ---- several cores ------------------------------------------------------ */

struct pool {
	const struct loader *main;  /* header mapping shared by the workers */
	const char *buf;
	size_t len;
	struct part *parts;
	size_t nparts;      /* parts cut so far (cut_upto) */
	size_t maxparts;    /* room in PARTS */
	size_t chunk;
	size_t cut;         /* where the next part to cut begins; LEN: all cut */
	size_t next;        /* next part to hand to a worker */
	size_t limit;       /* parts below this may be started (bounds memory) */
	/* Event buffers of parts already handed over, for the next parts:
	 * a fresh buffer per part meant faulting in new pages for every
	 * part (or, in glibc's heap, keeping freed ones around).  There are
	 * never more buffers than parts in the window (2 per thread, at most
	 * 64 threads) and the two at its ends. */
	struct spare { char *buf; size_t cap; } spare[2 * 64 + 2];
	size_t nspare;
	bool abort;
	pthread_mutex_t mu;
	pthread_cond_t done_cv, room_cv;
};

/* Cut parts until part K exists or the file is all cut; with MU held.
 * False when there is no part K.  Parts are cut only as they are taken,
 * never all at the start: finding a line break every CHUNK bytes of a
 * gigabyte mapping faulted in the pages (and the readahead around them)
 * of the whole file at once, some 160 MB at ten million lines, which
 * stayed resident until the caller's reading released them. */
static bool cut_upto(struct pool *pl, size_t k)
{
	while (pl->nparts <= k && pl->cut < pl->len && pl->nparts < pl->maxparts) {
		struct part *p = &pl->parts[pl->nparts++];
		size_t b = pl->cut, len = pl->len;
		p->begin = b;
		size_t want = len - b > pl->chunk ? b + pl->chunk : len;
		const char *nl = want < len ? memchr(pl->buf + want, '\n', len - want) : NULL;
		pl->cut = nl ? (size_t)(nl - pl->buf) + 1 : len;
		p->end = pl->cut;
	}
	return k < pl->nparts;
}

static void parse_part(struct pool *pl, struct loader *W, struct part *p)
{
	struct load_stats st;
	size_t line = 0;

	memset(&st, 0, sizeof st);
	W->stats = &st;
	W->part = p;
	if (cut_range(W, pl->buf, pl->len, p->begin, p->end, &line, &p->stop) != 0)
		p->failed = true;
	p->lines = line;
	p->records = st.records;
	p->rejected = st.rejected;
	p->empty_lines = st.empty_lines;
}

static void *worker(void *arg)
{
	struct pool *pl = arg;
	const struct loader *M = pl->main;
	struct loader W;
	struct load_stats scratch;
	struct gr_err err;
	bool ok;

	memset(&scratch, 0, sizeof scratch);
	ok = loader_init(&W, M->spec, &scratch, &err) == 0;
	W.present = M->present;
	W.have_header = true;
	note_absent(&W);
	W.file_cols = M->file_cols;
	W.map = malloc(M->file_cols * sizeof *W.map);
	if (W.map)
		memcpy(W.map, M->map, M->file_cols * sizeof *W.map);
	else
		ok = false;
	pthread_mutex_lock(&pl->mu);
	for (;;) {
		while (!pl->abort && pl->next >= pl->limit &&
		       (pl->next < pl->nparts || pl->cut < pl->len))
			pthread_cond_wait(&pl->room_cv, &pl->mu);
		if (pl->abort || !cut_upto(pl, pl->next))
			break;
		struct part *p = &pl->parts[pl->next++];
		if (pl->nspare) {
			struct spare *sp = &pl->spare[--pl->nspare];
			p->out = sp->buf;
			p->outcap = sp->cap;
		}
		pthread_mutex_unlock(&pl->mu);
		if (ok)
			parse_part(pl, &W, p);
		else
			p->failed = true;
		pthread_mutex_lock(&pl->mu);
		p->done = true;
		pthread_cond_broadcast(&pl->done_cv);
	}
	pthread_mutex_unlock(&pl->mu);
	loader_free(&W);
	return NULL;
}

/* Hand a worker's part to the caller, with line numbers from BASE. */
static int replay(struct loader *L, const struct part *p, size_t base)
{
	const struct load_spec *sp = L->spec;
	const char *e = p->out, *end = p->out ? p->out + p->outlen : NULL;
	char msg[256];

	L->stats->records += p->records;
	L->stats->rejected += p->rejected;
	L->stats->empty_lines += p->empty_lines;
	/* Columns ROW does not read reach it as "" (load_spec.keep); the
	 * kept ones are set for every row below. */
	for (size_t k = 0; k < sp->ncols; k++)
		if (!kept(sp, k)) {
			L->v[k] = "";
			L->len[k] = 0;
		}
	while (e < end) {
		char type = *e++;
		size_t line;
		uint32_t n;
		memcpy(&line, e, sizeof line);
		e += sizeof line;
		line += base;
		if (type == EV_ROW) {
			if (sp->prep) {
				memcpy(L->prep.bytes, e, sp->prep_size);
				e += sp->prep_size;
			}
			/* The other columns were set to "" before the loop. */
			for (size_t j = 0; j < L->nkept; j++) {
				size_t k = L->kept_col[j];
				memcpy(&n, e, sizeof n);
				L->v[k] = e + sizeof n;
				L->len[k] = n;
				e += sizeof n + n + 1;
			}
			struct load_row row = { line, sp->ncols, L->v, L->len, L->present,
						sp->prep ? L->prep.bytes : NULL };
			if (sp->row(sp->ctx, &row, L->err) != 0)
				return -1;
			continue;
		}
		const char *reason;
		if (type == EV_REJECT) {
			memcpy(&n, e, sizeof n);
			reason = e + sizeof n;
			e += sizeof n + n + 1;
		} else {
			size_t last;
			memcpy(&last, e, sizeof last);
			e += sizeof last;
			unterminated_msg(msg, sizeof msg, line, last + base);
			reason = msg;
		}
		if (sp->reject && sp->reject(sp->ctx, line, reason) != 0)
			return gr_fail(L->err, sp->path, line, "out of memory");
	}
	return 0;
}

/* Return to the system the pages wholly inside BUF[*DROPPED, UPTO) (BUF
 * need not start on a page: a buffer of the heap shares its first and
 * last page with other memory, which must stay).  *DROPPED is then where
 * the dropped pages end. */
static void drop_read(const char *buf, size_t upto, size_t *dropped)
{
	uintptr_t page = (uintptr_t)sysconf(_SC_PAGESIZE), b = (uintptr_t)buf;
	uintptr_t from = (b + *dropped + page - 1) / page * page;
	uintptr_t to = (b + upto) / page * page;

	if (to > from) {
		madvise((void *)from, to - from, MADV_DONTNEED);
		*dropped = to - b;
	}
}

/* Parse [START, LEN) of BUF, whose first line is LINE, on THREADS
 * workers; rows reach the caller in file order.  RELEASE: BUF is a
 * private read-only file mapping whose pages may be dropped once read. */
static int cut_parallel(struct loader *L, const char *buf, size_t len,
			size_t start, size_t line, unsigned threads,
			size_t chunk, bool release)
{
	const struct load_tuning *tu = L->spec->tune;
	struct pool pl;
	pthread_t tid[64];
	unsigned started = 0;
	int rc = 0;

	memset(&pl, 0, sizeof pl);
	pl.main = L;
	pl.buf = buf;
	pl.len = len;
	/* Part starts: the line break after every CHUNK bytes (cut_upto).
	 * Only the first is sure to be a record boundary; the others are
	 * checked. */
	pl.maxparts = (len - start) / chunk + 1;
	pl.chunk = chunk;
	pl.cut = start;
	if (!(pl.parts = calloc(pl.maxparts, sizeof *pl.parts)))
		return gr_fail(L->err, L->spec->path, 0, "out of memory");
	pl.limit = 2 * (size_t)threads;
	pthread_mutex_init(&pl.mu, NULL);
	pthread_cond_init(&pl.done_cv, NULL);
	pthread_cond_init(&pl.room_cv, NULL);

	/* Signals (SIGINT during a run) stay with the calling thread, whose
	 * handler removes temporary files. */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	for (unsigned t = 0; t < threads && t < 64; t++)
		if (pthread_create(&tid[started], NULL, worker, &pl) == 0)
			started++;
	pthread_sigmask(SIG_SETMASK, &old, NULL);

	size_t pos = start, released = 0;
	for (size_t k = 0; rc == 0; k++) {
		/* Part K is below the workers' limit, so one of them takes
		 * it if it has not already. */
		pthread_mutex_lock(&pl.mu);
		bool more = cut_upto(&pl, k);
		while (more && started && !pl.parts[k].done)
			pthread_cond_wait(&pl.done_cv, &pl.mu);
		pthread_mutex_unlock(&pl.mu);
		if (!more)
			break;
		struct part *p = &pl.parts[k];
		if (started && p->begin == pos && !p->failed) {
			rc = replay(L, p, line);
			line += p->lines;
			pos = p->stop;
		} else if (started && p->failed) {
			rc = gr_fail(L->err, L->spec->path, line, "out of memory");
		} else {
			/* No worker, or the part started inside a quoted
			 * field that the previous part ran into: parse it here,
			 * from where that field really ended. */
			rc = cut_range(L, buf, len, pos, p->end, &line, &pos);
		}
		pthread_mutex_lock(&pl.mu);
		if (p->out && pl.nspare < sizeof pl.spare / sizeof pl.spare[0]) {
			pl.spare[pl.nspare++] = (struct spare){ p->out, p->outcap };
		} else {
			free(p->out);
		}
		p->out = NULL;
		pl.limit++;
		pthread_cond_broadcast(&pl.room_cv);
		pthread_mutex_unlock(&pl.mu);
		if (release)
			drop_read(buf, pos, &released);
		if (tu->progress)
			tu->progress(tu->progress_ctx, pos, len, L->stats->records);
	}
	pthread_mutex_lock(&pl.mu);
	pl.abort = true;
	pthread_cond_broadcast(&pl.room_cv);
	pthread_mutex_unlock(&pl.mu);
	for (unsigned t = 0; t < started; t++)
		pthread_join(tid[t], NULL);
	for (size_t k = 0; k < pl.nparts; k++)
		free(pl.parts[k].out);
	for (size_t k = 0; k < pl.nspare; k++)
		free(pl.spare[k].buf);
	free(pl.parts);
	pthread_cond_destroy(&pl.room_cv);
	pthread_cond_destroy(&pl.done_cv);
	pthread_mutex_destroy(&pl.mu);
	return rc;
}

/* MAPPED: BUF is a private read-only file mapping (pages dropped read
 * back from the file, so the parallel load may drop them too); DROP: the
 * one-thread load drops the pages it has read (a mapping, or the caller's
 * own buffer: load_csv_buffer_drop). */
static int load_run(const struct load_spec *spec, const char *buf, size_t len,
		    struct load_stats *stats, struct gr_err *err, bool mapped, bool drop)
{
	const struct load_tuning *tu = spec->tune;
	struct loader L;
	size_t i = 0, line = 1;
	int rc;

	memset(stats, 0, sizeof *stats);
	stats->bytes = len;
	if (spec->ncols > LOAD_MAX_COLUMNS)
		return gr_fail(err, spec->path, 0, "too many columns requested");
	if (spec->prep && spec->prep_size > LOAD_MAX_PREP)
		return gr_fail(err, spec->path, 0, "prepared row too large");
	if ((rc = loader_init(&L, spec, stats, err)) != 0)
		goto out;
	/* UTF-16 (a byte-order mark, or ASCII with a NUL beside every
	 * byte) would otherwise read as "NUL byte in the header". */
	if (len >= 2 && ((memcmp(buf, "\xFF\xFE", 2) == 0) ||
			 (len >= 4 && buf[0] && !buf[1] && buf[2] && !buf[3])))
		rc = gr_fail(err, spec->path, 0, "this file is UTF-16 (little-endian); "
			     "save it as UTF-8 (in Excel: CSV UTF-8)");
	else if (len >= 2 && ((memcmp(buf, "\xFE\xFF", 2) == 0) ||
			      (len >= 4 && !buf[0] && buf[1] && !buf[2] && buf[3])))
		rc = gr_fail(err, spec->path, 0, "this file is UTF-16 (big-endian); "
			     "save it as UTF-8 (in Excel: CSV UTF-8)");
	if (rc != 0)
		goto out;
	/* A UTF-8 byte-order mark is not part of the first column name. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	L.header_only = true;
	rc = cut_range(&L, buf, len, i, len, &line, &i);
	L.header_only = false;
	if (rc == 0 && !L.have_header)
		rc = gr_fail(err, spec->path, 0, "the file is empty: a header line is needed");
	if (rc != 0)
		goto out;
	size_t chunk = tu && tu->chunk ? tu->chunk : LOAD_CHUNK;
	size_t min = tu && tu->min_parallel ? tu->min_parallel : 4 * chunk;
	if (tu && tu->threads > 1 && len - i >= min && (mapped || !drop)) {
		rc = cut_parallel(&L, buf, len, i, line, tu->threads, chunk, mapped);
		goto out;
	}
	/* One thread, a part at a time: each cut ends on a record boundary,
	 * so this is the same as cutting the whole rest at once. */
	size_t dropped = 0;
	while (rc == 0 && i < len) {
		size_t until = len - i > chunk ? i + chunk : len;
		rc = cut_range(&L, buf, len, i, until, &line, &i);
		if (drop)
			drop_read(buf, i, &dropped);
		if (tu && tu->progress)
			tu->progress(tu->progress_ctx, i, len, stats->records);
	}
out:
	loader_free(&L);
	return rc;
}

int load_csv_buffer(const struct load_spec *spec, const char *buf, size_t len,
		    struct load_stats *stats, struct gr_err *err)
{
	return load_run(spec, buf, len, stats, err, false, false);
}

int load_csv_buffer_drop(const struct load_spec *spec, char *buf, size_t len,
			 struct load_stats *stats, struct gr_err *err)
{
	return load_run(spec, buf, len, stats, err, false, true);
}

int load_csv(const struct load_spec *spec, struct load_stats *stats,
	     struct gr_err *err)
{
	struct stat st;
	int fd, rc;

	memset(stats, 0, sizeof *stats);
	fd = open(spec->path, O_RDONLY);
	if (fd < 0)
		return gr_fail(err, spec->path, 0, "cannot open: %s", strerror(errno));
	if (fstat(fd, &st) != 0) {
		rc = gr_fail(err, spec->path, 0, "cannot read: %s", strerror(errno));
		close(fd);
		return rc;
	}
	if (S_ISDIR(st.st_mode)) {
		close(fd);
		return gr_fail(err, spec->path, 0, "is a folder, not a CSV file");
	}
	if (S_ISREG(st.st_mode)) {
		if (st.st_size == 0) {
			close(fd);
			return gr_fail(err, spec->path, 0,
				       "the file is empty: a header line is needed");
		}
		void *map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
		if (map == MAP_FAILED) {
			rc = gr_fail(err, spec->path, 0, "cannot read: %s", strerror(errno));
			close(fd);
			return rc;
		}
		close(fd);
		madvise(map, (size_t)st.st_size, MADV_SEQUENTIAL);
		rc = load_run(spec, map, (size_t)st.st_size, stats, err, true, true);
		munmap(map, (size_t)st.st_size);
		return rc;
	}
	/* A pipe or other stream: read it whole. */
	size_t cap = 1 << 16, n = 0;
	char *buf = malloc(cap);
	if (!buf) {
		close(fd);
		return gr_fail(err, spec->path, 0, "out of memory");
	}
	for (;;) {
		if (n == cap) {
			char *b = cap * 2 > cap ? realloc(buf, cap * 2) : NULL;
			if (!b) {
				free(buf);
				close(fd);
				return gr_fail(err, spec->path, 0, "out of memory");
			}
			buf = b;
			cap *= 2;
		}
		ssize_t r = read(fd, buf + n, cap - n);
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			rc = gr_fail(err, spec->path, 0, "cannot read: %s", strerror(errno));
			free(buf);
			close(fd);
			return rc;
		}
		if (r == 0)
			break;
		n += (size_t)r;
	}
	close(fd);
	rc = load_csv_buffer(spec, buf, n, stats, err);
	free(buf);
	return rc;
}

int load_csv_header(const struct load_spec *spec, const char *buf, size_t len,
		    bool as_written, char ***names, size_t *count, struct gr_err *err)
{
	struct load_spec sp = *spec;
	struct load_stats stats;
	struct loader L;
	size_t i = 0, line = 1;
	int rc;

	*names = NULL;
	*count = 0;
	sp.ncols = 0;
	memset(&stats, 0, sizeof stats);
	if ((rc = loader_init(&L, &sp, &stats, err)) != 0)
		goto out;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	L.header_only = true;
	rc = cut_range(&L, buf, len, i, len, &line, &i);
	if (rc == 0 && !L.have_header)
		rc = gr_fail(err, sp.path, 0, "the file is empty: a header line is needed");
	if (rc != 0)
		goto out;
	/* take_header kept the fields of the header in L.buf. */
	char **v = calloc(L.file_cols + 1, sizeof *v);
	if (!v) {
		rc = gr_fail(err, sp.path, 1, "out of memory");
		goto out;
	}
	for (size_t k = 0; k < L.file_cols; k++) {
		char name[256];
		const char *f = L.buf + L.off[k];
		size_t n = L.flen[k];
		if (as_written) {
			while (n && isspace((unsigned char)*f)) {
				f++;
				n--;
			}
			while (n && isspace((unsigned char)f[n - 1]))
				n--;
			v[k] = strndup(f, n);
		} else {
			lower_trim(f, n, name, sizeof name);
			v[k] = strdup(name);
		}
		if (!v[k]) {
			load_header_free(v, k);
			rc = gr_fail(err, sp.path, 1, "out of memory");
			goto out;
		}
	}
	*names = v;
	*count = L.file_cols;
out:
	loader_free(&L);
	return rc;
}

void load_header_free(char **names, size_t count)
{
	for (size_t k = 0; names && k < count; k++)
		free(names[k]);
	free(names);
}
