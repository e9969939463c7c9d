/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cache-block clean and the drain fence for RISC-V (riscv64).
 *
 * cbo.clean (Zicbom) writes a dirty cache block back to memory and keeps
 * it cached. For memory ordering a cache-block management instruction
 * counts as a write to its whole block, so:
 *  - a store and a later cbo.clean of the same block stay in program
 *    order (same-address writes), and kernels clean with no barrier;
 *  - `fence w,w` after the cleans holds every one of them ahead of any
 *    later store (the commit record of a transaction): pmem_drain. Loads
 *    need no ordering against a clean, which changes no value, so the
 *    predecessor and successor sets are W alone.
 *
 * cbo.clean is emitted with .insn (MISC-MEM opcode 0x0f, funct3 2, rd 0,
 * imm 1 = clean) so the file builds without a Zicbom -march; init.c runs
 * it only where the kernel lets user mode do so.
 *
 * Without Zicbom nothing is flushed: as the reference does on riscv64,
 * the caches are then assumed to be inside the persistence domain.
 */
#ifndef PMEM_RISCV64_FLUSH_H
#define PMEM_RISCV64_FLUSH_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"
#include "util.h"

/* the Zicbom block size when the platform names none */
#define CACHE_BLOCK_DEFAULT 64

static force_inline void
cbo_clean(const char *p)
{
	TRACE_FLUSH(p);
	__asm__ volatile(".insn i 0x0f, 2, x0, %0, 1" : : "r"(p) : "memory");
}

#define BLOCK_FLUSH cbo_clean
#define BLOCK_FLUSH_KIND FLUSH_CBO_CLEAN
#define BLOCK_FLUSH_INSN "cbo.clean"
#include "block_flush.h"

/*
 * pmem_drain: earlier cleans and stores before any later store. Funcs.fence
 * points at it, so it is inline, not force_inline.
 */
static inline void
fence_w_w(void)
{
	TRACE_FENCE();
	__asm__ volatile("fence w, w" : : : "memory");
}

#endif
