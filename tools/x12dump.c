/* x12dump — print the segments of X12 files as grouprev's reader cuts
 * them: one line per segment, "N<TAB>ID<TAB>E1<TAB>E2...", trailing empty
 * elements left out, then the reader's problems on stderr.  The
 * cross-check (tests/remit/crosscheck.sh) compares this with Debian's
 * X12::Parser.  Usage: x12dump FILE...
 */
#include <stdio.h>
#include <string.h>

#include "io/x12.h"

static int each(void *ctx, const struct x12_seg *s, struct gr_err *err)
{
	size_t n = s->nel;
	(void)ctx;
	(void)err;
	while (n > 0 && !s->el[n][0])
		n--;
	printf("%zu\t%s", s->index, s->el[0]);
	for (size_t i = 1; i <= n; i++)
		printf("\t%s", s->el[i]);
	putchar('\n');
	return 0;
}

static int problem(void *ctx, const char *file, size_t seg, const char *id,
		   const char *msg, struct gr_err *err)
{
	char where[700];
	(void)ctx;
	(void)err;
	x12_where(where, sizeof where, file, seg, id);
	fprintf(stderr, "%s: %s\n", where, msg);
	return 0;
}

int main(int argc, char **argv)
{
	static const char *const any[] = { "005010X221A1", "005010X221", NULL };
	struct x12_reader r = { "835", any, "remittance", NULL, NULL, NULL, NULL,
				problem, each };
	int rc = 0;
	for (int i = 1; i < argc; i++) {
		struct x12_stats st;
		struct gr_err err;
		if (x12_read(&r, argv[i], &st, &err) != 0) {
			char msg[1600];
			gr_err_format(&err, msg, sizeof msg);
			fprintf(stderr, "x12dump: %s\n", msg);
			rc = 2;
		}
	}
	return rc;
}
