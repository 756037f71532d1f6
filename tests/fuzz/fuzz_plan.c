/* libFuzzer target: plan.csv.  Each input is written to a private file in
 * /dev/shm and loaded against the test rate table; every row is either a
 * group or a refusal, and a loaded plan projects without trouble (with
 * its dropout and attendance_sd columns, and parameter draws). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "model/plan.h"
#include "analysis/project.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct arena ra;
	static struct rates r;
	static int loaded;
	struct gr_err err;
	char path[64];

	if (!loaded) {
		arena_init(&ra);
		if (rates_load(&r, "tests/e2e/cases/check_group_size/rt", &ra, &err) != 0)
			abort();
		loaded = 1;
	}
	snprintf(path, sizeof path, "/dev/shm/grouprev-plan-%d.csv", (int)getpid());
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(data, 1, size, f);
	fclose(f);
	struct arena a;
	struct plan p;
	struct rejects rej;
	arena_init(&a);
	rejects_init(&rej, &a);
	if (plan_load(&p, path, &r, 20089, &a, &rej, &err) == 0) {
		if (p.ngroups + rej.items.len != p.rows_read)
			abort();
		/* Every denial form: none, a fixed logit, a logit drawn from a
		 * covariance; amounts expected or triangular. */
		struct project_opts o = {
			.runs = 20, .seed = 1, .range = size % 2 == 0,
			.denial = { .kind = size % 3 ? DENIAL_LOGIT : DENIAL_NONE,
				    .b0 = -2, .b1 = 0.1, .v00 = 0.04, .v01 = -0.001,
				    .v11 = 0.0004, .draw = size % 5 == 0 } };
		struct project_result res;
		for (size_t i = 0; i < p.ngroups; i++)
			if (p.groups[i].sessions > 50)
				p.groups[i].sessions = 50; /* keep each run short */
		if (project_run(&p, &r, &o, &res, &err) == 0)
			project_free(&res);
	}
	rejects_free(&rej);
	arena_release(&a);
	unlink(path);
	return 0;
}
