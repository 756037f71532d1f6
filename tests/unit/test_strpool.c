/* test_strpool.c — interning.  Expected ids come from the contract, not
 * from the hash: 0, 1, 2, ... in first-seen order, the same id for the
 * same bytes however often they are seen.  The strings are chosen for
 * the hash's cases (lengths 0 to 24 around its 4- and 8-byte words,
 * strings that differ only in their last or first byte) and the table's
 * growth (100,000 strings, where linear probing must step over
 * occupied slots many times). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/strpool.h"
#include "testutil.h"

struct fixture {
	struct arena a;
	struct strpool p;
};

/* A fresh, empty pool for each test. */
static int setup(void **state)
{
	struct fixture *f = malloc(sizeof *f);

	if (!f)
		return -1;
	arena_init(&f->a);
	strpool_init(&f->p, &f->a);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fixture *f = *state;

	strpool_free(&f->p);
	arena_release(&f->a);
	free(f);
	return 0;
}

static void test_first_seen_order(void **state)
{
	struct strpool *pool = &((struct fixture *)*state)->p;
	uint32_t id;

	assert_int_equal(strpool_find(pool, "MCR", 3, &id), -1); /* empty pool */
	const char *seen[] = { "MCR", "MCD", "MCR", "", "MCD", "", "MC" };
	const uint32_t want[] = { 0, 1, 0, 2, 1, 2, 3 };
	for (size_t i = 0; i < sizeof seen / sizeof *seen; i++) {
		assert_int_equal(strpool_intern(pool, seen[i], strlen(seen[i]), &id), 0);
		assert_int_equal(id, want[i]);
	}
	assert_int_equal(pool->count, 4);
	/* Only LEN bytes count: "MCR-CA" cut at 3 is "MCR". */
	assert_int_equal(strpool_intern(pool, "MCR-CA", 3, &id), 0);
	assert_int_equal(id, 0);
	/* A prefix or an extension of a known string is not that string. */
	assert_int_equal(strpool_find(pool, "MCDX", 4, &id), -1);
	assert_int_equal(strpool_find(pool, "M", 1, &id), -1);
	assert_string_equal(strpool_str(pool, 3), "MC");
	assert_string_equal(strpool_str(pool, 2), "");
}

/* Strings of every length from 0 to 24 made of the same letter, and for
 * each length >= 1 the same string with its first byte changed and with
 * its last byte changed: 25 + 24 + 24 = 73 distinct strings. */
static size_t make_edge(size_t k, char *buf)
{
	size_t len = k < 25 ? k : (k - 25) % 24 + 1;

	memset(buf, 'a', len);
	if (k >= 25 && k < 49)
		buf[0] = 'b';
	else if (k >= 49)
		buf[len - 1] = 'b';
	if (k >= 49 && len == 1)
		buf[0] = 'c'; /* "b" is already the first-byte variant */
	buf[len] = '\0';
	return len;
}

static void test_hash_edges(void **state)
{
	struct strpool *pool = &((struct fixture *)*state)->p;
	char buf[32];
	uint32_t id;

	for (size_t k = 0; k < 73; k++) {
		size_t len = make_edge(k, buf);
		assert_int_equal(strpool_intern(pool, buf, len, &id), 0);
		assert_int_equal(id, k);
	}
	assert_int_equal(pool->count, 73);
	for (size_t k = 0; k < 73; k++) {
		size_t len = make_edge(k, buf);
		assert_int_equal(strpool_find(pool, buf, len, &id), 0);
		assert_int_equal(id, k);
		assert_int_equal(strlen(strpool_str(pool, id)), len);
		assert_memory_equal(strpool_str(pool, id), buf, len);
	}
}

static void test_growth_and_seal(void **state)
{
	enum { N = 100000 };
	struct strpool *pool = &((struct fixture *)*state)->p;
	char buf[32];
	uint32_t id;

	/* Member-like ids, each seen twice, the second time in reverse
	 * order: ids must stay those of the first pass. */
	for (uint32_t i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof buf, "M%07u", (unsigned)i);
		assert_int_equal(strpool_intern(pool, buf, (size_t)n, &id), 0);
		assert_int_equal(id, i);
	}
	for (uint32_t i = N; i-- > 0;) {
		int n = snprintf(buf, sizeof buf, "M%07u", (unsigned)i);
		assert_int_equal(strpool_intern(pool, buf, (size_t)n, &id), 0);
		assert_int_equal(id, i);
	}
	assert_int_equal(pool->count, N);
	/* At most half full, as its comment promises. */
	assert_true((uint64_t)pool->count * 2 <= pool->nslots);
	/* The hash spreads the ids: with linear probing at load factor α a
	 * string sits on average ½(1 + 1/(1−α)) − 1 slots past its home
	 * (Knuth, TAOCP vol. 3, 6.4): 0.3084 here (100,000 in 262,144 slots,
	 * α = 0.3815).
	 * A hash that ignored part of the string would pile these eight-byte
	 * ids into runs hundreds of slots long. */
	assert_int_equal(pool->nslots, 262144);
	double alpha = (double)N / pool->nslots, moved = 0;
	for (uint32_t i = 0; i < pool->nslots; i++)
		if (pool->slots[i])
			moved += (i - (pool->hash[pool->slots[i] - 1] & (pool->nslots - 1))) &
				 (pool->nslots - 1);
	moved /= N;
	assert_close(0.5 * (1 + 1 / (1 - alpha)) - 1, 0.3084, 0.001);
	if (moved > 0.5)
		fail_msg("ids sit %.2f slots past home on average, want about 0.31", moved);

	/* The hashed calls agree with the plain ones: every string is found
	 * under its own hash (strpool_hash), and not under another. */
	for (uint32_t i = 0; i < N + 1000; i += 7) {
		int n = snprintf(buf, sizeof buf, "M%07u", (unsigned)i);
		uint32_t h = strpool_hash(buf, (size_t)n), got = UINT32_MAX;
		if (i < N) {
			assert_int_equal(strpool_find_hashed(pool, buf, (size_t)n, h, &got), 0);
			assert_int_equal(got, i);
			assert_int_equal(strpool_intern_hashed(pool, buf, (size_t)n, h, &got), 0);
			assert_int_equal(got, i);
		} else {
			assert_int_equal(strpool_find_hashed(pool, buf, (size_t)n, h, &got), -1);
		}
		assert_int_equal(strpool_find_hashed(pool, buf, (size_t)n, h ^ 0x80000000u,
						     &got), -1);
	}
	assert_int_equal(pool->count, N);

	/* Sealed: the strings stay, lookups and new strings are refused. */
	strpool_seal(pool);
	assert_int_equal(pool->count, N);
	for (uint32_t i = 0; i < N; i += 997) {
		snprintf(buf, sizeof buf, "M%07u", (unsigned)i);
		assert_string_equal(strpool_str(pool, i), buf);
	}
	assert_int_equal(strpool_find(pool, "M0000000", 8, &id), -1);
	assert_int_equal(strpool_intern(pool, "new", 3, &id), -1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_first_seen_order, setup, teardown),
		cmocka_unit_test_setup_teardown(test_hash_edges, setup, teardown),
		cmocka_unit_test_setup_teardown(test_growth_and_seal, setup, teardown),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
