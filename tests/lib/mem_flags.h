/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The pmem_memmove/memcpy/memset flag sets every copy test runs: none,
 * each flag alone, and non-temporal without a drain. A test appends the
 * mixtures it needs after them.
 */
#ifndef TESTS_LIB_MEM_FLAGS_H
#define TESTS_LIB_MEM_FLAGS_H

#include <libpmem.h>

#define MEM_FLAG_SETS \
	0, PMEM_F_MEM_NODRAIN, PMEM_F_MEM_NONTEMPORAL, PMEM_F_MEM_TEMPORAL, \
	PMEM_F_MEM_WC, PMEM_F_MEM_WB, PMEM_F_MEM_NOFLUSH, \
	PMEM_F_MEM_NONTEMPORAL | PMEM_F_MEM_NODRAIN

#endif
