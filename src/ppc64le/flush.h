/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Cache-block write-back and the drain barrier for POWER (ppc64le).
 *
 * dcbstps (POWER ISA 3.1, "data cache block store to persistent storage")
 * is dcbf with L=6: it writes a modified block back as far as the
 * persistence domain and keeps it cached. Processors before ISA 3.1
 * execute it as dcbf L=0, a flush that also invalidates the block, which
 * still reaches memory. phwsync is
 * sync with L=4: it waits until every earlier dcbstps has reached the
 * persistence domain; before ISA 3.1 it executes as hwsync (sync L=0),
 * which waits for every earlier storage access, flushes included.
 *
 * Ordering: a dcbstps acts on the block as this thread last stored it
 * (a thread's own accesses to one location are performed in program
 * order), so a kernel may store and flush with no barrier in between;
 * only the drain needs one.
 *
 * The assembler of a baseline (-mcpu=power8) toolchain rejects L values
 * above 3, so both are written under ".machine power10"; the encodings
 * run on every 64-bit POWER processor, as said above.
 */
#ifndef PMEM_PPC64LE_FLUSH_H
#define PMEM_PPC64LE_FLUSH_H

#include <stddef.h>
#include <stdint.h>

#include "trace.h"
#include "util.h"

/*
 * the cache block size when the kernel reports none (AT_DCACHEBSIZE):
 * 128 bytes on every POWER processor so far
 */
#define CACHE_BLOCK_DEFAULT 128

static force_inline void
dcbstps(const char *p)
{
	TRACE_FLUSH(p);
	__asm__ volatile(".machine push\n\t.machine power10\n\t"
		"dcbstps 0, %0\n\t.machine pop" : : "r"(p) : "memory");
}

#define BLOCK_FLUSH dcbstps
#define BLOCK_FLUSH_KIND FLUSH_DCBSTPS
#define BLOCK_FLUSH_INSN "dcbstps"
#include "block_flush.h"

/*
 * pmem_drain: waits until every earlier dcbstps has completed. Funcs.fence
 * points at it, so it is inline, not force_inline.
 */
static inline void
phwsync(void)
{
	TRACE_FENCE();
	/*
	 * the encoding of phwsync (sync L=4): clang's assembler (LLVM 14)
	 * knows dcbstps but not this mnemonic, even under .machine power10
	 */
	__asm__ volatile(".long 0x7c8004ac" : : : "memory");
}

#endif
