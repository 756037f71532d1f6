/* outfile.c — write to a temporary name, rename into place.
 *
 * rename(2) within one folder is atomic, so a reader (or the next step of
 * a script) sees either the previous complete file or the new complete
 * one.  mkstemp creates the file with mode 0600: outputs hold member ids.
 *
 * A target that exists and is not a regular file (/dev/null, /dev/full, a
 * pipe) is written directly: renaming over a device would replace it.
 *
 * The one piece of global state in grouprev lives here, because a signal
 * handler can reach nothing else: the names of the temporary files being
 * written, so that an interrupted run (SIGINT, SIGTERM) deletes them
 * before it dies and leaves no partial output behind.
 */
#include "io/outfile.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define MAX_PENDING 64

/* Written only with signals blocked; read by the handler.  With a hold
 * (outfile_hold), a committed file keeps its temporary name and its
 * entry, with the final name in held_path, until outfile_publish. */
static char pending[MAX_PENDING][1040];
static volatile sig_atomic_t npending_used[MAX_PENDING];
static char held_path[MAX_PENDING][1024];
static bool holding;

static void block(sigset_t *old)
{
	sigset_t all;

	sigemptyset(&all);
	sigaddset(&all, SIGINT);
	sigaddset(&all, SIGTERM);
	sigaddset(&all, SIGHUP);
	sigprocmask(SIG_BLOCK, &all, old);
}

/* Callers hold the signals blocked (see make_temp) or accept that the
 * handler may run before the name is removed, which only unlinks a file
 * that is about to be renamed or deleted anyway. */
static bool track(const char *tmp, bool add)
{
	sigset_t old;
	bool done = false;

	block(&old);
	for (int i = 0; i < MAX_PENDING && !done; i++) {
		if (add && !npending_used[i]) {
			strncpy(pending[i], tmp, sizeof pending[i] - 1);
			pending[i][sizeof pending[i] - 1] = '\0';
			held_path[i][0] = '\0';
			npending_used[i] = 1;
			done = true;
		} else if (!add && npending_used[i] && strcmp(pending[i], tmp) == 0) {
			npending_used[i] = 0;
			done = true;
		}
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return done;
}

static void on_signal(int sig)
{
	static const char msg[] = "grouprev: interrupted; no output was left "
				  "half-written\n";

	(void)sig;
	/* Only async-signal-safe calls: unlink(2), write(2), _exit(2). */
	for (int i = 0; i < MAX_PENDING; i++)
		if (npending_used[i])
			unlink(pending[i]);
	if (write(STDERR_FILENO, msg, sizeof msg - 1) < 0) {
		/* nothing more can be done */
	}
	_exit(2);
}

void outfile_install_signals(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	/* Over a file size limit (ulimit -f) a write fails with EFBIG and the
	 * run says which file could not be written, like a full disk,
	 * instead of being killed with its temporary files left behind. */
	signal(SIGXFSZ, SIG_IGN);
}

static bool special_file(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && !S_ISREG(st.st_mode) && !S_ISDIR(st.st_mode);
}

static int make_temp(struct outfile *o, const char *path, struct gr_err *err)
{
	int fd;

	o->f = NULL;
	o->tmp[0] = '\0';
	if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path)
		return gr_fail(err, path, 0, "output path too long");
	o->direct = special_file(path);
	if (o->direct) {
		fd = open(path, O_WRONLY);
		if (fd < 0)
			return gr_fail(err, path, 0, "cannot open output: %s",
				       strerror(errno));
		return fd;
	}
	snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", path);
	/* Create and register with signals blocked, so an interrupt cannot
	 * fall between the file existing and the handler knowing its name. */
	sigset_t old;
	block(&old);
	fd = mkstemp(o->tmp);
	int e = errno;
	if (fd >= 0 && !track(o->tmp, true)) {
		/* More files at once than the handler can name: refuse rather
		 * than leave one an interrupt would not clean up. */
		close(fd);
		unlink(o->tmp);
		fd = -1;
		e = EMFILE;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (fd < 0) {
		o->tmp[0] = '\0';
		return gr_fail(err, path, 0, "cannot create output file: %s",
			       strerror(e));
	}
	return fd;
}

int outfile_open(struct outfile *o, const char *path, struct gr_err *err)
{
	int fd = make_temp(o, path, err);

	if (fd < 0)
		return -1;
	o->f = fdopen(fd, "w");
	if (!o->f) {
		int e = errno;
		close(fd);
		outfile_abort(o);
		return gr_fail(err, path, 0, "cannot open output file: %s",
			       strerror(e));
	}
	return 0;
}

int outfile_reserve(struct outfile *o, const char *path, struct gr_err *err)
{
	int fd = make_temp(o, path, err);

	if (fd < 0)
		return -1;
	close(fd);
	if (o->direct) /* a cairo surface writes by name: give it the device */
		snprintf(o->tmp, sizeof o->tmp, "%s", path);
	return 0;
}

int outfile_commit(struct outfile *o, struct gr_err *err)
{
	if (o->f) {
		int bad = ferror(o->f);
		int e = 0;
		if (fflush(o->f) != 0) {
			bad = 1;
			e = errno;
		}
		if (fclose(o->f) != 0 && !bad) {
			bad = 1;
			e = errno;
		}
		o->f = NULL;
		if (bad) {
			outfile_abort(o);
			return gr_fail(err, o->path, 0, "cannot write output file: %s",
				       e ? strerror(e) : "write error");
		}
	}
	if (o->direct) {
		o->tmp[0] = '\0';
		return 0;
	}
	if (!o->tmp[0])
		return gr_fail(err, o->path, 0, "output file was not opened");
	sigset_t old;
	block(&old);
	if (holding) {
		/* Complete under its temporary name; outfile_publish renames. */
		for (int i = 0; i < MAX_PENDING; i++)
			if (npending_used[i] && strcmp(pending[i], o->tmp) == 0)
				snprintf(held_path[i], sizeof held_path[i], "%s", o->path);
		sigprocmask(SIG_SETMASK, &old, NULL);
		o->tmp[0] = '\0';
		return 0;
	}
	int rc = rename(o->tmp, o->path);
	int e = errno;
	if (rc == 0)
		track(o->tmp, false);
	sigprocmask(SIG_SETMASK, &old, NULL);
	if (rc != 0) {
		outfile_abort(o);
		return gr_fail(err, o->path, 0, "cannot rename output into place: %s",
			       strerror(e));
	}
	o->tmp[0] = '\0';
	return 0;
}

void outfile_abort(struct outfile *o)
{
	if (o->f) {
		fclose(o->f);
		o->f = NULL;
	}
	if (o->tmp[0] && !o->direct) {
		sigset_t old;
		block(&old);
		unlink(o->tmp);
		track(o->tmp, false);
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
	o->tmp[0] = '\0';
}

void outfile_hold(void)
{
	holding = true;
}

size_t outfile_held(const char **paths, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < MAX_PENDING; i++)
		if (npending_used[i] && held_path[i][0]) {
			if (n < max)
				paths[n] = held_path[i];
			n++;
		}
	return n;
}

int outfile_publish(struct gr_err *err)
{
	sigset_t old;
	int rc = 0;

	/* Signals wait until every file is in place: an interrupt must not
	 * leave half of the set renamed. */
	block(&old);
	for (int i = 0; i < MAX_PENDING; i++) {
		if (!npending_used[i] || !held_path[i][0])
			continue;
		if (rc == 0 && rename(pending[i], held_path[i]) != 0)
			rc = gr_fail(err, held_path[i], 0, "cannot rename output into "
				     "place: %s", strerror(errno));
		else if (rc != 0)
			unlink(pending[i]);
		npending_used[i] = 0;
		held_path[i][0] = '\0';
	}
	holding = false;
	sigprocmask(SIG_SETMASK, &old, NULL);
	return rc;
}

void outfile_discard(void)
{
	sigset_t old;

	block(&old);
	for (int i = 0; i < MAX_PENDING; i++)
		if (npending_used[i] && held_path[i][0]) {
			unlink(pending[i]);
			npending_used[i] = 0;
			held_path[i][0] = '\0';
		}
	holding = false;
	sigprocmask(SIG_SETMASK, &old, NULL);
}

int outfile_mkdir(const char *dir, struct gr_err *err)
{
	char path[1024];
	struct stat st;
	size_t n = strlen(dir);

	if (n == 0 || n >= sizeof path)
		return gr_fail(err, dir, 0, "output folder name is empty or too long");
	memcpy(path, dir, n + 1);
	/* Like mkdir -p: each missing level in turn. */
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		if (stat(path, &st) != 0) {
			if (mkdir(path, 0700) != 0 && errno != EEXIST)
				return gr_fail(err, dir, 0, "cannot create output folder: %s",
					       strerror(errno));
		} else if (!S_ISDIR(st.st_mode)) {
			return gr_fail(err, dir, 0, "cannot create output folder: '%s' "
				       "is a file", path);
		}
		*p = c;
		if (c == '\0')
			break;
	}
	return 0;
}
