/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * POWER CPU facts from the ELF auxiliary vector, the interface Linux
 * gives user space for them.
 */
#include <sys/auxv.h>

#include "cpu.h"
#include "flush.h"
#include "out.h"

/* the kernel ABI's values, for C libraries that lack the names */
#ifndef PPC_FEATURE2_ARCH_3_1
#define PPC_FEATURE2_ARCH_3_1 0x00040000
#endif
#ifndef AT_DCACHEBSIZE
#define AT_DCACHEBSIZE 19
#endif

/* CACHE_BLOCK_DEFAULT until arch_init() asks the kernel */
size_t Cache_block = CACHE_BLOCK_DEFAULT;

unsigned
cpu_features(void)
{
	unsigned long hwcap2 = getauxval(AT_HWCAP2);
	unsigned cpu = (hwcap2 & PPC_FEATURE2_ARCH_3_1) ? CPU_ARCH_3_1 : 0;

	LOG(4, "hwcap2 0x%lx: ISA 3.1 %d", hwcap2, !!(cpu & CPU_ARCH_3_1));
	return cpu;
}

/* a power of two from 16 bytes up, or the default */
size_t
cpu_cache_block(int *reported)
{
	unsigned long b = getauxval(AT_DCACHEBSIZE);

	*reported = b >= 16 && (b & (b - 1)) == 0;
	LOG(4, "AT_DCACHEBSIZE %lu", b);
	return *reported ? (size_t)b : CACHE_BLOCK_DEFAULT;
}
