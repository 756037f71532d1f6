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

#include "arena.h"
#include "strpool.h"
#include "testutil.h"

static void test_first_seen_order(void **state)
{
	struct arena a;
	struct strpool p;
	uint32_t id;

	(void)state;
	arena_init(&a);
	strpool_init(&p, &a);
	assert_int_equal(strpool_find(&p, "MCR", 3, &id), -1); /* empty pool */
	const char *seen[] = { "MCR", "MCD", "MCR", "", "MCD", "", "MC" };
	const uint32_t want[] = { 0, 1, 0, 2, 1, 2, 3 };
	for (size_t i = 0; i < sizeof seen / sizeof *seen; i++) {
		assert_int_equal(strpool_intern(&p, seen[i], strlen(seen[i]), &id), 0);
		assert_int_equal(id, want[i]);
	}
	assert_int_equal(p.count, 4);
	/* Only LEN bytes count: "MCR-CA" cut at 3 is "MCR". */
	assert_int_equal(strpool_intern(&p, "MCR-CA", 3, &id), 0);
	assert_int_equal(id, 0);
	/* A prefix or an extension of a known string is not that string. */
	assert_int_equal(strpool_find(&p, "MCDX", 4, &id), -1);
	assert_int_equal(strpool_find(&p, "M", 1, &id), -1);
	assert_string_equal(strpool_str(&p, 3), "MC");
	assert_string_equal(strpool_str(&p, 2), "");
	strpool_free(&p);
	arena_release(&a);
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
	struct arena a;
	struct strpool p;
	char buf[32];
	uint32_t id;

	(void)state;
	arena_init(&a);
	strpool_init(&p, &a);
	for (size_t k = 0; k < 73; k++) {
		size_t len = make_edge(k, buf);
		assert_int_equal(strpool_intern(&p, buf, len, &id), 0);
		assert_int_equal(id, k);
	}
	assert_int_equal(p.count, 73);
	for (size_t k = 0; k < 73; k++) {
		size_t len = make_edge(k, buf);
		assert_int_equal(strpool_find(&p, buf, len, &id), 0);
		assert_int_equal(id, k);
		assert_int_equal(strlen(strpool_str(&p, id)), len);
		assert_memory_equal(strpool_str(&p, id), buf, len);
	}
	strpool_free(&p);
	arena_release(&a);
}

static void test_growth_and_seal(void **state)
{
	enum { N = 100000 };
	struct arena a;
	struct strpool p;
	char buf[32];
	uint32_t id;

	(void)state;
	arena_init(&a);
	strpool_init(&p, &a);
	/* Member-like ids, each seen twice, the second time in reverse
	 * order: ids must stay those of the first pass. */
	for (uint32_t i = 0; i < N; i++) {
		int n = snprintf(buf, sizeof buf, "M%07u", (unsigned)i);
		assert_int_equal(strpool_intern(&p, buf, (size_t)n, &id), 0);
		assert_int_equal(id, i);
	}
	for (uint32_t i = N; i-- > 0;) {
		int n = snprintf(buf, sizeof buf, "M%07u", (unsigned)i);
		assert_int_equal(strpool_intern(&p, buf, (size_t)n, &id), 0);
		assert_int_equal(id, i);
	}
	assert_int_equal(p.count, N);
	/* At most half full, as its comment promises. */
	assert_true((uint64_t)p.count * 2 <= p.nslots);
	/* The hash spreads the ids: with linear probing at load factor α a
	 * string sits on average ½(1 + 1/(1−α)) − 1 slots past its home
	 * (Knuth, TAOCP vol. 3, 6.4): 0.3084 here (100,000 in 262,144 slots,
	 * α = 0.3815).
	 * A hash that ignored part of the string would pile these eight-byte
	 * ids into runs hundreds of slots long. */
	assert_int_equal(p.nslots, 262144);
	double alpha = (double)N / p.nslots, moved = 0;
	for (uint32_t i = 0; i < p.nslots; i++)
		if (p.slots[i])
			moved += (i - (p.hash[p.slots[i] - 1] & (p.nslots - 1))) &
				 (p.nslots - 1);
	moved /= N;
	assert_close(0.5 * (1 + 1 / (1 - alpha)) - 1, 0.3084, 0.001);
	if (moved > 0.5)
		fail_msg("ids sit %.2f slots past home on average, want about 0.31", moved);

	/* Sealed: the strings stay, lookups and new strings are refused. */
	strpool_seal(&p);
	assert_int_equal(p.count, N);
	for (uint32_t i = 0; i < N; i += 997) {
		snprintf(buf, sizeof buf, "M%07u", (unsigned)i);
		assert_string_equal(strpool_str(&p, i), buf);
	}
	assert_int_equal(strpool_find(&p, "M0000000", 8, &id), -1);
	assert_int_equal(strpool_intern(&p, "new", 3, &id), -1);
	strpool_free(&p);
	arena_release(&a);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_first_seen_order),
		cmocka_unit_test(test_hash_edges),
		cmocka_unit_test(test_growth_and_seal),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
