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
	enum flush_kind used = policy->flush_needed ? FLUSH_DCBSTPS :
		FLUSH_NONE;

	Cpu = cpu_features();
	Cache_block = cpu_cache_block(&Block_reported);
	LOG(3, "flush: %s every %zu bytes, drain: phwsync",
		Flushes[used].name, Cache_block);
	c->flush = Flushes[used];
	c->deep_flush = Flushes[FLUSH_DCBSTPS];
	c->fence = (struct fence_row){ phwsync, "phwsync" };
	c->has_hw_drain = 0;
	arch_generic_kernels(c);
}

unsigned
arch_cpu_features(void)
{
	return cpu_features();
}

/* no kernels of its own: see arch_init() */
const struct pmem_kernel *
arch_kernels(size_t *n)
{
	*n = 0;
	return NULL;
}

void
arch_describe(describe_func emit)
{
	emitf(emit, "CPU (ppc64le): ISA 3.1 %s (before it dcbstps runs as "
		"dcbf, phwsync as hwsync)", (Cpu & CPU_ARCH_3_1) ? "yes" : "no");
	emitf(emit, "cache block %zu bytes (%s)", Cache_block, Block_reported ?
		"AT_DCACHEBSIZE" : "default, AT_DCACHEBSIZE unset");
}
