/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The two arenas the cases operate in: their geometry, so large sizes
 * miss in every cache level, and huge pages to keep TLB misses out.
 */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "bench.h"

#define HUGE_2M (2 * MIB)

size_t
cold_footprint(const struct bench *bn)
{
	size_t f = 2 * bn->cpu.llc;

	return f < 64 * MIB ? 64 * MIB : f;
}

/* the farthest any case moves a size-byte range: what the arenas allow */
size_t
move_room(size_t size)
{
	return size / 2 > MAX_MOVE_DIST ? size / 2 : MAX_MOVE_DIST;
}

/*
 * Large sizes rotate through enough slots to miss in every cache level;
 * room is the move distance a slot leaves space for (MAX_MOVE_DIST at
 * least, so the older cases keep their geometry).
 */
void
geometry(const struct bench *bn, size_t size, size_t room, size_t *stride,
	unsigned *nslots)
{
	size_t need = size + 4 * GUARD + CACHELINE +
		(room > MAX_MOVE_DIST ? room : MAX_MOVE_DIST);

	*stride = (need + 4095) & ~(size_t)4095;
	*nslots = 1;
	if (size >= bn->opt.cold_min) {
		size_t n = (cold_footprint(bn) + *stride - 1) / *stride;

		*nslots = n < 2 ? 2 : (unsigned)n;
	}
}

/* 2 MiB pages when the kernel has them: fewer TLB misses at large sizes. */
char *
alloc_arena(struct bench *bn, size_t len)
{
	size_t hlen = (len + HUGE_2M - 1) & ~(HUGE_2M - 1);
	char *p = mmap(NULL, hlen, PROT_READ | PROT_WRITE,
		MAP_PRIVATE | MAP_ANONYMOUS | MAP_HUGETLB, -1, 0);

	if (p != MAP_FAILED) {
		bn->huge_how = "MAP_HUGETLB";
	} else {
		uintptr_t a;

		p = mmap(NULL, hlen + HUGE_2M, PROT_READ | PROT_WRITE,
			MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (p == MAP_FAILED) {
			perror("pmembench: mmap");
			exit(2);
		}
		a = ((uintptr_t)p + HUGE_2M - 1) & ~(HUGE_2M - 1);
		p = (char *)a;
		if (madvise(p, hlen, MADV_HUGEPAGE) == 0 &&
				strcmp(bn->huge_how, "MAP_HUGETLB") != 0)
			bn->huge_how = "madvise(MADV_HUGEPAGE)";
	}
	memset(p, 0x11, hlen);
	return p;
}

/* KiB of huge-page-backed anonymous memory; -1: the kernel does not say */
long
anon_huge_kib(void)
{
	FILE *f = fopen("/proc/self/smaps_rollup", "r");
	char line[256];
	long v = -1;

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL)
		if (sscanf(line, "AnonHugePages: %ld", &v) == 1)
			break;
	fclose(f);
	return v;
}
