/* libFuzzer target: the loader's scanner against libcsv, the reference
 * parser (issue 20).  Every input is loaded twice — every record through
 * libcsv (load_tuning.libcsv_only), and with the scanner — and both must
 * give the same rows, values, line numbers, rejections with their
 * reasons, counts and fatal error.  The header picks which columns are
 * compared: any of a to h; a first byte ';', '|' or tab the delimiter.  (The parallel load against the one-thread
 * load is fuzz_attendance's; starting threads here would cut this
 * target's speed tenfold.) */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/load.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct trace {
	char *s;
	size_t len, cap;
};

static void add(struct trace *t, const char *text, size_t n)
{
	if (t->len + n + 1 > t->cap) {
		t->cap = (t->len + n + 1) * 2;
		if (!(t->s = realloc(t->s, t->cap)))
			abort();
	}
	memcpy(t->s + t->len, text, n);
	t->len += n;
	t->s[t->len] = '\0';
}

static int on_row(void *ctx, const struct load_row *row, struct gr_err *err)
{
	char head[64];
	(void)err;
	add(ctx, head, (size_t)snprintf(head, sizeof head, "R%zu", row->line));
	for (size_t k = 0; k < row->ncols; k++) {
		add(ctx, row->present[k] ? "|" : "-", 1);
		add(ctx, row->v[k], row->len[k]);
		if (strlen(row->v[k]) != row->len[k])
			abort(); /* a value is NUL-terminated at its length */
	}
	add(ctx, "\n", 1);
	return 0;
}

static int on_reject(void *ctx, size_t line, const char *reason)
{
	char head[64];
	add(ctx, head, (size_t)snprintf(head, sizeof head, "J%zu ", line));
	add(ctx, reason, strlen(reason));
	add(ctx, "\n", 1);
	return 0;
}

static void run(const uint8_t *data, size_t size, const struct load_tuning *tu,
		char delim, struct trace *t)
{
	static const struct load_col cols[] = { { "a", false }, { "b", false },
		{ "c", false }, { "d", false }, { "e", false }, { "f", false },
		{ "g", false }, { "h", false } };
	struct load_spec spec = { .path = "fuzz.csv", .cols = cols, .ncols = 8,
				  .row = on_row, .reject = on_reject, .ctx = t,
				  .tune = tu, .delim = delim };
	struct load_stats st;
	struct gr_err err;
	char tail[1200];

	t->len = 0;
	add(t, "", 0);
	int rc = load_csv_buffer(&spec, (const char *)data, size, &st, &err);
	if (rc == 0)
		snprintf(tail, sizeof tail, "ok %zu %zu %zu\n", st.records, st.rejected,
			 st.empty_lines);
	else
		snprintf(tail, sizeof tail, "fail %s\n", err.msg);
	add(t, tail, strlen(tail));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct trace ref = { 0 }, one = { 0 };
	struct load_tuning libcsv = { 1, 0, 0, NULL, NULL, true };

	/* A first byte ';', '|' or tab picks that delimiter (a column map's)
	 * for the rest of the input; anything else is a comma file. */
	char delim = ',';
	if (size && (data[0] == ';' || data[0] == '|' || data[0] == '\t')) {
		delim = (char)data[0];
		data++;
		size--;
	}
	run(data, size, &libcsv, delim, &ref);
	run(data, size, NULL, delim, &one);
	if (strcmp(ref.s, one.s) != 0)
		abort();
	free(ref.s);
	free(one.s);
	return 0;
}
