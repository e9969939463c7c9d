/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The aarch64 copy/fill kernels (both register families, ordinary and
 * STNP, every flush kind the CPU runs, plus the generic ones) called
 * directly and compared with libc memmove/memset, with guard bytes around
 * every destination and guard pages behind the buffers.
 *
 * usage: test_kernels GROUP [kinds=K,...]; GROUP is one of pairs, sizes,
 * overlap, edge, smoke (tests/lib/kernel_check.h).
 * kinds= picks the flush kinds (none, cvac, cvap) whose kernels run;
 * default: every kind the CPU has. The flush kind changes only which DC
 * instruction runs, never a stored byte, so callers split the sweeps.
 * The generic kernels run with every selection: the flushing one with
 * the last flushing kind selected, the other when "none" is.
 */
#include "dctrap.h"
#include "../lib/tlib.h"

#include "arch.h"
#include "cpu.h"
#include "flush.h"
#include "funcs.h"
#include "kernels.h"

#include "../lib/kernel_check.h"
#include "../lib/kernel_list.h"

struct pmem_funcs Funcs;	/* memops_generic.c flushes through it */

static enum flush_kind Generic_kind;
static const char *const Kind_names[] = { "none", "cvac", "cvap" };

static void
flush_generic(const void *addr, size_t len)
{
	flush_lines(Generic_kind, addr, len);
}

/*
 * The listed kernels of the selected flush kinds the CPU can execute (DC
 * CVAP needs FEAT_DPB; where the emulator traps it, dctrap steps over
 * it), and the generic ones flushing with the last flushing kind chosen.
 */
static void
setup_kernels(const char *kinds)
{
	static struct kernel_set set;
	int with_none = 0;

	Dcache_line = cpu_dcache_line();
	Generic_kind = FLUSH_NONE;
	kl_collect(&set, arch_cpu_features());
	for (size_t i = 0; i < set.n; i++) {
		const struct pmem_kernel *k = set.k[i];

		/* the generic ones come below, flushing by Generic_kind */
		if (strcmp(k->family, "generic") == 0 ||
				(kinds && !strstr(kinds, Kind_names[k->flush])))
			continue;
		if (k->flush != FLUSH_NONE)
			Generic_kind = (enum flush_kind)k->flush;
		else
			with_none = 1;
		kc_add(k->name, k->move, k->set);
	}
	Funcs.flush = flush_generic;
	kc_add("memmove_generic_flush", memmove_generic_flush, NULL);
	kc_add("memset_generic_flush", NULL, memset_generic_flush);
	if (with_none) {
		kc_add("memmove_generic_noflush", memmove_generic_noflush, NULL);
		kc_add("memset_generic_noflush", NULL, memset_generic_noflush);
	}
}

int
main(int argc, char *argv[])
{
	tl_usage(argc >= 2, argv[0], "GROUP [kinds=K,...]");
	int trapping = dctrap_install();

	setup_kernels(argc > 2 && strncmp(argv[2], "kinds=", 6) == 0 ?
		argv[2] + 6 : NULL);
	int rc = kc_run(argv[1]);

	printf("%s: %d kernels, D-cache line %zu, DC CVAP %s (%lu trapped)\n",
		argv[1], Nkernels, Dcache_line, trapping ? "traps" :
		"runs natively", Dc_cvap_traps);
	return rc;
}
