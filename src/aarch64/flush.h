/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Data cache maintenance by address and the drain barrier for aarch64.
 *
 * Where a clean goes:
 *   DC CVAC   to the point of coherency (every Armv8 CPU). Whether that
 *             reaches persistent memory depends on the system; it is the
 *             best a CPU without FEAT_DPB can do.
 *   DC CVAP   to the point of persistence (FEAT_DPB, HWCAP_DCPOP): the
 *             instruction made for pmem; it acts as DC CVAC where the
 *             system has no distinct point of persistence.
 *   DC CVADP  to the point of deep persistence (FEAT_DPB2, HWCAP2_DCPODP),
 *             which holds even if the energy the platform keeps for
 *             flushing its write queues on power loss runs out; that is
 *             what pmem_deep_flush promises, so only it uses CVADP.
 * All three clean without invalidating, so the line stays cached for
 * later reads (like CLWB, not CLFLUSH).
 *
 * Ordering and completion (Arm ARM, "Ordering and completion of data and
 * instruction cache instructions" and "Data Synchronization Barrier"):
 *  - A DC by address is ordered after earlier stores by the same CPU to
 *    the same smallest-size cache line of Normal write-back memory, so a
 *    kernel may store and clean a line with no barrier in between. (Only
 *    Device or Non-cacheable stores would need a DMB first; pmem mappings
 *    are Normal write-back.)
 *  - A DMB orders a DC against other memory accesses but does not wait for
 *    it to finish: after DMB ISH(ST) the clean may still be on its way to
 *    the point of persistence. Only a DSB completes cache maintenance, and
 *    only a DSB whose access types are reads and writes (not a ...ST or
 *    ...LD form), and only for observers within its shareability domain.
 *  - The clean has to be complete for every observer of the memory, the
 *    memory system and devices beyond the CPUs' inner-shareable domain
 *    included, so pmem_drain is DSB SY (full system, all access types):
 *    the barrier Linux issues after its own DC CVAP loop for pmem
 *    (dcache_clean_pop). A deliberate difference: the reference drains
 *    with DMB ISHST, which only orders the cleans; we wait for them as the
 *    architecture requires. The cost is one barrier per drain, not per
 *    line.
 *
 * DC CVAP and DC CVADP are written as their SYS encodings (op1 3, CRn 7,
 * CRm 12/13, op2 1) because the assembler takes those names only with
 * -march=armv8.2-a/armv8.5-a and this file must build for baseline Armv8;
 * init.c executes them only where the hwcaps say they exist.
 */
#ifndef PMEM_AARCH64_FLUSH_H
#define PMEM_AARCH64_FLUSH_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"
#include "util.h"

/*
 * The smallest D-cache line (CTR_EL0.DminLine), the step of every flush
 * loop; set by arch_init() before any kernel runs. Lines may be shorter
 * than CACHELINE_SIZE (QEMU's "max" CPU reports 32 bytes) or longer
 * (A64FX: 256).
 */
extern size_t Dcache_line;

/* the flush kinds, in the order of the tables indexed by enum flush_kind */
#define FOR_EACH_FLUSH(X) \
	X(noflush, FLUSH_NONE, "none") \
	X(cvac, FLUSH_CVAC, "dc cvac") \
	X(cvap, FLUSH_CVAP, "dc cvap") \
	X(cvadp, FLUSH_CVADP, "dc cvadp")

/* the kinds copy kernels are built for (CVADP is for deep flush only) */
#define FOR_EACH_KERNEL_FLUSH(X) \
	X(noflush, FLUSH_NONE) \
	X(cvac, FLUSH_CVAC) \
	X(cvap, FLUSH_CVAP)

#include "flush_kinds.h"

/* one DC; kind is a constant wherever this is inlined */
static force_inline void
dc_line(enum flush_kind kind, const char *p)
{
	switch (kind) {
	case FLUSH_CVAC:
		TRACE_FLUSH(p);
		__asm__ volatile("dc cvac, %0" : : "r"(p) : "memory");
		break;
	case FLUSH_CVAP:
		TRACE_FLUSH(p);
		__asm__ volatile("sys #3, c7, c12, #1, %0"
			: : "r"(p) : "memory");
		break;
	case FLUSH_CVADP:
		TRACE_FLUSH(p);
		__asm__ volatile("sys #3, c7, c13, #1, %0"
			: : "r"(p) : "memory");
		break;
	default:
		break;
	}
}

/* every D-cache line overlapping [addr, addr + len) */
static force_inline void
flush_lines(enum flush_kind kind, const void *addr, size_t len)
{
	if (kind == FLUSH_NONE)
		return;
#define DC_OF_KIND(p) dc_line(kind, (p))
	FOR_EACH_BLOCK(addr, len, Dcache_line, DC_OF_KIND);
#undef DC_OF_KIND
}

/*
 * After the last store to the 64-byte block at p (CACHELINE_SIZE
 * aligned): one DC when D-cache lines are at least that long, one per
 * line otherwise.
 */
static force_inline void
flush_block(enum flush_kind kind, const char *p)
{
	if (kind == FLUSH_NONE)
		return;
	dc_line(kind, p);
	if (unlikely(Dcache_line < CACHELINE_SIZE)) {
		for (size_t o = Dcache_line; o < CACHELINE_SIZE;
				o += Dcache_line)
			dc_line(kind, p + o);
	}
}

/*
 * pmem_drain: waits until every earlier store and DC has completed.
 * Funcs.fence points at it, so it is inline, not force_inline.
 */
static inline void
dsb_sy(void)
{
	TRACE_FENCE();
	__asm__ volatile("dsb sy" : : : "memory");
}

#endif
