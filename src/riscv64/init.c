/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * riscv64 half of pmem_init(): cbo.clean per Zicbom block where the
 * kernel lets user mode run it, otherwise no flush at all (caches taken
 * to be persistent, as the reference assumes on riscv64); fence w,w to
 * drain (flush.h); the portable 8-byte-store kernels for every copy.
 */
#include "arch.h"
#include "cpu.h"
#include "describe.h"
#include "flush.h"
#include "out.h"

size_t Cache_block = CACHE_BLOCK_DEFAULT;

#define ARCH_FLUSH_RANGE flush_blocks
#include "flush_table.h"
#include "portable_arch.h"

/* what arch_describe() reports */
static unsigned Cpu;
static struct cpu_source Source;

/*
 * Copies and fills use the portable kernels (memops_generic.c): RISC-V
 * has no non-temporal store, an aligned sd is single-copy atomic (the
 * 8-byte guarantee), and the vector extension is optional and absent
 * from the QEMU we test under, so a family of our own could be neither
 * measured nor run here.
 */
void
arch_init(struct arch_choice *c, const struct pmem_policy *policy)
{
	enum flush_kind real;

	Cpu = cpu_features(&Source);
	Cache_block = cpu_cbom_block(&Source);
	real = (Cpu & CPU_ZICBOM) ? FLUSH_CBO_CLEAN : FLUSH_NONE;
	if (real == FLUSH_NONE)
		LOG(3, "no Zicbom (%s): not flushing, CPU caches assumed to "
			"be in the persistence domain", Source.zicbom);
	else
		LOG(3, "Zicbom (%s): cbo.clean every %zu bytes (%s)",
			Source.zicbom, Cache_block, Source.block);
	if (real == FLUSH_NONE && policy->flush_needed)
		c->caches = "not flushed (no Zicbom: CPU caches assumed to "
			"be in the persistence domain)";
	portable_choice(c, policy, real,
		(struct fence_row){ fence_w_w, "fence w,w" });
}

unsigned
arch_cpu_features(void)
{
	struct cpu_source s;

	return cpu_features(&s);
}

void
arch_describe(describe_func emit)
{
	if (Cpu & CPU_ZICBOM)
		emitf(emit, "CPU (riscv64): Zicbom yes, says %s; cache block "
			"%zu bytes, says %s", Source.zicbom, Cache_block,
			Source.block);
	else
		emitf(emit, "CPU (riscv64): Zicbom no, says %s",
			Source.zicbom);
}
