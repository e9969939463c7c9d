/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * What Linux says this RISC-V hart can do for persistence: whether user
 * mode may run Zicbom's cbo.clean, the cache block size, and how it knows.
 */
#ifndef PMEM_RISCV64_CPU_H
#define PMEM_RISCV64_CPU_H

#include <stddef.h>

enum cpu_feature {
	CPU_ZICBOM = 1u << 0,	/* cbo.clean usable in user mode */
};

/* where the answers came from, for arch_describe() */
struct cpu_source {
	const char *zicbom;	/* "riscv_hwprobe", "/proc/cpuinfo", ... */
	const char *block;	/* "riscv_hwprobe", "device tree", ... */
};

unsigned cpu_features(struct cpu_source *src);
/* bytes per Zicbom cache block, 64 when nothing says */
size_t cpu_cbom_block(struct cpu_source *src);

#endif
