/* manifest.c — see manifest.h. */
#include "io/manifest.h"

#include <stdio.h>
#include <string.h>

size_t manifest_split(char *buf, const char **names, size_t max)
{
	size_t n = 0;

	for (char *s = buf, *e; *s && n < max; s = e + 1) {
		e = strchr(s, '\n');
		if (!e)
			break;
		*e = '\0';
		if (*s && *s != '.' && !strchr(s, '/'))
			names[n++] = s;
	}
	return n;
}

size_t manifest_read(const char *path, char *buf, size_t size,
		     const char **names, size_t max)
{
	FILE *f = fopen(path, "r");
	size_t len;

	if (!f || size == 0) {
		if (f)
			fclose(f);
		return 0;
	}
	len = fread(buf, 1, size - 1, f);
	fclose(f);
	buf[len] = '\0';
	return manifest_split(buf, names, max);
}
