/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What the kernel says this aarch64 CPU can do (AT_HWCAP, AT_HWCAP2) and
 * the D-cache line size from CTR_EL0.
 */
#ifndef PMEM_AARCH64_CPU_H
#define PMEM_AARCH64_CPU_H

#include <stddef.h>

enum cpu_feature {
	CPU_ASIMD = 1u << 0,	/* Advanced SIMD (NEON) registers usable */
	CPU_DCPOP = 1u << 1,	/* DC CVAP */
	CPU_DCPODP = 1u << 2,	/* DC CVADP */
};

unsigned cpu_features(void);
/* smallest data cache line in bytes (CTR_EL0.DminLine) */
size_t cpu_dcache_line(void);

#endif
