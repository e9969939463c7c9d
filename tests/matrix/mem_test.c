/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copies and fills through the public API, compared with libc, for one
 * environment setting of the kernel matrix: lengths 0..1100 at every
 * destination offset, larger sizes, overlaps both ways, every flag set,
 * guard bytes. "probe" mode only makes one call of each kind, so that a
 * level-15 debug log shows which kernels ran; "overlap N" moves across
 * the size from which overlapping moves stream.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libpmem.h>

#include "../lib/mem_flags.h"
#include "../lib/report.h"
#include "../lib/rnd.h"

#define BUF (8u << 20)

static uint64_t Seed = 99;
static char *Dst, *Ref, *Src;

static unsigned
rnd(void)
{
	return (unsigned)rnd_next(&Seed);
}

static const unsigned Flag_sets[] = {
	MEM_FLAG_SETS,
	PMEM_F_MEM_TEMPORAL | PMEM_F_MEM_NOFLUSH, 1u << 31,
};
#define NFLAGS (sizeof(Flag_sets) / sizeof(*Flag_sets))

static int
one(int op, size_t doff, size_t soff, size_t len, unsigned flags)
{
	size_t span = doff + len + 128;
	char *d = Dst + 64 + doff, *r = Ref + 64 + doff;
	int c = (int)rnd();
	void *ret;

	memset(Dst, 0x3c, span);
	memset(Ref, 0x3c, span);
	switch (op) {
	case 0:
		ret = pmem_memmove(d, Src + soff, len, flags);
		memmove(r, Src + soff, len);
		break;
	case 1:
		ret = pmem_memcpy(d, Src + soff, len, flags);
		memcpy(r, Src + soff, len);
		break;
	case 2:
		ret = pmem_memset(d, c, len, flags);
		memset(r, c, len);
		break;
	case 3:
		ret = pmem_memcpy_persist(d, Src + soff, len);
		memcpy(r, Src + soff, len);
		break;
	case 4:
		ret = pmem_memmove_nodrain(d, Src + soff, len);
		memmove(r, Src + soff, len);
		pmem_drain();
		break;
	default:
		ret = pmem_memset_persist(d, c, len);
		memset(r, c, len);
		break;
	}
	if (ret != d || memcmp(Dst, Ref, span) != 0) {
		tl_fail("mismatch: op %d len %zu dst+%zu src+%zu flags 0x%x",
			op, len, doff, soff, flags);
		return 1;
	}
	return 0;
}

static int
overlap(size_t len, size_t dist, int dst_above)
{
	size_t span = len + dist + 256;

	rnd_fill(&Seed, Dst, span);
	memcpy(Ref, Dst, span);
	char *a = Dst + 64, *b = Dst + 64 + dist;

	pmem_memmove(dst_above ? b : a, dst_above ? a : b, len, 0);
	memmove(dst_above ? Ref + 64 + dist : Ref + 64,
		dst_above ? Ref + 64 : Ref + 64 + dist, len);
	if (memcmp(Dst, Ref, span) != 0) {
		tl_fail("overlap mismatch len %zu dist %zu %s", len, dist,
			dst_above ? "dst>src" : "dst<src");
		return 1;
	}
	return 0;
}

/*
 * "overlap N": one overlapping move just below N bytes and one of N, the
 * size from which unflagged overlapping moves stream (a level-15 log
 * shows the kernels); both must still move the data right.
 */
static int
overlap_edge(size_t n)
{
	free(Dst);
	free(Ref);
	Dst = malloc(n + 4096);
	Ref = malloc(n + 4096);
	if (!Dst || !Ref || n < 128)
		return 2;
	return overlap(n - 1, 64, 1) | overlap(n, 64, 1);
}

int
main(int argc, char *argv[])
{
	int probe = argc > 1 && strcmp(argv[1], "probe") == 0;
	int bad = 0;

	Dst = malloc(BUF);
	Ref = malloc(BUF);
	Src = malloc(BUF);
	if (!Dst || !Ref || !Src)
		return 2;
	rnd_fill(&Seed, Src, BUF);

	if (argc == 3 && strcmp(argv[1], "overlap") == 0)
		return overlap_edge(strtoull(argv[2], NULL, 0));
	if (probe) {
		/*
		 * small temporal, large non-temporal, NOFLUSH, and both sides
		 * of the default non-temporal threshold (256)
		 */
		for (int op = 0; op < 3; op++) {
			bad |= one(op, 0, 0, 100, 0);
			bad |= one(op, 0, 0, 4096, 0);
			bad |= one(op, 0, 0, 100, PMEM_F_MEM_NOFLUSH);
			bad |= one(op, 0, 0, 255, 0);
			bad |= one(op, 0, 0, 256, 0);
		}
		return bad;
	}
	for (size_t len = 0; len <= 1100; len++)
		for (size_t doff = 0; doff < 64; doff += 1 + (len > 300) * 6)
			bad |= one((int)(rnd() % 6), doff, rnd() % 64, len,
				Flag_sets[rnd() % NFLAGS]);
	/* around 8 KiB: MOVDIR64B kernels send whole lines from there */
	static const size_t big[] = { 4096, (8u << 10) - 1, 8u << 10, 65537,
		1u << 20, (5u << 20) + 3 };
	for (size_t i = 0; i < sizeof(big) / sizeof(*big); i++)
		for (size_t f = 0; f < NFLAGS; f++)
			for (int op = 0; op < 6; op++)
				bad |= one(op, rnd() % 64, rnd() % 64, big[i],
					Flag_sets[f]);
	static const size_t lens[] = { 70, 255, 256, 257, 1000, 70000 };
	static const size_t dists[] = { 1, 8, 63, 64, 65, 300 };
	for (size_t l = 0; l < 6; l++)
		for (size_t d = 0; d < 6; d++)
			if (dists[d] < lens[l])
				bad |= overlap(lens[l], dists[d], 0) |
					overlap(lens[l], dists[d], 1);
	return bad;
}
