/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Mappings on Linux: where to place them (huge-page aligned, or at
 * PMEM_MMAP_HINT), MAP_SYNC with its fallback, unmap and msync.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

#include "env.h"
#include "out.h"
#include "platform.h"
#include "trace.h"
#include "util.h"
#include "vg.h"

#ifndef MAP_SYNC
#define MAP_SYNC 0x80000
#endif
#ifndef MAP_SHARED_VALIDATE
#define MAP_SHARED_VALIDATE 0x03
#endif

static size_t Pagesize = 4096;
static int Hint_fixed;		/* PMEM_MMAP_HINT given and usable */
static uintptr_t Hint_addr;

void
plat_init(void)
{
	long ps = sysconf(_SC_PAGESIZE);
	const char *e = env_get(ENV_MMAP_HINT);

	if (ps > 0)
		Pagesize = (size_t)ps;
	if (e == NULL)
		return;

	/* compat: the reference reads the hint as hex, with or without 0x */
	char *end;

	errno = 0;
	unsigned long long val = strtoull(e, &end, 16);

	if (errno != 0 || end == e) {
		LOG(2, "invalid PMEM_MMAP_HINT \"%s\"", e);
	} else if (access("/proc/self/maps", R_OK) != 0) {
		LOG(2, "no /proc, PMEM_MMAP_HINT ignored");
	} else {
		Hint_addr = (uintptr_t)val;
		Hint_fixed = 1;
		LOG(3, "PMEM_MMAP_HINT 0x%" PRIxPTR, Hint_addr);
	}
}

size_t
plat_pagesize(void)
{
	return Pagesize;
}

/*
 * Mappings of 2 GiB and more start on a 1 GiB boundary, others on 2 MiB,
 * so the kernel can back DAX mappings with the largest pages.
 */
static size_t
hint_alignment(size_t len, size_t req_align)
{
	if (req_align)
		return req_align;
	return len >= 2 * GiB ? GiB : 2 * MiB;
}

/*
 * the lowest free, aligned gap of len bytes at or above minaddr; the maps
 * file is opened close-on-exec ("e") so that another thread's fork and
 * exec while we read it does not inherit it
 */
static void *
hint_unused(uintptr_t minaddr, size_t len, size_t align)
{
	FILE *fp = fopen("/proc/self/maps", "re");
	uintptr_t lo, hi, addr = align_up(minaddr ? minaddr : Pagesize, align);
	char line[512];

	if (fp == NULL) {
		ERR("!/proc/self/maps");
		return MAP_FAILED;
	}
	while (fgets(line, sizeof(line), fp) != NULL) {
		if (sscanf(line, "%" SCNxPTR "-%" SCNxPTR, &lo, &hi) != 2)
			continue;
		if (hi <= addr)
			continue;
		if (lo >= addr && lo - addr >= len)
			break;
		addr = align_up(hi, align);
	}
	fclose(fp);
	if (addr + len < addr)
		return MAP_FAILED;
	return (void *)addr;
}

/*
 * Without a fixed hint, reserve len + align bytes to see where the kernel
 * would put them, release them and take the first aligned address inside.
 */
static void *
map_hint(size_t len, size_t req_align)
{
	size_t align = hint_alignment(len, req_align);

	if (Hint_fixed)
		return hint_unused(Hint_addr, len, align);
	if (len + align < len) {
		errno = ENOMEM;
		ERR("!mmap MAP_ANONYMOUS");
		return MAP_FAILED;
	}
	void *addr = mmap(NULL, len + align, PROT_READ,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (addr == MAP_FAILED) {
		ERR("!mmap MAP_ANONYMOUS");
		return MAP_FAILED;
	}
	munmap(addr, len + align);
	LOG(4, "system choice %p", addr);
	return (void *)align_up((uintptr_t)addr, align);
}

void *
plat_map(int fd, size_t len, size_t align, int *map_sync)
{
	void *hint = map_hint(len, align);
	int prot = PROT_READ | PROT_WRITE;

	if (hint == MAP_FAILED) {
		LOG(1, "cannot find a contiguous region of given size");
		return NULL;
	}
	LOG(4, "hint %p", hint);
	void *addr = mmap(hint, len, prot, MAP_SHARED_VALIDATE | MAP_SYNC,
		fd, 0);

	*map_sync = addr != MAP_FAILED;
	/* file systems without DAX refuse MAP_SYNC with one of these */
	if (addr == MAP_FAILED && (errno == EOPNOTSUPP || errno == EINVAL)) {
		LOG(4, "mmap with MAP_SYNC not supported");
		addr = mmap(hint, len, prot, MAP_SHARED, fd, 0);
	}
	if (addr == MAP_FAILED) {
		ERR("!mmap %zu bytes", len);
		return NULL;
	}
	LOG(3, "mapped at %p%s", addr, *map_sync ? " with MAP_SYNC" : "");
	return addr;
}

int
plat_unmap(void *addr, size_t len)
{
	int ret = munmap(addr, len);

	if (ret != 0)
		ERR("!munmap");
	return ret;
}

/*
 * msync needs a page-aligned start: cover the same bytes from the page
 * that holds addr.
 * compat: a range whose page-rounded end passes the top of the address
 * space fails with ENOMEM (nothing is mapped there). msync itself rounds
 * such a length to 0 pages and succeeds, and the reference passes that on:
 * pmem_msync(p, SIZE_MAX) returns 0 having written nothing back.
 *
 * The page rounding may take in bytes the caller marked unaddressable or
 * undefined for memcheck: not the caller's bug, so not reported. pmemcheck
 * cannot see the kernel write the pages back: it is told.
 */
int
plat_msync(const void *addr, size_t len)
{
	uintptr_t start = align_down((uintptr_t)addr, Pagesize);

	len += (uintptr_t)addr - start;
	if (len < (uintptr_t)addr - start || len > UINTPTR_MAX - start ||
			start + len > UINTPTR_MAX - Pagesize + 1) {
		errno = ENOMEM;
		ERR("!msync");
		return -1;
	}
	TRACE_SYSCALL();
	vg_errors_off();
	int ret = msync((void *)start, len, MS_SYNC);

	vg_errors_on();
	if (ret != 0)
		ERR("!msync");
	vg_persisted((void *)start, len);
	return ret;
}
