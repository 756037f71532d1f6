/* error.c — filling and formatting the error record. */
#include "core/error.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

int gr_fail(struct gr_err *err, const char *file, size_t line,
	    const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return -1;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	err->line = line;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof err->msg, fmt, ap);
	va_end(ap);
	return -1;
}

void gr_err_format(const struct gr_err *err, char *buf, size_t size)
{
	if (err->file[0] && err->line)
		snprintf(buf, size, "%s:%zu: %s", err->file, err->line, err->msg);
	else if (err->file[0])
		snprintf(buf, size, "%s: %s", err->file, err->msg);
	else
		snprintf(buf, size, "%s", err->msg);
}
