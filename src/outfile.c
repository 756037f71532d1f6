/* outfile.c — write to a temporary name, rename into place.
 *
 * rename(2) within one folder is atomic, so a reader (or the next step of
 * a script) sees either the previous complete file or the new complete
 * one.  mkstemp creates the file with mode 0600: outputs hold member ids.
 */
#include "outfile.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static int make_temp(struct outfile *o, const char *path, struct gr_err *err)
{
	int fd;

	o->f = NULL;
	o->tmp[0] = '\0';
	if (snprintf(o->path, sizeof o->path, "%s", path) >= (int)sizeof o->path)
		return gr_fail(err, path, 0, "output path too long");
	snprintf(o->tmp, sizeof o->tmp, "%s.tmpXXXXXX", path);
	fd = mkstemp(o->tmp);
	if (fd < 0) {
		int e = errno;
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
	if (!o->tmp[0])
		return gr_fail(err, o->path, 0, "output file was not opened");
	if (rename(o->tmp, o->path) != 0) {
		int e = errno;
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
	if (o->tmp[0]) {
		unlink(o->tmp);
		o->tmp[0] = '\0';
	}
}

int outfile_mkdir(const char *dir, struct gr_err *err)
{
	struct stat st;

	if (stat(dir, &st) == 0) {
		if (!S_ISDIR(st.st_mode))
			return gr_fail(err, dir, 0, "output path exists and is not a folder");
		return 0;
	}
	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return gr_fail(err, dir, 0, "cannot create output folder: %s",
			       strerror(errno));
	return 0;
}
