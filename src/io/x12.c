/* x12.c — X12 segments, separators and envelopes (see x12.h).
 *
 * The file is read a window at a time into one reused buffer (see "the
 * window"); each segment is cut in place there (separators become NULs)
 * in one pass over its bytes, and handed on.  Envelope segments are
 * chosen by their packed id (X12_ID); every other segment inside
 * ST...SE goes to the caller.  A problem inside a transaction (a segment
 * that cannot be cut, a missing SE) marks it broken, and its END says
 * so, so no half-read transaction is ever counted.
 */
#include "io/x12.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "core/value.h"

#define ISA_LEN 106u

struct rd {
	const struct x12_reader *r;
	const char *path;
	struct x12_stats *st;
	struct gr_err *err;
	struct x12_seps seps;
	bool in_isa, in_gs, in_st, broken;
	bool refused; /* the file cannot be used: x12_read returns X12_REFUSED */
	size_t isa_index, gs_index, st_index;
	size_t groups, txs, segs; /* in this ISA, this GS, this ST */
	char isa_ctl[16], gs_ctl[16], st_ctl[16];
	char version[16], sender[32];
	struct x12_tx tx;
	/* What each byte is to the segment scan (cut_fast, next_stop), set
	 * from each ISA's separators: one pass over a segment instead of a
	 * memchr for its end and a strchr per element. */
	unsigned char cls[256];
	bool fast; /* cut_fast gives what cut_slow would (see set_classes) */
};

enum { CLS_DATA = 0, CLS_ELEMENT, CLS_TERMINATOR, CLS_NUL };

static int problem(struct rd *d, size_t seg, const char *id, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));
static int problem(struct rd *d, size_t seg, const char *id, const char *fmt,
		   ...)
{
	char msg[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	d->st->problems++;
	if (!d->r->problem)
		return 0;
	return d->r->problem(d->r->ctx, d->path, seg, id, msg, d->err);
}

void x12_where(char *buf, size_t size, const char *file, size_t seg,
	       const char *id)
{
	snprintf(buf, size, "%s:segment %zu (%s)", file, seg, id);
}

static int fail_at(struct rd *d, size_t seg, const char *id, const char *fmt,
		   ...) __attribute__((format(printf, 4, 5)));
static int fail_at(struct rd *d, size_t seg, const char *id, const char *fmt,
		   ...)
{
	char where[600];
	va_list ap;
	d->refused = true;
	x12_where(where, sizeof where, d->path, seg, id);
	gr_fail(d->err, where, 0, "%s", "");
	va_start(ap, fmt);
	vsnprintf(d->err->msg, sizeof d->err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

/* Copy at most SIZE-1 bytes of S. */
static void keep(char *dst, size_t size, const char *s)
{
	snprintf(dst, size, "%s", s);
}

/* --- the transaction in progress ----------------------------------------- */

static int tx_close(struct rd *d, bool complete)
{
	d->in_st = false;
	if (complete)
		d->st->complete++;
	if (d->r->end && d->r->end(d->r->ctx, &d->tx, complete, d->err) != 0)
		return -1;
	return 0;
}

/* A transaction still open when its group, interchange or file ends. */
static int tx_cut(struct rd *d, size_t seg, const char *id, const char *why)
{
	if (!d->in_st)
		return 0;
	if (problem(d, d->st_index, "ST",
		    "transaction %s is cut off: %s at segment %zu (%s) before its SE; not used",
		    d->st_ctl, why, seg, id) != 0)
		return -1;
	return tx_close(d, false);
}

static int gs_cut(struct rd *d, size_t seg, const char *id, const char *why)
{
	if (!d->in_gs)
		return 0;
	d->in_gs = false;
	return problem(d, d->gs_index, "GS",
		       "functional group %s has no GE: %s at segment %zu (%s)",
		       d->gs_ctl, why, seg, id);
}

static int isa_cut(struct rd *d, size_t seg, const char *id, const char *why)
{
	if (!d->in_isa)
		return 0;
	d->in_isa = false;
	return problem(d, d->isa_index, "ISA",
		       "interchange %s has no IEA: %s at segment %zu (%s)",
		       d->isa_ctl, why, seg, id);
}

/* --- envelope handlers ---------------------------------------------------- */

/* A count element (SE01, GE01, IEA01) against what was seen. */
static int check_count(struct rd *d, const struct x12_seg *s, size_t want,
		       const char *what)
{
	uint64_t n;
	const char *why = x12_count(x12_el(s, 1), 1000000000u, &n);
	if (why)
		return problem(d, s->index, s->el[0], "%s01 '%s' is not a count of %s: %s",
			       s->el[0], x12_el(s, 1), what, why);
	if (n != want)
		return problem(d, s->index, s->el[0], "%s01 says %llu %s, there are %zu",
			       s->el[0], (unsigned long long)n, what, want);
	return 0;
}

static int check_control(struct rd *d, const struct x12_seg *s,
			 const char *open_id, const char *want)
{
	if (strcmp(x12_el(s, 2), want) != 0)
		return problem(d, s->index, s->el[0],
			       "%s02 control number '%s' does not match %s's '%s'",
			       s->el[0], x12_el(s, 2), open_id, want);
	return 0;
}

static int h_isa(struct rd *d, const struct x12_seg *s)
{
	/* The fixed-width check and the separators were done by the caller
	 * (start_interchange); this is the envelope bookkeeping. */
	if (s->nel != 16)
		return problem(d, s->index, "ISA",
			       "the ISA has %zu elements, not 16 (a separator inside a value?)",
			       s->nel);
	d->in_isa = true;
	d->isa_index = s->index;
	d->groups = 0;
	keep(d->isa_ctl, sizeof d->isa_ctl, x12_el(s, 13));
	d->st->interchanges++;
	return 0;
}

static int h_iea(struct rd *d, const struct x12_seg *s)
{
	if (tx_cut(d, s->index, "IEA", "the interchange ends") != 0 ||
	    gs_cut(d, s->index, "IEA", "the interchange ends") != 0)
		return -1;
	if (!d->in_isa)
		return problem(d, s->index, "IEA", "IEA without an ISA");
	d->in_isa = false;
	if (check_count(d, s, d->groups, "functional groups") != 0)
		return -1;
	return check_control(d, s, "ISA13", d->isa_ctl);
}

/* What a functional identifier code (GS01) says a file is. */
static const char *gs_kind(const char *gs01, const char *gs08)
{
	static const struct { const char *code, *what; } kinds[] = {
		{ "HC", "an 837 claim file" },
		{ "HS", "a 270 eligibility inquiry" },
		{ "HB", "a 271 eligibility response" },
		{ "HR", "a 276 claim status inquiry" },
		{ "HN", "a 277 claim status response" },
		{ "BE", "an 834 enrollment file" },
		{ "RA", "an 820 premium payment" },
		{ "FA", "an acknowledgment (997 or 999)" },
		{ "HI", "a 278 authorization request" },
		{ "HP", "a remittance (835)" },
	};
	/* The implementation guide names the 837s too, whatever GS01 says. */
	if (strstr(gs08, "X222") || strstr(gs08, "X223") || strstr(gs08, "X224"))
		return "an 837 claim file";
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (strcmp(gs01, kinds[i].code) == 0)
			return kinds[i].what;
	return NULL;
}

static int h_gs(struct rd *d, const struct x12_seg *s)
{
	if (tx_cut(d, s->index, "GS", "a new group starts") != 0 ||
	    gs_cut(d, s->index, "GS", "a new group starts") != 0)
		return -1;
	if (!d->in_isa)
		return problem(d, s->index, "GS", "GS outside an interchange");
	const char *gs01 = x12_el(s, 1), *gs08 = x12_el(s, 8);
	bool ok = false;
	for (const char *const *v = d->r->versions; v && *v; v++)
		if (strcmp(gs08, *v) == 0)
			ok = true;
	if (!ok) {
		const char *kind = gs_kind(gs01, gs08);
		if (kind && strcmp(kind, "a remittance (835)") != 0)
			return fail_at(d, s->index, "GS", "%s, not a %s", kind,
				       d->r->what);
		if (strncmp(gs08, "00401", 5) == 0 || strncmp(gs08, "00301", 5) == 0)
			return fail_at(d, s->index, "GS",
				       "GS08 '%s' is an older X12 version; only %s is read",
				       gs08, d->r->versions[0]);
		return fail_at(d, s->index, "GS",
			       "GS08 '%s' is not a %s (%s)", gs08, d->r->what,
			       d->r->versions[0]);
	}
	d->in_gs = true;
	d->gs_index = s->index;
	d->txs = 0;
	d->groups++;
	d->st->groups++;
	keep(d->gs_ctl, sizeof d->gs_ctl, x12_el(s, 6));
	keep(d->version, sizeof d->version, gs08);
	keep(d->sender, sizeof d->sender, x12_el(s, 2));
	return 0;
}

static int h_ge(struct rd *d, const struct x12_seg *s)
{
	if (tx_cut(d, s->index, "GE", "the group ends") != 0)
		return -1;
	if (!d->in_gs)
		return problem(d, s->index, "GE", "GE without a GS");
	d->in_gs = false;
	if (check_count(d, s, d->txs, "transaction sets") != 0)
		return -1;
	return check_control(d, s, "GS06", d->gs_ctl);
}

static int h_st(struct rd *d, const struct x12_seg *s)
{
	if (tx_cut(d, s->index, "ST", "a new transaction starts") != 0)
		return -1;
	const char *st01 = x12_el(s, 1);
	if (strcmp(st01, d->r->kind) != 0) {
		if (strcmp(st01, "837") == 0)
			return fail_at(d, s->index, "ST",
				       "an 837 claim file, not a %s", d->r->what);
		return fail_at(d, s->index, "ST",
			       "ST01 '%s': a %s transaction, not a %s (%s)", st01,
			       st01, d->r->what, d->r->kind);
	}
	d->in_st = true;
	d->broken = false;
	d->st_index = s->index;
	d->segs = 1;
	d->st->transactions++;
	keep(d->st_ctl, sizeof d->st_ctl, x12_el(s, 2));
	if (!d->in_gs) {
		d->broken = true;
		if (problem(d, s->index, "ST",
			    "transaction %s is outside a functional group; not used",
			    d->st_ctl) != 0)
			return -1;
	} else {
		d->txs++;
	}
	d->tx = (struct x12_tx){ d->path, s->index, d->st_ctl, d->version,
				 d->sender };
	if (d->r->begin && d->r->begin(d->r->ctx, &d->tx, d->err) != 0)
		return -1;
	return 0;
}

static int h_se(struct rd *d, const struct x12_seg *s)
{
	if (!d->in_st)
		return problem(d, s->index, "SE", "SE without an ST");
	d->segs++;
	if (check_count(d, s, d->segs, "segments") != 0 ||
	    check_control(d, s, "ST02", d->st_ctl) != 0)
		return -1;
	return tx_close(d, !d->broken);
}

/* --- cutting segments ------------------------------------------------------ */

/* The C locale's isupper and isdigit (grouprev never sets a locale),
 * without a call through the ctype table per byte. */
static inline bool is_cap(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline bool is_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

/* S as X12_ID packs it when it is a segment id — two or three capitals
 * or digits, the first a capital — else 0 (no id packs to 0). */
static uint32_t seg_id(const char *s)
{
	unsigned char a = (unsigned char)s[0], b = (unsigned char)s[1], c;
	if (!is_cap(a) || !(is_cap(b) || is_digit(b)))
		return 0;
	c = (unsigned char)s[2];
	if (!c)
		return X12_ID(a, b, 0);
	if (!(is_cap(c) || is_digit(c)) || s[3])
		return 0;
	return X12_ID(a, b, c);
}

/* Byte offsets of the element separators of a fixed-width ISA. */
static const unsigned isa_seps[16] = { 3,  6,  17, 20, 31, 34, 50, 53,
				       69, 76, 81, 83, 89, 99, 101, 103 };

/* Read the separators of the ISA at B[0..N).  0, or a reason. */
static const char *isa_separators(const char *b, size_t n, struct x12_seps *s)
{
	if (n < ISA_LEN)
		return "the ISA segment is shorter than its fixed 106 bytes";
	s->element = b[3];
	for (size_t i = 0; i < 16; i++)
		if (b[isa_seps[i]] != s->element)
			return "the ISA segment is not of fixed width (its elements are not where the standard puts them)";
	s->repetition = b[82];
	s->component = b[104];
	s->terminator = b[105];
	char c[4] = { s->element, s->repetition, s->component, s->terminator };
	for (size_t i = 0; i < 4; i++) {
		if (isalnum((unsigned char)c[i]) || c[i] == ' ' || c[i] == '\0')
			return "an ISA separator is a letter, digit, space or NUL";
		for (size_t j = 0; j < i; j++)
			if (c[i] == c[j])
				return "two ISA separators are the same character";
	}
	return NULL;
}

/* The scan's byte classes for the separators in D->seps. */
static void set_classes(struct rd *d)
{
	memset(d->cls, CLS_DATA, sizeof d->cls);
	d->cls[(unsigned char)d->seps.element] = CLS_ELEMENT;
	d->cls[(unsigned char)d->seps.terminator] = CLS_TERMINATOR;
	d->cls[0] = CLS_NUL;
	/* With a line feed for terminator, a CR before it is dropped before
	 * the elements are cut; were the CR the element separator too, it
	 * would then not be one, which only cut_slow does. */
	d->fast = !(d->seps.terminator == '\n' && d->seps.element == '\r');
}

/* Cut the elements of the segment START..T (T its terminator, already a
 * NUL) at the element separator into EL; the number in *N, *TOO_MANY
 * when there are more than X12_MAX_ELEMENTS (cutting then stops).  The
 * ISA's way, and every segment's when D->fast is false. */
static void cut_slow(const struct rd *d, char *start, char **el, size_t *n,
		     bool *too_many)
{
	size_t k = 0;
	el[k++] = start;
	for (char *c = start; (c = strchr(c, d->seps.element)); c++) {
		*c = '\0';
		if (k > X12_MAX_ELEMENTS) {
			*too_many = true;
			break;
		}
		el[k++] = c + 1;
	}
	*n = k;
}

/* Bytes after the window's NUL that next_stop may read (and that are
 * kept zero). */
#define WIN_PAD 16u

/* The first byte at or after C that is the element separator, the
 * terminator or a NUL (one is at the window's end).  Sixteen bytes are
 * compared at once where SSE2 is (every x86-64): fewer instructions than
 * the byte loop (4 a byte), though on this machine no time that could be
 * measured (docs/performance.md). */
static inline char *next_stop(const struct rd *d, char *c)
{
#if defined(__SSE2__)
	const __m128i e = _mm_set1_epi8(d->seps.element);
	const __m128i t = _mm_set1_epi8(d->seps.terminator);
	const __m128i z = _mm_setzero_si128();
	for (;; c += 16) {
		__m128i v = _mm_loadu_si128((const __m128i *)(const void *)c);
		__m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, e),
							_mm_cmpeq_epi8(v, t)),
					   _mm_cmpeq_epi8(v, z));
		unsigned m = (unsigned)_mm_movemask_epi8(hit);
		if (m)
			return c + __builtin_ctz(m);
	}
#else
	while (d->cls[(unsigned char)*c] == CLS_DATA)
		c++;
	return c;
#endif
}

/* The same in one pass that also finds the terminator: returns it (not
 * yet a NUL), or NULL when START..END holds none — and then nothing is
 * changed, so that the segment can be cut again once the window holds
 * more of it.  Elements end at the first NUL byte, as strchr would stop
 * there; the terminator is still looked for beyond it, as memchr would.
 * *END is a NUL, followed by WIN_PAD zero bytes. */
static char *cut_fast(const struct rd *d, char *start, const char *end, char **el,
		      size_t *n, bool *too_many)
{
	const unsigned char *cls = d->cls;
	size_t k = 0;
	char *c = start, *extra = NULL;
	el[k++] = start;
	for (;; c++) {
		c = next_stop(d, c);
		unsigned char what = cls[(unsigned char)*c];
		if (what == CLS_TERMINATOR)
			break;
		if (what == CLS_NUL || k > X12_MAX_ELEMENTS) {
			if (what == CLS_ELEMENT)
				extra = c; /* the separator past the last element */
			c = memchr(c, d->seps.terminator, (size_t)(end - c));
			break;
		}
		el[k++] = c + 1;
	}
	if (!c)
		return NULL;
	for (size_t i = 1; i < k; i++)
		el[i][-1] = '\0';
	if (extra) {
		*extra = '\0';
		*too_many = true;
	}
	*n = k;
	return c;
}

static int handle(struct rd *d, struct x12_seg *seg)
{
	switch (seg->id) {
	case X12_ID('I', 'S', 'A'): return h_isa(d, seg);
	case X12_ID('I', 'E', 'A'): return h_iea(d, seg);
	case X12_ID('G', 'S', 0): return h_gs(d, seg);
	case X12_ID('G', 'E', 0): return h_ge(d, seg);
	case X12_ID('S', 'T', 0): return h_st(d, seg);
	case X12_ID('S', 'E', 0): return h_se(d, seg);
	default: break;
	}
	const char *id = seg->el[0];
	if (!d->in_st)
		return problem(d, seg->index, id,
			       "segment outside a transaction set; skipped");
	d->segs++;
	if (d->broken)
		return 0;
	if (d->r->segment && d->r->segment(d->r->ctx, seg, d->err) != 0)
		return -1;
	return 0;
}

static bool is_break(char c)
{
	return c == '\r' || c == '\n';
}

/* --- the window ---------------------------------------------------------- */

/* The file is read a window at a time into one buffer that is reused: a
 * year of remittances (100 MB) then costs 256 KB of memory that stays in
 * the cache, instead of a buffer the size of the file whose every page is
 * faulted in and then read back from main memory.  A caller's buffer
 * (x12_read_buffer) is copied into a small window the same way, so tests
 * and the fuzzer go through the refills that files do. */
#define FILE_WINDOW (256u * 1024u)
#define BUFFER_WINDOW 64u

struct src {
	FILE *f;           /* NULL: from MEM */
	const char *mem;
	size_t mem_len, mem_at;
	bool eof;          /* every byte has been read into the window */
	bool error;        /* a read error (the file is refused) */
};

struct win {
	char *b;           /* b[len] is a NUL */
	size_t len, cap;   /* cap bytes at b, the NUL included */
	struct src src;
};

/* Keep the bytes from KEEP on at the front of the window (offset *P moves
 * with them) and read more after them, growing the window when it is full
 * of bytes to keep (a segment longer than the window).  0, or -1 when
 * memory ran out. */
static int refill(struct win *w, size_t *p, size_t keep)
{
	if (w->src.eof)
		return 0;
	memmove(w->b, w->b + keep, w->len - keep);
	w->len -= keep;
	*p -= keep;
	if (w->len + 1 == w->cap) {
		char *nb = realloc(w->b, w->cap * 2 + WIN_PAD);
		if (!nb)
			return -1;
		w->b = nb;
		w->cap *= 2;
	}
	size_t room = w->cap - 1 - w->len, got;
	if (w->src.f) {
		got = fread(w->b + w->len, 1, room, w->src.f);
		if (got < room) {
			w->src.eof = true;
			w->src.error = ferror(w->src.f) != 0;
		}
	} else {
		got = w->src.mem_len - w->src.mem_at;
		if (got > room)
			got = room;
		memcpy(w->b + w->len, w->src.mem + w->src.mem_at, got);
		w->src.mem_at += got;
		w->src.eof = w->src.mem_at == w->src.mem_len;
	}
	w->len += got;
	memset(w->b + w->len, 0, 1 + WIN_PAD);
	return 0;
}

/* The bytes from P to the end of the file (read through, not kept). */
static int bytes_left(struct win *w, size_t p, size_t *n)
{
	*n = w->len - p;
	while (!w->src.eof) {
		size_t at = w->len;
		if (refill(w, &at, w->len) != 0)
			return -1;
		*n += w->len;
	}
	return 0;
}

/* Read the segments of W, a window at a time. */
static int read_window(const struct x12_reader *r, const char *path, struct win *w,
		       struct x12_stats *st, struct gr_err *err)
{
	struct rd d = { .r = r, .path = path, .st = st, .err = err };
	char **el = malloc((X12_MAX_ELEMENTS + 1) * sizeof *el);
	int rc = -1;
	bool oom = false;
	*st = (struct x12_stats){ 0 };
	if (!el) {
		gr_fail(err, path, 0, "out of memory reading the file");
		goto out;
	}
	size_t p = 0, segno = 0;
	for (;;) {
		for (;;) {
			while (p < w->len && (is_break(w->b[p]) ||
					      (!d.in_isa && isspace((unsigned char)w->b[p]))))
				p++;
			if (p < w->len || w->src.eof)
				break;
			if (refill(w, &p, p) != 0)
				goto nomem;
		}
		/* An ISA is read whole from the window: have its 106 bytes in
		 * it, or what is left of the file. */
		while (w->len - p < ISA_LEN && !w->src.eof)
			if (refill(w, &p, p) != 0)
				goto nomem;
		if (w->src.error)
			break;
		if (p >= w->len)
			break;
		char *b = w->b;
		size_t len = w->len;
		/* An ISA starts an interchange and sets the separators; a second
		 * ISA before the IEA closes the open one as cut off. */
		bool isa = len - p >= 4 && memcmp(b + p, "ISA", 3) == 0 &&
			   (!d.in_isa || b[p + 3] == d.seps.element);
		if (!d.in_isa && !isa) {
			if (segno == 0) {
				gr_fail(err, path, 0,
					"not an X12 file: it does not start with an ISA segment");
				d.refused = true;
				goto out;
			}
			size_t left;
			if (bytes_left(w, p, &left) != 0)
				goto nomem;
			if (w->src.error)
				break;
			if (problem(&d, segno + 1, "",
				    "%zu bytes after the IEA are not an interchange; not read",
				    left) != 0)
				goto out;
			break;
		}
		if (isa) {
			if (tx_cut(&d, segno + 1, "ISA", "a new interchange starts") != 0 ||
			    gs_cut(&d, segno + 1, "ISA", "a new interchange starts") != 0 ||
			    isa_cut(&d, segno + 1, "ISA", "a new interchange starts") != 0)
				goto out;
			const char *why = isa_separators(b + p, len - p, &d.seps);
			if (why) {
				if (segno == 0) {
					char where[600];
					x12_where(where, sizeof where, path, 1, "ISA");
					gr_fail(err, where, 0, "%s", why);
					d.refused = true;
					goto out;
				}
				if (problem(&d, segno + 1, "ISA", "%s; the rest of the file is not read",
					    why) != 0)
					goto out;
				break;
			}
			set_classes(&d);
		}
		/* One segment: up to the terminator, reading on while the
		 * window ends before it (cut_fast changes nothing until it has
		 * found the terminator). */
		char *start, *t;
		size_t n;
		bool too_many;
		for (;;) {
			start = w->b + p;
			n = 0;
			too_many = false;
			t = isa ? start + ISA_LEN - 1
			    : d.fast ? cut_fast(&d, start, w->b + w->len, el, &n, &too_many)
				     : memchr(start, d.seps.terminator, w->len - p);
			if (t || w->src.eof)
				break;
			if (refill(w, &p, p) != 0)
				goto nomem;
		}
		if (w->src.error)
			break;
		b = w->b;
		len = w->len;
		segno++;
		st->segments++;
		if (!t) {
			if (tx_cut(&d, segno, "", "the file ends inside a segment") != 0 ||
			    gs_cut(&d, segno, "", "the file ends") != 0 ||
			    isa_cut(&d, segno, "", "the file ends") != 0 ||
			    problem(&d, segno, "",
				    "the file ends inside a segment (no terminator '%c'); %zu bytes not read",
				    d.seps.terminator, len - p) != 0)
				goto out;
			break;
		}
		*t = '\0';
		p = (size_t)(t - b) + 1;
		/* A file whose terminator is the line feed, saved with CR LF:
		 * the CR belongs to the line break, not to the last element. */
		if (d.seps.terminator == '\n' && t > start && t[-1] == '\r')
			t[-1] = '\0';
		/* An ISA is cut at its fixed separators only: its ISA16 is the
		 * component separator and stays one byte. */
		if (isa || !d.fast)
			cut_slow(&d, start, el, &n, &too_many);
		uint32_t id = seg_id(el[0]);
		if (!id) {
			char shown[8];
			size_t k = 0;
			for (const char *c = el[0]; *c && k < 6; c++)
				shown[k++] = isprint((unsigned char)*c) ? *c : '?';
			shown[k] = '\0';
			if (d.in_st)
				d.broken = true;
			if (problem(&d, segno, shown,
				    "'%s' is not a segment id%s", shown,
				    d.in_st ? "; the transaction is not used" : "") != 0)
				goto out;
			if (d.in_st)
				d.segs++;
			continue;
		}
		if (too_many) {
			if (d.in_st)
				d.broken = true;
			if (problem(&d, segno, el[0],
				    "more than %u elements%s", X12_MAX_ELEMENTS,
				    d.in_st ? "; the transaction is not used" : "") != 0)
				goto out;
			if (d.in_st)
				d.segs++;
			continue;
		}
		struct x12_seg seg = { segno, n - 1, el, &d.seps, id };
		if (r->each && r->each(r->ctx, &seg, err) != 0)
			goto out;
		if (handle(&d, &seg) != 0)
			goto out;
	}
	if (tx_cut(&d, segno, "end of file", "the file ends") != 0 ||
	    gs_cut(&d, segno, "end of file", "the file ends") != 0 ||
	    isa_cut(&d, segno, "end of file", "the file ends") != 0)
		goto out;
	if (segno == 0) {
		gr_fail(err, path, 0, "not an X12 file: it is empty");
		d.refused = true;
		goto out;
	}
	rc = 0;
	goto out;
nomem:
	gr_fail(err, path, 0, "out of memory reading the file");
	oom = true;
out:
	free(el);
	if (w->src.error && !oom) {
		/* Refused whatever was read: the file is not what it says. */
		gr_fail(err, path, 0, "read error");
		return X12_REFUSED;
	}
	return rc != 0 && d.refused ? X12_REFUSED : rc;
}

static int read_from(const struct x12_reader *r, const char *path, struct src src,
		     size_t window, struct x12_stats *st, struct gr_err *err)
{
	struct win w = { .b = malloc(window + 1 + WIN_PAD), .cap = window + 1, .src = src };
	if (!w.b) {
		*st = (struct x12_stats){ 0 };
		return gr_fail(err, path, 0, "out of memory reading the file");
	}
	memset(w.b, 0, 1 + WIN_PAD);
	int rc = read_window(r, path, &w, st, err);
	free(w.b);
	return rc;
}

int x12_read_buffer(const struct x12_reader *r, const char *path,
		    const char *buf, size_t len, struct x12_stats *st,
		    struct gr_err *err)
{
	struct src src = { .mem = buf, .mem_len = len, .eof = len == 0 };
	return read_from(r, path, src, BUFFER_WINDOW, st, err);
}

int x12_read(const struct x12_reader *r, const char *path,
	     struct x12_stats *st, struct gr_err *err)
{
	FILE *f = fopen(path, "rb");
	struct stat sb;
	if (!f)
		return gr_fail(err, path, 0, "cannot open: %s", strerror(errno)), X12_REFUSED;
	if (fstat(fileno(f), &sb) != 0 || !S_ISREG(sb.st_mode)) {
		fclose(f);
		return gr_fail(err, path, 0, "not a regular file"), X12_REFUSED;
	}
	/* Whole windows are asked for: stdio's own buffer is not used. */
	setvbuf(f, NULL, _IONBF, 0);
	struct src src = { .f = f };
	int rc = read_from(r, path, src, FILE_WINDOW, st, err);
	fclose(f);
	return rc;
}

/* --- values ---------------------------------------------------------------- */

size_t x12_components(const char *s, const struct x12_seps *seps,
		      char *buf, size_t bufsize, const char **out, size_t max)
{
	char sep = seps->component;
	if (!strchr(s, sep) && strchr(s, '>'))
		sep = '>';
	if (bufsize == 0 || max == 0)
		return 0;
	size_t len = strlen(s);
	if (len >= bufsize)
		len = bufsize - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	size_t n = 0;
	out[n++] = buf;
	for (char *c = buf; *c && n < max; c++)
		if (*c == sep) {
			*c = '\0';
			out[n++] = c + 1;
		}
	return n;
}

#define X12_MAX_CENTS 9000000000000000LL /* $90 trillion */

const char *x12_amount(const char *s, int64_t *cents)
{
	/* One pass, a digit test by one unsigned compare: this runs for
	 * every charge, payment and adjustment of the file. */
	const unsigned char *p = (const unsigned char *)s;
	bool neg = *p == '-', any;
	unsigned dg;
	int64_t v = 0;
	p += neg;
	any = (unsigned)(*p - '0') < 10;
	for (; (dg = (unsigned)(*p - '0')) < 10; p++) {
		v = v * 10 + dg;
		if (v > X12_MAX_CENTS / 100)
			return "too large";
	}
	v *= 100;
	if (*p == '.') {
		p++;
		if ((dg = (unsigned)(*p - '0')) < 10) {
			v += dg * 10;
			p++;
			any = true;
			if ((dg = (unsigned)(*p - '0')) < 10) {
				v += dg;
				p++;
				/* Further decimals may only be zeros. */
				while (*p == '0')
					p++;
				if ((unsigned)(*p - '0') < 10)
					return "more than 2 decimals";
			}
		}
	}
	if (*p != '\0' || !any)
		return "not a number";
	*cents = neg ? -v : v;
	return NULL;
}

const char *x12_date(const char *s, int32_t *days)
{
	int y = 0, m = 0, dd = 0;
	for (int i = 0; i < 8; i++)
		if (!is_digit((unsigned char)s[i]))
			return "not a date CCYYMMDD";
	if (s[8] != '\0')
		return "not a date CCYYMMDD";
	y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0');
	m = (s[4] - '0') * 10 + (s[5] - '0');
	dd = (s[6] - '0') * 10 + (s[7] - '0');
	if (y < 1900 || y > 2199)
		return "year outside 1900-2199";
	if (m < 1 || m > 12 || dd < 1 || dd > 31)
		return "no such date";
	/* Real calendar check (Gregorian leap years). */
	static const int dim[12] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (dd > dim[m - 1] + (m == 2 && leap))
		return "no such date";
	*days = value_days_from_civil(y, (unsigned)m, (unsigned)dd);
	return NULL;
}

const char *x12_count(const char *s, uint64_t max, uint64_t *out)
{
	uint64_t v = 0;
	int digits = 0;
	for (; is_digit((unsigned char)*s); s++, digits++) {
		v = v * 10 + (uint64_t)(*s - '0');
		if (v > max)
			return "too large";
	}
	if (*s == '.')
		for (s++; *s == '0'; s++)
			;
	if (*s != '\0' || digits == 0)
		return "not a whole number";
	*out = v;
	return NULL;
}
