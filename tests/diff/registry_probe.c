/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The range registry after partial and failed pmem_unmap calls, run once
 * on each library under mapsync_shim.so (run.sh compares the two outputs).
 * Independently of the other library, it fails when pmem_is_pmem() says 1
 * for a range with a page the kernel no longer maps.
 *
 * Usage: registry_probe FILE
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "libpmem.h"

static char *Base;
static size_t Page;
static int Lies;	/* is_pmem 1 over an unmapped page */

/* 1 when every page of [a, a + len) is mapped (msync fails on a hole) */
static int
mapped(const char *a, size_t len)
{
	uintptr_t s = (uintptr_t)a & ~(Page - 1);

	return msync((void *)s, (uintptr_t)a + len - s, MS_ASYNC) == 0;
}

static void
is_pmem(size_t off, size_t len)
{
	int r = pmem_is_pmem(Base + off, len);

	printf("is_pmem(p+%zu, %zu)=%d\n", off, len, r);
	if (r && !mapped(Base + off, len)) {
		printf("  WRONG: 1 for a range the kernel does not map\n");
		Lies++;
	}
}

static void
unmap(size_t off, size_t len)
{
	errno = 0;
	int r = pmem_unmap(Base + off, len);

	printf("pmem_unmap(p+%zu, %zu)=%d errno=%s\n", off, len, r,
		r ? strerror(errno) : "-");
}

int
main(int argc, char *argv[])
{
	size_t len;
	int isp;

	if (argc != 2)
		return 2;
	Page = (size_t)sysconf(_SC_PAGESIZE);
	Base = pmem_map_file(argv[1], 8 * Page, PMEM_FILE_CREATE, 0600, &len,
		&isp);
	if (Base == NULL) {
		printf("pmem_map_file: %s\n", pmem_errormsg());
		return 1;
	}
	printf("mapped %zu bytes, is_pmem %d\n", len / Page * Page, isp);
	if (!isp) {
		printf("the mapping is not registered: is the shim loaded?\n");
		return 1;
	}
	/* a length that is not a page multiple: munmap takes whole pages */
	unmap(Page, 100);
	is_pmem(Page + 100, 100);
	is_pmem(Page, 1);
	is_pmem(0, Page);
	unmap(6 * Page, Page + 1);
	is_pmem(7 * Page + 1, 100);
	is_pmem(5 * Page, Page);
	/* failing calls unmap nothing, and must leave the registry alone */
	unmap(1, Page);
	unmap(3 * Page, 0);
	is_pmem(0, Page);
	is_pmem(2 * Page, 4 * Page);
	/* an ordinary partial unmap, then the rest */
	unmap(3 * Page, 2 * Page);
	is_pmem(3 * Page, Page);
	is_pmem(2 * Page, Page);
	is_pmem(5 * Page, Page);
	unmap(0, 8 * Page);
	is_pmem(0, Page);
	is_pmem(5 * Page, Page);
	printf("%d answers of 1 for unmapped memory\n", Lies);
	return Lies ? 1 : 0;
}
