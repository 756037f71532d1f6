/* libFuzzer target: a rate table.  The input is split at the first NUL
 * byte into payers.csv and rates.csv, written to a private folder in
 * /dev/shm, and loaded; a table that loads must answer lookups. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/arena.h"
#include "model/rates.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void put(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f)
		abort();
	fwrite(p, 1, n, f);
	fclose(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char dir[64], path[128];
	const uint8_t *nul = memchr(data, 0, size);
	size_t n1 = nul ? (size_t)(nul - data) : size;
	struct arena a;
	struct rates r;
	struct gr_err err;

	snprintf(dir, sizeof dir, "/dev/shm/grouprev-fuzz-%d", (int)getpid());
	mkdir(dir, 0700);
	snprintf(path, sizeof path, "%s/payers.csv", dir);
	put(path, data, n1);
	snprintf(path, sizeof path, "%s/rates.csv", dir);
	put(path, nul ? nul + 1 : data + size, nul ? size - n1 - 1 : 0);
	arena_init(&a);
	if (rates_load(&r, dir, &a, &err) == 0) {
		for (uint32_t p = 0; p < r.npayers; p++)
			for (int32_t day = 18000; day < 22000; day += 97)
				(void)rates_lookup(&r, p, "90853", SETTING_OFFICE, day);
	}
	arena_release(&a);
	snprintf(path, sizeof path, "%s/payers.csv", dir);
	unlink(path);
	snprintf(path, sizeof path, "%s/rates.csv", dir);
	unlink(path);
	rmdir(dir);
	return 0;
}
