/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The seam between the generic library and one CPU architecture
 * (src/<arch>/). Generic code never asks which architecture it runs on.
 */
#ifndef PMEM_ARCH_H
#define PMEM_ARCH_H

#include "funcs.h"

/* decisions the generic layer makes from the environment and the platform */
struct pmem_policy {
	int flush_needed;	/* 0 under eADR or PMEM_NO_FLUSH=1 */
	int use_movnt;		/* 0 with PMEM_NO_MOVNT=1 */
	size_t llc_size;	/* last-level cache as sysfs says; 0 unknown */
};

/* a flush or fence primitive and the instruction it issues, in words */
struct flush_row {
	flush_func fn;
	const char *name;
};

struct fence_row {
	fence_func fn;
	const char *name;
};

/*
 * What an architecture chose; pmem_init() copies it into Funcs. The
 * kernels are rows of the architecture's tables (or the portable rows
 * below); kernels[MEM_MOV] and [MEM_MOVNT] flush as flush.fn does.
 */
struct arch_choice {
	struct flush_row flush;		/* none without flush_needed */
	struct flush_row deep_flush;	/* always a real write-back */
	struct fence_row fence;
	int has_hw_drain;
	/* NULL, or why caches go unflushed where the generic layer said */
	const char *caches;
	struct memmove_kernel memmove[MEM_KINDS];
	struct memset_kernel memset[MEM_KINDS];
	/* set by the generic layer from llc_size; the arch may lower it */
	size_t overlap_movnt_min;
	/* far whole-line overlapping moves (funcs.h); SIZE_MAX: none */
	size_t overlap_far_dist;
	size_t overlap_far_movnt_min;
};

/*
 * The architecture's half of pmem_init(): detects the CPU, fills *c and
 * logs its reasons at level 3. It may run before Funcs is filled, and
 * again from tests.
 */
void arch_init(struct arch_choice *c, const struct pmem_policy *policy);

/* the architecture's lines of pmem_describe(): what the CPU offers */
void arch_describe(describe_func emit);

/*
 * Every kernel the architecture compiled, whether or not this CPU runs
 * it (needs says what it needs); *n gets the count. The portable kernels
 * are in Generic_kernels, not here.
 */
const struct pmem_kernel *arch_kernels(size_t *n);

/* the feature bits pmem_kernel.needs is made of, for this CPU */
unsigned arch_cpu_features(void);

/*
 * Portable kernels (src/memops_generic.c): 8-byte stores, flushing through
 * Funcs.flush. x86_64 uses them for PMEM_NO_MOVNT=1 like the reference;
 * architectures without kernels of their own use them everywhere.
 */
void memmove_generic_flush(char *dst, const char *src, size_t len);
void memmove_generic_noflush(char *dst, const char *src, size_t len);
void memset_generic_flush(char *dst, int c, size_t len);
void memset_generic_noflush(char *dst, int c, size_t len);

/* those four as rows, and as the tests' list */
extern const struct memmove_kernel Memmove_generic_flush;
extern const struct memmove_kernel Memmove_generic_noflush;
extern const struct memset_kernel Memset_generic_flush;
extern const struct memset_kernel Memset_generic_noflush;
#define GENERIC_KERNELS 4
extern const struct pmem_kernel Generic_kernels[GENERIC_KERNELS];

/*
 * The rows of the portable kernels for every mem_kind, for architectures
 * that have no kernels of their own.
 */
void arch_generic_kernels(struct arch_choice *c);

#endif
