/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Flush coverage and the 8-byte store guarantee of the aarch64 kernels,
 * from a build of them with -DPMEM_TRACE: every store, DC and DSB they
 * issue is reported to the hooks below, in program order.
 *
 * usage: test_trace GROUP [line=N] [step=N]; GROUP is one of
 *   kernels  every kernel at many lengths, alignments and overlaps;
 *            line= pretends the D-cache line is N bytes (the flush loops
 *            step by it), step= tests every Nth destination alignment
 *   range    the dispatch table arch_init() builds: pmem_flush/deep_flush
 *            ranges, the fence, kernels with and without flush_needed
 * What each call must satisfy: tests/lib/trace_cover.h.
 */
#include "dctrap.h"
#include "../lib/tlib.h"

#include "arch.h"
#include "cpu.h"
#include "flush.h"
#include "funcs.h"
#include "kernels.h"

#include "../lib/kernel_list.h"

struct pmem_funcs Funcs;	/* memops_generic.c flushes through it */

#define TRACE_LINE Dcache_line
#include "../lib/trace_cover.h"

static int Trapping;	/* DC CVAP raises SIGILL here (see dctrap.h) */
static enum flush_kind Generic_kind;

static void
flush_generic(const void *addr, size_t len)
{
	flush_lines(Generic_kind, addr, len);
}

/*
 * DC CVAP kernels only where the CPU has it and not with a pretend line
 * size, at fewer alignments when it traps (a signal per DC). The generic
 * kernels report their stores as one range, so only their flush coverage
 * is checked.
 */
static void
group_kernels(int with_cvap, size_t step1)
{
	static struct kernel_set set;

	kl_collect(&set, arch_cpu_features());
	for (size_t i = 0; i < set.n; i++) {
		const struct pmem_kernel *k = set.k[i];

		if (strcmp(k->family, "generic") == 0 ||
				(k->flush == FLUSH_CVAP && !with_cvap))
			continue;
		sweep_kernel(k, k->flush != FLUSH_NONE,
			(k->flush == FLUSH_CVAP && Trapping) ? 7 : step1);
	}
	Generic_kind = FLUSH_CVAC;
	Funcs.flush = flush_generic;
	step1 = step1 < 3 ? 3 : step1;
	sweep_move("memmove_generic_flush", memmove_generic_flush, 1, 0,
		step1);
	sweep_set("memset_generic_flush", memset_generic_flush, 1, 0, step1);
	sweep_move("memmove_generic_noflush", memmove_generic_noflush, 0, 0,
		step1);
	sweep_set("memset_generic_noflush", memset_generic_noflush, 0, 0,
		step1);
}


static void
range_table(int flush_needed)
{
	struct arch_choice f = { .has_hw_drain = 0 };
	struct pmem_policy policy = { flush_needed, 1, 0 };
	unsigned long cvap0 = Dc_cvap_traps, cvadp0 = Dc_cvadp_traps;
	unsigned cpu = cpu_features();

	arch_init(&f, &policy);
	for (size_t len = 0; len <= 300; len += 1 + len / 8)
		for (size_t doff = 0; doff < 64; doff += 9) {
			check_range("flush", f.flush.fn, flush_needed, doff,
				len);
			check_range("deep_flush", f.deep_flush.fn, 1, doff,
				len);
		}
	C.fences = 0;
	f.fence.fn();
	T_CHECK(C.fences == 1, "fence reported %lu times", C.fences);
	T_CHECK(f.has_hw_drain == 0, "has_hw_drain %d", f.has_hw_drain);

	/* what the table's kernels do with and without flush_needed */
	trace_move("MEM_MOV", f.memmove[MEM_MOV].fn, flush_needed, 1, 3, 5000,
		1000);
	trace_move("MEM_MOVNT", f.memmove[MEM_MOVNT].fn, flush_needed, 1, 3,
		5000, 1000);
	trace_move("MEM_MOV_NOFLUSH", f.memmove[MEM_MOV_NOFLUSH].fn, 0, 1, 3,
		5000, 1000);
	trace_set("MEM_MOV set", f.memset[MEM_MOV].fn, flush_needed, 1, 3,
		1000);
	trace_set("MEM_MOVNT set", f.memset[MEM_MOVNT].fn, flush_needed, 1, 3,
		1000);
	trace_set("MEM_MOV_NOFLUSH set", f.memset[MEM_MOV_NOFLUSH].fn, 0, 1,
		3, 1000);

	/* which clean instruction ran, where the emulator lets us count */
	if (Trapping && (cpu & CPU_DCPOP) && flush_needed)
		T_CHECK(Dc_cvap_traps > cvap0, "CPU has DC CVAP, pmem_flush "
			"did not use it");
	if (Trapping && (cpu & CPU_DCPODP))
		T_CHECK(Dc_cvadp_traps > cvadp0, "CPU has DC CVADP, "
			"deep_flush did not use it");
	if (!(cpu & CPU_DCPOP))
		T_CHECK(Dc_cvap_traps == cvap0, "DC CVAP issued on a CPU "
			"without it");
	if (!(cpu & CPU_DCPODP))
		T_CHECK(Dc_cvadp_traps == cvadp0, "DC CVADP issued on a CPU "
			"without it");
	printf("flush_needed %d: DC CVAP trapped %lu, DC CVADP trapped %lu\n",
		flush_needed, Dc_cvap_traps - cvap0, Dc_cvadp_traps - cvadp0);
}

static void
group_range(void)
{
	range_table(1);
	range_table(0);
}

int
main(int argc, char *argv[])
{
	size_t line = 0, step = 1;

	tl_usage(argc >= 2, argv[0], "kernels|range [line=N] [step=N]");
	for (int i = 2; i < argc; i++)
		if (!t_arg(argv[i], "line", &line))
			t_arg(argv[i], "step", &step);
	Trapping = dctrap_install();
	Area = t_guarded(BUF);
	Ref = t_guarded(BUF);
	Dcache_line = line ? line : cpu_dcache_line();
	if (Dcache_line < 16 || (Dcache_line & (Dcache_line - 1)) ||
			step < 1) {
		fprintf(stderr, "bad line size %zu or step\n", Dcache_line);
		return 2;
	}
	/*
	 * DC CVAP kernels at the real line size only: a pretend one is for
	 * the stepping logic, which all kinds share.
	 */
	if (strcmp(argv[1], "kernels") == 0)
		group_kernels(!line && (cpu_features() & CPU_DCPOP), step);
	else if (strcmp(argv[1], "range") == 0)
		group_range();
	else
		return 2;
	printf("%s: D-cache line %zu, DC CVAP %s\n", argv[1], Dcache_line,
		Trapping ? "traps" : "runs natively");
	return t_result(argv[1]);
}
