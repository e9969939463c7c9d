/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The copy/fill kernel tables each aarch64 register family exports,
 * indexed by flush kind (rows for FLUSH_CVADP stay empty).
 */
#ifndef PMEM_AARCH64_KERNELS_H
#define PMEM_AARCH64_KERNELS_H

#include "flush.h"
#include "funcs.h"

struct arm_kernels {
	const char *isa;
	/* ordinary stores (STP), each line cleaned after its last store */
	struct memmove_kernel memmove_mov[FLUSH_KINDS];
	struct memset_kernel memset_mov[FLUSH_KINDS];
	/* whole lines by STNP, likewise cleaned: MEM_MOVNT */
	struct memmove_kernel memmove_movnt[FLUSH_KINDS];
	struct memset_kernel memset_movnt[FLUSH_KINDS];
};

extern const struct arm_kernels arm_kernels_neon;
extern const struct arm_kernels arm_kernels_gpr;

#endif
