/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the kernel says this POWER CPU is (AT_HWCAP2) and its data cache
 * block size (AT_DCACHEBSIZE).
 */
#ifndef PMEM_PPC64LE_CPU_H
#define PMEM_PPC64LE_CPU_H

#include <stddef.h>

enum cpu_feature {
	CPU_ARCH_3_1 = 1u << 0,	/* POWER10: dcbstps and phwsync proper */
};

unsigned cpu_features(void);
/* bytes per data cache block; *reported 0 when the kernel said nothing */
size_t cpu_cache_block(int *reported);

#endif
