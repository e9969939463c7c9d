/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * range.c: registration, splitting on partial unmap, lookups across
 * adjacent ranges and the deep-drain walk (msync and region flush are
 * replaced by recorders through -Wl,--wrap).
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include <cmocka.h>

#include "range.h"

#define A(x) ((uintptr_t)(x) * 4096)

int __wrap_pmem_msync(const void *addr, size_t len);
int __wrap_plat_region_deep_flush(unsigned region_id);

struct call {
	uintptr_t addr;
	size_t len;
	unsigned region;
	int is_region;
};
static struct call Calls[16];
static int Ncalls;

int
__wrap_pmem_msync(const void *addr, size_t len)
{
	Calls[Ncalls++] = (struct call){ (uintptr_t)addr, len, 0, 0 };
	return 0;
}

int
__wrap_plat_region_deep_flush(unsigned region_id)
{
	Calls[Ncalls++] = (struct call){ 0, 0, region_id, 1 };
	return 0;
}

static int
reset(void **state)
{
	(void) state;
	range_unregister(0, UINTPTR_MAX);
	Ncalls = 0;
	return 0;
}

static void
test_lookup(void **state)
{
	(void) state;
	assert_int_equal(range_register(A(10), A(4), RANGE_MAP_SYNC, 0), 0);
	assert_true(range_is_pmem(A(10), A(4)));
	assert_true(range_is_pmem(A(11), 1));
	assert_false(range_is_pmem(A(9), A(2)));
	assert_false(range_is_pmem(A(13), A(2)));
	assert_false(range_is_pmem(A(14), 1));
}

static void
test_adjacent_ranges_join(void **state)
{
	(void) state;
	range_register(A(10), A(4), RANGE_MAP_SYNC, 0);
	range_register(A(14), A(2), RANGE_DEVDAX, 3);
	assert_true(range_is_pmem(A(12), A(4)));
	range_register(A(17), A(2), RANGE_DEVDAX, 3);
	assert_false(range_is_pmem(A(12), A(6)));	/* hole at 16 */
}

static void
test_partial_unmap_splits(void **state)
{
	(void) state;
	range_register(A(10), A(10), RANGE_MAP_SYNC, 0);
	range_unregister(A(12), A(3));
	assert_int_equal(range_count(), 2);
	assert_true(range_is_pmem(A(10), A(2)));
	assert_false(range_is_pmem(A(12), 1));
	assert_false(range_is_pmem(A(14), 1));
	assert_true(range_is_pmem(A(15), A(5)));
	range_unregister(A(5), A(100));
	assert_int_equal(range_count(), 0);
}

/* a range mapped again over a stale one (munmap without pmem_unmap) */
static void
test_duplicate_replaces(void **state)
{
	(void) state;
	range_register(A(10), A(10), RANGE_MAP_SYNC, 0);
	range_register(A(15), A(10), RANGE_DEVDAX, 1);
	assert_int_equal(range_count(), 2);
	assert_true(range_is_pmem(A(10), A(15)));
}

static void
test_many_ranges(void **state)
{
	(void) state;
	for (unsigned i = 0; i < 1000; i++)
		assert_int_equal(range_register(A(2 * i + 1), A(1),
			RANGE_MAP_SYNC, 0), 0);
	assert_int_equal(range_count(), 1000);
	for (unsigned i = 0; i < 1000; i++) {
		assert_true(range_is_pmem(A(2 * i + 1), A(1)));
		assert_false(range_is_pmem(A(2 * i), 1));
	}
}

static void
test_deep_drain_walk(void **state)
{
	(void) state;
	range_register(A(10), A(2), RANGE_DEVDAX, 7);
	range_register(A(14), A(2), RANGE_MAP_SYNC, 0);
	assert_int_equal(range_deep_drain(A(8), A(10)), 0);
	assert_int_equal(Ncalls, 5);
	assert_int_equal(Calls[0].addr, A(8));		/* gap before */
	assert_int_equal(Calls[0].len, A(2));
	assert_true(Calls[1].is_region);		/* devdax part */
	assert_int_equal(Calls[1].region, 7);
	assert_int_equal(Calls[2].addr, A(12));		/* gap between */
	assert_int_equal(Calls[2].len, A(2));
	assert_int_equal(Calls[3].addr, A(14));		/* MAP_SYNC part */
	assert_int_equal(Calls[3].len, A(2));
	assert_int_equal(Calls[4].addr, A(16));		/* tail */
	assert_int_equal(Calls[4].len, A(2));
	Ncalls = 0;
	assert_int_equal(range_deep_drain(A(8), 0), 0);
	assert_int_equal(Ncalls, 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_lookup, reset),
		cmocka_unit_test_setup(test_adjacent_ranges_join, reset),
		cmocka_unit_test_setup(test_partial_unmap_splits, reset),
		cmocka_unit_test_setup(test_duplicate_replaces, reset),
		cmocka_unit_test_setup(test_many_ranges, reset),
		cmocka_unit_test_setup(test_deep_drain_walk, reset),
	};

	return cmocka_run_group_tests_name("range", tests, NULL, NULL);
}
