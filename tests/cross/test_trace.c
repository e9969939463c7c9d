/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush coverage for the architectures of tests/lib/cross_suite.sh, from
 * a build of their sources with -DPMEM_TRACE (what each call must
 * satisfy: tests/lib/trace_cover.h).
 *
 * usage: test_trace GROUP [block=N] [step=N]; GROUP is one of
 *   kernels  every listed and portable kernel at many lengths,
 *            alignments and overlaps, flushing with the arch's real
 *            flush; block= pretends the cache block is N bytes, step=
 *            tests every Nth destination alignment
 *   range    the rows arch_init() chooses with flush_needed 1 and 0:
 *            pmem_flush/deep_flush ranges, the fence, the kernels; where
 *            the instructions trap, one trapped per traced flush/fence
 * On riscv64 zicbom=1 pretends the kernel offers Zicbom (QEMU 7.2 has
 * none), so the cbo.clean paths run; they trap and are counted.
 */
#include "../lib/insn_trap.h"
#include "../lib/tlib.h"

#include "arch.h"
#include "cpu.h"
#include "flush.h"
#include "funcs.h"

#include "../lib/kernel_list.h"

struct pmem_funcs Funcs;	/* memops_generic.c flushes through it */

#define TRACE_LINE Cache_block
#include "../lib/trace_cover.h"

static int Trapping;

#ifdef __riscv
static int Fake_zicbom;

/* linked with -Wl,--wrap=cpu_features */
unsigned __real_cpu_features(struct cpu_source *src);
unsigned __wrap_cpu_features(struct cpu_source *src);

unsigned
__wrap_cpu_features(struct cpu_source *src)
{
	unsigned f = __real_cpu_features(src);

	if (Fake_zicbom) {
		src->zicbom = "test_trace zicbom=1";
		f |= CPU_ZICBOM;
	}
	return f;
}
#endif

/* every listed and portable kernel, flushing with the real flush */
static void
group_kernels(const struct flush_row *real, size_t step)
{
	static struct kernel_set set;
	int flushes = strcmp(real->name, "none") != 0;

	Funcs.flush = real->fn;
	kl_collect(&set, arch_cpu_features());
	for (size_t i = 0; i < set.n; i++)
		sweep_kernel(set.k[i], set.k[i]->flush != 0 && flushes, step);
}

/* one range flush; where it traps, one instruction per traced clean */
static void
range_counted(const char *name, flush_func fn, int flushing, size_t doff,
	size_t len)
{
	unsigned long t0 = Trap_flushes;

	check_range(name, fn, flushing, doff, len);
	if (Trapping)
		T_CHECK(Trap_flushes - t0 == C.flushes, "%s len %zu: %lu %s "
			"executed, %lu traced", name, len, Trap_flushes - t0,
			TRAP_FLUSH_NAME, C.flushes);
}

static void
range_table(int flush_needed)
{
	struct arch_choice f = { .has_hw_drain = 0 };
	struct pmem_policy policy = { flush_needed, 1, 0 };
	int real = 0;

	arch_init(&f, &policy);
	real = strcmp(f.deep_flush.name, "none") != 0;
	for (size_t len = 0; len <= 700; len += 1 + len / 8)
		for (size_t doff = 0; doff < 128; doff += 9) {
			range_counted("flush", f.flush.fn, flush_needed && real,
				doff, len);
			range_counted("deep_flush", f.deep_flush.fn, real,
				doff, len);
		}
	unsigned long fences0 = Trap_fences;

	C.fences = 0;
	f.fence.fn();
	T_CHECK(C.fences == 1, "fence reported %lu times", C.fences);
#ifdef __powerpc64__
	if (Trapping)
		T_CHECK(Trap_fences - fences0 == 1, "%lu phwsync for a fence",
			Trap_fences - fences0);
#endif
	(void) fences0;
	T_CHECK(f.has_hw_drain == 0, "has_hw_drain %d", f.has_hw_drain);

	/* the table's kernels with and without flush_needed */
	Funcs.flush = f.flush.fn;
	int fl = flush_needed && real;

	trace_move("MEM_MOV", f.memmove[MEM_MOV].fn, fl, 0, 3, 5000, 1000);
	trace_move("MEM_MOVNT", f.memmove[MEM_MOVNT].fn, fl, 0, 3, 5000,
		1000);
	trace_move("MEM_MOV_NOFLUSH", f.memmove[MEM_MOV_NOFLUSH].fn, 0, 0, 3,
		5000, 1000);
	trace_set("MEM_MOV set", f.memset[MEM_MOV].fn, fl, 0, 3, 1000);
	trace_set("MEM_MOVNT set", f.memset[MEM_MOVNT].fn, fl, 0, 3, 1000);
	trace_set("MEM_MOV_NOFLUSH set", f.memset[MEM_MOV_NOFLUSH].fn, 0, 0,
		3, 1000);
	printf("flush_needed %d: flush %s, deep flush %s, drain %s, cache "
		"block %zu\n", flush_needed, f.flush.name, f.deep_flush.name,
		f.fence.name, Cache_block);
}

int
main(int argc, char *argv[])
{
	size_t block = 0, step = 1;
	struct arch_choice c = { .has_hw_drain = 0 };
	struct pmem_policy policy = { 1, 1, 0 };

	tl_usage(argc >= 2, argv[0], "kernels|range [block=N] [step=N]");
	for (int i = 2; i < argc; i++) {
		if (t_arg(argv[i], "block", &block) ||
				t_arg(argv[i], "step", &step))
			continue;
#ifdef __riscv
		if (strcmp(argv[i], "zicbom=1") == 0)
			Fake_zicbom = 1;
#endif
	}
	Trapping = trap_install();
	Area = t_guarded(BUF);
	Ref = t_guarded(BUF);
	arch_init(&c, &policy);
	if (block)
		Cache_block = block;
	if (Cache_block < 16 || (Cache_block & (Cache_block - 1)) ||
			step < 1) {
		fprintf(stderr, "bad block size %zu or step\n", Cache_block);
		return 2;
	}
	if (strcmp(argv[1], "kernels") == 0)
		group_kernels(&c.deep_flush, step);
	else if (strcmp(argv[1], "range") == 0)
		range_table(1), range_table(0);
	else
		return 2;
	printf("%s: cache block %zu, %s %s, %lu trapped\n", argv[1],
		Cache_block, TRAP_FLUSH_NAME, Trapping ? "traps" :
		"runs natively", Trap_flushes);
	return t_result(argv[1]);
}
