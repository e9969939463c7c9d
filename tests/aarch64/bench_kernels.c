/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Rough throughput of the aarch64 kernel families (NEON, general
 * registers, the generic 8-byte loop) without flushing. Under QEMU this
 * measures the emulator, not a CPU: use it only to compare families, and
 * never as a pass/fail test. run.sh runs it with PMEM_AARCH64_BENCH=1.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "../lib/tlib.h"

#include "arch.h"
#include "cpu.h"
#include "flush.h"
#include "funcs.h"
#include "kernels.h"

#include "../lib/kernel_list.h"

struct pmem_funcs Funcs;

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec * 1e-9;
}

static void
bench_move(const char *name, memmove_func fn, char *d, const char *s,
	size_t len)
{
	size_t total = 0;
	double t0 = now(), t;

	do {
		for (int i = 0; i < 16; i++)
			fn(d, s, len);
		total += 16 * len;
		t = now() - t0;
	} while (t < 0.3);
	printf("%-28s len %7zu: %8.1f MB/s\n", name, len,
		(double)total / t / 1e6);
}

static void
bench_set(const char *name, memset_func fn, char *d, size_t len)
{
	size_t total = 0;
	double t0 = now(), t;

	do {
		for (int i = 0; i < 16; i++)
			fn(d, 0x5a, len);
		total += 16 * len;
		t = now() - t0;
	} while (t < 0.3);
	printf("%-28s len %7zu: %8.1f MB/s\n", name, len,
		(double)total / t / 1e6);
}

int
main(void)
{
	static const size_t lens[] = { 64, 256, 4096, 1 << 20 };
	char *s = t_guarded(2 << 20), *d = t_guarded(2 << 20);
	static struct kernel_set set;

	Dcache_line = cpu_dcache_line();
	t_fill_random(s, 2 << 20);
	kl_collect(&set, arch_cpu_features());
	for (size_t l = 0; l < sizeof(lens) / sizeof(*lens); l++) {
		for (size_t i = 0; i < set.n; i++) {
			const struct pmem_kernel *k = set.k[i];

			/* ordinary and STNP copies, ordinary fills */
			if (k->flush != FLUSH_NONE ||
					(k->set && k->store == STORE_MOVNT))
				continue;
			if (k->move)
				bench_move(k->name, k->move, d + 1, s + 3,
					lens[l]);
			else
				bench_set(k->name, k->set, d + 1, lens[l]);
		}
	}
	return 0;
}
