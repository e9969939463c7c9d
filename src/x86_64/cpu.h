/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64 CPU features the library cares about, read once at load time. */
#ifndef PMEM_X86_CPU_H
#define PMEM_X86_CPU_H

enum cpu_feature {
	CPU_CLFLUSH	= 1 << 0,
	CPU_CLFLUSHOPT	= 1 << 1,
	CPU_CLWB	= 1 << 2,
	CPU_AVX		= 1 << 3,	/* CPU and OS (XCR0 YMM state) */
	CPU_AVX512F	= 1 << 4,	/* CPU and OS (XCR0 ZMM state) */
	CPU_MOVDIR64B	= 1 << 5,
	CPU_INTEL	= 1 << 6,	/* GenuineIntel: WC workaround default */
};

unsigned cpu_features(void);

#endif
