/* libFuzzer target: the three small readers of settings a run takes
 * besides its data — charts/theme.conf (render/chart.h), the redaction key
 * file (model/pseudonym.h) and an output folder's manifest
 * (io/manifest.h).  The same bytes go to each.  Invariants, besides no
 * crash, leak or undefined behaviour:
 *  - theme: a file that loads leaves every size positive and every colour
 *    within [0, 1]; one that does not names a line from 1 to the number
 *    of lines;
 *  - key: a key that parses prints back, as lower-case hex, to the
 *    input's first 64 characters (case folded);
 *  - manifest: every name is a plain name (not empty, no leading '.', no
 *    '/') and lies inside the buffer, and there are no more names than
 *    line breaks. */
#include <ctype.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "io/manifest.h"
#include "model/pseudonym.h"
#include "render/chart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_rgb(struct rgb c)
{
	if (!(c.r >= 0 && c.r <= 1 && c.g >= 0 && c.g <= 1 && c.b >= 0 && c.b <= 1))
		abort();
}

static void theme(const uint8_t *data, size_t size)
{
	struct chart_theme t;
	struct gr_err err = { 0 };
	size_t lines = 1;
	for (size_t i = 0; i < size; i++)
		lines += data[i] == '\n';
	chart_theme_defaults(&t);
	if (size == 0)
		return; /* fmemopen refuses an empty buffer; an empty file is the defaults */
	FILE *f = fmemopen((void *)data, size, "r");
	if (!f)
		return;
	int rc = chart_theme_read(&t, "theme.conf", f, &err);
	fclose(f);
	if (rc == 0) {
		if (!(t.title_size > 0 && t.text_size > 0 && t.small_size > 0 &&
		      t.line_width > 0))
			abort();
		check_rgb(t.ink);
		check_rgb(t.muted);
		check_rgb(t.grid);
		check_rgb(t.accent);
		for (int i = 0; i < CHART_PALETTE; i++)
			check_rgb(t.palette[i]);
	} else if (err.line < 1 || err.line > lines + size / 255) {
		/* fgets cuts a line longer than 255 bytes into pieces, each
		 * counted as a line. */
		abort();
	}
}

static void key(const uint8_t *data, size_t size)
{
	unsigned char k[PSEUDONYM_KEY_BYTES];
	char hex[2 * PSEUDONYM_KEY_BYTES + 1];
	if (pseudonym_key_parse((const char *)data, size, k) != 0)
		return;
	for (int i = 0; i < PSEUDONYM_KEY_BYTES; i++)
		snprintf(hex + 2 * i, 3, "%02x", k[i]);
	for (int i = 0; i < 2 * PSEUDONYM_KEY_BYTES; i++)
		if (hex[i] != tolower(data[i]))
			abort();
}

static void manifest(const uint8_t *data, size_t size)
{
	char *buf = malloc(size + 1);
	const char *names[64];
	size_t breaks = 0;
	if (!buf)
		return;
	memcpy(buf, data, size);
	buf[size] = '\0';
	for (size_t i = 0; i < size; i++)
		breaks += data[i] == '\n';
	size_t n = manifest_split(buf, names, 64);
	if (n > breaks || n > 64)
		abort();
	for (size_t i = 0; i < n; i++) {
		if (names[i] < buf || names[i] >= buf + size || !names[i][0] ||
		    names[i][0] == '.' || strchr(names[i], '/'))
			abort();
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	theme(data, size);
	key(data, size);
	manifest(data, size);
	return 0;
}
