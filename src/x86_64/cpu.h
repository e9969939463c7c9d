/* SPDX-License-Identifier: BSD-3-Clause */
/* x86_64 CPU features the library cares about, read once at load time. */
#ifndef PMEM_X86_CPU_H
#define PMEM_X86_CPU_H

#include <stddef.h>

enum cpu_feature {
	CPU_CLFLUSH	= 1 << 0,
	CPU_CLFLUSHOPT	= 1 << 1,
	CPU_CLWB	= 1 << 2,
	CPU_AVX		= 1 << 3,	/* CPU and OS (XCR0 YMM state) */
	CPU_AVX512F	= 1 << 4,	/* CPU and OS (XCR0 ZMM state) */
	CPU_MOVDIR64B	= 1 << 5,
	CPU_INTEL	= 1 << 6,	/* GenuineIntel: WC workaround default */
};

enum cpu_vendor { VENDOR_OTHER, VENDOR_INTEL, VENDOR_AMD };

/* who made the CPU and which one it is: the policy table's keys */
struct cpu_model {
	enum cpu_vendor vendor;
	unsigned family;	/* display family: base + extended */
	unsigned model;		/* display model: extended model folded in */
	size_t llc_size;	/* last-level data cache, from CPUID; 0 unknown */
};

/* the feature bits; fills *model too unless it is NULL */
unsigned cpu_features(struct cpu_model *model);

#endif
