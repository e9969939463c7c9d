/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * range.c: registration, splitting on partial unmap, lookups across
 * adjacent ranges and the deep-drain walk (msync and region flush are
 * replaced by recorders through -Wl,--wrap). realloc is wrapped too, so
 * that a split can be made to find no memory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "range.h"

#define A(x) ((uintptr_t)(x) * 4096)

int __wrap_plat_msync(const void *addr, size_t len);
int __wrap_plat_region_deep_flush(unsigned region_id);
size_t __wrap_plat_pagesize(void);
void *__wrap_realloc(void *p, size_t size);
void *__real_realloc(void *p, size_t size);

static int Realloc_fails;	/* realloc returns NULL while set */

void *
__wrap_realloc(void *p, size_t size)
{
	return Realloc_fails ? NULL : __real_realloc(p, size);
}

size_t
__wrap_plat_pagesize(void)
{
	return 4096;
}

/* munmap stand-ins for range_unmap */
static int
unmap_ok(void *addr, size_t len)
{
	(void) addr;
	(void) len;
	return 0;
}

static int
unmap_fails(void *addr, size_t len)
{
	(void) addr;
	(void) len;
	return -1;
}

struct call {
	uintptr_t addr;
	size_t len;
	unsigned region;
	int is_region;
};
static struct call Calls[16];
static int Ncalls;

int
__wrap_plat_msync(const void *addr, size_t len)
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
	Realloc_fails = 0;
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

/* munmap takes whole pages: so does the registry, and only on success */
static void
test_unmap_follows_munmap(void **state)
{
	(void) state;
	range_register(A(10), A(8), RANGE_MAP_SYNC, 0);
	assert_int_equal(range_unmap((void *)A(11), 100, unmap_ok), 0);
	assert_false(range_is_pmem(A(11) + 100, 100));
	assert_false(range_is_pmem(A(12) - 1, 1));
	assert_true(range_is_pmem(A(10), A(1)));
	assert_true(range_is_pmem(A(12), A(6)));
	assert_int_equal(range_unmap((void *)A(16), A(1) + 1, unmap_ok), 0);
	assert_false(range_is_pmem(A(17) + 1, 100));
	assert_true(range_is_pmem(A(15), A(1)));
	/* a failed munmap removed nothing: neither does the registry */
	assert_int_equal(range_unmap((void *)(A(12) + 1), A(1), unmap_fails),
		-1);
	assert_true(range_is_pmem(A(12), A(4)));
	assert_int_equal(range_count(), 2);
}

/* a split that finds no memory drops the range instead of keeping it */
static void
test_split_without_memory(void **state)
{
	(void) state;
	range_fini();	/* capacity back to 0: registering grows it to 16 */
	for (uintptr_t i = 0; i < 15; i++)
		range_register(A(100 + 10 * i), A(4), RANGE_MAP_SYNC, 0);
	/* a split fills the last slot; the next one must allocate */
	assert_int_equal(range_unmap((void *)A(101), A(1), unmap_ok), 0);
	assert_int_equal(range_count(), 16);
	assert_true(range_is_pmem(A(100), A(1)));
	assert_true(range_is_pmem(A(102), A(2)));

	Realloc_fails = 1;
	assert_int_equal(range_unmap((void *)A(111), A(1), unmap_ok), 0);
	Realloc_fails = 0;
	assert_false(range_is_pmem(A(111), 1));
	assert_false(range_is_pmem(A(110), 1));
	assert_false(range_is_pmem(A(112), 1));
	assert_int_equal(range_count(), 15);
	assert_true(range_is_pmem(A(120), A(4)));
}

/* a range past the top of the address space is never persistent memory */
static void
test_wrapping_range(void **state)
{
	(void) state;
	range_register(A(10), A(4), RANGE_MAP_SYNC, 0);
	assert_false(range_is_pmem(A(10), SIZE_MAX));
	assert_false(range_is_pmem(A(11), SIZE_MAX - A(1)));
	assert_false(range_is_pmem(0x1000, SIZE_MAX));
	assert_false(range_is_pmem((uintptr_t)-4096, 8192));
	assert_false(range_is_pmem((uintptr_t)-1, 2));
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
		cmocka_unit_test_setup(test_unmap_follows_munmap, reset),
		cmocka_unit_test_setup(test_split_without_memory, reset),
		cmocka_unit_test_setup(test_wrapping_range, reset),
	};

	return cmocka_run_group_tests_name("range", tests, NULL, NULL);
}
