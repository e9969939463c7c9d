/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * aarch64 CPU features from the ELF auxiliary vector, the interface
 * Linux defines for user space (the ID registers need kernel emulation),
 * and the D-cache line size.
 */
#include <stdint.h>

#include "cpu.h"
#include "flush.h"
#include "hwcap.h"
#include "out.h"

/* 64 until arch_init() reads CTR_EL0; see flush.h */
size_t Dcache_line = CACHELINE_SIZE;

unsigned
cpu_features(void)
{
	unsigned long hwcap = getauxval(AT_HWCAP);
	unsigned long hwcap2 = getauxval(AT_HWCAP2);
	unsigned cpu = 0;

	if (hwcap & HWCAP_ASIMD)
		cpu |= CPU_ASIMD;
	if (hwcap & HWCAP_DCPOP)
		cpu |= CPU_DCPOP;
	if (hwcap2 & HWCAP2_DCPODP)
		cpu |= CPU_DCPODP;
	LOG(4, "hwcap 0x%lx hwcap2 0x%lx: asimd %d dcpop %d dcpodp %d",
		hwcap, hwcap2, !!(cpu & CPU_ASIMD), !!(cpu & CPU_DCPOP),
		!!(cpu & CPU_DCPODP));
	return cpu;
}

/*
 * CTR_EL0 is readable at EL0 on Linux (the kernel sets SCTLR_EL1.UCT, or
 * traps and reports the system-wide safe value when cores differ).
 * DminLine, bits 19:16, is log2 of the line size in 4-byte words.
 */
size_t
cpu_dcache_line(void)
{
	uint64_t ctr;

	__asm__ volatile("mrs %0, ctr_el0" : "=r"(ctr));
	size_t line = (size_t)4 << ((ctr >> 16) & 0xf);

	LOG(4, "CTR_EL0 0x%llx: D-cache line %zu bytes",
		(unsigned long long)ctr, line);
	return line;
}
