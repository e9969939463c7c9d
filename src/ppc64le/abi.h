/* SPDX-License-Identifier: BSD-3-Clause */
/* How ./libpmem.so.1 is started on ppc64le (selfrun_linux.c). */
#ifndef PMEM_PPC64LE_ABI_H
#define PMEM_PPC64LE_ABI_H

#define SELFRUN_INTERP "/lib64/ld64.so.2"
#define SELFRUN_ENTRY_ATTR

#endif
