/* error.h — the error record every fallible function fills.
 *
 * Library code never prints: a function that can fail returns 0 on success
 * or -1 after filling a struct gr_err with the file, the physical line (0
 * when the error is not about one line) and a message in git's form
 * (lower case, no full stop, subject quoted).  Only main() prints it, as
 * "FILE:LINE: message", and chooses the exit status.
 */
#ifndef GR_ERROR_H
#define GR_ERROR_H

#include <stddef.h>

/* Exit statuses of the grouprev command (see docs/grouprev.1). */
enum gr_exit {
	GR_EXIT_OK = 0,       /* success, nothing to report */
	GR_EXIT_FINDINGS = 1, /* finished, but rows were rejected or denials predicted */
	GR_EXIT_FATAL = 2     /* usage error or an input that cannot be used */
};

struct gr_err {
	char file[512]; /* empty when the error is not about a file */
	size_t line;    /* physical 1-based line; 0 = the whole file */
	char msg[1024];
};

/* Fill ERR and return -1, so callers write `return gr_fail(err, ...)`. */
int gr_fail(struct gr_err *err, const char *file, size_t line,
	    const char *fmt, ...) __attribute__((format(printf, 4, 5)));

/* Render ERR as "FILE:LINE: message" (or "FILE: message", or "message")
 * into BUF of SIZE bytes. */
void gr_err_format(const struct gr_err *err, char *buf, size_t size);

#endif
