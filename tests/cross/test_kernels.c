/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Every kernel an architecture lists (arch_kernels()) and the portable
 * ones, called directly and compared with libc under guard bytes and
 * guard pages (tests/lib/kernel_check.h), for the architectures whose
 * suites share tests/lib/cross_suite.sh. The portable kernels flush
 * through Funcs.flush: here the arch's real flush, as arch_init() chose
 * it for pmem_deep_flush.
 *
 * usage: test_kernels GROUP; GROUP is one of pairs, sizes, overlap,
 * edge, smoke
 */
#include "../lib/insn_trap.h"
#include "../lib/tlib.h"

#include "arch.h"
#include "funcs.h"

#include "../lib/kernel_check.h"
#include "../lib/kernel_list.h"

struct pmem_funcs Funcs;	/* memops_generic.c flushes through it */

int
main(int argc, char *argv[])
{
	static struct kernel_set set;
	struct arch_choice c = { .has_hw_drain = 0 };
	struct pmem_policy policy = { 1, 1, 0 };

	tl_usage(argc >= 2, argv[0], "GROUP");
	int trapping = trap_install();

	arch_init(&c, &policy);
	Funcs.flush = c.deep_flush.fn;
	kl_collect(&set, arch_cpu_features());
	for (size_t i = 0; i < set.n; i++)
		kc_add(set.k[i]->name, set.k[i]->move, set.k[i]->set);
	kl_report_skipped(&set);
	int rc = kc_run(argv[1]);

	printf("%s: %d kernels, flush %s, %s %s (%lu trapped)\n", argv[1],
		Nkernels, c.deep_flush.name, TRAP_FLUSH_NAME,
		trapping ? "traps" : "runs natively", Trap_flushes);
	return rc;
}
