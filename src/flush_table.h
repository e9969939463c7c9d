/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The flush table of an architecture, written once: include it in the
 * arch's init.c after its flush.h, which lists the flush kinds as
 * FOR_EACH_FLUSH(X) with X(name, kind, instruction), and after defining
 * ARCH_FLUSH_RANGE(kind, addr, len), its loop over the cache blocks. It
 * defines one range function per kind and Flushes[], the rows
 * arch_init() picks from, indexed by kind.
 */
#ifndef PMEM_FLUSH_TABLE_H
#define PMEM_FLUSH_TABLE_H

#include "arch.h"

#define FLUSH_TABLE_FN(name, kind, insn) \
static void \
flush_range_##name(const void *addr, size_t len) \
{ \
	ARCH_FLUSH_RANGE(kind, addr, len); \
}
FOR_EACH_FLUSH(FLUSH_TABLE_FN)
#undef FLUSH_TABLE_FN

static const struct flush_row Flushes[FLUSH_KINDS] = {
#define FLUSH_TABLE_ROW(name, kind, insn) [kind] = { flush_range_##name, insn },
	FOR_EACH_FLUSH(FLUSH_TABLE_ROW)
#undef FLUSH_TABLE_ROW
};

#endif
