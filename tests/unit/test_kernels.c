/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every compiled copy/fill kernel the CPU can run (each vector family x
 * flush kind x ordinary/streaming/WC-barrier, plus the generic ones),
 * called directly and compared with libc memmove/memset: lengths 0 to
 * three times the non-temporal threshold and a sample beyond, every
 * destination misalignment, overlaps both ways, guard pages behind the
 * buffers and guard bytes around the destination.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "arch.h"
#include "cpu.h"
#include "funcs.h"
#include "kernels.h"

#include "../lib/emu_kernels.h"
#include "../lib/guard.h"
#include "../lib/kernel_list.h"
#include "../lib/overlap_sweep.h"
#include "../lib/report.h"
#include "../lib/rnd.h"

#define AREA (4u << 20)		/* per buffer, between guard pages */
#define SMALL_MAX 800		/* every length up to here */

struct kernel {
	const char *name;
	memmove_func move;
	memset_func set;
};

static struct kernel Kernels[256];
static int Nkernels;
static char *Src_area, *Dst_area, *Ref_area;
static uint64_t Seed = 12345;

static void
add(const char *name, memmove_func mv, memset_func ms)
{
	if (mv == NULL && ms == NULL)
		return;
	Kernels[Nkernels].name = name;
	Kernels[Nkernels].move = mv;
	Kernels[Nkernels].set = ms;
	Nkernels++;
}

/* the emulated families' kernels (tests/lib/emu_kernels.h), for AVX CPUs */
static struct pmem_kernel Emu[2 * X86_FAMILY_KERNELS];

static void
add_set(const struct kernel_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		add(s->k[i]->name, s->k[i]->move, s->k[i]->set);
	kl_report_skipped(s);
}

static int
setup(void **state)
{
	(void) state;
	unsigned cpu = arch_cpu_features();

	pmem_init();	/* the generic kernels flush through Funcs */
	Src_area = guard_alloc(AREA);
	Dst_area = guard_alloc(AREA);
	Ref_area = guard_alloc(AREA);
	rnd_fill(&Seed, Src_area, AREA);

	static struct kernel_set set;
	size_t n = x86_family_list(&x86_kernels_emu_avx512f, CPU_AVX, Emu);

	n += x86_family_list(&x86_kernels_emu_movdir64b, CPU_AVX, Emu + n);
	kl_collect(&set, cpu);
	kl_add(&set, Emu, n, cpu);
	add_set(&set);
	printf("testing %d kernels\n", Nkernels);
	return 0;
}

static void
report(const struct kernel *k, const char *what, size_t len, size_t doff,
	size_t soff, const char *got, const char *want, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (got[i] != want[i])
			fail_msg("%s: %s len %zu dst+%zu src+%zu: byte %zd "
				"expected 0x%02x got 0x%02x", k->name, what,
				len, doff, soff, (ssize_t)i - 64,
				(unsigned char)want[i],
				(unsigned char)got[i]);
	}
}

/*
 * dst and ref hold the same guard pattern; the kernel works on dst,
 * libc on ref; 64 bytes on either side must stay untouched.
 */
static void
check_one(const struct kernel *k, char *dst_base, size_t doff,
	const char *src, size_t soff, size_t len, int c)
{
	char *dst = dst_base + 64 + doff;
	char *ref = Ref_area + 64 + doff;
	size_t span = len + 128 + doff;

	memset(dst_base, 0x5a, span);
	memset(Ref_area, 0x5a, span);
	if (k->move) {
		k->move(dst, src + soff, len);
		memmove(ref, src + soff, len);
	} else {
		k->set(dst, c, len);
		memset(ref, c, len);
	}
	if (memcmp(dst_base, Ref_area, span) != 0)
		report(k, k->move ? "copy" : "fill", len, doff, soff,
			dst_base + doff, Ref_area + doff, len + 128);
}

static void
test_lengths_and_alignments(void **state)
{
	(void) state;
	for (int i = 0; i < Nkernels; i++) {
		const struct kernel *k = &Kernels[i];

		for (size_t len = 0; len <= SMALL_MAX; len++)
			for (size_t doff = 0; doff < 64; doff++)
				check_one(k, Dst_area, doff, Src_area,
					(doff * 7 + len) & 63, len,
					(int)(len * 31 + doff));
		/* all 64 x 64 alignment pairs for a few telling sizes */
		static const size_t sizes[] = { 1, 8, 63, 64, 65, 255, 256,
			257, 511, 1000 };
		for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++)
			for (size_t doff = 0; doff < 64; doff++)
				for (size_t soff = 0; soff < 64; soff++)
					check_one(k, Dst_area, doff, Src_area,
						soff, sizes[s], 0x100 + 7);
	}
}

static void
test_large(void **state)
{
	(void) state;
	static const size_t sizes[] = { 4095, 4096, 65536 + 17,
		(1u << 20) + 3, (3u << 20) };
	for (int i = 0; i < Nkernels; i++)
		for (size_t s = 0; s < sizeof(sizes) / sizeof(*sizes); s++)
			check_one(&Kernels[i], Dst_area,
				rnd_below(&Seed, 64), Src_area,
				rnd_below(&Seed, 64), sizes[s], -3);
}

/* the end of the destination touches the guard page */
static void
test_buffer_end(void **state)
{
	(void) state;
	for (int i = 0; i < Nkernels; i++) {
		const struct kernel *k = &Kernels[i];

		for (size_t len = 0; len <= 600; len += 1 + len / 16) {
			char *dst = Dst_area + AREA - len;
			const char *src = Src_area + AREA - len;

			memset(dst, 0, len);
			if (k->move) {
				k->move(dst, src, len);
				if (memcmp(dst, src, len) != 0)
					fail_msg("%s: end copy len %zu",
						k->name, len);
			} else {
				k->set(dst, 0x77, len);
				for (size_t j = 0; j < len; j++)
					if (dst[j] != 0x77)
						fail_msg("%s: end fill %zu",
							k->name, len);
			}
		}
	}
}

static void
overlap_failed(const char *msg)
{
	fail_msg("%s", msg);
}

/* overlapping moves in both directions, compared with libc memmove */
static void
test_overlap(void **state)
{
	(void) state;
	static const size_t lens[] = { 2, 17, 64, 65, 100, 255, 256, 300,
		1000, 4096, 70000, 0 };
	static const size_t dists[] = { 1, 7, 8, 31, 63, 64, 65, 200, 255,
		256, 257, 999, 0 };
	static const struct overlap_sweep sweep = { lens, dists, 9,
		&Seed, overlap_failed };

	for (int i = 0; i < Nkernels; i++)
		if (Kernels[i].move)
			overlap_sweep(&sweep, Kernels[i].name, Kernels[i].move,
				Dst_area, Ref_area);
}

/*
 * Streaming copies prefetch their source as far ahead as the CPU's row
 * says (not at all on some rows, so pmem_init()'s choice alone would
 * leave that code untested there): at distances below one step, around
 * the copy's own length and past it, every move copies right, in both
 * directions, and a copy ending at the guard page prefetches past it
 * without a fault.
 */
static void
test_prefetch_distances(void **state)
{
	static const size_t aheads[] = { 0, 64, 512, 4096, 8192, 65536 };
	static const size_t lens[] = { 65, 600, 4096 + 3, 70000, 0 };
	static const size_t dists[] = { 8, 64, 4096, 0 };
	static const struct overlap_sweep sweep = { lens, dists, 21,
		&Seed, overlap_failed };
	const size_t saved = Prefetch_ahead, len = (1u << 20) + 3;

	(void) state;
	for (size_t a = 0; a < sizeof(aheads) / sizeof(*aheads); a++) {
		Prefetch_ahead = aheads[a];
		for (int i = 0; i < Nkernels; i++) {
			const struct kernel *k = &Kernels[i];

			if (k->move == NULL)
				continue;
			overlap_sweep(&sweep, k->name, k->move, Dst_area,
				Ref_area);
			k->move(Dst_area, Src_area + AREA - len, len);
			if (memcmp(Dst_area, Src_area + AREA - len, len))
				fail_msg("%s: prefetch %zu: copy from the end",
					k->name, aheads[a]);
		}
	}
	Prefetch_ahead = saved;
}

/*
 * Kernels with whole-line stores (MOVDIR64B, real or emulated) use them
 * for streaming copies of Line_stream_copy_min bytes and more: at 0 every
 * length takes that path (overlaps both ways included), and at the
 * load-time size the lengths on either side of it take each path.
 */
static void
test_line_stream_sizes(void **state)
{
	static const size_t lens[] = { 65, 600, 4096 + 3, 70000, 0 };
	static const size_t dists[] = { 1, 8, 64, 65, 4096, 0 };
	const size_t saved = Line_stream_copy_min;
	const size_t edge_lens[] = { saved - 1, saved, saved + 64 + 3, 0 };
	const size_t edge_dists[] = { 8, 64, 4096, 0 };
	const struct overlap_sweep small = { lens, dists, 9, &Seed,
		overlap_failed };
	const struct overlap_sweep edge = { edge_lens, edge_dists, 21, &Seed,
		overlap_failed };

	(void) state;
	for (int i = 0; i < Nkernels; i++) {
		const struct kernel *k = &Kernels[i];

		if (k->move == NULL)
			continue;
		Line_stream_copy_min = 0;
		overlap_sweep(&small, k->name, k->move, Dst_area, Ref_area);
		Line_stream_copy_min = saved;
		overlap_sweep(&edge, k->name, k->move, Dst_area, Ref_area);
		for (const size_t *l = edge_lens; *l; l++)
			check_one(k, Dst_area, rnd_below(&Seed, 64), Src_area,
				rnd_below(&Seed, 64), *l, 0);
	}
	Line_stream_copy_min = saved;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_lengths_and_alignments),
		cmocka_unit_test(test_line_stream_sizes),
		cmocka_unit_test(test_large),
		cmocka_unit_test(test_buffer_end),
		cmocka_unit_test(test_overlap),
		cmocka_unit_test(test_prefetch_distances),
	};

	return cmocka_run_group_tests_name("kernels", tests, setup, NULL);
}
