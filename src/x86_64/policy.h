/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * Which kernel family each kind of copy uses on which CPU: one table,
 * keyed on vendor, family, model and features, each row carrying the
 * measurement it rests on (policy.c). init.c applies the tuning variables
 * on top.
 */
#ifndef PMEM_X86_POLICY_H
#define PMEM_X86_POLICY_H

#include <stddef.h>

#include "cpu.h"

/*
 * kernel families, narrowest first: a CPU that lacks a vector family gets
 * the next narrower one; MOVDIR64B only copies, and only where a row or
 * PMEM_MOVDIR64B asks for it
 */
enum x86_family { FAM_SSE2, FAM_AVX, FAM_AVX512F, FAM_MOVDIR64B };

struct x86_policy {
	const char *name;	/* "Intel with AVX-512" */
	enum cpu_vendor vendor;
	unsigned family;	/* CPUID display family; 0: any */
	unsigned model;		/* CPUID display model; 0: any */
	unsigned needs;		/* CPU_* bits the row requires */

	enum x86_family mov;	/* ordinary stores + flush */
	enum x86_family copy_nt;	/* streaming copies */
	enum x86_family fill_nt;	/* streaming fills */
	int wc_barrier;		/* fence between streamed and later stores */
	int subline;		/* stream partial lines too (NT_SUBLINE) */
	size_t prefetch_ahead;	/* streaming copies prefetch this far ahead */
	/*
	 * Unflagged overlapping moves shorter than this use ordinary stores
	 * (they read the lines they write, which are then cached); init.c
	 * also stops at half the last-level cache. 0: the plain threshold.
	 */
	size_t overlap_mov_below;
	/*
	 * Overlapping moves at least far_dist apart that write whole lines
	 * use ordinary stores only below far_mov_below (pmem.c, move_kind).
	 * far_dist 0: the distance does not matter.
	 */
	size_t far_dist;
	size_t far_mov_below;
	const char *why;	/* the measurement: command, machine, figure */
};

/* the first row that matches the CPU; the last row matches every CPU */
const struct x86_policy *policy_find(unsigned cpu,
	const struct cpu_model *model);

#endif
