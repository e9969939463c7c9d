/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * map.c with the platform partly simulated (-Wl,--wrap): Device DAX rules
 * and registration, MAP_SYNC registration, what a failed map leaves on
 * disk, out-parameters untouched on failure.
 */
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "libpmem.h"
#include "platform.h"

#define FAKE_DAX "/fake/dax0.0"
/* soft-reserved memory through dax_hmem: no nd region above it */
#define FAKE_HMEM "/fake/dax1.0"
#define DAX_SIZE ((size_t)64 << 20)

enum file_type __real_plat_file_type(const char *path);
enum file_type __wrap_plat_file_type(const char *path);
int __real_plat_open(const char *path, int create, int excl, mode_t mode);
int __wrap_plat_open(const char *path, int create, int excl, mode_t mode);
ssize_t __wrap_plat_devdax_size(const char *path);
ssize_t __wrap_plat_devdax_align(const char *path);
int __wrap_plat_devdax_region(const char *path, unsigned *region_id);
void *__real_plat_map(int fd, size_t len, size_t align, int *map_sync);
void *__wrap_plat_map(int fd, size_t len, size_t align, int *map_sync);
int __wrap_plat_region_deep_flush(unsigned region_id);

static char Dir[] = "/tmp/test_map.XXXXXX";
static char Backing[256];	/* stands in for the Device DAX */
static int Force_map_sync, Fail_map;
static size_t Last_align;
static int Flushed_region = -1;

enum file_type
__wrap_plat_file_type(const char *path)
{
	if (strcmp(path, FAKE_DAX) == 0 || strcmp(path, FAKE_HMEM) == 0)
		return FILE_TYPE_DEVDAX;
	return __real_plat_file_type(path);
}

int
__wrap_plat_open(const char *path, int create, int excl, mode_t mode)
{
	if (strcmp(path, FAKE_DAX) == 0 || strcmp(path, FAKE_HMEM) == 0)
		return open(Backing, O_RDWR);
	return __real_plat_open(path, create, excl, mode);
}

ssize_t
__wrap_plat_devdax_size(const char *path)
{
	(void) path;
	return (ssize_t)DAX_SIZE;
}

ssize_t
__wrap_plat_devdax_align(const char *path)
{
	(void) path;
	return 2 << 20;
}

/* 1: the device exists but sits under no nd region */
int
__wrap_plat_devdax_region(const char *path, unsigned *region_id)
{
	if (strcmp(path, FAKE_HMEM) == 0) {
		*region_id = 77;	/* garbage a caller must not use */
		return 1;
	}
	*region_id = 5;
	return 0;
}

void *
__wrap_plat_map(int fd, size_t len, size_t align, int *map_sync)
{
	Last_align = align;
	if (Fail_map) {
		errno = ENOMEM;
		return NULL;
	}
	void *p = __real_plat_map(fd, len, align, map_sync);

	if (Force_map_sync)
		*map_sync = 1;
	return p;
}

int
__wrap_plat_region_deep_flush(unsigned region_id)
{
	Flushed_region = (int)region_id;
	return 0;
}

static int
setup(void **state)
{
	(void) state;
	assert_non_null(mkdtemp(Dir));
	snprintf(Backing, sizeof(Backing), "%s/backing", Dir);
	int fd = open(Backing, O_CREAT | O_RDWR, 0600);

	assert_true(fd >= 0);
	assert_int_equal(ftruncate(fd, (off_t)DAX_SIZE), 0);
	close(fd);
	return 0;
}

static int
teardown(void **state)
{
	(void) state;
	char cmd[300];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", Dir);
	return system(cmd);
}

static int
reset(void **state)
{
	(void) state;
	Force_map_sync = Fail_map = 0;
	Flushed_region = -1;
	return 0;
}

static void
test_devdax_flags_and_len(void **state)
{
	(void) state;
	size_t len = 7;
	int is_pmem = 7;

	errno = 0;
	assert_null(pmem_map_file(FAKE_DAX, 0, PMEM_FILE_EXCL, 0, &len,
		&is_pmem));
	assert_int_equal(errno, EINVAL);
	assert_string_equal(pmem_errormsg(),
		"flag unsupported for Device DAX 2");
	assert_null(pmem_map_file(FAKE_DAX, 4096, PMEM_FILE_CREATE, 0, &len,
		&is_pmem));
	assert_string_equal(pmem_errormsg(), "Device DAX length must be "
		"either 0 or the exact size of the device: 67108864");
	assert_int_equal(len, 7);
	assert_int_equal(is_pmem, 7);
}

static void
test_devdax_maps_whole_and_registers(void **state)
{
	(void) state;
	size_t len;
	int is_pmem;
	char *p = pmem_map_file(FAKE_DAX, DAX_SIZE,
		PMEM_FILE_CREATE | PMEM_FILE_SPARSE, 0, &len, &is_pmem);

	assert_non_null(p);
	assert_int_equal(len, DAX_SIZE);
	assert_int_equal(is_pmem, 1);
	assert_int_equal(Last_align, 2 << 20);
	assert_true(pmem_is_pmem(p + 4096, 8192));
	assert_int_equal(pmem_deep_persist(p + 100, 50), 0);
	assert_int_equal(Flushed_region, 5);
	assert_int_equal(pmem_unmap(p, len), 0);
	assert_false(pmem_is_pmem(p + 4096, 8192));
}

/*
 * Region-less Device DAX (dax_hmem): mapped whole at the device's
 * alignment and pmem like any Device DAX; the deep calls have no region
 * to flush, so they fence and succeed without touching any deep_flush.
 */
static void
test_devdax_without_region(void **state)
{
	(void) state;
	size_t len = 0;
	int is_pmem = -1;

	errno = 0;
	char *p = pmem_map_file(FAKE_HMEM, 0, 0, 0, &len, &is_pmem);

	assert_non_null(p);
	assert_int_equal(len, DAX_SIZE);
	assert_int_equal(is_pmem, 1);
	assert_int_equal(Last_align, 2 << 20);
	assert_true(pmem_is_pmem(p, len));
	pmem_deep_flush(p + 4096, 100);
	assert_int_equal(pmem_deep_drain(p + 4096, 100), 0);
	assert_int_equal(pmem_deep_persist(p, len), 0);
	assert_int_equal(Flushed_region, -1);
	pmem_memcpy_persist(p + 1, "abc", 4);
	assert_string_equal(p + 1, "abc");
	assert_int_equal(pmem_unmap(p, len), 0);
	assert_false(pmem_is_pmem(p, 1));

	/* the same rules for len and flags as any Device DAX */
	assert_null(pmem_map_file(FAKE_HMEM, 4096, PMEM_FILE_CREATE, 0, &len,
		&is_pmem));
	assert_int_equal(errno, EINVAL);
	p = pmem_map_file(FAKE_HMEM, DAX_SIZE, PMEM_FILE_CREATE, 0, &len,
		&is_pmem);
	assert_non_null(p);
	assert_int_equal(pmem_unmap(p, len), 0);
}

static void
test_map_sync_registers(void **state)
{
	(void) state;
	char path[300];
	size_t len;
	int is_pmem;

	Force_map_sync = 1;
	snprintf(path, sizeof(path), "%s/sync", Dir);
	char *p = pmem_map_file(path, 1 << 20, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem);

	assert_non_null(p);
	assert_int_equal(is_pmem, 1);
	assert_true(pmem_is_pmem(p, len));
	assert_false(pmem_is_pmem(p, len + 1));
	assert_false(pmem_is_pmem(p, 0));
	/* half unmapped: the other half stays pmem */
	assert_int_equal(pmem_unmap(p, len / 2), 0);
	assert_false(pmem_is_pmem(p, 1));
	assert_true(pmem_is_pmem(p + len / 2, len / 2));
	assert_int_equal(pmem_unmap(p + len / 2, len / 2), 0);
	assert_false(pmem_is_pmem(p + len / 2, 1));
}

static void
test_failed_map_cleans_up(void **state)
{
	(void) state;
	char path[300];
	struct stat st;
	size_t len = 9;
	int is_pmem = 9;

	Fail_map = 1;
	snprintf(path, sizeof(path), "%s/excl", Dir);
	assert_null(pmem_map_file(path, 4096, PMEM_FILE_CREATE |
		PMEM_FILE_EXCL, 0600, &len, &is_pmem));
	assert_int_equal(errno, ENOMEM);
	assert_int_not_equal(stat(path, &st), 0);	/* removed */

	snprintf(path, sizeof(path), "%s/noexcl", Dir);
	assert_null(pmem_map_file(path, 4096, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem));
	assert_int_equal(stat(path, &st), 0);		/* kept, as ref */
	assert_int_equal(len, 9);
	assert_int_equal(is_pmem, 9);
}

static void
test_plain_file_not_pmem(void **state)
{
	(void) state;
	char path[300];
	size_t len;
	int is_pmem;

	snprintf(path, sizeof(path), "%s/plain", Dir);
	char *p = pmem_map_file(path, 3 << 20, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem);

	assert_non_null(p);
	assert_int_equal(is_pmem, 0);
	assert_int_equal((uintptr_t)p % (2 << 20), 0);
	assert_int_equal(pmem_unmap(p, len), 0);
	/* len 0 without CREATE maps the existing file whole */
	p = pmem_map_file(path, 0, 0, 0, &len, &is_pmem);
	assert_non_null(p);
	assert_int_equal(len, 3 << 20);
	assert_int_equal(pmem_unmap(p, len), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_devdax_flags_and_len, reset),
		cmocka_unit_test_setup(test_devdax_maps_whole_and_registers,
			reset),
		cmocka_unit_test_setup(test_devdax_without_region, reset),
		cmocka_unit_test_setup(test_map_sync_registers, reset),
		cmocka_unit_test_setup(test_failed_map_cleans_up, reset),
		cmocka_unit_test_setup(test_plain_file_not_pmem, reset),
	};

	return cmocka_run_group_tests_name("map", tests, setup, teardown);
}
