/* cli.c — the environment, progress, notices and output folder every
 * command shares (cli.h).  The layers below return errors and never read
 * the environment or print; this is where a run meets the terminal. */
#include "cmd/cli.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "billing/rules.h"
#include "core/value.h"
#include "io/manifest.h"
#include "io/outfile.h"
#include "model/schema.h"
#include "render/report.h"

#ifndef GR_DATADIR
#define GR_DATADIR "/usr/local/share/grouprev"
#endif

const char *cli_input(const char *path)
{
	return path && strcmp(path, "-") == 0 ? "/dev/stdin" : path;
}

int cli_usage(struct gr_err *err, const char *cmd, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	fprintf(stderr, "grouprev %s: %s\n", cmd, msg);
	fprintf(stderr, "Run 'grouprev %s --help' for its options.\n", cmd);
	memset(err, 0, sizeof *err);
	return GR_EXIT_FATAL;
}

static bool is_dir(const char *p)
{
	struct stat st;
	return stat(p, &st) == 0 && S_ISDIR(st.st_mode);
}

int cli_rates_dir(const char *given, char *buf, size_t size, struct gr_err *err)
{
	const char *env = getenv("GROUPREV_RATES");
	char exe[PATH_MAX], tried[2048] = "";
	size_t tn = 0;
	ssize_t n;

	if (given || (env && *env)) {
		snprintf(buf, size, "%s", given ? given : env);
		if (is_dir(buf))
			return 0;
		return gr_fail(err, buf, 0, "rate-table folder not found (it must hold "
			       "payers.csv and rates.csv%s)",
			       given ? "" : "; it is $GROUPREV_RATES");
	}
	/* Each candidate in turn; the error names them all. */
#define TRY(...) do { \
		snprintf(buf, size, __VA_ARGS__); \
		if (is_dir(buf)) \
			return 0; \
		int w_ = snprintf(tried + tn, sizeof tried - tn, "%s%s", tn ? ", " : "", buf); \
		if (w_ > 0 && (size_t)w_ < sizeof tried - tn) \
			tn += (size_t)w_; \
	} while (0)
	/* A program run from the source tree (./grouprev or build/grouprev)
	 * finds the tables of that tree; an installed one, those installed
	 * beside it (PREFIX/bin and PREFIX/share), wherever PREFIX is. */
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n > 0) {
		exe[n] = '\0';
		char *slash = strrchr(exe, '/');
		if (slash) {
			*slash = '\0';
			TRY("%s/rate-tables", exe);
			TRY("%s/../rate-tables", exe);
			TRY("%s/../share/grouprev/rate-tables", exe);
		}
	}
	TRY("%s/rate-tables", GR_DATADIR);
	TRY("rate-tables");
#undef TRY
	return gr_fail(err, NULL, 0, "no rate-table folder found (searched %s); "
		       "give one with --rates DIR or GROUPREV_RATES", tried);
}

int cli_theme(struct chart_theme *th, const char *given, struct gr_err *err)
{
	char rates[PATH_MAX], path[PATH_MAX + 32];
	struct gr_err ignore;

	if (given)
		return report_theme(th, given, err);
	if (cli_rates_dir(NULL, rates, sizeof rates, &ignore) != 0)
		return report_theme(th, NULL, err);
	snprintf(path, sizeof path, "%s/../charts/theme.conf", rates);
	return report_theme(th, path, err);
}

/* The parser threads: GROUPREV_THREADS, else one per core (at most 8;
 * more would only wait on the thread that hands rows over in order). */
static int parser_threads(unsigned *threads, struct gr_err *err)
{
	const char *env = getenv("GROUPREV_THREADS");
	char *end;
	long n;

	if (env && *env) {
		n = strtol(env, &end, 10);
		if (*end || n < 1 || n > 64)
			return gr_fail(err, NULL, 0, "GROUPREV_THREADS must be a whole "
				       "number from 1 to 64 (it is '%s')", env);
		*threads = (unsigned)n;
		return 0;
	}
	n = sysconf(_SC_NPROCESSORS_ONLN);
	*threads = n < 1 ? 1 : n > 8 ? 8 : (unsigned)n;
	return 0;
}

/* A progress line while a large file loads, on a terminal only: a log
 * or a pipe gets nothing. */
struct progress {
	const char *path;
	double t0, last;
	bool shown;
};

#define PROGRESS_MIN_BYTES (64.0 * 1024 * 1024)

static void show_progress(void *ctx, size_t done, size_t total, size_t records)
{
	struct progress *pg = ctx;
	double now = run_now(), el = now - pg->t0;

	if (now - pg->last < 0.25 || el <= 0)
		return;
	pg->last = now;
	pg->shown = true;
	double rate = (double)done / el, left = rate > 0 ? (double)(total - done) / rate : 0;
	fprintf(stderr, "\r%s: %.0f of %.0f MB, %zu rows, %.0f MB/s, ", pg->path,
		(double)done / 1e6, (double)total / 1e6, records, rate / 1e6);
	if (left < 1)
		fputs("under a second left\033[K", stderr);
	else
		fprintf(stderr, "about %.0f s left\033[K", left);
}

int cli_rates_failed(const struct rejects *broken, struct gr_err *err)
{
	size_t n = broken->items.len;
	char vis[2048];

	/* One broken row is ERR itself; several are each printed, so that
	 * one run shows every row to mend. */
	if (n < 2)
		return -1;
	for (size_t i = 0; i < n; i++) {
		const struct reject *x = &VEC_AT(&broken->items, struct reject, i);
		char file[1024];
		fprintf(stderr, "%s:%zu: %s\n", cli_visible(x->file, file, sizeof file),
			x->line, cli_visible(x->reason, vis, sizeof vis));
	}
	return gr_fail(err, NULL, 0, "the rate tables have %zu broken rows (above); "
		       "nothing was priced", n);
}

int cli_load(struct run *run, const char *attendance, const char *rates,
	     const char *quarter, struct gr_err *err)
{
	return cli_load_map(run, attendance, NULL, rates, quarter, err);
}

int cli_load_map(struct run *run, const char *attendance, const char *map,
		 const char *rates, const char *quarter, struct gr_err *err)
{
	char dir[PATH_MAX];
	struct stat st;

	attendance = cli_input(attendance);
	memset(run, 0, sizeof *run);
	arena_init(&run->arena);
	if (cli_rates_dir(rates, dir, sizeof dir, err) != 0)
		return -1;
	double t0 = run_now();
	struct progress pg = { attendance, t0, t0, false };
	struct load_tuning tune = { 1, 0, 0, NULL, &pg, false };
	if (parser_threads(&tune.threads, err) != 0)
		return -1;
	if (isatty(STDERR_FILENO) && stat(attendance, &st) == 0 &&
	    (double)st.st_size >= PROGRESS_MIN_BYTES)
		tune.progress = show_progress;
	int rc = run_load_map(run, attendance, map, dir, quarter, &tune, err);
	if (pg.shown)
		fputs("\r\033[K", stderr);
	if (rc != 0 && run->rates.npayers == 0 && run->rejects.items.len)
		cli_rates_failed(&run->rejects, err);
	return rc;
}

/* The first and last quarter with sessions; false when there are none. */
static bool quarter_span(const struct roster *r, int32_t *lo, int32_t *hi,
			 int32_t *dlo, int32_t *dhi)
{
	*dlo = INT32_MAX;
	*dhi = INT32_MIN;
	for (size_t i = 0; i < r->sessions.len; i++) {
		int32_t d = roster_session(r, i)->date;
		*dlo = d < *dlo ? d : *dlo;
		*dhi = d > *dhi ? d : *dhi;
	}
	if (*dlo > *dhi)
		return false;
	*lo = value_quarter(*dlo);
	*hi = value_quarter(*dhi);
	return true;
}

const char *cli_scope_name(const struct run *run, char *buf, size_t size)
{
	char a[16], b[16];
	int32_t lo, hi, dlo, dhi;

	if (!run->scope.all) {
		value_format_quarter(run->scope.quarter, a);
		snprintf(buf, size, "%s", a);
	} else if (!quarter_span(&run->roster, &lo, &hi, &dlo, &dhi)) {
		snprintf(buf, size, "every quarter (no sessions)");
	} else {
		value_format_quarter(lo, a);
		value_format_quarter(hi, b);
		if (lo == hi)
			snprintf(buf, size, "every quarter, %s", a);
		else
			snprintf(buf, size, "every quarter, %s to %s", a, b);
	}
	return buf;
}

const char *cli_visible(const char *s, char *buf, size_t size)
{
	size_t k = 0;

	for (; *s && k + 5 < size; s++) {
		unsigned char c = (unsigned char)*s;
		if (c < 0x20 || c == 0x7f) {
			k += (size_t)snprintf(buf + k, size - k, "\\x%02x", c);
			continue;
		}
		buf[k++] = (char)c;
	}
	buf[k] = '\0';
	return buf;
}


/* The summary of an export read through a column map: rows read = used
 * + skipped + rejected, the skipped rows by code, add-on rows, made
 * groups and sessions, and the likely encoding of a file that is not
 * UTF-8.  PATH is the export's name as cli_visible quotes it. */
static void export_notices(const struct roster *r, FILE *f, const char *path)
{
	const struct roster_export *x = &r->exp;
	char vis[256];

	if (x->guess)
		fprintf(f, "%s:%zu: note: the export is not UTF-8; it looks like %s: "
			"set `encoding = %s` in the map's [file] group\n", path,
			x->guess_line, x->guess, x->guess);
	if (x->groups_made)
		fprintf(f, "%s: note: no group column: each clinician's weekly time slot "
			"is one group program (CLINICIAN-DAY-HHMM)\n", path);
	if (x->sessions_made)
		fprintf(f, "%s: note: no session_id: %zu session%s made from date, start, "
			"clinician and group\n", path, r->sessions.len,
			r->sessions.len == 1 ? "" : "s");
	fprintf(f, "%s: %zu rows read = %zu used + %zu skipped + %zu rejected",
		path, r->rows_read, r->rows_used, x->skipped, r->rows_rejected);
	if (x->addon_rows)
		fprintf(f, " (of the used, %zu add-on row%s joined to %s 90853 line)",
			x->addon_rows, x->addon_rows == 1 ? "" : "s",
			x->addon_rows == 1 ? "its" : "their");
	if (r->empty_lines)
		fprintf(f, " (%zu empty line%s skipped)", r->empty_lines,
			r->empty_lines == 1 ? "" : "s");
	fputc('\n', f);
	if (x->skipped) {
		fprintf(f, "%s: skipped, not group psychotherapy:", path);
		for (size_t i = 0; i < x->skips.len; i++) {
			const struct roster_skip *sk = &VEC_AT(&x->skips, struct roster_skip, i);
			fprintf(f, "%s %s (%zu row%s)", i ? "," : "",
				cli_visible(sk->code, vis, sizeof vis), sk->rows,
				sk->rows == 1 ? "" : "s");
		}
		fputc('\n', f);
	}
}

void cli_notices(const struct run *run, FILE *f, size_t max, const char *rejects_at)
{
	const struct roster *r = &run->roster;
	size_t nrej = run->rejects.items.len;
	char vis[2048], path[1024], file[1024];

	/* File names are quoted like the messages: a name is text too. */
	cli_visible(r->path ? r->path : "", path, sizeof path);

	for (size_t i = 0; i < nrej && i < max; i++) {
		const struct reject *x = &VEC_AT(&run->rejects.items, struct reject, i);
		fprintf(f, "%s:%zu: rejected: %s\n", cli_visible(x->file, file, sizeof file),
			x->line, cli_visible(x->reason, vis, sizeof vis));
	}
	if (nrej > max)
		fprintf(f, "... and %zu more rejected rows (all %zu are in %s)\n",
			nrej - max, nrej, rejects_at);
	if (r->ignored_columns[0])
		fprintf(f, "%s: note: ignored unknown columns: %s\n", path,
			cli_visible(r->ignored_columns, vis, sizeof vis));
	/* Take-backs (a negative paid on a line not marked paid) are summed
	 * into what was paid: say how many and how much (docs/inputs.md). */
	size_t nback = 0;
	int64_t back = 0;
	for (size_t i = 0; i < r->lines.len; i++) {
		const struct line *ln = roster_line(r, i);
		if ((ln->flags & LINE_HAS_PAID) && ln->paid < 0) {
			nback++;
			back += ln->paid;
		}
	}
	if (nback) {
		char money[64];
		value_format_dollars(back, money);
		fprintf(f, "%s: note: %zu line%s with a negative paid amount (take-backs) "
			"summed into paid: %s\n", path, nback, nback == 1 ? "" : "s",
			money);
	}
	/* Payer ids match ignoring case and spaces (rates_find_payer); the
	 * tables keep the file's spelling, so say which payer it became. */
	for (uint32_t p = 0; run->ledger.payer_index && p < r->payers.count; p++) {
		int32_t k = run->ledger.payer_index[p];
		const char *id = strpool_str(&r->payers, p);
		if (k >= 0 && strcmp(id, run->rates.payers[k].id) != 0)
			fprintf(f, "%s: note: payer '%s' is priced as '%s' of payers.csv "
				"(ids match ignoring case and surrounding spaces)\n",
				path, cli_visible(id, vis, sizeof vis),
				run->rates.payers[k].id);
	}
	for (int i = 0; i < RULE_COUNT; i++) {
		if (!(run->ledger.unchecked & (1u << i)))
			continue;
		uint32_t missing = rules_table[i].needs_column & ~r->columns;
		if ((r->columns & COL_POS) && missing == COL_MODALITY)
			continue;
		fprintf(f, "%s: note: rule '%s' not checked: the file has no '%s' column\n",
			path, rules_table[i].name, schema_name_of_bit(missing));
	}
	bool any = false;
	for (size_t i = 0; i < r->sessions.len && !any; i++)
		any = scope_has(&run->scope, roster_session(r, i));
	int32_t lo, hi, dlo, dhi;
	if (!any && !run->scope.all) {
		char q[16], a[16], b[16];
		value_format_quarter(run->scope.quarter, q);
		if (quarter_span(r, &lo, &hi, &dlo, &dhi)) {
			value_format_date(dlo, a);
			value_format_date(dhi, b);
			fprintf(f, "%s: note: no sessions in %s (the file's sessions run "
				"from %s to %s): every figure is zero\n", path, q, a, b);
		} else {
			fprintf(f, "%s: note: no sessions in %s (the file has none): every "
				"figure is zero\n", path, q);
		}
	}
	if (r->exp.mapped) {
		export_notices(r, f, path);
		return;
	}
	fprintf(f, "%s: %zu rows read = %zu used + %zu rejected",
		path, r->rows_read, r->rows_used, r->rows_rejected);
	if (r->empty_lines)
		fprintf(f, " (%zu empty line%s skipped)", r->empty_lines,
			r->empty_lines == 1 ? "" : "s");
	fputc('\n', f);
}

const char *cli_plural(unsigned long long n, const char *word, char *buf,
		       size_t size)
{
	snprintf(buf, size, "%llu %s%s", n, word, n == 1 ? "" : "s");
	return buf;
}

/* ---- the redaction key ---------------------------------------------------- */

int cli_redact_key(const char *path, unsigned char key[PSEUDONYM_KEY_BYTES],
		   struct gr_err *err)
{
	char text[2 * PSEUDONYM_KEY_BYTES + 2];
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		if (getrandom(key, PSEUDONYM_KEY_BYTES, 0) != PSEUDONYM_KEY_BYTES)
			return gr_fail(err, path, 0, "cannot draw a random key: %s",
				       strerror(errno));
		for (int i = 0; i < PSEUDONYM_KEY_BYTES; i++)
			snprintf(text + 2 * i, 3, "%02x", key[i]);
		text[2 * PSEUDONYM_KEY_BYTES] = '\n';
		/* O_EXCL: two runs at once never write two keys into one file. */
		fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
		if (fd < 0)
			return gr_fail(err, path, 0, "cannot create the redaction key: %s",
				       strerror(errno));
		ssize_t w = write(fd, text, sizeof text - 1);
		if (close(fd) != 0 || w != (ssize_t)(sizeof text - 1)) {
			unlink(path);
			return gr_fail(err, path, 0, "cannot write the redaction key");
		}
		fprintf(stderr, "grouprev: created the redaction key %s (mode 0600): give "
			"it again for the same pseudonyms, and keep it in the office\n",
			path);
		return 0;
	}
	if (fd < 0)
		return gr_fail(err, path, 0, "cannot open the redaction key: %s",
			       strerror(errno));
	ssize_t n = read(fd, text, sizeof text);
	int bad_mode = fstat(fd, &st) == 0 && (st.st_mode & 077);
	close(fd);
	if (bad_mode)
		fprintf(stderr, "%s: note: the redaction key can be read by others "
			"(chmod 600 it): whoever has it can test guesses of member ids "
			"against the pseudonyms\n", path);
	if (n < 0 || pseudonym_key_parse(text, (size_t)n, key) != 0)
		return gr_fail(err, path, 0, "not a redaction key (64 hex digits)");
	return 0;
}

int cli_pseudonyms(const char *keyfile, struct run *run, struct pseudonyms *ps,
		   const struct pseudonyms **use, struct gr_err *err)
{
	unsigned char key[PSEUDONYM_KEY_BYTES];

	*use = NULL;
	if (!keyfile)
		return 0;
	if (cli_redact_key(keyfile, key, err) != 0 ||
	    pseudonyms_build(ps, &run->roster, key, &run->arena, err) != 0)
		return -1;
	*use = ps;
	return 0;
}

/* ---- the output folder ---------------------------------------------------- */

#define LOCK_NAME ".grouprev.lock"
#define MANIFEST_NAME ".grouprev-outputs"
#define MAX_OUTPUTS 64

int cli_out_begin(struct cli_out *o, const char *command, const char *dir,
		  const char *const *inputs, size_t ninputs, struct gr_err *err)
{
	struct stat st;
	char lock[1100];

	memset(o, 0, sizeof *o);
	o->lock_fd = -1;
	snprintf(o->command, sizeof o->command, "%s", command);
	for (size_t i = 0; i < ninputs && inputs[i]; i++)
		if (o->ninputs < CLI_MAX_INPUTS && stat(cli_input(inputs[i]), &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			o->dev[o->ninputs] = st.st_dev;
			o->ino[o->ninputs] = st.st_ino;
			o->ninputs++;
		}
	if (dir) {
		size_t n = strlen(dir);
		/* "q3/" and "q3" name one folder: "q3/report.pdf", never
		 * "q3//report.pdf". */
		while (n > 1 && dir[n - 1] == '/')
			n--;
		if (n >= sizeof o->dir)
			return gr_fail(err, dir, 0, "output folder name is too long");
		memcpy(o->dir, dir, n);
		o->dir[n] = '\0';
		if (outfile_mkdir(o->dir, err) != 0)
			return -1;
		snprintf(lock, sizeof lock, "%s/%s", o->dir, LOCK_NAME);
		o->lock_fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
		if (o->lock_fd < 0)
			return gr_fail(err, lock, 0, "cannot create the lock file of the "
				       "output folder: %s", strerror(errno));
		if (flock(o->lock_fd, LOCK_EX | LOCK_NB) != 0) {
			if (errno != EWOULDBLOCK)
				return gr_fail(err, lock, 0, "cannot lock the output folder: %s",
					       strerror(errno));
			fprintf(stderr, "grouprev: %s is in use by another grouprev run; "
				"waiting for it to finish\n", o->dir);
			while (flock(o->lock_fd, LOCK_EX) != 0)
				if (errno != EINTR)
					return gr_fail(err, lock, 0, "cannot lock the output "
						       "folder: %s", strerror(errno));
		}
	}
	outfile_hold();
	return 0;
}

int cli_out_check(const struct cli_out *o, const char *path, struct gr_err *err)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return 0;
	for (size_t i = 0; i < o->ninputs; i++)
		if (st.st_dev == o->dev[i] && st.st_ino == o->ino[i])
			return gr_fail(err, path, 0, "this output is one of the inputs of "
				       "the run; write it elsewhere (nothing was written)");
	return 0;
}

/* The file name of PATH when it lies directly in DIR, else NULL. */
static const char *in_dir(const char *dir, const char *path)
{
	size_t n = strlen(dir);

	if (strncmp(path, dir, n) != 0 || path[n] != '/' || strchr(path + n + 1, '/'))
		return NULL;
	return path + n + 1;
}

static bool listed(const char *const *names, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(names[i], name) == 0)
			return true;
	return false;
}

int cli_out_publish(struct cli_out *o, struct gr_err *err)
{
	const char *held[MAX_OUTPUTS], *mine[MAX_OUTPUTS], *old[MAX_OUTPUTS];
	char mpath[1100], obuf[4096], stale[1100];
	size_t nheld = outfile_held(held, MAX_OUTPUTS), nmine = 0, nold = 0;

	if (nheld > MAX_OUTPUTS)
		nheld = MAX_OUTPUTS;
	for (size_t i = 0; i < nheld; i++)
		if (cli_out_check(o, held[i], err) != 0) {
			cli_out_end(o);
			return -1;
		}
	if (o->dir[0]) {
		struct outfile mf;
		snprintf(mpath, sizeof mpath, "%s/%s.%s", o->dir, MANIFEST_NAME, o->command);
		nold = manifest_read(mpath, obuf, sizeof obuf, old, MAX_OUTPUTS);
		for (size_t i = 0; i < nheld; i++) {
			const char *name = in_dir(o->dir, held[i]);
			if (name)
				mine[nmine++] = name;
		}
		if (outfile_open(&mf, mpath, err) != 0) {
			cli_out_end(o);
			return -1;
		}
		for (size_t i = 0; i < nmine; i++)
			fprintf(mf.f, "%s\n", mine[i]);
		if (outfile_commit(&mf, err) != 0) {
			cli_out_end(o);
			return -1;
		}
		/* The names point into the held list, which publishing clears:
		 * the stale ones are found first. */
		size_t k = 0;
		for (size_t i = 0; i < nold; i++)
			if (!listed(mine, nmine, old[i]))
				old[k++] = old[i];
		nold = k;
	}
	if (outfile_publish(err) != 0) {
		cli_out_end(o);
		return -1;
	}
	for (size_t i = 0; i < nold; i++) {
		snprintf(stale, sizeof stale, "%s/%s", o->dir, old[i]);
		if (unlink(stale) == 0)
			fprintf(stderr, "grouprev: removed %s: an earlier %s run wrote it "
				"and this one did not\n", stale, o->command);
	}
	cli_out_end(o);
	return 0;
}

void cli_out_end(struct cli_out *o)
{
	outfile_discard();
	if (o->lock_fd >= 0) {
		close(o->lock_fd); /* releases the flock */
		o->lock_fd = -1;
	}
}
