/* SPDX-License-Identifier: BSD-3-Clause */
/* How ./libpmem.so.1 is started on aarch64 (selfrun_linux.c). */
#ifndef PMEM_AARCH64_ABI_H
#define PMEM_AARCH64_ABI_H

#define SELFRUN_INTERP "/lib/ld-linux-aarch64.so.1"
#define SELFRUN_ENTRY_ATTR

#endif
