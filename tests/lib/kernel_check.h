/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernel checks the cross-arch suites share: every kernel of
 * Kernels[] called directly and compared with libc memmove/memset, with
 * guard bytes around every destination and guard pages behind the
 * buffers. The including program fills Kernels[] (kc_add) and calls
 * kc_run(GROUP, ...); GROUP is one of
 *   pairs    lengths 0..256 at all 64 x 64 dst/src alignments
 *   sizes    every length 0..4096 at 10 alignment pairs, then a sample
 *            of larger lengths (up to 3 MiB) at random alignments
 *   overlap  overlapping moves both ways, many lengths and distances
 *   edge     ranges ending at or starting right after a guard page, so
 *            an access past either end faults
 *   smoke    lengths 0..300 at 8 alignment pairs, a few up to 64 KiB
 * Include after tlib.h.
 */
#ifndef TESTS_LIB_KERNEL_CHECK_H
#define TESTS_LIB_KERNEL_CHECK_H

#include "funcs.h"
#include "overlap_sweep.h"

#define AREA ((size_t)4 << 20)
#define GUARD 64

struct kernel {
	char name[64];
	memmove_func move;
	memset_func set;
};

static struct kernel Kernels[64];
static int Nkernels;
static char *Src, *Dst, *Ref;

static void
kc_add(const char *name, memmove_func mv, memset_func ms)
{
	struct kernel *k = &Kernels[Nkernels++];

	snprintf(k->name, sizeof(k->name), "%s", name);
	k->move = mv;
	k->set = ms;
}

static void
report(const struct kernel *k, size_t len, size_t doff, size_t soff,
	const char *got, const char *want, size_t span)
{
	for (size_t i = 0; i < span; i++) {
		if (got[i] != want[i]) {
			T_FAIL("%s len %zu dst+%zu src+%zu: byte %zd "
				"expected 0x%02x got 0x%02x", k->name, len,
				doff, soff, (ssize_t)i - GUARD,
				(unsigned char)want[i], (unsigned char)got[i]);
			return;
		}
	}
}

/*
 * The kernel writes Dst, libc writes Ref; both start with the same guard
 * pattern, GUARD bytes either side of the range must stay as they were.
 */
static void
check_one(const struct kernel *k, size_t doff, size_t soff, size_t len,
	int c)
{
	char *dst = Dst + GUARD + doff;
	char *ref = Ref + GUARD + doff;
	const char *src = Src + GUARD + soff;
	size_t span = len + 2 * GUARD;

	memset(Dst + doff, 0x5a, span);
	memset(Ref + doff, 0x5a, span);
	if (k->move) {
		k->move(dst, src, len);
		memmove(ref, src, len);
	} else {
		k->set(dst, c, len);
		memset(ref, c, len);
	}
	if (memcmp(Dst + doff, Ref + doff, span) != 0)
		report(k, len, doff, soff, Dst + doff, Ref + doff, span);
}

static void
group_pairs(void)
{
	for (int i = 0; i < Nkernels; i++) {
		const struct kernel *k = &Kernels[i];
		size_t soffs = k->move ? 64 : 1;

		for (size_t len = 0; len <= 256; len++)
			for (size_t doff = 0; doff < 64; doff++)
				for (size_t soff = 0; soff < soffs; soff++)
					check_one(k, doff, soff, len,
						(int)(len ^ doff));
	}
}

static void
group_sizes(void)
{
	static const size_t pairs[][2] = { {0, 0}, {1, 0}, {0, 1}, {7, 9},
		{8, 8}, {15, 49}, {31, 33}, {63, 1}, {40, 24}, {56, 63} };
	static const size_t large[] = { 4097, 8191, 8192 + 40,
		65536 + 17, (1u << 20) + 3, 3u << 20 };

	for (int i = 0; i < Nkernels; i++) {
		const struct kernel *k = &Kernels[i];

		for (size_t p = 0; p < sizeof(pairs) / sizeof(*pairs); p++)
			for (size_t len = 0; len <= 4096; len++)
				check_one(k, pairs[p][0], pairs[p][1], len,
					(int)len);
		for (size_t l = 0; l < sizeof(large) / sizeof(*large); l++)
			check_one(k, t_rnd() & 63, t_rnd() & 63, large[l],
				0xa5);
	}
}

static void
overlap_failed(const char *msg)
{
	T_FAIL("%s", msg);
}

/* overlapping moves in both directions, compared with libc memmove */
static void
group_overlap(void)
{
	static const size_t lens[] = { 1, 2, 7, 8, 9, 17, 63, 64, 65, 100,
		127, 128, 129, 255, 256, 300, 1000, 4096, 70000, 0 };
	static const size_t dists[] = { 1, 2, 4, 7, 8, 15, 16, 31, 32, 63,
		64, 65, 200, 255, 256, 257, 999, 0 };
	const struct overlap_sweep sweep = { lens, dists, 5, &T_seed,
		overlap_failed };

	for (int i = 0; i < Nkernels; i++)
		if (Kernels[i].move)
			overlap_sweep(&sweep, Kernels[i].name, Kernels[i].move,
				Dst, Ref);
}

/* one range ending at a guard page, one starting after one */
static void
edge_one(const struct kernel *k, char *dst, const char *src, size_t len,
	const char *where)
{
	memset(dst, 0, len);
	if (k->move) {
		k->move(dst, src, len);
		T_CHECK(memcmp(dst, src, len) == 0, "%s: copy at the %s, "
			"len %zu", k->name, where, len);
		return;
	}
	k->set(dst, 0x77, len);
	for (size_t j = 0; j < len; j++) {
		if (dst[j] != 0x77) {
			T_FAIL("%s: fill at the %s, len %zu", k->name, where,
				len);
			return;
		}
	}
}

/* a stray access just past either end of a buffer faults */
static void
group_edge(void)
{
	for (int i = 0; i < Nkernels; i++) {
		for (size_t len = 0; len <= 700; len += 1 + len / 32) {
			edge_one(&Kernels[i], Dst + AREA - len,
				Src + AREA - len, len, "end");
			edge_one(&Kernels[i], Dst, Src, len, "start");
		}
	}
}

static void
group_smoke(void)
{
	static const size_t pairs[][2] = { {0, 0}, {1, 2}, {3, 0}, {7, 9},
		{8, 8}, {31, 33}, {63, 1}, {40, 24} };
	static const size_t large[] = { 1000, 4096, 4097, 65536 + 9 };

	for (int i = 0; i < Nkernels; i++) {
		for (size_t p = 0; p < sizeof(pairs) / sizeof(*pairs); p++)
			for (size_t len = 0; len <= 300; len++)
				check_one(&Kernels[i], pairs[p][0],
					pairs[p][1], len, (int)len);
		for (size_t l = 0; l < sizeof(large) / sizeof(*large); l++)
			check_one(&Kernels[i], t_rnd() & 63, t_rnd() & 63,
				large[l], 0x5c);
	}
}

static const struct {
	const char *name;
	void (*fn)(void);
} Groups[] = {
	{ "pairs", group_pairs },
	{ "sizes", group_sizes },
	{ "overlap", group_overlap },
	{ "edge", group_edge },
	{ "smoke", group_smoke },
};

/* the buffers, then GROUP; the exit status, 2 for an unknown group */
static int
kc_run(const char *group)
{
	Src = t_guarded(AREA);
	Dst = t_guarded(AREA);
	Ref = t_guarded(AREA);
	t_fill_random(Src, AREA);
	for (size_t g = 0; g < sizeof(Groups) / sizeof(*Groups); g++) {
		if (strcmp(group, Groups[g].name) != 0)
			continue;
		Groups[g].fn();
		return t_result(group);
	}
	fprintf(stderr, "unknown group %s\n", group);
	return 2;
}

#endif
