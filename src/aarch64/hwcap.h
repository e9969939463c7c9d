/* SPDX-License-Identifier: BSD-3-Clause */
/*
 * The hwcap bits libpmem reads on aarch64, with the kernel ABI's values for
 * C libraries that lack the names. tests/cross/test_api.c includes it too,
 * to check the library's choices against the same bits.
 */
#ifndef PMEM_AARCH64_HWCAP_H
#define PMEM_AARCH64_HWCAP_H

#include <sys/auxv.h>

#ifndef HWCAP_ASIMD
#define HWCAP_ASIMD (1UL << 1)
#endif
#ifndef HWCAP_DCPOP
#define HWCAP_DCPOP (1UL << 16)
#endif
#ifndef HWCAP2_DCPODP
#define HWCAP2_DCPODP (1UL << 0)
#endif

#endif
