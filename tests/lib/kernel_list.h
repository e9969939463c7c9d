/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The kernels a test runs: the architecture's list (arch_kernels()) and
 * the portable ones, minus those needing CPU features this CPU lacks.
 * Tests go through this instead of each knowing the arch's table layout.
 */
#ifndef TESTS_LIB_KERNEL_LIST_H
#define TESTS_LIB_KERNEL_LIST_H

#include <stdio.h>
#include <string.h>

#include "arch.h"
#include "funcs.h"

#define KL_MAX 256

struct kernel_set {
	const struct pmem_kernel *k[KL_MAX];
	size_t n;
	size_t skipped;		/* listed, but not for this CPU */
};

/* list[0..n) into s where cpu has what each needs */
static inline void
kl_add(struct kernel_set *s, const struct pmem_kernel *list, size_t n,
	unsigned cpu)
{
	for (size_t i = 0; i < n && s->n < KL_MAX; i++) {
		if ((cpu & list[i].needs) == list[i].needs)
			s->k[s->n++] = &list[i];
		else
			s->skipped++;
	}
}

/* the arch's kernels and the portable ones this CPU runs */
static inline void
kl_collect(struct kernel_set *s, unsigned cpu)
{
	size_t n;
	const struct pmem_kernel *list = arch_kernels(&n);

	kl_add(s, list, n, cpu);
	kl_add(s, Generic_kernels, GENERIC_KERNELS, cpu);
}

/* the listed kernel called name, or NULL */
static inline const struct pmem_kernel *
kl_find(const char *name)
{
	size_t n;
	const struct pmem_kernel *list = arch_kernels(&n);

	for (size_t i = 0; i < n; i++)
		if (strcmp(list[i].name, name) == 0)
			return &list[i];
	for (size_t i = 0; i < GENERIC_KERNELS; i++)
		if (strcmp(Generic_kernels[i].name, name) == 0)
			return &Generic_kernels[i];
	return NULL;
}

/* the SKIP line for kernels this CPU cannot run */
static inline void
kl_report_skipped(const struct kernel_set *s)
{
	if (s->skipped)
		printf("SKIP: %zu listed kernels need CPU features this CPU "
			"lacks\n", s->skipped);
}

#endif
