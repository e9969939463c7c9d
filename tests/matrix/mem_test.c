/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Copies and fills through the public API, compared with libc, for one
 * environment setting of the kernel matrix: lengths 0..1100 at every
 * destination offset, larger sizes, overlaps both ways, every flag set,
 * guard bytes. "probe" mode only makes one call of each kind, so that a
 * level-15 debug log shows which kernels ran; "overlap N" moves across
 * the size from which overlapping moves stream, "far DIST LEN DIR DOFF"
 * makes one overlapping move of LEN bytes DIST apart to a line-aligned
 * dst + DOFF, above its source (DIR "up") or below it ("down").
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

/*
 * An unflagged move of len bytes between Dst + 64 + skew and dist bytes
 * above it, compared with memmove. Dst is line-aligned where the caller
 * needs to know whether the move writes whole lines.
 */
static int
overlap_at(size_t len, size_t dist, int dst_above, size_t skew)
{
	size_t span = len + dist + skew + 256, lo = 64 + skew;

	rnd_fill(&Seed, Dst, span);
	memcpy(Ref, Dst, span);
	char *a = Dst + lo, *b = Dst + lo + dist;

	pmem_memmove(dst_above ? b : a, dst_above ? a : b, len, 0);
	memmove(dst_above ? Ref + lo + dist : Ref + lo,
		dst_above ? Ref + lo : Ref + lo + dist, len);
	if (memcmp(Dst, Ref, span) != 0) {
		tl_fail("overlap mismatch len %zu dist %zu %s skew %zu", len,
			dist, dst_above ? "dst>src" : "dst<src", skew);
		return 1;
	}
	return 0;
}

static int
overlap(size_t len, size_t dist, int dst_above)
{
	return overlap_at(len, dist, dst_above, 0);
}

/* line-aligned buffers of n bytes, for the kernels a log names */
static int
aligned_bufs(size_t n)
{
	n = (n + 63) & ~(size_t)63;	/* aligned_alloc wants a multiple */
	free(Dst);
	free(Ref);
	Dst = aligned_alloc(64, n);
	Ref = aligned_alloc(64, n);
	return Dst && Ref ? 0 : -1;
}

/*
 * "overlap N": one overlapping move just below N bytes and one of N, the
 * size from which unflagged overlapping moves stream (a level-15 log
 * shows the kernels); both must still move the data right. The dst is
 * one byte past a line, so that neither writes whole lines and a far
 * rule (move_kind) cannot decide instead.
 */
static int
overlap_edge(size_t n)
{
	if (n < 128 || aligned_bufs(n + 4096) != 0)
		return 2;
	return overlap_at(n - 1, 64, 1, 1) | overlap_at(n, 64, 1, 1);
}

/*
 * "far DIST LEN DIR DOFF": one overlapping move, the only pmem call, so
 * that a level-15 log names the kernel the library chose for it. DOFF 0
 * makes a line-aligned dst: with LEN a multiple of 64 the move writes
 * whole lines.
 */
static int
far_move(char *argv[])
{
	size_t dist = strtoull(argv[2], NULL, 0);
	size_t len = strtoull(argv[3], NULL, 0);
	size_t doff = strtoull(argv[5], NULL, 0);
	int up = strcmp(argv[4], "up") == 0;

	if (dist == 0 || dist >= len || doff > 63 ||
			(!up && strcmp(argv[4], "down") != 0) ||
			aligned_bufs(len + dist + 512) != 0)
		return 2;
	/* the source below dst starts a line, so that dst + doff does */
	return overlap_at(len, dist, up, up ? (64 - dist % 64 + doff) % 64 :
		doff);
}

int
main(int argc, char *argv[])
{
	int probe = argc > 1 && strcmp(argv[1], "probe") == 0;
	int bad = 0;

	if (argc == 6 && strcmp(argv[1], "far") == 0)
		return far_move(argv);
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
