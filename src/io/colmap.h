/* colmap.h — reading a column-map file (../shared/spec/exports.md): a
 * GLib key file of [group] lines and key = value lines, with the physical
 * line of every group and key.
 *
 * This layer knows the file's format, not its meaning: which groups and
 * keys a map may hold, and what they do, is model/export.c's business.
 * The file is parsed by GLib's GKeyFile; GKeyFile gives no line numbers,
 * so the file is also scanned here for the line of each group and key,
 * and every message names one.  A key given twice in one group, a group
 * given twice, a key with a locale suffix (`key[fr]`), a file that is not
 * UTF-8 or that GKeyFile refuses is an error naming the line.  Values
 * have GKeyFile's escapes (\s, \t, \\) applied and surrounding spaces
 * removed.
 */
#ifndef GR_COLMAP_H
#define GR_COLMAP_H

#include <stddef.h>

#include "core/arena.h"
#include "core/error.h"

struct colmap_item {
	const char *group;  /* the group it is in, as written */
	const char *key;    /* as written, surrounding spaces removed */
	const char *value;
	size_t line;        /* physical, 1-based */
};

struct colmap_group {
	const char *name;
	size_t line;
	size_t first, count; /* its items: items[first .. first + count) */
};

struct colmap {
	const char *path;
	struct colmap_group *groups; /* in file order */
	size_t ngroups;
	struct colmap_item *items;   /* in file order, grouped by group */
	size_t nitems;
};

/* Read the map at PATH into M (everything in arena A). */
int colmap_read(struct colmap *m, const char *path, struct arena *a,
		struct gr_err *err);
/* The same from TEXT[0..LEN) (tests, fuzzing); PATH only names it. */
int colmap_parse(struct colmap *m, const char *path, const char *text,
		 size_t len, struct arena *a, struct gr_err *err);

/* The group named NAME (exact), or NULL. */
const struct colmap_group *colmap_group(const struct colmap *m, const char *name);

#endif
