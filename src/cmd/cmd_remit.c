/* cmd_remit.c — `grouprev remit`: read the payers' 835 remittances,
 * reconcile every service line, and match them to attendance lines; and
 * the --remit option that report and stats share (commands.h). */
#include <dirent.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "cmd/cli.h"
#include "cmd/commands.h"
#include "billing/match.h"
#include "billing/run.h"
#include "io/outfile.h"
#include "io/x12.h"
#include "model/remit.h"
#include "render/remit_out.h"
#include "render/tables.h"
#include "core/value.h"

/* CPU seconds of this thread: on a shared machine the stages' wall time
 * says more about the neighbours than about grouprev. */
static double cpu_now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void remit_usage(FILE *f)
{
	fprintf(f,
"Usage: grouprev remit PATH... [--attendance ATT.csv] [--rates DIR] [--out DIR]\n"
"\n"
"Reads the payers' electronic remittance advice (X12 835, 5010) and lists\n"
"every service line with what the payer paid, allowed and adjusted, the\n"
"patient's share, the reason and remark codes, and whether it balances.\n"
"A PATH is an 835 file or a folder, whose regular files are read in name\n"
"order (names starting with '.' are skipped).\n"
"\n"
"Options:\n"
"  --attendance ATT.csv  also match the service lines to these attendance\n"
"                   lines (line_ref, then claim_id + date, then insured_id\n"
"                   or member_id + date + payer) and write claims.csv\n"
"  --map FILE       read ATT.csv through a column map (an EHR export;\n"
"                   docs/exports.md)\n"
"  --rates DIR      rate-table folder (payers.csv's remit_id column names\n"
"                   each payer's id in its 835s)\n"
"  --out DIR        where to write the outputs (default: out/)\n"
"  --redact-key KEYFILE\n"
"                   member ids replaced by pseudonyms keyed by KEYFILE (as\n"
"                   'grouprev report --help' says); --redact needs it\n"
"  --redact         the same; needs --redact-key\n"
"  -h, --help       this help\n"
"\n"
"Writes into DIR:\n"
"  remit.csv           one row per service line read\n"
"  remit_problems.csv  every problem found: broken or cut-off transactions,\n"
"                      values that cannot be read, balancing failures\n"
"  claims.csv          with --attendance: as 'grouprev report' writes it,\n"
"                      with allowed,patient_resp,carc,rarc,check,paid_date\n"
"  rejects.csv         with --attendance: the attendance rows not used\n"
"\n"
"Exit status: 0 done and everything reconciles; 1 done, but there are\n"
"problems, unmatched lines or conflicts with the attendance file; 2 an input\n"
"could not be used (not an 835, unreadable).\n");
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* Read the regular files of folder DIR in name order. */
static int read_folder(struct remit *rm, const char *dir, struct gr_err *err)
{
	DIR *d = opendir(dir);
	struct vec names;
	int rc = -1;
	if (!d)
		return gr_fail(err, dir, 0, "cannot open the folder");
	vec_init(&names, sizeof(char *));
	for (struct dirent *e; (e = readdir(d));) {
		if (e->d_name[0] == '.')
			continue;
		char *path = arena_printf(rm->arena, "%s/%s", dir, e->d_name);
		struct stat sb;
		if (!path) {
			gr_fail(err, dir, 0, "out of memory");
			goto out;
		}
		if (stat(path, &sb) != 0 || !S_ISREG(sb.st_mode))
			continue;
		char **slot = vec_push(&names);
		if (!slot) {
			gr_fail(err, dir, 0, "out of memory");
			goto out;
		}
		*slot = path;
	}
	qsort(names.data, names.len, sizeof(char *), cmp_str);
	/* In a folder, a file that is not an 835 (a README, a PDF, an 837
	 * kept beside the remittances) is skipped and reported; named alone
	 * on the command line it would stop the run. */
	for (size_t i = 0; i < names.len; i++) {
		const char *path = VEC_AT(&names, char *, i);
		int r = remit_read(rm, path, err);
		if (r == X12_REFUSED) {
			/* The position without the path the problem already has. */
			size_t pl = strlen(path);
			const char *pos = strncmp(err->file, path, pl) == 0 ? err->file + pl : "";
			pos += *pos == ':';
			char *why = *pos ? arena_printf(rm->arena, "not read: %s: %s", pos, err->msg)
					 : arena_printf(rm->arena, "not read: %s", err->msg);
			if (!why || remit_add_problem(rm, path, 0, "", PROBLEM_READ, why, err) != 0) {
				gr_fail(err, dir, 0, "out of memory");
				goto out;
			}
			rm->files_refused++;
		} else if (r != 0) {
			goto out;
		}
	}
	rc = 0;
out:
	closedir(d);
	vec_free(&names);
	return rc;
}

int cmd_remit_read(struct remit *rm, const char *const *paths, size_t n,
		   struct gr_err *err)
{
	for (size_t i = 0; i < n; i++) {
		struct stat sb;
		if (stat(paths[i], &sb) == 0 && S_ISDIR(sb.st_mode)) {
			if (read_folder(rm, paths[i], err) != 0)
				return -1;
		} else if (remit_read(rm, paths[i], err) != 0) {
			return -1;
		}
	}
	return remit_settle(rm, err);
}

void cmd_remit_notices(const struct remit *rm, const struct match *m, FILE *f,
		       size_t max)
{
	size_t shown = 0;
	for (size_t i = 0; i < rm->problems.len && shown < max; i++, shown++) {
		const struct remit_problem *p = &VEC_AT(&rm->problems, struct remit_problem, i);
		if (p->segment)
			fprintf(f, "%s:segment %zu (%s): %s\n", p->file, p->segment, p->id,
				p->msg);
		else
			fprintf(f, "%s: %s\n", p->file, p->msg);
	}
	if (rm->problems.len > shown)
		fprintf(f, "... and %zu more problems (remit_problems.csv)\n",
			rm->problems.len - shown);
	if (m->conflicts.len)
		fprintf(f, "%zu attendance lines disagree with their remittance "
			"(%zu in status, %zu in paid); the remittance was used "
			"(remit_problems.csv lists them)\n",
			m->conflicts.len, m->status_conflicts, m->paid_conflicts);
}

int cmd_remit_apply(struct run *run, struct remit *rm, struct match *m,
		    const char *const *paths, size_t n, struct gr_err *err)
{
	remit_init(rm, &run->arena);
	if (cmd_remit_read(rm, paths, n, err) != 0 ||
	    match_run(m, rm, &run->roster, &run->rates, &run->arena, err) != 0 ||
	    match_apply(m, &run->roster, err) != 0)
		return -1;
	run->ledger.remit = m;
	return 0;
}

void cmd_remit_summary(const struct remit *rm, const struct match *m, FILE *f)
{
	int64_t paid = 0, patient = 0;
	for (size_t i = 0; i < rm->lines.len; i++) {
		paid += remit_line_at(rm, i)->o.paid;
		patient += remit_line_at(rm, i)->o.patient_resp;
	}
	char p[64], pr[64];
	value_format_dollars(paid, p);
	value_format_dollars(patient, pr);
	fprintf(f, "%zu remittance files", rm->files);
	if (rm->files_refused)
		fprintf(f, " (and %zu files in the folders that are not 835s, skipped)",
			rm->files_refused);
	fprintf(f, ", %zu of %zu transactions used, %zu service lines: paid %s, "
		"patient share %s\n",
		rm->transactions_used, rm->transactions, rm->lines.len, p, pr);
	if (m->attendance)
		fprintf(f, "matched %zu by line_ref, %zu by claim_id, %zu by member id; "
			"%zu add-on lines joined; %zu lines of other codes; %zu reversal "
			"lines; %zu unmatched; %zu conflicts\n",
			m->by_rule[MATCH_LINE_REF], m->by_rule[MATCH_CLAIM],
			m->by_rule[MATCH_MEMBER], m->addons, m->other_lines,
			m->reversal_lines, m->unmatched, m->conflicts.len);
}

int cmd_remit(int argc, char **argv, struct gr_err *err)
{
	static const struct option opts[] = {
		{ "attendance", required_argument, NULL, 'A' },
		{ "map", required_argument, NULL, 'm' },
		{ "rates", required_argument, NULL, 'r' },
		{ "out", required_argument, NULL, 'o' },
		{ "redact", no_argument, NULL, 'R' },
		{ "redact-key", required_argument, NULL, 'K' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *att = NULL, *map = NULL, *rates = NULL, *out = "out";
	bool redact = false;
	const char *key_path = NULL;
	unsigned char key[PSEUDONYM_KEY_BYTES];
	struct pseudonyms ps;
	const struct pseudonyms *redacted = NULL;
	struct run run;
	struct arena a;
	struct remit rm;
	struct match m;
	int c, rc = GR_EXIT_FATAL;
	bool have_run = false;

	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
		switch (c) {
		case 'A': att = optarg; break;
		case 'm': map = optarg; break;
		case 'r': rates = optarg; break;
		case 'o': out = optarg; break;
		case 'R': redact = true; break;
		case 'K': key_path = optarg; break;
		case 'h': remit_usage(stdout); return GR_EXIT_OK;
		default:
			remit_usage(stderr);
			return gr_fail(err, NULL, 0, "remit: unknown or incomplete option '%s'",
				       argv[optind - 1]), GR_EXIT_FATAL;
		}
	}
	if (optind >= argc) {
		remit_usage(stderr);
		return gr_fail(err, NULL, 0, "remit: give at least one 835 file or folder"),
		       GR_EXIT_FATAL;
	}
	if (redact && !key_path)
		return cli_usage(err, "remit", CLI_REDACT_NEEDS_KEY);
	if (map && !att)
		return cli_usage(err, "remit", "--map reads the --attendance file: give "
				 "--attendance too");
	struct cli_out co = { .lock_fd = -1 };
	memset(&m, 0, sizeof m);
	arena_init(&a);
	remit_init(&rm, &a);
	if (key_path && cli_redact_key(key_path, key, err) != 0)
		goto out;
	if (att) {
		if (cli_load_map(&run, att, map, rates, NULL, err) != 0) {
			run_free(&run);
			goto out;
		}
		have_run = true;
		if (cli_pseudonyms(key_path, &run, &ps, &redacted, err) != 0)
			goto out;
	}
	double t0 = run_now(), c0 = cpu_now();
	if (cmd_remit_read(&rm, (const char *const *)argv + optind,
			   (size_t)(argc - optind), err) != 0)
		goto out;
	double t1 = run_now(), c1 = cpu_now();
	if (match_run(&m, &rm, have_run ? &run.roster : NULL,
		      have_run ? &run.rates : NULL, &a, err) != 0 ||
	    (have_run && match_apply(&m, &run.roster, err) != 0))
		goto out;
	double t2 = run_now(), c2 = cpu_now();
	/* The output folder as every command takes it (cmd/cli.h): locked,
	 * the files held and published together, no input replaced. */
	const char *given[4] = { att, have_run ? run.rates.payers_path : NULL,
				 have_run ? run.rates.rates_path : NULL, key_path };
	const char *inputs[CLI_MAX_INPUTS];
	size_t ni = 0;
	for (size_t i = 0; i < 4; i++) /* a NULL would end the list */
		if (given[i])
			inputs[ni++] = given[i];
	for (int i = optind; i < argc && ni < CLI_MAX_INPUTS; i++)
		inputs[ni++] = argv[i];
	if (cli_out_begin(&co, "remit", out, inputs, ni, err) != 0)
		goto out;
	out = co.dir;
	if (remit_write_csv(out, &rm, &m, have_run ? &run.roster : NULL,
			    key_path ? key : NULL, err) != 0 ||
	    remit_write_problems(out, &rm, &m, have_run ? &run.roster : NULL, err) != 0 ||
	    (have_run && tables_write_rejects(out, &run.rejects, err) != 0) ||
	    (have_run && tables_write_claims_remit(out, &run.ledger, &run.scope, redacted,
						   run.threads, &m, err) != 0) ||
	    cli_out_publish(&co, err) != 0)
		goto out;
	double t3 = run_now(), c3 = cpu_now();
	if (have_run) {
		char rej[1100];
		snprintf(rej, sizeof rej, "%s/rejects.csv", out);
		cli_notices(&run, stderr, 10, rej);
	}
	cmd_remit_notices(&rm, &m, stderr, 10);
	/* The benchmark reads these (bench/run.sh, docs/performance.md). */
	if (getenv("GROUPREV_TIMING"))
		fprintf(stderr, "timing: attendance %.3f s, read 835 %.3f s (CPU %.3f), "
			"match %.3f s (CPU %.3f), write %.3f s (CPU %.3f)\n",
			have_run ? run.timing.load + run.timing.price : 0.0, t1 - t0, c1 - c0,
			t2 - t1, c2 - c1, t3 - t2, c3 - c2);
	cmd_remit_summary(&rm, &m, stdout);
	printf("wrote %s/remit.csv, remit_problems.csv%s\n", out,
	       have_run ? ", claims.csv, rejects.csv" : "");
	rc = rm.problems.len || m.unmatched || m.conflicts.len ||
	     (have_run && run.rejects.items.len) ? GR_EXIT_FINDINGS : GR_EXIT_OK;
out:
	cli_out_end(&co);
	match_free(&m);
	remit_free(&rm);
	arena_release(&a);
	if (have_run)
		run_free(&run);
	return rc;
}
