/* csvout.c — RFC 4180 output with formula-injection neutralising. */
#include "io/csvout.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/par.h"
#include "core/value.h"

#define CSVW_BUF (1u << 20)

int csvw_open(struct csvw *w, const char *path, struct gr_err *err)
{
	memset(w, 0, sizeof *w);
	if (!(w->buf = malloc(CSVW_BUF)))
		return gr_fail(err, path, 0, "out of memory");
	w->cap = CSVW_BUF;
	if (outfile_open(&w->out, path, err) != 0) {
		free(w->buf);
		w->buf = NULL;
		return -1;
	}
	return 0;
}

/* A block of a table formatted in memory, on any thread (csvw_blocks). */
static void csvw_mem_init(struct csvw *w)
{
	memset(w, 0, sizeof *w);
	w->mem = true;
}

static void csvw_mem_clear(struct csvw *w)
{
	w->len = 0;
	w->oom = false;
	w->row_started = false;
}

static void csvw_mem_free(struct csvw *w)
{
	free(w->buf);
	csvw_mem_init(w);
}

/* Room for N more bytes in a memory part. */
static bool mem_room(struct csvw *w, size_t n)
{
	if (w->oom)
		return false;
	size_t cap = w->cap ? w->cap : CSVW_BUF;
	while (cap < w->len + n)
		cap *= 2;
	char *b = cap != w->cap ? realloc(w->buf, cap) : w->buf;
	if (!b) {
		w->oom = true;
		return false;
	}
	w->buf = b;
	w->cap = cap;
	return true;
}

/* Write N bytes at S to the file; the first error is kept for commit,
 * which names it ("File too large", "No space left on device"). */
static void put_out(struct csvw *w, const char *s, size_t n)
{
	if (n && fwrite(s, 1, n, w->out.f) != n && !w->werr)
		w->werr = errno ? errno : EIO;
}

static void flush(struct csvw *w)
{
	put_out(w, w->buf, w->len);
	w->len = 0;
}

static void emit(struct csvw *w, const char *s, size_t n)
{
	if (w->len + n > w->cap) {
		if (w->mem) {
			if (!mem_room(w, n))
				return;
		} else {
			flush(w);
			if (n > w->cap) {
				put_out(w, s, n);
				return;
			}
		}
	}
	memcpy(w->buf + w->len, s, n);
	w->len += n;
}

static void emit_c(struct csvw *w, char c)
{
	if (w->len < w->cap)
		w->buf[w->len++] = c;
	else
		emit(w, &c, 1);
}

/* Append the rows of PART to W.  -1 when PART ran out of memory. */
static int csvw_append(struct csvw *w, const struct csvw *part)
{
	if (part->oom)
		return -1;
	if (part->len) /* an empty part has no buffer at all */
		emit(w, part->buf, part->len);
	return 0;
}

/* Decimal digits of V into the end of BUF; returns the first digit.
 * printf's general machinery was a third of a 1M-line report's time. */
static const char two_digits[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

static char *utoa_end(uint64_t v, char *end)
{
	/* Two digits a division: claims.csv writes five numbers a line. */
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		end -= 2;
		memcpy(end, two_digits + 2 * r, 2);
	}
	if (v >= 10) {
		end -= 2;
		memcpy(end, two_digits + 2 * v, 2);
	} else {
		*--end = (char)('0' + v);
	}
	return end;
}

/* "-12.50", "+3", "1e5" are numbers a spreadsheet reads as numbers, not
 * formulas: only a sign, digits, one point and an exponent. */
static bool plain_number(const char *s)
{
	const char *p = s;
	bool digits = false;

	if (*p == '-' || *p == '+')
		p++;
	while (isdigit((unsigned char)*p)) {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (isdigit((unsigned char)*p)) {
			p++;
			digits = true;
		}
	}
	return digits && *p == '\0';
}

size_t csvw_escape(const char *s, char *buf, size_t size)
{
	bool neutral = (s[0] == '=' || s[0] == '+' || s[0] == '-' || s[0] == '@' ||
			s[0] == '\t' || s[0] == '\r') && !plain_number(s);
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	size_t k = 0;

#define PUT(c) do { if (k + 1 < size) buf[k] = (c); k++; } while (0)
	if (quote)
		PUT('"');
	if (neutral)
		PUT('\'');
	for (const char *p = s; *p; p++) {
		if (*p == '"')
			PUT('"');
		PUT(*p);
	}
	if (quote)
		PUT('"');
#undef PUT
	if (size)
		buf[k < size ? k : size - 1] = '\0';
	return k;
}

static void sep(struct csvw *w)
{
	if (w->row_started)
		emit_c(w, ',');
	w->row_started = true;
}

void csvw_header(struct csvw *w, const char *names)
{
	emit(w, names, strlen(names));
	emit_c(w, '\n');
}

/* Bytes that end a plain cell's scan: its NUL, or one that needs quoting;
 * and first bytes that need a look by csvw_escape (a formula's start; the
 * empty cell is plain: nothing is written). */
static const unsigned char stops[256] = {
	[0] = 1, [','] = 1, ['"'] = 1, ['\r'] = 1, ['\n'] = 1,
};
static const unsigned char firsts[256] = {
	['='] = 1, ['+'] = 1, ['-'] = 1, ['@'] = 1, ['\t'] = 1, ['\r'] = 1,
};

void csvw_str(struct csvw *w, const char *s)
{
	char small[512];
	size_t n;

	sep(w);
	if (!s)
		return;
	/* Most cells need neither quoting nor neutralising: one pass finds
	 * their length and that they hold no byte to quote (strpbrk and
	 * strlen were two passes and most of claims.csv's time). */
	const unsigned char *p = (const unsigned char *)s;
	if (!firsts[p[0]]) {
		for (n = 0; !stops[p[n]]; n++)
			;
		if (!p[n]) {
			if (n <= 16 && w->len + n <= w->cap) {
				/* Short cells (ids, dates): no call to memcpy. */
				for (size_t k = 0; k < n; k++)
					w->buf[w->len + k] = s[k];
				w->len += n;
			} else {
				emit(w, s, n);
			}
			return;
		}
	}
	n = csvw_escape(s, small, sizeof small);
	if (n < sizeof small) {
		emit(w, small, n);
		return;
	}
	/* Rare long cell: escape straight to the stream. */
	bool neutral = small[0] == '\'' || (small[0] == '"' && small[1] == '\'');
	bool quote = strpbrk(s, ",\"\r\n") != NULL;
	if (quote)
		emit_c(w, '"');
	if (neutral)
		emit_c(w, '\'');
	for (const char *c = s; *c; c++) {
		if (*c == '"')
			emit_c(w, '"');
		emit_c(w, *c);
	}
	if (quote)
		emit_c(w, '"');
}

size_t csvw_plain_len(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n;

	if (!s || firsts[p[0]])
		return SIZE_MAX;
	for (n = 0; !stops[p[n]]; n++)
		;
	return p[n] ? SIZE_MAX : n;
}

/* N bytes at S into the buffer; short ones (ids, dates, amounts) as two
 * overlapping words, the first and the last eight (or four) bytes: a
 * call to memcpy, or a loop over the bytes, cost more than the copy. */
static inline void put_short(struct csvw *w, const char *s, size_t n)
{
	if (n > 16 || w->len + n > w->cap) {
		emit(w, s, n);
		return;
	}
	char *d = w->buf + w->len;
	if (n >= 8) {
		uint64_t a, b;
		memcpy(&a, s, 8);
		memcpy(&b, s + n - 8, 8);
		memcpy(d, &a, 8);
		memcpy(d + n - 8, &b, 8);
	} else if (n >= 4) {
		uint32_t a, b;
		memcpy(&a, s, 4);
		memcpy(&b, s + n - 4, 4);
		memcpy(d, &a, 4);
		memcpy(d + n - 4, &b, 4);
	} else {
		for (size_t k = 0; k < n; k++)
			d[k] = s[k];
	}
	w->len += n;
}

void csvw_plain(struct csvw *w, const char *s, size_t n)
{
	sep(w);
	put_short(w, s, n);
}

void csvw_cents(struct csvw *w, int64_t cents)
{
	char buf[32], *end = buf + sizeof buf, *p;
	uint64_t a = cents < 0 ? (uint64_t)0 - (uint64_t)cents : (uint64_t)cents;

	sep(w);
	p = end - 2;
	memcpy(p, two_digits + 2 * (a % 100), 2);
	*--p = '.';
	p = utoa_end(a / 100, p);
	if (cents < 0)
		*--p = '-';
	put_short(w, p, (size_t)(end - p));
}

void csvw_int(struct csvw *w, int64_t v)
{
	char buf[32], *end = buf + sizeof buf, *p;
	uint64_t a = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;

	sep(w);
	p = utoa_end(a, end);
	if (v < 0)
		*--p = '-';
	put_short(w, p, (size_t)(end - p));
}

void csvw_fixed(struct csvw *w, double v, int decimals)
{
	sep(w);
	if (isfinite(v)) {
		/* Avoid printing "-0.000000" for a value that rounds to zero. */
		double scale = pow(10.0, decimals);
		if (fabs(v) * scale < 0.5)
			v = 0.0;
		char buf[512]; /* DBL_MAX with decimals fits */
		int n = snprintf(buf, sizeof buf, "%.*f", decimals, v);
		if (n > 0 && (size_t)n < sizeof buf)
			emit(w, buf, (size_t)n);
	}
}

void csvw_sig(struct csvw *w, double v, int digits)
{
	sep(w);
	if (isfinite(v)) {
		char buf[64];
		int n = snprintf(buf, sizeof buf, "%.*g", digits, v == 0 ? 0.0 : v);
		if (n > 0 && (size_t)n < sizeof buf)
			emit(w, buf, (size_t)n);
	}
}

void csvw_empty(struct csvw *w)
{
	sep(w);
}

void csvw_end(struct csvw *w)
{
	emit_c(w, '\n');
	w->row_started = false;
}

/* ---- blocks formatted on several threads -------------------------------- */

struct blocks {
	csvw_block_fn fn;
	void *ctx;
	size_t nblocks;
	int fd;
	pthread_mutex_t mu;
	pthread_cond_t placed_cv;
	size_t next_take;  /* next block to format */
	size_t next_place; /* next block to be given its offset */
	off_t off;         /* where that block goes */
	bool failed;       /* a block ran out of memory */
	int werr;
};

static int pwrite_all(int fd, const char *p, size_t n, off_t off)
{
	while (n) {
		ssize_t k = pwrite(fd, p, n, off);
		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0)
			return k < 0 ? errno : EIO;
		p += k;
		n -= (size_t)k;
		off += k;
	}
	return 0;
}

/* One thread's share: take the next block, format it, wait for its
 * place, write it there; until no block is left.  Threads take blocks as
 * they come (par_for's range is only the thread's number). */
static int block_worker(void *arg, size_t from, size_t to, unsigned part_no)
{
	struct blocks *bs = arg;
	struct csvw part;

	(void)from;
	(void)to;
	(void)part_no;
	csvw_mem_init(&part);
	for (;;) {
		pthread_mutex_lock(&bs->mu);
		size_t b = bs->next_take;
		bool stop = b >= bs->nblocks || bs->failed || bs->werr;
		if (!stop)
			bs->next_take++;
		pthread_mutex_unlock(&bs->mu);
		if (stop)
			break;
		csvw_mem_clear(&part);
		bool bad = bs->fn(bs->ctx, b, &part) != 0 || part.oom;
		/* Blocks are placed in order: wait for the one before. */
		pthread_mutex_lock(&bs->mu);
		while (bs->next_place != b)
			pthread_cond_wait(&bs->placed_cv, &bs->mu);
		off_t off = bs->off;
		if (bad)
			bs->failed = true;
		else
			bs->off += (off_t)part.len;
		bs->next_place++;
		pthread_cond_broadcast(&bs->placed_cv);
		bool skip = bs->failed || bs->werr;
		pthread_mutex_unlock(&bs->mu);
		if (skip)
			continue;
		int e = pwrite_all(bs->fd, part.buf, part.len, off);
		if (e) {
			pthread_mutex_lock(&bs->mu);
			if (!bs->werr)
				bs->werr = e;
			pthread_mutex_unlock(&bs->mu);
		}
	}
	csvw_mem_free(&part);
	return 0;
}

int csvw_blocks(struct csvw *w, size_t nblocks, unsigned threads,
		csvw_block_fn fn, void *ctx)
{
	struct stat st;
	FILE *f = w->out.f;

	flush(w);
	if (threads < 2 || !f || fflush(f) != 0 || fstat(fileno(f), &st) != 0 ||
	    !S_ISREG(st.st_mode)) {
		/* One thread, or a device or pipe (no offsets): in turn. */
		struct csvw part;
		int rc = 0;
		csvw_mem_init(&part);
		for (size_t b = 0; b < nblocks && rc == 0; b++) {
			csvw_mem_clear(&part);
			rc = fn(ctx, b, &part) != 0 ? -1 : csvw_append(w, &part);
		}
		csvw_mem_free(&part);
		return rc;
	}
	struct blocks bs = { .fn = fn, .ctx = ctx, .nblocks = nblocks,
			     .fd = fileno(f), .off = ftello(f) };
	pthread_mutex_init(&bs.mu, NULL);
	pthread_cond_init(&bs.placed_cv, NULL);
	/* A thread that cannot be started leaves its share to the calling
	 * thread, which then takes the blocks the others did not. */
	par_for(threads, threads, 1, block_worker, &bs);
	pthread_cond_destroy(&bs.placed_cv);
	pthread_mutex_destroy(&bs.mu);
	/* The stream goes on after the blocks (and closes there). */
	if (fseeko(f, bs.off, SEEK_SET) != 0 && !bs.werr)
		bs.werr = errno;
	if (bs.werr)
		w->werr = bs.werr;
	return bs.failed ? -1 : 0;
}

int csvw_commit(struct csvw *w, struct gr_err *err)
{
	flush(w);
	if (w->werr) {
		free(w->buf);
		w->buf = NULL;
		outfile_abort(&w->out);
		return gr_fail(err, w->out.path, 0, "cannot write output file: %s",
			       strerror(w->werr));
	}
	free(w->buf);
	w->buf = NULL;
	return outfile_commit(&w->out, err);
}

void csvw_abort(struct csvw *w)
{
	free(w->buf);
	w->buf = NULL;
	w->len = 0;
	outfile_abort(&w->out);
}
