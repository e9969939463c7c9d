/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The public API through the shared library, as a program sees it: every
 * one of the 23 functions, plus behaviour that depends on the environment
 * (PMEM_IS_PMEM_FORCE read late, PMEM_MMAP_HINT).
 * Usage: api_test <scratch dir> [test name]
 */
#define _GNU_SOURCE
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libpmem.h>

#include "../lib/named_tests.h"

static const char *Dir;

static char *
path_of(const char *name)
{
	static char buf[PATH_MAX];

	snprintf(buf, sizeof(buf), "%s/%s", Dir, name);
	return buf;
}

static void
test_version(void)
{
	CHECK(pmem_check_version(PMEM_MAJOR_VERSION, PMEM_MINOR_VERSION) ==
		NULL);
	CHECK(pmem_check_version(1, 0) == NULL);
	const char *m = pmem_check_version(2, 0);

	CHECK(m != NULL && strcmp(m, "libpmem major version mismatch "
		"(need 2, found 1)") == 0);
	m = pmem_check_version(1, 2);
	CHECK(m != NULL && strcmp(m, "libpmem minor version mismatch "
		"(need 2, found 1)") == 0);
	CHECK(strcmp(pmem_errormsg(), m) == 0);
}

static void
test_map_roundtrip(void)
{
	size_t len;
	int is_pmem;
	char *p = pmem_map_file(path_of("a"), 8 << 20, PMEM_FILE_CREATE,
		0640, &len, &is_pmem);
	struct stat st;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK(len == 8 << 20);
	CHECK(is_pmem == 0);	/* no DAX on this machine */
	CHECK(((uintptr_t)p & ((2 << 20) - 1)) == 0);
	CHECK(stat(path_of("a"), &st) == 0 && (st.st_mode & 0777) ==
		(0640 & ~022 & 0777));
	CHECK(st.st_blocks * 512 >= (off_t)(8 << 20));	/* allocated */

	pmem_memcpy_persist(p, "persist", 8);
	pmem_memmove_persist(p + 100, p, 8);
	pmem_memset_persist(p + 200, 'x', 100);
	pmem_memcpy_nodrain(p + 300, "nodrain", 8);
	pmem_memmove_nodrain(p + 301, p + 300, 8);
	pmem_memset_nodrain(p + 400, 'y', 3000);
	pmem_drain();
	pmem_memcpy(p + 5000, "flags", 6, PMEM_F_MEM_NONTEMPORAL);
	pmem_memmove(p + 6000, p + 5000, 6, PMEM_F_MEM_TEMPORAL |
		PMEM_F_MEM_NODRAIN);
	pmem_memset(p + 7000, 'z', 10, PMEM_F_MEM_NOFLUSH);
	pmem_flush(p, 8000);
	pmem_drain();
	pmem_persist(p, 1);
	CHECK(pmem_msync(p + 1, 100) == 0);
	CHECK(strcmp(p, "persist") == 0 && strcmp(p + 100, "persist") == 0);
	CHECK(p[299] == 'x' && p[300] == 'n' && strcmp(p + 301, "nodrain")
		== 0);
	CHECK(p[3399] == 'y' && strcmp(p + 6000, "flags") == 0);
	CHECK(p[7009] == 'z' && p[7010] == 0);
	pmem_deep_flush(p, 100);
	CHECK(pmem_deep_drain(p, 100) == 0);
	CHECK(pmem_deep_persist(p, 100) == 0);
	CHECK(pmem_is_pmem(p, len) == 0);
	CHECK(pmem_unmap(p, len) == 0);

	/* the data is in the file */
	p = pmem_map_file(path_of("a"), 0, 0, 0, &len, &is_pmem);
	CHECK(p != NULL && len == 8 << 20 && strcmp(p, "persist") == 0);
	if (p)
		pmem_unmap(p, len);
}

static void
test_map_errors(void)
{
	size_t len = 123;
	int is_pmem = 456;
	FILE *f = fopen(path_of("a"), "w");

	CHECK(f != NULL);
	if (f)
		fclose(f);
	errno = 0;
	CHECK(pmem_map_file(path_of("b"), 0, PMEM_FILE_CREATE, 0600, &len,
		&is_pmem) == NULL);
	CHECK(errno == EINVAL);
	CHECK(strcmp(pmem_errormsg(),
		"zero 'len' not allowed with PMEM_FILE_CREATE") == 0);
	CHECK(pmem_map_file(path_of("b"), 4096, 0, 0, &len, &is_pmem) ==
		NULL && errno == EINVAL);
	CHECK(pmem_map_file(path_of("b"), 0, 0x10, 0, &len, &is_pmem) ==
		NULL && errno == EINVAL);
	CHECK(strcmp(pmem_errormsg(), "invalid flag specified 10") == 0);
	CHECK(pmem_map_file(path_of("nodir/x"), 4096, PMEM_FILE_CREATE, 0600,
		&len, &is_pmem) == NULL && errno == ENOENT);
	CHECK(strncmp(pmem_errormsg(), "open ", 5) == 0);
	CHECK(pmem_map_file(path_of("a"), 4096, PMEM_FILE_CREATE |
		PMEM_FILE_EXCL, 0600, &len, &is_pmem) == NULL &&
		errno == EEXIST);
	CHECK(len == 123 && is_pmem == 456);
	CHECK(pmem_unmap((void *)1, 4096) == -1 && errno == EINVAL);
	CHECK(strcmp(pmem_errormsg(), "munmap: Invalid argument") == 0);
}

static void
test_tmpfile(void)
{
	size_t len;
	char *p = pmem_map_file(Dir, 1 << 20, PMEM_FILE_CREATE |
		PMEM_FILE_TMPFILE, 0600, &len, NULL);

	CHECK(p != NULL && len == 1 << 20);
	if (p) {
		memset(p, 1, len);
		pmem_unmap(p, len);
	}
}

static void
test_misc(void)
{
	char buf[256];

	CHECK(pmem_has_hw_drain() == 0);
	CHECK(pmem_has_auto_flush() == 0);	/* no nd regions here */
	CHECK(pmem_is_pmem(buf, 0) == 0);
	CHECK(pmem_is_pmem(buf, sizeof(buf)) == 0);
	pmem_flush(NULL, 0);
	pmem_persist(buf, 0);
	CHECK(pmem_memcpy(buf, buf, 0, 0) == buf);
	CHECK(pmem_memset(buf, 0, 0, 0) == buf);
}

/* PMEM_IS_PMEM_FORCE set after load but before the first query counts */
static void
test_force_late(void)
{
	char buf[64];

	setenv("PMEM_IS_PMEM_FORCE", "1", 1);
	CHECK(pmem_is_pmem(buf, sizeof(buf)) == 1);
	CHECK(pmem_is_pmem(buf, 0) == 0);
	setenv("PMEM_IS_PMEM_FORCE", "0", 1);
	CHECK(pmem_is_pmem(buf, sizeof(buf)) == 1);	/* read once only */
}

/* run with PMEM_MMAP_HINT=<hex address> set by the caller */
static void
test_mmap_hint(void)
{
	const char *h = getenv("PMEM_MMAP_HINT");
	size_t len;

	if (h == NULL)
		return;
	uintptr_t hint = (uintptr_t)strtoull(h, NULL, 16);
	char *p = pmem_map_file(path_of("hint"), 4 << 20, PMEM_FILE_CREATE,
		0600, &len, NULL);

	CHECK(p != NULL && (uintptr_t)p >= hint);
	CHECK((uintptr_t)p < hint + (64 << 20));
	if (p)
		pmem_unmap(p, len);
}

static const struct named_test Tests[] = {
	NAMED_TEST(version), NAMED_TEST(map_roundtrip), NAMED_TEST(map_errors),
	NAMED_TEST(tmpfile), NAMED_TEST(misc), NAMED_TEST(force_late),
	NAMED_TEST(mmap_hint),
};

int
main(int argc, char *argv[])
{
	tl_usage(argc >= 2, argv[0], "dir [test]");
	Dir = argv[1];
	umask(022);
	CHECK(strcmp(pmem_errormsg(), "") == 0);
	return RUN_NAMED(Tests, argc > 2 ? argv[2] : NULL);
}
