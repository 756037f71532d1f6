/* manifest.h — the names of the files one command wrote into an output
 * folder (`.grouprev-outputs.COMMAND`, written by cmd/cli.c), read back
 * so that the next run of that command removes what it no longer writes.
 *
 * The file is one name a line.  Only plain names of the folder itself are
 * taken: a name that is empty, starts with '.' or holds a '/' is skipped,
 * so an edited manifest cannot make a run delete a file elsewhere, nor
 * the lock or the manifests.  A last line without its line break is not
 * taken (a manifest cut short names at most what it finished).
 */
#ifndef GR_MANIFEST_H
#define GR_MANIFEST_H

#include <stddef.h>

/* Split BUF (NUL-terminated; its line breaks are overwritten) into at
 * most MAX names pointing into it; returns how many. */
size_t manifest_split(char *buf, const char **names, size_t max);

/* Read PATH (at most SIZE - 1 bytes) into BUF and split it; 0 names when
 * it cannot be read (no earlier run). */
size_t manifest_read(const char *path, char *buf, size_t size,
		     const char **names, size_t max);

#endif
