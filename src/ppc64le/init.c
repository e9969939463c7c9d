/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * ppc64le half of pmem_init(): dcbstps per cache block to flush, phwsync
 * to drain (flush.h), the kernel's cache block size as the stride, and
 * the portable 8-byte-store kernels for every copy. The x86-only tuning
 * variables mean nothing here and are ignored, as the reference does.
 */
#include "arch.h"
#include "cpu.h"
#include "describe.h"
#include "flush.h"
#include "out.h"

#define ARCH_FLUSH_RANGE flush_blocks
#include "flush_table.h"
#include "portable_arch.h"

/* what arch_describe() reports */
static unsigned Cpu;
static int Block_reported;

/*
 * Copies and fills use the portable kernels (memops_generic.c), chosen
 * by reasoning, not measurement (emulation cannot measure speed):
 *  - POWER has no non-temporal or cache-bypassing store, so a family of
 *    our own would differ from them only in register width;
 *  - an aligned std is single-copy atomic, which is the 8-byte guarantee
 *    as it stands; VSX stores are atomic per doubleword only under
 *    alignment rules a template would have to prove for each access;
 *  - a persistent copy waits for each 128-byte block to reach the
 *    persistence domain (dcbstps, then phwsync), and that trip, not the
 *    16 std per block, bounds its speed.
 * A VSX family is worth measuring on POWER9/POWER10 hardware.
 */
void
arch_init(struct arch_choice *c, const struct pmem_policy *policy)
{
	Cpu = cpu_features();
	Cache_block = cpu_cache_block(&Block_reported);
	portable_choice(c, policy, FLUSH_DCBSTPS,
		(struct fence_row){ phwsync, "phwsync" });
	LOG(3, "flush: %s every %zu bytes, drain: phwsync", c->flush.name,
		Cache_block);
}

unsigned
arch_cpu_features(void)
{
	return cpu_features();
}

void
arch_describe(describe_func emit)
{
	emitf(emit, "CPU (ppc64le): ISA 3.1 %s (before it dcbstps runs as "
		"dcbf, phwsync as hwsync)", (Cpu & CPU_ARCH_3_1) ? "yes" : "no");
	emitf(emit, "cache block %zu bytes (%s)", Cache_block, Block_reported ?
		"AT_DCACHEBSIZE" : "default, AT_DCACHEBSIZE unset");
}
