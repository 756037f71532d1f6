/* test_settings.c — the small readers of a run's settings: the redaction
 * key (model/pseudonym.h), an output folder's manifest (io/manifest.h) and
 * charts/theme.conf (render/chart.h), on inputs written here with the
 * expected values worked out in the comments. */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "testutil.h"
#include "io/manifest.h"
#include "model/pseudonym.h"
#include "render/chart.h"

static void test_key(void **state)
{
	unsigned char k[PSEUDONYM_KEY_BYTES];
	/* 0x00 0x11 ... 0xff twice; the second half in upper case. */
	const char *good = "00112233445566778899aabbccddeeff"
			   "00112233445566778899AABBCCDDEEFF";
	(void)state;
	assert_int_equal(pseudonym_key_parse(good, 64, k), 0);
	assert_int_equal(k[0], 0x00);
	assert_int_equal(k[1], 0x11);
	assert_int_equal(k[15], 0xff);
	assert_int_equal(k[31], 0xff);
	char text[128];
	snprintf(text, sizeof text, "%s\nanything after the line", good);
	assert_int_equal(pseudonym_key_parse(text, 66, k), 0); /* as read: 66 bytes */
	/* 63 digits; a 65th character that is not a line break; a 'g'. */
	assert_int_equal(pseudonym_key_parse(good, 63, k), -1);
	snprintf(text, sizeof text, "%s0", good);
	assert_int_equal(pseudonym_key_parse(text, 65, k), -1);
	snprintf(text, sizeof text, "g%s", good + 1);
	assert_int_equal(pseudonym_key_parse(text, 64, k), -1);
}

static void test_manifest(void **state)
{
	/* Taken: report.pdf, summary.csv.  Skipped: an empty line, a hidden
	 * name, a path, and the last line, which has no line break. */
	char buf[] = "report.pdf\n\n.grouprev.lock\n../etc/passwd\nsummary.csv\ncut";
	const char *names[8];
	(void)state;
	size_t n = manifest_split(buf, names, 8);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "report.pdf");
	assert_string_equal(names[1], "summary.csv");
	/* At most MAX names. */
	char buf2[] = "a\nb\nc\n";
	assert_int_equal(manifest_split(buf2, names, 2), 2);
	/* No earlier run: no file, no names. */
	char buf3[16];
	assert_int_equal(manifest_read("/nonexistent/.grouprev-outputs.report", buf3,
				       sizeof buf3, names, 8), 0);
}

static int theme_of(const char *text, struct chart_theme *t, struct gr_err *err)
{
	FILE *f = fmemopen((void *)text, strlen(text), "r");
	chart_theme_defaults(t);
	int rc = chart_theme_read(t, "theme.conf", f, err);
	fclose(f);
	return rc;
}

static void test_theme(void **state)
{
	struct chart_theme t;
	struct gr_err err;
	(void)state;
	/* A colour, a comment after a value, a size; #ff8000 = (1, 128/255, 0). */
	assert_int_equal(theme_of("# the practice's colours\n"
				  "accent = #ff8000   # orange\n"
				  "title_size = 14\n", &t, &err), 0);
	assert_close(t.accent.r, 1.0, 1e-12);
	assert_close(t.accent.g, 128.0 / 255.0, 1e-12);
	assert_close(t.accent.b, 0.0, 1e-12);
	assert_close(t.title_size, 14.0, 1e-12);
	assert_close(t.text_size, 8.5, 1e-12); /* the default stays */
	/* Errors name the line. */
	assert_int_equal(theme_of("font = X\ntitle_size = 0\n", &t, &err), -1);
	assert_int_equal(err.line, 2);
	assert_string_equal(err.msg, "bad value '0' for 'title_size'");
	assert_int_equal(theme_of("\n\ncolour = red\n", &t, &err), -1);
	assert_int_equal(err.line, 3);
	assert_string_equal(err.msg, "unknown key 'colour'");
	assert_int_equal(theme_of("ink\n", &t, &err), -1);
	assert_int_equal(err.line, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key),
		cmocka_unit_test(test_manifest),
		cmocka_unit_test(test_theme),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
