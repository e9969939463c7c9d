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

/*
 * Fills flush, deep_flush, fence, has_hw_drain, the memmove/memset kernels
 * of every mem_kind and their names; logs its reasons at level 3. It may
 * lower overlap_movnt_min, which the generic layer set from llc_size.
 */
void arch_init(struct pmem_funcs *funcs, const struct pmem_policy *policy);

/* the architecture's lines of pmem_describe(): what the CPU offers */
void arch_describe(describe_func emit);

/*
 * Portable kernels (src/memops_generic.c): 8-byte stores, flushing through
 * Funcs.flush. x86_64 uses them for PMEM_NO_MOVNT=1 like the reference.
 */
void memmove_generic_flush(char *dst, const char *src, size_t len);
void memmove_generic_noflush(char *dst, const char *src, size_t len);
void memset_generic_flush(char *dst, int c, size_t len);
void memset_generic_noflush(char *dst, int c, size_t len);

#endif
