/* notefile.c — read notes.csv through the loader into word hashes. */
#include "model/notefile.h"

#include <stdio.h>
#include <string.h>

#include "core/value.h"
#include "core/words.h"

enum { N_SESSION, N_MEMBER, N_TEXT, N_NAME, N_AUTHOR, N_SIGNED, N_NCOLS };

static const struct load_col cols[N_NCOLS] = {
	{ "session_id", true }, { "member_id", true }, { "text", true },
	{ "member_name", false }, { "author", false }, { "signed", false },
};

struct ctx {
	struct notefile *nf;
	struct rejects *rej;
};

static int refuse(struct ctx *c, size_t line, const char *why, struct gr_err *err)
{
	c->nf->rows_rejected++;
	if (rejects_add(c->rej, c->nf->path, line, "%s", why) != 0)
		return gr_fail(err, c->nf->path, line, "out of memory");
	return 0;
}

static int oom(struct ctx *c, size_t line, struct gr_err *err)
{
	return gr_fail(err, c->nf->path, line, "out of memory");
}

static int on_row(void *vctx, const struct load_row *row, struct gr_err *err)
{
	struct ctx *c = vctx;
	struct notefile *nf = c->nf;
	const char *const *v = row->v;
	struct note n;

	memset(&n, 0, sizeof n);
	n.line = (uint32_t)row->line;
	n.author = NOTE_NONE;
	n.signed_on = INT32_MIN;
	/* Messages name the column only: a value of this file may be PHI. */
	if (!row->len[N_SESSION])
		return refuse(c, row->line, "column 'session_id' is empty", err);
	if (!row->len[N_MEMBER])
		return refuse(c, row->line, "column 'member_id' is empty", err);
	if (row->len[N_SIGNED] && value_date(v[N_SIGNED], &n.signed_on))
		return refuse(c, row->line, "column 'signed' is not a date "
			      "(YYYY-MM-DD or MM/DD/YYYY)", err);
	if (nf->notes.len >= UINT32_MAX - 1 || nf->words.len > (size_t)1 << 40)
		return refuse(c, row->line, "more notes than one run can hold", err);
	if (strpool_intern(&nf->session_ids, v[N_SESSION], row->len[N_SESSION],
			   &n.session) ||
	    strpool_intern(&nf->members, v[N_MEMBER], row->len[N_MEMBER], &n.member))
		return oom(c, row->line, err);
	if (row->len[N_AUTHOR] &&
	    strpool_intern(&nf->authors, v[N_AUTHOR], row->len[N_AUTHOR], &n.author))
		return oom(c, row->line, err);
	n.words = nf->words.len;
	long w = words_split(v[N_TEXT], row->len[N_TEXT], &nf->words);
	if (w < 0)
		return oom(c, row->line, err);
	n.nwords = (uint32_t)w;
	n.self = nf->words.len;
	long s1 = words_split(v[N_NAME], row->len[N_NAME], &nf->words);
	long s2 = s1 < 0 ? -1 : words_split(v[N_MEMBER], row->len[N_MEMBER], &nf->words);
	if (s2 < 0)
		return oom(c, row->line, err);
	n.nself = (uint32_t)(s1 + s2);
	struct note *dst = vec_push(&nf->notes);
	if (!dst)
		return oom(c, row->line, err);
	*dst = n;
	return 0;
}

static int on_reject(void *vctx, size_t line, const char *reason)
{
	struct ctx *c = vctx;

	/* The loader's reasons name positions and sizes, never values. */
	c->nf->rows_rejected++;
	return rejects_add(c->rej, c->nf->path, line, "%s", reason);
}

int notefile_load(struct notefile *nf, const char *path, const char *buf,
		  size_t len, struct arena *a, struct rejects *rej,
		  const struct load_tuning *tune, struct gr_err *err)
{
	struct ctx c = { nf, rej };
	struct load_spec spec = { .path = path, .cols = cols, .ncols = N_NCOLS,
				  .row = on_row, .reject = on_reject, .ctx = &c,
				  .tune = tune };
	struct load_stats st;
	int rc;

	memset(nf, 0, sizeof *nf);
	nf->path = path;
	vec_init(&nf->notes, sizeof(struct note));
	vec_init(&nf->words, sizeof(uint64_t));
	strpool_init(&nf->session_ids, a);
	strpool_init(&nf->members, a);
	strpool_init(&nf->authors, a);
	rc = buf ? load_csv_buffer(&spec, buf, len, &st, err) : load_csv(&spec, &st, err);
	if (rc != 0)
		return rc;
	nf->rows_read = st.records;
	nf->empty_lines = st.empty_lines;
	nf->has_name = st.present[N_NAME];
	nf->has_author = st.present[N_AUTHOR];
	nf->has_signed = st.present[N_SIGNED];
	snprintf(nf->ignored_columns, sizeof nf->ignored_columns, "%s", st.ignored);
	return 0;
}

void notefile_free(struct notefile *nf)
{
	vec_free(&nf->notes);
	vec_free(&nf->words);
	strpool_free(&nf->session_ids);
	strpool_free(&nf->members);
	strpool_free(&nf->authors);
}
