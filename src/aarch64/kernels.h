/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The copy/fill kernel table each aarch64 register family exports: one
 * row per flush kind (the row for FLUSH_CVADP stays empty).
 */
#ifndef PMEM_AARCH64_KERNELS_H
#define PMEM_AARCH64_KERNELS_H

#include "flush.h"
#include "funcs.h"

struct arm_kernel_row {
	/* ordinary stores (STP), each line cleaned after its last store */
	struct memmove_kernel memmove_mov;
	struct memset_kernel memset_mov;
	/* whole lines by STNP, likewise cleaned: MEM_MOVNT */
	struct memmove_kernel memmove_movnt;
	struct memset_kernel memset_movnt;
};

struct arm_kernels {
	const char *isa;
	struct arm_kernel_row rows[FLUSH_KINDS];
};

extern const struct arm_kernels arm_kernels_neon;
extern const struct arm_kernels arm_kernels_gpr;

#endif
