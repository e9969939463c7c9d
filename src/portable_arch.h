/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The half of arch.h that an architecture with one write-back instruction
 * and no copy kernels of its own (ppc64le, riscv64) implements the same
 * way. Include it in that architecture's init.c after flush_table.h.
 */
#ifndef PMEM_PORTABLE_ARCH_H
#define PMEM_PORTABLE_ARCH_H

#include "arch.h"

/*
 * The rows of such an architecture: pmem_flush issues `real` (FLUSH_NONE
 * where the CPU offers no usable write-back) only where the generic layer
 * wants caches flushed, pmem_deep_flush issues it always, and every copy
 * runs the portable kernels, which flush through Funcs.flush.
 */
static void
portable_choice(struct arch_choice *c, const struct pmem_policy *policy,
	enum flush_kind real, struct fence_row fence)
{
	c->flush = Flushes[policy->flush_needed ? real : FLUSH_NONE];
	c->deep_flush = Flushes[real];
	c->fence = fence;
	c->has_hw_drain = 0;
	arch_generic_kernels(c);
}

/* the portable kernels are listed in Generic_kernels, not here */
const struct pmem_kernel *
arch_kernels(size_t *n)
{
	*n = 0;
	return NULL;
}

#endif
