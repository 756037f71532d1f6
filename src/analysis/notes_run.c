/* notes_run.c — read and audit --notes for a command (notes_run.h). */
#include "analysis/notes_run.h"

#include <string.h>
#include <sys/stat.h>

static bool is_file(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISREG(st.st_mode);
}

void notes_elements_path(char *buf, size_t size, const char *elements,
			 const char *rates_used, const char *shipped_dir)
{
	if (elements) {
		snprintf(buf, size, "%s", elements);
		return;
	}
	const char *slash = rates_used ? strrchr(rates_used, '/') : NULL;
	if (slash) {
		snprintf(buf, size, "%.*s/note-elements.conf", (int)(slash - rates_used),
			 rates_used);
		if (is_file(buf) || !shipped_dir || !*shipped_dir)
			return;
	}
	snprintf(buf, size, "%s/note-elements.conf",
		 shipped_dir && *shipped_dir ? shipped_dir : "rate-tables");
}

int notes_run_load(struct notes_run *nr, struct run *run, const char *notes,
		   const char *elements, const char *shipped_dir,
		   const struct notes_opts *o, struct gr_err *err)
{
	char path[1100];
	struct load_tuning tune = { .threads = run->threads };

	memset(nr, 0, sizeof *nr);
	notes_elements_path(path, sizeof path, elements, run->rates.payers_path,
			    shipped_dir);
	if (elements_load(&nr->el, path, err) != 0)
		return -1;
	nr->loaded = true;
	double t0 = run_now();
	if (notefile_load(&nr->nf, notes, NULL, 0, &run->arena, &run->rejects, &tune,
			  err) != 0)
		return -1;
	double t1 = run_now();
	struct notes_opts opts = *o;
	opts.threads = run->threads;
	if (notes_audit_run(&nr->audit, &nr->nf, &nr->el, &run->roster, &run->scope, &opts,
			    &run->rejects, err) != 0)
		return -1;
	nr->t_read = t1 - t0;
	nr->t_audit = run_now() - t1;
	/* rejects.csv is in file then line order, the notes' rows too. */
	rejects_sort(&run->rejects);
	return 0;
}

void notes_run_free(struct notes_run *nr)
{
	if (!nr->loaded)
		return;
	notes_audit_free(&nr->audit);
	notefile_free(&nr->nf);
	elements_free(&nr->el);
	nr->loaded = false;
}

void notes_run_print(const struct notes_run *nr, FILE *f)
{
	const struct notes_audit *a = &nr->audit;
	const struct notefile *nf = &nr->nf;
	size_t used = nf->notes.len - a->unmatched - a->absent - a->duplicate;

	fprintf(f, "%s: %zu notes read: %zu used, %zu refused (unreadable or a bad "
		"column: %zu; no attended line: %zu; member absent: %zu; a second note: "
		"%zu)", nf->path, nf->rows_read, used - a->out_of_scope,
		nf->rows_read - used, nf->rows_rejected, a->unmatched, a->absent,
		a->duplicate);
	if (a->out_of_scope)
		fprintf(f, "; %zu outside the quarter, used as history only",
			a->out_of_scope);
	fprintf(f, "\n");
	if (nf->ignored_columns[0])
		fprintf(f, "%s: ignored columns: %s\n", nf->path, nf->ignored_columns);
}
