/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flush kinds and the range loop of an architecture whose only flush
 * is one cache-block write-back instruction, stepped by a block size
 * read at load time (ppc64le, riscv64). Its flush.h defines, before
 * including this:
 *   BLOCK_FLUSH          the force_inline function that writes back the
 *                        block holding a byte: void f(const char *p)
 *   BLOCK_FLUSH_KIND     that flush kind's enum name
 *   BLOCK_FLUSH_INSN     the instruction's name, as the library prints it
 */
#ifndef PMEM_BLOCK_FLUSH_H
#define PMEM_BLOCK_FLUSH_H

#include <stddef.h>
#include <stdint.h>

#include "util.h"

/* the stride, set by arch_init() before any flush runs */
extern size_t Cache_block;

/* the flush kinds, in the order of the tables indexed by enum flush_kind */
#define FOR_EACH_FLUSH(X) \
	X(noflush, FLUSH_NONE, "none") \
	X(block, BLOCK_FLUSH_KIND, BLOCK_FLUSH_INSN)

#include "flush_kinds.h"

/* every cache block overlapping [addr, addr + len) */
static force_inline void
flush_blocks(enum flush_kind kind, const void *addr, size_t len)
{
	if (kind != FLUSH_NONE)
		FOR_EACH_BLOCK(addr, len, Cache_block, BLOCK_FLUSH);
}

#endif
