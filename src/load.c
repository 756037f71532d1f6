/* load.c — one CSV file into typed rows, with physical line numbers.
 *
 * libcsv parses fields but knows nothing of lines, and after a parse error
 * its state would swallow the rest of the file.  So the file is first cut
 * into records by a small state machine that follows RFC 4180 quoting
 * (a quote opens a quoted field only at the start of a field; "" inside a
 * quoted field is a quote) and counts physical lines as it goes.  Each
 * record is then parsed alone by libcsv in strict mode and the parser is
 * reset, so a bad record is rejected with its own line number and never
 * affects the next one.  Cutting records first is also what lets a large
 * file be parsed on several cores later: the cut points are known.
 */
#include "load.h"

#include <csv.h>
#include <ctype.h>
#include <stdarg.h>
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

struct loader {
	const struct load_spec *spec;
	struct load_stats *stats;
	struct gr_err *err;
	struct csv_parser parser;

	/* Fields of the record being parsed, NUL-separated in buf. */
	char *buf;
	size_t buflen, bufcap;
	size_t *off, *flen;
	size_t nfields, capfields;
	const char *problem; /* first reason to reject this record, or NULL */

	/* Header mapping: file column -> requested column, or -1. */
	bool have_header;
	size_t file_cols;
	int *map;

	/* Row handed to the caller. */
	const char **v;
	size_t *len;
	bool *present;
};

static void on_field(void *s, size_t n, void *data)
{
	struct loader *L = data;

	if (L->problem)
		return;
	if (n > LOAD_MAX_FIELD) {
		L->problem = "a field is longer than 64 KiB";
		return;
	}
	if (L->nfields >= LOAD_MAX_COLUMNS) {
		L->problem = "more than 512 fields";
		return;
	}
	if (L->nfields == L->capfields) {
		size_t cap = L->capfields ? L->capfields * 2 : 32;
		size_t *off = realloc(L->off, cap * sizeof *off);
		if (!off) {
			L->problem = "out of memory";
			return;
		}
		L->off = off;
		size_t *flen = realloc(L->flen, cap * sizeof *flen);
		if (!flen) {
			L->problem = "out of memory";
			return;
		}
		L->flen = flen;
		L->capfields = cap;
	}
	if (L->buflen + n + 1 > L->bufcap) {
		size_t cap = L->bufcap ? L->bufcap : 4096;
		while (cap < L->buflen + n + 1)
			cap *= 2;
		char *b = realloc(L->buf, cap);
		if (!b) {
			L->problem = "out of memory";
			return;
		}
		L->buf = b;
		L->bufcap = cap;
	}
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

/* RFC 3629 UTF-8: returns the offset of the first invalid byte or LEN. */
static size_t utf8_check(const unsigned char *s, size_t len)
{
	size_t i = 0;

	while (i < len) {
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
	if (L->spec->reject && L->spec->reject(L->spec->ctx, line, msg) != 0)
		return gr_fail(L->err, L->spec->path, line, "out of memory");
	return 0;
}

static void lower_trim(const char *s, size_t n, char *out, size_t size)
{
	size_t k = 0;

	while (n && isspace((unsigned char)*s)) {
		s++;
		n--;
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
	size_t ign = 0;

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
		if (L->map[i] < 0 && name[0]) {
			size_t room = sizeof L->stats->ignored - ign;
			int w = snprintf(L->stats->ignored + ign, room, "%s%s",
					 ign ? ", " : "", name);
			if (w > 0 && (size_t)w < room)
				ign += (size_t)w;
		}
	}
	for (size_t k = 0; k < sp->ncols; k++)
		if (sp->cols[k].required && !L->stats->present[k])
			return gr_fail(L->err, sp->path, line,
				       "missing required column '%s'", sp->cols[k].name);
	L->have_header = true;
	return 0;
}

/* Parse one cut record REC[0..LEN) that starts on LINE. */
static int one_record(struct loader *L, const char *rec, size_t len,
		      size_t line)
{
	const struct load_spec *sp = L->spec;
	size_t bad;

	if (L->have_header)
		L->stats->records++;
	if (len > LOAD_MAX_RECORD)
		return L->have_header
			? reject(L, line, "row longer than 1 MiB")
			: gr_fail(L->err, sp->path, line, "header longer than 1 MiB");
	if (memchr(rec, '\0', len))
		return L->have_header
			? reject(L, line, "NUL byte in the row (is this a text CSV file?)")
			: gr_fail(L->err, sp->path, line,
				  "NUL byte in the header (is this a text CSV file?)");
	if ((bad = utf8_check((const unsigned char *)rec, len)) != len)
		return L->have_header
			? reject(L, line, "invalid UTF-8 at byte %zu of the row "
				 "(save the file as UTF-8)", bad + 1)
			: gr_fail(L->err, sp->path, line, "invalid UTF-8 in the header "
				  "(save the file as UTF-8)");

	L->nfields = 0;
	L->buflen = 0;
	L->problem = NULL;
	size_t used = csv_parse(&L->parser, rec, len, on_field, on_record, L);
	if (used < len) {
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
	bool all_empty = true;
	for (size_t i = 0; i < L->nfields; i++)
		if (L->flen[i])
			all_empty = false;
	if (all_empty)
		return reject(L, line, "row has only empty fields");

	for (size_t k = 0; k < sp->ncols; k++) {
		L->v[k] = "";
		L->len[k] = 0;
	}
	for (size_t i = 0; i < L->nfields; i++) {
		int k = L->map[i];
		if (k >= 0) {
			L->v[k] = L->buf + L->off[i];
			L->len[k] = L->flen[i];
		}
	}
	struct load_row row = { line, sp->ncols, L->v, L->len, L->present };
	return sp->row(sp->ctx, &row, L->err);
}

/* The record cutter.  States follow what libcsv accepts in strict mode,
 * so that every record libcsv would parse is cut where libcsv ends it. */
enum cut { AT_FIELD, IN_PLAIN, IN_QUOTED, QUOTE_SEEN };

static int cut_records(struct loader *L, const char *buf, size_t len)
{
	size_t i = 0, line = 1;

	/* A UTF-8 byte-order mark is not part of the first column name. */
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		i = 3;
	while (i < len) {
		size_t start = i, start_line = line;
		enum cut st = AT_FIELD;
		size_t end = len, next = len;

		/* Fast path: most lines hold no quote and no lone CR, and then
		 * the record is simply the line. */
		const char *nl = memchr(buf + i, '\n', len - i);
		if (nl) {
			size_t e = (size_t)(nl - buf);
			size_t body = e > i && buf[e - 1] == '\r' ? e - 1 : e;
			if (!memchr(buf + i, '"', body - i) && !memchr(buf + i, '\r', body - i)) {
				line++;
				i = e + 1;
				if (body == start) {
					L->stats->empty_lines++;
					continue;
				}
				if (one_record(L, buf + start, body - start, start_line) != 0)
					return -1;
				continue;
			}
		}
		for (; i < len; i++) {
			char c = buf[i];
			if (c == '\n' || c == '\r') {
				size_t term = (c == '\r' && i + 1 < len && buf[i + 1] == '\n') ? 2 : 1;
				if (st == IN_QUOTED) {
					line++;
					i += term - 1;
					continue;
				}
				end = i;
				next = i + term;
				line++;
				break;
			}
			switch (st) {
			case AT_FIELD:
				if (c == '"')
					st = IN_QUOTED;
				else if (c != ',' && c != ' ' && c != '\t')
					st = IN_PLAIN;
				break;
			case IN_PLAIN:
				if (c == ',')
					st = AT_FIELD;
				break;
			case IN_QUOTED:
				if (c == '"')
					st = QUOTE_SEEN;
				break;
			case QUOTE_SEEN:
				if (c == '"')
					st = IN_QUOTED;
				else if (c == ',')
					st = AT_FIELD;
				else if (c != ' ' && c != '\t')
					st = IN_PLAIN;
				break;
			}
		}
		if (i >= len && st == IN_QUOTED) {
			/* The quote never closed: everything from START to the end
			 * of the file is one broken record. */
			if (!L->have_header)
				return gr_fail(L->err, L->spec->path, start_line,
					       "unterminated quoted field in the header");
			L->stats->records++;
			/* The last line holding data: not the empty one after a
			 * final line break. */
			size_t last = len && (buf[len - 1] == '\n' || buf[len - 1] == '\r')
					      ? line - 1 : line;
			return reject(L, start_line,
				      "unterminated quoted field (the quote opened on "
				      "this line never closes; lines %zu-%zu were read "
				      "as one field)", start_line, last);
		}
		i = next;
		if (end == start) {
			L->stats->empty_lines++;
			continue;
		}
		if (one_record(L, buf + start, end - start, start_line) != 0)
			return -1;
	}
	if (!L->have_header)
		return gr_fail(L->err, L->spec->path, 0,
			       "the file is empty: a header line is needed");
	return 0;
}

int load_csv_buffer(const struct load_spec *spec, const char *buf, size_t len,
		    struct load_stats *stats, struct gr_err *err)
{
	struct loader L;
	int rc;

	memset(&L, 0, sizeof L);
	memset(stats, 0, sizeof *stats);
	L.spec = spec;
	L.stats = stats;
	L.err = err;
	stats->bytes = len;
	if (spec->ncols > LOAD_MAX_COLUMNS)
		return gr_fail(err, spec->path, 0, "too many columns requested");
	if (csv_init(&L.parser, CSV_STRICT | CSV_STRICT_FINI | CSV_APPEND_NULL) != 0)
		return gr_fail(err, spec->path, 0, "cannot start the CSV parser");
	L.v = calloc(spec->ncols + 1, sizeof *L.v);
	L.len = calloc(spec->ncols + 1, sizeof *L.len);
	if (!L.v || !L.len) {
		rc = gr_fail(err, spec->path, 0, "out of memory");
	} else {
		L.present = stats->present;
		rc = cut_records(&L, buf, len);
	}
	csv_free(&L.parser);
	free(L.buf);
	free(L.off);
	free(L.flen);
	free(L.map);
	free(L.v);
	free(L.len);
	return rc;
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
		rc = load_csv_buffer(spec, map, (size_t)st.st_size, stats, err);
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
